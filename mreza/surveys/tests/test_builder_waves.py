"""Waves (issue 12, item 3.4): draft → open → closed, one open at a time (also the database's
rule), reopening only while no later wave has opened, and opening needs a question to answer."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from mreza.surveys.models import Response, Wave
from mreza.surveys.services import builder


@pytest.fixture
def manager(client, survey_world):
    client.force_login(survey_world.alice)
    return client


def _waves_page(client, survey):
    return client.get(f"/surveys/{survey.pk}/waves/").content.decode()


def test_a_wave_is_added_as_a_draft_after_the_others(manager, survey, wave):
    response = manager.post(
        f"/surveys/{survey.pk}/waves/new/",
        {"name": "After", "access": "codes", "opens_on": "2027-09-01", "closes_on": "2027-09-30"},
    )
    assert response.status_code == 302
    after = survey.waves.get(name="After")
    assert (after.status, after.access, after.position) == ("draft", "codes", wave.position + 1)
    assert after.opens_on == datetime.date(2027, 9, 1)


def test_a_wave_closing_before_it_opens_is_refused(manager, survey):
    response = manager.post(
        f"/surveys/{survey.pk}/waves/new/",
        {"name": "After", "access": "link", "opens_on": "2027-09-30", "closes_on": "2027-09-01"},
    )
    assert response.status_code == 400
    assert "The wave cannot close before it opens." in response.content.decode()


def test_only_one_wave_is_open(manager, survey, wave):
    after = builder.add_wave(survey, name="After")
    response = manager.post(f"/surveys/{survey.pk}/waves/{after.pk}/open/", follow=True)
    assert "Another wave of this survey is open. Close it first" in response.content.decode()
    after.refresh_from_db()
    assert after.status == Wave.Status.DRAFT
    manager.post(f"/surveys/{survey.pk}/waves/{wave.pk}/close/")
    response = manager.post(f"/surveys/{survey.pk}/waves/{after.pk}/open/", follow=True)
    assert "is open: the public link answers it" in response.content.decode()
    wave.refresh_from_db()
    after.refresh_from_db()
    assert (wave.status, after.status) == ("closed", "open")
    assert after.opened_at and wave.closed_at


def test_the_database_also_guards_one_open_wave_and_the_service_says_so(survey, wave, monkeypatch):
    after = builder.add_wave(survey, name="After")
    with pytest.raises(IntegrityError), transaction.atomic():
        Wave.objects.filter(pk=after.pk).update(status=Wave.Status.OPEN)
    # a race: the other wave opens between the service's check and its save
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    checked = builder._refuse_open

    def race(one):
        checked(one)
        Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.OPEN)

    monkeypatch.setattr(builder, "_refuse_open", race)
    with pytest.raises(builder.SurveyRefused) as refusal:
        builder.open_wave(after)
    assert refusal.value.code == "one_open"
    after.refresh_from_db()
    assert after.status == Wave.Status.DRAFT and after.version == 1


def test_a_closed_wave_reopens_only_if_no_later_wave_has_opened(manager, survey, wave):
    builder.close_wave(wave)
    page = _waves_page(manager, survey)
    assert "Reopen" in page
    manager.post(f"/surveys/{survey.pk}/waves/{wave.pk}/open/")
    wave.refresh_from_db()
    assert wave.status == Wave.Status.OPEN and wave.closed_at is None
    builder.close_wave(wave)
    after = builder.add_wave(survey, name="After")
    builder.open_wave(after)
    builder.close_wave(after)
    page = _waves_page(manager, survey)
    assert page.count(">Reopen<") == 1  # the later one only
    response = manager.post(f"/surveys/{survey.pk}/waves/{wave.pk}/open/", follow=True)
    assert "A later wave has been opened since, so this one cannot be reopened." in (
        response.content.decode()
    )
    wave.refresh_from_db()
    assert wave.status == Wave.Status.CLOSED


def test_opening_needs_a_question_that_can_be_answered(survey_world):
    empty = builder.create_survey(
        survey_world.a, survey_world.alice, languages=["sr"], title={"sr": "Празна"}
    )
    builder.create_item(
        empty, {"code": "intro", "kind": "section", "text": {"sr": "Увод"}, "show_if": {}}
    )
    first = builder.add_wave(empty, name="Прва")
    with pytest.raises(builder.SurveyRefused) as refusal:
        builder.open_wave(first)
    assert "Add at least one question that can be answered" in refusal.value.messages[0]
    first.refresh_from_db()
    assert first.status == Wave.Status.DRAFT


def test_closing_a_wave_that_is_not_open_is_refused(manager, survey):
    draft = builder.add_wave(survey, name="After")
    response = manager.post(f"/surveys/{survey.pk}/waves/{draft.pk}/close/", follow=True)
    assert "This wave is not open." in response.content.decode()


def test_who_may_answer_is_fixed_once_the_wave_has_been_open(manager, survey, wave):
    response = manager.post(
        f"/surveys/{survey.pk}/waves/{wave.pk}/edit/",
        {"name": "Прије", "access": "codes", "version": wave.version},
    )
    assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.name == "Прије" and wave.access == Wave.Access.LINK
    with pytest.raises(builder.SurveyRefused):
        builder.update_wave(wave, {"access": Wave.Access.CODES}, wave.version)


def test_a_stale_wave_edit_gets_409_with_the_text_kept(manager, survey, wave):
    builder.update_wave(wave, {"name": "Other"}, wave.version)
    response = manager.post(
        f"/surveys/{survey.pk}/waves/{wave.pk}/edit/",
        {"name": "Mine", "access": "link", "version": 1},
    )
    assert response.status_code == 409 and "Mine" in response.content.decode()


def test_the_waves_page_counts_responses_and_shows_the_state(manager, survey, wave):
    for channel in ("web", "paper", "paper"):
        Response.objects.create(
            wave=wave,
            answers={},
            language="sr",
            channel=channel,
            submitted_on=datetime.date(2027, 3, 1),
        )
    page = _waves_page(manager, survey)
    assert "2 on paper" in page and ">3<" in page.replace(" <span", "<")
    assert 'class="badge status-open"' in page


def test_bob_sees_the_waves_but_may_not_change_them(client, survey_world):
    client.force_login(survey_world.bob)
    survey, wave = survey_world.survey, survey_world.wave
    page = _waves_page(client, survey)
    assert "Before" in page and f"/waves/{wave.pk}/close/" not in page
    assert client.post(f"/surveys/{survey.pk}/waves/{wave.pk}/close/").status_code == 403
    assert client.get(f"/surveys/{survey.pk}/waves/new/").status_code == 403
