from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from mreza.core.access import (
    audit_entries_visible_to,
    managed_municipalities,
    require_admin,
    roles_of,
)
from mreza.core.models import AuditEntry
from mreza.registry.models import Country, Municipality


def home(request):
    stats = {c.code: c for c in Country.objects.all()}
    return render(
        request,
        "core/home.html",
        {
            "municipality_count": Municipality.objects.count(),
            "countries": stats.values(),
        },
    )


@login_required
def dashboard(request):
    """What is waiting for me, by role."""
    from mreza.accounts.models import Invitation, MunicipalRole, OrganisationRole

    user = request.user
    roles = roles_of(user)
    my_municipal = MunicipalRole.objects.filter(user=user).select_related(
        "municipality", "municipality__region"
    )
    my_organisation = OrganisationRole.objects.filter(user=user).select_related("organisation")
    coordinated_ids = [m for m, r in roles.municipal.items() if "coordinator" in r]
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
        if (coordinated_ids or roles.is_admin)
        else []
    )
    network_municipalities = (
        Municipality.objects.filter(pk__in=roles.coordinated_municipality_ids)
        .select_related("region")
        .order_by("name")[:50]
        if roles.coordinated_municipality_ids
        else []
    )
    from allauth.mfa.models import Authenticator

    from mreza.assessment.models import Assessment, GroupMember

    my_scoring = GroupMember.objects.filter(
        user=user, submitted_at__isnull=True, assessment__status="scoring"
    ).select_related("assessment", "assessment__municipality")
    managed = managed_municipalities(user)
    to_accept = Assessment.objects.filter(
        municipality_id__in=[m for m, r in roles.municipal.items() if "management" in r],
        status="closed",
    )
    in_consensus = (
        Assessment.objects.filter(status="consensus")
        .filter(
            Q(municipality_id__in=managed)
            | Q(members__user=user, members__role__in=["leader", "administrator"])
        )
        .distinct()
        .select_related("municipality")
    )

    needs_mfa_setup = (
        roles.needs_mfa
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )
    from mreza.networks.models import NetworkMembership, Partnership

    open_invitations = (
        (
            NetworkMembership.objects.filter(municipality_id__in=managed, status="invited").count()
            + Partnership.objects.filter(learner_id__in=managed, learner_status="invited").count()
            + Partnership.objects.filter(mentor_id__in=managed, mentor_status="invited").count()
        )
        if managed
        else 0
    )
    return render(
        request,
        "core/dashboard.html",
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
            "is_admin": roles.is_admin,
            "registry_count": Municipality.objects.count() if roles.is_admin else None,
        },
    )


@login_required
def audit_log(request):
    require_admin(request.user)
    # administrators too see an assessor's scores only once they are submitted (the access policy)
    entries = audit_entries_visible_to(request.user, AuditEntry.objects.all()).select_related(
        "actor", "content_type"
    )
    kind = request.GET.get("kind")
    if kind:
        entries = entries.filter(content_type__model=kind)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})


@require_POST
def set_language(request):
    """Switch the UI language; remembered in a cookie and, when signed in, on the account."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language and check_for_language(language) and language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response
