"""What the workspace pages keep in the cache (progress/caching.py) follows every change of the
rows it is made of: the baseline, the phases and their time line, the theme's name; and "my
networks" pages its workspaces like a paginator, counted in the query of the rows."""

import datetime

import pytest
from django.utils import timezone

from mreza.assessment.models import Consensus, LearningProfile, Subcriterion
from mreza.progress.models import Phase, Workspace, WorkspaceMember
from mreza.progress.tests.test_workspace_pages import _assessment
from mreza.progress.views.common import counted_page

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _home(client, ws):
    response = client.get(f"/workspaces/{ws.workspace.pk}/")
    assert response.status_code == 200
    return response.content.decode().replace("\n", "")


def test_the_cached_baseline_follows_scores_sharing_and_members(ws, caf, client):
    assessment = _assessment(ws.a, caf, "coordinators", 41)
    client.force_login(ws.dino)
    assert ">41 <" in _home(client, ws)
    consensus = Consensus.objects.get(assessment=assessment)
    consensus.score = 55
    consensus.save()
    body = _home(client, ws)
    assert ">55 <" in body and ">41 <" not in body
    profile = LearningProfile.objects.get(assessment=assessment)
    profile.sharing = "private"
    profile.save()
    assert ">55 <" not in _home(client, ws)
    profile.sharing = "public"
    profile.save()
    assert ">55 <" in _home(client, ws)
    # a new member brings its own baseline
    e = ws.municipality("T-E", "Prnjavor")
    _assessment(e, caf, "public", 63)
    WorkspaceMember.objects.create(workspace=ws.workspace, municipality=e)
    assert ">63 <" in _home(client, ws)


def test_the_cached_phases_and_time_line_follow_every_change(ws, client):
    today = timezone.localdate()
    client.force_login(ws.dino)
    assert "No phases yet." in _home(client, ws)
    phase = Phase.objects.create(
        workspace=ws.workspace, name="Diagnosis", starts_on=today - DAY, ends_on=today + DAY
    )
    body = _home(client, ws)
    assert "now: Diagnosis" in body and "<svg" in body.split('id="ws-phases-h"')[1]
    phase.name = "Self-assessment"
    phase.save()
    body = _home(client, ws)
    assert "now: Self-assessment" in body and "Diagnosis" not in body
    ws.workspace.ends_on = today + 400 * DAY  # the time line's end follows the workspace
    ws.workspace.save()
    end = (today + 400 * DAY).strftime("%Y")
    assert end in _home(client, ws).split('id="ws-phases-h"')[1]
    phase.delete()
    assert "No phases yet." in _home(client, ws)


def test_the_cached_theme_follows_its_framework_area(ws, caf, client):
    client.force_login(ws.dino)
    sub = Subcriterion.objects.get(framework=caf, code="3.1")
    assert sub.title["en"] in _home(client, ws)
    sub.title = {**sub.title, "en": "People first"}
    sub.save()
    assert "3.1 People first" in _home(client, ws)
    assert "3.1 People first" in client.get("/workspaces/").content.decode()


def _twinnings(ws, n):
    for i in range(n):
        workspace = Workspace.objects.create(
            kind="twinning", title=f"Twinning {i:02}", starts_on=timezone.localdate() - i * DAY
        )
        WorkspaceMember.objects.create(workspace=workspace, municipality=ws.d)


@pytest.mark.parametrize(
    ("asked", "number", "shown"),
    [
        (None, 1, 20),
        ("1", 1, 20),
        ("2", 2, 7),
        ("3", 2, 7),
        ("9" * 30, 2, 7),
        ("x", 1, 20),
        ("-1", 1, 20),
        ("1e309", 1, 20),
    ],
)
def test_my_networks_pages_like_a_paginator(ws, client, asked, number, shown):
    _twinnings(ws, 26)  # and the network: 27 of dino's
    client.force_login(ws.dino)
    body = client.get("/workspaces/", {"page": asked} if asked else {}).content.decode()
    assert body.count('class="card ws-mine"') == shown
    assert f"Page {number} of 2" in body


def test_an_empty_list_is_one_empty_page(ws):
    for asked in (None, "1", "5"):
        page = counted_page(Workspace.objects.none(), 20, asked)
        assert (page.number, list(page.object_list), page.paginator.count) == (1, [], 0)
    page = counted_page(Workspace.objects.order_by("pk"), 1, "2")
    assert page.paginator.count == 2 and page.number == 2 and not page.has_next()
