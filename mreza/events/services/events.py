"""An event's life: created as a draft, edited under optimistic locking, published (public from
then on), cancelled (its registered people are told), its showcase (good practices and network
results) chosen; and its programme (sessions, speakers)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mreza.core import richtext
from mreza.core.versioning import save_versioned
from mreza.events.models import Event, Session, Speaker
from mreza.events.services.registrations import fill_places, tell_event_cancelled

EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "place",
    "online_url",
    "starts_at",
    "ends_at",
    "organiser",
    "host",
    "languages",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
)
SESSION_FIELDS = ("starts_at", "ends_at", "room", "title", "description")
SPEAKER_FIELDS = ("name", "affiliation", "bio", "order")


class EventError(Exception):
    """The change cannot be made now; the message says why, in the user's language."""


def _cleaned(values):
    values = dict(values)
    if "description" in values:
        values["description"] = richtext.sanitise(values["description"])
    return values


def create_event(values, user):
    values = _cleaned(values)
    if not values.get("organiser") and not values.get("host"):
        raise EventError(_("Name the organiser, the host municipality or both."))
    return Event.objects.create(
        **{name: values.get(name) for name in EVENT_FIELDS if name in values},
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def update_event(event, values, version):
    """Save the form's fields (EditConflict if someone saved since `version`). More places, or no
    limit any more, go to the people waiting, in the order they registered; the event row is
    locked meanwhile so a registration at the same moment cannot take the same place."""
    values = _cleaned(values)
    fields = [name for name in EVENT_FIELDS if name in values]
    with transaction.atomic():
        locked = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        for name in fields:
            setattr(locked, name, values[name])
        save_versioned(locked, fields, version)
        if "capacity" in fields:
            fill_places(locked)
    for name in fields:
        setattr(event, name, getattr(locked, name))
    event.version = locked.version
    return event


def publish(event):
    """Make a draft public (the list, the calendar feed, registration once open)."""
    with transaction.atomic():
        locked = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        if locked.status != Event.Status.DRAFT:
            raise EventError(_("Only a draft can be published."))
        locked.status = Event.Status.PUBLISHED
        locked.published_at = timezone.now()
        save_versioned(
            locked, ["status", "published_at"], locked.version, condition=Q(status="draft")
        )
    return locked


def cancel(event):
    """Cancel a published event: its page stays public and says so; registration closes; the
    people registered (confirmed or waiting) are told once the cancellation is committed."""
    with transaction.atomic():
        locked = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        if locked.status != Event.Status.PUBLISHED:
            raise EventError(_("Only a published event can be cancelled."))
        locked.status = Event.Status.CANCELLED
        save_versioned(locked, ["status"], locked.version, condition=Q(status="published"))
        transaction.on_commit(lambda: tell_event_cancelled(locked))
    return locked


def set_showcase(event, *, workspaces=None, practices=None):
    """What the event presents: network results (workspaces) and good practices."""
    with transaction.atomic():
        if workspaces is not None:
            event.workspaces.set(workspaces)
        if practices is not None:
            event.practices.set(practices)
    return event


# ------------------------------------------------------------------------------ the programme


def _check_session_time(event, values):
    starts, ends = values["starts_at"], values["ends_at"]
    if ends < starts:
        raise EventError(_("A session ends after it starts."))
    if starts < event.starts_at or ends > event.ends_at:
        raise EventError(_("A session takes place while the event does."))


def add_session(event, values):
    _check_session_time(event, values)
    return Session.objects.create(event=event, **{n: values.get(n, "") for n in SESSION_FIELDS})


def update_session(session, values):
    _check_session_time(session.event, values)
    for name in SESSION_FIELDS:
        setattr(session, name, values.get(name, ""))
    session.save()
    return session


def delete_session(session):
    session.delete()


def add_speaker(session, values):
    values = {n: values.get(n) for n in SPEAKER_FIELDS if values.get(n) is not None}
    if "order" not in values:
        values["order"] = session.speakers.count()
    return Speaker.objects.create(session=session, **values)


def delete_speaker(speaker):
    speaker.delete()
