"""Step 5: events — workshops, study visits, exchange meetings and the annual conference.

An event is run (MANAGE_EVENT: programme, registrations, attendance, certificates) by the network
coordinators of its organiser organisation, the coordinator of its host municipality, and
administrators. A draft is seen only by them; a published (or cancelled) event is public, without
an account. Any signed-in user registers while registration is open. A registration and its
certificate are seen by the person registered and by whoever runs the event.
"""

from typing import TYPE_CHECKING

from django.db.models import Q

from mreza.core.access.base import Perm, coordinated_organisation_ids, roles_of
from mreza.core.roles import MunicipalRoleName, OrganisationRoleName
from mreza.events.models import AttendanceCertificate, Event, Registration, Session, Speaker

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from mreza.core.access.base import AnyUser, M

# the Perms decided on an organisation (registry.py hands them here) or on the platform (policy.py)
ORGANISATION_PERMS = frozenset({Perm.CREATE_EVENT})


def organisation_rule(user, perm, organisation):
    """Who may create an event for an organisation: its network coordinators, administrators."""
    if perm != Perm.CREATE_EVENT:
        return False
    roles = roles_of(user)
    return roles.is_admin or roles.in_organisation(
        organisation.pk, OrganisationRoleName.NETWORK_COORDINATOR
    )


def platform_rule(user, perm):
    """Who may create an event at all (the "new event" page without an organisation chosen):
    whoever may create one for some organisation."""
    if perm != Perm.CREATE_EVENT:
        return False
    roles = roles_of(user)
    return roles.is_admin or bool(coordinated_organisation_ids(roles))


def _hosts_coordinated(roles):
    return [m for m, r in roles.municipal.items() if MunicipalRoleName.COORDINATOR in r]


def runs_event(user, event) -> bool:
    roles = roles_of(user)
    if roles.is_admin:
        return True
    if event.organiser_id is not None and roles.in_organisation(
        event.organiser_id, OrganisationRoleName.NETWORK_COORDINATOR
    ):
        return True
    return event.host_id is not None and roles.in_municipality(
        event.host_id, MunicipalRoleName.COORDINATOR
    )


def _event_rule(user, perm, event):
    if perm == Perm.VIEW:
        return event.status != Event.Status.DRAFT or runs_event(user, event)
    if perm == Perm.MANAGE_EVENT:
        return runs_event(user, event)
    if perm == Perm.REGISTER_FOR_EVENT:
        return user.is_authenticated and event.registration_is_open()
    return False


def _programme_rule(user, perm, obj):
    event = obj.event if isinstance(obj, Session) else obj.session.event
    if perm in (Perm.VIEW, Perm.MANAGE_EVENT):
        return _event_rule(user, perm, event)
    return False


def _registration_rule(user, perm, registration):
    """Seen by the person and by whoever runs the event; CHANGE (withdraw) by the person while
    the event has not ended, and by whoever runs it."""
    event = registration.event
    own = user.is_authenticated and registration.user_id == user.pk
    if perm == Perm.VIEW:
        return own or runs_event(user, event)
    if perm == Perm.MANAGE_EVENT:
        return runs_event(user, event)
    if perm == Perm.CHANGE:
        if registration.status == Registration.Status.CANCELLED:
            return False
        return (own and event.status == Event.Status.PUBLISHED) or runs_event(user, event)
    return False


def _certificate_rule(user, perm, certificate):
    if perm in (Perm.VIEW, Perm.MANAGE_EVENT):
        return _registration_rule(user, perm, certificate.registration)
    return False


def events_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The events whose pages the user may open (the rule of Perm.VIEW, as a queryset)."""
    visible = ~Q(status=Event.Status.DRAFT)
    if user.is_authenticated:
        roles = roles_of(user)
        if roles.is_admin:
            return queryset
        visible |= Q(organiser_id__in=coordinated_organisation_ids(roles)) | Q(
            host_id__in=_hosts_coordinated(roles)
        )
    return queryset.filter(visible)


def events_run_by(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The events the user runs (MANAGE_EVENT), drafts included."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(
        Q(organiser_id__in=coordinated_organisation_ids(roles))
        | Q(host_id__in=_hosts_coordinated(roles))
    )


def organisations_for_events(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The organisations the user may create events for."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(pk__in=coordinated_organisation_ids(roles))


RULES = {
    Event: _event_rule,
    Session: _programme_rule,
    Speaker: _programme_rule,
    Registration: _registration_rule,
    AttendanceCertificate: _certificate_rule,
}
