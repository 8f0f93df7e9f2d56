"""The dashboard's "my networks" panel: the user's networks, partnerships and twinnings with their
progress (share of activities done, overdue count, next meeting, what the user owes).

Two queries however many workspaces, activities and meetings there are: the shown workspaces
with their next meeting (id, title and start) and how many there are in all (one), the activity
figures grouped by workspace (one).
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, OuterRef, Q, Subquery, Window
from django.utils import timezone

from mreza.core.access import workspaces_visible_to
from mreza.progress.models import Activity, Meeting, Workspace
from mreza.progress.services.plan import overdue_q, owed_by

SHOWN = 10


class NextMeeting(NamedTuple):
    """What the panel shows of a workspace's next meeting (read with the workspace)."""

    pk: int
    title: str
    starts_at: object


@dataclass
class WorkspaceProgress:
    workspace: Workspace
    activities: int = 0  # in the plan, cancelled ones not counted
    done: int = 0
    overdue: int = 0
    owed: int = 0  # open activities the user owes (services.plan.owed_by)
    owed_overdue: int = 0
    next_meeting: NextMeeting | None = None

    @property
    def done_percent(self):
        return round(self.done * 100 / self.activities) if self.activities else 0


def workspace_progress(user, today=None, now=None):
    """(rows, total): up to SHOWN of the user's workspaces, newest first, and how many there are."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(
        workspace_id=OuterRef("pk"), status=Meeting.Status.SCHEDULED, starts_at__gte=now
    ).order_by("starts_at", "id")
    workspaces = list(
        workspaces_visible_to(user, Workspace.objects.all())
        .annotate(
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
            next_meeting_title=Subquery(upcoming.values("title")[:1]),
            next_meeting_starts_at=Subquery(upcoming.values("starts_at")[:1]),
            # a window is computed before LIMIT: how many there are, in the same query
            visible=Window(Count("pk")),
        )
        .order_by("-starts_on", "title", "id")[:SHOWN]
    )
    if not workspaces:
        return [], 0
    rows = {w.pk: WorkspaceProgress(w) for w in workspaces}
    # what the user owes: the same queryset as the workspace home and "my networks", as a
    # subquery of the figures query (no query of its own)
    mine = Q(pk__in=owed_by(user, list(rows)).values("pk"))
    for figures in (
        Activity.objects.filter(workspace_id__in=list(rows))
        .exclude(status=Activity.Status.CANCELLED)
        .values("workspace_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=Activity.Status.DONE)),
            overdue=Count("id", filter=overdue_q(today)),
            owed=Count("id", filter=mine),
            owed_overdue=Count("id", filter=mine & overdue_q(today)),
        )
        .order_by()
    ):
        row = rows[figures["workspace_id"]]
        row.activities, row.done = figures["total"], figures["done"]
        row.overdue = figures["overdue"]
        row.owed, row.owed_overdue = figures["owed"], figures["owed_overdue"]
    for w in workspaces:
        if w.next_meeting_id:
            rows[w.pk].next_meeting = NextMeeting(
                w.next_meeting_id, w.next_meeting_title, w.next_meeting_starts_at
            )
    return list(rows.values()), workspaces[0].visible


def dashboard_context(user):
    """What front/_dashboard_progress.html needs."""
    rows, total = workspace_progress(user)
    return {"workspace_progress": rows, "workspace_total": total}
