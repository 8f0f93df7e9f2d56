"""The MFA middleware asks "has this user TOTP?" once per session, not on every page: the answer
is kept in the session and forgotten when the user adds or removes an authenticator (allauth's
signals), so the next page asks the database again."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _authenticator_queries(client, url="/dashboard/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    asked = sum("mfa_authenticator" in q["sql"] for q in ctx.captured_queries)
    return response, asked


def test_the_answer_is_asked_once_per_session(world, client, settings):
    settings.MREZA_MFA_REQUIRED = False
    client.force_login(world.bob)
    _response, first = _authenticator_queries(client)
    assert first == 1
    for url in ("/dashboard/", "/municipalities/", "/dashboard/"):
        response, asked = _authenticator_queries(client, url)
        assert response.status_code == 200
        assert asked == 0, url


def test_the_answer_belongs_to_the_user_of_the_session(world, client, settings):
    settings.MREZA_MFA_REQUIRED = False
    client.force_login(world.bob)
    _authenticator_queries(client)
    client.force_login(world.alice)  # a new session: asked again for her
    _response, asked = _authenticator_queries(client)
    assert asked >= 1


@pytest.mark.django_db(transaction=True)  # allauth announces the new TOTP on commit
def test_adding_and_removing_totp_asks_again(world, client, settings):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    settings.MREZA_MFA_REQUIRED = False  # alice may work without TOTP; the dashboard asks her
    client.force_login(world.alice)
    assert "Protect your account" in client.get("/dashboard/").content.decode()
    _response, asked = _authenticator_queries(client)
    assert asked == 0  # kept in the session

    client.post("/accounts/reauthenticate/", {"password": "test-password-123"})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client.post("/accounts/2fa/totp/activate/", {"code": code}).status_code == 302
    response, asked = _authenticator_queries(client)
    assert asked == 1  # forgotten on activation, asked again
    assert "Protect your account" not in response.content.decode()

    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302, response.content.decode()[:500]
    response, asked = _authenticator_queries(client)
    assert asked == 1
    assert "Protect your account" in response.content.decode()
