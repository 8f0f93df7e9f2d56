"""Step 5: good practices — drafts, review, validation, the public library, transfer offers."""

from typing import TYPE_CHECKING

from mreza.core.access.base import Perm
from mreza.practices.models import Practice

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from mreza.core.access.base import AnyUser, M

# the Perms decided on a municipality (registry.py hands them here)
MUNICIPALITY_PERMS = frozenset({Perm.SUBMIT_PRACTICE})


def municipality_rule(user, perm, municipality):
    """Who may start a practice for a municipality."""
    return False


def published_practices(queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The practices of the public library: validated and published, for everybody."""
    return queryset.filter(status=Practice.Status.PUBLISHED)


def practices_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The practices whose page the user may open (the rule of Perm.VIEW, as a queryset)."""
    return published_practices(queryset)


RULES: dict = {}
