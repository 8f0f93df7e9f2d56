"""Issue 7 item 1: the admin signs in through allauth, and "MFA passed" means a code was entered."""

import time

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _with_totp(user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _code(secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_admin_login_page_is_allauths(world, client):
    response = client.get("/admin/login/?next=/admin/registry/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fregistry%2F"
    # The admin's own redirect for anonymous visitors ends on allauth's page too.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert 'name="login"' in response.content.decode()


def test_admin_login_refuses_a_foreign_next(world, client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_signed_in_non_staff_gets_403_not_a_redirect_loop(world, client):
    client.force_login(world.bob)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_wrong_passwords_at_the_admin_login_are_rate_limited(world, client):
    def post(password):
        data = {"username": "admin@example.org", "login": "admin@example.org", "password": password}
        return client.post("/admin/login/?next=/admin/", data, follow=True)

    for _ in range(12):
        post("wrong")
    response = post("test-password-123")
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_admin_password_alone_does_not_open_the_admin(world, client):
    secret = _with_totp(world.admin)
    data = {
        "username": "admin@example.org",
        "login": "admin@example.org",
        "password": "test-password-123",
    }
    response = client.post("/admin/login/?next=/admin/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("required", [True, False])
def test_a_session_without_the_totp_stage_is_sent_to_it(world, client, settings, required):
    """force_login skips allauth's login (and so its TOTP stage). A user who has TOTP must still
    enter a code before any page, whether or not MREZA_MFA_REQUIRED forces roles to set it up."""
    settings.MREZA_MFA_REQUIRED = required
    secret = _with_totp(world.alice)
    client.force_login(world.alice)
    for path in (
        "/dashboard/",
        "/municipalities/T-A/",
        "/accounts/password/change/",
        "/accounts/2fa/",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next="), path
    assert client.get("/accounts/2fa/reauthenticate/?next=/dashboard/").status_code == 200
    response = client.post(
        "/accounts/2fa/reauthenticate/?next=/dashboard/", {"code": _code(secret)}
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_an_administrator_with_totp_but_no_code_does_not_reach_the_admin(world, client):
    _with_totp(world.admin)
    client.force_login(world.admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_a_wrong_code_does_not_pass(world, client, settings):
    settings.MREZA_MFA_REQUIRED = True
    secret = _with_totp(world.alice)
    client.force_login(world.alice)
    wrong = str((int(_code(secret)) + 1) % 1000000).zfill(6)
    client.post("/accounts/2fa/reauthenticate/?next=/dashboard/", {"code": wrong})
    assert client.get("/dashboard/").status_code == 302


def test_login_with_the_totp_stage_passes_without_asking_again(world, client, settings):
    settings.MREZA_MFA_REQUIRED = True
    secret = _with_totp(world.alice)
    response = client.post(
        "/accounts/login/", {"login": "alice@example.org", "password": "test-password-123"}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/dashboard/").status_code == 302  # not signed in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth announces the new TOTP on commit
def test_activating_totp_counts_as_the_second_factor(world, client, settings):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    settings.MREZA_MFA_REQUIRED = True
    client.force_login(world.alice)
    assert client.get("/dashboard/")["Location"] == "/accounts/2fa/totp/activate/"
    client.post("/accounts/reauthenticate/", {"password": "test-password-123"})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_an_assessor_without_totp_needs_no_code(world, client, settings):
    settings.MREZA_MFA_REQUIRED = True
    client.force_login(world.bob)
    assert client.get("/dashboard/").status_code == 200


def test_with_mfa_not_required_a_coordinator_without_totp_is_not_stopped(world, client, settings):
    """MREZA_MFA_REQUIRED off (the demo) only lifts the duty to set TOTP up; see the test above
    for users who have it."""
    settings.MREZA_MFA_REQUIRED = False
    client.force_login(world.alice)
    assert client.get("/dashboard/").status_code == 200
