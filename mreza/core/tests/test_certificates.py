"""Signed certificate codes (core/certificates.py) and the two apps that issue certificates with it.

Certificates already issued keep their stored signature, so the message's layout and the key
derivation must never change: the signatures below were computed once by the code each app had
before the shared module (evaluation and events `services/certificates.py`) and are pinned here.
"""

import re

import pytest
from django.test import override_settings

from mreza.core import certificates
from mreza.evaluation.models import Certificate
from mreza.evaluation.services import certificates as evaluation_certificates
from mreza.events.models import AttendanceCertificate
from mreza.events.services import certificates as event_certificates

SECRET = "a fixed secret for the pinned signatures"
CODE = "ACDE-FGHJ-KMNP"
# keys out of order, non-ASCII text, numbers, None and nesting: everything canonical() must fix
STATEMENT = {
    "v": 1,
    "municipality": "Општина Бијељина",
    "areas": [{"code": "3.1", "title": {"bs": "Ljudski resursi", "bg": "Човешки ресурси"}}],
    "score": 70.0,
    "delta": 30.25,
    "place": None,
    "issued_on": "2026-12-03",
}
MUNICIPALITY_ID, KIND, REGISTRATION_ID = 42, "most_improved", 7

# computed by the old evaluation `sign(CODE, STATEMENT, 42, "most_improved", secret=SECRET)`
EVALUATION_SIGNATURE = "cce99c32d53c116f59475686560dd07e857297dce55f7e07a4e5b8650232d7fc"
# computed by the old events `sign(CODE, STATEMENT, 7, secret=SECRET)`
EVENT_SIGNATURE = "21ce3e1530be5afe5597f30d653ca85c6fd2c6a8cc7dacb8b777199c0c0591da"


def test_an_evaluation_certificate_signs_as_before():
    signature = evaluation_certificates.sign(CODE, STATEMENT, MUNICIPALITY_ID, KIND, secret=SECRET)
    assert signature == EVALUATION_SIGNATURE
    # the model's choice (a str enum) signs as its value, as the stored kind is read back
    kind = Certificate.Kind.MOST_IMPROVED
    assert evaluation_certificates.sign(CODE, STATEMENT, MUNICIPALITY_ID, kind, secret=SECRET) == (
        EVALUATION_SIGNATURE
    )


def test_an_attendance_certificate_signs_as_before():
    signature = event_certificates.sign(CODE, STATEMENT, REGISTRATION_ID, secret=SECRET)
    assert signature == EVENT_SIGNATURE


def test_the_shared_signature_is_each_apps_salt_and_fields():
    assert (
        certificates.signature(
            "mreza.evaluation.certificate", CODE, STATEMENT, (MUNICIPALITY_ID, KIND), secret=SECRET
        )
        == EVALUATION_SIGNATURE
    )
    assert (
        certificates.signature(
            "mreza.events.attendance-certificate",
            CODE,
            STATEMENT,
            (REGISTRATION_ID,),
            secret=SECRET,
        )
        == EVENT_SIGNATURE
    )
    reordered = dict(reversed(list(STATEMENT.items())))
    assert (
        certificates.signature(
            evaluation_certificates.SALT, CODE, reordered, (MUNICIPALITY_ID, KIND), secret=SECRET
        )
        == EVALUATION_SIGNATURE
    )


@override_settings(SECRET_KEY=SECRET)
def test_the_site_secret_is_the_default_key():
    assert evaluation_certificates.sign(CODE, STATEMENT, MUNICIPALITY_ID, KIND) == (
        EVALUATION_SIGNATURE
    )
    assert event_certificates.sign(CODE, STATEMENT, REGISTRATION_ID) == EVENT_SIGNATURE


def _evaluation_certificate(**changes):
    fields = {
        "code": CODE,
        "statement": dict(STATEMENT),
        "municipality_id": MUNICIPALITY_ID,
        "kind": KIND,
        "signature": EVALUATION_SIGNATURE,
    }
    return Certificate(**{**fields, **changes})


def _attendance_certificate(**changes):
    fields = {
        "code": CODE,
        "statement": dict(STATEMENT),
        "registration_id": REGISTRATION_ID,
        "signature": EVENT_SIGNATURE,
    }
    return AttendanceCertificate(**{**fields, **changes})


@pytest.mark.parametrize(
    "settings_",
    [
        {"SECRET_KEY": SECRET, "SECRET_KEY_FALLBACKS": []},
        # the secret rotated out still verifies what it signed
        {"SECRET_KEY": "the new secret", "SECRET_KEY_FALLBACKS": ["an older one", SECRET]},
    ],
)
def test_a_stored_signature_verifies_under_the_current_or_a_fallback_secret(settings_):
    with override_settings(**settings_):
        assert evaluation_certificates.signature_ok(_evaluation_certificate())
        assert event_certificates.signature_ok(_attendance_certificate())


@override_settings(SECRET_KEY=SECRET, SECRET_KEY_FALLBACKS=[])
def test_any_altered_field_fails_the_check():
    altered = {**STATEMENT, "score": 71.0}
    assert not evaluation_certificates.signature_ok(_evaluation_certificate(statement=altered))
    assert not evaluation_certificates.signature_ok(_evaluation_certificate(municipality_id=43))
    assert not evaluation_certificates.signature_ok(_evaluation_certificate(kind="best_result"))
    assert not evaluation_certificates.signature_ok(_evaluation_certificate(code="ACDE-FGHJ-KMNQ"))
    assert not event_certificates.signature_ok(_attendance_certificate(statement=altered))
    assert not event_certificates.signature_ok(_attendance_certificate(registration_id=8))
    # one app's signature is no signature of the other's (each has its own salt)
    assert not event_certificates.signature_ok(
        _attendance_certificate(signature=EVALUATION_SIGNATURE)
    )
    with override_settings(SECRET_KEY="another site's secret"):
        assert not evaluation_certificates.signature_ok(_evaluation_certificate())


def test_codes_are_grouped_from_the_alphabet_without_look_alikes():
    codes = {certificates.new_code() for _ in range(50)}
    assert len(codes) == 50
    letters = re.escape(certificates.ALPHABET)
    assert all(re.fullmatch(rf"[{letters}]{{4}}(-[{letters}]{{4}}){{2}}", c) for c in codes)
    assert not set("01OILSB58") & set(certificates.ALPHABET)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ACDE-FGHJ-KMNP", "ACDE-FGHJ-KMNP"),
        ("acde fghj kmnp", "ACDE-FGHJ-KMNP"),
        (" acdefghjkmnp.", "ACDE-FGHJ-KMNP"),
        ("ACDE–FGHJ—KMNP", "ACDE-FGHJ-KMNP"),  # dashes a word processor puts in
        ("ACDE-FGHJ-KMN", None),
        ("ACDE-FGHJ-KMNO", None),  # O is not in the alphabet
        ("", None),
        (None, None),
    ],
)
def test_a_typed_code_is_normalised_or_refused(typed, stored):
    assert certificates.normalise_code(typed) == stored
    # both apps read codes the one way, so the one /verify/ form finds either kind
    assert evaluation_certificates.normalise_code(typed) == stored


def test_the_qr_code_is_an_svg_element():
    svg = certificates.qr_svg("https://mreza.example/verify/ACDE-FGHJ-KMNP/")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert event_certificates.qr_svg is certificates.qr_svg is evaluation_certificates.qr_svg
