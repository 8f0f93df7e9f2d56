from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.assessment.models import Framework
from mreza.core.access import (
    Perm,
    get_or_deny,
    managed_municipalities,
    may,
    organisations_coordinated_by,
    require,
    rounds_visible_to,
)
from mreza.core.roles import MunicipalRoleName
from mreza.core.templatetags.mreza import script
from mreza.maps import available_countries, render_map
from mreza.networks import page_cache, services
from mreza.networks.forms import AnswerForm, FirstCoordinatorForm, RoundForm
from mreza.networks.models import (
    GroupingRound,
    Network,
    NetworkMembership,
    Participant,
    Partnership,
)
from mreza.networks.proposal import evaluate
from mreza.registry.models import Municipality, Organisation
from mreza.registry.templatetags.places import place_name

MAX_ID = 2**31 - 1


def _int(value):
    """A positive database id or index from a query or form value; None for junk (never an
    exception)."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def _coordinated_organisations(user):
    return organisations_coordinated_by(user, Organisation.objects.exclude(kind="platform"))


@login_required
def round_list(request):
    require(request.user, Perm.CREATE_ROUND)
    rounds = rounds_visible_to(
        request.user, GroupingRound.objects.select_related("organisation", "framework")
    )
    return render(request, "networks/round_list.html", {"rounds": rounds})


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    require(request.user, Perm.CREATE_ROUND)
    organisations = _coordinated_organisations(request.user)
    framework_id = _int(request.POST.get("framework") or request.GET.get("framework"))
    framework = (
        Framework.objects.filter(pk=framework_id).first() if framework_id else None
    ) or Framework.objects.filter(code="caf2020").first()
    organisation = organisations.first()
    need_counts = Counter(
        area
        for profile in (
            services.eligible_profiles(framework, {}, organisation)
            if framework and organisation
            else []
        )
        for area in profile.needs
    )
    initial = {
        "framework": framework,
        "organisation": organisation,
        "areas": [area for area, _count in need_counts.most_common(8)],
    }
    form = RoundForm(
        request.POST or None,
        organisations=organisations,
        framework=framework,
        need_counts=need_counts,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(
                organisation=form.cleaned_data["organisation"],
                framework=form.cleaned_data["framework"],
                title=form.cleaned_data["title"],
                areas=form.cleaned_data["areas"],
                params=form.params(),
                filters=form.filters(),
                user=request.user,
            )
        except services.RoundError as error:
            form.add_error(None, str(error))
        else:
            services.enqueue(round_, request.user)
            return redirect("networks:round", pk=round_.pk)
    return render(request, "networks/round_new.html", {"form": form})


def _round(request, pk, perm=Perm.VIEW):
    return get_or_deny(
        request.user,
        perm,
        GroupingRound.objects.select_related("organisation", "framework"),
        pk=pk,
    )


@login_required
def round_status(request, pk):
    """The progress fragment htmx polls while the engine runs; a full reload when it is done."""
    round_ = _round(request, pk)
    if round_.status not in (GroupingRound.Status.QUEUED, GroupingRound.Status.RUNNING):
        response = render(
            request, "networks/_round_status.html", {"round": round_, "progress": 100}
        )
        response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "networks/_round_status.html",
        {"round": round_, "progress": services.progress_of(round_)},
    )


@login_required
def round_detail(request, pk):
    # the proposal and the engine's output stay in the database unless a part must be rendered
    round_ = get_or_deny(
        request.user,
        Perm.VIEW,
        GroupingRound.objects.select_related("organisation", "based_on")
        .defer("proposal", "result")
        .annotate(
            participant_count=Subquery(
                Participant.objects.filter(round=OuterRef("pk"))
                .order_by()
                .values("round")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            has_successors=Exists(GroupingRound.objects.filter(based_on=OuterRef("pk"))),
        ),
        pk=pk,
    )
    wanted = {"body": ("networks/_round_body.html", lambda: _body_context(pk))}
    if round_.is_published:
        wanted["answers"] = ("networks/_answers.html", lambda: _answers(_full_round(pk)))
    context = {
        "round": round_,
        "progress": services.progress_of(round_),
        # asked only when the round's own query found some (round.has_successors)
        "successors": round_.successors.order_by("created_at").only("pk", "title"),
        **page_cache.parts(request, round_, wanted),
    }
    return render(request, "networks/round_detail.html", context)


def _full_round(pk):
    return GroupingRound.objects.select_related("organisation", "framework", "created_by").get(
        pk=pk
    )


def _body_context(pk):
    """The round's inputs, the proposal with its quality, map and explanations, and the runs."""
    round_ = _full_round(pk)
    context = {
        "round": round_,
        "runs": list(round_.runs.select_related("started_by").order_by("-number")),
    }
    if round_.proposal.get("networks") is None or round_.status not in (
        GroupingRound.Status.PROPOSED,
        GroupingRound.Status.PUBLISHED,
    ):
        return context
    people, names, evaluation, alternatives, left_out = services.evaluation_of(round_)
    for net in evaluation["networks"]:
        for row in net["members"]:
            row["name"] = names[row["id"]]
            alternative = alternatives.get((net["index"], row["id"]))
            row["alternative"] = (
                _(alternative[0]) % readable_params(alternative[1]) if alternative else ""
            )
        net["host_name"] = names.get(net["host"], "")
    municipalities = {
        str(m.pk): m
        for m in Municipality.objects.filter(pk__in=[int(k) for k in people])
        .select_related("country")
        .only(
            "code",
            "name",
            "type",
            "latitude",
            "longitude",
            "country__code",
            "country__name_language",  # place names in the reader's script
        )
    }
    if round_.is_editable:
        _target_menus(evaluation["networks"])
    context.update(
        {
            "evaluation": evaluation,
            "add_options": _target_options(
                net for net in evaluation["networks"] if not net["locked"]
            ),
            "left_out": [(m, names[m], _(reason[0]) % reason[1]) for m, reason in left_out.items()],
            "partnerships": [
                dict(p, learner_name=names[p["learner"]], mentor_name=names[p["mentor"]])
                for p in evaluation["partnerships"]
            ],
            "problems": [_(message) % params for message, params in evaluation["problems"]],
            "bound": round_.result.get("bound", {}),
            "status_engine": round_.result.get("status"),
            "map_svg": _round_map(round_, evaluation, municipalities),
        }
    )
    if round_.is_editable:
        context["uninvitable"] = services.without_coordinator(round_)
    return context


def _target_options(networks):
    """<option>s naming networks as targets of a move or an add, built once for the whole page."""
    return format_html_join(
        "",
        '<option value="{}">{}</option>',
        (
            (
                net["index"] - 1,
                _("to network %(index)s (%(area)s)") % {"index": net["index"], "area": net["area"]},
            )
            for net in networks
        ),
    )


def _target_menus(networks):
    """Each network's move menu (every other network): one string per network, shared by its
    members' rows instead of a template loop per member."""
    for net in networks:
        net["move_options"] = _target_options(o for o in networks if o is not net)


def _answers(round_):
    """Every network's and partnership's answers, with networks that fell below the minimum
    flagged."""
    memberships = NetworkMembership.objects.select_related("municipality", "responded_by").order_by(
        "municipality__name"
    )
    networks = list(
        Network.objects.filter(round=round_)
        .select_related("host", "confirmed_by")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
    )
    participants = list(
        round_.participants.select_related("municipality").order_by("municipality__name")
    )
    partnerships = list(
        round_.partnerships.select_related(
            "learner", "mentor", "learner_responded_by", "mentor_responded_by", "confirmed_by"
        ).order_by("id")
    )
    involved = {p.municipality_id for p in participants}
    no_coordinator = {m.pk for m in services.without_coordinator(round_, involved)}
    places = Counter(
        ms.municipality_id
        for network in networks
        for ms in network.memberships.all()
        if ms.status != "declined"
    )
    limit = round_.params.get("max_networks_per_municipality", 1)
    # who may still join a network of an area: participants with that need and a free place
    free = [p for p in participants if places[p.municipality_id] < limit]
    free_by_area = {}
    rows = []
    for network in networks:
        if network.area not in free_by_area:
            free_by_area[network.area] = [p for p in free if p.needs.get(network.area, 0) > 0]
        members = {ms.municipality_id for ms in network.memberships.all()}
        candidates = [
            p.municipality for p in free_by_area[network.area] if p.municipality_id not in members
        ]
        rows.append(
            {
                "network": network,
                "health": services.network_health(network, round_.params["min_size"]),
                "candidates": candidates,
            }
        )
    return {
        "round": round_,
        "answers": rows,
        "answer_partnerships": partnerships,
        "no_coordinator": no_coordinator,
        "broken_networks": sum(1 for r in rows if r["health"]["below_minimum"]),
        "broken_partnerships": sum(1 for p in partnerships if p.is_declined),
    }


def readable_params(params):
    """An explanation's figures in the reader's locale ("0,75" in bs) and its host in the reader's
    script."""
    shown = dict(params)
    if "need" in shown:
        shown["need"] = number_format(float(shown["need"]), 2)
    if "km" in shown:
        shown["km"] = number_format(float(shown["km"]), 0)
    if "host" in shown:
        shown["host"] = script(str(shown["host"]))
    return shown


def _round_map(round_, evaluation, municipalities):
    points = []
    placed = {}
    for net in evaluation["networks"]:
        for row in net["members"]:
            placed[row["id"]] = (net["index"] - 1, row["id"] == net["host"])
    for key, m in municipalities.items():
        if m.latitude is None:
            continue
        network, is_host = placed.get(key, (None, False))
        name = place_name(m.name, m.country)  # map labels in the reader's script
        point = {
            "id": key,
            "lat": m.latitude,
            "lon": m.longitude,
            "label": name,
            "url": f"/municipalities/{m.code}/",
            "kind": "host" if is_host else ("member" if network is not None else "unplaced"),
        }
        if network is not None:
            point["net"] = network
            point["label"] = _("%(name)s — network %(index)s") % {
                "name": name,
                "index": network + 1,
            }
        points.append(point)
    countries = sorted(
        {m.country.code for m in municipalities.values()} & set(available_countries())
    ) or ["BA"]
    codes = [round_.filters["country"]] if round_.filters.get("country") in countries else countries
    return render_map(
        points,
        countries=codes,
        width=900,
        tile_url=settings.MREZA_MAP_TILE_URL or None,
        labels={
            "title": _("Proposed networks"),
            "desc": _("Members are coloured by network; hosts are drawn larger."),
            "zoom_in": _("Zoom in"),
            "zoom_out": _("Zoom out"),
            "reset": _("Reset view"),
        },
    )


@login_required
@require_POST
def round_edit(request, pk):
    action = request.POST.get("action", "")
    perm = Perm.PUBLISH_ROUND if action == "publish" else Perm.EDIT_ROUND
    round_ = _round(request, pk, perm)

    def number(name):
        return _int(request.POST.get(name))

    try:
        version = number("version") or 0
        if action == "rerun":
            services.rerun(round_, version, request.user)
            messages.success(request, _("The engine is proposing the unlocked part again."))
        elif action == "publish":
            services.publish(
                round_,
                request.user,
                request,
                expected_version=version,
                without_coordinator_ok=request.POST.get("without_coordinator_ok") == "1",
            )
            messages.success(
                request, _("Published. The municipalities' coordinators are invited to answer.")
            )
        elif action == "start_from":
            if round_.status not in (GroupingRound.Status.PROPOSED, GroupingRound.Status.PUBLISHED):
                raise services.RoundError(_("Only a round with a proposal can be continued."))
            new = services.start_from(round_, request.user)
            messages.success(
                request,
                _(
                    "A new round was started from this one. Members who declined are left "
                    "out; fill the gaps, re-run or publish it."
                ),
            )
            return redirect("networks:round", pk=new.pk)
        else:
            services.edit(
                round_,
                action,
                version,
                network=number("network"),
                member=request.POST.get("member"),
                target=number("target"),
            )
    except services.AlreadyPublished as error:
        messages.warning(request, str(error))
    except services.RoundError as error:
        messages.error(request, str(error))
    return redirect("networks:round", pk=pk)


@login_required
@require_POST
def network_action(request, pk):
    """After publishing: confirm a network (its answers become final) or invite another
    participant."""
    action = request.POST.get("action", "")
    perm = {"confirm": Perm.CONFIRM, "invite": Perm.INVITE_TO_NETWORK}.get(action, Perm.CHANGE)
    network = get_or_deny(
        request.user, perm, Network.objects.select_related("round", "host"), pk=pk
    )
    try:
        if action == "confirm":
            services.confirm(network, request.user)
            messages.success(request, _("The network is confirmed; its answers are final now."))
        elif action == "invite":
            municipality = services.invite_to_network(
                network, _int(request.POST.get("municipality")), request.user, request
            )
            messages.success(
                request,
                _("%(name)s is invited to the network.") % {"name": place_name(municipality)},
            )
        else:
            raise services.RoundError(_("Unknown change."))
    except services.RoundError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('networks:round', args=[network.round_id])}#answers")


@login_required
@require_POST
def partnership_confirm(request, pk, partnership):
    obj = get_or_deny(
        request.user,
        Perm.CONFIRM,
        Partnership.objects.select_related("round").filter(round_id=pk),
        pk=partnership,
    )
    round_ = obj.round
    try:
        services.confirm(obj, request.user)
        messages.success(request, _("The partnership is confirmed; its answers are final now."))
    except services.RoundError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('networks:round', args=[round_.pk])}#answers")


def _run_view(round_, run, people, names):
    proposal = {
        "networks": [
            dict(n, members=[m for m in n["members"] if m in people])
            for n in run.proposal.get("networks", [])
        ],
        "partnerships": [
            p
            for p in run.proposal.get("partnerships", [])
            if p["learner"] in people and p["mentor"] in people
        ],
    }
    evaluation = evaluate(people, run.inputs.get("params") or round_.params, proposal, names)
    placement = {}
    for net in evaluation["networks"]:
        net["host_name"] = names.get(net["host"], "")
        for row in net["members"]:
            row["name"] = names[row["id"]]
            placement.setdefault(row["id"], []).append((net["area"], net["host"], net["index"]))
    for p in evaluation["partnerships"]:
        p["learner_name"], p["mentor_name"] = names[p["learner"]], names[p["mentor"]]
    return {"run": run, "evaluation": evaluation, "placement": placement}


@login_required
def run_compare(request, pk):
    """Two runs of a round side by side: objective, bound, networks with members, and who moved."""
    round_ = _round(request, pk)
    runs = list(round_.runs.select_related("started_by").order_by("number"))
    if not runs:
        raise Http404

    def pick(name, default):
        number = _int(request.GET.get(name))
        return next((r for r in runs if r.number == number), default)

    a = pick("a", runs[-2] if len(runs) > 1 else runs[0])
    b = pick("b", runs[-1])
    people, names = services.people_of(round_)
    left, right = _run_view(round_, a, people, names), _run_view(round_, b, people, names)

    def where(placement, key):
        return "; ".join(
            _("network %(index)s (%(area)s, meets in %(host)s)")
            % {"index": i, "area": area, "host": names.get(host, "")}
            for area, host, i in placement.get(key, [])
        ) or _("no network")

    moved = []
    for key in sorted(
        set(left["placement"]) | set(right["placement"]), key=lambda k: names.get(k, k)
    ):
        before = sorted((area, host) for area, host, _i in left["placement"].get(key, []))
        after = sorted((area, host) for area, host, _i in right["placement"].get(key, []))
        if before != after:
            moved.append(
                {
                    "name": names.get(key, key),
                    "before": where(left["placement"], key),
                    "after": where(right["placement"], key),
                }
            )
    return render(
        request,
        "networks/run_compare.html",
        {
            "round": round_,
            "runs": runs,
            "left": left,
            "right": right,
            "sides": [left, right],
            "moved": moved,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite_first_coordinator(request, code):
    """A network coordinator invites the first coordinator of a member municipality that has
    none."""
    municipality = get_or_deny(
        request.user, Perm.INVITE_FIRST_COORDINATOR, Municipality.objects.all(), code=code
    )
    round_id = _int(request.POST.get("round") or request.GET.get("round"))
    round_ = GroupingRound.objects.filter(pk=round_id).first() if round_id else None
    if round_ is not None and not may(request.user, Perm.VIEW, round_):
        round_ = None
    back = reverse("networks:round", args=[round_.pk]) if round_ else reverse("networks:rounds")
    form = FirstCoordinatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_first_coordinator(
                municipality,
                form.cleaned_data["email"],
                form.cleaned_data["full_name"],
                request.user,
                request,
            )
        except services.RoundError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. When they accept, they can answer for %(name)s.")
                % {"email": invitation.email, "name": municipality.name},
            )
            return redirect(back)
    pending = municipality.invitations.filter(
        role=MunicipalRoleName.COORDINATOR, accepted_at__isnull=True
    )
    return render(
        request,
        "networks/invite_coordinator.html",
        {
            "form": form,
            "municipality": municipality,
            "round": round_,
            "back": back,
            "pending": [i for i in pending if i.is_open],
        },
    )


@login_required
def my_invitations(request):
    municipalities = managed_municipalities(request.user)
    memberships = (
        NetworkMembership.objects.filter(municipality_id__in=municipalities)
        .select_related(
            "network", "network__host", "network__round", "network__workspace", "municipality"
        )
        .order_by("-network__created_at")
    )
    partnerships = (
        (
            Partnership.objects.filter(learner_id__in=municipalities)
            | Partnership.objects.filter(mentor_id__in=municipalities)
        )
        .select_related("learner", "mentor", "round", "workspace")
        .order_by("-id")
    )
    rows = [(p, "learner" if p.learner_id in municipalities else "mentor") for p in partnerships]
    return render(
        request,
        "networks/my_invitations.html",
        {"memberships": memberships, "partnerships": rows, "form": AnswerForm()},
    )


@login_required
@require_POST
def answer(request, kind, pk):
    if kind not in ("network", "partnership"):
        raise Http404
    if kind == "network":
        obj = get_or_deny(request.user, Perm.ANSWER, NetworkMembership.objects.all(), pk=pk)
        side = None
    else:
        side = request.POST.get("side")
        # a side that is neither: no one may answer it (403 for whoever sees the partnership)
        perm = {"learner": Perm.ANSWER_AS_LEARNER, "mentor": Perm.ANSWER_AS_MENTOR}.get(
            side, Perm.ANSWER
        )
        obj = get_or_deny(request.user, perm, Partnership.objects.select_related("round"), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.respond(
                obj,
                request.user,
                form.cleaned_data["answer"] == "accept",
                form.cleaned_data["reason"],
                side,
                request,
            )
        except services.RoundError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your answer is recorded."))
    else:
        messages.error(request, _("Choose accept or decline."))
    return redirect("networks:mine")


@login_required
def network_detail(request, pk):
    network = get_or_deny(
        request.user,
        Perm.VIEW,
        Network.objects.select_related("host", "round", "round__organisation"),
        pk=pk,
    )
    memberships = network.memberships.select_related("municipality").order_by("municipality__name")
    return render(
        request, "networks/network_detail.html", {"network": network, "memberships": memberships}
    )
