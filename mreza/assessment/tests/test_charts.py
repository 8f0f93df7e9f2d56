"""Tests for mreza.assessment.charts (pure Python; runs without Django)."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mreza.assessment import charts
from mreza.assessment.charts import bar_svg, radar_svg, wrap_label
from mreza.assessment.frameworks.schema import FRAMEWORKS_DIR, iter_subcriteria, load_framework

SVG = "{http://www.w3.org/2000/svg}"
NASTY = "A <b>&\"quoted\" 'label' ]]> & more"

CAF_CRITERIA = [
    ("1 Leadership", 62),
    ("2 Strategy and Planning", 55.5),
    ("3 People", None),
    ("4 Partnerships and Resources", 70),
    ("5 Processes", 48),
    ("6 Citizen/Customer-oriented Results", 81),
    ("7 People Results", 12),
    ("8 Social Responsibility Results", 0),
    ("9 Key Performance Results", 100),
]
PREVIOUS = [50, 60, 40, None, 45, 70, 20, 5, 90]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def radar(**kwargs):
    args = {"title": "CAF criteria", "desc": "Mean score per criterion"}
    args.update(kwargs)
    return radar_svg(args.pop("axes", CAF_CRITERIA), **args)


def bars(items, **kwargs):
    args = {"title": "Subcriteria", "desc": "Consensus score per subcriterion"}
    args.update(kwargs)
    return bar_svg(items, **args)


@pytest.fixture(scope="module")
def caf_bars():
    caf = load_framework(FRAMEWORKS_DIR / "caf2020.yaml")
    items = [
        (f"{sub['code']} {sub['title']['en']}", (i * 37) % 101 if i % 7 else None)
        for i, (_c, sub, _p) in enumerate(iter_subcriteria(caf))
    ]
    previous = [(i * 53) % 101 if i % 5 else None for i in range(len(items))]
    return items, previous


# --------------------------------------------------------------------------- shared properties


def test_gettext_noop_and_series_labels_are_marked():
    assert charts.gettext_noop("Current") == "Current"
    assert charts.SERIES_LABELS == ("Current", "Previous")


@pytest.mark.parametrize(
    "make",
    [
        lambda: radar(),
        lambda: radar(previous=PREVIOUS),
        lambda: bars(CAF_CRITERIA),
        lambda: bars(CAF_CRITERIA, previous=PREVIOUS),
    ],
)
def test_accessible_root(make):
    root = parse(make())
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"-?\d+(\.\d+)? 0 \d+(\.\d+)? \d+(\.\d+)?", root.get("viewBox"))
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert list(root)[:2] == [title, desc]
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.text and desc.text


@pytest.mark.parametrize(
    "make",
    [
        lambda: radar(previous=PREVIOUS),
        lambda: bars(CAF_CRITERIA, previous=PREVIOUS),
    ],
)
def test_plain_svg_for_weasyprint(make):
    svg = make()
    root = parse(svg)
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert tags <= {
        "svg",
        "title",
        "desc",
        "g",
        "polygon",
        "line",
        "circle",
        "rect",
        "text",
        "tspan",
    }
    assert "var(" not in svg and "style" not in svg and "script" not in svg.lower()
    for el in root.iter(f"{SVG}text"):
        assert el.get("font-family") == "DejaVu Sans, sans-serif"
        assert el.get("fill")
    assert charts.COLOUR_CURRENT in svg


@pytest.mark.parametrize(
    "make",
    [
        lambda **kw: radar(**kw),
        lambda **kw: bars(CAF_CRITERIA, **kw),
    ],
)
def test_deterministic_and_ids_depend_on_content(make):
    assert make(previous=PREVIOUS) == make(previous=PREVIOUS)
    first = parse(make()).find(f"{SVG}title").get("id")
    second = parse(make(title="Another chart")).find(f"{SVG}title").get("id")
    assert first != second


def test_escaping_of_labels_title_desc_and_series():
    for svg in (
        radar_svg(
            [(NASTY, 1), ("b", 2), ("c", None)],
            title=NASTY,
            desc=NASTY,
            previous=[1, 2, 3],
            series_labels=("<now>", "&then"),
        ),
        bar_svg(
            [(NASTY, 50), ("b", None)],
            title=NASTY,
            desc=NASTY,
            previous=[1, 2],
            series_labels=("<now>", "&then"),
        ),
    ):
        assert "<b>" not in svg and '&"' not in svg
        root = parse(svg)
        assert root.find(f"{SVG}title").text == NASTY
        assert root.find(f"{SVG}desc").text == NASTY
        all_text = " ".join(texts(root))
        assert "<now>" in all_text and "&then" in all_text
        row_titles = [el.text for el in root.iter(f"{SVG}title")]
        assert any(t.startswith(NASTY + ":") for t in row_titles)


def test_value_format_is_used():
    svg = radar(value_format=lambda v: f"{v:.1f}".replace(".", ","))
    assert "55,5" in " ".join(texts(parse(svg)))
    svg = bars(CAF_CRITERIA, value_format=lambda v: f"{v:.1f}".replace(".", ","))
    assert "55,5" in " ".join(texts(parse(svg)))


# --------------------------------------------------------------------------- radar


def polygons(root):
    return list(root.iter(f"{SVG}polygon"))


@pytest.mark.parametrize("n", range(3, 16))
def test_radar_polygon_points_match_axes(n):
    axes = [(f"Axis number {k + 1}", (k * 17) % 101) for k in range(n)]
    root = parse(radar(axes=axes, previous=[50] * n))
    for polygon in polygons(root):
        assert len(polygon.get("points").split()) == n
    # 5 grid rings, previous and current
    assert len(polygons(root)) == 7
    current = [p for p in polygons(root) if p.get("fill") == charts.COLOUR_CURRENT]
    previous = [p for p in polygons(root) if p.get("stroke-dasharray")]
    assert len(current) == 1 and len(previous) == 1
    assert len(root.findall(f"{SVG}g/{SVG}title")) == n  # one described group per axis


def _label_boxes(root):
    """Approximate boxes (x0, x1, y0, y1) of each axis label group of a radar chart."""
    boxes = []
    for group in root.findall(f"{SVG}g"):
        if group.find(f"{SVG}title") is None:
            continue
        lines = group.findall(f"{SVG}text")
        width = max(charts._text_width("".join(el.itertext()), 10.5) for el in lines)
        x = float(lines[0].get("x"))
        anchor = lines[0].get("text-anchor", "start")
        x0 = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
        ys = [float(el.get("y")) for el in lines]
        boxes.append((x0, x0 + width, min(ys) - 9, max(ys) + 2))
    return boxes


@pytest.mark.parametrize("n", range(3, 16))
def test_radar_labels_do_not_overlap(n):
    axes = [(f"Principle {k + 1} of good democratic governance", 50) for k in range(n)]
    root = parse(radar(axes=axes, previous=[40] * n))
    boxes = _label_boxes(root)
    assert len(boxes) == n
    x_min, _y, view_w, view_h = map(float, root.get("viewBox").split())
    for i, a in enumerate(boxes):
        assert x_min <= a[0] and a[1] <= x_min + view_w and a[2] >= 0 and a[3] <= view_h
        for b in boxes[i + 1 :]:
            apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
            assert apart, (a, b)


def test_radar_geometry_values_scale_with_radius():
    axes = [("a", 100), ("b", 50), ("c", 0), ("d", None)]
    root = parse(radar(axes=axes))
    current = next(p for p in polygons(root) if p.get("fill") == charts.COLOUR_CURRENT)
    points = [tuple(map(float, p.split(","))) for p in current.get("points").split()]
    outer = polygons(root)[4]  # the 100 % ring
    ring = [tuple(map(float, p.split(","))) for p in outer.get("points").split()]
    centre_x = ring[0][0]
    centre_y = (ring[0][1] + ring[2][1]) / 2
    assert points[0] == pytest.approx(ring[0], abs=0.02)  # 100 at the outer ring
    assert points[1][0] - centre_x == pytest.approx((ring[1][0] - centre_x) / 2, abs=0.02)
    assert points[2] == pytest.approx((centre_x, centre_y), abs=0.02)
    assert points[3] == pytest.approx((centre_x, centre_y), abs=0.02)  # None drawn at 0


def test_radar_none_values_have_hollow_markers_and_dash():
    root = parse(radar(previous=PREVIOUS))
    circles = list(root.iter(f"{SVG}circle"))
    hollow = [c for c in circles if c.get("fill") == "#ffffff"]
    assert len(hollow) == 1  # "3 People" has no score
    hollow_squares = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#ffffff"]
    assert len(hollow_squares) == 1  # previous "4 Partnerships" missing
    labels = texts(root)
    assert any(t.startswith("—") for t in labels)


def test_radar_legend_only_with_previous():
    assert "Previous" not in " ".join(texts(parse(radar())))
    with_previous = " ".join(texts(parse(radar(previous=PREVIOUS, series_labels=("2024", "2022")))))
    assert "2024" in with_previous and "2022" in with_previous


def test_radar_ticks():
    labels = texts(parse(radar()))
    for tick in ("20", "40", "60", "80", "100"):
        assert tick in labels
    maturity = texts(parse(radar(axes=[(f"P{k}", k % 5) for k in range(12)], max_value=4)))
    for tick in ("1", "2", "3", "4"):
        assert tick in maturity
    custom = parse(radar(ticks=[25, 50, 75, 100]))
    assert len(polygons(custom)) == 4 + 1


def test_radar_clamps_values():
    root = parse(radar(axes=[("a", 150), ("b", -10), ("c", 50)]))
    current = next(p for p in polygons(root) if p.get("fill") == charts.COLOUR_CURRENT)
    outer = polygons(root)[4]
    assert current.get("points").split()[0] == outer.get("points").split()[0]


def test_radar_labels_wrapped_and_shown_with_values():
    labels = texts(parse(radar()))
    assert "Citizen/" not in labels  # the code is part of the first line
    assert "6 Citizen/" in labels and "Customer-" in labels
    assert "55.5" in labels and "62" in labels
    labels = texts(parse(radar(previous=PREVIOUS)))
    assert "62 / 50" in labels and "— / 40" in labels and "70 / —" in labels


@pytest.mark.parametrize(
    "bad",
    [
        {"axes": [("a", 1), ("b", 2)]},
        {"previous": [1, 2]},
        {"max_value": 0},
    ],
)
def test_radar_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        radar(**bad)


# --------------------------------------------------------------------------- bars


def rows(root):
    return root.findall(f"{SVG}g[@class='bar-row']")


def test_bars_28_caf_rows(caf_bars):
    items, previous = caf_bars
    root = parse(bars(items, previous=previous))
    found = rows(root)
    assert len(found) == 28
    for (label, value), before, row in zip(items, previous, found, strict=True):
        title = row.find(f"{SVG}title").text
        assert title.startswith(label + ": ")
        rects = row.findall(f"{SVG}rect")
        markers = row.findall(f"{SVG}line")
        if value is None or value == 0:
            assert rects == []
        else:
            assert len(rects) == 1
        assert len(markers) == (0 if before is None else 1)
        shown = [el.text for el in row.findall(f"{SVG}text")]
        assert shown[1] == ("—" if value is None else str(value))


def test_bars_truncate_long_labels_keep_full_text_in_title():
    long_label = (
        "1.1 Provide direction for the organisation by developing its mission, vision and values"
    )
    root = parse(bars([(long_label, 50), ("Short", 10)]))
    first, second = rows(root)
    shown = first.find(f"{SVG}text").text
    assert len(shown) == 40 and shown.endswith("…")
    assert long_label.startswith(shown[:-1].rstrip())
    assert first.find(f"{SVG}title").text.startswith(long_label)
    assert second.find(f"{SVG}text").text == "Short"


def test_bars_widths_and_gridlines():
    root = parse(bars([("full", 100), ("half", 50), ("over", 250)], width=720))
    widths = [float(row.find(f"{SVG}rect").get("width")) for row in rows(root)]
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.01)
    assert widths[2] == widths[0]
    tick_texts = texts(root)
    for tick in ("0", "25", "50", "75", "100"):
        assert tick_texts.count(tick) >= 2  # top and bottom axis
    grid_lines = [
        el
        for el in root.iter(f"{SVG}line")
        if el.get("stroke") in (charts.GRID, charts.GRID_STRONG)
    ]
    assert len(grid_lines) == 5


def test_bars_previous_marker_and_legend():
    root = parse(bars([("a", 40), ("b", None)], previous=[60, 30]))
    markers = [el for el in root.iter(f"{SVG}line") if el.get("stroke") == charts.BAR_PREVIOUS]
    assert len(markers) == 3  # two rows + legend
    assert "Previous" in texts(root)
    assert "Previous" not in texts(parse(bars([("a", 40)])))


def test_bars_value_text_stays_next_to_its_bar():
    root = parse(bars([("a", 10)], previous=[90]))
    row = rows(root)[0]
    bar_end = float(row.find(f"{SVG}rect").get("x")) + float(row.find(f"{SVG}rect").get("width"))
    value_x = float(row.findall(f"{SVG}text")[1].get("x"))
    assert bar_end < value_x < bar_end + 10


def test_bars_empty_list():
    root = parse(bars([]))
    assert rows(root) == []


def test_bars_rejects_bad_input():
    with pytest.raises(ValueError):
        bars([("a", 1)], previous=[1, 2])
    with pytest.raises(ValueError):
        bars([("a", 1)], max_value=-1)


# --------------------------------------------------------------------------- wrap_label


def test_wrap_label():
    assert wrap_label("Leadership") == ["Leadership"]
    assert wrap_label("Partnerships and Resources") == ["Partnerships", "and Resources"]
    assert wrap_label("Citizen/Customer-oriented Results") == [
        "Citizen/",
        "Customer-",
        "oriented",
        "Results",
    ]
    assert wrap_label("Supercalifragilisticexpialidocious", 14) == [
        "Supercalifragi",
        "listicexpialid",
        "ocious",
    ]
    assert wrap_label("") == []
    cut = wrap_label("one two three four five six seven eight", 5, 2)
    assert cut == ["one", "two…"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.integers(4, 20), st.integers(1, 5))
def test_property_wrap_label_respects_limits(text, width, max_lines):
    lines = wrap_label(text, width, max_lines)
    assert len(lines) <= max_lines
    assert all(0 < len(line) <= width + 1 for line in lines)
    if len(lines) < max_lines or not lines:
        assert "".join(lines).replace(" ", "") == "".join(text.split())


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.one_of(st.none(), st.floats(-50, 150))),
        min_size=3,
        max_size=15,
    )
)
def test_property_radar_always_valid_xml(axes):
    root = parse(radar_svg(axes, title="t", desc="d"))
    assert all(len(p.get("points").split()) == len(axes) for p in polygons(root))


# --------------------------------------------------------------------------- PDF


def test_weasyprint_renders_both_charts(caf_bars):
    import weasyprint  # pinned in requirements.txt: a missing install must fail, not skip

    items, previous = caf_bars
    html = (
        '<!doctype html><html><head><meta charset="utf-8"></head><body>'
        f'<h1>Report</h1><div style="width: 16cm">{radar(previous=PREVIOUS)}</div>'
        f'<div style="width: 18cm">{bars(items, previous=previous)}</div>'
        f"<div>{radar_svg([(NASTY, 1), ('b', 2), ('c', None)], title=NASTY, desc=NASTY)}</div>"
        "</body></html>"
    )
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


def test_module_does_not_import_django():
    tree = ast.parse(Path(charts.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not any(name.split(".")[0] == "django" for name in imported)


def _contrast(foreground: str, background: str = "#ffffff") -> float:
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    "make",
    [
        lambda: radar(previous=PREVIOUS),
        lambda: bars(CAF_CRITERIA, previous=PREVIOUS),
    ],
)
def test_text_colours_meet_wcag_aa(make):
    root = parse(make())
    colours = {el.get("fill") for el in root.iter() if el.tag in (f"{SVG}text", f"{SVG}tspan")}
    colours.discard("#ffffff")  # halo behind tick labels
    assert colours
    for colour in colours:
        assert _contrast(colour, charts.ROW_SHADE) >= 4.5, colour
