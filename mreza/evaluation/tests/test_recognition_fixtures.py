"""The recognition tests' world, shared by test_recognition_*, test_certificates_* and
test_verify_* (import `recognised`, and `ws` with it).

`recognised`: `ws` (the network of A, C and D on CAF subcriterion 3.1, run by dana; charlie's B
not in it) plus E, a fourth member; a closed evaluation in which every member submitted its part
with a closed baseline and a re-assessment of 3.1 (classic, 0–100):

    member   baseline  re-assessment  change
    A        40        70             +30
    C        50        70             +20
    D        60        55             -5
    E        45        60             +15
"""

import datetime

import pytest
from django.utils import timezone

from mreza.assessment.models import Assessment, Consensus, Subcriterion
from mreza.evaluation.models import Evaluation, MemberEvaluation
from mreza.progress.models import WorkspaceMember
from mreza.progress.tests.conftest import ws  # noqa: F401 (fixture)

SCORES = {"a": (40, 70), "c": (50, 70), "d": (60, 55), "e": (45, 60)}


def assessment(municipality, framework, scores, *, baseline=None, method="classic"):
    """A closed assessment of `municipality` with consensus scores {code: score}; scoped to
    those codes when it re-assesses `baseline`."""
    made = Assessment.objects.create(
        municipality=municipality,
        framework=framework,
        method=method,
        title="Re-assessment" if baseline else "Baseline",
        period_start=datetime.date(2026 if baseline else 2024, 1, 1),
        period_end=datetime.date(2026 if baseline else 2024, 12, 31),
        status=Assessment.Status.CLOSED,
        scope=sorted(scores) if baseline else [],
        baseline=baseline,
    )
    for code, score in scores.items():
        Consensus.objects.create(
            assessment=made,
            subcriterion=Subcriterion.objects.get(framework=framework, code=code),
            score=score,
        )
    return made


def submitted_part(evaluation, member, reassessment):
    return MemberEvaluation.objects.create(
        evaluation=evaluation,
        member=member,
        reassessment=reassessment,
        lessons="Learned",
        submitted_at=timezone.now(),
    )


@pytest.fixture
def recognised(ws, caf):  # noqa: F811 (the fixture imported above)
    w = ws
    w.e = w.municipality("T-E", "Prnjavor")
    w.member_e = WorkspaceMember.objects.create(workspace=w.workspace, municipality=w.e)
    w.evaluation = Evaluation.objects.create(
        workspace=w.workspace,
        title="Evaluation 2026",
        status=Evaluation.Status.CLOSED,
        closed_at=timezone.now(),
        opened_by=w.dana,
    )
    w.parts = {}
    for name, (before, after) in SCORES.items():
        municipality = getattr(w, name)
        base = assessment(municipality, caf, {"3.1": before})
        again = assessment(municipality, caf, {"3.1": after}, baseline=base)
        w.parts[name] = submitted_part(w.evaluation, getattr(w, f"member_{name}"), again)
    return w


def test_the_world_is_as_the_table_says(recognised):
    assert recognised.workspace.area == "3.1"
    assert recognised.workspace.framework.code == "caf2020"
    assert set(
        recognised.evaluation.members.values_list("member__municipality__code", flat=True)
    ) == {
        "T-A",
        "T-C",
        "T-D",
        "T-E",
    }
