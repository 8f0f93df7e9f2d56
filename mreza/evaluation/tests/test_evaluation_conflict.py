"""Two people editing the same part: the second save is refused (409), their text kept, nothing
of it saved; saving again then replaces the other one."""

from django.urls import reverse

from mreza.evaluation.models import GoalResult
from mreza.evaluation.services import evaluations as services


def _data(w, version, lessons, rating):
    return {
        "version": version,
        f"goal-{w.goal.pk}-rating": rating,
        f"goal-{w.goal.pk}-comment": "Our comment",
        f"goal-{w.goal2.pk}-rating": "",
        f"goal-{w.goal2.pk}-comment": "",
        "activities_summary": "",
        "lessons": lessons,
        "keep_doing": "",
        "action": "save",
    }


def test_a_stale_save_is_409_with_the_text_kept_and_nothing_saved(evaluation, client):
    w = evaluation
    started_from = w.part_a.version
    # dana saves first, from the same version alice's form holds
    services.save_part(w.part_a, {"lessons": "Dana's text"}, {w.goal.pk: ("partly", "")}, 1)
    client.force_login(w.alice)
    url = reverse("evaluation:part", args=[w.evaluation.pk, w.part_a.pk])
    response = client.post(url, _data(w, started_from, "Alice's lessons", "met"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Alice&#x27;s lessons" in page or "Alice's lessons" in page
    assert "Someone else saved this" in page
    w.part_a.refresh_from_db()
    assert w.part_a.lessons == "Dana's text"
    result = GoalResult.objects.get(member_evaluation=w.part_a, goal=w.goal)
    assert (result.rating, result.comment) == ("partly", "")
    # the form now carries the current version: saving again replaces dana's text
    again = client.post(url, _data(w, w.part_a.version, "Alice's lessons", "met"))
    assert again.status_code == 302
    w.part_a.refresh_from_db()
    assert w.part_a.lessons == "Alice's lessons"
    assert GoalResult.objects.get(member_evaluation=w.part_a, goal=w.goal).rating == "met"


def test_the_refused_form_selects_the_users_rating(evaluation, client):
    w = evaluation
    services.save_part(w.part_a, {"lessons": "x"}, {}, w.part_a.version)
    client.force_login(w.alice)
    url = reverse("evaluation:part", args=[w.evaluation.pk, w.part_a.pk])
    response = client.post(url, _data(w, 1, "Mine", "not_met"))
    assert response.status_code == 409
    assert '<option value="not_met" selected>' in response.content.decode()
