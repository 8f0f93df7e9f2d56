"""Grouping rounds: select shared profiles, run the engine in the background, edit, publish, respond."""

import logging
import threading

from django.conf import settings
from django.core.mail import send_mail
from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mreza import grouping
from mreza.accounts.models import MunicipalRole
from mreza.assessment.models import LearningProfile
from mreza.core.audit import acting_as
from mreza.networks import proposal as proposal_engine
from mreza.networks.models import (
    DEFAULT_PARAMS,
    GroupingRound,
    Network,
    NetworkMembership,
    Participant,
    Partnership,
    Response,
)

log = logging.getLogger(__name__)


class RoundError(Exception):
    """A step that cannot be taken now; the message is shown as it is."""


# ---------------------------------------------------------------- selecting participants

def eligible_profiles(framework, filters):
    """The newest shared learning profile of each municipality, for this framework and selection."""
    profiles = (LearningProfile.objects
                .filter(sharing__in=["coordinators", "public"], assessment__framework__code=framework.code,
                        assessment__status="accepted", municipality__latitude__isnull=False)
                .select_related("municipality", "assessment").order_by("municipality_id", "-assessment__period_end"))
    if filters.get("country"):
        profiles = profiles.filter(municipality__country__code=filters["country"])
    if filters.get("region"):
        profiles = profiles.filter(Q(municipality__region__code=filters["region"])
                                   | Q(municipality__region__parent__code=filters["region"]))
    if filters.get("association"):
        profiles = profiles.filter(municipality__memberships__code=filters["association"])
    newest = {}
    for profile in profiles:
        newest.setdefault(profile.municipality_id, profile)
    return list(newest.values())


def create_round(*, organisation, framework, title, areas, params, filters, user):
    profiles = eligible_profiles(framework, filters)
    if not profiles:
        raise RoundError(_("No municipality in this selection has shared a learning profile."))
    params = {**DEFAULT_PARAMS, **params}
    with transaction.atomic():
        round_ = GroupingRound.objects.create(
            organisation=organisation, framework=framework, title=title, areas=sorted(areas), params=params,
            filters=filters, created_by=user, time_limit=grouping.default_time_limit(len(profiles)))
        Participant.objects.bulk_create(
            Participant(round=round_, municipality=p.municipality, profile=p,
                        needs={a: w for a, w in p.needs.items() if a in areas},
                        strengths={a: w for a, w in p.strengths.items() if a in areas},
                        latitude=p.municipality.latitude, longitude=p.municipality.longitude)
            for p in profiles)
    return round_


def people_of(round_):
    participants = round_.participants.select_related("municipality")
    people = {str(p.municipality_id): {"lat": p.latitude, "lon": p.longitude, "needs": p.needs,
                                       "strengths": p.strengths} for p in participants}
    names = {str(p.municipality_id): p.municipality.name for p in participants}
    return people, names


def engine_input(people, params, exclude_areas=None, drop=()):
    """The engine's JSON input; `exclude_areas` removes (municipality, area) pairs already decided."""
    exclude_areas = exclude_areas or {}
    municipalities = []
    for key in sorted(people, key=int):
        if key in drop:
            continue
        person = people[key]
        needs = {a: w for a, w in person["needs"].items() if w > 0 and a not in exclude_areas.get(key, ())}
        municipalities.append({"id": key, "lat": person["lat"], "lon": person["lon"], "needs": needs,
                               "strengths": {a: w for a, w in person["strengths"].items() if w > 0}})
    return {"municipalities": municipalities, "params": dict(params)}


# ---------------------------------------------------------------- running the engine

def enqueue(round_):
    """Queue the engine run; in the demo and by default a background thread runs it at once."""
    GroupingRound.objects.filter(pk=round_.pk).update(status=GroupingRound.Status.QUEUED, progress=0, error="")
    mode = getattr(settings, "MREZA_JOBS", "thread")
    if mode == "sync":
        run_round(round_.pk)
    elif mode == "thread":
        threading.Thread(target=_run_in_thread, args=(round_.pk,), daemon=True).start()
    # "worker": `manage.py run_grouping_jobs` picks it up.


def _run_in_thread(round_id):
    try:
        run_round(round_id)
    finally:
        close_old_connections()


def _claim(round_id):
    """Queued → running with a conditional UPDATE, so two workers never run the same round."""
    return bool(GroupingRound.objects.filter(pk=round_id, status=GroupingRound.Status.QUEUED).update(
        status=GroupingRound.Status.RUNNING, started_at=timezone.now(), progress=5))


def claim_next():
    """The oldest queued round, claimed."""
    for round_id in GroupingRound.objects.filter(status=GroupingRound.Status.QUEUED).order_by("created_at") \
            .values_list("pk", flat=True)[:5]:
        if _claim(round_id):
            return round_id
    return None


def run_round(round_id, claimed=False):
    """Run the engine for a round, claiming it first unless the caller already has."""
    if not claimed and not _claim(round_id):
        return GroupingRound.objects.get(pk=round_id)
    round_ = GroupingRound.objects.get(pk=round_id)
    with acting_as(None, "grouping engine"):
        try:
            people, _names = people_of(round_)
            locked = [n for n in round_.proposal.get("networks", []) if n.get("locked")]
            decided, drop = _locked_capacity(locked, round_.params)
            data = engine_input(people, round_.params, exclude_areas=decided, drop=drop)
            GroupingRound.objects.filter(pk=round_id).update(progress=15)
            output = grouping.solve(data, time_limit=round_.time_limit, seed=round_.pk)
        except Exception as error:  # the engine's failure must reach the coordinator, not vanish in a thread
            log.exception("grouping round %s failed", round_id)
            GroupingRound.objects.filter(pk=round_id).update(
                status=GroupingRound.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())
            return GroupingRound.objects.get(pk=round_id)
        networks = locked + [{"area": n["area"], "members": n["members"], "locked": False}
                             for n in output["networks"]]
        round_.result = output
        round_.proposal = {"networks": networks, "partnerships": output["partnerships"]}
        round_.status = GroupingRound.Status.PROPOSED
        round_.progress = 100
        round_.finished_at = timezone.now()
        round_.save(update_fields=["result", "proposal", "status", "progress", "finished_at"])
    return round_


def _locked_capacity(locked, params):
    """Municipalities in locked networks: their areas are taken; at the limit, they are out of the re-run."""
    taken, count = {}, {}
    for net in locked:
        for m in net["members"]:
            taken.setdefault(m, set()).add(net["area"])
            count[m] = count.get(m, 0) + 1
    limit = params.get("max_networks_per_municipality", 1)
    return taken, {m for m, c in count.items() if c >= limit}


def progress_of(round_):
    """Progress for the page: the engine runs to its time limit, so elapsed time is a fair measure."""
    if round_.status != GroupingRound.Status.RUNNING or not round_.started_at:
        return round_.progress
    elapsed = (timezone.now() - round_.started_at).total_seconds()
    return max(round_.progress, min(95, int(15 + 80 * elapsed / max(round_.time_limit, 0.1))))


# ---------------------------------------------------------------- editing

def evaluation_of(round_):
    people, names = people_of(round_)
    evaluation = proposal_engine.evaluate(people, round_.params, round_.proposal, names)
    alternatives, left_out = proposal_engine.explain(people, round_.params, evaluation, round_.areas, names)
    return people, names, evaluation, alternatives, left_out


def _save_proposal(round_, proposal, expected_version):
    with transaction.atomic():
        if not GroupingRound.objects.filter(pk=round_.pk, version=expected_version,
                                            status=GroupingRound.Status.PROPOSED).update(version=F("version") + 1):
            raise RoundError(_("Someone else changed this proposal meanwhile; the page now shows their version."))
        round_.proposal = proposal
        round_.version = expected_version + 1
        round_.save(update_fields=["proposal"])


def edit(round_, action, expected_version, *, network=None, member=None, target=None):
    proposal = {"networks": [dict(n, members=list(n["members"])) for n in round_.proposal.get("networks", [])],
                "partnerships": list(round_.proposal.get("partnerships", []))}
    nets = proposal["networks"]
    if network is not None and not 0 <= network < len(nets):
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
            (network is not None and nets[network].get("locked")) or (target is not None and nets[target].get("locked"))):
        raise RoundError(_("Unlock the network before changing it."))
    proposal["networks"] = [n for n in nets if n["members"]]
    _save_proposal(round_, proposal, expected_version)


def rerun(round_, expected_version):
    """Keep the locked networks and let the engine propose the rest again."""
    with transaction.atomic():
        if not GroupingRound.objects.filter(pk=round_.pk, version=expected_version).update(version=F("version") + 1):
            raise RoundError(_("Someone else changed this proposal meanwhile; the page now shows their version."))
    enqueue(round_)


# ---------------------------------------------------------------- publishing and answers

def publish(round_, user, request=None):
    if round_.status != GroupingRound.Status.PROPOSED:
        raise RoundError(_("Only a ready proposal can be published."))
    people, names, evaluation, _alternatives, _left = evaluation_of(round_)
    if evaluation["problems"]:
        raise RoundError(_("Fix the broken constraints before publishing."))
    from mreza.assessment.models import Subcriterion
    from mreza.assessment.texts import localized

    titles = dict(Subcriterion.objects.filter(framework=round_.framework).values_list("code", "title"))
    with transaction.atomic():
        for net in evaluation["networks"]:
            network = Network.objects.create(
                round=round_, area=net["area"], host_id=int(net["host"]),
                title=f"{net['area']} {localized(titles.get(net['area'], {}))}".strip())
            NetworkMembership.objects.bulk_create(
                NetworkMembership(network=network, municipality_id=int(row["id"]), need=row["need"],
                                  distance_km=row["km"]) for row in net["members"])
        for p in round_.proposal.get("partnerships", []):
            Partnership.objects.create(round=round_, area=p["area"], learner_id=int(p["learner"]),
                                       mentor_id=int(p["mentor"]))
        round_.status = GroupingRound.Status.PUBLISHED
        round_.published_at = timezone.now()
        round_.save(update_fields=["status", "published_at"])
    _notify_coordinators(round_, request)


def _notify_coordinators(round_, request):
    involved = set(NetworkMembership.objects.filter(network__round=round_).values_list("municipality_id", flat=True))
    for p in round_.partnerships.all():
        involved |= {p.learner_id, p.mentor_id}
    link = reverse("networks:mine")
    if request is not None:
        link = request.build_absolute_uri(link)
    for role in MunicipalRole.objects.filter(municipality_id__in=involved, role="coordinator").select_related("user"):
        with translation.override(role.user.language or settings.LANGUAGE_CODE):
            send_mail(_("Your municipality is invited to a learning network"),
                      _("%(organisation)s proposes networks and partnerships (%(title)s). Please answer: %(link)s")
                      % {"organisation": round_.organisation.name, "title": round_.title, "link": link},
                      None, [role.user.email])


def respond(obj, user, accept, reason, side=None):
    """A municipality's coordinator accepts or declines a network place or its side of a partnership."""
    status = Response.ACCEPTED if accept else Response.DECLINED
    if not accept and not reason.strip():
        raise RoundError(_("Please say why you decline; the coordinator needs it to plan again."))
    if isinstance(obj, NetworkMembership):
        obj.status, obj.reason, obj.responded_by, obj.responded_at = status, reason, user, timezone.now()
        obj.save(update_fields=["status", "reason", "responded_by", "responded_at"])
    else:
        setattr(obj, f"{side}_status", status)
        setattr(obj, f"{side}_reason", reason)
        obj.save(update_fields=[f"{side}_status", f"{side}_reason"])
