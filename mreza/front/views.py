"""Pages that gather several apps (healthchecks' hc/front is the model): the home page and the
dashboard. Every access question goes to core.access; these views only collect what it allows."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from mreza.accounts.middleware import has_totp
from mreza.accounts.models import Invitation, MunicipalRole, OrganisationRole
from mreza.assessment.models import Assessment, GroupMember
from mreza.core.access import (
    Perm,
    assessments_led_by,
    audit_entries_visible_to,
    coordinated_municipalities,
    managed_municipalities,
    may,
    may_follow_changes,
    municipalities_to_accept_for,
    roles_of,
)
from mreza.core.models import AuditEntry
from mreza.front.progress_panel import dashboard_context
from mreza.networks.models import NetworkMembership, Partnership, Response
from mreza.registry import choices
from mreza.registry.models import Municipality
from mreza.registry.pagecache import public_page


@public_page(choices.MUNICIPALITIES)
def home(request):
    # The count follows every change to the registry (registry.choices bumps its version).
    count = choices.cached(choices.MUNICIPALITIES, "count", Municipality.objects.count)
    return render(request, "front/home.html", {"municipality_count": count})


@login_required
def dashboard(request):
    """What is waiting for me, by role."""
    user = request.user
    roles = roles_of(user)
    my_municipal = MunicipalRole.objects.filter(user=user).select_related(
        "municipality", "municipality__region"
    )
    my_organisation = OrganisationRole.objects.filter(user=user).select_related("organisation")
    coordinated_ids = coordinated_municipalities(user)
    pending_invitations = (
        Invitation.objects.filter(
            municipality_id__in=coordinated_ids, accepted_at__isnull=True
        ).select_related("municipality")
        if coordinated_ids
        else []
    )
    recent_changes = (
        audit_entries_visible_to(user, AuditEntry.objects.select_related("actor", "content_type"))[
            :10
        ]
        if may_follow_changes(user)
        else []
    )
    network_municipalities = (
        Municipality.objects.filter(pk__in=roles.coordinated_municipality_ids)
        .select_related("region")
        .order_by("name")[:50]
        if roles.coordinated_municipality_ids
        else []
    )
    my_scoring = GroupMember.objects.filter(
        user=user, submitted_at__isnull=True, assessment__status=Assessment.Status.SCORING
    ).select_related("assessment", "assessment__municipality")
    managed = managed_municipalities(user)
    to_accept = Assessment.objects.filter(
        municipality_id__in=municipalities_to_accept_for(user),
        status=Assessment.Status.CLOSED,
    )
    in_consensus = assessments_led_by(
        user, Assessment.objects.filter(status=Assessment.Status.CONSENSUS)
    ).select_related("municipality")

    needs_mfa_setup = roles.needs_mfa and not has_totp(user, request)
    is_admin = may(user, Perm.ADMINISTER)
    open_invitations = _open_invitations(managed) if managed else 0
    return render(
        request,
        "front/dashboard.html",
        {
            "open_invitations": open_invitations,
            "my_scoring": my_scoring,
            "to_accept": to_accept,
            "in_consensus": in_consensus,
            "my_municipal": my_municipal,
            "my_organisation": my_organisation,
            "pending_invitations": pending_invitations,
            "recent_changes": recent_changes,
            "network_municipalities": network_municipalities,
            "network_municipality_count": len(roles.coordinated_municipality_ids),
            "needs_mfa_setup": needs_mfa_setup,
            "is_admin": is_admin,
            "registry_count": Municipality.objects.count() if is_admin else None,
            **dashboard_context(user),  # the "my networks" panel
        },
    )


def _open_invitations(managed):
    """Network and partnership invitations of the managed municipalities still unanswered (a
    partnership between two of them counts once per side, as each side answers)."""
    invited = Response.INVITED
    learner = Q(learner_id__in=managed, learner_status=invited)
    mentor = Q(mentor_id__in=managed, mentor_status=invited)
    # both sides of the partnerships in one query
    sides = Partnership.objects.filter(learner | mentor).aggregate(
        learner=Count("pk", filter=learner), mentor=Count("pk", filter=mentor)
    )
    networks = NetworkMembership.objects.filter(municipality_id__in=managed, status=invited)
    return sides["learner"] + sides["mentor"] + networks.count()
