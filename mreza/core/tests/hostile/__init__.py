"""A corpus of hostile files, built at test time (nothing large is kept on disk).

Every upload or import Mreža has (registry import, scoring workbook) is tested against this corpus;
later apps that accept files add their upload to the same parametrised tests.

``xlsx_corpus(base)`` takes a valid XLSX file (bytes) and returns ``{name: bytes}`` of broken or
malicious variants of it; ``csv_corpus(header, row)`` does the same for CSV text.
``photo_corpus(max_bytes)`` and ``document_corpus(max_bytes)`` are the files a photo or an office
document upload must refuse (see the second half of this module).
"""

import io
import os
import zipfile
import zlib

from PIL import Image

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


# ------------------------------------------------------------------ photos and documents
#
# ``photo_corpus(max_bytes)`` and ``document_corpus(max_bytes)`` return ``{name: (file name,
# bytes)}`` of files a photo or a document upload must refuse; ``HOSTILE_NAMES`` are file names
# that must never reach the storage as given. The valid builders (``png``, ``jpeg``, ``webp``,
# ``pdf``, ``docx``) make the small real files the hostile ones are cut from.

PE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"\x40\x00\x00\x00PE\x00\x00"
ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00"
SVG_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
SVG_ONLOAD = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
SVG_EXTERNAL = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<image xlink:href="https://evil.example/track.png" width="10" height="10"/></svg>'
)
# a comment first, so a check of the first bytes for "<svg" or "<?xml" misses it
SVG_BEHIND_COMMENT = b'<!-- a photo --><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

#: File names an attacker sends: folders up, a NUL to cut the name, Windows folders, a
#: right-to-left mark that shows "gnp.exe" as "exe.png", control characters.
HOSTILE_NAMES = {
    "parent_folders": "../../../etc/passwd.png",
    "nul": "photo.png\x00.exe",
    "windows_folders": "..\\..\\windows\\win.png",
    "bidi": "holiday\u202egnp.exe",
    "control": "pho\x07to\r\n.png",
}


def _png_chunk(kind, data):
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def png(width=2, height=2, *, rows=None):
    """A real RGB PNG of *width* × *height* (grey), or with only the first *rows* rows of image
    data (a declared size far larger than the data: a decompression bomb costs nothing here)."""
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    row = b"\x00" + b"\x80" * (3 * width)
    data = zlib.compress(row * (height if rows is None else rows), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def jpeg(width=64, height=64):
    """A real JPEG of noise (so that its image data is long enough to be cut)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        buffer, "JPEG", quality=90
    )
    return buffer.getvalue()


def webp(width=16, height=16):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 100, 50)).save(buffer, "WEBP")
    return buffer.getvalue()


def pdf(objects=None, *, version=b"1.7"):
    """A PDF of *objects* ({number: body}, 1 being the catalog) with a correct cross-reference
    table; by default one empty page."""
    objects = objects or {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (
            b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        )
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


_PAGES = {
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
}


def pdf_with_javascript(names=(b"/JavaScript", b"/JS")):
    """A PDF that runs JavaScript when opened (/OpenAction), its names spelled as *names*."""
    kind, js = names
    return pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            **_PAGES,
            4: b"<< /Type /Action /S " + kind + b" " + js + b" (app.alert\\(1\\)) >>",
        }
    )


def pdf_with_launch():
    """A PDF whose opening action starts a program."""
    return pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            **_PAGES,
            4: b"<< /Type /Action /S /Launch /F (cmd.exe) >>",
        }
    )


def pdf_with_hidden_javascript():
    """A PDF 1.5 whose catalog and JavaScript action are in a compressed object stream, so the
    file's plain bytes show no /JavaScript."""
    members = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>",
    ]
    header, body = b"", b""
    for number, member in zip((1, 4), members, strict=True):
        header += b"%d %d " % (number, len(body))
        body += member + b"\n"
    packed = zlib.compress(header + body)
    stream = (
        b"<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream"
    )
    return pdf({**_PAGES, 5: stream}, version=b"1.5")


def office(parts):
    """A ZIP archive of *parts* ({name: text or bytes})."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx(document=b"<w:document/>"):
    return office(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "word/document.xml": document,
        }
    )


def office_bomb(content, member, size):
    """*content* with *member* holding *size* bytes of "0" (streamed: memory stays low)."""

    def write(stream):
        for _ in range(size // len(_CHUNK)):
            stream.write(_CHUNK)

    return replace_member(content, member, writer=write, zip64=size >= 2**31)


def photo_corpus(max_bytes):
    """{name: (file name, bytes)} a photo upload with a limit of *max_bytes* must refuse."""
    whole_jpeg = jpeg()
    return {
        "exe_named_png": ("photo.png", PE_HEADER + b"\x00" * 64),
        "elf_named_jpg": ("photo.jpg", ELF_HEADER + b"\x00" * 64),
        "svg_script": ("drawing.png", SVG_SCRIPT),
        "svg_onload": ("drawing.svg", SVG_ONLOAD),
        "svg_external_href": ("drawing.jpg", SVG_EXTERNAL),
        "svg_behind_comment": ("drawing.png", SVG_BEHIND_COMMENT),
        "html_named_jpg": ("photo.jpg", HTML_PAGE),
        "pdf_named_png": ("photo.png", pdf()),
        "png_bomb": ("huge.png", png(50_000, 50_000, rows=1)),
        "truncated_jpeg": ("cut.jpg", whole_jpeg[: len(whole_jpeg) // 2]),
        "truncated_png": ("cut.png", png(64, 64)[:-20]),
        "empty": ("empty.png", b""),
        "oversized": ("big.png", png() + b"\x00" * max_bytes),
    }


def document_corpus(max_bytes):
    """{name: (file name, bytes)} a document upload with a limit of *max_bytes* must refuse."""
    base = docx()
    return {
        "exe_named_pdf": ("report.pdf", PE_HEADER + b"\x00" * 64),
        "elf_named_docx": ("report.docx", ELF_HEADER + b"\x00" * 64),
        "svg_named_pdf": ("report.pdf", SVG_SCRIPT),
        "text_named_pdf": ("report.pdf", b"just some text, not a PDF\n"),
        "pdf_javascript": ("report.pdf", pdf_with_javascript()),
        "pdf_javascript_escaped_names": (
            "report.pdf",
            pdf_with_javascript((b"/Java#53cript", b"/J#53")),
        ),
        "pdf_javascript_compressed": ("report.pdf", pdf_with_hidden_javascript()),
        "pdf_launch": ("report.pdf", pdf_with_launch()),
        "docx_zip_bomb": ("report.docx", office_bomb(base, "word/document.xml", 256 * 2**20)),
        "docx_dense_bomb": ("report.docx", office_bomb(base, "word/document.xml", 40 * 2**20)),
        "docx_billion_laughs": (
            "report.docx",
            replace_member(base, "word/document.xml", BILLION_LAUGHS),
        ),
        "truncated_docx": ("report.docx", base[: len(base) // 2]),
        "empty": ("empty.pdf", b""),
        "oversized": ("big.pdf", pdf() + b"\x00" * max_bytes),
    }
