"""Step 4: citizen surveys."""

from typing import TYPE_CHECKING

from django.db.models import Q

from mreza.core.access.base import Perm, roles_of
from mreza.core.access.progress import runs_workspace, workspaces_run_by
from mreza.core.roles import (
    MANAGING_ROLES,
)
from mreza.progress.models import (
    Workspace,
)
from mreza.surveys.models import Item, Response, Survey, Wave

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from mreza.core.access.base import AnyUser, M


SURVEY_PERMS = (
    Perm.VIEW,
    Perm.MANAGE_SURVEY,
    Perm.ENTER_RESPONSES,
    Perm.EXPORT_RESPONSES,
)


def _survey_rule(user, perm, survey):
    """A survey and its results are seen by the municipality's people, by whoever runs the
    workspace it measures, and by anybody once its results are public (aggregates only, small
    groups suppressed). Its coordinator and management build and run it and download the anonymous
    responses; every user of the municipality types in paper questionnaires."""
    if perm not in SURVEY_PERMS:
        return False
    roles = roles_of(user)
    if perm == Perm.VIEW and survey.results_public:
        return True
    if roles.is_admin:
        return True
    municipality_id = survey.municipality_id
    if perm in (Perm.MANAGE_SURVEY, Perm.EXPORT_RESPONSES):
        return roles.in_municipality(municipality_id, *MANAGING_ROLES)
    if roles.in_municipality(municipality_id):
        return True
    return (
        perm == Perm.VIEW
        and survey.workspace_id is not None
        and runs_workspace(roles, user, survey.workspace)
    )


def _wave_rule(user, perm, wave):
    """Anybody may answer an open wave (RESPOND: the public link needs no account); everything else
    follows the survey."""
    if perm == Perm.RESPOND:
        return wave.status == Wave.Status.OPEN
    return _survey_rule(user, perm, wave.survey)


def _response_rule(user, perm, response):
    """A questionnaire typed in from paper is corrected (deleted and typed in again) by whoever
    typed it in, or by the survey's coordinator and management; everything else follows the
    survey."""
    survey = response.wave.survey
    if perm == Perm.ENTER_RESPONSES:
        if not _survey_rule(user, Perm.ENTER_RESPONSES, survey):
            return False
        return (user.is_authenticated and response.entered_by_id == user.pk) or _survey_rule(
            user, Perm.MANAGE_SURVEY, survey
        )
    return _survey_rule(user, perm, survey)


def _survey_part_rule(user, perm, obj):
    for path in SURVEY_PATHS[type(obj)].split("__"):
        obj = getattr(obj, path)
    return _survey_rule(user, perm, obj)


SURVEY_PATHS: "dict[type[Model], str]" = {Item: "survey", Response: "wave__survey"}


def surveys_visible_to(user: "AnyUser", queryset: "QuerySet[M]") -> "QuerySet[M]":
    """The surveys whose pages the user may open (the rule of Perm.VIEW, as a queryset)."""
    visible = Q(results_public=True)
    if user.is_authenticated:
        roles = roles_of(user)
        if roles.is_admin:
            return queryset
        visible |= Q(municipality_id__in=list(roles.municipal)) | Q(
            workspace__in=workspaces_run_by(user, Workspace.objects.all())
        )
    return queryset.filter(visible)


RULES: dict = {
    Survey: _survey_rule,
    Wave: _wave_rule,
    **dict.fromkeys(SURVEY_PATHS, _survey_part_rule),
    Response: _response_rule,
}
