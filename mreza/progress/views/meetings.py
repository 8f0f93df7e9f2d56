"""Meetings of a workspace: the list, scheduling (one-off or monthly series), a meeting's page with
its agenda, registration, attendance, minutes, decisions and documents."""

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mreza.core.access import Perm, may
from mreza.core.conflicts import CONFLICT, stale_form
from mreza.core.versioning import EditConflict
from mreza.progress.forms.meetings import (
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    ScheduleForm,
)
from mreza.progress.models import Attendance, Meeting, Registration
from mreza.progress.services import meetings as services
from mreza.progress.views.common import render_workspace, workspace_view

TAB = "meetings"


def _meeting(workspace, pk):
    meeting = get_object_or_404(
        workspace.meetings.select_related("host__municipality", "series"), pk=pk
    )
    meeting.workspace = workspace  # already loaded (with what the policy needs)
    return meeting


def _refused(error):
    return " ".join(error.messages)


@workspace_view(Perm.VIEW)
def meeting_list(request, workspace):
    now = timezone.now()
    rows = list(
        workspace.meetings.select_related("host__municipality")
        .annotate(
            registered=Count("registrations", distinct=True),
            present=Count(
                "attendance",
                filter=Q(attendance__status=Attendance.Status.PRESENT),
                distinct=True,
            ),
            decided=Count("decisions", distinct=True),
            mine=Exists(
                Registration.objects.filter(meeting=OuterRef("pk"), user_id=request.user.pk)
            ),
        )
        .order_by("starts_at")
    )
    upcoming = [m for m in rows if m.status == Meeting.Status.SCHEDULED and m.ends_at > now]
    past = [m for m in reversed(rows) if m not in upcoming]
    return render_workspace(
        request,
        "progress/meetings/list.html",
        workspace,
        TAB,
        {"upcoming": upcoming, "past": past},
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
def meeting_new(request, workspace):
    form = ScheduleForm(request.POST or None, workspace=workspace)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                scheduled = services.schedule(
                    workspace,
                    title=data["title"],
                    first_day=data["day"],
                    starts=data["starts"],
                    ends=data["ends"],
                    count=data["count"],
                    host=data["host"],
                    rotate_host=data["rotate_host"],
                    location=data["location"],
                    online_url=data["online_url"],
                )
            except services.MeetingRefused as error:
                form.add_error(None, _refused(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Scheduled %(count)d meeting; the invitations are on their way.",
                        "Scheduled %(count)d meetings; the invitations are on their way.",
                        len(scheduled),
                    )
                    % {"count": len(scheduled)},
                )
                if len(scheduled) == 1:
                    return redirect("progress:meeting", workspace.pk, scheduled[0].pk)
                return redirect("progress:meetings", workspace.pk)
        status = 400
    return render_workspace(
        request, "progress/meetings/new.html", workspace, TAB, {"form": form}, status=status
    )


@workspace_view(Perm.VIEW)
def meeting_detail(request, workspace, meeting):
    meeting = _meeting(workspace, meeting)
    manage = may(request.user, Perm.MANAGE_WORKSPACE, workspace)
    registrations = list(
        meeting.registrations.select_related("user", "member__municipality").order_by(
            "user__full_name", "user__email"
        )
    )
    attendance = list(
        meeting.attendance.select_related("user", "member__municipality").order_by(
            "member_id", "user__full_name"
        )
    )
    decisions = list(
        meeting.decisions.select_related(
            "follow_up__responsible_member__municipality", "follow_up__responsible_person"
        )
    )
    now = timezone.now()
    upcoming = meeting.status == Meeting.Status.SCHEDULED and meeting.ends_at > now
    begun = meeting.starts_at <= now and meeting.status != Meeting.Status.CANCELLED
    context = {
        "meeting": meeting,
        "agenda": list(meeting.agenda.all()),
        "registrations": registrations,
        "attendance": attendance,
        "decisions": decisions,
        "documents": list(meeting.documents.select_related("uploaded_by")),
        "registered": any(r.user_id == request.user.pk for r in registrations),
        "upcoming": upcoming,
        "begun": begun,
        "may_register": upcoming
        and may(request.user, Perm.CONTRIBUTE, workspace)
        and services.member_of(workspace, request.user) is not None,
    }
    if manage:
        people = services.people_of(workspace)
        recorded = {a.user_id: a.status for a in attendance}
        context.update(
            agenda_form=AgendaItemForm(),
            decision_form=DecisionForm(meeting=meeting, people=people) if begun else None,
            attendance_form=AttendanceForm(people=people, recorded=recorded) if begun else None,
        )
    return render_workspace(request, "progress/meetings/detail.html", workspace, TAB, context)


@workspace_view(Perm.MANAGE_WORKSPACE)
def meeting_edit(request, workspace, meeting):
    meeting = _meeting(workspace, meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.error(request, _("Only a scheduled meeting can be changed."))
        return redirect("progress:meeting", workspace.pk, meeting.pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_meeting(meeting, form.values(), form.cleaned_data["version"])
            except EditConflict:
                current = _meeting(workspace, meeting.pk)
                form = stale_form(request, lambda data: MeetingForm(data, meeting=current), current)
                status = CONFLICT
            except services.MeetingRefused as error:
                form.add_error(None, _refused(error))
            else:
                messages.success(
                    request, _("Saved; the invitees get the change in their calendars.")
                )
                return redirect("progress:meeting", workspace.pk, meeting.pk)
    return render_workspace(
        request,
        "progress/meetings/edit.html",
        workspace,
        TAB,
        {"meeting": meeting, "form": form},
        status=status,
    )


@require_POST
@workspace_view(Perm.MANAGE_WORKSPACE)
def meeting_cancel(request, workspace, meeting):
    meeting = _meeting(workspace, meeting)
    try:
        services.cancel_meeting(meeting, int(request.POST.get("version") or 0))
    except EditConflict:
        messages.error(
            request,
            _("Someone changed this meeting in the meantime. Check it and cancel again."),
        )
    except services.MeetingRefused as error:
        messages.error(request, _refused(error))
    else:
        messages.success(request, _("The meeting is cancelled; the invitees are told."))
    return redirect("progress:meeting", workspace.pk, meeting.pk)


@workspace_view(Perm.MANAGE_WORKSPACE)
def agenda_add(request, workspace, meeting):
    meeting = _meeting(workspace, meeting)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_agenda_item(meeting, form.cleaned_data["title"], form.cleaned_data["notes"])
        messages.success(request, _("Agenda item added."))
        return redirect("progress:meeting", workspace.pk, meeting.pk)
    return render_workspace(
        request,
        "progress/meetings/agenda_form.html",
        workspace,
        TAB,
        {"meeting": meeting, "form": form, "item": None},
        status=400 if request.method == "POST" else 200,
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
def agenda_edit(request, workspace, meeting, item):
    meeting = _meeting(workspace, meeting)
    item = get_object_or_404(meeting.agenda, pk=item)
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.delete_agenda_item(item)
        messages.success(request, _("Agenda item removed."))
        return redirect("progress:meeting", workspace.pk, meeting.pk)
    form = AgendaItemForm(
        request.POST or None,
        initial={"title": item.title, "notes": item.notes, "order": item.order},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        order = data["order"] if data["order"] is not None else item.order
        services.update_agenda_item(item, data["title"], data["notes"], order)
        messages.success(request, _("Saved."))
        return redirect("progress:meeting", workspace.pk, meeting.pk)
    return render_workspace(
        request,
        "progress/meetings/agenda_form.html",
        workspace,
        TAB,
        {"meeting": meeting, "form": form, "item": item},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@workspace_view(Perm.CONTRIBUTE)
def register(request, workspace, meeting):
    meeting = _meeting(workspace, meeting)
    try:
        services.register(meeting, request.user)
    except services.MeetingRefused as error:
        messages.error(request, _refused(error))
    else:
        messages.success(request, _("You are registered for this meeting."))
    return redirect("progress:meeting", workspace.pk, meeting.pk)


@require_POST
@workspace_view(Perm.CONTRIBUTE)
def withdraw(request, workspace, meeting):
    meeting = _meeting(workspace, meeting)
    if services.withdraw(meeting, request.user):
        messages.success(request, _("Your registration is withdrawn."))
    return redirect("progress:meeting", workspace.pk, meeting.pk)


@workspace_view(Perm.MANAGE_WORKSPACE)
def attendance(request, workspace, meeting):
    meeting = _meeting(workspace, meeting)
    people = services.people_of(workspace)
    recorded = dict(meeting.attendance.values_list("user_id", "status"))
    form = AttendanceForm(request.POST or None, people=people, recorded=recorded)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                count = services.record_attendance(meeting, form.statuses())
            except services.MeetingRefused as error:
                form.add_error(None, _refused(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Attendance saved (%(count)d person recorded).",
                        "Attendance saved (%(count)d people recorded).",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("progress:meeting", workspace.pk, meeting.pk)
    return render_workspace(
        request,
        "progress/meetings/attendance.html",
        workspace,
        TAB,
        {"meeting": meeting, "form": form},
        status=status,
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
def minutes(request, workspace, meeting):
    meeting = _meeting(workspace, meeting)
    form = MinutesForm(
        request.POST or None, initial={"minutes": meeting.minutes, "version": meeting.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_minutes(
                    meeting, form.cleaned_data["minutes"], form.cleaned_data["version"]
                )
            except EditConflict:
                current = _meeting(workspace, meeting.pk)
                form = stale_form(request, MinutesForm, current)
                meeting = current
                status = CONFLICT
            except services.MeetingRefused as error:
                form.add_error(None, _refused(error))
            else:
                messages.success(request, _("Minutes saved."))
                return redirect("progress:meeting", workspace.pk, meeting.pk)
    return render_workspace(
        request,
        "progress/meetings/minutes.html",
        workspace,
        TAB,
        {"meeting": meeting, "form": form},
        status=status,
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
def decision_new(request, workspace, meeting):
    meeting = _meeting(workspace, meeting)
    form = DecisionForm(request.POST or None, meeting=meeting, people=services.people_of(workspace))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_decision(
                    meeting,
                    text=data["text"],
                    member=data["member"],
                    person=data["person_user"],
                    due_on=data["due_on"],
                    goal=data["goal"],
                )
            except services.MeetingRefused as error:
                form.add_error(None, _refused(error))
            else:
                messages.success(
                    request, _("Decision recorded; its follow-up is in the action plan.")
                )
                return redirect("progress:meeting", workspace.pk, meeting.pk)
    return render_workspace(
        request,
        "progress/meetings/decision_form.html",
        workspace,
        TAB,
        {"meeting": meeting, "form": form},
        status=status,
    )
