"""The public API's unfiltered lists are kept until their data changes (api/public/common.py,
issues 10 and 14): a repeat call runs no query and answers byte for byte what was built, a change
shows at once, filters, searches and deep pages are built for each request, the rate limit still
counts every call, and each language has its own answer (Serbian in the reader's script)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.api.tests.public_fixtures import _fresh_rate_limits, get_json  # noqa: F401
from mreza.events.services import registrations
from mreza.events.tests.conftest import ev, make_event  # noqa: F401 (fixture)
from mreza.practices.models import Replication
from mreza.practices.tests.test_search import make_practice

pytestmark = pytest.mark.django_db


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content[:300]
    return len(captured), response


@pytest.mark.parametrize(
    "url", ["/api/v1/municipalities", "/api/v1/municipalities?page_size=100&page=1"]
)
def test_a_repeat_call_runs_no_query_and_answers_the_same(world, client, url):
    built_queries, built = _queries(client, url)
    kept_queries, kept = _queries(client, url)
    assert built_queries > 0 and kept_queries == 0
    assert kept.content == built.content and kept["ETag"] == built["ETag"]


@pytest.mark.parametrize(
    "url", ["/api/v1/municipalities", "/api/v1/practices", "/api/v1/events?page_size=100"]
)
def test_a_kept_answer_is_byte_for_byte_what_ninja_builds(
    ev,  # noqa: F811
    client,
    url,
    monkeypatch,
):
    """Kept as a validated page, dumped by ninja: the same bytes as a page built and validated
    for the request."""
    from mreza.api.public import common

    make_practice(ev.a, "Управљање отпадом")
    kept = [client.get(url, headers={"Accept-Language": "sr-latn"}) for _ in range(2)]
    monkeypatch.setattr(common, "KEPT_PAGES", 0)
    built = client.get(url, headers={"Accept-Language": "sr-latn"})
    assert kept[0].content == kept[1].content == built.content
    assert len(built.json()["results"]) >= 1


def test_a_renamed_municipality_shows_at_once(world, client):
    get_json(client, "/api/v1/municipalities")
    world.b.name = "Tuzla Nova"
    world.b.save(update_fields=["name"])
    names = [m["name"] for m in get_json(client, "/api/v1/municipalities")["results"]]
    assert "Tuzla Nova" in names


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/municipalities?q=tuz",
        "/api/v1/municipalities?country=BA",
        "/api/v1/municipalities?page=11&page_size=1",
        "/api/v1/municipalities?page_size=7",
        "/api/v1/practices?q=otpad",
    ],
)
def test_filters_searches_and_odd_pages_are_built_each_time(world, client, url):
    make_practice(world.a, "Upravljanje otpadom")
    client.get(url)
    assert _queries(client, url)[0] > 0


def test_an_adoption_and_a_new_practice_show_at_once(world, client):
    practice = make_practice(world.a, "Upravljanje otpadom")
    assert get_json(client, "/api/v1/practices")["results"][0]["replications"] == 0
    Replication.objects.create(practice=practice, municipality=world.b, year=2026)
    assert get_json(client, "/api/v1/practices")["results"][0]["replications"] == 1
    make_practice(world.b, "Javne nabavke")
    assert get_json(client, "/api/v1/practices")["count"] == 2


def test_each_language_has_its_own_answer_in_its_script(world, client):
    make_practice(world.a, "Управљање отпадом")
    latin = get_json(client, "/api/v1/practices", **{"Accept-Language": "sr-latn"})
    cyrillic = get_json(client, "/api/v1/practices", **{"Accept-Language": "sr"})
    assert latin["results"][0]["title"] == "Upravljanje otpadom"
    assert cyrillic["results"][0]["title"] == "Управљање отпадом"


def test_a_registration_changes_the_places_left_at_once(ev, client):  # noqa: F811
    before = {e["id"]: e["places_left"] for e in get_json(client, "/api/v1/events")["results"]}
    registrations.register(ev.conference, ev.bob)
    after = {e["id"]: e["places_left"] for e in get_json(client, "/api/v1/events")["results"]}
    assert after[ev.conference.pk] == before[ev.conference.pk] - 1


def test_the_rate_limit_counts_kept_answers_too(world, client, settings):
    settings.MREZA_API_RATE_LIMITS = {"anonymous": (3, 60)}
    for _ in range(3):
        assert client.get("/api/v1/municipalities").status_code == 200
    refused = client.get("/api/v1/municipalities")
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_requests"
