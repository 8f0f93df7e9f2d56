"""The survey pages, one module per part: `builder` (surveys, items, translations, preview),
`waves`, `link` (QR code, poster, one-time codes), `public` (answering, paper), `results`. What
every page of a survey needs lives here: the survey looked up through the policy, and
`render_survey` for pages extending surveys/survey_base.html (its tabs and buttons follow the
flags it adds)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from mreza.core.access import Perm, get_or_deny, may
from mreza.core.texts import localized
from mreza.surveys.models import Survey


def survey_for(request, pk, perm=Perm.VIEW) -> Survey:
    """The survey `pk`: 404 if the user may not see it, 403 if they may see but not do `perm`."""
    return get_or_deny(
        request.user,
        perm,
        Survey.objects.select_related("municipality__country", "workspace", "previous_version"),
        pk=pk,
    )


def refusal_message(refusal) -> str:
    """A refusal of services.builder (SurveyRefused) as one message for the page."""
    return " ".join(refusal.messages)


def survey_flags(request, survey) -> dict:
    user = request.user
    return {
        "survey": survey,
        "survey_title": survey_title(survey),
        "may_manage": may(user, Perm.MANAGE_SURVEY, survey),
        "may_enter": may(user, Perm.ENTER_RESPONSES, survey),
        "may_export": may(user, Perm.EXPORT_RESPONSES, survey),
    }


def render_survey(request, template, survey, tab, context=None, status=200):
    """Render a page extending surveys/survey_base.html; `tab` is one of questions, preview,
    waves, translations, settings, results (the others' pages name their own)."""
    return render(
        request,
        template,
        {**survey_flags(request, survey), "tab": tab, **(context or {})},
        status=status,
    )


def public_path(survey) -> str:
    """The path of the survey's public link (the answer page of surveys/urls/public.py)."""
    return reverse("surveys:answer", args=[survey.public_token])


def public_url(request, survey) -> str:
    return request.build_absolute_uri(public_path(survey))


def survey_title(survey) -> str:
    """The survey's title in the reader's language, or in the survey's main language."""
    return localized(survey.title, display_language(survey))


def display_language(survey, ui_language=None) -> str:
    """The language a builder page shows the survey's texts in: the reader's, when the survey has
    it (the full UI code, so Serbian follows the reader's script), else the main language."""
    ui = (ui_language or translation.get_language() or "en").lower()
    base = "sr" if ui.startswith("sr") else ui
    if base in survey.languages:
        return ui
    return survey.languages[0] if survey.languages else "en"


def _pairs(entries, language):
    return [(e["code"], localized(e.get("text"), language) or e["code"]) for e in entries or ()]


def item_display(item, language, by_code) -> dict:
    """An item as the respondent will see it in `language`, with what the builder adds (its
    code, the condition that shows it, the languages it lacks). `by_code`: the survey's items."""
    condition = item.show_if or {}
    decider = by_code.get(condition.get("item"))
    answers = dict(_pairs(decider.options, language)) if decider is not None else {}
    labels = item.scale_labels or {}
    return {
        "item": item,
        "text": localized(item.text, language),
        "help": localized(item.help_text, language) if item.help_text else "",
        "options": _pairs(item.options, language),
        "rows": _pairs(item.rows, language),
        "scale": list(range(item.scale_min, item.scale_max + 1)),
        "min_label": localized(labels["min"], language) if labels.get("min") else "",
        "max_label": localized(labels["max"], language) if labels.get("max") else "",
        "condition": {
            "item": condition["item"],
            "answers": [answers.get(code, code) for code in condition.get("any_of", [])],
        }
        if condition.get("item")
        else None,
    }
