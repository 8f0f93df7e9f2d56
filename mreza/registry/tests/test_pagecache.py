"""Whole public pages kept for anonymous first-time visitors (registry/pagecache.py, issue 10):
a repeat view runs neither the view nor a query, each visitor still gets a CSRF token of their own
that the site accepts, a change shows at once, and nothing personal is ever served from it."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mreza.registry import pagecache
from mreza.registry.models import Municipality

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/municipalities/",
    "/municipalities/?country=BA",
    "/municipalities/?page=1",
    "/municipalities/map/",
    "/municipalities/map/?country=BA",
    "/events/",
    "/practices/",
]


def _token(body):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_repeat_view_renders_nothing_and_runs_no_query(world, url):
    first = Client().get(url)
    assert first.status_code == 200 and first.context is not None  # rendered
    with CaptureQueriesContext(connection) as queries:
        again = Client().get(url)
    assert again.status_code == 200
    assert again.context is None  # no template was rendered: the kept page
    assert len(queries.captured_queries) == 0
    assert pagecache.PLACEHOLDER.encode() not in first.content + again.content


def test_each_visitor_gets_an_own_csrf_token_that_the_site_accepts(world):
    Client().get("/")  # the page is kept
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get("/")
        assert page.context is None
        token = _token(page.content.decode())
        assert f'"X-CSRFToken": "{token}"' in page.content.decode()  # htmx's header too
        assert settings.CSRF_COOKIE_NAME in page.cookies
        switched = visitor.post(
            "/i18n/setlang/", {"language": "bs", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert switched.status_code == 302, "the kept page's token is refused"
        tokens.append(token)
    assert tokens[0] != tokens[1]
    # a token from someone else's page is refused, as without the cache
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/")
    refused = stranger.post("/i18n/setlang/", {"language": "bs", "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403


def test_a_change_shows_at_once(world):
    assert "Tuzla" in Client().get("/municipalities/").content.decode()
    world.b.name = "Tuzla Nova"
    world.b.save(update_fields=["name"])
    page = Client().get("/municipalities/")
    assert page.context is not None and "Tuzla Nova" in page.content.decode()
    Municipality.objects.filter(pk=world.b.pk).delete()
    assert "1 local self-government unit" in Client().get("/").content.decode()


def test_each_language_has_its_own_page(world):
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    bulgarian = Client().get("/", HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert 'lang="bg"' in bulgarian and 'lang="en"' in english
    assert Client().get("/", HTTP_ACCEPT_LANGUAGE="bg").content.decode().count('lang="bg"')


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_HX_REQUEST": "true"},
        {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=returning"},
        {"HTTP_COOKIE": "messages=pending"},
    ],
    ids=["htmx", "session", "messages"],
)
def test_requests_that_may_differ_are_rendered(world, extra):
    Client().get("/municipalities/")
    assert Client().get("/municipalities/", **extra).context is not None


@pytest.mark.parametrize(
    "url",
    [
        "/municipalities/?q=tuzla",  # free text: unbounded
        "/municipalities/?region=T-FBIH-03",
        "/municipalities/?page=11",  # beyond the first pages
        "/municipalities/?page=01",
        "/municipalities/?country=XX",
        "/municipalities/?country=BA&country=RS",
        "/municipalities/?utm_source=mail",
        "/municipalities/map/?country=ba",
        "/events/?page=2&x=1",
        "/practices/?q=otpad",
    ],
)
def test_unbounded_or_unknown_queries_are_rendered_each_time(world, url):
    Client().get(url)
    assert Client().get(url).context is not None


def test_a_signed_in_reader_gets_the_own_page(world, client):
    Client().get("/")
    client.force_login(world.alice)
    page = client.get("/")
    assert page.context is not None
    assert "Sign out" in page.content.decode() and "Sign in</a>" not in page.content.decode()


def test_a_page_that_sets_a_cookie_or_fails_is_not_kept(world, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    calls = []

    @pagecache.public_page("test-scope")
    def with_cookie(request):
        calls.append(1)
        response = HttpResponse("hello")
        response.set_cookie("mine", "1")
        return response

    @pagecache.public_page("test-scope")
    def not_found(request):
        calls.append(1)
        return HttpResponse("gone", status=404)

    for view in (with_cookie, not_found):
        for _ in range(2):
            request = rf.get("/")
            request.user = AnonymousUser()
            view(request)
    assert len(calls) == 4


def test_a_public_page_names_its_scopes():
    with pytest.raises(ValueError):
        pagecache.public_page()
