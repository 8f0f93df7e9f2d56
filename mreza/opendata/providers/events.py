"""Published events (workshops, study visits, exchange meetings, conferences) and their
programme. Which events are public is the policy's (`events_visible_to` an anonymous visitor);
of those, the published ones (not the cancelled). No registrations, speakers or online links."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mreza.core.access import anonymous_visitor as anonymous
from mreza.core.access.events import events_visible_to
from mreza.events.models import Event, Session
from mreza.opendata.providers.base import (
    DATETIME,
    INTEGER,
    STRING,
    Dataset,
    Field,
)

EVENT_ID = _("Identifier of the event (see events.csv)")


def public_events():
    visible = events_visible_to(anonymous(), Event.objects.all())
    return visible.filter(status=Event.Status.PUBLISHED)


def _events():
    rows = public_events().select_related("organiser", "host").order_by("starts_at", "id")
    for event in rows:
        languages = event.languages if isinstance(event.languages, list) else []
        yield (
            event.pk,
            event.kind,
            event.title,
            event.place,
            event.starts_at,
            event.ends_at,
            event.organiser.code if event.organiser_id else "",
            event.host.code if event.host_id else "",
            " ".join(str(code) for code in languages),
            event.capacity,
            settings.SITE_URL.rstrip("/") + reverse("events:detail", args=[event.pk]),
        )


def _sessions():
    rows = Session.objects.filter(event__in=public_events()).order_by("event_id", "starts_at", "id")
    for session in rows:
        yield (session.event_id, session.starts_at, session.ends_at, session.room, session.title)


EVENTS = Dataset(
    "events",
    _("Events"),
    _("Published workshops, study visits, exchange meetings and conferences."),
    (
        Field("event_id", INTEGER, EVENT_ID),
        Field("kind", STRING, _("workshop, study_visit, exchange_meeting or conference")),
        Field("title", STRING, _("Title")),
        Field("place", STRING, _("Place")),
        Field("starts_at", DATETIME, _("Start (UTC)")),
        Field("ends_at", DATETIME, _("End (UTC)")),
        Field("organiser", STRING, _("Code of the organising organisation, if any")),
        Field("host", STRING, _("Code of the host municipality, if any")),
        Field("languages", STRING, _("Languages of the event, separated by spaces")),
        Field("capacity", INTEGER, _("Places, if limited")),
        Field("url", STRING, _("Its page")),
    ),
    _events,
)

EVENT_SESSIONS = Dataset(
    "event_sessions",
    _("Event programmes"),
    _("The sessions of each published event."),
    (
        Field("event_id", INTEGER, EVENT_ID),
        Field("starts_at", DATETIME, _("Start (UTC)")),
        Field("ends_at", DATETIME, _("End (UTC)")),
        Field("room", STRING, _("Room")),
        Field("title", STRING, _("Title")),
    ),
    _sessions,
)
