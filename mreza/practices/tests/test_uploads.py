"""Photos and documents are checked by their content: a program renamed .pdf, an SVG with a
script, an oversized file, a zip bomb posing as a Word document are refused with a clear message,
and nothing of the save is kept (neither the practice, nor its other files)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mreza.core.tests import hostile
from mreza.practices import uploads
from mreza.practices.models import Attachment, Practice
from mreza.practices.services import PracticeError, drafting
from mreza.practices.tests.test_authoring import draft, form_data, setup_people

PNG = hostile.png()
JPEG = hostile.jpeg()
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def office(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = office({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = office({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
BOMB = office(
    {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>" + " " * (60 * 1024 * 1024)}
)


def upload(name, content, kind="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=kind)


@pytest.fixture
def w(world, caf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return setup_people(world)


@pytest.mark.parametrize(
    ("content", "kind"), [(PNG, "png"), (JPEG, "jpeg"), (hostile.webp(), "webp")]
)
def test_photos_are_known_by_their_first_bytes(content, kind):
    assert uploads.check_photo(upload("whatever.bin", content)) == kind


@pytest.mark.parametrize(("content", "kind"), [(PDF, "pdf"), (DOCX, "docx"), (ODT, "odt")])
def test_documents_are_known_by_their_content(content, kind):
    assert uploads.check_document(upload("x.dat", content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("report.pdf", EXE, "is a program"),
        ("drawing.png", SVG, "SVG"),
        ("notes.pdf", b"just some text", "not a PDF"),
        ("report.docx", BOMB, "unpacks to far more"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_disguised_and_hostile_documents_are_refused(name, content, words):
    with pytest.raises(uploads.UploadRefused) as refusal:
        uploads.check_document(upload(name, content))
    assert words in str(refusal.value)


def test_svg_and_programs_are_no_photos():
    for content in (SVG, EXE, PDF):
        with pytest.raises(uploads.UploadRefused):
            uploads.check_photo(upload("photo.jpg", content))


def test_an_oversized_photo_is_refused():
    big = upload("big.png", PNG + b"\x00" * uploads.PHOTO_MAX_BYTES)
    with pytest.raises(uploads.UploadRefused) as refusal:
        uploads.check_photo(big)
    assert "too large" in str(refusal.value)


def test_files_are_stored_under_a_random_name_with_the_true_extension(w):
    practice = draft(w)
    changes = drafting.Changes(values={}, photos=[upload("../../etc/x.pdf", PNG)])
    drafting.save_practice(practice, w.bob, changes, practice.version)
    attachment = Attachment.objects.get()
    assert attachment.kind == "photo" and attachment.content_type == "image/png"
    assert attachment.name == "x.pdf" and attachment.file.name.endswith(".png")
    assert "etc" not in attachment.file.name


def test_a_refused_file_keeps_nothing_of_the_save(w, client):
    client.force_login(w.bob)
    data = form_data(summary="Keep me")
    data["photos"] = [upload("ok.png", PNG)]
    data["documents"] = [upload("report.pdf", EXE)]
    response = client.post(f"/municipalities/{w.a.code}/practices/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "is a program" in page and "Keep me" in page
    assert not Practice.objects.exists() and not Attachment.objects.exists()


def test_good_files_are_saved_with_the_practice(w, client):
    client.force_login(w.bob)
    data = form_data()
    data["photos"] = [upload("a.png", PNG), upload("b.jpg", JPEG)]
    data["documents"] = [upload("plan.docx", DOCX)]
    response = client.post(f"/municipalities/{w.a.code}/practices/new/", data)
    assert response.status_code == 302
    assert sorted(Attachment.objects.values_list("kind", flat=True)) == [
        "document",
        "photo",
        "photo",
    ]


def test_at_most_ten_photos(w, settings):
    practice = draft(w)
    changes = drafting.Changes(
        values={}, photos=[upload(f"{n}.png", PNG) for n in range(uploads.MAX_PHOTOS + 1)]
    )
    with pytest.raises(PracticeError):
        drafting.save_practice(practice, w.bob, changes, practice.version)
    assert not Attachment.objects.exists()
    assert not list((settings.MEDIA_ROOT).rglob("*.png")) if settings.MEDIA_ROOT.exists() else True


def test_a_failure_after_storing_removes_the_stored_files(w, settings, monkeypatch):
    practice = draft(w)
    monkeypatch.setattr(
        drafting, "_save_figures", lambda *a: (_ for _ in ()).throw(RuntimeError("boom"))
    )
    changes = drafting.Changes(values={}, photos=[upload("a.png", PNG)], figures=[{}])
    with pytest.raises(RuntimeError):
        drafting.save_practice(practice, w.bob, changes, practice.version)
    media = settings.MEDIA_ROOT
    assert not Attachment.objects.exists()
    assert not (media.exists() and any(p.is_file() for p in media.rglob("*")))
