import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.core.models import AuditEntry
from mreza.registry.models import Municipality


@pytest.mark.parametrize("query", ["banja luka", "Banja Luka", "бања лука", "БАЊА", "banja"])
def test_directory_search_matches_across_scripts(world, client, query):
    response = client.get("/municipalities/", {"q": query})
    assert response.status_code == 200
    assert "Бања Лука" in response.content.decode() or "Banja Luka" in response.content.decode()
    assert "Tuzla" not in response.content.decode().split("<tbody>")[1]


def test_directory_shows_names_in_readers_script(world, client):
    client.cookies["django_language"] = "sr-latn"
    assert "Banja Luka" in client.get("/municipalities/").content.decode()
    client.cookies["django_language"] = "sr"
    body = client.get("/municipalities/").content.decode()
    assert "Бања Лука" in body and "Тузла" in body


def test_directory_filters(world, client):
    body = client.get("/municipalities/", {"region": "T-FBIH-03"}).content.decode()
    assert "Tuzla" in body and "Бања Лука" not in body
    body = client.get("/municipalities/", {"population_min": 150000}).content.decode()
    assert "Tuzla" not in body.split("<tbody>")[1]
    response = client.get("/municipalities/", {"population_min": 5, "population_max": 1})
    assert "must not be below" in response.content.decode()


def test_htmx_request_returns_only_the_results_fragment(world, client):
    response = client.get("/municipalities/", {"q": "tuzla"}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="directory-results")
    body = response.content.decode()
    assert "Tuzla" in body and "<html" not in body


def _add(world, n):
    Municipality.objects.bulk_create(
        Municipality(code=f"N{i}", name=f"Mjesto {i}", country=world.country, region=world.canton,
                     population=i, search_key=f"mjesto {i}") for i in range(n))


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/municipalities/", "/municipalities/?country=BA&q=mjesto",
                                 "/municipalities/T-A/", "/municipalities/map/?country=BA"])
def test_pages_run_constant_queries_for_10_and_1000_municipalities(world, client, url):
    client.force_login(world.alice)
    _add(world, 10)
    small = _count_queries(client, url)
    Municipality.objects.filter(code__startswith="N").delete()
    _add(world, 1000)
    assert _count_queries(client, url) == small


def test_charlie_is_refused_private_pages_of_a(world, client):
    client.force_login(world.charlie)
    assert client.get("/municipalities/T-A/").status_code == 200  # public facts
    for url in ("/municipalities/T-A/people/", "/municipalities/T-A/history/", "/municipalities/T-A/edit/",
                "/municipalities/T-A/people/invite/"):
        assert client.get(url).status_code in (403, 404), url
    body = client.get("/municipalities/T-A/").content.decode()
    assert "/municipalities/T-A/people/" not in body


def test_anonymous_is_sent_to_sign_in_for_private_pages(world, client):
    response = client.get("/municipalities/T-A/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_coordinator_sees_people_and_history(world, client):
    client.force_login(world.alice)
    assert "bob@example.org" in client.get("/municipalities/T-A/people/").content.decode()
    assert client.get("/municipalities/T-A/history/").status_code == 200
    client.force_login(world.bob)
    assert client.get("/municipalities/T-A/people/").status_code == 200
    assert client.get("/municipalities/T-A/history/").status_code == 403


def test_edit_saves_and_is_audited(world, client):
    client.force_login(world.alice)
    response = client.post("/municipalities/T-A/edit/", {"website": "https://www.banjaluka.rs.ba",
                                                         "description": "Добродошли", "version": 1})
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.description == "Добродошли" and world.a.version == 2
    entry = AuditEntry.objects.filter(object_id=str(world.a.pk), action="update").latest("id")
    assert entry.actor == world.alice and "description" in entry.changes


def test_concurrent_edit_is_a_conflict_not_a_silent_overwrite(world, client):
    client.force_login(world.alice)
    client.post("/municipalities/T-A/edit/", {"website": "", "description": "First", "version": 1})
    response = client.post("/municipalities/T-A/edit/", {"website": "", "description": "Second", "version": 1})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved" in body and "Second" in body  # what the user typed is kept
    world.a.refresh_from_db()
    assert world.a.description == "First"


def test_edit_keeps_typed_text_on_invalid_input(world, client):
    client.force_login(world.alice)
    response = client.post("/municipalities/T-A/edit/", {"website": "not a url", "description": "Kept text",
                                                         "version": 1})
    assert response.status_code == 200
    assert "Kept text" in response.content.decode()


def test_user_text_is_shown_in_readers_script(world, client):
    world.a.description = "Желимо да учимо."
    world.a.save(update_fields=["description"])
    client.cookies["django_language"] = "sr-latn"
    assert "Želimo da učimo." in client.get("/municipalities/T-A/").content.decode()
