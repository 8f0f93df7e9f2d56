"""What the answer page and paper entry show: the questions in the respondent's language with
what was typed and the errors worded (answers.clean_answers gives codes), the language choice
limited to the survey's languages, the one-time code and the paper questionnaire's number."""

from dataclasses import dataclass, field

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.core.languages import ijekavian
from mreza.core.texts import localized
from mreza.core.validators import guard_text_fields
from mreza.surveys import answers as codes
from mreza.surveys.answers import TEXT_LIMIT, ItemSpec, field_name

# Each language by its own name (as the site's language switch shows them), never translated.
LANGUAGE_NAMES = {
    "sr": "Српски (ћирилица)",
    "sr-latn": "Srpski (latinica)",
    "bs": "Bosanski",
    "hr": "Hrvatski",
    "bg": "Български",
    "en": "English",
}
# a stored response's language (a survey language, whatever the script it was read in)
SURVEY_LANGUAGE_NAMES = {**LANGUAGE_NAMES, "sr": "Српски / Srpski"}
SERBIAN_UI = ("sr", "sr-latn", "sr-ijekavsk", "sr-latn-ijekavsk")


# ---------------------------------------------------------------- languages


def survey_language(ui_language: str) -> str:
    """The survey language ("sr") of a UI language ("sr-latn-ijekavsk")."""
    return "sr" if (ui_language or "").lower().startswith("sr") else (ui_language or "").lower()


def ui_languages(survey, ijekavian_serbian: bool) -> list[tuple[str, str]]:
    """[(UI language, name)] a respondent may choose: the survey's languages, Serbian in
    Cyrillic and in Latin (ijekavian where the reader or the municipality is in BA)."""
    choices = []
    for language in survey.languages:
        if language == "sr":
            choices += [
                (ijekavian(code) if ijekavian_serbian else code, code) for code in ("sr", "sr-latn")
            ]
        elif language in LANGUAGE_NAMES:
            choices.append((language, language))
    return [(code, LANGUAGE_NAMES[name]) for code, name in choices]


def choose_language(survey, asked: str | None, current: str | None) -> str:
    """The UI language of the page: the one asked for (?lang=) if the survey offers it, else the
    site's choice for this reader (saved, cookie or browser; None if the reader expressed none)
    if offered, else the survey's first language (Serbian ijekavian for a municipality in BA)."""
    for candidate in (asked, current):
        code = (candidate or "").lower()
        if code in SERBIAN_UI and "sr" in survey.languages:
            return code
        if code and code in survey.languages:
            return code
    first = survey.languages[0] if survey.languages else "en"
    in_ba = getattr(survey.municipality.country, "code", "") == "BA"
    return ijekavian(first) if first == "sr" and in_ba else first


def language_links(survey, current: str) -> list[dict]:
    """The chooser: each offered language with whether it is the one shown."""
    ijekavian_serbian = current.endswith("-ijekavsk") or (
        getattr(survey.municipality.country, "code", "") == "BA"
    )
    return [
        {"code": code, "name": name, "current": code == current}
        for code, name in ui_languages(survey, ijekavian_serbian)
    ]


# ---------------------------------------------------------------- questions


@dataclass
class Choice:
    value: str
    label: str
    checked: bool = False


@dataclass
class Row:
    code: str
    label: str
    name: str
    value: str = ""


@dataclass
class Question:
    """One item as the page shows it."""

    code: str
    kind: str
    number: int | None
    text: str
    help: str
    required: bool
    name: str
    value: str = ""
    choices: list[Choice] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    scale: list[int] = field(default_factory=list)
    min_label: str = ""
    max_label: str = ""
    show_if_item: str = ""
    show_if_values: str = ""
    error: str = ""
    number_min: object = None
    number_max: object = None

    @property
    def is_section(self) -> bool:
        return self.kind == "section"

    @property
    def dom_id(self) -> str:
        return f"q-{self.code}"


def _first(data, name: str) -> str:
    values = (data.get(name) or []) if data is not None else []
    if isinstance(values, str):
        return values
    return values[0] if values else ""


def _all(data, name: str) -> set[str]:
    values = (data.get(name) or []) if data is not None else []
    return {values} if isinstance(values, str) else set(values)


def error_message(spec: ItemSpec, code: str) -> str:
    """The worded error for an error code of answers.clean_answers."""
    if code == codes.OUT_OF_RANGE:
        if spec.kind == "number":
            low, high = spec.number_min, spec.number_max
            params = {
                "min": number_format(low) if low is not None else "",
                "max": number_format(high) if high is not None else "",
            }
            if low is not None and high is not None:
                return gettext("Enter a number from %(min)s to %(max)s.") % params
            if low is not None:
                return gettext("Enter a number of at least %(min)s.") % params
            return gettext("Enter a number of at most %(max)s.") % params
        return gettext("Choose a value from %(min)d to %(max)d.") % {
            "min": spec.scale_min,
            "max": spec.scale_max,
        }
    if code == codes.NOT_A_WHOLE_NUMBER and spec.kind in ("scale", "matrix"):
        return gettext("Choose a value from %(min)d to %(max)d.") % {
            "min": spec.scale_min,
            "max": spec.scale_max,
        }
    messages = {
        codes.REQUIRED: gettext("Please answer this question."),
        codes.INVALID_CHOICE: gettext("Choose one of the answers shown."),
        codes.NOT_A_NUMBER: gettext("Enter a number, for example 12 or 2.5."),
        codes.NOT_A_WHOLE_NUMBER: gettext("Enter a whole number."),
        codes.TOO_LONG: gettext("Keep your answer within %(limit)d characters.")
        % {"limit": TEXT_LIMIT},
        codes.CONTROL_CHARACTER: gettext("Remove the invisible control characters from the text."),
        codes.ONE_VALUE: gettext("Choose only one answer."),
        codes.INCOMPLETE: gettext("Please answer every row of this question."),
    }
    return messages.get(code, gettext("Please check this answer."))


def _label(labels, end: str, language: str) -> str:
    text = (labels or {}).get(end) or {}
    return localized(text, language) if text else ""


def questions(items, specs, language: str, data=None, errors=None) -> list[Question]:
    """The items as the page shows them in `language` (a UI language), with what `data` (the
    submitted form, {name: [values]}) holds and the errors ({code: error code}) worded."""
    errors = errors or {}
    shown: list[Question] = []
    number = 0
    for item, spec in zip(items, specs, strict=True):
        answerable = item.kind != "section"
        number += answerable
        name = field_name(item.code)
        condition = item.show_if or {}
        question = Question(
            code=item.code,
            kind=item.kind,
            number=number if answerable else None,
            text=localized(item.text, language),
            help=localized(item.help_text, language) if item.help_text else "",
            required=item.required,
            name=name,
            value=_first(data, name),
            show_if_item=field_name(condition["item"]) if condition.get("item") else "",
            show_if_values=" ".join(condition.get("any_of") or ()),
            error=error_message(spec, errors[item.code]) if item.code in errors else "",
            number_min=item.number_min,
            number_max=item.number_max,
        )
        if item.kind in ("single", "multiple"):
            chosen = _all(data, name)
            question.choices = [
                Choice(o["code"], localized(o.get("text"), language), o["code"] in chosen)
                for o in item.options or ()
            ]
        if item.kind in ("scale", "matrix"):
            question.scale = list(range(item.scale_min, item.scale_max + 1))
            question.min_label = _label(item.scale_labels, "min", language)
            question.max_label = _label(item.scale_labels, "max", language)
        if item.kind == "matrix":
            question.rows = [
                Row(
                    r["code"],
                    localized(r.get("text"), language),
                    field_name(item.code, r["code"]),
                    _first(data, field_name(item.code, r["code"])),
                )
                for r in item.rows or ()
            ]
        shown.append(question)
    return shown


# ---------------------------------------------------------------- forms


class CodeForm(forms.Form):
    """The one-time code of a codes-only wave (checked by the service, while it is used)."""

    code = forms.CharField(
        label=_("Your one-time code"),
        max_length=40,
        required=False,
        help_text=_("It is printed on the invitation you received, for example ABCDE-FGH23."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class PaperForm(forms.Form):
    """What paper entry asks besides the answers: the questionnaire's number and language."""

    paper_number = forms.CharField(
        label=_("Questionnaire number"),
        max_length=40,
        required=False,
        help_text=_("The number written on the paper; each number is typed in once per wave."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    language = forms.ChoiceField(label=_("Language of the questionnaire"))

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        in_ba = getattr(survey.municipality.country, "code", "") == "BA"
        self.fields["language"].choices = ui_languages(survey, ijekavian_serbian=in_ba)
        guard_text_fields(self)
