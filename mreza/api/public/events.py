"""Public events: workshops, study visits, exchange meetings and the annual conference, as their
public pages show them (/events/): published and cancelled events (`access.events_visible_to` as
an anonymous visitor; a draft is a 404), the places left (never who registered), the programme
with its speakers, and the practices and network results showcased there. Times are ISO 8601 in
the site's time zone, with its offset. A fixed number of queries per request."""

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from mreza.api.conventions import Error, Page, PageParams, paginate
from mreza.api.public.common import kept_list
from mreza.api.scripts import shown, shown_html
from mreza.core import richtext
from mreza.core.access import (
    Perm,
    anonymous_visitor,
    events_visible_to,
    get_or_deny,
    plans_visible_to,
    published_practices,
)
from mreza.events.models import Event, Session, Speaker
from mreza.events.views import EVENTS, with_counts
from mreza.events.views.events import PUBLIC_LIST
from mreza.registry import choices

router = Router(tags=["events"])

Id = Path(..., ge=1, le=2**63 - 1, description="The event's id.")
# the days a filter may name: beyond them a date is a mistake (and out of the database's range
# once turned into a moment in UTC)
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


class EventWhen(StrEnum):
    UPCOMING = "upcoming"
    PAST = "past"


class EventOrder(StrEnum):
    START = "start"
    START_DESC = "-start"


class EventOrganiser(Schema):
    code: str
    name: str


class EventListItem(Schema):
    id: int
    kind: Event.Kind
    title: str
    start: datetime = Field(description="ISO 8601 with the offset of the site's time zone.")
    end: datetime
    place: str
    online: bool = Field(description="Whether it can be followed online.")
    online_url: str
    organiser: EventOrganiser | None
    host: str | None = Field(description="Code of the host municipality.")
    languages: list[str]
    capacity: int | None = Field(description="Places; null for no limit.")
    places_left: int | None = Field(description="Places not yet taken; null for no limit.")
    status: str = Field(description="`published` or `cancelled`.")
    url: str = Field(description="The event's public page.")


class EventSpeaker(Schema):
    name: str
    affiliation: str
    bio: str


class EventSession(Schema):
    start: datetime
    end: datetime
    room: str
    title: str
    description: str
    speakers: list[EventSpeaker]


class EventPractice(Schema):
    id: int
    title: str
    municipality: str = Field(description="Municipality code.")
    url: str


class EventWorkspace(Schema):
    id: int
    kind: str
    title: str
    organisation: str | None = Field(description="Code of the coordinating organisation.")


class EventDetail(EventListItem):
    description_html: str = Field(description="Sanitised HTML, as the public page shows it.")
    programme: list[EventSession]
    practices: list[EventPractice] = Field(description="Published good practices showcased.")
    workspaces: list[EventWorkspace] = Field(
        description="Published network results showcased (see `/workspaces`)."
    )


class EventFilters(Schema):
    kind: Event.Kind | None = None
    date_from: date | None = Field(
        None,
        alias="from",
        ge=EARLIEST,
        le=LATEST,
        description="Only events that end on or after this day.",
    )
    date_to: date | None = Field(
        None,
        alias="to",
        ge=EARLIEST,
        le=LATEST,
        description="Only events that start on or before this day.",
    )
    organiser: str | None = Field(None, max_length=40, description="Organisation code.")
    when: EventWhen | None = Field(
        None, description="`upcoming` (not yet ended) or `past` (ended)."
    )
    order: EventOrder = Field(EventOrder.START, description="By start time.")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(filters: EventFilters):
    rows = events_visible_to(anonymous_visitor(), Event.objects.all())
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.date_from:
        rows = rows.filter(ends_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(starts_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.organiser:
        rows = rows.filter(organiser__code=filters.organiser)
    if filters.when:
        now = timezone.now()
        if filters.when == EventWhen.UPCOMING:
            rows = rows.filter(ends_at__gte=now)
        else:
            rows = rows.filter(ends_at__lt=now)
    if filters.order == EventOrder.START_DESC:
        return rows.order_by("-starts_at", "-id")
    return rows.order_by("starts_at", "id")


def event_url(request, pk: int) -> str:
    return request.build_absolute_uri(reverse("events:detail", args=[pk]))


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def list_item(request, event: Event) -> dict:
    organiser, host = event.organiser, event.host  # select_related
    confirmed = getattr(event, "confirmed", 0)
    return {
        "id": event.pk,
        "kind": event.kind,
        "title": shown(event.title),
        "start": _local(event.starts_at),
        "end": _local(event.ends_at),
        "place": shown(event.place),
        "online": bool(event.online_url),
        "online_url": event.online_url,
        "organiser": (
            {"code": organiser.code, "name": shown(organiser.name)}
            if organiser is not None
            else None
        ),
        "host": host.code if host is not None else None,
        "languages": [str(code) for code in event.languages or [] if isinstance(code, str)],
        "capacity": event.capacity,
        "places_left": None if event.capacity is None else max(event.capacity - confirmed, 0),
        "status": event.status,
        "url": event_url(request, event.pk),
    }


@router.get(
    "/events",
    response=Page[EventListItem],
    summary="Public events",
    description="Workshops, study visits, exchange meetings and the annual conference; "
    "filter by kind, dates, organiser, upcoming or past.",
)
def events(request, params: Query[PageParams], filters: Query[EventFilters]):
    def build():
        rows = with_counts(_filtered(filters).select_related("organiser", "host"))
        return paginate(request, rows, params, lambda event: list_item(request, event))

    # the scope the events app bumps on an event's or a registration's change
    return kept_list(
        request,
        "events",
        params,
        filters,
        build,
        PUBLIC_LIST,
        choices.MUNICIPALITIES,
        per_minute=True,
        schema=Page[EventListItem],
    )


# ------------------------------------------------------------------------------ one event


def _sessions():
    speakers = Prefetch("speakers", queryset=Speaker.objects.order_by("order", "id"))
    return Prefetch(
        "sessions",
        queryset=Session.objects.prefetch_related(speakers).order_by("starts_at", "id"),
    )


def _session(session: Session) -> dict:
    return {
        "start": _local(session.starts_at),
        "end": _local(session.ends_at),
        "room": shown(session.room),
        "title": shown(session.title),
        "description": shown(session.description),
        "speakers": [
            {"name": shown(s.name), "affiliation": shown(s.affiliation), "bio": shown(s.bio)}
            for s in session.speakers.all()
        ],
    }


def _showcased(request, event: Event) -> dict:
    practices = (
        published_practices(event.practices.all())
        .select_related("municipality")
        .only("id", "title", "municipality__code")
        .order_by("title", "id")
    )
    workspaces = (
        plans_visible_to(anonymous_visitor(), event.workspaces.all())
        .select_related("organisation")
        .order_by("title", "id")
    )
    return {
        "practices": [
            {
                "id": p.pk,
                "title": shown(p.title),
                "municipality": p.municipality.code,
                "url": request.build_absolute_uri(reverse("practices:detail", args=[p.pk])),
            }
            for p in practices
        ],
        "workspaces": [
            {
                "id": w.pk,
                "kind": w.kind,
                "title": shown(w.title),
                "organisation": w.organisation.code if w.organisation is not None else None,
            }
            for w in workspaces
        ],
    }


@router.get(
    "/events/{event_id}",
    response={200: EventDetail, 404: Error},
    summary="One public event with its programme",
    description="The event, its programme (sessions, rooms, speakers) and what is showcased "
    "there. Registrations and attendance are never shown. A draft is a 404.",
)
def event(request, event_id: int = Id):
    rows = with_counts(events_visible_to(anonymous_visitor(), EVENTS)).prefetch_related(_sessions())
    found = get_or_deny(anonymous_visitor(), Perm.VIEW, rows, pk=event_id)
    return {
        **list_item(request, found),
        "description_html": shown_html(richtext.sanitise(found.description)),
        "programme": [_session(s) for s in found.sessions.all()],
        **_showcased(request, found),
    }
