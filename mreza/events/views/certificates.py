"""Attendance certificates: issued and revoked by whoever runs the event (on its attendance
page), downloaded as a PDF by the person and by them; checked by anybody on /verify/<code>/
(`verification_lookup`, registered in apps.py with core/verification.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mreza.core.access import Perm, get_or_deny
from mreza.core.decorators import sign_in_when_anonymous
from mreza.events.models import AttendanceCertificate, Event
from mreza.events.services import certificates as services
from mreza.events.views import event_for


@require_POST
@login_required
def issue(request, pk):
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    try:
        issued = services.issue_certificates(event, request.user)
    except services.CertificateError as error:
        messages.error(request, str(error))
    else:
        if issued:
            messages.success(
                request,
                ngettext(
                    "%(count)d attendance certificate issued.",
                    "%(count)d attendance certificates issued.",
                    len(issued),
                )
                % {"count": len(issued)},
            )
        else:
            messages.info(request, _("Everybody marked present holds a certificate already."))
    return redirect("events:registrations", pk=event.pk)


def _certificate(request, pk, certificate, perm):
    certificates = AttendanceCertificate.objects.select_related(
        "registration__event__organiser", "registration__event__host", "registration__user"
    )
    return get_or_deny(request.user, perm, certificates, pk=certificate, registration__event_id=pk)


@require_POST
@login_required
def revoke(request, pk, certificate):
    found = _certificate(request, pk, certificate, Perm.MANAGE_EVENT)
    services.revoke(found)
    messages.success(
        request,
        _("Certificate %(code)s is revoked. Its verification page says so.") % {"code": found.code},
    )
    return redirect("events:registrations", pk=pk)


@require_GET
@sign_in_when_anonymous
def certificate_pdf(request, pk, certificate):
    from weasyprint import HTML  # heavy: loaded when a PDF is asked for, as evaluation does

    found = _certificate(request, pk, certificate, Perm.VIEW)
    url = services.verification_url(found.code)
    context = {
        "certificate": found,
        "statement": found.statement,
        "verify_url": url,
        "qr": services.qr_svg(url),
    }
    html = render_to_string("events/certificate_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attendance-{found.code}.pdf"'
    return response


def verification_lookup(code):
    """What /verify/<code>/ shows for an attendance certificate, or None for a code it is not."""
    result = services.check(code)
    if result is None:
        return None
    certificate = result.certificate
    context = {
        "result": result,
        "certificate": certificate,
        "statement": certificate.statement,
        "checked": str(code)[:40],
        "kind_label": _kind_label(certificate.statement.get("kind", "")),
    }
    return "events/verify.html", context


def _kind_label(kind):
    return dict(Event.Kind.choices).get(kind, "")
