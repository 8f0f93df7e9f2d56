"""One place that makes exported cells safe to open in a spreadsheet.

Every XLSX and CSV writer in Mreža passes each value through :func:`cell` (or writes the result
of :func:`row`). Text that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
``-`` or ``@``, also after leading spaces, tabs or line breaks) gets a leading apostrophe, the
OWASP "CSV injection" advice; numbers, dates and empty values stay as they are. Characters that
XML 1.0 cannot carry (NUL and other control characters) are dropped so an XLSX export never
breaks on them.
"""

import datetime
import decimal
import math
import re

#: What makes a spreadsheet treat a text cell as a formula (also "\t=" and "\r=").
FORMULA_START = ("=", "+", "-", "@")
_LEADING = " \t\r\n"
#: Characters XML 1.0 cannot carry (openpyxl refuses them).
ILLEGAL_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def is_formula_like(text):
    """True if a spreadsheet could read *text* as a formula."""
    stripped = text.lstrip(_LEADING)
    return (bool(stripped) and stripped[0] in FORMULA_START) or text[:1] in ("\t", "\r")


def neutralise(text):
    """*text* as inert CSV text: a leading apostrophe before anything formula-like."""
    text = ILLEGAL_XML_RE.sub("", str(text))
    if text and is_formula_like(text):
        return "'" + text
    return text


def _finite(value):
    """Infinity and NaN (which no spreadsheet or re-import accepts) are written as an empty cell."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, decimal.Decimal) and not value.is_finite():
        return None
    return value


def cell(value):
    """A value ready for a CSV cell: numbers, booleans and dates as they are, text neutralised."""
    value = _finite(value)
    if value is None or isinstance(
        value, bool | int | float | decimal.Decimal | datetime.date | datetime.time
    ):
        return value
    return neutralise(value)


def row(values):
    """:func:`cell` applied to each value of a row (a list, or a dict's values for
    ``csv.DictWriter``)."""
    if isinstance(values, dict):
        return {key: cell(value) for key, value in values.items()}
    return [cell(value) for value in values]


def unneutralise(text):
    """Undo :func:`neutralise` when a CSV export is read back (``'=x`` becomes ``=x``)."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


def set_text(xlsx_cell, value):
    """Write *value* into an openpyxl cell as a plain string that can never become a formula.

    An XLSX cell typed as a string is shown, never evaluated, so the text round-trips exactly
    (the scoring workbook is read back); only characters XML cannot carry are dropped.
    """
    xlsx_cell.value = ILLEGAL_XML_RE.sub("", str(value))
    xlsx_cell.data_type = "s"


def set_cell(xlsx_cell, value):
    """Write any value into an openpyxl cell: numbers and dates as they are, text via
    :func:`set_text`."""
    value = _finite(value)
    if value is None or isinstance(
        value, bool | int | float | decimal.Decimal | datetime.date | datetime.time
    ):
        xlsx_cell.value = value
    else:
        set_text(xlsx_cell, value)


def append(sheet, values):
    """``sheet.append(values)`` for an openpyxl worksheet, every text cell safe (see
    :func:`set_cell`)."""
    from openpyxl.cell.cell import Cell

    cells = []
    for value in values:
        xlsx_cell = Cell(sheet)
        set_cell(xlsx_cell, value)
        cells.append(xlsx_cell)
    sheet.append(cells)
    return sheet.max_row if not cells else cells[0].row
