"""A workspace's self-evaluations: the list and opening one (runners), an evaluation with its
members' parts (closing, publishing), and a member's part (goal by goal, activities, the
re-assessment, lessons; saved under optimistic locking, submitted, reopened by runners).

These pages are for whoever may see the workspace; an anonymous visitor of a published
evaluation sees its report only (views/report.py)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mreza.assessment.models import Subcriterion
from mreza.assessment.services import reassessment_deltas
from mreza.core.access import Perm, get_or_deny, may, require, workspaces_visible_to
from mreza.core.conflicts import conflict_response, stale_form
from mreza.core.decorators import sign_in_when_anonymous
from mreza.core.texts import localized
from mreza.core.versioning import EditConflict
from mreza.evaluation.forms import OpenEvaluationForm, PartForm, SubcriteriaForm
from mreza.evaluation.models import Evaluation, MemberEvaluation
from mreza.evaluation.services import evaluations as services
from mreza.evaluation.services.report import part_overview
from mreza.progress.models import Workspace
from mreza.progress.views.common import render_workspace, workspace_view
from mreza.progress.views.workspace import page_flags

TAB = "evaluation"
PART_TEMPLATE = "evaluation/part.html"
WORKSPACE_RELATED = ("workspace__organisation", "workspace__framework", "workspace__coordinator")


def _visible_workspaces(user):
    return workspaces_visible_to(user, Workspace.objects.all())


def evaluation_for(request, pk, perm=Perm.VIEW):
    """The evaluation, for whoever may see its workspace (others: 404, even when published —
    they read the report); 403 if seen but `perm` is refused."""
    evaluations = Evaluation.objects.select_related(*WORKSPACE_RELATED).filter(
        workspace__in=_visible_workspaces(request.user)
    )
    return get_or_deny(request.user, perm, evaluations, pk=pk)


def part_for(request, pk, part, perm=Perm.VIEW):
    parts = MemberEvaluation.objects.select_related(
        *(f"evaluation__{r}" for r in WORKSPACE_RELATED),
        "member__municipality",
        "reassessment",
        "submitted_by",
    ).filter(evaluation__workspace__in=_visible_workspaces(request.user))
    return get_or_deny(request.user, perm, parts, pk=part, evaluation_id=pk)


# ---------------------------------------------------------------- the list and opening


@workspace_view(Perm.VIEW)
def evaluation_list(request, workspace):
    evaluations = workspace.evaluations.annotate(
        parts=Count("members"),
        submitted=Count("members", filter=Q(members__submitted_at__isnull=False)),
    ).order_by("-opened_at", "-id")
    return render_workspace(
        request,
        "evaluation/list.html",
        workspace,
        TAB,
        {"evaluations": evaluations, "form": OpenEvaluationForm()},
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
@require_http_methods(["GET", "POST"])
def evaluation_open(request, workspace):
    form = OpenEvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.open_evaluation(
                workspace,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                user=request.user,
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The evaluation is open. Each member can now fill in its part.")
            )
            return redirect("evaluation:detail", pk=evaluation.pk)
    return render_workspace(
        request,
        "evaluation/open.html",
        workspace,
        TAB,
        {
            "form": form,
            "members": services.members_to_evaluate(workspace).select_related("municipality"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# ---------------------------------------------------------------- one evaluation


@sign_in_when_anonymous
@require_GET
def evaluation_detail(request, pk):
    evaluation = evaluation_for(request, pk)
    parts = list(
        evaluation.members.select_related(
            "member__municipality", "reassessment", "submitted_by"
        ).order_by("member__municipality__name", "id")
    )
    user = request.user
    for part in parts:
        part.evaluation = evaluation  # the rule reads it: no query per part
        part.may_evaluate = may(user, Perm.EVALUATE, part)
    return render_workspace(
        request,
        "evaluation/detail.html",
        evaluation.workspace,
        TAB,
        {
            "evaluation": evaluation,
            "parts": parts,
            "submitted": sum(p.submitted_at is not None for p in parts),
            "not_submitted": [p for p in parts if p.submitted_at is None],
            "may_run": may(user, Perm.MANAGE_EVALUATION, evaluation),
        },
    )


@sign_in_when_anonymous
@require_POST
def evaluation_close(request, pk):
    evaluation = evaluation_for(request, pk, Perm.MANAGE_EVALUATION)
    try:
        services.close_evaluation(evaluation)
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The evaluation is closed; the report is final."))
    return redirect("evaluation:detail", pk=evaluation.pk)


@sign_in_when_anonymous
@require_POST
def evaluation_publish(request, pk):
    evaluation = evaluation_for(request, pk, Perm.MANAGE_EVALUATION)
    publish = request.POST.get("publish") == "1"
    try:
        services.set_published(evaluation, publish)
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The report is public: anybody with the link can read it.")
            if publish
            else _("The report is no longer public."),
        )
    return redirect("evaluation:detail", pk=evaluation.pk)


# ---------------------------------------------------------------- a member's part


def _area(workspace):
    """The workspace's area as a subcriterion (None: no framework or no area)."""
    if workspace.framework_id is None or not workspace.area:
        return None
    return Subcriterion.objects.filter(
        framework_id=workspace.framework_id, code=workspace.area
    ).first()


def _reassessment_context(request, part):
    workspace = part.evaluation.workspace
    user = request.user
    context = {
        "area": _area(workspace),
        "framework_name": localized(workspace.framework.name) if workspace.framework else "",
        "deltas": None,
        "may_start": False,
        "may_open_assessment": False,
    }
    if part.reassessment is not None:
        context["may_open_assessment"] = may(user, Perm.VIEW, part.reassessment)
        deltas = reassessment_deltas(part.reassessment)
        if any(after is not None for _s, _b, after, _d in deltas):
            context["deltas"] = [
                {"code": s.code, "title": localized(s.title), "before": b, "after": a, "change": d}
                for s, b, a, d in deltas
            ]
        return context
    if workspace.framework_id is None:
        return context
    context["baseline"] = services.baseline_for(part)
    # a municipality's assessment is started by its own coordinator: whoever starts it joins
    # its group and sees its private work
    context["may_start"] = may(user, Perm.EVALUATE, part) and may(
        user, Perm.CHANGE, part.member.municipality
    )
    if context["may_start"] and not workspace.area:
        context["subcriteria_form"] = SubcriteriaForm(
            subcriteria=services.subcriteria_to_choose(workspace)
        )
    return context


def _part_context(request, part, form, overview, **extra):
    return {
        "evaluation": part.evaluation,
        "part": part,
        "form": form,
        "may_evaluate": may(request.user, Perm.EVALUATE, part) and part.submitted_at is None,
        "may_run": may(request.user, Perm.MANAGE_EVALUATION, part.evaluation),
        **overview,
        **_reassessment_context(request, part),
        **extra,
    }


def _part_form(part, overview, data=None):
    return PartForm(
        data,
        instance=part,
        goals=overview["goals"],
        results=overview["results"],
        initial={"version": part.version},
    )


def _render_part(request, part, form, overview, status=200, **extra):
    return render_workspace(
        request,
        PART_TEMPLATE,
        part.evaluation.workspace,
        TAB,
        _part_context(request, part, form, overview, **extra),
        status=status,
    )


def _refused_save(request, pk, part):
    """The part as it is now, the form with the user's text and the current version: 409."""
    fresh = part_for(request, pk, part)
    overview = part_overview(fresh)
    form = stale_form(request, lambda data: _part_form(fresh, overview, data), fresh)
    context = _part_context(request, fresh, form, overview)
    workspace = fresh.evaluation.workspace
    return conflict_response(
        request, PART_TEMPLATE, {**page_flags(request, workspace, TAB), **context}
    )


@sign_in_when_anonymous
@require_http_methods(["GET", "POST"])
def part_page(request, pk, part):
    one = part_for(request, pk, part)
    overview = part_overview(one)
    if request.method == "GET":
        return _render_part(request, one, _part_form(one, overview), overview)
    require(request.user, Perm.EVALUATE, one)
    form = _part_form(one, overview, request.POST)
    if not form.is_valid():
        return _render_part(request, one, form, overview, status=400)
    try:
        services.save_part(
            one, form.cleaned_data, form.ratings(), form.cleaned_data["version"] or 0
        )
    except EditConflict:
        return _refused_save(request, pk, part)
    except services.EvaluationError as error:
        messages.error(request, str(error))
        return redirect("evaluation:part", pk=pk, part=one.pk)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Saved."))
        return redirect("evaluation:part", pk=pk, part=one.pk)
    try:
        services.submit_part(one, request.user)
    except services.SubmitRefused as refused:
        fresh = part_for(request, pk, part)
        overview = part_overview(fresh)
        return _render_part(
            request,
            fresh,
            _part_form(fresh, overview),
            overview,
            status=400,
            missing=refused.missing,
        )
    except services.EvaluationError as error:
        messages.error(request, str(error))
        return redirect("evaluation:part", pk=pk, part=one.pk)
    messages.success(request, _("Your part is saved and submitted. Thank you."))
    return redirect("evaluation:detail", pk=pk)


@sign_in_when_anonymous
@require_POST
def part_reopen(request, pk, part):
    one = part_for(request, pk, part)
    require(request.user, Perm.MANAGE_EVALUATION, one.evaluation)
    try:
        services.reopen_part(one)
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The part is open again for its member's changes."))
    return redirect("evaluation:part", pk=pk, part=one.pk)


@sign_in_when_anonymous
@require_POST
def reassessment_start(request, pk, part):
    one = part_for(request, pk, part, Perm.EVALUATE)
    require(request.user, Perm.CHANGE, one.member.municipality)
    workspace = one.evaluation.workspace
    codes = []
    if not workspace.area:
        chooser = SubcriteriaForm(
            request.POST, subcriteria=services.subcriteria_to_choose(workspace)
        )
        if not chooser.is_valid():
            for error in chooser.errors.get("codes", []):
                messages.error(request, error)
            return redirect("evaluation:part", pk=pk, part=one.pk)
        codes = chooser.cleaned_data["codes"]
    try:
        assessment = services.start_member_reassessment(one, codes=codes, user=request.user)
    except services.EvaluationError as error:
        messages.error(request, str(error))
        return redirect("evaluation:part", pk=pk, part=one.pk)
    messages.success(
        request,
        _(
            "The re-assessment is started. Name its self-assessment group; it then follows "
            "the same steps as a self-assessment: individual scores, then consensus."
        ),
    )
    return redirect("assessment:group", pk=assessment.pk)
