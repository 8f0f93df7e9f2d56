"""The workspace home, its settings (versioned), contact people, phases and history (issue 11,
item 1): what members see, the baseline from step 1, bad input refused with nothing saved."""

import datetime

import pytest
from django.utils import timezone

from mreza.assessment.models import Assessment, Consensus, LearningProfile, Subcriterion
from mreza.core.models import AuditEntry
from mreza.progress.models import Activity, Phase, Workspace

pytestmark = pytest.mark.django_db


def _assessment(municipality, caf, sharing, score, year=2025):
    assessment = Assessment.objects.create(
        municipality=municipality,
        framework=caf,
        method="classic",
        title=f"CAF {year}",
        status="accepted",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )
    LearningProfile.objects.create(
        assessment=assessment, municipality=municipality, sharing=sharing, needs={"3.1": 0.7}
    )
    Consensus.objects.create(
        assessment=assessment,
        subcriterion=Subcriterion.objects.get(framework=caf, code="3.1"),
        score=score,
    )
    return assessment


def test_home_shows_members_theme_and_the_shared_baseline_only(ws, caf, client):
    _assessment(ws.a, caf, "coordinators", 41)
    _assessment(ws.c, caf, "private", 77)  # not shared: not shown
    client.force_login(ws.dino)  # staff of D: a member's user sees the workspace
    body = client.get(f"/workspaces/{ws.workspace.pk}/").content.decode()
    assert "Human resources" in body
    assert "Gradiška" in body and "Laktaši" in body
    sub = Subcriterion.objects.get(framework=caf, code="3.1")
    assert sub.title["en"] in body  # the theme by name, not by code only
    assert ">41 <" in body.replace("\n", "")
    assert ">77 <" not in body.replace("\n", "")  # (a bare "77" can occur in the CSRF token)
    assert "not shared" in body


def test_home_answers_what_is_late_and_what_i_owe(ws, client):
    today = timezone.localdate()
    Activity.objects.create(
        workspace=ws.workspace,
        title="Late survey",
        responsible_member=ws.member_d,
        starts_on=today - datetime.timedelta(days=30),
        due_on=today - datetime.timedelta(days=2),
    )
    Activity.objects.create(
        workspace=ws.workspace,
        title="Cora's report",
        responsible_member=ws.member_c,
        responsible_person=ws.cora,
        starts_on=today,
        due_on=today + datetime.timedelta(days=10),
    )
    client.force_login(ws.dino)
    body = client.get(f"/workspaces/{ws.workspace.pk}/").content.decode()
    owe = body.split('id="ws-owe-h"')[1].split("</article>")[0]
    assert "Late survey" in owe and "Cora&#x27;s report" not in owe
    late = body.split('id="ws-late-h"')[1].split("</article>")[0]
    assert "Late survey" in late
    client.force_login(ws.cora)
    body = client.get(f"/workspaces/{ws.workspace.pk}/").content.decode()
    owe = body.split('id="ws-owe-h"')[1].split("</article>")[0]
    assert "Cora&#x27;s report" in owe and "Late survey" not in owe


def test_outsiders_get_404_and_anonymous_the_sign_in_page(ws, client):
    client.force_login(ws.charlie)
    assert client.get(f"/workspaces/{ws.workspace.pk}/").status_code == 404
    client.logout()
    response = client.get(f"/workspaces/{ws.workspace.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _settings(ws, **changes):
    data = {
        "title": ws.workspace.title,
        "description": "",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "coordinator": ws.dana.pk,
        "version": ws.workspace.version,
    }
    data.update(changes)
    return data


def test_settings_save_publish_and_are_audited(ws, client):
    client.force_login(ws.dana)
    url = f"/workspaces/{ws.workspace.pk}/settings/"
    assert client.get(url).status_code == 200
    response = client.post(url, _settings(ws, title="HR network", is_published="on"))
    assert response.status_code == 302
    ws.workspace.refresh_from_db()
    assert ws.workspace.title == "HR network" and ws.workspace.is_published
    assert ws.workspace.version == 2
    assert AuditEntry.objects.filter(
        container_id=ws.workspace.pk, changes__title__isnull=False
    ).exists()


def test_settings_dates_in_the_wrong_order_are_refused(ws, client):
    client.force_login(ws.dana)
    url = f"/workspaces/{ws.workspace.pk}/settings/"
    response = client.post(url, _settings(ws, starts_on="2027-01-01", ends_on="2026-01-01"))
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    ws.workspace.refresh_from_db()
    assert ws.workspace.ends_on is None and ws.workspace.version == 1


def test_two_coordinators_editing_the_settings_get_a_conflict(ws, client):
    client.force_login(ws.dana)
    url = f"/workspaces/{ws.workspace.pk}/settings/"
    stale = _settings(ws, title="First title")
    assert client.post(url, _settings(ws, title="Second title")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "First title" in body  # the user's text is kept
    assert 'name="version" value="2"' in body
    ws.workspace.refresh_from_db()
    assert ws.workspace.title == "Second title"


def test_a_coordinator_outside_the_workspace_cannot_be_named(ws, client):
    client.force_login(ws.dana)
    url = f"/workspaces/{ws.workspace.pk}/settings/"
    response = client.post(url, _settings(ws, coordinator=ws.charlie.pk))
    assert response.status_code == 200
    assert "coordinator" in response.context["form"].errors
    ws.workspace.refresh_from_db()
    assert ws.workspace.coordinator_id == ws.dana.pk


def test_members_are_managed_only_by_who_runs_the_workspace(ws, client):
    client.force_login(ws.alice)  # a member's coordinator: contributes, does not manage
    assert client.get(f"/workspaces/{ws.workspace.pk}/members/").status_code == 403
    assert client.get(f"/workspaces/{ws.workspace.pk}/settings/").status_code == 403


def test_contact_person_must_be_one_of_the_members_people(ws, client):
    client.force_login(ws.dana)
    url = f"/workspaces/{ws.workspace.pk}/members/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"member": ws.member_c.pk, "contact_person": ws.alice.pk})
    assert response.status_code == 400
    assert "must be one of the people of" in response.content.decode()
    ws.member_c.refresh_from_db()
    assert ws.member_c.contact_person_id is None
    response = client.post(url, {"member": ws.member_c.pk, "contact_person": ws.cora.pk})
    assert response.status_code == 302
    ws.member_c.refresh_from_db()
    assert ws.member_c.contact_person_id == ws.cora.pk


def test_a_member_of_another_workspace_is_refused(ws, client):
    client.force_login(ws.dana)
    url = f"/workspaces/{ws.workspace.pk}/members/"
    response = client.post(url, {"member": ws.twin_a.pk, "contact_person": ws.alice.pk})
    assert response.status_code == 400
    assert "not in this workspace" in response.content.decode()
    ws.twin_a.refresh_from_db()
    assert ws.twin_a.contact_person_id is None


def test_phases_in_order_inside_the_workspace_and_on_the_timeline(ws, client):
    ws.workspace.starts_on = datetime.date(2026, 1, 1)
    ws.workspace.ends_on = datetime.date(2027, 12, 31)
    ws.workspace.save()
    client.force_login(ws.dana)
    url = f"/workspaces/{ws.workspace.pk}/phases/"
    wrong = client.post(url, {"name": "Plan", "starts_on": "2026-06-01", "ends_on": "2026-03-01"})
    assert wrong.status_code == 400 and "must end after it starts" in wrong.content.decode()
    outside = client.post(url, {"name": "Plan", "starts_on": "2025-06-01", "ends_on": "2026-03-01"})
    assert outside.status_code == 400 and "within the workspace" in outside.content.decode()
    assert not Phase.objects.exists()
    ok = client.post(url, {"name": "Diagnosis", "starts_on": "2026-01-01", "ends_on": "2026-04-30"})
    assert ok.status_code == 302
    phase = Phase.objects.get()
    body = client.get(f"/workspaces/{ws.workspace.pk}/").content.decode()
    assert "<svg" in body and "Diagnosis" in body
    # the workspace's dates may not leave a phase outside
    response = client.post(
        f"/workspaces/{ws.workspace.pk}/settings/",
        {**_settings(ws), "starts_on": "2026-03-01", "ends_on": "2027-12-31"},
    )
    assert response.status_code == 200 and "A phase lies outside" in response.content.decode()
    edit = client.post(
        f"{url}{phase.pk}/",
        {"name": "Diagnosis", "starts_on": "2026-01-01", "ends_on": "2026-05-31"},
    )
    assert edit.status_code == 302
    phase.refresh_from_db()
    assert phase.ends_on == datetime.date(2026, 5, 31)
    assert client.post(f"{url}{phase.pk}/delete/").status_code == 302
    assert not Phase.objects.exists()


def test_history_shows_the_workspace_changes_to_members_only(ws, client):
    client.force_login(ws.dana)
    client.post(f"/workspaces/{ws.workspace.pk}/settings/", _settings(ws, title="Renamed"))
    client.force_login(ws.bob)
    body = client.get(f"/workspaces/{ws.workspace.pk}/history/").content.decode()
    assert "Renamed" in body
    client.force_login(ws.charlie)
    assert client.get(f"/workspaces/{ws.workspace.pk}/history/").status_code == 404


def test_network_pages_link_to_the_workspace(ws, client):
    client.force_login(ws.alice)
    body = client.get(f"/networks/{ws.network.pk}/").content.decode()
    assert f"/workspaces/{ws.workspace.pk}/" in body
    body = client.get("/networks/mine/").content.decode()
    assert f"/workspaces/{ws.workspace.pk}/" in body and "/workspaces/" in body


def test_twinning_home_shows_the_partner_abroad(ws, client):
    client.force_login(ws.bob)
    body = client.get(f"/workspaces/{ws.twinning.pk}/").content.decode()
    assert "Kranj" in body and "Slovenia" in body
    assert Workspace.objects.filter(kind="twinning").count() == 1


def test_a_partner_abroad_has_a_written_contact(ws, client):
    client.force_login(ws.alice)  # runs the twinning
    url = f"/workspaces/{ws.twinning.pk}/members/"
    body = client.get(url).content.decode()
    assert body.count('name="foreign_contact"') == 1
    response = client.post(url, {"member": ws.twin_abroad.pk, "foreign_contact": "Mestna občina"})
    assert response.status_code == 302
    ws.twin_abroad.refresh_from_db()
    assert ws.twin_abroad.foreign_contact == "Mestna občina"
    bad = client.post(url, {"member": ws.twin_abroad.pk, "foreign_contact": "a\x00b"})
    assert bad.status_code == 400
    ws.twin_abroad.refresh_from_db()
    assert ws.twin_abroad.foreign_contact == "Mestna občina"
