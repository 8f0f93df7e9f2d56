"""The public open-data page and its downloads (no login). Downloads are served from the stored
release, never re-queried, with an ETag (the file's SHA-256) and Last-Modified (the build time),
so a client that has the file gets 304."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_safe

from mreza.opendata import package, services
from mreza.opendata.providers import DATASETS

FORMATS = {
    "csv": ("text/csv; charset=utf-8", package.csv_path),
    "json": ("application/json", package.json_path),
}


#: the Frictionless field types, as the page names them
TYPES = {
    "string": _("text"),
    "integer": _("whole number"),
    "number": _("number"),
    "boolean": _("true or false"),
    "date": _("date"),
    "datetime": _("date and time"),
}


def _release_etag(request, *args, **kwargs):
    release = services.current_release()
    return f'"{release.sha256}"' if release else None


def _release_time(request, *args, **kwargs):
    release = services.current_release()
    return release.generated_at if release else None


def _member_path(name, fmt):
    return FORMATS[fmt][1](name) if fmt in FORMATS else None


def _member_etag(request, name, fmt):
    release = services.current_release()
    path = _member_path(name, fmt)
    if release is None or path not in release.members:
        return None
    return f'"{release.members[path]["sha256"]}"'


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def page(request):
    release = services.current_release()
    datasets = []
    if release is not None:
        for dataset in DATASETS:
            if dataset.name not in release.counts:
                continue
            datasets.append(
                {
                    "dataset": dataset,
                    "rows": release.counts[dataset.name],
                    "csv": release.members.get(package.csv_path(dataset.name), {}),
                    "json": release.members.get(package.json_path(dataset.name), {}),
                    "fields": [(f, TYPES.get(f.type, f.type)) for f in dataset.fields],
                }
            )
    return render(
        request,
        "opendata/page.html",
        {"release": release, "datasets": datasets, "licence": package.LICENCE},
    )


@require_safe
@condition(etag_func=_release_etag, last_modified_func=_release_time)
def download_zip(request):
    release = services.current_release()
    if release is None:
        raise Http404
    response = FileResponse(release.file.open("rb"), content_type="application/zip")
    response["Content-Length"] = release.size
    name = f"{package.PACKAGE_NAME}-{release.generated_at:%Y-%m-%d}.zip"
    return _attachment(response, name)


@require_safe
@condition(etag_func=_member_etag, last_modified_func=_release_time)
def download_dataset(request, name, fmt):
    release = services.current_release()
    path = _member_path(name, fmt)
    if release is None or path is None or path not in release.members:
        raise Http404
    response = HttpResponse(services.member(release, path), content_type=FORMATS[fmt][0])
    return _attachment(response, f"{name}-{release.generated_at:%Y-%m-%d}.{fmt}")
