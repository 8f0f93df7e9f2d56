"""Workspaces (step 3) and their plans: activities, goals with indicators and measured values,
meetings. Everything inside a workspace is listed through `access.workspace_parts_visible_to`,
after the workspace itself was looked up for the token's user (404 when they may not see it)."""

import datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Query, Schema

from mreza.api.conventions import Page, PageParams, paginate
from mreza.api.private.common import READ_ERRORS, get_visible, router
from mreza.api.scripts import shown, shown_or_none
from mreza.core import access
from mreza.progress.models import (
    Activity,
    Goal,
    Indicator,
    Measurement,
    Meeting,
    Workspace,
    WorkspaceMember,
)

workspaces = router("private: workspaces and plans")

ActivityStatus = Literal["planned", "in_progress", "done", "cancelled"]


class MemberOut(Schema):
    id: int
    municipality: str | None = Field(description="The municipality's code; null abroad.")
    name: str
    country: str = Field(description="The country of a partner abroad; empty otherwise.")
    role: str
    left_on: datetime.date | None


class WorkspaceOut(Schema):
    id: int
    kind: Literal["network", "partnership", "twinning"]
    title: str
    area: str
    organisation: str | None = Field(description="The coordinating organisation's code.")
    network: int | None
    partnership: int | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    is_published: bool
    members: list[MemberOut]
    version: int


def member_out(member: WorkspaceMember) -> dict:
    municipality = member.municipality
    return {
        "id": member.pk,
        "municipality": municipality.code if municipality else None,
        # a municipality's official name as stored (see the registry); a partner's as read
        "name": municipality.name if municipality else shown(member.foreign_name),
        "country": "" if municipality else member.foreign_country,
        "role": member.role,
        "left_on": member.left_on,
    }


def workspace_out(workspace: Workspace) -> dict:
    organisation = workspace.organisation
    return {
        "id": workspace.pk,
        "kind": workspace.kind,
        "title": shown(workspace.title),
        "area": workspace.area,
        "organisation": organisation.code if organisation else None,
        "network": workspace.network_id,
        "partnership": workspace.partnership_id,
        "starts_on": workspace.starts_on,
        "ends_on": workspace.ends_on,
        "is_published": workspace.is_published,
        "members": [member_out(m) for m in workspace.members.all()],
        "version": workspace.version,
    }


def _workspaces(request):
    members = WorkspaceMember.objects.select_related("municipality").order_by("id")
    return access.workspaces_visible_to(
        request.user,
        Workspace.objects.select_related("organisation").prefetch_related(
            Prefetch("members", queryset=members)
        ),
    )


def visible_workspace(request, workspace_id, perm=access.Perm.VIEW):
    """The workspace whose parts are listed or changed (without its members: not shown there)."""
    rows = access.workspaces_visible_to(request.user, Workspace.objects.all())
    return get_visible(request, rows, perm, pk=workspace_id)


class WorkspaceFilters(PageParams):
    kind: Literal["network", "partnership", "twinning"] | None = None


@workspaces.get("", response={200: Page[WorkspaceOut], **READ_ERRORS}, summary="Workspaces")
def workspace_list(request, filters: Query[WorkspaceFilters]):
    """The workspaces whose private pages the token's user may open, by title."""
    rows = _workspaces(request)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return paginate(request, rows.order_by("title", "id"), filters, workspace_out)


@workspaces.get(
    "/{workspace_id}", response={200: WorkspaceOut, **READ_ERRORS}, summary="A workspace"
)
def workspace_detail(request, workspace_id: int):
    return workspace_out(get_visible(request, _workspaces(request), pk=workspace_id))


# --------------------------------------------------------------------------- the action plan


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    goal: int | None
    responsible_member: int | None = Field(description="A member's id (see the workspace).")
    responsible_person: str | None = Field(description="The responsible person's name.")
    starts_on: datetime.date
    due_on: datetime.date
    status: ActivityStatus
    completed_on: datetime.date | None
    cost: Decimal | None
    currency: str
    version: int = Field(description="Send it back with a change (optimistic locking).")


def activity_out(activity: Activity) -> dict:
    person = activity.responsible_person
    return {
        "id": activity.pk,
        "title": shown(activity.title),
        "description": shown(activity.description),
        "goal": activity.goal_id,
        "responsible_member": activity.responsible_member_id,
        "responsible_person": shown_or_none(person.full_name if person else None),
        "starts_on": activity.starts_on,
        "due_on": activity.due_on,
        "status": activity.status,
        "completed_on": activity.completed_on,
        "cost": activity.cost,
        "currency": activity.currency,
        "version": activity.version,
    }


def activities_of(request, workspace):
    return (
        access.workspace_parts_visible_to(request.user, Activity)
        .filter(workspace=workspace)
        .select_related("responsible_person")
    )


class ActivityFilters(PageParams):
    status: ActivityStatus | None = None
    goal: int | None = Field(None, ge=1, le=2**31 - 1, description="A goal's id.")


@workspaces.get(
    "/{workspace_id}/activities",
    response={200: Page[ActivityOut], **READ_ERRORS},
    summary="A workspace's activities",
)
def activity_list(request, workspace_id: int, filters: Query[ActivityFilters]):
    """The action plan, by due date."""
    rows = activities_of(request, visible_workspace(request, workspace_id))
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.goal:
        rows = rows.filter(goal_id=filters.goal)
    return paginate(request, rows.order_by("due_on", "id"), filters, activity_out)


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    direction: Literal["increase", "decrease"]
    scope: Literal["network", "member"]
    version: int


class GoalOut(Schema):
    id: int
    title: str
    description: str
    indicators: list[IndicatorOut]
    version: int


def indicator_out(indicator: Indicator) -> dict:
    return {
        "id": indicator.pk,
        "name": shown(indicator.name),
        "unit": shown(indicator.unit),
        "baseline": indicator.baseline,
        "target": indicator.target,
        "direction": indicator.direction,
        "scope": indicator.scope,
        "version": indicator.version,
    }


def goal_out(goal: Goal) -> dict:
    return {
        "id": goal.pk,
        "title": shown(goal.title),
        "description": shown(goal.description),
        "indicators": [indicator_out(i) for i in goal.indicators.all()],
        "version": goal.version,
    }


@workspaces.get(
    "/{workspace_id}/goals",
    response={200: Page[GoalOut], **READ_ERRORS},
    summary="A workspace's goals and indicators",
)
def goal_list(request, workspace_id: int, params: Query[PageParams]):
    workspace = visible_workspace(request, workspace_id)
    rows = (
        access.workspace_parts_visible_to(request.user, Goal)
        .filter(workspace=workspace)
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("id")))
        .order_by("order", "id")
    )
    return paginate(request, rows, params, goal_out)


class MeasurementOut(Schema):
    id: int
    indicator: int
    member: int | None = Field(description="The member measured (per-member indicators).")
    measured_on: datetime.date
    value: Decimal
    source: str
    created_at: datetime.datetime


def measurement_out(measurement: Measurement) -> dict:
    return {
        "id": measurement.pk,
        "indicator": measurement.indicator_id,
        "member": measurement.member_id,
        "measured_on": measurement.measured_on,
        "value": measurement.value,
        "source": shown(measurement.source),
        "created_at": measurement.created_at,
    }


def indicator_of(request, workspace, indicator_id):
    return get_visible(
        request,
        access.workspace_parts_visible_to(request.user, Indicator)
        .filter(goal__workspace=workspace)
        .select_related("goal__workspace"),
        pk=indicator_id,
    )


@workspaces.get(
    "/{workspace_id}/indicators/{indicator_id}/measurements",
    response={200: Page[MeasurementOut], **READ_ERRORS},
    summary="An indicator's measured values",
)
def measurement_list(request, workspace_id: int, indicator_id: int, params: Query[PageParams]):
    """Oldest first, as the indicator's chart draws them."""
    indicator = indicator_of(request, visible_workspace(request, workspace_id), indicator_id)
    rows = (
        access.workspace_parts_visible_to(request.user, Measurement)
        .filter(indicator=indicator)
        .order_by("measured_on", "id")
    )
    return paginate(request, rows, params, measurement_out)


# --------------------------------------------------------------------------- meetings


class MeetingOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    host: int | None = Field(description="The hosting member's id.")
    location: str
    online_url: str
    status: Literal["scheduled", "held", "cancelled"]
    minutes: str
    version: int


def meeting_out(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "title": shown(meeting.title),
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "host": meeting.host_id,
        "location": shown(meeting.location),
        "online_url": meeting.online_url,
        "status": meeting.status,
        "minutes": shown(meeting.minutes),
        "version": meeting.version,
    }


class MeetingFilters(PageParams):
    status: Literal["scheduled", "held", "cancelled"] | None = None
    since: datetime.date | None = Field(None, description="Meetings from this day on.")


@workspaces.get(
    "/{workspace_id}/meetings",
    response={200: Page[MeetingOut], **READ_ERRORS},
    summary="A workspace's meetings",
)
def meeting_list(request, workspace_id: int, filters: Query[MeetingFilters]):
    """By start time."""
    rows = access.workspace_parts_visible_to(request.user, Meeting).filter(
        workspace=visible_workspace(request, workspace_id)
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.since:
        rows = rows.filter(starts_at__date__gte=filters.since)
    return paginate(request, rows.order_by("starts_at", "id"), filters, meeting_out)
