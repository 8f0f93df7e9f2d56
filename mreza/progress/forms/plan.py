"""Forms of the action plan: an activity, its quick status change, a member's commitment, the
filters.

The rules of issue 11 live here as clear form errors: the due date before the start, a responsible
person outside the network (or outside the responsible member), a goal of another workspace, a
cost below zero or beyond any municipal budget, a completion date in the future.
"""

import decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mreza.accounts.models import MunicipalRole, User
from mreza.core.templatetags.mreza import script
from mreza.core.validators import guard_text_fields
from mreza.progress.models import Activity, Commitment, Workspace, WorkspaceMember
from mreza.progress.services.plan import is_overdue

# More than this for one activity of a municipal network is a typing error, not a budget.
MAX_COST = decimal.Decimal("100000000")
CURRENCIES = [("BAM", "BAM"), ("BGN", "BGN"), ("EUR", "EUR"), ("RSD", "RSD"), ("USD", "USD")]
# the currency a new activity starts with, by the members' country
COUNTRY_CURRENCY = {"BA": "BAM", "BG": "BGN", "RS": "RSD"}


def active_members(workspace):
    return (
        workspace.members.filter(left_on__isnull=True).select_related("municipality").order_by("id")
    )


def network_people(workspace):
    """Who may be responsible for an activity: users with a role in a member municipality, and the
    workspace's coordinator."""
    member_ids = workspace.members.filter(left_on__isnull=True, municipality__isnull=False).values(
        "municipality_id"
    )
    return (
        User.objects.filter(
            Q(municipal_roles__municipality_id__in=member_ids) | Q(pk=workspace.coordinator_id),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def member_label(member):
    if member.municipality_id:
        return script(member.municipality.name)
    return (
        f"{member.foreign_name} ({member.foreign_country})"
        if member.foreign_country
        else (member.foreign_name)
    )


def default_currency(workspace):
    countries = set(
        workspace.members.filter(municipality__isnull=False).values_list(
            "municipality__country__code", flat=True
        )
    )
    for code in sorted(countries):
        if code in COUNTRY_CURRENCY:
            return COUNTRY_CURRENCY[code]
    return "EUR"


class ActivityForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    cost = forms.DecimalField(
        label=_("Cost"),
        required=False,
        max_digits=12,
        decimal_places=2,
        validators=[
            MinValueValidator(0, message=_("The cost cannot be below zero.")),
            MaxValueValidator(
                MAX_COST,
                message=_(
                    "The cost is more than %(limit_value)s; check the number (no thousands "
                    "separators)."
                ),
            ),
        ],
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "goal",
            "description",
            "responsible_member",
            "responsible_person",
            "starts_on",
            "due_on",
            "status",
            "completed_on",
            "cost",
            "currency",
            "funding_source",
            "risks",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "risks": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "completed_on": _("Only for a done activity."),
            "funding_source": _("For example: own budget, EU IPA, UNDP."),
        }

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        goal = self.fields["goal"]
        goal.queryset = workspace.goals.all()
        goal.error_messages["invalid_choice"] = _(
            "Choose one of this plan's goals; that goal belongs to another workspace."
        )
        goal.label_from_instance = lambda g: script(g.title)
        member = self.fields["responsible_member"]
        member.queryset = active_members(workspace)
        member.error_messages["invalid_choice"] = _("Choose a member of this workspace.")
        member.label_from_instance = member_label
        person = self.fields["responsible_person"]
        person.queryset = network_people(workspace)
        person.error_messages["invalid_choice"] = _(
            "That person is outside the network. The responsible person must have a role in a "
            "member municipality, or be the workspace's coordinator."
        )
        person.label_from_instance = lambda u: script(str(u))
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["currency"].initial = default_currency(workspace)
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        starts_on, due_on = data.get("starts_on"), data.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", _("The due date is before the start; check both dates."))
        status = data.get("status")
        completed_on = data.get("completed_on")
        if status == Activity.Status.DONE:
            if completed_on is None:
                self.add_error("completed_on", _("Give the date the activity was completed."))
            elif completed_on > timezone.localdate():
                self.add_error("completed_on", _("The completion date cannot be in the future."))
        elif completed_on is not None:
            data["completed_on"] = None  # only a done activity has a completion date
        member, person = data.get("responsible_member"), data.get("responsible_person")
        if member is not None and person is not None and not self._belongs(person, member):
            self.add_error(
                "responsible_person",
                _(
                    "%(person)s has no role in %(member)s. Choose a person of the responsible "
                    "member, or the workspace's coordinator."
                )
                % {"person": script(str(person)), "member": member_label(member)},
            )
        return data

    def _belongs(self, person, member: WorkspaceMember):
        if person.pk == self.workspace.coordinator_id:
            return True
        if member.municipality_id is None:
            return False  # a partner abroad has no users here: only the coordinator answers for it
        return MunicipalRole.objects.filter(
            user=person, municipality_id=member.municipality_id
        ).exists()


class StatusForm(forms.Form):
    """A quick action on one activity from the plan page."""

    START, DONE, CANCEL, REOPEN = "start", "done", "cancel", "reopen"
    action = forms.ChoiceField(
        choices=[
            (START, _("Start")),
            (DONE, _("Done")),
            (CANCEL, _("Cancel")),
            (REOPEN, _("Reopen")),
        ]
    )
    completed_on = forms.DateField(
        label=_("completed"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.DONE:
            completed_on = data.get("completed_on") or timezone.localdate()
            if completed_on > timezone.localdate():
                self.add_error("completed_on", _("The completion date cannot be in the future."))
            data["completed_on"] = completed_on
        return data


class CommitmentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = ["member", "text", "activity", "due_on", "is_fulfilled"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.queryset = active_members(workspace)
        member.error_messages["invalid_choice"] = _("Choose a member of this workspace.")
        member.label_from_instance = member_label
        activity = self.fields["activity"]
        activity.queryset = workspace.activities.order_by("due_on", "id")
        activity.error_messages["invalid_choice"] = _("Choose an activity of this plan.")
        activity.label_from_instance = lambda a: script(a.title)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["is_fulfilled"]
        guard_text_fields(self)


class FulfilForm(forms.Form):
    fulfilled = forms.BooleanField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanFilterForm(forms.Form):
    """The plan page's filters (GET): a member, a status, only what is overdue."""

    member = forms.ChoiceField(label=_("responsible member"), required=False)
    status = forms.ChoiceField(label=_("status"), required=False)
    overdue = forms.BooleanField(label=_("only overdue"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        # choices from the members already loaded: the filters cost no query
        self.fields["member"].choices = [
            ("", _("all members")),
            *((str(m.pk), member_label(m)) for m in members),
        ]
        self.fields["status"].choices = [("", _("any status")), *Activity.Status.choices]

    def apply(self, activities, today):
        """The activities that pass the filters (an invalid filter is ignored)."""
        if not self.is_bound or not self.is_valid():
            return activities
        member, status = self.cleaned_data["member"], self.cleaned_data["status"]
        overdue = self.cleaned_data["overdue"]
        return [
            a
            for a in activities
            if (not member or str(a.responsible_member_id) == member)
            and (not status or a.status == status)
            and (not overdue or is_overdue(a, today))
        ]

    @property
    def active(self):
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())
