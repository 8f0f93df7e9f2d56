"""Step 4: self-evaluation, recognition and certificates."""

from typing import TYPE_CHECKING

from django.db.models import Q

from mreza.core.access.base import Perm, roles_of
from mreza.core.access.progress import runs_workspace, workspace_rule, workspaces_visible_to
from mreza.core.roles import (
    MANAGING_ROLES,
)
from mreza.evaluation.models import Certificate, Evaluation, GoalResult, MemberEvaluation
from mreza.progress.models import (
    Workspace,
)

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from mreza.core.access.base import AnyUser, M


def _evaluation_rule(user, perm, evaluation):
    """An evaluation is seen by whoever may see its workspace, and by anybody once its report is
    published (members' parts only once submitted); whoever runs the workspace runs it."""
    if perm == Perm.VIEW:
        return evaluation.is_published or workspace_rule(user, Perm.VIEW, evaluation.workspace)
    if perm == Perm.MANAGE_EVALUATION:
        return workspace_rule(user, Perm.MANAGE_WORKSPACE, evaluation.workspace)
    return False


def _member_evaluation_rule(user, perm, part):
    """A member's part: filled in (EVALUATE) while the evaluation is open by the member
    municipality's coordinator and management, or by whoever runs the workspace."""
    evaluation = part.evaluation
    if perm == Perm.VIEW:
        if evaluation.is_published and part.submitted_at is not None:
            return True
        return workspace_rule(user, Perm.VIEW, evaluation.workspace)
    if perm == Perm.EVALUATE:
        if evaluation.status != Evaluation.Status.OPEN:
            return False
        roles = roles_of(user)
        municipality_id = part.member.municipality_id
        return (
            municipality_id is not None and roles.in_municipality(municipality_id, *MANAGING_ROLES)
        ) or runs_workspace(roles, user, evaluation.workspace)
    return _evaluation_rule(user, perm, evaluation)


def _goal_result_rule(user, perm, result):
    return _member_evaluation_rule(user, perm, result.member_evaluation)


def _certificate_rule(user, perm, certificate):
    """A certificate is seen by whoever may see its evaluation and by its municipality's people;
    issued and revoked by whoever runs the evaluation. Anybody checks one by its code on the
    verification page, which shows only what the certificate states."""
    if perm == Perm.VIEW and roles_of(user).in_municipality(certificate.municipality_id):
        return True
    return _evaluation_rule(user, perm, certificate.evaluation)


# How each part of an evaluation reaches its workspace (audit trail: "contained" in it).
EVALUATION_PATHS: "dict[type[Model], str]" = {
    Evaluation: "workspace",
    MemberEvaluation: "evaluation__workspace",
    GoalResult: "member_evaluation__evaluation__workspace",
    Certificate: "evaluation__workspace",
}


def evaluations_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The evaluations the user may open: published ones, and those of workspaces they may see."""
    return queryset.filter(
        Q(is_published=True) | Q(workspace__in=workspaces_visible_to(user, Workspace.objects.all()))
    )


RULES = {
    Evaluation: _evaluation_rule,
    MemberEvaluation: _member_evaluation_rule,
    GoalResult: _goal_result_rule,
    Certificate: _certificate_rule,
}
