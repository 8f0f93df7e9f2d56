"""Forms of learning between members: visits, staff exchanges and internships, mentoring pairs and
their meetings, transferred practices, and twinnings with their agreements.

Every choice of a member is limited to the members of the workspace (a member of another
workspace is refused with a clear message); dates in the wrong order, the same municipality on both
sides and a partner abroad without a name are form errors, so nothing is saved half-way.
"""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.accounts.models import MunicipalRole, User
from mreza.core.templatetags.mreza import script
from mreza.core.validators import guard_text_fields
from mreza.progress.forms.partners import partner_search, resolve_partner
from mreza.progress.models import (
    MentoringPair,
    MentoringSession,
    StaffExchange,
    TransferredPractice,
    TwinningAgreement,
    Visit,
    Workspace,
    WorkspaceMember,
)

NOT_A_MEMBER = _("Choose a member of this workspace.")
NOT_A_PERSON_OF_THE_WORKSPACE = _("Choose a person of a member municipality.")


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def member_label(member):
    """A member as the reader reads it: the municipality in the reader's script, or the partner
    abroad with its country."""
    if member.municipality_id is not None:
        return script(member.municipality.name)
    if member.foreign_country:
        return f"{member.foreign_name} ({member.foreign_country})"
    return member.foreign_name


def members_for(workspace, *keep):
    """The members one may choose: the current ones, and those a record already names (a member
    that left stays on its old records)."""
    kept = [pk for pk in keep if pk]
    return (
        workspace.members.filter(Q(left_on__isnull=True) | Q(pk__in=kept))
        .select_related("municipality")
        .order_by("id")
    )


def _member_field(form, name, queryset):
    field = form.fields[name]
    field.queryset = queryset
    field.label_from_instance = member_label
    field.error_messages["invalid_choice"] = NOT_A_MEMBER
    if not isinstance(field, forms.ModelMultipleChoiceField):
        field.empty_label = "—"


def _check_dates(form, data, start="starts_on", end="ends_on", message=None):
    starts, ends = data.get(start), data.get(end)
    if starts and ends and ends < starts:
        form.add_error(end, message or gettext("The end date is before the start date."))


class PeopleOfMembers:
    """Users with a role in the workspace's member municipalities: whom a record may name, and in
    which municipality each of them works (to check that a person belongs to the chosen member)."""

    def __init__(self, members):
        municipality_ids = [m.municipality_id for m in members if m.municipality_id]
        self.places = {}
        for user_id, municipality_id in MunicipalRole.objects.filter(
            municipality_id__in=municipality_ids
        ).values_list("user_id", "municipality_id"):
            self.places.setdefault(user_id, set()).add(municipality_id)
        self.queryset = User.objects.filter(pk__in=list(self.places)).order_by("full_name", "email")

    def works_in(self, user, member):
        return member.municipality_id is not None and member.municipality_id in self.places.get(
            user.pk, ()
        )


def _person_field(form, name, people, label):
    form.fields[name] = forms.ModelChoiceField(
        label=label,
        queryset=people.queryset,
        required=False,
        empty_label="—",
        help_text=_("Optional: the person's user account, if they work in a member municipality."),
        error_messages={"invalid_choice": NOT_A_PERSON_OF_THE_WORKSPACE},
    )
    form.fields[name].label_from_instance = lambda u: u.get_full_name()


def _name_from_person(form, data, name_field, person_field, member_field, missing, elsewhere):
    """The name typed, or else the chosen user's; the chosen user must work in the chosen member."""
    person, member = data.get(person_field), data.get(member_field)
    if not data.get(name_field):
        if person is None:
            form.add_error(name_field, missing)
        else:
            data[name_field] = person.get_full_name()
    if person is not None and member is not None and not form.people.works_in(person, member):
        form.add_error(person_field, elsewhere)


class VersionedForm(forms.ModelForm):
    """A form of a versioned row: carries the version the user started from (0 for a new row)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0

    def started_from(self):
        return self.cleaned_data.get("version") or 0


class VisitForm(VersionedForm):
    class Meta:
        model = Visit
        fields = ["kind", "host", "visitors", "starts_on", "ends_on", "participants", "learned"]
        fields += ["to_adopt"]
        widgets = {
            "visitors": forms.CheckboxSelectMultiple,
            "starts_on": _date_input(),
            "ends_on": _date_input(),
            "participants": forms.Textarea(attrs={"rows": 3}),
            "learned": forms.Textarea(attrs={"rows": 5}),
            "to_adopt": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "participants": _("Names and functions of the people who took part, one per line."),
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        visit = self.instance
        keep = [visit.host_id, *(visit.visitors.values_list("pk", flat=True) if visit.pk else [])]
        members = members_for(workspace, *keep)
        _member_field(self, "host", members)
        _member_field(self, "visitors", members)
        self.fields["visitors"].error_messages["invalid_pk_value"] = NOT_A_MEMBER
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        _check_dates(self, data)
        host, visitors = data.get("host"), data.get("visitors")
        if host is not None and visitors is not None and host in visitors:
            self.add_error("visitors", gettext("The host cannot also be one of the visitors."))
        return data


class StaffExchangeForm(VersionedForm):
    class Meta:
        model = StaffExchange
        fields = ["kind", "person_name", "person", "home", "host", "starts_on", "ends_on"]
        fields += ["results"]
        widgets = {
            "starts_on": _date_input(),
            "ends_on": _date_input(),
            "results": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"home": _("From the member"), "host": _("To the member")}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        members = members_for(workspace, self.instance.home_id, self.instance.host_id)
        _member_field(self, "home", members)
        _member_field(self, "host", members)
        self.people = PeopleOfMembers(members)
        _person_field(self, "person", self.people, _("User account"))
        self.fields["person_name"].required = False
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        _check_dates(self, data)
        if data.get("home") is not None and data.get("home") == data.get("host"):
            self.add_error("host", gettext("The person goes to another member than their own."))
        _name_from_person(
            self,
            data,
            "person_name",
            "person",
            "home",
            gettext("Give the person's name or choose their user account."),
            gettext("This person does not work in the municipality they come from."),
        )
        return data


class MentoringPairForm(VersionedForm):
    class Meta:
        model = MentoringPair
        fields = ["mentor_name", "mentor", "mentor_member", "mentee_name", "mentee"]
        fields += ["mentee_member", "topic"]
        fields += ["starts_on", "ends_on", "status", "outcome"]
        widgets = {
            "starts_on": _date_input(),
            "ends_on": _date_input(),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        pair = self.instance
        members = members_for(workspace, pair.mentor_member_id, pair.mentee_member_id)
        _member_field(self, "mentor_member", members)
        _member_field(self, "mentee_member", members)
        self.people = PeopleOfMembers(members)
        _person_field(self, "mentor", self.people, _("Mentor's user account"))
        _person_field(self, "mentee", self.people, _("Mentee's user account"))
        self.fields["mentor_name"].required = False
        self.fields["mentee_name"].required = False
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        _check_dates(self, data)
        _name_from_person(
            self,
            data,
            "mentor_name",
            "mentor",
            "mentor_member",
            gettext("Give the mentor's name or choose their user account."),
            gettext("The mentor does not work in the municipality chosen for them."),
        )
        _name_from_person(
            self,
            data,
            "mentee_name",
            "mentee",
            "mentee_member",
            gettext("Give the mentee's name or choose their user account."),
            gettext("The mentee does not work in the municipality chosen for them."),
        )
        if data.get("mentor_member") is not None and data.get("mentor_member") == data.get(
            "mentee_member"
        ):
            self.add_error(
                "mentee_member",
                gettext("The mentor and the mentee come from two different members."),
            )
        mentor, mentee = data.get("mentor"), data.get("mentee")
        same_user = mentor is not None and mentor == mentee
        names = (data.get("mentor_name") or "", data.get("mentee_name") or "")
        if same_user or (names[0] and names[0].casefold() == names[1].casefold()):
            self.add_error("mentee_name", gettext("The mentor and the mentee are two people."))
        ended = data.get("status") in (MentoringPair.Status.COMPLETED, MentoringPair.Status.STOPPED)
        if ended and not data.get("ends_on"):
            self.add_error("ends_on", gettext("Give the date the mentoring ended."))
        return data


class MentoringSessionForm(VersionedForm):
    class Meta:
        model = MentoringSession
        fields = ["held_on", "notes"]
        widgets = {"held_on": _date_input(), "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair
        guard_text_fields(self)

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on < self.pair.starts_on:
            raise forms.ValidationError(gettext("The meeting is before the mentoring started."))
        if self.pair.ends_on and held_on > self.pair.ends_on:
            raise forms.ValidationError(gettext("The meeting is after the mentoring ended."))
        return held_on


class TransferredPracticeForm(VersionedForm):
    class Meta:
        model = TransferredPractice
        fields = ["title", "description", "source", "adopter", "adopted_on", "responsible"]
        fields += ["result"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "adopted_on": _date_input(),
            "result": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "description": _(
                "What exactly was taken over and how it was adapted: others will read this in "
                "the practice library."
            ),
            "responsible": _("The person or team who introduced it."),
            "result": _("What changed since: figures, feedback, what is still missing."),
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        members = members_for(workspace, self.instance.source_id, self.instance.adopter_id)
        _member_field(self, "source", members)
        _member_field(self, "adopter", members)
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        if data.get("source") is not None and data.get("source") == data.get("adopter"):
            self.add_error(
                "adopter", gettext("A practice is taken over from another member than its own.")
            )
        adopted_on = data.get("adopted_on")
        if adopted_on and adopted_on > timezone.localdate():
            self.add_error(
                "adopted_on",
                gettext("Record a practice once it was taken over: the date is in the future."),
            )
        return data


class TwinningAgreementForm(VersionedForm):
    class Meta:
        model = TwinningAgreement
        fields = ["signed_on", "starts_on", "ends_on", "signatories", "work_plan"]
        widgets = {
            "signed_on": _date_input(),
            "starts_on": _date_input(),
            "ends_on": _date_input(),
            "signatories": forms.Textarea(attrs={"rows": 3}),
            "work_plan": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "signatories": _("Who signed, for each side: name and function, one per line."),
            "ends_on": _("Leave empty for an agreement without an end date."),
            "work_plan": _("The joint work the agreement foresees: topics, steps, who does what."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        _check_dates(self, data, message=gettext("The agreement ends before it comes into force."))
        signed_on, ends_on = data.get("signed_on"), data.get("ends_on")
        if signed_on and ends_on and signed_on > ends_on:
            self.add_error("signed_on", gettext("The agreement is signed after it ended."))
        return data

    def agreement_values(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _member_label(name):
    return capfirst(WorkspaceMember._meta.get_field(name).verbose_name)


class TwinningForm(TwinningAgreementForm):
    """A new twinning of `municipality` with a registry municipality or a partner abroad, with its
    agreement."""

    title = forms.CharField(
        label=capfirst(Workspace._meta.get_field("title").verbose_name),
        max_length=300,
        required=False,
        help_text=_("Leave empty for the two names."),
    )
    # A search field, not a list of every municipality (10,000 options at scale): with htmx the
    # matches appear below it as radio buttons (`partner_pick`); without, the typed code or
    # exact name is resolved on submit (resolve_partner).
    partner = forms.CharField(
        label=_("Partner municipality in the registry"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#partner-results",
                "aria-controls": "partner-results",
            }
        ),
        help_text=_(
            "Type the name or the code of the municipality and choose it from the list. Or, "
            "for a partner abroad that is not in the registry, fill in the fields below."
        ),
    )
    partner_pick = forms.CharField(required=False, max_length=40)
    foreign_name = forms.CharField(label=_member_label("foreign_name"), required=False)
    foreign_country = forms.CharField(
        label=_member_label("foreign_country"), max_length=100, required=False
    )
    foreign_contact = forms.CharField(
        label=_member_label("foreign_contact"),
        max_length=300,
        required=False,
        help_text=_("Address, e-mail or telephone of the partner's office."),
    )

    field_order = ["title", "partner_pick", "partner", "foreign_name", "foreign_country"]
    field_order += ["foreign_contact"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["partner"].widget.attrs["hx-get"] = reverse(
            "progress:twinning_partners", args=[municipality.code]
        )

    def clean_partner(self):
        return resolve_partner(
            self.municipality,
            self.cleaned_data.get("partner"),
            self.cleaned_data.get("partner_pick") or "",
        )

    def partner_results(self):
        """The search results shown under the field when the form comes back: the matches of
        what the user typed, with their pick still chosen."""
        return partner_search(
            self.municipality, self["partner"].value() or "", self["partner_pick"].value() or ""
        )

    def clean(self):
        data = super().clean()
        partner = data.get("partner")
        abroad = [data.get(f) for f in ("foreign_name", "foreign_country", "foreign_contact")]
        if "partner" in self.errors:
            return data
        if partner is not None and any(abroad):
            self.add_error(
                None,
                gettext(
                    "Choose either a municipality from the registry or a partner abroad, not both."
                ),
            )
        elif partner is None and not any(abroad):
            self.add_error(
                None,
                gettext(
                    "Choose the partner municipality from the registry, or give the name and "
                    "country of a partner abroad."
                ),
            )
        elif partner is None:
            if not data.get("foreign_name"):
                self.add_error("foreign_name", gettext("Give the name of the partner abroad."))
            if not data.get("foreign_country"):
                self.add_error(
                    "foreign_country", gettext("Give the country of the partner abroad.")
                )
        if partner is not None and not self.errors:
            twinned = Workspace.objects.filter(
                kind=Workspace.Kind.TWINNING,
                members__municipality=self.municipality,
                members__left_on__isnull=True,
            ).filter(members__municipality=partner, members__left_on__isnull=True)
            starts_on = data.get("starts_on")
            if starts_on:
                twinned = twinned.exclude(ends_on__lt=starts_on)
            if twinned.exists():
                self.add_error(
                    "partner",
                    gettext("These two municipalities already have a twinning in force."),
                )
        return data

    def twinning_values(self):
        data = self.cleaned_data
        return {
            "title": data.get("title") or "",
            "partner": data.get("partner"),
            "foreign_name": data.get("foreign_name") or "",
            "foreign_country": data.get("foreign_country") or "",
            "foreign_contact": data.get("foreign_contact") or "",
        }
