"""Registration with a capacity and a waiting list, withdrawal with promotion, attendance.

Every change that counts places locks the event row first (`select_for_update(of=("self",))`):
two people taking the last place at the same moment are served one after the other, so the
event never holds more confirmed people than places. A person has one live registration per
event (a database constraint), so a double click cannot register twice. When a confirmed person
withdraws, the first person on the waiting list (registered earliest) takes the place and is told
by e-mail, in their language, once the change is committed.
"""

import functools
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mreza.core.templatetags.mreza import script
from mreza.events.models import Event, Registration

log = logging.getLogger(__name__)
Status = Registration.Status


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
            return Registration.objects.create(
                event=locked,
                user=user,
                affiliation=affiliation,
                status=Status.WAITING if full else Status.CONFIRMED,
            )
    except IntegrityError as error:
        # the one-live-registration constraint: the same person's second request at once
        raise RegistrationError(_("You are registered for this event already.")) from error


def withdraw(registration):
    """Cancel a registration; a freed place goes to the first person waiting (returned, or None)."""
    with transaction.atomic():
        locked_event = _lock(registration.event)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == Status.CANCELLED:
            return None
        freed = locked.status == Status.CONFIRMED
        locked.status = Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        promoted = _fill_places(locked_event) if freed else []
    return promoted[0] if promoted else None


def _fill_places(event):
    """Promote waiting people into free places (the event row is locked by the caller)."""
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
        return _fill_places(locked)


def waiting_position(registration):
    if registration.status != Status.WAITING:
        return None
    return (
        registration.event.registrations.filter(
            status=Status.WAITING, created_at__lt=registration.created_at
        ).count()
        + 1
    )


def _tell_promoted(registration, event):
    user = registration.user
    if not user.email or not user.is_active:
        return
    url = settings.SITE_URL.rstrip("/") + reverse("events:detail", args=[event.pk])
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title = script(event.title)
        subject = _("A place is yours: %(event)s") % {"event": title}
        body = _(
            "A place became free at %(event)s and it is now yours: your registration is "
            "confirmed.\n\nIf you cannot come, please withdraw on the event's page so the next "
            "person on the waiting list gets the place:\n%(url)s"
        ) % {"event": title, "url": url}
    try:
        EmailMessage(subject[:300], body, to=[user.email]).send()
    except OSError:
        # the place is theirs either way; the page shows it
        log.exception("could not e-mail the promotion of registration %s", registration.pk)


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
