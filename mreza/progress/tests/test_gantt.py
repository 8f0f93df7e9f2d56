"""The pure timeline drawing (mreza/progress/gantt.py): rows, scale, today, overdue, phases,
safety."""

import datetime
import xml.etree.ElementTree as ET

from mreza.progress import gantt

NS = {"svg": "http://www.w3.org/2000/svg"}
TODAY = datetime.date(2026, 6, 15)
LEGEND = {"planned": "planned", "in_progress": "in progress", "done": "done", "cancelled": "off"}


def _draw(bars, bands=(), **extra):
    return gantt.timeline(
        bars,
        today=TODAY,
        bands=bands,
        title="Timeline",
        desc="Three activities",
        month_label=lambda day, with_year: day.strftime("%b %Y" if with_year else "%b"),
        today_label="Today",
        legend=LEGEND,
        overdue_label="overdue",
        phases_label="Phases",
        empty_label="Nothing yet",
        **extra,
    )


def _bars():
    return [
        gantt.Bar(
            "Survey",
            datetime.date(2026, 1, 10),
            datetime.date(2026, 2, 28),
            "done",
            completed=datetime.date(2026, 2, 20),
            group="Goal 1",
        ),
        gantt.Bar(
            "Late training",
            datetime.date(2026, 3, 1),
            datetime.date(2026, 5, 31),
            "in_progress",
            overdue=True,
            group="Goal 1",
        ),
        gantt.Bar("Handbook", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), group=""),
    ]


def _rects(svg):
    return ET.fromstring(svg).iter(f"{{{NS['svg']}}}rect")


def test_rows_group_headings_and_span_of_whole_months():
    timeline = _draw(_bars())
    assert timeline.rows == [
        ("group", "Goal 1"),
        ("bar", "Survey"),
        ("bar", "Late training"),
        ("bar", "Handbook"),
    ]
    assert timeline.start == datetime.date(2026, 1, 1)
    assert timeline.end == datetime.date(2026, 10, 1)
    assert timeline.width == (timeline.end - timeline.start).days * gantt.DAY


def test_the_three_svgs_parse_and_are_accessible_images():
    timeline = _draw(_bars(), bands=[gantt.Band("Plan", TODAY.replace(month=1, day=1), TODAY)])
    for svg in (timeline.labels, timeline.chart, timeline.full):
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        title_id = root.get("aria-labelledby")
        assert root.find(f"svg:title[@id='{title_id}']", NS).text == "Timeline"
    # labels and chart have the same height, so their rows line up side by side
    assert ET.fromstring(timeline.labels).get("height") == ET.fromstring(timeline.chart).get(
        "height"
    )
    full = ET.fromstring(timeline.full)
    assert float(full.get("width")) == gantt.LABEL_WIDTH + timeline.width
    texts = [t.text for t in full.iter(f"{{{NS['svg']}}}text")]
    assert "Survey" in texts and "Plan" in texts and "Today" in texts and "Jan 2026" in texts


def test_overdue_bars_are_marked_by_more_than_colour():
    chart = _draw(_bars()).chart
    overdue = [
        r for r in _rects(chart) if r.get("fill") == gantt.OVERDUE and r.get("height") == "14"
    ]
    assert len(overdue) == 1
    hatched = [r for r in _rects(chart) if (r.get("fill") or "").startswith("url(#")]
    assert len(hatched) == 2  # the lateness from due date to today, and the legend swatch
    titles = [t.text for t in ET.fromstring(chart).iter(f"{{{NS['svg']}}}title")]
    assert any("Late training" in t and "overdue" in t for t in titles)


def test_the_today_line_sits_at_today():
    timeline = _draw(_bars())
    lines = [
        line
        for line in ET.fromstring(timeline.chart).iter(f"{{{NS['svg']}}}line")
        if line.get("stroke") == gantt.TODAY
    ]
    assert len(lines) == 1
    expected = (TODAY - timeline.start).days * gantt.DAY
    assert float(lines[0].get("x1")) == expected


def test_text_is_escaped_and_long_labels_are_cut():
    evil = gantt.Bar("<script>alert(1)</script>" + "x" * 200, TODAY, TODAY, group="<b>goal</b>")
    timeline = _draw([evil])
    assert "<script>" not in timeline.full and "<b>" not in timeline.full
    label = [t.text for t in ET.fromstring(timeline.labels).iter(f"{{{NS['svg']}}}text")][-1]
    assert label.endswith("…") and len(label) < 60


def test_an_empty_plan_still_draws_a_timeline_with_today():
    timeline = _draw([])
    assert timeline.rows == []
    assert "Nothing yet" in timeline.chart and "Today" in timeline.chart
    assert timeline.width >= gantt.MIN_CHART


def test_the_output_is_deterministic():
    assert _draw(_bars()).full == _draw(_bars()).full
