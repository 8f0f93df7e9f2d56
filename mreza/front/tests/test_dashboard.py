"""Issue 9: the dashboard lives in the front app and asks core.access its questions by name."""

import pytest

from mreza.accounts.models import MunicipalRole, OrganisationRole
from mreza.assessment.models import Assessment, GroupMember
from mreza.assessment.tests.conftest import assessment, score_all  # noqa: F401 (fixture)
from mreza.core import access
from mreza.core.roles import GroupRoleName, MunicipalRoleName, OrganisationRoleName


def _template_names(response):
    return [t.name for t in response.templates if t.name]


def test_home_and_dashboard_come_from_the_front_app(world, client):
    assert "front/home.html" in _template_names(client.get("/"))
    client.force_login(world.alice)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "front/dashboard.html" in _template_names(response)
    assert response.resolver_match.func.__module__ == "mreza.front.views"


@pytest.mark.parametrize(
    ("persona", "coordinates_a", "accepts_for_a", "follows_changes"),
    [
        ("alice", True, False, True),  # coordinator of A
        ("bob", False, False, False),  # assessor in A
        ("charlie", False, False, False),  # staff of B
        ("dana", False, False, False),  # network coordinator of A's association
        ("mara", False, True, False),  # A's management
        ("admin", False, False, True),
    ],
)
def test_the_dashboard_questions_per_persona(
    world,
    assessment,  # noqa: F811
    persona,
    coordinates_a,
    accepts_for_a,
    follows_changes,
):
    user = getattr(world, persona)
    assert (world.a.pk in access.coordinated_municipalities(user)) is coordinates_a
    assert (world.a.pk in access.municipalities_to_accept_for(user)) is accepts_for_a
    assert access.may_follow_changes(user) is follows_changes


def test_assessments_led_by_the_leaders_coordinator_and_management_not_an_assessor(
    world,
    assessment,  # noqa: F811
):
    everything = Assessment.objects.all()
    for user in (world.alice, world.mara):  # group administrator and coordinator; management
        assert list(access.assessments_led_by(user, everything)) == [assessment]
    assert not access.assessments_led_by(world.bob, everything).exists()  # an assessor
    assert not access.assessments_led_by(world.charlie, everything).exists()
    GroupMember.objects.filter(assessment=assessment, user=world.bob).update(
        role=GroupRoleName.LEADER
    )
    assert list(access.assessments_led_by(world.bob, everything)) == [assessment]


def test_a_closed_assessment_waits_for_management_on_the_dashboard(
    world,
    assessment,  # noqa: F811
    client,
):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.CLOSED)
    client.force_login(world.mara)
    assert list(client.get("/dashboard/").context["to_accept"]) == [assessment]
    client.force_login(world.alice)  # the coordinator does not accept
    assert list(client.get("/dashboard/").context["to_accept"]) == []


def test_one_vocabulary_of_role_names_with_the_stored_values_unchanged():
    assert MunicipalRole.Role is MunicipalRoleName
    assert OrganisationRole.Role is OrganisationRoleName
    assert GroupMember.Role is GroupRoleName
    assert MunicipalRole._meta.get_field("role").choices == MunicipalRoleName.choices
    assert [c.value for c in MunicipalRoleName] == [
        "coordinator",
        "assessor",
        "ort_member",
        "training_contact",
        "staff",
        "management",
    ]
    assert [c.value for c in OrganisationRoleName] == [
        "network_coordinator",
        "training_commission",
        "expert",
        "platform_admin",
    ]
    assert [c.value for c in GroupRoleName] == ["leader", "administrator", "assessor"]


def test_the_municipality_page_shows_its_assessments_through_the_section_hook(
    world,
    assessment,  # noqa: F811
    client,
):
    """The registry page lists the assessments without importing the assessment app."""
    client.force_login(world.alice)
    response = client.get(f"/municipalities/{world.a.code}/")
    assert list(response.context["assessments"]) == [assessment]
    assert assessment.title in response.content.decode()
    client.force_login(world.charlie)  # another municipality's staff
    assert list(client.get(f"/municipalities/{world.a.code}/").context["assessments"]) == []
    client.logout()
    assert client.get(f"/municipalities/{world.a.code}/").context["assessments"] == []


def test_the_organisation_page_and_invitations_moved_to_the_registry(world, client):
    client.force_login(world.dana)
    response = client.get(f"/organisations/{world.association.code}/")
    assert response.status_code == 200
    assert "registry/organisation.html" in _template_names(response)
    assert response.resolver_match.view_name == "organisations:detail"
    client.force_login(world.alice)
    response = client.get(f"/municipalities/{world.a.code}/people/invite/")
    assert response.status_code == 200
    assert response.resolver_match.view_name == "registry:invite"
