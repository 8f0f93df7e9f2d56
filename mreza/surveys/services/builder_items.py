"""The items (questions and headings) of a survey: add, change, delete and move them, and keep
"show only if" pointing at the right question. Refused once the survey has answers.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from mreza.core.versioning import save_versioned
from mreza.surveys.models import Item, Survey
from mreza.surveys.services.builder_common import (
    ITEM_FIELDS,
    SurveyRefused,
    merge_texts,
    refuse_if_frozen,
)


def dependents(survey: Survey, code: str) -> list[Item]:
    """The items shown only depending on the answer to item `code`."""
    return [i for i in survey.items.all() if (i.show_if or {}).get("item") == code]


def _item_values(item, values, languages):
    out = {}
    for field in ITEM_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if field in ("text", "help_text"):
            value = merge_texts(getattr(item, field, None), value, languages)
        out[field] = value
    return out


def create_item(survey: Survey, values) -> Item:
    """A new item at the end of the survey (the form has checked codes, ranges and show-if)."""
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        refuse_if_frozen(survey)
        last = survey.items.aggregate(last=Max("position"))["last"]
        return Item.objects.create(
            survey=survey,
            position=0 if last is None else last + 1,
            **_item_values(None, values, survey.languages),
        )


def update_item(item: Item, values, expected_version: int) -> Item:
    """Raises EditConflict when someone saved the item since `expected_version`, SurveyRefused
    when the survey has answers. A changed code is followed by the items that depend on it."""
    survey = item.survey
    with transaction.atomic():
        refuse_if_frozen(survey)
        old_code = item.code
        changes = _item_values(item, values, survey.languages)
        for field, value in changes.items():
            setattr(item, field, value)
        save_versioned(item, list(changes), expected_version)
        if item.code != old_code:
            for other in dependents(survey, old_code):
                other.show_if = {**other.show_if, "item": item.code}
                other.save(update_fields=["show_if"])
        return item


def delete_item(item: Item) -> None:
    survey = item.survey
    with transaction.atomic():
        refuse_if_frozen(survey)
        waiting = dependents(survey, item.code)
        if waiting:
            raise SurveyRefused(
                _(
                    "Other questions are shown depending on the answer to this one (%(codes)s). "
                    "Change their “show only if” first."
                ),
                code="has_dependents",
                params={"codes": ", ".join(i.code for i in waiting)},
            )
        item.delete()


def move_item(item: Item, step: int) -> None:
    """Move the item one place up (step -1) or down (+1). A question stays after the one whose
    answer decides whether it is shown."""
    survey = item.survey
    with transaction.atomic():
        refuse_if_frozen(survey)
        items = list(survey.items.order_by("position", "id"))
        index = next(i for i, one in enumerate(items) if one.pk == item.pk)
        other = index + step
        if step not in (-1, 1) or not 0 <= other < len(items):
            return
        first, second = sorted((items[index], items[other]), key=items.index)
        if (second.show_if or {}).get("item") == first.code:
            raise SurveyRefused(
                _(
                    "“%(later)s” is shown depending on the answer to “%(earlier)s”, so it must "
                    "stay after it."
                ),
                code="order",
                params={"later": second.code, "earlier": first.code},
            )
        items[index], items[other] = items[other], items[index]
        for position, one in enumerate(items):
            if one.position != position:
                one.position = position
                one.save(update_fields=["position"])
