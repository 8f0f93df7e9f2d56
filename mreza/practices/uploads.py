"""Photos and documents of a practice, checked by their content, never by their name.

Photos: JPEG, PNG or WebP (by their first bytes), at most 5 MB each and 10 per practice, whole
(a file cut off while copying is refused) and of at most `PHOTO_MAX_PIXELS` pixels as their header
declares (a small file declaring 50,000 × 50,000 pixels is a decompression bomb for every browser
that shows it). SVG is refused: it is a program as much as a picture (scripts, external
references) and we do not sanitise it. Documents: PDF, Word (DOCX), Excel (XLSX) and OpenDocument
text (ODT), at most 10 MB each; a PDF that runs JavaScript or launches a program is refused; the
ZIP-based ones pass `core.safefiles.check_zip` (zip bombs, DTDs, too many parts) before anything
opens them. A refused file raises `UploadRefused` with a message for the user.

Only the structure is read (markers, chunk lengths and checksums, the PDF's names), never the
pixels: the checks cost milliseconds and no more memory than the file itself."""

import io
import re
import secrets
import zipfile
import zlib

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mreza.core import safefiles

PHOTO_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 10
MAX_DOCUMENTS = 10
# a real office document unpacks to a few times its size; far more is a bomb
UNPACKED_LIMIT = 50 * 1024 * 1024
#: A declared size above this is a decompression bomb: 400 MB of memory in a browser; a real
#: photo within PHOTO_MAX_BYTES stays far below (a 200 MP phone photo takes 20 MB or more).
PHOTO_MAX_PIXELS = 100_000_000
#: How much of a PDF's compressed object streams is inflated to look for scripts.
PDF_INFLATE_LIMIT = 32 * 1024 * 1024
#: PDF actions that run something when the file is opened or clicked: refused.
PDF_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch"})

PHOTO_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", **{k: k for k in DOCUMENT_TYPES}}


class UploadRefused(Exception):
    """Why a file cannot be attached (a translated sentence)."""


def _head_kind(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return "program"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # an SVG may open with a comment before its <svg> element
    if stripped.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) and b"<svg" in (
        head.lower()
    ):
        return "svg"
    return None


def _office_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
                return None
            if "mimetype" in names and archive.read("mimetype").strip() == (
                b"application/vnd.oasis.opendocument.text"
            ):
                return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
        return None
    return None


def _zip_refusal(content: bytes) -> str | None:
    refusal = safefiles.check_zip(content, max_unpacked=UNPACKED_LIMIT, required=())
    if refusal is None:
        return None
    if refusal.code in (safefiles.TOO_LARGE, safefiles.BOMB, safefiles.TOO_MANY):
        return _(
            "This office document unpacks to far more than any real document does, so it "
            "cannot be attached. Save it again, or as PDF, and attach that file."
        )
    if refusal.code == safefiles.DTD:
        return _(
            "This office document contains a document type declaration (DTD), which office "
            "documents do not use, so it cannot be attached. Save it as PDF and attach that file."
        )
    return _("This file is damaged: it cannot be unpacked. Save it again and attach the new file.")


def kind_of(content: bytes) -> str | None:
    """What the content is: jpeg, png, webp, pdf, docx, xlsx, odt, svg, program, or None."""
    kind = _head_kind(content[:512])
    if kind is None and content.startswith(b"PK\x03\x04"):
        return _office_kind(content)
    return kind


def _read(upload, limit: int) -> bytes:
    if upload.size > limit:
        raise UploadRefused(
            _("%(name)s is too large: a file may be at most %(size)s.")
            % {"name": clean_name(upload.name), "size": filesizeformat(limit)}
        )
    if not upload.size:
        raise UploadRefused(_("%(name)s is empty.") % {"name": clean_name(upload.name)})
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def _refuse_dangerous(name: str, kind: str | None) -> None:
    if kind == "program":
        raise UploadRefused(
            _(
                "%(name)s is a program, not a document or a photo, whatever its name says. "
                "Programs cannot be attached."
            )
            % {"name": name}
        )
    if kind == "svg":
        raise UploadRefused(
            _(
                "%(name)s is an SVG drawing. SVG files can carry scripts, so they cannot be "
                "attached; save the picture as PNG or JPEG and attach that."
            )
            % {"name": name}
        )


def _png_shape(content: bytes) -> tuple[tuple[int, int] | None, bool]:
    """(width, height) from the IHDR chunk, and whether every chunk is whole up to IEND."""
    size, pos = None, 8
    while pos + 12 <= len(content):
        length = int.from_bytes(content[pos : pos + 4], "big")
        chunk = content[pos + 4 : pos + 8 + length]
        end = pos + 12 + length
        if size is None:
            if chunk[:4] != b"IHDR" or length != 13:
                return None, False
            size = (int.from_bytes(chunk[4:8], "big"), int.from_bytes(chunk[8:12], "big"))
        if end > len(content) or zlib.crc32(chunk) != int.from_bytes(content[end - 4 : end], "big"):
            return size, False
        if chunk[:4] == b"IEND":
            return size, True
        pos = end
    return size, False


# start-of-frame markers (those carrying the size): C0–CF except DHT, JPG and DAC
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_shape(content: bytes) -> tuple[tuple[int, int] | None, bool]:
    """(width, height) from the frame header, and whether the segments are whole and the image
    data ends with the end-of-image marker."""
    size, pos, total = None, 2, len(content)
    while pos < total and content[pos] == 0xFF:
        while pos < total and content[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos + 3 > total:
            break
        marker, length = content[pos], int.from_bytes(content[pos + 1 : pos + 3], "big")
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a segment
            pos += 1
            continue
        if length < 2 or pos + 1 + length > total:
            break
        if marker in _JPEG_FRAMES and length >= 7:
            height = int.from_bytes(content[pos + 4 : pos + 6], "big")
            size = (int.from_bytes(content[pos + 6 : pos + 8], "big"), height)
        if marker == 0xDA:  # start of scan: entropy-coded data (where FF is escaped) up to EOI
            return size, content.rfind(b"\xff\xd9", pos + 1 + length) >= 0
        pos += 1 + length
    return size, False


def _webp_shape(content: bytes) -> tuple[tuple[int, int] | None, bool]:
    """(width, height) from the first chunk, and whether the file is as long as RIFF says."""
    declared = 8 + int.from_bytes(content[4:8], "little")
    whole = 20 <= declared <= len(content)
    chunk, data = content[12:16], content[20:30]
    if chunk == b"VP8 " and data[3:6] == b"\x9d\x01\x2a":
        bits = int.from_bytes(data[6:10], "little")
        return (bits & 0x3FFF, (bits >> 16) & 0x3FFF), whole
    if chunk == b"VP8L" and data[:1] == b"\x2f":
        bits = int.from_bytes(data[1:5], "little")
        return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1), whole
    if chunk == b"VP8X" and len(data) == 10:
        width = int.from_bytes(data[4:7], "little") + 1
        return (width, int.from_bytes(data[7:10], "little") + 1), whole
    return None, False


_SHAPES = {"png": _png_shape, "jpeg": _jpeg_shape, "webp": _webp_shape}


def _refuse_broken_photo(name: str, kind: str, content: bytes) -> None:
    size, whole = _SHAPES[kind](content)
    if size and size[0] * size[1] > PHOTO_MAX_PIXELS:
        raise UploadRefused(
            _(
                "%(name)s says it is a picture of %(width)s × %(height)s pixels, far more than "
                "any photo has, so it cannot be attached. Save the photo at a smaller size and "
                "attach that."
            )
            % {"name": name, "width": size[0], "height": size[1]}
        )
    if not whole or not size or not size[0] or not size[1]:
        raise UploadRefused(
            _(
                "%(name)s is damaged or incomplete (perhaps it was cut off while copying), so "
                "it cannot be attached. Open the photo, save it again and attach the new file."
            )
            % {"name": name}
        )


def check_photo(upload) -> str:
    """The content type of an acceptable photo, or UploadRefused."""
    name = clean_name(upload.name)
    content = _read(upload, PHOTO_MAX_BYTES)
    kind = _head_kind(content[:512])
    _refuse_dangerous(name, kind)
    if kind not in PHOTO_TYPES:
        raise UploadRefused(
            _("%(name)s is not a JPEG, PNG or WebP picture (by its content).") % {"name": name}
        )
    _refuse_broken_photo(name, kind, content)
    return kind


# a PDF name: "/" and regular characters, any of them may be written as #xx
_PDF_NAME = re.compile(rb"/((?:[^\x00\t\n\x0c\r ()<>\[\]{}/%#]|#[0-9A-Fa-f]{2})+)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def _pdf_names(data: bytes) -> set[bytes]:
    return {
        _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        for match in _PDF_NAME.finditer(data)
    }


def _pdf_is_active(content: bytes) -> bool:
    """Whether the PDF has a JavaScript or Launch action, in its plain objects or in a
    compressed object stream (where a PDF 1.5 keeps most dictionaries)."""
    if _pdf_names(content) & PDF_ACTIVE_NAMES:
        return True
    budget, start, view = PDF_INFLATE_LIMIT, 0, memoryview(content)
    for match in _PDF_STREAM.finditer(content):
        dictionary = content[max(start, match.start() - 1024) : match.start()]
        start = match.end()
        if b"ObjStm" not in _pdf_names(dictionary) or budget <= 0:
            continue
        inflater = zlib.decompressobj()
        try:  # bounded: a stream that inflates to gigabytes stops at the budget
            data = inflater.decompress(view[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(data)
        if _pdf_names(data) & PDF_ACTIVE_NAMES:
            return True
    return False


def check_document(upload) -> str:
    """The kind (pdf, docx, xlsx, odt) of an acceptable document, or UploadRefused."""
    name = clean_name(upload.name)
    content = _read(upload, DOCUMENT_MAX_BYTES)
    if content.startswith(b"PK\x03\x04"):
        message = _zip_refusal(content)  # before anything opens the archive
        if message:
            raise UploadRefused(message)
    kind = kind_of(content)
    _refuse_dangerous(name, kind)
    if kind not in DOCUMENT_TYPES:
        raise UploadRefused(
            _(
                "%(name)s is not a PDF, Word (DOCX), Excel (XLSX) or OpenDocument (ODT) document "
                "by its content, whatever its name says."
            )
            % {"name": name}
        )
    if kind == "pdf" and _pdf_is_active(content):
        raise UploadRefused(
            _(
                "%(name)s contains JavaScript or an action that starts a program, which a "
                "document in the library must not run, so it cannot be attached. Print it to "
                "a new PDF (that leaves the scripts out) and attach that file."
            )
            % {"name": name}
        )
    return kind


def content_type(kind: str) -> str:
    return PHOTO_TYPES.get(kind) or DOCUMENT_TYPES[kind]


def stored_name(kind: str) -> str:
    """A random file name with the extension of what the content is (never the uploaded name)."""
    return f"{secrets.token_hex(12)}.{EXTENSIONS[kind]}"


def clean_name(name: str) -> str:
    """The uploaded name as shown: no folders, control characters or direction marks."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = safefiles.BIDI_RE.sub("", safefiles.CONTROL_RE.sub("", name))
    name = safefiles.LINE_BREAK_RE.sub(" ", name).strip()
    return name[-200:] or "file"
