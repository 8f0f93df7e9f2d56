"""What the public registry pages cost per request once their cached parts are built (issue 10):
a fixed number of queries whatever the size of the registry, and cached parts that follow every
change (a renamed municipality, a new membership, a renamed organisation)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.registry.models import Membership, Municipality, Organisation

# The warm path of an anonymous reader: the page cost once the registry's cached parts exist.
# Directory and map: none (the rendered list, choices and map come from the cache); search: the
# count with the population and the page of units (free text is never cached); profile: the
# municipality itself and the assessment app's section.
WARM_QUERIES = {
    "/municipalities/": 0,
    # the chosen country and region, validated (ModelChoiceField looks each up)
    "/municipalities/?country=BA&region=T-FBIH-03&type=city&page=1": 2,
    "/municipalities/?q=mjesto": 2,
    "/municipalities/?q=mjesto&page=3": 2,
    "/municipalities/T-A/": 2,
    "/municipalities/map/?country=BA": 0,
}


def _grow(world, n, start=0):
    Municipality.objects.bulk_create(
        Municipality(
            code=f"N{i}",
            name=f"Mjesto {i}",
            country=world.country,
            region=world.canton,
            population=i,
            latitude=44.0 + i / 10_000,
            longitude=17.0,
            search_key=f"mjesto {i}",
        )
        for i in range(start, start + n)
    )
    # bulk_create sends no signal: say that the registry changed, as an import does
    cache.clear()


def _warm_queries(client, url):
    assert client.get(url).status_code == 200  # builds what the page caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", list(WARM_QUERIES))
def test_public_pages_cost_a_fixed_number_of_queries_as_the_registry_grows(
    world, client, url, rendered_pages
):
    _grow(world, 200)
    assert _warm_queries(client, url) == WARM_QUERIES[url]
    _grow(world, 1800, start=200)
    assert _warm_queries(client, url) == WARM_QUERIES[url]


def test_the_cached_directory_list_follows_a_renamed_municipality(world, client):
    assert "Tuzla" in client.get("/municipalities/").content.decode()
    tuzla = Municipality.objects.get(code="T-B")
    tuzla.name = "Tuzla (novo)"
    tuzla.save()
    body = client.get("/municipalities/").content.decode()
    assert "Tuzla (novo)" in body


def test_the_cached_directory_list_keeps_its_page_links_and_escapes_names(world, client):
    _grow(world, 120)
    Municipality.objects.create(
        code="T-ESC", name="<b>Mjesto</b> & co", country=world.country, region=world.canton
    )
    body = client.get("/municipalities/?country=BA&page=2").content.decode()
    assert 'href="?country=BA&amp;page=3"' in body and 'href="?country=BA&amp;page=1"' in body
    body = client.get("/municipalities/?q=co").content.decode()
    assert "&lt;b&gt;Mjesto&lt;/b&gt; &amp; co" in body and "<b>Mjesto</b>" not in body


def test_an_unknown_page_parameter_is_not_cached_and_still_answers(world, client):
    for query in ("page=x", "page=1&page=2", "page=99999999", "page=007", "page=²", "foo=bar"):
        assert client.get(f"/municipalities/?{query}").status_code == 200, query


def test_the_cached_profile_facts_follow_memberships_and_organisation_names(world, client):
    body = client.get("/municipalities/T-B/").content.decode()
    organisation = Organisation.objects.create(code="T-NEW", kind="association", name="Savez Novi")
    world.b.memberships.add(organisation)  # m2m add: no save() of a Membership
    assert "Savez Novi" in client.get("/municipalities/T-B/").content.decode()
    organisation.name = "Savez Preimenovan"
    organisation.save()
    assert "Savez Preimenovan" in client.get("/municipalities/T-B/").content.decode()
    Membership.objects.filter(organisation=organisation).delete()
    body = client.get("/municipalities/T-B/").content.decode()
    assert "Savez Preimenovan" not in body


def test_the_cached_profile_facts_follow_a_changed_population(world, client):
    tuzla = Municipality.objects.get(code="T-B")
    client.get("/municipalities/T-B/")
    tuzla.population = 123_457
    tuzla.save()
    assert (
        "123,457" in client.get("/municipalities/T-B/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_a_flushed_cache_is_not_answered_from_a_workers_memory(world, client):
    """Each process keeps recent entries in memory under their versioned keys; a flush starts
    the versions afresh (not at 1 again), so a change made without signals shows after it."""
    assert "Tuzla" in client.get("/municipalities/").content.decode()
    Municipality.objects.filter(code="T-B").update(name="Tuzla bez signala")  # no save()
    cache.clear()
    assert "Tuzla bez signala" in client.get("/municipalities/").content.decode()
