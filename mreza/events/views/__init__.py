"""The events' pages, one module per part: `events` (the list, an event, creating and editing,
publishing, the calendar files, the showcase), `programme` (sessions and speakers),
`registrations` (registering, the waiting list, "my registrations", attendance) and
`certificates` (attendance certificates and their verification)."""

from django.db.models import Count, Q

from mreza.core.access import Perm, get_or_deny
from mreza.core.access.events import events_visible_to
from mreza.events.models import Event, Registration

EVENTS = Event.objects.select_related("organiser", "host")


def with_counts(queryset):
    """Each event with its numbers of confirmed and waiting people (one query for a list)."""
    return queryset.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waiting=Count("registrations", filter=Q(registrations__status="waiting")),
    )


def event_for(request, pk, perm=Perm.VIEW):
    """The event, 404 for who may not see it, 403 for who may see it but not do `perm`."""
    return get_or_deny(request.user, perm, events_visible_to(request.user, EVENTS), pk=pk)


def registration_for(request, pk, registration, perm):
    registrations = Registration.objects.select_related("event__organiser", "event__host", "user")
    return get_or_deny(request.user, perm, registrations, pk=registration, event_id=pk)
