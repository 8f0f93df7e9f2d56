"""/sitemap.xml: an index of one sitemap per section, each listing only public pages.

`SITEMAPS` is the registry of sections; an app above this one adds its own with
`register("events", EventSitemap)` in its AppConfig.ready() (the URLs read the dict on every
request, so a later registration shows).
"""

from django.contrib import sitemaps
from django.urls import reverse

from mreza.core.access import published_practices
from mreza.practices.models import Practice
from mreza.registry.models import Municipality

# Search engines take at most 50,000 addresses per sitemap; smaller pages render faster.
PAGE = 5000


class LibrarySitemap(sitemaps.Sitemap):
    """The library's own pages: the list and the map."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["practices:list", "practices:map"]

    def location(self, item):
        return reverse(item)


class PracticeSitemap(sitemaps.Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = PAGE

    def items(self):
        return published_practices(Practice.objects.all()).only("id", "updated_at").order_by("id")

    def location(self, item):
        return reverse("practices:detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class MunicipalitySitemap(sitemaps.Sitemap):
    """Municipality profiles (public in the registry: the directory needs no login)."""

    changefreq = "monthly"
    priority = 0.4
    limit = PAGE

    def items(self):
        return Municipality.objects.only("id", "code").order_by("code")

    def location(self, item):
        return reverse("registry:profile", args=[item.code])


SITEMAPS: dict[str, type[sitemaps.Sitemap]] = {
    "library": LibrarySitemap,
    "practices": PracticeSitemap,
    "municipalities": MunicipalitySitemap,
}


def register(section: str, sitemap: type[sitemaps.Sitemap]) -> None:
    """Add a section to /sitemap.xml (its pages must be public)."""
    SITEMAPS[section] = sitemap
