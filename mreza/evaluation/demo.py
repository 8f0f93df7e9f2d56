"""Self-evaluations in the demo: the network near its end ("ending", area 6.1) has a closed,
published evaluation in which every member submitted its part, and members with an accepted
whole self-assessment re-assessed 6.1 (a closed re-assessment whose consensus differs from the
baseline); the active network ("active", area 3.1) has an open evaluation in progress (one part
submitted, Banja Luka's drafted with its re-assessment still being scored, the rest empty).

Parts go through the services, as a user's would (audited); the re-assessments' scores are
bulk-created like assessment/demo.py does. Seeded, so every run makes the same data. Safe to
re-run: a workspace that has its demo evaluation is left as it is. Runs after the progress demo
(which makes the workspaces) and, for the satisfaction change in the report, the surveys demo.

Called by front's `load_demo` inside `acting_as(None, "load_demo")`.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from mreza.accounts.models import MunicipalRole, User
from mreza.assessment.models import Assessment, Consensus, Entry, GroupMember
from mreza.core.roles import MunicipalRoleName
from mreza.evaluation.models import Evaluation, GoalResult
from mreza.evaluation.services import evaluations as services
from mreza.progress.demo import NETWORKS, ROUND_TITLE
from mreza.progress.models import Workspace

CLOSED_TITLE = "Завршно вредновање мреже 2025–2027"
OPEN_TITLE = "Средњорочно вредновање 2026"
# which demo network gets which evaluation
CLOSED_KEY, OPEN_KEY = "ending", "active"
# a member's ratings lean on its seed: most goals met or partly met
RATING_WEIGHTS = ((GoalResult.Rating.MET, 5), (GoalResult.Rating.PARTLY, 4))
RATING_WEIGHTS += ((GoalResult.Rating.NOT_MET, 1), (GoalResult.Rating.NOT_STARTED, 1))
COMMENTS = {
    GoalResult.Rating.MET: "Циљ је остварен у року; подаци из евиденције то потврђују.",
    GoalResult.Rating.PARTLY: "Дио мјера је проведен; остатак преносимо у наредну годину.",
    GoalResult.Rating.NOT_MET: "Недостајало је кадра и средстава у буџету.",
    GoalResult.Rating.NOT_STARTED: "Чекамо усвајање одлуке скупштине.",
}
LESSONS = [
    "Највише смо научили из студијских посјета: пракса друге општине убједљивија је од "
    "сваког упутства.",
    "Мјесечни састанци стручњака држали су ритам; без њих бисмо одустали у љето.",
    "Мјерење на почетку било је тешко, али без полазне вриједности не бисмо видјели помак.",
    "Грађани су примијетили промјене тек када смо их о њима обавијестили.",
]
KEEP_DOING = [
    "Годишњу анкету задовољства грађана по истој методологији.",
    "Кратке извјештаје о роковима одговора, свака три мјесеца.",
    "Размјену са општинама мреже и након завршетка пројекта.",
]
SUMMARIES = [
    "Увели смо јединствену евиденцију захтјева и скратили рокове одговора.",
    "Обучили смо запослене на шалтерима и објавили стандарде услуга.",
    "Израдили смо план кадрова и спровели анкету задовољства.",
]


def load(stdout=None):
    workspaces = _workspaces()
    made = []
    closed = workspaces.get(CLOSED_KEY)
    if closed is not None and not closed.evaluations.filter(title=CLOSED_TITLE).exists():
        with transaction.atomic():
            _closed_evaluation(closed)
        made.append(CLOSED_TITLE)
    active = workspaces.get(OPEN_KEY)
    if active is not None and not active.evaluations.filter(title=OPEN_TITLE).exists():
        with transaction.atomic():
            _open_evaluation(active)
        made.append(OPEN_TITLE)
    if stdout is not None:
        stdout.write(f"Demo evaluations: {Evaluation.objects.count()} ({len(made)} new).")
    return made


def _workspaces():
    titles = {key: title for key, title, *_rest in NETWORKS}
    found = Workspace.objects.filter(
        network__round__title=ROUND_TITLE, network__title__in=titles.values()
    ).select_related("framework", "network")
    by_title = {w.network.title: w for w in found}
    return {key: by_title[title] for key, title in titles.items() if title in by_title}


def _dana():
    return User.objects.get(email="dana@mreza.demo")


def _coordinator(municipality):
    role = (
        MunicipalRole.objects.filter(municipality=municipality, role=MunicipalRoleName.COORDINATOR)
        .select_related("user")
        .first()
    )
    return role.user if role else None


def _rng(part):
    seed = f"evaluation-{part.evaluation.title}-{part.member.municipality.code}"
    return random.Random(seed)  # noqa: S311 (reproducible synthetic data, no secret)


def _parts(evaluation):
    return list(
        evaluation.members.select_related("member__municipality", "evaluation__workspace").order_by(
            "member__municipality__code", "id"
        )
    )


def _fill(part, rng, *, complete=True):
    """Ratings for every goal (or the first only, a draft) and the texts."""
    goals = list(part.evaluation.workspace.goals.order_by("order", "id"))
    ratings = {}
    for goal in goals if complete else goals[:1]:
        rating = rng.choices(*zip(*RATING_WEIGHTS, strict=True))[0]
        ratings[goal.pk] = (rating, COMMENTS[rating] if rng.random() < 0.6 else "")
    values = {
        "activities_summary": rng.choice(SUMMARIES),
        "lessons": rng.choice(LESSONS),
        "keep_doing": rng.choice(KEEP_DOING) if complete else "",
    }
    part.refresh_from_db()
    services.save_part(part, values, ratings, part.version)


def _reassess(part, rng, user, *, close):
    """The member's re-assessment of the area, if it has a baseline: scored by one of the
    baseline's assessors (its group's first), closed with scores that moved, or left open."""
    baseline = services.baseline_for(part)
    if baseline is None:
        return None
    assessor = GroupMember.objects.filter(assessment=baseline).order_by("id").first()
    starter = _coordinator(part.member.municipality) or (assessor.user if assessor else user)
    assessment = services.start_member_reassessment(part, codes=[], user=starter)
    if not close:
        return assessment
    before = dict(
        Consensus.objects.filter(assessment=baseline).values_list("subcriterion_id", "score")
    )
    subcriteria = list(
        baseline.framework.subcriteria.filter(code__in=assessment.scope).order_by("position")
    )
    submitted = timezone.now() - datetime.timedelta(days=20)
    GroupMember.objects.filter(assessment=assessment).update(submitted_at=submitted)
    entries, agreed = [], []
    for sub in subcriteria:
        start = before.get(sub.pk) or 40
        score = max(0, min(100, int(start) + rng.choice((-5, 5, 10, 15, 20, 25))))
        entries.append(
            Entry(assessment=assessment, assessor=starter, subcriterion=sub, score=score)
        )
        agreed.append(
            Consensus(assessment=assessment, subcriterion=sub, score=score, updated_by=starter)
        )
    Entry.objects.bulk_create(entries)
    Consensus.objects.bulk_create(agreed)
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = submitted + datetime.timedelta(days=7)
    assessment.save(update_fields=["status", "closed_at"])
    return assessment


def _submitter(part, dana):
    return _coordinator(part.member.municipality) or dana


def _closed_evaluation(workspace):
    dana = _dana()
    evaluation = services.open_evaluation(
        workspace,
        title=CLOSED_TITLE,
        due_on=timezone.localdate() - datetime.timedelta(days=14),
        user=dana,
    )
    for part in _parts(evaluation):
        rng = _rng(part)
        _reassess(part, rng, dana, close=True)
        _fill(part, rng)
        services.submit_part(part, _submitter(part, dana))
    evaluation.refresh_from_db()
    services.close_evaluation(evaluation)
    services.set_published(evaluation, True)
    return evaluation


def _open_evaluation(workspace):
    dana = _dana()
    evaluation = services.open_evaluation(
        workspace,
        title=OPEN_TITLE,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        user=dana,
    )
    parts = _parts(evaluation)
    for index, part in enumerate(parts):
        rng = _rng(part)
        if part.member.municipality.code == "BA-BANJA-LUKA":
            # alice's story: a draft, the re-assessment of 3.1 still being scored
            _reassess(part, rng, dana, close=False)
            _fill(part, rng, complete=False)
        elif index == 1:
            _fill(part, rng)
            services.submit_part(part, _submitter(part, dana))
    return evaluation
