"""The public /open-data/ page and its downloads: no login, the dictionary as tables, the licence,
the release's date, size and SHA-256; files served from the stored release with ETag and
Last-Modified; a note (and nothing heavy) before the first release."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from mreza.opendata import services
from mreza.opendata.models import OpenDataRelease
from mreza.registry.models import Municipality

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2026, 12, 3, 2, 30, tzinfo=datetime.UTC)
PAGE = "/open-data/"


def test_the_page_url():
    assert reverse("opendata:page") == PAGE


def test_before_the_first_release_the_page_says_so_and_builds_nothing(
    client, world, media, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(PAGE)
    assert response.status_code == 200
    assert "The first release is being prepared" in response.content.decode()
    assert not OpenDataRelease.objects.exists()
    assert client.get(reverse("opendata:zip")).status_code == 404
    assert client.get(reverse("opendata:csv", args=["municipalities"])).status_code == 404


@pytest.fixture
def release(world, media):
    return services.build_release(now=DAY)


def test_the_page_shows_the_release_and_its_dictionary_to_anybody(
    client, release, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert release.sha256 in html
    assert "CC BY 4.0" in html and 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert reverse("opendata:zip") in html
    for name in ("municipalities", "survey_results", "recognitions"):
        assert reverse("opendata:csv", args=[name]) in html
        assert reverse("opendata:json", args=[name]) in html
    assert "<code>population</code>" in html and "Latitude of its seat" in html
    assert 'datetime="2026-12-03T' in html
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]


def test_the_page_follows_the_readers_language_and_date_format(client, release):
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="hr")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="hr"' in html
    with translation.override("hr"):
        shown = formats.date_format(timezone.localtime(release.generated_at), "DATETIME_FORMAT")
    assert shown in html


def test_the_zip_is_served_with_etag_and_last_modified(client, release):
    response = client.get(reverse("opendata:zip"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["ETag"] == f'"{release.sha256}"'
    assert "Last-Modified" in response
    assert "mreza-open-data-2026-12-03.zip" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert len(body) == release.size
    again = client.get(reverse("opendata:zip"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_dataset_is_served_from_the_release_not_from_the_database(
    client, release, world, django_assert_max_num_queries
):
    Municipality.objects.filter(pk=world.a.pk).update(name="Renamed after the release")
    with django_assert_max_num_queries(3):
        response = client.get(reverse("opendata:csv", args=["municipalities"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Бања Лука" in text and "Renamed" not in text
    etag = response["ETag"]
    assert etag == f'"{release.members["csv/municipalities.csv"]["sha256"]}"'
    assert (
        client.get(
            reverse("opendata:csv", args=["municipalities"]), HTTP_IF_NONE_MATCH=etag
        ).status_code
        == 304
    )
    data = client.get(reverse("opendata:json", args=["municipalities"]))
    assert data["Content-Type"] == "application/json"
    assert {row["code"] for row in json.loads(data.content)} == {"T-A", "T-B"}


def test_an_unknown_dataset_is_not_found(client, release):
    assert client.get(reverse("opendata:csv", args=["users"])).status_code == 404
    assert client.get("/open-data/datapackage.csv").status_code == 404


def test_downloads_refuse_writes(client, release):
    assert client.post(reverse("opendata:zip")).status_code == 405
