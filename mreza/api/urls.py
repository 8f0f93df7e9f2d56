"""/api/v1/ (the API; each view wrapped so that what ninja answers outside an endpoint is JSON
too) and, last, every other path under /api/: a JSON 404, never the site's HTML page."""

from django.urls import path, re_path

from mreza.api import conventions
from mreza.api.api import api

app_name = "api"


def _api_urls():
    patterns, app, namespace = api.urls
    for pattern in patterns:
        pattern.callback = conventions.json_errors(pattern.callback)
    return patterns, app, namespace


urlpatterns = [
    path("api/v1/", _api_urls()),
    re_path(r"^api(?:/|$)", conventions.no_route, name="no_route"),
]
