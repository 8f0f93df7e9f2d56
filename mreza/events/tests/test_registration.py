"""Registration with a capacity and a waiting list: confirmed up to the places, then waiting in
order; a withdrawal promotes the first waiting person, who is e-mailed; one live registration per
person (a double request at once is refused, also when both passed the first check); registration
only while open."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from mreza.accounts.models import User
from mreza.events.models import Registration
from mreza.events.services import events as event_services
from mreza.events.services import registrations as services
from mreza.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db
Status = Registration.Status


def test_places_then_the_waiting_list_in_order(ev):
    first = services.register(ev.conference, ev.bob, "Banja Luka")
    second = services.register(ev.conference, ev.charlie)
    third = services.register(ev.conference, ev.alice)
    fourth = services.register(ev.conference, ev.admin)
    assert [r.status for r in (first, second, third, fourth)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
        Status.WAITING,
    ]
    assert services.waiting_position(third) == 1 and services.waiting_position(fourth) == 2
    assert services.confirmed_count(ev.conference) == 2


def test_a_withdrawal_promotes_the_first_waiting_person_and_emails_them(
    ev, django_capture_on_commit_callbacks
):
    ev.alice.language = "en"
    ev.alice.save()
    confirmed = services.register(ev.conference, ev.bob)
    services.register(ev.conference, ev.charlie)
    first_waiting = services.register(ev.conference, ev.alice)
    services.register(ev.conference, ev.admin)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.withdraw(confirmed, by=ev.bob)  # bob withdraws himself
    assert promoted.pk == first_waiting.pk
    first_waiting.refresh_from_db()
    assert first_waiting.status == Status.CONFIRMED and first_waiting.promoted_at is not None
    assert Registration.objects.get(user=ev.admin).status == Status.WAITING
    assert services.confirmed_count(ev.conference) == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ev.alice.email]
    assert "A place is yours" in mail.outbox[0].subject
    assert f"/events/{ev.conference.pk}/" in mail.outbox[0].body


def test_withdrawing_from_the_waiting_list_promotes_nobody(ev, django_capture_on_commit_callbacks):
    services.register(ev.conference, ev.bob)
    services.register(ev.conference, ev.charlie)
    waiting = services.register(ev.conference, ev.alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.withdraw(waiting, by=ev.alice) is None
    assert mail.outbox == []
    assert services.withdraw(waiting) is None  # twice changes nothing


def test_more_places_promote_waiting_people(ev):
    services.register(ev.conference, ev.bob)
    services.register(ev.conference, ev.charlie)
    waiting = services.register(ev.conference, ev.alice)
    promoted = services.set_capacity(ev.conference, 3)
    assert [r.pk for r in promoted] == [waiting.pk]


def test_more_places_in_the_event_form_promote_waiting_people_in_order(ev):
    # the organiser's edit form saves capacity through update_event, not set_capacity
    services.register(ev.conference, ev.bob)
    services.register(ev.conference, ev.charlie)
    first = services.register(ev.conference, ev.alice)
    second = services.register(ev.conference, ev.admin)
    conference = ev.conference
    event_services.update_event(conference, {"capacity": 3}, conference.version)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.CONFIRMED, Status.WAITING)
    assert services.confirmed_count(conference) == 3
    event_services.update_event(conference, {"capacity": None}, conference.version)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED


def test_registering_twice_is_refused(ev):
    services.register(ev.conference, ev.bob)
    with pytest.raises(services.RegistrationError, match="registered for this event already"):
        services.register(ev.conference, ev.bob)
    assert Registration.objects.filter(user=ev.bob).count() == 1


def test_two_requests_that_both_passed_the_check_make_one_registration(ev, monkeypatch):
    """The race: the second request read "not registered" before the first one wrote. The
    constraint refuses the second row, and the person sees the same clear message."""
    services.register(ev.conference, ev.bob)
    monkeypatch.setattr(services, "live_registration", lambda event, user: None)
    with pytest.raises(services.RegistrationError, match="registered for this event already"):
        services.register(ev.conference, ev.bob)
    assert Registration.objects.filter(user=ev.bob).count() == 1


def test_withdrawn_people_may_register_again(ev):
    services.withdraw(services.register(ev.conference, ev.bob))
    again = services.register(ev.conference, ev.bob)
    assert again.status == Status.CONFIRMED
    assert Registration.objects.filter(user=ev.bob).count() == 2


def test_registration_only_while_open(world):
    now = timezone.now()
    later = make_event(world, registration_opens_at=now + datetime.timedelta(days=1))
    with pytest.raises(services.RegistrationError, match="not open"):
        services.register(later, world.bob)
    draft = make_event(world, status="draft")
    with pytest.raises(services.RegistrationError):
        services.register(draft, world.bob)
    cancelled = make_event(world, status="cancelled")
    with pytest.raises(services.RegistrationError):
        services.register(cancelled, world.bob)


def test_the_register_page_confirms_then_puts_on_the_waiting_list(client, ev):
    url = f"/events/{ev.conference.pk}/register/"
    for user in (ev.bob, ev.charlie, ev.alice):
        client.force_login(user)
        assert client.post(url, {"affiliation": "Tuzla"}).status_code == 302
    page = client.get(f"/events/{ev.conference.pk}/").content.decode()
    assert "You are on the waiting list (number 1)" in page
    client.force_login(ev.bob)
    mine = Registration.objects.get(user=ev.bob)
    client.post(f"/events/{ev.conference.pk}/registrations/{mine.pk}/withdraw/")
    assert Registration.objects.get(user=ev.alice).status == Status.CONFIRMED


def test_a_person_cannot_withdraw_someone_elses_registration(client, ev):
    theirs = services.register(ev.conference, ev.bob)
    client.force_login(ev.charlie)
    response = client.post(f"/events/{ev.conference.pk}/registrations/{theirs.pk}/withdraw/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.CONFIRMED


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time, so it cannot race; the constraint test covers it",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overfill_the_event(world):
    """Five people at once for one last place, and one person twice at once (PostgreSQL: the
    event row lock serialises them)."""
    event = make_event(world, capacity=1)
    people = [User.objects.create_user(f"p{i}@example.org", "test-password-123") for i in range(5)]
    barrier = threading.Barrier(len(people) + 1)
    errors = []

    def attempt(user):
        barrier.wait()
        try:
            services.register(event, user)
        except services.RegistrationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in [*people, people[0]]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status=Status.CONFIRMED).count() == 1
    assert rows.count() == len(people)
    assert len(errors) == 1
