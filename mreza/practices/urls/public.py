"""The public library: /practices/ (list, search, filters), a practice's page, print view and
files, the map, the Atom feed and /sitemap.xml (an index of the sections in sitemaps.SITEMAPS)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from mreza.practices.feed import LatestPracticesFeed
from mreza.practices.sitemaps import SITEMAPS
from mreza.practices.views import public, public_detail

urlpatterns = [
    path("practices/", public.practice_list, name="list"),
    path("practices/map/", public.practice_map, name="map"),
    path("practices/feed/", LatestPracticesFeed(), name="feed"),
    path("practices/<int:pk>/", public_detail.practice_detail, name="detail"),
    path("practices/<int:pk>/print/", public_detail.practice_print, name="print"),
    path(
        "practices/<int:pk>/files/<int:attachment_id>/",
        public_detail.attachment_download,
        name="file",
    ),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "practices:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
