"""Freezing and new versions (issue 12, item 3.3): once a wave has a response the questions are
fixed; a new version copies them with their codes, takes over the public link and closes the old
survey's open wave, in one audited transaction."""

import datetime

import pytest

from mreza.core.models import AuditEntry
from mreza.surveys.models import Item, Response, Survey, Wave
from mreza.surveys.services import builder

FROZEN = "This survey already has answers, so its questions can no longer change"


@pytest.fixture
def answered(survey_world):
    Response.objects.create(
        wave=survey_world.wave,
        answers={"overall": 4},
        language="sr",
        submitted_on=datetime.date(2027, 3, 1),
    )
    return survey_world


@pytest.fixture
def manager(client, answered):
    client.force_login(answered.alice)
    return client


def test_a_survey_is_frozen_only_once_a_wave_has_a_response(survey_world):
    assert not builder.is_frozen(survey_world.survey)
    Response.objects.create(
        wave=survey_world.wave, answers={}, language="sr", submitted_on=datetime.date(2027, 3, 1)
    )
    assert builder.is_frozen(survey_world.survey)


def test_item_changes_are_refused_with_a_clear_message_and_the_new_version_button(
    manager, answered
):
    survey = answered.survey
    item = survey.items.get(code="overall")
    page = manager.get(f"/surveys/{survey.pk}/").content.decode()
    assert "its questions are fixed" in page
    assert f'action="/surveys/{survey.pk}/new-version/"' in page
    assert f"/surveys/{survey.pk}/items/{item.pk}/" not in page  # no edit buttons
    for response in (
        manager.get(f"/surveys/{survey.pk}/items/new/text/", follow=True),
        manager.post(
            f"/surveys/{survey.pk}/items/{item.pk}/",
            {"code": "overall", "text_sr": "Измијењено", "scale_min": 1, "scale_max": 7},
            follow=True,
        ),
        manager.post(f"/surveys/{survey.pk}/items/{item.pk}/delete/", follow=True),
        manager.post(
            f"/surveys/{survey.pk}/items/{item.pk}/move/", {"direction": "up"}, follow=True
        ),
    ):
        assert FROZEN in response.content.decode()
    item.refresh_from_db()
    assert item.scale_max == 5 and item.position == 1
    assert survey.items.count() == 7


@pytest.mark.parametrize(
    "change",
    [
        lambda s: builder.create_item(s, {"code": "x", "kind": "text", "text": {"sr": "x"}}),
        lambda s: builder.update_item(s.items.get(code="overall"), {"scale_max": 7}, 1),
        lambda s: builder.delete_item(s.items.get(code="comment")),
        lambda s: builder.move_item(s.items.get(code="comment"), -1),
    ],
)
def test_the_services_refuse_item_changes_of_a_frozen_survey(answered, change):
    with pytest.raises(builder.SurveyRefused) as refusal:
        change(answered.survey)
    assert refusal.value.code == "frozen"


def test_settings_and_texts_of_a_frozen_survey_may_still_change(manager, answered):
    survey = answered.survey
    response = manager.post(
        f"/surveys/{survey.pk}/edit/",
        {
            "title_sr": "Задовољство 2027",
            "title_bs": "Zadovoljstvo 2027",
            "languages": ["sr", "bs", "en"],
            "main_language": "sr",
            "version": survey.version,
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title["sr"] == "Задовољство 2027"
    assert survey.title["hr"] == "Anketa o zadovoljstvu građana"  # not offered: kept
    assert "en" not in survey.title  # emptied


def test_a_new_version_copies_the_items_takes_the_link_and_closes_the_old_wave(manager, answered):
    old = answered.survey
    token = old.public_token
    before = AuditEntry.objects.count()
    response = manager.post(f"/surveys/{old.pk}/new-version/")
    new = Survey.objects.exclude(pk=old.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/surveys/{new.pk}/"
    old.refresh_from_db()
    assert new.public_token == token and old.public_token != token
    assert new.previous_version == old and new.created_by == answered.alice
    assert (new.municipality, new.languages, new.title) == (
        old.municipality,
        old.languages,
        old.title,
    )
    fields = ["code", "position", "kind", "text", "options", "rows", "scale_min", "scale_max"]
    assert list(new.items.values_list(*fields)) == list(old.items.values_list(*fields))
    answered.wave.refresh_from_db()
    assert answered.wave.status == Wave.Status.CLOSED and answered.wave.closed_at
    assert not new.waves.exists()
    assert not builder.is_frozen(new)
    # audited: the new survey, its 7 items, the old wave closed (the tokens are kept out)
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert [e.action for e in entries] == ["create"] * 8 + ["update"]
    assert entries[-1].object_id == str(answered.wave.pk)
    assert "public_token" not in str([e.changes for e in entries])
    page = manager.get(f"/surveys/{new.pk}/").content.decode()
    assert "its questions are fixed" not in page and "/items/new/scale/" in page
    old_page = manager.get(f"/surveys/{old.pk}/").content.decode()
    assert f"/surveys/{new.pk}/" in old_page and "has a newer version" in old_page


def test_only_the_newest_version_makes_a_new_version_or_opens_waves(answered):
    old = answered.survey
    builder.new_version(old, answered.alice)
    with pytest.raises(builder.SurveyRefused):
        builder.new_version(old, answered.alice)
    answered.wave.refresh_from_db()
    with pytest.raises(builder.SurveyRefused) as refusal:
        builder.open_wave(answered.wave)
    assert refusal.value.code == "superseded"


def test_a_failing_new_version_changes_nothing(answered, monkeypatch):
    old = answered.survey
    token = old.public_token

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Item.objects, "create", broken)
    with pytest.raises(RuntimeError):
        builder.new_version(old, answered.alice)
    old.refresh_from_db()
    answered.wave.refresh_from_db()
    assert old.public_token == token and Survey.objects.count() == 1
    assert answered.wave.status == Wave.Status.OPEN


def test_bob_may_not_make_a_new_version(client, answered):
    client.force_login(answered.bob)
    assert client.post(f"/surveys/{answered.survey.pk}/new-version/").status_code == 403
    assert Survey.objects.count() == 1
