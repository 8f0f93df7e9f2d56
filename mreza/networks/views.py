from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.assessment.models import Framework
from mreza.core.access import (
    Perm,
    get_or_deny,
    managed_municipalities,
    may,
    may_answer,
    organisations_coordinated_by,
    rounds_visible_to,
)
from mreza.maps import available_countries, render_map
from mreza.networks import services
from mreza.networks.forms import AnswerForm, RoundForm
from mreza.networks.models import GroupingRound, Network, NetworkMembership, Partnership
from mreza.registry.models import Municipality, Organisation


def _coordinated_organisations(user):
    return organisations_coordinated_by(user, Organisation.objects.exclude(kind="platform"))


@login_required
def round_list(request):
    organisations = _coordinated_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    rounds = rounds_visible_to(request.user, GroupingRound.objects.select_related("organisation", "framework"))
    return render(request, "networks/round_list.html", {"rounds": rounds})


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    organisations = _coordinated_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    framework = Framework.objects.filter(pk=request.POST.get("framework") or request.GET.get("framework")).first() \
        or Framework.objects.filter(code="caf2020").first()
    need_counts = Counter(area for profile in (services.eligible_profiles(framework, {}) if framework else [])
                          for area in profile.needs)
    initial = {"framework": framework, "organisation": organisations.first(),
               "areas": [area for area, _count in need_counts.most_common(8)]}
    form = RoundForm(request.POST or None, organisations=organisations, framework=framework,
                     need_counts=need_counts, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(
                organisation=form.cleaned_data["organisation"], framework=form.cleaned_data["framework"],
                title=form.cleaned_data["title"], areas=form.cleaned_data["areas"], params=form.params(),
                filters=form.filters(), user=request.user)
        except services.RoundError as error:
            form.add_error(None, str(error))
        else:
            services.enqueue(round_)
            return redirect("networks:round", pk=round_.pk)
    return render(request, "networks/round_new.html", {"form": form})


def _round(request, pk):
    return get_or_deny(request.user, Perm.VIEW, GroupingRound.objects.select_related("organisation", "framework"),
                       pk=pk)


@login_required
def round_status(request, pk):
    """The progress fragment htmx polls while the engine runs; a full reload when it is done."""
    round_ = _round(request, pk)
    if round_.status not in (GroupingRound.Status.QUEUED, GroupingRound.Status.RUNNING):
        response = render(request, "networks/_round_status.html", {"round": round_, "progress": 100})
        response["HX-Refresh"] = "true"
        return response
    return render(request, "networks/_round_status.html", {"round": round_,
                                                           "progress": services.progress_of(round_)})


@login_required
def round_detail(request, pk):
    round_ = _round(request, pk)
    context = {"round": round_, "progress": services.progress_of(round_)}
    if round_.proposal.get("networks") is not None and round_.status in (GroupingRound.Status.PROPOSED,
                                                                          GroupingRound.Status.PUBLISHED):
        people, names, evaluation, alternatives, left_out = services.evaluation_of(round_)
        for net in evaluation["networks"]:
            for row in net["members"]:
                row["name"] = names[row["id"]]
                alternative = alternatives.get((net["index"], row["id"]))
                row["alternative"] = _(alternative[0]) % alternative[1] if alternative else ""
            net["host_name"] = names.get(net["host"], "")
        municipalities = {str(m.pk): m for m in Municipality.objects.filter(pk__in=[int(k) for k in people])
                          .select_related("country").only("code", "name", "type", "latitude", "longitude",
                                                          "country__code")}
        context.update({
            "evaluation": evaluation, "names": names,
            "left_out": [(m, names[m], _(reason[0]) % reason[1]) for m, reason in left_out.items()],
            "partnerships": [dict(p, learner_name=names[p["learner"]], mentor_name=names[p["mentor"]])
                             for p in evaluation["partnerships"]],
            "problems": [_(message) % params for message, params in evaluation["problems"]],
            "bound": round_.result.get("bound", {}), "status_engine": round_.result.get("status"),
            "map_svg": _round_map(round_, evaluation, municipalities),
            "published_networks": Network.objects.filter(round=round_).select_related("host")
            .prefetch_related("memberships__municipality") if round_.status == "published" else [],
        })
    return render(request, "networks/round_detail.html", context)


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
        point = {"id": key, "lat": m.latitude, "lon": m.longitude, "label": m.name,
                 "url": f"/municipalities/{m.code}/", "kind": "host" if is_host else ("member" if network is not None
                                                                                    else "unplaced")}
        if network is not None:
            point["net"] = network
            point["label"] = _("%(name)s — network %(index)s") % {"name": m.name, "index": network + 1}
        points.append(point)
    countries = sorted({m.country.code for m in municipalities.values()} & set(available_countries())) or ["BA"]
    codes = [round_.filters["country"]] if round_.filters.get("country") in countries else countries
    return render_map(points, countries=codes, width=900, tile_url=settings.MREZA_MAP_TILE_URL or None, labels={
        "title": _("Proposed networks"), "desc": _("Members are coloured by network; hosts are drawn larger."),
        "zoom_in": _("Zoom in"), "zoom_out": _("Zoom out"), "reset": _("Reset view")})


@login_required
@require_POST
def round_edit(request, pk):
    round_ = _round(request, pk)
    action = request.POST.get("action", "")

    def number(name):
        value = request.POST.get(name, "")
        return int(value) if value.lstrip("-").isdigit() else None

    try:
        version = number("version") or 0
        if action == "rerun":
            services.rerun(round_, version)
            messages.success(request, _("The engine is proposing the unlocked part again."))
        elif action == "publish":
            services.publish(round_, request.user, request)
            messages.success(request, _("Published. The municipalities' coordinators are invited to answer."))
        else:
            services.edit(round_, action, version, network=number("network"), member=request.POST.get("member"),
                          target=number("target"))
    except services.RoundError as error:
        messages.error(request, str(error))
    return redirect("networks:round", pk=pk)


@login_required
def my_invitations(request):
    municipalities = managed_municipalities(request.user)
    memberships = (NetworkMembership.objects.filter(municipality_id__in=municipalities)
                   .select_related("network", "network__host", "network__round", "municipality")
                   .order_by("-network__created_at"))
    partnerships = (Partnership.objects.filter(learner_id__in=municipalities) | Partnership.objects.filter(
        mentor_id__in=municipalities)).select_related("learner", "mentor", "round").order_by("-id")
    rows = [(p, "learner" if p.learner_id in municipalities else "mentor") for p in partnerships]
    return render(request, "networks/my_invitations.html", {"memberships": memberships, "partnerships": rows,
                                                            "form": AnswerForm()})


@login_required
@require_POST
def answer(request, kind, pk):
    if kind == "network":
        obj = get_object_or_404(NetworkMembership, pk=pk)
        side = None
    else:
        obj = get_object_or_404(Partnership, pk=pk)
        side = request.POST.get("side")
        if side not in ("learner", "mentor"):
            raise PermissionDenied
    if not may(request.user, Perm.VIEW, obj):
        raise Http404
    if not may_answer(request.user, obj, side):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.respond(obj, request.user, form.cleaned_data["answer"] == "accept",
                             form.cleaned_data["reason"], side)
        except services.RoundError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your answer is recorded."))
    else:
        messages.error(request, _("Choose accept or decline."))
    return redirect("networks:mine")


@login_required
def network_detail(request, pk):
    network = get_or_deny(request.user, Perm.VIEW, Network.objects.select_related("host", "round",
                                                                                   "round__organisation"), pk=pk)
    memberships = network.memberships.select_related("municipality").order_by("municipality__name")
    return render(request, "networks/network_detail.html", {"network": network, "memberships": memberships})
