"""Tests for the offline SVG map renderer (pure Python; run with -p no:django)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from mreza.maps import svg
from mreza.maps.svg import DATA_FILE, available_countries, fit_projection, mercator, render_map

NS = {"s": "http://www.w3.org/2000/svg"}

# Real places near the edges of each country (lat, lon).
PLACES = {
    "BA": {
        "Sarajevo": (43.8563, 18.4131),
        "Bihać": (44.8169, 15.8708),
        "Bijeljina": (44.7570, 19.2150),
        "Trebinje": (42.7119, 18.3442),
        "Neum": (42.9233, 17.6156),
        "Kostajnica": (45.2194, 16.5403),
    },
    "RS": {
        "Beograd": (44.8125, 20.4612),
        "Subotica": (46.1000, 19.6658),
        "Sombor": (45.7742, 19.1122),
        "Negotin": (44.2264, 22.5308),
        "Preševo": (42.3092, 21.6492),
        "Prizren": (42.2139, 20.7397),
    },
    "BG": {
        "Sofia": (42.6977, 23.3219),
        "Vidin": (43.9900, 22.8725),
        "Silistra": (44.1171, 27.2606),
        "Shabla": (43.5390, 28.5350),
        "Petrich": (41.3947, 23.2072),
        "Malko Tarnovo": (41.9790, 27.5250),
    },
}


def points_for(code):
    return [
        {"id": i, "lat": lat, "lon": lon, "label": name, "url": f"/m/{i}/", "kind": "municipality"}
        for i, (name, (lat, lon)) in enumerate(PLACES[code].items())
    ]


def parse(markup):
    return ET.fromstring(markup)


def viewbox(root):
    x, y, w, h = map(float, root.get("viewBox").split())
    return x, y, w, h


def circles(root):
    return root.findall(".//s:g[@class='mreza-map-points']//s:circle", NS)


# ---------------------------------------------------------------------- data file


def test_data_file_is_small_and_has_the_countries():
    assert DATA_FILE.stat().st_size < 300_000
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    codes = {f["properties"]["iso_a2"] for f in data["features"]}
    needed = {"BA", "RS", "BG", "HR", "ME", "MK", "RO", "HU", "GR", "AL", "XK", "TR"}
    assert needed <= codes
    for feature in data["features"]:
        assert set(feature["properties"]) == {"iso_a2", "name"}
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert available_countries()["BA"] == "Bosnia and Herzegovina"


# --------------------------------------------------------------------- projection


def test_mercator_matches_tile_convention():
    assert mercator(0, -180) == pytest.approx((0.0, 0.5))
    assert mercator(0, 0) == pytest.approx((0.5, 0.5))
    x, y = mercator(85.0511287798, 180)
    assert (x, y) == pytest.approx((1.0, 0.0), abs=1e-9)
    # Sarajevo lies in OSM tile z=8 x=141 y=93.
    x, y = mercator(43.8563, 18.4131)
    assert (int(x * 256), int(y * 256)) == (141, 93)


def test_fit_projection_with_fixed_height_centres_bbox():
    proj = fit_projection((0.1, 0.2, 0.3, 0.3), 800, 800, padding=0.1)
    # Width is the limiting axis: bbox spans 80 % of it, centred vertically.
    assert proj.world(0.1, 0.25) == pytest.approx((80, 400))
    assert proj.world(0.3, 0.25) == pytest.approx((720, 400))


@pytest.mark.parametrize("code", ["BA", "RS", "BG"])
@pytest.mark.parametrize("size", [(800, None), (400, None), (800, 300), (300, 800)])
def test_points_and_outline_inside_viewbox(code, size):
    width, height = size
    root = parse(render_map(points_for(code), countries=(code,), width=width, height=height))
    _, _, w, h = viewbox(root)
    assert w == width
    if height:
        assert h == height
    found = circles(root)
    assert len(found) == len(PLACES[code])
    for c in found:
        cx, cy = float(c.get("cx")), float(c.get("cy"))
        assert 0 < cx < w and 0 < cy < h
    # The whole focus outline is inside the view, with some room to spare.
    focus = root.find(f".//s:path[@data-iso='{code}']", NS)
    assert "is-focus" in focus.get("class")
    proj = svg.fit_projection(svg._countries()[code].bbox, width, height)
    for ring in svg._countries()[code].rings:
        for wx, wy in ring:
            x, y = proj.world(wx, wy)
            assert 0 < x < w and 0 < y < h


def test_neighbours_are_context_and_kosovo_dashed():
    root = parse(render_map([], countries=("RS",)))
    classes = {p.get("data-iso"): p.get("class") for p in root.iter(f"{{{NS['s']}}}path")}
    assert "is-focus" in classes["RS"]
    for iso in ("BA", "HR", "HU", "RO", "BG", "MK", "ME"):
        assert "is-context" in classes[iso]
    assert "is-disputed" in classes["XK"] and "is-context" not in classes["XK"]
    # Dashed outline is drawn last, on top of the filled countries.
    assert list(classes)[-1] == "XK"


def test_multiple_countries_and_string_argument():
    one = render_map([], countries="BA")
    assert one == render_map([], countries=("BA",))
    root = parse(render_map(points_for("BA") + points_for("BG"), countries=("BA", "RS", "BG")))
    _, _, w, h = viewbox(root)
    for c in circles(root):
        assert 0 < float(c.get("cx")) < w and 0 < float(c.get("cy")) < h


def test_unknown_country_rejected():
    with pytest.raises(ValueError):
        render_map([], countries=("ZZ",))
    with pytest.raises(ValueError):
        render_map([], countries=())


# ---------------------------------------------------------------------- escaping


def test_text_is_escaped_and_svg_parses():
    evil = "Bosanski <Novi> & \"Dubica\" 'x' </title><script>alert(1)</script>\x00\x07"
    pts = [
        {
            "id": 'a"b<c>',
            "lat": 43.85,
            "lon": 18.41,
            "label": evil,
            "url": '/m/?a=1&b="2"<',
            "kind": 'city" onload="x',
        }
    ]
    labels = {"title": 'Karta <BiH> & "sve"', "desc": "'opis' & <više>", "zoom_in": 'Uvećaj "+"'}
    markup = render_map(pts, labels=labels, tile_url="https://t.example/{z}/{x}/{y}.png?a=1&b=2")
    assert "<script" not in markup and " onload=" not in markup
    root = parse(markup)  # would raise on broken escaping or invalid XML characters
    a = root.find(".//s:a", NS)
    assert a.find("s:title", NS).text == evil.replace("\x00", "").replace("\x07", "")
    assert a.get("href") == '/m/?a=1&b="2"<'
    assert a.get("data-id") == 'a"b<c>'
    assert a.get("class") == "mreza-point kind-city-onload-x"
    assert root.find("s:title", NS).text == 'Karta <BiH> & "sve"'
    assert root.find("s:desc", NS).text == "'opis' & <više>"
    assert root.get("data-label-zoom-in") == 'Uvećaj "+"'
    assert root.get("data-tile-url") == "https://t.example/{z}/{x}/{y}.png?a=1&b=2"


def test_script_urls_are_dropped():
    pts = [
        {"id": 1, "lat": 43.8, "lon": 18.4, "label": "x", "url": " JavaScript:alert(1)"},
        {"id": 2, "lat": 43.8, "lon": 18.4, "label": "y", "url": "data:text/html,hi"},
    ]
    markup = render_map(pts)
    assert "javascript" not in markup.lower() and "data:text" not in markup
    root = parse(markup)
    assert root.findall(".//s:a", NS) == []
    assert len(root.findall(".//s:g[@data-id]", NS)) == 2
    assert root.get("role") == "img"  # nothing interactive inside


# ------------------------------------------------------------------ accessibility


def test_accessibility_markup():
    root = parse(render_map(points_for("BA"), labels={"title": "Općine", "desc": "Opis"}))
    assert root.get("class") == "mreza-map"
    assert root.get("role") == "group"  # links inside must stay reachable
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    assert root.find(f"s:title[@id='{title_id}']", NS).text == "Općine"
    assert root.find(f"s:desc[@id='{desc_id}']", NS).text == "Opis"
    for a in root.findall(".//s:a", NS):
        assert a.get("href").startswith("/m/")
        assert a.find("s:title", NS).text in PLACES["BA"]
    for key in ("data-label-zoom-in", "data-label-zoom-out", "data-label-reset"):
        assert root.get(key)
    assert root.find(".//s:g[@class='mreza-map-countries']", NS).get("aria-hidden") == "true"


def test_kind_net_and_size_classes():
    pts = [
        {
            "id": 1,
            "lat": 43.85,
            "lon": 18.41,
            "label": "A",
            "url": "/a",
            "kind": "city",
            "net": 3,
            "size": 400_000,
        },
        {
            "id": 2,
            "lat": 44.77,
            "lon": 17.19,
            "label": "B",
            "url": "/b",
            "kind": "city_municipality",
            "net": 13,
            "size": 100_000,
        },
        {
            "id": 3,
            "lat": 44.5,
            "lon": 18.6,
            "label": "C",
            "url": "/c",
            "kind": "district",
            "size": 1,
        },
        {"id": 4, "lat": 44.2, "lon": 17.9, "label": "D", "url": "/d", "kind": "municipality"},
    ]
    root = parse(render_map(pts))
    by_id = {a.get("data-id"): a for a in root.findall(".//s:a", NS)}
    assert by_id["1"].get("class") == "mreza-point kind-city net-3"
    assert by_id["2"].get("class") == "mreza-point kind-city_municipality net-1"
    assert by_id["3"].get("class") == "mreza-point kind-district"
    r = {k: float(a.find("s:circle", NS).get("r")) for k, a in by_id.items()}
    assert r["1"] == svg.R_MAX
    assert r["2"] == pytest.approx(svg.R_MAX / 2, abs=0.05)  # sqrt scale
    assert r["3"] == r["4"] == svg.R_MIN  # clamped
    # Larger circles are drawn first so smaller ones stay on top.
    order = [a.get("data-id") for a in root.findall(".//s:a", NS)]
    assert order[:2] == ["1", "2"]


def test_invalid_points_skipped():
    pts = [
        {"id": 1, "lat": None, "lon": 18},
        {"id": 2, "lat": "x", "lon": 18},
        {"id": 3, "lat": float("nan"), "lon": 18},
        {"id": 4, "lon": 18},
        {"id": 5, "lat": "43.85", "lon": "18.41", "label": "ok"},
    ]
    root = parse(render_map(pts))
    assert [g.get("data-id") for g in root.findall(".//s:g[@data-id]", NS)] == ["5"]


# ------------------------------------------------------------------------ highlight


def test_highlight_enlarges_one_point_and_draws_it_last():
    pts = points_for("BA")
    plain = parse(render_map(pts))
    marked = parse(render_map(pts, highlight=2))
    r_plain = {
        a.get("data-id"): float(a.find("s:circle", NS).get("r"))
        for a in plain.iter(f"{{{NS['s']}}}a")
    }
    anchors = marked.findall(".//s:a", NS)
    r_marked = {a.get("data-id"): float(a.find("s:circle", NS).get("r")) for a in anchors}
    assert r_marked["2"] > r_plain["2"]
    assert {k: v for k, v in r_marked.items() if k != "2"} == {
        k: v for k, v in r_plain.items() if k != "2"
    }
    assert anchors[-1].get("data-id") == "2"
    assert "is-highlighted" in anchors[-1].get("class")
    assert anchors[-1].get("aria-current") == "true"
    assert sum("is-highlighted" in a.get("class") for a in anchors) == 1
    # String ids match too; unknown ids change nothing but the element ids.
    assert render_map(pts, highlight="2") == render_map(pts, highlight=2)
    assert "is-highlighted" not in render_map(pts, highlight="nope")


# ---------------------------------------------------------------------------- tiles


def test_no_tile_attributes_or_urls_by_default():
    markup = render_map(points_for("BA"))
    root = parse(markup)
    assert not [k for k in root.attrib if k.startswith("data-tile") or k in ("data-scale",)]
    assert root.find(".//s:g[@class='mreza-map-tiles']", NS) is None
    # Nothing external: the only URLs are the points' own links and the SVG namespace.
    urls = set(re.findall(r"https?://[^\"' ]+", markup))
    assert urls == {"http://www.w3.org/2000/svg"}


def test_tile_attributes_when_requested():
    url = "https://tile.example/{z}/{x}/{y}.png"
    root = parse(render_map([], tile_url=url, tile_attribution="© OSM", tile_max_zoom=15))
    assert root.get("data-tile-url") == url
    assert root.get("data-tile-attribution") == "© OSM"
    assert root.get("data-tile-max-zoom") == "15"
    assert root.find(".//s:g[@class='mreza-map-tiles']", NS) is not None
    scale, ox, oy = (float(root.get(k)) for k in ("data-scale", "data-origin-x", "data-origin-y"))
    # The data attributes reproduce the projection used for the circles.
    pts = points_for("BA")
    root = parse(render_map(pts, tile_url=url))
    for p, c in zip(pts, circles(root), strict=True):
        wx, wy = mercator(p["lat"], p["lon"])
        assert (wx - ox) * scale == pytest.approx(float(c.get("cx")), abs=0.06)
        assert (wy - oy) * scale == pytest.approx(float(c.get("cy")), abs=0.06)


# --------------------------------------------------------------------- determinism


def test_deterministic_output():
    pts = points_for("BA")
    a = render_map(pts, countries=("BA", "RS"), highlight=1)
    svg._country_path.cache_clear()
    b = render_map([dict(p) for p in pts], countries=("BA", "RS"), highlight=1)
    assert a == b
    ids = re.findall(r'\sid="([^"]+)"', a)
    assert len(ids) == len(set(ids)) == 2
    assert 'id="mine-title"' in render_map(pts, map_id="mine")


# --------------------------------------------------------------------- performance


def _grid(n):
    return [
        {
            "id": i,
            "lat": 42.6 + (i % 100) * 0.027,
            "lon": 15.8 + (i // 100 % 100) * 0.038,
            "label": f"P{i}",
            "url": f"/p/{i}",
            "kind": "municipality",
            "size": i % 7,
        }
        for i in range(n)
    ]


def test_work_is_linear_in_points(monkeypatch):
    """Count projections and polygon work instead of timing: 10,000 points cost
    exactly 10,000 projections, and the country outlines are built the same
    number of times whatever the number of points (never per point)."""
    render_map(_grid(1))  # load and cache the country data
    counts = {"mercator": 0, "ring": 0, "clip": 0}
    real_mercator, real_ring, real_clip = svg.mercator, svg._ring_path, svg._clip

    def counting(name, fn):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(svg, "mercator", counting("mercator", real_mercator))
    monkeypatch.setattr(svg, "_ring_path", counting("ring", real_ring))
    monkeypatch.setattr(svg, "_clip", counting("clip", real_clip))

    def work(n):
        svg._country_path.cache_clear()
        for k in counts:
            counts[k] = 0
        markup = render_map(_grid(n))
        return dict(counts), markup

    small, _ = work(10)
    big, markup = work(10_000)
    assert big["mercator"] - small["mercator"] == 10_000 - 10
    assert big["ring"] == small["ring"] and big["clip"] == small["clip"]
    assert markup.count("<circle") == 10_000
    parse(markup)
    # Output grows linearly too: well under 150 bytes per point.
    assert len(markup) < 150 * 10_000 + 60_000
