"""Published evaluations without an account: the report's submitted parts only (ratings,
activities, score changes, satisfaction, lessons), parts not submitted only counted; constant
query counts as members grow."""

import pytest

from mreza.api.tests.public_fixtures import (  # noqa: F401 (fixtures)
    _fresh_rate_limits,
    count_queries,
    evaluation,
    get_json,
    known,
    ws,
)
from mreza.evaluation.models import Evaluation, MemberEvaluation
from mreza.evaluation.tests.test_report_numbers import reassessed, submitted, survey_with_waves
from mreza.progress.models import WorkspaceMember

URL = "/api/v1/evaluations"


@pytest.fixture
def published(known):  # noqa: F811 (the fixture imported above)
    Evaluation.objects.filter(pk=known.evaluation.pk).update(is_published=True)
    return known


def test_only_published_evaluations(known, client):  # noqa: F811 (the fixture imported above)
    assert get_json(client, URL)["count"] == 0
    assert get_json(client, f"{URL}/{known.evaluation.pk}", status=404)["code"] == "not_found"
    Evaluation.objects.filter(pk=known.evaluation.pk).update(is_published=True)
    (row,) = get_json(client, URL)["results"]
    assert row["id"] == known.evaluation.pk and row["title"] == "Evaluation 2026"
    assert row["workspace"]["id"] == known.workspace.pk


def test_the_report_has_the_submitted_parts_only(published, client):
    body = get_json(client, f"{URL}/{published.evaluation.pk}")
    a, c = body["members"]
    assert (a["municipality"], c["municipality"]) == ("T-A", "T-C")
    assert body["not_submitted"] == 1
    assert "Secret draft of D" not in str(body) and "T-D" not in str(body)
    assert a["lessons"] == "Lessons of A" and c["keep_doing"] == "keep Lessons of C"
    assert [(d["subcriterion"], d["before"], d["after"], d["change"]) for d in a["deltas"]] == [
        ("3.1", 40.0, 70.0, 30.0)
    ]
    assert a["satisfaction"]["before_answers"] == 20 and c["satisfaction"] is None
    assert a["satisfaction"]["after_mean"] > a["satisfaction"]["before_mean"]
    assert (a["activities"]["done"], a["activities"]["total"]) == (2, 3)
    staff, _training = body["goals"]
    counts = {r["rating"]: r["members"] for r in staff["ratings"]}
    assert counts["met"] == 1 and counts["partly"] == 1


def test_query_counts_stay_the_same_as_members_grow(published, caf, client):
    w = published
    urls = [URL, f"{URL}/{w.evaluation.pk}"]
    before = [count_queries(client, url) for url in urls]
    for number in range(3):
        municipality = w.municipality(f"T-X{number}", f"Extra {number}")
        member = WorkspaceMember.objects.create(workspace=w.workspace, municipality=municipality)
        part = MemberEvaluation.objects.create(evaluation=w.evaluation, member=member)
        reassessed(part, caf, 30, 60)
        survey_with_waves(municipality, w.workspace, w.dana)
        submitted(w, part, ("met", "partly"), f"Lessons {number}", w.dana)
    assert [count_queries(client, url) for url in urls] == before
    # a fixed number of queries (today these), whatever the number of rows
    assert all(n <= most for n, most in zip(before, [2, 14], strict=True))
