"""Meetings in calendars: the iCalendar events, the e-mail invitations with their .ics files (a
job), and the private calendar feeds.
"""

import datetime
import hashlib
import secrets
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mreza.accounts.models import User
from mreza.core import jobs
from mreza.core.access import workspace_member_ids
from mreza.core.templatetags.mreza import script
from mreza.progress import ics
from mreza.progress.models import CalendarFeed, Meeting, NotificationSettings, Workspace
from mreza.progress.services import notifications

# named by path: the job's module imports this one, through `meetings` (core/jobs.py)
SEND_INVITATIONS = "mreza.progress.tasks.send_meeting_invitations"

NEW, CHANGED, CANCELLED = "new", "changed", "cancelled"


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
