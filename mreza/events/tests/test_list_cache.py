"""The anonymous events list is kept rendered (views/events.py `_list_sections`): a repeat view
reads nothing from the database, and a new event or registration shows at once."""

import pytest

from mreza.events.services import registrations as registering
from mreza.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def test_a_repeat_anonymous_view_queries_nothing_and_changes_show_at_once(
    client, world, django_assert_num_queries, rendered_pages
):
    event = make_event(world, title="Radionica o otpadu", capacity=5)
    first = client.get("/events/").content.decode()
    assert "Radionica o otpadu" in first and "0 of 5 places taken" in first
    with django_assert_num_queries(0):
        assert client.get("/events/").status_code == 200
    registering.register(event, world.bob)
    assert "1 of 5 places taken" in client.get("/events/").content.decode()
    make_event(world, title="Studijska posjeta", days=40)
    assert "Studijska posjeta" in client.get("/events/").content.decode()


def test_signed_in_readers_and_odd_pages_are_not_served_from_the_cache(client, world):
    make_event(world, title="Nacrt radionice", status="draft")
    assert "Nacrt radionice" not in client.get("/events/").content.decode()
    client.force_login(world.alice)  # runs events A hosts: sees the draft in her own list
    assert "Nacrt radionice" in client.get("/events/").content.decode()
    client.logout()
    assert client.get("/events/?page=007").status_code == 200
    assert client.get("/events/?page=x&utm=1").status_code == 200
