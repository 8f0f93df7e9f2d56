"""The programme of an event, for whoever runs it: sessions (time, room, title) and their
speakers (name, affiliation, short biography). The public sees it on the event's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.core.access import Perm, require
from mreza.events.forms import SessionForm, SpeakerForm
from mreza.events.models import Session, Speaker
from mreza.events.services import events as services
from mreza.events.views import event_for

TEMPLATE = "events/programme.html"


def _programme(event, form=None, speaker_forms=None):
    sessions = list(
        event.sessions.prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.order_by("order", "id"))
        ).order_by("starts_at", "id")
    )
    speaker_forms = speaker_forms or {}
    return {
        "event": event,
        "sessions": [
            (s, speaker_forms.get(s.pk) or SpeakerForm(prefix=f"speaker-{s.pk}")) for s in sessions
        ],
        "form": form or SessionForm(event=event, initial={"starts_at": event.starts_at}),
    }


@require_http_methods(["GET", "POST"])
@login_required
def programme(request, pk):
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_session(event, form.cleaned_data)
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session is added to the programme."))
            return redirect("events:programme", pk=event.pk)
    return render(request, TEMPLATE, _programme(event, form if request.method == "POST" else None))


def _session(request, pk, session):
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    found = get_object_or_404(Session.objects.select_related("event"), pk=session, event=event)
    require(request.user, Perm.MANAGE_EVENT, found)
    return event, found


@require_http_methods(["GET", "POST"])
@login_required
def session_edit(request, pk, session):
    event, found = _session(request, pk, session)
    form = SessionForm(request.POST or None, instance=found, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(found, form.cleaned_data)
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session is saved."))
            return redirect("events:programme", pk=event.pk)
    return render(request, "events/session_form.html", {"event": event, "form": form})


@require_POST
@login_required
def session_delete(request, pk, session):
    event, found = _session(request, pk, session)
    services.delete_session(found)
    messages.success(request, _("The session is removed from the programme."))
    return redirect("events:programme", pk=event.pk)


@require_POST
@login_required
def speaker_add(request, pk, session):
    event, found = _session(request, pk, session)
    form = SpeakerForm(request.POST, prefix=f"speaker-{found.pk}")
    if form.is_valid():
        services.add_speaker(found, form.cleaned_data)
        messages.success(request, _("The speaker is added."))
        return redirect("events:programme", pk=event.pk)
    return render(request, TEMPLATE, _programme(event, speaker_forms={found.pk: form}), status=400)


@require_POST
@login_required
def speaker_delete(request, pk, speaker):
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    found = get_object_or_404(Speaker, pk=speaker, session__event=event)
    services.delete_speaker(found)
    messages.success(request, _("The speaker is removed."))
    return redirect("events:programme", pk=event.pk)
