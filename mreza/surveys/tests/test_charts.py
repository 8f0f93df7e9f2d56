"""The survey charts (pure SVG): well-formed, accessible, deterministic, safe with any text."""

import xml.etree.ElementTree as ET

import pytest

from mreza.surveys import charts

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ET.fromstring(svg)


def _texts(root):
    return [el.text for el in root.iter(f"{NS}text")]


def test_distribution_is_an_accessible_image_with_one_row_per_bar():
    svg = charts.distribution_svg(
        [("Yes", 30, 0.6), ("No", 20, 0.4), ("Don't know", 0, 0.0)],
        title="Trust",
        desc="Yes 60 %, no 40 %.",
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    title_id = root.get("aria-labelledby")
    assert root.find(f"{NS}title").get("id") == title_id
    assert root.find(f"{NS}desc").text == "Yes 60 %, no 40 %."
    rows = root.findall(f"{NS}g[@class='bar-row']")
    assert len(rows) == 3
    assert rows[0][0].tag == f"{NS}title" and rows[0][0].text == "Yes: 30 (60 %)"
    assert len(rows[2].findall(f"{NS}rect")) == 0  # nothing to draw for a zero share
    assert "style" not in svg and "<script" not in svg
    assert svg == charts.distribution_svg(
        [("Yes", 30, 0.6), ("No", 20, 0.4), ("Don't know", 0, 0.0)],
        title="Trust",
        desc="Yes 60 %, no 40 %.",
    )


def test_distribution_draws_intervals_and_the_compared_wave_with_a_legend():
    svg = charts.distribution_svg(
        [("Yes", 30, 0.6), ("No", 20, 0.4)],
        title="Trust",
        desc="…",
        previous=[0.5, None],
        intervals=[(0.46, 0.72), (None, None)],
        series_labels=("After", "Before"),
        value_text=lambda count, share: f"{count} · {share:.0%}",
        share_format=lambda share: f"{share * 100:.0f}%",
    )
    root = _parse(svg)
    assert "After" in _texts(root) and "Before" in _texts(root)
    rows = root.findall(f"{NS}g[@class='bar-row']")
    assert rows[0][0].text == "Yes: 30 · 60%; Before: 50%"
    assert rows[1][0].text == "No: 20 · 40%; Before: —"
    dashed = [el for el in rows[0].iter(f"{NS}line") if el.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert len(rows[0].findall(f"{NS}line")) == 4  # whisker, two caps, the marker
    assert "100%" in _texts(root)


def test_hostile_labels_are_escaped_and_cut():
    label = '<script>alert(1)</script> & "quotes"\x00' + "x" * 200
    svg = charts.distribution_svg([(label, 1, 1.0)], title="<b>", desc="&")
    root = _parse(svg)  # well-formed
    assert "<script>" not in svg and "\x00" not in svg
    shown = _texts(root)[-2]
    assert shown.endswith("…") and len(shown) < 60


def test_means_show_dots_whiskers_and_missing_values():
    svg = charts.means_svg(
        [("Roads", 3.2, 2.9, 3.5), ("Water", None, None, None)],
        low=1,
        high=5,
        title="Services",
        desc="…",
        previous=[("Roads", 2.5, 2.1, 2.9), ("Water", 4.0, 3.0, 5.0)],
        series_labels=("After", "Before"),
        value_format=lambda v: f"{v:.1f}".replace(".", ","),
    )
    root = _parse(svg)
    rows = root.findall(f"{NS}g[@class='mean-row']")
    assert rows[0][0].text == "Roads: 3,2 [2,9 – 3,5]; Before: 2,5 [2,1 – 2,9]"
    assert rows[1][0].text == "Water: —; Before: 4,0 [3,0 – 5,0]"
    assert len(rows[0].findall(f"{NS}circle")) == 1 and len(rows[1].findall(f"{NS}circle")) == 0
    assert len(rows[1].findall(f"{NS}polygon")) == 1  # the compared wave's diamond
    ticks = [t for t in _texts(root) if t in {"1,0", "2,0", "3,0", "4,0", "5,0"}]
    assert ticks == ["1,0", "2,0", "3,0", "4,0", "5,0"]


def test_means_clamp_to_the_axis_and_refuse_an_empty_axis():
    svg = charts.means_svg([("Far", 12.0, -3.0, 40.0)], low=0, high=10, title="t", desc="d")
    circle = _parse(svg).find(f".//{NS}circle")
    assert float(circle.get("cx")) <= 640
    with pytest.raises(ValueError):
        charts.means_svg([], low=3, high=3, title="t", desc="d")
    with pytest.raises(ValueError):
        charts.distribution_svg([("a", 1, 1.0)], title="t", desc="d", previous=[])
