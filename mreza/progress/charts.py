"""Server-side SVG charts of step 3: an indicator over time, share bars, the phases of a workspace.

Pure Python (no Django), like ``assessment/charts.py``: plain SVG 1.1 with presentation attributes
only (no CSS, no scripts), so browsers and WeasyPrint draw it the same way and the page needs no
unsafe-inline. Every chart is an accessible image (``role="img"``, ``<title>``, ``<desc>``) and
every point, bar and phase carries a ``<title>`` with its value. Callers pass translated texts and
the functions that format dates and numbers in the reader's locale.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Phase", "Series", "line_svg", "share_bars_svg", "share_of_target", "timeline_svg"]

FONT = "DejaVu Sans, sans-serif"
# Okabe–Ito colour-blind-safe palette; series also differ by marker shape.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
MARKERS = ("circle", "square", "diamond", "triangle")
TEXT = "#1a1a1a"
TEXT_MUTED = "#595959"
GRID = "#c8c8c8"
TARGET = "#009e73"
BASELINE = "#767676"
TRACK = "#e6ebf0"
DONE = "#0072b2"
LATE = "#b42318"
TODAY = "#d55e00"
DASH = "6 4"

_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Series:
    """One line: a label (a member's name, or the network) and its (date, value) points."""

    label: str
    points: Sequence[tuple[datetime.date, float]]


@dataclass(frozen=True)
class Phase:
    label: str
    starts_on: datetime.date
    ends_on: datetime.date


def _n(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _clean(text: object) -> str:
    return _NOT_XML_RE.sub("", str(text))


def _plain_number(value: float) -> str:
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def _root(width: float, height: float, title: str, desc: str, key: str) -> ET.Element:
    ident = "c" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "width": _n(width),
            "height": _n(height),
            "role": "img",
            "aria-labelledby": f"{ident}-t {ident}-d",
            "class": "chart-svg",
        },
    )
    ET.SubElement(svg, "title", {"id": f"{ident}-t"}).text = _clean(title)
    ET.SubElement(svg, "desc", {"id": f"{ident}-d"}).text = _clean(desc)
    return svg


def _text(parent, x, y, content, *, size=12, anchor="start", fill=TEXT, weight=None):
    attrs = {
        "x": _n(x),
        "y": _n(y),
        "font-family": FONT,
        "font-size": str(size),
        "fill": fill,
        "text-anchor": anchor,
    }
    if weight:
        attrs["font-weight"] = weight
    ET.SubElement(parent, "text", attrs).text = _clean(content)


def _line(parent, x1, y1, x2, y2, colour, *, width=1.0, dash=None):
    attrs = {
        "x1": _n(x1),
        "y1": _n(y1),
        "x2": _n(x2),
        "y2": _n(y2),
        "stroke": colour,
        "stroke-width": _n(width),
    }
    if dash:
        attrs["stroke-dasharray"] = dash
    return ET.SubElement(parent, "line", attrs)


def _marker(parent, shape, x, y, colour):
    r = 4.0
    if shape == "circle":
        return ET.SubElement(
            parent, "circle", {"cx": _n(x), "cy": _n(y), "r": _n(r), "fill": colour}
        )
    if shape == "square":
        return ET.SubElement(
            parent,
            "rect",
            {
                "x": _n(x - r),
                "y": _n(y - r),
                "width": _n(2 * r),
                "height": _n(2 * r),
                "fill": colour,
            },
        )
    if shape == "diamond":
        points = (
            f"{_n(x)},{_n(y - r - 1)} {_n(x + r + 1)},{_n(y)} "
            f"{_n(x)},{_n(y + r + 1)} {_n(x - r - 1)},{_n(y)}"
        )
    else:
        points = f"{_n(x)},{_n(y - r - 1)} {_n(x + r + 1)},{_n(y + r)} {_n(x - r - 1)},{_n(y + r)}"
    return ET.SubElement(parent, "polygon", {"points": points, "fill": colour})


def _nice_range(low: float, high: float) -> tuple[float, float]:
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad


def share_of_target(baseline: float, target: float, value: float | None) -> float | None:
    """How far `value` has come from the baseline toward the target: 0 at the baseline, 1 at the
    target (kept within 0..1; a value past the target counts as reached). Works for both
    directions, since a falling indicator has its target below its baseline."""
    if value is None or target == baseline:
        return None
    share = (float(value) - float(baseline)) / (float(target) - float(baseline))
    return max(0.0, min(1.0, share))


def line_svg(
    series: Sequence[Series],
    *,
    baseline: float,
    target: float,
    title: str,
    desc: str,
    baseline_label: str,
    target_label: str,
    date_format: Callable[[datetime.date], str] = datetime.date.isoformat,
    value_format: Callable[[float], str] = _plain_number,
    width: int = 640,
    height: int = 260,
) -> str:
    """An indicator over time: one line per series, the baseline and the target as dashed lines."""
    left, right, top, bottom = 64.0, 16.0, 16.0, 40.0
    legend_rows = (len(series) + 2) // 3 if len(series) > 1 else 0
    height += legend_rows * 18
    svg = _root(width, height, title, desc, f"line|{title}|{len(series)}")
    plot_w, plot_h = width - left - right, height - top - bottom - legend_rows * 18
    dates = [d for s in series for d, _v in s.points]
    values = [float(v) for s in series for _d, v in s.points] + [float(baseline), float(target)]
    low, high = _nice_range(min(values), max(values))
    first = min(dates) if dates else datetime.date(2000, 1, 1)
    last = max(dates) if dates else first
    span = max((last - first).days, 1)

    def x_of(day: datetime.date) -> float:
        if last == first:
            return left + plot_w / 2
        return left + (day - first).days / span * plot_w

    def y_of(value: float) -> float:
        return top + (high - float(value)) / (high - low) * plot_h

    for i in range(5):  # horizontal grid with values
        value = low + (high - low) * i / 4
        y = y_of(value)
        _line(svg, left, y, left + plot_w, y, GRID)
        _text(svg, left - 6, y + 4, value_format(value), size=11, anchor="end", fill=TEXT_MUTED)
    _line(svg, left, top + plot_h, left + plot_w, top + plot_h, BASELINE)
    if dates:
        _text(svg, left, top + plot_h + 18, date_format(first), size=11, fill=TEXT_MUTED)
        if last != first:
            _text(
                svg,
                left + plot_w,
                top + plot_h + 18,
                date_format(last),
                size=11,
                anchor="end",
                fill=TEXT_MUTED,
            )
    for value, colour, label in (
        (baseline, BASELINE, baseline_label),
        (target, TARGET, target_label),
    ):
        y = y_of(value)
        group = ET.SubElement(svg, "g")
        ET.SubElement(group, "title").text = _clean(f"{label}: {value_format(float(value))}")
        _line(group, left, y, left + plot_w, y, colour, width=1.5, dash=DASH)
        _text(group, left + plot_w - 2, y - 4, label, size=11, anchor="end", fill=TEXT_MUTED)
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        shape = MARKERS[index % len(MARKERS)]
        points = sorted(one.points)
        group = ET.SubElement(svg, "g")
        ET.SubElement(group, "title").text = _clean(one.label)
        if len(points) > 1:
            ET.SubElement(
                group,
                "polyline",
                {
                    "points": " ".join(f"{_n(x_of(d))},{_n(y_of(v))}" for d, v in points),
                    "fill": "none",
                    "stroke": colour,
                    "stroke-width": "2",
                },
            )
        for day, value in points:
            dot = _marker(group, shape, x_of(day), y_of(value), colour)
            ET.SubElement(dot, "title").text = _clean(
                f"{one.label}: {date_format(day)} — {value_format(float(value))}"
            )
    if legend_rows:
        y0 = top + plot_h + 36
        for index, one in enumerate(series):
            x = left + (index % 3) * (plot_w / 3)
            y = y0 + (index // 3) * 18
            _marker(svg, MARKERS[index % len(MARKERS)], x + 4, y - 4, PALETTE[index % len(PALETTE)])
            _text(svg, x + 14, y, one.label[:28], size=11)
    return ET.tostring(svg, encoding="unicode")


def share_bars_svg(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    desc: str,
    empty_text: str = "—",
    width: int = 640,
    label_width: int = 200,
    late: Sequence[bool] = (),
) -> str:
    """Horizontal bars of shares (0..1), one per row: (label, share or None, the value as text).
    Rows flagged in `late` are drawn in the warning colour (and say so in their text)."""
    row_h, top = 28.0, 6.0
    height = top * 2 + row_h * max(len(rows), 1)
    svg = _root(width, height, title, desc, f"bars|{title}|{len(rows)}")
    track_x, track_w = float(label_width), width - label_width - 70.0
    for index, (label, share, text) in enumerate(rows):
        y = top + index * row_h
        group = ET.SubElement(svg, "g")
        ET.SubElement(group, "title").text = _clean(
            f"{label}: {text if share is not None else empty_text}"
        )
        short = label if len(label) <= 30 else label[:29] + "…"
        _text(group, track_x - 8, y + 18, short, size=12, anchor="end")
        ET.SubElement(
            group,
            "rect",
            {
                "x": _n(track_x),
                "y": _n(y + 6),
                "width": _n(track_w),
                "height": "16",
                "rx": "3",
                "fill": TRACK,
            },
        )
        if share is not None:
            colour = LATE if index < len(late) and late[index] else DONE
            ET.SubElement(
                group,
                "rect",
                {
                    "x": _n(track_x),
                    "y": _n(y + 6),
                    "width": _n(track_w * max(0.0, min(1.0, share))),
                    "height": "16",
                    "rx": "3",
                    "fill": colour,
                },
            )
        _text(group, track_x + track_w + 8, y + 18, text if share is not None else empty_text)
    return ET.tostring(svg, encoding="unicode")


def timeline_svg(
    phases: Sequence[Phase],
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    today: datetime.date,
    title: str,
    desc: str,
    today_label: str,
    date_format: Callable[[datetime.date], str] = datetime.date.isoformat,
    width: int = 640,
) -> str:
    """The phases of a workspace as bars on one time axis from `starts_on` to `ends_on`, with a
    line at today when today is inside. Phases that are over are drawn muted."""
    left, right, row_h, top = 8.0, 8.0, 30.0, 24.0
    height = top + row_h * max(len(phases), 1) + 26
    svg = _root(width, height, title, desc, f"timeline|{title}|{len(phases)}")
    span = max((ends_on - starts_on).days, 1)
    plot_w = width - left - right

    def x_of(day: datetime.date) -> float:
        days = min(max((day - starts_on).days, 0), span)
        return left + days / span * plot_w

    _text(svg, left, 14, date_format(starts_on), size=11, fill=TEXT_MUTED)
    _text(svg, left + plot_w, 14, date_format(ends_on), size=11, anchor="end", fill=TEXT_MUTED)
    labels = []
    for index, phase in enumerate(phases):
        y = top + index * row_h
        x1, x2 = x_of(phase.starts_on), x_of(phase.ends_on)
        over = phase.ends_on < today
        group = ET.SubElement(svg, "g")
        ET.SubElement(group, "title").text = _clean(
            f"{phase.label}: {date_format(phase.starts_on)} – {date_format(phase.ends_on)}"
        )
        ET.SubElement(
            group,
            "rect",
            {
                "x": _n(left),
                "y": _n(y),
                "width": _n(plot_w),
                "height": _n(row_h - 6),
                "fill": TRACK,
            },
        )
        ET.SubElement(
            group,
            "rect",
            {
                "x": _n(x1),
                "y": _n(y),
                "width": _n(max(x2 - x1, 3)),
                "height": _n(row_h - 6),
                "rx": "3",
                "fill": BASELINE if over else DONE,
            },
        )
        # the label sits inside the bar when it fits, else after it, else before it
        wide = 7.0 * len(phase.label)
        if x2 - x1 > wide + 12:
            x, anchor, colour = x1 + 6, "start", "#ffffff"
        elif x2 + 6 + wide <= left + plot_w:
            x, anchor, colour = x2 + 6, "start", TEXT
        elif x1 - 6 - wide >= left:
            x, anchor, colour = x1 - 6, "end", TEXT
        else:
            x, anchor, colour = left + 4, "start", TEXT
        labels.append((x, y + 17, phase.label, colour, anchor))
    if starts_on <= today <= ends_on:
        x = x_of(today)
        bottom = top + row_h * max(len(phases), 1)
        group = ET.SubElement(svg, "g")
        ET.SubElement(group, "title").text = _clean(f"{today_label}: {date_format(today)}")
        _line(group, x, top - 4, x, bottom, TODAY, width=2)
        _text(group, x, bottom + 16, today_label, size=11, anchor="middle", fill=TEXT)
    # the labels last, so the line at today never crosses a phase's name
    for x, y, label, colour, anchor in labels:
        _text(svg, x, y, label, size=12, fill=colour, anchor=anchor)
    return ET.tostring(svg, encoding="unicode")
