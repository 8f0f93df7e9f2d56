"""The demo evaluations (issue 12): a closed, published one on the ending network with every part
submitted and re-assessments that moved, an open one in progress on the active network; a re-run
adds nothing."""

import io
import random

import pytest
from django.urls import reverse

from mreza.accounts.models import MunicipalRole, User
from mreza.assessment import demo as assessment_demo
from mreza.assessment.models import Assessment, Consensus
from mreza.evaluation import demo
from mreza.evaluation.models import Evaluation, MemberEvaluation
from mreza.networks.models import GroupingRound, Network, NetworkMembership, Response
from mreza.networks.services import confirm
from mreza.progress.demo import NETWORKS, ROUND_TITLE
from mreza.progress.models import Goal, Workspace


@pytest.fixture
def demo_world(world, caf):
    w = world
    w.dana_demo = User.objects.create_user("dana@mreza.demo", "x-password-123", full_name="Dana")
    w.banja_luka = w.municipality("BA-BANJA-LUKA", "Бања Лука")
    MunicipalRole.objects.create(user=w.alice, municipality=w.banja_luka, role="coordinator")
    w.doboj = w.municipality("BA-DOBOJ", "Добој")
    w.teslic = w.municipality("BA-TESLIC", "Теслић")
    round_ = GroupingRound.objects.create(
        organisation=w.association,
        framework=caf,
        title=ROUND_TITLE,
        areas=["3.1", "6.1"],
        params={},
        status=GroupingRound.Status.PUBLISHED,
        proposal={"networks": [], "partnerships": []},
        created_by=w.dana_demo,
    )
    titles = {key: (title, area) for key, title, area, *_rest in NETWORKS}
    w.workspaces = {}
    for key, members in (
        ("ending", (w.doboj, w.teslic, w.banja_luka)),
        ("active", (w.banja_luka, w.doboj, w.teslic)),
    ):
        title, area = titles[key]
        network = Network.objects.create(round=round_, area=area, host=members[0], title=title)
        for m in members:
            NetworkMembership.objects.create(
                network=network, municipality=m, status=Response.ACCEPTED
            )
        confirm(network, w.dana_demo)
        workspace = Workspace.objects.get(network=network)
        Goal.objects.create(workspace=workspace, title="Први циљ", order=0)
        Goal.objects.create(workspace=workspace, title="Други циљ", order=1)
        w.workspaces[key] = workspace
    # Banja Luka and Doboj have an accepted whole assessment; Teslić has none
    for municipality in (w.banja_luka, w.doboj):
        assessment_demo.build_completed_assessment(
            municipality,
            caf,
            "classic",
            [w.alice],
            random.Random(municipality.code),
            year=2023,
            sharing="coordinators",
        )
    return w


def test_the_demo_evaluations(demo_world, client):
    w = demo_world
    out = io.StringIO()
    assert demo.load(out) == [demo.CLOSED_TITLE, demo.OPEN_TITLE]
    assert "Demo evaluations: 2 (2 new)." in out.getvalue()

    closed = Evaluation.objects.get(title=demo.CLOSED_TITLE)
    assert closed.workspace == w.workspaces["ending"]
    assert closed.status == Evaluation.Status.CLOSED and closed.is_published
    parts = list(closed.members.select_related("member__municipality", "reassessment"))
    assert len(parts) == 3 and all(p.submitted_at and p.lessons for p in parts)
    assert all(p.goal_results.exclude(rating="").count() == 2 for p in parts)
    by_code = {p.member.municipality.code: p for p in parts}
    assert by_code["BA-TESLIC"].reassessment is None  # no baseline to compare with
    for code in ("BA-BANJA-LUKA", "BA-DOBOJ"):
        again = by_code[code].reassessment
        assert again.status == Assessment.Status.CLOSED and again.scope == ["6.1"]
        before = Consensus.objects.get(assessment=again.baseline, subcriterion__code="6.1")
        after = Consensus.objects.get(assessment=again, subcriterion__code="6.1")
        assert after.score != before.score

    running = Evaluation.objects.get(title=demo.OPEN_TITLE)
    assert running.status == Evaluation.Status.OPEN
    assert running.members.filter(submitted_at__isnull=False).count() == 1
    banja_luka = running.members.get(member__municipality=w.banja_luka)
    assert banja_luka.submitted_at is None and banja_luka.lessons
    assert banja_luka.reassessment.status == Assessment.Status.SCORING
    assert banja_luka.reassessment.scope == ["3.1"]

    page = client.get(reverse("evaluation:report", args=[closed.pk]))
    assert page.status_code == 200  # published: anonymous visitors read it
    assert page.content.decode().count("<blockquote>") == 6  # lessons, what they keep doing

    assert demo.load() == []  # a re-run adds nothing
    assert Evaluation.objects.count() == 2 and MemberEvaluation.objects.count() == 6
