"""The index behind directory search: substring search on the folded key without a full scan.

PostgreSQL: a trigram GIN index on `search_key` (extension pg_trgm), which the planner uses for the
`search_key::text LIKE '%token%'` that `search_key__contains` produces.
SQLite: an FTS5 table with the trigram tokenizer over `search_key` (external content, kept in step
by triggers). SQLite drops a table's triggers when a migration rebuilds the table, so
`ensure_index` also runs after every `migrate` (post_migrate) and rebuilds the index if it had to
recreate them. Tokens shorter than three characters cannot use a trigram index on either database;
they are matched by the plain LIKE alone.
"""

from django.db import connections

TABLE = "registry_municipality"
FTS = "registry_municipality_fts"
TRIGRAM_INDEX = "registry_mun_search_trgm"
MIN_INDEXED = 3

# Plain literals (no string building): the names are constants of this module.
_SQLITE_TRIGGERS = {
    "registry_municipality_fts_ai": (
        "CREATE TRIGGER registry_municipality_fts_ai AFTER INSERT ON registry_municipality BEGIN "
        "INSERT INTO registry_municipality_fts(rowid, search_key) VALUES (new.id, new.search_key); "
        "END"
    ),
    "registry_municipality_fts_ad": (
        "CREATE TRIGGER registry_municipality_fts_ad AFTER DELETE ON registry_municipality BEGIN "
        "INSERT INTO registry_municipality_fts(registry_municipality_fts, rowid, search_key) "
        "VALUES ('delete', old.id, old.search_key); END"
    ),
    "registry_municipality_fts_au": (
        "CREATE TRIGGER registry_municipality_fts_au AFTER UPDATE OF search_key "
        "ON registry_municipality BEGIN "
        "INSERT INTO registry_municipality_fts(registry_municipality_fts, rowid, search_key) "
        "VALUES ('delete', old.id, old.search_key); "
        "INSERT INTO registry_municipality_fts(rowid, search_key) VALUES (new.id, new.search_key); "
        "END"
    ),
}
CREATE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS registry_municipality_fts USING fts5("
    "search_key, content='registry_municipality', content_rowid='id', tokenize='trigram')"
)
REBUILD_FTS = "INSERT INTO registry_municipality_fts(registry_municipality_fts) VALUES ('rebuild')"
MATCH_FTS = "SELECT rowid FROM registry_municipality_fts WHERE registry_municipality_fts MATCH %s"


def ensure_index(connection):
    """Create the search index if it is missing (idempotent); True if something was created.

    PostgreSQL: without `fastupdate = off` a GIN index collects new rows in a pending list that
    only VACUUM merges; after a bulk load (10,000 municipalities) the planner then prices the
    index above a sequential scan and search scans the whole table. The registry changes rarely,
    so every insert updates the index itself. An older index is switched over and merged here."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Look first: CREATE INDEX (even IF NOT EXISTS) is refused inside a transaction that
            # has pending deferred-constraint events, as after inserts in the same transaction.
            cursor.execute(
                "SELECT coalesce(c.reloptions, '{}') FROM pg_class c "
                "WHERE c.relname = 'registry_mun_search_trgm' AND c.relkind = 'i'"
            )
            row = cursor.fetchone()
            if row:
                if "fastupdate=off" not in row[0]:
                    cursor.execute("ALTER INDEX registry_mun_search_trgm SET (fastupdate = off)")
                    cursor.execute("SELECT gin_clean_pending_list('registry_mun_search_trgm')")
                return False
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS registry_mun_search_trgm ON registry_municipality "
                "USING gin (search_key gin_trgm_ops) WITH (fastupdate = off)"
            )
        return True
    if connection.vendor != "sqlite":
        return False
    created = False
    with connection.cursor() as cursor:
        cursor.execute(CREATE_FTS)
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
        )
        present = {row[0] for row in cursor.fetchall()}
        for name, sql in _SQLITE_TRIGGERS.items():
            if name not in present:
                cursor.execute(sql)
                created = True
        if created:
            cursor.execute(REBUILD_FTS)
    return created


def drop_index(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS registry_mun_search_trgm")
        elif connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute("DROP TRIGGER IF EXISTS " + connection.ops.quote_name(name))
            cursor.execute("DROP TABLE IF EXISTS registry_municipality_fts")


def sqlite_match_sql():
    """SQL for `pk IN (…)`: the rows whose key contains the phrase (SQLite only)."""
    return MATCH_FTS


def fts_phrase(token):
    return '"' + token.replace('"', '""') + '"'


def uses_fts(alias):
    return connections[alias].vendor == "sqlite"


def on_post_migrate(sender, using="default", **kwargs):
    connection = connections[using]
    tables = connection.introspection.table_names()
    if TABLE in tables:
        ensure_index(connection)
