"""Offline scoring workbooks (XLSX) for assessors — pure Python, openpyxl only.

An assessor downloads a workbook with one row per subcriterion, fills it in
Excel or LibreOffice and uploads it again.  This module builds the workbook
and reads it back; it knows nothing about Django.

Public API
----------
``build_workbook(spec, *, gettext=None) -> bytes``
    Build the workbook.  ``spec`` has ``meta``, ``labels`` and ``rows`` (see
    the builder module ``builder``).  ``gettext`` translates the few
    texts this module writes into the file itself (input prompts, the headings
    of the scale tables); the caller's ``labels`` are used as given.
``parse_workbook(content, expected_meta, rows) -> list[dict]``
    Read an uploaded workbook.  Returns one dict per row (``code``, ``score``,
    ``dimensions``, ``dont_know``, ``strengths``, ``improvements``, ``ideas``,
    ``evidence``) or raises :class:`WorkbookError` with *every* problem found;
    it never returns partial data.

Messages are marked with :func:`gettext_noop` so that ``makemessages`` finds
them; the Django layer renders a problem with
``gettext(problem.message) % problem.params`` (or ``problem.render(gettext)``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .builder import build
from .common import (
    FORMAT_TAG,
    MAX_TEXT_LENGTH,
    META_SHEET,
    METHODS,
    Problem,
    WorkbookError,
    column_keys,
    fingerprint,
    gettext_noop,
)
from .parser import parse

__all__ = [
    "FORMAT_TAG",
    "MAX_TEXT_LENGTH",
    "META_SHEET",
    "METHODS",
    "Problem",
    "WorkbookError",
    "build_workbook",
    "column_keys",
    "fingerprint",
    "gettext_noop",
    "parse_workbook",
]


def build_workbook(
    spec: Mapping[str, Any], *, gettext: Callable[[str], str] | None = None
) -> bytes:
    """Build the scoring workbook described by *spec*; returns the XLSX bytes."""
    return build(spec, gettext=gettext or gettext_noop)


def parse_workbook(
    content: bytes, expected_meta: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]
) -> list[dict]:
    """Read an uploaded workbook; raise :class:`WorkbookError` listing every problem."""
    return parse(content, expected_meta, rows)
