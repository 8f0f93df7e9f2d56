"""The public link, its QR code and poster, and one-time codes (issue 12, items 3.5-3.6)."""

import csv
import hashlib
import io

import pytest
import segno
from django.test import Client
from pypdf import PdfReader

from mreza.surveys.models import AccessCode, Wave
from mreza.surveys.services import builder
from mreza.surveys.views import link as link_views


@pytest.fixture
def manager(client, survey_world):
    client.force_login(survey_world.alice)
    return client


def _link(survey):
    return f"http://testserver/s/{survey.public_token}/"


def test_the_waves_page_shows_the_full_public_link_with_a_copy_button(manager, survey):
    page = manager.get(f"/surveys/{survey.pk}/waves/").content.decode()
    assert f'value="{_link(survey)}"' in page
    assert 'data-copy="public-link"' in page
    assert f'src="/surveys/{survey.pk}/qr.svg"' in page
    assert "/static/surveys/builder.js" in page


def test_the_qr_code_svg_encodes_the_public_link(manager, survey):
    response = manager.get(f"/surveys/{survey.pk}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "no-store" in response["Cache-Control"]  # the link changes with a new version
    body = response.content.decode()
    assert "<svg" in body and "<path" in body
    expected = io.BytesIO()
    segno.make(_link(survey), error="m").save(
        expected, kind="svg", scale=8, border=4, xmldecl=False, title="QR code of the survey"
    )
    assert response.content == expected.getvalue()
    other = io.BytesIO()
    segno.make(_link(survey) + "x", error="m").save(other, kind="svg", scale=8, border=4)
    assert response.content != other.getvalue()
    download = manager.get(f"/surveys/{survey.pk}/qr.svg?download=1")
    assert download["Content-Disposition"] == f'attachment; filename="survey-{survey.pk}-qr.svg"'


def test_the_qr_code_png_encodes_the_public_link(manager, survey):
    response = manager.get(f"/surveys/{survey.pk}/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert "no-store" in response["Cache-Control"]
    expected = io.BytesIO()
    segno.make(_link(survey), error="m").save(expected, kind="png", scale=20, border=4)
    assert response.content == expected.getvalue()


def test_a_new_version_moves_the_qr_code_with_the_link(manager, survey):
    before = manager.get(f"/surveys/{survey.pk}/qr.svg").content
    new = builder.new_version(survey, None)
    assert manager.get(f"/surveys/{new.pk}/qr.svg").content == before
    assert manager.get(f"/surveys/{survey.pk}/qr.svg").content != before


def test_the_poster_shows_title_introduction_link_and_qr_code_in_the_language_chosen(
    manager, survey
):
    page = manager.get(f"/surveys/{survey.pk}/poster/?language=sr-latn").content.decode()
    assert "Anketa o zadovoljstvu građana" in page  # derived Latin
    assert "Vaša opština želi da zna" in page
    assert _link(survey) in page and 'src="data:image/svg+xml;base64,' in page
    assert "/static/surveys/poster.css" in page
    page = manager.get(f"/surveys/{survey.pk}/poster/?language=bs").content.decode()
    assert "Vaša općina želi znati" in page
    page = manager.get(f"/surveys/{survey.pk}/poster/?language=hr").content.decode()
    assert "Анкета о задовољству грађана" in page  # not offered: the main language


def test_the_poster_as_pdf(manager, survey):
    response = manager.get(f"/surveys/{survey.pk}/poster/?language=en&format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Citizen satisfaction survey" in text and _link(survey) in text


# ---------------------------------------------------------------- one-time codes


@pytest.fixture
def codes_wave(survey):
    return builder.add_wave(survey, name="Invited", access=Wave.Access.CODES)


def _generate(client, wave, count):
    return client.post(f"/surveys/{wave.survey_id}/waves/{wave.pk}/codes/", {"count": count})


def _csv_codes(response):
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Code", "Link"]
    return [row[0] for row in rows[1:]], {row[1] for row in rows[1:]}


def test_codes_are_stored_as_hashes_and_offered_once_as_csv(manager, codes_wave):
    response = _generate(manager, codes_wave, 25)
    url = f"/surveys/{codes_wave.survey_id}/waves/{codes_wave.pk}/codes/"
    assert response.status_code == 302 and response["Location"] == url
    page = manager.get(url).content.decode()
    assert "Your 25 new codes are ready" in page and "Codes made: 25; used: 0." in page
    download = manager.get(url[:-1] + ".csv")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in download["Cache-Control"]
    made, links = _csv_codes(download)
    assert len(made) == len(set(made)) == 25
    assert links == {_link(codes_wave.survey)}
    for code in made:
        assert len(code) == 11 and code[5] == "-"
        assert set(code.replace("-", "")) <= set(builder.CODE_ALPHABET)
    stored = set(AccessCode.objects.filter(wave=codes_wave).values_list("code_hash", flat=True))
    assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in made}
    assert not AccessCode.objects.filter(code_hash__in=made).exists()
    again = manager.get(url[:-1] + ".csv", follow=True)
    assert "These codes were already downloaded" in again.content.decode()
    assert made[0] not in again.content.decode()


def test_the_printable_slips_are_offered_once_too_then_the_codes_are_forgotten(manager, codes_wave):
    _generate(manager, codes_wave, 3)
    base = f"/surveys/{codes_wave.survey_id}/waves/{codes_wave.pk}/codes"
    made, _links = _csv_codes(manager.get(base + ".csv"))
    pdf = manager.get(base + ".pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert all(code in text for code in made)
    assert manager.session.get("surveys:new-codes") is None
    page = manager.get(base + "/").content.decode()
    assert "new codes are ready" not in page and "Codes made: 3; used: 0." in page
    assert manager.get(base + ".pdf").status_code == 302


def test_done_forgets_the_new_codes(manager, codes_wave):
    _generate(manager, codes_wave, 2)
    base = f"/surveys/{codes_wave.survey_id}/waves/{codes_wave.pk}/codes"
    manager.post(base + "/", {"forget": "1"})
    assert manager.get(base + ".csv").status_code == 302
    assert AccessCode.objects.filter(wave=codes_wave).count() == 2


def test_new_codes_are_forgotten_after_half_an_hour(manager, codes_wave, monkeypatch):
    _generate(manager, codes_wave, 2)
    base = f"/surveys/{codes_wave.survey_id}/waves/{codes_wave.pk}/codes"
    made_at = manager.session["surveys:new-codes"]["made_at"]
    monkeypatch.setattr(link_views.time, "time", lambda: made_at + link_views.CODES_TTL_S + 1)
    page = manager.get(base + "/").content.decode()
    assert "new codes are ready" not in page
    assert manager.session.get("surveys:new-codes") is None  # gone from the session store too
    assert manager.get(base + ".csv").status_code == 302


def test_another_session_cannot_download_the_codes(manager, codes_wave, survey_world):
    _generate(manager, codes_wave, 2)
    other = Client()
    other.force_login(survey_world.alice)
    base = f"/surveys/{codes_wave.survey_id}/waves/{codes_wave.pk}/codes"
    assert other.get(base + ".csv").status_code == 302
    assert manager.get(base + ".csv").status_code == 200


def test_used_codes_are_counted(manager, codes_wave):
    made = builder.generate_codes(codes_wave, 4)
    AccessCode.objects.filter(code_hash=builder.hash_code(made[0])).update(used=True)
    page = manager.get(f"/surveys/{codes_wave.survey_id}/waves/{codes_wave.pk}/codes/")
    assert "Codes made: 4; used: 1." in page.content.decode()
    waves = manager.get(f"/surveys/{codes_wave.survey_id}/waves/").content.decode()
    assert "codes: 4, used: 1" in waves


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (0, "Ensure this value is greater than or equal to 1."),
        (5001, "Ensure this value is less than or equal to 5000."),
    ],
)
def test_the_number_of_codes_is_between_1_and_5000(manager, codes_wave, count, message):
    response = _generate(manager, codes_wave, count)
    assert response.status_code == 400 and message in response.content.decode()
    assert not AccessCode.objects.exists()


def test_a_link_wave_gets_no_codes(manager, wave):
    response = _generate(manager, wave, 5)
    assert "open to anyone with the link; it needs no codes" in response.content.decode()
    assert not AccessCode.objects.exists()
    with pytest.raises(builder.SurveyRefused):
        builder.generate_codes(wave, 5)


def test_a_code_is_matched_however_it_is_typed(codes_wave):
    code = builder.generate_codes(codes_wave, 1)[0]
    typed = f"  {code.lower().replace('-', ' ')} "
    assert builder.hash_code(typed) == builder.hash_code(code)
    assert AccessCode.objects.filter(code_hash=builder.hash_code(typed)).exists()


def test_bob_may_not_make_codes(client, survey_world, codes_wave):
    client.force_login(survey_world.bob)
    assert _generate(client, codes_wave, 5).status_code == 403
    base = f"/surveys/{codes_wave.survey_id}/waves/{codes_wave.pk}/codes"
    assert client.get(base + ".csv").status_code == 403
