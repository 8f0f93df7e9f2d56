"""Forms of the events: an event, a session and a speaker of its programme, a registration and the
showcase. Every form keeps what was typed on error; texts pass `guard_text_fields`; the
description's markup is cleaned by the service (core.richtext.sanitise), not here."""

import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.core.access.events import organisations_for_events
from mreza.core.validators import guard_text_fields
from mreza.events.models import LANGUAGES, Event, Session, Speaker
from mreza.registry.models import Municipality, Organisation

MAX_CAPACITY = 100_000
DESCRIPTION_LIMIT = 20_000
BIO_LIMIT = 2000
MAX_ADDED_PRACTICES = 50
LANGUAGE_NAMES = {
    "sr": _("Serbian"),
    "bs": _("Bosnian"),
    "hr": _("Croatian"),
    "bg": _("Bulgarian"),
    "en": _("English"),
}


def _limit(field, limit):
    """A longer limit than guard_text_fields' default for a text area."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    online_url = forms.URLField(
        label=_("Online link"), required=False, max_length=500, assume_scheme="https"
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
        help_text=_("Empty: no limit. Once the places are taken, people join the waiting list."),
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "organiser",
            "host",
            "languages",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "starts_at": datetime_widget(),
            "ends_at": datetime_widget(),
            "registration_opens_at": datetime_widget(),
            "registration_closes_at": datetime_widget(),
        }
        help_texts = {
            "description": _(
                "Plain text, or simple formatting: paragraphs, bold, italics, lists and links. "
                "Anything else is removed."
            ),
            "registration_opens_at": _("Empty: open as soon as the event is published."),
            "registration_closes_at": _("Empty: open until the event ends."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = organisations_for_events(user, Organisation.objects.all())
        if self.instance.organiser_id:
            organisations = organisations | Organisation.objects.filter(
                pk=self.instance.organiser_id
            )
        self.fields["organiser"].queryset = organisations.distinct().order_by("name")
        self.fields["host"].queryset = Municipality.objects.order_by("name")
        _limit(self.fields["description"], DESCRIPTION_LIMIT)
        guard_text_fields(self)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", gettext("The event ends after it starts."))
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", gettext("Registration closes after it opens."))
        if closes and ends and closes > ends:
            self.add_error(
                "registration_closes_at", gettext("Registration closes by the end of the event.")
            )
        if not data.get("organiser") and not data.get("host") and not self.errors:
            raise forms.ValidationError(
                gettext("Name the organiser, the host municipality or both.")
            )
        return data


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["starts_at", "ends_at", "room", "title", "description"]
        widgets = {
            "starts_at": datetime_widget(),
            "ends_at": datetime_widget(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_at", gettext("A session ends after it starts."))
            elif starts < self.event.starts_at or ends > self.event.ends_at:
                raise forms.ValidationError(gettext("A session takes place while the event does."))
        return data


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["name", "affiliation", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["bio"], BIO_LIMIT)
        guard_text_fields(self)


class RegistrationForm(forms.Form):
    affiliation = forms.CharField(
        label=_("Organisation or municipality"),
        required=False,
        max_length=300,
        help_text=_("As it should appear on the attendance list and your certificate."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class ShowcaseForm(forms.Form):
    """What the event presents: network results (workspaces whose progress is public) and good
    practices (published ones: those showcased now, to keep or remove, and more added by their
    numbers or addresses, since the library holds too many for a list)."""

    add_practices = forms.CharField(
        label=_("Add good practices"),
        required=False,
        help_text=_(
            "The numbers or addresses of published practices, separated by spaces or commas, "
            "e.g. /practices/12/ 15."
        ),
    )

    def __init__(self, *args, workspaces, practices, published, **kwargs):
        super().__init__(*args, **kwargs)
        self.published = published
        self.fields["workspaces"] = forms.ModelMultipleChoiceField(
            label=_("Network results"),
            queryset=workspaces,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["practices"] = forms.ModelMultipleChoiceField(
            label=_("Good practices"),
            queryset=practices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.order_fields(["workspaces", "practices", "add_practices"])
        guard_text_fields(self)

    def clean_add_practices(self):
        numbers = {int(n) for n in re.findall(r"\d+", self.cleaned_data["add_practices"])}
        if len(numbers) > MAX_ADDED_PRACTICES:
            raise forms.ValidationError(
                gettext("Add at most %(count)d practices at a time.")
                % {"count": MAX_ADDED_PRACTICES}
            )
        found = list(self.published.filter(pk__in=numbers))
        missing = sorted(numbers - {p.pk for p in found})
        if missing:
            raise forms.ValidationError(
                gettext("No published good practice has the number %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in missing)}
            )
        return found
