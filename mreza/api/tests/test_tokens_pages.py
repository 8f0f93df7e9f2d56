"""The account pages of API tokens (/account/api-tokens/): list, new (shown once), revoke."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, include, path, resolve
from django.utils import timezone
from django.utils.formats import date_format

from mreza.api.models import ApiToken
from mreza.api.private import services
from mreza.core.models import AuditEntry
from mreza.urls import urlpatterns as site_urlpatterns


def _site_has_the_pages():
    try:
        resolve("/account/api-tokens/", urlconf="mreza.urls")
    except Resolver404:
        return False
    return True


# the site's URLs, with the token pages until mreza/urls.py includes them itself
urlpatterns = (
    site_urlpatterns
    if _site_has_the_pages()
    else [path("", include("mreza.api.tokens_urls")), *site_urlpatterns]
)
pytestmark = pytest.mark.urls(__name__)

LIST, NEW = "/account/api-tokens/", "/account/api-tokens/new/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _nonce(client):
    """The one-time mark of a freshly opened form (views: a form's POST makes one token)."""
    return re.search(r'name="form_nonce" value="([^"]+)"', client.get(NEW).content.decode())[1]


def _new(client, **data):
    data = {"name": "Reporting", "read_only": "on", "form_nonce": _nonce(client), **data}
    return client.post(NEW, data)


def test_pages_need_an_account(client, world):
    token, _text = services.issue_token(world.alice, "t", read_only=True, expires_on=None)
    for url in (LIST, NEW, f"/account/api-tokens/{token.pk}/revoke/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_new_token_is_shown_once_and_never_again(client, world):
    client.force_login(world.alice)
    assert client.get(NEW).status_code == 200
    response = _new(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=world.alice)
    text = response.context["text"]
    assert text.startswith(f"mrz_{token.prefix}_") and text in response.content.decode()
    assert token.read_only
    # the list, the new form and the revoke page show the prefix only
    for url in (LIST, NEW, f"/account/api-tokens/{token.pk}/revoke/"):
        body = client.get(url).content.decode()
        assert text not in body and text.split("_", 2)[2] not in body, url
    assert f"mrz_{token.prefix}" in client.get(LIST).content.decode()
    # the token works
    api = client.get("/api/v1/private/me", HTTP_AUTHORIZATION=f"Bearer {text}")
    assert api.status_code == 200


def test_the_list_is_the_users_own(client, world):
    services.issue_token(world.alice, "Alice's", read_only=True, expires_on=None)
    services.issue_token(world.bob, "Bob's", read_only=True, expires_on=None)
    client.force_login(world.bob)
    body = client.get(LIST).content.decode()
    assert "Bob&#x27;s" in body and "Alice" not in body


def test_an_unchecked_read_only_box_makes_a_writing_token(client, world):
    client.force_login(world.alice)
    client.post(NEW, {"name": "Writer", "form_nonce": _nonce(client)})
    assert ApiToken.objects.get(user=world.alice).read_only is False


@pytest.mark.parametrize(
    ("days", "ok"), [(-1, False), (0, True), (365, True), (366, False), (10_000, False)]
)
def test_the_expiry_date_is_from_today_to_a_year(client, world, days, ok):
    client.force_login(world.alice)
    day = timezone.localdate() + datetime.timedelta(days=days)
    response = _new(client, expires_on=day.isoformat())
    assert ApiToken.objects.filter(user=world.alice).exists() is ok
    if not ok:
        assert response.status_code == 400
        assert response.context["form"].errors["expires_on"]
        # what the user typed is kept
        assert 'value="Reporting"' in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"name": ""},
        {"name": "x" * 101},
        {"name": "line\x07bell"},
        {"name": "ok", "expires_on": "not a date"},
    ],
)
def test_bad_input_is_refused_and_nothing_is_made(client, world, data):
    client.force_login(world.alice)
    response = client.post(NEW, {**data, "form_nonce": _nonce(client)})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_too_many_tokens_in_use_are_refused(client, world, monkeypatch):
    monkeypatch.setattr("mreza.api.private.forms.MAX_TOKENS_PER_USER", 2)
    for i in range(2):
        services.issue_token(world.alice, f"t{i}", read_only=True, expires_on=None)
    client.force_login(world.alice)
    assert _new(client).status_code == 400
    assert ApiToken.objects.filter(user=world.alice).count() == 2


def test_revoke_asks_first_then_revokes_on_post(client, world):
    token, text = services.issue_token(world.alice, "Old", read_only=True, expires_on=None)
    client.force_login(world.alice)
    url = f"/account/api-tokens/{token.pk}/revoke/"
    page = client.get(url)
    assert page.status_code == 200 and '<form method="post"' in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.get(content_type__model="apitoken", action="update")
    assert entry.actor == world.alice
    api = client.get("/api/v1/private/me", HTTP_AUTHORIZATION=f"Bearer {text}")
    assert api.status_code == 401
    assert "revoked on" in client.get(LIST).content.decode()


@pytest.mark.parametrize("persona", ["bob", "charlie", "admin"])
def test_nobody_else_sees_or_revokes_a_token_admins_included(client, world, persona):
    token, _text = services.issue_token(world.alice, "Alice's", read_only=True, expires_on=None)
    client.force_login(getattr(world, persona))
    url = f"/account/api-tokens/{token.pk}/revoke/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_list_page_runs_the_same_queries_for_many_tokens(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.alice)
    services.issue_token(world.alice, "one", read_only=True, expires_on=None)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for i in range(20):
        services.issue_token(world.alice, f"more {i}", read_only=i % 2 == 0, expires_on=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200


def test_the_list_says_the_last_day_a_token_works(client, world):
    day = timezone.localdate() + datetime.timedelta(days=30)
    services.issue_token(world.alice, "Monthly", read_only=True, expires_on=day)
    client.force_login(world.alice)
    body = client.get(LIST).content.decode()
    assert f"works until {date_format(day, 'SHORT_DATE_FORMAT')}" in body


def test_a_form_sent_twice_makes_one_token(client, world):
    """A reload of the page that shows the secret sends the same POST again."""
    client.force_login(world.alice)
    data = {"name": "Reporting", "read_only": "on", "form_nonce": _nonce(client)}
    assert client.post(NEW, data).status_code == 200
    again = client.post(NEW, data, follow=True)
    assert ApiToken.objects.filter(user=world.alice).count() == 1
    assert "This form was sent before" in again.content.decode()
    assert client.post(NEW, {**data, "form_nonce": "made-up"}).status_code == 302
    assert ApiToken.objects.filter(user=world.alice).count() == 1


def test_a_refused_form_keeps_its_mark_and_then_makes_the_token(client, world):
    client.force_login(world.alice)
    nonce = _nonce(client)
    refused = client.post(NEW, {"name": "", "form_nonce": nonce})
    assert refused.status_code == 400 and nonce in refused.content.decode()
    assert client.post(NEW, {"name": "Fixed", "form_nonce": nonce}).status_code == 200
    assert ApiToken.objects.get(user=world.alice).name == "Fixed"
