"""View decorators every app shares."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def sign_in_when_anonymous(view):
    """An anonymous visitor who may not see a page is asked to sign in; a signed-in one who may
    not gets 404 (the policy's answer, unchanged)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapper
