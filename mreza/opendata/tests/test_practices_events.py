"""Good practices and events in the release: published ones only, without contact persons,
registrations or speakers."""

import datetime
from decimal import Decimal

import pytest

from mreza.events.models import Event, Registration, Session
from mreza.opendata import services
from mreza.opendata.tests.helpers import archive, json_rows
from mreza.practices.models import Practice, ResultFigure

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _practice(world, title, status):
    practice = Practice.objects.create(
        municipality=world.a,
        language="sr",
        title=title,
        summary="Кратко",
        problem="p",
        actions="a",
        results="r",
        contact_name="Contact Person Petar",
        contact_email="petar@example.org",
        sdg_codes=",6,11,",
        status=status,
        year=2025,
        published_at=START if status == Practice.Status.PUBLISHED else None,
    )
    ResultFigure.objects.create(
        practice=practice, label=f"Figure of {title}", before=Decimal(10), after=Decimal("-2.5")
    )
    return practice


def _event(world, title, status):
    event = Event.objects.create(
        kind=Event.Kind.WORKSHOP,
        title=title,
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=3),
        host=world.a,
        status=status,
        online_url="https://meet.example/secret-room",
    )
    Session.objects.create(event=event, starts_at=START, ends_at=START, title=f"Session of {title}")
    return event


@pytest.fixture
def zipped(world, media):
    world.practice = _practice(world, "Open budget", Practice.Status.PUBLISHED)
    _practice(world, "Draft idea", Practice.Status.DRAFT)
    _practice(world, "Under review", Practice.Status.SUBMITTED)
    world.event = _event(world, "Workshop on budgets", Event.Status.PUBLISHED)
    Registration.objects.create(
        event=world.event, user=world.bob, status=Registration.Status.CONFIRMED
    )
    _event(world, "Planned draft event", Event.Status.DRAFT)
    _event(world, "Called off", Event.Status.CANCELLED)
    return world, archive(services.build_release())


def test_only_published_practices_are_released_without_their_contact(zipped):
    world, files = zipped
    practices = json_rows(files, "practices")
    assert [p["title"] for p in practices] == ["Open budget"]
    assert practices[0]["sdgs"] == "6 11"
    assert practices[0]["url"] == f"https://mreza.example/practices/{world.practice.pk}/"
    figures = json_rows(files, "practice_results")
    assert [(f["indicator"], f["after"]) for f in figures] == [("Figure of Open budget", -2.5)]
    everything = "\n".join(files.read(n).decode("utf-8-sig") for n in files.namelist())
    for private in ("Draft idea", "Under review", "Petar", "petar@example.org"):
        assert private not in everything


def test_only_published_events_are_released_without_registrations(zipped):
    _world, files = zipped
    assert [e["title"] for e in json_rows(files, "events")] == ["Workshop on budgets"]
    sessions = json_rows(files, "event_sessions")
    assert [s["title"] for s in sessions] == ["Session of Workshop on budgets"]
    everything = "\n".join(files.read(n).decode("utf-8-sig") for n in files.namelist())
    for private in ("Planned draft event", "Called off", "secret-room", "bob@example.org"):
        assert private not in everything
