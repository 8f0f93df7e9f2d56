"""Evidence files on an assessor's score: upload, who may download, refused kinds, no orphan
files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mreza.assessment.models import Entry, EvidenceFile, Subcriterion
from mreza.assessment.tests.conftest import make_assessors, score_all
from mreza.core.models import AuditEntry


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
