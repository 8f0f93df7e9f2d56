"""Public network results: the workspaces (of networks, partnerships, twinnings) whose plan and
progress are published, and the progress figures their public page shows (the same `figures()`:
activities, meetings, attendance per member, indicators toward their targets), in a fixed number
of queries however many workspaces, members or indicators."""

from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from mreza.api.conventions import Error, Page, PageParams, paginate
from mreza.api.scripts import shown
from mreza.core import access
from mreza.core.access import Perm, anonymous_visitor, may
from mreza.progress.models import Workspace, WorkspaceMember
from mreza.progress.views.progress import figures

router = Router(tags=["network results"])


class PublicWorkspaceMember(Schema):
    municipality: str | None = Field(description="Municipality code; null for a partner abroad.")
    name: str
    role: str
    joined_on: date | None
    left_on: date | None


class FrameworkVersion(Schema):
    code: str
    version: str


class ProgressSummary(Schema):
    activities: int = Field(description="In the plan, cancelled ones not counted.")
    done: int
    overdue: int
    meetings_planned: int
    meetings_due: int = Field(description="Not cancelled and already begun.")
    meetings_held: int
    done_share: float | None = Field(description="0 to 1.")
    held_share: float | None = Field(description="Of the meetings due, 0 to 1.")
    indicator_share: float | None = Field(description="Mean way toward target, 0 to 1.")


class PublicWorkspace(Schema):
    id: int
    kind: str
    title: str
    description: str
    area: str = Field(description="Framework subcriterion code of the theme, or empty.")
    framework: FrameworkVersion | None
    organisation: str | None = Field(description="Code of the coordinating organisation.")
    starts_on: date | None
    ends_on: date | None
    members: list[PublicWorkspaceMember]
    progress: ProgressSummary


class MemberAttendance(Schema):
    municipality: str | None
    name: str
    meetings_attended: int
    rate: float | None = Field(description="Share of the meetings held, 0 to 1.")


class MemberIndicatorValue(Schema):
    municipality: str | None
    name: str
    value: float
    share: float | None


class PublicIndicator(Schema):
    goal: str
    name: str
    unit: str
    scope: str = Field(description="`network` (one value) or `member` (one per member).")
    direction: str
    baseline: float
    target: float
    latest: float | None = Field(description="Newest value; for `member` scope their mean.")
    share: float | None = Field(description="Way from baseline to target, 0 to 1.")
    per_member: list[MemberIndicatorValue]


class PublicWorkspaceProgress(Schema):
    workspace: int
    summary: ProgressSummary
    attendance: list[MemberAttendance]
    indicators: list[PublicIndicator]


class PublicWorkspaceFilters(Schema):
    kind: Workspace.Kind | None = None
    municipality: str | None = Field(
        None, max_length=40, description="Only workspaces this municipality (code) is in."
    )


def _number(value) -> float | None:
    return None if value is None else float(value)


def _summary(one) -> dict:
    return {
        "activities": one.activities,
        "done": one.done,
        "overdue": one.overdue,
        "meetings_planned": one.meetings_planned,
        "meetings_due": one.meetings_due,
        "meetings_held": one.meetings_held,
        "done_share": one.done_share,
        "held_share": one.held_share,
        "indicator_share": one.indicator_share,
    }


def _member(member) -> dict:
    return {
        "municipality": member.municipality.code if member.municipality_id else None,
        # a partner abroad's name is typed; a municipality's is official (see the registry)
        "name": str(member) if member.municipality_id else shown(str(member)),
    }


def workspace_out(workspace: Workspace, one) -> dict:
    framework, organisation = workspace.framework, workspace.organisation  # select_related
    return {
        "id": workspace.pk,
        "kind": workspace.kind,
        "title": shown(workspace.title),
        "description": shown(workspace.description),
        "area": workspace.area,
        "framework": (
            {"code": framework.code, "version": framework.version}
            if framework is not None
            else None
        ),
        "organisation": organisation.code if organisation is not None else None,
        "starts_on": workspace.starts_on,
        "ends_on": workspace.ends_on,
        "members": [
            {**_member(m), "role": m.role, "joined_on": m.joined_on, "left_on": m.left_on}
            for m in workspace.members.all()
        ],
        "progress": _summary(one),
    }


_MEMBERS = WorkspaceMember.objects.select_related("municipality").order_by("id")


@router.get(
    "/workspaces",
    response=Page[PublicWorkspace],
    summary="Published workspaces of networks, partnerships and twinnings",
)
def workspaces(request, params: Query[PageParams], filters: Query[PublicWorkspaceFilters]):
    rows = access.plans_visible_to(anonymous_visitor(), Workspace.objects.all())
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.municipality:
        rows = rows.filter(
            pk__in=WorkspaceMember.objects.filter(municipality__code=filters.municipality).values(
                "workspace_id"
            )
        )
    rows = rows.select_related("framework", "organisation").prefetch_related(
        Prefetch("members", queryset=_MEMBERS)
    )
    page = paginate(request, rows.order_by("title", "id"), params)
    shown = page["results"]
    members = [m for w in shown for m in w.members.all()]
    numbers = figures([w.pk for w in shown], members=members)
    page["results"] = [workspace_out(w, numbers[w.pk]) for w in shown]
    return page


def _indicator(figure) -> dict:
    indicator = figure.indicator
    return {
        "goal": shown(indicator.goal.title),
        "name": shown(indicator.name),
        "unit": shown(indicator.unit),
        "scope": indicator.scope,
        "direction": indicator.direction,
        "baseline": float(indicator.baseline),
        "target": float(indicator.target),
        "latest": _number(figure.latest),
        "share": _number(figure.share),
        "per_member": [
            {**_member(member), "value": float(value), "share": _number(share)}
            for member, value, share in figure.per_member
        ],
    }


@router.get(
    "/workspaces/{workspace_id}/progress",
    response={200: PublicWorkspaceProgress, 404: Error},
    summary="Progress figures of a published workspace",
)
def workspace_progress(request, workspace_id: int = Path(..., ge=1, le=2**63 - 1)):
    # VIEW_PLAN, not VIEW: a published workspace's plan is public, the workspace itself is not
    workspace = get_object_or_404(Workspace, pk=workspace_id)
    if not may(anonymous_visitor(), Perm.VIEW_PLAN, workspace):
        raise Http404
    one = figures([workspace.pk])[workspace.pk]
    return {
        "workspace": workspace.pk,
        "summary": _summary(one),
        "attendance": [
            {**_member(member), "meetings_attended": n, "rate": rate}
            for member, n, rate in one.members
        ],
        "indicators": [_indicator(f) for f in one.indicators],
    }
