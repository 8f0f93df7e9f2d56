import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mreza.core.access import Perm, get_or_deny, may
from mreza.core.models import AuditEntry
from mreza.registry.models import Municipality

# (persona, permission on municipality A, expected)
MATRIX = [
    ("alice", Perm.VIEW, True), ("alice", Perm.VIEW_PEOPLE, True), ("alice", Perm.CHANGE, True),
    ("alice", Perm.MANAGE_PEOPLE, True), ("alice", Perm.VIEW_HISTORY, True),
    ("bob", Perm.VIEW, True), ("bob", Perm.VIEW_PEOPLE, True), ("bob", Perm.CHANGE, False),
    ("bob", Perm.MANAGE_PEOPLE, False), ("bob", Perm.VIEW_HISTORY, False),
    ("charlie", Perm.VIEW, True), ("charlie", Perm.VIEW_PEOPLE, False), ("charlie", Perm.CHANGE, False),
    ("charlie", Perm.MANAGE_PEOPLE, False), ("charlie", Perm.VIEW_HISTORY, False),
    ("dana", Perm.VIEW_PEOPLE, True), ("dana", Perm.CHANGE, False), ("dana", Perm.VIEW_HISTORY, False),
    ("admin", Perm.VIEW_PEOPLE, True), ("admin", Perm.CHANGE, True), ("admin", Perm.VIEW_HISTORY, True),
]


@pytest.mark.parametrize(("persona", "perm", "expected"), MATRIX)
def test_it_decides_municipality_permissions(world, persona, perm, expected):
    assert may(getattr(world, persona), perm, world.a) is expected


def test_it_gives_anonymous_only_public_facts(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert may(anonymous, Perm.VIEW, world.a)
    assert not may(anonymous, Perm.VIEW_PEOPLE, world.a)


def test_it_refuses_with_403_or_404(world):
    with pytest.raises(PermissionDenied):
        get_or_deny(world.charlie, Perm.VIEW_PEOPLE, Municipality.objects.all(), code="T-A")
    with pytest.raises(Http404):
        get_or_deny(world.alice, Perm.VIEW, Municipality.objects.all(), code="NOPE")
    assert get_or_deny(world.alice, Perm.CHANGE, Municipality.objects.all(), code="T-A") == world.a


def test_audit_entries_are_visible_only_to_admins_and_their_coordinator(world):
    entry = AuditEntry.objects.filter(municipality_id=world.b.pk).first()
    assert entry is not None
    assert not may(world.alice, Perm.VIEW, entry)
    assert may(world.admin, Perm.VIEW, entry)
    assert not may(world.charlie, Perm.VIEW, entry)  # charlie is staff, not B's coordinator
