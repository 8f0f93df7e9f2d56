"""Events fixtures on top of the root `world`: dana coordinates networks for the association,
alice coordinates its member A (so she runs events A hosts), bob and charlie are attendees.

`ev`: the world with `conference`, a published annual conference of the association hosted by A,
registration open now, two places, a programme of one session with a speaker.
"""

import datetime

import pytest
from django.utils import timezone

from mreza.events.models import Event
from mreza.events.services import events as services


def make_event(world, *, capacity=2, status=Event.Status.PUBLISHED, days=30, **extra):
    starts = timezone.now() + datetime.timedelta(days=days)
    values = {
        "kind": Event.Kind.CONFERENCE,
        "title": "Годишња конференција",
        "description": "Двa дана размјене.\n\nПрограм слиједи.",
        "place": "Бања Лука",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=8),
        "organiser": world.association,
        "host": world.a,
        "languages": ["sr", "en"],
        "capacity": capacity,
    } | extra
    event = services.create_event(values, world.dana)
    if status != Event.Status.DRAFT:
        event = services.publish(event)
    if status == Event.Status.CANCELLED:
        event = services.cancel(event)
    return event


@pytest.fixture
def ev(world):
    world.conference = make_event(world)
    world.session = services.add_session(
        world.conference,
        {
            "starts_at": world.conference.starts_at,
            "ends_at": world.conference.starts_at + datetime.timedelta(hours=1),
            "room": "Сала 1",
            "title": "Отварање",
            "description": "",
        },
    )
    world.speaker = services.add_speaker(
        world.session, {"name": "Дана Илић", "affiliation": "Савез", "bio": "Координаторка"}
    )
    return world
