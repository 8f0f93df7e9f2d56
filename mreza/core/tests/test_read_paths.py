"""Read-only pages do no write-path work: no audit snapshot, and a query count that does not grow
with the data (issue 10). The changes they would record are still recorded in full."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.core import audit
from mreza.core.models import AuditEntry
from mreza.networks.models import Network
from mreza.networks.tests import conftest as networks_conftest
from mreza.networks.tests.test_rounds import new_round
from mreza.registry.models import Municipality

grouping_world = networks_conftest.grouping_world  # the networks tests' fixture, reused here

ANONYMOUS_PAGES = [
    "/",
    "/municipalities/",
    "/municipalities/?q=banja",
    "/municipalities/?country=BA&region=T-RS&type=city",
    "/municipalities/T-A/",
    "/municipalities/map/?country=BA",
]


@pytest.fixture
def snapshots(monkeypatch):
    """Counts every audit snapshot made, eagerly (`snapshot`) or lazily (`loaded_values`)."""
    calls = []
    real_snapshot, real_loaded = audit.snapshot, audit.loaded_values

    def counting_snapshot(instance):
        calls.append(("snapshot", type(instance).__name__))
        return real_snapshot(instance)

    def counting_loaded(instance):
        calls.append(("loaded_values", type(instance).__name__))
        return real_loaded(instance)

    monkeypatch.setattr(audit, "snapshot", counting_snapshot)
    monkeypatch.setattr(audit, "loaded_values", counting_loaded)
    return calls


@pytest.fixture
def published(grouping_world, caf, client):
    grouping_world.caf_pk = caf.pk
    round_ = new_round(client, grouping_world)
    assert round_.status == "proposed", round_.error
    client.post(  # networks exist once the proposal is published
        f"/networks/rounds/{round_.pk}/edit/",
        {"action": "publish", "version": round_.version, "without_coordinator_ok": "1"},
    )
    assert Network.objects.filter(round=round_).exists()
    return round_


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_a_read_only_page_takes_no_audit_snapshot(world, client, snapshots, url):
    _get(client, url)
    assert snapshots == []


@pytest.mark.parametrize("url", [*ANONYMOUS_PAGES, "/dashboard/"])
def test_a_read_only_page_signed_in_takes_no_audit_snapshot(world, client, snapshots, url):
    client.force_login(world.alice)
    snapshots.clear()
    _get(client, url)
    assert snapshots == []


def test_round_and_network_pages_take_no_audit_snapshot(published, client, snapshots):
    network = Network.objects.filter(round=published).first()
    assert network is not None
    snapshots.clear()
    _get(client, f"/networks/rounds/{published.pk}/")
    _get(client, f"/networks/{network.pk}/")
    _get(client, "/dashboard/")
    assert snapshots == []


def test_a_change_to_a_loaded_record_still_records_its_old_values(world):
    with audit.acting_as(world.alice):
        m = Municipality.objects.get(code="T-A")
        m.website = "https://banjaluka.rs.ba"
        m.save(update_fields=["website"])
        partial = Municipality.objects.only("description").get(code="T-A")
        partial.description = "Novo"
        partial.save(update_fields=["description"])
        gone = Municipality.objects.get(code="T-B")
        gone_pk = gone.pk
        gone.delete()
    updates = list(
        AuditEntry.objects.filter(object_id=str(world.a.pk), action="update")
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert updates[-2:] == [
        {"website": ["", "https://banjaluka.rs.ba"]},
        {"description": ["", "Novo"]},
    ]
    deleted = AuditEntry.objects.get(object_id=str(gone_pk), action="delete").changes
    assert deleted["name"] == ["Tuzla", None] and deleted["population"] == [110979, None]
    assert "id" not in deleted and "search_key" not in deleted and "version" not in deleted


def _add(world, n, prefix):
    Municipality.objects.bulk_create(
        Municipality(
            code=f"{prefix}{i}",
            name=f"Banja {prefix}{i}",
            country=world.country,
            region=world.entity if i % 2 else world.canton,
            population=1000 + i,
            latitude=44 + i / 1000,
            longitude=17 + i / 1000,
            search_key=f"banja {prefix.lower()}{i}",
        )
        for i in range(n)
    )


def _queries(client, url):
    """(cold, warm): with the registry's caches empty, then on the next request."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            _get(client, url)
        counts.append(len(ctx.captured_queries))
    return tuple(counts)


@pytest.mark.parametrize(
    "url", ["/", "/dashboard/", *ANONYMOUS_PAGES[1:], "/municipalities/?page=2"]
)
def test_key_pages_run_constant_queries_as_the_registry_grows(world, client, url):
    client.force_login(world.alice)
    _get(client, url)  # the session's first page keeps "no TOTP" in it
    _add(world, 60, "S")
    small = _queries(client, url)
    _add(world, 600, "L")
    assert _queries(client, url) == small


def test_round_and_network_pages_run_constant_queries_as_the_registry_grows(
    published, client, grouping_world
):
    network = Network.objects.filter(round=published).first()
    urls = [f"/networks/rounds/{published.pk}/", f"/networks/{network.pk}/"]
    _add(grouping_world, 20, "S")
    small = [_queries(client, url) for url in urls]
    _add(grouping_world, 500, "L")
    assert [_queries(client, url) for url in urls] == small
