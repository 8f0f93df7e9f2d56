"""What the survey builder's parts share: the languages and fields, the refusal they raise, and
the comparability rule (a survey with answers keeps its items; a change is a new version).

The parts are `builder` (surveys, versions, waves), `builder_items`, `builder_translations` and
`builder_codes`; callers import them all through `builder`.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mreza.surveys.models import Item, Response, Survey
from mreza.surveys.services import catalogue

LANGUAGES = ("sr", "bs", "hr", "bg", "en")
SURVEY_FIELDS = ("title", "introduction", "thanks", "languages", "workspace", "results_public")
SURVEY_TEXTS = ("title", "introduction", "thanks")
ITEM_FIELDS = catalogue.ITEM_KEYS
# kinds that take no answer (a heading)
UNANSWERED = frozenset({Item.Kind.SECTION})
CHOICE_KINDS = frozenset({Item.Kind.SINGLE, Item.Kind.MULTIPLE})


class SurveyRefused(ValidationError):
    """A rule of the surveys refused the change (the message is translated); nothing saved."""


def is_frozen(survey: Survey) -> bool:
    """Whether any wave of the survey has a response (its items can no longer change)."""
    return Response.objects.filter(wave__survey_id=survey.pk).exists()


def has_newer_version(survey: Survey) -> bool:
    return Survey.objects.filter(previous_version_id=survey.pk).exists()


def refuse_if_frozen(survey):
    if is_frozen(survey):
        raise SurveyRefused(
            _(
                "This survey already has answers, so its questions can no longer change (the "
                "answers would not compare). Make a new version of the survey instead."
            ),
            code="frozen",
        )


def merge_texts(old, new, languages):
    """The survey's languages from the form; texts in other languages (a template's, or of a
    language no longer offered) are kept for when the language comes back."""
    merged = {k: v for k, v in (old or {}).items() if k not in languages}
    merged.update({k: v for k, v in (new or {}).items() if v})
    return merged


def newer_version(survey: Survey):
    """The survey made from this one by `new_version`, or None."""
    return Survey.objects.filter(previous_version_id=survey.pk).order_by("-created_at").first()


def answerable_items(survey: Survey):
    return survey.items.exclude(kind__in=UNANSWERED)
