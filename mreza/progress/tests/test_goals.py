"""Goals, indicators and measured values (issue 11, item 2): who may change them, the rules that
keep values sane, a chart per indicator, edits under optimistic locking."""

import datetime

import pytest
from django.utils import timezone

from mreza.progress import charts
from mreza.progress.models import Goal, Indicator, Measurement

pytestmark = pytest.mark.django_db


def _indicator(ws, scope="network", unit="%", baseline=40, target=80):
    goal = Goal.objects.create(workspace=ws.workspace, title="Faster services")
    return Indicator.objects.create(
        goal=goal, name="Requests on time", unit=unit, baseline=baseline, target=target, scope=scope
    )


def test_the_coordinator_sets_goals_and_members_may_not(ws, client):
    url = f"/workspaces/{ws.workspace.pk}/goals/new/"
    client.force_login(ws.alice)
    assert client.post(url, {"title": "Mine"}).status_code == 403
    client.force_login(ws.dana)
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Shorter waiting", "description": "For all"})
    assert response.status_code == 302
    goal = Goal.objects.get(workspace=ws.workspace)
    assert goal.title == "Shorter waiting"
    client.force_login(ws.bob)
    assert "Shorter waiting" in client.get(f"/workspaces/{ws.workspace.pk}/goals/").content.decode()


def test_goal_edit_conflict_keeps_the_text(ws, client):
    goal = Goal.objects.create(workspace=ws.workspace, title="Old")
    client.force_login(ws.dana)
    url = f"/workspaces/{ws.workspace.pk}/goals/{goal.pk}/edit/"
    assert client.post(url, {"title": "One", "version": 1}).status_code == 302
    response = client.post(url, {"title": "Two", "version": 1})
    assert response.status_code == 409 and "Two" in response.content.decode()
    goal.refresh_from_db()
    assert goal.title == "One"


def _indicator_data(**changes):
    data = {
        "name": "Requests answered on time",
        "unit": "%",
        "baseline": "40",
        "target": "80",
        "direction": "increase",
        "scope": "network",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target": "140"}, "from 0 to 100"),
        ({"target": "20"}, "must be above the baseline"),
        ({"direction": "decrease"}, "must be below the baseline"),
        ({"target": "40"}, "must differ from the baseline"),
        ({"unit": "days", "target": "1e12"}, ""),
    ],
)
def test_an_indicator_with_a_wrong_target_is_refused(ws, client, changes, message):
    goal = Goal.objects.create(workspace=ws.workspace, title="G")
    client.force_login(ws.dana)
    url = f"/workspaces/{ws.workspace.pk}/goals/{goal.pk}/indicators/new/"
    response = client.post(url, _indicator_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Indicator.objects.exists()


def test_a_member_records_values_and_the_chart_shows_them(ws, client):
    indicator = _indicator(ws)
    client.force_login(ws.dino)  # staff of a member: contributes
    url = f"/workspaces/{ws.workspace.pk}/indicators/{indicator.pk}/"
    today = timezone.localdate()
    for days, value in ((60, "45"), (30, "52.5")):
        day = (today - datetime.timedelta(days=days)).isoformat()
        response = client.post(
            url, {"value-measured_on": day, "value-value": value, "value-source": "Register"}
        )
        assert response.status_code == 302
    values = list(Measurement.objects.filter(indicator=indicator))
    assert [float(v.value) for v in values] == [45, 52.5]
    assert values[0].recorded_by == ws.dino and values[0].member is None
    body = client.get(f"/workspaces/{ws.workspace.pk}/goals/").content.decode()
    assert body.count("<polyline") == 1 and "<svg" in body


@pytest.mark.parametrize(
    ("value", "day", "message"),
    [
        ("140", None, "from 0 to 100"),
        ("-3", None, "from 0 to 100"),
        ("abc", None, "Enter a number"),
        ("50", "future", "in the future"),
        ("50", "1999-12-31", "from the year 2000"),
    ],
)
def test_a_value_out_of_range_is_refused(ws, client, value, day, message):
    indicator = _indicator(ws)
    client.force_login(ws.dino)
    if day == "future":
        day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        f"/workspaces/{ws.workspace.pk}/indicators/{indicator.pk}/",
        {
            "value-measured_on": day or timezone.localdate().isoformat(),
            "value-value": value,
            "value-source": "Register",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_per_member_value_needs_a_member_of_this_workspace(ws, client):
    indicator = _indicator(ws, scope="member", unit="days", baseline=30, target=10)
    indicator.direction = "decrease"
    indicator.save()
    client.force_login(ws.dino)
    url = f"/workspaces/{ws.workspace.pk}/indicators/{indicator.pk}/"
    base = {
        "value-measured_on": timezone.localdate().isoformat(),
        "value-value": "25",
        "value-source": "Register",
    }
    missing = client.post(url, base)
    assert missing.status_code == 400 and "choose the member" in missing.content.decode()
    outside = client.post(url, {**base, "value-member": ws.twin_abroad.pk})
    assert outside.status_code == 400 and "not in this workspace" in outside.content.decode()
    assert not Measurement.objects.exists()
    ok = client.post(url, {**base, "value-member": ws.member_d.pk})
    assert ok.status_code == 302
    assert Measurement.objects.get().member == ws.member_d


def test_outsiders_may_not_record_values(ws, client):
    indicator = _indicator(ws)
    client.force_login(ws.charlie)
    url = f"/workspaces/{ws.workspace.pk}/indicators/{indicator.pk}/"
    data = {"value-measured_on": "2026-01-01", "value-value": "50", "value-source": "x"}
    assert client.post(url, data).status_code == 404
    ws.workspace.is_published = True
    ws.workspace.save()
    # published: the plan and progress are public, the goals' pages stay private
    assert client.post(url, data).status_code == 404
    assert not Measurement.objects.exists()


def test_only_who_manages_deletes_a_value(ws, client):
    indicator = _indicator(ws)
    value = Measurement.objects.create(
        indicator=indicator, measured_on=datetime.date(2026, 1, 1), value=50, source="x"
    )
    url = f"/workspaces/{ws.workspace.pk}/indicators/{indicator.pk}/values/{value.pk}/delete/"
    client.force_login(ws.dino)
    assert client.post(url).status_code == 403
    client.force_login(ws.dana)
    assert client.post(url).status_code == 302
    assert not Measurement.objects.exists()


def test_share_of_target_in_both_directions():
    assert charts.share_of_target(40, 80, 60) == 0.5
    assert charts.share_of_target(30, 10, 20) == 0.5  # lower is better
    assert charts.share_of_target(30, 10, 40) == 0.0  # worse than the baseline
    assert charts.share_of_target(40, 80, 95) == 1.0  # past the target: reached
    assert charts.share_of_target(40, 40, 50) is None
    assert charts.share_of_target(40, 80, None) is None


def test_line_chart_escapes_text_and_draws_one_line_per_member():
    svg = charts.line_svg(
        [
            charts.Series(
                "<A&B>", [(datetime.date(2026, 1, 1), 1), (datetime.date(2026, 2, 1), 2)]
            ),
            charts.Series("C", [(datetime.date(2026, 1, 1), 3), (datetime.date(2026, 3, 1), 2)]),
        ],
        baseline=1,
        target=5,
        title="T",
        desc="D",
        baseline_label="baseline",
        target_label="target",
    )
    assert svg.startswith("<svg") and svg.count("<polyline") == 2
    assert "&lt;A&amp;B&gt;" in svg and "<A&B>" not in svg
    assert 'role="img"' in svg
