"""Notifications of the workspaces (issue 11, item 10): one row per recipient, e-mailed at once (a
background job), gathered into a weekly digest, or not e-mailed, as each user chose; every e-mail
in the recipient's language and script, with a link that unsubscribes without signing in.

`notify()` is the one entry point for every part of step 3 (posts and mentions here; meetings,
the plan and the reminders of `manage.py send_progress_digests`). Every state change of
notifications is in this module.
"""

import datetime
import logging
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from mreza.accounts.models import MunicipalRole, User
from mreza.core import jobs
from mreza.core.templatetags.mreza import script
from mreza.progress.models import Activity, Meeting, Notification, NotificationSettings, Workspace

log = logging.getLogger(__name__)

# named by path: the job's module imports this one (core/jobs.py)
SEND_NOTIFICATIONS = "mreza.progress.notification_tasks.send_notifications"

Mode = NotificationSettings.Mode
Kind = Notification.Kind
DIGEST_EVERY = datetime.timedelta(days=7)
#: An immediate e-mail whose job failed (mail server down) is tried again by the periodic command
#: for this long; older ones stay in the list on the notifications page.
RETRY_FOR = datetime.timedelta(days=1)
SUBJECT_LIMIT = 300
BODY_LIMIT = 4000

#: A text of a notification: a string, a lazy translation, or a function of the recipient; each is
#: evaluated in the recipient's language (and a function can put user text in their script).
Text = str | Promise | Callable[[User], str]


def language_of(user) -> str:
    return user.language or settings.LANGUAGE_CODE


def absolute(url: str) -> str:
    """A site path as a full address for an e-mail (addresses pass unchanged)."""
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def settings_for(user) -> NotificationSettings:
    """The user's notification settings, created with the default (at once) on first use."""
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        pass
    found, _created = NotificationSettings.objects.get_or_create(
        user=user, defaults={"unsubscribe_token": secrets.token_urlsafe(32)}
    )
    user.notification_settings = found
    return found


def set_mode(user, mode: str) -> NotificationSettings:
    """Change how the user hears from the workspaces. The e-mails count from now: a new digest
    covers what arrives from the change on, and nothing that came while the user heard nothing
    is e-mailed afterwards."""
    choice = settings_for(user)
    if choice.mode != mode:
        choice.mode = mode
        choice.last_digest_at = timezone.now()
        choice.save(update_fields=["mode", "last_digest_at"])
    return choice


def settings_by_token(token: str) -> NotificationSettings | None:
    """The settings an unsubscribe link names (None: no such link)."""
    if not token:
        return None
    return (
        NotificationSettings.objects.select_related("user").filter(unsubscribe_token=token).first()
    )


def unsubscribe(token: str) -> NotificationSettings | None:
    """The unsubscribe link: no more e-mails for the owner of `token` (None: unknown token)."""
    choice = settings_by_token(token)
    if choice is None:
        return None
    set_mode(choice.user, Mode.NONE)
    return choice


def _text(value: Text, user) -> str:
    return str(value(user) if callable(value) else value)


def notify(
    users: Iterable[User],
    kind: str,
    workspace: Workspace | None,
    subject: Text,
    body: Text,
    url: str,
    dedupe_key: str = "",
    urgent: bool = False,
) -> list[Notification]:
    """Tell `users` about something: a Notification row each (inactive users and doubles are
    skipped; with `dedupe_key`, a user who already has that key gets nothing new), and the e-mail of
    those who chose "at once" is handed to the job engine. `subject` and `body` are evaluated in
    each recipient's language; `url` is a site path or an address. An `urgent` notice (it cannot
    wait a week) is e-mailed at once also to those who chose the weekly digest; whoever chose no
    e-mail still gets none. Returns the new rows."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    if not recipients:
        return []
    known = set()
    if dedupe_key:
        known = set(
            Notification.objects.filter(
                user_id__in=list(recipients), dedupe_key=dedupe_key
            ).values_list("user_id", flat=True)
        )
    rows = []
    for user in recipients.values():
        if user.pk in known:
            continue
        with translation.override(language_of(user)):
            rows.append(
                Notification(
                    user=user,
                    workspace=workspace,
                    kind=kind,
                    subject=" ".join(_text(subject, user).split())[:SUBJECT_LIMIT],
                    body=_text(body, user)[:BODY_LIMIT],
                    url=url[:500],
                    dedupe_key=dedupe_key[:200],
                    urgent=urgent,
                )
            )
    if not rows:
        return []
    with transaction.atomic():
        # a concurrent run with the same key loses its doubles here, not with an error
        Notification.objects.bulk_create(rows, ignore_conflicts=bool(dedupe_key))
        if dedupe_key:
            rows = list(
                Notification.objects.filter(
                    user_id__in=[r.user_id for r in rows],
                    dedupe_key=dedupe_key,
                    sent_at__isnull=True,
                )
            )
    modes = _modes_of(list(recipients))
    mailed_at_once = {Mode.IMMEDIATE, Mode.WEEKLY} if urgent else {Mode.IMMEDIATE}
    at_once = [r.pk for r in rows if modes[r.user_id] in mailed_at_once]
    if at_once:
        jobs.enqueue(SEND_NOTIFICATIONS, at_once)
    return rows


def settings_of(users: Iterable[User]) -> dict[int, NotificationSettings]:
    """Each user's notification settings (rows missing so far are created: at once), e.g. for a
    mail sent by another part, such as the meeting invitations."""
    ids = [u.pk for u in users]
    _modes_of(ids)
    return {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=ids)}


def _modes_of(user_ids: list[int]) -> dict[int, str]:
    """Each user's mode; the settings rows missing so far are created (the default: at once), so
    the e-mail job can rely on them. Two queries, however many users."""
    modes = dict(
        NotificationSettings.objects.filter(user_id__in=user_ids).values_list("user_id", "mode")
    )
    missing = [pk for pk in user_ids if pk not in modes]
    if missing:
        NotificationSettings.objects.bulk_create(
            [
                NotificationSettings(user_id=pk, unsubscribe_token=secrets.token_urlsafe(32))
                for pk in missing
            ],
            ignore_conflicts=True,
        )
        modes.update(
            NotificationSettings.objects.filter(user_id__in=missing).values_list("user_id", "mode")
        )
    return modes


# ---------------------------------------------------------------- e-mails


def _links(choice: NotificationSettings) -> dict:
    return {
        "unsubscribe_url": absolute(
            reverse("progress:unsubscribe", args=[choice.unsubscribe_token])
        ),
        "settings_url": absolute(reverse("progress:notification_settings")),
    }


def message_for(user, choice, subject, template, context) -> EmailMessage:
    """One e-mail in the recipient's language, with the unsubscribe link in its text and headers
    (RFC 8058 one-click: mail clients offer "unsubscribe" themselves)."""
    links = _links(choice)
    body = render_to_string(template, {"user": user, **links, **context})
    return EmailMessage(
        subject,
        body,
        None,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _claim(notification_ids) -> int:
    return Notification.objects.filter(pk__in=notification_ids, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )


#: the notifications e-mailed one by one: of users who chose "at once", and the urgent ones of
#: users who chose the weekly digest
MAILED_AT_ONCE = Q(user__notification_settings__mode=Mode.IMMEDIATE) | Q(
    urgent=True, user__notification_settings__mode=Mode.WEEKLY
)


def send_immediate(notification_ids: list[int]) -> int:
    """The job: e-mail each notification (still unsent, of a user who chose "at once", or urgent
    for a user of the weekly digest) on its own. Each row is claimed before its e-mail goes (a
    second run sends nothing twice) and released again if the mail server refuses. Returns the
    number of e-mails sent."""
    rows = list(
        Notification.objects.filter(
            pk__in=notification_ids,
            sent_at__isnull=True,
            user__is_active=True,
        )
        .filter(MAILED_AT_ONCE)
        .exclude(user__email="")
        .select_related("user__notification_settings", "workspace")
        .order_by("pk")
    )
    connection = get_connection()
    sent = 0
    for row in rows:
        if not _claim([row.pk]):
            continue
        user = row.user
        with translation.override(language_of(user)):
            message = message_for(
                user,
                user.notification_settings,
                row.subject,
                "progress/email/notification_immediate.txt",
                {"notification": row, "link": absolute(row.url) if row.url else ""},
            )
        message.connection = connection
        try:
            message.send()
        except Exception:
            Notification.objects.filter(pk=row.pk).update(sent_at=None)
            raise
        sent += 1
    return sent


def _digest_due(now) -> "list[NotificationSettings]":
    return list(
        NotificationSettings.objects.filter(mode=Mode.WEEKLY, user__is_active=True)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - DIGEST_EVERY))
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def send_digests(now=None) -> int:
    """The weekly digest: one e-mail per user who chose it, a week after the last one, with
    everything unsent since then, grouped by workspace. Returns the number of e-mails sent."""
    now = now or timezone.now()
    sent = 0
    connection = get_connection()
    for choice in _digest_due(now):
        try:
            sent += _send_digest(choice, now, connection)
        except Exception:  # the mail server refused: this user's digest waits for the next run
            log.exception("weekly digest of user %s", choice.user_id)
    return sent


def _send_digest(choice: NotificationSettings, now, connection) -> int:
    """One user's digest (1 if an e-mail went); the claim is rolled back if the mail fails."""
    user = choice.user
    pending = Notification.objects.filter(user=user, sent_at__isnull=True, created_at__lte=now)
    if choice.last_digest_at is not None:
        pending = pending.filter(created_at__gte=choice.last_digest_at)
    rows = list(pending.select_related("workspace").order_by("workspace_id", "created_at"))
    if not rows:
        return 0
    with transaction.atomic():
        claimed = _claim([r.pk for r in rows])
        NotificationSettings.objects.filter(pk=choice.pk).update(last_digest_at=now)
        if not claimed:
            return 0
        groups: dict[int | None, dict] = {}
        for row in rows:
            group = groups.setdefault(row.workspace_id, {"workspace": row.workspace, "rows": []})
            group["rows"].append({"row": row, "link": absolute(row.url) if row.url else ""})
        with translation.override(language_of(user)):
            subject = " ".join(
                render_to_string(
                    "progress/email/notification_digest_subject.txt", {"count": len(rows)}
                ).split()
            )
            message = message_for(
                user,
                choice,
                subject,
                "progress/email/notification_digest.txt",
                {"groups": list(groups.values()), "count": len(rows)},
            )
        message.connection = connection
        message.send()  # a refusal rolls the claim back: the next run tries again
    return 1


def retry_unsent(now=None) -> int:
    """Queue again the immediate e-mails whose job did not send them (mail server down)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            sent_at__isnull=True,
            created_at__gte=now - RETRY_FOR,
            created_at__lte=now - datetime.timedelta(minutes=10),
        )
        .filter(MAILED_AT_ONCE)
        .filter(
            Q(user__notification_settings__last_digest_at__isnull=True)
            | Q(created_at__gte=F("user__notification_settings__last_digest_at"))
        )
        .values_list("pk", flat=True)
    )
    if ids:
        jobs.enqueue(SEND_NOTIFICATIONS, ids)
    return len(ids)


# ---------------------------------------------------------------- reminders

#: how far ahead an upcoming meeting is announced
MEETING_AHEAD = datetime.timedelta(days=3)
OPEN_ACTIVITY = (Activity.Status.PLANNED, Activity.Status.IN_PROGRESS)


def _owner_of(activity: Activity):
    """Who is reminded of an overdue activity: its responsible person, else its member's contact
    person, else the workspace's coordinator."""
    member = activity.responsible_member
    return (
        activity.responsible_person
        or (member.contact_person if member is not None else None)
        or activity.workspace.coordinator
    )


def queue_overdue_reminders(today: datetime.date) -> int:
    """One reminder per activity that became overdue (open, due before today), to its owner; the
    key holds the due date, so moving the date and missing it again reminds once more."""
    activities = Activity.objects.filter(status__in=OPEN_ACTIVITY, due_on__lt=today).select_related(
        "workspace__coordinator", "responsible_person", "responsible_member__contact_person"
    )
    queued = 0
    for activity in activities.order_by("pk"):
        owner = _owner_of(activity)
        if owner is None:
            continue
        title, due = activity.title, activity.due_on

        def subject(_user, title=title):
            return _("Overdue: %(title)s") % {"title": script(title)}

        def body(_user, title=title, due=due):
            return _("The activity “%(title)s” was due on %(due)s and is not done yet.") % {
                "title": script(title),
                "due": date_format(due, "SHORT_DATE_FORMAT"),
            }

        queued += len(
            notify(
                [owner],
                Kind.OVERDUE,
                activity.workspace,
                subject,
                body,
                reverse("progress:plan", args=[activity.workspace_id]) + f"#activity-{activity.pk}",
                dedupe_key=f"overdue:activity:{activity.pk}:{due.isoformat()}",
            )
        )
    return queued


def _people_of_workspaces(workspace_ids) -> dict[int, list[User]]:
    """The active users of each workspace's current member municipalities (one query)."""
    roles = MunicipalRole.objects.filter(
        municipality__workspace_memberships__workspace_id__in=list(workspace_ids),
        municipality__workspace_memberships__left_on__isnull=True,
        user__is_active=True,
    ).values_list("municipality__workspace_memberships__workspace_id", "user_id")
    ids: dict[int, set[int]] = {}
    for workspace_id, user_id in roles:
        ids.setdefault(workspace_id, set()).add(user_id)
    users = User.objects.in_bulk({pk for pks in ids.values() for pk in pks})
    return {w: [users[pk] for pk in sorted(pks)] for w, pks in ids.items()}


def queue_meeting_reminders(now) -> int:
    """One reminder per scheduled meeting in the next three days, to the people of its workspace;
    the key holds the start, so a meeting moved to another day is announced again."""
    meetings = list(
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED, starts_at__gte=now, starts_at__lte=now + MEETING_AHEAD
        )
        .select_related("workspace", "host__municipality")
        .order_by("starts_at", "pk")
    )
    people = _people_of_workspaces({m.workspace_id for m in meetings})
    queued = 0
    for meeting in meetings:
        title, starts = meeting.title, timezone.localtime(meeting.starts_at)
        place = meeting.location or (str(meeting.host) if meeting.host_id else "")

        def subject(_user, title=title, starts=starts):
            return _("Meeting on %(day)s: %(title)s") % {
                "day": date_format(starts, "SHORT_DATE_FORMAT"),
                "title": script(title),
            }

        def body(_user, title=title, starts=starts, place=place, online=meeting.online_url):
            text = _("“%(title)s” starts on %(day)s at %(time)s.") % {
                "title": script(title),
                "day": date_format(starts, "SHORT_DATE_FORMAT"),
                "time": date_format(starts, "TIME_FORMAT"),
            }
            if place:
                text += "\n" + _("Place: %(place)s") % {"place": script(place)}
            if online:
                text += "\n" + _("Online: %(link)s") % {"link": online}
            return text

        queued += len(
            notify(
                people.get(meeting.workspace_id, []),
                Kind.MEETING,
                meeting.workspace,
                subject,
                body,
                reverse("progress:meeting", args=[meeting.workspace_id, meeting.pk]),
                dedupe_key=f"meeting:{meeting.pk}:{meeting.starts_at:%Y%m%d%H%M}",
            )
        )
    return queued


def recent_for(user, limit=30) -> list[Notification]:
    """The user's latest notifications (the notifications page)."""
    return list(
        Notification.objects.filter(user=user)
        .select_related("workspace")
        .order_by("-created_at")[:limit]
    )
