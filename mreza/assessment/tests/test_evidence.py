"""Evidence files on an assessor's score: upload, who may download, refused kinds, no orphan
files, hostile office files (zip bombs and the rest of the corpus) refused before storing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from mreza.assessment.models import Entry, EvidenceFile, Subcriterion
from mreza.assessment.tests.conftest import make_assessors, score_all
from mreza.core.models import AuditEntry
from mreza.core.tests import hostile


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def first_code(assessment):
    return (
        Subcriterion.objects.filter(framework=assessment.framework)
        .order_by("position")
        .first()
        .code
    )


def upload(client, assessment, name="note.txt", content=b"hello world\n", **extra):
    url = f"/assessments/{assessment.pk}/score/{first_code(assessment)}/"
    data = {
        "score": "50",
        "strengths": "Clear minutes",
        "version": "0",
        "save": "",
        "evidence_file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(url, data)


def test_a_twelve_byte_text_is_attached_with_its_row_and_audit(world, assessment, client, media):
    client.force_login(world.bob)
    response = upload(client, assessment)
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.name == "note.txt" and evidence.entry.assessor == world.bob
    assert [p.read_bytes() for p in stored_files(media)] == [b"hello world\n"]
    recorded = AuditEntry.objects.get(content_type__model="evidencefile", action="create")
    assert recorded.changes["file"][1] == evidence.file.name


def _download(client, user, assessment):
    client.force_login(user)
    return client.get(f"/assessments/{assessment.pk}/evidence/{EvidenceFile.objects.get().pk}/")


def test_who_may_download_evidence(world, assessment, client, media):
    eve = make_assessors(world, 1)[0]
    from mreza.assessment import services

    services.add_member(assessment, eve, "assessor")
    client.force_login(world.bob)
    assert upload(client, assessment).status_code == 302

    mine = _download(client, world.bob, assessment)
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == b"hello world\n"
    assert mine["Content-Disposition"].startswith("attachment")
    assert mine["Content-Type"] == "application/octet-stream"

    # before bob submits: nobody else, not the coordinator, not another assessor,
    # not another municipality
    assert _download(client, world.alice, assessment).status_code == 404
    assert _download(client, eve, assessment).status_code == 404
    assert _download(client, world.charlie, assessment).status_code == 404

    score_all(assessment, world.bob)  # bob answers everything and submits
    assert (
        _download(client, world.alice, assessment).status_code == 200
    )  # coordinator and group administrator
    assert (
        _download(client, eve, assessment).status_code == 404
    )  # a fellow assessor does not lead the group
    assert _download(client, world.charlie, assessment).status_code == 404
    assert _download(client, world.dana, assessment).status_code == 404


def test_media_files_are_not_published_at_a_url(world, assessment, client, media):
    client.force_login(world.bob)
    upload(client, assessment)
    name = EvidenceFile.objects.get().file.name
    client.force_login(world.alice)
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "tool.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
        ),  # a program renamed to .pdf
        ("page.html", b"<html><script>alert(1)</script></html>"),  # text, but not an allowed kind
        ("photo.png", b"%PDF-1.7 not a picture"),  # content and name disagree
        ("empty.txt", b""),
    ],
)
def test_refused_kinds_keep_the_typed_text_and_store_nothing(
    world, assessment, client, media, name, content
):
    client.force_login(world.bob)
    response = upload(client, assessment, name=name, content=content)
    assert response.status_code == 200  # the form again, as for any other mistake
    assert (
        "This kind of file cannot be attached" in response.content.decode()
        or "empty" in response.content.decode()
    )
    assert "Clear minutes" in response.content.decode()
    assert not EvidenceFile.objects.exists() and not Entry.objects.exists()
    assert stored_files(media) == []


def test_allowed_kinds_by_content(world, assessment, client, media):
    client.force_login(world.bob)
    assert (
        upload(client, assessment, name="report.pdf", content=b"%PDF-1.4\n%%EOF\n").status_code
        == 302
    )
    assert (
        upload(
            client,
            assessment,
            name="scan.PNG",
            content=b"\x89PNG\r\n\x1a\n" + b"\x00" * 8,
            version="1",
        ).status_code
        == 302
    )
    assert EvidenceFile.objects.count() == 2


def test_a_file_over_the_configured_limit_is_refused(world, assessment, client, media, settings):
    settings.MREZA_EVIDENCE_MAX_BYTES = 100
    client.force_login(world.bob)
    response = upload(client, assessment, content=b"x" * 101)
    assert response.status_code == 200
    assert "at most 100" in response.content.decode()
    assert stored_files(media) == [] and not EvidenceFile.objects.exists()


def test_a_failing_save_leaves_no_file_on_disk(world, assessment, client, media, monkeypatch):
    from mreza.core import audit

    original = audit._record

    def failing(instance, action, changes):
        if isinstance(instance, EvidenceFile):
            raise RuntimeError("the database went away")
        return original(instance, action, changes)

    monkeypatch.setattr(audit, "_record", failing)
    client.force_login(world.bob)
    with pytest.raises(RuntimeError):
        upload(client, assessment)
    assert stored_files(media) == []
    assert not EvidenceFile.objects.exists() and not Entry.objects.exists()


# Office documents are ZIP archives: the hostile-file corpus (mreza/core/tests/hostile) against
# the evidence upload. None: accepted (evidence is stored for people to open, never parsed, so a
# sheet with broken XML is the reader's concern, not a danger to the server).
HOSTILE_EVIDENCE = {
    "zip_bomb": "unpacks to more than 200 MB",
    "lying_zip_bomb": "This file is damaged",
    "broken_xml": None,
    "billion_laughs": "document type declaration (DTD)",
    "truncated_zip": "This file is damaged",
    "not_a_zip": "This kind of file cannot be attached",
    "empty": "file is empty.",  # Django's own form check
    "zip_without_workbook": "This kind of file cannot be attached",
    "many_members": "has 6",  # "… has 6xx parts, far more than a real document has"
}


def _workbook_bytes():
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Minutes of the quality team"
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def evidence_corpus():
    base = _workbook_bytes()
    return base, hostile.xlsx_corpus(base, bomb_bytes=256 * 1024 * 1024)


def test_every_hostile_office_file_is_refused_clearly_and_nothing_is_stored(
    world, assessment, client, media, evidence_corpus
):
    _base, corpus = evidence_corpus
    assert set(corpus) == set(HOSTILE_EVIDENCE)
    client.force_login(world.bob)
    for name, content in corpus.items():
        version = Entry.objects.values_list("version", flat=True).first() or 0
        response = upload(
            client, assessment, name="evidence.xlsx", content=content, version=version
        )
        expected = HOSTILE_EVIDENCE[name]
        if expected is None:
            assert response.status_code == 302, name
            continue
        body = response.content.decode()
        assert response.status_code == 200, name  # the form again, the typed text kept
        assert expected in body and "Clear minutes" in body, name
    assert EvidenceFile.objects.count() == 1  # only the accepted one, with its file
    assert [p.read_bytes() for p in stored_files(media)] == [corpus["broken_xml"]]


def _odf(content_xml, filler_bytes=0):
    """An OpenDocument text; `filler_bytes` of "0" after the XML (streamed: memory stays low)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype",
            b"application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        with archive.open("content.xml", "w", force_zip64=filler_bytes >= 2**31) as stream:
            stream.write(content_xml)
            for _ in range(filler_bytes // (1024 * 1024)):
                stream.write(b"0" * (1024 * 1024))
    return buffer.getvalue()


def test_an_opendocument_bomb_is_refused_before_its_mimetype_is_read(
    world, assessment, client, media
):
    client.force_login(world.bob)
    bomb = _odf(b"<office:document-content>", filler_bytes=300 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # a small file on the wire
    response = upload(client, assessment, name="plan.odt", content=bomb)
    assert response.status_code == 200
    assert "unpacks to more than 200 MB" in response.content.decode()
    assert stored_files(media) == [] and not Entry.objects.exists()


def test_the_unpacked_limit_follows_the_evidence_size_limit(
    world, assessment, client, media, settings
):
    settings.MREZA_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024  # 20 × 5 MB = 100 MB unpacked at most
    client.force_login(world.bob)
    # 120 parts of 1 MB: each too small for the compression-ratio check, the whole too large
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for index in range(120):
            archive.writestr(f"word/media/image{index}.bin", b"0" * (1024 * 1024))
    assert len(buffer.getvalue()) < settings.MREZA_EVIDENCE_MAX_BYTES
    response = upload(client, assessment, name="report.docx", content=buffer.getvalue())
    assert response.status_code == 200
    assert "unpacks to more than 100 MB" in response.content.decode()
    assert stored_files(media) == []


def test_real_office_documents_are_still_attached(world, assessment, client, media):
    client.force_login(world.bob)
    assert (
        upload(client, assessment, name="minutes.xlsx", content=_workbook_bytes()).status_code
        == 302
    )
    text = b'<?xml version="1.0" encoding="UTF-8"?><office:document-content/>'
    assert (
        upload(client, assessment, name="plan.odt", content=_odf(text), version="1").status_code
        == 302
    )
    assert EvidenceFile.objects.count() == 2 and len(stored_files(media)) == 2
