"""The notification settings page and the unsubscribe link of every e-mail (issue 11, item 10)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mreza.progress.forms.discussion import NotificationSettingsForm
from mreza.progress.models import NotificationSettings
from mreza.progress.services import notifications as services

Mode = NotificationSettings.Mode


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """How the signed-in user hears from their workspaces, and what they heard lately."""
    choice = services.settings_for(request.user)
    form = NotificationSettingsForm(request.POST or None, initial={"mode": choice.mode})
    if request.method == "POST" and form.is_valid():
        services.set_mode(request.user, form.cleaned_data["mode"])
        messages.success(request, _("Your choice is saved."))
        return redirect("progress:notification_settings")
    return render(
        request,
        "progress/notifications/settings.html",
        {"form": form, "notifications": services.recent_for(request.user)},
        status=400 if form.is_bound and form.errors else 200,
    )


# No CSRF token: the secret in the address is the proof, and mail clients' one-click unsubscribe
# (RFC 8058, the List-Unsubscribe-Post header) posts without a form.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in every e-mail, without signing in. A GET only asks: mail scanners and link
    previews open links, and must not unsubscribe anybody. A POST — the page's button, or a mail
    client's one-click `List-Unsubscribe=One-Click` — unsubscribes."""
    if request.method == "POST":
        choice = services.unsubscribe(token)
        state = "done"
    else:
        choice = services.settings_by_token(token)
        state = "already" if choice is not None and choice.mode == Mode.NONE else "ask"
    return render(
        request,
        "progress/notifications/unsubscribe.html",
        {"state": state if choice is not None else "invalid"},
        status=200 if choice is not None else 404,
    )
