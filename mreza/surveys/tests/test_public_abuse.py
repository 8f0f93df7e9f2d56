"""Abuse limits of the public link: closed and draft waves, tampered and replayed forms, one
answer per device, one-time codes (and their replay), the per-address rate limit (429). Each
refusal is clear, nothing is half-saved, and other respondents are still served."""

import re

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client

from mreza.core.ratelimit import address_bucket
from mreza.surveys.models import AccessCode, DeviceReceipt, Response, Wave
from mreza.surveys.services import builder
from mreza.surveys.services.responses import DEVICE_COOKIE, issue_form_token

GOOD = {"q.overall": "3"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def url(survey, **query):
    # the messages checked below are the English ones (the survey offers en besides sr and bs)
    query.setdefault("lang", "en")
    base = f"/s/{survey.public_token}/"
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def token_of(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def fresh_token(survey, **query):
    """A token from a new visitor's first view (a new device)."""
    return token_of(Client().get(url(survey, lang="en", **query)))


def send(survey, token, answers=GOOD, client=None, **extra):
    client = client or Client()
    return client.post(url(survey, lang="en"), {"token": token, **answers}, **extra)


def text(response):
    return response.content.decode()


def test_a_closed_wave_answers_not_open_and_refuses_a_late_form(client, survey, wave):
    token = fresh_token(survey)
    builder.close_wave(wave)
    page = client.get(url(survey))
    assert page.status_code == 200
    assert "This survey is not open for answers now." in text(page)
    late = send(survey, token)
    assert "This survey is not open for answers now." in text(late)
    assert Response.objects.count() == 0 and DeviceReceipt.objects.count() == 0


def test_a_draft_wave_is_not_open(client, survey, wave):
    builder.close_wave(wave)
    builder.add_wave(survey, name="After")
    assert "not open for answers now" in text(client.get(url(survey)))


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "not-a-token",
        "tampered",  # a real token with one character changed
        "other-wave",  # signed for another wave
        "wrong-salt",
    ],
)
def test_a_tampered_form_is_refused_and_nothing_saved(survey, wave, bad):
    good = fresh_token(survey)
    if bad == "tampered":
        bad = good[:-3] + ("AAA" if good[-3:] != "AAA" else "BBB")
    elif bad == "other-wave":
        other = Wave(pk=wave.pk + 100, survey=survey)
        bad = issue_form_token(other, "some-device-id-1234567890")
    elif bad == "wrong-salt":
        bad = signing.dumps({"w": wave.pk, "d": "some-device-id-1234567890"})
    response = send(survey, bad)
    assert response.status_code == 400
    assert "This form cannot be accepted" in text(response)
    assert Response.objects.count() == 0 and DeviceReceipt.objects.count() == 0
    # the next respondent is served as usual
    assert send(survey, fresh_token(survey)).status_code == 302


def test_a_replayed_form_token_is_refused_even_without_the_cookie(survey, wave):
    token = fresh_token(survey)
    assert send(survey, token).status_code == 302
    for _ in range(3):
        again = send(survey, token)  # a new client each time: no cookie
        assert again.status_code == 200
        assert "You have already answered this survey. Thank you!" in text(again)
    assert Response.objects.count() == 1 and DeviceReceipt.objects.count() == 1


def test_one_answer_per_device(client, survey, wave):
    first = client.get(url(survey, lang="en"))
    assert send(survey, token_of(first), client=client).status_code == 302
    # the same browser (its cookie) sees the thank-you, not the form
    page = client.get(url(survey, lang="en"))
    assert "You have already answered this survey" in text(page)
    assert 'name="token"' not in text(page)
    assert Response.objects.count() == 1
    # another device is still served
    assert send(survey, fresh_token(survey)).status_code == 302
    assert Response.objects.count() == 2


def test_a_flood_from_one_address_gets_429_and_others_are_served(survey, wave, settings):
    settings.MREZA_SURVEY_RATE_SUBMISSIONS = 3
    tokens = [fresh_token(survey) for _ in range(5)]
    statuses = [send(survey, t, REMOTE_ADDR="203.0.113.7").status_code for t in tokens[:4]]
    assert statuses == [302, 302, 302, 429]
    limited = send(survey, tokens[4], REMOTE_ADDR="203.0.113.7")
    assert limited.status_code == 429
    assert "Too many answers from your connection" in text(limited)
    assert Response.objects.count() == 3
    # other addresses are still served
    assert send(survey, tokens[4], REMOTE_ADDR="198.51.100.20").status_code == 302
    assert send(survey, fresh_token(survey), REMOTE_ADDR="2001:db8:1::1").status_code == 302
    assert Response.objects.count() == 5


def test_ipv6_addresses_of_one_network_share_a_limit(survey, wave, settings):
    settings.MREZA_SURVEY_RATE_SUBMISSIONS = 1
    assert send(survey, fresh_token(survey), REMOTE_ADDR="2001:db8:1:2::1").status_code == 302
    assert send(survey, fresh_token(survey), REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
    assert send(survey, fresh_token(survey), REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def test_the_rate_limit_is_kept_in_the_cache_only(survey, wave, settings):
    settings.MREZA_SURVEY_RATE_SUBMISSIONS = 1
    send(survey, fresh_token(survey), REMOTE_ADDR="203.0.113.9")
    keys = list(cache._cache)  # the test cache is the local-memory one
    assert keys and not any("203.0.113.9" in key for key in keys)


@pytest.fixture
def codes_wave(survey, wave):
    builder.close_wave(wave)
    coded = builder.add_wave(survey, name="Panel", access=Wave.Access.CODES)
    builder.open_wave(coded)
    coded.refresh_from_db()
    coded.codes = builder.generate_codes(coded, 3)
    return coded


def test_a_one_time_code_answers_once(survey, codes_wave):
    code = codes_wave.codes[0]
    page = Client().get(url(survey, lang="en", code=code))
    assert f'value="{code}"' in text(page)
    assert DEVICE_COOKIE not in page.cookies  # codes, not devices, limit this wave
    assert send(survey, token_of(page), {**GOOD, "code": code.lower()}).status_code == 302
    assert AccessCode.objects.filter(used=True).count() == 1
    # a replay of the code (a new form, another device) is refused with a message
    replay = send(survey, fresh_token(survey), {**GOOD, "code": code})
    assert replay.status_code == 400
    assert "This code has already been used." in text(replay)
    # the used code is pointed out as soon as the link is opened again
    assert "This code has already been used." in text(Client().get(url(survey, code=code)))
    assert Response.objects.count() == 1
    assert DeviceReceipt.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the code you received"),
        ("ZZZZZ-ZZZZZ", "This code is not valid for this survey."),
    ],
)
def test_a_missing_or_wrong_code_is_refused(survey, codes_wave, code, message):
    response = send(survey, fresh_token(survey), {**GOOD, "code": code})
    assert response.status_code == 400
    assert message in text(response)
    assert 'name="q.overall" value="3" checked' in text(response)
    assert Response.objects.count() == 0
    assert AccessCode.objects.filter(used=True).count() == 0


def test_a_code_of_another_wave_does_not_answer_this_one(survey, codes_wave, world):
    other = builder.create_survey(world.a, world.alice, template="satisfaction", languages=["en"])
    other_wave = builder.add_wave(other, name="Other", access=Wave.Access.CODES)
    builder.open_wave(other_wave)
    other_code = builder.generate_codes(other_wave, 1)[0]
    response = send(survey, fresh_token(survey), {**GOOD, "code": other_code})
    assert "This code is not valid for this survey." in text(response)
    assert Response.objects.count() == 0


def test_invalid_answers_do_not_spend_the_code(survey, codes_wave):
    code = codes_wave.codes[1]
    assert send(survey, fresh_token(survey), {"code": code}).status_code == 400
    assert not AccessCode.objects.filter(used=True).exists()
    assert send(survey, fresh_token(survey), {**GOOD, "code": code}).status_code == 302


def test_the_form_keeps_djangos_csrf_protection(survey, wave):
    strict = Client(enforce_csrf_checks=True)
    token = token_of(strict.get(url(survey, lang="en")))
    assert strict.post(url(survey, lang="en"), {"token": token, **GOOD}).status_code == 403
    assert Response.objects.count() == 0
    csrf = strict.cookies["csrftoken"].value
    sent = {"token": token, "csrfmiddlewaretoken": csrf, **GOOD}
    assert strict.post(url(survey, lang="en"), sent).status_code == 302
    assert Response.objects.count() == 1


def test_address_buckets_keep_no_address_and_treat_mapped_ipv4_as_ipv4():
    assert address_bucket("::ffff:192.0.2.1") == address_bucket("192.0.2.1")
    assert address_bucket("::ffff:192.0.2.1") != address_bucket("::ffff:192.0.2.2")
    assert address_bucket("2001:db8::1") == address_bucket("2001:db8::ffff")
    assert address_bucket(None) == address_bucket("not an address")
    assert "192.0.2.1" not in address_bucket("192.0.2.1")
