"""An event as iCalendar (one `.ics`, and the feed of upcoming public events) and the attendance
list as XLSX. The files are written by the pure `progress/ics.py` and through `core/exports.py`."""

import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from mreza.core import exports, richtext
from mreza.core.templatetags.mreza import script
from mreza.events.models import Event
from mreza.progress import ics

FEED_LIMIT = 500


def event_url(event):
    return settings.SITE_URL.rstrip("/") + reverse("events:detail", args=[event.pk])


def _location(event):
    return ", ".join(part for part in (script(event.place), event.online_url) if part)


def ics_event(event):
    """One event in the reader's language and script, for progress.ics."""
    organiser = event.organiser or event.host
    return ics.Event(
        uid=f"event-{event.pk}",
        sequence=event.version,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=script(event.title),
        description=script(
            richtext.plain_text(richtext.sanitise(event.description), keep_lines=True)
        ),
        location=_location(event),
        url=event_url(event),
        cancelled=event.status == Event.Status.CANCELLED,
        organizer_name=script(organiser.name) if organiser else "",
    )


def event_ics(event):
    return ics.calendar([ics_event(event)])


def upcoming_public(queryset=None):
    queryset = Event.objects.all() if queryset is None else queryset
    return (
        queryset.exclude(status=Event.Status.DRAFT)
        .filter(ends_at__gte=timezone.now())
        .select_related("organiser", "host")
        .order_by("starts_at", "id")
    )


def feed_ics(events):
    return ics.calendar([ics_event(e) for e in events[:FEED_LIMIT]], name=str(_("Mreža events")))


def attendance_xlsx(event, registrations):
    """The attendance list: one row per confirmed person, present or not."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Attendance"))[:31]
    exports.append(sheet, [script(event.title)])
    exports.append(
        sheet,
        [
            str(_("Name")),
            str(_("E-mail address")),
            str(_("Organisation or municipality")),
            str(_("Registered")),
            str(_("Present")),
            str(_("Checked in")),
        ],
    )
    for registration in registrations:
        checked_in = registration.checked_in_at
        exports.append(
            sheet,
            [
                registration.user.full_name,
                registration.user.email,
                registration.affiliation,
                timezone.localtime(registration.created_at).replace(tzinfo=None),
                str(_("yes")) if registration.attended else str(_("no")),
                timezone.localtime(checked_in).replace(tzinfo=None) if checked_in else None,
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
