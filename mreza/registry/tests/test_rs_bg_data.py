"""The shipped registries of Serbia and Bulgaria: counts, sums, hierarchy, points and codes."""

import csv
import datetime
import json
import math
from collections import defaultdict
from pathlib import Path

import pytest

from mreza.registry.importing import plan_and_apply, read_path
from mreza.registry.models import Municipality, Organisation, PopulationKind, Region

DATA = Path(__file__).resolve().parents[1] / "data"
OUTLINES = Path(__file__).resolve().parents[2] / "maps" / "data" / "countries.geojson"

# 2021 census totals per province, as published by NSI (reference README; sum 6,519,789).
BG_CENSUS_2021 = {
    "BG-01": 292227, "BG-02": 380286, "BG-03": 432198, "BG-04": 207371, "BG-05": 75408,
    "BG-06": 152813, "BG-07": 98387, "BG-08": 150146, "BG-09": 141177, "BG-10": 111736,
    "BG-11": 116394, "BG-12": 119950, "BG-13": 229814, "BG-14": 114162, "BG-15": 226120,
    "BG-16": 634497, "BG-17": 103223, "BG-18": 193483, "BG-19": 97770, "BG-20": 172690,
    "BG-21": 96284, "BG-22": 1274290, "BG-23": 231989, "BG-24": 296507, "BG-25": 98144,
    "BG-26": 211565, "BG-27": 151465, "BG-28": 109693,
}  # fmt: skip


def rows(country, kind="municipalities"):
    with open(DATA / country / f"{kind}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def counted_units(units):
    """The units whose figures add up to the whole without counting a city and its parts twice:
    a city's parts when every part has a figure, otherwise the city itself."""
    parts = defaultdict(list)
    for u in units:
        if u["part_of"]:
            parts[u["part_of"]].append(u)
    counted = []
    for u in units:
        if u["part_of"]:
            continue
        children = parts.get(u["code"], [])
        if children and all(c["population"] for c in children):
            counted.extend(children)
        else:
            counted.append(u)
    return counted


def test_serbia_counts_per_type_and_level():
    units = rows("rs")
    by_type = defaultdict(int)
    for u in units:
        by_type[u["type"]] += 1
    assert dict(by_type) == {"municipality": 117, "city": 28, "city_municipality": 30}
    regions = rows("rs", "regions")
    assert sum(r["kind"] == "statistical" for r in regions) == 4
    assert sum(r["parent_code"] != "" for r in regions) == 25  # 24 districts + the City of Belgrade
    assert {r["code"]: r["kind"] for r in regions}["RS-00"] == "city"
    parts = defaultdict(int)
    for u in units:
        if u["part_of"]:
            parts[u["part_of"]] += 1
    assert sorted(parts.values()) == [2, 2, 2, 2, 5, 17]
    assert len([u for u in units if not u["part_of"]]) == 145


def test_serbia_population_sums_to_the_published_total_and_cities_equal_their_parts():
    units = rows("rs")
    assert sum(int(u["population"]) for u in counted_units(units)) == 6_647_003
    lsgus = [u for u in units if not u["part_of"]]
    assert sum(int(u["population"]) for u in lsgus) == 6_647_003
    by_code = {u["code"]: u for u in units}
    parts = defaultdict(list)
    for u in units:
        if u["part_of"]:
            parts[u["part_of"]].append(u)
    for city, children in parts.items():
        if all(c["population"] for c in children):
            assert int(by_code[city]["population"]) == sum(
                int(c["population"]) for c in children
            ), city
        else:  # Novi Sad: published only as a whole
            assert not any(c["population"] for c in children), city
    assert [u["name"] for u in units if not u["population"]] == ["Петроварадин", "Нови Сад"]


def test_bulgaria_counts_and_census_sums_per_province():
    units = rows("bg")
    assert len(units) == 265
    assert len(rows("bg", "regions")) == 28
    assert [u["code"] for u in units if u["type"] == "city"] == ["BG-SOF46"]
    assert all(u["type"] in ("municipality", "city") and not u["part_of"] for u in units)
    kinds = defaultdict(int)
    for u in units:
        kinds[u["population_kind"]] += 1
    assert dict(kinds) == {"census": 62, "estimate": 203}
    census, complete = defaultdict(int), defaultdict(lambda: True)
    for u in units:
        if u["population_kind"] == "census":
            census[u["region_code"]] += int(u["population"])
        else:
            complete[u["region_code"]] = False
    fully_census = [p for p in BG_CENSUS_2021 if complete[p]]
    assert len(fully_census) >= 5
    for province in fully_census:
        assert census[province] == BG_CENSUS_2021[province], province
    # Partial provinces: the census rows alone never exceed the published province total.
    for province, total in census.items():
        assert total <= BG_CENSUS_2021[province], province
    assert sum(BG_CENSUS_2021.values()) == 6_519_789


@pytest.mark.parametrize("country", ["rs", "bg", "ba"])
def test_every_figure_has_a_kind_a_date_and_a_source(country):
    for u in rows(country):
        if not u["population"]:
            assert not u.get("population_kind") and not u.get("population_date"), u["code"]
            continue
        assert u["population_kind"] in PopulationKind.values, u["code"]
        date = datetime.date.fromisoformat(u["population_date"])
        assert u["population_source"], u["code"]
        if u["population_kind"] == "census":
            assert int(u["census_year"]) == date.year, u["code"]
        else:
            assert not u["census_year"], u["code"]


def _inside(point, polygons):
    lon, lat = point
    inside = False
    for polygon in polygons:
        for ring in polygon:
            j = len(ring) - 1
            for i in range(len(ring)):
                (xi, yi), (xj, yj) = ring[i][:2], ring[j][:2]
                if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                    inside = not inside
                j = i
    return inside


def _polygons(iso):
    features = json.loads(OUTLINES.read_text(encoding="utf-8"))["features"]
    geometry = next(f["geometry"] for f in features if f["properties"]["iso_a2"] == iso)
    return (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )


def _km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(("country", "iso"), [("rs", "RS"), ("bg", "BG")])
def test_every_point_lies_inside_its_country_and_near_its_region(country, iso):
    polygons = _polygons(iso)
    assert not _inside((20.457, 44.818), _polygons("BG")) and not _inside(
        (23.32, 42.70), _polygons("RS")
    )
    units = [u for u in rows(country) if u["latitude"]]
    by_region = defaultdict(list)
    for u in units:
        point = (float(u["latitude"]), float(u["longitude"]))
        # Outlines are simplified: allow a seat on the border (Danube towns) within 3 km.
        assert _inside((point[1], point[0]), polygons) or any(
            _inside((point[1] + dx, point[0] + dy), polygons)
            for dx in (-0.03, 0.03)
            for dy in (-0.03, 0.03)
        ), u["code"]
        by_region[u["region_code"]].append((u["code"], point))
    for region, points in by_region.items():
        for code, point in points:
            others = [p for c, p in points if c != code]
            if others:
                assert min(_km(point, p) for p in others) < 60, (region, code)


def test_missing_serbian_coordinates_are_the_five_known_seats():
    missing = sorted(u["name"] for u in rows("rs") if not u["latitude"])
    assert missing == sorted(["Стари град", "Медијана", "Пантелеј", "Црвени крст", "Палилула"])


@pytest.mark.parametrize("country", ["rs", "bg"])
def test_codes_are_unique_and_well_formed(country):
    units = rows(country)
    codes = [u["code"] for u in units]
    assert len(codes) == len(set(codes))
    prefix = country.upper() + "-"
    assert all(c.startswith(prefix) for c in codes)
    if country == "rs":
        for code in codes:
            digits = code.removeprefix("RS-")
            if digits.isdigit():  # statistics office code: 5 digits, the last a mod-11 check digit
                assert len(digits) == 5, code
                remainder = (
                    sum(int(d) * w for d, w in zip(digits[:4], (5, 4, 3, 2), strict=True)) % 11
                )
                assert int(digits[4]) == (11 - remainder) % 11 % 10, code
    else:  # BG- + the EKATTE municipality code: province letters and two digits
        assert all(len(c) == 8 and c[3:6].isalpha() and c[6:].isdigit() for c in codes)


def test_import_loads_three_countries_and_a_reimport_changes_nothing(db):
    for country in ("ba", "rs", "bg"):
        plan_and_apply(read_path(DATA / country))
    assert Municipality.objects.filter(country__code="RS").count() == 175
    assert Municipality.objects.filter(country__code="BG").count() == 265
    assert Region.objects.get(code="RS-00").parent.code == "RS-R1"
    assert Municipality.objects.get(code="RS-70106").name == "Вождовац"
    assert Municipality.objects.get(code="RS-70106").part_of.code == "RS-G-BEOGRAD"
    smolyan = Municipality.objects.get(name="Смолян")
    assert smolyan.region.code == "BG-21"
    assert smolyan.name_latin == "Smolyan"
    for query in ("Смолян", "Smolyan", "smolian", "SMOLJAN"):
        assert list(Municipality.objects.search(query).filter(country__code="BG")) == [smolyan], (
            query
        )
    namrb = Organisation.objects.get(code="NAMRB")
    assert namrb.member_municipalities.count() == 265
    assert Organisation.objects.get(code="SKGO").member_municipalities.count() == 145
    assert Organisation.objects.get(code="ARO").member_municipalities.count() == 0
    estimate = Municipality.objects.filter(country__code="BG", population_kind="estimate").first()
    assert estimate.population_date == datetime.date(2023, 12, 31) and estimate.census_year is None
    ids = dict(Municipality.objects.values_list("code", "pk"))
    for country in ("ba", "rs", "bg"):
        plan = plan_and_apply(read_path(DATA / country))
        assert all(
            created == 0 and updated == 0 for created, updated, _u in plan.summary().values()
        ), country
    assert dict(Municipality.objects.values_list("code", "pk")) == ids


HEADER = (
    "code,country,region_code,name,type,population,census_year,"
    "population_kind,population_date,population_source\n"
)


def _import(tmp_path, body, header=HEADER):
    (tmp_path / "regions.csv").write_text(
        "code,country,kind,name\nBG-21,BG,oblast,Смолян\n", encoding="utf-8"
    )
    (tmp_path / "municipalities.csv").write_text(header + body, encoding="utf-8")
    return plan_and_apply(read_path(tmp_path))


def test_import_reads_kind_date_and_source_of_the_population(db, tmp_path):
    _import(tmp_path, "BG-SML31,BG,BG-21,Смолян,municipality,32351,,estimate,2023-12-31,NSI 2023\n")
    m = Municipality.objects.get(code="BG-SML31")
    assert (m.population_kind, m.population_date, m.population_source) == (
        "estimate",
        datetime.date(2023, 12, 31),
        "NSI 2023",
    )
    assert m.population_year == 2023


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("BG-X,BG,BG-21,X,municipality,5,,guess,2023-12-31,s\n", "population_kind"),
        ("BG-X,BG,BG-21,X,municipality,5,,census,31.12.2023,s\n", "population_date"),
        ("BG-X,BG,BG-21,X,municipality,,,census,2021-09-07,s\n", "population"),
        ("BG-X,BG,BG-21,X,municipality,5,2011,census,2021-09-07,s\n", "census_year"),
    ],
)
def test_import_refuses_inconsistent_population_facts(db, tmp_path, row, column):
    from mreza.registry.importing import RegistryImportError

    with pytest.raises(RegistryImportError) as error:
        _import(tmp_path, row)
    assert [p.column for p in error.value.problems] == [column]
    assert not Municipality.objects.exists()


def test_files_without_the_new_columns_are_census_figures(db, tmp_path):
    _import(
        tmp_path,
        "BG-X,BG,BG-21,X,municipality,5,2013\n",
        header="code,country,region_code,name,type,population,census_year\n",
    )
    m = Municipality.objects.get(code="BG-X")
    assert (m.population_kind, m.census_year, m.population_date) == ("census", 2013, None)


def test_migration_marks_old_census_figures_and_refreshes_search_keys(db):
    import importlib

    from django.apps import apps

    from mreza.registry.models import Country

    migration = importlib.import_module("mreza.registry.migrations.0002_population_facts")
    bg = Country.objects.create(code="BG", name="Bulgaria", name_language="bg")
    region = Region.objects.create(country=bg, code="BG-21", kind="oblast", name="Смолян")
    m = Municipality.objects.create(
        code="BG-SML31",
        name="Смолян",
        country=bg,
        region=region,
        population=30000,
        census_year=2021,
    )
    Municipality.objects.filter(pk=m.pk).update(population_kind="", search_key="smoljan")
    migration.forwards(apps, None)
    m.refresh_from_db()
    assert m.population_kind == "census"
    assert list(Municipality.objects.search("smolian")) == [m]
