"""Scheduling meetings: one-off or a monthly series with a rotating host, changes and
cancellation. Each sends its e-mail invitations (iCalendar) through `meetings_calendar`.
"""

import calendar as month_calendar
import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mreza.core.versioning import save_versioned
from mreza.progress.models import Meeting, MeetingSeries, Workspace, WorkspaceMember
from mreza.progress.services.meetings_calendar import CANCELLED, CHANGED, NEW, queue_invitations
from mreza.progress.services.meetings_common import MeetingRefused

MAX_SERIES = 24
# the fields a calendar shows: a change of one of them raises the meeting's SEQUENCE
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "host", "location", "online_url")


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
