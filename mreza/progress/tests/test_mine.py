""" "My networks" (issue 11, item 9): every workspace of the user's municipalities or that they run,
with what they owe to each, reachable from the navigation for every role."""

import datetime

import pytest
from django.utils import timezone

from mreza.progress.models import Activity, Meeting, Registration

pytestmark = pytest.mark.django_db


def test_staff_reach_their_network_from_the_navigation(ws, client):
    client.force_login(ws.dino)  # staff of D: had no path to the network before
    home = client.get("/").content.decode()
    assert 'href="/workspaces/"' in home
    body = client.get("/workspaces/").content.decode()
    assert "Human resources" in body and f"/workspaces/{ws.workspace.pk}/" in body
    assert "/networks/mine/" in body  # the invitations stay reachable
    assert "Banja Luka – Kranj" not in body


def test_each_user_sees_only_their_workspaces(ws, client):
    client.force_login(ws.alice)
    body = client.get("/workspaces/").content.decode()
    assert "Human resources" in body and "Banja Luka – Kranj" in body
    client.force_login(ws.dana)  # runs the network through her association
    body = client.get("/workspaces/").content.decode()
    assert "Human resources" in body and "Banja Luka – Kranj" not in body
    client.force_login(ws.charlie)
    body = client.get("/workspaces/").content.decode()
    assert "Human resources" not in body and "None of your municipalities" in body


def test_what_i_owe_lists_my_open_and_overdue_activities_and_meetings_to_register(ws, client):
    today, now = timezone.localdate(), timezone.now()
    late = Activity.objects.create(
        workspace=ws.workspace,
        title="D's late report",
        responsible_member=ws.member_d,
        starts_on=today - datetime.timedelta(days=20),
        due_on=today - datetime.timedelta(days=1),
    )
    Activity.objects.create(
        workspace=ws.workspace,
        title="Done already",
        status="done",
        responsible_member=ws.member_d,
        starts_on=today - datetime.timedelta(days=20),
        due_on=today - datetime.timedelta(days=5),
    )
    Activity.objects.create(
        workspace=ws.workspace,
        title="Cora's task",
        responsible_member=ws.member_c,
        responsible_person=ws.cora,
        starts_on=today,
        due_on=today + datetime.timedelta(days=3),
    )
    start = now + datetime.timedelta(days=7)
    meeting = Meeting.objects.create(
        workspace=ws.workspace,
        title="March meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    client.force_login(ws.dino)
    body = client.get("/workspaces/").content.decode()
    assert late.title.replace("'", "&#x27;") in body and "overdue" in body
    assert "Done already" not in body and "Cora&#x27;s task" not in body
    assert "Register for March meeting" in body
    Registration.objects.create(meeting=meeting, user=ws.dino, member=ws.member_d)
    body = client.get("/workspaces/").content.decode()
    assert "Register for March meeting" not in body
    assert "Next meeting: March meeting" in body
