"""The one way to show a refused stale save (`versioning.EditConflict`): the same form again with
what the user typed, the current version carried so the next save replaces the other one, a
translated message, and HTTP 409."""

from http import HTTPStatus

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

CONFLICT = HTTPStatus.CONFLICT


def default_message():
    return _(
        "Someone else saved this while you were editing. Your text is kept below; "
        "compare it with the current version and save again."
    )


def stale_form(request, make_form, current, message=None):
    """The form to show after EditConflict: `make_form(data)` builds it from the user's POST with
    the version of `current` (the row as it is now); `message` (translated) is shown as an error."""
    messages.error(request, message or default_message())
    data = request.POST.copy()
    data["version"] = current.version
    return make_form(data)


def conflict_response(request, template, context):
    """Render the page of a refused save with status 409 (the form in `context` from
    `stale_form`)."""
    return render(request, template, context, status=CONFLICT)
