"""Validation of one submitted questionnaire: the same rules for the public page and paper entry.

Pure Python (no Django). The caller builds one :class:`ItemSpec` per item (in the survey's order)
and passes the submitted form as ``{field name: [values]}`` (``dict(request.POST.lists())``).
Answer fields are named by :func:`field_name`: ``q.<item code>``, and ``q.<item code>.<row code>``
for a matrix row; any other field (the CSRF token, the form token, the language...) is not an
answer and is left alone. Item and row codes are slugs, so they never contain the dot.

:func:`clean_answers` returns the answers as stored in ``Response.answers`` (see the design: a
single choice → the option code, multiple → a list of option codes in the options' order, scale →
int, matrix → ``{row code: int}``, number → an int or a float, text → str), the errors per item
code as an error CODE (the Django layer words them), and the answer fields that name no item or
row (a form that was not ours, or was altered: ignored, but reported so that the caller can log
it as a tampering signal).

An item whose "show if" condition is not met is hidden: whatever was sent for it is dropped and
it is never required (without JavaScript every item is shown, so a respondent may have filled in
one that their later choice hides).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

from mreza.core.safefiles import CONTROL_RE

__all__ = [
    "ANSWER_PREFIX",
    "ERROR_CODES",
    "TEXT_LIMIT",
    "Answer",
    "Cleaned",
    "ItemSpec",
    "ShowIf",
    "clean_answers",
    "field_name",
    "is_shown",
]

Kind = Literal["single", "multiple", "scale", "matrix", "number", "text", "section"]
Answer = str | list[str] | int | float | dict[str, int]

ANSWER_PREFIX = "q."
#: the longest free-text answer (characters), as the design says
TEXT_LIMIT = 2000
# a choice, a scale value or a number is short; anything longer was not typed into our form
_VALUE_LIMIT = 40

REQUIRED = "required"
INVALID_CHOICE = "invalid_choice"
NOT_A_NUMBER = "not_a_number"
NOT_A_WHOLE_NUMBER = "not_a_whole_number"
OUT_OF_RANGE = "out_of_range"
TOO_LONG = "too_long"
CONTROL_CHARACTER = "control_character"
ONE_VALUE = "one_value"
INCOMPLETE = "incomplete"
ERROR_CODES = frozenset(
    {
        REQUIRED,
        INVALID_CHOICE,
        NOT_A_NUMBER,
        NOT_A_WHOLE_NUMBER,
        OUT_OF_RANGE,
        TOO_LONG,
        CONTROL_CHARACTER,
        ONE_VALUE,
        INCOMPLETE,
    }
)


@dataclass(frozen=True)
class ShowIf:
    """Show the item only if the choice item ``item`` was answered with one of ``any_of``."""

    item: str
    any_of: frozenset[str]


@dataclass(frozen=True)
class ItemSpec:
    """What validation needs to know of one item (built from the model in the services)."""

    code: str
    kind: Kind
    required: bool = False
    options: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    scale_min: int = 1
    scale_max: int = 5
    number_min: Decimal | None = None
    number_max: Decimal | None = None
    show_if: ShowIf | None = None

    @property
    def answerable(self) -> bool:
        return self.kind != "section"

    def fields(self) -> tuple[str, ...]:
        """The names of the form fields that answer this item."""
        if self.kind == "section":
            return ()
        if self.kind == "matrix":
            return tuple(field_name(self.code, row) for row in self.rows)
        return (field_name(self.code),)


@dataclass(frozen=True)
class Cleaned:
    """The outcome of :func:`clean_answers`. Unpacks as ``answers, errors`` (the design's
    contract); ``unknown`` holds the answer fields that matched no item."""

    answers: dict[str, Answer] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[dict[str, Answer] | dict[str, str]]:
        yield self.answers
        yield self.errors

    @property
    def ok(self) -> bool:
        return not self.errors


def field_name(code: str, row: str | None = None) -> str:
    return f"{ANSWER_PREFIX}{code}" if row is None else f"{ANSWER_PREFIX}{code}.{row}"


class _Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _sent(raw: Mapping[str, Sequence[str]], name: str) -> list[str]:
    """The values sent for one field, blanks included."""
    values = raw.get(name) or []
    if isinstance(values, str):  # a plain {name: value} mapping is accepted too
        values = [values]
    return [v for v in values if isinstance(v, str)]


def _values(raw: Mapping[str, Sequence[str]], name: str) -> list[str]:
    """The non-empty values sent for one field (an empty box or "no answer" radio sends "")."""
    return [v.strip() for v in _sent(raw, name) if v.strip()]


def _one(raw: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = _values(raw, name)
    if len(values) > 1:
        raise _Refused(ONE_VALUE)
    return values[0] if values else None


def _integer(value: str, low: int, high: int) -> int:
    if len(value) > _VALUE_LIMIT:
        raise _Refused(NOT_A_NUMBER)
    try:
        number = int(value)
    except ValueError:
        raise _Refused(NOT_A_WHOLE_NUMBER) from None
    if not low <= number <= high:
        raise _Refused(OUT_OF_RANGE)
    return number


def _number(value: str, low: Decimal | None, high: Decimal | None) -> int | float:
    # the respondent's locale may write a decimal comma (bs, hr, sr, bg)
    text = value.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if len(text) > _VALUE_LIMIT:
        raise _Refused(NOT_A_NUMBER)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Refused(NOT_A_NUMBER) from None
    if not number.is_finite():
        raise _Refused(NOT_A_NUMBER)
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Refused(OUT_OF_RANGE)
    if number == number.to_integral_value():
        return int(number)
    as_float = float(number)
    if not math.isfinite(as_float):
        raise _Refused(NOT_A_NUMBER)
    return as_float


def _text(value: str) -> str:
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > TEXT_LIMIT:
        raise _Refused(TOO_LONG)
    # tab and line breaks are fine in a comment; other control characters are not
    if CONTROL_RE.search(text):
        raise _Refused(CONTROL_CHARACTER)
    return text


def _clean_item(spec: ItemSpec, raw: Mapping[str, Sequence[str]]) -> Answer | None:
    """The answer to one shown item, None when unanswered; _Refused when it is not acceptable."""
    name = field_name(spec.code)
    if spec.kind == "multiple":
        values = _values(raw, name)
        chosen = set(values)
        # duplicates are dropped, but a flood of them was not sent by our form
        if len(values) > 2 * len(spec.options) or chosen - set(spec.options):
            raise _Refused(INVALID_CHOICE)
        return [option for option in spec.options if option in chosen] or None
    if spec.kind == "matrix":
        return _clean_matrix(spec, raw)
    if spec.kind == "text":
        # a text keeps its inner spacing; only blank answers count as none
        values = [v for v in _sent(raw, name) if v.strip()]
        if len(values) > 1:
            raise _Refused(ONE_VALUE)
        return _text(values[0].strip()) if values else None
    value = _one(raw, name)
    if value is None:
        return None
    if spec.kind == "single":
        if value not in spec.options:
            raise _Refused(INVALID_CHOICE)
        return value
    if spec.kind == "scale":
        return _integer(value, spec.scale_min, spec.scale_max)
    return _number(value, spec.number_min, spec.number_max)


def _clean_matrix(spec: ItemSpec, raw: Mapping[str, Sequence[str]]) -> dict[str, int] | None:
    rows: dict[str, int] = {}
    for row in spec.rows:
        value = _one(raw, field_name(spec.code, row))
        if value is not None:
            rows[row] = _integer(value, spec.scale_min, spec.scale_max)
    if spec.required and rows and len(rows) < len(spec.rows):
        # a required matrix is answered row by row: a half-answered one is pointed out
        raise _Refused(INCOMPLETE)
    return rows or None


def is_shown(
    spec: ItemSpec, by_code: Mapping[str, ItemSpec], answers: Mapping[str, Answer]
) -> bool:
    """Whether the item is shown, given the (cleaned) answers to the items it depends on.

    A condition on an item that does not exist shows the item (nothing is lost); the item it
    depends on must itself be shown (chains), and a cycle hides every item in it."""
    seen: set[str] = set()
    current: ItemSpec | None = spec
    while current is not None and current.show_if is not None:
        if current.code in seen:
            return False
        seen.add(current.code)
        condition = current.show_if
        if condition.item not in by_code:
            return True
        answer = answers.get(condition.item)
        if isinstance(answer, str):
            chosen = {answer}
        else:
            chosen = set(answer) if isinstance(answer, list) else set()
        if not chosen & condition.any_of:
            return False
        current = by_code[condition.item]
    return True


def _unknown_fields(specs: Sequence[ItemSpec], raw: Mapping[str, Sequence[str]]) -> list[str]:
    known = {name for spec in specs for name in spec.fields()}
    return sorted(k for k in raw if k.startswith(ANSWER_PREFIX) and k not in known)


def clean_answers(specs: Sequence[ItemSpec], raw: Mapping[str, Sequence[str]]) -> Cleaned:
    """Validate a submission against the items (see the module's docstring).

    Two passes: first every item's value as sent (so that a condition may look at any choice
    item), then visibility, requirement and the final answers."""
    by_code = {spec.code: spec for spec in specs}
    sent: dict[str, Answer] = {}
    refused: dict[str, str] = {}
    for spec in specs:
        if not spec.answerable:
            continue
        try:
            value = _clean_item(spec, raw)
        except _Refused as error:
            refused[spec.code] = error.code
            continue
        if value is not None:
            sent[spec.code] = value
    answers: dict[str, Answer] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        if not spec.answerable or not is_shown(spec, by_code, sent):
            continue
        if spec.code in refused:
            errors[spec.code] = refused[spec.code]
        elif spec.code in sent:
            answers[spec.code] = sent[spec.code]
        elif spec.required:
            errors[spec.code] = REQUIRED
    return Cleaned(answers, errors, tuple(_unknown_fields(specs, raw)))
