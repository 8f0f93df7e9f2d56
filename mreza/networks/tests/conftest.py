import datetime

import pytest

from mreza.accounts.models import MunicipalRole, User
from mreza.assessment.models import Assessment, LearningProfile
from mreza.registry.models import Membership

# Ten municipalities around Banja Luka and Tuzla that all want to learn in 6.1; some are strong
# in 3.2.
PLACES = [
    ("N-1", 44.77, 17.19),
    ("N-2", 44.90, 17.30),
    ("N-3", 44.60, 17.10),
    ("N-4", 44.95, 17.05),
    ("N-5", 44.70, 17.40),
    ("N-6", 44.54, 18.67),
    ("N-7", 44.60, 18.80),
    ("N-8", 44.45, 18.55),
    ("N-9", 44.70, 18.70),
    ("N-10", 44.50, 18.90),
]


@pytest.fixture
def grouping_world(world, caf):
    """Alice's municipality A plus ten others, all with shared CAF profiles, all members of dana's
    association."""
    municipalities = [world.a] + [
        world.municipality(code, f"Mjesto {code}", latitude=lat, longitude=lon)
        for code, lat, lon in PLACES
    ]
    for index, m in enumerate(municipalities):
        assessment = Assessment.objects.create(
            municipality=m,
            framework=caf,
            method="classic",
            title="CAF 2024",
            status="accepted",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 12, 31),
        )
        strengths = {"3.2": 0.9} if index % 3 == 0 else {}
        needs = {"6.1": 0.5 + index / 40, "3.2": 0.6} if index % 3 else {"6.1": 0.5 + index / 40}
        LearningProfile.objects.create(
            assessment=assessment,
            municipality=m,
            sharing="coordinators",
            needs=needs,
            strengths=strengths,
        )
        if m != world.a:
            Membership.objects.create(municipality=m, organisation=world.association)
    world.others = municipalities[1:]
    world.coordinator_n1 = User.objects.create_user(
        "nada@example.org", "test-password-123", full_name="Nada"
    )
    MunicipalRole.objects.create(
        user=world.coordinator_n1, municipality=world.others[0], role="coordinator"
    )
    return world
