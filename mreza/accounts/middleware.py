from django.conf import settings
from django.shortcuts import redirect

from mreza.core.access import roles_of

# Pages a user without TOTP may still reach: setting it up, leaving, switching language.
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/invitations/")


class RequireMFAMiddleware:
    """Administrators and coordinators must set up TOTP before doing anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.MREZA_MFA_REQUIRED
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.session.get("mreza_mfa_ok")
            and roles_of(user).needs_mfa
        ):
            from allauth.mfa.models import Authenticator

            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session["mreza_mfa_ok"] = True
            else:
                return redirect("mfa_activate_totp")
        return self.get_response(request)
