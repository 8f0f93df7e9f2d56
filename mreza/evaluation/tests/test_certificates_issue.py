"""Issuing certificates: only for a closed evaluation, by whoever runs it; one current certificate
per municipality and kind (revoke, then issue again); what each states, signed; the PDF."""

import io
import re

import pytest
from pypdf import PdfReader

from mreza.core.models import AuditEntry
from mreza.evaluation.models import Certificate, Evaluation
from mreza.evaluation.services import certificates as services
from mreza.evaluation.tests import test_recognition_fixtures as fixtures

pytestmark = pytest.mark.django_db
ws, recognised = fixtures.ws, fixtures.recognised  # the shared fixtures, reused here


def _held(evaluation):
    return sorted(
        (c.municipality.code, c.kind)
        for c in Certificate.objects.filter(evaluation=evaluation, revoked_at__isnull=True)
    )


def test_a_closed_evaluation_earns_the_first_places_and_participation(recognised):
    issued = services.issue_certificates(recognised.evaluation, recognised.dana)
    assert len(issued) == 7
    assert _held(recognised.evaluation) == [
        ("T-A", "best_result"),
        ("T-A", "most_improved"),
        ("T-A", "participation"),
        ("T-C", "best_result"),
        ("T-C", "participation"),
        ("T-D", "participation"),
        ("T-E", "participation"),
    ]
    assert {c.issued_by for c in issued} == {recognised.dana}
    assert (
        AuditEntry.objects.filter(
            content_type__model="certificate", action=AuditEntry.Action.CREATE
        ).count()
        == 7
    )


def test_the_statement_says_what_was_recognised(recognised):
    services.issue_certificates(recognised.evaluation, recognised.dana)
    best = Certificate.objects.get(municipality=recognised.a, kind="most_improved")
    statement = best.statement
    assert statement["municipality"] == "Бања Лука" and statement["network"] == "Human resources"
    assert statement["evaluation_title"] == "Evaluation 2026"
    assert (statement["score"], statement["baseline"], statement["delta"]) == (70, 40, 30)
    assert statement["scale"] == [0, 100]
    assert (statement["place"], statement["compared"]) == (1, 4)
    assert statement["areas"][0]["code"] == "3.1" and statement["areas"][0]["title"]["en"]
    participation = Certificate.objects.get(municipality=recognised.d, kind="participation")
    assert "place" not in participation.statement and participation.statement["delta"] == -5


def test_codes_are_random_grouped_and_unambiguous(recognised):
    issued = services.issue_certificates(recognised.evaluation, recognised.dana)
    codes = [c.code for c in issued]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(
            r"[ACDEFGHJKMNPQRTUVWXYZ234679]{4}(-[ACDEFGHJKMNPQRTUVWXYZ234679]{4}){2}", code
        )
    assert not set("01OILSB58") & set(services.ALPHABET)


def test_the_signature_is_an_hmac_of_the_code_the_statement_the_municipality_and_the_kind(
    recognised,
):
    certificate = services.issue_certificates(recognised.evaluation, recognised.dana)[0]
    assert len(certificate.signature) == 64
    assert services.signature_ok(certificate)
    args = (certificate.code, certificate.statement, certificate.municipality_id)
    assert services.sign(*args, certificate.kind) == certificate.signature
    assert (
        services.sign(
            *args, "participation" if certificate.kind != "participation" else "best_result"
        )
        != certificate.signature
    )
    reordered = dict(reversed(list(certificate.statement.items())))
    assert (
        services.sign(certificate.code, reordered, certificate.municipality_id, certificate.kind)
        == certificate.signature
    )


def test_an_open_evaluation_issues_nothing(recognised):
    Evaluation.objects.filter(pk=recognised.evaluation.pk).update(status=Evaluation.Status.OPEN)
    recognised.evaluation.refresh_from_db()
    with pytest.raises(services.CertificateError, match="once the evaluation is closed"):
        services.issue_certificates(recognised.evaluation, recognised.dana)
    assert not Certificate.objects.exists()


def test_issuing_again_issues_only_what_is_missing(recognised):
    services.issue_certificates(recognised.evaluation, recognised.dana)
    assert services.issue_certificates(recognised.evaluation, recognised.dana) == []
    assert Certificate.objects.count() == 7


def test_a_revoked_certificate_is_replaced_when_issuing_again(recognised):
    services.issue_certificates(recognised.evaluation, recognised.dana)
    old = Certificate.objects.get(municipality=recognised.a, kind="best_result")
    revoked = services.revoke_certificate(old)
    assert revoked.revoked_at is not None
    again = services.issue_certificates(recognised.evaluation, recognised.dana)
    assert [(c.municipality_id, c.kind) for c in again] == [(recognised.a.pk, "best_result")]
    assert again[0].code != old.code
    assert Certificate.objects.filter(municipality=recognised.a, kind="best_result").count() == 2
    assert _held(recognised.evaluation).count(("T-A", "best_result")) == 1


def test_revoking_twice_keeps_the_first_date(recognised):
    certificate = services.issue_certificates(recognised.evaluation, recognised.dana)[0]
    first = services.revoke_certificate(certificate).revoked_at
    assert services.revoke_certificate(certificate).revoked_at == first


def test_the_runner_issues_and_revokes_through_the_page(recognised, client):
    client.force_login(recognised.dana)
    url = f"/evaluations/{recognised.evaluation.pk}/certificates/issue/"
    response = client.post(url, follow=True)
    assert "7 certificates issued." in response.content.decode()
    certificate = Certificate.objects.get(municipality=recognised.c, kind="best_result")
    page = client.get(f"/evaluations/{recognised.evaluation.pk}/recognition/").content.decode()
    assert certificate.code in page
    response = client.post(
        f"/evaluations/{recognised.evaluation.pk}/certificates/{certificate.pk}/revoke/",
        follow=True,
    )
    assert f"Certificate {certificate.code} is revoked." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert "Every certificate" not in client.post(url, follow=True).content.decode()


def test_issuing_an_open_evaluation_through_the_page_says_why_not(recognised, client):
    Evaluation.objects.filter(pk=recognised.evaluation.pk).update(status=Evaluation.Status.OPEN)
    client.force_login(recognised.dana)
    response = client.post(
        f"/evaluations/{recognised.evaluation.pk}/certificates/issue/", follow=True
    )
    assert "Certificates are issued once the evaluation is closed." in response.content.decode()
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 403), ("bob", 403), ("charlie", 404), (None, 302)]
)
def test_only_whoever_runs_the_evaluation_issues_and_revokes(recognised, client, persona, status):
    certificate = services.issue_certificates(recognised.evaluation, recognised.dana)[0]
    if persona:
        client.force_login(getattr(recognised, persona))
    base = f"/evaluations/{recognised.evaluation.pk}/certificates/"
    assert client.post(base + "issue/").status_code == status
    assert client.post(f"{base}{certificate.pk}/revoke/").status_code == status
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert client.get(base + "issue/").status_code == 405


def test_the_pdf_is_a_landscape_certificate_with_its_code(recognised, client):
    services.issue_certificates(recognised.evaluation, recognised.dana)
    certificate = Certificate.objects.get(municipality=recognised.a, kind="most_improved")
    client.force_login(recognised.alice)  # A's coordinator: its own certificate
    response = client.get(
        f"/evaluations/{recognised.evaluation.pk}/certificates/{certificate.pk}/pdf/"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    text = page.extract_text()
    assert certificate.code in text
    assert "Banja Luka" in text and "Most improved" in text
    assert f"/verify/{certificate.code}/" in text.replace("\n", "")


def test_the_pdf_follows_the_readers_language_and_script(recognised, client):
    services.issue_certificates(recognised.evaluation, recognised.dana)
    certificate = Certificate.objects.get(municipality=recognised.a, kind="participation")
    client.force_login(recognised.alice)
    client.cookies["django_language"] = "sr"
    response = client.get(
        f"/evaluations/{recognised.evaluation.pk}/certificates/{certificate.pk}/pdf/",
        HTTP_ACCEPT_LANGUAGE="sr",
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Бања Лука" in text


@pytest.mark.parametrize(("persona", "status"), [("charlie", 404), (None, 302)])
def test_the_pdf_of_an_unpublished_evaluation_is_private(recognised, client, persona, status):
    certificate = services.issue_certificates(recognised.evaluation, recognised.dana)[0]
    if persona:
        client.force_login(getattr(recognised, persona))
    url = f"/evaluations/{recognised.evaluation.pk}/certificates/{certificate.pk}/pdf/"
    assert client.get(url).status_code == status
    # another evaluation's number in the address finds nothing
    client.force_login(recognised.dana)
    wrong = f"/evaluations/{recognised.evaluation.pk + 1}/certificates/{certificate.pk}/pdf/"
    assert client.get(wrong).status_code == 404


def test_the_pdf_of_a_published_evaluation_is_public_unless_revoked_says_so(recognised, client):
    certificate = services.issue_certificates(recognised.evaluation, recognised.dana)[0]
    Evaluation.objects.filter(pk=recognised.evaluation.pk).update(is_published=True)
    url = f"/evaluations/{recognised.evaluation.pk}/certificates/{certificate.pk}/pdf/"
    assert client.get(url).status_code == 200
    services.revoke_certificate(certificate)
    text = PdfReader(io.BytesIO(client.get(url).content)).pages[0].extract_text()
    assert "This certificate was revoked on" in text
