"""The reviewers' side: the queue of what waits for this user, the network coordinator's review,
the expert's validation against the criteria, and withdrawal of a published practice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mreza.core.access import Perm, get_or_deny, practices_to_review
from mreza.practices.forms.steps import ReviewForm, ValidateForm, WithdrawForm
from mreza.practices.models import Practice
from mreza.practices.services import PracticeError, drafting, workflow
from mreza.practices.views.panel import workflow_panel

Status = Practice.Status


@login_required
def queue(request):
    """What waits for me: submitted practices to review, reviewed ones to validate."""
    waiting = list(
        practices_to_review(request.user, Practice.objects.all())
        .select_related("municipality", "network", "created_by")
        .annotate(figure_count=Count("figures"))
        .order_by("submitted_at", "id")
    )
    to_review = [p for p in waiting if p.status == Status.SUBMITTED]
    to_validate = [p for p in waiting if p.status == Status.REVIEWED]
    return render(
        request,
        "practices/queue.html",
        {"to_review": to_review, "to_validate": to_validate},
    )


def _step_page(request, pk, perm, form_class, template, act, done="practices:detail"):
    """One decision page: the practice in brief, its panel, the form; `act(practice, data)` takes
    the step (PracticeError: shown with the form kept)."""
    practice = get_or_deny(
        request.user,
        perm,
        Practice.objects.select_related("municipality", "network"),
        pk=pk,
    )
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = act(practice, form)
            except PracticeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, message)
                return redirect(done, pk=practice.pk)
        status = 400
        practice.refresh_from_db()
    context = {
        "practice": practice,
        "form": form,
        "figures": list(practice.figures.all()),
        "missing": drafting.missing(practice),
        **workflow_panel(request, practice),
    }
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def practice_review(request, pk):
    def act(practice, form):
        passed = form.cleaned_data["decision"] == "pass"
        workflow.review(
            practice,
            request.user,
            passed=passed,
            comment=form.cleaned_data["comment"],
            request=request,
        )
        if passed:
            return _("Passed on to validation; the experts are told.")
        return _("Returned to the author with your comments.")

    return _step_page(request, pk, Perm.REVIEW_PRACTICE, ReviewForm, "practices/review.html", act)


@login_required
@require_http_methods(["GET", "POST"])
def practice_validate(request, pk):
    def act(practice, form):
        decision = form.cleaned_data["decision"]
        workflow.validate(
            practice,
            request.user,
            decision=decision,
            comment=form.cleaned_data["comment"],
            criteria=form.criteria(),
            request=request,
        )
        return {
            "publish": _("Validated: the practice is now public."),
            "return": _("Returned to the author with your comments."),
            "reject": _("Not accepted; the author is told why."),
        }[decision]

    return _step_page(
        request, pk, Perm.VALIDATE_PRACTICE, ValidateForm, "practices/validate.html", act
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_withdraw(request, pk):
    def act(practice, form):
        workflow.withdraw(practice, request.user, form.cleaned_data["reason"], request=request)
        return _("Withdrawn: the practice has left the public library.")

    return _step_page(
        request,
        pk,
        Perm.WITHDRAW_PRACTICE,
        WithdrawForm,
        "practices/withdraw.html",
        act,
        done="practices:history",
    )
