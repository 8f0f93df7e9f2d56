"""Goals with their indicators and measured values, and a chart per indicator (issue 11, item 2)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.core.access import Perm, require
from mreza.core.conflicts import conflict_response, stale_form
from mreza.core.versioning import EditConflict
from mreza.progress import charts
from mreza.progress.forms.goals import GoalForm, IndicatorForm, MeasurementForm, members_for_values
from mreza.progress.models import Goal, Indicator, Measurement
from mreza.progress.services import goals as services
from mreza.progress.views.common import render_workspace, workspace_view
from mreza.progress.views.progress import chart_date, chart_number
from mreza.progress.views.workspace import page_flags


def indicator_chart(indicator, measurements):
    """The SVG line chart of an indicator: one line for the network, or one per member."""
    lines = {}
    for m in measurements:
        key = m.member_id
        label = str(m.member) if m.member_id else _("whole network")
        lines.setdefault(key, (label, []))[1].append((m.measured_on, float(m.value)))
    return charts.line_svg(
        [charts.Series(label, points) for label, points in lines.values()],
        baseline=float(indicator.baseline),
        target=float(indicator.target),
        title=_("%(indicator)s (%(unit)s)") % {"indicator": indicator.name, "unit": indicator.unit},
        desc=_("Measured values over time, with the baseline and the target."),
        baseline_label=_("baseline"),
        target_label=_("target"),
        date_format=chart_date,
        value_format=chart_number,
    )


def _measurements():
    return Measurement.objects.select_related("member__municipality").order_by("measured_on", "id")


@workspace_view(Perm.VIEW)
def goals(request, workspace):
    goal_list = list(
        workspace.goals.prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("id").prefetch_related(
                    Prefetch("measurements", queryset=_measurements())
                ),
            )
        ).order_by("order", "id")
    )
    for goal in goal_list:
        for indicator in goal.indicators.all():
            values = list(indicator.measurements.all())
            indicator.latest = values[-1] if values else None
            indicator.count = len(values)
            indicator.chart = indicator_chart(indicator, values) if values else None
    return render_workspace(
        request, "progress/goals/goals.html", workspace, "goals", {"goals": goal_list}
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
@require_http_methods(["GET", "POST"])
def goal_edit(request, workspace, goal=None):
    instance = get_object_or_404(Goal, workspace=workspace, pk=goal) if goal else None
    template = "progress/goals/goal_form.html"
    initial = {"version": instance.version} if instance else {}
    form = GoalForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        if instance is None:
            instance = services.create_goal(workspace, form.cleaned_data)
        else:
            try:
                services.update_goal(instance, form.cleaned_data, form.cleaned_data["version"] or 0)
            except EditConflict:
                fresh = Goal.objects.get(pk=instance.pk)
                form = stale_form(request, lambda data: GoalForm(data, instance=fresh), fresh)
                return conflict_response(
                    request,
                    template,
                    {**page_flags(request, workspace, "goals"), "form": form, "goal": fresh},
                )
        messages.success(request, _("Saved."))
        return redirect("progress:goals", pk=workspace.pk)
    return render_workspace(
        request,
        template,
        workspace,
        "goals",
        {"form": form, "goal": instance},
        status=400 if form.is_bound and form.errors else 200,
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
@require_POST
def goal_delete(request, workspace, goal):
    services.delete_goal(get_object_or_404(Goal, workspace=workspace, pk=goal))
    messages.success(request, _("The goal is deleted."))
    return redirect("progress:goals", pk=workspace.pk)


@workspace_view(Perm.MANAGE_WORKSPACE)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, workspace, goal=None, indicator=None):
    instance = None
    if indicator is not None:
        instance = get_object_or_404(
            Indicator.objects.select_related("goal"), goal__workspace=workspace, pk=indicator
        )
        parent = instance.goal
    else:
        parent = get_object_or_404(Goal, workspace=workspace, pk=goal)
    template = "progress/goals/indicator_form.html"
    initial = {"version": instance.version} if instance else {}
    form = IndicatorForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        if instance is None:
            instance = services.create_indicator(parent, form.cleaned_data)
        else:
            try:
                services.update_indicator(
                    instance, form.cleaned_data, form.cleaned_data["version"] or 0
                )
            except EditConflict:
                fresh = Indicator.objects.select_related("goal").get(pk=instance.pk)
                form = stale_form(request, lambda data: IndicatorForm(data, instance=fresh), fresh)
                return conflict_response(
                    request,
                    template,
                    {
                        **page_flags(request, workspace, "goals"),
                        "form": form,
                        "goal": parent,
                        "indicator": fresh,
                    },
                )
        messages.success(request, _("Saved."))
        return redirect("progress:indicator", pk=workspace.pk, indicator=instance.pk)
    return render_workspace(
        request,
        template,
        workspace,
        "goals",
        {"form": form, "goal": parent, "indicator": instance},
        status=400 if form.is_bound and form.errors else 200,
    )


def _indicator(workspace, pk):
    return get_object_or_404(
        Indicator.objects.select_related("goal"), goal__workspace=workspace, pk=pk
    )


@workspace_view(Perm.VIEW)
@require_http_methods(["GET", "POST"])
def indicator(request, workspace, indicator):
    """An indicator: its chart, its measured values, and (CONTRIBUTE) a new value."""
    one = _indicator(workspace, indicator)
    members = members_for_values(workspace)
    form = MeasurementForm(request.POST or None, indicator=one, members=members, prefix="value")
    if request.method == "POST":
        require(request.user, Perm.CONTRIBUTE, workspace)
        if form.is_valid():
            services.record_measurement(one, form.cleaned_data, request.user)
            messages.success(request, _("The value is recorded."))
            return redirect("progress:indicator", pk=workspace.pk, indicator=one.pk)
    values = list(_measurements().filter(indicator=one).select_related("recorded_by"))
    return render_workspace(
        request,
        "progress/goals/indicator.html",
        workspace,
        "goals",
        {
            "indicator": one,
            "values": values,
            "chart": indicator_chart(one, values) if values else None,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
@require_POST
def measurement_delete(request, workspace, indicator, measurement):
    one = _indicator(workspace, indicator)
    services.delete_measurement(get_object_or_404(Measurement, indicator=one, pk=measurement))
    messages.success(request, _("The value is deleted."))
    return redirect("progress:indicator", pk=workspace.pk, indicator=one.pk)
