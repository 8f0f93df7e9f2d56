"""The survey's settings and texts, the translations page and the preview (issue 12, item 3.2)."""

import datetime

import pytest

from mreza.surveys.models import Response
from mreza.surveys.services import builder


@pytest.fixture
def manager(client, survey_world):
    client.force_login(survey_world.alice)
    return client


def _settings(survey, **data):
    return {
        "title_sr": survey.title["sr"],
        "languages": survey.languages,
        "main_language": survey.languages[0],
        "version": survey.version,
        **data,
    }


def test_the_settings_change_languages_and_public_results(manager, survey):
    response = manager.post(
        f"/surveys/{survey.pk}/edit/",
        _settings(survey, languages=["sr", "hr"], results_public="on", title_hr="Anketa"),
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.languages == ["sr", "hr"] and survey.results_public
    # hr was not shown (not offered before): its template text is kept, not the field's
    assert survey.title["hr"] == "Anketa o zadovoljstvu građana"


def test_the_main_language_needs_a_title(manager, survey):
    response = manager.post(f"/surveys/{survey.pk}/edit/", _settings(survey, title_sr=""))
    assert response.status_code == 400
    assert "Write it in the main language (Serbian)." in response.content.decode()


def test_a_stale_settings_save_gets_409_with_the_text_kept(manager, survey):
    builder.update_survey(survey, {"results_public": True}, survey.version)
    response = manager.post(
        f"/surveys/{survey.pk}/edit/", _settings(survey, title_sr="Моја", version=1)
    )
    assert response.status_code == 409 and "Моја" in response.content.decode()
    survey.refresh_from_db()
    assert survey.title["sr"] != "Моја"


def test_the_translations_page_fills_in_one_language(manager, survey):
    overall = survey.items.get(code="overall")
    builder.update_item(
        overall, {"text": {"sr": "Све у свему?"}, "scale_labels": {"min": {"sr": "Лоше"}}}, 1
    )
    page = manager.get(f"/surveys/{survey.pk}/translations/").content.decode()
    assert "Bosnian" in page and "missing" in page
    overall.refresh_from_db()
    response = manager.post(
        f"/surveys/{survey.pk}/translations/?language=bs",
        {
            "s_title": "Anketa 2027",
            f"i{overall.pk}_text": "Sve u svemu?",
            f"i{overall.pk}_min": "Loše",
        },
    )
    assert response.status_code == 302
    overall.refresh_from_db()
    survey.refresh_from_db()
    assert (overall.text["sr"], overall.text["bs"]) == ("Све у свему?", "Sve u svemu?")
    assert overall.scale_labels["min"] == {"sr": "Лоше", "bs": "Loše"}
    assert overall.version == 3  # an item form opened before gets a conflict
    assert survey.title["bs"] == "Anketa 2027" and survey.title["sr"]
    assert "bs" not in survey.items.get(code="trust").text  # emptied (not posted): removed


def test_a_frozen_survey_translates_only_its_own_texts(manager, survey_world):
    survey = survey_world.survey
    Response.objects.create(
        wave=survey_world.wave, answers={}, language="sr", submitted_on=datetime.date(2027, 3, 1)
    )
    overall = survey.items.get(code="overall")
    page = manager.get(f"/surveys/{survey.pk}/translations/?language=bs").content.decode()
    assert "questions&#x27; texts are fixed" in page or "texts are fixed" in page
    assert f'name="i{overall.pk}_text"' in page and "disabled" in page
    manager.post(
        f"/surveys/{survey.pk}/translations/?language=bs",
        {"s_thanks": "Hvala lijepa!", f"i{overall.pk}_text": "Promijenjeno"},
    )
    overall.refresh_from_db()
    survey.refresh_from_db()
    assert overall.text["bs"] == "Sve u svemu, koliko ste zadovoljni radom općine?"
    assert survey.thanks["bs"] == "Hvala lijepa!"
    with pytest.raises(builder.SurveyRefused):
        builder.save_translation(survey, "bs", {}, {overall.pk: {"text": "Promijenjeno"}})


def test_the_preview_shows_the_survey_in_the_language_and_script_chosen(manager, survey):
    page = manager.get(f"/surveys/{survey.pk}/preview/?language=sr-latn").content.decode()
    assert "Sve u svemu, koliko ste zadovoljni radom opštine?" in page
    page = manager.get(f"/surveys/{survey.pk}/preview/?language=sr").content.decode()
    assert "Све у свему, колико сте задовољни радом општине?" in page
    page = manager.get(f"/surveys/{survey.pk}/preview/?language=bs").content.decode()
    assert "Sve u svemu, koliko ste zadovoljni radom općine?" in page
    page = manager.get(f"/surveys/{survey.pk}/preview/?language=zz").content.decode()
    assert "Све у свему" in page  # unknown: the main language
    assert "Nothing you choose here is saved." in page and "<form" not in page.split("<main")[1]
