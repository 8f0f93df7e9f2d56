"""Photos and documents of a practice, checked by their content, never by their name.

Photos: JPEG, PNG or WebP (by their first bytes), at most 5 MB each and 10 per practice. SVG is
refused: it is a program as much as a picture (scripts, external references) and we do not
sanitise it. Documents: PDF, Word (DOCX), Excel (XLSX) and OpenDocument text (ODT), at most 10 MB
each; the ZIP-based ones pass `core.safefiles.check_zip` (zip bombs, DTDs, too many parts) before
anything opens them. A refused file raises `UploadRefused` with a message for the user."""

import io
import secrets
import zipfile

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mreza.core import safefiles

PHOTO_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 10
MAX_DOCUMENTS = 10
# a real office document unpacks to a few times its size; far more is a bomb
UNPACKED_LIMIT = 50 * 1024 * 1024

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
    if stripped.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in head.lower():
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
    return kind


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
