import datetime

import pytest

from mreza.accounts.models import MunicipalRole, User


def make_assessors(world, count, prefix="eve"):
    """Extra assessors of municipality A (eve0, eve1, …)."""
    people = []
    for i in range(count):
        user = User.objects.create_user(
            f"{prefix}{i}@example.org", "test-password-123", full_name=f"{prefix} {i}"
        )
        MunicipalRole.objects.create(user=user, municipality=world.a, role="assessor")
        people.append(user)
    return people


@pytest.fixture
def assessment(world, caf):
    """A CAF assessment of A: alice administrator, bob assessor; mara is A's management."""
    from mreza.assessment import services

    world.mara = User.objects.create_user("mara@example.org", "test-password-123", full_name="Mara")
    MunicipalRole.objects.create(user=world.mara, municipality=world.a, role="management")
    a = services.start_assessment(
        municipality=world.a,
        framework=caf,
        method="classic",
        title="CAF 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        user=world.alice,
    )
    services.add_member(a, world.bob, "assessor")
    return a


def score_all(assessment, user, value=50, submit=True):
    from mreza.assessment import services
    from mreza.assessment.models import Subcriterion

    for sub in Subcriterion.objects.filter(framework=assessment.framework):
        services.save_entry(
            assessment, user, sub, {"score": value, "strengths": f"{user.full_name} strong"}
        )
    if submit:
        services.submit(assessment, user)


def agree_all(assessment, user, value=60):
    from mreza.assessment import services
    from mreza.assessment.models import Subcriterion

    for sub in Subcriterion.objects.filter(framework=assessment.framework):
        services.record_consensus(
            assessment, sub, {"score": value, "improvements": "Measure satisfaction"}, user, 0
        )
