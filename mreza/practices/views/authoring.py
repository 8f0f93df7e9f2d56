"""Writing a practice: "My practices", a new draft (from a municipality, or from a twinning's
transferred practice), the one-page form with its results and files, submission, the revision of
a practice that was not accepted, the published revisions and the published criteria. State
changes go through services; access through the policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.core.access import Perm, get_or_deny, may, practices_visible_to, require, roles_of
from mreza.core.conflicts import conflict_response, stale_form
from mreza.core.versioning import EditConflict
from mreza.practices.forms.practice import PracticeForm, figure_formset
from mreza.practices.models import Practice
from mreza.practices.services import PracticeError, drafting, workflow
from mreza.practices.views.panel import workflow_panel
from mreza.progress.models import TransferredPractice
from mreza.registry.models import Municipality

EDIT_TEMPLATE = "practices/edit.html"


def _changes(form, figures):
    data = form.cleaned_data
    return drafting.Changes(
        values=form.values(),
        areas=[int(pk) for pk in data.get("areas") or []],
        figures=figures.rows(),
        photos=data.get("photos") or [],
        documents=data.get("documents") or [],
        remove=data.get("remove") or [],
    )


def _page(request, form, figures, municipality, practice=None, status=200, **extra):
    context = {
        "form": form,
        "figures": figures,
        "municipality": municipality,
        "practice": practice,
        "missing": drafting.missing(practice) if practice and practice.pk else [],
        **extra,
    }
    if practice is not None and practice.pk:
        context.update(workflow_panel(request, practice))
        context["attachments"] = list(practice.attachments.all())
    return render(request, EDIT_TEMPLATE, context, status=status)


@login_required
def mine(request):
    """The practices of the user's municipalities (and their own), and where to start one."""
    user = request.user
    municipalities = [
        m
        for m in Municipality.objects.filter(pk__in=list(roles_of(user).municipal)).order_by("name")
        if may(user, Perm.SUBMIT_PRACTICE, m)
    ]
    practices = (
        practices_visible_to(
            user,
            Practice.objects.filter(
                Q(municipality__in=[m.pk for m in municipalities]) | Q(created_by=user)
            ),
        )
        .select_related("municipality")
        .annotate(figure_count=Count("figures"))
        .order_by("-updated_at", "id")
    )
    return render(
        request,
        "practices/mine.html",
        {"practices": practices, "municipalities": municipalities},
    )


def _create(request, municipality, template_extra, initial=None, transferred=None):
    form = PracticeForm(
        request.POST or None,
        request.FILES or None,
        instance=Practice(municipality=municipality),
        municipality=municipality,
        user=request.user,
        initial=initial,
    )
    figures = figure_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and figures.is_valid():
        try:
            practice = drafting.create_practice(
                municipality,
                request.user,
                _changes(form, figures),
                transferred_practice=transferred,
            )
        except PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Saved as a draft. Only your municipality's people see it until it is "
                    "published."
                ),
            )
            return redirect("practices:edit", pk=practice.pk)
    bad = request.method == "POST"
    return _page(request, form, figures, municipality, status=400 if bad else 200, **template_extra)


@login_required
@require_http_methods(["GET", "POST"])
def practice_new(request, code):
    municipality = get_or_deny(
        request.user, Perm.SUBMIT_PRACTICE, Municipality.objects.all(), code=code
    )
    return _create(request, municipality, {})


@login_required
@require_http_methods(["GET", "POST"])
def from_transfer(request, pk):
    """A draft pre-filled from a twinning's transferred practice, for the municipality that took
    it over."""
    transferred = get_or_deny(
        request.user,
        Perm.VIEW,
        TransferredPractice.objects.select_related("adopter__municipality", "workspace"),
        pk=pk,
    )
    municipality = transferred.adopter.municipality
    if municipality is None:  # a partner abroad is not in the registry
        raise Http404
    require(request.user, Perm.SUBMIT_PRACTICE, municipality)
    return _create(
        request,
        municipality,
        {"transferred": transferred},
        initial=drafting.draft_from_transfer(transferred),
        transferred=transferred,
    )


def _editable(request, pk):
    return get_or_deny(
        request.user,
        Perm.EDIT_PRACTICE,
        Practice.objects.select_related("municipality", "transfer_offer"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request, pk):
    practice = _editable(request, pk)
    if practice.status == Practice.Status.REJECTED:
        # its page has the rejection's comment and the button that takes it back to a draft
        messages.info(request, str(drafting.REVISE_FIRST))
        return redirect("practices:detail", pk=practice.pk)
    municipality, user = practice.municipality, request.user
    form = PracticeForm(
        request.POST or None,
        request.FILES or None,
        instance=practice,
        municipality=municipality,
        user=user,
    )
    figures = figure_formset(request.POST or None, practice)
    if request.method != "POST":
        return _page(request, form, figures, municipality, practice)
    if form.is_valid() and figures.is_valid():
        version = form.cleaned_data["version"] or 0
        try:
            drafting.save_practice(
                practice,
                user,
                _changes(form, figures),
                version,
                note=form.cleaned_data.get("note") or "",
                request=request,
            )
        except EditConflict:
            fresh = _editable(request, pk)
            form = stale_form(
                request,
                lambda data: PracticeForm(
                    data, instance=fresh, municipality=municipality, user=user
                ),
                fresh,
            )
            context = {"form": form, "figures": figures, "practice": fresh}
            context.update(municipality=municipality, missing=[], **workflow_panel(request, fresh))
            return conflict_response(request, EDIT_TEMPLATE, context)
        except PracticeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("practices:edit", pk=practice.pk)
    practice = _editable(request, pk)  # the form kept the input; the panel shows the stored state
    return _page(request, form, figures, municipality, practice, status=400)


@login_required
@require_POST
def practice_submit(request, pk):
    practice = _editable(request, pk)
    try:
        workflow.submit(practice, request.user, request)
    except PracticeError as error:
        messages.error(request, str(error))
        return redirect("practices:edit", pk=practice.pk)
    messages.success(
        request, _("Submitted. The network coordinator reviews it; you are told of each step.")
    )
    return redirect("practices:detail", pk=practice.pk)


@login_required
@require_POST
def practice_revise(request, pk):
    """A practice that was not accepted goes back to a draft: changed and submitted again, it is
    reviewed anew."""
    practice = _editable(request, pk)
    try:
        workflow.revise(practice, request.user, request)
    except PracticeError as error:
        messages.error(request, str(error))
        return redirect("practices:detail", pk=practice.pk)
    messages.success(
        request,
        _(
            "Back to a draft: change it and submit it again. Why it was not accepted stays in "
            "its steps."
        ),
    )
    return redirect("practices:edit", pk=practice.pk)


def _visible(request, pk):
    """The practice, or 404; an anonymous reader of one not public is asked to sign in first."""
    practice = get_object_or_404(Practice.objects.select_related("municipality"), pk=pk)
    if may(request.user, Perm.VIEW, practice):
        return practice
    if request.user.is_authenticated:
        raise Http404
    return None


def practice_history(request, pk):
    """The published revisions of a practice, newest first, with what changed."""
    practice = _visible(request, pk)
    if practice is None:
        return redirect_to_login(request.get_full_path())
    revisions = practice.revisions.select_related("published_by").order_by("-number")
    return render(request, "practices/history.html", {"practice": practice, "revisions": revisions})


def practice_revision(request, pk, number):
    practice = _visible(request, pk)
    if practice is None:
        return redirect_to_login(request.get_full_path())
    revision = practice.revisions.filter(number=number).first()
    if revision is None:
        raise Http404
    return render(request, "practices/revision.html", {"practice": practice, "revision": revision})


def criteria(request):
    """The published criteria an expert validates a practice against (public)."""
    return render(request, "practices/criteria.html", {"criteria": workflow.CRITERIA})
