"""Account settings: the user's API tokens (list, new — shown once —, revoke)."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mreza.api.models import ApiToken
from mreza.api.private import services
from mreza.api.private.forms import TokenForm
from mreza.core.access import Perm, get_or_deny
from mreza.core.access.api import tokens_visible_to


def _my_tokens(request):
    return tokens_visible_to(request.user, ApiToken.objects.all())


@login_required
@never_cache
def token_list(request):
    tokens = list(_my_tokens(request).order_by("-created_at", "-id"))
    return render(request, "api/tokens/list.html", {"tokens": tokens})


# The forms of new tokens this session has open: a form's POST makes a token once. A reload of the
# page that shows the secret sends the same POST again; it must not leave a second live token
# whose secret nobody saw.
OPEN_FORMS = "api_token_forms"
OPEN_FORMS_KEPT = 5


def _open_form(request):
    nonce = secrets.token_urlsafe(16)
    request.session[OPEN_FORMS] = [
        *request.session.get(OPEN_FORMS, [])[-OPEN_FORMS_KEPT + 1 :],
        nonce,
    ]
    return nonce


def _close_form(request, nonce):
    """True once for each form this session opened."""
    open_forms = request.session.get(OPEN_FORMS, [])
    if not nonce or nonce not in open_forms:
        return False
    request.session[OPEN_FORMS] = [n for n in open_forms if n != nonce]
    return True


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_new(request):
    form = TokenForm(request.POST or None, user=request.user)
    nonce = request.POST.get("form_nonce", "")
    if request.method == "POST" and form.is_valid():
        if not _close_form(request, nonce):
            messages.info(
                request,
                _(
                    "This form was sent before and its token is made: its secret was shown once "
                    "and cannot be shown again. If you did not copy it, revoke that token and "
                    "make a new one."
                ),
            )
            return redirect("api_tokens:list")
        data = form.cleaned_data
        token, text = services.issue_token(
            request.user, data["name"], read_only=data["read_only"], expires_on=data["expires_on"]
        )
        # shown in this answer only: nothing keeps the secret (the session neither), and the page
        # is not cached, so a reload or the back button cannot bring it back
        return render(request, "api/tokens/created.html", {"token": token, "text": text})
    if request.method == "GET" or nonce not in request.session.get(OPEN_FORMS, []):
        nonce = _open_form(request)
    return render(
        request,
        "api/tokens/new.html",
        {"form": form, "form_nonce": nonce},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = get_or_deny(request.user, Perm.MANAGE_TOKENS, _my_tokens(request), pk=pk)
    if request.method == "POST":
        services.revoke_token(token)
        messages.success(
            request,
            _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
        )
        return redirect("api_tokens:list")
    return render(request, "api/tokens/revoke.html", {"token": token})
