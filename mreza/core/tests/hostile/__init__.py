"""A corpus of hostile files, built at test time (nothing large is kept on disk).

Every upload or import Mreža has (registry import, scoring workbook) is tested against this corpus;
later apps that accept files add their upload to the same parametrised tests.

``xlsx_corpus(base)`` takes a valid XLSX file (bytes) and returns ``{name: bytes}`` of broken or
malicious variants of it; ``csv_corpus(header, row)`` does the same for CSV text.
"""

import io
import zipfile

#: The zip bomb's first sheet inflates to this many bytes (1 GB) from about 1 MB on disk.
BOMB_BYTES = 1024 * 1024 * 1024
_CHUNK = b"0" * (1024 * 1024)


def first_sheet(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))[0]


def replace_member(content, member, data=None, *, writer=None, zip64=False):
    """A copy of the ZIP archive *content* with *member* replaced by *data* (or streamed by
    *writer*)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
            elif writer is not None:
                info = zipfile.ZipInfo(member)
                info.compress_type = zipfile.ZIP_DEFLATED
                with target.open(info, "w", force_zip64=zip64) as stream:
                    writer(stream)
            else:
                target.writestr(member, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_bomb(content, size=BOMB_BYTES):
    """*content* whose first sheet is one cell holding *size* bytes of "0" (streamed: memory
    stays low)."""

    def write(stream):
        stream.write(
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        )
        for _ in range(size // len(_CHUNK)):
            stream.write(_CHUNK)
        stream.write(b"</t></is></c></row></sheetData></worksheet>")

    return replace_member(content, first_sheet(content), writer=write, zip64=size >= 2**31)


def lying_bomb(content):
    """A bomb whose directory understates the sheet's size (zipfile then stops with a CRC error)."""
    bomb = zip_bomb(content, size=64 * 1024 * 1024)
    member = first_sheet(bomb).encode()
    # Patch the central directory's uncompressed size of the sheet to a small value.
    index = bomb.rindex(b"PK\x01\x02")
    while index >= 0:
        name_length = int.from_bytes(bomb[index + 28 : index + 30], "little")
        if bomb[index + 46 : index + 46 + name_length] == member:
            break
        index = bomb.rindex(b"PK\x01\x02", 0, index)
    patched = bytearray(bomb)
    if patched[index + 24 : index + 28] != b"\xff\xff\xff\xff":
        patched[index + 24 : index + 28] = (1000).to_bytes(4, "little")
    return bytes(patched)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
)


def xlsx_corpus(base, bomb_bytes=BOMB_BYTES):
    """Hostile variants of the valid workbook *base*: {name: bytes}."""
    sheet = first_sheet(base)
    return {
        "zip_bomb": zip_bomb(base, size=bomb_bytes),
        "lying_zip_bomb": lying_bomb(base),
        "broken_xml": replace_member(
            base, sheet, b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c'
        ),
        "billion_laughs": replace_member(base, sheet, BILLION_LAUGHS),
        "truncated_zip": base[: len(base) // 2],
        "not_a_zip": b"code,country\nX,BA\n",
        "empty": b"",
        "zip_without_workbook": _plain_zip(),
        "many_members": _many_members(base),
    }


def _plain_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    return out.getvalue()


def _many_members(base):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for i in range(600):
            target.writestr(f"xl/media/junk{i}.bin", b"")
    return out.getvalue()
