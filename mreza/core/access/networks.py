"""Step 2: grouping rounds, networks, network places and partnerships."""

from typing import TYPE_CHECKING

from django.db.models import Q

from mreza.core.access.base import Perm, coordinated_organisation_ids, roles_of
from mreza.core.roles import (
    MANAGING_ROLES,
    OrganisationRoleName,
)
from mreza.networks.models import (
    GroupingRound,
    Network,
    NetworkMembership,
    Partnership,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from mreza.core.access.base import AnyUser, M


ROUND_PERMS = (Perm.VIEW, Perm.EDIT_ROUND, Perm.PUBLISH_ROUND)


def _round_rule(user, perm, round_):
    """Grouping rounds belong to the coordinating organisation; a municipality sees only its own
    part, through its invitations, never the round. Its coordinators (and administrators) edit and
    publish."""
    if perm not in ROUND_PERMS:
        return False
    roles = roles_of(user)
    return roles.is_admin or roles.in_organisation(
        round_.organisation_id, OrganisationRoleName.NETWORK_COORDINATOR
    )


def _network_rule(user, perm, network):
    """A network: its round's coordinators confirm it and invite more members (CONFIRM,
    INVITE_TO_NETWORK, CHANGE); the municipalities in it see it."""
    roles = roles_of(user)
    if roles.is_admin or roles.in_organisation(
        network.round.organisation_id, OrganisationRoleName.NETWORK_COORDINATOR
    ):
        return True
    if perm != Perm.VIEW:
        return False
    member_ids = getattr(network, "_member_ids", None)
    if member_ids is None:
        member_ids = network._member_ids = set(
            network.memberships.values_list("municipality_id", flat=True)
        )
    return any(roles.in_municipality(m) for m in member_ids)


def _membership_rule(user, perm, membership):
    """A network place: seen by its municipality; answered (ANSWER) by its coordinator or
    management."""
    roles = roles_of(user)
    if perm == Perm.VIEW:
        return roles.is_admin or roles.in_municipality(membership.municipality_id)
    if perm == Perm.ANSWER:
        return roles.in_municipality(membership.municipality_id, *MANAGING_ROLES)
    return False


def _partnership_rule(user, perm, partnership):
    """A mentoring pair: seen by both municipalities and the round's coordinators; each side
    answered by that municipality's coordinator or management; confirmed by the round's
    coordinators."""
    roles = roles_of(user)
    sides = (partnership.learner_id, partnership.mentor_id)
    coordinates = roles.is_admin or roles.in_organisation(
        partnership.round.organisation_id, OrganisationRoleName.NETWORK_COORDINATOR
    )
    if perm == Perm.VIEW:
        return coordinates or any(roles.in_municipality(m) for m in sides)
    if perm == Perm.ANSWER_AS_LEARNER:
        return roles.in_municipality(partnership.learner_id, *MANAGING_ROLES)
    if perm == Perm.ANSWER_AS_MENTOR:
        return roles.in_municipality(partnership.mentor_id, *MANAGING_ROLES)
    if perm == Perm.CONFIRM:
        return coordinates
    return False


def rounds_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(organisation_id__in=coordinated_organisation_ids(roles))


def organisations_coordinated_by(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """Organisations for which the user may open grouping rounds (administrators: any)."""
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(pk__in=coordinated_organisation_ids(roles))


def networks_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The networks a user may see (the rule of Perm.VIEW on a Network, as a queryset): those of
    rounds their organisation coordinates, and those their municipalities are in."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(
        Q(round__organisation_id__in=coordinated_organisation_ids(roles))
        | Q(
            pk__in=NetworkMembership.objects.filter(
                municipality_id__in=list(roles.municipal)
            ).values("network_id")
        )
    )


def network_places_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """A network's places (NetworkMembership) a user may see: their municipalities' own (the rule
    of Perm.VIEW on a NetworkMembership, as a queryset)."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(municipality_id__in=list(roles.municipal))


RULES = {
    GroupingRound: _round_rule,
    Network: _network_rule,
    NetworkMembership: _membership_rule,
    Partnership: _partnership_rule,
}
