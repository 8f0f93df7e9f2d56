"""The people of a municipality or an organisation: the organisation page and the invitations.

They live in the registry (above accounts in the layering): they need the registry's places and
the accounts' invitations, and accounts never imports the registry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mreza.accounts.forms import InvitationForm, municipal_role_choices, organisation_role_choices
from mreza.accounts.models import Invitation, OrganisationRole
from mreza.accounts.services import send_invitation
from mreza.core.access import Perm, get_or_deny, may
from mreza.registry.models import Municipality, Organisation


@login_required
@require_http_methods(["GET", "POST"])
def invite_to_municipality(request, code):
    municipality = get_or_deny(
        request.user, Perm.MANAGE_PEOPLE, Municipality.objects.all(), code=code
    )
    form = InvitationForm(request.POST or None, roles=municipal_role_choices())
    if request.method == "POST" and form.is_valid():
        invitation = Invitation.objects.create(
            municipality=municipality, invited_by=request.user, **form.cleaned_data
        )
        send_invitation(request, invitation)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("registry:people", code=municipality.code)
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "place": municipality, "back": reverse("registry:people", args=[code])},
    )


@login_required
def organisation_detail(request, code):
    organisation = get_or_deny(
        request.user, Perm.VIEW_PEOPLE, Organisation.objects.all(), code=code
    )
    roles = OrganisationRole.objects.filter(organisation=organisation).select_related("user")
    members = organisation.member_municipalities.select_related("region").order_by("name")
    can_manage = may(request.user, Perm.MANAGE_PEOPLE, organisation)
    return render(
        request,
        "registry/organisation.html",
        {
            "organisation": organisation,
            "roles": roles,
            "members": members,
            "can_manage": can_manage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite_to_organisation(request, code):
    organisation = get_or_deny(
        request.user, Perm.MANAGE_PEOPLE, Organisation.objects.all(), code=code
    )
    choices = organisation_role_choices(
        include_admin=may(request.user, Perm.GRANT_ADMIN, organisation)
    )
    form = InvitationForm(request.POST or None, roles=choices)
    if request.method == "POST" and form.is_valid():
        invitation = Invitation.objects.create(
            organisation=organisation, invited_by=request.user, **form.cleaned_data
        )
        send_invitation(request, invitation)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("organisations:detail", code=organisation.code)
    return render(
        request,
        "accounts/invite.html",
        {
            "form": form,
            "place": organisation,
            "back": reverse("organisations:detail", args=[code]),
        },
    )
