"""Server-side SVG charts of the evaluation report: the members' ratings of each goal, indicators
against their targets, and re-assessment scores before and after.

Pure Python (no Django), like ``progress/charts.py``: plain SVG 1.1 with presentation attributes
only (no CSS, no scripts), so browsers and WeasyPrint draw it the same way and the page needs no
unsafe-inline. Every chart is an accessible image (``role="img"``, ``<title>``, ``<desc>``) and
every bar, point and row carries a ``<title>`` with its values; colour is never the only
difference (counts are written on the bars, the two scores have different marker shapes).
Callers pass translated texts and numbers already formatted in the reader's locale.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# the SVG primitives are progress/charts.py's, so both reports draw alike
from mreza.progress.charts import _clean, _line, _n, _root, _text, share_of_target
from mreza.progress.charts import _plain_number as _plain

__all__ = ["DeltaRow", "TargetRow", "deltas_svg", "ratings_svg", "share_of_target", "target_svg"]

TEXT_MUTED = "#595959"
GRID = "#c8c8c8"
TRACK = "#e6ebf0"
# Okabe–Ito: met, partly met, not met, not started (grey)
RATING_COLOURS = ("#009e73", "#e69f00", "#d55e00", "#8c8c8c")
BEFORE = "#d55e00"
AFTER = "#0072b2"
TARGET = "#009e73"
BASELINE = "#767676"
LABEL_CHARS = 34


@dataclass(frozen=True)
class TargetRow:
    """An indicator (or one member's value of it): where it started, where it should get, where it
    is; the `*_text` are the values as the reader sees them (with the unit)."""

    label: str
    baseline: float
    target: float
    actual: float | None
    baseline_text: str
    target_text: str
    actual_text: str


@dataclass(frozen=True)
class DeltaRow:
    """A subcriterion's score at the baseline and at the re-assessment (None: no score)."""

    label: str
    before: float | None
    after: float | None


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _rect(parent, x, y, w, h, fill, **extra):
    attrs = {"x": _n(x), "y": _n(y), "width": _n(max(w, 0)), "height": _n(h), "fill": fill}
    attrs.update({k.replace("_", "-"): v for k, v in extra.items()})
    return ET.SubElement(parent, "rect", attrs)


def _legend(svg, items, y, x=8.0):
    """Swatches with their names in one row: items [(name, colour, shape)]."""
    for name, colour, shape in items:
        if shape == "circle":
            ET.SubElement(
                svg,
                "circle",
                {
                    "cx": _n(x + 6),
                    "cy": _n(y - 4),
                    "r": "5",
                    "fill": "#ffffff",
                    "stroke": colour,
                    "stroke-width": "2.5",
                },
            )
        else:
            _rect(svg, x, y - 10, 12, 12, colour)
        _text(svg, x + 18, y, name, size=11)
        x += 18 + len(name) * 6.6 + 18


def ratings_svg(
    rows: Sequence[tuple[str, Sequence[int]]],
    categories: Sequence[str],
    *,
    title: str,
    desc: str,
    count_format: Callable[[int], str] = str,
    width: int = 640,
    label_width: int = 220,
) -> str:
    """One stacked bar per goal: how many members rated it in each category (`categories`, in
    the order met, partly met, not met, not started), with the counts written on the bars."""
    row_h, top = 28.0, 8.0
    height = top + row_h * max(len(rows), 1) + 30
    svg = _root(width, height, title, desc, f"evaluation|ratings|{title}|{len(rows)}")
    track_x, track_w = float(label_width), width - label_width - 16.0
    for index, (label, counts) in enumerate(rows):
        y = top + index * row_h
        total = sum(counts)
        group = ET.SubElement(svg, "g")
        parts = [f"{name}: {count_format(c)}" for name, c in zip(categories, counts, strict=False)]
        ET.SubElement(group, "title").text = _clean(f"{label}: {', '.join(parts)}")
        _text(group, track_x - 8, y + 18, _short(label), anchor="end")
        _rect(group, track_x, y + 5, track_w, 18, TRACK, rx="3")
        x = track_x
        for position, count in enumerate(counts):
            if not count or not total:
                continue
            w = track_w * count / total
            colour = RATING_COLOURS[position % len(RATING_COLOURS)]
            _rect(group, x, y + 5, w, 18, colour)
            if w >= 16:
                # dark text reads at 4.5:1 or more on each of the four colours
                _text(
                    group,
                    x + w / 2,
                    y + 18,
                    count_format(count),
                    size=11,
                    anchor="middle",
                    weight="bold",
                )
            x += w
    legend = [(name, RATING_COLOURS[i % 4], "square") for i, name in enumerate(categories)]
    _legend(svg, legend, height - 10)
    return ET.tostring(svg, encoding="unicode")


def target_svg(
    rows: Sequence[TargetRow],
    *,
    title: str,
    desc: str,
    baseline_label: str,
    target_label: str,
    empty_text: str = "—",
    width: int = 640,
    label_width: int = 220,
) -> str:
    """Each indicator on its own track from its baseline (left) to its target (right), so
    indicators of any unit and direction compare: the bar is the share of the way covered by the
    latest value (a value past the target fills the track, one behind the baseline none)."""
    row_h, top = 40.0, 20.0
    height = top + row_h * max(len(rows), 1)
    svg = _root(width, height, title, desc, f"evaluation|target|{title}|{len(rows)}")
    track_x, track_w = float(label_width), width - label_width - 110.0
    _text(svg, track_x, 13, baseline_label, size=11, fill=TEXT_MUTED)
    _text(svg, track_x + track_w, 13, target_label, size=11, anchor="end", fill=TEXT_MUTED)
    for index, row in enumerate(rows):
        y = top + index * row_h
        share = share_of_target(row.baseline, row.target, row.actual)
        group = ET.SubElement(svg, "g")
        actual = row.actual_text if row.actual is not None else empty_text
        ET.SubElement(group, "title").text = _clean(
            f"{row.label}: {baseline_label} {row.baseline_text}, {target_label} "
            f"{row.target_text}, {actual}"
            + (f" ({_plain(share * 100)} %)" if share is not None else "")
        )
        _text(group, track_x - 8, y + 16, _short(row.label), anchor="end")
        _rect(group, track_x, y + 4, track_w, 16, TRACK, rx="3")
        _line(group, track_x, y, track_x, y + 24, BASELINE, width=1.5)
        _line(group, track_x + track_w, y, track_x + track_w, y + 24, TARGET, width=2.5)
        if share is not None:
            _rect(group, track_x, y + 4, track_w * share, 16, AFTER, rx="3")
        _text(group, track_x + track_w + 8, y + 16, actual, size=11)
        _text(group, track_x, y + 32, row.baseline_text, size=10, fill=TEXT_MUTED)
        _text(
            group,
            track_x + track_w,
            y + 32,
            row.target_text,
            size=10,
            anchor="end",
            fill=TEXT_MUTED,
        )
    return ET.tostring(svg, encoding="unicode")


def deltas_svg(
    rows: Sequence[DeltaRow],
    *,
    low: float,
    high: float,
    title: str,
    desc: str,
    before_label: str,
    after_label: str,
    value_format: Callable[[float], str] = _plain,
    empty_text: str = "—",
    width: int = 640,
    label_width: int = 220,
) -> str:
    """Scores before (hollow circle) and after (filled square) on one scale from `low` to
    `high`, joined by a line, with the change written on the right."""
    if high <= low:
        high = low + 1
    row_h, top = 26.0, 22.0
    height = top + row_h * max(len(rows), 1) + 34
    svg = _root(width, height, title, desc, f"evaluation|deltas|{title}|{len(rows)}|{low}|{high}")
    plot_x, plot_w = float(label_width), width - label_width - 70.0

    def x_of(value: float) -> float:
        share = (min(max(float(value), low), high) - low) / (high - low)
        return plot_x + share * plot_w

    for i in range(5):
        value = low + (high - low) * i / 4
        x = x_of(value)
        _line(svg, x, top - 4, x, top + row_h * max(len(rows), 1), GRID)
        _text(svg, x, top - 8, value_format(value), size=10, anchor="middle", fill=TEXT_MUTED)
    for index, row in enumerate(rows):
        y = top + index * row_h + row_h / 2
        group = ET.SubElement(svg, "g")
        before = value_format(row.before) if row.before is not None else empty_text
        after = value_format(row.after) if row.after is not None else empty_text
        change = None
        if row.before is not None and row.after is not None:
            change = float(row.after) - float(row.before)
        change_text = (
            empty_text
            if change is None
            else (("+" if change > 0 else "−" if change < 0 else "±") + value_format(abs(change)))
        )
        ET.SubElement(group, "title").text = _clean(
            f"{row.label}: {before_label} {before}, {after_label} {after} ({change_text})"
        )
        _text(group, plot_x - 8, y + 4, _short(row.label), anchor="end")
        if row.before is not None and row.after is not None:
            _line(group, x_of(row.before), y, x_of(row.after), y, TEXT_MUTED, width=2)
        if row.before is not None:
            ET.SubElement(
                group,
                "circle",
                {
                    "cx": _n(x_of(row.before)),
                    "cy": _n(y),
                    "r": "5",
                    "fill": "#ffffff",
                    "stroke": BEFORE,
                    "stroke-width": "2.5",
                },
            )
        if row.after is not None:
            x = x_of(row.after)
            _rect(group, x - 5, y - 5, 10, 10, AFTER)
        _text(group, plot_x + plot_w + 10, y + 4, change_text, size=11, weight="bold")
    _legend(svg, [(before_label, BEFORE, "circle"), (after_label, AFTER, "square")], height - 8)
    return ET.tostring(svg, encoding="unicode")
