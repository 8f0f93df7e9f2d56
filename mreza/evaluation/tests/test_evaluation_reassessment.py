"""A member's re-assessment: started by the municipality's coordinator on the network's area (or
on chosen subcriteria when the workspace names none), compared with its latest whole
self-assessment; refused with a clear message when there is none; its deltas on the part."""

import datetime

import pytest
from django.urls import reverse

from mreza.assessment.models import Assessment, Consensus, GroupMember, Subcriterion
from mreza.assessment.services import record_consensus


def closed_assessment(municipality, framework, scores, *, year, status="closed"):
    made = Assessment.objects.create(
        municipality=municipality,
        framework=framework,
        method="classic",
        title=f"CAF {year}",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        status=status,
    )
    for code, score in scores.items():
        Consensus.objects.create(
            assessment=made,
            subcriterion=Subcriterion.objects.get(framework=framework, code=code),
            score=score,
        )
    return made


def _start(client, w, part, data=None):
    return client.post(
        reverse("evaluation:reassessment_start", args=[w.evaluation.pk, part.pk]), data or {}
    )


def _part_page(client, w, part):
    return client.get(reverse("evaluation:part", args=[w.evaluation.pk, part.pk])).content.decode()


def test_the_coordinator_starts_it_on_the_area_against_the_latest_baseline(evaluation, caf, client):
    w = evaluation
    closed_assessment(w.a, caf, {"3.1": 30}, year=2022)
    latest = closed_assessment(w.a, caf, {"3.1": 40, "1.1": 55}, year=2024)
    client.force_login(w.alice)
    response = _start(client, w, w.part_a)
    w.part_a.refresh_from_db()
    again = w.part_a.reassessment
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:group", args=[again.pk])
    assert again.scope == ["3.1"]
    assert again.baseline == latest
    assert again.municipality == w.a and again.method == "classic"
    assert GroupMember.objects.get(assessment=again).user == w.alice
    assert "Evaluation 2026" in again.title


def test_without_a_closed_whole_assessment_it_says_what_to_do_first(evaluation, caf, client):
    w = evaluation
    Assessment.objects.create(
        municipality=w.a,
        framework=caf,
        method="classic",
        title="Still scoring",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    client.force_login(w.alice)
    assert "must first close a self-assessment of the whole framework" in _part_page(
        client, w, w.part_a
    )
    response = _start(client, w, w.part_a)
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "must first close a self-assessment of the whole framework" in follow
    w.part_a.refresh_from_db()
    assert w.part_a.reassessment is None
    assert Assessment.objects.count() == 1


def test_whoever_runs_the_workspace_does_not_start_a_municipalitys_assessment(
    evaluation, caf, client
):
    w = evaluation
    closed_assessment(w.a, caf, {"3.1": 40}, year=2024)
    client.force_login(w.dana)
    assert "coordinator starts the re-assessment" in _part_page(client, w, w.part_a)
    assert _start(client, w, w.part_a).status_code == 403
    client.force_login(w.cora)  # another member's coordinator
    assert _start(client, w, w.part_a).status_code == 403
    assert not Assessment.objects.filter(baseline__isnull=False).exists()


def test_it_starts_once(evaluation, caf, client):
    w = evaluation
    closed_assessment(w.a, caf, {"3.1": 40}, year=2024)
    client.force_login(w.alice)
    _start(client, w, w.part_a)
    _start(client, w, w.part_a)
    assert Assessment.objects.filter(baseline__isnull=False).count() == 1


def test_without_an_area_the_member_chooses_the_subcriteria(evaluation, caf, client):
    w = evaluation
    w.workspace.area = ""
    w.workspace.save(update_fields=["area"])
    closed_assessment(w.a, caf, {"3.1": 40, "1.1": 50}, year=2024)
    client.force_login(w.alice)
    assert 'value="1.1"' in _part_page(client, w, w.part_a)
    refused = _start(client, w, w.part_a)
    assert "Choose at least one subcriterion" in client.get(refused["Location"]).content.decode()
    _start(client, w, w.part_a, {"codes": ["3.1", "1.1"]})
    w.part_a.refresh_from_db()
    assert w.part_a.reassessment.scope == ["1.1", "3.1"]  # framework order


def test_a_workspace_without_framework_has_no_reassessment(evaluation, client):
    w = evaluation
    w.workspace.framework = None
    w.workspace.save(update_fields=["framework"])
    client.force_login(w.alice)
    assert "names no assessment framework" in _part_page(client, w, w.part_a)
    assert _start(client, w, w.part_a).status_code == 302
    w.part_a.refresh_from_db()
    assert w.part_a.reassessment is None


@pytest.mark.parametrize("scored", [False, True])
def test_the_part_shows_the_deltas_once_there_are_consensus_scores(evaluation, caf, client, scored):
    w = evaluation
    closed_assessment(w.a, caf, {"3.1": 40}, year=2024)
    client.force_login(w.alice)
    _start(client, w, w.part_a)
    w.part_a.refresh_from_db()
    again = w.part_a.reassessment
    if scored:
        sub = Subcriterion.objects.get(framework=caf, code="3.1")
        record_consensus(again, sub, {"score": 70}, w.alice, None)
    page = _part_page(client, w, w.part_a)
    assert reverse("assessment:overview", args=[again.pk]) in page
    if scored:
        assert "+30" in page and "No consensus score yet" not in page
    else:
        assert "No consensus score yet" in page


def test_a_runner_sees_the_deltas_but_no_link_to_the_private_assessment(evaluation, caf, client):
    w = evaluation
    closed_assessment(w.a, caf, {"3.1": 40}, year=2024)
    client.force_login(w.alice)
    _start(client, w, w.part_a)
    w.part_a.refresh_from_db()
    sub = Subcriterion.objects.get(framework=caf, code="3.1")
    record_consensus(w.part_a.reassessment, sub, {"score": 35}, w.alice, None)
    client.force_login(w.dana)
    page = _part_page(client, w, w.part_a)
    assert "−5" in page or "-5" in page
    assert reverse("assessment:overview", args=[w.part_a.reassessment.pk]) not in page
