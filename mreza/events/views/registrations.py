"""Registering for an event (confirmed or on the waiting list), withdrawing, "my registrations",
and for whoever runs the event the registrations, the attendance list (check-in) and its XLSX."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mreza.core.access import Perm, may
from mreza.events.forms import RegistrationForm
from mreza.events.models import Registration
from mreza.events.services import calendar
from mreza.events.services import registrations as services
from mreza.events.views import event_for, registration_for

Status = Registration.Status


def registration_context(request, event, form=None):
    """What the event page shows about registering: the user's registration and place in the
    queue, whether they may register, the form."""
    mine = services.live_registration(event, request.user)
    return {
        "registration": mine,
        "waiting_position": services.waiting_position(mine) if mine else None,
        "may_register": mine is None and may(request.user, Perm.REGISTER_FOR_EVENT, event),
        "may_withdraw": mine is not None and may(request.user, Perm.CHANGE, mine),
        "registration_form": form or RegistrationForm(),
        "places_left": None
        if event.capacity is None
        else max(event.capacity - getattr(event, "confirmed", 0), 0),
    }


@require_POST
@login_required
def register(request, pk):
    event = event_for(request, pk, Perm.REGISTER_FOR_EVENT)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the form."))
        return redirect("events:detail", pk=event.pk)
    try:
        registration = services.register(event, request.user, form.cleaned_data["affiliation"])
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Status.CONFIRMED:
            messages.success(request, _("You are registered. See you there!"))
        else:
            messages.info(
                request,
                _(
                    "The event is full: you are on the waiting list. If a place becomes free, "
                    "it is yours and we tell you by e-mail."
                ),
            )
    return redirect("events:detail", pk=event.pk)


@require_POST
@login_required
def withdraw(request, pk, registration):
    found = registration_for(request, pk, registration, Perm.CHANGE)
    services.withdraw(found)
    messages.success(request, _("The registration is cancelled."))
    if found.user_id == request.user.pk:
        return redirect("events:detail", pk=pk)
    return redirect("events:registrations", pk=pk)


@require_GET
@login_required
def my_registrations(request):
    mine = (
        Registration.objects.filter(user=request.user)
        .exclude(status=Status.CANCELLED)
        .select_related("event__organiser", "event__host")
        .prefetch_related("certificates")
        .order_by("-event__starts_at")
    )
    now = timezone.now()
    rows = list(mine)
    context = {
        "upcoming": [r for r in rows if r.event.ends_at >= now],
        "past": [r for r in rows if r.event.ends_at < now],
    }
    return render(request, "events/my_registrations.html", context)


def _confirmed(event):
    return (
        event.registrations.filter(status=Status.CONFIRMED)
        .select_related("user")
        .prefetch_related("certificates")
        .order_by("user__full_name", "user__email", "id")
    )


@require_http_methods(["GET", "POST"])
@login_required
def registrations(request, pk):
    """The registrations and the attendance list of one event (check-in: tick who is present)."""
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    if request.method == "POST":
        present = [v for v in request.POST.getlist("present") if v.isdigit()]
        count = services.set_attendance(event, present)
        messages.success(
            request, _("The attendance list is saved (%(count)d present).") % {"count": count}
        )
        return redirect("events:registrations", pk=event.pk)
    waiting = (
        event.registrations.filter(status=Status.WAITING)
        .select_related("user")
        .order_by("created_at", "id")
    )
    context = {
        "event": event,
        "confirmed": list(_confirmed(event)),
        "waiting": list(waiting),
        "has_started": event.starts_at <= timezone.now(),
    }
    return render(request, "events/registrations.html", context)


@require_GET
@login_required
def attendance_xlsx(request, pk):
    event = event_for(request, pk, Perm.MANAGE_EVENT)
    content = calendar.attendance_xlsx(event, _confirmed(event))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="attendance-{event.pk}.xlsx"'
    return response
