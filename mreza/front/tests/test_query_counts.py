"""The dashboard runs a number of queries that does not grow with what is waiting on it: more
municipalities, roles, invitations, self-assessments and network members cost no extra query
(issue 9, item 6)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.accounts.models import Invitation, MunicipalRole
from mreza.assessment.models import Assessment, GroupMember
from mreza.registry.models import Membership


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _assessment(municipality, caf, status, title):
    return Assessment.objects.create(
        municipality=municipality,
        framework=caf,
        method="classic",
        title=title,
        status=status,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )


def _grow(world, caf, n, prefix):
    """n more municipalities that alice coordinates and manages and dana's association counts, each
    with an open invitation, a scoring round alice has not submitted, one in consensus that she
    leads and a closed one waiting for her acceptance."""
    for i in range(n):
        m = world.municipality(f"{prefix}-{i}", f"Mjesto {prefix}{i}")
        Membership.objects.create(municipality=m, organisation=world.association)
        for role in ("coordinator", "management"):
            MunicipalRole.objects.create(user=world.alice, municipality=m, role=role)
        Invitation.objects.create(
            email=f"new-{prefix.lower()}{i}@example.org",
            municipality=m,
            role="assessor",
            invited_by=world.alice,
        )
        scoring = _assessment(m, caf, Assessment.Status.SCORING, f"Scoring {prefix}{i}")
        GroupMember.objects.create(assessment=scoring, user=world.alice, role="assessor")
        consensus = _assessment(m, caf, Assessment.Status.CONSENSUS, f"Consensus {prefix}{i}")
        GroupMember.objects.create(assessment=consensus, user=world.alice, role="leader")
        _assessment(m, caf, Assessment.Status.CLOSED, f"Closed {prefix}{i}")


@pytest.mark.parametrize("persona", ["alice", "dana", "admin"])
def test_dashboard_runs_constant_queries_as_the_work_grows(world, caf, client, persona):
    client.force_login(getattr(world, persona))
    _grow(world, caf, 2, "S")
    _queries(client)  # warm the per-process caches (content types) first
    small, _body = _queries(client)
    _grow(world, caf, 10, "L")
    large, body = _queries(client)
    if persona == "alice":  # everything grown is on her dashboard
        assert body.count("Score and submit:") == 12
        assert body.count("Lead the consensus:") == 12
        assert body.count("Report waiting for acceptance:") == 12
        assert body.count("/people/") >= 12
    if persona == "dana":
        assert body.count("Mjesto L") == 10
    assert large == small
