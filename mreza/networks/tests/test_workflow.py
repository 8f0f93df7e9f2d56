"""The grouping workflow after the engine: publishing once, answers and their changes, confirmation,
networks that fall apart, runs kept and compared, first coordinators, and junk input."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core import mail

from mreza.accounts.models import Invitation, MunicipalRole, OrganisationRole, User
from mreza.core.models import AuditEntry
from mreza.networks import services
from mreza.networks.models import (
    GroupingRound,
    GroupingRun,
    Network,
    NetworkMembership,
    Partnership,
)
from mreza.networks.tests.test_rounds import new_round


@pytest.fixture
def proposed(grouping_world, caf, client):
    grouping_world.caf_pk = caf.pk
    round_ = new_round(client, grouping_world)
    assert round_.status == "proposed", round_.error
    return round_


def edit(client, round_, **data):
    return client.post(f"/networks/rounds/{round_.pk}/edit/", data, follow=True)


def publish(client, round_, **extra):
    return edit(
        client,
        round_,
        action="publish",
        version=round_.version,
        without_coordinator_ok="1",
        **extra,
    )


def coordinator_for(municipality, name):
    user = User.objects.create_user(
        f"{name}@example.org", "test-password-123", full_name=name.title()
    )
    MunicipalRole.objects.create(user=user, municipality=municipality, role="coordinator")
    return user


def answer(client, user, membership, choice, reason=""):
    client.force_login(user)
    return client.post(
        f"/networks/answer/network/{membership.pk}/",
        {"answer": choice, "reason": reason},
        follow=True,
    )


# ---------------------------------------------------------------- 8: publish once, read-only after


def test_double_submit_publishes_once(grouping_world, proposed, client):
    publish(client, proposed)
    networks, memberships, sent = (
        Network.objects.count(),
        NetworkMembership.objects.count(),
        len(mail.outbox),
    )
    assert networks == 2 and sent >= 2
    response = publish(client, proposed)  # the same form submitted again
    assert "already published" in response.content.decode()
    assert (Network.objects.count(), NetworkMembership.objects.count(), len(mail.outbox)) == (
        networks,
        memberships,
        sent,
    )


def test_publish_race_is_decided_by_the_conditional_update(grouping_world, proposed):
    first, second = (GroupingRound.objects.get(pk=proposed.pk) for _i in range(2))
    services.publish(first, grouping_world.dana, without_coordinator_ok=True)
    sent = len(mail.outbox)
    assert second.status == "proposed"  # the second request still sees the old state
    with pytest.raises(services.AlreadyPublished):
        services.publish(second, grouping_world.dana, without_coordinator_ok=True)
    assert Network.objects.filter(round=proposed).count() == 2 and len(mail.outbox) == sent
    assert Partnership.objects.filter(round=proposed).count() == len(
        proposed.proposal["partnerships"]
    )
    assert (
        AuditEntry.objects.filter(
            content_type__model="groupinground",
            object_id=str(proposed.pk),
            action="update",
            changes__status=["proposed", "published"],
        ).count()
        == 1
    )


def test_a_published_round_cannot_be_rerun_or_edited(grouping_world, proposed, client):
    publish(client, proposed)
    proposed.refresh_from_db()
    before, runs = proposed.proposal, GroupingRun.objects.filter(round=proposed).count()
    body = edit(client, proposed, action="rerun", version=proposed.version).content.decode()
    assert "A published round cannot be run again" in body
    member = before["networks"][0]["members"][0]
    for data in (
        {"action": "move", "network": 0, "member": member, "target": 1},
        {"action": "lock", "network": 0},
        {"action": "remove", "network": 0, "member": member},
    ):
        body = edit(client, proposed, version=proposed.version, **data).content.decode()
        assert "A published round cannot be changed" in body
    proposed.refresh_from_db()
    assert proposed.status == "published" and proposed.proposal == before
    assert GroupingRun.objects.filter(round=proposed).count() == runs
    assert Network.objects.filter(round=proposed).count() == 2
    page = client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    assert (
        'value="rerun"' not in page and 'value="move"' not in page and 'value="publish"' not in page
    )
    assert "Start a new round from this one" in page


def test_a_new_round_starts_from_a_published_one(grouping_world, proposed, client):
    w = grouping_world
    publish(client, proposed)
    mine = NetworkMembership.objects.get(network__round=proposed, municipality=w.a)
    answer(client, w.alice, mine, "decline", "No staff this year")
    client.force_login(w.dana)
    response = edit(client, proposed, action="start_from")
    new = GroupingRound.objects.latest("id")
    assert new.pk != proposed.pk and new.based_on == proposed and new.status == "proposed"
    assert response.redirect_chain[-1][0] == f"/networks/rounds/{new.pk}/"
    assert (
        new.participants.count() == proposed.participants.count() and new.params == proposed.params
    )
    placed = {m for n in new.proposal["networks"] for m in n["members"]}
    assert str(w.a.pk) not in placed  # who declined is left out, the rest is kept
    assert placed == {m for n in proposed.proposal["networks"] for m in n["members"]} - {
        str(w.a.pk)
    }
    assert new.runs.get().status == "copied"
    assert "Started from the round" in response.content.decode()
    assert 'value="rerun"' in response.content.decode()


# ---------------------------------------------------------------- 9: answers, changes, confirmation


def test_answers_change_until_confirmed_every_change_audited_and_notified(
    grouping_world, proposed, client
):
    w = grouping_world
    w.dana.language = "en"
    w.dana.save(update_fields=["language"])
    publish(client, proposed)
    mine = NetworkMembership.objects.get(network__round=proposed, municipality=w.a)
    sent = len(mail.outbox)
    answer(client, w.alice, mine, "accept")
    assert len(mail.outbox) == sent  # an acceptance is no news
    response = answer(client, w.alice, mine, "decline", "The mayor said no")
    assert "Your answer is recorded" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "declined" and mine.reason == "The mayor said no"
    told = [m for m in mail.outbox[sent:] if m.to == ["dana@example.org"]]
    assert (
        len(told) == 1
        and "changed its answer" in told[0].subject
        and "The mayor said no" in told[0].body
    )
    assert (
        AuditEntry.objects.filter(
            content_type__model="networkmembership",
            object_id=str(mine.pk),
            actor=w.alice,
            action="update",
        ).count()
        == 2
    )
    # the coordinator sees who answered what, and why
    client.force_login(w.dana)
    page = client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    assert "The mayor said no" in page and "Alice" in page and "Confirm this network" in page
    client.post(f"/networks/{mine.network_id}/change/", {"action": "confirm"})
    mine.network.refresh_from_db()
    assert mine.network.confirmed_by == w.dana
    response = answer(client, w.alice, mine, "accept")
    assert "answers are final" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "declined"
    assert "Confirmed by the coordinator" in client.get("/networks/mine/").content.decode()


def test_a_decline_is_mailed_in_each_coordinators_language(grouping_world, proposed, client):
    w = grouping_world
    erik = User.objects.create_user(
        "erik@example.org", "test-password-123", full_name="Erik", language="bs"
    )
    OrganisationRole.objects.create(
        user=erik, organisation=w.association, role="network_coordinator"
    )
    publish(client, proposed)
    mine = NetworkMembership.objects.get(network__round=proposed, municipality=w.a)
    sent = len(mail.outbox)
    answer(client, w.alice, mine, "decline", "Too far")
    told = {m.to[0]: m for m in mail.outbox[sent:]}
    assert set(told) == {"dana@example.org", "erik@example.org"}
    assert (
        "declined" in told["dana@example.org"].subject
        and "Too far" in told["dana@example.org"].body
    )
    assert f"/networks/rounds/{proposed.pk}/" in told["dana@example.org"].body
    # a change of answer names both answers, each in the recipient's language
    answer(client, w.alice, mine, "accept")
    changed = {m.to[0]: m.body for m in mail.outbox[sent + 2 :]}
    assert "“declined” to “accepted”" in changed["dana@example.org"]
    assert "odbijeno" in changed["erik@example.org"] and "prihvaćeno" in changed["erik@example.org"]


def test_a_network_below_its_minimum_is_flagged_and_can_be_filled(grouping_world, proposed, client):
    w = grouping_world
    publish(client, proposed)
    network = Network.objects.filter(round=proposed).order_by("id").first()
    members = list(network.memberships.select_related("municipality").order_by("id"))
    size, minimum = len(members), proposed.params["min_size"]
    declining = members[: size - minimum + 1]  # one decline too many
    for index, ms in enumerate(declining):
        answer(
            client,
            coordinator_for(ms.municipality, f"m{index}") if ms.municipality != w.a else w.alice,
            ms,
            "decline",
            "No time",
        )
    client.force_login(w.dana)
    page = client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    assert f"below minimum: {minimum - 1} of {minimum}" in page
    # everyone else is in the other network (one network each): first refused, then free once it
    # declined
    other = (
        NetworkMembership.objects.filter(network__round=proposed)
        .exclude(network=network)
        .exclude(municipality_id__in=MunicipalRole.objects.values("municipality_id"))
        .select_related("municipality")
        .first()
    )
    response = client.post(
        f"/networks/{network.pk}/change/",
        {"action": "invite", "municipality": other.municipality_id},
        follow=True,
    )
    assert "already in as many networks as this round allows" in response.content.decode()
    helper = coordinator_for(other.municipality, "helper")
    answer(client, helper, other, "decline", "Too far")
    client.force_login(w.dana)
    assert (
        f'<option value="{other.municipality_id}">'
        in client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    )
    sent = len(mail.outbox)
    response = client.post(
        f"/networks/{network.pk}/change/",
        {"action": "invite", "municipality": other.municipality_id},
        follow=True,
    )
    assert "is invited to the network" in response.content.decode()
    added = NetworkMembership.objects.get(network=network, municipality=other.municipality)
    assert added.status == "invited"
    assert [m.to for m in mail.outbox[sent:]] == [[helper.email]]
    assert "below minimum" not in client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    # a municipality outside the round cannot be added
    response = client.post(
        f"/networks/{network.pk}/change/", {"action": "invite", "municipality": w.b.pk}, follow=True
    )
    assert "does not take part in this round" in response.content.decode()
    # charlie (not the round's coordinator) cannot
    client.force_login(w.charlie)
    assert client.post(f"/networks/{network.pk}/change/", {"action": "confirm"}).status_code == 404


def test_a_partnership_declined_by_one_side_is_flagged(grouping_world, proposed, client):
    w = grouping_world
    publish(client, proposed)
    partnership = Partnership.objects.filter(round=proposed).select_related("learner").first()
    assert partnership is not None
    learner = (
        coordinator_for(partnership.learner, "learner")
        if partnership.learner != w.others[0]
        else w.coordinator_n1
    )
    client.force_login(learner)
    sent = len(mail.outbox)
    client.post(
        f"/networks/answer/partnership/{partnership.pk}/",
        {"answer": "decline", "side": "learner", "reason": "We have a mentor"},
    )
    partnership.refresh_from_db()
    assert partnership.learner_status == "declined" and partnership.learner_responded_by == learner
    assert any(m.to == ["dana@example.org"] for m in mail.outbox[sent:])
    client.force_login(w.dana)
    page = client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    assert "declined by one side" in page and "We have a mentor" in page
    client.post(f"/networks/rounds/{proposed.pk}/partnerships/{partnership.pk}/confirm/")
    partnership.refresh_from_db()
    assert partnership.confirmed_by == w.dana
    client.force_login(learner)
    response = client.post(
        f"/networks/answer/partnership/{partnership.pk}/",
        {"answer": "accept", "side": "learner"},
        follow=True,
    )
    assert "answers are final" in response.content.decode()


# ---------------------------------------------------------------- 10: every run kept, compared


def test_every_run_is_kept_and_two_runs_compare(grouping_world, proposed, client):
    first = GroupingRun.objects.get(round=proposed)
    assert (
        first.number == 1 and first.status == "finished" and first.started_by == grouping_world.dana
    )
    assert first.result == proposed.result and first.objective is not None
    assert first.inputs["params"]["min_size"] == 4
    member = proposed.proposal["networks"][0]["members"][0]
    edit(
        client,
        proposed,
        action="move",
        network=0,
        member=member,
        target=1,
        version=proposed.version,
    )
    proposed.refresh_from_db()
    first.refresh_from_db()
    assert first.proposal == proposed.proposal  # the run keeps the coordinator's edits
    edit(client, proposed, action="rerun", version=proposed.version)
    proposed.refresh_from_db()
    runs = list(GroupingRun.objects.filter(round=proposed).order_by("number"))
    assert [r.number for r in runs] == [1, 2] and runs[1].status == "finished"
    assert member in runs[0].proposal["networks"][1]["members"]  # run 1 is not overwritten
    assert runs[1].proposal == proposed.proposal
    page = client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    assert "Runs of the engine" in page and "Compare runs" in page
    body = client.get(f"/networks/rounds/{proposed.pk}/runs/?a=1&b=2").content.decode()
    assert (
        "Run 1" in body and "Run 2" in body and "Who moved" in body and "Engine objective" in body
    )
    for junk in ("?a=abc&b=-1", "?a=99999&b=2", "?a=1e9&b=" + "9" * 40):
        assert client.get(f"/networks/rounds/{proposed.pk}/runs/{junk}").status_code == 200
    client.force_login(grouping_world.charlie)
    assert client.get(f"/networks/rounds/{proposed.pk}/runs/").status_code == 404


def test_existing_rounds_get_their_result_as_run_one(grouping_world, proposed):
    GroupingRun.objects.filter(round=proposed).delete()
    migration = importlib.import_module("mreza.networks.migrations.0003_first_runs")
    migration.forwards(django_apps, None)
    run = GroupingRun.objects.get(round=proposed)
    assert run.number == 1 and run.result == proposed.result and run.proposal == proposed.proposal
    assert run.objective == pytest.approx(proposed.result["objective"]["total"])


# ---------------------------------------------------------------- 11: municipalities without a
# coordinator


def test_publishing_warns_about_municipalities_without_a_coordinator(
    grouping_world, proposed, client
):
    placed = {int(m) for n in proposed.proposal["networks"] for m in n["members"]}
    placed |= {
        int(m) for p in proposed.proposal["partnerships"] for m in (p["learner"], p["mentor"])
    }
    missing = len(
        placed
        - set(
            MunicipalRole.objects.filter(role="coordinator").values_list(
                "municipality_id", flat=True
            )
        )
    )
    assert missing > 1
    page = client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    assert f"{missing} municipalities have no coordinator in Mreža and cannot be invited" in page
    body = edit(client, proposed, action="publish", version=proposed.version).content.decode()
    assert "Confirm that you want to publish anyway" in body
    proposed.refresh_from_db()
    assert proposed.status == "proposed" and not Network.objects.filter(round=proposed).exists()
    publish(client, proposed)
    proposed.refresh_from_db()
    assert proposed.status == "published"


def test_a_network_coordinator_invites_the_first_coordinator(grouping_world, proposed, client):
    w = grouping_world
    publish(client, proposed)
    target = w.others[1]  # N-2: no coordinator yet, takes part in the round
    membership = (
        NetworkMembership.objects.filter(network__round=proposed, municipality=target).first()
        or NetworkMembership.objects.filter(network__round=proposed)
        .exclude(
            municipality_id__in=MunicipalRole.objects.filter(role="coordinator").values(
                "municipality_id"
            )
        )
        .first()
    )
    target = membership.municipality
    page = client.get(f"/networks/rounds/{proposed.pk}/").content.decode()
    assert f"/networks/coordinators/{target.code}/invite/" in page
    url = f"/networks/coordinators/{target.code}/invite/?round={proposed.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"email": "Prva@Example.org", "full_name": "Prva", "round": proposed.pk}
    )
    assert (
        response.status_code == 302 and response["Location"] == f"/networks/rounds/{proposed.pk}/"
    )
    invitation = Invitation.objects.get(municipality=target)
    assert invitation.role == "coordinator" and invitation.email == "prva@example.org"
    assert mail.outbox[-1].to == ["prva@example.org"] and invitation.token in mail.outbox[-1].body
    # a bad e-mail keeps what was typed
    body = client.post(url, {"email": "not-an-address", "full_name": "Kept Name"}).content.decode()
    assert "Kept Name" in body
    # not for a municipality that has a coordinator, nor outside the organisation's rounds and
    # members
    assert client.get(f"/networks/coordinators/{w.a.code}/invite/").status_code == 403
    assert client.get(f"/networks/coordinators/{w.b.code}/invite/").status_code == 403
    assert client.get("/networks/coordinators/NO-SUCH/invite/").status_code == 404
    for persona in (w.alice, w.charlie):
        client.force_login(persona)
        assert client.get(url).status_code == 403
    # when they accept, their municipality's pending invitation is theirs to answer
    client.logout()
    client.post(
        f"/invitations/{invitation.token}/",
        {
            "full_name": "Prva",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    prva = User.objects.get(email="prva@example.org")
    assert MunicipalRole.objects.filter(user=prva, municipality=target, role="coordinator").exists()
    client.force_login(prva)
    assert membership.network.title in client.get("/networks/mine/").content.decode()
    client.post(f"/networks/answer/network/{membership.pk}/", {"answer": "accept"})
    membership.refresh_from_db()
    assert membership.status == "accepted" and membership.responded_by == prva


# ---------------------------------------------------------------- 12: no server error on junk


@pytest.mark.parametrize(
    "query",
    [
        "?framework=abc",
        "?framework=99999",
        "?framework=-1",
        "?framework=" + "9" * 40,
        "?framework=1.5",
        "?framework=",
    ],
)
def test_new_round_page_survives_junk(grouping_world, caf, client, query):
    client.force_login(grouping_world.dana)
    response = client.get(f"/networks/rounds/new/{query}")
    assert (
        response.status_code == 200
        and "Propose networks and partnerships" in response.content.decode()
    )


@pytest.mark.parametrize(
    "field,value",
    [
        ("min_size", "-3"),
        ("max_size", "9" * 40),
        ("min_size", "abc"),
        ("framework", "abc"),
        ("max_mentees_per_mentor", "-1"),
        ("distance_weight", "1e400"),
    ],
)
def test_new_round_form_rejects_junk_numbers(grouping_world, caf, client, field, value):
    client.force_login(grouping_world.dana)
    data = {
        "organisation": grouping_world.association.pk,
        "title": "Junk",
        "framework": caf.pk,
        "areas": ["6.1"],
        "min_size": 4,
        "max_size": 8,
        "distance_weight": "0.1",
        "max_networks_per_municipality": 1,
        "max_mentees_per_mentor": 2,
        field: value,
    }
    response = client.post("/networks/rounds/new/", data)
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not GroupingRound.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "move", "network": "abc", "member": "x", "target": "-5", "version": "9" * 40},
        {"action": "add", "member": "not-a-municipality", "target": "0"},
        {"action": "add", "member": "99999", "target": "0"},
        {"action": "remove", "network": "99999999999999999999", "member": "1"},
        {"action": "lock", "network": "-1"},
        {"action": "nonsense"},
    ],
)
def test_round_edit_survives_junk(grouping_world, proposed, client, data):
    data.setdefault("version", proposed.version)
    response = client.post(f"/networks/rounds/{proposed.pk}/edit/", data, follow=True)
    assert response.status_code == 200 and 'class="messages' in response.content.decode()
    before = proposed.proposal
    proposed.refresh_from_db()
    assert proposed.proposal == before


def test_answer_and_network_actions_survive_junk(grouping_world, proposed, client):
    publish(client, proposed)
    network = Network.objects.filter(round=proposed).first()
    assert (
        client.post(
            f"/networks/{network.pk}/change/",
            {"action": "invite", "municipality": "abc"},
            follow=True,
        ).status_code
        == 200
    )
    assert (
        client.post(f"/networks/{network.pk}/change/", {"action": "junk"}, follow=True).status_code
        == 200
    )
    client.force_login(grouping_world.alice)
    assert client.post("/networks/answer/nonsense/1/", {"answer": "accept"}).status_code == 404
    mine = NetworkMembership.objects.get(network__round=proposed, municipality=grouping_world.a)
    response = client.post(f"/networks/answer/network/{mine.pk}/", {"answer": "maybe"}, follow=True)
    assert "Choose accept or decline" in response.content.decode()
