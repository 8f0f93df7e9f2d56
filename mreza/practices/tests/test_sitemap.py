"""/sitemap.xml is an index of sitemaps that parse as XML and list only public pages."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.sitemaps import Sitemap

from mreza.practices import sitemaps
from mreza.practices.models import Practice
from mreza.practices.tests.test_search import make_practice

pytestmark = pytest.mark.django_db
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def all_locations(client):
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{NS}sitemapindex"
    urls = []
    for loc in index.iter(f"{NS}loc"):
        section = xml(client, loc.text.replace("http://testserver", ""))
        assert section.tag == f"{NS}urlset"
        urls += [u.text for u in section.iter(f"{NS}loc")]
    return urls


def test_the_sitemap_lists_public_pages_only(client, world):
    public = make_practice(world.a, "Javna")
    draft = make_practice(world.a, "Nacrt", status=Practice.Status.DRAFT)
    withdrawn = make_practice(world.a, "Povučena", status=Practice.Status.WITHDRAWN)
    urls = all_locations(client)
    assert f"http://testserver/practices/{public.pk}/" in urls
    assert f"http://testserver/practices/{draft.pk}/" not in urls
    assert f"http://testserver/practices/{withdrawn.pk}/" not in urls
    assert "http://testserver/practices/" in urls
    assert "http://testserver/practices/map/" in urls
    assert "http://testserver/municipalities/T-A/" in urls
    for url in urls:  # every one opens without an account
        assert client.get(url.replace("http://testserver", "")).status_code == 200, url


def test_a_practice_entry_has_its_last_change(client, world):
    make_practice(world.a, "Javna")
    section = xml(client, "/sitemap-practices.xml")
    assert section.find(f"{NS}url/{NS}lastmod") is not None


def test_another_app_adds_a_section(client, world):
    class Extra(Sitemap):
        def items(self):
            return ["/practices/"]

        def location(self, item):
            return item

    sitemaps.register("extra", Extra)
    try:
        index = xml(client, "/sitemap.xml")
        assert any(loc.text.endswith("/sitemap-extra.xml") for loc in index.iter(f"{NS}loc"))
        assert xml(client, "/sitemap-extra.xml").find(f"{NS}url") is not None
    finally:
        sitemaps.SITEMAPS.pop("extra", None)
