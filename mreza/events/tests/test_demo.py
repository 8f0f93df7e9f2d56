"""The events demo: an upcoming conference with its programme, full places and a waiting list; a
past study visit with attendance and valid certificates; an upcoming workshop. Safe to re-run."""

import pytest
from django.utils import timezone

from mreza.accounts.models import User
from mreza.core.audit import acting_as
from mreza.events import demo
from mreza.events.models import AttendanceCertificate, Event
from mreza.events.services import certificates
from mreza.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(world):
    for code in ("SOGRS", "SOGFBIH", "SKGO"):
        Organisation.objects.create(code=code, kind="association", name=code)
    world.municipality("BA-BANJA-LUKA", "Бања Лука")
    world.municipality("BA-TUZLA", "Tuzla")
    world.municipality("RS-70645", "Крагујевац")
    names = {*demo.CONFERENCE_PEOPLE, *demo.CONFERENCE_WAITING, *demo.VISIT_PEOPLE}
    names |= {*demo.WORKSHOP_PEOPLE, "dana", "emir", "stefan"}
    for name in sorted(names):
        User.objects.create_user(f"{name}@mreza.demo", "x-password-123", full_name=name.title())
    return world


def test_the_demo_events(demo_world):
    with acting_as(None, "load_demo"):
        assert len(demo.load()) == 3
        assert demo.load() == []
    conference = Event.objects.get(title=demo.CONFERENCE_TITLE)
    assert conference.status == "published" and conference.starts_at > timezone.now()
    assert conference.sessions.count() == 6
    assert conference.registrations.filter(status="confirmed").count() == conference.capacity
    assert conference.registrations.filter(status="waiting").count() == 2
    visit = Event.objects.get(title=demo.VISIT_TITLE)
    assert visit.ends_at < timezone.now()
    issued = AttendanceCertificate.objects.filter(registration__event=visit)
    assert issued.count() == len(demo.VISIT_PRESENT)
    assert all(certificates.check(c.code).verdict == "valid" for c in issued)
    assert Event.objects.get(title=demo.WORKSHOP_TITLE).registrations.count() == 2
