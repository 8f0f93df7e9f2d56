"""The report's SVG charts (pure, no Django): valid, accessible SVG with the values in words,
text escaped, the same output for the same input."""

import xml.etree.ElementTree as ET

import pytest

from mreza.evaluation import charts

NS = "{http://www.w3.org/2000/svg}"
CATEGORIES = ["met", "partly met", "not met", "not started"]


def _parse(svg):
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.find(f".//{NS}script") is None and root.find(f".//{NS}style") is None
    return root


def _row_titles(root):
    return [g.find(f"{NS}title").text for g in root.iter(f"{NS}g")]


def test_ratings_chart_has_a_bar_per_goal_with_its_counts():
    svg = charts.ratings_svg(
        [("Staff plans", [2, 1, 0, 0]), ("Training", [0, 0, 1, 2])],
        CATEGORIES,
        title="Ratings",
        desc="How members rated",
    )
    root = _parse(svg)
    assert _row_titles(root) == [
        "Staff plans: met: 2, partly met: 1, not met: 0, not started: 0",
        "Training: met: 0, partly met: 0, not met: 1, not started: 2",
    ]
    first = next(root.iter(f"{NS}g"))
    widths = [float(r.get("width")) for r in first.iter(f"{NS}rect")]
    track, met, partly = widths
    assert met == pytest.approx(track * 2 / 3, abs=0.01)
    assert partly == pytest.approx(track / 3, abs=0.01)
    assert [t.text for t in first.iter(f"{NS}text")] == ["Staff plans", "2", "1"]


def test_a_goal_nobody_rated_draws_only_its_track():
    root = _parse(charts.ratings_svg([("Empty", [0, 0, 0, 0])], CATEGORIES, title="t", desc="d"))
    assert len(list(next(root.iter(f"{NS}g")).iter(f"{NS}rect"))) == 1


def test_target_chart_fills_the_share_of_the_way_in_either_direction():
    rows = [
        charts.TargetRow("Plans", 20, 100, 60, "20 %", "100 %", "60 %"),
        charts.TargetRow("Turnover", 9, 5, 7, "9 %", "5 %", "7 %"),  # lower is better
        charts.TargetRow("Past the target", 0, 10, 15, "0", "10", "15"),
        charts.TargetRow("Behind the baseline", 10, 20, 5, "10", "20", "5"),
        charts.TargetRow("Not measured", 0, 10, None, "0", "10", ""),
    ]
    root = _parse(
        charts.target_svg(
            rows, title="t", desc="d", baseline_label="baseline", target_label="target"
        )
    )
    groups = list(root.iter(f"{NS}g"))
    fills = []
    for group in groups:
        rects = [float(r.get("width")) for r in group.iter(f"{NS}rect")]
        fills.append(rects[1] / rects[0] if len(rects) > 1 else None)
    assert fills == [pytest.approx(0.5), pytest.approx(0.5), pytest.approx(1.0), 0.0, None]
    assert _row_titles(root)[0] == "Plans: baseline 20 %, target 100 %, 60 % (50 %)"
    assert _row_titles(root)[4] == "Not measured: baseline 0, target 10, —"


def test_deltas_chart_places_both_scores_and_writes_the_change():
    rows = [
        charts.DeltaRow("Banja Luka", 40, 70),
        charts.DeltaRow("Laktaši", 60, 55),
        charts.DeltaRow("Prnjavor", None, 50),
    ]
    root = _parse(
        charts.deltas_svg(
            rows,
            low=0,
            high=100,
            title="t",
            desc="d",
            before_label="baseline",
            after_label="re-assessment",
        )
    )
    assert _row_titles(root) == [
        "Banja Luka: baseline 40, re-assessment 70 (+30)",
        "Laktaši: baseline 60, re-assessment 55 (−5)",
        "Prnjavor: baseline —, re-assessment 50 (—)",
    ]
    first = next(root.iter(f"{NS}g"))
    circle = first.find(f"{NS}circle")
    square = first.find(f"{NS}rect")
    x40, x70 = float(circle.get("cx")), float(square.get("x")) + 5
    # 30 points of 100 are 0.3 of the plot's width, whatever the label column
    width = (x70 - x40) / 0.3
    assert x40 == pytest.approx(220 + 0.4 * width)


def test_labels_are_escaped_and_long_ones_shortened():
    label = '<script>alert("x")</script> & a very long name of a goal indeed'
    svg = charts.ratings_svg([(label, [1, 0, 0, 0])], CATEGORIES, title="<t>", desc="d & d")
    root = _parse(svg)
    assert "<script>" not in svg
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts[0].endswith("…") and len(texts[0]) == charts.LABEL_CHARS
    assert root.find(f"{NS}title").text == "<t>"


def test_the_same_input_gives_the_same_svg_and_control_characters_are_dropped():
    rows = [charts.DeltaRow("A\x00B", 1, 2)]
    kwargs = {"low": 0, "high": 5, "title": "t", "desc": "d"}
    kwargs |= {"before_label": "b", "after_label": "a"}
    assert charts.deltas_svg(rows, **kwargs) == charts.deltas_svg(rows, **kwargs)
    assert "\x00" not in charts.deltas_svg(rows, **kwargs)
    ET.fromstring(charts.deltas_svg(rows, **kwargs))
