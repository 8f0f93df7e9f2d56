"""State changes of a workspace's self-evaluation (issue 12, item 1): opening it with a part per
member, saving and submitting a member's part (goal by goal, lessons), reopening a part, closing
and publishing the evaluation, and starting a member's re-assessment of the network's area.

Views call these, never the ORM to write. Each runs in one transaction, so nothing is saved half
way; every change is audited (the models are AuditedModels). A member's part is one versioned
unit: its texts and its goal results are saved together under the part's version, so two people
editing the same part cannot overwrite each other.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mreza.assessment.models import Assessment, Subcriterion
from mreza.assessment.services import latest_baseline, start_reassessment
from mreza.core.versioning import EditConflict, save_or_create_versioned, save_versioned
from mreza.evaluation.models import Evaluation, GoalResult, MemberEvaluation
from mreza.progress.models import Goal, Workspace, WorkspaceMember

PART_FIELDS = ("activities_summary", "lessons", "keep_doing")
# Assessment.title's length
TITLE_LIMIT = Assessment._meta.get_field("title").max_length


class EvaluationError(Exception):
    """A step that cannot be taken now; the message is shown to the user as it is."""


class SubmitRefused(EvaluationError):
    """The part cannot be submitted yet: `missing` lists what is still to do (goals unrated)."""

    def __init__(self, missing):
        self.missing = missing
        super().__init__(_("The part cannot be submitted yet."))


def members_to_evaluate(workspace: Workspace):
    """The registry members still in the workspace: each evaluates its own part (partners abroad
    have no part; their municipality is not in the registry)."""
    return WorkspaceMember.objects.filter(
        workspace=workspace, municipality__isnull=False, left_on__isnull=True
    ).order_by("id")


def open_evaluation(workspace: Workspace, *, title: str, due_on, user) -> Evaluation:
    """An open evaluation with an empty part for every current registry member."""
    with transaction.atomic():
        # one open evaluation at a time: the members would not know which one to fill in
        locked = Workspace.objects.select_for_update().get(pk=workspace.pk)
        if locked.evaluations.filter(status=Evaluation.Status.OPEN).exists():
            raise EvaluationError(
                _("An evaluation of this workspace is open already; close it before opening one.")
            )
        evaluation = Evaluation.objects.create(
            workspace=workspace,
            title=title,
            due_on=due_on,
            opened_by=user if user and user.is_authenticated else None,
        )
        for member in members_to_evaluate(workspace):
            MemberEvaluation.objects.create(evaluation=evaluation, member=member)
    return evaluation


def _editable(part: MemberEvaluation) -> None:
    if part.evaluation.status != Evaluation.Status.OPEN:
        raise EvaluationError(_("The evaluation is closed; its parts can no longer change."))
    if part.submitted_at is not None:
        raise EvaluationError(
            _("This part is submitted; whoever runs the workspace can reopen it for changes.")
        )


def _still_editable():
    return Q(submitted_at__isnull=True, evaluation__status=Evaluation.Status.OPEN)


def save_part(part: MemberEvaluation, values, ratings, expected_version: int) -> MemberEvaluation:
    """Save the part's texts (`values`) and its goal results (`ratings`: {goal id: (rating,
    comment)}; a blank rating is a draft) in one go. Raises EditConflict when someone saved the
    part since `expected_version` (nothing is saved), EvaluationError when it cannot change."""
    _editable(part)
    goals = set(
        Goal.objects.filter(workspace_id=part.evaluation.workspace_id).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for field in PART_FIELDS:
            setattr(part, field, values.get(field, ""))
        save_versioned(
            part, [*PART_FIELDS, "updated_at"], expected_version, condition=_still_editable()
        )
        for goal_id, (rating, comment) in ratings.items():
            if goal_id not in goals:
                continue
            existing = part.goal_results.filter(goal_id=goal_id).first()
            if existing is None and not rating and not comment:
                continue  # nothing said about this goal yet: no row
            # the part's version guards the whole form; the results follow it
            save_or_create_versioned(
                GoalResult,
                {"member_evaluation": part, "goal_id": goal_id},
                {"rating": rating or "", "comment": comment or ""},
            )
    return part


def missing_for_submit(part: MemberEvaluation) -> list[Goal]:
    """The workspace's goals this part has not rated yet, in the goals' order."""
    rated = set(part.goal_results.exclude(rating="").values_list("goal_id", flat=True))
    goals = Goal.objects.filter(workspace_id=part.evaluation.workspace_id).order_by("order", "id")
    return [g for g in goals if g.pk not in rated]


def submit_part(part: MemberEvaluation, user) -> MemberEvaluation:
    """Submit the part once every goal is rated (SubmitRefused lists the goals left)."""
    _editable(part)
    missing = missing_for_submit(part)
    if missing:
        raise SubmitRefused(missing)
    part.submitted_at = timezone.now()
    part.submitted_by = user if user.is_authenticated else None
    try:
        save_versioned(
            part, ["submitted_at", "submitted_by"], part.version, condition=_still_editable()
        )
    except EditConflict as error:
        raise EvaluationError(
            _("Someone else changed this part just now; look at it again.")
        ) from error
    return part


def reopen_part(part: MemberEvaluation) -> MemberEvaluation:
    """A submitted part back to its member for changes (the evaluation must still be open)."""
    if part.evaluation.status != Evaluation.Status.OPEN:
        raise EvaluationError(_("The evaluation is closed; its parts can no longer change."))
    if part.submitted_at is None:
        raise EvaluationError(_("This part is not submitted; it is open for changes already."))
    part.submitted_at = None
    part.submitted_by = None
    try:
        save_versioned(
            part,
            ["submitted_at", "submitted_by"],
            part.version,
            condition=Q(submitted_at__isnull=False, evaluation__status=Evaluation.Status.OPEN),
        )
    except EditConflict as error:
        raise EvaluationError(
            _("Someone else changed this part just now; look at it again.")
        ) from error
    return part


def close_evaluation(evaluation: Evaluation) -> Evaluation:
    """Close the evaluation: parts not submitted stay as they are, shown as not submitted."""
    if evaluation.status != Evaluation.Status.OPEN:
        raise EvaluationError(_("The evaluation is closed already."))
    evaluation.status = Evaluation.Status.CLOSED
    evaluation.closed_at = timezone.now()
    try:
        save_versioned(
            evaluation,
            ["status", "closed_at"],
            evaluation.version,
            condition=Q(status=Evaluation.Status.OPEN),
        )
    except EditConflict as error:
        raise EvaluationError(_("The evaluation is closed already.")) from error
    return evaluation


def set_published(evaluation: Evaluation, published: bool) -> Evaluation:
    """Make the report public (anybody may read it and the submitted parts) or private again.
    Only a closed evaluation's report is published: an open one still changes."""
    if published and evaluation.status != Evaluation.Status.CLOSED:
        raise EvaluationError(_("Close the evaluation before publishing its report."))
    if evaluation.is_published == published:
        return evaluation
    evaluation.is_published = published
    condition = Q(status=Evaluation.Status.CLOSED) if published else None
    try:
        save_versioned(evaluation, ["is_published"], evaluation.version, condition=condition)
    except EditConflict as error:
        raise EvaluationError(
            _("Someone else changed the evaluation just now; look at it again.")
        ) from error
    return evaluation


# ---------------------------------------------------------------- the re-assessment


def area_codes(workspace: Workspace) -> list[str]:
    """The subcriteria a re-assessment covers: the workspace's area (a network has one); empty
    when the workspace names none (partnerships, twinnings): then the member chooses."""
    return [workspace.area] if workspace.area else []


def subcriteria_to_choose(workspace: Workspace):
    """The framework's subcriteria, in framework order, for a workspace without an area."""
    if workspace.framework_id is None:
        return Subcriterion.objects.none()
    return Subcriterion.objects.filter(framework_id=workspace.framework_id).order_by("position")


def baseline_for(part: MemberEvaluation) -> Assessment | None:
    workspace = part.evaluation.workspace
    if workspace.framework_id is None:
        return None
    return latest_baseline(part.member.municipality, workspace.framework)


def start_member_reassessment(part: MemberEvaluation, *, codes, user) -> Assessment:
    """Start the member municipality's short re-assessment of `codes` (the workspace's area when
    it has one), compared with its latest whole self-assessment, and link it to the part."""
    _editable(part)
    if part.reassessment_id is not None:
        raise EvaluationError(_("The re-assessment of this part is started already."))
    workspace = part.evaluation.workspace
    if workspace.framework_id is None:
        raise EvaluationError(
            _("This workspace names no assessment framework, so there is nothing to re-assess.")
        )
    codes = area_codes(workspace) or list(codes or ())
    baseline = baseline_for(part)
    if baseline is None:
        raise EvaluationError(
            _(
                "There is nothing to compare with yet: the municipality must first close a "
                "self-assessment of the whole framework."
            )
        )
    today = timezone.localdate()
    # the period reaches back to the workspace's start, never before the baseline's end
    start = max(
        min(workspace.starts_on or today, today),
        baseline.period_end + datetime.timedelta(days=1),
    )
    title = _("Re-assessment: %(evaluation)s") % {"evaluation": part.evaluation.title}
    with transaction.atomic():
        locked = MemberEvaluation.objects.select_for_update().get(pk=part.pk)
        if locked.reassessment_id is not None:
            raise EvaluationError(_("The re-assessment of this part is started already."))
        try:
            assessment = start_reassessment(
                baseline=baseline,
                codes=codes,
                title=title[:TITLE_LIMIT],
                period_start=min(start, today),
                period_end=today,
                user=user,
            )
        except ValidationError as error:
            raise EvaluationError(" ".join(error.messages)) from error
        # linking is no edit of the part's texts: the version stays, an open form still saves
        part.reassessment = assessment
        part.save(update_fields=["reassessment"])
    return assessment
