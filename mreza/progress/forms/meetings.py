"""Forms of the meetings part: scheduling, changing a meeting, agenda, attendance, minutes,
decisions."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.core.templatetags.mreza import script
from mreza.core.validators import guard_text_fields
from mreza.progress.models import Attendance, Goal, Meeting, WorkspaceMember
from mreza.progress.services.meetings import MAX_SERIES, may_own

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _member_label(member):
    return script(str(member))


def _members(workspace):
    return workspace.members.filter(left_on__isnull=True).select_related("municipality")


class _TimesMixin:
    """A meeting's date with its start and end times; ends after it starts, not in the past."""

    def clean_times(self, data, *, check_past=True):
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day is None or starts is None or ends is None:
            return data
        if ends <= starts:
            self.add_error("ends", gettext("A meeting must end after it starts."))
            return data
        data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, starts))
        data["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, ends))
        if check_past and data["starts_at"] <= timezone.now():
            self.add_error(
                "day",
                gettext(
                    "A meeting cannot be scheduled in the past. Choose a date and time still to "
                    "come."
                ),
            )
        return data


class ScheduleForm(_TimesMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    day = forms.DateField(label=_("Date (of the first meeting)"), widget=DATE)
    starts = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends = forms.TimeField(label=_("Ends at"), widget=TIME)
    count = forms.IntegerField(
        label=_("Number of meetings"),
        min_value=1,
        max_value=MAX_SERIES,
        initial=1,
        help_text=_(
            "1 for a single meeting; more for a monthly series on the same weekday of the month "
            "(e.g. every second Tuesday)."
        ),
    )
    host = forms.ModelChoiceField(
        label=_("Host municipality (of the first meeting)"),
        queryset=WorkspaceMember.objects.none(),
        required=False,
    )
    rotate_host = forms.BooleanField(
        label=_("The host rotates among the members"), required=False, initial=True
    )
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _members(workspace)
        self.fields["host"].label_from_instance = _member_label
        guard_text_fields(self)

    def clean(self):
        return self.clean_times(super().clean())


class MeetingForm(_TimesMixin, forms.Form):
    """A meeting's change (moving it raises its calendar SEQUENCE)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    day = forms.DateField(label=_("Date"), widget=DATE)
    starts = forms.TimeField(label=_("Starts at"), widget=TIME)
    ends = forms.TimeField(label=_("Ends at"), widget=TIME)
    host = forms.ModelChoiceField(
        label=_("Host municipality"), queryset=WorkspaceMember.objects.none(), required=False
    )
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, meeting, **kwargs):
        local_start = timezone.localtime(meeting.starts_at)
        kwargs.setdefault(
            "initial",
            {
                "title": meeting.title,
                "day": local_start.date(),
                "starts": local_start.time().replace(second=0, microsecond=0),
                "ends": timezone.localtime(meeting.ends_at).time().replace(second=0, microsecond=0),
                "host": meeting.host_id,
                "location": meeting.location,
                "online_url": meeting.online_url,
                "version": meeting.version,
            },
        )
        super().__init__(data, **kwargs)
        self.meeting = meeting
        self.fields["host"].queryset = _members(meeting.workspace)
        self.fields["host"].label_from_instance = _member_label
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        # only a new time must lie ahead; a change of the place of today's meeting is fine
        self.clean_times(data, check_past=False)
        moved = data.get("starts_at") not in (None, self.meeting.starts_at) or data.get(
            "ends_at"
        ) not in (None, self.meeting.ends_at)
        if moved and data["starts_at"] <= timezone.now():
            self.add_error(
                "day",
                gettext(
                    "A meeting cannot be moved into the past. Choose a date and time still to come."
                ),
            )
        return data

    def values(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "host": data["host"],
            "location": data["location"],
            "online_url": data["online_url"],
        }


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=300)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    order = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=50000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class AttendanceForm(forms.Form):
    """One choice per person of the member municipalities: present, excused, absent or not recorded.
    A posted person who is not one of them is refused (nothing saved)."""

    def __init__(self, data=None, *, people, recorded, **kwargs):
        super().__init__(data, **kwargs)
        self.people = people
        choices = [("", gettext("not recorded")), *Attendance.Status.choices]
        for person in people:
            self.fields[f"p{person.user.pk}"] = forms.ChoiceField(
                label=script(person.user.get_full_name()),
                choices=choices,
                required=False,
                initial=recorded.get(person.user.pk, ""),
                widget=forms.RadioSelect,
            )

    def clean(self):
        data = super().clean()
        known = {f"p{person.user.pk}" for person in self.people}
        for key in self.data if self.data is not None else ():
            if key.startswith("p") and key[1:].isdigit() and key not in known:
                raise forms.ValidationError(
                    gettext(
                        "Attendance can be recorded only for people of the member municipalities; "
                        "nothing was saved."
                    )
                )
        return data

    def statuses(self):
        return {person.user.pk: self.cleaned_data[f"p{person.user.pk}"] for person in self.people}

    def rows(self):
        """(person, bound field) for the template."""
        return [(person, self[f"p{person.user.pk}"]) for person in self.people]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    member = forms.ModelChoiceField(
        label=_("Owner (member)"), queryset=WorkspaceMember.objects.none()
    )
    person = forms.TypedChoiceField(label=_("Responsible person"), coerce=int)
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    goal = forms.ModelChoiceField(
        label=_("Goal (optional)"), queryset=Goal.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        members = list(_members(meeting.workspace).select_related("contact_person"))
        # the people of the member municipalities, and the contact people (of a partner abroad)
        self.candidates = {p.user.pk: (p.user, script(str(p.member))) for p in people}
        for member in members:
            if member.contact_person is not None:
                self.candidates.setdefault(
                    member.contact_person.pk, (member.contact_person, _member_label(member))
                )
        self.fields["member"].queryset = _members(meeting.workspace)
        self.fields["member"].label_from_instance = _member_label
        self.fields["person"].choices = [("", "—")] + [
            (pk, f"{script(user.get_full_name())} ({where})")
            for pk, (user, where) in self.candidates.items()
        ]
        self.fields["goal"].queryset = meeting.workspace.goals.all()
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        member, person_id = data.get("member"), data.get("person")
        if member is not None and person_id is not None:
            user = self.candidates[person_id][0]
            if may_own(member, user):
                data["person_user"] = user
            else:
                self.add_error(
                    "person",
                    gettext(
                        "The responsible person must work for the member that owns the follow-up."
                    ),
                )
        due_on = data.get("due_on")
        if due_on is not None and due_on < timezone.localtime(self.meeting.starts_at).date():
            self.add_error("due_on", gettext("The follow-up cannot be due before the meeting."))
        return data
