"""The round page and "my networks" run a number of queries that does not grow with the round:
more participants, networks, members and partnerships cost no extra query (issue 9, item 6)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.assessment.models import Assessment, LearningProfile
from mreza.networks.models import GroupingRound, Network, NetworkMembership, Partnership
from mreza.networks.tests.test_rounds import new_round
from mreza.networks.tests.test_workflow import publish
from mreza.registry.models import Membership


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _add_participants(world, caf, n, prefix):
    """n more municipalities of dana's association with shared CAF profiles, near Tuzla."""
    for i in range(n):
        m = world.municipality(
            f"{prefix}-{i}", f"Mjesto {prefix}{i}", latitude=44.4 + i / 50, longitude=18.5 + i / 50
        )
        assessment = Assessment.objects.create(
            municipality=m,
            framework=caf,
            method="classic",
            title="CAF 2024",
            status="accepted",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 12, 31),
        )
        LearningProfile.objects.create(
            assessment=assessment,
            municipality=m,
            sharing="coordinators",
            needs={"6.1": 0.6 + i / 100, "3.2": 0.6},
            strengths={"3.2": 0.9} if i % 3 == 0 else {},
        )
        Membership.objects.create(municipality=m, organisation=world.association)


def _round_page_queries(client, world, title):
    """Queries of the round page as proposed and as published, and the round's size."""
    round_ = new_round(client, world, title=title)
    assert round_.status == "proposed", round_.error
    url = f"/networks/rounds/{round_.pk}/"
    proposed = _queries(client, url)
    round_.refresh_from_db()
    publish(client, round_)
    round_.refresh_from_db()
    assert round_.status == "published"
    published = _queries(client, url)
    size = (
        round_.participants.count(),
        Network.objects.filter(round=round_).count(),
        NetworkMembership.objects.filter(network__round=round_).count(),
    )
    return (proposed, published), size


def test_round_page_runs_constant_queries_as_the_round_grows(grouping_world, caf, client):
    grouping_world.caf_pk = caf.pk
    small, small_size = _round_page_queries(client, grouping_world, "Small round")
    _add_participants(grouping_world, caf, 14, "Q")
    large, large_size = _round_page_queries(client, grouping_world, "Large round")
    # the larger round really is larger: more participants, networks and members
    assert all(big > few for big, few in zip(large_size, small_size, strict=True)), (
        small_size,
        large_size,
    )
    assert large == small


def _invite_a(world, caf, rounds, other):
    """`rounds` published rounds, each inviting municipality A to a network and two partnerships."""
    for i in range(rounds):
        round_ = GroupingRound.objects.create(
            organisation=world.association,
            framework=caf,
            title=f"Round {i}",
            status=GroupingRound.Status.PUBLISHED,
        )
        network = Network.objects.create(round=round_, area="6.1", host=other, title=f"Network {i}")
        NetworkMembership.objects.create(network=network, municipality=world.a, distance_km=12)
        NetworkMembership.objects.create(network=network, municipality=other)
        Partnership.objects.create(round=round_, area="3.2", learner=world.a, mentor=other)
        Partnership.objects.create(round=round_, area="6.1", learner=other, mentor=world.a)


def test_my_networks_runs_constant_queries_as_invitations_grow(world, caf, client):
    client.force_login(world.alice)  # A's coordinator answers every invitation of A
    other = world.municipality("Q-M", "Mentor")
    _invite_a(world, caf, 2, other)
    _queries(client, "/networks/mine/")  # the first page keeps "no TOTP" in the session
    small = _queries(client, "/networks/mine/")
    _invite_a(world, caf, 10, other)
    body = client.get("/networks/mine/").content.decode()
    assert body.count("/networks/answer/network/") == 12
    assert body.count('name="side"') == 24
    assert _queries(client, "/networks/mine/") == small


def test_network_page_runs_constant_queries_as_members_grow(world, caf, client):
    client.force_login(world.dana)  # the coordinating association's network coordinator
    round_ = GroupingRound.objects.create(
        organisation=world.association,
        framework=caf,
        title="Round",
        status=GroupingRound.Status.PUBLISHED,
    )
    network = Network.objects.create(round=round_, area="6.1", host=world.a, title="Network")
    url = f"/networks/{network.pk}/"

    def grow(n, prefix):
        for i in range(n):
            m = world.municipality(f"{prefix}-{i}", f"Mjesto {prefix}{i}")
            NetworkMembership.objects.create(network=network, municipality=m)

    grow(2, "S")
    _queries(client, url)  # the first page keeps "no TOTP" in the session
    small = _queries(client, url)
    grow(10, "L")
    assert client.get(url).content.decode().count("Mjesto ") == 12
    assert _queries(client, url) == small
