"""Step 4 fixtures on top of `ws` (mreza/progress/tests/conftest.py).

`evaluation`: `ws` (the network of A, C and D on CAF subcriterion 3.1, run by dana; alice
coordinates A, cora C; charlie's B is not in it) with two goals and an open evaluation that dana
opened through the service, so each member has its part (`part_a`, `part_c`, `part_d`):

    goal 1 "Staff plans":  "Plans adopted" (%, network-wide) 20 → 100, measured 40 then 60;
                           "Staff turnover" (%, per member, lower is better) 9 → 5,
                           A measured 8 then 7, C 6, D nothing
    goal 2 "Training":     no indicator
    activities:            A: 2 done, 1 planned, 1 cancelled; C: 1 in progress; D: none
"""

import datetime
from decimal import Decimal

import pytest

from mreza.evaluation.services import evaluations as services
from mreza.progress.models import Activity, Goal, Indicator, Measurement
from mreza.progress.tests.conftest import ws  # noqa: F401 (the fixture this one builds on)

DAY = datetime.date(2025, 3, 1)


def _activity(w, title, member, status):
    return Activity.objects.create(
        workspace=w.workspace,
        goal=w.goal,
        title=title,
        responsible_member=member,
        starts_on=DAY,
        due_on=DAY + datetime.timedelta(days=90),
        status=status,
    )


@pytest.fixture
def evaluation(ws):  # noqa: F811 (the fixture imported above)
    w = ws
    w.goal = Goal.objects.create(workspace=w.workspace, title="Staff plans", order=0)
    w.goal2 = Goal.objects.create(workspace=w.workspace, title="Training", order=1)
    w.plans = Indicator.objects.create(
        goal=w.goal, name="Plans adopted", unit="%", baseline=20, target=100
    )
    w.turnover = Indicator.objects.create(
        goal=w.goal,
        name="Staff turnover",
        unit="%",
        baseline=9,
        target=5,
        direction=Indicator.Direction.DECREASE,
        scope=Indicator.Scope.MEMBER,
    )
    for member, days, value in (
        (None, 0, 40),
        (None, 60, 60),
        (w.member_a, 0, 8),
        (w.member_a, 60, 7),
        (w.member_c, 30, 6),
    ):
        Measurement.objects.create(
            indicator=w.turnover if member else w.plans,
            member=member,
            measured_on=DAY + datetime.timedelta(days=days),
            value=Decimal(value),
            source="register",
        )
    for title, member, status in (
        ("Staff plan A", w.member_a, Activity.Status.DONE),
        ("Exit interviews A", w.member_a, Activity.Status.DONE),
        ("Training plan A", w.member_a, Activity.Status.PLANNED),
        ("Dropped A", w.member_a, Activity.Status.CANCELLED),
        ("Staff plan C", w.member_c, Activity.Status.IN_PROGRESS),
    ):
        _activity(w, title, member, status)
    w.evaluation = services.open_evaluation(
        w.workspace, title="Evaluation 2026", due_on=None, user=w.dana
    )
    w.part_a, w.part_c, w.part_d = (
        w.evaluation.members.get(member=m) for m in (w.member_a, w.member_c, w.member_d)
    )
    return w
