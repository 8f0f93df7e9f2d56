"""The events list (public: upcoming and past), an event's page with its programme, creating and
editing an event (drafts are private), publishing and cancelling it, its `.ics` and the feed of
upcoming events, and the showcase page (good practices and network results presented there)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mreza.core.access import Perm, may, require, workspaces_visible_to
from mreza.core.access.events import events_run_by, events_visible_to
from mreza.core.conflicts import conflict_response, stale_form
from mreza.core.decorators import sign_in_when_anonymous
from mreza.core.versioning import EditConflict
from mreza.evaluation.models import Evaluation
from mreza.events.forms import LANGUAGE_NAMES, EventForm, ShowcaseForm
from mreza.events.models import Event, Session
from mreza.events.services import calendar
from mreza.events.services import events as services
from mreza.events.views import EVENTS, event_for, with_counts
from mreza.events.views.registrations import registration_context
from mreza.practices.models import Practice
from mreza.progress.models import Workspace
from mreza.registry import choices
from mreza.registry.pagecache import first_pages, public_page

PAST_PER_PAGE = 20
# the registry cache scope of the anonymous events list (apps.py forgets it on change)
PUBLIC_LIST = "events-public-list"
FORM_TEMPLATE = "events/event_form.html"


def public_list_key(request):
    """The anonymous list's first pages, for the minute (an event that ends moves to the past)."""
    page = first_pages(request)
    return None if page is None else (*page, timezone.now().strftime("%Y%m%d%H%M"))


@require_GET
@public_page(PUBLIC_LIST, choices.MUNICIPALITIES, key=public_list_key)
def event_list(request):
    now = timezone.now()
    context = {
        "sections": _list_sections(request, now),
        "may_create": may(request.user, Perm.CREATE_EVENT),
        "drafts": list(events_run_by(request.user, Event.objects.filter(status="draft"))[:50])
        if request.user.is_authenticated
        else [],
    }
    return render(request, "events/event_list.html", context)


def _list_sections(request, now):
    """The upcoming and past events, rendered. What an anonymous visitor sees is the same for
    everyone: kept rendered per language and page until an event, a registration or the
    registry changes (apps.py bumps the scope), and for the minute (an event that ends moves to
    the past). A signed-in reader may see more events: rendered for each request."""

    def build():
        visible = with_counts(events_visible_to(request.user, EVENTS))
        upcoming = visible.filter(ends_at__gte=now).order_by("starts_at", "id")
        past = Paginator(
            visible.filter(ends_at__lt=now).order_by("-starts_at", "-id"), PAST_PER_PAGE
        )
        context = {"upcoming": list(upcoming), "past": past.get_page(request.GET.get("page"))}
        return render_to_string("events/_event_sections.html", context, request=request)

    page = request.GET.get("page", "1")
    bounded = set(request.GET) <= {"page"} and page.isdigit() and 1 <= int(page) <= 500
    if request.user.is_authenticated or not bounded or str(int(page)) != page:
        return build()
    minute = now.strftime("%Y%m%d%H%M")
    registry = choices.version(choices.MUNICIPALITIES)  # organiser and host names
    return choices.cached(PUBLIC_LIST, "events", build, page, minute, registry)


def _sessions():
    return Prefetch(
        "sessions", queryset=Session.objects.prefetch_related("speakers").order_by("starts_at")
    )


@require_GET
@sign_in_when_anonymous
def event_detail(request, pk):
    event = event_for(request, pk)
    event = with_counts(EVENTS.filter(pk=event.pk)).prefetch_related(_sessions()).get()
    context = {
        "event": event,
        "sessions": list(event.sessions.all()),
        "languages": [str(LANGUAGE_NAMES[c]) for c in event.languages if c in LANGUAGE_NAMES],
        "may_manage": may(request.user, Perm.MANAGE_EVENT, event),
        **registration_context(request, event),
    }
    return render(request, "events/event_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def event_new(request):
    require(request.user, Perm.CREATE_EVENT)
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organiser = form.cleaned_data.get("organiser")
        if organiser is not None:
            require(request.user, Perm.CREATE_EVENT, organiser)
        try:
            event = services.create_event(form.cleaned_data, request.user)
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The event is saved as a draft. Publish it when ready."))
            return redirect("events:detail", pk=event.pk)
    return render(request, FORM_TEMPLATE, {"form": form, "event": None})


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request, pk):
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version") or event.version
        try:
            services.update_event(event, form.cleaned_data, version)
        except EditConflict:
            current = Event.objects.get(pk=event.pk)

            def make(data):
                return EventForm(data, instance=current, user=request.user)

            form = stale_form(request, make, current)
            return conflict_response(request, FORM_TEMPLATE, {"form": form, "event": current})
        messages.success(request, _("The event is saved."))
        return redirect("events:detail", pk=event.pk)
    return render(request, FORM_TEMPLATE, {"form": form, "event": event})


@require_POST
@login_required
def event_publish(request, pk):
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    try:
        services.publish(event)
    except (services.EventError, EditConflict) as error:
        messages.error(request, str(error) or _("The event changed meanwhile. Please try again."))
    else:
        messages.success(request, _("The event is published: anybody can see it now."))
    return redirect("events:detail", pk=event.pk)


@require_POST
@login_required
def event_cancel(request, pk):
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    try:
        services.cancel(event)
    except (services.EventError, EditConflict) as error:
        messages.error(request, str(error) or _("The event changed meanwhile. Please try again."))
    else:
        messages.success(request, _("The event is cancelled. Its page says so."))
    return redirect("events:detail", pk=event.pk)


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@sign_in_when_anonymous
def event_ics(request, pk):
    event = event_for(request, pk)
    return _ics_response(calendar.event_ics(event), f"event-{event.pk}.ics")


@require_GET
def feed(request):
    """The upcoming public events, for a calendar app to subscribe to (no account needed)."""
    response = _ics_response(calendar.feed_ics(calendar.upcoming_public()), "mreza-events.ics")
    response["Content-Disposition"] = 'inline; filename="mreza-events.ics"'
    return response


# ------------------------------------------------------------------------------------ showcase


def _public_workspaces():
    return Workspace.objects.filter(is_published=True)


def _published_evaluations(workspaces):
    found = {}
    for evaluation in Evaluation.objects.filter(
        workspace__in=workspaces, is_published=True
    ).order_by("-id"):
        found.setdefault(evaluation.workspace_id, evaluation)
    return found


def _published_practices():
    return Practice.objects.filter(status=Practice.Status.PUBLISHED)


@require_GET
@sign_in_when_anonymous
def showcase(request, pk):
    event = event_for(request, pk)
    workspaces = list(
        event.workspaces.filter(is_published=True).select_related("organisation").order_by("title")
    )
    evaluations = _published_evaluations(workspaces)
    context = {
        "event": event,
        "workspaces": [(w, evaluations.get(w.pk)) for w in workspaces],
        "practices": list(
            event.practices.filter(status=Practice.Status.PUBLISHED)
            .select_related("municipality")
            .order_by("title")
        ),
        "may_manage": may(request.user, Perm.MANAGE_EVENT, event),
    }
    return render(request, "events/showcase.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def showcase_edit(request, pk):
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    workspaces = workspaces_visible_to(request.user, _public_workspaces()).order_by("title")
    current = event.practices.filter(status=Practice.Status.PUBLISHED).order_by("title")
    initial = {"workspaces": list(event.workspaces.all()), "practices": list(current)}
    form = ShowcaseForm(
        request.POST or None,
        initial=initial,
        workspaces=workspaces,
        practices=current,
        published=_published_practices(),
    )
    if request.method == "POST" and form.is_valid():
        chosen = [*form.cleaned_data["practices"], *form.cleaned_data["add_practices"]]
        services.set_showcase(event, workspaces=form.cleaned_data["workspaces"], practices=chosen)
        messages.success(request, _("The showcase is saved."))
        return redirect("events:showcase", pk=event.pk)
    return render(request, "events/showcase_form.html", {"event": event, "form": form})
