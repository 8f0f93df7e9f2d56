"""The world of the private API's tests: the persona world of the permission tables (`w`, reused
as it is) with a plan and a meeting in its workspaces, a token per persona, and a caller.

Other test modules load it as a plugin (`pytest_plugins`) for the fixture `aw`, and import
the helpers."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from mreza.api.private import services
from mreza.assessment.models import Consensus
from mreza.progress.models import Activity, Goal, Indicator, Measurement, Meeting

# the persona world of the permission tables (its fixture `w`), used as it is
pytest_plugins = ("mreza.core.tests.test_permission_tables",)

PERSONAS = ("alice", "bob", "charlie", "dana", "mara", "nada", "admin", "anonymous")


def plan_of(workspace, n=1):
    """`n` goals with an indicator and a measured value each, `n` activities and `n` meetings."""
    today = timezone.localdate()
    member = workspace.members.order_by("id").first()
    made = []
    for i in range(n):
        goal = Goal.objects.create(workspace=workspace, title=f"Goal {i}", order=i)
        indicator = Indicator.objects.create(
            goal=goal, name=f"Indicator {i}", unit="%", baseline=Decimal(10), target=Decimal(50)
        )
        Measurement.objects.create(
            indicator=indicator, measured_on=today, value=Decimal(20), source="register"
        )
        activity = Activity.objects.create(
            workspace=workspace,
            goal=goal,
            title=f"Activity {i}",
            responsible_member=member,
            starts_on=today,
            due_on=today + datetime.timedelta(days=30),
        )
        starts = timezone.now() + datetime.timedelta(days=7 + i)
        meeting = Meeting.objects.create(
            workspace=workspace,
            title=f"Meeting {i}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            host=member,
        )
        made.append((goal, indicator, activity, meeting))
    return made


@pytest.fixture
def aw(w):
    """`w` with a plan in the network's workspace and in the twinning, and a consensus score."""
    cache.clear()  # rate-limit counters of earlier tests (token ids are reused)
    ((w.goal, w.indicator, w.activity, w.meeting),) = plan_of(w.workspace)
    ((w.twinning_goal, w.twinning_indicator, w.twinning_activity, _),) = plan_of(w.twinning)
    Consensus.objects.create(
        assessment=w.assessment, subcriterion=w.subcriterion, score=55, strengths="Agreed"
    )
    w.tokens = {}
    for persona in PERSONAS:
        if persona != "anonymous":
            w.tokens[persona] = services.issue_token(
                getattr(w, persona), f"{persona}'s token", read_only=False, expires_on=None
            )[1]
    return w


def bearer(text):
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def call(client, w, persona, url, method="get", body=None):
    """The API's answer to `persona` (anonymous: no token) at `url` (under /api/v1/private/)."""
    headers = bearer(w.tokens[persona]) if persona in w.tokens else {}
    full = f"/api/v1/private/{url}"
    if method == "get":
        return client.get(full, **headers)
    return client.generic(
        method.upper(), full, data=_json(body), content_type="application/json", **headers
    )


def _json(body):
    return json.dumps(body if body is not None else {}, default=str)


def test_the_world_has_a_token_per_persona_and_a_plan(aw):
    assert set(aw.tokens) == set(PERSONAS) - {"anonymous"}
    assert aw.activity.workspace_id == aw.workspace.pk
    assert all(text.startswith("mrz_") for text in aw.tokens.values())
