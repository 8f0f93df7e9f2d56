"""The results pages (issue 12 item 4): who sees what, the comparison and the breakdown on the
page, the public results page, the PDF, and a query count that does not grow with the answers."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from mreza.surveys.models import Wave
from mreza.surveys.tests.test_results_aggregation import add_responses, make_survey, make_wave


def _answers(overall, age="young", comment=None):
    answers = {"overall": overall, "trust": "yes", "age": age, "services": {"roads": overall}}
    if comment:
        answers["comment"] = comment
    return answers


@pytest.fixture
def two_waves(world):
    survey = make_survey(world.a)
    before = make_wave(survey, "Spring")
    after = make_wave(survey, "Autumn", position=1)
    add_responses(before, [_answers(3, "young")] * 12 + [_answers(2, "old")] * 12)
    add_responses(
        after,
        [_answers(4, "young", "Одличан шалтер")] * 12 + [_answers(5, "old")] * 11,
        channel="paper",
    )
    add_responses(after, [_answers(4, "old")] * 3)
    return survey, before, after


def _url(survey, tail="results/"):
    return f"/surveys/{survey.pk}/{tail}"


def _export(survey, wave, name):
    return f"/surveys/{survey.pk}/waves/{wave.pk}/{name}"


# --------------------------------------------------------------------------- who sees what


def test_people_of_the_municipality_see_results_others_do_not(world, client, two_waves):
    survey, _before, after = two_waves
    client.force_login(world.charlie)  # staff of B
    assert client.get(_url(survey)).status_code == 404
    assert client.get(_url(survey, "results.pdf")).status_code == 404
    assert client.get(_export(survey, after, "responses.csv")).status_code == 404
    client.logout()
    response = client.get(_url(survey))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bob_sees_results_but_neither_texts_nor_downloads(world, client, two_waves):
    survey, _before, after = two_waves
    client.force_login(world.bob)  # assessor in A
    response = client.get(_url(survey), {"wave": after.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Odličan šalter" not in html and "Одличан шалтер" not in html
    assert "listed only for those who may download" in html
    assert "responses.csv" not in html
    for name in ("responses.csv", "responses.xlsx", "codebook.csv"):
        assert client.get(_export(survey, after, name)).status_code == 403


def test_alice_sees_the_texts_in_her_script_and_the_downloads(world, client, two_waves):
    survey, _before, after = two_waves
    world.alice.language = "sr-latn"
    world.alice.save()
    client.force_login(world.alice)
    html = client.get(_url(survey), {"wave": after.pk}, HTTP_ACCEPT_LANGUAGE="sr-latn").content
    html = html.decode()
    assert "Odličan šalter" in html
    assert _export(survey, after, "responses.xlsx") in html


# --------------------------------------------------------------------------- the page


def test_the_page_compares_two_waves_and_breaks_down_with_suppression(world, client, two_waves):
    survey, before, after = two_waves
    client.force_login(world.alice)
    response = client.get(_url(survey), {"wave": after.pk, "compare": before.pk, "by": "age"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "26 responses" in html and "online 3, on paper 23" in html
    assert "The rise from 2.5 to 4.4 is unlikely to be chance." in html
    assert "Mann–Whitney test" in html and "chi-square test" in html
    assert "<svg" in html and 'role="img"' in html
    # young 12, old 14: both shown; the note about small groups is there
    assert "Groups with fewer than 5 answers are not shown" in html
    assert html.count("not shown</span>") == 0


def test_a_breakdown_hides_a_group_of_four_and_its_complement(world, client):
    survey = make_survey(world.a)
    wave = make_wave(survey)
    add_responses(wave, [_answers(4, "young")] * 9 + [_answers(2, "old")] * 4)
    client.force_login(world.alice)
    html = client.get(_url(survey), {"by": "age"}).content.decode()
    assert html.count("not shown</span>") == 2
    assert "No group is large enough to be shown." in html


def test_a_wave_of_another_survey_cannot_be_picked(world, client, two_waves):
    survey, _before, after = two_waves
    other = make_survey(world.b)
    foreign = make_wave(other, "Foreign")
    add_responses(foreign, [_answers(1)] * 30)
    client.force_login(world.alice)
    response = client.get(_url(survey), {"wave": foreign.pk, "compare": foreign.pk})
    assert response.context["wave"] == after and response.context["compare"] is None


def test_a_survey_without_waves_says_so(world, client):
    survey = make_survey(world.a)
    make_wave(survey, "Draft", status=Wave.Status.DRAFT)
    client.force_login(world.alice)
    response = client.get(_url(survey))
    assert response.status_code == 200
    assert "no answers to show" in response.content.decode()


def _queries(client, url, params):
    client.get(url, params)  # the first request after signing in also saves the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_responses(world, client, two_waves):
    survey, before, after = two_waves
    client.force_login(world.alice)
    params = {"wave": after.pk, "compare": before.pk, "by": "age"}
    few = _queries(client, _url(survey), params)
    add_responses(after, [_answers(v % 5 + 1, ["young", "old"][v % 2], "x") for v in range(300)])
    add_responses(before, [_answers(v % 5 + 1) for v in range(200)])
    assert _queries(client, _url(survey), params) == few
    few_pdf = _queries(client, _url(survey, "results.pdf"), params)
    add_responses(after, [_answers(3)] * 100)
    assert _queries(client, _url(survey, "results.pdf"), params) == few_pdf


# --------------------------------------------------------------------------- the public page


def test_public_results_only_while_public_and_only_totals(world, client, two_waves):
    survey, before, after = two_waves
    url = f"/s/{survey.public_token}/results/"
    assert client.get(url).status_code == 404
    survey.results_public = True
    survey.save()
    make_wave(survey, "Now", status=Wave.Status.OPEN, position=2)
    add_responses(Wave.objects.get(name="Now"), [_answers(1, comment="secret")] * 40)
    params = {"wave": after.pk, "compare": before.pk, "by": "age", "lang": "en"}
    response = client.get(url, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert [w.name for w in response.context["waves"]] == ["Spring", "Autumn"]  # no open wave
    assert "Одличан" not in html and "Odličan" not in html and "secret" not in html
    assert "The rise from 2.5 to 4.4 is unlikely to be chance." in html
    # the comment item was answered 12 times: its count is shown, its texts never
    assert "written answers are not published" in html
    # the language chooser offers the survey's languages only (sr in both scripts, en)
    assert [c["code"] for c in response.context["languages"]] == [
        "sr-ijekavsk",
        "sr-latn-ijekavsk",
        "en",
    ]
    assert client.get(url, {"wave": Wave.objects.get(name="Now").pk}).context["wave"] == after


def test_public_results_withhold_an_item_with_fewer_than_five_answers(world, client):
    survey = make_survey(world.a, results_public=True)
    wave = make_wave(survey)
    add_responses(wave, [{"overall": 4}] * 8 + [{"overall": 4, "trust": "no"}] * 3)
    response = client.get(f"/s/{survey.public_token}/results/", {"lang": "en"})
    items = {e["result"].code: e["result"] for e in response.context["items"]}
    assert not items["overall"].withheld and items["trust"].withheld
    assert "Not shown: fewer than 5 answers" in response.content.decode()


# --------------------------------------------------------------------------- the PDF


def test_the_pdf_summary_has_the_numbers_and_the_charts(world, client, two_waves):
    survey, before, after = two_waves
    client.force_login(world.bob)
    response = client.get(
        _url(survey, "results.pdf"), {"wave": after.pk, "compare": before.pk, "by": "age"}
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "The rise from 2.5 to 4.4 is unlikely to be chance." in " ".join(text.split())
    assert "100%" in text  # an axis of a chart


def test_readers_from_outside_see_the_results_page_as_the_public_does(world, client, two_waves):
    survey, _before, after = two_waves
    survey.results_public = True
    survey.save()
    now = make_wave(survey, "Now", status=Wave.Status.OPEN, position=2)
    add_responses(now, [_answers(1)] * 30)
    client.force_login(world.charlie)  # staff of B: sees A's survey only because it is public
    response = client.get(_url(survey), {"wave": now.pk})
    assert response.status_code == 200
    assert response.context["wave"] == after  # closed waves only
    assert not response.context["may_export"]
    assert "Only totals are shown." in response.content.decode()
    client.force_login(world.bob)  # of the municipality: every wave
    assert client.get(_url(survey), {"wave": now.pk}).context["wave"] == now


@pytest.mark.parametrize(
    "junk",
    [
        {"wave": "abc", "compare": "%00", "by": "x" * 500},
        {"wave": "9" * 30, "compare": "-1", "by": "comment", "lang": "zz"},
        {"wave": "", "compare": "", "by": "overall"},
    ],
)
def test_junk_parameters_fall_back_to_the_defaults(world, client, two_waves, junk):
    survey, _before, after = two_waves
    survey.results_public = True
    survey.save()
    client.force_login(world.alice)
    for url in (_url(survey), _url(survey, "results.pdf"), f"/s/{survey.public_token}/results/"):
        response = client.get(url, junk)
        assert response.status_code == 200
        if "pdf" not in url:
            assert response.context["wave"] == after and response.context["breakdown"] is None
