"""What the workbook builder and parser share: the file format, the limits, the problem messages.

Pure Python (no Django); the public API and its description are in the package (`__init__.py`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark *message* for translation without translating it (like Django's)."""
    return message


FORMAT_TAG = "mreza-workbook/1"
META_SHEET = "_meta"
METHODS = ("classic", "fine_tuned", "maturity")
MAX_TEXT_LENGTH = 5000
#: Refuse archives that unpack to more than this (a real workbook is < 1 MB).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 500
HEADER_ROW = 1
FIRST_ROW = 2
READ_ONLY_KEYS = ("code", "criterion", "title")
TEXT_KEYS = ("strengths", "improvements", "ideas", "evidence")
#: What inapplicable (locked) cells show.
NOT_APPLICABLE_MARK = "—"
META_KEYS = ("assessment", "framework", "framework_version", "method", "assessor", "signature")

# --------------------------------------------------------------------------- messages

NOT_XLSX = gettext_noop(
    "This file is not an Excel workbook (.xlsx), or it is damaged. Upload the workbook you "
    "downloaded, saved in the .xlsx format (in LibreOffice: “Excel 2007-365 (.xlsx)”) and "
    "without a password."
)
TOO_LARGE = gettext_noop(
    "This file is too large to be a scoring workbook (it unpacks to more than %(limit)s MB)."
)
TAMPERED = gettext_noop(
    "The workbook's structure was changed, so it cannot be read safely. Download a new "
    "workbook and copy your answers into it."
)
HEADER_CHANGED = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s: the column heading was changed; it should read "
    "“%(expected)s”. The workbook's structure must not be changed: download a new workbook "
    "and copy your answers into it."
)
CODE_CHANGED = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s: expected the subcriterion code %(expected)s, found "
    "“%(found)s”. The workbook's structure was changed: rows must not be added, deleted, "
    "reordered or edited. Download a new workbook and copy your answers into it."
)
OUTSIDE_TABLE = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s is outside the scoring table. Rows and columns must not "
    "be added: move this text into one of the comment columns, or delete it."
)
WRONG_FRAMEWORK = gettext_noop(
    "This workbook is for framework %(found)s, not %(expected)s. Download a new workbook for "
    "this assessment."
)
OTHER_ASSESSMENT = gettext_noop(
    "This workbook belongs to another assessment. Upload the workbook you downloaded for this "
    "assessment."
)
OTHER_ASSESSOR = gettext_noop(
    "This workbook was downloaded by another assessor. Upload the workbook you downloaded yourself."
)
NOT_A_NUMBER = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): “%(value)s” is not a number. Enter a number "
    "from %(min)s to %(max)s in steps of %(step)s, or leave the cell empty."
)
OUT_OF_RANGE = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): %(value)s is outside the allowed range "
    "%(min)s to %(max)s."
)
OFF_GRID = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): %(value)s is not allowed. Enter a number from "
    "%(min)s to %(max)s in steps of %(step)s."
)
FORMULA = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): the cell contains a formula without a "
    "calculated value; type the number (or text) instead."
)
SCORE_AND_DONT_KNOW = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): a score is given although “%(dont_know)s” is "
    "marked in cell %(dont_know_cell)s. Remove one of the two."
)
DONT_KNOW_INVALID = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): write “%(yes)s” or leave the cell empty."
)
DONT_KNOW_NOT_ALLOWED = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): “%(dont_know)s” cannot be chosen for this "
    "subcriterion; leave the cell empty."
)
PARTIAL_DIMENSIONS = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): give all scores of this subcriterion "
    "(%(dimensions)s) or none. Missing: %(cells)s."
)
NOT_APPLICABLE = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): “%(dimension)s” does not apply to this "
    "subcriterion; leave the cell empty."
)
TEXT_TOO_LONG = gettext_noop(
    "Sheet %(sheet)s, cell %(cell)s (%(code)s): the text has %(length)s characters; at most "
    "%(limit)s are allowed."
)

# Texts written into the workbook (translated at build time with ``gettext``).
PROMPT_WHOLE = gettext_noop(
    "Enter a whole number from %(min)s to %(max)s, or leave the cell empty."
)
PROMPT_STEP = gettext_noop(
    "Enter a number from %(min)s to %(max)s in steps of %(step)s, or leave the cell empty."
)
ERROR_TITLE = gettext_noop("Invalid value")
DONT_KNOW_PROMPT = gettext_noop(
    "Choose “%(yes)s” if you cannot score this subcriterion; otherwise leave the cell empty."
)
TEXT_LIMIT_ERROR = gettext_noop("At most %(limit)s characters are allowed.")
LEVEL = gettext_noop("Level")
MEANING = gettext_noop("Meaning")
APPLIES_TO = gettext_noop("Subcriteria: %(codes)s")


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One problem with an uploaded workbook.

    ``message`` is the untranslated template; ``params`` fills it (it always
    contains ``sheet`` and ``cell`` when those are known).
    """

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None
    cell: str | None = None

    def __post_init__(self) -> None:
        params = dict(self.params)
        if self.sheet is not None:
            params.setdefault("sheet", self.sheet)
        if self.cell is not None:
            params.setdefault("cell", self.cell)
        object.__setattr__(self, "params", params)

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        return (gettext or gettext_noop)(self.message) % self.params


class WorkbookError(ValueError):
    """An uploaded workbook cannot be accepted; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(p.render() for p in self.problems))


# --------------------------------------------------------------------------- shared helpers


def text_of(value: Any) -> str:
    """A plain string for a label that should already be resolved (falls back to ``en``)."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return str(value.get("en") or next(iter(value.values()), ""))
    return str(value)


def row_dimensions(row: Mapping[str, Any], method: str) -> list[dict]:
    """The dimensions of a row's panel that get their own column (fine_tuned only)."""
    if method != "fine_tuned":
        return []
    return list(row["panel"].get("dimensions") or [])


def column_keys(method: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Internal keys of the Scores sheet's columns, in order.

    ``fine_tuned`` gets one ``dim:<code>`` column per dimension code found in
    any row's panel (first-seen order, e.g. plan, do, check, act, trends,
    targets); the other methods get one ``score`` column.
    """
    if method not in METHODS:
        raise ValueError(f"unknown scoring method {method!r}")
    keys = list(READ_ONLY_KEYS)
    if method == "fine_tuned":
        seen: list[str] = []
        for row in rows:
            for dim in row_dimensions(row, method):
                if dim["code"] not in seen:
                    seen.append(dim["code"])
        if not seen:
            raise ValueError("method fine_tuned needs panels with dimensions")
        keys += [f"dim:{code}" for code in seen]
    else:
        keys.append("score")
    return [*keys, "dont_know", *TEXT_KEYS]


def fingerprint(meta: Mapping[str, Any], codes: Sequence[str], columns: Sequence[str]) -> str:
    """sha256 over what fixes the workbook's layout (not its contents)."""
    payload = {
        "format": FORMAT_TAG,
        "framework": str(meta["framework"]),
        "framework_version": str(meta["framework_version"]),
        "method": str(meta["method"]),
        "codes": [str(c) for c in codes],
        "columns": list(columns),
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def scale_of(panel: Mapping[str, Any]) -> tuple[Decimal, Decimal, Decimal]:
    return (Decimal(str(panel["min"])), Decimal(str(panel["max"])), Decimal(str(panel["step"])))


def fmt_num(value: Decimal | int | float) -> str:
    """``55`` for integral values, ``55.5`` otherwise (never exponent notation)."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def scale_params(panel: Mapping[str, Any]) -> dict[str, str]:
    lo, hi, step = scale_of(panel)
    return {"min": fmt_num(lo), "max": fmt_num(hi), "step": fmt_num(step)}
