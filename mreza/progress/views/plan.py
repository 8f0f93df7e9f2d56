"""The action plan of a workspace: activities by goal, per-member commitments, the timeline, and
its XLSX and PDF exports. Public (VIEW_PLAN) once the workspace is published; contributors add and
edit activities and commitments, whoever manages the workspace deletes."""

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from mreza.core import exports
from mreza.core.access import Perm, may
from mreza.core.conflicts import CONFLICT, stale_form
from mreza.core.templatetags.mreza import script
from mreza.core.versioning import EditConflict
from mreza.progress import gantt
from mreza.progress.forms.plan import (
    ActivityForm,
    CommitmentForm,
    FulfilForm,
    PlanFilterForm,
    StatusForm,
    member_label,
)
from mreza.progress.models import Activity, Commitment
from mreza.progress.services import plan as services
from mreza.progress.views.common import render_workspace, workspace_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIVITY_FIELDS = ActivityForm.Meta.fields
COMMITMENT_FIELDS = CommitmentForm.Meta.fields


# --------------------------------------------------------------------------- reading the plan


def _person(user, may_view):
    """A responsible person as the reader may see them: the published plan names people by their
    name only, never by their e-mail address."""
    if user is None:
        return ""
    if may_view:
        return script(str(user))
    return script(user.full_name)


def _plan(workspace, today):
    """The plan in a fixed number of queries: members, goals, activities, commitments, phases."""
    members = list(workspace.members.select_related("municipality").order_by("id"))
    goals = list(workspace.goals.all())
    activities = list(
        workspace.activities.select_related(
            "goal", "responsible_member__municipality", "responsible_person", "decision__meeting"
        ).order_by("starts_on", "due_on", "id")
    )
    for activity in activities:
        activity.overdue = services.is_overdue(activity, today)
        activity.days_late = (today - activity.due_on).days if activity.overdue else 0
        activity.member_label = (
            member_label(activity.responsible_member) if activity.responsible_member else ""
        )
    commitments = list(
        workspace.commitments.select_related("member__municipality", "activity").order_by(
            "is_fulfilled", "due_on", "id"
        )
    )
    for commitment in commitments:
        commitment.overdue = (
            not commitment.is_fulfilled
            and commitment.due_on is not None
            and commitment.due_on < today
        )
    phases = list(workspace.phases.all())
    return members, goals, activities, commitments, phases


def _groups(goals, activities):
    """Activities under their goal, in the goals' order; those without a goal last."""
    by_goal = {goal.pk: [] for goal in goals}
    loose = []
    for activity in activities:
        by_goal.get(activity.goal_id, loose).append(activity)
    groups = [{"goal": goal, "activities": by_goal[goal.pk]} for goal in goals]
    if loose or not goals:
        groups.append({"goal": None, "activities": loose})
    return groups


def _commitments_by_member(members, commitments):
    by_member = {member.pk: [] for member in members}
    for commitment in commitments:
        by_member.setdefault(commitment.member_id, []).append(commitment)
    return [
        {"member": m, "label": member_label(m), "commitments": by_member[m.pk]}
        for m in members
        if by_member[m.pk] or m.left_on is None
    ]


def _month(day, with_year):
    return date_format(day, "M Y" if with_year else "M")


def _short(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def _timeline(groups, phases, today, has_goals):
    statuses = dict(Activity.Status.choices)
    bars = [
        gantt.Bar(
            label=script(activity.title),
            start=activity.starts_on,
            end=activity.due_on,
            status=activity.status,
            overdue=activity.overdue,
            completed=activity.completed_on,
            group=(
                script(group["goal"].title)
                if group["goal"]
                else (_("Without a goal") if has_goals else "")
            ),
            detail=" · ".join(
                t
                for t in (
                    f"{_short(activity.starts_on)} – {_short(activity.due_on)}",
                    str(statuses[activity.status]),
                    activity.member_label,
                )
                if t
            ),
        )
        for group in groups
        for activity in group["activities"]
    ]
    overdue = sum(bar.overdue for bar in bars)
    start = min((bar.start for bar in bars), default=today)
    end = max((bar.end for bar in bars), default=today)
    return gantt.timeline(
        bars,
        today=today,
        bands=[gantt.Band(script(p.name), p.starts_on, p.ends_on) for p in phases],
        title=_("Timeline of the action plan"),
        desc=_(
            "%(count)s activities from %(start)s to %(end)s, %(overdue)s of them overdue. "
            "The table of activities lists the same dates."
        )
        % {"count": len(bars), "start": _short(start), "end": _short(end), "overdue": overdue},
        month_label=_month,
        today_label=_("Today"),
        legend={key: str(name) for key, name in Activity.Status.choices},
        overdue_label=_("overdue"),
        phases_label=_("Phases"),
        empty_label=_("No activities match."),
    )


def _totals(activities):
    """Counts by status, overdue, and the planned cost by currency (cancelled ones left out)."""
    counts = {key: 0 for key, _name in Activity.Status.choices}
    costs: dict[str, object] = {}
    for activity in activities:
        counts[activity.status] += 1
        if activity.cost is not None and activity.status != Activity.Status.CANCELLED:
            costs[activity.currency] = costs.get(activity.currency, 0) + activity.cost
    return {
        "count": len(activities),
        "by_status": [(name, counts[key]) for key, name in Activity.Status.choices],
        "done": counts[Activity.Status.DONE],
        "overdue": sum(a.overdue for a in activities),
        "costs": sorted(costs.items()),
    }


@workspace_view(Perm.VIEW_PLAN)
def plan(request, workspace):
    today = timezone.localdate()
    members, goals, activities, commitments, phases = _plan(workspace, today)
    filters = PlanFilterForm(request.GET or None, members=members)
    shown = filters.apply(activities, today)
    groups = _groups(goals, shown)
    timeline = _timeline(groups, phases, today, bool(goals))
    return render_workspace(
        request,
        "progress/plan/plan.html",
        workspace,
        "plan",
        {
            "today": today,
            "filters": filters,
            "groups": groups,
            "shown": len(shown),
            "totals": _totals(activities),
            "timeline": timeline,
            "commitments": _commitments_by_member(members, commitments),
            "status_form": StatusForm,
        },
    )


# --------------------------------------------------------------------------- activities


def _plan_url(workspace, activity=None):
    url = reverse("progress:plan", args=[workspace.pk])
    return f"{url}#activity-{activity.pk}" if activity is not None and activity.pk else url


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.CONTRIBUTE)
def activity_edit(request, workspace, activity=None):
    instance = get_object_or_404(Activity, pk=activity, workspace=workspace) if activity else None
    initial = {}
    if instance is None and request.GET.get("goal", "").isdigit():
        initial["goal"] = workspace.goals.filter(pk=request.GET["goal"]).first()
    form = ActivityForm(
        request.POST or None, instance=instance, workspace=workspace, initial=initial
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_activity(
                workspace, form.instance, ACTIVITY_FIELDS, form.cleaned_data.get("version") or 0
            )
        except EditConflict:
            current = Activity.objects.get(pk=instance.pk)
            form = stale_form(
                request,
                lambda data: ActivityForm(data, instance=current, workspace=workspace),
                current,
                _(
                    "Someone else changed this activity while you were editing. Your text is "
                    "kept below; compare it with the plan and save again."
                ),
            )
            status = CONFLICT
        else:
            messages.success(request, _("The activity is saved."))
            return redirect(_plan_url(workspace, saved))
    return render_workspace(
        request,
        "progress/plan/activity_form.html",
        workspace,
        "plan",
        {"form": form, "activity": instance},
        status=status,
    )


@require_POST
@workspace_view(Perm.CONTRIBUTE)
def activity_status(request, workspace, activity):
    instance = get_object_or_404(Activity, pk=activity, workspace=workspace)
    form = StatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_plan_url(workspace, instance))
    action = form.cleaned_data["action"]
    try:
        services.change_status(
            instance, action, form.cleaned_data["version"], form.cleaned_data.get("completed_on")
        )
    except EditConflict:
        messages.error(
            request,
            _(
                "Someone changed this activity meanwhile, so nothing was changed. Look at its "
                "status below and try again."
            ),
        )
    else:
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": script(instance.title), "status": instance.get_status_display()},
        )
    return redirect(_plan_url(workspace, instance))


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.MANAGE_WORKSPACE)
def activity_delete(request, workspace, activity):
    instance = get_object_or_404(Activity, pk=activity, workspace=workspace)
    if request.method == "POST":
        services.delete_activity(instance)
        messages.success(request, _("The activity is deleted."))
        return redirect(_plan_url(workspace))
    return render_workspace(
        request,
        "progress/plan/activity_delete.html",
        workspace,
        "plan",
        {"activity": instance, "commitments": instance.commitments.count()},
    )


# --------------------------------------------------------------------------- commitments


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.CONTRIBUTE)
def commitment_edit(request, workspace, commitment=None):
    instance = (
        get_object_or_404(Commitment, pk=commitment, workspace=workspace) if commitment else None
    )
    initial = {}
    if instance is None and request.GET.get("member", "").isdigit():
        initial["member"] = request.GET["member"]
    form = CommitmentForm(
        request.POST or None, instance=instance, workspace=workspace, initial=initial
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = [f for f in COMMITMENT_FIELDS if f in form.fields]
        try:
            services.save_commitment(
                workspace, form.instance, fields, form.cleaned_data.get("version") or 0
            )
        except EditConflict:
            current = Commitment.objects.get(pk=instance.pk)
            form = stale_form(
                request,
                lambda data: CommitmentForm(data, instance=current, workspace=workspace),
                current,
            )
            status = CONFLICT
        else:
            messages.success(request, _("The commitment is saved."))
            return redirect(f"{reverse('progress:plan', args=[workspace.pk])}#commitments")
    return render_workspace(
        request,
        "progress/plan/commitment_form.html",
        workspace,
        "plan",
        {"form": form, "commitment": instance},
        status=status,
    )


@require_POST
@workspace_view(Perm.CONTRIBUTE)
def commitment_fulfil(request, workspace, commitment):
    instance = get_object_or_404(Commitment, pk=commitment, workspace=workspace)
    form = FulfilForm(request.POST)
    if form.is_valid():
        try:
            services.fulfil_commitment(
                instance, form.cleaned_data["fulfilled"], form.cleaned_data["version"]
            )
        except EditConflict:
            messages.error(
                request,
                _("Someone changed this commitment meanwhile; look at it again and try again."),
            )
        else:
            messages.success(request, _("The commitment is saved."))
    return redirect(f"{reverse('progress:plan', args=[workspace.pk])}#commitments")


# --------------------------------------------------------------------------- exports


def _export_name(workspace, extension):
    return f"{slugify(script(workspace.title)) or 'plan'}-{slugify(_('action plan'))}.{extension}"


def _activity_rows(request, workspace, today):
    may_view = may(request.user, Perm.VIEW, workspace)
    _members, goals, activities, commitments, _phases = _plan(workspace, today)
    header = [
        _("Goal"),
        _("Activity"),
        _("Responsible member"),
        _("Responsible person"),
        _("Start date"),
        _("Due date"),
        _("Status"),
        _("Completed"),
        _("Overdue"),
        _("Cost"),
        _("Currency"),
        _("Funding source"),
        _("Risks"),
    ]
    rows = [
        [
            script(group["goal"].title) if group["goal"] else "",
            script(a.title),
            a.member_label,
            _person(a.responsible_person, may_view),
            a.starts_on,
            a.due_on,
            a.get_status_display(),
            a.completed_on,
            _("yes") if a.overdue else "",
            a.cost,
            a.currency if a.cost is not None else "",
            script(a.funding_source),
            script(a.risks),
        ]
        for group in _groups(goals, activities)
        for a in group["activities"]
    ]
    commitment_header = [
        _("Member"),
        _("Commitment"),
        _("Activity"),
        _("Due date"),
        _("Fulfilled"),
    ]
    commitment_rows = [
        [
            member_label(c.member),
            script(c.text),
            script(c.activity.title) if c.activity else "",
            c.due_on,
            _("yes") if c.is_fulfilled else _("no"),
        ]
        for c in commitments
    ]
    return header, rows, commitment_header, commitment_rows


def _sheet(workbook, title, header, rows, widths, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    exports.append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3F5F8")
    for row in rows:
        exports.append(sheet, row)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if hasattr(cell.value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    return sheet


@workspace_view(Perm.VIEW_PLAN)
def plan_xlsx(request, workspace):
    today = timezone.localdate()
    header, rows, commitment_header, commitment_rows = _activity_rows(request, workspace, today)
    workbook = Workbook()
    _sheet(
        workbook,
        _("Action plan"),
        header,
        rows,
        (30, 40, 22, 22, 12, 12, 14, 12, 9, 12, 9, 24, 40),
        first=True,
    )
    _sheet(workbook, _("Commitments"), commitment_header, commitment_rows, (24, 50, 40, 12, 10))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_export_name(workspace, "xlsx")}"'
    return response


@workspace_view(Perm.VIEW_PLAN)
def plan_pdf(request, workspace):
    # WeasyPrint loads Pango and its fonts on import: only when a PDF is asked for (as the
    # assessment report does)
    from weasyprint import HTML

    today = timezone.localdate()
    may_view = may(request.user, Perm.VIEW, workspace)
    members, goals, activities, commitments, phases = _plan(workspace, today)
    groups = _groups(goals, activities)
    for group in groups:
        for activity in group["activities"]:
            activity.person_label = _person(activity.responsible_person, may_view)
    timeline = _timeline(groups, phases, today, bool(goals))
    html = render_to_string(
        "progress/plan/plan_pdf.html",
        {
            "workspace": workspace,
            "today": today,
            "groups": groups,
            "totals": _totals(activities),
            "timeline": timeline,
            "commitments": _commitments_by_member(members, commitments),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(workspace, "pdf")}"'
    return response
