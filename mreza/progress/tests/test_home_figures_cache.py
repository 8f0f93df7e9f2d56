"""The workspace home keeps the rows of its figures in the cache (caching.home_figure_rows): they
follow every write inside the workspace, the one write that records no audit entry (a meeting
marked held), and the start of the next meeting; another workspace's writes leave them alone."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from mreza.progress import caching
from mreza.progress.models import Activity, Goal, Indicator, Measurement, Meeting
from mreza.progress.services import meetings
from mreza.progress.views import progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(ws, client):
    cache.clear()
    client.force_login(ws.alice)
    url = f"/workspaces/{ws.workspace.pk}/"

    def figures():
        response = client.get(url)
        assert response.status_code == 200
        return response.context["figures"]

    return figures


def _activity(workspace, status="planned", days=10):
    today = timezone.localdate()
    return Activity.objects.create(
        workspace=workspace,
        title=f"Activity {status} {days}",
        starts_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=days),
        status=status,
    )


def _meeting(workspace, starts_at, status="scheduled"):
    return Meeting.objects.create(
        workspace=workspace,
        title="Monthly",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        status=status,
    )


def test_activity_changes_show_at_once(ws, home):
    assert home().activities == 0
    activity = _activity(ws.workspace)
    assert (home().activities, home().done) == (1, 0)
    activity.status = Activity.Status.DONE
    activity.save()
    assert home().done == 1
    activity.delete()
    assert home().activities == 0


def test_a_measured_value_shows_at_once(ws, home):
    goal = Goal.objects.create(workspace=ws.workspace, title="Faster answers")
    indicator = Indicator.objects.create(
        goal=goal, name="Answered in time", unit="%", baseline=10, target=90, scope="network"
    )
    assert home().indicators[0].latest is None
    Measurement.objects.create(
        indicator=indicator, measured_on=timezone.localdate(), value=50, source="register"
    )
    assert home().indicators[0].latest == Decimal("50")
    indicator.name = "Answered within a week"
    indicator.save()
    assert home().indicators[0].indicator.name == "Answered within a week"


def test_a_meeting_marked_held_shows_at_once(ws, home):
    meeting = _meeting(ws.workspace, timezone.now() - datetime.timedelta(hours=2))
    assert home().meetings_held == 0
    meetings._mark_held(meeting)  # an UPDATE: no audit entry
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
    assert home().meetings_held == 1


def test_another_workspace_leaves_the_rows_in_the_cache(ws, home):
    home()
    _activity(ws.twinning)
    calls = []
    now = timezone.now()

    def build():
        calls.append(1)
        return {"next_start": None}

    caching.home_figure_rows(ws.workspace.pk, timezone.localdate(), now, build)
    assert calls == []  # the rows the page kept are still there
    _activity(ws.workspace)
    caching.home_figure_rows(ws.workspace.pk, timezone.localdate(), now, build)
    assert calls == [1]


def test_rows_are_read_again_when_the_next_meeting_begins(ws):
    cache.clear()
    today, now = timezone.localdate(), timezone.now()
    starts = now + datetime.timedelta(hours=1)
    built = []

    def build():
        built.append(1)
        return {"next_start": starts}

    caching.home_figure_rows(ws.workspace.pk, today, now, build)
    caching.home_figure_rows(ws.workspace.pk, today, now + datetime.timedelta(minutes=59), build)
    assert len(built) == 1
    caching.home_figure_rows(ws.workspace.pk, today, starts, build)
    assert len(built) == 2


def test_meetings_due_follow_the_clock(ws, home):
    """The real rows say when the next meeting begins; its start moves it into "due"."""
    now = timezone.now()
    _meeting(ws.workspace, now + datetime.timedelta(hours=1))
    assert home().meetings_due == 0
    later = now + datetime.timedelta(hours=2)
    rows = caching.home_figure_rows(
        ws.workspace.pk,
        timezone.localdate(),
        later,
        lambda: progress.figure_rows([ws.workspace.pk], timezone.localdate(), later),
    )
    assert rows["meetings"][ws.workspace.pk][1] == 1
