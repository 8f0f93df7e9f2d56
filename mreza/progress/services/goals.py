"""Goals, their indicators and the measured values (issue 11, item 2). Views call these; every
change is one transaction, audited through the models, and edits of goals and indicators are
versioned (two people editing the same goal: the second gets a conflict, nothing is lost)."""

from django.db import transaction
from django.db.models import Max

from mreza.core.versioning import save_versioned
from mreza.progress.models import Goal, Indicator, Measurement, Workspace

GOAL_FIELDS = ("title", "description")
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "direction", "scope")


def create_goal(workspace: Workspace, values) -> Goal:
    with transaction.atomic():
        last = workspace.goals.aggregate(last=Max("order"))["last"]
        return Goal.objects.create(
            workspace=workspace,
            order=0 if last is None else last + 1,
            **{f: values[f] for f in GOAL_FIELDS},
        )


def update_goal(goal: Goal, values, expected_version: int) -> Goal:
    """Raises core.versioning.EditConflict when someone saved the goal since `expected_version`."""
    for field in GOAL_FIELDS:
        setattr(goal, field, values[field])
    save_versioned(goal, list(GOAL_FIELDS), expected_version)
    return goal


def delete_goal(goal: Goal) -> None:
    """The goal goes with its indicators and their values; its activities stay in the plan
    (Activity.goal is SET_NULL)."""
    with transaction.atomic():
        goal.delete()


def create_indicator(goal: Goal, values) -> Indicator:
    with transaction.atomic():
        return Indicator.objects.create(goal=goal, **{f: values[f] for f in INDICATOR_FIELDS})


def update_indicator(indicator: Indicator, values, expected_version: int) -> Indicator:
    for field in INDICATOR_FIELDS:
        setattr(indicator, field, values[field])
    save_versioned(indicator, list(INDICATOR_FIELDS), expected_version)
    return indicator


def record_measurement(indicator: Indicator, values, user) -> Measurement:
    """A measured value on a date with its source; `values["member"]` for a per-member indicator
    (the form has checked that it is a member of this workspace)."""
    with transaction.atomic():
        return Measurement.objects.create(
            indicator=indicator,
            member=values.get("member") if indicator.scope == Indicator.Scope.MEMBER else None,
            measured_on=values["measured_on"],
            value=values["value"],
            source=values["source"],
            recorded_by=user if user.is_authenticated else None,
        )


def delete_measurement(measurement: Measurement) -> None:
    with transaction.atomic():
        measurement.delete()
