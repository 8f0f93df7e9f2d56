"""The Django admin signs in through allauth, never with its own password-only form.

Django's admin login would skip allauth's second-factor stage and its failed-login rate limit.
`admin.site.login` is replaced by this view (see mreza/urls.py): it sends the browser to
allauth's sign-in page with `next`, so administrators meet the same form, TOTP stage and limits.
"""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def admin_login(request, extra_context=None):
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        # Signed in but not staff: sending them to the sign-in page would loop back here.
        raise PermissionDenied
    target = f"{resolve_url('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    # 307 keeps a POST a POST: a password posted here is checked by allauth (rate limit, TOTP).
    return HttpResponseRedirect(target, status=307 if request.method == "POST" else 302)
