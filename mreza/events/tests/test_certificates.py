"""Attendance certificates: issued for the people marked present, once; signed, so a row altered
in the database fails the check on /verify/<code>/ (the same page as the evaluation's
certificates); revoked ones say so; the PDF carries the code and a QR code."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from mreza.events.models import AttendanceCertificate
from mreza.events.services import certificates as services
from mreza.events.services import registrations as registering
from mreza.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def attended(world):
    """A study visit that began an hour ago: bob present, charlie registered but absent."""
    event = make_event(world, kind="study_visit", title="Studijska posjeta Tuzli", days=0)
    bob = registering.register(event, world.bob, "Banja Luka")
    registering.register(event, world.charlie)
    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    event.refresh_from_db()
    registering.set_attendance(event, [bob.pk])
    world.visit, world.bob_registration = event, bob
    return world


def test_certificates_go_to_the_people_present_once(attended):
    issued = services.issue_certificates(attended.visit, attended.dana)
    assert [c.registration.user for c in issued] == [attended.bob]
    certificate = issued[0]
    assert certificate.statement["person"] == "Bob"
    assert certificate.statement["event_title"] == "Studijska posjeta Tuzli"
    assert services.check(certificate.code).verdict == services.Verdict.VALID
    assert services.issue_certificates(attended.visit, attended.dana) == []


def test_no_certificates_before_the_event(world):
    upcoming = make_event(world)
    with pytest.raises(services.CertificateError, match="once the event has taken place"):
        services.issue_certificates(upcoming, world.dana)


def test_the_verify_page_shows_a_genuine_attendance_certificate(client, attended):
    (certificate,) = services.issue_certificates(attended.visit, attended.dana)
    response = client.get(f"/verify/{certificate.code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "A valid certificate of attendance" in page
    assert "Bob" in page and "Studijska posjeta Tuzli" in page and "study visit" in page
    typed = certificate.code.replace("-", "").lower()
    assert client.get(f"/verify/{typed}/")["Location"] == f"/verify/{certificate.code}/"


@pytest.mark.parametrize(
    "change",
    [
        {"statement": "person"},
        {"statement": "event_title"},
        {"signature": "0" * 64},
        {"registration": "other"},
    ],
)
def test_a_row_altered_in_the_database_fails_the_check(client, attended, change):
    (certificate,) = services.issue_certificates(attended.visit, attended.dana)
    row = AttendanceCertificate.objects.filter(pk=certificate.pk)
    if "statement" in change:
        statement = dict(certificate.statement, **{change["statement"]: "Somebody Else"})
        row.update(statement=statement)
    elif "signature" in change:
        row.update(signature=change["signature"])
    else:
        other = attended.visit.registrations.exclude(pk=certificate.registration_id).get()
        row.update(registration=other)
    assert services.check(certificate.code).verdict == services.Verdict.FORGED
    response = client.get(f"/verify/{certificate.code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "fails the check of its signature" in page and "Somebody Else" not in page


def test_a_revoked_certificate_says_so(client, attended):
    (certificate,) = services.issue_certificates(attended.visit, attended.dana)
    services.revoke(certificate)
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "A revoked certificate" in page
    # a new one may be issued after a revocation
    assert len(services.issue_certificates(attended.visit, attended.dana)) == 1


def test_an_unknown_code_is_not_found(client, attended):
    services.issue_certificates(attended.visit, attended.dana)
    response = client.get("/verify/ACDE-FGHJ-KMNP/")
    assert response.status_code == 404
    assert "No certificate has the code" in response.content.decode()


def test_the_pdf_carries_the_code_for_the_person_and_the_organisers_only(client, attended):
    (certificate,) = services.issue_certificates(attended.visit, attended.dana)
    url = f"/events/{attended.visit.pk}/certificates/{certificate.pk}/pdf/"
    client.force_login(attended.charlie)
    assert client.get(url).status_code == 404
    for user in (attended.bob, attended.dana):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert certificate.code in text and "Bob" in text


def test_the_organiser_issues_and_revokes_on_the_attendance_page(client, attended):
    client.force_login(attended.dana)
    response = client.post(f"/events/{attended.visit.pk}/certificates/issue/")
    assert response.status_code == 302
    certificate = AttendanceCertificate.objects.get()
    page = client.get(f"/events/{attended.visit.pk}/registrations/").content.decode()
    assert certificate.code in page
    client.post(f"/events/{attended.visit.pk}/certificates/{certificate.pk}/revoke/")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
