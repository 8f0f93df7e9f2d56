"""Step 5: good practices — drafts, review, validation, the public library, transfer offers."""

from mreza.core.access.base import Perm

# the Perms decided on a municipality (registry.py hands them here)
MUNICIPALITY_PERMS = frozenset({Perm.SUBMIT_PRACTICE})


def municipality_rule(user, perm, municipality):
    """Who may start a practice for a municipality."""
    return False


RULES: dict = {}
