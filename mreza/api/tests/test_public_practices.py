"""Published good practices without an account: only validated and published ones (never a
draft, a submitted or a withdrawn practice), the portal's filters and its full-text search across
scripts, one practice with what its public page shows, pagination limits, ETags, constant query
counts as the library grows."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mreza.api.tests.public_fixtures import _fresh_rate_limits, count_queries, get_json  # noqa: F401
from mreza.assessment.models import Subcriterion
from mreza.core.access import published_practices
from mreza.practices import search
from mreza.practices.models import (
    Practice,
    PracticeRevision,
    Replication,
    ResultFigure,
    TransferOffer,
)
from mreza.practices.tests.test_search import make_practice

pytestmark = pytest.mark.django_db
URL = "/api/v1/practices"
Status = Practice.Status


def titles(body):
    return [p["title"] for p in body["results"]]


@pytest.fixture
def library(world, caf):
    subs = list(Subcriterion.objects.filter(framework=caf).order_by("position")[:3])
    w = world
    w.subs = subs
    w.waste = make_practice(
        w.a,
        "Upravljanje otpadom u gradu",
        summary="Odvojeno sakupljanje otpada u svim naseljima.",
        sdg_codes=",11,12,",
        year=2024,
        language="sr",
        transferability="high",
        contact_email="otpad@example.org",
    )
    w.waste.areas.set(subs[:2])
    w.cleaning = make_practice(
        w.b,
        "Čišćenje obale rijeke",
        summary="Volonteri i komunalno preduzeće zajedno.",
        sdg_codes=",6,",
        year=2023,
        language="bs",
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    w.cleaning.areas.set(subs[1:2])
    w.hidden = [
        make_practice(w.a, f"Skriveno {status} otpad", status=status)
        for status in (Status.DRAFT, Status.SUBMITTED, Status.REVIEWED, Status.WITHDRAWN)
    ]
    return w


def test_only_published_practices_are_listed_to_anybody(library, client):
    body = get_json(client, URL)
    assert set(titles(body)) == {"Upravljanje otpadom u gradu", "Čišćenje obale rijeke"}
    assert body["count"] == 2
    # the filter is the one thing between the drafts and the public: with it gone they show
    assert Practice.objects.count() == 6
    for hidden in library.hidden:
        assert get_json(client, f"{URL}/{hidden.pk}", status=404)["code"] == "not_found"
    client.force_login(library.admin)  # a session widens nothing in the public API
    assert get_json(client, URL)["count"] == 2
    assert get_json(client, f"{URL}/{library.hidden[0].pk}", status=404)


def test_a_practice_withdrawn_after_publication_disappears(library, client):
    assert get_json(client, f"{URL}/{library.waste.pk}")["id"] == library.waste.pk
    Practice.objects.filter(pk=library.waste.pk).update(status=Status.WITHDRAWN)
    assert get_json(client, f"{URL}/{library.waste.pk}", status=404)["code"] == "not_found"
    assert titles(get_json(client, URL)) == ["Čišćenje obale rijeke"]


def test_a_list_item(library, client):
    row = get_json(client, URL)["results"][0]  # newest first
    w = library
    assert row["title"] == "Upravljanje otpadom u gradu"
    assert row["municipality"] == {"code": "T-A", "name": "Бања Лука"}
    assert (row["country"], row["language"], row["year"]) == ("BA", "sr", 2024)
    assert row["areas"] == sorted(s.code for s in w.subs[:2])
    assert row["sdgs"] == [11, 12] and row["transferability"] == "high"
    assert row["url"] == f"http://testserver/practices/{w.waste.pk}/"
    assert row["replications"] == 0
    assert "contact" not in row and "status" not in row


def test_search_across_scripts_and_diacritics(library, client):
    assert titles(get_json(client, f"{URL}?q=управљање")) == ["Upravljanje otpadom u gradu"]
    assert titles(get_json(client, f"{URL}?q=УПРАВЉАЊЕ отпадом")) == ["Upravljanje otpadom u gradu"]
    assert titles(get_json(client, f"{URL}?q=ciscenje")) == ["Čišćenje obale rijeke"]
    assert titles(get_json(client, f"{URL}?q=otpa")) == ["Upravljanje otpadom u gradu"]
    # the drafts mention "otpad" too: the search stays within the published ones
    assert get_json(client, f"{URL}?q=skriveno")["count"] == 0
    assert get_json(client, f"{URL}?q=nigdje")["count"] == 0
    assert get_json(client, f"{URL}?q={'x' * 201}", status=422)["errors"][0]["field"] == "q"


def test_search_ranks_as_the_page_does_unless_newest_is_asked(library, client):
    make_practice(
        library.b,
        "Nabavke",
        summary="Javne nabavke opreme za komunalno preduzeće, kamione i kante; obala.",
    )
    ranked = titles(get_json(client, f"{URL}?q=obal"))
    page = search.search(published_practices(Practice.objects.all()), "obal")
    assert ranked == [p.title for p in page] and len(ranked) == 2
    assert ranked[0] == "Čišćenje obale rijeke"  # twice in the document (the title)
    newest = titles(get_json(client, f"{URL}?q=obal&order=newest"))
    assert newest == ["Nabavke", "Čišćenje obale rijeke"]


def test_filters_as_on_the_portal(library, client):
    w = library
    assert titles(get_json(client, f"{URL}?area={w.subs[0].code}")) == [w.waste.title]
    assert len(titles(get_json(client, f"{URL}?area={w.subs[1].code}"))) == 2
    criterion = w.subs[0].criterion.code
    assert get_json(client, f"{URL}?area={criterion}")["count"] == 2
    assert titles(get_json(client, f"{URL}?region=T-FBIH-03")) == [w.cleaning.title]
    assert titles(get_json(client, f"{URL}?municipality=T-A")) == [w.waste.title]
    assert get_json(client, f"{URL}?country=ba")["count"] == 2
    assert get_json(client, f"{URL}?country=RS")["count"] == 0
    assert titles(get_json(client, f"{URL}?size=xl&sdg=6")) == [w.cleaning.title]
    assert titles(get_json(client, f"{URL}?population_min=150000")) == [w.waste.title]
    assert titles(get_json(client, f"{URL}?population_max=150000")) == [w.cleaning.title]
    assert get_json(client, f"{URL}?size=m")["count"] == 0
    assert titles(get_json(client, f"{URL}?sdg=11&year=2024&language=sr")) == [w.waste.title]
    assert get_json(client, f"{URL}?year=2023&language=sr")["count"] == 0
    for bad in ("sdg=18", "year=1500", "size=huge", "order=random", "country=BAH"):
        field = bad.split("=")[0]
        assert get_json(client, f"{URL}?{bad}", status=422)["errors"][0]["field"] == field


def test_one_practice_as_its_public_page_shows_it(library, client):
    w = library
    practice = w.waste
    Practice.objects.filter(pk=practice.pk).update(
        actions='<p>Kante <script>alert(1)</script><a href="javascript:x()">x</a></p>',
        costs="Dva kamiona.",
        cost_amount=Decimal("12000.50"),
        cost_currency="BAM",
        prerequisites="Komunalno preduzeće.",
        revision=2,
    )
    ResultFigure.objects.create(
        practice=practice, label="Reciklirano", unit="%", before=5, after=25, after_year=2024
    )
    for number in (1, 2):
        PracticeRevision.objects.create(
            practice=practice,
            number=number,
            content={},
            note=f"r{number}",
            published_at=timezone.now(),
        )
    Replication.objects.create(practice=practice, municipality=w.b, year=2025)
    TransferOffer.objects.create(practice=practice, description="Studijske posjete.")
    body = get_json(client, f"{URL}/{practice.pk}")
    assert body["title"] == practice.title and body["revision"] == 2
    assert "<script" not in body["actions_html"] and "javascript" not in body["actions_html"]
    assert body["actions_html"].startswith("<p>Kante")
    assert body["figures"] == [
        {
            "label": "Reciklirano",
            "unit": "%",
            "before": 5.0,
            "after": 25.0,
            "before_year": None,
            "after_year": 2024,
        }
    ]
    assert body["costs"] == {"text": "Dva kamiona.", "amount": 12000.5, "currency": "BAM"}
    assert body["prerequisites"] == "Komunalno preduzeće."
    # the page shows the name, and the e-mail and phone when given: the API does the same
    assert body["contact"] == {"name": "Ana Anić", "email": "otpad@example.org", "phone": ""}
    assert body["network"] is None
    assert [r["number"] for r in body["revisions"]] == [2, 1]
    assert body["adopted_by"] == [
        {"municipality": "T-B", "name": "Tuzla", "year": 2025, "note": ""}
    ]
    assert body["replications"] == 1
    assert body["transfer_offer"] == {"open": True, "description": "Studijske posjete."}
    assert [a["code"] for a in body["area_details"]] == [s.code for s in w.subs[:2]]
    assert "search_document" not in body and "status" not in body
    assert "created_by" not in body and "withdrawal_reason" not in body


def test_ids_out_of_range_are_422_and_unknown_ones_404(library, client):
    assert get_json(client, f"{URL}/0", status=422)["errors"][0]["field"] == "practice_id"
    assert get_json(client, f"{URL}/{2**70}", status=422)
    assert get_json(client, f"{URL}/{2**63 - 1}", status=404)["code"] == "not_found"


def test_pagination_limits(library, client):
    body = get_json(client, f"{URL}?page_size=1")
    assert (body["count"], body["pages"], len(body["results"])) == (2, 2, 1)
    assert body["next"].endswith("page=2") or "page=2" in body["next"]
    assert get_json(client, f"{URL}?page_size=1&page=2")["previous"]
    assert get_json(client, f"{URL}?page=9")["results"] == []
    for bad in ("page_size=0", "page_size=201", "page_size=-5", "page=0"):
        get_json(client, f"{URL}?{bad}", status=422)
    assert len(get_json(client, f"{URL}?page_size=200")["results"]) == 2


def test_etag_and_304(library, client):
    for url in (URL, f"{URL}/{library.waste.pk}"):
        first = client.get(url)
        etag = first["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again["ETag"] == etag
    Practice.objects.filter(pk=library.waste.pk).update(title="Novi naslov")
    assert client.get(URL, headers={"If-None-Match": etag}).status_code == 200


def _grow(world, count):
    subs = list(Subcriterion.objects.order_by("id")[:3])
    for number in range(count):
        practice = make_practice(world.b, f"Praksa {number}", sdg_codes=",3,")
        practice.areas.set(subs)
        Replication.objects.create(practice=practice, municipality=world.a, year=2026)
        ResultFigure.objects.create(practice=practice, label="x", before=1, after=2)


@pytest.mark.parametrize("query", ["", "?q=praksa", "?sdg=3&order=newest"])
def test_query_counts_stay_the_same_as_the_library_grows(
    library, client, django_assert_max_num_queries, query, rendered_pages
):
    url = f"{URL}{query}{'&' if query else '?'}page_size=200"
    _grow(library, 5)
    few = count_queries(client, url)
    _grow(library, 25)
    with django_assert_max_num_queries(few):
        body = get_json(client, url)
    assert len(body["results"]) >= 30
    assert few <= 5


def test_one_practices_query_count_does_not_grow(library, client, django_assert_max_num_queries):
    url = f"{URL}/{library.waste.pk}"
    few = count_queries(client, url)
    for number in range(30):
        ResultFigure.objects.create(practice=library.waste, label=f"f{number}", before=1, after=2)
        other = library.municipality(f"T-R{number}", f"Mjesto {number}")
        Replication.objects.create(practice=library.waste, municipality=other, year=2026)
    with django_assert_max_num_queries(few):
        body = get_json(client, url)
    assert len(body["adopted_by"]) == 30 and len(body["figures"]) == 30
