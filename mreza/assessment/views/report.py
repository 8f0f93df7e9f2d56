import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mreza.assessment import charts, services
from mreza.assessment.models import Entry
from mreza.assessment.views import assessment_for
from mreza.core import exports
from mreza.core.access import Perm, may
from mreza.core.texts import localized

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RADAR_MIN_AXES = 3


def chart_number(value):
    """A score on a chart in the reader's locale: one decimal at most ("72,5" in bs, hr, sr, bg)."""
    rounded = round(float(value), 1)
    return number_format(rounded, decimal_pos=0 if rounded.is_integer() else 1)


def _criterion_chart(axes, previous, series):
    """The radar of the criteria; a re-assessment covering fewer than three criteria gets bars,
    which need no minimum."""
    radar = len(axes) >= RADAR_MIN_AXES
    return (charts.radar_svg if radar else charts.bar_svg)(
        axes,
        max_value=100,
        previous=previous,
        title=_("Scores by criterion"),
        desc=_("Radar chart of the consensus score of each criterion.")
        if radar
        else _("Bar chart of the consensus score of each criterion."),
        series_labels=series,
        value_format=chart_number,
    )


def report_context(assessment):
    data = services.results(assessment)
    if assessment.scope:
        # roll-ups cover only the criteria a re-assessment's subcriteria belong to
        criteria = list({s.criterion_id: s.criterion for s in data["subcriteria"]}.values())
    else:
        criteria = list(assessment.framework.criteria.order_by("position"))
    axes = [
        (f"{c.code} {localized(c.title)}", data["criterion_scores"].get(c.code)) for c in criteria
    ]
    previous_axes = (
        [data["previous_criterion_scores"].get(c.code) for c in criteria]
        if data["previous"]
        else None
    )
    bars = [
        (f"{s.code} {localized(s.title)}", data["scores"].get(s.code)) for s in data["subcriteria"]
    ]
    previous_bars = (
        [data["previous_scores"].get(s.code) for s in data["subcriteria"]]
        if data["previous"]
        else None
    )
    series = (_("This assessment"), _("Previous assessment"))
    rows = []
    for sub in data["subcriteria"]:
        consensus = data["consensus"].get(sub.pk)
        rows.append(
            {
                "subcriterion": sub,
                "title": localized(sub.title),
                "consensus": consensus,
                "score": data["scores"].get(sub.code),
                "previous": data["previous_scores"].get(sub.code),
                "delta": data["deltas"].get(sub.code),
            }
        )
    criterion_rows = [
        {
            "criterion": c,
            "title": localized(c.title),
            "score": data["criterion_scores"].get(c.code),
            "delta": data["criterion_deltas"].get(c.code),
        }
        for c in criteria
    ]
    return {
        "assessment": assessment,
        "data": data,
        "rows": rows,
        "criterion_rows": criterion_rows,
        "framework_name": localized(assessment.framework.name),
        "scope_count": len(data["subcriteria"]) if assessment.scope else None,
        "radar": _criterion_chart(axes, previous_axes, series),
        "bars": charts.bar_svg(
            bars,
            max_value=100,
            previous=previous_bars,
            title=_("Scores by subcriterion"),
            desc=_("Bar chart of the consensus score of each subcriterion."),
            series_labels=series,
            value_format=chart_number,
        ),
    }


@login_required
def report(request, pk):
    assessment = assessment_for(request, pk)
    context = report_context(assessment)
    context["can_accept"] = may(request.user, Perm.ACCEPT, assessment)
    return render(request, "assessment/report.html", context)


@login_required
def report_pdf(request, pk):
    from weasyprint import HTML

    assessment = assessment_for(request, pk)
    html = render_to_string(
        "assessment/report_pdf.html", report_context(assessment), request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(assessment.title) or "report"}.pdf"'
    )
    return response


def _result_rows(request, assessment):
    """Consensus per subcriterion; individual scores only where the reader may see them."""
    data = services.results(assessment)
    header = [
        _("Code"),
        _("Subcriterion"),
        _("Consensus score"),
        _("Change since previous"),
        _("Agreed strengths"),
        _("Agreed areas for improvement"),
    ]
    rows = [
        [
            s.code,
            localized(s.title),
            data["scores"].get(s.code),
            data["deltas"].get(s.code),
            getattr(data["consensus"].get(s.pk), "strengths", ""),
            getattr(data["consensus"].get(s.pk), "improvements", ""),
        ]
        for s in data["subcriteria"]
    ]
    individual = []
    if may(request.user, Perm.MANAGE, assessment):
        submitted = assessment.members.filter(submitted_at__isnull=False).values_list(
            "user_id", flat=True
        )
        entries = (
            Entry.objects.filter(assessment=assessment, assessor_id__in=list(submitted))
            .select_related("assessor", "subcriterion")
            .order_by("subcriterion__position", "assessor__full_name")
        )
        individual = [
            [
                e.subcriterion.code,
                e.assessor.get_full_name(),
                None if e.dont_know else e.score,
                _("yes") if e.dont_know else "",
                e.strengths,
                e.improvements,
                e.ideas,
                e.evidence,
            ]
            for e in entries
        ]
    individual_header = [
        _("Code"),
        _("Assessor"),
        _("Score"),
        _("Don't know"),
        _("Strengths"),
        _("Areas for improvement"),
        _("Improvement ideas"),
        _("Evidence"),
    ]
    return header, rows, individual_header, individual


@login_required
def export(request, pk, fmt):
    assessment = assessment_for(request, pk)
    header, rows, individual_header, individual = _result_rows(request, assessment)
    name = slugify(assessment.title) or "assessment"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(exports.row(header))
        writer.writerows(exports.row(row) for row in rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Consensus")[:31]
    exports.append(sheet, header)
    for row in rows:
        exports.append(sheet, row)
    if individual:
        detail = workbook.create_sheet(_("Individual scores")[:31])
        exports.append(detail, individual_header)
        for row in individual:
            exports.append(detail, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
