"""API tokens: stored hashed (the secret nowhere), revoked and expired tokens refused, read-only
tokens refused on writes, only the Bearer scheme accepted, the last use noted at most once a
minute. Every refusal is JSON."""

import datetime
import hashlib
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from mreza.api.auth import LAST_USED_EVERY, find_token, note_use
from mreza.api.models import ApiToken, parse_token
from mreza.api.private import services
from mreza.core.access import Perm, may
from mreza.core.models import AuditEntry

ME = "/api/v1/private/me"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def issued(world):
    return services.issue_token(world.alice, "Reporting", read_only=False, expires_on=None)


def _get(client, text, url=ME):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {text}")


def _all_stored_text():
    """Every value of every column of the tokens table and of the audit trail, as text."""
    with connection.cursor() as cursor:
        rows = []
        for table in (ApiToken._meta.db_table, AuditEntry._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (our own table names)
            rows.extend(cursor.fetchall())
    return json.dumps(rows, default=str)


def test_the_token_is_stored_as_a_sha256_of_its_secret_and_the_secret_nowhere(issued):
    token, text = issued
    prefix, secret = parse_token(text)
    assert text == f"mrz_{token.prefix}_{secret}" and prefix == token.prefix
    assert len(secret) >= 43  # 32 random bytes, URL-safe base64
    assert token.hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = _all_stored_text()
    assert secret not in stored
    # the hash stays out of the audit trail (it would let anyone with the log test guesses)
    entry = AuditEntry.objects.get(content_type__model="apitoken", action="create")
    assert "hash" not in entry.changes and token.hash not in json.dumps(entry.changes)
    assert entry.changes["prefix"] == [None, token.prefix]


def test_two_tokens_never_share_a_secret_or_a_prefix(world):
    texts = {
        services.issue_token(world.alice, f"t{i}", read_only=True, expires_on=None)[1]
        for i in range(5)
    }
    assert len(texts) == 5
    assert ApiToken.objects.values("prefix").distinct().count() == 5


def test_a_valid_token_acts_as_its_user(client, world, issued):
    response = _get(client, issued[1])
    assert response.status_code == 200
    assert response.json()["token_name"] == "Reporting"
    # a private answer: no proxy or browser cache keeps it
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Token {text}",
        "Basic {text}",
        "Bearer mrz_",
        "Bearer mrz_{prefix}_wrong-secret",
        "Bearer mrz_00000000_{secret}",
        "Bearer xyz_{prefix}_{secret}",
        "Bearer {text}x",
        "Bearer mrz_{prefix}_" + "a" * 5000,
    ],
)
def test_a_wrong_scheme_or_token_is_a_401_in_json(client, issued, header):
    _token, text = issued
    prefix, secret = parse_token(text)
    headers = {}
    if header is not None:
        headers["HTTP_AUTHORIZATION"] = header.format(text=text, prefix=prefix, secret=secret)
    response = client.get(ME, **headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "unauthorised"
    assert text not in response.content.decode()


def test_a_session_does_not_open_the_token_api(client, world):
    client.force_login(world.alice)
    assert client.get(ME).status_code == 401


def test_a_revoked_token_is_refused_at_once(client, issued):
    token, text = issued
    assert _get(client, text).status_code == 200
    services.revoke_token(token)
    response = _get(client, text)
    assert response.status_code == 401 and response.json()["code"] == "unauthorised"
    assert AuditEntry.objects.filter(
        content_type__model="apitoken", action="update", changes__has_key="revoked_at"
    ).exists()


def test_revoking_twice_keeps_the_first_date(issued):
    token, _text = issued
    first = services.revoke_token(token).revoked_at
    assert services.revoke_token(token).revoked_at == first


def test_an_expired_token_is_refused_and_one_expiring_today_works_all_day(client, world):
    today = timezone.localdate()
    token, text = services.issue_token(world.alice, "today", read_only=True, expires_on=today)
    assert token.expires_at == timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
    )
    assert token.last_day == today
    assert _get(client, text).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert _get(client, text).status_code == 401


def test_a_deactivated_users_token_is_refused(client, world, issued):
    world.alice.is_active = False
    world.alice.save(update_fields=["is_active"])
    assert _get(client, issued[1]).status_code == 401


def test_a_read_only_token_reads_but_may_not_write(client, world):
    _token, text = services.issue_token(world.alice, "ro", read_only=True, expires_on=None)
    assert _get(client, text).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            "/api/v1/private/workspaces/1/activities/1/status",
            data=json.dumps({"action": "start", "version": 1}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {text}",
        )
        # a write method on a read-only token: refused before anything is looked up
        assert response.status_code in (403, 405), method
        assert response["Content-Type"].startswith("application/json"), method
    post = client.post(
        "/api/v1/private/workspaces/1/activities/1/status",
        data=json.dumps({"action": "start", "version": 1}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {text}",
    )
    assert post.status_code == 403 and post.json()["code"] == "forbidden"


def test_the_last_use_is_noted_at_most_once_a_minute(client, issued):
    token, text = issued
    assert token.last_used_at is None
    _get(client, text)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    _get(client, text)
    token.refresh_from_db()
    assert token.last_used_at == first
    later = first + LAST_USED_EVERY
    note_use(token, now=later)
    token.refresh_from_db()
    assert token.last_used_at == later
    # bookkeeping, not an audited change
    assert not AuditEntry.objects.filter(
        content_type__model="apitoken", changes__has_key="last_used_at"
    ).exists()


def test_find_token_compares_the_whole_secret(issued):
    token, text = issued
    assert find_token(text) == token
    assert find_token(text[:-1]) is None
    assert find_token(text + "A") is None
    assert find_token(text.replace("mrz_", "MRZ_")) is None


def test_tokens_are_their_owners_alone_in_the_policy(world, issued):
    token, _text = issued
    assert may(world.alice, Perm.MANAGE_TOKENS, token)
    for other in (world.bob, world.admin, AnonymousUser()):
        assert not may(other, Perm.VIEW, token)
        assert not may(other, Perm.MANAGE_TOKENS, token)


def test_the_rate_limit_counts_per_token(client, world, settings):
    settings.MREZA_API_RATE_LIMITS = {"token": (3, 3600), "anonymous": (1000, 3600)}
    _first, text = services.issue_token(world.alice, "busy", read_only=True, expires_on=None)
    _second, other = services.issue_token(world.alice, "quiet", read_only=True, expires_on=None)
    assert [_get(client, text).status_code for _ in range(3)] == [200, 200, 200]
    refused = _get(client, text)
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_requests"
    assert int(refused["Retry-After"]) > 0
    # another token of the same user, from the same address, has its own count
    assert _get(client, other).status_code == 200
