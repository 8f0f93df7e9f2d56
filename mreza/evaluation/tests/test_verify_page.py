"""The public verification page /verify/<code>/: a genuine certificate, an unknown code, a row
altered in the database (statement, signature, municipality, kind), a revoked certificate; the
form on /verify/; the rate limit per address."""

import pytest
from django.core.cache import cache

from mreza.evaluation.models import Certificate
from mreza.evaluation.services import certificates as services
from mreza.evaluation.tests import test_recognition_fixtures as fixtures

pytestmark = pytest.mark.django_db
ws, recognised = fixtures.ws, fixtures.recognised  # the shared fixtures, reused here


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(recognised):
    services.issue_certificates(recognised.evaluation, recognised.dana)
    return Certificate.objects.get(municipality=recognised.a, kind="most_improved")


def _page(client, code, **extra):
    response = client.get(f"/verify/{code}/", **extra)
    return response, response.content.decode()


def test_a_genuine_certificate_shows_what_it_states_to_anybody(client, certificate):
    response, page = _page(client, certificate.code)
    assert response.status_code == 200
    assert "A valid certificate" in page
    assert "Banja Luka" in page and "Human resources" in page and "Most improved" in page
    assert "70 on the scale 0–100" in page and "+30 (from 40 to 70)" in page
    assert "3.1 Manage and improve human resources" in page
    assert "Place 1 of 4 members compared".lower() in page.lower()


def test_the_statement_is_shown_in_the_readers_language_and_script(client, certificate):
    _response, page = _page(client, certificate.code, HTTP_ACCEPT_LANGUAGE="sr")
    assert "Бања Лука" in page
    subcriterion_title = certificate.statement["areas"][0]["title"]["sr"]
    assert subcriterion_title in page


def test_a_code_is_found_in_any_case_and_without_its_dashes(client, certificate):
    typed = certificate.code.replace("-", "").lower()
    response = client.get(f"/verify/{typed}/")
    assert response.status_code == 302 and response["Location"] == f"/verify/{certificate.code}/"
    assert services.check(f" {typed[:4]} {typed[4:]} ").verdict == services.Verdict.VALID


@pytest.mark.parametrize(
    "code", ["ACDE-FGHJ-KMNP", "T-A", "x" * 200, "%E2%80%AE", "0000-0000-0000"]
)
def test_an_unknown_code_is_not_a_valid_certificate(client, certificate, code):
    response, page = _page(client, code)
    assert response.status_code == 404
    assert "Not a valid certificate" in page and "No certificate has the code" in page
    assert "Banja Luka" not in page


@pytest.mark.parametrize(
    "change",
    [
        {"statement": "delta"},
        {"statement": "municipality"},
        {"signature": "0" * 64},
        {"signature": ""},
        {"kind": "best_result"},
        {"municipality": "b"},
    ],
)
def test_a_row_altered_in_the_database_fails_the_check(client, recognised, certificate, change):
    if "statement" in change:
        statement = dict(certificate.statement)
        statement[change["statement"]] = 99 if change["statement"] == "delta" else "Tuzla"
        Certificate.objects.filter(pk=certificate.pk).update(statement=statement)
    elif "signature" in change:
        Certificate.objects.filter(pk=certificate.pk).update(signature=change["signature"])
    elif "kind" in change:
        # a most-improved certificate passed off as A's best result (that one is gone)
        Certificate.objects.filter(municipality=recognised.a, kind=change["kind"]).delete()
        Certificate.objects.filter(pk=certificate.pk).update(kind=change["kind"])
    else:
        Certificate.objects.filter(pk=certificate.pk).update(municipality=recognised.b)
    response, page = _page(client, certificate.code)
    assert response.status_code == 200  # the code exists; the page says it fails
    assert "Not a valid certificate" in page and "fails the check of its signature" in page
    assert "A valid certificate" not in page and "Banja Luka" not in page


def test_a_certificate_signed_with_another_secret_fails(client, certificate, settings):
    settings.SECRET_KEY = "another-secret-" + "x" * 40
    _response, page = _page(client, certificate.code)
    assert "fails the check of its signature" in page


def test_a_secret_being_rotated_out_still_verifies(client, certificate, settings):
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "the-new-secret-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    _response, page = _page(client, certificate.code)
    assert "A valid certificate" in page


def test_a_revoked_certificate_says_since_when(client, certificate):
    assert "no-store" in _page(client, certificate.code)[0]["Cache-Control"]
    services.revoke_certificate(certificate)
    response, page = _page(client, certificate.code)
    assert response.status_code == 200
    assert "A revoked certificate" in page and "This certificate was revoked on" in page
    assert "It is no longer valid." in page
    assert "A valid certificate" not in page


def test_the_form_leads_to_the_code(client, certificate):
    page = client.get("/verify/")
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    response = client.get("/verify/", {"code": certificate.code.lower()})
    assert response.status_code == 302 and response["Location"] == f"/verify/{certificate.code}/"


@pytest.mark.parametrize("typed", ["hello", "%00", "ACDE-FGHJ", "x" * 5000])
def test_the_form_says_what_a_code_looks_like(client, typed):
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 200
    assert "A verification code has 12 letters and digits" in response.content.decode()


def test_checks_are_limited_per_address(client, certificate, settings):
    settings.MREZA_VERIFY_RATE = (5, 600)
    for _ in range(5):
        assert _page(client, "ACDE-FGHJ-KMNP")[0].status_code == 404
    response, page = _page(client, certificate.code)
    assert response.status_code == 429 and "Too many checks" in page
    assert "Banja Luka" not in page
    # another address is not held up
    assert _page(client, certificate.code, REMOTE_ADDR="198.51.100.7")[0].status_code == 200


def test_an_ipv6_network_counts_as_one_address(client, settings):
    settings.MREZA_VERIFY_RATE = (2, 600)
    for host in ("2001:db8::1", "2001:db8::2"):
        assert _page(client, "ACDE-FGHJ-KMNP", REMOTE_ADDR=host)[0].status_code == 404
    assert _page(client, "ACDE-FGHJ-KMNP", REMOTE_ADDR="2001:db8::ffff")[0].status_code == 429
    assert _page(client, "ACDE-FGHJ-KMNP", REMOTE_ADDR="2001:db8:1::1")[0].status_code == 404


def test_the_verification_pages_only_read(client, certificate):
    assert client.post(f"/verify/{certificate.code}/").status_code == 405
    assert client.post("/verify/").status_code == 405


def test_the_qr_code_points_at_the_verification_page(certificate, settings):
    settings.SITE_URL = "https://mreza.example.org/"
    url = services.verification_url(certificate.code)
    assert url == f"https://mreza.example.org/verify/{certificate.code}/"
    svg = services.qr_svg(url)
    assert svg.startswith("<svg") and "<path" in svg and "<script" not in svg
