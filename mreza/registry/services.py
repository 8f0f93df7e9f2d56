"""State changes of the registry that views make (docs/ARCHITECTURE.md: views call services, the
services save). Imports have their own module (`importing.py`: check everything, then write)."""

from collections.abc import Mapping
from typing import Any

from mreza.core.versioning import save_versioned
from mreza.registry.models import Municipality

#: What a municipality's coordinator keeps up to date on its page; the rest comes from imports.
PROFILE_FIELDS = ("website", "description")


def update_profile(
    municipality: Municipality, values: Mapping[str, Any], expected_version: int
) -> Municipality:
    """Save the profile texts if nobody saved the municipality since `expected_version` was read;
    otherwise `core.versioning.EditConflict` and nothing is saved."""
    for field in PROFILE_FIELDS:
        setattr(municipality, field, values[field])
    save_versioned(municipality, list(PROFILE_FIELDS), expected_version)
    return municipality
