"""One verification page for every kind of signed certificate (/verify/<code>/).

Apps that issue certificates register a lookup in their `AppConfig.ready()`:
`register(lookup)`, where `lookup(code)` returns `(template, context)` for a code it knows (genuine,
revoked or failing its signature check: its own page says which) or None for a code it never
issued. The page (evaluation/views/recognition.py) asks `find(code)`: the first lookup that knows
the code answers; none knowing it is "no such certificate". Lookups are asked in the order they
were registered (the order of INSTALLED_APPS).
"""

from collections.abc import Callable
from typing import Any

Found = tuple[str, dict[str, Any]]
Lookup = Callable[[str], Found | None]

_lookups: list[Lookup] = []


def register(lookup: Lookup) -> None:
    """Add a lookup (once: registering it again changes nothing)."""
    if lookup not in _lookups:
        _lookups.append(lookup)


def lookups() -> tuple[Lookup, ...]:
    return tuple(_lookups)


def find(code: str) -> Found | None:
    """What the first lookup that knows `code` shows, or None."""
    for lookup in _lookups:
        found = lookup(code)
        if found is not None:
            return found
    return None
