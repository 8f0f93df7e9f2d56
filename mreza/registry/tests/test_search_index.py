"""Directory search uses an index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) and cached
choices follow every change (issue 10)."""

from django.db import connection

from mreza.registry import search_index
from mreza.registry.models import Municipality, Region


def _codes(query):
    return sorted(Municipality.objects.search(query).values_list("code", flat=True))


def _fts_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_municipality_fts")
        return cursor.fetchone()[0]


def test_search_goes_through_the_index_and_stays_exact(world):
    world.municipality("T-BB", "Banja Koviljača")
    world.municipality("T-NB", "Novi Banjaluk")
    query = Municipality.objects.search("banja").query
    if connection.vendor == "sqlite":
        assert "registry_municipality_fts MATCH" in str(query)
    else:
        with connection.cursor() as cursor:
            sql, params = query.sql_with_params()
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "registry_mun_search_trgm" in plan
    assert _codes("banja") == ["T-A", "T-BB", "T-NB"]
    assert _codes("бања лука") == ["T-A"]  # across scripts
    assert _codes("koviljaca") == ["T-BB"]  # without diacritics
    assert _codes("uz") == ["T-B"]  # two letters: no trigram, the plain LIKE alone
    assert _codes("banja zz") == []


def test_the_index_follows_inserts_updates_and_deletes(world):
    new = Municipality(code="T-X", name="Pelinovo", country=world.country, region=world.entity)
    new.search_key = new.compute_search_key()
    bulk = Municipality.objects.bulk_create([new])  # no save(), no signals: the triggers index it
    assert _codes("pelinovo") == ["T-X"]
    m = Municipality.objects.get(pk=bulk[0].pk)
    m.name = "Kamenica"
    m.save()
    assert _codes("pelinovo") == [] and _codes("kamenica") == ["T-X"]
    m.delete()
    assert _codes("kamenica") == []


def test_a_table_rebuild_that_drops_the_triggers_is_repaired_after_migrate(world):
    if connection.vendor != "sqlite":
        assert search_index.ensure_index(connection) is False  # the GIN index is there
        with connection.cursor() as cursor:
            # an index made before fastupdate=off is switched over (and its pending list merged)
            cursor.execute("ALTER INDEX registry_mun_search_trgm SET (fastupdate = on)")
            assert search_index.ensure_index(connection) is False
            cursor.execute(
                "SELECT reloptions FROM pg_class WHERE relname = 'registry_mun_search_trgm'"
            )
            assert cursor.fetchone()[0] == ["fastupdate=off"]
        return
    with connection.cursor() as cursor:
        for name in search_index._SQLITE_TRIGGERS:
            cursor.execute("DROP TRIGGER " + name)
    world.municipality("T-LOST", "Izgubljeno")  # not indexed while the triggers are gone
    assert _codes("izgubljeno") == []
    search_index.on_post_migrate(sender=None, using="default")
    assert _codes("izgubljeno") == ["T-LOST"]
    assert _fts_rows() == Municipality.objects.count()


def test_directory_choices_are_cached_and_follow_a_renamed_region(world, client):
    body = client.get("/municipalities/").content.decode()
    assert "Tuzlanski kanton" in body
    region = Region.objects.get(code="T-FBIH-03")
    region.name = "Tuzlanski kanton (novo)"
    region.save(update_fields=["name"])
    body = client.get("/municipalities/").content.decode()
    assert "Tuzlanski kanton (novo)" in body


def test_directory_totals_follow_a_new_municipality(world, client):
    assert "2 municipalities found" in client.get("/municipalities/").content.decode()
    world.municipality("T-C", "Treće")
    assert "3 municipalities found" in client.get("/municipalities/").content.decode()


def test_filter_selects_keep_the_choice_and_escape_labels(world, client):
    Region.objects.create(
        country=world.country, code="T-ESC", kind="canton", name="<b>Kanton</b> & co"
    )
    body = client.get("/municipalities/?country=BA&region=T-FBIH-03&type=city").content.decode()
    assert '<option value="T-FBIH-03" selected>' in body
    assert '<option value="city" selected>' in body
    assert '<option value="BA" selected>' in body
    assert "&lt;b&gt;Kanton&lt;/b&gt; &amp; co" in body and "<b>Kanton</b>" not in body
