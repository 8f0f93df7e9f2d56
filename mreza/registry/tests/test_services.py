"""Registry state changes go through registry/services.py (the edit view only calls them)."""

import pytest

from mreza.core.models import AuditEntry
from mreza.core.versioning import EditConflict
from mreza.registry import services
from mreza.registry.models import Municipality


def test_update_profile_saves_the_texts_under_optimistic_locking(world):
    first = Municipality.objects.get(pk=world.a.pk)
    stale = Municipality.objects.get(pk=world.a.pk)
    values = {"website": "https://a.example.org", "description": "Welcome", "population": 1}
    services.update_profile(first, values, first.version)
    with pytest.raises(EditConflict):
        services.update_profile(
            stale, {"website": "", "description": "From the old window"}, stale.version
        )
    fresh = Municipality.objects.get(pk=world.a.pk)
    assert (fresh.website, fresh.description) == ("https://a.example.org", "Welcome")
    assert fresh.version == stale.version + 1
    assert fresh.population == world.a.population  # only the profile texts are taken
    entry = AuditEntry.objects.filter(object_id=str(world.a.pk), action="update").latest("id")
    assert set(entry.changes) >= {"website", "description"}
