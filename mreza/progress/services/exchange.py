"""State changes of learning between members: visits, staff exchanges and internships, mentoring
pairs and their meetings, transferred practices, and twinnings with their agreements.

Edits of a row that carries a version go through `save_versioned` (EditConflict when someone saved
it meanwhile); everything is audited by AuditedModel; each change is one transaction.
"""

from django.db import transaction

from mreza.core.versioning import save_or_create_versioned, save_versioned
from mreza.progress.models import (
    MentoringPair,
    MentoringSession,
    StaffExchange,
    TransferredPractice,
    TwinningAgreement,
    Visit,
    Workspace,
    WorkspaceMember,
)

VISIT_FIELDS = ["kind", "host", "starts_on", "ends_on", "participants", "learned", "to_adopt"]
EXCHANGE_FIELDS = ["kind", "person_name", "person", "home", "host", "starts_on", "ends_on"]
EXCHANGE_FIELDS += ["results"]
PAIR_FIELDS = ["mentor_name", "mentor", "mentor_member", "mentee_name", "mentee"]
PAIR_FIELDS += ["mentee_member", "topic", "starts_on", "ends_on", "status", "outcome"]
PRACTICE_FIELDS = ["title", "description", "source", "adopter", "adopted_on", "responsible"]
PRACTICE_FIELDS += ["result"]
SESSION_FIELDS = ["held_on", "notes"]
AGREEMENT_FIELDS = ["signed_on", "starts_on", "ends_on", "signatories", "work_plan"]


def _members_of(workspace, *members):
    """A record names only members of its own workspace (the forms offer no others; this keeps a
    caller that bypasses them from linking two workspaces)."""
    if any(m is not None and m.workspace_id != workspace.pk for m in members):
        raise ValueError("a member of another workspace")


def _save(workspace, row, fields, expected_version):
    """Create `row` in `workspace`, or save its edited `fields` under optimistic locking."""
    if row.pk is None:
        row.workspace = workspace
        row.save()
    else:
        save_versioned(row, fields, expected_version)
    return row


def save_visit(workspace: Workspace, visit: Visit, visitors, expected_version: int) -> Visit:
    """A peer or study visit with its visiting members (the host is never one of them)."""
    visitors = list(visitors)
    _members_of(workspace, visit.host, *visitors)
    with transaction.atomic():
        _save(workspace, visit, VISIT_FIELDS, expected_version)
        visit.visitors.set(visitors)
    return visit


def save_staff_exchange(workspace, exchange: StaffExchange, expected_version) -> StaffExchange:
    _members_of(workspace, exchange.home, exchange.host)
    with transaction.atomic():
        return _save(workspace, exchange, EXCHANGE_FIELDS, expected_version)


def save_mentoring_pair(workspace, pair: MentoringPair, expected_version) -> MentoringPair:
    _members_of(workspace, pair.mentor_member, pair.mentee_member)
    with transaction.atomic():
        return _save(workspace, pair, PAIR_FIELDS, expected_version)


def save_mentoring_session(
    pair: MentoringPair, session: MentoringSession, expected_version: int
) -> MentoringSession:
    """Record a meeting of a mentoring pair, or save the edited one under optimistic locking."""
    if session.pk is not None and session.pair_id != pair.pk:
        raise ValueError("a meeting of another mentoring pair")
    with transaction.atomic():
        if session.pk is None:
            session.pair = pair
            session.save()
        else:
            save_versioned(session, SESSION_FIELDS, expected_version)
    return session


def save_transferred_practice(
    workspace, practice: TransferredPractice, expected_version
) -> TransferredPractice:
    _members_of(workspace, practice.source, practice.adopter)
    with transaction.atomic():
        return _save(workspace, practice, PRACTICE_FIELDS, expected_version)


def create_twinning(
    municipality,
    user,
    agreement: dict,
    *,
    title="",
    partner=None,
    foreign_name="",
    foreign_country="",
    foreign_contact="",
) -> Workspace:
    """A twinning of `municipality` with a registry municipality (`partner`) or a partner abroad
    (`foreign_*`), run by `user`, with its agreement: the workspace, its two members and the
    agreement in one transaction."""
    if partner is not None and partner.pk == municipality.pk:
        raise ValueError("a municipality cannot be twinned with itself")
    if partner is None and not foreign_name.strip():
        raise ValueError("a partner abroad needs a name")
    partner_name = partner.name if partner is not None else foreign_name
    with transaction.atomic():
        workspace = Workspace.objects.create(
            kind=Workspace.Kind.TWINNING,
            title=(title or f"{municipality.name} – {partner_name}")[:300],
            coordinator=user,
            starts_on=agreement["starts_on"],
            ends_on=agreement.get("ends_on"),
        )
        WorkspaceMember.objects.create(
            workspace=workspace,
            municipality=municipality,
            role=WorkspaceMember.Role.PARTNER,
            contact_person=user,
            joined_on=agreement["starts_on"],
        )
        WorkspaceMember.objects.create(
            workspace=workspace,
            municipality=partner,
            foreign_name="" if partner is not None else foreign_name,
            foreign_country="" if partner is not None else foreign_country,
            foreign_contact="" if partner is not None else foreign_contact,
            role=WorkspaceMember.Role.PARTNER,
            joined_on=agreement["starts_on"],
        )
        TwinningAgreement.objects.create(
            workspace=workspace, **{f: agreement[f] for f in AGREEMENT_FIELDS}
        )
    return workspace


def save_agreement(workspace: Workspace, values: dict, expected_version: int) -> TwinningAgreement:
    """The twinning's agreement (created on first save), under optimistic locking; the workspace's
    dates follow the agreement's."""
    if workspace.kind != Workspace.Kind.TWINNING:
        raise ValueError("only a twinning has an agreement")
    with transaction.atomic():
        agreement = save_or_create_versioned(
            TwinningAgreement, {"workspace": workspace}, values, expected_version
        )
        if (workspace.starts_on, workspace.ends_on) != (agreement.starts_on, agreement.ends_on):
            workspace.starts_on, workspace.ends_on = agreement.starts_on, agreement.ends_on
            workspace.save(update_fields=["starts_on", "ends_on"])
    return agreement
