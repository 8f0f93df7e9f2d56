"""The API: a user's own access tokens, and the querysets the private API lists that no page
lists the same way (networks and network places a user may see)."""

from typing import TYPE_CHECKING

from django.db.models import Q

from mreza.api.models import ApiToken
from mreza.core.access.base import Perm, coordinated_organisation_ids, roles_of
from mreza.networks.models import NetworkMembership

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from mreza.core.access.base import AnyUser, M


def _token_rule(user, perm, token):
    """A token is its owner's alone: only they see it in their list and revoke it. Administrators
    neither (they see its creation and revocation in the audit log, never its secret, which is
    stored only as a hash anyway)."""
    if perm not in (Perm.VIEW, Perm.MANAGE_TOKENS):
        return False
    return bool(user.is_authenticated and token.user_id == user.pk)


def tokens_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The tokens a user may see and revoke: their own (the rule above, as a queryset)."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(user_id=user.pk)


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


RULES = {ApiToken: _token_rule}
