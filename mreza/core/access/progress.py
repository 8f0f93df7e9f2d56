"""Step 3: workspaces and everything inside them."""

from typing import TYPE_CHECKING

from django.db.models import Q

from mreza.core.access.base import (
    Perm,
    coordinated_organisation_ids,
    managed_municipalities,
    roles_of,
)
from mreza.core.roles import (
    MANAGING_ROLES,
    OrganisationRoleName,
)
from mreza.progress.models import (
    Activity,
    AgendaItem,
    Attendance,
    Commitment,
    Decision,
    Document,
    Goal,
    Indicator,
    Measurement,
    Meeting,
    MeetingSeries,
    MentoringPair,
    MentoringSession,
    Phase,
    Post,
    Registration,
    StaffExchange,
    TransferredPractice,
    TwinningAgreement,
    Visit,
    Workspace,
    WorkspaceMember,
)

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from mreza.core.access.base import AnyUser, M


WORKSPACE_PERMS = (Perm.VIEW, Perm.VIEW_PLAN, Perm.MANAGE_WORKSPACE, Perm.CONTRIBUTE)


def workspace_member_ids(workspace):
    """The registry municipalities in a workspace (one query, cached on the workspace)."""
    cached = workspace.__dict__.get("_member_municipality_ids")
    if cached is None:
        cached = workspace.__dict__["_member_municipality_ids"] = set(
            workspace.members.filter(municipality__isnull=False, left_on__isnull=True).values_list(
                "municipality_id", flat=True
            )
        )
    return cached


def runs_workspace(roles, user, workspace):
    """Who runs a workspace: the coordinators of its organisation and its named coordinator; a
    twinning (no organisation) is run by its municipalities' coordinators and management."""
    if roles.is_admin or (user.is_authenticated and workspace.coordinator_id == user.pk):
        return True
    if workspace.organisation_id is not None:
        return roles.in_organisation(
            workspace.organisation_id, OrganisationRoleName.NETWORK_COORDINATOR
        )
    return any(roles.in_municipality(m, *MANAGING_ROLES) for m in workspace_member_ids(workspace))


def workspace_rule(user, perm, workspace):
    """A workspace is private to its members' people and whoever runs it; once published, its plan
    and progress pages (VIEW_PLAN) are public. Every user of a member municipality contributes."""
    if perm not in WORKSPACE_PERMS:
        return False
    if perm == Perm.VIEW_PLAN and workspace.is_published:
        return True
    roles = roles_of(user)
    if runs_workspace(roles, user, workspace):
        return True
    if perm == Perm.MANAGE_WORKSPACE:
        return False
    return any(roles.in_municipality(m) for m in workspace_member_ids(workspace))


def _workspace_of(obj):
    """The workspace a part of a workspace belongs to (an activity, a meeting's agenda item...)."""
    for path in WORKSPACE_PATHS[type(obj)].split("__"):
        obj = getattr(obj, path)
    return obj


def _workspace_part_rule(user, perm, obj):
    """Everything inside a workspace follows the workspace's rule."""
    return workspace_rule(user, perm, _workspace_of(obj))


# How each part of a workspace reaches it (for the rule above and the audit trail's querysets).
WORKSPACE_PATHS: "dict[type[Model], str]" = {
    WorkspaceMember: "workspace",
    Phase: "workspace",
    Goal: "workspace",
    Indicator: "goal__workspace",
    Measurement: "indicator__goal__workspace",
    Activity: "workspace",
    Commitment: "workspace",
    MeetingSeries: "workspace",
    Meeting: "workspace",
    AgendaItem: "meeting__workspace",
    Registration: "meeting__workspace",
    Attendance: "meeting__workspace",
    Decision: "meeting__workspace",
    Visit: "workspace",
    TwinningAgreement: "workspace",
    StaffExchange: "workspace",
    MentoringPair: "workspace",
    MentoringSession: "pair__workspace",
    TransferredPractice: "workspace",
    Document: "workspace",
    Post: "workspace",
}


def workspaces_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The workspaces whose private pages the user may open (the same rule as Perm.VIEW)."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(
        Q(coordinator_id=user.pk)
        | Q(organisation_id__in=coordinated_organisation_ids(roles))
        | Q(
            pk__in=WorkspaceMember.objects.filter(
                municipality_id__in=list(roles.municipal), left_on__isnull=True
            ).values("workspace_id")
        )
    )


def plans_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The workspaces whose plan and progress pages the user may open (Perm.VIEW_PLAN as a
    queryset): published ones for everybody, and the ones the user may see."""
    visible = Q(is_published=True)
    if user.is_authenticated:
        visible |= Q(pk__in=workspaces_visible_to(user, Workspace.objects.all()).values("pk"))
    return queryset.filter(visible)


def workspaces_run_by(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The workspaces the user runs (the rule of MANAGE_WORKSPACE, as a queryset): named
    coordinator, network coordinator of the organisation, or — a twinning, which has no
    organisation — coordinator or management of a member municipality."""
    if not user.is_authenticated:
        return queryset.none()
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    return queryset.filter(
        Q(coordinator_id=user.pk)
        | Q(organisation_id__in=coordinated_organisation_ids(roles))
        | Q(
            organisation__isnull=True,
            pk__in=WorkspaceMember.objects.filter(
                municipality_id__in=managed_municipalities(user), left_on__isnull=True
            ).values("workspace_id"),
        )
    )


def workspace_parts_visible_to(user: "AnyUser", model: "type[M]") -> "QuerySet[M]":
    """The rows of a workspace part (activities, meetings...) in workspaces the user may see."""
    path = WORKSPACE_PATHS[model]
    visible = workspaces_visible_to(user, Workspace.objects.all()).values("pk")
    return model._default_manager.filter(**{f"{path}__in": visible})


RULES: dict = {Workspace: workspace_rule, **dict.fromkeys(WORKSPACE_PATHS, _workspace_part_rule)}
