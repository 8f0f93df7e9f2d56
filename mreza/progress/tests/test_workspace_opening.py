from mreza.core.access import Perm, may
from mreza.core.models import AuditEntry
from mreza.networks.models import Partnership, Response
from mreza.networks.services import confirm
from mreza.progress.models import Workspace, WorkspaceMember


def test_a_confirmed_network_opens_its_workspace_with_the_accepted_members(ws):
    members = {m.municipality_id: m.role for m in ws.workspace.members.all()}
    assert members == {ws.a.pk: "host", ws.c.pk: "member", ws.d.pk: "member"}
    assert ws.workspace.organisation_id == ws.association.pk
    assert ws.workspace.area == "3.1"
    assert ws.workspace.coordinator_id == ws.dana.pk


def test_a_confirmed_partnership_opens_a_workspace_of_two(ws):
    partnership = Partnership.objects.create(
        round=ws.round,
        area="3.1",
        learner=ws.c,
        mentor=ws.a,
        learner_status=Response.ACCEPTED,
        mentor_status=Response.ACCEPTED,
    )
    assert not Workspace.objects.filter(partnership=partnership).exists()
    confirm(partnership, ws.dana)
    workspace = Workspace.objects.get(partnership=partnership)
    assert {(m.municipality_id, m.role) for m in workspace.members.all()} == {
        (ws.a.pk, "mentor"),
        (ws.c.pk, "learner"),
    }


def test_the_workspace_history_is_shown_to_who_may_see_the_workspace(ws):
    from mreza.core.access import audit_entries_visible_to, workspace_history

    WorkspaceMember.objects.filter(pk=ws.member_c.pk).update(contact_person=ws.cora)
    entries = workspace_history(ws.bob, ws.workspace)
    assert entries.filter(content_type__model="workspace").exists()
    assert not workspace_history(ws.charlie, ws.workspace).exists()
    # the coordinator of a member municipality reads it in the audit trail too; charlie does not
    visible = audit_entries_visible_to(
        ws.alice, AuditEntry.objects.filter(container_id=ws.workspace.pk)
    )
    assert visible.exists()
    hidden = audit_entries_visible_to(
        ws.charlie, AuditEntry.objects.filter(container_id=ws.workspace.pk)
    )
    assert not hidden.exists()


def test_charlie_outside_the_network_sees_nothing_private(ws):
    assert not may(ws.charlie, Perm.VIEW, ws.workspace)
    assert may(ws.dino, Perm.CONTRIBUTE, ws.workspace)
    assert not may(ws.dino, Perm.MANAGE_WORKSPACE, ws.workspace)
    assert may(ws.alice, Perm.MANAGE_WORKSPACE, ws.twinning)


def test_a_change_of_a_many_to_many_list_is_audited(ws):
    import datetime

    from mreza.core.audit import acting_as
    from mreza.progress.models import Visit

    with acting_as(ws.dana):
        visit = Visit.objects.create(
            workspace=ws.workspace,
            host=ws.member_a,
            starts_on=datetime.date(2026, 3, 1),
            ends_on=datetime.date(2026, 3, 2),
        )
        visit.visitors.set([ws.member_c])
        visit.visitors.set([ws.member_c, ws.member_d])
        visit.visitors.clear()
    changes = [
        e.changes["visitors"]
        for e in AuditEntry.objects.filter(
            content_type__model="visit", object_id=str(visit.pk), action="update"
        ).order_by("id")
    ]
    c, d = ws.member_c.pk, ws.member_d.pk
    assert changes == [[[], [c]], [[c], sorted([c, d])], [sorted([c, d]), []]]
    entry = AuditEntry.objects.filter(content_type__model="visit").last()
    assert entry.actor == ws.dana and entry.container_id == ws.workspace.pk
