from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mreza.accounts.forms import (
    AcceptInvitationForm,
    AccountSettingsForm,
    InvitationForm,
    municipal_role_choices,
    organisation_role_choices,
)
from mreza.accounts.models import Invitation, OrganisationRole, User
from mreza.core.access import Perm, get_or_deny, may, roles_of
from mreza.registry.models import Municipality, Organisation


def _send_invitation(request, invitation):
    link = request.build_absolute_uri(reverse("accounts:accept", args=[invitation.token]))
    context = {"invitation": invitation, "link": link, "inviter": request.user}
    send_mail(
        _("You are invited to Mreža"),
        render_to_string("accounts/invitation_email.txt", context),
        None,
        [invitation.email],
    )


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
        _send_invitation(request, invitation)
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
        "accounts/organisation.html",
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
    choices = organisation_role_choices(include_admin=roles_of(request.user).is_admin)
    form = InvitationForm(request.POST or None, roles=choices)
    if request.method == "POST" and form.is_valid():
        invitation = Invitation.objects.create(
            organisation=organisation, invited_by=request.user, **form.cleaned_data
        )
        _send_invitation(request, invitation)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:organisation", code=organisation.code)
    return render(
        request,
        "accounts/invite.html",
        {
            "form": form,
            "place": organisation,
            "back": reverse("accounts:organisation", args=[code]),
        },
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("municipality", "organisation"), token=token
    )
    if not invitation.is_open:
        raise Http404
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing:
        if not request.user.is_authenticated:
            messages.info(
                request,
                _("Sign in as %(email)s to accept the invitation.") % {"email": invitation.email},
            )
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if request.user.pk != existing.pk:
            messages.error(request, _("This invitation was sent to another e-mail address."))
            return redirect("dashboard")
        if request.method == "POST":
            invitation.accept(request.user)
            messages.success(
                request,
                _("You have joined %(place)s.")
                % {"place": invitation.municipality or invitation.organisation},
            )
            return redirect("dashboard")
        return render(request, "accounts/accept.html", {"invitation": invitation, "form": None})

    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = User.objects.create_user(
                invitation.email,
                form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                language=translation.get_language() or "",
            )
            invitation.accept(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Mreža."))
        return redirect("dashboard")
    return render(request, "accounts/accept.html", {"invitation": invitation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        response = redirect("accounts:settings")
        if request.user.language:
            from django.conf import settings

            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                request.user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        return response
    return render(request, "accounts/settings.html", {"form": form})
