"""Attendance certificates: issued by whoever runs an event for the people marked present,
revoked by them, checked by anybody on /verify/<code>/ (the same page as the evaluation's
certificates: core/verification.py).

The code has the evaluation certificates' form (12 characters without look-alikes, in groups of
four, so the one verification form reads both); it only finds the row. What makes a certificate
genuine is its signature: an HMAC-SHA256, keyed with the site's secret, of the code, the
statement (canonical JSON) and the registration, stored when issued and recomputed on every
check. A row altered in the database fails the check.
"""

import json
import logging
from dataclasses import dataclass
from enum import StrEnum

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from mreza.evaluation.services.certificates import new_code, normalise_code
from mreza.events.models import AttendanceCertificate, Event, Registration

log = logging.getLogger(__name__)
SALT = "mreza.events.attendance-certificate"
STATEMENT_VERSION = 1


class CertificateError(Exception):
    """Certificates cannot be issued now; the message says why (user's language)."""


def canonical(statement):
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign(code, statement, registration_id, secret=None):
    message = "\n".join([code, canonical(statement), str(registration_id)])
    return salted_hmac(SALT, message, secret=secret, algorithm="sha256").hexdigest()


def signature_ok(certificate):
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        constant_time_compare(
            certificate.signature,
            sign(certificate.code, certificate.statement, certificate.registration_id, secret),
        )
        for secret in secrets_in_use
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


def verification_url(code):
    return settings.SITE_URL.rstrip("/") + reverse("evaluation:verify", args=[code])


def qr_svg(url):
    return str(segno.make(url, error="m").svg_inline(scale=3, border=2))
