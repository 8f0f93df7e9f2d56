"""Opening an evaluation: a part per current registry member, one open at a time, audited; the
list and the opening form for whoever runs the workspace."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from mreza.core.models import AuditEntry
from mreza.evaluation.models import Evaluation, MemberEvaluation
from mreza.evaluation.services import evaluations as services
from mreza.progress.models import WorkspaceMember


def test_each_current_registry_member_gets_a_part(evaluation):
    w = evaluation
    parts = w.evaluation.members.values_list("member__municipality__code", flat=True)
    assert sorted(parts) == ["T-A", "T-C", "T-D"]
    assert w.evaluation.status == Evaluation.Status.OPEN
    assert w.evaluation.opened_by == w.dana


def test_members_who_left_and_partners_abroad_get_no_part(ws):
    ws.member_d.left_on = datetime.date(2025, 6, 1)
    ws.member_d.save(update_fields=["left_on"])
    WorkspaceMember.objects.create(
        workspace=ws.workspace, foreign_name="Kranj", foreign_country="Slovenia"
    )
    evaluation = services.open_evaluation(ws.workspace, title="E", due_on=None, user=ws.dana)
    codes = sorted(evaluation.members.values_list("member__municipality__code", flat=True))
    assert codes == ["T-A", "T-C"]


def test_opening_is_audited(evaluation):
    kind = ContentType.objects.get_for_model(MemberEvaluation)
    entries = AuditEntry.objects.filter(content_type=kind, container_id=evaluation.workspace.pk)
    assert entries.count() == 3


def test_a_second_open_evaluation_is_refused_and_nothing_is_made(evaluation):
    with pytest.raises(services.EvaluationError, match="open already"):
        services.open_evaluation(
            evaluation.workspace, title="Again", due_on=None, user=evaluation.dana
        )
    assert Evaluation.objects.count() == 1
    assert MemberEvaluation.objects.count() == 3


def test_a_new_one_opens_once_the_last_is_closed(evaluation):
    services.close_evaluation(evaluation.evaluation)
    again = services.open_evaluation(
        evaluation.workspace, title="Mid-term", due_on=None, user=evaluation.dana
    )
    assert again.members.count() == 3


def test_the_runner_opens_one_from_the_page(ws, client):
    client.force_login(ws.dana)
    url = reverse("evaluation:open", args=[ws.workspace.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Final evaluation", "due_on": ""})
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:detail", args=[evaluation.pk])
    assert evaluation.members.count() == 3


def test_the_opening_form_keeps_the_text_and_explains_a_refusal(evaluation, client):
    client.force_login(evaluation.dana)
    url = reverse("evaluation:open", args=[evaluation.workspace.pk])
    response = client.post(url, {"title": "Second one", "due_on": ""})
    assert response.status_code == 400
    assert "Second one" in response.content.decode()
    assert "open already" in response.content.decode()


def test_a_due_date_in_the_past_is_refused(ws, client):
    client.force_login(ws.dana)
    url = reverse("evaluation:open", args=[ws.workspace.pk])
    response = client.post(url, {"title": "Late", "due_on": "2001-01-01"})
    assert response.status_code == 400
    assert not Evaluation.objects.exists()


def test_members_may_not_open_one(ws, client):
    client.force_login(ws.alice)
    response = client.post(reverse("evaluation:open", args=[ws.workspace.pk]), {"title": "X"})
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_the_list_shows_the_evaluations_to_the_workspace_and_nobody_else(evaluation, client):
    url = reverse("evaluation:list", args=[evaluation.workspace.pk])
    client.force_login(evaluation.alice)
    page = client.get(url)
    assert page.status_code == 200
    assert "Evaluation 2026" in page.content.decode()
    assert "0 of 3" in page.content.decode()
    assert reverse("evaluation:open", args=[evaluation.workspace.pk]) not in page.content.decode()
    client.force_login(evaluation.dana)
    assert (
        reverse("evaluation:open", args=[evaluation.workspace.pk])
        in client.get(url).content.decode()
    )
    client.force_login(evaluation.charlie)
    assert client.get(url).status_code == 404
