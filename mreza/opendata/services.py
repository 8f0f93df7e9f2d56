"""Building and serving open-data releases (issue #14 item 5).

`build_release()` reads every dataset of `providers.DATASETS` first, writes one ZIP (CSV and JSON
per dataset, datapackage.json, README.md, see `package.py`) to a temporary file, stores it under a
name of its own and only then records the `OpenDataRelease` row: the newest row is the release
served, so a build that fails at any point leaves the previous release served and no row pointing
at a half-written file. The last `KEEP` releases are kept, older files deleted.

Signatures the other parts use:
    build_release(now=None) -> OpenDataRelease
    current_release() -> OpenDataRelease | None
    member(release, path) -> bytes
"""

import datetime
import hashlib
import logging
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from mreza.opendata import package
from mreza.opendata.models import OpenDataRelease
from mreza.opendata.providers import DATASETS

log = logging.getLogger(__name__)

#: releases kept (older ones and their files are deleted)
KEEP = 3


def current_release():
    return OpenDataRelease.objects.order_by("-generated_at", "-id").first()


def _read_all(datasets):
    """{name: rows}: every dataset read before anything is written."""
    return {dataset.name: list(dataset.rows()) for dataset in datasets}


def _contents(datasets, rows, generated_at):
    """[(ZIP member path, bytes)] in the order written, and {path: {size, sha256}}."""
    files, members = [], {}

    def add(path, data):
        files.append((path, data))
        members[path] = {"size": len(data), "sha256": package.digest(data)}

    for dataset in datasets:
        add(package.csv_path(dataset.name), package.csv_bytes(dataset, rows[dataset.name]))
        add(package.json_path(dataset.name), package.json_bytes(dataset, rows[dataset.name]))
    counts = {name: len(found) for name, found in rows.items()}
    source = settings.SITE_URL
    add("datapackage.json", package.datapackage(datasets, members, generated_at, source))
    add("README.md", package.readme(datasets, counts, generated_at, source))
    return files, members, counts


def _write_zip(target, files, generated_at):
    stamp = generated_at.astimezone(datetime.UTC).timetuple()[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def _hash_file(handle):
    handle.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return size, digest.hexdigest()


def build_release(now=None, datasets=None):
    """Build, store and record a new release; return it. Raises (and records nothing) on any
    failure."""
    generated_at = now or timezone.now()
    datasets = DATASETS if datasets is None else datasets
    rows = _read_all(datasets)
    files, members, counts = _contents(datasets, rows, generated_at)
    with tempfile.TemporaryFile(suffix=".zip") as handle:
        _write_zip(handle, files, generated_at)
        size, sha256 = _hash_file(handle)
        # the field puts it under opendata/ (upload_to); a name already taken gets a suffix
        name = f"{package.PACKAGE_NAME}-{generated_at:%Y%m%d-%H%M%S}.zip"
        release = OpenDataRelease(
            generated_at=generated_at, size=size, sha256=sha256, counts=counts, members=members
        )
        release.file.save(name, File(handle, name=name), save=False)
    try:
        with transaction.atomic():
            release.save()
    except Exception:
        release.file.storage.delete(release.file.name)
        raise
    prune()
    return release


def prune(keep=KEEP):
    """Delete all but the newest `keep` releases, with their files."""
    old = list(OpenDataRelease.objects.order_by("-generated_at", "-id")[keep:])
    for release in old:
        name = release.file.name
        release.delete()
        try:
            release.file.storage.delete(name)
        except OSError:  # already gone: the row was what mattered
            log.warning("open data: could not delete %s", name)
    return len(old)


def member(release, path):
    """The bytes of one file of the release's ZIP (a dataset's CSV or JSON)."""
    with release.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        return archive.read(path)
