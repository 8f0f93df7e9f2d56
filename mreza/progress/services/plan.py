"""State changes of the action plan: activities (create, edit under optimistic locking, quick status
changes, delete) and members' commitments (add, edit, fulfil). The views call these, never the ORM
to write; each runs in one transaction so nothing is saved half-way, and every change is audited
(the models are AuditedModels)."""

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mreza.accounts.models import MunicipalRole
from mreza.core.access import workspace_parts_visible_to
from mreza.core.templatetags.mreza import script
from mreza.core.versioning import save_versioned
from mreza.progress.models import Activity, Commitment, Notification, Workspace, WorkspaceMember
from mreza.progress.services import notifications

OPEN = (Activity.Status.PLANNED, Activity.Status.IN_PROGRESS)
CLOSED = (Activity.Status.DONE, Activity.Status.CANCELLED)

# quick action -> (the states it starts from, the state it leads to)
TRANSITIONS = {
    "start": ((Activity.Status.PLANNED,), Activity.Status.IN_PROGRESS),
    "done": (OPEN, Activity.Status.DONE),
    "cancel": (OPEN, Activity.Status.CANCELLED),
    "reopen": (CLOSED, Activity.Status.IN_PROGRESS),
}


def is_overdue(activity: Activity, today: datetime.date) -> bool:
    """Open and due before today (what the plan highlights and the progress pages count)."""
    return activity.status in OPEN and activity.due_on < today


def overdue_q(today: datetime.date) -> Q:
    """The same rule as a filter on Activity querysets."""
    return Q(status__in=OPEN, due_on__lt=today)


def owed_by(user, visible_ids: list[int] | None = None) -> QuerySet[Activity]:
    """What `user` owes, the one answer of every "what I owe" list (workspace home, "my networks",
    the dashboard): open activities in workspaces the user may see where the user is the
    responsible person, or one of the user's municipalities is the responsible member and no
    person is named. A meeting's decision owes through the activity it became; commitments are
    the member's promises, not a person's, and are not owed here.

    `visible_ids`: the workspaces to look in, which the caller has just read through the
    policy (`workspaces_visible_to`, or Perm.VIEW for one workspace), so that the query does
    not repeat the visibility rule as a subquery (built and compiled again on every page)."""
    if not user.is_authenticated:
        return Activity.objects.none()
    # the members that are one of the user's municipalities, as a semi-join on the member's id:
    # neither a join through the roles (a row per matching role) nor a join to the members (on
    # 10,000 members PostgreSQL hashed the whole table for it, 4 ms of the dashboard's 8)
    members = WorkspaceMember.objects.filter(
        municipality_id__in=MunicipalRole.objects.filter(user_id=user.pk).values("municipality_id")
    )
    activities = (
        workspace_parts_visible_to(user, Activity)
        if visible_ids is None
        else Activity.objects.filter(workspace_id__in=visible_ids)
    )
    if visible_ids is not None:
        members = members.filter(workspace_id__in=visible_ids)
    return activities.filter(status__in=OPEN).filter(
        Q(responsible_person_id=user.pk)
        | Q(responsible_member_id__in=members.values("pk"), responsible_person__isnull=True)
    )


def save_activity(
    workspace: Workspace, activity: Activity, fields: list[str], expected_version: int
) -> Activity:
    """Create an activity of `workspace`, or save the edited `fields` of an existing one under
    optimistic locking (EditConflict when someone saved it meanwhile: nothing is written)."""
    if activity.status != Activity.Status.DONE:
        activity.completed_on = None
    with transaction.atomic():
        if activity.pk is None:
            previous_person = None
            activity.workspace = workspace
            activity.save()
        else:
            previous_person = (
                Activity.objects.filter(pk=activity.pk)
                .values_list("responsible_person_id", flat=True)
                .first()
            )
            save_versioned(activity, list(fields), expected_version)
        if activity.responsible_person_id and activity.responsible_person_id != previous_person:
            transaction.on_commit(lambda: _tell_the_responsible_person(activity))
    return activity


def _tell_the_responsible_person(activity: Activity) -> None:
    """The person newly made responsible for an activity hears of it (their notification choice)."""
    workspace, person = activity.workspace, activity.responsible_person
    if person is None:
        return

    def body(user):
        return _("%(workspace)s: you are responsible for “%(title)s”, due %(due)s.") % {
            "workspace": script(workspace.title),
            "title": script(activity.title),
            "due": date_format(activity.due_on, "SHORT_DATE_FORMAT"),
        }

    notifications.notify(
        [person],
        Notification.Kind.ASSIGNED,
        workspace,
        lambda user: (
            _("An activity was assigned to you: %(title)s") % {"title": script(activity.title)}
        ),
        body,
        reverse("progress:plan", args=[workspace.pk]),
        dedupe_key=f"assigned:activity:{activity.pk}:{activity.responsible_person_id}",
    )


def change_status(
    activity: Activity,
    action: str,
    expected_version: int,
    completed_on: datetime.date | None = None,
) -> Activity:
    """A quick action (start, done, cancel, reopen) on the version the user saw; EditConflict when
    someone changed the activity meanwhile or it is no longer in a state the action starts from."""
    sources, target = TRANSITIONS[action]
    activity.status = target
    activity.completed_on = completed_on if target == Activity.Status.DONE else None
    save_versioned(
        activity,
        ["status", "completed_on"],
        expected_version,
        condition=Q(status__in=sources),
    )
    return activity


def delete_activity(activity: Activity) -> None:
    """Delete an activity; commitments that named it stay, without the link (SET_NULL)."""
    with transaction.atomic():
        activity.delete()


def save_commitment(
    workspace: Workspace, commitment: Commitment, fields: list[str], expected_version: int
) -> Commitment:
    """Create a member's commitment, or save the edited `fields` under optimistic locking."""
    with transaction.atomic():
        if commitment.pk is None:
            commitment.workspace = workspace
            commitment.save()
            return commitment
        save_versioned(commitment, list(fields), expected_version)
    return commitment


def fulfil_commitment(commitment: Commitment, fulfilled: bool, expected_version: int) -> Commitment:
    """Mark a commitment fulfilled (or not again) on the version the user saw."""
    commitment.is_fulfilled = fulfilled
    save_versioned(commitment, ["is_fulfilled"], expected_version)
    return commitment
