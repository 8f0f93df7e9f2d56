"""Opening workspaces from step 2 and keeping their member lists true."""

from django.db import transaction
from django.utils import timezone

from mreza.networks.models import Network, Partnership, Response
from mreza.progress.models import Workspace, WorkspaceMember


def workspace_for_network(network: Network) -> Workspace:
    """The workspace of a network, opened on first need with its accepted members (the host
    first)."""
    existing = Workspace.objects.filter(network=network).first()
    if existing is not None:
        return existing
    round_ = network.round
    with transaction.atomic():
        workspace, created = Workspace.objects.get_or_create(
            network=network,
            defaults={
                "kind": Workspace.Kind.NETWORK,
                "organisation_id": round_.organisation_id,
                "framework_id": round_.framework_id,
                "area": network.area,
                "title": network.title,
                "coordinator_id": round_.created_by_id,
                "starts_on": timezone.localdate(),
            },
        )
        if created:
            sync_network_members(workspace)
    return workspace


def sync_network_members(workspace: Workspace) -> None:
    """Accepted members join; a member that declined later leaves (its history stays)."""
    network = workspace.network
    if network is None:  # made by hand: its members are kept by hand
        return
    present = {m.municipality_id: m for m in workspace.members.all()}
    today = timezone.localdate()
    for membership in network.memberships.all():
        member = present.get(membership.municipality_id)
        accepted = membership.status == Response.ACCEPTED
        if accepted and member is None:
            WorkspaceMember.objects.create(
                workspace=workspace,
                municipality_id=membership.municipality_id,
                role=(
                    WorkspaceMember.Role.HOST
                    if membership.municipality_id == network.host_id
                    else WorkspaceMember.Role.MEMBER
                ),
                joined_on=today,
            )
        elif accepted and member is not None and member.left_on is not None:
            member.left_on = None
            member.save(update_fields=["left_on"])
        elif not accepted and member is not None and member.left_on is None:
            member.left_on = today
            member.save(update_fields=["left_on"])


def workspace_for_partnership(partnership: Partnership) -> Workspace:
    """The workspace of a partnership: the learner and the mentor municipality."""
    existing = Workspace.objects.filter(partnership=partnership).first()
    if existing is not None:
        return existing
    round_ = partnership.round
    with transaction.atomic():
        workspace, created = Workspace.objects.get_or_create(
            partnership=partnership,
            defaults={
                "kind": Workspace.Kind.PARTNERSHIP,
                "organisation_id": round_.organisation_id,
                "framework_id": round_.framework_id,
                "area": partnership.area,
                "title": f"{partnership.mentor.name} → {partnership.learner.name}",
                "coordinator_id": round_.created_by_id,
                "starts_on": timezone.localdate(),
            },
        )
        if created:
            for municipality_id, role in (
                (partnership.mentor_id, WorkspaceMember.Role.MENTOR),
                (partnership.learner_id, WorkspaceMember.Role.LEARNER),
            ):
                WorkspaceMember.objects.create(
                    workspace=workspace,
                    municipality_id=municipality_id,
                    role=role,
                    joined_on=timezone.localdate(),
                )
    return workspace


def open_confirmed(sender, instance, **kwargs):
    """post_save of Network and Partnership (connected in ProgressConfig.ready): a confirmed network
    or partnership gets its workspace at once, so "my networks" shows it the same day."""
    if kwargs.get("raw") or instance.confirmed_at is None:
        return
    # the change is the confirming user's (the request's actor) or the command's
    if isinstance(instance, Network):
        workspace_for_network(instance)
    elif instance.is_confirmed:
        workspace_for_partnership(instance)
