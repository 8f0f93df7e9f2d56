"""Who may see and fill in which part: a member's coordinator edits only its own part, whoever
runs the workspace edits all; other municipalities get 404; anonymous visitors see nothing until
the report is published, and then the report only."""

import pytest
from django.urls import reverse

from mreza.evaluation.models import GoalResult
from mreza.evaluation.services import evaluations as services


def _part_url(w, part):
    return reverse("evaluation:part", args=[w.evaluation.pk, part.pk])


def _save(client, w, part, lessons="We learned"):
    part.refresh_from_db()
    return client.post(
        _part_url(w, part),
        {
            "version": part.version,
            f"goal-{w.goal.pk}-rating": "met",
            f"goal-{w.goal.pk}-comment": "",
            f"goal-{w.goal2.pk}-rating": "",
            f"goal-{w.goal2.pk}-comment": "",
            "activities_summary": "",
            "lessons": lessons,
            "keep_doing": "",
            "action": "save",
        },
    )


def test_a_members_coordinator_edits_its_own_part(evaluation, client):
    w = evaluation
    client.force_login(w.alice)
    assert _save(client, w, w.part_a).status_code == 302
    w.part_a.refresh_from_db()
    assert w.part_a.lessons == "We learned"
    assert GoalResult.objects.get(member_evaluation=w.part_a, goal=w.goal).rating == "met"


def test_a_members_coordinator_reads_but_does_not_edit_another_members_part(evaluation, client):
    w = evaluation
    client.force_login(w.alice)
    page = client.get(_part_url(w, w.part_c))
    assert page.status_code == 200
    assert 'id="part-form"' not in page.content.decode()
    assert _save(client, w, w.part_c).status_code == 403
    w.part_c.refresh_from_db()
    assert w.part_c.lessons == ""


def test_an_assessor_of_the_member_reads_only(evaluation, client):
    w = evaluation
    client.force_login(w.bob)
    assert client.get(_part_url(w, w.part_a)).status_code == 200
    assert _save(client, w, w.part_a).status_code == 403


@pytest.mark.parametrize("part", ["part_a", "part_c", "part_d"])
def test_whoever_runs_the_workspace_edits_every_part(evaluation, client, part):
    w = evaluation
    client.force_login(w.dana)
    assert _save(client, w, getattr(w, part), "By the coordinator").status_code == 302


@pytest.mark.parametrize("name", ["detail", "report", "part"])
def test_another_municipality_gets_404(evaluation, client, name):
    w = evaluation
    client.force_login(w.charlie)
    args = [w.evaluation.pk, w.part_a.pk] if name == "part" else [w.evaluation.pk]
    assert client.get(reverse(f"evaluation:{name}", args=args)).status_code == 404
    if name == "part":
        assert _save(client, w, w.part_a).status_code == 404


@pytest.mark.parametrize("name", ["detail", "report", "report_pdf", "part"])
def test_anonymous_visitors_are_asked_to_sign_in_before_publishing(evaluation, client, name):
    w = evaluation
    args = [w.evaluation.pk, w.part_a.pk] if name == "part" else [w.evaluation.pk]
    response = client.get(reverse(f"evaluation:{name}", args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_once_published_anonymous_visitors_read_the_report_only(evaluation, client):
    w = evaluation
    ratings = {w.goal.pk: ("met", ""), w.goal2.pk: ("partly", "")}
    services.save_part(w.part_a, {"lessons": "Plans work"}, ratings, w.part_a.version)
    services.submit_part(w.part_a, w.alice)
    services.close_evaluation(w.evaluation)
    services.set_published(w.evaluation, True)
    report = client.get(reverse("evaluation:report", args=[w.evaluation.pk]))
    assert report.status_code == 200
    assert "Plans work" in report.content.decode()
    # the evaluation's working pages stay private: sign in first
    for url in (reverse("evaluation:detail", args=[w.evaluation.pk]), _part_url(w, w.part_a)):
        assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(w.charlie)
    assert client.get(reverse("evaluation:report", args=[w.evaluation.pk])).status_code == 200
    assert client.get(reverse("evaluation:detail", args=[w.evaluation.pk])).status_code == 404


def test_only_runners_close_and_publish(evaluation, client):
    w = evaluation
    client.force_login(w.alice)
    assert client.post(reverse("evaluation:close", args=[w.evaluation.pk])).status_code == 403
    client.force_login(w.dana)
    assert client.post(reverse("evaluation:close", args=[w.evaluation.pk])).status_code == 302
    client.force_login(w.alice)
    publish = reverse("evaluation:publish", args=[w.evaluation.pk])
    assert client.post(publish, {"publish": "1"}).status_code == 403
    w.evaluation.refresh_from_db()
    assert w.evaluation.status == "closed" and not w.evaluation.is_published
