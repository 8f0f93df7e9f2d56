"""Offline SVG map of municipalities — pure Python, no Django, no network.

``render_map(points, countries=("BA",))`` returns an inline ``<svg>`` string: a
Web-Mercator view fitted to the requested countries, their outlines (plus the
neighbours that fall inside the view, for context) and one linked circle per
point. Boundary data is the shipped ``data/countries.geojson`` (Natural Earth).

Work per call is O(points) plus O(vertices of the countries in view); the
country paths are cached per projection, so 10,000 points cost 10,000 small
string formats and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_LABELS",
    "Projection",
    "available_countries",
    "fit_projection",
    "mercator",
    "render_map",
]

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries.geojson"

#: Web Mercator is undefined at the poles; tile servers cut at this latitude.
MAX_LAT = 85.0511287798
#: Countries drawn as a dashed outline only, on top of the others (never a solid
#: border of their own). Natural Earth keeps Kosovo apart from Serbia; our "RS"
#: feature is Serbia as the UN M49 list has it, Kosovo included.
DASHED = frozenset({"XK"})

#: Circle radii in viewBox units (≈ CSS px at the default 800 px width).
R_DEFAULT = 4.0
R_MIN = 3.0
R_MAX = 14.0
HIGHLIGHT_FACTOR = 1.6
R_HIGHLIGHT_MIN = 7.0

NET_CLASSES = 12

#: User-visible strings; pass translated ones through ``labels=``.
DEFAULT_LABELS: dict[str, str] = {
    "title": "Map",
    "desc": "",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    "reset": "Reset map view",
}

# Presentation defaults so the SVG is legible without map.css (CSS overrides them).
_SEA = "#dce8f0"
_CONTEXT = 'fill="#f1f1ec" stroke="#75776f" stroke-width="0.75"'
_FOCUS = 'fill="#ffffff" stroke="#3c4043" stroke-width="1.2"'
_DISPUTED = 'fill="none" stroke="#6b6e68" stroke-width="0.8" stroke-dasharray="3 2"'
_FOCUS_DISPUTED = 'fill="#ffffff" stroke="#3c4043" stroke-width="1" stroke-dasharray="3 2"'
_HIGHLIGHT = 'fill-opacity="1" stroke="#1a1a1a" stroke-width="2.5"'
_POINTS = 'fill="#0072b2" fill-opacity="0.9" stroke="#333333" stroke-width="0.75"'

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CLASS_SAFE = re.compile(r"[^a-z0-9_-]+")
_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)


# --------------------------------------------------------------------------- text


def esc(value: object) -> str:
    """Escape text for XML content *and* attribute values (both quote kinds)."""
    text = _INVALID_XML.sub("", str(value))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _css_token(value: object) -> str:
    return _CLASS_SAFE.sub("-", str(value).strip().lower()).strip("-")


def _safe_url(url: object) -> str | None:
    if url is None:
        return None
    text = str(url).strip()
    if not text or _UNSAFE_URL.match(_INVALID_XML.sub("", text).replace("\t", "")):
        return None
    return text


def _num(value: float) -> str:
    """Short, deterministic number: one decimal, no trailing '.0', no '-0'."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _tenths(n: int) -> str:
    q, r = divmod(abs(n), 10)
    return ("-" if n < 0 else "") + (f"{q}.{r}" if r else str(q))


# --------------------------------------------------------------------- projection


def mercator(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator (EPSG:3857) in world units: x, y ∈ [0, 1], y pointing south.

    Same convention as XYZ tiles: tile (x, y) at zoom z covers world
    [x/2^z, (x+1)/2^z] × [y/2^z, (y+1)/2^z].
    """
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    s = math.sin(math.radians(lat))
    return (lon + 180.0) / 360.0, 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)


@dataclass(frozen=True)
class Projection:
    """World units → viewBox units: ``x = (wx - origin_x) * scale`` (same for y)."""

    scale: float
    origin_x: float
    origin_y: float
    width: int
    height: int

    def world(self, wx: float, wy: float) -> tuple[float, float]:
        return (wx - self.origin_x) * self.scale, (wy - self.origin_y) * self.scale

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        return self.world(*mercator(lat, lon))


def fit_projection(
    bbox: tuple[float, float, float, float],
    width: int,
    height: int | None = None,
    padding: float = 0.06,
) -> Projection:
    """Fit a world-unit bbox (x0, y0, x1, y1) into width × height with padding.

    ``padding`` is a fraction of the viewBox kept free on every side. Without a
    height, it follows the bbox's aspect ratio; with one, the bbox is centred and
    the view extends along the slack axis.
    """
    x0, y0, x1, y1 = bbox
    bw = max(x1 - x0, 1e-9)
    bh = max(y1 - y0, 1e-9)
    inner = 1 - 2 * padding
    if height is None:
        scale = width * inner / bw
        height = max(1, round(bh * scale / inner))
    else:
        scale = min(width * inner / bw, height * inner / bh)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return Projection(
        scale=scale,
        origin_x=cx - width / 2 / scale,
        origin_y=cy - height / 2 / scale,
        width=int(width),
        height=int(height),
    )


# ------------------------------------------------------------------------ country data


@dataclass(frozen=True)
class Country:
    iso: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # world units, closed rings
    bbox: tuple[float, float, float, float]  # world units


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        data = json.load(fh)
    out: dict[str, Country] = {}
    for feature in data["features"]:
        props, geom = feature["properties"], feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rings = tuple(
            tuple(mercator(lat, lon) for lon, lat in ring) for poly in polys for ring in poly
        )
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        out[props["iso_a2"]] = Country(
            props["iso_a2"], props["name"], rings, (min(xs), min(ys), max(xs), max(ys))
        )
    return out


def available_countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code (XK for Kosovo) → English name, for every shipped outline."""
    return {iso: c.name for iso, c in sorted(_countries().items())}


def _clip(
    ring: Sequence[tuple[float, float]], x0: float, y0: float, x1: float, y1: float
) -> list[tuple[float, float]]:
    """Sutherland–Hodgman against an axis-aligned rectangle (open ring in, open ring out)."""
    pts = list(ring[:-1]) if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    for axis, bound, keep_above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not pts:
            break
        out: list[tuple[float, float]] = []
        prev = pts[-1]
        prev_in = (prev[axis] >= bound) if keep_above else (prev[axis] <= bound)
        for cur in pts:
            cur_in = (cur[axis] >= bound) if keep_above else (cur[axis] <= bound)
            if cur_in != prev_in:
                t = (bound - prev[axis]) / (cur[axis] - prev[axis])
                out.append((prev[0] + (cur[0] - prev[0]) * t, prev[1] + (cur[1] - prev[1]) * t))
            if cur_in:
                out.append(cur)
            prev, prev_in = cur, cur_in
        pts = out
    return pts


def _ring_path(ring: Sequence[tuple[float, float]]) -> str:
    """Relative path commands for one projected ring, in tenths of a unit."""
    last = None
    coords: list[tuple[int, int]] = []
    for x, y in ring:
        p = (round(x * 10), round(y * 10))
        if p != last:
            coords.append(p)
            last = p
    if len(coords) > 1 and coords[0] == coords[-1]:
        coords.pop()
    if len(coords) < 3:
        return ""
    (px, py), parts = coords[0], [f"M{_tenths(coords[0][0])} {_tenths(coords[0][1])}l"]
    for x, y in coords[1:]:
        parts.append(f"{_tenths(x - px)} {_tenths(y - py)}")
        px, py = x, y
    return " ".join(parts) + "z"


@lru_cache(maxsize=256)
def _country_path(iso: str, proj: Projection) -> str:
    country = _countries()[iso]
    m = 4.0  # clip a little outside the view so clipped edges are never visible
    x0, y0, x1, y1 = -m, -m, proj.width + m, proj.height + m
    s, ox, oy = proj.scale, proj.origin_x, proj.origin_y
    paths = []
    for ring in country.rings:
        projected = [((wx - ox) * s, (wy - oy) * s) for wx, wy in ring]
        d = _ring_path(_clip(projected, x0, y0, x1, y1))
        if d:
            paths.append(d)
    return "".join(paths)


# ------------------------------------------------------------------------------ points


def _valid_coord(point: Mapping[str, Any]) -> tuple[float, float] | None:
    try:
        lat, lon = float(point["lat"]), float(point["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > MAX_LAT or abs(lon) > 180:
        return None
    return lat, lon


def _size(point: Mapping[str, Any]) -> float:
    try:
        v = float(point.get("size") or 0)
    except (TypeError, ValueError):
        return 0.0
    return v if math.isfinite(v) and v > 0 else 0.0


# ------------------------------------------------------------------------------ render


def render_map(
    points: Iterable[Mapping[str, Any]],
    *,
    countries: Sequence[str] | str = ("BA",),
    width: int = 800,
    height: int | None = None,
    highlight: object = None,
    tile_url: str | None = None,
    labels: Mapping[str, str] | None = None,
    tile_attribution: str | None = None,
    tile_max_zoom: int = 18,
    map_id: str | None = None,
    padding: float = 0.06,
) -> str:
    """Render an accessible, self-contained ``<svg class="mreza-map">`` string.

    points: mappings with ``id``, ``lat``, ``lon``, ``label``, ``url`` and ``kind``;
        optional ``size`` (e.g. population → radius on a clamped sqrt scale, relative
        to the largest size in the call) and ``net`` (int → class ``net-<n % 12>``).
        Points with missing/invalid coordinates are skipped.
    countries: ISO alpha-2 codes to fit and fill ("BA", "RS", "BG", …; see
        ``available_countries()``). Neighbours in view are drawn lighter.
    highlight: the ``id`` of one point to enlarge and mark (class ``is-highlighted``,
        ``aria-current="true"``, drawn on top).
    tile_url: XYZ template such as ``https://tile.example/{z}/{x}/{y}.png``. Only then
        are ``data-tile-*`` and the projection (``data-scale``, ``data-origin-x/y``)
        emitted, for map.js to fetch tiles. Default: nothing external at all.
    labels: translated UI strings — keys of ``DEFAULT_LABELS`` (title, desc,
        zoom_in, zoom_out, reset). The zoom/reset strings end up in
        ``data-label-*`` attributes for map.js's buttons.
    map_id: prefix for the element ids (title/desc); derived from the inputs if
        omitted — pass one when a page shows two maps of the same countries.
    """
    codes = (countries,) if isinstance(countries, str) else tuple(countries)
    data = _countries()
    unknown = [c for c in codes if c not in data]
    if not codes or unknown:
        raise ValueError(f"unknown or no countries {unknown!r}; known: {sorted(data)}")
    if width <= 0 or (height is not None and height <= 0):
        raise ValueError("width and height must be positive")
    text = {**DEFAULT_LABELS, **(labels or {})}

    boxes = [data[c].bbox for c in codes]
    proj = fit_projection(
        (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ),
        width,
        height,
        padding,
    )
    w, h = proj.width, proj.height

    # ---- points: one pass to project, one to format (linear; no polygon access).
    s, ox, oy = proj.scale, proj.origin_x, proj.origin_y
    items = []
    max_size = 0.0
    for point in points:
        coord = _valid_coord(point)
        if coord is None:
            continue
        wx, wy = mercator(*coord)
        size = _size(point)
        max_size = max(max_size, size)
        items.append(((wx - ox) * s, (wy - oy) * s, size, point))

    hl = str(highlight) if highlight is not None else None
    rendered: list[tuple[float, int, str]] = []
    top: list[str] = []
    for index, (x, y, size, point) in enumerate(items):
        if max_size > 0:
            r = min(R_MAX, max(R_MIN, R_MAX * math.sqrt(size / max_size)))
        else:
            r = R_DEFAULT
        pid = point.get("id")
        is_hl = hl is not None and pid is not None and str(pid) == hl
        classes = ["mreza-point"]
        kind = _css_token(point.get("kind") or "")
        if kind:
            classes.append(f"kind-{kind}")
        net = point.get("net")
        if isinstance(net, int) and not isinstance(net, bool):
            classes.append(f"net-{net % NET_CLASSES}")
        if is_hl:
            classes.append("is-highlighted")
            r = max(r * HIGHLIGHT_FACTOR, R_HIGHLIGHT_MIN)
        label = point.get("label")
        title = f"<title>{esc(label)}</title>" if label not in (None, "") else ""
        circle = f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}"'
        circle += f" {_HIGHLIGHT}/>" if is_hl else "/>"
        point_attrs = f'class="{" ".join(classes)}"'
        if pid is not None:
            point_attrs += f' data-id="{esc(pid)}"'
        if is_hl:
            point_attrs += ' aria-current="true"'
        url = _safe_url(point.get("url"))
        if url:
            markup = f'<a href="{esc(url)}" {point_attrs}>{title}{circle}</a>'
        else:
            markup = f"<g {point_attrs}>{title}{circle}</g>"
        if is_hl:
            top.append(markup)
        else:
            rendered.append((-r, index, markup))
    if max_size > 0:  # big circles first so small ones stay clickable
        rendered.sort()
    point_markup = [m for _, _, m in rendered] + top
    has_links = any(m.startswith("<a ") for m in point_markup)

    # ---- countries: those whose bbox meets the view, context → focus → dashed.
    vx0, vy0 = ox, oy
    vx1, vy1 = ox + w / s, oy + h / s
    in_view = [
        c
        for iso, c in sorted(data.items())
        if c.bbox[0] <= vx1 and c.bbox[2] >= vx0 and c.bbox[1] <= vy1 and c.bbox[3] >= vy0
    ]
    focus = set(codes)
    layers = (
        [(c, "is-context", _CONTEXT) for c in in_view if c.iso not in focus and c.iso not in DASHED]
        + [(c, "is-focus", _FOCUS) for c in in_view if c.iso in focus and c.iso not in DASHED]
        + [
            (c, "is-focus is-disputed", _FOCUS_DISPUTED)
            if c.iso in focus
            else (c, "is-disputed", _DISPUTED)
            for c in in_view
            if c.iso in DASHED
        ]
    )
    country_markup = []
    for c, cls, style in layers:
        d = _country_path(c.iso, proj)
        if d:
            country_markup.append(
                f'<path class="mreza-country {cls}" data-iso="{c.iso}" {style} d="{d}"/>'
            )

    # ---- the <svg> element.
    if map_id is None:
        digest = hashlib.sha1(
            repr((codes, w, h, hl, len(point_markup))).encode(), usedforsecurity=False
        ).hexdigest()[:8]
        map_id = f"mreza-map-{digest}"
    map_id = _css_token(map_id) or "mreza-map"
    names = ", ".join(data[c].name for c in codes)
    title = text["title"] if text["title"] != DEFAULT_LABELS["title"] else f"Map: {names}"
    desc = text["desc"] or f"{names}: {len(point_markup)} marked locations."

    attrs = [
        'xmlns="http://www.w3.org/2000/svg"',
        'class="mreza-map"',
        f'viewBox="0 0 {w} {h}"',
        f'width="{w}"',
        f'height="{h}"',
        f'role="{"group" if has_links else "img"}"',
        f'aria-labelledby="{map_id}-title"',
        f'aria-describedby="{map_id}-desc"',
        f'data-countries="{esc(" ".join(codes))}"',
        f'data-label-zoom-in="{esc(text["zoom_in"])}"',
        f'data-label-zoom-out="{esc(text["zoom_out"])}"',
        f'data-label-reset="{esc(text["reset"])}"',
    ]
    if tile_url:
        attrs += [
            f'data-tile-url="{esc(tile_url)}"',
            f'data-tile-max-zoom="{int(tile_max_zoom)}"',
            f'data-scale="{proj.scale:.6f}"',
            f'data-origin-x="{proj.origin_x:.10f}"',
            f'data-origin-y="{proj.origin_y:.10f}"',
        ]
        if tile_attribution:
            attrs.append(f'data-tile-attribution="{esc(tile_attribution)}"')

    out = [
        f"<svg {' '.join(attrs)}>",
        f'<title id="{map_id}-title">{esc(title)}</title>',
        f'<desc id="{map_id}-desc">{esc(desc)}</desc>',
        f'<rect class="mreza-map-sea" width="{w}" height="{h}" fill="{_SEA}"/>',
    ]
    if tile_url:
        out.append('<g class="mreza-map-tiles"/>')
    out.append(
        '<g class="mreza-map-countries" aria-hidden="true" stroke-linejoin="round" '
        'fill-rule="evenodd">'
    )
    out += country_markup
    out.append("</g>")
    out.append(f'<g class="mreza-map-points" {_POINTS}>')
    out += point_markup
    out.append("</g></svg>")
    return "\n".join(out)
