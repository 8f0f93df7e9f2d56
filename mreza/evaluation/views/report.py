"""The evaluation report (HTML and PDF): per goal the members' ratings and the indicators against
their targets, per member the re-assessment deltas next to the citizen satisfaction change, the
lessons learned and the share of activities done. Only submitted parts appear; once the report
is published anybody may read it (the rest of the evaluation stays private)."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from mreza.core.access import Perm, get_or_deny, may
from mreza.core.decorators import sign_in_when_anonymous
from mreza.evaluation.models import Evaluation
from mreza.evaluation.services.report import evaluation_report
from mreza.progress.views.common import render_workspace

TAB = "evaluation"
EVALUATIONS = Evaluation.objects.select_related(
    "workspace__organisation", "workspace__framework", "workspace__coordinator"
)


def _context(request, evaluation):
    return {
        "evaluation": evaluation,
        "report": evaluation_report(evaluation),
        # the evaluation's own page is for the workspace's people; the public reads the report
        "may_see_evaluation": may(request.user, Perm.VIEW, evaluation.workspace),
    }


@sign_in_when_anonymous
@require_GET
def report(request, pk):
    evaluation = get_or_deny(request.user, Perm.VIEW, EVALUATIONS, pk=pk)
    return render_workspace(
        request,
        "evaluation/report.html",
        evaluation.workspace,
        TAB,
        _context(request, evaluation),
    )


@sign_in_when_anonymous
@require_GET
def report_pdf(request, pk):
    from weasyprint import HTML  # slow to import; only PDFs need it

    evaluation = get_or_deny(request.user, Perm.VIEW, EVALUATIONS, pk=pk)
    html = render_to_string(
        "evaluation/report_pdf.html", _context(request, evaluation), request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(evaluation.title) or "evaluation"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
