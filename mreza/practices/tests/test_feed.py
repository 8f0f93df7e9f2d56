"""The Atom feed of the library parses as XML, has the elements Atom requires, lists only
published practices and shows an update again."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from mreza.practices.models import Practice, PracticeRevision
from mreza.practices.tests.test_search import make_practice

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client):
    response = client.get("/practices/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_is_valid_atom_with_the_required_elements(client, world):
    make_practice(world.a, "Управљање отпадом", summary="Одвојено сакупљање.")
    make_practice(world.b, "Nacrt", status=Practice.Status.DRAFT)
    root = feed(client)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "link"):
        assert root.find(f"{ATOM}{name}") is not None, name
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for name in ("id", "title", "updated", "link", "summary", "author"):
        assert entry.find(f"{ATOM}{name}") is not None, name
    assert entry.find(f"{ATOM}id").text.startswith("http://testserver/practices/")
    assert entry.find(f"{ATOM}title").text == "Upravljanje otpadom"  # English reader: Latin
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Banja Luka"


def test_an_update_moves_the_practice_up_and_sets_updated(client, world):
    old = make_practice(world.a, "Stara praksa")
    old.published_at = timezone.now() - datetime.timedelta(days=100)
    old.save()
    make_practice(world.b, "Nova praksa")
    titles = [e.find(f"{ATOM}title").text for e in feed(client).findall(f"{ATOM}entry")]
    assert titles == ["Nova praksa", "Stara praksa"]
    PracticeRevision.objects.create(practice=old, number=2, content={}, published_at=timezone.now())
    entries = feed(client).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Stara praksa", "Nova praksa"]
    updated = entries[0].find(f"{ATOM}updated").text
    published = entries[0].find(f"{ATOM}published").text
    assert updated > published


def test_hostile_text_stays_text_in_the_feed(client, world):
    make_practice(world.a, "<script>x</script> & co", summary="]]> <b>bold</b>")
    entry = feed(client).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "<script>x</script> & co"
    assert entry.find(f"{ATOM}summary").text == "]]> <b>bold</b>"
