"""Transfers: an offer of help on a published practice, another municipality's request that
becomes a step-2 partnership the network coordinator confirms on the usual page, and the adoption
recorded afterwards ("adopted by X in 2027")."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.core.access import Perm, may
from mreza.networks.models import GroupingRound, Partnership
from mreza.practices.models import Replication, TransferRequest
from mreza.practices.services import PracticeError, transfer
from mreza.practices.tests.test_authoring import draft, published, setup_people
from mreza.registry.models import Membership


@pytest.fixture
def w(world, caf):
    return setup_people(world)


@pytest.fixture
def practice(w, caf):
    practice = published(w, caf)
    transfer.save_offer(practice, w.alice, description="Study visits and templates", is_open=True)
    practice.refresh_from_db()
    return practice


def test_only_the_municipalitys_coordinator_or_management_offers_help(w, caf, client):
    practice = published(w, caf)
    client.force_login(w.bob)
    assert client.get(f"/practices/{practice.pk}/offer/").status_code == 403
    client.force_login(w.alice)
    url = f"/practices/{practice.pk}/offer/"
    assert client.post(url, {"description": "", "is_open": "on"}).status_code == 400
    assert client.post(url, {"description": "Visits", "is_open": "on"}).status_code == 302
    offer = practice.transfer_offer
    response = client.post(url, {"description": "Closed now", "version": offer.version})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.description == "Closed now" and not offer.is_open
    stale = client.post(url, {"description": "Old tab", "version": offer.version - 1})
    assert stale.status_code == 409 and "Old tab" in stale.content.decode()


def test_no_offer_on_a_draft(w, caf):
    with pytest.raises(PracticeError):
        transfer.save_offer(draft(w, caf), w.alice, description="x", is_open=True)


def test_a_request_becomes_a_partnership_the_coordinator_confirms(w, practice, client):
    client.force_login(w.charlie)  # staff of B: may not ask for B
    assert client.get(f"/practices/{practice.pk}/request/").status_code == 403
    client.force_login(w.nada)
    url = f"/practices/{practice.pk}/request/"
    assert client.get(url).status_code == 200
    mail.outbox.clear()
    response = client.post(url, {"municipality": w.b.pk, "message": "We want to adopt it"})
    assert response.status_code == 302
    request = TransferRequest.objects.get()
    partnership = request.partnership
    assert (partnership.mentor, partnership.learner) == (w.a, w.b)
    assert partnership.round.organisation == w.association
    assert partnership.round.status == GroupingRound.Status.PUBLISHED
    assert partnership.area == practice.areas.order_by("position").first().code
    assert partnership.is_confirmed and partnership.confirmed_at is None
    assert w.dana.email in {m.to[0] for m in mail.outbox}
    # asking again while it waits is refused with a message
    again = client.post(url, {"municipality": w.b.pk, "message": "again"})
    assert again.status_code == 400 and "already asked" in again.content.decode()
    assert Partnership.objects.count() == 1
    # nada may not record the adoption before the coordinator confirms
    assert not may(w.nada, Perm.RECORD_REPLICATION, practice)
    client.force_login(w.dana)
    round_ = partnership.round
    assert client.get(f"/networks/rounds/{round_.pk}/").status_code == 200
    confirm = f"/networks/rounds/{round_.pk}/partnerships/{partnership.pk}/confirm/"
    assert client.post(confirm).status_code == 302
    partnership.refresh_from_db()
    assert partnership.confirmed_at is not None
    practice = type(practice).objects.get(pk=practice.pk)
    assert may(w.nada, Perm.RECORD_REPLICATION, practice)
    client.force_login(w.nada)
    url = f"/practices/{practice.pk}/adoptions/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"municipality": w.b.pk, "year": "2027", "note": "Went well"})
    assert response.status_code == 302
    replication = Replication.objects.get()
    assert (replication.municipality, replication.year, replication.request) == (w.b, 2027, request)
    request.refresh_from_db()
    assert request.status == TransferRequest.Status.CONFIRMED


def test_the_standing_round_is_made_once(w, practice):
    first = transfer.request_transfer(practice, w.nada, w.b)
    c_coordinator = w.user("cora")
    from_c = transfer.request_transfer(practice, c_coordinator, w.municipality("T-C", "C"))
    assert first.partnership.round == from_c.partnership.round
    assert GroupingRound.objects.filter(title=transfer.STANDING_ROUND_TITLE).count() == 1


def test_a_practice_of_a_municipality_in_no_association_cannot_be_requested(w, practice):
    Membership.objects.filter(municipality=w.a).delete()
    with pytest.raises(PracticeError) as refusal:
        transfer.request_transfer(practice, w.nada, w.b)
    assert "not a member of any association" in str(refusal.value)
    assert not Partnership.objects.exists()


def test_a_closed_offer_takes_no_requests(w, practice):
    transfer.save_offer(practice, w.alice, description="Closed", is_open=False)
    practice.refresh_from_db()
    assert not may(w.nada, Perm.REQUEST_TRANSFER, practice)
    with pytest.raises(PracticeError):
        transfer.request_transfer(practice, w.nada, w.b)


def test_the_practices_municipality_records_any_adoption_once(w, practice, client):
    client.force_login(w.alice)
    url = f"/practices/{practice.pk}/adoptions/new/"
    response = client.post(url, {"code": w.b.code, "year": "2026"})
    assert response.status_code == 302
    again = client.post(url, {"code": w.b.code, "year": "2027"})
    assert again.status_code == 400 and "already recorded" in again.content.decode()
    own = client.post(url, {"code": w.a.code, "year": "2027"})
    assert own.status_code == 400
    unknown = client.post(url, {"code": "NOPE", "year": "2027"})
    assert (
        unknown.status_code == 400 and "No municipality has this code" in unknown.content.decode()
    )
    assert Replication.objects.count() == 1


def test_a_second_lookup_finds_the_standing_round(w, caf):
    """Two first requests, one after the other as the lock makes them: one round."""
    first = transfer.standing_round(w.a)
    assert transfer.standing_round(w.a) == first
    assert GroupingRound.objects.filter(filters__kind=transfer.STANDING_MARK).count() == 1


def test_the_organisation_is_locked_before_the_round_is_looked_up(w, caf):
    """Concurrent first requests: the second must wait for the first's round. PostgreSQL: a
    SELECT ... FOR UPDATE of the organisation's row comes before the lookup. SQLite ignores FOR
    UPDATE; there every transaction begins IMMEDIATE (one writer at a time), and the row is still
    read first, inside the transaction."""
    with CaptureQueriesContext(connection) as queries:
        transfer.standing_round(w.a)
    sql = [q["sql"] for q in queries.captured_queries]
    locks = [
        i
        for i, s in enumerate(sql)
        if s.startswith("SELECT") and 'FROM "registry_organisation"' in s
    ]
    lookups = [i for i, s in enumerate(sql) if 'FROM "networks_groupinground"' in s]
    assert locks and lookups and locks[0] < lookups[0]
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in sql[locks[0]]
    else:
        assert connection.vendor == "sqlite"
        assert connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE"
