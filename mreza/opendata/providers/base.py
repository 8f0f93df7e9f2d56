"""What a dataset is: a name, a description, its fields (a Frictionless Data "Table Schema") and
a function that yields its rows as tuples in the fields' order.

A provider reads only what the public pages show, through the access package's querysets for an
anonymous visitor (`access.anonymous_visitor()`), in a fixed number of queries whatever the number
of rows. Adding a dataset is one `Dataset(...)` in a provider module and one entry in
`providers.DATASETS`.
"""

import datetime
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: The languages multilingual texts (frameworks, surveys) are written out in, one column each.
LANGUAGES = ("en", "bs", "hr", "sr", "bg")

#: Frictionless Data field types used here.
STRING, INTEGER, NUMBER, BOOLEAN, DATE, DATETIME = (
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: Promise | str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Promise | str
    description: Promise | str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[tuple]]

    @property
    def field_names(self):
        return [f.name for f in self.fields]


def _in_language(what, code):
    return gettext("%(what)s, in the language %(language)s") % {"what": what, "language": code}


_in_language_lazy = lazy(_in_language, str)


def text_fields(prefix, what):
    """One string column per language for a text stored in several languages (empty where the
    text has no version in that language)."""
    return tuple(
        Field(f"{prefix}_{code}", STRING, _in_language_lazy(what, code)) for code in LANGUAGES
    )


def texts(mapping):
    """The per-language values of a multilingual text ({en, bs, ...}), empty where missing."""
    mapping = mapping if isinstance(mapping, dict) else {}
    return tuple(str(mapping.get(code) or "") for code in LANGUAGES)


def plain(value):
    """A value as JSON carries it: dates as ISO text, decimals as numbers."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, Promise):
        return str(value)
    return value


# Descriptions several datasets share (one translation each).
MUNICIPALITY_CODE = _("Code of the municipality (see municipalities.csv)")
WORKSPACE_ID = _("Identifier of the published workspace (see workspaces.csv)")
FRAMEWORK_CODE = _("Code of the assessment framework")
FRAMEWORK_VERSION = _("Version of the assessment framework")
SUBCRITERION_CODE = _("Code of the subcriterion in its framework")
