"""Step 5: events — workshops, study visits, exchange meetings and the annual conference."""

from mreza.core.access.base import Perm

# the Perms decided on an organisation (registry.py hands them here) or on the platform (policy.py)
ORGANISATION_PERMS = frozenset({Perm.CREATE_EVENT})


def organisation_rule(user, perm, organisation):
    """Who may create an event for an organisation."""
    return False


def platform_rule(user, perm):
    """Who may create an event at all (the "new event" page without an organisation chosen)."""
    return False


RULES: dict = {}
