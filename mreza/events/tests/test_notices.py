"""The event notices go through the notifications engine of the workspaces: a Notification row
each, e-mailed at once or in the weekly digest or not at all as the person chose, in their
language and script, with the unsubscribe link; a confirmation links the event's calendar file."""

import pytest
from django.core import mail

from mreza.core.audit import acting_as
from mreza.events.models import Registration
from mreza.events.services import events as event_services
from mreza.events.services import registrations as services
from mreza.progress.models import Notification, NotificationSettings
from mreza.progress.services import notifications

pytestmark = pytest.mark.django_db
Mode = NotificationSettings.Mode


def _to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_registration_is_confirmed_through_the_engine_with_the_calendar_link(
    ev, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.register(ev.conference, ev.bob)
    row = Notification.objects.get(user=ev.bob)
    assert "You are registered" in row.subject and row.url == f"/events/{ev.conference.pk}/"
    (message,) = _to(ev.bob)
    assert f"/events/{ev.conference.pk}/event.ics" in message.body
    assert "List-Unsubscribe" in message.extra_headers  # the engine's e-mail, not a bare one


def test_the_waiting_list_is_told_so(ev, django_capture_on_commit_callbacks):
    services.register(ev.conference, ev.alice)
    services.register(ev.conference, ev.charlie)
    with django_capture_on_commit_callbacks(execute=True):
        services.register(ev.conference, ev.bob)
    (message,) = _to(ev.bob)
    assert "On the waiting list" in message.subject


def test_notices_are_in_the_recipients_script(ev, django_capture_on_commit_callbacks):
    ev.bob.language = "sr-latn"
    ev.bob.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.register(ev.conference, ev.bob)
    assert "Godišnja konferencija" in Notification.objects.get(user=ev.bob).subject


def test_a_place_from_the_waiting_list_is_urgent(ev, django_capture_on_commit_callbacks):
    """Someone who chose no e-mail gets none; the notice stays on their notifications page. A
    weekly reader gets it at once (a week later the event may be over), and not again in the
    digest."""
    services.register(ev.conference, ev.bob)
    services.register(ev.conference, ev.charlie)
    waiting_none = services.register(ev.conference, ev.alice)
    services.register(ev.conference, ev.admin)
    notifications.set_mode(ev.alice, Mode.NONE)
    notifications.set_mode(ev.admin, Mode.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_capacity(ev.conference, 4)
    waiting_none.refresh_from_db()
    assert waiting_none.status == Registration.Status.CONFIRMED
    assert _to(ev.alice) == []
    assert Notification.objects.filter(user=ev.alice, subject__contains="A place is yours")
    (message,) = _to(ev.admin)
    assert "A place is yours" in message.subject
    row = Notification.objects.get(user=ev.admin, subject__contains="A place is yours")
    assert row.urgent and row.kind == Notification.Kind.EVENT and row.sent_at is not None
    NotificationSettings.objects.filter(user=ev.admin).update(last_digest_at=None)
    assert notifications.send_digests() == 0


def test_a_confirmation_is_not_urgent_a_weekly_reader_gets_it_in_the_digest(
    ev, django_capture_on_commit_callbacks
):
    notifications.set_mode(ev.bob, Mode.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        services.register(ev.conference, ev.bob)
    assert _to(ev.bob) == []
    assert not Notification.objects.get(user=ev.bob).urgent
    NotificationSettings.objects.filter(user=ev.bob).update(last_digest_at=None)
    assert notifications.send_digests() == 1
    assert "You are registered" in _to(ev.bob)[0].body


def test_a_withdrawal_by_the_organiser_is_told_an_own_one_is_not(
    ev, django_capture_on_commit_callbacks
):
    bob = services.register(ev.conference, ev.bob)
    charlie = services.register(ev.conference, ev.charlie)
    with django_capture_on_commit_callbacks(execute=True):
        with acting_as(ev.bob):
            services.withdraw(bob)
        with acting_as(ev.dana):
            services.withdraw(charlie)
    assert _to(ev.bob) == []
    (message,) = _to(ev.charlie)
    assert "Registration cancelled" in message.subject


def test_an_events_cancellation_is_told_to_everybody_registered(
    ev, django_capture_on_commit_callbacks
):
    services.register(ev.conference, ev.bob)
    gone = services.register(ev.conference, ev.charlie)
    services.register(ev.conference, ev.alice)
    services.register(ev.conference, ev.admin)  # waiting
    services.withdraw(gone, by=ev.charlie)
    notifications.set_mode(ev.alice, Mode.WEEKLY)  # urgent: at once all the same
    with django_capture_on_commit_callbacks(execute=True):
        event_services.cancel(ev.conference)
    told = set(
        Notification.objects.filter(subject__startswith="Cancelled").values_list("user", flat=True)
    )
    assert told == {ev.bob.pk, ev.alice.pk, ev.admin.pk}
    assert len([m for m in mail.outbox if m.subject.startswith("Cancelled")]) == 3
