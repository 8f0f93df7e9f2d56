"""The rules by object type, and the three ways views ask: may, get_or_deny, require."""

import functools
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from mreza.core.access import (
    api,
    assessment,
    audit,
    evaluation,
    events,
    networks,
    practices,
    progress,
    registry,
    surveys,
)
from mreza.core.access.base import Perm, roles_of
from mreza.core.access.networks import organisations_coordinated_by
from mreza.core.roles import (
    MunicipalRoleName,
)
from mreza.registry.models import Organisation

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from mreza.core.access.base import AnyUser, M


def _platform_rule(user, perm, _obj):
    """Permissions on the platform as a whole (`may(user, perm)` without an object)."""
    roles = roles_of(user)
    if perm == Perm.ADMINISTER:
        return roles.is_admin
    if perm == Perm.CREATE_EVENT:
        return events.platform_rule(user, perm)
    if perm in (Perm.CREATE_ROUND, Perm.CREATE_NETWORK):
        # the round list and "new round", and a network made by hand: for whoever may open a
        # round for some organisation
        return organisations_coordinated_by(
            user, Organisation.objects.exclude(kind="platform")
        ).exists()
    return False


@functools.cache
def _rules():
    return {
        **registry.RULES,
        **assessment.RULES,
        **networks.RULES,
        **progress.RULES,
        **surveys.RULES,
        **evaluation.RULES,
        **practices.RULES,
        **events.RULES,
        **api.RULES,
        **audit.RULES,
        type(None): _platform_rule,
    }


def may(user: "AnyUser", perm: Perm | str, obj: object = None) -> bool:
    """Whether `user` may do `perm` on `obj` (on the platform as a whole when `obj` is None)."""
    rule = _rules().get(type(obj))
    if rule is None:
        # Private by default: an object type without a rule is visible to administrators only.
        return roles_of(user).is_admin
    return rule(user, Perm(perm), obj)


def get_or_deny(user: "AnyUser", perm: Perm, queryset: "QuerySet[M]", **lookup: Any) -> "M":
    """The object, or 404 if the user may not even see it, or 403 if they may see but not do
    `perm`."""
    obj = get_object_or_404(queryset, **lookup)
    if not may(user, Perm.VIEW, obj):
        raise Http404
    if perm != Perm.VIEW and not may(user, perm, obj):
        raise PermissionDenied
    return obj


def require(user: "AnyUser", perm: Perm, obj: object = None) -> None:
    """403 unless `user` may do `perm` on `obj` (already in hand, or the platform when None). Views
    use `get_or_deny` when they look an object up, `require` for a further decision, `may` for a
    flag."""
    if not may(user, perm, obj):
        raise PermissionDenied


def coordinated_municipalities(user: "AnyUser") -> list[int]:
    """Municipalities whose coordinator the user is: their invitations, people and history."""
    return [m for m, r in roles_of(user).municipal.items() if MunicipalRoleName.COORDINATOR in r]


def municipalities_to_accept_for(user: "AnyUser") -> list[int]:
    """Municipalities whose closed self-assessments the user accepts (their management)."""
    return [m for m, r in roles_of(user).municipal.items() if MunicipalRoleName.MANAGEMENT in r]


def may_follow_changes(user: "AnyUser") -> bool:
    """Whether the dashboard shows the recent changes: coordinators (their municipalities) and
    administrators (audit_entries_visible_to narrows the list)."""
    roles = roles_of(user)
    return roles.is_admin or bool(coordinated_municipalities(user))
