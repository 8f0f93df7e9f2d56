"""What happens at a meeting: its agenda, registration, attendance, minutes, and decisions that
become follow-up actions. Attendance or minutes of a meeting that has begun mark it held.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mreza.core.versioning import save_versioned
from mreza.progress import caching
from mreza.progress.models import (
    Activity,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Registration,
    WorkspaceMember,
)
from mreza.progress.services.meetings_common import MeetingRefused, may_own, member_of, people_of


def _mark_held(meeting: Meeting):
    """A meeting that has begun and has attendance or minutes took place."""
    if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at <= timezone.now():
        Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.SCHEDULED).update(
            status=Meeting.Status.HELD
        )
        meeting.status = Meeting.Status.HELD
        # an UPDATE records no audit entry, which is what forgets the cached figures
        caching.workspace_changed(meeting.workspace_id)


# ---------------------------------------------------------------- agenda


def add_agenda_item(meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    last = meeting.agenda.order_by("-order").values_list("order", flat=True).first()
    return AgendaItem.objects.create(
        meeting=meeting, title=title, notes=notes, order=(last or 0) + 1
    )


def update_agenda_item(item: AgendaItem, title: str, notes: str, order: int) -> AgendaItem:
    item.title, item.notes, item.order = title, notes, order
    item.save(update_fields=["title", "notes", "order"])
    return item


def delete_agenda_item(item: AgendaItem) -> None:
    item.delete()


# ---------------------------------------------------------------- registration and attendance


def register(meeting: Meeting, user) -> Registration:
    """A person of a member municipality says "I will attend" (once; a second time changes
    nothing)."""
    if meeting.status != Meeting.Status.SCHEDULED or meeting.ends_at <= timezone.now():
        raise MeetingRefused(_("Registration is open only for meetings still to come."))
    member = member_of(meeting.workspace, user)
    if member is None:
        raise MeetingRefused(_("Only people of the member municipalities register for a meeting."))
    registration, _created = Registration.objects.get_or_create(
        meeting=meeting, user=user, defaults={"member": member}
    )
    return registration


def withdraw(meeting: Meeting, user) -> bool:
    """Withdraw one's registration; True if there was one."""
    registration = Registration.objects.filter(meeting=meeting, user=user).first()
    if registration is None:
        return False
    registration.delete()
    return True


def record_attendance(meeting: Meeting, statuses: dict[int, str]) -> int:
    """Record who was present, excused or absent ({user id: status}, "" clears); every person must
    belong to a member municipality, or nothing is saved. Returns the number of people recorded."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingRefused(_("A cancelled meeting has no attendance."))
    if meeting.starts_at > timezone.now():
        raise MeetingRefused(_("Attendance is recorded once the meeting has begun."))
    people = {p.user.pk: p for p in people_of(meeting.workspace)}
    strangers = [user_id for user_id in statuses if user_id not in people]
    if strangers:
        raise MeetingRefused(
            _(
                "Attendance can be recorded only for people of the member municipalities; "
                "nothing was saved."
            )
        )
    valid = set(Attendance.Status.values)
    if any(status not in valid and status != "" for status in statuses.values()):
        raise MeetingRefused(_("Choose present, excused or absent."))
    with transaction.atomic():
        existing = {a.user_id: a for a in meeting.attendance.all()}
        for user_id, status in statuses.items():
            row = existing.get(user_id)
            if status == "":
                if row is not None:
                    row.delete()
            elif row is None:
                Attendance.objects.create(
                    meeting=meeting, user_id=user_id, member=people[user_id].member, status=status
                )
            elif row.status != status:
                row.status = status
                row.save(update_fields=["status"])
        _mark_held(meeting)
    return sum(1 for status in statuses.values() if status)


# ---------------------------------------------------------------- minutes and decisions


def save_minutes(meeting: Meeting, minutes: str, version: int) -> Meeting:
    """Save the minutes under optimistic locking (two editors: the second gets EditConflict)."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingRefused(_("A cancelled meeting has no minutes."))
    with transaction.atomic():
        meeting.minutes = minutes
        save_versioned(meeting, ["minutes"], version)
        _mark_held(meeting)
    return meeting


def add_decision(
    meeting: Meeting,
    *,
    text: str,
    member: WorkspaceMember,
    person,
    due_on: datetime.date,
    goal=None,
    title: str = "",
) -> Decision:
    """A decision of the meeting and its follow-up action in the action plan (Activity.decision),
    owned by a member and one of its people, due on `due_on`. Both or nothing."""
    if member.workspace_id != meeting.workspace_id or member.left_on is not None:
        raise MeetingRefused(_("The owner must be a member of this network."))
    if not may_own(member, person):
        raise MeetingRefused(
            _("The responsible person must work for the member that owns the follow-up.")
        )
    starts_on = timezone.localtime(meeting.starts_at).date()
    if due_on < starts_on:
        raise MeetingRefused(_("The follow-up cannot be due before the meeting."))
    if goal is not None and goal.workspace_id != meeting.workspace_id:
        raise MeetingRefused(_("The goal must belong to this network."))
    with transaction.atomic():
        decision = Decision.objects.create(meeting=meeting, text=text)
        Activity.objects.create(
            workspace_id=meeting.workspace_id,
            goal=goal,
            title=(title or text.splitlines()[0])[:300],
            description=text,
            responsible_member=member,
            responsible_person=person,
            starts_on=starts_on,
            due_on=due_on,
            decision=decision,
        )
    return decision
