"""The public answer page /s/<token>/: languages, the questions, a valid submission, errors with
the answers kept, anonymity (nothing that identifies the respondent is stored)."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from mreza.core.models import AuditEntry
from mreza.surveys.models import DeviceReceipt, Item, Response
from mreza.surveys.services import builder
from mreza.surveys.services.responses import DEVICE_COOKIE


@pytest.fixture(autouse=True)
def _empty_cache():
    # the rate limit lives in the cache; each test starts with none spent
    cache.clear()
    yield
    cache.clear()


def url(survey, **query):
    base = f"/s/{survey.public_token}/"
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def form_token(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def post(client, survey, answers, *, lang="en", token=None):
    token = token or form_token(client.get(url(survey, lang=lang)))
    return client.post(url(survey, lang=lang), {"token": token, **answers})


GOOD = {"q.overall": "4", "q.services.roads": "2", "q.trust": "yes", "q.comment": "Fix the bridge"}


def test_the_page_shows_every_question_in_the_first_language(client, survey, wave):
    response = client.get(url(survey))
    assert response.status_code == 200
    html = response.content.decode()
    # Banja Luka is in BA: Serbian is ijekavian, Cyrillic by default
    assert '<html lang="sr-ijekavsk">' in html
    assert "Колико сте задовољни овим услугама општине?" in html
    for code in ("overall", "trust", "age", "gender", "settlement", "comment"):
        assert f'id="q-{code}"' in html
    assert 'name="q.services.roads"' in html
    assert html.count('name="q.overall"') == 5  # a scale as a row of radios
    assert 'name="viewport"' in html
    assert "<script>" not in html and not re.search(r"\son[a-z]+=", html)


def test_the_chooser_offers_only_the_surveys_languages_serbian_in_both_scripts(client, survey):
    html = client.get(url(survey)).content.decode()
    chooser = html[html.index('class="survey-languages"') :][:1500]
    assert "?lang=sr-ijekavsk" in chooser and "?lang=sr-latn-ijekavsk" in chooser
    assert "?lang=bs" in chooser and "?lang=en" in chooser
    assert "?lang=hr" not in chooser and "?lang=bg" not in chooser


@pytest.mark.parametrize(
    ("query", "headers", "language", "text"),
    [
        ({"lang": "bs"}, {}, "bs", "Koliko ste zadovoljni ovim uslugama općine?"),
        ({"lang": "sr-latn-ijekavsk"}, {}, "sr-latn-ijekavsk", "Koliko ste zadovoljni ovim"),
        ({"lang": "en"}, {}, "en", "How satisfied are you with these services"),
        ({}, {"HTTP_ACCEPT_LANGUAGE": "bs"}, "bs", "Koliko ste zadovoljni"),
        # Croatian is not offered by this survey: the first language instead
        ({}, {"HTTP_ACCEPT_LANGUAGE": "hr"}, "sr-ijekavsk", "Колико сте задовољни"),
        ({"lang": "bg"}, {}, "sr-ijekavsk", "Колико сте задовољни"),
    ],
)
def test_the_language_asked_for_or_the_browsers_if_offered(
    client, survey, query, headers, language, text
):
    html = client.get(url(survey, **query), **headers).content.decode()
    assert f'<html lang="{language}">' in html
    assert text in html


def test_a_device_cookie_is_set_on_first_view_and_kept(client, survey):
    response = client.get(url(survey))
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) > 365 * 24 * 3600
    again = client.get(url(survey))
    assert DEVICE_COOKIE not in again.cookies  # the same device: not set again


def test_a_valid_submission_is_saved_and_thanked(client, survey, wave):
    response = post(client, survey, GOOD, lang="bs")
    assert response.status_code == 302
    assert response["Location"] == f"/s/{survey.public_token}/thanks/?lang=bs"
    saved = Response.objects.get()
    assert saved.wave == wave
    assert saved.answers == {
        "overall": 4,
        "services": {"roads": 2},
        "trust": "yes",
        "comment": "Fix the bridge",
    }
    assert (saved.language, saved.channel) == ("bs", "web")
    assert saved.submitted_on == timezone.localdate()
    assert saved.entered_by is None and saved.paper_number == ""
    thanks = client.get(response["Location"])
    assert "Hvala!" in thanks.content.decode()


def test_nothing_identifies_the_respondent_not_even_a_signed_in_one(client, survey, wave, world):
    client.force_login(world.alice)
    device = client.get(url(survey)).cookies[DEVICE_COOKIE].value
    post(client, survey, GOOD, lang="en")
    saved = Response.objects.get()
    # no audit entry: its time and order would identify the answer (Response.audit_creation)
    assert not AuditEntry.objects.filter(content_type__model="response").exists()
    stored = str(saved.answers) + saved.language
    assert "127.0.0.1" not in stored and "alice" not in stored
    receipt = DeviceReceipt.objects.get()
    assert device not in receipt.device_hash and len(receipt.device_hash) == 64
    assert {f.name for f in Response._meta.fields} >= {"submitted_on"}
    assert not any("ip" in f.name or "agent" in f.name for f in Response._meta.fields)


def test_missing_required_answer_keeps_the_others_and_saves_nothing(client, survey):
    answers = {"q.trust": "no", "q.services.roads": "3", "q.comment": "Slow"}
    response = post(client, survey, answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "One answer needs your attention" in html
    overall = html[html.index('id="q-overall"') :][:1200]
    assert "Please answer this question." in overall
    assert 'name="q.trust" value="no" checked' in html
    assert 'name="q.services.roads" value="3" checked' in html
    assert ">Slow</textarea>" in html
    assert Response.objects.count() == 0
    assert DeviceReceipt.objects.count() == 0


def test_an_out_of_range_answer_is_shown_next_to_its_item(client, survey):
    response = post(client, survey, {**GOOD, "q.overall": "9"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a value from 1 to 5." in html[html.index('id="q-overall"') :][:1200]
    assert Response.objects.count() == 0


def test_answers_to_items_that_do_not_exist_are_ignored_and_logged(client, survey, caplog):
    caplog.set_level("WARNING", logger="mreza.surveys")
    response = post(client, survey, {**GOOD, "q.salary": "1000", "q.services.water": "5"})
    assert response.status_code == 302
    assert set(Response.objects.get().answers) == {"overall", "services", "trust", "comment"}
    assert "q.salary" in caplog.text and "q.services.water" in caplog.text
    assert "127.0.0.1" not in caplog.text


def test_a_hidden_follow_up_is_dropped_by_the_server(client, survey, wave):
    Response.objects.all().delete()
    Item.objects.create(
        survey=survey,
        code="why",
        kind="text",
        text={"en": "Why not?"},
        position=3,
        required=True,
        show_if={"item": "trust", "any_of": ["no"]},
    )
    html = client.get(url(survey, lang="en")).content.decode()
    assert 'data-show-if="q.trust" data-show-if-any="no"' in html
    assert post(client, survey, {**GOOD, "q.why": "ignored"}).status_code == 302
    assert "why" not in Response.objects.get().answers
    # shown (trust = no) it is required
    client.cookies.clear()
    assert post(client, survey, {**GOOD, "q.trust": "no"}).status_code == 400


def test_an_expired_form_keeps_the_answers_and_saves_on_the_second_send(client, survey, settings):
    token = form_token(client.get(url(survey, lang="en")))
    settings.MREZA_SURVEY_FORM_MAX_AGE = -1
    response = post(client, survey, GOOD, token=token)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This page was open for a long time" in html
    assert 'name="q.overall" value="4" checked' in html
    assert Response.objects.count() == 0
    settings.MREZA_SURVEY_FORM_MAX_AGE = 3600
    assert post(client, survey, GOOD, token=form_token(response)).status_code == 302
    assert Response.objects.count() == 1


def test_unknown_link_is_404(client, db):
    assert client.get("/s/no-such-survey/").status_code == 404
    assert client.get("/s/no-such-survey/thanks/").status_code == 404


def test_the_link_follows_the_new_version(client, survey, wave, world):
    post(client, survey, GOOD)
    token = survey.public_token
    newer = builder.new_version(survey, world.alice)
    assert newer.public_token == token
    response = client.get(f"/s/{token}/?lang=en")
    assert response.status_code == 200
    assert "This survey is not open for answers now." in response.content.decode()


def test_the_answer_page_costs_the_same_queries_with_more_items(
    client, survey, django_assert_max_num_queries
):
    client.get(url(survey))
    with django_assert_max_num_queries(8):
        client.get(url(survey))
    for n in range(20):
        Item.objects.create(survey=survey, code=f"extra{n}", kind="scale", text={"en": "More?"})
    with django_assert_max_num_queries(8):
        client.get(url(survey))
