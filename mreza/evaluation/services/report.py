"""What a member's part and the evaluation report show: the goals with their indicators' latest
values, the members' activities, the re-assessment deltas and the citizen satisfaction change.

Everything is read in batches, so the report costs the same number of queries however many
members the network has (`evaluation/tests/test_report_queries.py` holds it to that):
`reassessment_deltas` and `satisfaction_changes` here give, for many re-assessments and many
surveys at once, what `assessment.services.reassessment_deltas` and
`surveys.services.results.satisfaction_change` give for one (the tests compare them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from mreza.assessment import scoring
from mreza.assessment.models import Consensus, Framework, Subcriterion
from mreza.core.templatetags.mreza import script
from mreza.core.texts import localized
from mreza.evaluation import charts
from mreza.evaluation.models import Evaluation, GoalResult, MemberEvaluation
from mreza.progress.models import Activity, Goal, Indicator, Measurement, Workspace
from mreza.surveys import statistics
from mreza.surveys.models import Item, Response, Survey, Wave
from mreza.surveys.services.results import OVERALL, SatisfactionChange, scale_values

RATINGS = list(GoalResult.Rating)
DEFAULT_SCALE = (0.0, 100.0)


def number(value) -> str:
    """A value in the reader's locale, with at most two decimals ("12,5" in bs, hr, sr, bg)."""
    rounded = round(float(value), 2)
    places = 0 if rounded.is_integer() else 1 if round(rounded, 1) == rounded else 2
    return number_format(rounded, decimal_pos=places)


def with_unit(value, unit: str) -> str:
    return f"{number(value)} {unit}".strip()


# ---------------------------------------------------------------- goals and indicators


@dataclass
class IndicatorFigure:
    """An indicator with its newest network-wide value and each member's newest value."""

    indicator: Indicator
    network: Measurement | None = None
    members: dict[int, Measurement] = field(default_factory=dict)
    mine: Measurement | None = None  # on a member's page: its own newest value

    def of(self, member_id: int) -> Measurement | None:
        return self.members.get(member_id)


@dataclass
class GoalFigures:
    """A goal with its indicators' figures (pk, title and description as the goal's, so forms
    and templates take it for the goal)."""

    goal: Goal
    figures: list[IndicatorFigure]

    @property
    def pk(self) -> int:
        return self.goal.pk

    @property
    def title(self) -> str:
        return self.goal.title

    @property
    def description(self) -> str:
        return self.goal.description


def goal_figures(workspace: Workspace, member_ids=None) -> list[GoalFigures]:
    """The workspace's goals in order with their IndicatorFigures. Member values only of
    `member_ids` (None: every member). Two queries."""
    goals = [
        GoalFigures(goal, [IndicatorFigure(i) for i in goal.indicators.all()])
        for goal in workspace.goals.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("id"))
        ).order_by("order", "id")
    ]
    figures = {f.indicator.pk: f for goal in goals for f in goal.figures}
    values = Measurement.objects.filter(indicator_id__in=list(figures))
    if member_ids is not None:
        values = values.filter(Q(member__isnull=True) | Q(member_id__in=list(member_ids)))
    # in date order, so the last one read is the newest
    for value in values.order_by("measured_on", "id"):
        figure = figures[value.indicator_id]
        if value.member_id is None:
            figure.network = value
        else:
            figure.members[value.member_id] = value
    return goals


@dataclass
class ActivityCount:
    done: int = 0
    total: int = 0  # without the cancelled ones: they were dropped from the plan
    cancelled: int = 0

    @property
    def share(self) -> float | None:
        return self.done / self.total if self.total else None


def activity_counts(workspace: Workspace) -> dict[int | str | None, ActivityCount]:
    """{responsible member id (None: nobody named): counts}, plus the key "all". One query."""
    rows = (
        Activity.objects.filter(workspace=workspace)
        .values("responsible_member_id")
        .annotate(
            done=Count("pk", filter=Q(status=Activity.Status.DONE)),
            cancelled=Count("pk", filter=Q(status=Activity.Status.CANCELLED)),
            all=Count("pk"),
        )
        .order_by()
    )
    counts: dict[int | str | None, ActivityCount] = {"all": ActivityCount()}
    for row in rows:
        one = ActivityCount(row["done"], row["all"] - row["cancelled"], row["cancelled"])
        counts[row["responsible_member_id"]] = one
        total = counts["all"]
        total.done, total.total = total.done + one.done, total.total + one.total
        total.cancelled += one.cancelled
    return counts


def member_activities(member) -> list[Activity]:
    return list(
        Activity.objects.filter(responsible_member=member)
        .select_related("goal", "responsible_person")
        .order_by("due_on", "id")
    )


# ---------------------------------------------------------------- re-assessments


@dataclass(frozen=True)
class Delta:
    subcriterion: Subcriterion
    before: float | None
    after: float | None
    change: float | None

    @property
    def title(self) -> str:
        return localized(self.subcriterion.title)


def reassessment_deltas(assessments) -> dict[int, list[Delta]]:
    """{re-assessment id: its deltas per subcriterion in framework order}; the same numbers as
    assessment.services.reassessment_deltas, for all of them in three queries."""
    assessments = [a for a in assessments if a is not None]
    if not assessments:
        return {}
    frameworks = Framework.objects.in_bulk({a.framework_id for a in assessments})
    subcriteria = Subcriterion.objects.filter(framework_id__in=list(frameworks))
    if all(a.scope for a in assessments):
        subcriteria = subcriteria.filter(code__in={c for a in assessments for c in a.scope})
    by_framework = defaultdict(list)
    for sub in subcriteria:
        sub.framework = frameworks[sub.framework_id]  # read once, not once per subcriterion
        by_framework[sub.framework_id].append(sub)
    ids = {a.pk for a in assessments} | {a.baseline_id for a in assessments if a.baseline_id}
    scores: dict[int, dict[str, Any]] = defaultdict(dict)
    for assessment_id, code, score in Consensus.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "subcriterion__code", "score"
    ):
        scores[assessment_id][code] = score
    result = {}
    for a in assessments:
        subs = sorted(by_framework[a.framework_id], key=lambda s: s.position)
        if a.scope:
            subs = [s for s in subs if s.code in a.scope]
        now = {s.code: scores[a.pk].get(s.code) for s in subs}
        before = {
            s.code: scores[a.baseline_id].get(s.code) if a.baseline_id else None for s in subs
        }
        change = scoring.deltas(now, before)
        result[a.pk] = [Delta(s, before[s.code], now[s.code], change[s.code]) for s in subs]
    return result


def score_scale(deltas) -> tuple[float, float]:
    """The lowest and highest score the subcriteria's panels allow (0–100 in CAF)."""
    lows, highs = [], []
    for delta in deltas:
        sub = delta.subcriterion
        for code in sub.panels.values():
            panel = next(
                (p for p in sub.framework.data.get("panels", []) if p["code"] == code), None
            )
            if panel:
                lows.append(float(panel["min"]))
                highs.append(float(panel["max"]))
    return (min(lows), max(highs)) if lows else DEFAULT_SCALE


# ---------------------------------------------------------------- citizen satisfaction


def _chains(surveys):
    """{survey id: the survey and its earlier versions, oldest first}: one query per level."""
    known = {s.pk: s for s in surveys}
    chains = {s.pk: [s] for s in surveys}
    while True:
        wanted = {
            c[0].previous_version_id
            for c in chains.values()
            if c[0].previous_version_id and c[0].previous_version_id not in {s.pk for s in c}
        }
        if wanted - set(known):
            known.update(Survey.objects.in_bulk(wanted - set(known)))
        grown = False
        for chain in chains.values():
            earlier = known.get(chain[0].previous_version_id)
            if earlier is not None and earlier.pk not in {s.pk for s in chain}:
                chain.insert(0, earlier)
                grown = True
        if not grown:
            return chains


def satisfaction_changes(surveys) -> dict[int, SatisfactionChange | None]:
    """{survey id: the change of its "overall" item between the first and the last closed wave
    with answers, across its versions}, as surveys.services.results.satisfaction_change gives
    it, for many surveys in a fixed number of queries (plus one per level of versions)."""
    chains = _chains(list(surveys))
    every = {s.pk for chain in chains.values() for s in chain}
    if not every:
        return {}
    overall = {
        item.survey_id: item
        for item in Item.objects.filter(survey_id__in=every, code=OVERALL, kind=Item.Kind.SCALE)
    }
    waves = defaultdict(list)
    for wave in (
        Wave.objects.filter(survey_id__in=every, status=Wave.Status.CLOSED)
        .annotate(responses_count=Count("responses"))
        .select_related("survey")
    ):
        waves[wave.survey_id].append(wave)
    ends = {}
    for head, chain in chains.items():
        order = {s.pk: index for index, s in enumerate(chain)}
        found = sorted(
            (w for s in chain for w in waves[s.pk] if s.pk in overall and w.responses_count),
            key=lambda w: (order[w.survey_id], w.position, w.pk),
        )
        if len(found) >= 2:
            ends[head] = (found[0], found[-1])
    answers = defaultdict(list)
    wanted = {w.pk for pair in ends.values() for w in pair}
    for wave_id, given in (
        Response.objects.filter(wave_id__in=wanted).order_by("id").values_list("wave_id", "answers")
    ):
        answers[wave_id].append(given if isinstance(given, dict) else {})
    result: dict[int, SatisfactionChange | None] = dict.fromkeys(chains)
    for head, (first, last) in ends.items():
        before = scale_values(overall[first.survey_id], answers[first.pk])
        after = scale_values(overall[last.survey_id], answers[last.pk])
        summary_before, summary_after = statistics.describe(before), statistics.describe(after)
        result[head] = SatisfactionChange(
            survey=chains[head][-1],
            before_wave=first,
            after_wave=last,
            item=overall[last.survey_id],
            before=summary_before,
            after=summary_after,
            comparison=statistics.compare_ordinal(before, after),
            change=statistics.mean_change(summary_before, summary_after),
        )
    return result


def member_surveys(workspace: Workspace, municipality_ids) -> dict[int, Survey]:
    """{municipality id: its newest survey linked to the workspace}. One query."""
    newest = {}
    for survey in Survey.objects.filter(
        workspace=workspace, municipality_id__in=list(municipality_ids)
    ).order_by("id"):
        newest[survey.municipality_id] = survey
    return newest


# ---------------------------------------------------------------- one member's part


def part_overview(part: MemberEvaluation) -> dict:
    """What a member's page shows besides its form: the goals with the network's and the member's
    newest values, the member's activities and their counts, its goal results by goal."""
    workspace = part.evaluation.workspace
    goals = goal_figures(workspace, member_ids=[part.member_id])
    for goal in goals:
        for figure in goal.figures:
            figure.mine = figure.of(part.member_id)
    activities = member_activities(part.member)
    done = sum(a.status == Activity.Status.DONE for a in activities)
    cancelled = sum(a.status == Activity.Status.CANCELLED for a in activities)
    return {
        "goals": goals,
        "results": {r.goal_id: r for r in part.goal_results.all()},
        "activities": activities,
        "activity_count": ActivityCount(done, len(activities) - cancelled, cancelled),
    }


# ---------------------------------------------------------------- the report


@dataclass
class MemberReport:
    part: MemberEvaluation
    deltas: list[Delta]
    satisfaction: SatisfactionChange | None
    activities: ActivityCount

    @property
    def municipality(self):
        return self.part.member.municipality

    @property
    def reassessment(self):
        return self.part.reassessment

    @property
    def has_scores(self) -> bool:
        return any(d.after is not None for d in self.deltas)


@dataclass
class IndicatorRow:
    figure: IndicatorFigure
    # per-member indicators: [(member's report, its newest value or None)]
    members: list = field(default_factory=list)


@dataclass
class GoalReport:
    goal: Goal
    counts: list  # [(rating, label, number of members)] in the order of GoalResult.Rating
    comments: list  # [(member's report, result)] for results with a comment
    indicators: list[IndicatorRow]
    chart: str | None = None

    @property
    def rated(self) -> int:
        return sum(n for _r, _l, n in self.counts)


@dataclass
class EvaluationReport:
    evaluation: Evaluation
    goals: list[GoalReport]
    members: list[MemberReport]
    not_submitted: list[MemberEvaluation]
    activities: ActivityCount
    ratings_chart: str | None = None
    deltas_chart: str | None = None


def _parts(evaluation: Evaluation) -> list[MemberEvaluation]:
    return list(
        evaluation.members.select_related("member__municipality", "reassessment")
        .prefetch_related(Prefetch("goal_results", queryset=GoalResult.objects.order_by("id")))
        .order_by("member__municipality__name", "id")
    )


def evaluation_report(evaluation: Evaluation) -> EvaluationReport:
    """The report of the submitted parts (the others are only named). A fixed number of queries,
    whatever the number of members, goals or indicators."""
    workspace = evaluation.workspace
    parts = _parts(evaluation)
    submitted = [p for p in parts if p.submitted_at is not None]
    counts = activity_counts(workspace)
    deltas = reassessment_deltas([p.reassessment for p in submitted])
    surveys = member_surveys(workspace, [p.member.municipality_id for p in submitted])
    changes = satisfaction_changes(surveys.values())
    members = []
    for part in submitted:
        survey = surveys.get(part.member.municipality_id or 0)  # parts are of registry members
        members.append(
            MemberReport(
                part=part,
                deltas=deltas.get(part.reassessment_id or 0, []),
                satisfaction=changes.get(survey.pk) if survey else None,
                activities=counts.get(part.member_id) or ActivityCount(),
            )
        )
    goals = _goal_reports(workspace, members)
    return EvaluationReport(
        evaluation=evaluation,
        goals=goals,
        members=members,
        not_submitted=[p for p in parts if p.submitted_at is None],
        activities=counts["all"],
        ratings_chart=_ratings_chart(goals) if goals and members else None,
        deltas_chart=_deltas_chart(members),
    )


def _goal_reports(workspace: Workspace, members: list[MemberReport]) -> list[GoalReport]:
    labels = dict(GoalResult.Rating.choices)
    reports = []
    for figured in goal_figures(workspace, member_ids=[m.part.member_id for m in members]):
        goal = figured.goal
        tally: Counter[str] = Counter()
        comments = []
        for member in members:
            result = next((r for r in member.part.goal_results.all() if r.goal_id == goal.pk), None)
            if result is None or not result.rating:
                continue
            tally[result.rating] += 1
            if result.comment:
                comments.append((member, result))
        rows = []
        for figure in figured.figures:
            row = IndicatorRow(figure)
            if figure.indicator.scope == Indicator.Scope.MEMBER:
                row.members = [(m, figure.of(m.part.member_id)) for m in members]
            rows.append(row)
        report = GoalReport(
            goal=goal,
            counts=[(r.value, labels[r.value], tally[r.value]) for r in RATINGS],
            comments=comments,
            indicators=rows,
        )
        report.chart = _target_chart(report) if rows else None
        reports.append(report)
    return reports


def _target_chart(report: GoalReport) -> str:
    rows = []
    for row in report.indicators:
        indicator = row.figure.indicator
        name = script(indicator.name)
        pairs = (
            [(f"{name} · {script(m.municipality.name)}", value) for m, value in row.members]
            if indicator.scope == Indicator.Scope.MEMBER
            else [(name, row.figure.network)]
        )
        for label, value in pairs:
            rows.append(
                charts.TargetRow(
                    label=label,
                    baseline=float(indicator.baseline),
                    target=float(indicator.target),
                    actual=float(value.value) if value else None,
                    baseline_text=with_unit(indicator.baseline, indicator.unit),
                    target_text=with_unit(indicator.target, indicator.unit),
                    actual_text=with_unit(value.value, indicator.unit) if value else "—",
                )
            )
    return charts.target_svg(
        rows,
        title=_("Target and newest value: %(goal)s") % {"goal": script(report.goal.title)},
        desc=_(
            "Each indicator on a track from its baseline to its target; the bar is the share of "
            "the way its newest value has come."
        ),
        baseline_label=_("baseline"),
        target_label=_("target"),
        empty_text=_("no value yet"),
    )


def _ratings_chart(goals: list[GoalReport]) -> str:
    return charts.ratings_svg(
        [(script(g.goal.title), [n for _r, _l, n in g.counts]) for g in goals],
        [str(label) for _r, label, _n in goals[0].counts],
        title=_("How the members rated each goal"),
        desc=_("For each goal, how many members rated it met, partly met, not met or not started."),
        count_format=lambda n: number_format(n),
    )


def _deltas_chart(members: list[MemberReport]) -> str | None:
    rows, every = [], []
    for member in members:
        single = len(member.deltas) == 1
        for delta in member.deltas:
            name = script(member.municipality.name)
            label = name if single else f"{name} · {delta.subcriterion.code}"
            rows.append(charts.DeltaRow(label, delta.before, delta.after))
            every.append(delta)
    if not any(r.after is not None for r in rows):
        return None
    low, high = score_scale(every)
    return charts.deltas_svg(
        rows,
        low=low,
        high=high,
        title=_("Scores at the baseline and at the re-assessment"),
        desc=_(
            "For each member and subcriterion, the consensus score of the baseline self-assessment "
            "and of the re-assessment, with the change."
        ),
        before_label=_("baseline"),
        after_label=_("re-assessment"),
        value_format=number,
    )
