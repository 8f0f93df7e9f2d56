"""SVG charts of survey results: how the answers spread (bars of shares) and means with their 95 %
intervals (a dot and a whisker per row), for the results pages and their WeasyPrint PDF.

Pure Python (no Django), in the house style of ``mreza/assessment/charts.py``: plain SVG 1.1 with
presentation attributes only (no CSS, scripts or ``foreignObject``), ``DejaVu Sans`` named on every
text, explicit fills and strokes, deterministic output, everything XML-escaped. Each chart is an
accessible image (``role="img"`` labelled by its ``<title>``, described by its ``<desc>``) and
every row has a ``<title>`` with its numbers. A compared wave is drawn in a second colour *and* a
second shape (a dashed marker, a hollow diamond), so colour is never the only difference.

Callers pass translated texts and the formatting of numbers (``value_text``, ``value_format``).
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["distribution_svg", "means_svg"]

FONT = "DejaVu Sans, sans-serif"
COLOUR = "#0072b2"  # Okabe–Ito blue, 5.2:1 on white
COLOUR_OTHER = "#d55e00"  # Okabe–Ito vermilion: graphics only
TEXT = "#1a1a1a"
TEXT_MUTED = "#595959"
GRID = "#c8c8c8"
GRID_STRONG = "#767676"
ROW_SHADE = "#f2f5f8"
DASH = "4 3"
ROW_HEIGHT = 28
LABEL_SIZE = 12

_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NARROW = set(" .,:;!|'`()[]/-ijlftrI1ј")
_WIDE = set("mwMWŠŽĆČĐШЖЩЮМДФЫшщжюф@%")


def _n(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _clean(text: Any) -> str:
    return _NOT_XML_RE.sub("", str(text))


def _width(text: str, size: float) -> float:
    """Rough width of *text* in DejaVu Sans at *size* (a little generous)."""
    total = 0.0
    for char in text:
        if char in _NARROW:
            total += 0.36
        elif char in _WIDE:
            total += 0.9
        elif char.isupper() or char.isdigit():
            total += 0.72
        else:
            total += 0.62
    return total * size


def _truncate(text: str, room: float, size: float = LABEL_SIZE) -> str:
    text = " ".join(str(text).split())
    while _width(text, size) > room and len(text) > 1:
        text = text[:-2].rstrip() + "…"
    return text


def _root(kind: str, width: float, height: float, title: str, desc: str, key: Any) -> ET.Element:
    digest = hashlib.sha1(
        repr((kind, title, desc, width, key)).encode("utf-8"), usedforsecurity=False
    ).hexdigest()[:10]
    chart_id = f"{kind}-{digest}"
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "version": "1.1",
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title",
            "aria-describedby": f"{chart_id}-desc",
            "class": f"chart chart-{kind}",
        },
    )
    ET.SubElement(root, "title", {"id": f"{chart_id}-title"}).text = _clean(title)
    ET.SubElement(root, "desc", {"id": f"{chart_id}-desc"}).text = _clean(desc)
    return root


def _text(parent, x, y, content, *, size=11.0, fill=TEXT, anchor="start", weight=None):
    attrs = {"x": _n(x), "y": _n(y), "font-family": FONT, "font-size": _n(size), "fill": fill}
    if anchor != "start":
        attrs["text-anchor"] = anchor
    if weight:
        attrs["font-weight"] = weight
    ET.SubElement(parent, "text", attrs).text = _clean(content)


def _line(parent, x1, y1, x2, y2, stroke, width="1", dash=None):
    attrs = {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2), "stroke": stroke}
    attrs["stroke-width"] = width
    if dash:
        attrs["stroke-dasharray"] = dash
    ET.SubElement(parent, "line", attrs)


def _shades(root, rows: int, top: float, width: float) -> None:
    group = ET.SubElement(root, "g", {"fill": ROW_SHADE, "stroke": "none", "aria-hidden": "true"})
    for i in range(0, rows, 2):
        ET.SubElement(
            group,
            "rect",
            {"x": "0", "y": _n(top + i * ROW_HEIGHT), "width": _n(width), "height": "28"},
        )


def _legend(root, x: float, y: float, labels: Sequence[str], *, bars: bool) -> None:
    """The two series: a filled swatch (or dot) for the wave shown, the dashed marker (or hollow
    diamond) for the compared one."""
    group = ET.SubElement(root, "g", {"aria-hidden": "true"})
    if bars:
        ET.SubElement(
            group,
            "rect",
            {"x": _n(x), "y": _n(y - 9), "width": "18", "height": "10", "fill": COLOUR},
        )
    else:
        _dot(group, x + 9, y - 4)
    _text(group, x + 24, y, labels[0])
    second = x + 24 + _width(str(labels[0]), 11) + 20
    if bars:
        _line(group, second + 9, y - 11, second + 9, y + 2, COLOUR_OTHER, "3", DASH)
    else:
        _diamond(group, second + 9, y - 4)
    _text(group, second + 24, y, labels[1])


def _dot(parent, x: float, y: float) -> None:
    ET.SubElement(
        parent,
        "circle",
        {"cx": _n(x), "cy": _n(y), "r": "5", "fill": COLOUR, "stroke": "#ffffff"},
    )


def _diamond(parent, x: float, y: float) -> None:
    points = f"{_n(x)},{_n(y - 6)} {_n(x + 6)},{_n(y)} {_n(x)},{_n(y + 6)} {_n(x - 6)},{_n(y)}"
    ET.SubElement(
        parent,
        "polygon",
        {"points": points, "fill": "#ffffff", "stroke": COLOUR_OTHER, "stroke-width": "2"},
    )


def _serialise(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _share(value: float | None) -> float:
    return 0.0 if value is None else min(max(float(value), 0.0), 1.0)


def _default_text(count: int, share: float | None) -> str:
    return f"{count}" if share is None else f"{count} ({round(share * 100)} %)"


def distribution_svg(
    bars: Sequence[tuple[str, int, float | None]],
    *,
    title: str,
    desc: str,
    previous: Sequence[float | None] | None = None,
    intervals: Sequence[tuple[float | None, float | None]] | None = None,
    series_labels: Sequence[str] = ("", ""),
    value_text: Callable[[int, float | None], str] = _default_text,
    share_format: Callable[[float], str] = lambda share: f"{round(share * 100)} %",
    width: int = 640,
) -> str:
    """Horizontal bars, one per ``(label, count, share)`` (share 0..1, None when there is no
    base). The bar is the share; its end says ``value_text(count, share)``. *intervals* (share
    bounds) draw a thin whisker on each bar; *previous* shares a dashed marker."""
    bars = [(str(label), int(count), share) for label, count, share in bars]
    for extra in (previous, intervals):
        if extra is not None and len(extra) != len(bars):
            raise ValueError("previous and intervals need one value per bar")
    plot_x = min(max(width * 0.36, 150), width - 220)
    plot_w = width - plot_x - 110
    top = 20 + (26 if previous is not None else 0)
    bottom = top + ROW_HEIGHT * len(bars)
    height = bottom + 22
    root = _root("distribution", width, height, title, desc, (bars, previous, intervals))
    if previous is not None:
        _legend(root, plot_x, 16, series_labels, bars=True)
    _shades(root, len(bars), top, width)
    grid = ET.SubElement(root, "g", {"aria-hidden": "true"})
    for k in range(5):
        x = plot_x + plot_w * k / 4
        _line(grid, x, top - 3, x, bottom + 3, GRID_STRONG if k == 0 else GRID)
        _text(grid, x, bottom + 16, share_format(k / 4), size=10, fill=TEXT_MUTED, anchor="middle")
    for i, (label, count, share) in enumerate(bars):
        row_top = top + i * ROW_HEIGHT
        mid = row_top + ROW_HEIGHT / 2
        row = ET.SubElement(root, "g", {"class": "bar-row"})
        info = f"{label}: {value_text(count, share)}"
        before = previous[i] if previous is not None else None
        if previous is not None:
            shown = "—" if before is None else share_format(before)
            info += f"; {series_labels[1]}: {shown}"
        ET.SubElement(row, "title").text = _clean(info)
        _text(row, 6, mid + 4, _truncate(label, plot_x - 14), size=LABEL_SIZE)
        end = plot_x + plot_w * _share(share)
        if end > plot_x:
            ET.SubElement(
                row,
                "rect",
                {
                    "x": _n(plot_x),
                    "y": _n(mid - 8),
                    "width": _n(end - plot_x),
                    "height": "16",
                    "fill": COLOUR,
                },
            )
        low, high = intervals[i] if intervals is not None else (None, None)
        if low is not None and high is not None:
            x1, x2 = plot_x + plot_w * _share(low), plot_x + plot_w * _share(high)
            _line(row, x1, mid, x2, mid, TEXT, "1.5")
            _line(row, x1, mid - 4, x1, mid + 4, TEXT, "1.5")
            _line(row, x2, mid - 4, x2, mid + 4, TEXT, "1.5")
        text_x = max(end, plot_x + plot_w * _share(high) if high is not None else end) + 6
        shown = value_text(count, share)
        if before is not None:
            px = plot_x + plot_w * _share(before)
            _line(row, px, row_top + 3, px, row_top + ROW_HEIGHT - 3, COLOUR_OTHER, "3", DASH)
            # keep the value beside its bar, but step over the marker it would cover
            if text_x - 4 <= px <= text_x + _width(shown, LABEL_SIZE) + 2:
                text_x = px + 6
        _text(row, text_x, mid + 4, shown, size=LABEL_SIZE, weight="bold")
    return _serialise(root)


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    if span <= 10 and float(low).is_integer() and float(high).is_integer():
        return [low + k for k in range(int(span) + 1)]
    return [low + span * k / 4 for k in range(5)]


Row = tuple[str, float | None, float | None, float | None]


def means_svg(
    rows: Sequence[Row],
    *,
    low: float,
    high: float,
    title: str,
    desc: str,
    previous: Sequence[Row] | None = None,
    series_labels: Sequence[str] = ("", ""),
    value_format: Callable[[float], str] = lambda value: f"{value:.1f}",
    width: int = 640,
) -> str:
    """One row per ``(label, mean, ci_low, ci_high)`` on an axis from *low* to *high*: a dot at
    the mean and a whisker over the 95 % interval; *previous* rows (same order) as a hollow
    diamond with a dashed whisker just below. A None mean shows "—"."""
    if high <= low:
        raise ValueError("high must be above low")
    rows = [(str(r[0]), *r[1:]) for r in rows]
    if previous is not None and len(previous) != len(rows):
        raise ValueError("previous needs one row per row")
    plot_x = min(max(width * 0.36, 150), width - 220)
    plot_w = width - plot_x - 70
    top = 20 + (26 if previous is not None else 0)
    bottom = top + ROW_HEIGHT * len(rows)
    root = _root("means", width, bottom + 22, title, desc, (rows, previous, low, high))
    if previous is not None:
        _legend(root, plot_x, 16, series_labels, bars=False)
    _shades(root, len(rows), top, width)

    def x_of(value: float) -> float:
        return plot_x + plot_w * min(max((value - low) / (high - low), 0.0), 1.0)

    grid = ET.SubElement(root, "g", {"aria-hidden": "true"})
    for tick in _ticks(low, high):
        x = x_of(tick)
        _line(grid, x, top - 3, x, bottom + 3, GRID)
        _text(grid, x, bottom + 16, value_format(tick), size=10, fill=TEXT_MUTED, anchor="middle")
    for i, (label, mean, ci_low, ci_high) in enumerate(rows):
        mid = top + i * ROW_HEIGHT + ROW_HEIGHT / 2
        row = ET.SubElement(root, "g", {"class": "mean-row"})
        info = f"{label}: {_interval_text(mean, ci_low, ci_high, value_format)}"
        if previous is not None:
            info += f"; {series_labels[1]}: {_interval_text(*previous[i][1:], value_format)}"
        ET.SubElement(row, "title").text = _clean(info)
        if previous is not None:
            _, p_mean, p_low, p_high = previous[i]
            if p_low is not None and p_high is not None:
                _line(row, x_of(p_low), mid + 7, x_of(p_high), mid + 7, COLOUR_OTHER, "2", DASH)
            if p_mean is not None:
                _diamond(row, x_of(p_mean), mid + 7)
        _text(row, 6, mid + 4, _truncate(label, plot_x - 14), size=LABEL_SIZE)
        shift = -3 if previous is not None else 0
        if ci_low is not None and ci_high is not None:
            _line(row, x_of(ci_low), mid + shift, x_of(ci_high), mid + shift, COLOUR, "2.5")
        if mean is not None:
            _dot(row, x_of(mean), mid + shift)
        shown = "—" if mean is None else value_format(mean)
        _text(row, plot_x + plot_w + 16, mid + 4, shown, size=LABEL_SIZE, weight="bold")
    return _serialise(root)


def _interval_text(mean, ci_low, ci_high, value_format) -> str:
    if mean is None:
        return "—"
    if ci_low is None or ci_high is None:
        return value_format(mean)
    return f"{value_format(mean)} [{value_format(ci_low)} – {value_format(ci_high)}]"
