"""Guards for uploaded and imported files (XLSX/ZIP, CSV text) — checked before anything parses
them.

Pure Python (no Django), shared by the registry import and the scoring workbook reader, and meant
for every upload later apps add. Each check returns ``None`` when the file is acceptable, or a
:class:`Refusal` naming what is wrong; callers turn the refusal into their own translated message.

An XLSX file is a ZIP archive whose XML members openpyxl parses. A small archive can inflate to
gigabytes (a "zip bomb"); a DTD can define entities that expand without end. The checks below
only read the archive's directory and stream the XML members in small chunks, so refusing a bomb
costs milliseconds and almost no memory. :mod:`zipfile` never inflates a member beyond the size
its directory declares (it stops and reports a CRC error), so the declared sizes are a safe bound.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

#: A real workbook unpacks to well under this; the scoring workbook reader uses its own lower limit.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 500
#: Compression ratio above which a large member is refused (zeros ~1000:1, real sheets ~10:1).
MAX_RATIO = 200
RATIO_APPLIES_ABOVE = 1024 * 1024
#: Longest single field accepted in a CSV file or a sheet cell (characters).
MAX_FIELD_CHARS = 128 * 1024
XLSX_REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 64 * 1024

#: Control characters that have no place in a single-line value (tab, CR and LF are allowed
#: in multi-line text only). NUL breaks XLSX export and PostgreSQL text columns.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAK_RE = re.compile("[\t\n\r\x85\u2028\u2029]")
#: Unicode bidirectional controls: they make "\u202eexe.pdf" look like "fdp.exe".
BIDI_RE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Refusal:
    """Why a file is refused: ``code`` is one of NOT_ZIP, NOT_XLSX, TOO_LARGE, TOO_MANY, BOMB,
    DTD."""

    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


NOT_ZIP, NOT_XLSX, TOO_LARGE, TOO_MANY, BOMB, DTD = (
    "not_zip",
    "not_xlsx",
    "too_large",
    "too_many",
    "bomb",
    "dtd",
)


def check_zip(
    content,
    *,
    max_unpacked=MAX_UNPACKED_BYTES,
    max_members=MAX_ARCHIVE_MEMBERS,
    max_ratio=MAX_RATIO,
    required=XLSX_REQUIRED,
):
    """``None`` if *content* (bytes) is a ZIP archive that is safe to hand to a parser, else a
    :class:`Refusal`."""
    if not isinstance(content, bytes | bytearray) or not zipfile.is_zipfile(io.BytesIO(content)):
        return Refusal(NOT_ZIP)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if any(name not in names for name in required):
                return Refusal(NOT_XLSX)
            if len(infos) > max_members:
                return Refusal(TOO_MANY, {"members": len(infos), "limit": max_members})
            unpacked = sum(info.file_size for info in infos)
            if unpacked > max_unpacked:
                return Refusal(TOO_LARGE, {"size": unpacked, "limit": max_unpacked})
            for info in infos:
                if info.file_size > RATIO_APPLIES_ABOVE and info.file_size > max_ratio * max(
                    info.compress_size, 1
                ):
                    return Refusal(
                        BOMB,
                        {
                            "member": info.filename,
                            "ratio": info.file_size // max(info.compress_size, 1),
                        },
                    )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")) and _has_dtd(archive, info):
                    return Refusal(DTD, {"member": info.filename})
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        NotImplementedError,
        RuntimeError,
        EOFError,
        ValueError,
    ):
        return Refusal(NOT_ZIP)
    return None


def _has_dtd(archive, info):
    """Stream one member (bounded by its declared size) looking for a DTD or an entity
    declaration."""
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            data = tail + chunk
            if any(marker in data for marker in _DTD):
                return True
            tail = data[-16:]
    return False


def check_text_size(text, *, max_chars):
    """``None`` if decoded *text* is within *max_chars*, else a TOO_LARGE :class:`Refusal`."""
    if len(text) > max_chars:
        return Refusal(TOO_LARGE, {"size": len(text), "limit": max_chars})
    return None


def control_character(text, *, multiline=False):
    """The first control character in *text* (``"U+0000"``), or ``None``; line breaks allowed if
    *multiline*."""
    for match in CONTROL_RE.finditer(text):
        return f"U+{ord(match.group()):04X}"
    if not multiline:
        match = LINE_BREAK_RE.search(text)
        if match:
            return f"U+{ord(match.group()):04X}"
    return None


def bidi_control(text):
    """The first Unicode bidirectional control in *text* (``"U+202E"``), or ``None``."""
    match = BIDI_RE.search(text)
    return f"U+{ord(match.group()):04X}" if match else None
