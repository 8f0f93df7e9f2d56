"""The `.ics` of one event and the feed of upcoming public events parse as iCalendar, carry the
right times (UTC, as stored) and texts, and leave drafts and past events out."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from mreza.events.models import Event
from mreza.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def _events(content):
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def test_one_event_as_ics(client, ev):
    response = client.get(f"/events/{ev.conference.pk}/event.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    (vevent,) = _events(response.content)
    assert vevent["UID"] == f"event-{ev.conference.pk}@mreza"
    assert vevent.decoded("DTSTART") == ev.conference.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTEND") == ev.conference.ends_at.replace(microsecond=0)
    assert str(vevent["SUMMARY"]) == "Godišnja konferencija"  # the reader's (Latin) script
    assert "Бања Лука" not in str(vevent["LOCATION"]) and "Banja Luka" in str(vevent["LOCATION"])
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["URL"]).endswith(f"/events/{ev.conference.pk}/")


def test_the_feed_lists_upcoming_public_events_only(client, world):
    upcoming = make_event(world, title="Workshop on procurement")
    cancelled = make_event(world, title="Cancelled visit", status="cancelled")
    make_event(world, title="Secret draft", status="draft")
    past = make_event(world, title="Old exchange")
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=2),
    )
    response = client.get("/events/feed.ics")
    assert response.status_code == 200
    found = {str(v["SUMMARY"]): str(v["STATUS"]) for v in _events(response.content)}
    assert found == {upcoming.title: "CONFIRMED", cancelled.title: "CANCELLED"}


def test_a_draft_has_no_public_ics(client, world):
    draft = make_event(world, status="draft")
    assert client.get(f"/events/{draft.pk}/event.ics").status_code == 302  # sign in first
    client.force_login(world.charlie)
    assert client.get(f"/events/{draft.pk}/event.ics").status_code == 404
