"""Grouping rounds: select shared profiles, run the engine in the background, edit, publish,
respond."""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from mreza import grouping
from mreza.accounts.models import Invitation, MunicipalRole, OrganisationRole
from mreza.assessment.models import LearningProfile, Subcriterion
from mreza.core import jobs
from mreza.core.audit import acting_as
from mreza.core.roles import MunicipalRoleName, OrganisationRoleName
from mreza.core.texts import localized
from mreza.core.versioning import EditConflict, save_versioned
from mreza.networks import proposal as proposal_engine
from mreza.networks.models import (
    DEFAULT_PARAMS,
    GroupingRound,
    GroupingRun,
    Network,
    NetworkMembership,
    Participant,
    Partnership,
    Response,
)
from mreza.registry.models import Municipality

log = logging.getLogger(__name__)

# The engine's job, named by its dotted path (as the queue stores it): networks/tasks.py imports
# this module to run the job, so this module does not import the task (no import cycle).
RUN_GROUPING = "mreza.networks.tasks.run_grouping"


class RoundError(Exception):
    """A step that cannot be taken now; the message is shown as it is."""


class AlreadyPublished(RoundError):
    """The round was published before (another tab, a double submit); nothing is done twice."""


def _already_published():
    return AlreadyPublished(
        _(
            "This round is already published; nothing was published or sent again. "
            "To change it, start a new round from this one."
        )
    )


# ---------------------------------------------------------------- selecting participants


def eligible_profiles(framework, filters, organisation):
    """The newest shared learning profile of each municipality, for this framework and selection.

    A profile shared "with coordinators" reaches only rounds of an organisation the municipality
    belongs to (the same rule as `access.profiles_visible_to`); public profiles reach every
    round."""
    shared = Q(sharing="public") | Q(sharing="coordinators", municipality__memberships=organisation)
    profiles = (
        LearningProfile.objects.filter(
            shared,
            assessment__framework__code=framework.code,
            assessment__status="accepted",
            municipality__latitude__isnull=False,
        )
        .select_related("municipality", "assessment")
        .order_by("municipality_id", "-assessment__period_end")
    )
    if filters.get("country"):
        profiles = profiles.filter(municipality__country__code=filters["country"])
    if filters.get("region"):
        profiles = profiles.filter(
            Q(municipality__region__code=filters["region"])
            | Q(municipality__region__parent__code=filters["region"])
        )
    if filters.get("association"):
        profiles = profiles.filter(municipality__memberships__code=filters["association"])
    newest: dict[int, LearningProfile] = {}
    for profile in profiles:
        newest.setdefault(profile.municipality_id, profile)
    return list(newest.values())


def create_round(*, organisation, framework, title, areas, params, filters, user):
    profiles = eligible_profiles(framework, filters, organisation)
    if not profiles:
        raise RoundError(_("No municipality in this selection has shared a learning profile."))
    params = {**DEFAULT_PARAMS, **params}
    with transaction.atomic():
        round_ = GroupingRound.objects.create(
            organisation=organisation,
            framework=framework,
            title=title,
            areas=sorted(areas),
            params=params,
            filters=filters,
            created_by=user,
            time_limit=grouping.default_time_limit(len(profiles)),
        )
        Participant.objects.bulk_create(
            Participant(
                round=round_,
                municipality=p.municipality,
                profile=p,
                needs={a: w for a, w in p.needs.items() if a in areas},
                strengths={a: w for a, w in p.strengths.items() if a in areas},
                latitude=p.municipality.latitude,
                longitude=p.municipality.longitude,
            )
            for p in profiles
        )
    return round_


def people_of(round_):
    # plain rows, one query: a round has hundreds of participants and nothing here is saved
    rows = round_.participants.values_list(
        "municipality_id", "latitude", "longitude", "needs", "strengths", "municipality__name"
    )
    people, names = {}, {}
    for municipality_id, lat, lon, needs, strengths, name in rows:
        key = str(municipality_id)
        people[key] = {"lat": lat, "lon": lon, "needs": needs, "strengths": strengths}
        names[key] = name
    return people, names


def engine_input(people, params, exclude_areas=None, drop=()):
    """The engine's JSON input; `exclude_areas` removes (municipality, area) pairs already
    decided."""
    exclude_areas = exclude_areas or {}
    municipalities = []
    for key in sorted(people, key=int):
        if key in drop:
            continue
        person = people[key]
        needs = {
            a: w
            for a, w in person["needs"].items()
            if w > 0 and a not in exclude_areas.get(key, ())
        }
        municipalities.append(
            {
                "id": key,
                "lat": person["lat"],
                "lon": person["lon"],
                "needs": needs,
                "strengths": {a: w for a, w in person["strengths"].items() if w > 0},
            }
        )
    return {"municipalities": municipalities, "params": dict(params)}


# ---------------------------------------------------------------- running the engine


def _new_run(round_, user, status=GroupingRun.Status.QUEUED, **fields):
    """The round's next run (numbers count up from 1; every run is kept)."""
    last = (
        GroupingRun.objects.filter(round=round_)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    locked = [n for n in round_.proposal.get("networks", []) if n.get("locked")]
    inputs = {
        "params": round_.params,
        "areas": round_.areas,
        "filters": round_.filters,
        "time_limit": round_.time_limit,
        "locked": locked,
        **fields.pop("inputs", {}),
    }
    return GroupingRun.objects.create(
        round=round_,
        number=(last or 0) + 1,
        status=status,
        inputs=inputs,
        started_by=user if getattr(user, "is_authenticated", False) else None,
        **fields,
    )


def current_run(round_):
    return (
        GroupingRun.objects.filter(round=round_)
        .select_related("started_by")
        .order_by("-number")
        .first()
    )


def enqueue(round_, user=None):
    """Queue an engine run (the round waits, a new run is kept) and hand it to the job engine
    (`mreza.core.jobs`: inline in tests, a worker thread in the demo, `db_worker` in production)."""
    with transaction.atomic():
        GroupingRound.objects.filter(pk=round_.pk).update(
            status=GroupingRound.Status.QUEUED, progress=0, error=""
        )
        run = _new_run(round_, user or round_.created_by)
    _submit(run)


def _submit(run):
    # one transaction: in the demo the worker thread starts when it commits (core.jobs.enqueue),
    # so it never competes with the write of the task id
    with transaction.atomic():
        result = jobs.enqueue(RUN_GROUPING, run.round_id, run.pk)
        GroupingRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])


def _start(round_id):
    """Queued → running with a conditional UPDATE: a job that was queued twice runs once."""
    return bool(
        GroupingRound.objects.filter(pk=round_id, status=GroupingRound.Status.QUEUED).update(
            status=GroupingRound.Status.RUNNING, started_at=timezone.now(), progress=5
        )
    )


class _Heartbeat:
    """While the engine works, the run's `heartbeat_at` is refreshed from a side thread, so a
    worker that died is told apart from one still computing (`recover_stuck_runs`)."""

    def __init__(self, run_id):
        self.run_id, self.stop = run_id, threading.Event()
        self.thread = None

    def __enter__(self):
        if settings.MREZA_JOBS != "sync":  # inline, the request itself is the sign of life
            self.thread = threading.Thread(target=self._beat, daemon=True)
            self.thread.start()
        return self

    def _beat(self):
        try:
            while not self.stop.wait(settings.MREZA_JOB_HEARTBEAT):
                GroupingRun.objects.filter(pk=self.run_id).update(heartbeat_at=timezone.now())
        finally:
            close_old_connections()

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=5)


def run_round(round_id, run_id=None):
    """Run the engine for a round that is queued (a job for a round no longer queued does
    nothing)."""
    if not _start(round_id):
        return GroupingRound.objects.get(pk=round_id)
    round_ = GroupingRound.objects.get(pk=round_id)
    run = GroupingRun.objects.filter(pk=run_id, round=round_).first() if run_id else None
    run = run or current_run(round_)
    if run is None or run.status not in (GroupingRun.Status.QUEUED, GroupingRun.Status.RUNNING):
        run = _new_run(round_, round_.created_by)  # queued before runs were kept
    now = timezone.now()
    GroupingRun.objects.filter(pk=run.pk).update(
        status=GroupingRun.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    with acting_as(None, "grouping engine"), _Heartbeat(run.pk):
        try:
            people, _names = people_of(round_)
            locked = [n for n in round_.proposal.get("networks", []) if n.get("locked")]
            decided, drop = _locked_capacity(locked, round_.params)
            data = engine_input(people, round_.params, exclude_areas=decided, drop=drop)
            GroupingRound.objects.filter(pk=round_id).update(progress=15)
            output = grouping.solve(data, time_limit=round_.time_limit, seed=round_.pk)
        except Exception as error:  # the engine's failure must reach the coordinator
            log.exception("grouping round %s failed", round_id)
            _fail(round_id, run.pk, str(error))
            return GroupingRound.objects.get(pk=round_id)
        networks = locked + [
            {"area": n["area"], "members": n["members"], "locked": False}
            for n in output["networks"]
        ]
        round_.result = output
        round_.proposal = {"networks": networks, "partnerships": output["partnerships"]}
        round_.status = GroupingRound.Status.PROPOSED
        round_.progress = 100
        round_.finished_at = timezone.now()
        round_.save(update_fields=["result", "proposal", "status", "progress", "finished_at"])
        _evaluation = proposal_engine.evaluate(people, round_.params, round_.proposal)
        GroupingRun.objects.filter(pk=run.pk).update(
            status=GroupingRun.Status.FINISHED,
            result=output,
            proposal=round_.proposal,
            objective=_evaluation["objective"]["total"],
            bound=output.get("bound") or {},
            finished_at=round_.finished_at,
        )
    return round_


def _fail(round_id, run_id, message):
    now = timezone.now()
    GroupingRound.objects.filter(pk=round_id).update(
        status=GroupingRound.Status.FAILED, error=message[:2000], finished_at=now
    )
    GroupingRun.objects.filter(pk=run_id).update(
        status=GroupingRun.Status.FAILED, error=message[:2000], finished_at=now
    )


def recover_stuck_runs(now=None):
    """Runs whose worker is gone: running without a heartbeat for MREZA_JOB_STALE_AFTER seconds,
    or whose job the task framework reports failed or lost. Each is queued again once
    (MREZA_JOB_ATTEMPTS in all), then marked failed with a message the coordinator sees on the
    round. Returns (queued again, marked failed) counts."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.MREZA_JOB_STALE_AFTER)
    requeued = failed = 0
    runs = GroupingRun.objects.filter(
        status__in=[GroupingRun.Status.QUEUED, GroupingRun.Status.RUNNING],
        round__status__in=[GroupingRound.Status.QUEUED, GroupingRound.Status.RUNNING],
    ).select_related("round", "round__created_by")
    for run in runs:
        result = jobs.result_of(RUN_GROUPING, run.task_id)
        if run.status == GroupingRun.Status.RUNNING:
            last_sign = run.heartbeat_at or run.started_at or run.created_at
            dead = last_sign < stale_before or (
                result is not None and result.status == TaskResultStatus.FAILED
            )
        else:  # still waiting: dead only if its job is gone or failed (a busy queue is not death)
            dead = run.created_at < stale_before and (
                result is None or result.status == TaskResultStatus.FAILED
            )
            dead = dead and jobs.backend_alias() != jobs.IMMEDIATE
        if not dead:
            continue
        if result is not None:
            jobs.mark_lost(result)
        if run.attempts < settings.MREZA_JOB_ATTEMPTS:
            with transaction.atomic():
                GroupingRound.objects.filter(pk=run.round_id).update(
                    status=GroupingRound.Status.QUEUED, progress=0, error=""
                )
                GroupingRun.objects.filter(pk=run.pk).update(status=GroupingRun.Status.QUEUED)
            log.warning("grouping round %s: worker lost, queued again", run.round_id)
            _submit(run)
            requeued += 1
        else:
            user = run.round.created_by
            with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
                message = _(
                    "The background worker stopped before the engine finished, also on a second "
                    "try. Run the engine again; if it stops again, tell the administrator."
                )
            log.error("grouping round %s: worker lost again, marked failed", run.round_id)
            _fail(run.round_id, run.pk, message)
            failed += 1
    return requeued, failed


def _locked_capacity(locked, params):
    """Municipalities in locked networks: their areas are taken; at the limit, they are out of the
    re-run."""
    taken: dict[int, set[object]] = {}
    count: dict[int, int] = {}
    for net in locked:
        for m in net["members"]:
            taken.setdefault(m, set()).add(net["area"])
            count[m] = count.get(m, 0) + 1
    limit = params.get("max_networks_per_municipality", 1)
    return taken, {m for m, c in count.items() if c >= limit}


def progress_of(round_):
    """Progress for the page: the engine runs to its time limit, so elapsed time is a fair
    measure."""
    if round_.status in (GroupingRound.Status.QUEUED, GroupingRound.Status.RUNNING):
        # demo: after a restart of the web process the page being watched restarts the worker
        # thread, which finds the waiting job (and, through recover_jobs, a run that died)
        jobs.ensure_worker_for_watched_job()
    if round_.status != GroupingRound.Status.RUNNING or not round_.started_at:
        return round_.progress
    elapsed = (timezone.now() - round_.started_at).total_seconds()
    return max(round_.progress, min(95, int(15 + 80 * elapsed / max(round_.time_limit, 0.1))))


# ---------------------------------------------------------------- editing


def evaluation_of(round_):
    people, names = people_of(round_)
    evaluation = proposal_engine.evaluate(people, round_.params, round_.proposal, names)
    alternatives, left_out = proposal_engine.explain(
        people, round_.params, evaluation, round_.areas, names
    )
    return people, names, evaluation, alternatives, left_out


def _changed_meanwhile():
    return RoundError(
        _("Someone else changed this proposal meanwhile; the page now shows their version.")
    )


def _save_proposal(round_, proposal, expected_version):
    with transaction.atomic():
        previous = round_.proposal
        round_.proposal = proposal
        try:
            save_versioned(
                round_,
                ["proposal"],
                expected_version,
                condition=Q(status=GroupingRound.Status.PROPOSED),
            )
        except EditConflict:
            round_.proposal = previous
            raise _changed_meanwhile() from None
        # the current run keeps the proposal as the coordinator edits it
        run = current_run(round_)
        if run is not None:
            GroupingRun.objects.filter(pk=run.pk).update(proposal=proposal)


def _refuse_if_not_editable(round_):
    if round_.status == GroupingRound.Status.PUBLISHED:
        raise RoundError(
            _("A published round cannot be changed. Start a new round from this one to change it.")
        )
    if round_.status != GroupingRound.Status.PROPOSED:
        raise RoundError(_("The proposal cannot be changed while the engine is working on it."))


def edit(round_, action, expected_version, *, network=None, member=None, target=None):
    _refuse_if_not_editable(round_)
    if (
        action == "add"
        and not round_.participants.filter(municipality_id=_int_or_none(member)).exists()
    ):
        raise RoundError(_("That municipality does not take part in this round."))
    proposal = {
        "networks": [
            dict(n, members=list(n["members"])) for n in round_.proposal.get("networks", [])
        ],
        "partnerships": list(round_.proposal.get("partnerships", [])),
    }
    nets = proposal["networks"]
    if (network is None and action in ("lock", "remove", "move", "drop_network")) or (
        network is not None and not 0 <= network < len(nets)
    ):
        raise RoundError(_("That network no longer exists."))
    if action == "lock":
        nets[network]["locked"] = not nets[network].get("locked")
    elif action == "remove":
        if member not in nets[network]["members"]:
            raise RoundError(_("That municipality is not in this network."))
        nets[network]["members"].remove(member)
    elif action == "move":
        if target is None or not 0 <= target < len(nets) or target == network:
            raise RoundError(_("Choose another network to move to."))
        if member not in nets[network]["members"]:
            raise RoundError(_("That municipality is not in this network."))
        nets[network]["members"].remove(member)
        nets[target]["members"].append(member)
    elif action == "add":
        if target is None or not 0 <= target < len(nets):
            raise RoundError(_("Choose a network."))
        if member in nets[target]["members"]:
            raise RoundError(_("That municipality is already in this network."))
        nets[target]["members"].append(member)
    elif action == "drop_network":
        nets.pop(network)
    else:
        raise RoundError(_("Unknown change."))
    if action in ("remove", "move", "add") and (
        (network is not None and nets[network].get("locked"))
        or (target is not None and nets[target].get("locked"))
    ):
        raise RoundError(_("Unlock the network before changing it."))
    proposal["networks"] = [n for n in nets if n["members"]]
    _save_proposal(round_, proposal, expected_version)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def rerun(round_, expected_version, user=None):
    """Keep the locked networks and let the engine propose the rest again (a new run; the old one is
    kept)."""
    if round_.status == GroupingRound.Status.PUBLISHED:
        raise RoundError(
            _(
                "A published round cannot be run again. Start a new round from this one to change "
                "it."
            )
        )
    if round_.status not in (GroupingRound.Status.PROPOSED, GroupingRound.Status.FAILED):
        raise RoundError(_("The engine is already working on this round."))
    previous = round_.status
    round_.status = GroupingRound.Status.QUEUED
    try:
        save_versioned(
            round_,
            ["status"],
            expected_version,
            condition=Q(status__in=[GroupingRound.Status.PROPOSED, GroupingRound.Status.FAILED]),
        )
    except EditConflict:
        round_.status = previous
        raise _changed_meanwhile() from None
    enqueue(round_, user)


def start_from(round_, user):
    """A new round with the same participants, rules and proposal; members who declined are left out
    and kept networks stay locked, so the coordinator can fill the gaps and re-run."""
    declined = set()
    for ms in NetworkMembership.objects.filter(
        network__round=round_, status=Response.DECLINED
    ).select_related("network"):
        declined.add((ms.network.area, str(ms.municipality_id)))
    networks = []
    for net in round_.proposal.get("networks", []):
        members = [m for m in net["members"] if (net["area"], m) not in declined]
        if members:
            networks.append(dict(net, members=members))
    refused = {
        (p.area, str(p.learner_id), str(p.mentor_id))
        for p in round_.partnerships.all()
        if p.is_declined
    }
    partnerships = [
        p
        for p in round_.proposal.get("partnerships", [])
        if (p["area"], p["learner"], p["mentor"]) not in refused
    ]
    proposal = {"networks": networks, "partnerships": partnerships}
    with transaction.atomic():
        new = GroupingRound.objects.create(
            organisation=round_.organisation,
            framework=round_.framework,
            title=(_("%(title)s (continued)") % {"title": round_.title})[:200],
            areas=list(round_.areas),
            params=dict(round_.params),
            filters=dict(round_.filters),
            time_limit=round_.time_limit,
            status=GroupingRound.Status.PROPOSED,
            progress=100,
            result=round_.result,
            proposal=proposal,
            created_by=user,
            based_on=round_,
            started_at=timezone.now(),
            finished_at=timezone.now(),
        )
        Participant.objects.bulk_create(
            Participant(
                round=new,
                municipality_id=p.municipality_id,
                profile_id=p.profile_id,
                needs=p.needs,
                strengths=p.strengths,
                latitude=p.latitude,
                longitude=p.longitude,
            )
            for p in round_.participants.all()
        )
        people, _names = people_of(new)
        evaluation = proposal_engine.evaluate(people, new.params, proposal)
        _new_run(
            new,
            user,
            status=GroupingRun.Status.COPIED,
            inputs={"based_on": round_.pk},
            result=round_.result,
            proposal=proposal,
            objective=evaluation["objective"]["total"],
            bound=round_.result.get("bound") or {},
            started_at=new.started_at,
            finished_at=new.finished_at,
        )
    return new


# ---------------------------------------------------------------- publishing and answers


def without_coordinator(round_, municipality_ids=None):
    """Municipalities of the proposal that nobody can be invited for: no coordinator in Mreža."""
    if municipality_ids is None:
        municipality_ids = {
            int(m) for n in round_.proposal.get("networks", []) for m in n["members"]
        }
        for p in round_.proposal.get("partnerships", []):
            municipality_ids |= {int(p["learner"]), int(p["mentor"])}
    with_coordinator = MunicipalRole.objects.filter(role=MunicipalRoleName.COORDINATOR).values(
        "municipality_id"
    )
    return list(
        Municipality.objects.filter(pk__in=municipality_ids)
        .exclude(pk__in=with_coordinator)
        .order_by("name")
    )


def publish(round_, user, request=None, expected_version=None, without_coordinator_ok=False):
    """Publish once: a conditional UPDATE (proposed, same version → published) decides, so a double
    submit or a second tab creates no second set of networks and sends no second e-mail."""
    if round_.status == GroupingRound.Status.PUBLISHED:
        raise _already_published()
    if round_.status != GroupingRound.Status.PROPOSED:
        raise RoundError(_("Only a ready proposal can be published."))
    if expected_version is None:
        expected_version = round_.version
    _people, _names, evaluation, _alternatives, _left = evaluation_of(round_)
    if evaluation["problems"]:
        raise RoundError(_("Fix the broken constraints before publishing."))
    if not without_coordinator_ok and without_coordinator(round_):
        raise RoundError(
            _(
                "Some municipalities have no coordinator in Mreža and cannot be invited. "
                "Confirm that you want to publish anyway."
            )
        )
    titles = dict(
        Subcriterion.objects.filter(framework=round_.framework).values_list("code", "title")
    )
    with transaction.atomic():
        published_at = timezone.now()
        round_.status, round_.published_at = GroupingRound.Status.PUBLISHED, published_at
        try:
            # proposed and the same version → published: a double submit publishes nothing twice
            save_versioned(
                round_,
                ["status", "published_at"],
                expected_version,
                condition=Q(status=GroupingRound.Status.PROPOSED),
            )
        except EditConflict:
            round_.status, round_.published_at = GroupingRound.Status.PROPOSED, None
            if GroupingRound.objects.filter(
                pk=round_.pk, status=GroupingRound.Status.PUBLISHED
            ).exists():
                raise _already_published() from None
            raise _changed_meanwhile() from None
        for net in evaluation["networks"]:
            network = Network.objects.create(
                round=round_,
                area=net["area"],
                host_id=int(net["host"]),
                title=f"{net['area']} {localized(titles.get(net['area'], {}))}".strip(),
            )
            NetworkMembership.objects.bulk_create(
                NetworkMembership(
                    network=network,
                    municipality_id=int(row["id"]),
                    need=row["need"],
                    distance_km=row["km"],
                )
                for row in net["members"]
            )
        for p in round_.proposal.get("partnerships", []):
            Partnership.objects.create(
                round=round_,
                area=p["area"],
                learner_id=int(p["learner"]),
                mentor_id=int(p["mentor"]),
            )
    _notify_coordinators(
        round_, request
    )  # only after the networks are safely stored, and only once


def _link(request, name, *args):
    link = reverse(name, args=args)
    return request.build_absolute_uri(link) if request is not None else link


def _notify_coordinators(round_, request, municipality_ids=None):
    involved = municipality_ids
    if involved is None:
        involved = set(
            NetworkMembership.objects.filter(network__round=round_).values_list(
                "municipality_id", flat=True
            )
        )
        for p in round_.partnerships.all():
            involved |= {p.learner_id, p.mentor_id}
    link = _link(request, "networks:mine")
    for role in MunicipalRole.objects.filter(
        municipality_id__in=involved, role=MunicipalRoleName.COORDINATOR
    ).select_related("user"):
        with translation.override(role.user.language or settings.LANGUAGE_CODE):
            send_mail(
                _("Your municipality is invited to a learning network"),
                _(
                    "%(organisation)s proposes networks and partnerships (%(title)s). Please "
                    "answer: %(link)s"
                )
                % {"organisation": round_.organisation.name, "title": round_.title, "link": link},
                None,
                [role.user.email],
            )


def round_coordinators(round_):
    """The people told about answers: the network coordinators of the round's organisation."""
    return [
        r.user
        for r in OrganisationRole.objects.filter(
            organisation_id=round_.organisation_id, role=OrganisationRoleName.NETWORK_COORDINATOR
        ).select_related("user")
        if r.user.is_active and r.user.email
    ]


def _notify_answer(round_, what, municipality, status, reason, previous, request):
    link = _link(request, "networks:round", round_.pk)
    for user in round_coordinators(round_):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            values = {
                "municipality": municipality.name,
                "what": what(),
                "title": round_.title,
                "link": link,
                "reason": reason or "—",
                "answer": Response(status).label,
                "previous": Response(previous).label,
            }
            if previous != Response.INVITED:
                subject = _("%(municipality)s changed its answer") % values
                body = (
                    _(
                        "%(municipality)s changed its answer about %(what)s (round %(title)s) from "
                        "“%(previous)s” to “%(answer)s”. Reason: %(reason)s\n\n%(link)s"
                    )
                    % values
                )
            else:
                subject = _("%(municipality)s declined") % values
                body = (
                    _(
                        "%(municipality)s declined %(what)s (round %(title)s). Reason: "
                        "%(reason)s\n\n"
                        "%(link)s"
                    )
                    % values
                )
            send_mail(subject, body, None, [user.email])


def respond(obj, user, accept, reason, side=None, request=None):
    """A municipality's coordinator accepts or declines a network place or its side of a
    partnership.

    The rule: the answer may be changed until the round's coordinator confirms the network (or the
    partnership); after that it is final. Every change is audited, and a decline or a change of
    answer is e-mailed to the round's coordinators."""
    status = Response.ACCEPTED if accept else Response.DECLINED
    if not accept and not reason.strip():
        raise RoundError(_("Please say why you decline; the coordinator needs it to plan again."))
    with transaction.atomic():
        if isinstance(obj, NetworkMembership):
            obj = (
                NetworkMembership.objects.select_for_update()
                .select_related(
                    "network", "network__round", "network__round__organisation", "municipality"
                )
                .get(pk=obj.pk)
            )
            if obj.network.confirmed_at:
                raise RoundError(
                    _("The coordinator has confirmed this network; the answers are final now.")
                )
            previous = obj.status
            obj.status, obj.reason, obj.responded_by, obj.responded_at = (
                status,
                reason,
                user,
                timezone.now(),
            )
            obj.save(update_fields=["status", "reason", "responded_by", "responded_at"])
            round_, municipality = obj.network.round, obj.municipality
            network = obj.network

            def what():
                return _("the network %(title)s") % {"title": network.title}
        else:
            obj = (
                Partnership.objects.select_for_update()
                .select_related("round", "round__organisation", "learner", "mentor")
                .get(pk=obj.pk)
            )
            if obj.confirmed_at:
                raise RoundError(
                    _("The coordinator has confirmed this partnership; the answers are final now.")
                )
            previous = getattr(obj, f"{side}_status")
            setattr(obj, f"{side}_status", status)
            setattr(obj, f"{side}_reason", reason)
            setattr(obj, f"{side}_responded_by", user)
            setattr(obj, f"{side}_responded_at", timezone.now())
            obj.save(
                update_fields=[
                    f"{side}_status",
                    f"{side}_reason",
                    f"{side}_responded_by",
                    f"{side}_responded_at",
                ]
            )
            round_, municipality = obj.round, getattr(obj, side)
            partnership = obj

            def what():  # in each recipient's language
                return _("the partnership %(mentor)s → %(learner)s (%(area)s)") % {
                    "mentor": partnership.mentor.name,
                    "learner": partnership.learner.name,
                    "area": partnership.area,
                }

    changed = previous != Response.INVITED and previous != status
    if changed or (status == Response.DECLINED and previous != Response.DECLINED):
        _notify_answer(round_, what, municipality, status, reason, previous, request)
    return obj


# ---------------------------------------------------------------- after publishing: confirm, fill


def confirm(obj, user):
    """The coordinator confirms a network or a partnership; its answers are final from now on."""
    model = type(obj)
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=obj.pk)
        if obj.confirmed_at:
            raise RoundError(_("This is already confirmed."))
        obj.confirmed_at, obj.confirmed_by = timezone.now(), user
        obj.save(update_fields=["confirmed_at", "confirmed_by"])
    return obj


def network_health(network, min_size):
    """Members who accepted or may still accept, against the smallest size of the round."""
    memberships = list(network.memberships.all())
    counts = {s: sum(1 for ms in memberships if ms.status == s) for s in Response.values}
    alive = counts[Response.ACCEPTED] + counts[Response.INVITED]
    return {
        "accepted": counts[Response.ACCEPTED],
        "invited": counts[Response.INVITED],
        "declined": counts[Response.DECLINED],
        "alive": alive,
        "min": min_size,
        "below_minimum": alive < min_size,
        "all_answered": counts[Response.INVITED] == 0,
    }


def invite_to_network(network, municipality_id, user, request=None):
    """Add a participant of the round to a published network (after declines) and invite it."""
    round_ = network.round
    if network.confirmed_at:
        raise RoundError(_("This network is confirmed; it takes no new members."))
    participant = (
        round_.participants.filter(municipality_id=_int_or_none(municipality_id))
        .select_related("municipality")
        .first()
    )
    if participant is None:
        raise RoundError(_("That municipality does not take part in this round."))
    if network.memberships.filter(municipality_id=participant.municipality_id).exists():
        raise RoundError(_("That municipality is already in this network."))
    places = (
        NetworkMembership.objects.filter(
            network__round=round_, municipality_id=participant.municipality_id
        )
        .exclude(status=Response.DECLINED)
        .count()
    )
    if places >= round_.params.get("max_networks_per_municipality", 1):
        raise RoundError(
            _("That municipality is already in as many networks as this round allows.")
        )
    people, _names = people_of(round_)
    host = people[str(network.host_id)]
    key = str(participant.municipality_id)
    with transaction.atomic():
        NetworkMembership.objects.create(
            network=network,
            municipality_id=participant.municipality_id,
            need=people[key]["needs"].get(network.area, 0),
            distance_km=round(proposal_engine.km(people[key], host), 1),
        )
    _notify_coordinators(round_, request, {participant.municipality_id})
    return participant.municipality


def invite_first_coordinator(municipality, email, full_name, user, request):
    """Invite the first coordinator of a municipality that has none (e.g. to answer a network
    invitation)."""
    if MunicipalRole.objects.filter(
        municipality=municipality, role=MunicipalRoleName.COORDINATOR
    ).exists():
        raise RoundError(_("This municipality already has a coordinator in Mreža."))
    invitation = Invitation.objects.create(
        municipality=municipality,
        email=email,
        full_name=full_name,
        role=MunicipalRoleName.COORDINATOR,
        invited_by=user,
    )
    link = request.build_absolute_uri(reverse("accounts:accept", args=[invitation.token]))
    body = render_to_string(
        "accounts/invitation_email.txt", {"invitation": invitation, "link": link, "inviter": user}
    )
    send_mail(_("You are invited to Mreža"), body, None, [email])
    return invitation
