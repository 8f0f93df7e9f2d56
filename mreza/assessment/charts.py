"""Server-side SVG charts (radar and horizontal bars) for HTML pages and WeasyPrint PDFs.

Pure Python (no Django).  The output is plain SVG 1.1 that both browsers and
WeasyPrint draw the same way: presentation attributes only (no CSS, no
``<style>``, no ``foreignObject``, no scripts), fonts named with
``font-family="DejaVu Sans, sans-serif"`` on every text, and explicit ``fill``
and ``stroke``.  Output is deterministic (element ids come from a hash of the
input), all text is XML-escaped, and every chart is an accessible image: root
``<svg role="img">`` labelled by its ``<title>`` and described by its ``<desc>``;
every axis or row also has a ``<title>`` with its values.

Callers pass already translated texts (``title``, ``desc``, labels and
``series_labels``).  Numbers are shown with one decimal at most, or with
``value_format`` (e.g. Django's ``number_format``) if given.
"""

from __future__ import annotations

import hashlib
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "BAR_PREVIOUS",
    "COLOUR_CURRENT",
    "COLOUR_PREVIOUS",
    "bar_svg",
    "gettext_noop",
    "radar_svg",
    "wrap_label",
]


def gettext_noop(message: str) -> str:
    """Mark *message* for translation without translating it (the Django layer translates)."""
    return message


#: Default series names; callers should pass translated ``series_labels``.
SERIES_LABELS = (gettext_noop("Current"), gettext_noop("Previous"))

FONT = "DejaVu Sans, sans-serif"
# Okabe–Ito colour-blind-safe palette.  The previous series is also dashed /
# drawn with other marker shapes, so colour is never the only difference.
COLOUR_CURRENT = "#0072b2"  # 5.2:1 on white: fine for text too
COLOUR_PREVIOUS = "#d55e00"  # 3.9:1: graphics only, never normal-size text
TEXT_PREVIOUS = "#a84800"  # darker orange for text: 5.8:1 on white
TEXT = "#1a1a1a"  # 17:1
TEXT_MUTED = "#595959"  # 7:1 (6.4:1 on the row shade)
GRID = "#c8c8c8"
GRID_STRONG = "#767676"
ROW_SHADE = "#f2f5f8"
BAR_PREVIOUS = COLOUR_PREVIOUS
CURRENT_FILL_OPACITY = "0.18"
DASH = "6 4"


# --------------------------------------------------------------------------- helpers


def _n(x: float) -> str:
    """Compact number for attributes (2 decimals max, no ``-0``)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: Any) -> str:
    """*text* as a string without the characters XML 1.0 cannot hold (escaping is ElementTree's
    job)."""
    return _NOT_XML_RE.sub("", str(text))


def _default_format(value: float) -> str:
    rounded = round(float(value), 1)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.1f}"


_NARROW = set(" .,:;!|'`()[]/-ijlftrI1ј")
_WIDE = set("mwMWŠŽĆČĐШЖЩЮМДФЫmшщжюф@%")


def _text_width(text: str, size: float) -> float:
    """Rough width of *text* in DejaVu Sans at *size* (a little generous)."""
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 0.36
        elif char in _WIDE:
            width += 0.9
        elif char.isupper() or char.isdigit():
            width += 0.72
        else:
            width += 0.62
    return width * size


def _chart_id(kind: str, *parts: Any) -> str:
    digest = hashlib.sha1(repr((kind, *parts)).encode("utf-8"), usedforsecurity=False).hexdigest()[
        :10
    ]
    return f"{kind}-{digest}"


def _root(
    kind: str, width: float, height: float, title: str, desc: str, key: tuple, min_x: float = 0
) -> ET.Element:
    chart_id = _chart_id(kind, title, desc, width, height, *key)
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "version": "1.1",
            "viewBox": f"{_n(min_x)} 0 {_n(width)} {_n(height)}",
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


def _text(
    parent: ET.Element,
    x: float,
    y: float,
    content: str,
    *,
    size: float = 11,
    fill: str = TEXT,
    anchor: str = "start",
    weight: str | None = None,
) -> ET.Element:
    attrs = {
        "x": _n(x),
        "y": _n(y),
        "font-family": FONT,
        "font-size": _n(size),
        "fill": fill,
    }
    if anchor != "start":
        attrs["text-anchor"] = anchor
    if weight:
        attrs["font-weight"] = weight
    el = ET.SubElement(parent, "text", attrs)
    el.text = _clean(content)
    return el


def _halo_text(parent: ET.Element, x: float, y: float, content: str, **kwargs: Any) -> None:
    """Text with a white outline underneath, readable on top of lines and fills."""
    halo = _text(parent, x, y, content, **{**kwargs, "fill": "#ffffff"})
    halo.set("stroke", "#ffffff")
    halo.set("stroke-width", "3")
    halo.set("stroke-linejoin", "round")
    halo.set("aria-hidden", "true")
    _text(parent, x, y, content, **kwargs)


def _serialise(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _check_previous(items: Sequence, previous: Sequence | None) -> list | None:
    if previous is None:
        return None
    previous = list(previous)
    if len(previous) != len(items):
        raise ValueError(f"previous has {len(previous)} values for {len(items)} items")
    return previous


def _clamp_share(value: float | None, max_value: float) -> float:
    if value is None:
        return 0.0
    return min(max(float(value) / max_value, 0.0), 1.0)


_SPLIT_AFTER_RE = re.compile(r"[^/\-–]+[/\-–]*|[/\-–]+")


def wrap_label(text: str, width: int = 14, max_lines: int = 4) -> list[str]:
    """Break *text* into lines of about *width* characters (at spaces, ``/`` and ``-``).

    Words longer than a line are cut; text beyond *max_lines* ends with ``…``.
    """
    pieces: list[tuple[str, str]] = []  # (joiner before the piece, piece)
    for word in str(text).split():
        joiner = " "
        for part in _SPLIT_AFTER_RE.findall(word):
            while len(part) > width:
                pieces.append((joiner, part[:width]))
                part, joiner = part[width:], ""
            pieces.append((joiner, part))
            joiner = ""
    lines: list[str] = []
    current = ""
    for joiner, piece in pieces:
        if not current:
            current = piece
        elif len(current) + len(joiner) + len(piece) <= width:
            current += joiner + piece
        else:
            lines.append(current)
            current = piece
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1] if len(last) >= width else last).rstrip() + "…"
    return lines


# --------------------------------------------------------------------------- radar


def _separate_labels(boxes: list[list]) -> None:
    """Move radar labels that would overlap away from the chart (up at the top, down at the bottom).

    Each quarter is walked from the horizontal axis towards the vertical one, and
    a label is pushed outwards just past every earlier label it would touch.
    A centred label (on the vertical axis) belongs to both quarters beside it.
    """
    room = 2.0
    for sides in (("start", "middle"), ("end", "middle")):
        for lower in (False, True):
            chosen = [b for b in boxes if b[5] in sides and (b[4] >= 0) == lower]
            chosen.sort(key=lambda b: abs(b[4]))
            for k, box in enumerate(chosen):
                for earlier in chosen[:k]:
                    if box[0] >= earlier[1] or earlier[0] >= box[1]:
                        continue  # side by side
                    if lower and box[2] < earlier[3] + room:
                        shift = earlier[3] + room - box[2]
                    elif not lower and box[3] > earlier[2] - room:
                        shift = earlier[2] - room - box[3]
                    else:
                        continue
                    box[2] += shift
                    box[3] += shift


def radar_svg(
    axes: Sequence[tuple[str, float | None]],
    *,
    max_value: float = 100,
    previous: Sequence[float | None] | None = None,
    title: str,
    desc: str,
    size: int = 420,
    series_labels: Sequence[str] = SERIES_LABELS,
    ticks: Sequence[float] | None = None,
    value_format: Callable[[float], str] | None = None,
) -> str:
    """A radar (spider) chart with one axis per ``(label, value)``; 3 to about 15 axes.

    *previous* (same length as *axes*) is drawn as a dashed polygon with square
    markers, and a legend names both series.  ``None`` values are drawn at 0
    with a hollow marker and shown as "—".  Grid rings lie at *ticks* (default:
    each whole number for small scales such as 0–4, otherwise 20/40/60/80/100 %
    of *max_value*).  *size* is the width of the drawing in SVG units.
    """
    axes = [(str(label), value) for label, value in axes]
    n = len(axes)
    if n < 3:
        raise ValueError("a radar chart needs at least 3 axes")
    if max_value <= 0:
        raise ValueError("max_value must be positive")
    previous = _check_previous(axes, previous)
    fmt = value_format or _default_format
    if ticks is None:
        if float(max_value).is_integer() and max_value <= 10:
            ticks = list(range(1, int(max_value) + 1))
        else:
            ticks = [max_value * k / 5 for k in range(1, 6)]

    label_size, line_height, gap = 10.5, 12.5, 12
    wrap = 14
    label_room = wrap * label_size * 0.58 + gap + 6
    radius = max(size / 2 - label_room, size * 0.2)
    cx = size / 2

    def angle(i: int) -> float:
        return -math.pi / 2 + 2 * math.pi * i / n

    # Lay the labels out first (relative to cy = 0) to know the extent of the drawing.
    boxes = []  # [x0, x1, y0, y1, sin, anchor, lines, lx] per axis
    for i, (label, _value) in enumerate(axes):
        lines = wrap_label(label, wrap)
        a = angle(i)
        cos, sin = math.cos(a), math.sin(a)
        lx, ly = cx + (radius + gap) * cos, (radius + gap) * sin
        # Only (nearly) vertical axes centre their label; others grow away from the chart,
        # so that neighbouring labels near the top and bottom do not run into each other.
        anchor = "middle" if abs(cos) < 0.05 else ("start" if cos > 0 else "end")
        count = len(lines) + 1  # + the value line
        block = count * line_height
        block_top = ly - block * (1 - sin) / 2
        text_w = max([_text_width(line, label_size) for line in lines] + [label_size * 4])
        x0 = {"start": lx, "end": lx - text_w, "middle": lx - text_w / 2}[anchor]
        boxes.append([x0, x0 + text_w, block_top, block_top + block, sin, anchor, lines, lx])
    _separate_labels(boxes)

    legend_height = 30 if previous is not None else 0
    pad = 8
    top = min([-radius] + [b[2] for b in boxes])
    bottom = max([radius] + [b[3] for b in boxes])
    min_x = min([0.0] + [b[0] - pad for b in boxes])
    view_w = max([float(size)] + [b[1] + pad for b in boxes]) - min_x
    cy = -top + pad
    height = cy + bottom + pad + legend_height
    layouts = [(b[6], b[7], b[2], b[5]) for b in boxes]

    key = (
        tuple(axes),
        max_value,
        tuple(previous) if previous else None,
        size,
        tuple(series_labels),
        tuple(ticks),
    )
    root = _root("radar", view_w, height, title, desc, key, min_x=min_x)

    def point(i: int, share: float) -> tuple[float, float]:
        a = angle(i)
        return cx + radius * share * math.cos(a), cy + radius * share * math.sin(a)

    def points(shares: Sequence[float]) -> str:
        return " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, s) for i, s in enumerate(shares)))

    grid = ET.SubElement(root, "g", {"fill": "none", "stroke": GRID, "stroke-width": "1"})
    for tick in ticks:
        share = _clamp_share(tick, max_value)
        ring = {"points": points([share] * n)}
        if share >= 1:
            ring.update({"stroke": GRID_STRONG})
        ET.SubElement(grid, "polygon", ring)
    for i in range(n):
        x, y = point(i, 1.0)
        ET.SubElement(grid, "line", {"x1": _n(cx), "y1": _n(cy), "x2": _n(x), "y2": _n(y)})

    current_shares = [_clamp_share(v, max_value) for _label, v in axes]
    if previous is not None:
        ET.SubElement(
            root,
            "polygon",
            {
                "points": points([_clamp_share(v, max_value) for v in previous]),
                "fill": "none",
                "stroke": COLOUR_PREVIOUS,
                "stroke-width": "2",
                "stroke-dasharray": DASH,
                "stroke-linejoin": "round",
            },
        )
    ET.SubElement(
        root,
        "polygon",
        {
            "points": points(current_shares),
            "fill": COLOUR_CURRENT,
            "fill-opacity": CURRENT_FILL_OPACITY,
            "stroke": COLOUR_CURRENT,
            "stroke-width": "2.5",
            "stroke-linejoin": "round",
        },
    )

    # Tick labels sit on the rings half-way between the first two axes, away from the markers.
    ticks_group = ET.SubElement(root, "g", {"aria-hidden": "true"})
    half = math.pi / n
    for tick in ticks:
        r = radius * _clamp_share(tick, max_value) * math.cos(half)
        x, y = cx + r * math.cos(angle(0) + half), cy + r * math.sin(angle(0) + half)
        _halo_text(ticks_group, x, y + 3, fmt(tick), size=8.5, fill=TEXT_MUTED, anchor="middle")

    if previous is not None:
        for i, value in enumerate(previous):
            x, y = point(i, _clamp_share(value, max_value))
            attrs = {"x": _n(x - 3.5), "y": _n(y - 3.5), "width": "7", "height": "7"}
            if value is None:
                attrs.update({"fill": "#ffffff", "stroke": COLOUR_PREVIOUS, "stroke-width": "1.5"})
            else:
                attrs.update({"fill": COLOUR_PREVIOUS, "stroke": "#ffffff", "stroke-width": "1"})
            ET.SubElement(root, "rect", attrs)

    for i, ((label, value), (lines, lx, block_top, anchor)) in enumerate(
        zip(axes, layouts, strict=True)
    ):
        group = ET.SubElement(root, "g")
        shown = "—" if value is None else fmt(value)
        info = f"{label}: {series_labels[0]} {shown}"
        if previous is not None:
            before = "—" if previous[i] is None else fmt(previous[i])
            info += f", {series_labels[1]} {before}"
        ET.SubElement(group, "title").text = _clean(info)
        x, y = point(i, current_shares[i])
        if value is None:
            ET.SubElement(
                group,
                "circle",
                {
                    "cx": _n(x),
                    "cy": _n(y),
                    "r": "4",
                    "fill": "#ffffff",
                    "stroke": COLOUR_CURRENT,
                    "stroke-width": "2",
                },
            )
        else:
            ET.SubElement(
                group,
                "circle",
                {
                    "cx": _n(x),
                    "cy": _n(y),
                    "r": "4",
                    "fill": COLOUR_CURRENT,
                    "stroke": "#ffffff",
                    "stroke-width": "1",
                },
            )
        baseline = cy + block_top + label_size * 0.95
        for k, line in enumerate(lines):
            _text(group, lx, baseline + k * line_height, line, size=label_size, anchor=anchor)
        value_el = _text(
            group, lx, baseline + len(lines) * line_height, "", size=label_size, anchor=anchor
        )
        current_span = ET.SubElement(
            value_el, "tspan", {"fill": COLOUR_CURRENT, "font-weight": "bold"}
        )
        current_span.text = _clean(shown)
        if previous is not None:
            ET.SubElement(value_el, "tspan", {"fill": TEXT_MUTED}).text = " / "
            ET.SubElement(value_el, "tspan", {"fill": TEXT_PREVIOUS}).text = _clean(
                "—" if previous[i] is None else fmt(previous[i])
            )

    if previous is not None:
        _legend(root, cx, height - legend_height + 12 + 6, series_labels, centre=True)
    return _serialise(root)


def _legend(
    root: ET.Element,
    x: float,
    y: float,
    series_labels: Sequence[str],
    *,
    centre: bool = False,
    bars: bool = False,
) -> None:
    """Legend: a swatch and name for the current and the previous series, around baseline *y*."""
    current, before = str(series_labels[0]), str(series_labels[1])
    # Rough text widths (DejaVu Sans at 11 px) to centre the legend.
    swatch, spacing, char = 22, 22, 6.6
    total = swatch + 6 + len(current) * char + spacing + swatch + 6 + len(before) * char
    start = x - total / 2 if centre else x
    group = ET.SubElement(root, "g", {"aria-hidden": "true"})
    if bars:
        ET.SubElement(
            group,
            "rect",
            {
                "x": _n(start),
                "y": _n(y - 9),
                "width": _n(swatch),
                "height": "10",
                "fill": COLOUR_CURRENT,
            },
        )
    else:
        ET.SubElement(
            group,
            "line",
            {
                "x1": _n(start),
                "y1": _n(y - 4),
                "x2": _n(start + swatch),
                "y2": _n(y - 4),
                "stroke": COLOUR_CURRENT,
                "stroke-width": "2.5",
            },
        )
        ET.SubElement(
            group,
            "circle",
            {
                "cx": _n(start + swatch / 2),
                "cy": _n(y - 4),
                "r": "4",
                "fill": COLOUR_CURRENT,
                "stroke": "#ffffff",
                "stroke-width": "1",
            },
        )
    _text(group, start + swatch + 6, y, current, size=11)
    second = start + swatch + 6 + len(current) * char + spacing
    if bars:
        ET.SubElement(
            group,
            "line",
            {
                "x1": _n(second + swatch / 2),
                "y1": _n(y - 12),
                "x2": _n(second + swatch / 2),
                "y2": _n(y + 3),
                "stroke": COLOUR_PREVIOUS,
                "stroke-width": "3",
            },
        )
    else:
        ET.SubElement(
            group,
            "line",
            {
                "x1": _n(second),
                "y1": _n(y - 4),
                "x2": _n(second + swatch),
                "y2": _n(y - 4),
                "stroke": COLOUR_PREVIOUS,
                "stroke-width": "2",
                "stroke-dasharray": "5 3",
            },
        )
        ET.SubElement(
            group,
            "rect",
            {
                "x": _n(second + swatch / 2 - 3.5),
                "y": _n(y - 7.5),
                "width": "7",
                "height": "7",
                "fill": COLOUR_PREVIOUS,
                "stroke": "#ffffff",
                "stroke-width": "1",
            },
        )
    _text(group, second + swatch + 6, y, before, size=11)


# --------------------------------------------------------------------------- bars

BAR_LABEL_CHARS = 40


def _truncate(
    text: str, limit: int = BAR_LABEL_CHARS, room: float | None = None, size: float = 12
) -> str:
    """*text* on one line, cut with "…" after *limit* characters or when wider than *room*."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    if room is not None:
        while _text_width(text, size) > room and len(text) > 1:
            text = text[:-2].rstrip() + "…"
    return text


def bar_svg(
    bars: Sequence[tuple[str, float | None]],
    *,
    max_value: float = 100,
    previous: Sequence[float | None] | None = None,
    title: str,
    desc: str,
    width: int = 720,
    series_labels: Sequence[str] = SERIES_LABELS,
    value_format: Callable[[float], str] | None = None,
) -> str:
    """Horizontal bars, one row per ``(label, value)``.

    Labels longer than 40 characters are cut with "…" (the full text is in the
    row's ``<title>``); the value is printed at the end of the bar; *previous*
    values appear as thin orange marker lines.  ``None`` shows "—" and no bar.
    Gridlines lie at 0, 25, 50, 75 and 100 % of *max_value*.
    """
    bars = [(str(label), value) for label, value in bars]
    if max_value <= 0:
        raise ValueError("max_value must be positive")
    previous = _check_previous(bars, previous)
    fmt = value_format or _default_format

    row_height, bar_height = 28, 16
    label_size = 12
    label_x = 6
    plot_x = min(max(width * 0.44, 200), width - 160)
    value_room = 48
    plot_w = width - plot_x - value_room
    legend_height = 26 if previous is not None else 0
    axis_height = 20
    rows_top = legend_height + axis_height
    rows_bottom = rows_top + row_height * len(bars)
    height = rows_bottom + axis_height + 2

    key = (
        tuple(bars),
        max_value,
        tuple(previous) if previous else None,
        width,
        tuple(series_labels),
    )
    root = _root("bars", width, height, title, desc, key)

    if previous is not None:
        _legend(root, plot_x, 16, series_labels, bars=True)

    shades = ET.SubElement(root, "g", {"fill": ROW_SHADE, "stroke": "none", "aria-hidden": "true"})
    for i in range(0, len(bars), 2):
        ET.SubElement(
            shades,
            "rect",
            {
                "x": "0",
                "y": _n(rows_top + i * row_height),
                "width": _n(width),
                "height": _n(row_height),
            },
        )

    grid = ET.SubElement(root, "g", {"aria-hidden": "true"})
    for k in range(5):
        share = k / 4
        x = plot_x + plot_w * share
        ET.SubElement(
            grid,
            "line",
            {
                "x1": _n(x),
                "y1": _n(rows_top - 3),
                "x2": _n(x),
                "y2": _n(rows_bottom + 3),
                "stroke": GRID_STRONG if k == 0 else GRID,
                "stroke-width": "1",
            },
        )
        tick = fmt(max_value * share)
        _text(grid, x, rows_top - 7, tick, size=10, fill=TEXT_MUTED, anchor="middle")
        _text(grid, x, rows_bottom + 15, tick, size=10, fill=TEXT_MUTED, anchor="middle")

    for i, (label, value) in enumerate(bars):
        top = rows_top + i * row_height
        mid = top + row_height / 2
        baseline = mid + label_size * 0.36
        row = ET.SubElement(root, "g", {"class": "bar-row"})
        shown = "—" if value is None else fmt(value)
        info = f"{label}: {series_labels[0]} {shown}"
        before = None
        if previous is not None:
            before = previous[i]
            info += f", {series_labels[1]} {'—' if before is None else fmt(before)}"
        ET.SubElement(row, "title").text = _clean(info)
        _text(
            row,
            label_x,
            baseline,
            _truncate(label, room=plot_x - label_x - 8, size=label_size),
            size=label_size,
        )
        end = plot_x
        if value is not None:
            bar_w = plot_w * _clamp_share(value, max_value)
            end = plot_x + bar_w
            if bar_w > 0:
                ET.SubElement(
                    row,
                    "rect",
                    {
                        "x": _n(plot_x),
                        "y": _n(mid - bar_height / 2),
                        "width": _n(bar_w),
                        "height": _n(bar_height),
                        "fill": COLOUR_CURRENT,
                    },
                )
        text_x = end + 5
        if before is not None:
            px = plot_x + plot_w * _clamp_share(before, max_value)
            ET.SubElement(
                row,
                "line",
                {
                    "x1": _n(px),
                    "y1": _n(top + 3),
                    "x2": _n(px),
                    "y2": _n(top + row_height - 3),
                    "stroke": COLOUR_PREVIOUS,
                    "stroke-width": "3",
                },
            )
            # Keep the value next to its bar, but step over a marker it would touch.
            text_w = len(shown) * label_size * 0.68
            if text_x - 4 <= px <= text_x + text_w + 2:
                text_x = px + 5
        _text(
            row,
            text_x,
            baseline,
            shown,
            size=label_size,
            fill=TEXT if value is not None else TEXT_MUTED,
            weight="bold" if value is not None else None,
        )
    return _serialise(root)
