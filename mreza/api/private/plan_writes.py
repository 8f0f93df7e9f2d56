"""Writes of the private API: an activity's status, a measured value of an indicator.

Each goes through the same service as the page (`mreza.progress.services`) and the same form's
checks (`mreza.progress.forms`), under the same Perm (CONTRIBUTE on the workspace). The audit
trail names the token's user. A change of an activity names the `version` it was read at; when
someone changed it meanwhile the answer is 409 and nothing is written.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field
from ninja.errors import HttpError, ValidationError

from mreza.api.conventions import BodySchema
from mreza.api.private.common import WRITE_ERRORS, get_visible, writing_as_token_user
from mreza.api.private.workspaces import (
    ActivityOut,
    MeasurementOut,
    activities_of,
    activity_out,
    indicator_of,
    measurement_out,
    visible_workspace,
    workspaces,
)
from mreza.core import access
from mreza.core.conflicts import CONFLICT
from mreza.core.versioning import EditConflict
from mreza.progress.forms.goals import MeasurementForm, members_for_values
from mreza.progress.forms.plan import StatusForm
from mreza.progress.models import Indicator
from mreza.progress.services import goals as goal_services
from mreza.progress.services import plan as plan_services

MAX_VERSION = 2**31 - 1
CREATED = 201


class StatusIn(BodySchema):
    action: Literal["start", "done", "cancel", "reopen"] = Field(
        description="start: planned → in progress; done, cancel: from planned or in progress; "
        "reopen: from done or cancelled."
    )
    version: int = Field(ge=1, le=MAX_VERSION, description="The activity's version as read.")
    completed_on: datetime.date | None = Field(
        None, description="With `done`: the day it was done (not in the future; default today)."
    )


def _field_error(field, message) -> ValidationError:
    return ValidationError(
        [{"loc": ("body", "body", field), "msg": message, "type": "value_error"}]
    )


def _form_errors(form) -> ValidationError:
    """A form's errors as the API's 422, each named like ninja names a body field's error
    (`body.<field>`, in the body), so a client reads both kinds the same way."""
    return ValidationError(
        [
            {"loc": ("body", "body", field), "msg": str(message), "type": "value_error"}
            for field, messages in form.errors.items()
            for message in messages
        ]
    )


@workspaces.post(
    "/{workspace_id}/activities/{activity_id}/status",
    response={200: ActivityOut, **WRITE_ERRORS},
    summary="Change an activity's status",
)
def activity_status(request, workspace_id: int, activity_id: int, body: StatusIn):
    """The quick actions of the plan page. 409 when the activity changed since `version` or is
    no longer in a state the action starts from (read it again, then decide)."""
    workspace = visible_workspace(request, workspace_id, access.Perm.CONTRIBUTE)
    activity = get_visible(request, activities_of(request, workspace), pk=activity_id)
    form = StatusForm(body.model_dump(exclude_none=True))
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    try:
        with writing_as_token_user(request):
            plan_services.change_status(
                activity, data["action"], data["version"], data["completed_on"]
            )
    except EditConflict:
        raise HttpError(
            int(CONFLICT),
            _(
                "Someone changed this activity meanwhile, or it is no longer in a state this "
                "action starts from, so nothing was changed. Read it again and retry."
            ),
        ) from None
    activity.refresh_from_db()
    return activity_out(activity)


class MeasurementIn(BodySchema):
    measured_on: datetime.date = Field(description="Not in the future, from the year 2000 on.")
    value: Decimal = Field(max_digits=14, decimal_places=3)
    source: str = Field(min_length=1, max_length=300, description="Where the value comes from.")
    member: int | None = Field(
        None, ge=1, le=2**63 - 1, description="For a per-member indicator: the member's id."
    )


@workspaces.post(
    "/{workspace_id}/indicators/{indicator_id}/measurements",
    response={CREATED: MeasurementOut, **WRITE_ERRORS},
    summary="Record a measured value",
)
def measurement_create(request, workspace_id: int, indicator_id: int, body: MeasurementIn):
    """A new measured value of an indicator, with the checks of the indicator's page."""
    workspace = visible_workspace(request, workspace_id, access.Perm.CONTRIBUTE)
    indicator = indicator_of(request, workspace, indicator_id)
    if body.member is not None and indicator.scope != Indicator.Scope.MEMBER:
        # the page has no member field for such an indicator; here it would be silently dropped
        raise _field_error(
            "member", _("This indicator is measured for the whole network: leave out the member.")
        )
    form = MeasurementForm(
        body.model_dump(exclude_none=True),
        indicator=indicator,
        members=members_for_values(workspace),
    )
    if not form.is_valid():
        raise _form_errors(form)
    with writing_as_token_user(request):
        measurement = goal_services.record_measurement(indicator, form.cleaned_data, request.user)
    return CREATED, measurement_out(measurement)
