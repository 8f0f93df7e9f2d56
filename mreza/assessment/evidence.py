"""Evidence files attached to an assessor's score: what is accepted, and storing one without
orphans.

The type is decided from the content (its first bytes), and must agree with the file name's ending,
so a renamed program is refused. Office documents are ZIP archives: they pass the shared ZIP guard
(`core.safefiles.check_zip`: zip bombs, too many parts, DTDs) before anything opens them. Files are
served only through the evidence_file view, which applies the access policy; MEDIA_ROOT is never
published.
"""

import zipfile
from contextlib import contextmanager

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mreza.assessment.models import EvidenceFile
from mreza.core import safefiles

# name ending -> the kind of content it must have
ALLOWED = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "txt": "text",
    "csv": "text",
    "md": "text",
    "docx": "ooxml",
    "xlsx": "ooxml",
    "pptx": "ooxml",
    "odt": "odf",
    "ods": "odf",
    "odp": "odf",
    "doc": "ole",
    "xls": "ole",
    "ppt": "ole",
}

ZIP_HEAD = b"PK\x03\x04"
#: Office files compress their XML about ten to one; twenty times the largest accepted upload
#: leaves room for any real document (and at least the shared guard's default), none for a bomb.
UNPACKED_FACTOR = 20


class EvidenceRefused(Exception):
    """The file cannot be accepted; the message is shown to the user."""


def _kind_of(head, upload):
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(ZIP_HEAD):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" in names:
                    return "ooxml"
                if "mimetype" in names and archive.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument"
                ):
                    return "odf"
        except zipfile.BadZipFile:
            return None
        return None
    return "text" if _is_text(upload) else None


def _is_text(upload):
    upload.seek(0)
    data = upload.read()
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "cp1250", "cp1251"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def help_text():
    return _(
        "PDF, image (PNG, JPEG, GIF, WebP), office document or plain text; at most %(size)s. "
        "Only you see it until you submit; then the group leaders and the municipal coordinator."
    ) % {"size": filesizeformat(settings.MREZA_EVIDENCE_MAX_BYTES)}


def accept_attribute():
    return ",".join(f".{ending}" for ending in ALLOWED)


def check_upload(upload):
    """Refuse a file that is too large, empty, or not one of the allowed kinds (by content and
    name)."""
    limit = settings.MREZA_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise EvidenceRefused(
            _("A file may be at most %(size)s.") % {"size": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise EvidenceRefused(_("The file is empty."))
    ending = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    expected = ALLOWED.get(ending)
    upload.seek(0)
    head = upload.read(16)
    if head.startswith(ZIP_HEAD):
        _check_archive(upload)  # before _kind_of opens the archive
    actual = _kind_of(head, upload)
    upload.seek(0)
    if expected is None or actual != expected:
        raise EvidenceRefused(
            _(
                "This kind of file cannot be attached. Attach a PDF, an image (PNG, JPEG, GIF, "
                "WebP), an office "
                "document (Word, Excel, PowerPoint, OpenDocument) or a plain text file, with its "
                "usual name ending."
            )
        )


def max_unpacked_bytes():
    return max(safefiles.MAX_UNPACKED_BYTES, UNPACKED_FACTOR * settings.MREZA_EVIDENCE_MAX_BYTES)


def _check_archive(upload):
    """Refuse a ZIP-based file (Word, Excel, PowerPoint, OpenDocument) that is a zip bomb, has too
    many parts, carries a DTD or cannot be unpacked; the upload is small enough to read whole."""
    upload.seek(0)
    limit = max_unpacked_bytes()
    refusal = safefiles.check_zip(upload.read(), max_unpacked=limit, required=())
    upload.seek(0)
    if refusal is None:
        return
    if refusal.code in (safefiles.TOO_LARGE, safefiles.BOMB):
        message = _(
            "This office document unpacks to more than %(limit)s MB, which no real document does, "
            "so it cannot be attached. Save it again, or as PDF, and attach that file."
        ) % {"limit": limit // (1024 * 1024)}
    elif refusal.code == safefiles.TOO_MANY:
        parts = refusal.params["members"]
        message = ngettext(
            "This office document has %(parts)s part, far more than a real document has, so it "
            "cannot be attached. Save it again, or as PDF, and attach that file.",
            "This office document has %(parts)s parts, far more than a real document has, so it "
            "cannot be attached. Save it again, or as PDF, and attach that file.",
            parts,
        ) % {"parts": parts}
    elif refusal.code == safefiles.DTD:
        message = _(
            "This office document contains a document type declaration (DTD), which office "
            "documents do not use, so it cannot be attached. Save it again, or as PDF, and "
            "attach that file."
        )
    else:
        message = _(
            "This file is damaged: it cannot be unpacked. Save the document again and attach "
            "the new file."
        )
    raise EvidenceRefused(message)


@contextmanager
def removed_on_failure():
    """Collects the files stored inside the block; if the block fails (and its transaction is rolled
    back), they are deleted again, so no file is left on disk without its row."""
    stored = []
    try:
        yield stored
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise


def attach(entry, upload, stored):
    """Store the file and its row; the stored file is added to `stored` (see removed_on_failure)."""
    evidence = EvidenceFile(entry=entry, name=upload.name[:200])
    evidence.file.save(upload.name, upload, save=False)
    stored.append((evidence.file.storage, evidence.file.name))
    evidence.save()
    return evidence
