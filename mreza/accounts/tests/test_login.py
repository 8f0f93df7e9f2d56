import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_login_and_logout(world, client):
    response = client.post(
        "/accounts/login/", {"login": "alice@example.org", "password": "test-password-123"}
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert "Бања Лука" in client.get("/dashboard/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_failed_logins_are_rate_limited(world, client):
    for _ in range(6):
        client.post("/accounts/login/", {"login": "alice@example.org", "password": "wrong"})
    # Even the right password is refused until the limit expires.
    response = client.post(
        "/accounts/login/", {"login": "alice@example.org", "password": "test-password-123"}
    )
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_open_signup_is_closed(world, client):
    response = client.get("/accounts/signup/")
    assert response.status_code in (200, 403)
    assert "closed" in response.content.decode().lower() or response.status_code == 403


def test_password_reset_sends_mail(world, client):
    from django.core import mail

    client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert len(mail.outbox) == 1


def test_coordinators_must_set_up_mfa(world, client, settings):
    settings.MREZA_MFA_REQUIRED = True
    client.force_login(world.alice)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate/" in response["Location"]
    client.force_login(world.bob)  # an assessor needs no second factor
    assert client.get("/dashboard/").status_code == 200


def test_coordinator_with_totp_passes_after_entering_a_code(world, client, settings):
    import time

    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
    )

    settings.MREZA_MFA_REQUIRED = True
    secret = generate_totp_secret()
    TOTP.activate(world.alice, secret)
    client.force_login(world.alice)
    assert client.get("/dashboard/").status_code == 302  # having TOTP is not passing it
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post("/accounts/2fa/reauthenticate/", {"code": code})
    assert client.get("/dashboard/").status_code == 200


def test_language_choice_is_remembered_on_the_account(world, client):
    client.force_login(world.bob)
    client.post("/i18n/setlang/", {"language": "sr-latn", "next": "/dashboard/"})
    world.bob.refresh_from_db()
    assert world.bob.language == "sr-latn"
    client.cookies.clear()
    client.force_login(world.bob)
    assert client.get("/dashboard/")["Content-Language"] == "sr-latn"
