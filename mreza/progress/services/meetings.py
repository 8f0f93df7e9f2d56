"""Meetings: scheduling (one-off or a monthly series with a rotating host), changes and
cancellation with their e-mail invitations (iCalendar), agenda, registration, attendance, minutes,
decisions that become follow-up actions, and the private calendar feeds.

Every state change of the meetings part is here (the views and the invitation job call these).
"""

import calendar as month_calendar
import datetime
import hashlib
import secrets
from dataclasses import dataclass
from email.mime.text import MIMEText

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mreza.accounts.models import MunicipalRole, User
from mreza.core import jobs
from mreza.core.access import workspace_member_ids
from mreza.core.templatetags.mreza import script
from mreza.core.versioning import save_versioned
from mreza.progress import caching, ics
from mreza.progress.models import (
    Activity,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Decision,
    Meeting,
    MeetingSeries,
    NotificationSettings,
    Registration,
    Workspace,
    WorkspaceMember,
)
from mreza.progress.services import notifications

# named by path: the job's module imports this one (core/jobs.py)
SEND_INVITATIONS = "mreza.progress.tasks.send_meeting_invitations"

NEW, CHANGED, CANCELLED = "new", "changed", "cancelled"
MAX_SERIES = 24
# the fields a calendar shows: a change of one of them raises the meeting's SEQUENCE
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "host", "location", "online_url")


class MeetingRefused(ValidationError):
    """A rule of the meetings part refused the change (the message is translated); nothing saved."""


# ---------------------------------------------------------------- people of a workspace


@dataclass
class Person:
    user: User
    member: WorkspaceMember


def people_of(workspace: Workspace) -> list[Person]:
    """Every user of the workspace's (current) member municipalities, each with the first member
    they belong to, ordered by name (two queries)."""
    members = {
        m.municipality_id: m
        for m in workspace.members.filter(
            municipality__isnull=False, left_on__isnull=True
        ).select_related("municipality")
    }
    people: dict[int, Person] = {}
    roles = (
        MunicipalRole.objects.filter(municipality_id__in=list(members), user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "municipality_id")
    )
    for role in roles:
        people.setdefault(role.user_id, Person(role.user, members[role.municipality_id]))
    return list(people.values())


def member_of(workspace: Workspace, user) -> WorkspaceMember | None:
    """The (first current) member municipality of the workspace the user works for, or None."""
    if not user.is_authenticated:
        return None
    return (
        workspace.members.filter(
            left_on__isnull=True,
            municipality__isnull=False,
            municipality__roles__user=user,
        )
        .order_by("id")
        .first()
    )


def may_own(member: WorkspaceMember, user) -> bool:
    """Whether `user` may be the person responsible for a follow-up of `member`."""
    if user is None:
        return False
    if member.contact_person_id == user.pk:
        return True
    return member.municipality_id is not None and (
        MunicipalRole.objects.filter(municipality_id=member.municipality_id, user=user).exists()
    )


# ---------------------------------------------------------------- scheduling


def monthly_dates(first: datetime.date, count: int) -> list[datetime.date]:
    """`count` dates, one a month, on the weekday and week of `first` (the second Tuesday stays the
    second Tuesday); a first date in the month's fifth week means "the last" such weekday."""
    week = (first.day - 1) // 7  # 0..4
    dates = []
    year, month = first.year, first.month
    for _i in range(count):
        days = month_calendar.monthrange(year, month)[1]
        same_weekday = [
            d
            for d in range(1, days + 1)
            if datetime.date(year, month, d).weekday() == first.weekday()
        ]
        day = same_weekday[-1] if week >= 4 else same_weekday[week]
        dates.append(datetime.date(year, month, day))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return dates


def _local(day: datetime.date, at: datetime.time) -> datetime.datetime:
    # the wall-clock time stays the same across daylight saving changes
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _hosts(workspace: Workspace, first_host: WorkspaceMember | None, rotate: bool, count: int):
    members = list(workspace.members.filter(left_on__isnull=True).order_by("id"))
    if not members:
        return [None] * count
    if first_host is None:
        hosts = [m for m in members if m.role == WorkspaceMember.Role.HOST]
        first_host = hosts[0] if hosts else members[0]
    if not rotate:
        return [first_host] * count
    start = next((i for i, m in enumerate(members) if m.pk == first_host.pk), 0)
    return [members[(start + i) % len(members)] for i in range(count)]


def _check_times(starts_at, ends_at, now, allow_past=False):
    if ends_at <= starts_at:
        raise MeetingRefused(_("A meeting must end after it starts."))
    if not allow_past and starts_at <= now:
        raise MeetingRefused(
            _("A meeting cannot be scheduled in the past. Choose a date and time still to come.")
        )


def _check_host(workspace, host):
    if host is not None and (host.workspace_id != workspace.pk or host.left_on is not None):
        raise MeetingRefused(_("The host must be a member of this network."))


def schedule(
    workspace: Workspace,
    *,
    title: str,
    first_day: datetime.date,
    starts: datetime.time,
    ends: datetime.time,
    count: int = 1,
    host: WorkspaceMember | None = None,
    rotate_host: bool = True,
    location: str = "",
    online_url: str = "",
    invite: bool = True,
    allow_past: bool = False,
) -> list[Meeting]:
    """A one-off meeting (count 1) or a monthly series of `count` meetings, the host rotating
    through the members in order from `host`. Past dates are refused (the demo passes
    allow_past for its history). The members' people are invited by e-mail (a job)."""
    if not 1 <= count <= MAX_SERIES:
        raise MeetingRefused(_("A series has from 1 to %(max)d meetings.") % {"max": MAX_SERIES})
    _check_host(workspace, host)
    now = timezone.now()
    days = monthly_dates(first_day, count) if count > 1 else [first_day]
    for day in days:
        _check_times(_local(day, starts), _local(day, ends), now, allow_past)
    hosts = _hosts(workspace, host, rotate_host, count)
    with transaction.atomic():
        series = None
        if count > 1:
            series = MeetingSeries.objects.create(
                workspace=workspace,
                title=title,
                first_starts_at=_local(days[0], starts),
                duration_minutes=int(
                    (_local(days[0], ends) - _local(days[0], starts)).total_seconds() // 60
                ),
                count=count,
                rotate_host=rotate_host,
                online_url=online_url,
            )
        meetings = [
            Meeting.objects.create(
                workspace=workspace,
                series=series,
                title=title,
                starts_at=_local(day, starts),
                ends_at=_local(day, ends),
                host=meeting_host,
                location=location,
                online_url=online_url,
            )
            for day, meeting_host in zip(days, hosts, strict=True)
        ]
    if invite:
        queue_invitations(meetings, NEW)
    return meetings


def update_meeting(meeting: Meeting, values: dict, version: int, *, invite: bool = True):
    """Change a scheduled meeting (title, times, host, place, link) under optimistic locking.
    A change calendars show raises its SEQUENCE and sends the update to every invitee."""
    if meeting.status != Meeting.Status.SCHEDULED:
        raise MeetingRefused(_("Only a scheduled meeting can be changed."))
    starts_at = values.get("starts_at", meeting.starts_at)
    ends_at = values.get("ends_at", meeting.ends_at)
    moved = starts_at != meeting.starts_at or ends_at != meeting.ends_at
    if moved:
        _check_times(starts_at, ends_at, timezone.now())
    elif ends_at <= starts_at:
        raise MeetingRefused(_("A meeting must end after it starts."))
    _check_host(meeting.workspace, values.get("host", meeting.host))
    changed = [
        name
        for name in CALENDAR_FIELDS
        if name in values and getattr(meeting, name) != values[name]
    ]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, values[name])
    meeting.sequence += 1
    save_versioned(
        meeting,
        [*changed, "sequence"],
        version,
        condition=Q(status=Meeting.Status.SCHEDULED),
    )
    if invite:
        queue_invitations([meeting], CHANGED)
    return meeting


def cancel_meeting(meeting: Meeting, version: int, *, invite: bool = True):
    """Cancel a scheduled meeting; calendars drop it (METHOD:CANCEL with a higher SEQUENCE)."""
    if meeting.status != Meeting.Status.SCHEDULED:
        raise MeetingRefused(_("Only a scheduled meeting can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    save_versioned(
        meeting, ["status", "sequence"], version, condition=Q(status=Meeting.Status.SCHEDULED)
    )
    if invite:
        queue_invitations([meeting], CANCELLED)
    return meeting


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


# ---------------------------------------------------------------- calendar feeds


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed(user) -> tuple[CalendarFeed, str]:
    """A new private feed of `user`; returns it and its token (shown once, only its hash kept)."""
    token = secrets.token_urlsafe(32)
    return CalendarFeed.objects.create(user=user, token_hash=_hash(token)), token


def revoke_feed(feed: CalendarFeed) -> None:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])


def feed_for(token: str) -> CalendarFeed | None:
    """The live feed of a token (None when unknown, revoked, or its user is deactivated); notes
    when it was last read."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is not None:
        now = timezone.now()
        if feed.last_used_at is None or now - feed.last_used_at > datetime.timedelta(hours=1):
            CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed


# ---------------------------------------------------------------- iCalendar and invitations


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "progress:meeting", args=[meeting.workspace_id, meeting.pk]
    )


def place_of(meeting: Meeting) -> str:
    """Where a meeting is: its place, else its host municipality (in the reader's script)."""
    if meeting.location:
        return script(meeting.location)
    if meeting.host is not None:
        return script(str(meeting.host))
    return ""


def event_of(meeting: Meeting, attendees=()) -> ics.Event:
    """The iCalendar event of a meeting, in the active language and script. Needs the meeting's
    workspace, host (with municipality) and agenda loaded to avoid queries."""
    lines = [script(meeting.workspace.title)]
    if meeting.host is not None:
        lines.append(_("Host: %(host)s") % {"host": script(str(meeting.host))})
    if meeting.online_url:
        lines.append(_("Online: %(link)s") % {"link": meeting.online_url})
    agenda = list(meeting.agenda.all())
    if agenda:
        lines.append(_("Agenda:"))
        lines += [f"{i}. {script(item.title)}" for i, item in enumerate(agenda, 1)]
    url = meeting_url(meeting)
    lines.append(url)
    return ics.Event(
        uid=str(meeting.uid),
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=script(meeting.title),
        description="\n".join(lines),
        location=place_of(meeting) or meeting.online_url,
        url=url,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
        attendees=list(attendees),
    )


def calendar_meetings(queryset):
    """Meetings with what their iCalendar events show, loaded in a constant number of queries."""
    return queryset.select_related("workspace", "host__municipality").prefetch_related("agenda")


def calendar_of(meetings, name: str) -> bytes:
    """A calendar feed (no METHOD) of `meetings` (from `calendar_meetings`)."""
    return ics.calendar([event_of(m) for m in meetings], name=name)


def queue_invitations(meetings, kind: str) -> None:
    """Hand the invitation e-mails of `meetings` to the job engine."""
    ids = [m.pk for m in meetings]
    if ids:
        jobs.enqueue(SEND_INVITATIONS, ids, kind)


def invitees(workspace: Workspace) -> list[User]:
    """Everybody invited to a workspace's meetings: every user of its member municipalities."""
    return list(
        User.objects.filter(
            is_active=True,
            municipal_roles__municipality_id__in=workspace_member_ids(workspace),
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _organizer():
    address = settings.DEFAULT_FROM_EMAIL
    return address.rsplit("<", 1)[-1].rstrip(">").strip() if "<" in address else address


def _ics_part(content: bytes, method: str, index: int) -> MIMEText:
    """An iCalendar attachment as mail clients expect it: text/calendar with its METHOD."""
    part = MIMEText(content.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=f"meeting-{index}.ics")
    return part


def send_invitations(meeting_ids: list[int], kind: str) -> int:
    """The invitation job: one e-mail per invitee (all the meetings of one scheduling in it), each
    with one iCalendar file per meeting (METHOD:REQUEST, or CANCEL for a cancellation), in the
    invitee's language and script. Returns the number of e-mails sent."""
    meetings = list(
        calendar_meetings(Meeting.objects.filter(pk__in=meeting_ids)).order_by("starts_at")
    )
    if not meetings:
        return 0
    workspace = meetings[0].workspace
    for meeting in meetings:
        meeting.link = meeting_url(meeting)
    method = ics.CANCEL if kind == CANCELLED else ics.REQUEST
    organizer = _organizer()
    messages = []
    people = invitees(workspace)
    choices = notifications.settings_of(people)
    for user in people:
        choice = choices[user.pk]
        if choice.mode == NotificationSettings.Mode.NONE:
            continue  # unsubscribed: the meeting is still in their calendar feed and on the page
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "workspace": workspace,
                "meetings": meetings,
                "kind": kind,
            }
            subject = " ".join(
                render_to_string("progress/email/meeting_subject.txt", context).split()
            )
            # with the unsubscribe link in the text and the headers, like every other notification
            message = notifications.message_for(
                user, choice, subject, "progress/email/meeting_invitation.txt", context
            )
            for index, meeting in enumerate(meetings, 1):
                event = event_of(meeting, attendees=[(user.email, user.get_full_name())])
                event.organizer_email = organizer
                event.organizer_name = "Mreža"
                message.attach(_ics_part(ics.calendar([event], method=method), method, index))
        messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
