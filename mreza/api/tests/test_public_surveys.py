"""Survey totals without an account: only surveys whose results are public, only closed waves,
never a written answer or a single response, any question answered fewer than five times
withheld; constant query counts as responses and surveys grow."""

import datetime

import pytest

from mreza.api.tests.public_fixtures import (  # noqa: F401 (fixtures)
    _fresh_rate_limits,
    count_queries,
    evaluation,
    get_json,
    known,
    ws,
)
from mreza.surveys.models import Response, Survey, Wave
from mreza.surveys.services import builder

URL = "/api/v1/surveys"
DAY = datetime.date(2025, 1, 1)


def _responses(wave, answers):
    Response.objects.bulk_create(
        Response(wave=wave, answers=a, language="en", submitted_on=DAY) for a in answers
    )


@pytest.fixture
def public(known):  # noqa: F811 (the fixture imported above)
    w = known
    Survey.objects.filter(pk=w.survey.pk).update(results_public=True)
    w.before, w.after = w.survey.waves.order_by("position")
    return w


def _results_url(w, wave):
    return f"{URL}/{w.survey.pk}/waves/{wave.pk}/results"


def test_only_surveys_with_public_results(known, client):  # noqa: F811 (the fixture imported above)
    assert get_json(client, URL)["count"] == 0
    assert get_json(client, f"{URL}/{known.survey.pk}", status=404)["code"] == "not_found"
    wave = known.survey.waves.first()
    assert get_json(client, _results_url(known, wave), status=404)
    Survey.objects.filter(pk=known.survey.pk).update(results_public=True)
    (row,) = get_json(client, URL)["results"]
    assert row["id"] == known.survey.pk and row["municipality"] == "T-A"
    assert [w["name"] for w in row["waves"]] == ["Wave 0", "Wave 1"]
    assert [w["responses"] for w in row["waves"]] == [20, 20]
    assert "public_token" not in row


def test_open_and_draft_waves_are_not_shown(public, client):
    w = public
    Wave.objects.filter(pk=w.after.pk).update(status=Wave.Status.OPEN)
    body = get_json(client, f"{URL}/{w.survey.pk}")
    assert [x["name"] for x in body["waves"]] == ["Wave 0"]
    assert [x["name"] for x in body["comparable_waves"]] == ["Wave 0"]
    assert get_json(client, _results_url(w, w.after), status=404)
    draft = builder.add_wave(w.survey, name="Draft")
    assert get_json(client, _results_url(w, draft), status=404)


def test_a_closed_wave_in_totals_with_small_items_withheld(public, client):
    w = public
    _responses(w.after, [{"trust": "yes", "comment": "Kill the mayor"}] * 3)
    body = get_json(client, _results_url(w, w.after))
    assert (body["responses"], body["online"], body["paper"]) == (23, 23, 0)
    assert body["min_answers"] == 5
    items = {i["code"]: i for i in body["items"]}
    assert set(items) == {"services", "overall", "trust", "comment"}  # no demographics
    overall = items["overall"]
    assert overall["answered"] == 20 and not overall["withheld"]
    assert overall["summary"]["n"] == 20 and overall["summary"]["mean"] == pytest.approx(4.0)
    assert [b["count"] for b in overall["bars"]] == [0, 0, 4, 12, 4]
    trust = items["trust"]
    assert trust["answered"] == 3 and trust["withheld"]
    assert trust["bars"] == [] and trust["summary"] is None
    assert "Kill the mayor" not in str(body) and "texts" not in items["comment"]


def test_a_wave_of_another_survey_is_not_found(public, client):
    w = public
    other = builder.create_survey(w.b, w.charlie, languages=["en"], template="satisfaction")
    theirs = Wave.objects.create(survey=other, name="Theirs", status=Wave.Status.CLOSED)
    assert get_json(client, _results_url(w, theirs), status=404)


def test_texts_in_the_language_asked_for_if_the_survey_has_it(public, client):
    w = public
    body = get_json(client, _results_url(w, w.before) + "?lang=de")
    assert body["language"] == "en"
    assert get_json(client, _results_url(w, w.before) + f"?lang={'x' * 21}", status=422)


def test_query_counts_stay_the_same_as_responses_and_surveys_grow(public, client):
    w = public
    urls = [URL, f"{URL}/{w.survey.pk}", _results_url(w, w.before)]
    before = [count_queries(client, url) for url in urls]
    _responses(w.before, [{"overall": 5, "trust": "no"}] * 40)
    for number in range(3):
        other = builder.create_survey(w.b, w.charlie, languages=["en"], template="satisfaction")
        other.results_public = True
        other.save(update_fields=["results_public"])
        wave = Wave.objects.create(survey=other, name=f"W{number}", status=Wave.Status.CLOSED)
        _responses(wave, [{"overall": 3}] * 6)
    assert [count_queries(client, url) for url in urls] == before
    # a fixed number of queries (today these), whatever the number of rows
    assert all(n <= most for n, most in zip(before, [3, 3, 5], strict=True))
