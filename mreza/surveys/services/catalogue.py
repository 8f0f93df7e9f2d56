"""The shipped survey templates (mreza/surveys/catalogue/<name>.json): a title, an introduction,
a thank-you text and items, every text in en, bs, hr, sr (Cyrillic) and bg. Item codes are stable
across municipalities and versions (the evaluation compares `overall`)."""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"

# the templates offered on "new survey", with their names in the interface
TEMPLATES = {"satisfaction": _("Citizen satisfaction (the shared questionnaire)")}

# the fields an item of a template may set (the rest keep the model's defaults)
ITEM_KEYS = (
    "code",
    "kind",
    "text",
    "help_text",
    "required",
    "is_demographic",
    "options",
    "rows",
    "scale_min",
    "scale_max",
    "scale_labels",
    "number_min",
    "number_max",
    "show_if",
)


class UnknownTemplate(KeyError):
    pass


@cache
def load(name: str) -> dict:
    """The template `name` as shipped (read once per process; callers must not change it)."""
    if name not in TEMPLATES:
        raise UnknownTemplate(name)
    with open(CATALOGUE_DIR / f"{name}.json", encoding="utf-8") as handle:
        data = json.load(handle)
    for item in data["items"]:
        unknown = set(item) - set(ITEM_KEYS)
        if unknown:
            raise ValueError(f"{name}.json: item {item.get('code')}: unknown keys {unknown}")
    return data


def item_values(name: str) -> list[dict]:
    """Fresh copies of the template's items, ready for Item(**values)."""
    return [json.loads(json.dumps(item)) for item in load(name)["items"]]
