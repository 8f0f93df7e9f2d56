"""The events' section of /sitemap.xml: public events only, each opening without an account."""

from mreza.events.models import Event
from mreza.events.tests.conftest import make_event
from mreza.practices.tests.test_sitemap import all_locations


def test_published_events_are_in_the_sitemap_and_drafts_are_not(client, world):
    published = make_event(world)
    draft = make_event(world, status=Event.Status.DRAFT)
    urls = all_locations(client)
    assert f"http://testserver/events/{published.pk}/" in urls
    assert f"http://testserver/events/{draft.pk}/" not in urls
    assert client.get(f"/events/{published.pk}/").status_code == 200
