"""Reading an uploaded scoring workbook (the API is in the package, ``__init__.py``).

All problems are collected and raised together as one :class:`WorkbookError`;
nothing is returned unless the whole workbook is acceptable.
"""

from __future__ import annotations

import hmac
import io
import json
import re
import warnings
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from mreza.core import safefiles

from .common import (
    CODE_CHANGED,
    DONT_KNOW_INVALID,
    DONT_KNOW_NOT_ALLOWED,
    FIRST_ROW,
    FORMAT_TAG,
    FORMULA,
    HEADER_CHANGED,
    HEADER_ROW,
    MAX_ARCHIVE_MEMBERS,
    MAX_TEXT_LENGTH,
    MAX_UNPACKED_BYTES,
    META_SHEET,
    NOT_A_NUMBER,
    NOT_APPLICABLE,
    NOT_APPLICABLE_MARK,
    NOT_XLSX,
    OFF_GRID,
    OTHER_ASSESSMENT,
    OTHER_ASSESSOR,
    OUT_OF_RANGE,
    OUTSIDE_TABLE,
    PARTIAL_DIMENSIONS,
    SCORE_AND_DONT_KNOW,
    TAMPERED,
    TEXT_KEYS,
    TEXT_TOO_LONG,
    TOO_LARGE,
    WRONG_FRAMEWORK,
    Problem,
    WorkbookError,
    column_keys,
    fingerprint,
    fmt_num,
    row_dimensions,
    scale_of,
    scale_params,
)

_NUMBER_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
#: How far beyond the table we look for stray content (the rest is ignored).
EXTRA_ROWS = 500
EXTRA_COLUMNS = 26
MAX_NUMBER_CHARS = 30
MAX_OUTSIDE_PROBLEMS = 5


def parse(
    content: bytes, expected_meta: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]
) -> list[dict]:
    problem = _check_archive(content)
    if problem is not None:
        raise WorkbookError([problem])
    books = []
    try:
        books.extend(
            _unreadable_is_not_xlsx(_load, content, data_only) for data_only in (True, False)
        )
        return _Reader(books[0], books[1], expected_meta, rows).run()
    finally:
        for book in books:
            book.close()


def _load(content: bytes, data_only: bool):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not support
        return load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)


def _unreadable_is_not_xlsx(call, *args):
    """Run an openpyxl call; whatever it cannot make sense of is "not a workbook"."""
    try:
        return call(*args)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, ParseError, ...
        raise WorkbookError([Problem(NOT_XLSX, {})]) from exc


def _check_archive(content: bytes) -> Problem | None:
    """Reject non-zip files, zip files that are no workbook, zip bombs and DTDs (shared guard)."""
    refusal = safefiles.check_zip(
        content, max_unpacked=MAX_UNPACKED_BYTES, max_members=MAX_ARCHIVE_MEMBERS
    )
    if refusal is None:
        return None
    if refusal.code in (safefiles.TOO_LARGE, safefiles.TOO_MANY, safefiles.BOMB):
        return Problem(TOO_LARGE, {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)})
    return Problem(NOT_XLSX, {})


def _read_meta(wb) -> dict[str, str] | None:
    if META_SHEET not in wb.sheetnames:
        return None
    meta: dict[str, str] = {}
    for key, value, *_ in wb[META_SHEET].iter_rows(
        min_row=1, max_row=100, max_col=2, values_only=True
    ):
        if key is None:
            continue
        if str(key) in meta:
            return None
        meta[str(key)] = "" if value is None else str(value)
    return meta


def _grid(ws, max_row: int, max_col: int) -> dict[tuple[int, int], Any]:
    """Non-empty cells of *ws* within the bounds: {(row, col): cell}."""
    cells = {}
    for r, row in enumerate(
        ws.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col), start=1
    ):
        for c, cell in enumerate(row, start=1):
            if not _is_empty(cell.value):
                cells[(r, c)] = cell
    return cells


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    text = value.isoformat() if isinstance(value, datetime | date | time) else str(value)
    return text if len(text) <= 50 else text[:49] + "…"


class _Reader:
    def __init__(self, values_wb, formulas_wb, expected, rows):
        self.values_wb, self.formulas_wb = values_wb, formulas_wb
        self.expected, self.rows = expected, rows
        self.method = str(expected["method"])
        self.columns = column_keys(self.method, rows)
        self.codes = [str(row["code"]).strip() for row in rows]
        self.problems: list[Problem] = []

    def fail(self, message: str, **params) -> None:
        problem = Problem(message, params)
        if problem not in self.problems:
            self.problems.append(problem)

    def at(self, message: str, r: int, c: int, **params) -> None:
        cell = f"{get_column_letter(c)}{r}"
        self.problems.append(Problem(message, params, sheet=self.sheet, cell=cell))

    def stop(self):
        return WorkbookError(self.problems)

    # -- meta ------------------------------------------------------------------

    def check_meta(self) -> dict[str, str]:
        meta = _unreadable_is_not_xlsx(_read_meta, self.values_wb)
        if meta is None or meta.get("format") != FORMAT_TAG:
            self.fail(TAMPERED)
            raise self.stop()
        exp = {k: str(v) for k, v in self.expected.items()}
        found = (meta.get("framework"), meta.get("framework_version"), meta.get("method"))
        wanted = (exp["framework"], exp["framework_version"], exp["method"])
        if found != wanted:
            self.fail(
                WRONG_FRAMEWORK,
                found="{} {} ({})".format(*(x or "?" for x in found)),
                expected="{} {} ({})".format(*wanted),
            )
            raise self.stop()
        same_assessment = meta.get("assessment") == exp["assessment"]
        same_assessor = meta.get("assessor") == exp["assessor"]
        if not same_assessment:
            self.fail(OTHER_ASSESSMENT)
        if not same_assessor:
            self.fail(OTHER_ASSESSOR)
        signature_ok = hmac.compare_digest(
            meta.get("signature", "").encode(), exp["signature"].encode()
        )
        if same_assessment and same_assessor and not signature_ok:
            self.fail(TAMPERED)
        try:
            headers = json.loads(meta.get("headers", ""))
        except ValueError:
            headers = None
        if (
            meta.get("fingerprint") != fingerprint(exp, self.codes, self.columns)
            or not isinstance(headers, list)
            or len(headers) != len(self.columns)
            or meta.get("sheet") not in self.values_wb.sheetnames
            or meta.get("sheet") == META_SHEET
        ):
            self.fail(TAMPERED)
            raise self.stop()
        meta["_headers"] = headers
        return meta

    # -- run -------------------------------------------------------------------

    def run(self) -> list[dict]:
        meta = self.check_meta()
        self.sheet = meta["sheet"]
        self.headers = [str(h) for h in meta["_headers"]]
        self.yes = meta.get("yes", "")
        self.dk_value = meta.get("dont_know_value", "")
        last_row = FIRST_ROW + len(self.rows) - 1
        ncols = len(self.columns)
        bounds = (last_row + EXTRA_ROWS, ncols + EXTRA_COLUMNS)
        self.cells = _unreadable_is_not_xlsx(_grid, self.values_wb[self.sheet], *bounds)
        formulas = _unreadable_is_not_xlsx(_grid, self.formulas_wb[self.sheet], *bounds)
        self.formulas = {pos for pos, cell in formulas.items() if cell.data_type == "f"}

        headers_ok = True
        for c, expected in enumerate(self.headers, start=1):
            found = self.value(HEADER_ROW, c)
            if found is None or str(found).strip() != expected.strip():
                self.at(HEADER_CHANGED, HEADER_ROW, c, expected=expected)
                headers_ok = False
        outside_rows: list[int] = []
        for r, c in sorted(self.cells):
            if (r > last_row or c > ncols) and r not in outside_rows:
                if len(outside_rows) < MAX_OUTSIDE_PROBLEMS:
                    self.at(OUTSIDE_TABLE, r, c)
                outside_rows.append(r)

        results = []
        for i, (row, code) in enumerate(zip(self.rows, self.codes, strict=True)):
            r = FIRST_ROW + i
            found = self.value(r, 1)
            found_code = "" if found is None else str(found).strip()
            if found_code != code:
                self.at(CODE_CHANGED, r, 1, expected=code, found=_shown(found_code))
            elif headers_ok:
                results.append(self.read_row(r, row, code))
        if self.problems:
            raise self.stop()
        return results

    # -- cells -----------------------------------------------------------------

    def value(self, r: int, c: int) -> Any:
        cell = self.cells.get((r, c))
        return None if cell is None else cell.value

    def raw(self, r: int, c: int, code: str) -> tuple[bool, Any]:
        """(ok, value): the cached value, or a problem for a formula without one."""
        value = self.value(r, c)
        if value is None and (r, c) in self.formulas:
            self.at(FORMULA, r, c, code=code)
            return False, None
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        return True, value

    def is_dont_know_word(self, value: Any, *, score_cell: bool = False) -> bool:
        """The "don't know" word (typed into a score cell) or the "yes" word (in its column)."""
        words = (self.dk_value,) if score_cell else (self.yes, self.dk_value, "yes", "x")
        return isinstance(value, str) and value.casefold() in {w.casefold() for w in words if w}

    def number(self, r: int, c: int, code: str, panel, dk_text_ok: bool):
        """Return (state, number): state is 'empty', 'dont_know', 'ok' or 'bad'."""
        ok, value = self.raw(r, c, code)
        if not ok:
            return "bad", None
        if value is None or value == "" or value == NOT_APPLICABLE_MARK:
            return "empty", None
        if dk_text_ok and self.is_dont_know_word(value, score_cell=True):
            return "dont_know", None
        lo, hi, step = scale_of(panel)
        params = {"code": code, "value": _shown(value), **scale_params(panel)}
        number = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(str(value))
        elif isinstance(value, str) and _NUMBER_RE.match(value):
            if len(value) > MAX_NUMBER_CHARS:  # no score has 30 digits (and 4,300 break int())
                self.at(OUT_OF_RANGE, r, c, **params)
                return "bad", None
            number = Decimal(value.replace(",", "."))
        try:
            valid = number is not None and number.is_finite()
        except InvalidOperation:  # pragma: no cover - defensive
            valid = False
        if not valid:
            self.at(NOT_A_NUMBER, r, c, **params)
            return "bad", None
        params["value"] = _shown(fmt_num(number))
        if number < lo or number > hi:
            self.at(OUT_OF_RANGE, r, c, **params)
            return "bad", None
        if (number - lo) % step:
            self.at(OFF_GRID, r, c, **params)
            return "bad", None
        return "ok", int(number) if number == number.to_integral_value() else float(number)

    def dont_know(self, r: int, c: int, code: str, panel) -> tuple[bool, bool]:
        """(ok, marked)."""
        ok, value = self.raw(r, c, code)
        if not ok:
            return False, False
        if (
            value is None
            or value == ""
            or value == NOT_APPLICABLE_MARK
            or value is False
            or value == 0
        ):
            return True, False
        if value is True or value == 1 or self.is_dont_know_word(value):
            if panel.get("allow_no_score", True) is False:
                self.at(DONT_KNOW_NOT_ALLOWED, r, c, code=code, dont_know=self.header("dont_know"))
                return False, False
            return True, True
        self.at(DONT_KNOW_INVALID, r, c, code=code, yes=self.yes)
        return False, False

    def header(self, key: str) -> str:
        return self.headers[self.columns.index(key)]

    def col(self, key: str) -> int:
        return self.columns.index(key) + 1

    def read_row(self, r: int, row: Mapping[str, Any], code: str) -> dict:
        panel = row["panel"]
        result: dict[str, Any] = {"code": code, "score": None, "dimensions": {}}
        dk_col = self.col("dont_know")
        _, marked = self.dont_know(r, dk_col, code, panel)
        dk_cell = f"{get_column_letter(dk_col)}{r}"
        clash = {"code": code, "dont_know": self.header("dont_know"), "dont_know_cell": dk_cell}

        if self.method == "fine_tuned":
            dims = [d["code"] for d in row_dimensions(row, self.method)]
            given: dict[str, Any] = {}
            empty: list[int] = []
            filled: list[int] = []
            for key in self.columns:
                if not key.startswith("dim:"):
                    continue
                c = self.col(key)
                if key[4:] not in dims:
                    ok, value = self.raw(r, c, code)
                    if ok and value not in (None, "", NOT_APPLICABLE_MARK):
                        self.at(NOT_APPLICABLE, r, c, code=code, dimension=self.header(key))
                    continue
                state, number = self.number(r, c, code, panel, dk_text_ok=False)
                if state == "empty":
                    empty.append(c)
                else:
                    filled.append(c)
                if state == "ok":
                    given[key[4:]] = number
                    if marked and len(given) == 1:
                        self.at(SCORE_AND_DONT_KNOW, r, c, **clash)
            if filled and empty and not marked:
                names = ", ".join(self.header(f"dim:{d}") for d in dims)
                cells = ", ".join(f"{get_column_letter(c)}{r}" for c in empty)
                self.at(PARTIAL_DIMENSIONS, r, empty[0], code=code, dimensions=names, cells=cells)
            elif not marked and len(given) == len(dims):
                result["dimensions"] = {d: given[d] for d in dims}
        else:
            c = self.col("score")
            state, number = self.number(r, c, code, panel, dk_text_ok=True)
            if state == "dont_know" and panel.get("allow_no_score", True) is False:
                self.at(DONT_KNOW_NOT_ALLOWED, r, c, code=code, dont_know=self.header("dont_know"))
            elif state == "dont_know":
                marked = True
            elif state == "ok" and marked:
                self.at(SCORE_AND_DONT_KNOW, r, c, **clash)
            elif state == "ok":
                result["score"] = number
        result["dont_know"] = marked

        for key in TEXT_KEYS:
            c = self.col(key)
            _, value = self.raw(r, c, code)
            text = "" if value is None else _as_text(value)
            if len(text) > MAX_TEXT_LENGTH:
                self.at(TEXT_TOO_LONG, r, c, code=code, length=len(text), limit=MAX_TEXT_LENGTH)
            result[key] = text
        return result


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()
