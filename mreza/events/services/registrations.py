"""Registration with a capacity and a waiting list, withdrawal with promotion, attendance.

Every change that counts places locks the event row first (`select_for_update(of=("self",))`):
two people taking the last place at the same moment are served one after the other, so the
event never holds more confirmed people than places. A person has one live registration per
event (a database constraint), so a double click cannot register twice. When a confirmed person
withdraws, the first person on the waiting list (registered earliest) takes the place.

People are told through the notifications engine of the workspaces
(`progress.services.notifications.notify`), once the change is committed: a row each, e-mailed at
once, in the weekly digest or not at all as the person chose, in their language and script, with
the unsubscribe link, sent and retried by the job engine. Told are: the registration (confirmed or
waiting, with the event's calendar file as a link: a notification carries no attachment), a place
from the waiting list, a registration cancelled by someone else (the organiser), and an
event's cancellation (`events.cancel`). Every registration has an account (`Registration.user`),
so no mail goes past the engine.
"""

import functools

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mreza.core.audit import current_actor
from mreza.core.templatetags.mreza import script
from mreza.events.models import Event, Registration
from mreza.progress.models import Notification
from mreza.progress.services import notifications

Status = Registration.Status
#: The notifications engine has no kind for events yet; "upcoming meeting" is the nearest (the
#: kind is not shown anywhere, it only sorts the rows).
EVENT_NOTICE = Notification.Kind.EVENT


class RegistrationError(Exception):
    """The registration cannot be made or changed; the message says why (user's language)."""


def _lock(event):
    return Event.objects.select_for_update(of=("self",)).get(pk=event.pk)


def confirmed_count(event):
    return event.registrations.filter(status=Status.CONFIRMED).count()


def live_registration(event, user):
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user).exclude(status=Status.CANCELLED).first()
    )


def register(event, user, affiliation=""):
    """Register `user`: confirmed while places are free, else on the waiting list."""
    try:
        with transaction.atomic():
            locked = _lock(event)
            if not locked.registration_is_open():
                raise RegistrationError(_("Registration for this event is not open."))
            if live_registration(locked, user) is not None:
                raise RegistrationError(_("You are registered for this event already."))
            full = locked.capacity is not None and confirmed_count(locked) >= locked.capacity
            registration = Registration.objects.create(
                event=locked,
                user=user,
                affiliation=affiliation,
                status=Status.WAITING if full else Status.CONFIRMED,
            )
            transaction.on_commit(functools.partial(_tell_registered, registration, locked))
            return registration
    except IntegrityError as error:
        # the one-live-registration constraint: the same person's second request at once
        raise RegistrationError(_("You are registered for this event already.")) from error


def withdraw(registration, by=None):
    """Cancel a registration; a freed place goes to the first person waiting (returned, or None).
    `by` (default: whoever the request acts as) is told apart from the person registered: someone
    else's withdrawal (the organiser's) is told to the person, their own is not."""
    if by is None:
        by = current_actor()[0]
    with transaction.atomic():
        locked_event = _lock(registration.event)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == Status.CANCELLED:
            return None
        freed = locked.status == Status.CONFIRMED
        locked.status = Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        if getattr(by, "pk", None) != locked.user_id:
            transaction.on_commit(functools.partial(_tell_withdrawn, locked, locked_event))
        promoted = fill_places(locked_event) if freed else []
    return promoted[0] if promoted else None


def fill_places(event):
    """Promote waiting people into free places (the event row is locked by the caller): after a
    withdrawal, or when the organiser adds places."""
    if event.status != Event.Status.PUBLISHED or event.ends_at <= timezone.now():
        return []
    waiting = event.registrations.filter(status=Status.WAITING).order_by("created_at", "id")
    if event.capacity is not None:
        free = event.capacity - confirmed_count(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = []
    for registration in waiting.select_related("user"):
        registration.status = Status.CONFIRMED
        registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        promoted.append(registration)
        transaction.on_commit(functools.partial(_tell_promoted, registration, event))
    return promoted


def set_capacity(event, capacity):
    """Change the number of places; more places promote people from the waiting list."""
    with transaction.atomic():
        locked = _lock(event)
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        return fill_places(locked)


def waiting_position(registration):
    if registration.status != Status.WAITING:
        return None
    return (
        registration.event.registrations.filter(
            status=Status.WAITING, created_at__lt=registration.created_at
        ).count()
        + 1
    )


# ------------------------------------------------------------------------------- notices


def event_path(event):
    return reverse("events:detail", args=[event.pk])


def _when_and_where(event):
    """The event's day, time and place in the active language and script (a notice's body)."""
    starts = timezone.localtime(event.starts_at)
    text = _("%(event)s starts on %(day)s at %(time)s.") % {
        "event": script(event.title),
        "day": date_format(starts, "SHORT_DATE_FORMAT"),
        "time": date_format(starts, "TIME_FORMAT"),
    }
    if event.place:
        text += "\n" + _("Place: %(place)s") % {"place": script(event.place)}
    if event.online_url:
        text += "\n" + _("Online: %(link)s") % {"link": event.online_url}
    return text


def _calendar_line(event):
    # a notification carries no attachment: the event's public .ics instead
    url = notifications.absolute(reverse("events:ics", args=[event.pk]))
    return _("Add it to your calendar: %(url)s") % {"url": url}


def tell(users, event, subject, body, key, *, urgent=False):
    """Hand a notice about `event` to the notifications engine: evaluated in each recipient's
    language and script, linked to the event's page, once per person and `key`. Time-critical
    notices (a place from the waiting list, a cancelled event) are `urgent`: they are e-mailed at
    once also to people who chose the weekly digest."""
    return notifications.notify(
        users,
        EVENT_NOTICE,
        None,
        lambda _user: subject(),
        lambda _user: body(),
        event_path(event),
        dedupe_key=key,
        urgent=urgent,
    )


def _tell_registered(registration, event):
    waiting = registration.status == Status.WAITING

    def subject():
        if waiting:
            return _("On the waiting list: %(event)s") % {"event": script(event.title)}
        return _("You are registered: %(event)s") % {"event": script(event.title)}

    def body():
        if waiting:
            first = _(
                "The event is full: you are on the waiting list. If a place becomes free, it is "
                "yours and we tell you."
            )
        else:
            first = _("Your registration is confirmed.")
        return "\n\n".join((first, _when_and_where(event), _calendar_line(event)))

    tell(
        [registration.user],
        event,
        subject,
        body,
        f"event:{event.pk}:registration:{registration.pk}:{registration.status}",
    )


def _tell_promoted(registration, event):
    def subject():
        return _("A place is yours: %(event)s") % {"event": script(event.title)}

    def body():
        text = _(
            "A place became free at %(event)s and it is now yours: your registration is "
            "confirmed.\n\nIf you cannot come, please withdraw on the event's page so the next "
            "person on the waiting list gets the place:\n%(url)s"
        ) % {"event": script(event.title), "url": notifications.absolute(event_path(event))}
        return "\n\n".join((text, _when_and_where(event), _calendar_line(event)))

    tell(
        [registration.user],
        event,
        subject,
        body,
        f"event:{event.pk}:registration:{registration.pk}:promoted",
        urgent=True,
    )


def _tell_withdrawn(registration, event):
    def subject():
        return _("Registration cancelled: %(event)s") % {"event": script(event.title)}

    def body():
        return _(
            "Your registration for %(event)s was cancelled by the event's organisers. If you "
            "think this is a mistake, please contact them."
        ) % {"event": script(event.title)}

    tell(
        [registration.user],
        event,
        subject,
        body,
        f"event:{event.pk}:registration:{registration.pk}:cancelled",
    )


def tell_event_cancelled(event):
    """Everybody registered (confirmed or waiting) hears that the event is cancelled."""
    people = [
        r.user
        for r in event.registrations.exclude(status=Status.CANCELLED)
        .select_related("user")
        .order_by("pk")
    ]

    def subject():
        return _("Cancelled: %(event)s") % {"event": script(event.title)}

    def body():
        day = date_format(timezone.localtime(event.starts_at), "SHORT_DATE_FORMAT")
        return _("%(event)s, planned for %(day)s, is cancelled.") % {
            "event": script(event.title),
            "day": day,
        }

    return tell(people, event, subject, body, f"event:{event.pk}:cancelled", urgent=True)


# ---------------------------------------------------------------------------------- attendance


def set_attendance(event, present_ids):
    """The organiser's attendance list: exactly the confirmed registrations in `present_ids`
    attended. Returns how many are marked present."""
    present_ids = {int(pk) for pk in present_ids}
    now = timezone.now()
    count = 0
    with transaction.atomic():
        rows = event.registrations.select_for_update().filter(status=Status.CONFIRMED)
        for registration in rows:
            attended = registration.pk in present_ids
            count += attended
            if registration.attended == attended:
                continue
            registration.attended = attended
            registration.checked_in_at = now if attended else None
            registration.save(update_fields=["attended", "checked_in_at"])
    return count


def check_in(registration):
    """Mark one confirmed person present (the check-in at the door)."""
    if registration.status != Status.CONFIRMED:
        raise RegistrationError(_("Only a confirmed registration can be checked in."))
    if not registration.attended:
        registration.attended = True
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["attended", "checked_in_at"])
    return registration
