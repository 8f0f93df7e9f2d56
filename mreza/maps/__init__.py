"""Offline maps for Mreža: pure-Python SVG rendering of municipalities (no Django).

See ``svg.render_map``; styles and progressive enhancement live in
``static/maps/map.css`` and ``static/maps/map.js``.
"""

from .svg import DEFAULT_LABELS, available_countries, render_map

__all__ = ["DEFAULT_LABELS", "available_countries", "render_map"]
