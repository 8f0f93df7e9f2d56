import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mreza.assessment import services
from mreza.assessment.forms import ImprovementActionForm, LearningProfileForm
from mreza.assessment.models import Assessment, ImprovementAction, LearningProfile
from mreza.assessment.views import assessment_for
from mreza.core import exports
from mreza.core.access import Perm, get_or_deny, may
from mreza.core.conflicts import CONFLICT, stale_form
from mreza.core.texts import localized
from mreza.core.versioning import EditConflict

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actions(assessment):
    actions = list(assessment.actions.select_related("subcriterion"))
    actions.sort(key=lambda a: (-a.priority, a.deadline, a.pk))
    return actions


@login_required
def plan(request, pk):
    assessment = assessment_for(request, pk)
    areas = (
        assessment.consensus.exclude(improvements="")
        .select_related("subcriterion")
        .order_by("subcriterion__position")
    )
    return render(
        request,
        "assessment/plan.html",
        {
            "assessment": assessment,
            "actions": _actions(assessment),
            "areas": areas,
            "can_edit": may(request.user, Perm.EDIT_PLAN, assessment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk, action_pk=None):
    assessment = assessment_for(request, pk, Perm.EDIT_PLAN)
    if assessment.status not in (Assessment.Status.CLOSED, Assessment.Status.ACCEPTED):
        messages.error(request, _("The improvement plan is made once the assessment is closed."))
        return redirect("assessment:plan", pk=pk)
    action = (
        get_object_or_404(ImprovementAction, pk=action_pk, assessment=assessment)
        if action_pk
        else None
    )
    subcriteria = services.subcriteria_queryset(assessment)
    initial = {}
    if action is None and request.GET.get("area"):
        consensus = (
            assessment.consensus.filter(subcriterion__code=request.GET["area"])
            .select_related("subcriterion")
            .first()
        )
        if consensus:
            initial = {
                "subcriterion": consensus.subcriterion,
                "title": consensus.improvements[:300],
            }
    form = ImprovementActionForm(
        request.POST or None, instance=action, subcriteria=subcriteria, initial=initial
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_action(
                assessment,
                form.instance,
                ImprovementActionForm.Meta.fields,
                form.cleaned_data.get("version") or 0,
            )
        except EditConflict:
            current = ImprovementAction.objects.get(pk=action.pk)
            form = stale_form(
                request,
                lambda data: ImprovementActionForm(data, instance=current, subcriteria=subcriteria),
                current,
                _(
                    "Someone else changed this action while you were editing. Your text is kept "
                    "below; compare with the plan and save again."
                ),
            )
            status = CONFLICT
        else:
            messages.success(request, _("Saved."))
            return redirect("assessment:plan", pk=pk)
    return render(
        request,
        "assessment/action_form.html",
        {"assessment": assessment, "form": form, "action": action},
        status=status,
    )


def _plan_table(assessment):
    header = [
        _("Priority"),
        _("Subcriterion"),
        _("Action"),
        _("Owner"),
        _("Deadline"),
        _("Expected result"),
        _("Indicator"),
        _("Impact"),
        _("Feasibility"),
        _("PDCA status"),
    ]
    rows = [
        [
            a.priority,
            a.subcriterion.code if a.subcriterion else "",
            a.title,
            a.owner,
            a.deadline,
            a.expected_result,
            a.indicator,
            a.impact,
            a.feasibility,
            a.get_status_display(),
        ]
        for a in _actions(assessment)
    ]
    return header, rows


@login_required
def plan_export(request, pk, fmt):
    assessment = assessment_for(request, pk)
    name = f"{slugify(assessment.title) or 'plan'}-{slugify(_('improvement plan'))}"
    if fmt == "pdf":
        from weasyprint import HTML

        html = render_to_string(
            "assessment/plan_pdf.html",
            {"assessment": assessment, "actions": _actions(assessment)},
            request=request,
        )
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    header, rows = _plan_table(assessment)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Improvement plan")[:31]
    exports.append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        exports.append(sheet, row)
    for column, width in zip("ABCDEFGHIJ", (9, 12, 40, 20, 12, 40, 30, 9, 11, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk):
    assessment = assessment_for(request, pk, Perm.EDIT_PROFILE)
    try:
        profile = services.ensure_profile(assessment)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessment:overview", pk=pk)
    subcriteria = services.subcriteria_of(assessment)
    scores = services.consensus_scores(assessment)
    proposal = services.proposed_profile(assessment)
    form = LearningProfileForm(
        request.POST or None,
        subcriteria=subcriteria,
        profile=profile,
        initial={"sharing": profile.sharing, "version": profile.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        needs, strengths = form.maps()
        try:
            services.save_profile(
                profile,
                needs,
                strengths,
                form.cleaned_data["sharing"],
                form.cleaned_data["version"],
            )
        except EditConflict:
            profile.refresh_from_db()
            form = stale_form(
                request,
                lambda data: LearningProfileForm(data, subcriteria=subcriteria, profile=profile),
                profile,
                _(
                    "Someone else changed the profile meanwhile. Your choices are kept below; "
                    "save again to replace theirs."
                ),
            )
            status = CONFLICT
        else:
            messages.success(request, _("The learning profile is saved."))
            return redirect("assessment:profile", pk=pk)
    rows = [
        {
            "subcriterion": s,
            "title": localized(s.title),
            "score": scores.get(s.code),
            "need_field": form[f"need_{s.code}"],
            "offer_field": form[f"offer_{s.code}"],
            "proposed_need": proposal["needs"].get(s.code),
            "proposed_offer": proposal["strengths"].get(s.code),
        }
        for s in subcriteria
    ]
    return render(
        request,
        "assessment/profile_edit.html",
        {"assessment": assessment, "profile": profile, "form": form, "rows": rows},
        status=status,
    )


@login_required
def profile_detail(request, profile_pk):
    profile = get_or_deny(
        request.user,
        Perm.VIEW,
        LearningProfile.objects.select_related(
            "municipality", "assessment", "assessment__framework"
        ),
        pk=profile_pk,
    )
    titles = dict(services.subcriteria_queryset(profile.assessment).values_list("code", "title"))
    needs = sorted(
        ((code, localized(titles.get(code, {})), w) for code, w in profile.needs.items()),
        key=lambda r: -r[2],
    )
    strengths = sorted(
        ((code, localized(titles.get(code, {})), w) for code, w in profile.strengths.items()),
        key=lambda r: -r[2],
    )
    return render(
        request,
        "assessment/profile_detail.html",
        {
            "profile": profile,
            "needs": needs,
            "strengths": strengths,
            "can_edit": may(request.user, Perm.EDIT_PROFILE, profile),
        },
    )
