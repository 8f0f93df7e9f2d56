import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mreza.core.access import Perm, get_or_deny, may
from mreza.core.models import AuditEntry
from mreza.registry.models import Municipality

# (persona, permission on municipality A, expected)
MATRIX = [
    ("alice", Perm.VIEW, True),
    ("alice", Perm.VIEW_PEOPLE, True),
    ("alice", Perm.CHANGE, True),
    ("alice", Perm.MANAGE_PEOPLE, True),
    ("alice", Perm.VIEW_HISTORY, True),
    ("bob", Perm.VIEW, True),
    ("bob", Perm.VIEW_PEOPLE, True),
    ("bob", Perm.CHANGE, False),
    ("bob", Perm.MANAGE_PEOPLE, False),
    ("bob", Perm.VIEW_HISTORY, False),
    ("charlie", Perm.VIEW, True),
    ("charlie", Perm.VIEW_PEOPLE, False),
    ("charlie", Perm.CHANGE, False),
    ("charlie", Perm.MANAGE_PEOPLE, False),
    ("charlie", Perm.VIEW_HISTORY, False),
    ("dana", Perm.VIEW_PEOPLE, True),
    ("dana", Perm.CHANGE, False),
    ("dana", Perm.VIEW_HISTORY, False),
    ("admin", Perm.VIEW_PEOPLE, True),
    ("admin", Perm.CHANGE, True),
    ("admin", Perm.VIEW_HISTORY, True),
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


@pytest.fixture
def shared_profile(world, caf):
    import datetime

    from mreza.assessment import services
    from mreza.assessment.models import LearningProfile

    assessment = services.start_assessment(
        municipality=world.a,
        framework=caf,
        method="classic",
        title="CAF",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        user=world.alice,
    )
    return LearningProfile.objects.create(
        assessment=assessment, municipality=world.a, sharing="coordinators"
    )


def test_profiles_shared_with_coordinators_reach_only_those_of_the_municipalitys_organisations(
    world, shared_profile
):
    from mreza.accounts.models import OrganisationRole
    from mreza.assessment.models import LearningProfile
    from mreza.core.access import profiles_visible_to
    from mreza.registry.models import Country, Organisation

    serbia = Country.objects.create(code="RS", name="Serbia")
    other = Organisation.objects.create(
        code="T-OTHER", kind="association", name="SKGO", country=serbia
    )
    olga = world.user("olga")
    OrganisationRole.objects.create(user=olga, organisation=other, role="network_coordinator")
    everything = LearningProfile.objects.all()

    assert may(world.dana, Perm.VIEW, shared_profile)  # A is a member of dana's association
    assert list(profiles_visible_to(world.dana, everything)) == [shared_profile]
    assert not may(olga, Perm.VIEW, shared_profile)  # a network coordinator of another association
    assert list(profiles_visible_to(olga, everything)) == []
    assert not may(world.charlie, Perm.VIEW, shared_profile)
    assert list(profiles_visible_to(world.charlie, everything)) == []

    shared_profile.sharing = "public"
    shared_profile.save(update_fields=["sharing"])
    assert may(olga, Perm.VIEW, shared_profile) and list(profiles_visible_to(olga, everything)) == [
        shared_profile
    ]


def test_the_sharing_page_says_who_sees_a_shared_profile(world, shared_profile, client):
    shared_profile.assessment.status = "accepted"  # the profile is made from an accepted assessment
    shared_profile.assessment.save(update_fields=["status"])
    client.force_login(world.alice)
    page = client.get(f"/assessments/{shared_profile.assessment_id}/profile/")
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        "only the network coordinators of the associations and organisations this municipality"
        in text
    )
    assert (
        "is a member of: Savez opština" in text
    )  # the association A belongs to, by name (reader's script)
