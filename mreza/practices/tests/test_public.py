"""The public library: list, filters, search on the page, the practice page, print view, files,
withdrawn practices, the map."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mreza.assessment.models import Subcriterion
from mreza.practices.models import (
    Attachment,
    Practice,
    PracticeRevision,
    Replication,
    ResultFigure,
)
from mreza.practices.tests.test_search import make_practice

pytestmark = pytest.mark.django_db
LIST = "/practices/"


def detail(practice, suffix=""):
    return reverse("practices:detail", args=[practice.pk]) + suffix


@pytest.fixture
def library(world, caf):
    subs = list(Subcriterion.objects.filter(framework=caf).order_by("position")[:3])
    waste = make_practice(
        world.a,
        "Управљање отпадом у граду",
        summary="Одвојено сакупљање отпада у свим насељима.",
        sdg_codes=",11,12,",
        year=2024,
        language="sr",
    )
    waste.areas.set(subs[:2])
    cleaning = make_practice(
        world.b,
        "Čišćenje obale rijeke",
        summary="Volonteri i komunalno preduzeće zajedno.",
        sdg_codes=",6,",
        year=2023,
        language="bs",
    )
    cleaning.areas.set(subs[1:2])
    procurement = make_practice(
        world.b, "E-nabavke", summary="Javne nabavke na internetu.", year=2024, language="hr"
    )
    procurement.areas.set(subs[2:3])
    draft = make_practice(world.a, "Tajni nacrt o otpadu", status=Practice.Status.DRAFT)
    return {
        "waste": waste,
        "cleaning": cleaning,
        "procurement": procurement,
        "draft": draft,
        "subs": subs,
    }


def titles(response):
    return [card["practice"].title for card in response.context["cards"]]


def test_the_list_shows_published_practices_to_anybody(client, library):
    response = client.get(LIST)
    assert response.status_code == 200
    assert set(titles(response)) == {
        "Управљање отпадом у граду",
        "Čišćenje obale rijeke",
        "E-nabavke",
    }
    assert "Tajni nacrt" not in response.content.decode()


def test_titles_and_marks_follow_the_readers_script(client, library):
    client.post("/i18n/setlang/", {"language": "sr-latn", "next": LIST})
    page = client.get(LIST).content.decode()
    assert "Upravljanje otpadom u gradu" in page and "Управљање" not in page
    page = client.get(LIST, {"q": "управљање"}).content.decode()
    assert "<mark>Upravljanje</mark> otpadom u gradu" in page
    client.post("/i18n/setlang/", {"language": "sr", "next": LIST})
    page = client.get(LIST, {"q": "ciscenje"}).content.decode()
    assert "<mark>Чишћење</mark> обале ријеке" in page


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"country": "BA"}, {"Управљање отпадом у граду", "Čišćenje obale rijeke", "E-nabavke"}),
        ({"region": "T-FBIH-03"}, {"Čišćenje obale rijeke", "E-nabavke"}),
        ({"region": "T-RS"}, {"Управљање отпадом у граду"}),
        ({"size": "xl"}, {"Управљање отпадом у граду", "Čišćenje obale rijeke", "E-nabavke"}),
        ({"size": "s"}, set()),
        ({"sdg": "6"}, {"Čišćenje obale rijeke"}),
        ({"sdg": "12"}, {"Управљање отпадом у граду"}),
        ({"year": "2024"}, {"Управљање отпадом у граду", "E-nabavke"}),
        ({"language": "bs"}, {"Čišćenje obale rijeke"}),
        ({"municipality": "T-A"}, {"Управљање отпадом у граду"}),
    ],
)
def test_filters(client, library, params, expected):
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_area_filters_by_subcriterion_and_by_criterion(client, library):
    subs = library["subs"]
    response = client.get(LIST, {"area": f"s{subs[1].pk}"})
    assert set(titles(response)) == {"Управљање отпадом у граду", "Čišćenje obale rijeke"}
    response = client.get(LIST, {"area": f"c{subs[0].criterion_id}"})
    expected = {
        p.title
        for p in Practice.objects.filter(
            status="published", areas__criterion_id=subs[0].criterion_id
        )
    }
    assert set(titles(response)) == expected and expected
    # one card per practice even when two of its areas share the criterion
    assert len(titles(response)) == len(expected)


def test_choices_offer_only_what_the_library_has_and_follow_changes(client, library, world):
    form = client.get(LIST).context["form"]
    assert [c for c, _ in form.fields["year"].choices] == ["", "2024", "2023"]
    assert [c for c, _ in form.fields["sdg"].choices] == ["", "6", "11", "12"]
    assert {c for c, _ in form.fields["language"].choices} == {"", "sr", "bs", "hr"}
    make_practice(world.a, "Nova", year=2019, sdg_codes=",4,")
    form = client.get(LIST).context["form"]
    assert "2019" in [c for c, _ in form.fields["year"].choices]
    assert "4" in [c for c, _ in form.fields["sdg"].choices]


def test_an_invalid_filter_value_is_ignored_not_an_error(client, library):
    response = client.get(LIST, {"year": "1066", "sdg": "x", "q": "otpad"})
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_search_on_the_page_finds_cyrillic_text_with_a_latin_query(client, library):
    for query in ("upravljanje otpadom", "управљање отпадом"):
        response = client.get(LIST, {"q": query})
        assert titles(response) == ["Управљање отпадом у граду"]
    response = client.get(LIST, {"q": "cisćenje"})
    assert titles(response) == ["Čišćenje obale rijeke"]
    page = response.content.decode()
    assert "<mark>Čišćenje</mark>" in page


def test_search_snippets_mark_the_words_and_escape_the_text(client, world):
    make_practice(
        world.a,
        "Otpad <script>alert(1)</script>",
        summary="Reciklaža <img src=x onerror=alert(1)> i otpad.",
    )
    page = client.get(LIST, {"q": "otpad"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "<mark>Otpad</mark> &lt;script&gt;" in page
    assert "<mark>otpad</mark>." in page


def test_search_combines_with_filters_and_sorts_by_newest_when_asked(client, library):
    older = library["procurement"]
    older.published_at = timezone.now() - datetime.timedelta(days=30)
    older.save()
    response = client.get(LIST, {"q": "nabavke", "language": "bs"})
    assert titles(response) == []
    response = client.get(LIST, {"q": "e", "sort": "newest"})
    assert titles(response)[-1] == "E-nabavke"


def test_no_match_says_so(client, library):
    page = client.get(LIST, {"q": "helikopter"}).content.decode()
    assert "No good practice matches" in page


def test_htmx_gets_only_the_results(client, library):
    response = client.get(
        LIST, {"q": "otpad"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="library-results"
    )
    page = response.content.decode()
    assert "<form" not in page and "practice-card" in page


def test_pagination(client, world):
    for i in range(25):
        make_practice(world.a, f"Praksa {i}")
    first = client.get(LIST)
    assert len(first.context["cards"]) == 20
    second = client.get(LIST, {"page": 2})
    assert len(second.context["cards"]) == 5
    assert client.get(LIST, {"page": "999"}).status_code == 200


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries.captured_queries), response


@pytest.mark.parametrize("params", [{}, {"q": "otpad"}, {"q": "otpad", "sdg": "11"}])
def test_list_query_count_does_not_grow_with_the_rows(
    client, library, world, params, rendered_pages
):
    client.get(LIST)  # fills the cached choices
    few, _response = count_queries(client, LIST, params)
    subs = library["subs"]
    for i in range(30):
        practice = make_practice(world.b, f"Otpad {i}", sdg_codes=",11,")
        practice.areas.set(subs)
    client.get(LIST)
    many, response = count_queries(client, LIST, params)
    assert many == few <= 5
    assert len(response.context["cards"]) == 20


# ------------------------------------------------------------------------------ the page


@pytest.fixture
def full(library, world):
    practice = library["waste"]
    ResultFigure.objects.create(
        practice=practice,
        label="Одвојено прикупљен отпад",
        unit="%",
        before=Decimal("12.5"),
        after=Decimal("40"),
        before_year=2021,
        after_year=2024,
    )
    ResultFigure.objects.create(practice=practice, label="Divlje deponije", before=30, after=12)
    practice.costs = "Два возила и контејнери."
    practice.cost_amount = Decimal("125000")
    practice.cost_currency = "BAM"
    practice.prerequisites = "Комунално предузеће."
    practice.actions = "<p>Набављени <strong>контејнери</strong></p><script>alert(1)</script>"
    practice.save()
    PracticeRevision.objects.create(
        practice=practice, number=1, content={}, published_at=timezone.now(), note="Прва"
    )
    Replication.objects.create(practice=practice, municipality=world.b, year=2027)
    return practice


def test_the_page_shows_everything(client, full):
    response = client.get(detail(full))
    assert response.status_code == 200
    page = response.content.decode()
    # stored in Cyrillic, read in English: Latin script
    for text in (
        "Upravljanje otpadom u gradu",
        "Odvojeno prikupljen otpad",
        "12.5",
        "+27.5",
        "+220.0 %",
        "-18",
        "Dva vozila i kontejneri.",
        "125,000.00 BAM",
        "Komunalno preduzeće.",
        "Ana Anić",
        "adopted by Tuzla in 2027",
        "Revision 1",
        "SDG 11: Sustainable cities and communities",
        "<strong>kontejneri</strong>",
    ):
        assert text in page, text
    assert "<script>alert(1)</script>" not in page
    assert 'class="mreza-map"' in page  # the replications' map
    assert reverse("practices:print", args=[full.pk]) in page


def test_the_page_shows_similar_practices(client, full, library):
    response = client.get(detail(full))
    similar = [row["practice"].title for row in response.context["similar"]]
    assert similar == ["Čišćenje obale rijeke"]  # shares an area; E-nabavke shares nothing


def test_the_print_view_has_everything_and_no_navigation(client, full):
    response = client.get(detail(full, "print/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<nav" not in page
    assert "Odvojeno prikupljen otpad" in page and "adopted by Tuzla in 2027" in page
    assert "practices/print.css" in page


def test_a_draft_is_seen_by_its_municipality_only(client, library, world):
    url = detail(library["draft"])
    assert client.get(url).status_code == 404
    client.force_login(world.charlie)
    assert client.get(url).status_code == 404
    client.force_login(world.bob)
    response = client.get(url)
    assert response.status_code == 200
    # the workflow panel (views/panel.py) for its author: status and what they may do
    assert response.context["workflow"]["buttons"]
    assert "Way to publication" in response.content.decode()
    assert client.get(url + "print/").status_code == 200


def test_a_withdrawn_practice_answers_410_with_a_page(client, library, world):
    practice = library["cleaning"]
    practice.status = Practice.Status.WITHDRAWN
    practice.withdrawn_at = timezone.now()
    practice.withdrawal_reason = "Zamijenjena novom praksom."
    practice.save()
    response = client.get(detail(practice))
    assert response.status_code == 410
    page = response.content.decode()
    assert "withdrawn" in page and "Zamijenjena novom praksom." in page
    assert client.get(detail(practice, "print/")).status_code == 410
    assert "Čišćenje obale" not in client.get(LIST).content.decode()
    client.force_login(world.charlie)  # staff of its municipality still opens it
    assert client.get(detail(practice)).status_code == 200


def test_an_unknown_practice_is_404(client, library):
    assert client.get("/practices/999999/").status_code == 404


def test_files_download_through_the_access_check(client, library, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = Attachment(
        practice=library["waste"],
        kind="photo",
        name="kontejneri.png",
        content_type="image/png",
        size=4,
    )
    photo.file.save("kontejneri.png", ContentFile(b"\x89PNG"), save=True)
    svg = Attachment(
        practice=library["waste"],
        kind="photo",
        name="plan.svg",
        content_type="image/svg+xml",
        size=5,
    )
    svg.file.save("plan.svg", ContentFile(b"<svg/>"), save=True)
    hidden = Attachment(
        practice=library["draft"],
        kind="document",
        name="nacrt.pdf",
        content_type="application/pdf",
        size=4,
    )
    hidden.file.save("nacrt.pdf", ContentFile(b"%PDF"), save=True)

    response = client.get(reverse("practices:file", args=[library["waste"].pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG"
    response = client.get(reverse("practices:file", args=[library["waste"].pk, svg.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    # the draft's file: not for the public, not through another practice's address
    assert (
        client.get(reverse("practices:file", args=[library["draft"].pk, hidden.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("practices:file", args=[library["waste"].pk, hidden.pk])).status_code
        == 404
    )
    client.force_login(world.bob)
    response = client.get(reverse("practices:file", args=[library["draft"].pk, hidden.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = client.get(detail(library["waste"])).content.decode()
    assert reverse("practices:file", args=[library["waste"].pk, photo.pk]) in page


def test_page_query_count_does_not_grow(client, full, world):
    client.get(detail(full))
    before, _response = count_queries(client, detail(full))
    for i in range(10):
        ResultFigure.objects.create(practice=full, label=f"R{i}", before=i, after=i + 1)
        PracticeRevision.objects.create(
            practice=full, number=i + 2, content={}, published_at=timezone.now()
        )
        other = make_practice(world.b, f"Slična {i}", sdg_codes=",11,")
        other.areas.set(full.areas.all())
    after, response = count_queries(client, detail(full))
    assert after == before <= 16
    assert len(response.context["similar"]) == 5


# ------------------------------------------------------------------------------ the map


def test_the_map_shows_municipalities_with_practices(client, library):
    response = client.get(reverse("practices:map"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="mreza-map"' in page
    assert "/practices/?municipality=T-A" in page and "/practices/?municipality=T-B" in page
    assert response.context["count"] == 2


def test_the_map_without_practices(client, world):
    response = client.get(reverse("practices:map"))
    assert response.status_code == 200
    assert "No good practice can be shown on a map yet" in response.content.decode()
