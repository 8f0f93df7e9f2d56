"""Releases are swapped in whole: a build that fails leaves the previous release served and no
file behind; the last few are kept; the nightly command builds one (issue 14 item 5)."""

import datetime

import pytest
from django.core.management import call_command

from mreza.core.models import AuditEntry
from mreza.opendata import services
from mreza.opendata.models import OpenDataRelease
from mreza.opendata.providers import DATASETS
from mreza.opendata.providers.base import Dataset

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC)


def _files(media):
    folder = media / "opendata"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _broken(name="municipalities"):
    def rows():
        yield ("T-A",)
        raise RuntimeError("the database went away")

    return [
        Dataset(d.name, d.title, d.description, d.fields, rows) if d.name == name else d
        for d in DATASETS
    ]


def test_a_build_that_fails_while_reading_leaves_the_previous_release(world, media):
    previous = services.build_release(now=DAY)
    datasets = _broken()
    with pytest.raises(RuntimeError):
        services.build_release(now=DAY + datetime.timedelta(days=1), datasets=datasets)
    assert services.current_release() == previous
    assert _files(media) == [previous.file.name.split("/")[-1]]


def test_a_build_that_fails_while_recording_leaves_no_file(world, media, monkeypatch):
    previous = services.build_release(now=DAY)

    def refuse(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(OpenDataRelease, "save", refuse)
    with pytest.raises(RuntimeError):
        services.build_release(now=DAY + datetime.timedelta(days=1))
    monkeypatch.undo()
    assert services.current_release() == previous
    assert _files(media) == [previous.file.name.split("/")[-1]]
    assert services.member(previous, "csv/municipalities.csv").startswith("\ufeff".encode())


def test_the_newest_releases_are_kept_and_older_files_deleted(world, media):
    built = [services.build_release(now=DAY + datetime.timedelta(days=i)) for i in range(5)]
    kept = list(OpenDataRelease.objects.order_by("generated_at"))
    assert kept == built[-services.KEEP :]
    assert _files(media) == sorted(r.file.name.split("/")[-1] for r in kept)
    assert services.current_release() == built[-1]


def test_the_nightly_command_builds_a_release_as_the_system(world, media):
    call_command("build_open_data", verbosity=0)
    release = services.current_release()
    assert release is not None and release.counts["municipalities"] == 2
    entry = AuditEntry.objects.filter(object_id=str(release.pk)).latest("id")
    assert entry.actor_id is None and entry.actor_label == "build_open_data"
