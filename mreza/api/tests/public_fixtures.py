"""Worlds for the public API tests, built from the apps' own fixtures (imported, so the test
modules that import from here get them): `known` is a published-able network workspace with an
evaluation (parts of A and C submitted, D's not), a survey of A with two closed waves, goals,
indicators and activities (mreza/evaluation/tests/test_report_numbers.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.evaluation.tests.conftest import evaluation  # noqa: F401 (fixture)
from mreza.evaluation.tests.test_report_numbers import known  # noqa: F401 (fixture)
from mreza.progress.tests.conftest import ws  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test starts with an empty rate-limit count (the cache outlives a test)."""
    cache.clear()
    yield
    cache.clear()


def get_json(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def count_queries(client, url):
    """Queries of one GET of `url` (after a first one: the cache and the session warm up)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
