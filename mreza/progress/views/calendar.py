"""Calendars: a workspace's meetings as an iCalendar file (also at the network's address), and each
user's private feed with every meeting they may attend (a secret, revocable address)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mreza.core.access import Perm, workspace_parts_visible_to
from mreza.core.templatetags.mreza import script
from mreza.progress.models import Meeting, Workspace
from mreza.progress.services import meetings as services
from mreza.progress.views.common import workspace_view

# the personal feed: meetings from a year back on (calendar apps read the whole feed each time)
FEED_HISTORY = datetime.timedelta(days=365)


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@workspace_view(Perm.VIEW)
def workspace_calendar(request, workspace):
    meetings = services.calendar_meetings(workspace.meetings.order_by("starts_at"))
    for meeting in meetings:
        meeting.workspace = workspace
    return _ics_response(
        services.calendar_of(meetings, script(workspace.title)),
        f"workspace-{workspace.pk}.ics",
    )


def network_calendar(request, network):
    """/networks/<id>/calendar.ics: the calendar of the network's workspace, the same rule."""
    workspace = get_object_or_404(Workspace.objects.only("pk"), network_id=network)
    return workspace_calendar(request, workspace.pk)


@login_required
def calendar_feeds(request):
    """Create or revoke one's private calendar feeds; a new address is shown once."""
    new_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feed = get_object_or_404(request.user.calendar_feeds, pk=request.POST.get("feed"))
            services.revoke_feed(feed)
            messages.success(request, _("The feed is revoked; its address no longer works."))
            return redirect("progress:calendar_feeds")
        _feed, token = services.create_feed(request.user)
        new_url = request.build_absolute_uri(reverse("progress:calendar_feed", args=[token]))
    feeds = list(request.user.calendar_feeds.order_by("-created_at"))
    return render(request, "progress/meetings/feeds.html", {"feeds": feeds, "new_url": new_url})


def calendar_feed(request, token):
    """The private feed: no sign-in (calendar apps cannot); an unknown or revoked token is 404."""
    feed = services.feed_for(token)
    if feed is None:
        raise Http404
    user = feed.user
    meetings = services.calendar_meetings(
        workspace_parts_visible_to(user, Meeting)
        .filter(starts_at__gte=timezone.now() - FEED_HISTORY)
        .order_by("starts_at")
    )
    with translation.override(user.language or settings.LANGUAGE_CODE):
        content = services.calendar_of(meetings, _("Mreža: my meetings"))
    return _ics_response(content, "mreza.ics")
