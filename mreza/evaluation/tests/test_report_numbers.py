"""The evaluation report on known data: ratings per goal, indicators against their targets,
re-assessment deltas next to the satisfaction change, lessons quoted, activities done; only
submitted parts; the PDF. The batched readers give what the one-at-a-time services give.

Known data (on top of the `evaluation` fixture):

    member  ratings (goal 1, goal 2)  baseline → re-assessment (3.1)  satisfaction before → after
    A       met, not started          40 → 70 (+30)                   2,3,3,4,3 ×4 → 4,4,5,3,4 ×4
    C       partly, met               50 → 45 (−5)                    no survey
    D       not submitted (its lessons must not appear)
"""

import datetime

import pytest
from django.urls import reverse

from mreza.assessment.services import reassessment_deltas as one_reassessment
from mreza.evaluation.models import Evaluation
from mreza.evaluation.services import evaluations as services
from mreza.evaluation.services import report as reports
from mreza.evaluation.tests.test_evaluation_reassessment import closed_assessment
from mreza.surveys.models import Response, Wave
from mreza.surveys.services import builder
from mreza.surveys.services.results import satisfaction_change

BEFORE = [2, 3, 3, 4, 3] * 4
AFTER = [4, 4, 5, 3, 4] * 4
LATER = datetime.date(2026, 1, 1)


def reassessed(part, framework, before, after):
    """A closed re-assessment of 3.1 of the part's municipality with the given scores."""
    municipality = part.member.municipality
    baseline = closed_assessment(municipality, framework, {"3.1": before}, year=2024)
    again = closed_assessment(municipality, framework, {"3.1": after}, year=2026)
    again.scope, again.baseline = ["3.1"], baseline
    again.save(update_fields=["scope", "baseline"])
    part.reassessment = again
    part.save(update_fields=["reassessment"])
    return again


def survey_with_waves(municipality, workspace, user, before=BEFORE, after=AFTER):
    survey = builder.create_survey(
        municipality, user, languages=["en"], template="satisfaction", workspace=workspace
    )
    for position, values in enumerate((before, after)):
        wave = Wave.objects.create(
            survey=survey, name=f"Wave {position}", position=position, status=Wave.Status.CLOSED
        )
        Response.objects.bulk_create(
            Response(
                wave=wave,
                answers={"overall": v},
                language="en",
                submitted_on=datetime.date(2025, 1, 1),
            )
            for v in values
        )
    return survey


def submitted(w, part, ratings, lessons, user):
    ratings = dict(zip((w.goal.pk, w.goal2.pk), ((r, "") for r in ratings), strict=True))
    services.save_part(
        part, {"lessons": lessons, "keep_doing": f"keep {lessons}"}, ratings, part.version
    )
    services.submit_part(part, user)


@pytest.fixture
def known(evaluation, caf):
    w = evaluation
    reassessed(w.part_a, caf, 40, 70)
    reassessed(w.part_c, caf, 50, 45)
    w.survey = survey_with_waves(w.a, w.workspace, w.alice)
    submitted(w, w.part_a, ("met", "not_started"), "Lessons of A", w.alice)
    submitted(w, w.part_c, ("partly", "met"), "Lessons of C", w.cora)
    services.save_part(w.part_d, {"lessons": "Secret draft of D"}, {}, w.part_d.version)
    return w


def test_ratings_per_goal_count_only_submitted_parts(known):
    report = reports.evaluation_report(known.evaluation)
    assert [m.municipality.code for m in report.members] == ["T-A", "T-C"]
    assert [p.member.municipality.code for p in report.not_submitted] == ["T-D"]
    first, second = report.goals
    assert [(r, n) for r, _label, n in first.counts] == [
        ("met", 1),
        ("partly", 1),
        ("not_met", 0),
        ("not_started", 0),
    ]
    assert [(r, n) for r, _label, n in second.counts] == [
        ("met", 1),
        ("partly", 0),
        ("not_met", 0),
        ("not_started", 1),
    ]


def test_indicators_show_the_newest_values_against_the_target(known):
    w = known
    goal = reports.evaluation_report(w.evaluation).goals[0]
    plans, turnover = goal.indicators
    assert float(plans.figure.network.value) == 60
    assert [(m.municipality.code, v and float(v.value)) for m, v in turnover.members] == [
        ("T-A", 7.0),
        ("T-C", 6.0),
    ]
    assert "Plans adopted" in goal.chart and "Staff turnover · Banja Luka" in goal.chart
    assert "Laktaši" not in goal.chart  # D has not submitted
    assert goal.chart.count("<g>") == 3  # the network's row and one per submitted member


def test_deltas_and_satisfaction_per_member(known):
    w = known
    a, c = reports.evaluation_report(w.evaluation).members
    assert [(d.subcriterion.code, d.before, d.after, d.change) for d in a.deltas] == [
        ("3.1", 40, 70, 30.0)
    ]
    assert [(d.before, d.after, d.change) for d in c.deltas] == [(50, 45, -5.0)]
    change = a.satisfaction
    assert (change.before.n, change.after.n) == (20, 20)
    assert change.before.mean == pytest.approx(3.0) and change.after.mean == pytest.approx(4.0)
    assert change.sentence == satisfaction_change(w.survey).sentence
    assert "unlikely to be chance" in change.sentence
    assert c.satisfaction is None


def test_activities_done_per_member_and_for_the_plan(known):
    report = reports.evaluation_report(known.evaluation)
    a, c = report.members
    assert (a.activities.done, a.activities.total, a.activities.cancelled) == (2, 3, 1)
    assert (c.activities.done, c.activities.total) == (0, 1)
    assert (report.activities.done, report.activities.total) == (2, 4)


def test_the_page_quotes_lessons_of_submitted_parts_only(known, client):
    client.force_login(known.dana)
    page = client.get(reverse("evaluation:report", args=[known.evaluation.pk])).content.decode()
    assert "Lessons of A" in page and "keep Lessons of C" in page
    assert "Secret draft of D" not in page
    assert "40 → 70 (<strong>+30</strong>)" in page
    assert "3.0 → 4.0" in page and "unlikely to be chance" in page
    assert "2 of 4 in the action plan" in page
    assert "not submitted, so not included" in page and "Laktaši" in page


def test_the_pdf(known, client):
    client.force_login(known.alice)
    response = client.get(reverse("evaluation:report_pdf", args=[known.evaluation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_batched_deltas_equal_the_assessment_service(known):
    parts = [known.part_a, known.part_c]
    batched = reports.reassessment_deltas([p.reassessment for p in parts])
    for part in parts:
        single = one_reassessment(part.reassessment)
        assert [
            (d.subcriterion.pk, d.before, d.after, d.change) for d in batched[part.reassessment_id]
        ] == [(s.pk, b, a, d) for s, b, a, d in single]


def test_batched_satisfaction_equals_the_survey_service_across_versions(known):
    w = known
    newer = builder.new_version(w.survey, w.alice)
    wave = Wave.objects.create(survey=newer, name="Later", position=0, status=Wave.Status.CLOSED)
    Response.objects.bulk_create(
        Response(wave=wave, answers={"overall": 5}, language="en", submitted_on=LATER)
        for _ in range(12)
    )
    batched = reports.satisfaction_changes([newer, w.survey])
    for survey in (newer, w.survey):
        single = satisfaction_change(survey)
        mine = batched[survey.pk]
        assert (mine.before_wave, mine.after_wave) == (single.before_wave, single.after_wave)
        assert mine.before == single.before and mine.after == single.after
        assert mine.comparison == single.comparison and mine.sentence == single.sentence
    assert reports.member_surveys(w.workspace, [w.a.pk])[w.a.pk] == newer


def test_an_open_evaluations_report_says_it_is_provisional(known, client):
    client.force_login(known.dana)
    page = client.get(reverse("evaluation:report", args=[known.evaluation.pk])).content.decode()
    assert "Provisional" in page
    services.close_evaluation(known.evaluation)
    page = client.get(reverse("evaluation:report", args=[known.evaluation.pk])).content.decode()
    assert "Provisional" not in page


def test_a_published_report_counts_the_parts_not_submitted_without_naming_them(known, client):
    """The public reads how many members did not submit, not which: naming them is for the
    workspace's people."""
    Evaluation.objects.filter(pk=known.evaluation.pk).update(is_published=True)
    page = client.get(reverse("evaluation:report", args=[known.evaluation.pk])).content.decode()
    assert "Lessons of A" in page
    assert "1 part not submitted, so not included" in page
    assert "Laktaši" not in page
