"""Learning between members: the exchange page of a workspace (visits, staff exchanges and
internships, mentoring, transferred practices; for a twinning its agreement), their forms, and
the creation of a twinning."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mreza.core.access import Perm, get_or_deny, managed_municipalities, may, workspace_member_ids
from mreza.core.conflicts import CONFLICT, stale_form
from mreza.core.templatetags.mreza import script
from mreza.core.versioning import EditConflict
from mreza.progress.forms.exchange import (
    MentoringPairForm,
    MentoringSessionForm,
    StaffExchangeForm,
    TransferredPracticeForm,
    TwinningAgreementForm,
    TwinningForm,
    VisitForm,
)
from mreza.progress.forms.partners import partner_search
from mreza.progress.models import (
    MentoringPair,
    MentoringSession,
    StaffExchange,
    TransferredPractice,
    TwinningAgreement,
    Visit,
    Workspace,
    WorkspaceMember,
)
from mreza.progress.services import exchange as services
from mreza.progress.views.common import render_workspace, workspace_view
from mreza.registry.models import Municipality

FORM_TEMPLATE = "progress/exchange/form.html"


@workspace_view(Perm.VIEW)
def exchange(request, workspace):
    members = WorkspaceMember.objects.select_related("municipality")
    visits = workspace.visits.select_related("host__municipality").prefetch_related(
        Prefetch("visitors", queryset=members.order_by("id"))
    )
    staff_exchanges = workspace.staff_exchanges.select_related(
        "home__municipality", "host__municipality"
    )
    pairs = workspace.mentoring_pairs.select_related(
        "mentor_member__municipality", "mentee_member__municipality"
    ).prefetch_related("sessions")
    practices = workspace.transferred_practices.select_related(
        "source__municipality", "adopter__municipality"
    )
    staff_exchanges = list(staff_exchanges.order_by("-starts_on", "-id"))
    for row in staff_exchanges:
        row.days = (row.ends_on - row.starts_on).days + 1  # how long, both days counted
    context = {
        "visits": visits.order_by("-starts_on", "-id"),
        "staff_exchanges": staff_exchanges,
        "pairs": pairs.order_by("-starts_on", "-id"),
        "practices": practices.order_by("-adopted_on", "-id"),
        "twinning_for": _twinning_municipalities(request.user, workspace),
    }
    if workspace.kind == Workspace.Kind.TWINNING:
        context["agreement"] = TwinningAgreement.objects.filter(workspace=workspace).first()
        context["partners"] = workspace.members.select_related("municipality").order_by("id")
    return render_workspace(
        request, "progress/exchange/exchange.html", workspace, "exchange", context
    )


def _twinning_municipalities(user, workspace):
    """The municipalities (of this workspace, or managed by the user) for which the user may start
    a twinning: the "new twinning" links."""
    if not user.is_authenticated:
        return []
    candidates = {*managed_municipalities(user), *workspace_member_ids(workspace)}
    places = Municipality.objects.filter(pk__in=candidates).order_by("name")
    return [m for m in places if may(user, Perm.CREATE_TWINNING, m)]


def _back(workspace, section):
    return redirect(reverse("progress:exchange", args=[workspace.pk]) + f"#{section}")


def _row_page(request, workspace, row, form_class, save, *, section, heading, intro=""):
    """The form of a new or an edited row; a stale edit gets the form again with the user's text
    and status 409."""
    form = form_class(request.POST or None, instance=row, workspace=workspace)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            save(workspace, form)
        except EditConflict:
            current = type(row).objects.get(pk=row.pk)
            form = stale_form(
                request,
                lambda data: form_class(data, instance=current, workspace=workspace),
                current,
            )
            status = CONFLICT
        else:
            messages.success(request, _("Saved."))
            return _back(workspace, section)
    context = {"form": form, "heading": heading, "intro": intro, "section": section, "row": row}
    return render_workspace(request, FORM_TEMPLATE, workspace, "exchange", context, status=status)


def _save_visit(workspace, form):
    services.save_visit(
        workspace, form.instance, form.cleaned_data["visitors"], form.started_from()
    )


@workspace_view(Perm.CONTRIBUTE)
def visit_form(request, workspace, item=None):
    visit = get_object_or_404(workspace.visits, pk=item) if item else Visit(workspace=workspace)
    heading = _("Edit the visit") if item else _("Record a visit")
    return _row_page(
        request, workspace, visit, VisitForm, _save_visit, section="visits", heading=heading
    )


@workspace_view(Perm.CONTRIBUTE)
def staff_exchange_form(request, workspace, item=None):
    row = (
        get_object_or_404(workspace.staff_exchanges, pk=item)
        if item
        else StaffExchange(workspace=workspace)
    )
    heading = _("Edit the exchange") if item else _("Record a staff exchange or an internship")
    return _row_page(
        request,
        workspace,
        row,
        StaffExchangeForm,
        lambda ws, form: services.save_staff_exchange(ws, form.instance, form.started_from()),
        section="exchanges",
        heading=heading,
    )


@workspace_view(Perm.CONTRIBUTE)
def mentoring_form(request, workspace, item=None):
    row = (
        get_object_or_404(workspace.mentoring_pairs, pk=item)
        if item
        else MentoringPair(workspace=workspace)
    )
    heading = _("Edit the mentoring pair") if item else _("Add a mentoring pair")
    return _row_page(
        request,
        workspace,
        row,
        MentoringPairForm,
        lambda ws, form: services.save_mentoring_pair(ws, form.instance, form.started_from()),
        section="mentoring",
        heading=heading,
    )


@workspace_view(Perm.CONTRIBUTE)
def mentoring_session_form(request, workspace, item, session=None):
    """A new or an edited meeting of a mentoring pair; a stale edit gets the form again with the
    user's text and status 409."""
    pair = get_object_or_404(workspace.mentoring_pairs, pk=item)
    row = get_object_or_404(pair.sessions, pk=session) if session else MentoringSession(pair=pair)
    form = MentoringSessionForm(request.POST or None, instance=row, pair=pair)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mentoring_session(pair, form.instance, form.started_from())
        except EditConflict:
            current = MentoringSession.objects.get(pk=row.pk)
            form = stale_form(
                request,
                lambda data: MentoringSessionForm(data, instance=current, pair=pair),
                current,
            )
            status = CONFLICT
        else:
            messages.success(request, _("Saved."))
            return _back(workspace, f"pair-{pair.pk}")
    context = {
        "form": form,
        "heading": _("Edit the mentoring meeting") if session else _("Record a mentoring meeting"),
        "intro": f"{pair.mentor_name} → {pair.mentee_name}: {pair.topic}",
        "section": f"pair-{pair.pk}",
    }
    return render_workspace(request, FORM_TEMPLATE, workspace, "exchange", context, status=status)


@workspace_view(Perm.CONTRIBUTE)
def transfer_form(request, workspace, item=None):
    row = (
        get_object_or_404(workspace.transferred_practices, pk=item)
        if item
        else TransferredPractice(workspace=workspace)
    )
    heading = _("Edit the transferred practice") if item else _("Record a transferred practice")
    return _row_page(
        request,
        workspace,
        row,
        TransferredPracticeForm,
        lambda ws, form: services.save_transferred_practice(ws, form.instance, form.started_from()),
        section="practices",
        heading=heading,
        intro=_(
            "This record will be offered to the practice library, so that other municipalities "
            "can learn what was taken over, from whom, and with what result."
        ),
    )


def _twinning_of(request, code):
    return get_or_deny(
        request.user,
        Perm.CREATE_TWINNING,
        Municipality.objects.select_related("country"),
        code=code,
    )


@login_required
@require_http_methods(["GET", "POST"])
def twinning_new(request, code):
    """A new twinning of the municipality with this registry code, with its agreement; the
    partner may come prefilled (`?partner=<code>`, the link on the partner's profile)."""
    municipality = _twinning_of(request, code)
    if request.method == "POST":
        form = TwinningForm(request.POST, municipality=municipality)
        if form.is_valid():
            workspace = services.create_twinning(
                municipality, request.user, form.agreement_values(), **form.twinning_values()
            )
            messages.success(request, _("The twinning is recorded."))
            return redirect("progress:exchange", pk=workspace.pk)
        results = form.partner_results()
    else:
        form, results = _prefilled_twinning_form(municipality, request.GET.get("partner", ""))
    return render(
        request,
        "progress/exchange/twinning_new.html",
        {"form": form, "municipality": municipality, **results},
    )


def _prefilled_twinning_form(municipality, code):
    """The empty form, with the partner of `?partner=` chosen when it is another current
    municipality of the registry."""
    partner = (
        Municipality.objects.current()
        .exclude(pk=municipality.pk)
        .select_related("country")
        .filter(code=code)
        .first()
        if code
        else None
    )
    if partner is None:
        return TwinningForm(municipality=municipality), {}
    form = TwinningForm(
        municipality=municipality,
        initial={"partner": script(partner.name), "partner_pick": partner.code},
    )
    return form, {"results": [partner], "picked": partner.code}


@login_required
@require_http_methods(["GET"])
def twinning_partners(request, code):
    """The htmx fragment under the partner field: up to 20 registry municipalities matching what
    was typed, as radio buttons of the form."""
    municipality = _twinning_of(request, code)
    return render(
        request,
        "progress/exchange/_partner_results.html",
        partner_search(municipality, request.GET.get("partner", "")[:200]),
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
def twinning_edit(request, workspace):
    """The twinning's agreement: dates, signatories, work plan (versioned)."""
    if workspace.kind != Workspace.Kind.TWINNING:
        raise Http404
    agreement = TwinningAgreement.objects.filter(workspace=workspace).first() or TwinningAgreement(
        workspace=workspace
    )
    form = TwinningAgreementForm(request.POST or None, instance=agreement)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_agreement(workspace, form.agreement_values(), form.started_from())
        except EditConflict:
            current = TwinningAgreement.objects.get(workspace=workspace)
            form = stale_form(
                request, lambda data: TwinningAgreementForm(data, instance=current), current
            )
            status = CONFLICT
        else:
            messages.success(request, _("Saved."))
            return _back(workspace, "agreement")
    context = {
        "form": form,
        "heading": _("The twinning agreement"),
        "section": "agreement",
    }
    return render_workspace(request, FORM_TEMPLATE, workspace, "exchange", context, status=status)
