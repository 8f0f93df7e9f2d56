"""Calendars: the network calendar (at the workspace's and at the network's address) and the
private per-user feed parse with `icalendar` and hold the meetings; a revoked or unknown token is
404; constant query counts (issue 11, item 4 and its done-means)."""

import datetime
import re

import icalendar
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mreza.progress.models import CalendarFeed
from mreza.progress.services import meetings as services


def schedule(workspace, days, title="Meeting", count=1):
    return services.schedule(
        workspace,
        title=title,
        first_day=timezone.localdate() + datetime.timedelta(days=days),
        starts=datetime.time(9, 0),
        ends=datetime.time(11, 0),
        count=count,
        invite=False,
        allow_past=True,
    )


def uids(content):
    cal = icalendar.Calendar.from_ical(content)
    return {str(e["UID"]) for e in cal.walk("VEVENT")}, cal


def test_the_network_calendar_holds_its_meetings_for_who_may_see_it(ws, client):
    meetings = schedule(ws.workspace, 5, count=3)
    other = schedule(ws.twinning, 6, title="Twinning")
    services.add_agenda_item(meetings[0], "Budget")
    services.cancel_meeting(meetings[2], meetings[2].version, invite=False)
    client.force_login(ws.bob)
    for path in (
        f"/workspaces/{ws.workspace.pk}/calendar.ics",
        f"/networks/{ws.network.pk}/calendar.ics",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/calendar")
        found, cal = uids(response.content)
        assert found == {f"{m.uid}@mreza" for m in meetings}
        assert f"{other[0].uid}@mreza" not in found
        assert "METHOD" not in cal  # a feed, not an invitation
        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        first = events[f"{meetings[0].uid}@mreza"]
        assert "Budget" in str(first["DESCRIPTION"])
        assert events[f"{meetings[2].uid}@mreza"]["STATUS"] == "CANCELLED"
        assert first.decoded("DTSTART") == meetings[0].starts_at
    client.force_login(ws.charlie)
    assert client.get(f"/workspaces/{ws.workspace.pk}/calendar.ics").status_code == 404
    assert client.get(f"/networks/{ws.network.pk}/calendar.ics").status_code == 404
    client.logout()
    assert client.get(f"/networks/{ws.network.pk}/calendar.ics").status_code == 302
    client.force_login(ws.bob)
    assert client.get("/networks/999999/calendar.ics").status_code == 404


def _new_feed(client):
    response = client.post("/workspaces/calendar/", {"action": "create"})
    assert response.status_code == 200
    match = re.search(
        r"http://testserver(/calendar/[A-Za-z0-9_-]+\.ics)", response.content.decode()
    )
    assert match, "the new address is shown"
    return match.group(1)


def test_the_private_feed_holds_every_meeting_the_user_may_attend(ws, client):
    network = schedule(ws.workspace, 5, title="Network meeting")
    twinning = schedule(ws.twinning, 8, title="Twinning meeting")
    client.force_login(ws.alice)  # in both
    path = _new_feed(client)
    feed = CalendarFeed.objects.get(user=ws.alice)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert token not in feed.token_hash and len(feed.token_hash) == 64  # only the hash is kept
    client.logout()  # calendar apps do not sign in
    response = client.get(path)
    assert response.status_code == 200
    found, _cal = uids(response.content)
    assert found == {f"{network[0].uid}@mreza", f"{twinning[0].uid}@mreza"}
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    # the token is shown once: the page lists the feed, not its address
    client.force_login(ws.alice)
    assert token not in client.get("/workspaces/calendar/").content.decode()


def test_the_feed_of_someone_outside_holds_none_of_the_networks_meetings(ws, client):
    schedule(ws.workspace, 5)
    client.force_login(ws.charlie)
    path = _new_feed(client)
    found, _cal = uids(client.get(path).content)
    assert found == set()


def test_a_revoked_or_unknown_token_gets_404(ws, client):
    schedule(ws.workspace, 5)
    client.force_login(ws.bob)
    path = _new_feed(client)
    assert client.get(path).status_code == 200
    feed = CalendarFeed.objects.get(user=ws.bob)
    response = client.post("/workspaces/calendar/", {"action": "revoke", "feed": feed.pk})
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert client.get(path).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    # nobody revokes someone else's feed
    _feed, _token = services.create_feed(ws.alice)
    other = CalendarFeed.objects.get(user=ws.alice)
    assert (
        client.post("/workspaces/calendar/", {"action": "revoke", "feed": other.pk}).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_deactivated_users_feed_gets_404(ws, client):
    _feed, token = services.create_feed(ws.dino)
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    ws.dino.is_active = False
    ws.dino.save()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_the_feeds_page_needs_sign_in(client, db):
    assert client.get("/workspaces/calendar/").status_code == 302


def _count(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_calendars_run_a_constant_number_of_queries(ws, client):
    schedule(ws.workspace, 3, count=2)
    schedule(ws.twinning, 4)
    _feed, token = services.create_feed(ws.alice)
    client.force_login(ws.alice)
    network_path = f"/workspaces/{ws.workspace.pk}/calendar.ics"
    small = _count(client, network_path), _count(client, f"/calendar/{token}.ics")
    for meeting in schedule(ws.workspace, 40, count=10) + schedule(ws.twinning, 41, count=5):
        services.add_agenda_item(meeting, "Item")
    assert (_count(client, network_path), _count(client, f"/calendar/{token}.ics")) == small
