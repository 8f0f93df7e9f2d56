from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mreza.accounts.forms import AcceptInvitationForm, AccountSettingsForm
from mreza.accounts.models import Invitation, User


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
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                request.user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        return response
    return render(request, "accounts/settings.html", {"form": form})
