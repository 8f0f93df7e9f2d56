"""Certificates of recognition: issued for a closed evaluation (best result, most improved, and
participation for every submitted member), revoked by whoever runs it, checked by anybody with
the code on /verify/<code>/.

The code, the signature and the QR code are made as for every certificate (`core/certificates.py`):
the code only finds the row; what makes a certificate genuine is its signature, an HMAC-SHA256 keyed
with the site's secret and SALT, of the code, the statement (canonical JSON), the municipality and
the kind, stored when issued and recomputed on every check. A row altered in the database fails
the check, and so does any code nobody issued.

Signatures the other parts use:
    issue_certificates(evaluation, user) -> list[Certificate]   (raises CertificateError)
    revoke_certificate(certificate) -> Certificate
    check(code) -> Check
    normalise_code(text) -> str | None
    verification_url(code) -> str;  qr_svg(url) -> str
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mreza.core import certificates as signing
from mreza.core.certificates import ALPHABET as ALPHABET  # the alphabet the codes use (tests)
from mreza.core.certificates import new_code, normalise_code
from mreza.core.certificates import qr_svg as qr_svg  # the views draw it with the certificate
from mreza.evaluation.models import Certificate, Evaluation
from mreza.evaluation.services.recognition import Recognition, Row, evaluation_recognition

logger = logging.getLogger(__name__)

SALT = "mreza.evaluation.certificate"
#: the version of the statement's layout, signed with it
STATEMENT_VERSION = 1


class CertificateError(Exception):
    """A certificate cannot be issued now; the message says why, in the user's language."""


def sign(
    code: str, statement: dict[str, Any], municipality_id: int, kind: str, secret: Any = None
) -> str:
    return signing.signature(SALT, code, statement, (municipality_id, kind), secret=secret)


def signature_ok(certificate: Certificate) -> bool:
    """Whether the stored signature is the one of the stored data (the current secret, or one
    being rotated out: SECRET_KEY_FALLBACKS)."""
    return signing.signature_matches(
        certificate.signature,
        SALT,
        certificate.code,
        certificate.statement,
        (certificate.municipality_id, certificate.kind),
    )


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def statement_for(recognition: Recognition, row: Row, kind: str) -> dict[str, Any]:
    """What a certificate states, frozen when issued (and signed): the network, the municipality
    as named then, the area (its names in every language, shown in the reader's), the result and
    its rise with the scale, the place and how many members were compared."""
    evaluation = recognition.evaluation
    workspace = evaluation.workspace
    statement: dict[str, Any] = {
        "v": STATEMENT_VERSION,
        "evaluation": evaluation.pk,
        "evaluation_title": evaluation.title,
        "network": workspace.title,
        "municipality": row.municipality.name,
        "areas": [{"code": s.code, "title": s.title} for s in recognition.areas],
        "issued_on": timezone.localdate().isoformat(),
    }
    figures = row.figures
    if figures is not None:
        statement.update(
            score=_number(figures.score),
            scale=[figures.scale.low, figures.scale.high],
            baseline=_number(figures.baseline),
            delta=_number(figures.delta),
        )
    if kind != Certificate.Kind.PARTICIPATION:
        standing = recognition.ranking(kind).of(row.part.pk)
        statement.update(
            place=standing.place if standing else None,
            compared=recognition.ranking(kind).compared,
        )
    return statement


def _due(recognition: Recognition) -> list[tuple[Row, str]]:
    """Every certificate the evaluation earns: the first places of both rankings, and
    participation for every submitted member."""
    due: list[tuple[Row, str]] = [
        (row, kind)
        for kind in (Certificate.Kind.BEST_RESULT, Certificate.Kind.MOST_IMPROVED)
        for row in recognition.winners(kind)
    ]
    due += [(row, Certificate.Kind.PARTICIPATION) for row in recognition.rows]
    return due


def issue_certificates(evaluation: Evaluation, user: Any) -> list[Certificate]:
    """Issue the certificates a closed evaluation earns and does not hold yet (a revoked one
    no longer counts: issuing again replaces it). Returns those issued now."""
    try:
        with transaction.atomic():
            locked = (
                Evaluation.objects.select_for_update(of=("self",))
                .select_related("workspace__framework")
                .get(pk=evaluation.pk)
            )
            if locked.status != Evaluation.Status.CLOSED:
                raise CertificateError(_("Certificates are issued once the evaluation is closed."))
            held = set(
                Certificate.objects.filter(evaluation=locked, revoked_at__isnull=True).values_list(
                    "municipality_id", "kind"
                )
            )
            recognition = evaluation_recognition(locked)
            issued = []
            for row, kind in _due(recognition):
                municipality_id: int = row.municipality.pk
                if (municipality_id, kind) in held:
                    continue
                code = new_code()
                statement = statement_for(recognition, row, kind)
                issued.append(
                    Certificate.objects.create(
                        evaluation=locked,
                        municipality_id=municipality_id,
                        kind=kind,
                        statement=statement,
                        code=code,
                        signature=sign(code, statement, municipality_id, kind),
                        issued_by=user if getattr(user, "is_authenticated", False) else None,
                    )
                )
                held.add((municipality_id, kind))
    except IntegrityError as error:
        # the one-per-kind constraint: somebody issued the same certificates at the same moment
        raise CertificateError(
            _("Somebody issued these certificates at the same time. Please reload the page.")
        ) from error
    return issued


def revoke_certificate(certificate: Certificate) -> Certificate:
    """Revoke a certificate (once; revoking again changes nothing). The verification page then
    says since when it is revoked."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    return locked


class Verdict(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    UNKNOWN = "unknown"  # nobody issued this code
    FORGED = "forged"  # the code exists, but its data do not match its signature


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    certificate: Certificate | None = None

    @property
    def genuine(self) -> bool:
        return self.verdict in (Verdict.VALID, Verdict.REVOKED)


def check(code: str) -> Check:
    """What the verification page says about `code` (typed in any case, with or without its
    dashes)."""
    normalised = normalise_code(code)
    certificate = (
        Certificate.objects.select_related("evaluation__workspace", "municipality")
        .filter(code=normalised)
        .first()
        if normalised
        else None
    )
    if certificate is None:
        return Check(Verdict.UNKNOWN)
    if not signature_ok(certificate):
        logger.warning("certificate %s fails its signature check", certificate.pk)
        return Check(Verdict.FORGED)
    if certificate.revoked_at is not None:
        return Check(Verdict.REVOKED, certificate)
    return Check(Verdict.VALID, certificate)


def verification_url(code: str) -> str:
    """The page that checks the certificate, absolute (it is printed on paper)."""
    return settings.SITE_URL.rstrip("/") + reverse("evaluation:verify", args=[code])
