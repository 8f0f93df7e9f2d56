import pytest
from django.core import mail
from django.core.management import call_command

from mreza import grouping
from mreza.accounts.models import MunicipalRole
from mreza.networks import services
from mreza.networks.models import GroupingRound, NetworkMembership, Partnership


def new_round(client, world, **extra):
    client.force_login(world.dana)
    data = {
        "organisation": world.association.pk,
        "title": "Networks 2025",
        "framework": world.caf_pk,
        "areas": ["6.1", "3.2"],
        "min_size": 4,
        "max_size": 8,
        "distance_weight": "0.1",
        "max_networks_per_municipality": 1,
        "max_mentees_per_mentor": 2,
        **extra,
    }
    response = client.post("/networks/rounds/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return GroupingRound.objects.latest("id")


@pytest.fixture
def proposed(grouping_world, caf, client):
    grouping_world.caf_pk = caf.pk
    return new_round(client, grouping_world)


def test_round_runs_and_explains(grouping_world, proposed, client):
    assert proposed.status == "proposed", proposed.error
    assert proposed.participants.count() == 11
    body = client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    assert "Network 1" in body and "Best alternative it did not get" in body and "<svg" in body
    data = services.engine_input(*services.people_of(proposed)[:1], proposed.params)
    assert grouping.check_feasibility(data, proposed.result) == []
    _people, _names, evaluation, _alt, _left = services.evaluation_of(proposed)
    assert evaluation["problems"] == []
    assert (
        abs(evaluation["objective"]["networks"] - proposed.result["objective"]["networks"]) < 1e-6
    )


def test_small_input_error_is_explained(grouping_world, caf, client):
    grouping_world.caf_pk = caf.pk
    client.force_login(grouping_world.dana)
    response = client.post(
        "/networks/rounds/new/",
        {
            "organisation": grouping_world.association.pk,
            "title": "Kept",
            "framework": caf.pk,
            "areas": ["6.1"],
            "min_size": 9,
            "max_size": 3,
            "distance_weight": "0.1",
            "max_networks_per_municipality": 1,
            "max_mentees_per_mentor": 2,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Kept" in body and "must not be below" in body


def test_moving_a_member_recomputes_and_shows_broken_constraints(grouping_world, proposed, client):
    networks = proposed.proposal["networks"]
    assert len(networks) == 2
    member = networks[0]["members"][0]
    client.post(
        f"/networks/rounds/{proposed.pk}/edit/",
        {
            "action": "move",
            "network": 0,
            "member": member,
            "target": 1,
            "version": proposed.version,
        },
    )
    proposed.refresh_from_db()
    assert member in proposed.proposal["networks"][1]["members"]
    body = client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    if len(proposed.proposal["networks"][0]["members"]) < 4:
        assert "Broken constraints" in body
    # a stale page cannot overwrite
    response = client.post(
        f"/networks/rounds/{proposed.pk}/edit/",
        {"action": "remove", "network": 1, "member": member, "version": proposed.version - 1},
        follow=True,
    )
    assert "Someone else changed this proposal" in response.content.decode()


def test_lock_and_rerun_keep_the_locked_network(grouping_world, proposed, client):
    locked_members = list(proposed.proposal["networks"][0]["members"])
    client.post(
        f"/networks/rounds/{proposed.pk}/edit/",
        {"action": "lock", "network": 0, "version": proposed.version},
    )
    proposed.refresh_from_db()
    client.post(
        f"/networks/rounds/{proposed.pk}/edit/", {"action": "rerun", "version": proposed.version}
    )
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    kept = [n for n in proposed.proposal["networks"] if n.get("locked")]
    assert kept and kept[0]["members"] == locked_members
    others = {m for n in proposed.proposal["networks"] if not n.get("locked") for m in n["members"]}
    assert not others & set(locked_members)


def test_publish_invite_accept_decline(grouping_world, proposed, client):
    w = grouping_world
    client.post(
        f"/networks/rounds/{proposed.pk}/edit/",
        {"action": "publish", "version": proposed.version, "without_coordinator_ok": "1"},
    )
    proposed.refresh_from_db()
    assert proposed.status == "published"
    assert NetworkMembership.objects.count() == sum(
        len(n["members"]) for n in proposed.proposal["networks"]
    )
    assert {m.to[0] for m in mail.outbox} >= {"alice@example.org", "nada@example.org"}
    mine = NetworkMembership.objects.get(municipality=w.a)
    client.force_login(w.alice)
    assert "Network invitations" in client.get("/networks/mine/").content.decode()
    response = client.post(
        f"/networks/answer/network/{mine.pk}/", {"answer": "decline", "reason": ""}, follow=True
    )
    assert "say why you decline" in response.content.decode()
    client.post(f"/networks/answer/network/{mine.pk}/", {"answer": "accept"})
    mine.refresh_from_db()
    assert mine.status == "accepted" and mine.responded_by == w.alice
    # every change is recorded: who published, who answered
    from mreza.core.models import AuditEntry

    assert AuditEntry.objects.filter(
        content_type__model="networkmembership",
        object_id=str(mine.pk),
        actor=w.alice,
        action="update",
    ).exists()
    assert AuditEntry.objects.filter(
        content_type__model="groupinground", object_id=str(proposed.pk), actor=w.dana
    ).exists()
    # bob (assessor) and charlie (another municipality) cannot answer for A
    client.force_login(w.bob)
    assert (
        client.post(
            f"/networks/answer/network/{mine.pk}/", {"answer": "decline", "reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(w.charlie)
    assert (
        client.post(
            f"/networks/answer/network/{mine.pk}/", {"answer": "decline", "reason": "x"}
        ).status_code
        == 404
    )


def test_partnership_needs_both_sides(grouping_world, proposed, client):
    client.post(
        f"/networks/rounds/{proposed.pk}/edit/",
        {"action": "publish", "version": proposed.version, "without_coordinator_ok": "1"},
    )
    # the fixture's profiles (strong in 3.2 / needing 3.2) always give partnerships; no silent skip
    partnership = Partnership.objects.filter(round=proposed).select_related("learner").first()
    assert partnership is not None, proposed.proposal
    side = "learner"
    user = grouping_world.coordinator_n1
    if partnership.learner != grouping_world.others[0]:
        MunicipalRole.objects.get_or_create(
            user=user, municipality=partnership.learner, role="coordinator"
        )
    client.force_login(user)
    client.post(
        f"/networks/answer/partnership/{partnership.pk}/", {"answer": "accept", "side": side}
    )
    partnership.refresh_from_db()
    assert getattr(partnership, f"{side}_status") == "accepted" and not partnership.is_confirmed


def test_only_the_coordinating_organisation_sees_the_round(grouping_world, proposed, client):
    for persona in (grouping_world.alice, grouping_world.charlie, grouping_world.bob):
        client.force_login(persona)
        assert client.get(f"/networks/rounds/{proposed.pk}/").status_code == 404
        assert client.get("/networks/rounds/").status_code == 403
    client.force_login(grouping_world.admin)
    assert client.get(f"/networks/rounds/{proposed.pk}/").status_code == 200


def test_charlie_sees_only_his_own_part(grouping_world, proposed, client):
    client.post(
        f"/networks/rounds/{proposed.pk}/edit/",
        {"action": "publish", "version": proposed.version, "without_coordinator_ok": "1"},
    )
    client.force_login(grouping_world.charlie)
    body = client.get("/networks/mine/").content.decode()
    assert "No network invitation." in body
    network = NetworkMembership.objects.get(municipality=grouping_world.a).network
    assert client.get(f"/networks/{network.pk}/").status_code == 404
    client.force_login(grouping_world.bob)  # bob is of A, which is in the network
    assert client.get(f"/networks/{network.pk}/").status_code == 200


# db_worker closes the database connection when it finishes (as a long-running worker must);
# on PostgreSQL that ends the test's wrapping transaction, so this test runs transactional.
@pytest.mark.django_db(transaction=True)
def test_worker_command_runs_queued_rounds(grouping_world, caf, settings, client):
    settings.MREZA_JOBS = "worker"
    grouping_world.caf_pk = caf.pk
    round_ = new_round(client, grouping_world)
    assert round_.status == "queued"
    assert "every 1s" in client.get(f"/networks/rounds/{round_.pk}/status/").content.decode()
    # the production worker of the task framework (django-tasks-db), run until the queue is empty
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=__import__("io").StringIO())
    round_.refresh_from_db()
    assert round_.status == "proposed"
    response = client.get(f"/networks/rounds/{round_.pk}/status/")
    assert response["HX-Refresh"] == "true"
