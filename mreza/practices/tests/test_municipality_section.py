"""The practices' card on the municipality page: published practices for everybody (kept in the
cache for anonymous readers and forgotten when a practice changes), drafts for its own people."""

from mreza.practices.models import Practice
from mreza.practices.tests.test_search import make_practice


def test_the_card_follows_publication_and_withdrawal(client, world):
    page = f"/municipalities/{world.a.code}/"
    assert "Odvojeno prikupljanje" not in client.get(page).content.decode()  # cached: none yet
    practice = make_practice(world.a, "Odvojeno prikupljanje")
    assert "Odvojeno prikupljanje" in client.get(page).content.decode()
    practice.status = Practice.Status.WITHDRAWN
    practice.save(update_fields=["status"])
    assert "Odvojeno prikupljanje" not in client.get(page).content.decode()


def test_a_draft_shows_to_its_municipality_only(client, world):
    make_practice(world.a, "Nacrt prakse", status=Practice.Status.DRAFT)
    page = f"/municipalities/{world.a.code}/"
    assert "Nacrt prakse" not in client.get(page).content.decode()
    client.force_login(world.charlie)
    assert "Nacrt prakse" not in client.get(page).content.decode()
    client.force_login(world.bob)
    assert "Nacrt prakse" in client.get(page).content.decode()
