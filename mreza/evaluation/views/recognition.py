"""Recognition pages: an evaluation's rankings and certificates, the ranking across networks
(`/recognition/`, public), a certificate's PDF, and the public verification page
(`/verify/<code>/`, no account), rate-limited per address so codes cannot be guessed."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mreza.core import ratelimit, verification
from mreza.core.access import Perm, get_or_deny, may
from mreza.core.decorators import sign_in_when_anonymous
from mreza.evaluation import recognition as rules
from mreza.evaluation.models import Certificate, Evaluation
from mreza.evaluation.services import certificates as services
from mreza.evaluation.services.certificates import Verdict
from mreza.evaluation.services.recognition import evaluation_recognition, platform_recognition
from mreza.progress.views.common import render_workspace

TAB = "evaluation"
EVALUATIONS = Evaluation.objects.select_related(
    "workspace__organisation", "workspace__framework", "workspace__coordinator"
)
#: checks of certificate codes per address (an IPv4 address, an IPv6 /64) and per window (s)
DEFAULT_VERIFY_RATE = (30, 600)


def _back(evaluation, anchor=""):
    return redirect(reverse("evaluation:evaluation_recognition", args=[evaluation.pk]) + anchor)


@require_GET
@sign_in_when_anonymous
def evaluation_page(request, pk):
    evaluation = get_or_deny(request.user, Perm.VIEW, EVALUATIONS, pk=pk)
    may_manage = may(request.user, Perm.MANAGE_EVALUATION, evaluation)
    certificates = evaluation.certificates.select_related("municipality").order_by(
        "kind", "municipality__name", "-issued_at"
    )
    if not may_manage:
        certificates = certificates.filter(revoked_at__isnull=True)
    context = {
        "evaluation": evaluation,
        "recognition": evaluation_recognition(evaluation),
        "certificates": certificates,
        "may_manage": may_manage,
        "min_compared": rules.MIN_COMPARED,
    }
    return render_workspace(
        request, "evaluation/recognition.html", evaluation.workspace, TAB, context
    )


@require_POST
@sign_in_when_anonymous
def issue(request, pk):
    evaluation = get_or_deny(request.user, Perm.MANAGE_EVALUATION, EVALUATIONS, pk=pk)
    try:
        issued = services.issue_certificates(evaluation, request.user)
    except services.CertificateError as error:
        messages.error(request, str(error))
    else:
        if issued:
            messages.success(
                request,
                ngettext(
                    "%(count)d certificate issued.", "%(count)d certificates issued.", len(issued)
                )
                % {"count": len(issued)},
            )
        else:
            messages.info(request, _("Every certificate this evaluation earns is issued already."))
    return _back(evaluation, "#certificates")


def _certificate(request, perm, pk, certificate):
    return get_or_deny(
        request.user,
        perm,
        Certificate.objects.select_related(
            "municipality",
            "evaluation__workspace__organisation",
            "evaluation__workspace__framework",
        ),
        pk=certificate,
        evaluation_id=pk,
    )


@require_POST
@sign_in_when_anonymous
def revoke(request, pk, certificate):
    found = _certificate(request, Perm.MANAGE_EVALUATION, pk, certificate)
    services.revoke_certificate(found)
    messages.success(
        request,
        _("Certificate %(code)s is revoked. Its verification page says so.") % {"code": found.code},
    )
    return _back(found.evaluation, "#certificates")


@require_GET
@sign_in_when_anonymous
def certificate_pdf(request, pk, certificate):
    from weasyprint import HTML

    found = _certificate(request, Perm.VIEW, pk, certificate)
    url = services.verification_url(found.code)
    context = {
        "certificate": found,
        "statement": found.statement,
        "verify_url": url,
        "qr": services.qr_svg(url),
    }
    html = render_to_string("evaluation/certificate_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{found.code}.pdf"'
    return response


@require_GET
def platform(request):
    found = platform_recognition()
    context = {
        "recognition": found,
        "sections": [
            (Certificate.Kind.BEST_RESULT.value, found.best, found.best_rows),
            (Certificate.Kind.MOST_IMPROVED.value, found.improved, found.improved_rows),
        ],
        "min_compared": rules.MIN_COMPARED,
        "top": rules.TOP,
    }
    return render(request, "evaluation/recognition_platform.html", context)


def _over_limit(request):
    """Count this check against the client's address; True once it has made too many."""
    limit, window = getattr(settings, "MREZA_VERIFY_RATE", DEFAULT_VERIFY_RATE)
    return ratelimit.over_limit("verify", ratelimit.client_address(request), limit, window)


def _page_context(**context):
    base = {"typed": "", "checked": "", "error": "", "limited": False, "result": None}
    base |= {"certificate": None, "statement": None}
    return base | context


def _verify_page(request, status=200, **context):
    return render(request, "evaluation/verify.html", _page_context(**context), status=status)


@require_GET
def verify_form(request):
    """The form to type a code; a code that cannot be one is answered here."""
    typed = request.GET.get("code", "")
    error = ""
    if typed:
        code = services.normalise_code(typed)
        if code:
            return redirect("evaluation:verify", code=code)
        error = _(
            "A verification code has 12 letters and digits in three groups of four, "
            "such as ACDE-FGHJ-KMNP. Please check what you typed."
        )
    return _verify_page(request, typed=typed[:40], error=error)


def verification_lookup(code):
    """What the verification page shows for an evaluation certificate (registered with
    core/verification.py in apps.py), or None for a code no evaluation certificate has."""
    result = services.check(code)
    if result.verdict == Verdict.UNKNOWN:
        return None
    context = _page_context(
        result=result,
        checked=code[:40],
        certificate=result.certificate,
        statement=result.certificate.statement if result.certificate else None,
    )
    return "evaluation/verify.html", context


@require_GET
@never_cache  # a revocation shows at once: no proxy or browser keeps the old answer
def verify(request, code):
    """Every kind of certificate on one page: the first app whose lookup knows the code
    answers (core/verification.py); a code none knows is "not found"."""
    if _over_limit(request):
        return _verify_page(request, status=429, limited=True)
    normalised = services.normalise_code(code)
    if normalised and normalised != code:
        return redirect("evaluation:verify", code=normalised)
    found = verification.find(code)
    if found is None:
        return _verify_page(
            request, status=404, result=services.Check(Verdict.UNKNOWN), checked=code[:40]
        )
    template, context = found
    # a forged certificate is a page that says it fails the check (200)
    return render(request, template, context)
