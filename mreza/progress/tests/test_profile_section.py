"""The progress app's section of the municipality page (registered through registry.sections):
who may start a twinning gets the link, with this municipality as the partner when it is not
theirs; everybody sees the municipality's published workspaces; the anonymous page costs no
extra query, however many workspaces there are."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mreza.accounts.models import MunicipalRole
from mreza.progress.models import Workspace, WorkspaceMember

pytestmark = pytest.mark.django_db


def _section(client, municipality):
    response = client.get(f"/municipalities/{municipality.code}/")
    assert response.status_code == 200
    return str(response.context["progress_section"])


def test_who_may_start_a_twinning_gets_the_link(ws, client):
    client.force_login(ws.alice)  # coordinator of A
    own = _section(client, ws.a)
    assert 'href="/workspaces/twinnings/new/T-A/"' in own and "Start a twinning of" in own
    assert "?partner=" not in own
    partner = _section(client, ws.b)  # charlie's Tuzla: A's twinning with it, prefilled
    assert 'href="/workspaces/twinnings/new/T-A/?partner=T-B"' in partner
    assert "with Tuzla" in partner
    page = client.get("/workspaces/twinnings/new/T-A/?partner=T-B").content.decode()
    assert 'value="T-B" checked' in page
    for persona in ("bob", "charlie", "dino"):  # may not twin A (or anything)
        client.force_login(getattr(ws, persona))
        assert "twinnings/new/T-A/" not in _section(client, ws.b), persona
    client.force_login(ws.charlie)  # staff of B
    assert "twinnings/new" not in _section(client, ws.b)


def test_a_municipality_that_no_longer_exists_offers_no_twinning(ws, client):
    ws.b.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    ws.b.save()
    client.force_login(ws.alice)
    assert "twinnings/new" not in _section(client, ws.b)


def test_everybody_sees_the_published_workspaces_and_nothing_private(ws, client):
    assert _section(client, ws.a) == ""  # anonymous; nothing published yet
    ws.workspace.is_published = True
    ws.workspace.save()
    section = _section(client, ws.a)
    assert f'href="/workspaces/{ws.workspace.pk}/plan/"' in section
    assert f'href="/workspaces/{ws.workspace.pk}/progress/"' in section
    assert "Human resources" in section and "thematic network" in section
    assert "Kranj" not in section  # the twinning is not published
    assert client.get(f"/workspaces/{ws.workspace.pk}/plan/").status_code == 200
    # a member that left no longer shows it; the cache follows the change
    ws.member_c.left_on = timezone.localdate()
    ws.member_c.save()
    assert "Human resources" not in _section(client, ws.c)
    ws.workspace.title = "People first"
    ws.workspace.save()
    assert "People first" in _section(client, ws.a)
    ws.workspace.is_published = False
    ws.workspace.save()
    assert _section(client, ws.a) == ""


def _grow(ws, n, tag):
    for i in range(n):
        workspace = Workspace.objects.create(
            kind="network", title=f"Network {tag}{i}", is_published=True
        )
        WorkspaceMember.objects.create(workspace=workspace, municipality=ws.a)
        place = ws.municipality(f"P-{tag}{i}", f"Mjesto {tag}{i}")
        MunicipalRole.objects.create(user=ws.alice, municipality=place, role="coordinator")


def _warm(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", [None, "alice"])
def test_the_profile_costs_the_same_as_workspaces_and_roles_grow(ws, client, persona):
    url = f"/municipalities/{ws.b.code}/"
    if persona:
        client.force_login(getattr(ws, persona))
    cache.clear()
    _warm(client, url)
    before = _warm(client, url)
    _grow(ws, 2, "s")
    small = _warm(client, url)
    _grow(ws, 12, "l")
    large = _warm(client, url)
    assert large == small
    if persona is None:
        # the anonymous path: no query of the section's own (from the cache)
        assert small == before
        assert _warm(client, f"/municipalities/{ws.a.code}/") == before
        assert _section(client, ws.a).count('href="/workspaces/') == 2 * 14
    else:
        assert _section(client, ws.b).count("?partner=T-B") == 15
