"""The registry without an account: countries, regions, municipalities with their filters and
orders, one municipality by its code; constant query counts as the registry grows."""

import pytest

from mreza.api.tests.public_fixtures import _fresh_rate_limits, count_queries, get_json  # noqa: F401
from mreza.registry.models import Country, Municipality, Region

URL = "/api/v1/municipalities"


def codes(body):
    return [m["code"] for m in body["results"]]


@pytest.fixture
def registry(world):
    w = world
    w.serbia = Country.objects.create(code="RS", name="Србија")
    w.okrug = Region.objects.create(country=w.serbia, code="T-RS-ZL", kind="okrug", name="Zlatibor")
    w.uzice = Municipality.objects.create(
        code="T-UE", name="Ужице", country=w.serbia, region=w.okrug, population=70000, type="city"
    )
    w.small = w.municipality("T-SM", "Šamac", region=w.canton, population=None)
    return w


def test_countries_and_regions(registry, client):
    countries = get_json(client, "/api/v1/countries")["results"]
    assert [c["code"] for c in countries] == ["BA", "RS"]
    assert countries[1]["official_name"] == "Србија"
    regions = get_json(client, "/api/v1/regions?country=rs")["results"]
    assert regions == [
        {"code": "T-RS-ZL", "kind": "okrug", "name": "Zlatibor", "country": "RS", "parent": None}
    ]
    cantons = get_json(client, "/api/v1/regions?kind=canton")["results"]
    assert [r["code"] for r in cantons] == ["T-FBIH-03"]
    assert get_json(client, "/api/v1/regions?kind=galaxy", status=422)["errors"][0]["field"] == (
        "kind"
    )


def test_municipalities_are_named_by_code_with_their_facts(registry, client):
    body = get_json(client, f"{URL}/T-A")
    assert body["code"] == "T-A" and body["name"] == "Бања Лука"
    assert body["name_latin"] == "Banja Luka" and body["population"] == 185042
    assert (body["country"], body["region"], body["type"]) == ("BA", "T-RS", "city")
    assert "id" not in body and "search_key" not in body and "version" not in body
    assert get_json(client, f"{URL}/t-a", status=404)["code"] == "not_found"


def test_search_matches_across_scripts_and_diacritics(registry, client):
    assert codes(get_json(client, f"{URL}?q=banja")) == ["T-A"]
    assert codes(get_json(client, f"{URL}?q=БАЊА лука")) == ["T-A"]
    assert codes(get_json(client, f"{URL}?q=uzice")) == ["T-UE"]
    assert codes(get_json(client, f"{URL}?q=samac")) == ["T-SM"]
    assert codes(get_json(client, f"{URL}?q=nowhere")) == []
    assert get_json(client, f"{URL}?q={'x' * 101}", status=422)["errors"][0]["field"] == "q"


def test_filters_by_country_region_type_and_population(registry, client):
    assert codes(get_json(client, f"{URL}?country=RS")) == ["T-UE"]
    # an entity includes the units of its cantons, as in the directory
    assert set(codes(get_json(client, f"{URL}?region=T-FBIH-03"))) == {"T-B", "T-SM"}
    assert codes(get_json(client, f"{URL}?type=city&country=BA&order=code")) == ["T-A", "T-B"]
    ranged = get_json(client, f"{URL}?population_min=60000&population_max=120000&order=code")
    assert codes(ranged) == ["T-B", "T-UE"]
    assert get_json(client, f"{URL}?population_min=-1", status=422)["errors"][0]["field"] == (
        "population_min"
    )
    assert get_json(client, f"{URL}?type=planet", status=422)["errors"][0]["field"] == "type"


def test_orders(registry, client):
    assert codes(get_json(client, f"{URL}?order=-population")) == ["T-A", "T-B", "T-UE", "T-SM"]
    assert codes(get_json(client, f"{URL}?order=population")) == ["T-UE", "T-B", "T-A", "T-SM"]
    assert codes(get_json(client, f"{URL}?order=-code")) == ["T-UE", "T-SM", "T-B", "T-A"]
    assert get_json(client, f"{URL}?order=random", status=422)["errors"][0]["field"] == "order"


def test_a_signed_in_session_sees_the_same_public_data(registry, client):
    anonymous = client.get(URL)
    client.force_login(registry.admin)
    signed_in = client.get(URL)
    assert signed_in.content == anonymous.content


def test_query_counts_do_not_grow_with_the_registry(registry, client, rendered_pages):
    urls = [URL, f"{URL}?country=BA&q=a", "/api/v1/regions", "/api/v1/countries", f"{URL}/T-A"]
    before = [count_queries(client, url) for url in urls]
    for number in range(30):
        region = Region.objects.create(
            country=registry.country, code=f"T-R{number}", kind="canton", name=f"Canton {number}"
        )
        registry.municipality(f"T-M{number}", f"Mjesto {number}", region=region)
    Country.objects.create(code="BG", name="България")
    assert [count_queries(client, url) for url in urls] == before
    assert before[0] <= 2
