import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.core.models import AuditEntry
from mreza.registry.models import Municipality


@pytest.mark.parametrize("query", ["banja luka", "Banja Luka", "бања лука", "БАЊА", "banja"])
def test_directory_search_matches_across_scripts(world, client, query):
    response = client.get("/municipalities/", {"q": query})
    assert response.status_code == 200
    assert "Бања Лука" in response.content.decode() or "Banja Luka" in response.content.decode()
    assert "Tuzla" not in response.content.decode().split("<tbody>")[1]


def test_directory_shows_names_in_readers_script(world, client):
    client.cookies["django_language"] = "sr-latn"
    assert "Banja Luka" in client.get("/municipalities/").content.decode()
    client.cookies["django_language"] = "sr"
    body = client.get("/municipalities/").content.decode()
    assert "Бања Лука" in body and "Тузла" in body


def test_directory_filters(world, client):
    body = client.get("/municipalities/", {"region": "T-FBIH-03"}).content.decode()
    assert "Tuzla" in body and "Бања Лука" not in body
    body = client.get("/municipalities/", {"population_min": 150000}).content.decode()
    assert "Tuzla" not in body.split("<tbody>")[1]
    response = client.get("/municipalities/", {"population_min": 5, "population_max": 1})
    assert "must not be below" in response.content.decode()


def test_htmx_request_returns_only_the_results_fragment(world, client):
    response = client.get(
        "/municipalities/",
        {"q": "tuzla"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="directory-results",
    )
    body = response.content.decode()
    assert "Tuzla" in body and "<html" not in body


def _add(world, n):
    Municipality.objects.bulk_create(
        Municipality(
            code=f"N{i}",
            name=f"Mjesto {i}",
            country=world.country,
            region=world.canton,
            population=i,
            search_key=f"mjesto {i}",
        )
        for i in range(n)
    )


def _count_queries(client, url):
    cache.clear()  # the cold path: cached choices are built inside the measured request
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/municipalities/",
        "/municipalities/?country=BA&q=mjesto",
        "/municipalities/T-A/",
        "/municipalities/map/?country=BA",
    ],
)
def test_pages_run_constant_queries_for_10_and_1000_municipalities(world, client, url):
    client.force_login(world.alice)
    client.get("/")  # the first request after signing in settles the session once
    _add(world, 10)
    small = _count_queries(client, url)
    Municipality.objects.filter(code__startswith="N").delete()
    _add(world, 1000)
    assert _count_queries(client, url) == small


def test_charlie_is_refused_private_pages_of_a(world, client):
    client.force_login(world.charlie)
    assert client.get("/municipalities/T-A/").status_code == 200  # public facts
    for url in (
        "/municipalities/T-A/people/",
        "/municipalities/T-A/history/",
        "/municipalities/T-A/edit/",
        "/municipalities/T-A/people/invite/",
    ):
        assert client.get(url).status_code in (403, 404), url
    body = client.get("/municipalities/T-A/").content.decode()
    assert "/municipalities/T-A/people/" not in body


def test_anonymous_is_sent_to_sign_in_for_private_pages(world, client):
    response = client.get("/municipalities/T-A/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_coordinator_sees_people_and_history(world, client):
    client.force_login(world.alice)
    assert "bob@example.org" in client.get("/municipalities/T-A/people/").content.decode()
    assert client.get("/municipalities/T-A/history/").status_code == 200
    client.force_login(world.bob)
    assert client.get("/municipalities/T-A/people/").status_code == 200
    assert client.get("/municipalities/T-A/history/").status_code == 403


def test_edit_saves_and_is_audited(world, client):
    client.force_login(world.alice)
    response = client.post(
        "/municipalities/T-A/edit/",
        {"website": "https://www.banjaluka.rs.ba", "description": "Добродошли", "version": 1},
    )
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.description == "Добродошли" and world.a.version == 2
    entry = AuditEntry.objects.filter(object_id=str(world.a.pk), action="update").latest("id")
    assert entry.actor == world.alice and "description" in entry.changes


def test_concurrent_edit_is_a_conflict_not_a_silent_overwrite(world, client):
    client.force_login(world.alice)
    client.post("/municipalities/T-A/edit/", {"website": "", "description": "First", "version": 1})
    response = client.post(
        "/municipalities/T-A/edit/", {"website": "", "description": "Second", "version": 1}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved" in body and "Second" in body  # what the user typed is kept
    world.a.refresh_from_db()
    assert world.a.description == "First"


def test_edit_keeps_typed_text_on_invalid_input(world, client):
    client.force_login(world.alice)
    response = client.post(
        "/municipalities/T-A/edit/",
        {"website": "not a url", "description": "Kept text", "version": 1},
    )
    assert response.status_code == 200
    assert "Kept text" in response.content.decode()


def test_user_text_is_shown_in_readers_script(world, client):
    world.a.description = "Желимо да учимо."
    world.a.save(update_fields=["description"])
    client.cookies["django_language"] = "sr-latn"
    assert "Želimo da učimo." in client.get("/municipalities/T-A/").content.decode()


# ---------------------------------------------------------------- three countries (issue 8)


@pytest.fixture
def three(world):
    import datetime

    from mreza.registry.models import Country, Region

    bg = Country.objects.create(code="BG", name="Bulgaria", name_language="bg")
    rs = Country.objects.create(code="RS", name="Serbia", name_language="sr")
    world.bg_province = Region.objects.create(
        country=bg, code="BG-21", kind="oblast", name="Смолян"
    )
    world.rs_region = Region.objects.create(
        country=rs, code="RS-R4", kind="statistical", name="Регион Југа"
    )
    world.rs_district = Region.objects.create(
        country=rs,
        code="RS-20",
        kind="okrug",
        parent=world.rs_region,
        name="Нишавски управни округ",
    )
    world.smolyan = Municipality.objects.create(
        code="BG-SML31",
        name="Смолян",
        country=bg,
        region=world.bg_province,
        population=32351,
        population_kind="estimate",
        population_date=datetime.date(2023, 12, 31),
        population_source="NSI estimate",
        latitude=41.57,
        longitude=24.71,
    )
    world.shumen = Municipality.objects.create(
        code="BG-SHU30", name="Шумен", country=bg, region=world.bg_province
    )
    world.nis = Municipality.objects.create(
        code="RS-G-NIS",
        name="Ниш",
        country=rs,
        region=world.rs_district,
        type="city",
        population=249501,
        census_year=2022,
        population_kind="census",
        population_date=datetime.date(2022, 9, 30),
        latitude=43.32,
        longitude=21.9,
    )
    world.medijana = Municipality.objects.create(
        code="RS-71307",
        name="Медијана",
        country=rs,
        region=world.rs_district,
        type="city_municipality",
        part_of=world.nis,
        population=83000,
        census_year=2022,
        population_kind="census",
    )
    return world


@pytest.mark.parametrize("query", ["Смолян", "Smolyan", "smolian", "SMOLJAN"])
def test_bulgarian_municipality_is_found_in_both_scripts_and_spellings(three, client, query):
    body = client.get("/municipalities/", {"q": query}).content.decode().split("<tbody>")[1]
    assert "BG-SML31" in body and "BG-SHU30" not in body


def test_bulgarian_names_use_the_bulgarian_transliteration_for_latin_readers(three, client):
    client.cookies["django_language"] = "sr-latn"
    body = client.get("/municipalities/", {"country": "BG"}).content.decode()
    assert "Shumen" in body and "Šumen" not in body and "Smolyan" in body
    client.cookies["django_language"] = "bg"
    body = client.get("/municipalities/", {"country": "BG"}).content.decode()
    assert "Шумен" in body and "Shumen" not in body
    client.cookies["django_language"] = "sr"
    assert "Медијана" in client.get("/municipalities/", {"country": "RS"}).content.decode()
    client.cookies["django_language"] = "sr-latn"
    assert "Medijana" in client.get("/municipalities/", {"country": "RS"}).content.decode()


def test_profile_shows_kind_date_and_source_of_the_population_and_not_known(three, client):
    body = client.get("/municipalities/BG-SML31/").content.decode()
    assert "32,351 (estimate, Dec. 31, 2023)" in body and "NSI estimate" in body
    assert body.count("not known") == 2  # area and website
    body = client.get("/municipalities/RS-G-NIS/").content.decode()
    assert "249,501 (census, Sept. 30, 2022)" in body
    body = client.get("/municipalities/RS-71307/").content.decode()
    assert "83,000 (census, 2022)" in body  # no reference day: the year
    assert body.count("not known") == 3  # area, coordinates, website
    assert (
        "not known"
        in client.get("/municipalities/BG-SHU30/").content.decode().split('id="population"')[1][:80]
    )


def test_directory_filters_by_country_region_and_type_across_countries(three, client):
    rows = (
        client.get("/municipalities/", {"country": "RS", "region": "RS-R4"})
        .content.decode()
        .split("<tbody>")[1]
    )
    assert "RS-G-NIS" in rows and "RS-71307" in rows and "BG-SML31" not in rows
    rows = client.get(
        "/municipalities/", {"country": "BG", "type": "municipality"}
    ).content.decode()
    assert "BG-SML31" in rows.split("<tbody>")[1] and "Tuzla" not in rows.split("<tbody>")[1]
    # Regions of another country are not offered and are refused.
    page = client.get("/municipalities/", {"country": "BG"}).content.decode()
    assert 'value="BG-21"' in page and 'value="RS-R4"' not in page
    assert (
        "Select a valid choice"
        in client.get("/municipalities/", {"country": "BG", "region": "RS-R4"}).content.decode()
    )
    rows = client.get(
        "/municipalities/", {"country": "BG", "population_min": 30000}
    ).content.decode()
    assert "estimate 2023" in rows


def test_population_total_counts_a_city_once(three, client):
    assert Municipality.objects.filter(country__code="RS").population_total() == 249501
    assert Municipality.objects.filter(code="RS-71307").population_total() == 83000
    body = client.get("/municipalities/", {"country": "RS"}).content.decode()
    assert "Their population: 249,501" in body


def test_data_quality_page_counts_gaps_for_administrators_only(three, client):
    client.force_login(three.alice)
    assert client.get("/municipalities/data-quality/").status_code == 403
    client.force_login(three.admin)
    response = client.get("/municipalities/data-quality/")
    assert response.status_code == 200
    rows = {r["country"].code: r for r in response.context["rows"]}
    # columns: population, kind/date, source, area, coordinates, website
    assert rows["BG"]["units"] == 2 and rows["BG"]["gaps"] == [1, 0, 0, 2, 1, 2]
    assert rows["RS"]["gaps"] == [0, 1, 2, 2, 1, 2]
    assert "/municipalities/data-quality/" in client.get("/dashboard/").content.decode()


def test_map_lists_units_it_cannot_place_and_defaults_to_the_users_country(three, client):
    body = client.get("/municipalities/map/", {"country": "RS"}).content.decode()
    assert "cannot be placed" in body and "Medijana" in body.split("cannot be placed")[1]
    assert 'value="RS" selected' in body
    from mreza.accounts.models import MunicipalRole

    bulgarian = three.user("maria", language="bg")
    MunicipalRole.objects.create(user=bulgarian, municipality=three.smolyan, role="coordinator")
    client.force_login(bulgarian)
    body = client.get("/municipalities/map/").content.decode()
    assert 'value="BG" selected' in body and "Шумен" in body.split('id="unplaced-h"')[1]
    client.force_login(three.alice)
    assert 'value="BA" selected' in client.get("/municipalities/map/").content.decode()


def test_region_choices_follow_the_readers_script(three, client):
    client.cookies["django_language"] = "sr-latn"
    page = client.get("/municipalities/", {"country": "RS"}).content.decode()
    assert "Nišavski upravni okrug" in page
    page = client.get("/municipalities/", {"country": "BG"}).content.decode()
    assert ">Smolyan</option>" in page
