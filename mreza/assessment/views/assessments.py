from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.accounts.models import User
from mreza.assessment import services
from mreza.assessment.forms import AddMemberForm, StartAssessmentForm
from mreza.assessment.models import Assessment, Consensus, GroupMember
from mreza.assessment.views import assessment_for
from mreza.core.access import Perm, assessments_visible_to, get_or_deny, may
from mreza.registry.models import Municipality


@login_required
def assessment_list(request):
    assessments = assessments_visible_to(
        request.user, Assessment.objects.select_related("framework", "municipality")
    ).order_by("-period_end", "-id")
    return render(request, "assessment/list.html", {"assessments": assessments})


@login_required
@require_http_methods(["GET", "POST"])
def start(request, code):
    municipality = get_or_deny(request.user, Perm.CHANGE, Municipality.objects.all(), code=code)
    form = StartAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.start_assessment(
                municipality=municipality, user=request.user, **form.cleaned_data
            )
        except services.AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The assessment is started. Now name the self-assessment group.")
            )
            return redirect("assessment:group", pk=assessment.pk)
    return render(request, "assessment/start.html", {"form": form, "municipality": municipality})


@login_required
def overview(request, pk):
    assessment = assessment_for(request, pk)
    can_manage = may(request.user, Perm.MANAGE, assessment)
    members = (
        assessment.members.select_related("user")
        .annotate(
            answered=Count(
                "user__assessment_entries",
                filter=Q(user__assessment_entries__assessment=assessment)
                & (
                    Q(user__assessment_entries__dont_know=True)
                    | Q(user__assessment_entries__score__isnull=False)
                ),
            )
        )
        .order_by("role", "user__full_name")
    )
    # the subcriteria assessed and those agreed so far: one query
    counts = services.subcriteria_queryset(assessment).aggregate(
        total=Count("pk"),
        agreed=Count(
            "pk",
            filter=Exists(
                Consensus.objects.filter(
                    assessment=assessment, subcriterion=OuterRef("pk"), score__isnull=False
                )
            ),
        ),
    )
    return render(
        request,
        "assessment/overview.html",
        {
            "assessment": assessment,
            "members": members,
            "can_manage": can_manage,
            "total": counts["total"],
            "can_accept": may(request.user, Perm.ACCEPT, assessment),
            "can_score": may(request.user, Perm.SCORE, assessment),
            "can_edit_plan": may(request.user, Perm.EDIT_PLAN, assessment),
            "can_edit_profile": may(request.user, Perm.EDIT_PROFILE, assessment),
            "consensus_count": counts["agreed"],
            "scope_codes": ", ".join(assessment.scope),
            "can_view_baseline": assessment.baseline_id
            and may(request.user, Perm.VIEW, assessment.baseline),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group(request, pk):
    assessment = assessment_for(request, pk, Perm.MANAGE)
    existing = assessment.members.values_list("user_id", flat=True)
    candidates = (
        User.objects.filter(municipal_roles__municipality_id=assessment.municipality_id)
        .exclude(pk__in=existing)
        .distinct()
        .order_by("full_name")
    )
    form = AddMemberForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(assessment, form.cleaned_data["user"], form.cleaned_data["role"])
        except services.AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Added to the group."))
        return redirect("assessment:group", pk=pk)
    members = assessment.members.select_related("user").order_by("role", "user__full_name")
    return render(
        request,
        "assessment/group.html",
        {
            "assessment": assessment,
            "members": members,
            "form": form,
            "too_big": len(members) > services.RECOMMENDED_GROUP_SIZE,
            "recommended": services.RECOMMENDED_GROUP_SIZE,
            "maximum": services.MAX_GROUP_SIZE,
        },
    )


@login_required
@require_POST
def remove_member(request, pk, member_pk):
    assessment = assessment_for(request, pk, Perm.MANAGE)
    member = get_object_or_404(GroupMember, pk=member_pk, assessment=assessment)
    try:
        services.remove_member(assessment, member)
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Removed from the group."))
    return redirect("assessment:group", pk=pk)


@login_required
@require_POST
def transition(request, pk, action):
    """Submit my scores, start consensus, close, accept: one button each, each
    permission-checked."""
    needed = {
        "submit": Perm.SCORE,
        "start_consensus": Perm.MANAGE,
        "close": Perm.MANAGE,
        "accept": Perm.ACCEPT,
    }
    if action not in needed:
        return redirect("assessment:overview", pk=pk)
    assessment = assessment_for(request, pk, needed[action])
    done = {
        "submit": _("Your scores are submitted. Thank you."),
        "start_consensus": _("Consensus has started. The divergence view shows where to begin."),
        "close": _("The assessment is closed; the report is ready."),
        "accept": _("The report is accepted."),
    }
    try:
        if action == "submit":
            services.submit(assessment, request.user)
        elif action == "start_consensus":
            services.start_consensus(assessment)
        elif action == "close":
            services.close(assessment)
        else:
            services.accept(assessment, request.user)
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done[action])
    return redirect("assessment:overview", pk=pk)
