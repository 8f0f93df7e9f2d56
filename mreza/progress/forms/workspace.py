"""Forms of a workspace's settings, its members' contact people and its phases."""

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.accounts.models import MunicipalRole, User
from mreza.assessment.models import Subcriterion
from mreza.core.roles import MANAGING_ROLES, OrganisationRoleName
from mreza.core.texts import localized
from mreza.core.validators import guard_text_fields
from mreza.progress.models import Phase, Workspace, WorkspaceMember
from mreza.registry.models import Membership, Municipality, Organisation


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people_label(user):
    return user.get_full_name() if user.full_name else user.email


def coordinator_candidates(workspace):
    """Who may be named coordinator: the organisation's network coordinators, the coordinators and
    management of the member municipalities, and whoever is coordinator now."""
    municipalities = workspace.members.filter(
        municipality__isnull=False, left_on__isnull=True
    ).values("municipality_id")
    who = Q(
        municipal_roles__municipality_id__in=municipalities,
        municipal_roles__role__in=list(MANAGING_ROLES),
    )
    if workspace.organisation_id is not None:
        who |= Q(
            organisation_roles__organisation_id=workspace.organisation_id,
            organisation_roles__role=OrganisationRoleName.NETWORK_COORDINATOR,
        )
    if workspace.coordinator_id is not None:
        who |= Q(pk=workspace.coordinator_id)
    return User.objects.filter(who).distinct().order_by("full_name", "email")


class WorkspaceSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Workspace
        fields = ["title", "description", "starts_on", "ends_on", "is_published", "coordinator"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": date_widget(),
            "ends_on": date_widget(),
        }
        help_texts = {
            "is_published": _(
                "Anyone, also without signing in, may then read the action plan and the progress "
                "page; everything else stays private to the members."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["coordinator"]
        field.queryset = coordinator_candidates(self.instance)
        field.label_from_instance = _people_label
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", gettext("The workspace must end after it starts."))
        if self.instance.pk and (starts or ends) and not self.errors:
            outside = Q(pk__in=[])
            if starts:
                outside |= Q(starts_on__lt=starts)
            if ends:
                outside |= Q(ends_on__gt=ends)
            if self.instance.phases.filter(outside).exists():
                self.add_error(
                    None,
                    gettext(
                        "A phase lies outside these dates. Change the phase first, or choose "
                        "dates that include every phase."
                    ),
                )
        return data


def people_of_members(workspace):
    """{municipality id: [its people]} for the registry members of a workspace (one query)."""
    people = {}
    for role in (
        MunicipalRole.objects.filter(municipality__workspace_memberships__workspace=workspace)
        .select_related("user")
        .order_by("user__full_name", "user__email", "id")
    ):
        users = people.setdefault(role.municipality_id, [])
        if role.user not in users:
            users.append(role.user)
    return people


class ContactForm(forms.Form):
    """The contact person of a registry member (one of its people), or the contact of a partner
    abroad (free text). `people` is people_of_members(workspace)."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    contact_person = forms.IntegerField(label=_("Contact person"), required=False)
    foreign_contact = forms.CharField(label=_("Contact"), required=False, max_length=300)

    def __init__(self, *args, workspace, people, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace, self.people = workspace, people
        if member is None and self.is_bound:
            member = (
                WorkspaceMember.objects.filter(workspace=workspace, pk=self.data.get("member") or 0)
                .select_related("municipality")
                .first()
            )
        self.member = member
        if member is not None:  # one form per member on the page: ids stay unique
            self.auto_id = f"id_m{member.pk}_%s"
        choices = [("", "—")]
        if member is not None and not member.is_abroad:
            choices += [(u.pk, _people_label(u)) for u in people.get(member.municipality_id, [])]
        self.fields["contact_person"].widget = forms.Select(choices=choices)
        if member is not None and member.is_abroad:
            del self.fields["contact_person"]
        else:
            del self.fields["foreign_contact"]
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        member = self.member
        if member is None or str(member.pk) != str(data.get("member")):
            raise forms.ValidationError(gettext("This municipality is not in this workspace."))
        data["member_obj"] = member
        if member.is_abroad:
            return data
        person_id = data.get("contact_person")
        data["contact_person"] = None
        if person_id is not None:
            person = next(
                (u for u in self.people.get(member.municipality_id, []) if u.pk == person_id),
                None,
            )
            if person is None:
                self.add_error(
                    "contact_person",
                    gettext("The contact person must be one of the people of %(municipality)s.")
                    % {"municipality": member.municipality.name},
                )
            data["contact_person"] = person
        return data


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": date_widget(), "ends_on": date_widget()}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", gettext("The phase must end after it starts."))
        elif starts and ends:
            ws = self.workspace
            if (ws.starts_on and starts < ws.starts_on) or (ws.ends_on and ends > ws.ends_on):
                self.add_error(
                    None,
                    gettext("A phase must lie within the workspace's dates (%(dates)s).")
                    % {"dates": _period(ws)},
                )
        return data


def _period(workspace):
    return " – ".join(
        date_format(d, "SHORT_DATE_FORMAT") if d else "…"
        for d in (workspace.starts_on, workspace.ends_on)
    )


class NewNetworkForm(forms.Form):
    """A network made by hand by a network coordinator (no grouping round): its organisation, its
    theme (a framework area), its members from the registry and where it meets."""

    organisation = forms.ModelChoiceField(
        label=_("Coordinating organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    area = forms.ChoiceField(label=_("Theme (framework area)"))
    members = forms.ModelMultipleChoiceField(
        label=_("Member municipalities"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    host = forms.ModelChoiceField(
        label=_("Host municipality"), queryset=Municipality.objects.none()
    )
    starts_on = forms.DateField(label=_("Starts"), widget=date_widget())
    ends_on = forms.DateField(label=_("Ends"), widget=date_widget(), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        candidates = (
            Municipality.objects.filter(membership__organisation__in=organisations)
            .distinct()
            .order_by("name")
        )
        self.fields["members"].queryset = candidates
        self.fields["host"].queryset = candidates
        self.subcriteria = {
            f"{s.framework_id}:{s.code}": s
            for s in Subcriterion.objects.select_related("framework").order_by(
                "framework_id", "position"
            )
        }
        self.fields["area"].choices = [
            (key, f"{localized(s.framework.name)} — {s.code} {localized(s.title)}")
            for key, s in self.subcriteria.items()
        ]
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", gettext("The workspace must end after it starts."))
        members, host = list(data.get("members") or []), data.get("host")
        if host is not None and host not in members:
            members.append(host)
        if host is not None and len(members) < 2:
            self.add_error("members", gettext("A network needs at least two municipalities."))
        organisation = data.get("organisation")
        if organisation is not None and members:
            inside = set(
                Membership.objects.filter(
                    organisation=organisation, municipality__in=members
                ).values_list("municipality_id", flat=True)
            )
            outside = [m.name for m in members if m.pk not in inside]
            if outside:
                self.add_error(
                    "members",
                    gettext("Not members of %(organisation)s: %(names)s.")
                    % {"organisation": organisation.name, "names": ", ".join(outside)},
                )
        data["member_list"] = members
        sub = self.subcriteria.get(data.get("area") or "")
        data["framework"], data["area_code"] = (sub.framework, sub.code) if sub else (None, "")
        return data
