"""Public network results: only published workspaces, with the figures of their public progress
page; what the API shows is what the policy grants an anonymous visitor (VIEW_PLAN); constant
query counts as workspaces, members and indicators grow."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from mreza.api.tests.public_fixtures import (  # noqa: F401 (fixtures)
    _fresh_rate_limits,
    count_queries,
    evaluation,
    get_json,
    known,
    ws,
)
from mreza.core import access
from mreza.core.access import Perm, may
from mreza.progress.models import Indicator, Measurement, Workspace, WorkspaceMember
from mreza.progress.views.progress import figures

URL = "/api/v1/workspaces"


@pytest.fixture
def published(known):  # noqa: F811 (the fixture imported above)
    Workspace.objects.filter(pk=known.workspace.pk).update(is_published=True)
    known.workspace.refresh_from_db()
    return known


def test_only_published_workspaces_are_listed(known, client):  # noqa: F811 (the fixture imported above)
    assert get_json(client, URL)["count"] == 0
    assert get_json(client, f"{URL}/{known.workspace.pk}/progress", status=404)["code"] == (
        "not_found"
    )
    Workspace.objects.filter(pk=known.workspace.pk).update(is_published=True)
    body = get_json(client, URL)
    assert [w["id"] for w in body["results"]] == [known.workspace.pk]
    assert get_json(client, f"{URL}/{known.twinning.pk}/progress", status=404)


def test_the_listing_follows_the_policy_for_every_workspace(published):
    Workspace.objects.filter(pk=published.twinning.pk).update(is_published=True)
    extra = Workspace.objects.create(kind=Workspace.Kind.TWINNING, title="Not public")
    WorkspaceMember.objects.create(workspace=extra, municipality=published.b)
    anonymous = AnonymousUser()
    listed = set(
        access.plans_visible_to(anonymous, Workspace.objects.all()).values_list("pk", flat=True)
    )
    granted = {w.pk for w in Workspace.objects.all() if may(anonymous, Perm.VIEW_PLAN, w)}
    assert listed == granted and len(granted) == 2


def test_a_workspace_with_its_members_and_progress_summary(published, client):
    w = published
    (row,) = get_json(client, URL)["results"]
    assert row["kind"] == "network" and row["title"] == w.workspace.title
    assert row["framework"]["code"] == "caf2020" and row["organisation"] == "T-ASSOC"
    assert {m["municipality"] for m in row["members"]} == {"T-A", "T-C", "T-D"}
    one = figures([w.workspace.pk])[w.workspace.pk]
    assert row["progress"]["activities"] == one.activities == 4
    assert row["progress"]["done"] == 2
    assert get_json(client, f"{URL}?municipality=T-C")["count"] == 1
    assert get_json(client, f"{URL}?municipality=T-B")["count"] == 0
    assert get_json(client, f"{URL}?kind=twinning")["count"] == 0


def test_progress_figures_as_on_the_public_page(published, client):
    w = published
    body = get_json(client, f"{URL}/{w.workspace.pk}/progress")
    assert body["summary"]["activities"] == 4 and body["summary"]["done"] == 2
    plans, turnover = body["indicators"]
    assert (plans["name"], plans["scope"], plans["latest"]) == ("Plans adopted", "network", 60.0)
    assert plans["share"] == pytest.approx(0.5)
    assert turnover["scope"] == "member"
    assert {(m["municipality"], m["value"]) for m in turnover["per_member"]} == {
        ("T-A", 7.0),
        ("T-C", 6.0),
    }
    assert {a["municipality"] for a in body["attendance"]} == {"T-A", "T-C", "T-D"}


def test_a_huge_or_zero_id_is_refused_not_a_server_error(client, db):
    assert get_json(client, f"{URL}/0/progress", status=422)["errors"][0]["field"] == (
        "workspace_id"
    )
    assert get_json(client, f"{URL}/{2**70}/progress", status=422)
    assert get_json(client, f"{URL}/{2**63 - 1}/progress", status=404)


def test_query_counts_stay_the_same_as_workspaces_and_indicators_grow(published, client):
    w = published
    urls = [URL, f"{URL}/{w.workspace.pk}/progress"]
    before = [count_queries(client, url) for url in urls]
    for number in range(4):
        other = Workspace.objects.create(
            kind=Workspace.Kind.TWINNING, title=f"Twinning {number}", is_published=True
        )
        WorkspaceMember.objects.create(workspace=other, municipality=w.b)
        WorkspaceMember.objects.create(workspace=other, foreign_name=f"Abroad {number}")
    for number in range(3):
        member = WorkspaceMember.objects.create(
            workspace=w.workspace, municipality=w.municipality(f"T-N{number}", f"Novo {number}")
        )
        indicator = Indicator.objects.create(
            goal=w.goal, name=f"Extra {number}", unit="%", baseline=0, target=10, scope="member"
        )
        Measurement.objects.create(
            indicator=indicator,
            member=member,
            measured_on=datetime.date(2025, 6, 1),
            value=Decimal(5),
            source="register",
        )
    assert [count_queries(client, url) for url in urls] == before
    # a fixed number of queries (today these), whatever the number of rows
    assert all(n <= most for n, most in zip(before, [8, 7], strict=True))
