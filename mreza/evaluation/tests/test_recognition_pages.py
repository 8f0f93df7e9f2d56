"""An evaluation's rankings (service and page), the ranking across networks (/recognition/), and
who may open them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.assessment.models import Consensus
from mreza.evaluation.models import Evaluation
from mreza.evaluation.recognition import Reason
from mreza.evaluation.services import recognition as services
from mreza.evaluation.tests import test_recognition_fixtures as fixtures
from mreza.evaluation.tests.test_recognition_fixtures import assessment, submitted_part
from mreza.progress.models import WorkspaceMember
from mreza.surveys.tests.test_results_aggregation import (
    add_responses,
    make_survey,
    make_wave,
    overall,
)

pytestmark = pytest.mark.django_db
ws, recognised = fixtures.ws, fixtures.recognised  # the shared fixtures, reused here


def _names(rows):
    return [(standing.place, row.municipality.code) for standing, row in rows]


def test_best_result_and_most_improved_follow_the_rules(recognised):
    found = services.evaluation_recognition(recognised.evaluation)
    assert found.codes == ["3.1"] and [a.code for a in found.areas] == ["3.1"]
    # A and C both reach 70: they share the first place; D's fall gets no place
    assert _names(found.best_rows) == [(1, "T-A"), (1, "T-C"), (3, "T-E"), (4, "T-D")]
    assert [r.municipality.code for r in found.winners("best_result")] == ["T-A", "T-C"]
    assert _names(found.improved_rows) == [(1, "T-A"), (2, "T-C"), (3, "T-E"), (None, "T-D")]
    assert [r.municipality.code for r in found.winners("most_improved")] == ["T-A"]
    a = next(row for row in found.rows if row.municipality.code == "T-A")
    assert (a.figures.score, a.figures.baseline, a.figures.delta) == (70, 40, 30)


def test_only_submitted_parts_with_scores_for_the_area_are_compared(recognised, caf):
    w = recognised
    w.parts["e"].submitted_at = None
    w.parts["e"].save()
    Consensus.objects.filter(assessment=w.parts["d"].reassessment).update(score=None)
    found = services.evaluation_recognition(w.evaluation)
    assert {row.municipality.code for row in found.rows} == {"T-A", "T-C", "T-D"}
    assert [row.municipality.code for row in found.not_compared] == ["T-D"]
    assert found.best.reason == Reason.TOO_FEW and found.best.compared == 2
    assert found.winners("best_result") == [] and found.winners("most_improved") == []


def test_a_member_without_a_baseline_competes_for_the_best_result_only(recognised, caf):
    w = recognised
    w.f = w.municipality("T-F", "Kozarska Dubica")
    member = WorkspaceMember.objects.create(workspace=w.workspace, municipality=w.f)
    submitted_part(w.evaluation, member, assessment(w.f, caf, {"3.1": 95}))
    found = services.evaluation_recognition(w.evaluation)
    assert [r.municipality.code for r in found.winners("best_result")] == ["T-F"]
    assert "T-F" not in {row.municipality.code for _s, row in found.improved_rows}
    assert [row.municipality.code for row in found.without_baseline] == ["T-F"]


def _survey(world, municipality, before, after):
    survey = make_survey(municipality, workspace=world.workspace)
    add_responses(make_wave(survey, "Before"), overall(*before))
    add_responses(make_wave(survey, "After", position=1), overall(*after))
    return survey


def test_satisfaction_breaks_a_tie_when_both_have_surveys(recognised):
    # both tied at 70; on the 1–5 scale A's satisfaction rose by 0.5, C's by 1 (25 of 100)
    _survey(recognised, recognised.a, [3] * 20, [3, 4] * 10)
    _survey(recognised, recognised.c, [3] * 20, [4] * 20)
    found = services.evaluation_recognition(recognised.evaluation)
    assert _names(found.best_rows)[:2] == [(1, "T-C"), (2, "T-A")]
    assert found.best_rows[0][0].by_tie_breaker
    assert found.satisfaction == {
        recognised.parts["a"].pk: pytest.approx(12.5),
        recognised.parts["c"].pk: pytest.approx(25),
    }
    assert [r.municipality.code for r in found.winners("best_result")] == ["T-C"]


def test_the_tie_stays_when_only_one_has_a_survey(recognised):
    _survey(recognised, recognised.c, [3] * 20, [4] * 20)
    found = services.evaluation_recognition(recognised.evaluation)
    assert _names(found.best_rows)[:2] == [(1, "T-A"), (1, "T-C")]
    assert found.satisfaction[recognised.parts["a"].pk] is None


def test_without_surveys_the_satisfaction_rise_is_none(recognised):
    assert services.measuring_surveys(recognised.evaluation) == {}
    assert services.satisfaction_rise(None) is None


def test_the_page_states_the_rule_and_the_rankings(recognised, client):
    client.force_login(recognised.dana)
    response = client.get(f"/evaluations/{recognised.evaluation.pk}/recognition/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "How the recognition is decided" in page
    assert "A ranking needs at least 3 members compared" in page
    assert "Best result" in page and "Most improved" in page
    assert "Issue the certificates" in page  # dana runs the network
    assert page.index("Banja Luka") < page.index("Gradiška") < page.index("Prnjavor")


def test_fewer_than_three_says_nobody_is_awarded(recognised, client):
    recognised.evaluation.members.exclude(pk=recognised.parts["a"].pk).update(submitted_at=None)
    client.force_login(recognised.alice)
    page = client.get(f"/evaluations/{recognised.evaluation.pk}/recognition/").content.decode()
    assert "Not awarded: only 1 member can be compared, and a ranking needs at least 3." in page


def test_an_open_evaluation_is_provisional(recognised, client):
    Evaluation.objects.filter(pk=recognised.evaluation.pk).update(status=Evaluation.Status.OPEN)
    client.force_login(recognised.dana)
    page = client.get(f"/evaluations/{recognised.evaluation.pk}/recognition/").content.decode()
    assert "Provisional" in page and "Issue the certificates" not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("dana", 200), ("alice", 200), ("bob", 200), ("admin", 200), ("charlie", 404), (None, 302)],
)
def test_who_opens_an_unpublished_evaluations_recognition(recognised, client, persona, status):
    if persona:
        client.force_login(getattr(recognised, persona))
    response = client.get(f"/evaluations/{recognised.evaluation.pk}/recognition/")
    assert response.status_code == status
    if persona is None:
        assert response["Location"].startswith("/accounts/login/")


def test_a_published_evaluations_recognition_is_public(recognised, client):
    Evaluation.objects.filter(pk=recognised.evaluation.pk).update(is_published=True)
    page = client.get(f"/evaluations/{recognised.evaluation.pk}/recognition/")
    assert page.status_code == 200 and "Issue the certificates" not in page.content.decode()
    client.force_login(recognised.charlie)
    assert client.get(f"/evaluations/{recognised.evaluation.pk}/recognition/").status_code == 200


def test_the_platform_page_shows_only_published_evaluations(recognised, client):
    page = client.get("/recognition/")
    assert page.status_code == 200
    assert "Banja Luka" not in page.content.decode()
    assert "Not shown yet" in page.content.decode()
    Evaluation.objects.filter(pk=recognised.evaluation.pk).update(is_published=True)
    page = client.get("/recognition/").content.decode()
    assert "Recognition across networks" in page and "Banja Luka" in page
    assert "every score is first placed on 0 to 100" in page


def test_across_networks_scores_of_different_scales_compare(recognised, caf, monkeypatch):
    Evaluation.objects.filter(pk=recognised.evaluation.pk).update(is_published=True)
    found = services.platform_recognition()
    assert [(s.place, row.municipality.code) for s, row in found.best_rows] == [
        (1, "T-A"),
        (1, "T-C"),
        (3, "T-E"),
        (4, "T-D"),
    ]
    assert [row.municipality.code for _s, row in found.improved_rows] == ["T-A", "T-C", "T-E"]
    assert found.improved_rows[0][1].figures.share_delta == 30


def test_the_top_10_across_networks_cuts_at_the_tenth_place(recognised, monkeypatch):
    Evaluation.objects.filter(pk=recognised.evaluation.pk).update(is_published=True)
    assert len(services.platform_recognition(top=2).best_rows) == 2  # A and C share place 1
    assert [s.place for s, _row in services.platform_recognition(top=3).best_rows] == [1, 1, 3]


def test_the_platform_page_costs_the_same_queries_whatever_the_number_of_members(
    recognised, caf, client
):
    Evaluation.objects.filter(pk=recognised.evaluation.pk).update(is_published=True)
    client.get("/recognition/")  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get("/recognition/")
    for code in ("T-F", "T-G", "T-H"):
        place = recognised.municipality(code, code)
        member = WorkspaceMember.objects.create(workspace=recognised.workspace, municipality=place)
        base = assessment(place, caf, {"3.1": 20})
        submitted_part(
            recognised.evaluation, member, assessment(place, caf, {"3.1": 30}, baseline=base)
        )
    with CaptureQueriesContext(connection) as more:
        assert "T-H" in client.get("/recognition/").content.decode()
    assert len(more) == len(few) <= 6


def test_the_evaluation_page_costs_the_same_queries_whatever_the_number_of_members(
    recognised, caf, client
):
    client.force_login(recognised.dana)
    url = f"/evaluations/{recognised.evaluation.pk}/recognition/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for code in ("T-F", "T-G"):
        place = recognised.municipality(code, code)
        member = WorkspaceMember.objects.create(workspace=recognised.workspace, municipality=place)
        submitted_part(recognised.evaluation, member, assessment(place, caf, {"3.1": 30}))
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)
