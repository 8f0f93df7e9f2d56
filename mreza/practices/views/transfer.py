"""Transfers: the author's municipality offers help to adopt a published practice, another
municipality asks for it (a step-2 partnership for the coordinator to confirm), adoptions are
recorded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mreza.core.access import Perm, get_or_deny, managed_municipalities, may
from mreza.core.conflicts import conflict_response, stale_form
from mreza.core.versioning import EditConflict
from mreza.practices.forms.steps import OfferForm, ReplicationForm, RequestForm
from mreza.practices.models import Practice, TransferOffer, TransferRequest
from mreza.practices.services import PracticeError
from mreza.practices.services import transfer as services
from mreza.registry.models import Municipality


def _practice(request, pk, perm):
    return get_or_deny(
        request.user, perm, Practice.objects.select_related("municipality", "network"), pk=pk
    )


def _offer_of(practice):
    return TransferOffer.objects.filter(practice=practice).first()


@login_required
@require_http_methods(["GET", "POST"])
def offer(request, pk):
    practice = _practice(request, pk, Perm.OFFER_TRANSFER)
    current = _offer_of(practice)
    initial = (
        {"description": current.description, "is_open": current.is_open, "version": current.version}
        if current
        else {"is_open": True}
    )
    form = OfferForm(request.POST or None, initial=initial)
    template, status = "practices/offer.html", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_offer(
                    practice,
                    request.user,
                    description=data["description"],
                    is_open=data["is_open"],
                    version=data["version"] if current else None,
                )
            except EditConflict:
                fresh = _offer_of(practice)
                form = stale_form(request, OfferForm, fresh)
                return conflict_response(
                    request, template, {"practice": practice, "form": form, "offer": fresh}
                )
            except PracticeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved: the offer is shown on the practice's page."))
                return redirect("practices:detail", pk=practice.pk)
    requests = (
        current.requests.select_related("municipality", "partnership", "requested_by")
        if current
        else []
    )
    if current:
        services.sync_requests(practice)
    context = {"practice": practice, "form": form, "offer": current, "requests": requests}
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def request_transfer(request, pk):
    practice = _practice(request, pk, Perm.REQUEST_TRANSFER)
    municipalities = Municipality.objects.filter(
        pk__in=managed_municipalities(request.user)
    ).exclude(pk=practice.municipality_id)
    form = RequestForm(request.POST or None, municipalities=municipalities)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.request_transfer(
                    practice,
                    request.user,
                    form.cleaned_data["municipality"],
                    form.cleaned_data["message"],
                    request=request,
                )
            except PracticeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Your request is sent. The network coordinator confirms the partnership; "
                        "you find it under your networks."
                    ),
                )
                return redirect("practices:detail", pk=practice.pk)
    return render(
        request,
        "practices/request.html",
        {"practice": practice, "form": form, "offer": _offer_of(practice)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def replication(request, pk):
    practice = _practice(request, pk, Perm.RECORD_REPLICATION)
    user = request.user
    services.sync_requests(practice)
    # the practice's own municipality names any adopter; an adopter names itself
    may_name_any = may(user, Perm.OFFER_TRANSFER, practice)
    requesting = TransferRequest.objects.filter(offer__practice=practice).values("municipality_id")
    choices = Municipality.objects.filter(pk__in=managed_municipalities(user)).exclude(
        pk=practice.municipality_id
    )
    if may_name_any:
        choices = choices | Municipality.objects.filter(pk__in=requesting)
    else:
        choices = choices.filter(pk__in=requesting)
    form = ReplicationForm(
        request.POST or None, municipalities=choices.order_by("name"), may_name_any=may_name_any
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_replication(
                    practice, user, data["municipality"], data["year"], data["note"]
                )
            except PracticeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The adoption is recorded on the practice's page."))
                return redirect("practices:detail", pk=practice.pk)
    return render(
        request,
        "practices/replication.html",
        {"practice": practice, "form": form, "replications": practice.replications.all()},
        status=status,
    )
