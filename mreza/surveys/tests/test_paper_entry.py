"""Paper questionnaires: the printable PDF and the staff's data entry (ENTER_RESPONSES): save and
next keeping the language, the questionnaire number unique per wave, the same validation as the
public page, the count so far, and delete (audited) for corrections."""

import io

import pytest
from pypdf import PdfReader

from mreza.core.models import AuditEntry
from mreza.surveys.models import Response
from mreza.surveys.services import builder


def entry(survey, wave):
    return f"/surveys/{survey.pk}/waves/{wave.pk}/paper/"


def pdf(survey, wave):
    return f"/surveys/{survey.pk}/waves/{wave.pk}/paper.pdf"


@pytest.fixture
def bob(client, world):
    client.force_login(world.bob)
    return client


def test_permissions(client, survey, wave, world):
    for path in (entry(survey, wave), pdf(survey, wave)):
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(world.charlie)
    assert client.get(entry(survey, wave)).status_code == 404
    assert client.get(pdf(survey, wave)).status_code == 404
    assert client.post(entry(survey, wave), {"q.overall": "3"}).status_code == 404
    assert Response.objects.count() == 0
    client.force_login(world.bob)
    assert client.get(entry(survey, wave)).status_code == 200
    client.force_login(world.alice)
    assert client.get(entry(survey, wave)).status_code == 200


def test_the_entry_page_shows_compact_digit_fields_and_print_links(bob, survey, wave):
    html = bob.get(entry(survey, wave) + "?language=bs").content.decode()
    assert 'name="q.overall"' in html and 'inputmode="numeric"' in html
    assert 'name="q.services.roads"' in html
    assert "Koliko ste zadovoljni ovim uslugama općine?" in html
    assert 'name="language" value="bs"' in html
    assert f"/surveys/{survey.pk}/waves/{wave.pk}/paper.pdf?lang=bs" in html
    assert "0 questionnaires typed in so far." in html


def test_save_and_next_keeps_the_language(bob, survey, wave, world):
    response = bob.post(
        entry(survey, wave),
        {
            "language": "bs",
            "paper_number": " 17 ",
            "q.overall": "5",
            "q.services.roads": "2",
            "q.trust": "no",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == entry(survey, wave) + "?language=bs"
    saved = Response.objects.get()
    assert (saved.channel, saved.entered_by, saved.paper_number) == ("paper", world.bob, "17")
    assert saved.language == "bs"
    assert saved.answers == {"overall": 5, "services": {"roads": 2}, "trust": "no"}
    page = bob.get(response["Location"])
    html = page.content.decode()
    assert "Questionnaire 17 is saved. Type in the next one." in html
    assert "1 questionnaire typed in so far." in html
    assert 'name="language" value="bs"' in html


def test_serbian_in_latin_is_stored_as_serbian(bob, survey, wave):
    bob.post(entry(survey, wave), {"language": "sr-latn-ijekavsk", "q.overall": "4"})
    assert Response.objects.get().language == "sr"


def test_a_questionnaire_number_is_typed_in_once_per_wave(bob, survey, wave):
    bob.post(entry(survey, wave), {"language": "en", "paper_number": "17", "q.overall": "5"})
    again = bob.post(
        entry(survey, wave), {"language": "en", "paper_number": "17", "q.overall": "1"}
    )
    assert again.status_code == 400
    html = again.content.decode()
    assert "Questionnaire number 17 has already been typed in for this wave." in html
    assert 'name="q.overall" value="1"' in html  # what was typed is kept
    assert Response.objects.count() == 1
    # without a number, or with another one, it is saved
    assert bob.post(entry(survey, wave), {"language": "en", "q.overall": "1"}).status_code == 302
    assert bob.post(entry(survey, wave), {"language": "en", "q.overall": "1"}).status_code == 302
    assert Response.objects.count() == 3


def test_the_same_number_in_another_wave_is_fine(bob, survey, wave):
    bob.post(entry(survey, wave), {"language": "en", "paper_number": "1", "q.overall": "5"})
    builder.close_wave(wave)
    after = builder.add_wave(survey, name="After")
    builder.open_wave(after)
    response = bob.post(
        entry(survey, after), {"language": "en", "paper_number": "1", "q.overall": "2"}
    )
    assert response.status_code == 302
    assert Response.objects.count() == 2


def test_bad_answers_are_refused_with_the_same_rules(bob, survey, wave):
    response = bob.post(
        entry(survey, wave),
        {"language": "en", "q.overall": "7", "q.services.roads": "x", "q.nope": "1"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "2 answers need correcting" in html
    assert "Choose a value from 1 to 5." in html
    assert Response.objects.count() == 0
    missing = bob.post(entry(survey, wave), {"language": "en", "q.trust": "yes"})
    assert "Please answer this question." in missing.content.decode()
    assert Response.objects.count() == 0


def test_a_draft_wave_takes_no_paper(bob, survey, wave):
    builder.close_wave(wave)
    draft = builder.add_wave(survey, name="Later")
    page = bob.get(entry(survey, draft)).content.decode()
    assert "open it before typing in questionnaires" in page
    assert bob.post(entry(survey, draft), {"language": "en", "q.overall": "3"}).status_code == 400
    assert Response.objects.count() == 0


def test_a_closed_wave_still_takes_late_paper(bob, survey, wave):
    builder.close_wave(wave)
    assert bob.post(entry(survey, wave), {"language": "en", "q.overall": "3"}).status_code == 302


def test_delete_a_mistyped_questionnaire_is_audited(bob, survey, wave, world):
    bob.post(entry(survey, wave), {"language": "en", "paper_number": "9", "q.overall": "5"})
    saved = Response.objects.get()
    path = f"/surveys/{survey.pk}/waves/{wave.pk}/paper/{saved.pk}/delete/"
    assert bob.get(path).status_code == 405
    response = bob.post(path, {"language": "en"})
    assert response.status_code == 302
    assert response["Location"] == entry(survey, wave) + "?language=en"
    assert not Response.objects.exists()
    trail = AuditEntry.objects.get(content_type__model="response", action="delete")
    assert trail.actor == world.bob and trail.object_id == str(saved.pk)
    assert "Questionnaire 9 is deleted" in bob.get(response["Location"]).content.decode()


def test_delete_refuses_web_responses_and_others_surveys(client, bob, survey, wave, world):
    web = Response.objects.create(
        wave=wave, answers={"overall": 3}, language="en", submitted_on="2026-01-05"
    )
    path = f"/surveys/{survey.pk}/waves/{wave.pk}/paper/{web.pk}/delete/"
    # bob typed nothing in: not his to correct
    assert bob.post(path).status_code == 403
    client.force_login(world.alice)
    page = client.post(path, follow=True)
    assert "Only questionnaires typed in from paper can be deleted here." in page.content.decode()
    assert Response.objects.filter(pk=web.pk).exists()
    client.force_login(world.charlie)
    assert client.post(path).status_code == 404


def test_the_pdf_is_a_questionnaire_in_the_chosen_language(bob, survey, wave):
    response = bob.get(pdf(survey, wave) + "?lang=bs")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Koliko ste zadovoljni" in text
    assert "no-store" in response["Cache-Control"]


def test_the_pdf_in_serbian_latin(bob, survey, wave):
    response = bob.get(pdf(survey, wave) + "?lang=sr-latn-ijekavsk")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Koliko ste zadovoljni ovim uslugama" in text


def test_a_questionnaire_is_corrected_by_its_typist_or_the_surveys_managers(
    bob, survey, wave, world
):
    from mreza.accounts.models import MunicipalRole

    bob.post(entry(survey, wave), {"language": "en", "paper_number": "4", "q.overall": "2"})
    saved = Response.objects.get()
    path = f"/surveys/{survey.pk}/waves/{wave.pk}/paper/{saved.pk}/delete/"
    colleague = world.user("vesna")
    MunicipalRole.objects.create(user=colleague, municipality=world.a, role="staff")
    client = bob  # one test client, signed in as each in turn
    client.force_login(colleague)
    page = client.get(entry(survey, wave)).content.decode()
    assert path not in page  # no delete button on someone else's questionnaire
    assert client.post(path).status_code == 403
    assert Response.objects.filter(pk=saved.pk).exists()
    client.force_login(world.bob)
    assert path in client.get(entry(survey, wave)).content.decode()
    client.force_login(world.alice)  # the municipality's coordinator runs the survey
    assert client.post(path).status_code == 302
    assert not Response.objects.filter(pk=saved.pk).exists()
