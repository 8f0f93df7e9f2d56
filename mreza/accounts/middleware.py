from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from mreza.core.access import roles_of

# Pages a user without TOTP may still reach: setting it up, leaving, switching language.
# /api/ signs in with tokens, never with the session, so the session's second factor is not asked
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/invitations/", "/api/")
# Pages a user who HAS TOTP but has not entered a code in this session may reach: only the code
# form itself and signing out. Everything else under /accounts/ (password change, e-mail, MFA
# settings) is a security page and needs the second factor too.
UNVERIFIED_ALLOWED_PREFIXES = (
    "/accounts/2fa/reauthenticate/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/api/",
)


def mfa_passed(request, user):
    """True when this session actually passed allauth's second-factor stage for this user.

    allauth records every authentication step of the session ("password", "mfa", ...) and ties
    the records to the user; an "mfa" record is written only when a TOTP or recovery code was
    entered (the login stage, the MFA re-authentication form) or, by our signal handler, when
    TOTP was just activated with a valid code. That an Authenticator row exists proves nothing.
    """
    from allauth.account.authentication import get_authentication_records

    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


# Session key of the cached answer to "has this user a TOTP authenticator" ([user id, answer]).
TOTP_SESSION_KEY = "mreza_has_totp"


def has_totp(user, request=None):
    """Whether the user has TOTP set up. With the request, the answer is kept in the session:
    the middleware asks on every page of a user who has not passed the second factor, and the
    answer changes only when this user adds or removes an authenticator (accounts/signals.py
    forgets it then)."""
    from allauth.mfa.models import Authenticator

    session = getattr(request, "session", None)
    if session is not None:
        cached = session.get(TOTP_SESSION_KEY)
        if cached is not None and cached[0] == user.pk:
            return cached[1]
    answer = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if session is not None:
        session[TOTP_SESSION_KEY] = [user.pk, answer]
    return answer


def forget_totp(request):
    """The user added or removed an authenticator in this session: ask the database again."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(TOTP_SESSION_KEY, None)


class RequireMFAMiddleware:
    """No page without the second factor.

    - A user who has TOTP set up must have entered a code in this session, whatever
      MREZA_MFA_REQUIRED says: allauth asks for it at sign-in, and a session that reached us any
      other way (an old or foreign login path, force_login) is sent to the code form first.
    - With MREZA_MFA_REQUIRED on, administrators and coordinators without TOTP must set it up
      before doing anything else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(UNVERIFIED_ALLOWED_PREFIXES)
            and not mfa_passed(request, user)
        ):
            if has_totp(user, request):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
            if (
                settings.MREZA_MFA_REQUIRED
                and not request.path.startswith(ALLOWED_PREFIXES)
                and roles_of(user).needs_mfa
            ):
                return redirect("mfa_activate_totp")
        return self.get_response(request)
