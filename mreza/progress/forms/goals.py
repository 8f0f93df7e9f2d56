"""Forms of goals, indicators and measured values, with the rules that keep the figures sane."""

import datetime
import decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.core.validators import guard_text_fields
from mreza.progress.forms.workspace import date_widget
from mreza.progress.models import Goal, Indicator, Measurement, WorkspaceMember

#: The largest magnitude of an indicator's value: beyond it a value is a typing error.
VALUE_LIMIT = decimal.Decimal("1000000000")
#: Units read as a percentage, whose values lie between 0 and 100.
PERCENT_UNITS = {"%", "percent", "per cent", "posto", "постотак", "проценат", "процент", "postotak"}
EARLIEST = datetime.date(2000, 1, 1)


def is_percent(unit):
    return (unit or "").strip().lower() in PERCENT_UNITS


def value_error(value, unit):
    """Why `value` cannot be a value of an indicator measured in `unit`, or None."""
    if value is None:
        return None
    if abs(value) > VALUE_LIMIT:
        return gettext("Enter a value between −1,000,000,000 and 1,000,000,000.")
    if is_percent(unit) and not (0 <= value <= 100):
        return gettext("This indicator is measured in per cent: enter a value from 0 to 100.")
    return None


class GoalForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class IndicatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target", "direction", "scope"]
        help_texts = {
            "unit": _("For example %, days, number of requests, BAM."),
            "scope": _(
                "For each member: every member records its own values (e.g. its own response "
                "time); for the whole network: one value for all."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        unit, baseline, target = data.get("unit"), data.get("baseline"), data.get("target")
        for name in ("baseline", "target"):
            problem = value_error(data.get(name), unit)
            if problem:
                self.add_error(name, problem)
        if baseline is not None and target is not None and not self.errors:
            if baseline == target:
                self.add_error("target", gettext("The target must differ from the baseline."))
            elif data.get("direction") == Indicator.Direction.INCREASE and target < baseline:
                self.add_error(
                    "target",
                    gettext("Higher is better: the target must be above the baseline."),
                )
            elif data.get("direction") == Indicator.Direction.DECREASE and target > baseline:
                self.add_error(
                    "target",
                    gettext("Lower is better: the target must be below the baseline."),
                )
        return data


class MeasurementForm(forms.ModelForm):
    """A measured value; a per-member indicator needs one of this workspace's members."""

    member = forms.IntegerField(required=False, widget=forms.Select)

    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "source"]
        widgets = {"measured_on": date_widget()}
        help_texts = {"source": _("Where the value comes from, e.g. the register of requests.")}

    def __init__(self, *args, indicator, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.members = {m.pk: m for m in members}
        field = self.fields["member"]
        field.label = _("Member")
        field.widget.choices = [("", "—"), *((m.pk, str(m)) for m in members)]
        if indicator.scope != Indicator.Scope.MEMBER:
            del self.fields["member"]
        self.fields["value"].label = _("Value (%(unit)s)") % {"unit": indicator.unit}
        guard_text_fields(self)

    def clean_measured_on(self):
        day = self.cleaned_data["measured_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("A value cannot be measured in the future."))
        if day < EARLIEST:
            raise forms.ValidationError(gettext("Enter a date from the year 2000 on."))
        return day

    def clean_value(self):
        value = self.cleaned_data["value"]
        problem = value_error(value, self.indicator.unit)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_member(self):
        pk = self.cleaned_data.get("member")
        if pk is None:
            raise forms.ValidationError(
                gettext("This indicator is measured for each member: choose the member.")
            )
        member = self.members.get(pk)
        if member is None:
            raise forms.ValidationError(gettext("This municipality is not in this workspace."))
        return member


def members_for_values(workspace):
    """The members a per-member value may be recorded for (those still in the workspace)."""
    return list(
        WorkspaceMember.objects.filter(workspace=workspace, left_on__isnull=True)
        .select_related("municipality")
        .order_by("id")
    )
