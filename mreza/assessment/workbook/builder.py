"""Building the offline scoring workbook (the API is in the package, ``__init__.py``).

``spec`` = ``{"meta": {...}, "labels": {...}, "rows": [...]}``:

* ``meta``: ``assessment``, ``framework``, ``framework_version``, ``method``,
  ``assessor``, ``signature`` (opaque strings, stored in the hidden sheet);
* ``labels``: sheet names and column headings, already translated;
* ``rows``: ``{"code", "criterion", "title", "panel", "existing"}`` per
  subcriterion; ``panel`` is the framework panel with band texts resolved to
  plain strings, ``existing`` the answers saved so far (may be empty).

Layout: an Instructions sheet; the Scores sheet (header row 1, one row per
subcriterion from row 2; read-only columns code/criterion/title in grey, then
the score column(s), "don't know", four comment columns); and a very hidden
``_meta`` sheet.  Sheets are protected without a password; input cells are
unlocked.  Score cells carry range validations; the step is checked on upload.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from mreza.core import exports

from .common import (
    APPLIES_TO,
    DONT_KNOW_PROMPT,
    ERROR_TITLE,
    FIRST_ROW,
    FORMAT_TAG,
    HEADER_ROW,
    LEVEL,
    MAX_TEXT_LENGTH,
    MEANING,
    META_KEYS,
    META_SHEET,
    NOT_APPLICABLE_MARK,
    PROMPT_STEP,
    PROMPT_WHOLE,
    READ_ONLY_KEYS,
    TEXT_KEYS,
    TEXT_LIMIT_ERROR,
    column_keys,
    fingerprint,
    fmt_num,
    row_dimensions,
    scale_of,
    scale_params,
    text_of,
)

GREY = PatternFill("solid", fgColor="EDEDED")
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)
WIDTHS = {"code": 8, "criterion": 22, "title": 46, "score": 10, "dont_know": 12}
TEXT_WIDTH = 42
LABEL_KEYS = {
    "code": "code",
    "criterion": "criterion",
    "title": "subcriterion",
    "score": "score",
    "dont_know": "dont_know",
    **{k: k for k in TEXT_KEYS},
}


def set_text(cell, value: Any) -> None:
    """Write *value* as a plain string (never a formula, no illegal XML characters)."""
    exports.set_text(cell, value)  # the one guard every export uses


def protect(ws) -> None:
    ws.protection.sheet = True  # no password: this prevents accidents, not attacks
    ws.protection.formatColumns = False  # allowed: resize columns and rows
    ws.protection.formatRows = False


def _validate_spec(spec: Mapping[str, Any]) -> None:
    meta, labels, rows = spec["meta"], spec["labels"], spec["rows"]
    missing = [k for k in META_KEYS if meta.get(k) in (None, "")]
    if missing:
        raise ValueError(f"meta is missing {', '.join(missing)}")
    codes = [str(row["code"]).strip() for row in rows]
    if not rows or "" in codes or len(set(codes)) != len(codes):
        raise ValueError("rows need unique, non-empty codes")
    names = {labels["sheet"], labels["instructions_sheet"], META_SHEET}
    if len(names) != 3:
        raise ValueError("sheet names must differ from each other and from _meta")
    if "," in labels["yes"] or not labels["yes"].strip():
        raise ValueError("the 'yes' word must be non-empty and contain no comma")


def build(spec: Mapping[str, Any], *, gettext: Callable[[str], str]) -> bytes:
    _validate_spec(spec)
    meta, labels, rows = spec["meta"], spec["labels"], spec["rows"]
    method = meta["method"]
    columns = column_keys(method, rows)
    dim_names: dict[str, str] = {}
    for row in rows:
        for dim in row_dimensions(row, method):
            dim_names.setdefault(dim["code"], text_of(dim.get("name")) or dim["code"])
    headers = [
        dim_names[key[4:]] if key.startswith("dim:") else str(labels[LABEL_KEYS[key]])
        for key in columns
    ]

    wb = Workbook()
    intro = wb.active
    intro.title = labels["instructions_sheet"]
    _instructions(intro, spec, method, gettext)
    ws = wb.create_sheet(labels["sheet"])
    _scores(ws, rows, method, columns, headers, labels, gettext)
    _meta(wb, meta, labels, rows, columns, headers)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "Mreža"
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _scores(ws, rows, method, columns, headers, labels, gettext) -> None:
    for c, (key, header) in enumerate(zip(columns, headers, strict=True), start=1):
        cell = ws.cell(HEADER_ROW, c)
        set_text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.protection = LOCKED
        width = TEXT_WIDTH if key in TEXT_KEYS else WIDTHS.get(key, WIDTHS["score"])
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[HEADER_ROW].height = 32

    score_dvs: dict[tuple, DataValidation] = {}
    yes = str(labels["yes"])
    dk_dv = DataValidation(
        type="list",
        formula1='"{}"'.format(yes.replace('"', '""')),
        allow_blank=True,
        showDropDown=False,
    )
    dk_dv.promptTitle = str(labels["dont_know"])[:32]
    dk_dv.prompt = (gettext(DONT_KNOW_PROMPT) % {"yes": yes})[:255]
    dk_dv.showInputMessage = dk_dv.showErrorMessage = True
    limit = {"limit": MAX_TEXT_LENGTH}
    text_dv = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(MAX_TEXT_LENGTH),
        allow_blank=True,
    )
    text_dv.error = (gettext(TEXT_LIMIT_ERROR) % limit)[:225]
    text_dv.showErrorMessage = True

    def score_cell(cell, panel, value):
        lo, hi, step = scale_of(panel)
        whole = all(x == x.to_integral_value() for x in (lo, hi, step))
        key = (whole, lo, hi, step)
        dv = score_dvs.get(key)
        if dv is None:
            params = scale_params(panel)
            text = gettext(PROMPT_WHOLE if whole and step == 1 else PROMPT_STEP) % params
            dv = DataValidation(
                type="whole" if whole else "decimal",
                operator="between",
                formula1=fmt_num(lo),
                formula2=fmt_num(hi),
                allow_blank=True,
            )
            dv.promptTitle = str(labels["score"])[:32]
            dv.prompt, dv.error = text[:255], text[:225]  # Excel's limits
            dv.errorTitle = gettext(ERROR_TITLE)[:32]
            dv.showInputMessage = dv.showErrorMessage = True
            score_dvs[key] = dv
        dv.add(cell.coordinate)
        cell.value = value
        cell.protection = UNLOCKED
        cell.alignment = Alignment(horizontal="center", vertical="top")

    def not_applicable(cell):
        set_text(cell, NOT_APPLICABLE_MARK)
        cell.fill = GREY
        cell.font = Font(color="808080")
        cell.protection = LOCKED
        cell.alignment = Alignment(horizontal="center", vertical="top")

    for i, row in enumerate(rows):
        r = FIRST_ROW + i
        panel = row["panel"]
        existing = row.get("existing") or {}
        dont_know = bool(existing.get("dont_know"))
        dims = {d["code"] for d in row_dimensions(row, method)}
        given = existing.get("dimensions") or {}
        for c, key in enumerate(columns, start=1):
            cell = ws.cell(r, c)
            cell.border = BORDER
            if key in READ_ONLY_KEYS:
                set_text(cell, text_of(row.get(key)) if key != "code" else str(row["code"]).strip())
                cell.fill = GREY
                cell.protection = LOCKED
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif key == "score":
                score_cell(cell, panel, None if dont_know else existing.get("score"))
            elif key.startswith("dim:"):
                code = key[4:]
                if code in dims:
                    score_cell(cell, panel, None if dont_know else given.get(code))
                else:
                    not_applicable(cell)
            elif key == "dont_know":
                if panel.get("allow_no_score", True) is False:
                    not_applicable(cell)
                else:
                    if dont_know:
                        set_text(cell, yes)
                    dk_dv.add(cell.coordinate)
                    cell.protection = UNLOCKED
                    cell.alignment = Alignment(horizontal="center", vertical="top")
            else:
                value = existing.get(key)
                if value not in (None, ""):
                    set_text(cell, value)
                text_dv.add(cell.coordinate)
                cell.protection = UNLOCKED
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    for dv in [*score_dvs.values(), dk_dv, text_dv]:
        if dv.sqref.ranges:
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(FIRST_ROW, len(READ_ONLY_KEYS) + 1).coordinate  # D2
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    protect(ws)


def _instructions(ws, spec, method, gettext) -> None:
    labels = spec["labels"]
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 90
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1

    def line(text, *, bold=False, size=None, chars=120):
        nonlocal r
        cell = ws.cell(r, 1)
        set_text(cell, text)
        cell.font = Font(bold=bold, size=size)
        cell.alignment = wrap
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        ws.row_dimensions[r].height = 15 * max(1, math.ceil(len(text) / chars)) + (6 if size else 0)
        r += 1

    line(labels["instructions_sheet"], bold=True, size=14)
    r += 1
    for text in labels.get("instructions") or []:
        line(text)

    # One small table per distinct scale (panel bands, and dimension bands that override them).
    tables: dict[str, tuple[str, list, list[str]]] = {}
    for row in spec["rows"]:
        panel = row["panel"]
        pid = str(panel.get("code") or json.dumps(panel, sort_keys=True, default=str))
        name = text_of(panel.get("name")) or str(panel.get("code") or "")
        sources = []
        if panel.get("bands"):
            sources.append((pid, name, panel["bands"]))
        for dim in row_dimensions(row, method):
            if dim.get("bands"):
                dim_name = text_of(dim.get("name")) or dim["code"]
                sources.append(
                    (f"{pid}/{dim['code']}", f"{name} – {dim_name}".strip(" –"), dim["bands"])
                )
        for key, title, bands in sources:
            tables.setdefault(key, (title, bands, []))[2].append(str(row["code"]))

    for title, bands, codes in tables.values():
        r += 1
        line(f"{labels['scale']}: {title}" if title else str(labels["scale"]), bold=True)
        line(gettext(APPLIES_TO) % {"codes": ", ".join(codes)})
        for c, text in enumerate((labels["score"], gettext(LEVEL), gettext(MEANING)), start=1):
            cell = ws.cell(r, c)
            set_text(cell, text)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
        r += 1
        for band in bands:
            low, high = (fmt_num(x) for x in band["range"])
            meaning = text_of(band.get("meaning"))
            values = (low if low == high else f"{low}–{high}", text_of(band.get("label")), meaning)
            for c, text in enumerate(values, start=1):
                cell = ws.cell(r, c)
                set_text(cell, text)
                cell.alignment = wrap
                cell.border = BORDER
            ws.row_dimensions[r].height = 15 * max(1, math.ceil(len(meaning) / 85))
            r += 1
    protect(ws)


def _meta(wb, meta, labels, rows, columns, headers) -> None:
    ws = wb.create_sheet(META_SHEET)
    codes = [str(row["code"]).strip() for row in rows]
    items = [("format", FORMAT_TAG)]
    items += [(key, str(meta[key])) for key in META_KEYS]
    items += [
        ("sheet", labels["sheet"]),
        ("yes", labels["yes"]),
        ("dont_know_value", labels.get("dont_know_value") or ""),
        ("columns", json.dumps(columns, ensure_ascii=False)),
        ("headers", json.dumps(headers, ensure_ascii=False)),
        ("codes", json.dumps(codes, ensure_ascii=False)),
        ("fingerprint", fingerprint(meta, codes, columns)),
    ]
    for r, (key, value) in enumerate(items, start=1):
        set_text(ws.cell(r, 1), key)
        set_text(ws.cell(r, 2), value)
    ws.sheet_state = "veryHidden"
    protect(ws)
