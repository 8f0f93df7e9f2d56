"""Published self-evaluations: what their public report shows (evaluation/services/report.py):
the submitted members' parts only — goal ratings, activity counts, re-assessment score changes
next to the citizen satisfaction change, lessons learned. Parts not submitted are only
counted, as on the public page."""

import math
from datetime import datetime

from ninja import Field, Path, Query, Router, Schema

from mreza.api.conventions import Error, Page, PageParams, paginate
from mreza.api.scripts import shown
from mreza.core.access import Perm, anonymous_visitor, evaluations_visible_to, get_or_deny
from mreza.evaluation.models import Evaluation
from mreza.evaluation.services.report import evaluation_report

router = Router(tags=["evaluations"])


class EvaluatedWorkspace(Schema):
    id: int
    title: str
    kind: str


class EvaluationOut(Schema):
    id: int
    title: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    workspace: EvaluatedWorkspace


class ActivityCounts(Schema):
    done: int
    total: int = Field(description="Without the cancelled ones.")
    cancelled: int


class RatingCount(Schema):
    rating: str
    label: str
    members: int


class EvaluationGoal(Schema):
    title: str
    ratings: list[RatingCount]


class ScoreChange(Schema):
    subcriterion: str = Field(description="Framework subcriterion code.")
    title: str
    before: float | None = Field(description="Consensus score of the baseline assessment.")
    after: float | None = Field(description="Consensus score of the re-assessment.")
    change: float | None


class SatisfactionChange(Schema):
    survey: int
    question: str
    scale_min: int
    scale_max: int
    before_mean: float | None
    before_answers: int
    after_mean: float | None
    after_answers: int
    difference: float | None
    verdict: str = Field(description="In the request's language.")


class EvaluationMember(Schema):
    municipality: str | None = Field(description="Municipality code.")
    name: str
    activities: ActivityCounts
    deltas: list[ScoreChange]
    satisfaction: SatisfactionChange | None
    activities_summary: str
    lessons: str
    keep_doing: str


class EvaluationReportOut(EvaluationOut):
    activities: ActivityCounts
    goals: list[EvaluationGoal]
    members: list[EvaluationMember] = Field(description="The submitted parts.")
    not_submitted: int = Field(description="Parts not submitted (not in the report).")


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def evaluation_out(evaluation: Evaluation) -> dict:
    workspace = evaluation.workspace
    return {
        "id": evaluation.pk,
        "title": shown(evaluation.title),
        "status": evaluation.status,
        "opened_at": evaluation.opened_at,
        "closed_at": evaluation.closed_at,
        "workspace": {"id": workspace.pk, "title": shown(workspace.title), "kind": workspace.kind},
    }


def _published():
    return evaluations_visible_to(anonymous_visitor(), Evaluation.objects.all()).select_related(
        "workspace"
    )


@router.get("/evaluations", response=Page[EvaluationOut], summary="Published evaluations")
def evaluations(request, params: Query[PageParams]):
    rows = _published().order_by("-opened_at", "-id")
    return paginate(request, rows, params, evaluation_out)


def _activities(count) -> dict:
    return {"done": count.done, "total": count.total, "cancelled": count.cancelled}


def _satisfaction(change) -> dict | None:
    if change is None:
        return None
    low, high = change.scale
    return {
        "survey": change.survey.pk,
        "question": shown(change.question),
        "scale_min": low,
        "scale_max": high,
        "before_mean": _num(change.before.mean),
        "before_answers": change.before.n,
        "after_mean": _num(change.after.mean),
        "after_answers": change.after.n,
        "difference": _num(change.difference),
        "verdict": change.sentence,
    }


def _member(member) -> dict:
    part = member.part
    municipality = member.municipality
    return {
        "municipality": municipality.code if municipality else None,
        "name": str(part.member) if municipality else shown(str(part.member)),
        "activities": _activities(member.activities),
        "deltas": [
            {
                "subcriterion": d.subcriterion.code,
                "title": shown(d.title),
                "before": _num(d.before),
                "after": _num(d.after),
                "change": _num(d.change),
            }
            for d in member.deltas
        ],
        "satisfaction": _satisfaction(member.satisfaction),
        "activities_summary": shown(part.activities_summary),
        "lessons": shown(part.lessons),
        "keep_doing": shown(part.keep_doing),
    }


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationReportOut, 404: Error},
    summary="The report of a published evaluation",
)
def evaluation(request, evaluation_id: int = Path(..., ge=1, le=2**63 - 1)):
    found = get_or_deny(
        anonymous_visitor(),
        Perm.VIEW,
        _published().select_related("workspace__framework"),
        pk=evaluation_id,
    )
    report = evaluation_report(found)
    return {
        **evaluation_out(found),
        "activities": _activities(report.activities),
        "goals": [
            {
                "title": shown(goal.goal.title),
                "ratings": [
                    {"rating": rating, "label": str(label), "members": n}
                    for rating, label, n in goal.counts
                ],
            }
            for goal in report.goals
        ],
        "members": [_member(m) for m in report.members],
        "not_submitted": len(report.not_submitted),
    }
