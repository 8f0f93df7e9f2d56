"""The shipped registry of Bosnia and Herzegovina: census sums, umbrella cities, points and areas.

Sources for every figure checked here are listed per row in ``mreza/registry/data/ba/README.md``.
"""

import csv
import json
import math
from collections import defaultdict
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "ba"
OUTLINES = Path(__file__).resolve().parents[2] / "maps" / "data" / "countries.geojson"

# 2013 census, final results (BHAS, "Popis stanovništva, domaćinstava i stanova u BiH 2013 -
# Rezultati popisa", Sarajevo, June 2016): cantons, entities, Brčko District and the whole country.
CANTON_TOTALS = {
    "BA-FBIH-01": 273261,  # Una-Sana
    "BA-FBIH-02": 43453,  # Posavina
    "BA-FBIH-03": 445028,  # Tuzla
    "BA-FBIH-04": 364433,  # Zenica-Doboj
    "BA-FBIH-05": 23734,  # Bosnian-Podrinje
    "BA-FBIH-06": 254686,  # Central Bosnia
    "BA-FBIH-07": 222007,  # Herzegovina-Neretva
    "BA-FBIH-08": 94898,  # West Herzegovina
    "BA-FBIH-09": 413593,  # Sarajevo
    "BA-FBIH-10": 84127,  # Canton 10
}
FBIH_TOTAL = 2219220
RS_TOTAL = 1228423
BRCKO_TOTAL = 83516
BIH_TOTAL = 3531159
# The census was published on Doboj's territory before Stanari was split off in 2014.
DOBOJ_OLD_TERRITORY = 71441

# Seats fixed under issue 7 item 15; each point must stay within 1 km of its documented seat.
DOCUMENTED_SEATS = {
    "BA-ZIVINICE": (44.4500, 18.6500),
    "BA-DOBOJ-ISTOK": (44.7333, 18.1889),
    "BA-DOBOJ-JUG": (44.6876, 18.0488),  # Matuzići
    "BA-USORA": (44.6919, 17.9758),  # Sivša
    "BA-ISTOCNI-MOSTAR": (43.4206, 18.0083),  # Zijemlje
    "BA-TRNOVO-FBIH": (43.6761, 18.4228),
    "BA-TRNOVO-RS": (43.6586, 18.4450),
    "BA-NOVO-GORAZDE": (43.6778, 19.0258),  # Kopači
    "BA-ISTOCNA-ILIDZA": (43.7944, 18.3736),
    "BA-ISTOCNO-NOVO-SARAJEVO": (43.8167, 18.3667),  # Lukavica
}
# Seats closer than MIN_DISTANCE_KM that are nevertheless right: the four municipalities of the
# City of Sarajevo all have their town halls in the city centre.
CLOSE_SEATS = {
    frozenset({"BA-CENTAR-SARAJEVO", "BA-NOVO-SARAJEVO"}),
    frozenset({"BA-CENTAR-SARAJEVO", "BA-STARI-GRAD-SARAJEVO"}),
    frozenset({"BA-NOVO-SARAJEVO", "BA-STARI-GRAD-SARAJEVO"}),
}
MIN_DISTANCE_KM = 2.0
# A unit's seat is never further than this from the nearest seat of its own canton or entity
# (the largest gap in the data is Bosanski Petrovac, 32 km); a point in the wrong part of the
# country is much further away.
MAX_NEIGHBOUR_KM = 40.0
# Areas that stay empty because the sources disagree and none is official (see the README).
AREA_NOT_KNOWN = {"BA-KUPRES-RS", "BA-PETROVAC"}


def rows(kind="municipalities"):
    with open(DATA / f"{kind}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def umbrella_codes(units):
    return {u["part_of"] for u in units if u["part_of"]}


def counted(units):
    """Every unit except the umbrella cities, whose parts carry the figures."""
    umbrellas = umbrella_codes(units)
    return [u for u in units if u["code"] not in umbrellas]


def _km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _point(unit):
    return float(unit["latitude"]), float(unit["longitude"])


def test_population_adds_up_to_the_published_2013_census():
    units = counted(rows())
    regions = {r["code"]: r for r in rows("regions")}
    per_region = defaultdict(int)
    per_entity = defaultdict(int)
    for u in units:
        assert u["census_year"] == "2013", u["code"]
        population = int(u["population"])
        per_region[u["region_code"]] += population
        region = regions[u["region_code"]]
        per_entity[region["parent_code"] or region["code"]] += population
    assert {code: per_region[code] for code in CANTON_TOTALS} == CANTON_TOTALS
    assert per_entity == {"BA-FBIH": FBIH_TOTAL, "BA-RS": RS_TOTAL, "BA-BD": BRCKO_TOTAL}
    assert sum(per_entity.values()) == BIH_TOTAL


def test_doboj_and_stanari_together_are_doboj_as_published():
    units = {u["code"]: u for u in rows()}
    doboj, stanari = units["BA-DOBOJ"], units["BA-STANARI"]
    assert int(doboj["population"]) + int(stanari["population"]) == DOBOJ_OLD_TERRITORY
    assert int(stanari["population"]) == 6958
    # Doboj's area is its territory after the split (about 648 km²), not the old 816 km².
    assert float(doboj["area_km2"]) < 700
    assert abs(float(doboj["area_km2"]) + float(stanari["area_km2"]) - 816) < 10


def test_every_city_with_parts_equals_the_sum_of_its_parts():
    units = rows()
    parts = defaultdict(list)
    for u in units:
        if u["part_of"]:
            parts[u["part_of"]].append(u)
    assert set(parts) == {"BA-SARAJEVO", "BA-ISTOCNO-SARAJEVO"}
    by_code = {u["code"]: u for u in units}
    for city, children in parts.items():
        assert int(by_code[city]["population"]) == sum(int(c["population"]) for c in children)
        assert all(c["region_code"] == by_code[city]["region_code"] for c in children)


def _inside(point, polygons):
    x, y = point
    inside = False
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                    inside = not inside
    return inside


def _bih_outline():
    features = json.loads(OUTLINES.read_text(encoding="utf-8"))["features"]
    geometry = next(f["geometry"] for f in features if f["properties"]["iso_a2"] == "BA")
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def test_every_point_lies_inside_bosnia_and_herzegovina():
    polygons = _bih_outline()
    assert not _inside((15.98, 45.81), polygons)  # Zagreb
    for u in rows():
        lat, lon = _point(u)
        # The outline is coarse: a seat on a border river may fall just outside it.
        assert _inside((lon, lat), polygons) or any(
            _inside((lon + dx, lat + dy), polygons) for dx in (-0.03, 0.03) for dy in (-0.03, 0.03)
        ), u["code"]


def test_every_point_is_near_the_other_seats_of_its_region():
    units = rows()
    by_region = defaultdict(list)
    for u in units:
        by_region[u["region_code"]].append(u)
    for u in units:
        others = [o for o in by_region[u["region_code"]] if o["code"] != u["code"]]
        if not others:  # Brčko District is a region of its own
            continue
        nearest = min(_km(_point(u), _point(o)) for o in others)
        assert nearest <= MAX_NEIGHBOUR_KM, (u["code"], round(nearest, 1))


def test_no_two_units_share_a_point():
    units = rows()
    for i, a in enumerate(units):
        for b in units[i + 1 :]:
            if a["part_of"] == b["code"] or b["part_of"] == a["code"]:
                continue  # an umbrella city may sit at the seat of one of its parts
            if frozenset({a["code"], b["code"]}) in CLOSE_SEATS:
                continue
            distance = _km(_point(a), _point(b))
            assert distance >= MIN_DISTANCE_KM, (a["code"], b["code"], round(distance, 2))


@pytest.mark.parametrize("code", sorted(DOCUMENTED_SEATS))
def test_corrected_points_are_at_their_documented_seat(code):
    unit = next(u for u in rows() if u["code"] == code)
    assert _km(_point(unit), DOCUMENTED_SEATS[code]) < 1.0


def test_every_area_is_known_except_the_documented_gaps():
    missing = set()
    for u in rows():
        if not u["area_km2"]:
            missing.add(u["code"])
            continue
        area = float(u["area_km2"])
        assert math.isfinite(area) and 0 < area < 2000, u["code"]
    assert missing == AREA_NOT_KNOWN
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for code in AREA_NOT_KNOWN:
        assert f"| {code} | area_km2 | not known |" in readme
