"""Full-text search of the library: across scripts and diacritics, ranked, prefix on the last
word, through the index (FTS5 on SQLite, the GIN index on PostgreSQL), never a LIKE scan."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mreza.practices import scale, search
from mreza.practices.models import Practice, ResultFigure

pytestmark = pytest.mark.django_db


def make_practice(municipality, title, *, status=Practice.Status.PUBLISHED, **fields):
    values = {
        "language": "sr",
        "summary": "Kratak opis.",
        "problem": "Problem.",
        "actions": "<p>Urađeno.</p>",
        "results": "Rezultati.",
        "contact_name": "Ana Anić",
        "status": status,
        "published_at": timezone.now() if status == Practice.Status.PUBLISHED else None,
    }
    values.update(fields)
    return Practice.objects.create(municipality=municipality, title=title, **values)


def found(query, queryset=None):
    queryset = Practice.objects.filter(status="published") if queryset is None else queryset
    return list(search.search(queryset, query).values_list("title", flat=True))


@pytest.fixture
def library(world):
    return {
        "waste": make_practice(
            world.a, "Управљање отпадом у граду", summary="Одвојено сакупљање отпада."
        ),
        "cleaning": make_practice(
            world.b, "Čišćenje obale rijeke", summary="Volonteri i komunalno preduzeće."
        ),
        "procurement": make_practice(
            world.b,
            "E-nabavke",
            summary="Javne nabavke na internetu; upravljanje ugovorima.",
        ),
        "draft": make_practice(world.a, "Upravljanje otpadom, nacrt", status=Practice.Status.DRAFT),
    }


def test_latin_query_finds_cyrillic_text_and_the_other_way(library):
    assert found("upravljanje otpadom") == ["Управљање отпадом у граду"]
    assert found("управљање отпадом") == ["Управљање отпадом у граду"]
    assert found("UPRAVLJANJE   Otpadom!") == ["Управљање отпадом у граду"]


def test_diacritics_missing_or_half_typed_still_match(library):
    for query in ("čišćenje", "cisćenje", "ciscenje", "чишћење", "cischenje"):
        assert found(query) == ["Čišćenje obale rijeke"], query


def test_the_last_word_is_a_prefix_the_others_are_whole(library):
    assert found("upravljanje otpa") == ["Управљање отпадом у граду"]
    assert found("čišć") == ["Čišćenje obale rijeke"]
    # "otpa" only as the last word: earlier words must be whole
    assert found("otpa upravljanje") == []


def test_every_word_is_required(library):
    assert found("upravljanje") == ["Управљање отпадом у граду", "E-nabavke"]
    assert found("upravljanje ugovorima") == ["E-nabavke"]
    assert found("upravljanje volonteri") == []


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(world):
    make_practice(world.a, "Zelene površine", summary="Sadnja drveća i nabavke opreme.")
    make_practice(world.b, "Nabavke bez papira", summary="Elektronski postupak.")
    assert found("nabavke") == ["Nabavke bez papira", "Zelene površine"]


def test_the_municipality_name_is_searched(library):
    assert set(found("tuzla")) == {"Čišćenje obale rijeke", "E-nabavke"}
    assert found("banja luka") == ["Управљање отпадом у граду"]


def test_drafts_are_indexed_but_the_queryset_decides_what_is_found(library):
    assert found("nacrt") == []
    assert found("nacrt", Practice.objects.all()) == ["Upravljanje otpadom, nacrt"]


def test_search_syntax_in_the_query_is_just_words(library):
    for query in ('"otpad', "otpad*", "NOT otpadom", "otpadom) OR (", "'; DROP", "a & b | !c:*"):
        found(query)  # no syntax error from FTS5 or to_tsquery
    assert found('"upravljanje" otpadom*') == ["Управљање отпадом у граду"]
    assert search.query_terms("  ,.;  ") == []


def test_empty_query_leaves_the_queryset_unchanged(library):
    queryset = Practice.objects.filter(status="published")
    assert search.search(queryset, " - ") is queryset


def test_query_terms_are_folded_deduplicated_and_bounded():
    assert search.query_terms("Čišćenje čišćenje ČIŠĆENJE") == ["tsistsenje"]
    assert len(search.query_terms(" ".join(f"w{i}" for i in range(30)))) == search.MAX_TERMS
    assert len(search.query_terms("x" * 500)[0]) == search.MAX_TERM_LENGTH


def test_the_search_goes_through_the_index_not_like(library):
    with CaptureQueriesContext(connection) as queries:
        found("upravljanje otpadom")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert " LIKE " not in sql.upper()
    if connection.vendor == "sqlite":
        assert "practices_practice_fts MATCH" in sql and "bm25" in sql
    else:
        assert "\"search_vector\" @@ to_tsquery('simple'::regconfig" in sql and "ts_rank" in sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgresql_can_answer_from_the_gin_index(library):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is scanned otherwise
    tsquery = search.pg_tsquery(search.query_terms("upravljanje otpa"))
    assert search.GIN_INDEX in Practice.objects.filter(search._pg_match(tsquery)).explain()
    assert search.count_matches(Practice.objects.all(), "upravljanje otpa", 10) == 2
    assert search.count_matches(Practice.objects.all(), "upravljanje", 1) == 2  # cap + 1


def test_the_count_stops_at_the_cap(library):
    queryset = Practice.objects.all()
    assert search.count_matches(queryset, "upravljanje", 100) == 3
    assert search.count_matches(queryset, "upravljanje", 1) == 2
    assert search.count_matches(queryset, "", 100) == 4


def test_the_document_follows_every_change(library, world):
    waste = library["waste"]
    assert "upravljanje otpadom" in Practice.objects.get(pk=waste.pk).search_document
    waste.summary = "Kompostiranje u dvorištima."
    waste.save(update_fields=["summary"])
    assert found("kompostiranje") == ["Управљање отпадом у граду"]
    figure = ResultFigure.objects.create(
        practice=waste, label="Reciklirani papir", before=1, after=5
    )
    assert found("reciklirani") == ["Управљање отпадом у граду"]
    figure.delete()
    assert found("reciklirani") == []
    world.a.name = "Градишка"
    world.a.save()
    assert found("gradiska") == ["Управљање отпадом у граду"]
    assert found("banja") == []


def test_a_deleted_practice_leaves_the_index(library):
    library["cleaning"].delete()
    assert found("ciscenje") == []


def test_rich_text_tags_are_not_indexed(world):
    make_practice(world.a, "Savjet mladih", actions="<p><strong>Anketa</strong> u školama</p>")
    assert found("anketa") == ["Savjet mladih"]
    assert found("strong") == []


def test_ensure_index_is_idempotent_and_repairs_lost_triggers(library):
    assert search.ensure_index(connection) is False
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER practices_practice_fts_au")
        assert search.ensure_index(connection) is True
    library["procurement"].title = "Kompostana"
    library["procurement"].save()
    assert found("kompostana") == ["Kompostana"]


def test_scale_data_is_searchable_in_both_scripts(world, caf):
    assert scale.generate(60, seed=3, published_only=True) == 60
    practices = Practice.objects.filter(status="published")
    assert practices.count() == 60
    assert not practices.filter(search_document="").exists()
    assert practices.filter(areas__isnull=False).distinct().count() == 60
    # bulk inserts reach the index too (triggers on SQLite, the generated column on PostgreSQL)
    latin = search.count_matches(practices, "upravljanje otpadom", 100)
    assert latin > 0
    assert latin == search.count_matches(practices, "управљање отпадом", 100)
    assert latin == sum(1 for p in practices if "upravljanje otpadom" in p.search_document)
