"""Frameworks with their criteria and subcriteria, named by code and version, in every stored
language and in the request's; constant query counts as frameworks are added."""

from mreza.api.tests.public_fixtures import _fresh_rate_limits, count_queries, get_json  # noqa: F401
from mreza.assessment.frameworks.schema import FRAMEWORKS_DIR
from mreza.assessment.services import install_framework

URL = "/api/v1/frameworks"


def test_frameworks_with_their_criteria(caf, client):
    (row,) = get_json(client, URL)["results"]
    assert (row["code"], row["version"]) == ("caf2020", caf.version)
    assert (row["criteria_count"], row["subcriteria_count"]) == (9, 28)
    assert set(row["names"]) >= {"en", "bs", "hr", "sr", "bg"}
    body = get_json(client, f"{URL}/caf2020/{caf.version}")
    assert [c["code"] for c in body["criteria"]][:2] == ["1", "2"]
    first = body["criteria"][0]["subcriteria"][0]
    assert first["code"] == "1.1" and first["panels"]["classic"]
    assert sum(len(c["subcriteria"]) for c in body["criteria"]) == 28
    assert get_json(client, f"{URL}/caf2020/0.0", status=404)["code"] == "not_found"


def test_titles_in_the_request_language(caf, client):
    english = get_json(client, URL)["results"][0]["name"]
    croatian = get_json(client, URL, **{"Accept-Language": "hr"})["results"][0]["name"]
    assert english != croatian and croatian == caf.name["hr"]


def test_query_counts_stay_the_same_as_frameworks_are_added(caf, client):
    urls = [URL, f"{URL}/caf2020/{caf.version}"]
    before = [count_queries(client, url) for url in urls]
    install_framework(FRAMEWORKS_DIR / "eloge2023.yaml")
    assert [count_queries(client, url) for url in urls] == before
    # a fixed number of queries (today these), whatever the number of rows
    assert all(n <= most for n, most in zip(before, [2, 3], strict=True))
