"""The photos and documents of a practice against the hostile-file corpus
(mreza/core/tests/hostile): each file, sent through the real edit page by the practice's author,
is refused with a clear message naming it; nothing is saved (no attachment, no stored file, no
audit entry, the practice unchanged) and the form keeps what the author typed. Hostile file names
never reach the storage. The valid twins the corpus is cut from are accepted by the same page, so
each refusal is the hostile content's doing."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mreza.core.models import AuditEntry
from mreza.core.tests import hostile
from mreza.practices import uploads
from mreza.practices.models import Attachment, Practice
from mreza.practices.services import drafting
from mreza.practices.tests.test_authoring import draft, form_data, setup_people

PROGRAM = "is a program, not a document or a photo, whatever its name says"
SVG = "is an SVG drawing. SVG files can carry scripts"
NOT_A_PHOTO = "is not a JPEG, PNG or WebP picture (by its content)"
DAMAGED = "is damaged or incomplete (perhaps it was cut off while copying)"
EMPTY = "The submitted file is empty."  # Django's FileField refuses it before our check
TOO_LARGE = "is too large: a file may be at most"
NOT_A_DOCUMENT = "is not a PDF, Word (DOCX), Excel (XLSX) or OpenDocument (ODT) document"
SCRIPT = "contains JavaScript or an action that starts a program"
BOMB = "unpacks to far more than any real document does"

# (message, whether it names the file)
PHOTOS = {
    "exe_named_png": (PROGRAM, True),
    "elf_named_jpg": (PROGRAM, True),
    "svg_script": (SVG, True),
    "svg_onload": (SVG, True),
    "svg_external_href": (SVG, True),
    "svg_behind_comment": (SVG, True),
    "html_named_jpg": (NOT_A_PHOTO, True),
    "pdf_named_png": (NOT_A_PHOTO, True),
    "png_bomb": ("says it is a picture of 50000 × 50000 pixels, far more than any photo", True),
    "truncated_jpeg": (DAMAGED, True),
    "truncated_png": (DAMAGED, True),
    "empty": (EMPTY, False),
    "oversized": (TOO_LARGE, True),
}
DOCUMENTS = {
    "exe_named_pdf": (PROGRAM, True),
    "elf_named_docx": (PROGRAM, True),
    "svg_named_pdf": (SVG, True),
    "text_named_pdf": (NOT_A_DOCUMENT, True),
    "pdf_javascript": (SCRIPT, True),
    "pdf_javascript_escaped_names": (SCRIPT, True),
    "pdf_javascript_compressed": (SCRIPT, True),
    "pdf_launch": (SCRIPT, True),
    "docx_zip_bomb": (BOMB, False),
    "docx_dense_bomb": (BOMB, False),
    "docx_billion_laughs": ("contains a document type declaration (DTD)", False),
    "truncated_docx": ("This file is damaged: it cannot be unpacked.", False),
    "empty": (EMPTY, False),
    "oversized": (TOO_LARGE, True),
}


@pytest.fixture(scope="module")
def photos():
    return hostile.photo_corpus(uploads.PHOTO_MAX_BYTES)


@pytest.fixture(scope="module")
def documents():
    return hostile.document_corpus(uploads.DOCUMENT_MAX_BYTES)


@pytest.fixture
def w(world, caf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = setup_people(world)
    # a draft that already has one photo: a refusal must leave exactly that one
    w.practice = draft(w)
    first = SimpleUploadedFile("first.png", hostile.png(), content_type="image/png")
    drafting.save_practice(
        w.practice, w.bob, drafting.Changes(values={}, photos=[first]), w.practice.version
    )
    w.practice.refresh_from_db()
    w.media = settings.MEDIA_ROOT
    return w


def _stored(media):
    return sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())


def _post(client, practice, field, name, content, **over):
    data = form_data(practice, summary="Keep what I typed", **over)
    data[field] = [SimpleUploadedFile(name, content, content_type="application/octet-stream")]
    return client.post(f"/practices/{practice.pk}/edit/", data)


def _refused_cleanly(w, client, field, corpus, expected):
    client.force_login(w.bob)
    assert set(corpus) == set(expected)
    files, audits = _stored(w.media), AuditEntry.objects.count()
    for item, (name, content) in corpus.items():
        response = _post(client, w.practice, field, name, content)
        page = html.unescape(response.content.decode())
        message, named = expected[item]
        assert response.status_code == 400, item
        assert message in page, item
        if named:
            assert f"{name} {message}" in page, item
        assert "Keep what I typed" in page, item  # the form kept the input
        assert Attachment.objects.filter(practice=w.practice).count() == 1, item
        assert _stored(w.media) == files, item
        assert AuditEntry.objects.count() == audits, item
    practice = Practice.objects.get(pk=w.practice.pk)
    assert practice.summary != "Keep what I typed" and practice.version == w.practice.version


def test_every_hostile_photo_is_refused_clearly_and_nothing_is_saved(w, client, photos):
    _refused_cleanly(w, client, "photos", photos, PHOTOS)


def test_every_hostile_document_is_refused_clearly_and_nothing_is_saved(w, client, documents):
    _refused_cleanly(w, client, "documents", documents, DOCUMENTS)


@pytest.mark.parametrize(
    ("field", "name", "build", "content_type"),
    [
        ("photos", "a.png", hostile.png, "image/png"),
        ("photos", "b.jpg", hostile.jpeg, "image/jpeg"),
        ("photos", "c.webp", hostile.webp, "image/webp"),
        ("documents", "d.pdf", hostile.pdf, "application/pdf"),
        ("documents", "e.docx", hostile.docx, uploads.DOCUMENT_TYPES["docx"]),
    ],
)
def test_the_valid_twins_of_the_corpus_are_accepted(w, client, field, name, build, content_type):
    client.force_login(w.bob)
    response = _post(client, w.practice, field, name, build())
    assert response.status_code == 302
    added = Attachment.objects.filter(practice=w.practice).latest("pk")
    assert added.name == name and added.content_type == content_type


def test_a_large_real_photo_within_the_limits_is_accepted(w, client):
    """The pixel limit refuses bombs, not photos: 12,000 × 8,000 (96 MP) is accepted."""
    client.force_login(w.bob)
    response = _post(client, w.practice, "photos", "wide.png", hostile.png(12_000, 8_000, rows=1))
    assert response.status_code == 302


@pytest.mark.parametrize("item", sorted(hostile.HOSTILE_NAMES))
def test_hostile_file_names_never_reach_the_storage(w, client, item):
    """Django's upload parser drops folders and unprintable characters before the page sees
    the name; the name shown is cleaned again, and the file is stored under a random name with
    the extension of its content, inside the media folder."""
    client.force_login(w.bob)
    response = _post(client, w.practice, "photos", hostile.HOSTILE_NAMES[item], hostile.png())
    assert response.status_code == 302
    added = Attachment.objects.filter(practice=w.practice).latest("pk")
    assert not set(added.name) & set("/\\\x00\r\n\x07\u202e"), added.name
    assert ".." not in added.name
    path = (w.media / added.file.name).resolve()
    assert path.is_file() and path.is_relative_to(w.media.resolve())
    assert path.suffix == ".png" and path.stem not in added.name


@pytest.mark.parametrize("item", sorted(hostile.HOSTILE_NAMES))
def test_hostile_file_names_are_cleaned_when_a_service_stores_them(w, item):
    """The same names handed to the service directly (an import, a management command)."""
    upload = SimpleUploadedFile(hostile.HOSTILE_NAMES[item], hostile.png())
    drafting.save_practice(
        w.practice, w.bob, drafting.Changes(values={}, photos=[upload]), w.practice.version
    )
    added = Attachment.objects.filter(practice=w.practice).latest("pk")
    assert not set(added.name) & set("/\\\x00\r\n\x07\u202e"), added.name
    assert added.file.name.startswith("practices/") and ".." not in added.file.name
