"""Progress figures (issue 11, item 8): share done, overdue, meetings held vs planned, attendance
per member, indicators toward target; the public published page; XLSX exports; the page across
all the workspaces a coordinator runs."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from mreza.progress.models import (
    Activity,
    Attendance,
    Goal,
    Indicator,
    Measurement,
    Meeting,
)
from mreza.progress.views.progress import figures

pytestmark = pytest.mark.django_db


def fill(ws, n=1):
    """n rounds of: 4 activities (1 done, 1 overdue, 1 open, 1 cancelled), 2 meetings held (A
    present at both, C at one), 1 upcoming, an indicator half-way."""
    today, now = timezone.localdate(), timezone.now()
    w = ws.workspace
    for i in range(n):
        for title, status, due in (
            ("done", "done", -5),
            ("late", "planned", -3),
            ("open", "in_progress", 20),
            ("dropped", "cancelled", -9),
        ):
            Activity.objects.create(
                workspace=w,
                title=f"{title} {i}",
                status=status,
                starts_on=today - datetime.timedelta(days=40),
                due_on=today + datetime.timedelta(days=due),
                responsible_member=ws.member_d,
            )
        held = []
        for days in (60, 30):
            start = now - datetime.timedelta(days=days + i)
            held.append(
                Meeting.objects.create(
                    workspace=w,
                    title=f"Meeting {i}-{days}",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=2),
                    status="held",
                    host=ws.member_a,
                )
            )
        start = now + datetime.timedelta(days=10 + i)
        Meeting.objects.create(
            workspace=w,
            title=f"Next {i}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )
        for meeting in held:
            Attendance.objects.create(
                meeting=meeting, user=ws.alice, member=ws.member_a, status="present"
            )
        Attendance.objects.create(
            meeting=held[0], user=ws.cora, member=ws.member_c, status="present"
        )
        Attendance.objects.create(
            meeting=held[1], user=ws.cora, member=ws.member_c, status="excused"
        )
        goal = Goal.objects.create(workspace=w, title=f"Goal {i}")
        indicator = Indicator.objects.create(
            goal=goal, name=f"Share on time {i}", unit="%", baseline=40, target=80
        )
        for days, value in ((90, 45), (10, 60)):
            Measurement.objects.create(
                indicator=indicator,
                measured_on=today - datetime.timedelta(days=days),
                value=value,
                source="register",
            )


def test_figures_count_what_the_plan_and_meetings_say(ws):
    fill(ws)
    one = figures([ws.workspace.pk])[ws.workspace.pk]
    assert (one.activities, one.done, one.overdue) == (3, 1, 1)
    assert (one.meetings_planned, one.meetings_due, one.meetings_held) == (3, 2, 2)
    by_member = {m.pk: rate for m, _n, rate in one.members}
    assert by_member[ws.member_a.pk] == 1.0
    assert by_member[ws.member_c.pk] == 0.5
    assert by_member[ws.member_d.pk] == 0.0
    [indicator] = one.indicators
    assert float(indicator.latest) == 60 and indicator.share == 0.5


def test_a_per_member_indicator_averages_the_members_latest_values(ws):
    goal = Goal.objects.create(workspace=ws.workspace, title="G")
    indicator = Indicator.objects.create(
        goal=goal,
        name="Days to answer",
        unit="days",
        baseline=30,
        target=10,
        direction="decrease",
        scope="member",
    )
    for member, values in ((ws.member_a, (28, 20)), (ws.member_c, (30,))):
        for i, value in enumerate(values):
            Measurement.objects.create(
                indicator=indicator,
                member=member,
                measured_on=datetime.date(2026, 1, 1 + i),
                value=value,
                source="x",
            )
    [figure] = figures([ws.workspace.pk])[ws.workspace.pk].indicators
    assert figure.share == pytest.approx((0.5 + 0.0) / 2)
    assert len(figure.per_member) == 2


def test_progress_page_shows_numbers_and_charts(ws, client):
    fill(ws)
    client.force_login(ws.bob)
    response = client.get(f"/workspaces/{ws.workspace.pk}/progress/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<svg") == 3
    assert "Share on time 0" in body and "50 %" in body


def test_a_published_progress_page_is_public_and_a_private_one_is_not(ws, client):
    fill(ws)
    url = f"/workspaces/{ws.workspace.pk}/progress/"
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(ws.charlie)
    assert client.get(url).status_code == 404
    ws.workspace.is_published = True
    ws.workspace.save()
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Share on time 0" in body
    # the private tabs and links are not offered to anonymous visitors
    assert f"/workspaces/{ws.workspace.pk}/history/" not in body
    assert f"/workspaces/{ws.workspace.pk}/indicators/" not in body
    assert client.get(f"/workspaces/{ws.workspace.pk}/").status_code == 302
    assert client.get(f"/workspaces/{ws.workspace.pk}/progress.xlsx").status_code == 200


def test_progress_export_is_a_workbook_without_formulas(ws, client):
    fill(ws)
    Goal.objects.filter(workspace=ws.workspace).update(title="=HYPERLINK(1)")
    client.force_login(ws.dana)
    response = client.get(f"/workspaces/{ws.workspace.pk}/progress.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Progress", "Attendance", "Indicators"]
    summary = [c.value for c in book["Progress"][2]]
    assert summary[:5] == ["Human resources", 3, 1, pytest.approx(0.3333, abs=1e-3), 1]
    goal_cell = book["Indicators"]["A2"]
    assert goal_cell.data_type == "s" and goal_cell.value == "=HYPERLINK(1)"


def test_across_all_workspaces_of_a_coordinator(ws, client):
    fill(ws)
    client.force_login(ws.dana)
    body = client.get("/workspaces/progress/").content.decode()
    assert "Human resources" in body and "Banja Luka – Kranj" not in body
    client.force_login(ws.alice)  # runs the twinning, is only a member of the network
    body = client.get("/workspaces/progress/").content.decode()
    assert "Banja Luka – Kranj" in body and "Human resources" not in body
    client.force_login(ws.dana)
    book = load_workbook(io.BytesIO(client.get("/workspaces/progress.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "Human resources"
    client.force_login(ws.charlie)
    body = client.get("/workspaces/progress/").content.decode()
    assert "Human resources" not in body
