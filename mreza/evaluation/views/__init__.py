"""The self-evaluation's pages, one module per part: `evaluations` (the list, opening, an
evaluation, a member's part), `report` (HTML and PDF) and `recognition`."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def sign_in_when_anonymous(view):
    """An anonymous visitor who may not see the page is asked to sign in (others get 404)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapper
