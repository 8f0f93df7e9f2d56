"""Recognition: the best results and the most improved members of an evaluation, and across the
networks of every published evaluation. The rules are the pure `mreza.evaluation.recognition`;
this module reads the consensus scores they need in a fixed number of queries.

Signatures the other parts use:
    evaluation_recognition(evaluation) -> Recognition
    platform_recognition(top=TOP) -> PlatformRecognition
    area_codes(evaluation, parts) -> list[str]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mreza.assessment.models import Consensus, Framework, Subcriterion
from mreza.evaluation import recognition as rules
from mreza.evaluation.models import Certificate, Evaluation, MemberEvaluation
from mreza.evaluation.recognition import Figures, Ranking, Scale, Standing
from mreza.surveys.models import Survey
from mreza.surveys.services.results import satisfaction_change

NO_REASSESSMENT = _("no re-assessment")
NO_AREA = _("the network has no area to compare")
SCORES_MISSING = _("the re-assessment has no consensus score for every subcriterion of the area")
NO_BASELINE = _("no baseline scores to compare with")

KINDS = (Certificate.Kind.BEST_RESULT, Certificate.Kind.MOST_IMPROVED)


@dataclass
class Row:
    """One submitted member of an evaluation with its figures and its standing in both
    rankings."""

    part: MemberEvaluation
    figures: Figures | None
    why_not: Promise | str = ""
    best: Standing[int] | None = None
    improved: Standing[int] | None = None

    @property
    def municipality(self) -> Any:
        return self.part.member.municipality

    @property
    def why_not_improved(self) -> Promise | str:
        if self.figures is None:
            return self.why_not
        return NO_BASELINE if self.figures.share_delta is None else ""


@dataclass
class Recognition:
    evaluation: Evaluation
    codes: list[str]
    areas: list[Subcriterion]
    rows: list[Row]
    best: Ranking[int]
    improved: Ranking[int]
    # the tie-breaker values asked for (member part pk -> rise in satisfaction, 0–100 points)
    satisfaction: dict[int, float | None] = field(default_factory=dict)

    def ranking(self, kind: str) -> Ranking[int]:
        return self.best if kind == Certificate.Kind.BEST_RESULT else self.improved

    def standings(self, kind: str) -> list[tuple[Standing[int], Row]]:
        """The ranking's members, best first, with their rows."""
        by_pk = {row.part.pk: row for row in self.rows}
        return [(s, by_pk[s.key]) for s in self.ranking(kind).standings]

    def winners(self, kind: str) -> list[Row]:
        by_pk = {row.part.pk: row for row in self.rows}
        return [by_pk[key] for key in self.ranking(kind).winners]

    @property
    def best_rows(self) -> list[tuple[Standing[int], Row]]:
        return self.standings(Certificate.Kind.BEST_RESULT)

    @property
    def improved_rows(self) -> list[tuple[Standing[int], Row]]:
        return self.standings(Certificate.Kind.MOST_IMPROVED)

    @property
    def not_compared(self) -> list[Row]:
        return [row for row in self.rows if row.figures is None]

    @property
    def without_baseline(self) -> list[Row]:
        return [row for row in self.rows if row.figures and row.figures.share_delta is None]

    @property
    def is_closed(self) -> bool:
        return self.evaluation.status == Evaluation.Status.CLOSED


@dataclass
class PlatformRecognition:
    """The top places across the networks of every published evaluation (0–100 of each scale)."""

    best: Ranking[int]
    improved: Ranking[int]
    rows: dict[int, Row]

    @property
    def best_rows(self) -> list[tuple[Standing[int], Row]]:
        return [(s, self.rows[s.key]) for s in self.best.standings]

    @property
    def improved_rows(self) -> list[tuple[Standing[int], Row]]:
        return [(s, self.rows[s.key]) for s in self.improved.standings]


def _submitted_parts(parts: QuerySet[MemberEvaluation]) -> list[MemberEvaluation]:
    return list(
        parts.filter(submitted_at__isnull=False, member__municipality__isnull=False)
        .select_related("member__municipality", "reassessment", "evaluation__workspace__framework")
        .order_by("member__municipality__search_key", "id")
    )


def area_codes(evaluation: Evaluation, parts: Iterable[MemberEvaluation]) -> list[str]:
    """The subcriteria compared: the network's area; without one (a partnership or twinning),
    the subcriteria every re-assessment covers."""
    if evaluation.workspace.area:
        return [evaluation.workspace.area]
    scopes = [p.reassessment.scope for p in parts if p.reassessment and p.reassessment.scope]
    if not scopes:
        return []
    common = set.intersection(*(set(scope) for scope in scopes))
    return [code for code in scopes[0] if code in common]


def _scales(framework_ids: set[int]) -> dict[tuple[int, str], Scale]:
    """(framework, panel code) -> its scale, from the frameworks' panels only (one query)."""
    found: dict[tuple[int, str], Scale] = {}
    for pk, panels in Framework.objects.filter(pk__in=framework_ids).values_list(
        "pk", "data__panels"
    ):
        for panel in panels or []:
            found[(pk, panel["code"])] = Scale(panel["min"], panel["max"])
    return found


def _figures(
    parts: list[MemberEvaluation], codes_of: dict[int, list[str]]
) -> dict[int, Figures | None]:
    """Each part's figures on its evaluation's area (two queries for any number of parts)."""
    reassessments = [p.reassessment for p in parts if p.reassessment is not None]
    ids = {a.pk for a in reassessments} | {a.baseline_id for a in reassessments if a.baseline_id}
    codes = {code for part_codes in codes_of.values() for code in part_codes}
    scores: dict[int, dict[str, float | None]] = {}
    panels: dict[tuple[int, str], dict[str, str]] = {}
    rows = Consensus.objects.filter(assessment_id__in=ids, subcriterion__code__in=codes)
    for assessment_id, code, score, framework_id, sub_panels in rows.values_list(
        "assessment_id",
        "subcriterion__code",
        "score",
        "subcriterion__framework_id",
        "subcriterion__panels",
    ):
        scores.setdefault(assessment_id, {})[code] = score
        panels[(framework_id, code)] = sub_panels or {}
    scales = _scales({a.framework_id for a in reassessments}) if ids else {}
    found: dict[int, Figures | None] = {}
    for part in parts:
        own = part.reassessment
        if own is None:
            found[part.pk] = None
            continue
        wanted = codes_of.get(part.evaluation_id, [])
        part_scales = {}
        for code in wanted:
            panel = panels.get((own.framework_id, code), {}).get(own.method)
            if panel and (own.framework_id, panel) in scales:
                part_scales[code] = scales[(own.framework_id, panel)]
        baseline = scores.get(own.baseline_id, {}) if own.baseline_id else {}
        found[part.pk] = rules.figures(wanted, scores.get(own.pk, {}), baseline, part_scales)
    return found


def _why_not(part: MemberEvaluation, codes: list[str]) -> Promise | str:
    if part.reassessment is None:
        return NO_REASSESSMENT
    return SCORES_MISSING if codes else NO_AREA


def measuring_surveys(evaluation: Evaluation) -> dict[int, Survey]:
    """Each member municipality's newest survey measuring the evaluation's workspace (one
    query)."""
    found: dict[int, Survey] = {}
    for survey in Survey.objects.filter(workspace_id=evaluation.workspace_id).order_by(
        "created_at", "id"
    ):
        found[survey.municipality_id] = survey
    return found


def satisfaction_rise(survey: Survey | None) -> float | None:
    """The rise in citizen satisfaction the survey measured (the "overall" item, first to last
    closed wave) in points of 100 of the item's scale; None when it cannot tell."""
    change = satisfaction_change(survey) if survey is not None else None
    if change is None or change.difference is None:
        return None
    low, high = change.scale
    return change.difference / (high - low) * 100 if high > low else None


def evaluation_recognition(evaluation: Evaluation) -> Recognition:
    """The rankings of an evaluation's submitted members (provisional while it is open)."""
    parts = _submitted_parts(evaluation.members.all())
    codes = area_codes(evaluation, parts)
    figures = _figures(parts, {evaluation.pk: codes})
    rows = [
        Row(part, figures[part.pk], "" if figures[part.pk] else _why_not(part, codes))
        for part in parts
    ]
    asked: dict[int, float | None] = {}
    surveys: list[dict[int, Survey]] = []
    municipality_of: dict[int, int] = {row.part.pk: row.municipality.pk for row in rows}

    def tie_breaker(key: int) -> float | None:
        """Asked only about members of a tie: the surveys are read once, on the first tie."""
        if not surveys:
            surveys.append(measuring_surveys(evaluation))
        if key not in asked:
            asked[key] = satisfaction_rise(surveys[0].get(municipality_of[key]))
        return asked[key]

    best = rules.rank(
        {row.part.pk: row.figures.share if row.figures else None for row in rows},
        tie_breaker=tie_breaker,
    )
    improved = rules.rank(
        {row.part.pk: row.figures.share_delta if row.figures else None for row in rows},
        positive_only=True,
        tie_breaker=tie_breaker,
    )
    for row in rows:
        row.best, row.improved = best.of(row.part.pk), improved.of(row.part.pk)
    return Recognition(
        evaluation=evaluation,
        codes=codes,
        areas=_areas(evaluation, parts, codes),
        rows=rows,
        best=best,
        improved=improved,
        satisfaction=asked,
    )


def _areas(
    evaluation: Evaluation, parts: list[MemberEvaluation], codes: list[str]
) -> list[Subcriterion]:
    framework_id = evaluation.workspace.framework_id or next(
        (p.reassessment.framework_id for p in parts if p.reassessment), None
    )
    if not codes or framework_id is None:
        return []
    return list(
        Subcriterion.objects.filter(framework_id=framework_id, code__in=codes).order_by("position")
    )


def platform_recognition(top: int = rules.TOP) -> PlatformRecognition:
    """The top places (results and improvements on 0–100 of each scale) across the networks of
    every published evaluation; ties at the last place all shown. Three queries."""
    parts = _submitted_parts(MemberEvaluation.objects.filter(evaluation__is_published=True))
    by_evaluation: dict[int, list[MemberEvaluation]] = {}
    for part in parts:
        by_evaluation.setdefault(part.evaluation_id, []).append(part)
    codes_of = {pk: area_codes(group[0].evaluation, group) for pk, group in by_evaluation.items()}
    figures = _figures(parts, codes_of)
    rows = {part.pk: Row(part, figures[part.pk]) for part in parts if figures[part.pk]}
    best = rules.rank({pk: row.figures.share for pk, row in rows.items() if row.figures}, top=top)
    improved = rules.rank(
        {pk: row.figures.share_delta for pk, row in rows.items() if row.figures},
        positive_only=True,
        top=top,
    )
    return PlatformRecognition(best=best, improved=improved, rows=rows)
