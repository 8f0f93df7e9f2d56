"""Step 3 fixtures on top of the root personas (conftest.py).

`ws`: a round of dana's association with a confirmed network of A (host, alice and bob), C and D
(each with a coordinator) — its workspace is `ws.workspace`; charlie's B is not in it. Also a
twinning of A with Kranj abroad (`ws.twinning`), run by alice.
"""

import pytest

from mreza.accounts.models import MunicipalRole, User
from mreza.networks.models import GroupingRound, Network, NetworkMembership, Participant, Response
from mreza.networks.services import confirm
from mreza.progress.models import Workspace, WorkspaceMember


@pytest.fixture
def ws(world, caf):
    world.c = world.municipality("T-C", "Градишка", latitude=45.14, longitude=17.25)
    world.d = world.municipality("T-D", "Laktaši", latitude=44.9, longitude=17.3)
    world.cora = User.objects.create_user("cora@example.org", "test-password-123", full_name="Cora")
    MunicipalRole.objects.create(user=world.cora, municipality=world.c, role="coordinator")
    world.dino = User.objects.create_user("dino@example.org", "test-password-123", full_name="Dino")
    MunicipalRole.objects.create(user=world.dino, municipality=world.d, role="staff")
    world.round = GroupingRound.objects.create(
        organisation=world.association,
        framework=caf,
        title="Networks 2026",
        areas=["3.1"],
        params={"min_size": 2, "max_size": 8, "max_networks_per_municipality": 1},
        status=GroupingRound.Status.PUBLISHED,
        proposal={"networks": [], "partnerships": []},
        created_by=world.dana,
    )
    world.network = Network.objects.create(
        round=world.round, area="3.1", host=world.a, title="Human resources"
    )
    for m in (world.a, world.c, world.d):
        Participant.objects.create(round=world.round, municipality=m, latitude=44.7, longitude=17.2)
        NetworkMembership.objects.create(
            network=world.network, municipality=m, status=Response.ACCEPTED
        )
    confirm(world.network, world.dana)
    world.workspace = Workspace.objects.get(network=world.network)
    world.member_a, world.member_c, world.member_d = (
        world.workspace.members.get(municipality=m) for m in (world.a, world.c, world.d)
    )
    world.twinning = Workspace.objects.create(
        kind=Workspace.Kind.TWINNING, title="Banja Luka – Kranj", coordinator=world.alice
    )
    world.twin_a = WorkspaceMember.objects.create(
        workspace=world.twinning, municipality=world.a, role="partner"
    )
    world.twin_abroad = WorkspaceMember.objects.create(
        workspace=world.twinning, foreign_name="Kranj", foreign_country="Slovenia", role="partner"
    )
    return world
