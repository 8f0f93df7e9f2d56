"""The action plan's timeline (Gantt-like), drawn server-side as SVG for pages and WeasyPrint PDFs.

Pure Python (no Django). A bar per activity between its start and due date, grouped under a
heading row per goal; the workspace's phases as a band on top, a month axis, a line for today.
Overdue bars (open and due before today) are drawn in a warning colour *and* with a hatched
extension from the due date to today, so colour is never the only sign; done bars carry a check
mark at their completion date, cancelled ones are grey and dashed.

Two layouts from one computation (`timeline`):

- `labels` + `chart`: two SVGs of the same row heights, meant to sit side by side with the chart
  in a horizontally scrolling box, so that on a phone the activity names stay visible while the
  months scroll;
- `full`: one SVG with labels and chart (the PDF).

Every SVG uses presentation attributes only (no CSS, no scripts), names its font on each text and
is an accessible image (``role="img"``, ``<title>``, ``<desc>``; each bar has its own ``<title>``).
Callers pass every text already translated and dates already formatted (`month_label`),
so this module knows no language.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["Band", "Bar", "Timeline", "timeline"]

FONT = "DejaVu Sans, sans-serif"
# Okabe–Ito colour-blind-safe colours; contrast is for graphics on white (3:1 at least)
COLOURS = {
    "planned": "#56b4e9",
    "in_progress": "#0072b2",
    "done": "#009e73",
    "cancelled": "#bdbdbd",
}
OVERDUE = "#d55e00"
TODAY = "#a80000"
TEXT = "#1a1a1a"
TEXT_MUTED = "#595959"
GRID = "#dcdcdc"
GROUP_SHADE = "#eef2f6"
PHASE_FILLS = ("#e8eef5", "#f5efe6")
PHASE_STROKE = "#9aa7b4"

ROW = 26  # height of an activity row
GROUP_ROW = 24  # height of a goal heading row
BAR = 14  # bar thickness
PHASES = 26  # height of the phases band
AXIS = 22  # height of the month axis
LEGEND = 30  # height of the legend under the chart
LABEL_WIDTH = 175
DAY = 2.0  # pixels per day: a year is about 730 px
MIN_CHART = 360

_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Bar:
    """One activity: `status` is a key of COLOURS; `group` the goal heading it is drawn under."""

    label: str
    start: datetime.date
    end: datetime.date
    status: str = "planned"
    overdue: bool = False
    completed: datetime.date | None = None
    group: str = ""
    detail: str = ""  # the bar's tooltip (dates, status, responsible member), already worded


@dataclass(frozen=True)
class Band:
    """One phase of the workspace."""

    label: str
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Timeline:
    labels: str
    chart: str
    full: str
    width: float  # of the chart part, for the scrolling box
    height: float
    start: datetime.date
    end: datetime.date
    rows: list = field(default_factory=list)  # (kind, text) per row, for tests and alternatives


def _n(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _clean(text: object) -> str:
    return _NOT_XML_RE.sub("", str(text))


def _width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` in DejaVu Sans at `size`."""
    return sum(0.4 if c in " .,:;'()[]/-ijlfrtI1" else 0.66 for c in text) * size


def fit(text: str, width: float, size: float) -> str:
    """`text` cut with an ellipsis so that it fits in `width` pixels."""
    text = " ".join(_clean(text).split())
    if _width(text, size) <= width:
        return text
    while text and _width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _span(bars, bands, today):
    """The whole months from the earliest to the latest date shown (today included)."""
    dates = [today]
    for bar in bars:
        dates += [bar.start, bar.end]
        if bar.completed:
            dates.append(bar.completed)
    for band in bands:
        dates += [band.start, band.end]
    first = min(dates).replace(day=1)
    last = max(dates)
    last = (last.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)  # next month's 1st
    return first, last


def _el(parent, tag, **attrs):
    return ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})


def _text(parent, x, y, content, *, size=11, fill=TEXT, anchor="start", weight=None):
    attrs = {"x": _n(x), "y": _n(y), "font-family": FONT, "font-size": _n(size), "fill": fill}
    if anchor != "start":
        attrs["text-anchor"] = anchor
    if weight:
        attrs["font-weight"] = weight
    element = ET.SubElement(parent, "text", attrs)
    element.text = _clean(content)
    return element


def _root(kind, width, height, title, desc, key):
    digest = hashlib.sha1(
        repr((kind, title, desc, width, height, key)).encode(), usedforsecurity=False
    ).hexdigest()[:10]
    ident = f"gantt-{kind}-{digest}"
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "version": "1.1",
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "width": _n(width),
            "height": _n(height),
            "role": "img",
            "aria-labelledby": f"{ident}-title",
            "aria-describedby": f"{ident}-desc",
            "class": f"gantt-svg gantt-{kind}",
        },
    )
    ET.SubElement(root, "title", {"id": f"{ident}-title"}).text = _clean(title)
    ET.SubElement(root, "desc", {"id": f"{ident}-desc"}).text = _clean(desc)
    defs = _el(root, "defs")
    pattern = _el(
        defs,
        "pattern",
        id=f"{ident}-late",
        width="6",
        height="6",
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )
    _el(pattern, "rect", width="6", height="6", fill="#ffffff")
    _el(pattern, "rect", width="3", height="6", fill=OVERDUE)
    return root, f"url(#{ident}-late)"


def _serialise(root):
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _layout(bars):
    """Rows in drawing order: a heading row for each new group, then its bars."""
    rows = []
    current = None
    for bar in bars:
        if bar.group != current:
            current = bar.group
            if bar.group:
                rows.append(("group", bar.group, None))
        rows.append(("bar", bar.label, bar))
    return rows


def _row_heights(rows):
    return [GROUP_ROW if kind == "group" else ROW for kind, _text, _bar in rows]


def timeline(
    bars: Sequence[Bar],
    *,
    today: datetime.date,
    bands: Sequence[Band] = (),
    title: str,
    desc: str,
    month_label: Callable[[datetime.date, bool], str],
    today_label: str,
    legend: dict[str, str],
    overdue_label: str,
    phases_label: str = "",
    empty_label: str = "",
    label_width: float = LABEL_WIDTH,
    day_width: float = DAY,
) -> Timeline:
    """The timeline of `bars` (in the order given: group them by goal first) and `bands`.

    `legend` names each status (keys of COLOURS); `month_label(date, with_year)` writes a month
    ("Jan 2026" for the first month shown and each January, else "Feb").
    """
    bars = list(bars)
    bands = list(bands)
    start, end = _span(bars, bands, today)
    chart_width = max(MIN_CHART, (end - start).days * day_width)
    scale = chart_width / max((end - start).days, 1)

    def x(day: datetime.date) -> float:
        return (min(max(day, start), end) - start).days * scale

    rows = _layout(bars)
    heights = _row_heights(rows)
    top = (PHASES if bands else 0) + AXIS
    body = sum(heights) if rows else ROW
    height = top + body + LEGEND
    key = (start, end, len(rows), today)

    # ---- the labels column
    labels, _late = _root("labels", label_width, height, title, desc, key)
    if bands:
        _text(
            labels, 6, PHASES - 9, fit(phases_label, label_width - 12, 10), size=10, fill=TEXT_MUTED
        )
    y = top
    for (kind, text, _bar), h in zip(rows, heights, strict=True):
        if kind == "group":
            _el(
                labels,
                "rect",
                x="0",
                y=_n(y),
                width=_n(label_width),
                height=_n(h),
                fill=GROUP_SHADE,
            )
            _text(labels, 6, y + h - 8, fit(text, label_width - 12, 11), size=11, weight="bold")
        else:
            shown = fit(text, label_width - 18, 10.5)
            element = _text(labels, 12, y + h - 9, shown, size=10.5)
            if shown != text:  # the whole name on hover; the table has it too
                _el(element, "title").text = _clean(text)
        y += h

    # ---- the chart
    chart, late = _root("chart", chart_width, height, title, desc, key)
    _draw_chart(
        chart,
        late,
        rows,
        heights,
        bands,
        start,
        end,
        x,
        chart_width,
        top,
        body,
        today,
        month_label=month_label,
        today_label=today_label,
        legend=legend,
        overdue_label=overdue_label,
        empty_label=empty_label,
    )

    # ---- both in one picture (the PDF)
    full, full_late = _root("full", label_width + chart_width, height, title, desc, key)
    for child in list(labels)[3:]:  # past title, desc and defs
        full.append(child)
    moved = _el(full, "g", transform=f"translate({_n(label_width)},0)")
    _draw_chart(
        moved,
        full_late,
        rows,
        heights,
        bands,
        start,
        end,
        x,
        chart_width,
        top,
        body,
        today,
        month_label=month_label,
        today_label=today_label,
        legend=legend,
        overdue_label=overdue_label,
        empty_label=empty_label,
    )

    return Timeline(
        labels=_serialise(labels),
        chart=_serialise(chart),
        full=_serialise(full),
        width=chart_width,
        height=height,
        start=start,
        end=end,
        rows=[(kind, text) for kind, text, _bar in rows],
    )


def _draw_chart(
    parent,
    late,
    rows,
    heights,
    bands,
    start,
    end,
    x,
    chart_width,
    top,
    body,
    today,
    *,
    month_label,
    today_label,
    legend,
    overdue_label,
    empty_label,
):
    # phases band
    if bands:
        for index, band in enumerate(bands):
            left, right = x(band.start), x(band.end + datetime.timedelta(days=1))
            group = _el(parent, "g")
            _el(group, "title").text = _clean(band.label)
            _el(
                group,
                "rect",
                x=_n(left),
                y="2",
                width=_n(max(right - left, 1)),
                height=_n(PHASES - 6),
                fill=PHASE_FILLS[index % 2],
                stroke=PHASE_STROKE,
                stroke_width="1",
            )
            _text(group, left + 4, PHASES - 9, fit(band.label, right - left - 8, 10), size=10)
    # month axis and grid
    axis_y = (PHASES if bands else 0) + AXIS - 7
    months = _month_starts(start, end - datetime.timedelta(days=1))
    month_width = chart_width / max(len(months), 1)
    for month in months:
        left = x(month)
        _el(
            parent,
            "line",
            x1=_n(left),
            y1=_n(top - AXIS + 2),
            x2=_n(left),
            y2=_n(top + body),
            stroke=GRID,
            stroke_width="1",
        )
        with_year = month == months[0] or month.month == 1
        _text(
            parent,
            left + 3,
            axis_y,
            fit(month_label(month, with_year), month_width - 4, 10),
            size=10,
            fill=TEXT_MUTED,
        )
    _el(
        parent,
        "line",
        x1="0",
        y1=_n(top),
        x2=_n(chart_width),
        y2=_n(top),
        stroke=GRID,
        stroke_width="1",
    )
    # rows
    y = top
    for (kind, _label, bar), h in zip(rows, heights, strict=True):
        if kind == "group":
            _el(
                parent,
                "rect",
                x="0",
                y=_n(y),
                width=_n(chart_width),
                height=_n(h),
                fill=GROUP_SHADE,
            )
        else:
            _draw_bar(parent, late, bar, y + (h - BAR) / 2, x, today, overdue_label)
        y += h
    if not rows and empty_label:
        _text(parent, 8, top + ROW - 9, empty_label, size=11, fill=TEXT_MUTED)
    # today
    now = x(today)
    _el(
        parent,
        "line",
        x1=_n(now),
        y1=_n(top - AXIS + 2),
        x2=_n(now),
        y2=_n(top + body),
        stroke=TODAY,
        stroke_width="2",
        stroke_dasharray="4 3",
    )
    anchor = "end" if now > chart_width - 60 else "start"
    _text(
        parent,
        now + (-4 if anchor == "end" else 4),
        top + body + 13,
        today_label,
        size=10,
        fill=TODAY,
        anchor=anchor,
        weight="bold",
    )
    # legend
    lx, ly = 4.0, top + body + 18
    for status, name in [*legend.items(), ("overdue", overdue_label)]:
        fill = late if status == "overdue" else COLOURS.get(status, COLOURS["planned"])
        _el(
            parent,
            "rect",
            x=_n(lx),
            y=_n(ly),
            width="14",
            height="9",
            fill=fill,
            stroke=OVERDUE if status == "overdue" else "none",
            stroke_width="1",
        )
        _text(parent, lx + 18, ly + 8.5, name, size=10, fill=TEXT_MUTED)
        lx += 26 + _width(name, 10)
        if lx > chart_width - 60:
            break


def _draw_bar(parent, late, bar, y, x, today, overdue_label):
    left = x(bar.start)
    right = x(bar.end + datetime.timedelta(days=1))
    group = _el(parent, "g")
    tooltip = " · ".join(
        t for t in (bar.label, bar.detail, overdue_label if bar.overdue else "") if t
    )
    _el(group, "title").text = _clean(tooltip)
    fill = OVERDUE if bar.overdue else COLOURS.get(bar.status, COLOURS["planned"])
    attrs = {
        "x": _n(left),
        "y": _n(y),
        "width": _n(max(right - left, 3)),
        "height": _n(BAR),
        "rx": "2",
        "fill": fill,
    }
    if bar.status == "cancelled":
        attrs.update({"stroke": TEXT_MUTED, "stroke-dasharray": "3 2", "fill-opacity": "0.6"})
    ET.SubElement(group, "rect", attrs)
    if bar.overdue and today > bar.end:
        # the lateness itself: hatched from the due date to today
        late_left = right
        late_right = x(today)
        if late_right > late_left:
            _el(
                group,
                "rect",
                x=_n(late_left),
                y=_n(y + 2),
                width=_n(late_right - late_left),
                height=_n(BAR - 4),
                fill=late,
                stroke=OVERDUE,
                stroke_width="1",
            )
    if bar.status == "done" and bar.completed:
        cx = x(bar.completed)
        _el(
            group,
            "path",
            d=f"M{_n(cx - 4)} {_n(y + 7)} l3 4 l6 -8",
            fill="none",
            stroke="#ffffff" if left <= cx <= right else TEXT,
            stroke_width="2",
        )
