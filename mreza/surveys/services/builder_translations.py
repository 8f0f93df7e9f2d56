"""A survey's texts in one language at a time: saving a translation without overwriting what
others changed in other languages, and what still lacks a text in each language.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mreza.core.versioning import save_versioned
from mreza.surveys.models import Survey
from mreza.surveys.services.builder_common import SURVEY_TEXTS, refuse_if_frozen


def _set_language(texts, language, value):
    """`texts` with `language` set to `value` (removed when empty)."""
    texts = {k: v for k, v in (texts or {}).items() if k != language}
    if value:
        texts[language] = value
    return texts


def _translated_item(item, language, given):
    """The changed fields of `item` with the texts of one language from `given`."""
    changes = {}
    for field, key in (("text", "text"), ("help_text", "help_text")):
        if key in given:
            changes[field] = _set_language(getattr(item, field), language, given[key])
    for field in ("options", "rows"):
        if field in given:
            changes[field] = [
                {**e, "text": _set_language(e.get("text"), language, given[field].get(e["code"]))}
                for e in getattr(item, field) or []
            ]
    labels = dict(item.scale_labels or {})
    for end in ("min", "max"):
        if end in given:
            labels[end] = _set_language(labels.get(end), language, given[end])
    if labels != (item.scale_labels or {}):
        changes["scale_labels"] = labels
    return {f: v for f, v in changes.items() if v != getattr(item, f)}


def save_translation(survey: Survey, language: str, survey_texts: dict, item_texts: dict) -> int:
    """Set the texts of one language: `survey_texts` {"title"|"introduction"|"thanks": text},
    `item_texts` {item id: {"text", "help_text": text, "options"|"rows": {code: text},
    "min"|"max": label}}. Each row is merged as it is now, so what others changed in other
    languages stays; an item form opened before gets a conflict. Items of a frozen survey are
    refused. Returns how many rows changed."""
    changed = 0
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        fields = [
            f
            for f, value in survey_texts.items()
            if f in SURVEY_TEXTS
            and _set_language(getattr(survey, f), language, value) != (getattr(survey, f) or {})
        ]
        for field in fields:
            setattr(
                survey, field, _set_language(getattr(survey, field), language, survey_texts[field])
            )
        if fields:
            save_versioned(survey, fields, survey.version)
            changed += 1
        if not item_texts:
            return changed
        items = {i.pk: i for i in survey.items.select_for_update().filter(pk__in=list(item_texts))}
        updates = {
            pk: _translated_item(items[pk], language, t)
            for pk, t in item_texts.items()
            if pk in items
        }
        if any(updates.values()):
            refuse_if_frozen(survey)
        for pk, item_changes in updates.items():
            if item_changes:
                item = items[pk]
                for field, value in item_changes.items():
                    setattr(item, field, value)
                save_versioned(item, list(item_changes), item.version)
                changed += 1
    return changed


def missing_translations(survey: Survey, items) -> dict[str, list[str]]:
    """{language: [what lacks a text in it]} over the survey's languages (the first one is
    required by the forms, so it only shows up for data made elsewhere). `items`: the survey's
    items, already loaded."""
    missing: dict[str, list[str]] = {}
    for language in survey.languages:
        gaps = [str(_("title"))] if not (survey.title or {}).get(language) else []
        if survey.introduction and not survey.introduction.get(language):
            gaps.append(str(_("introduction")))
        gaps += [item.code for item in items if _lacks(item, language)]
        if gaps:
            missing[language] = gaps
    return missing


def _lacks(item, language):
    texts = [item.text]
    if item.help_text:
        texts.append(item.help_text)
    texts += [o.get("text", {}) for o in item.options or []]
    texts += [r.get("text", {}) for r in item.rows or []]
    texts += [label for label in (item.scale_labels or {}).values() if label]
    return any(not (t or {}).get(language) for t in texts)
