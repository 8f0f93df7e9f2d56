"""What who runs a workspace changes on it: its settings (versioned), its members' contact people
and its phases. Each change is one transaction and audited through the models."""

from django.db import transaction

from mreza.core.versioning import save_versioned
from mreza.progress.models import Phase, Workspace, WorkspaceMember

SETTINGS_FIELDS = ("title", "description", "starts_on", "ends_on", "is_published", "coordinator")
PHASE_FIELDS = ("name", "starts_on", "ends_on")


def update_settings(workspace: Workspace, values, expected_version: int) -> Workspace:
    """Raises core.versioning.EditConflict when someone saved the settings since
    `expected_version`; nothing is saved then."""
    for field in SETTINGS_FIELDS:
        setattr(workspace, field, values[field])
    save_versioned(workspace, list(SETTINGS_FIELDS), expected_version)
    return workspace


def set_contact(member: WorkspaceMember, values) -> WorkspaceMember:
    """A registry member's contact person (a person of that municipality, checked by the form);
    a partner abroad keeps a free-text contact instead."""
    with transaction.atomic():
        if member.is_abroad:
            member.foreign_contact = values.get("foreign_contact", "")
            member.save(update_fields=["foreign_contact"])
        else:
            member.contact_person = values.get("contact_person")
            member.save(update_fields=["contact_person"])
    return member


def create_phase(workspace: Workspace, values) -> Phase:
    with transaction.atomic():
        return Phase.objects.create(
            workspace=workspace,
            order=workspace.phases.count(),
            **{f: values[f] for f in PHASE_FIELDS},
        )


def update_phase(phase: Phase, values) -> Phase:
    with transaction.atomic():
        for field in PHASE_FIELDS:
            setattr(phase, field, values[field])
        phase.save(update_fields=list(PHASE_FIELDS))
    return phase


def delete_phase(phase: Phase) -> None:
    with transaction.atomic():
        phase.delete()


def create_network(values, user) -> Workspace:
    """A network made by hand (no grouping round): the workspace and its members, the host first;
    `user` (who made it) is its coordinator."""
    with transaction.atomic():
        workspace = Workspace.objects.create(
            kind=Workspace.Kind.NETWORK,
            organisation=values["organisation"],
            framework=values["framework"],
            area=values["area_code"],
            title=values["title"],
            coordinator=user,
            starts_on=values["starts_on"],
            ends_on=values.get("ends_on"),
        )
        host = values["host"]
        ordered = [host, *(m for m in values["member_list"] if m.pk != host.pk)]
        for municipality in ordered:
            WorkspaceMember.objects.create(
                workspace=workspace,
                municipality=municipality,
                role=(
                    WorkspaceMember.Role.HOST
                    if municipality.pk == host.pk
                    else WorkspaceMember.Role.MEMBER
                ),
                joined_on=values["starts_on"],
            )
    return workspace
