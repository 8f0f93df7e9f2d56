"""Submitting a part (every goal rated, else a clear list of what is missing), reopening it
(runners), closing the evaluation (parts not submitted named) and publishing its report."""

import pytest
from django.urls import reverse

from mreza.evaluation.models import Evaluation
from mreza.evaluation.services import evaluations as services


def _form(w, part, ratings, action, lessons="Lessons"):
    part.refresh_from_db()
    data = {
        "version": part.version,
        "activities_summary": "",
        "lessons": lessons,
        "keep_doing": "",
        "action": action,
    }
    for goal in (w.goal, w.goal2):
        data[f"goal-{goal.pk}-rating"] = ratings.get(goal.pk, "")
        data[f"goal-{goal.pk}-comment"] = ""
    return data


def test_submitting_with_a_goal_unrated_lists_it_and_keeps_the_draft(evaluation, client):
    w = evaluation
    client.force_login(w.alice)
    url = reverse("evaluation:part", args=[w.evaluation.pk, w.part_a.pk])
    response = client.post(url, _form(w, w.part_a, {w.goal.pk: "met"}, "submit", "Draft kept"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be submitted yet" in page
    assert f'href="#goal-{w.goal2.pk}">Training</a>' in page
    assert f'href="#goal-{w.goal.pk}"' not in page
    w.part_a.refresh_from_db()
    assert w.part_a.submitted_at is None
    assert w.part_a.lessons == "Draft kept"


def test_submitting_with_every_goal_rated(evaluation, client):
    w = evaluation
    client.force_login(w.alice)
    url = reverse("evaluation:part", args=[w.evaluation.pk, w.part_a.pk])
    ratings = {w.goal.pk: "met", w.goal2.pk: "not_started"}
    response = client.post(url, _form(w, w.part_a, ratings, "submit"))
    assert response.status_code == 302
    w.part_a.refresh_from_db()
    assert w.part_a.submitted_at is not None and w.part_a.submitted_by == w.alice


def test_a_submitted_part_no_longer_changes_until_reopened(evaluation, client):
    w = evaluation
    ratings = {w.goal.pk: ("met", ""), w.goal2.pk: ("partly", "")}
    services.save_part(w.part_a, {"lessons": "First"}, ratings, w.part_a.version)
    services.submit_part(w.part_a, w.alice)
    with pytest.raises(services.EvaluationError, match="submitted"):
        services.save_part(w.part_a, {"lessons": "Changed"}, {}, w.part_a.version)
    client.force_login(w.alice)
    reopen = reverse("evaluation:part_reopen", args=[w.evaluation.pk, w.part_a.pk])
    assert client.post(reopen).status_code == 403
    client.force_login(w.dana)
    assert client.post(reopen).status_code == 302
    w.part_a.refresh_from_db()
    assert w.part_a.submitted_at is None
    services.save_part(w.part_a, {"lessons": "Changed"}, {}, w.part_a.version)
    w.part_a.refresh_from_db()
    assert w.part_a.lessons == "Changed"


def test_a_goal_added_after_the_rating_must_be_rated_too(evaluation):
    w = evaluation
    ratings = {w.goal.pk: ("met", ""), w.goal2.pk: ("met", "")}
    services.save_part(w.part_a, {}, ratings, w.part_a.version)
    w.goal3 = w.workspace.goals.create(title="New goal", order=2)
    with pytest.raises(services.SubmitRefused) as refused:
        services.submit_part(w.part_a, w.alice)
    assert [g.title for g in refused.value.missing] == ["New goal"]


def test_closing_names_the_parts_not_submitted_and_freezes_the_rest(evaluation, client):
    w = evaluation
    ratings = {w.goal.pk: ("met", ""), w.goal2.pk: ("met", "")}
    services.save_part(w.part_a, {}, ratings, w.part_a.version)
    services.submit_part(w.part_a, w.alice)
    client.force_login(w.dana)
    detail = reverse("evaluation:detail", args=[w.evaluation.pk])
    page = client.get(detail).content.decode()
    assert "have not submitted their part yet" in page
    assert "Gradiška" in page and "Laktaši" in page
    client.post(reverse("evaluation:close", args=[w.evaluation.pk]))
    w.evaluation.refresh_from_db()
    assert w.evaluation.status == Evaluation.Status.CLOSED and w.evaluation.closed_at
    page = client.get(detail).content.decode()
    assert "Not submitted when the evaluation closed" in page
    w.part_c.refresh_from_db()
    with pytest.raises(services.EvaluationError, match="closed"):
        services.save_part(w.part_c, {"lessons": "Late"}, {}, w.part_c.version)
    client.force_login(w.cora)
    url = reverse("evaluation:part", args=[w.evaluation.pk, w.part_c.pk])
    assert client.post(url, _form(w, w.part_c, {}, "save")).status_code == 403


def test_closing_twice_is_refused(evaluation):
    services.close_evaluation(evaluation.evaluation)
    with pytest.raises(services.EvaluationError, match="closed already"):
        services.close_evaluation(evaluation.evaluation)


def test_only_a_closed_evaluation_is_published(evaluation, client):
    w = evaluation
    client.force_login(w.dana)
    publish = reverse("evaluation:publish", args=[w.evaluation.pk])
    client.post(publish, {"publish": "1"})
    w.evaluation.refresh_from_db()
    assert not w.evaluation.is_published
    services.close_evaluation(w.evaluation)
    client.post(publish, {"publish": "1"})
    w.evaluation.refresh_from_db()
    assert w.evaluation.is_published
    client.post(publish, {"publish": "0"})
    w.evaluation.refresh_from_db()
    assert not w.evaluation.is_published
