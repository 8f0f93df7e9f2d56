"""The lists of the token API: paged with limits (a page size out of range is a 422 naming
`page_size`), the same number of queries however many rows, filters, ETag, and the schema."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.api.conventions import MAX_PAGE_SIZE
from mreza.api.tests.test_private_world import bearer, call, plan_of
from mreza.assessment.models import Assessment, Consensus, LearningProfile, Subcriterion
from mreza.networks.models import Network, NetworkMembership
from mreza.progress.models import Activity, Measurement, Workspace, WorkspaceMember

pytest_plugins = ("mreza.api.tests.test_private_world",)


def _urls(w):
    ws = w.workspace.pk
    return [
        "profiles",
        "assessments",
        f"assessments/{w.assessment.pk}/consensus",
        "networks",
        "network-places",
        "workspaces",
        f"workspaces/{ws}/activities",
        f"workspaces/{ws}/goals",
        f"workspaces/{ws}/meetings",
        f"workspaces/{ws}/indicators/{w.indicator.pk}/measurements",
    ]


def _grow(w, n=6):
    """More of every listed kind, all visible to alice (and admin)."""
    plan_of(w.workspace, n)
    for i in range(n):
        Measurement.objects.create(
            indicator=w.indicator,
            measured_on=datetime.date(2020, 1, 1 + i),
            value=Decimal(i),
            source="register",
        )
    for sub in Subcriterion.objects.filter(framework=w.assessment.framework).exclude(
        pk=w.subcriterion.pk
    )[:n]:
        Consensus.objects.create(assessment=w.assessment, subcriterion=sub, score=40)
    for i in range(n):
        assessment = Assessment.objects.create(
            municipality=w.a,
            framework=w.assessment.framework,
            method="classic",
            title=f"Old {i}",
            status="accepted",
            period_start=w.assessment.period_start.replace(year=2010 + i),
            period_end=w.assessment.period_end.replace(year=2010 + i),
        )
        LearningProfile.objects.create(assessment=assessment, municipality=w.a, sharing="private")
        network = Network.objects.create(round=w.round, area="6.1", host=w.a, title=f"N {i}")
        NetworkMembership.objects.create(network=network, municipality=w.a)
        NetworkMembership.objects.create(network=network, municipality=w.c)
        workspace = Workspace.objects.create(kind="twinning", title=f"Twinning {i}")
        WorkspaceMember.objects.create(workspace=workspace, municipality=w.a, role="partner")
        WorkspaceMember.objects.create(workspace=workspace, foreign_name=f"Town {i}")


@pytest.mark.parametrize("persona", ["alice", "admin"])
def test_every_list_runs_the_same_queries_however_many_rows(aw, client, persona):
    call(client, aw, persona, "me")  # the token's first use of the minute also notes it
    few = {}
    for url in _urls(aw):
        with CaptureQueriesContext(connection) as queries:
            assert call(client, aw, persona, url).status_code == 200, url
        few[url] = len(queries.captured_queries)
    before = {url: call(client, aw, persona, url).json()["count"] for url in _urls(aw)}
    _grow(aw)
    many = {}
    for url in _urls(aw):
        with CaptureQueriesContext(connection) as queries:
            response = call(client, aw, persona, url)
        assert response.status_code == 200, url
        assert response.json()["count"] > before[url], url  # the list did grow
        many[url] = len(queries.captured_queries)
    assert many == few
    # a token call is a handful of queries: the token and its user, the roles, the rows
    assert max(many.values()) <= 10


@pytest.mark.parametrize("size", ["0", "-1", str(MAX_PAGE_SIZE + 1), "10000000000", "ten"])
def test_a_page_size_out_of_range_is_a_422_naming_it(aw, client, size):
    for url in ("activities", "profiles"):
        path = f"workspaces/{aw.workspace.pk}/activities" if url == "activities" else url
        response = call(client, aw, "alice", f"{path}?page_size={size}")
        assert response.status_code == 422, (url, size)
        assert "page_size" in {e["field"] for e in response.json()["errors"]}


def test_pages_walk_the_whole_list_once(aw, client):
    plan_of(aw.workspace, 4)  # 5 activities in all
    url = f"workspaces/{aw.workspace.pk}/activities?page_size=2"
    seen, page = [], call(client, aw, "alice", url).json()
    assert page["count"] == 5 and page["pages"] == 3
    while True:
        seen += [row["id"] for row in page["results"]]
        if not page["next"]:
            break
        page = client.get(page["next"], **bearer(aw.tokens["alice"])).json()
    ids = list(Activity.objects.filter(workspace=aw.workspace).values_list("pk", flat=True))
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    assert call(client, aw, "alice", f"{url}&page=99").json()["results"] == []


def test_filters_narrow_the_lists(aw, client):
    ws = aw.workspace.pk
    assert call(client, aw, "alice", f"workspaces/{ws}/activities?status=done").json()["count"] == 0
    assert (
        call(client, aw, "alice", f"workspaces/{ws}/activities?status=planned").json()["count"] == 1
    )
    assert call(client, aw, "alice", "workspaces/1/activities?status=sleeping").status_code == 422
    assert call(client, aw, "alice", "profiles?municipality=T-B").json()["count"] == 0
    assert call(client, aw, "alice", f"profiles?municipality={aw.a.code}").json()["count"] == 1
    assert call(client, aw, "alice", "assessments?status=accepted").json()["count"] == 0
    kinds = {
        r["kind"] for r in call(client, aw, "alice", "workspaces?kind=twinning").json()["results"]
    }
    assert kinds == {"twinning"}


def test_an_unchanged_list_answers_304_to_its_etag(aw, client):
    url = f"/api/v1/private/workspaces/{aw.workspace.pk}/activities"
    first = client.get(url, **bearer(aw.tokens["alice"]))
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(aw.tokens["alice"]))
    assert again.status_code == 304
    # the same address answers another user differently: the ETag is not shared
    assert "Authorization" in first["Vary"]


def test_huge_ids_are_a_404_not_an_error(aw, client):
    for url in (
        f"workspaces/{10**30}",
        f"workspaces/{2**63}/activities",
        f"profiles/{2**63 - 1}",
        f"assessments/{10**25}/consensus",
        "networks/-1",
    ):
        response = call(client, aw, "alice", url)
        assert response.status_code in (404, 422), url
        assert response["Content-Type"].startswith("application/json"), url


def test_the_schema_lists_the_private_endpoints_behind_the_bearer_token(client):
    schema = client.get("/api/v1/openapi.json").json()
    private = {p: ops for p, ops in schema["paths"].items() if "/private/" in p}
    assert "/api/v1/private/workspaces/{workspace_id}/activities/{activity_id}/status" in private
    assert len(private) >= 15
    for path, operations in private.items():
        for method, operation in operations.items():
            assert operation["security"] == [{"TokenAuth": []}], (path, method)
            assert "401" in {str(code) for code in operation["responses"]}, (path, method)
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
