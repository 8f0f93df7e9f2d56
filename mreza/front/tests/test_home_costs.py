"""The home page costs no query once its count is cached, however large the registry, and the
count follows every change (issue 10)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.registry.models import Municipality


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_home_runs_no_query_once_warm_as_the_registry_grows(world, client, rendered_pages):
    _queries(client)
    assert _queries(client)[0] == 0
    for i in range(300):
        world.municipality(f"N{i}", f"Mjesto {i}")
    _queries(client)  # the registry changed: the count is taken again, once
    count, body = _queries(client)
    assert count == 0
    assert "302 local self-government units" in body


def test_home_count_follows_a_deleted_municipality(world, client):
    assert "2 local self-government units" in _queries(client)[1]
    world.municipality("T-C", "Treće")
    assert "3 local self-government units" in _queries(client)[1]
    Municipality.objects.get(code="T-C").delete()
    assert "2 local self-government units" in _queries(client)[1]
