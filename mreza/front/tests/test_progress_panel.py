"""The dashboard's "my networks" panel: each workspace's share of activities done, overdue count,
next meeting and what the user owes, in a number of queries that does not grow with the
workspaces, members, activities and meetings (issue 11, "done means")."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mreza.front.progress_panel import SHOWN
from mreza.progress.models import Activity, Meeting, Workspace, WorkspaceMember

DAY = datetime.timedelta(days=1)


def _dashboard(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _panel(body):
    found = re.search(
        r'<section class="card wide" aria-labelledby="wsp-h".*?</section>', body, re.S
    )
    return found.group(0) if found else None


def _row(body, workspace):
    found = re.search(rf'<tr id="wsp-{workspace.pk}">.*?</tr>', body, re.S)
    assert found, f"no row for {workspace}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))


def _workspace(world, title, starts_on, members=()):
    """A network of dana's association with A (alice, bob) and `members` more municipalities."""
    workspace = Workspace.objects.create(
        kind=Workspace.Kind.NETWORK,
        title=title,
        organisation=world.association,
        coordinator=world.dana,
        starts_on=starts_on,
    )
    member_a = WorkspaceMember.objects.create(
        workspace=workspace, municipality=world.a, role="host"
    )
    for m in members:
        WorkspaceMember.objects.create(workspace=workspace, municipality=m)
    return workspace, member_a


def _activity(workspace, title, due_on, status=Activity.Status.PLANNED, **extra):
    return Activity.objects.create(
        workspace=workspace,
        title=title,
        starts_on=due_on - 30 * DAY,
        due_on=due_on,
        status=status,
        **extra,
    )


def _meeting(workspace, title, starts_at, status=Meeting.Status.SCHEDULED):
    return Meeting.objects.create(
        workspace=workspace,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        status=status,
    )


def test_each_workspace_shows_done_overdue_next_meeting_and_what_i_owe(world, client):
    today, now = timezone.localdate(), timezone.now()
    workspace, member_a = _workspace(world, "Human resources", today)
    alice = {"responsible_member": member_a, "responsible_person": world.alice}
    _activity(workspace, "Done", today - 10 * DAY, Activity.Status.DONE, completed_on=today)
    _activity(workspace, "Cancelled", today - 10 * DAY, Activity.Status.CANCELLED)
    _activity(workspace, "Late and mine", today - 2 * DAY, **alice)
    _activity(workspace, "Next and mine", today + 20 * DAY, Activity.Status.IN_PROGRESS, **alice)
    _activity(workspace, "Finished and mine", today - 5 * DAY, Activity.Status.DONE, **alice)
    _meeting(workspace, "Held last month", now - 30 * DAY, Meeting.Status.HELD)
    _meeting(workspace, "Called off", now + 3 * DAY, Meeting.Status.CANCELLED)
    _meeting(workspace, "The March meeting", now + 40 * DAY)
    _meeting(workspace, "The February meeting", now + 10 * DAY)

    client.force_login(world.alice)
    _queries, body = _dashboard(client)
    row = _row(body, workspace)
    assert "Human resources" in row
    assert "50 % (2 of 4)" in row  # the cancelled activity does not count
    assert row.count("1 overdue") == 2  # in the plan, and of hers
    assert "The February meeting" in row
    assert "March" not in row and "Called off" not in row and "Held" not in row
    assert "2 open activities" in row
    assert f'href="/workspaces/{workspace.pk}/"' in _panel(body)
    assert 'href="/workspaces/"' in _panel(body)  # "all my networks"

    client.force_login(world.bob)  # a member's user who owes nothing
    row = _row(_dashboard(client)[1], workspace)
    assert "50 % (2 of 4)" in row and "nothing" in row

    client.force_login(world.charlie)  # B is in no workspace: no panel at all
    assert _panel(_dashboard(client)[1]) is None


def _grow(world, n, prefix, ago):
    """n more workspaces of A (started `ago` days and earlier), each with two more members, five
    activities (one done, one overdue, two of alice's) and three meetings."""
    today, now = timezone.localdate(), timezone.now()
    for i in range(n):
        places = [world.municipality(f"{prefix}-{i}-{k}", f"Mjesto {prefix}{i}{k}") for k in "xy"]
        workspace, member_a = _workspace(
            world, f"Network {prefix}{i}", today - (ago + i) * DAY, places
        )
        alice = {"responsible_member": member_a, "responsible_person": world.alice}
        _activity(workspace, "Done", today - 3 * DAY, Activity.Status.DONE)
        _activity(workspace, "Late", today - 3 * DAY, **alice)
        _activity(workspace, "Soon", today + 3 * DAY, **alice)
        _activity(workspace, "Later", today + 30 * DAY)
        _activity(workspace, "Dropped", today + 30 * DAY, Activity.Status.CANCELLED)
        for days in (-20, 10, 40):
            _meeting(
                workspace,
                f"Meeting {prefix}{i} {days}",
                now + days * DAY,
                Meeting.Status.HELD if days < 0 else Meeting.Status.SCHEDULED,
            )


@pytest.mark.parametrize("persona", ["alice", "dana", "admin"])
def test_the_panel_costs_the_same_as_workspaces_activities_and_meetings_grow(
    world, client, persona
):
    client.force_login(getattr(world, persona))
    _grow(world, 2, "S", ago=100)
    _dashboard(client)  # warm the per-process caches (content types) first
    small, body = _dashboard(client)
    assert _panel(body).count('<tr id="wsp-') == 2
    _grow(world, SHOWN + 3, "L", ago=1)
    large, body = _dashboard(client)
    panel = _panel(body)
    assert panel.count('<tr id="wsp-') == SHOWN
    assert f"Showing {SHOWN} of {SHOWN + 5} networks." in panel
    # the newest first: the large batch started after the small one
    assert "Network L0" in panel and "Network S0" not in panel
    assert panel.count("25 % (1 of 4)") == SHOWN  # the cancelled activity does not count
    assert panel.count("Meeting L0 10") == 1 and "Meeting L0 40" not in panel
    if persona == "alice":
        assert panel.count("2 open activities") == SHOWN
    assert large == small
