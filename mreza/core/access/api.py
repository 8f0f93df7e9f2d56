"""The API: a user's own access tokens. (The networks and network places the private API lists
live with the other step-2 rules in `networks.py`.)"""

from typing import TYPE_CHECKING

from mreza.api.models import ApiToken
from mreza.core.access.base import Perm

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


RULES = {ApiToken: _token_rule}
