""" "What I owe" has one answer (services.plan.owed_by): the workspace home, "my networks" and the
dashboard panel list the same activities — open ones in workspaces the user may see, named to
the user, or to one of the user's municipalities with nobody named."""

import datetime
import re

import pytest
from django.utils import timezone

from mreza.accounts.models import MunicipalRole
from mreza.progress.models import Activity, Workspace, WorkspaceMember
from mreza.progress.services.plan import owed_by

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _activity(workspace, title, member=None, person=None, due=3, status="planned"):
    today = timezone.localdate()
    return Activity.objects.create(
        workspace=workspace,
        title=title,
        responsible_member=member,
        responsible_person=person,
        starts_on=today - 40 * DAY,
        due_on=today + due * DAY,
        status=status,
    )


@pytest.fixture
def owed(ws):
    """dino (staff of D, also its assessor: two roles, one municipality) and what he owes."""
    MunicipalRole.objects.create(user=ws.dino, municipality=ws.d, role="assessor")
    w = ws.workspace
    _activity(w, "Named to dino", ws.member_c, ws.dino)
    _activity(w, "D with nobody named", ws.member_d, due=-2)
    _activity(w, "D, in progress", ws.member_d, due=9, status="in_progress")
    _activity(w, "D, but Cora is named", ws.member_d, ws.cora)
    _activity(w, "D, done", ws.member_d, due=-5, status="done")
    _activity(w, "D, cancelled", ws.member_d, status="cancelled")
    _activity(w, "C with nobody named", ws.member_c)
    # a twinning D is in, and one D has left (dino no longer sees it)
    twinning = Workspace.objects.create(kind="twinning", title="Laktaši – Ptuj")
    member = WorkspaceMember.objects.create(workspace=twinning, municipality=ws.d, role="partner")
    _activity(twinning, "Twinning report", member)
    left = Workspace.objects.create(kind="twinning", title="Laktaši – Bled")
    gone = WorkspaceMember.objects.create(
        workspace=left, municipality=ws.d, role="partner", left_on=timezone.localdate() - DAY
    )
    _activity(left, "In a twinning D has left", gone)
    ws.other = twinning
    return ws


EXPECTED = {"Named to dino", "D with nobody named", "D, in progress"}


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _titles(block, workspace):
    links = re.findall(rf'<a href="/workspaces/{workspace.pk}/plan/">([^<]*)</a>', block)
    return {title.replace("&#x27;", "'") for title in links}


def _home_owed(client, workspace):
    body = client.get(f"/workspaces/{workspace.pk}/").content.decode()
    found = re.search(r'<article class="card" aria-labelledby="ws-owe-h">.*?</article>', body, re.S)
    assert found
    return _titles(found.group(0), workspace)


def _mine_owed(client, workspace):
    body = client.get("/workspaces/").content.decode()
    found = re.search(
        rf'<article class="card ws-mine" aria-labelledby="ws-{workspace.pk}-h">.*?</article>',
        body,
        re.S,
    )
    assert found
    return _titles(found.group(0), workspace)


def _dashboard_row(client, workspace):
    body = client.get("/dashboard/").content.decode()
    found = re.search(rf'<tr id="wsp-{workspace.pk}">.*?</tr>', body, re.S)
    assert found
    return _text(found.group(0))


def test_the_queryset_is_what_the_user_owes_once_each(owed):
    titles = list(owed_by(owed.dino).values_list("title", flat=True))
    assert sorted(titles) == sorted(EXPECTED | {"Twinning report"})  # no duplicate per role
    assert set(owed_by(owed.cora).values_list("title", flat=True)) == {
        "D, but Cora is named",
        "C with nobody named",
    }
    assert not owed_by(owed.charlie).exists()


def test_home_my_networks_and_the_dashboard_list_the_same_items(owed, client):
    client.force_login(owed.dino)
    for workspace, expected in ((owed.workspace, EXPECTED), (owed.other, {"Twinning report"})):
        assert _home_owed(client, workspace) == expected
        assert _mine_owed(client, workspace) == expected
        row = _dashboard_row(client, workspace)
        n = len(expected)
        assert f"{n} open activit{'y' if n == 1 else 'ies'}" in row
    # one of dino's three in the network is overdue: in his column as in the network's
    assert _dashboard_row(client, owed.workspace).count("1 overdue") == 2
    assert "Bled" not in client.get("/workspaces/").content.decode()


def test_a_person_named_elsewhere_owes_it_and_the_member_does_not(owed, client):
    client.force_login(owed.cora)  # coordinator of C
    expected = {"D, but Cora is named", "C with nobody named"}  # C's unnamed one is hers too
    assert _home_owed(client, owed.workspace) == expected
    assert _mine_owed(client, owed.workspace) == expected
    assert "2 open activities" in _dashboard_row(client, owed.workspace)
