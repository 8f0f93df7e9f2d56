"""Attendance certificates: issued by whoever runs an event for the people marked present,
revoked by them, checked by anybody on /verify/<code>/ (the same page as the evaluation's
certificates: core/verification.py).

The code, the signature and the QR code are made as for every certificate (`core/certificates.py`,
so the one verification form reads both kinds): the code only finds the row; what makes a
certificate genuine is its signature, an HMAC-SHA256 keyed with the site's secret and SALT, of the
code, the statement (canonical JSON) and the registration, stored when issued and recomputed on
every check. A row altered in the database fails the check.
"""

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mreza.core import certificates as signing
from mreza.core.certificates import new_code, normalise_code
from mreza.core.certificates import qr_svg as qr_svg  # the views draw it with the certificate
from mreza.evaluation.services.certificates import (  # the one /verify/ page, the evaluation's
    verification_url as verification_url,
)
from mreza.events.models import AttendanceCertificate, Event, Registration

log = logging.getLogger(__name__)
SALT = "mreza.events.attendance-certificate"
STATEMENT_VERSION = 1


class CertificateError(Exception):
    """Certificates cannot be issued now; the message says why (user's language)."""


def sign(code: str, statement: dict[str, Any], registration_id: int, secret: Any = None) -> str:
    return signing.signature(SALT, code, statement, (registration_id,), secret=secret)


def signature_ok(certificate: AttendanceCertificate) -> bool:
    """Whether the stored signature is the one of the stored data (the current secret, or one
    being rotated out: SECRET_KEY_FALLBACKS)."""
    return signing.signature_matches(
        certificate.signature,
        SALT,
        certificate.code,
        certificate.statement,
        (certificate.registration_id,),
    )


def statement_for(registration):
    """What the certificate states, frozen when issued (names as they are today)."""
    event = registration.event
    local_start = timezone.localtime(event.starts_at)
    local_end = timezone.localtime(event.ends_at)
    return {
        "v": STATEMENT_VERSION,
        "event": event.pk,
        "event_title": event.title,
        "kind": event.kind,
        "starts_on": local_start.date().isoformat(),
        "ends_on": local_end.date().isoformat(),
        "place": event.place,
        "organiser": event.organiser.name if event.organiser_id else "",
        "host": event.host.name if event.host_id else "",
        "person": registration.user.full_name or registration.user.email,
        "affiliation": registration.affiliation,
        "issued_on": timezone.localdate().isoformat(),
    }


def issue_certificates(event, user):
    """A certificate for every person marked present who holds none yet. Returns those issued."""
    try:
        with transaction.atomic():
            locked = (
                Event.objects.select_for_update(of=("self",))
                .select_related("organiser", "host")
                .get(pk=event.pk)
            )
            if locked.status != Event.Status.PUBLISHED or locked.starts_at > timezone.now():
                raise CertificateError(_("Certificates are issued once the event has taken place."))
            present = (
                Registration.objects.filter(
                    event=locked, status=Registration.Status.CONFIRMED, attended=True
                )
                .exclude(
                    pk__in=AttendanceCertificate.objects.filter(
                        registration__event=locked, revoked_at__isnull=True
                    ).values("registration_id")
                )
                .select_related("user")
            )
            issued = []
            for registration in present:
                registration.event = locked
                code = new_code()
                statement = statement_for(registration)
                issued.append(
                    AttendanceCertificate.objects.create(
                        registration=registration,
                        statement=statement,
                        code=code,
                        signature=sign(code, statement, registration.pk),
                        issued_by=user if getattr(user, "is_authenticated", False) else None,
                    )
                )
    except IntegrityError as error:
        raise CertificateError(
            _("Somebody issued these certificates at the same time. Please reload the page.")
        ) from error
    return issued


def revoke(certificate):
    with transaction.atomic():
        locked = AttendanceCertificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    return locked


class Verdict(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    FORGED = "forged"


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    certificate: AttendanceCertificate


def check(code):
    """The verdict on `code`, or None when no attendance certificate has it."""
    normalised = normalise_code(code)
    if not normalised:
        return None
    certificate = (
        AttendanceCertificate.objects.select_related("registration__event")
        .filter(code=normalised)
        .first()
    )
    if certificate is None:
        return None
    if not signature_ok(certificate):
        log.warning("attendance certificate %s fails its signature check", certificate.pk)
        return Check(Verdict.FORGED, certificate)
    if certificate.revoked_at is not None:
        return Check(Verdict.REVOKED, certificate)
    return Check(Verdict.VALID, certificate)
