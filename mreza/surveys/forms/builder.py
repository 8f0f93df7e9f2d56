"""Forms of the survey builder: a new survey, its settings and texts, a wave and one-time codes,
and what every builder form with texts in several languages shares (`TextGroups`, the language
names). The forms of an item and of a translation are in `items`."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.core.access import workspaces_visible_to
from mreza.core.validators import guard_text_fields
from mreza.progress.models import Workspace
from mreza.surveys.models import Wave
from mreza.surveys.services import builder as services
from mreza.surveys.services.catalogue import TEMPLATES

# the longest text of an item in any one language (a question, an answer, a label)
ITEM_TEXT_LIMIT = 500
INTRO_LIMIT = 2000

LANGUAGE_NAMES = {
    "sr": _("Serbian"),
    "bs": _("Bosnian"),
    "hr": _("Croatian"),
    "bg": _("Bulgarian"),
    "en": _("English"),
}
# what a municipality of each country usually offers, main language first
COUNTRY_LANGUAGES = {
    "BA": ["sr", "bs", "hr"],
    "RS": ["sr"],
    "ME": ["sr"],
    "HR": ["hr"],
    "BG": ["bg"],
}


def offered(survey):
    """The survey's languages, main first (English for a survey made without any)."""
    return list(survey.languages) or ["en"]


def language_choices():
    return [(code, LANGUAGE_NAMES[code]) for code in services.LANGUAGES]


def ordered_languages(main, chosen):
    """The main language first, the others in the usual order."""
    chosen = set(chosen) | ({main} if main else set())
    rest = [code for code in services.LANGUAGES if code in chosen and code != main]
    return ([main] if main else []) + rest


def _municipality_workspaces(user, municipality):
    members = Workspace.objects.filter(
        members__municipality=municipality, members__left_on__isnull=True
    )
    return workspaces_visible_to(user, members).distinct().order_by("title")


class LanguagesMixin:
    """The languages offered (checkboxes, at least one) and the main one (texts required)."""

    def add_language_fields(self, initial):
        self.fields["languages"] = forms.MultipleChoiceField(
            label=_("Languages respondents may choose"),
            choices=language_choices(),
            widget=forms.CheckboxSelectMultiple,
            initial=initial,
            required=False,
            help_text=_(
                "Serbian respondents choose Cyrillic or Latin themselves. A question missing in a "
                "language is shown in the main language."
            ),
        )
        self.fields["main_language"] = forms.ChoiceField(
            label=_("Main language"),
            choices=language_choices(),
            initial=initial[0] if initial else "sr",
            help_text=_("Every text must exist in the main language; the others are optional."),
        )

    def clean_languages(self):
        chosen = self.cleaned_data.get("languages") or []
        if not chosen:
            raise forms.ValidationError(_("Choose at least one language."), code="no_language")
        return chosen


class NewSurveyForm(LanguagesMixin, forms.Form):
    template = forms.ChoiceField(
        label=_("Start from"),
        widget=forms.RadioSelect,
        required=False,
        initial="satisfaction",
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        help_text=_("In the main language. With the template you may leave it empty."),
    )
    workspace = forms.ModelChoiceField(
        label=_("The network or twinning it measures"),
        queryset=Workspace.objects.none(),
        required=False,
        empty_label=_("none"),
        help_text=_(
            "Optional: run a wave before the work starts and one after it, and the evaluation "
            "compares them."
        ),
    )

    def __init__(self, *args, municipality, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [
            *TEMPLATES.items(),
            ("", _("An empty survey: I add the questions myself")),
        ]
        self.add_language_fields(COUNTRY_LANGUAGES.get(municipality.country.code, ["en"]))
        self.order_fields(["template", "title", "languages", "main_language", "workspace"])
        self.fields["workspace"].queryset = _municipality_workspaces(user, municipality)
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        if not data.get("template") and not data.get("title"):
            self.add_error("title", _("Give the survey a title, or start from the template."))
        if "languages" in data:
            data["languages"] = ordered_languages(data.get("main_language"), data["languages"])
        return data


def _text_field(label, *, required=False, limit=ITEM_TEXT_LIMIT, rows=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(label=label, required=required, max_length=limit, widget=widget)


class TextGroups:
    """Fields kept in groups, one field per language, shown side by side (see builder_form.html):
    `self.groups` = [(label, help, [field names])]."""

    def add_group(self, key, label, languages, *, required_first=False, note="", **field):
        names = []
        for index, code in enumerate(languages):
            name = f"{key}_{code}"
            required = required_first and index == 0
            self.fields[name] = _text_field(
                LANGUAGE_NAMES.get(code, code), required=required, **field
            )
            self.fields[name].widget.attrs["lang"] = code
            if required:
                self.fields[name].error_messages["required"] = _(
                    "Write it in the main language (%(language)s)."
                ) % {"language": LANGUAGE_NAMES.get(code, code)}
            names.append(name)
        self.groups.append((label, note, names))

    def texts(self, key, languages):
        data = self.cleaned_data
        return {
            code: data[f"{key}_{code}"].strip() for code in languages if data.get(f"{key}_{code}")
        }

    def group_rows(self):
        return [(label, note, [self[name] for name in names]) for label, note, names in self.groups]


class SurveyForm(LanguagesMixin, TextGroups, forms.Form):
    """The survey's settings and its own texts (title, introduction, thank-you text)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workspace = NewSurveyForm.base_fields["workspace"]
    results_public = forms.BooleanField(
        label=_("Anyone may see the results"),
        required=False,
        help_text=_("Only totals, and no group smaller than the minimum, are ever shown."),
    )

    def __init__(self, *args, survey, user, **kwargs):
        self.survey, self.groups = survey, []
        languages = self.shown = offered(survey)
        initial = {
            "version": survey.version,
            "workspace": survey.workspace_id,
            "results_public": survey.results_public,
        }
        for key in ("title", "introduction", "thanks"):
            for code in languages:
                initial[f"{key}_{code}"] = (getattr(survey, key) or {}).get(code, "")
        super().__init__(*args, initial={**initial, **kwargs.pop("initial", {})}, **kwargs)
        self.add_language_fields(languages)
        self.add_group("title", _("Title"), languages, required_first=True, limit=200)
        self.add_group("introduction", _("Introduction"), languages, limit=INTRO_LIMIT, rows=4)
        self.add_group("thanks", _("Thank-you text"), languages, limit=INTRO_LIMIT, rows=2)
        self.fields["workspace"].queryset = _municipality_workspaces(user, survey.municipality)
        guard_text_fields(self)

    def values(self):
        data, languages = self.cleaned_data, self.shown
        return {
            "title": self.texts("title", languages),
            "introduction": self.texts("introduction", languages),
            "thanks": self.texts("thanks", languages),
            "languages": ordered_languages(data["main_language"], data["languages"]),
            "workspace": data["workspace"],
            "results_public": data["results_public"],
        }


# ---------------------------------------------------------------- waves and codes


class WaveForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Wave
        fields = ["name", "access", "opens_on", "closes_on"]
        widgets = {
            "access": forms.RadioSelect,
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "name": _("For example “Before the network” or “Spring 2027”."),
            "opens_on": _("For your planning and the results; you open and close the wave here."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.opened_at is not None:
            self.fields["access"].disabled = True
            self.fields["access"].help_text = _("Fixed once the wave has been open.")
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", gettext("The wave cannot close before it opens."))
        return data

    def values(self):
        return {f: self.cleaned_data[f] for f in services.WAVE_FIELDS}


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"),
        min_value=1,
        max_value=services.MAX_CODES,
        initial=100,
        help_text=_("One code per person you invite; each code answers the survey once."),
    )
