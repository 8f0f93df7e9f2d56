"""A round takes the profiles its organisation may see: public ones, and those shared with the
coordinators of an organisation the municipality belongs to — never another association's."""

import datetime

from mreza.assessment.models import Assessment, LearningProfile
from mreza.networks import services
from mreza.registry.models import Organisation


def _profile(world, caf, code, sharing):
    municipality = world.municipality(code, f"Mjesto {code}", latitude=44.5, longitude=17.5)
    assessment = Assessment.objects.create(
        municipality=municipality,
        framework=caf,
        method="classic",
        title="CAF",
        status="accepted",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    return LearningProfile.objects.create(
        assessment=assessment,
        municipality=municipality,
        sharing=sharing,
        needs={"6.1": 0.6},
        strengths={},
    )


def test_a_round_takes_only_the_profiles_its_organisation_may_see(grouping_world, caf):
    outsider_shared = _profile(grouping_world, caf, "OUT-1", "coordinators")
    outsider_public = _profile(grouping_world, caf, "OUT-2", "public")
    member_ids = {m.pk for m in grouping_world.others}

    taken = {
        p.municipality_id for p in services.eligible_profiles(caf, {}, grouping_world.association)
    }

    assert member_ids <= taken
    assert outsider_public.municipality_id in taken
    assert outsider_shared.municipality_id not in taken


def test_another_associations_round_sees_only_public_profiles(grouping_world, caf):
    other = Organisation.objects.create(code="T-OTHER", kind="association", name="Druga udruga")
    public = _profile(grouping_world, caf, "PUB-1", "public")

    taken = {p.municipality_id for p in services.eligible_profiles(caf, {}, other)}

    assert taken == {public.municipality_id}
