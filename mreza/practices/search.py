"""Full-text search of the practice library, ranked, across scripts and diacritics.

What is indexed: `Practice.search_document`, the folded (`mreza.text.fold`) text of the title
(twice, so that a word in the title ranks above the same word in the body), the municipality's
name, the summary, the problem, what was done (tags stripped), the results and the labels of the
measured results. Queries are folded the same way, so "upravljanje otpadom" and "управљање
отпадом" are one query and "cisćenje" finds "čišćenje". The document is kept by the signals of
`apps.py` (`refresh_documents`), written with a queryset update: it is derived, not audited.

PostgreSQL: `search_vector`, a stored generated column `to_tsvector('simple', search_document)`
that only the database knows (added by the migration, not a model field; the 'simple'
configuration because the text is folded already and stemming for one language would spoil the
others), with a GIN index, queried with `@@ to_tsquery('simple', …)` — every word required, the
last one as a prefix (typing "otpa" finds "otpad") — and ordered by `ts_rank`. The vector is
stored because ranking reads it for every candidate: computing it from the text at query time
cost 0.2 ms a row, 400 ms for a two-word query in 50,000 practices. Ranking is bounded: at most
RANK_CANDIDATES matches are ranked, the first the index scan finds (all of them for a query that
is not very common), so a word found in half the library costs what a rare one does; such a query
is rarely what the reader wants, and the page asks for another word or a filter.

SQLite: an FTS5 table over `search_document` (external content, rowid = practice id, kept by
triggers; "unicode61 remove_diacritics 2"), `MATCH` with quoted terms and a prefix `*` on the
last, ordered by `bm25()`. Neither uses a LIKE scan.

SQLite drops a table's triggers when a migration rebuilds the table, so `ensure_index` also runs
after every `migrate` (post_migrate, see `apps.py`) and recreates them, rebuilding the index.
"""

import re

from django.db import connections
from django.db.models import BooleanField, F, FloatField
from django.db.models.expressions import Expression, RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.html import strip_tags

from mreza.practices.models import Practice, Replication, ResultFigure
from mreza.registry import choices
from mreza.registry.models import Municipality
from mreza.text import fold

TABLE = "practices_practice"
FTS = "practices_practice_fts"
GIN_INDEX = "practices_search_gin"
# A query is at most this many words of at most this many letters: longer input is typing noise
# and each word costs an index look-up.
MAX_TERMS = 8
MAX_TERM_LENGTH = 40

_WORD_RE = re.compile(r"\w+")

# Plain literals (no string building): the names are constants of this module.
_SQLITE_TRIGGERS = {
    "practices_practice_fts_ai": (
        "CREATE TRIGGER practices_practice_fts_ai AFTER INSERT ON practices_practice BEGIN "
        "INSERT INTO practices_practice_fts(rowid, search_document) "
        "VALUES (new.id, new.search_document); END"
    ),
    "practices_practice_fts_ad": (
        "CREATE TRIGGER practices_practice_fts_ad AFTER DELETE ON practices_practice BEGIN "
        "INSERT INTO practices_practice_fts(practices_practice_fts, rowid, search_document) "
        "VALUES ('delete', old.id, old.search_document); END"
    ),
    "practices_practice_fts_au": (
        "CREATE TRIGGER practices_practice_fts_au AFTER UPDATE OF search_document "
        "ON practices_practice BEGIN "
        "INSERT INTO practices_practice_fts(practices_practice_fts, rowid, search_document) "
        "VALUES ('delete', old.id, old.search_document); "
        "INSERT INTO practices_practice_fts(rowid, search_document) "
        "VALUES (new.id, new.search_document); END"
    ),
}
CREATE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_practice_fts USING fts5("
    "search_document, content='practices_practice', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
REBUILD_FTS = "INSERT INTO practices_practice_fts(practices_practice_fts) VALUES ('rebuild')"
# Writes are rare and the planner prices a GIN index with a long pending list above a scan:
# every insert updates the index itself (fastupdate off), as the registry's search index does.
ADD_VECTOR = (
    "ALTER TABLE practices_practice ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED"
)
CREATE_GIN = (
    "CREATE INDEX IF NOT EXISTS practices_search_gin ON practices_practice "
    "USING gin (search_vector) WITH (fastupdate = off)"
)
# how many matches a query ranks at most (see the module docstring)
RANK_CANDIDATES = 500


class _TsExpression(Expression):
    """`template` around the table's `search_vector` column, under whatever alias the query
    gives the table (a subquery renames it; raw SQL with the table's name would then point at
    the outer query)."""

    def __init__(self, template, tsquery, output_field):
        super().__init__(output_field=output_field)
        self.template, self.tsquery = template, tsquery

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        column = f"{alias}.{connection.ops.quote_name('search_vector')}"
        return self.template.format(vector=column), [self.tsquery]


def _pg_match(tsquery):
    template = "{vector} @@ to_tsquery('simple'::regconfig, %s)"
    return _TsExpression(template, tsquery, BooleanField())


def _pg_rank(tsquery):
    template = "ts_rank({vector}, to_tsquery('simple'::regconfig, %s))"
    return _TsExpression(template, tsquery, FloatField())


_SQLITE_MATCH = "SELECT rowid FROM practices_practice_fts WHERE practices_practice_fts MATCH %s"
_SQLITE_RANK = (
    "(SELECT -bm25(practices_practice_fts) FROM practices_practice_fts "
    'WHERE practices_practice_fts MATCH %s AND rowid = "practices_practice"."id")'
)


# ------------------------------------------------------------------------------ documents


def document(practice, figure_labels=(), municipality_name=None) -> str:
    """The folded text the index reads for `practice`."""
    if municipality_name is None:
        municipality_name = practice.municipality.name
    parts = [
        practice.title,
        practice.title,
        municipality_name,
        practice.summary,
        practice.problem,
        strip_tags(practice.actions or ""),
        practice.results,
        *figure_labels,
    ]
    return fold(" ".join(part for part in parts if part))


def refresh_documents(practices) -> int:
    """Recompute the documents of `practices` (a queryset); write those that changed."""
    rows = practices.select_related("municipality").only(
        "id",
        "title",
        "summary",
        "problem",
        "actions",
        "results",
        "search_document",
        "municipality__name",
    )
    labels: dict[int, list[str]] = {}
    for practice_id, label in ResultFigure.objects.filter(practice__in=practices).values_list(
        "practice_id", "label"
    ):
        labels.setdefault(practice_id, []).append(label)
    changed = 0
    for practice in rows:
        text = document(practice, labels.get(practice.pk, ()), practice.municipality.name)
        if text != practice.search_document:
            Practice.objects.filter(pk=practice.pk).update(search_document=text)
            practice.search_document = text
            changed += 1
    return changed


# ------------------------------------------------------------------------------ index


def ensure_index(connection) -> bool:
    """Create the search index if it is missing (idempotent); True if something was created."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Look first: CREATE INDEX is refused in a transaction with pending trigger events.
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = 'practices_practice' AND column_name = 'search_vector'"
            )
            has_vector = cursor.fetchone() is not None
            cursor.execute(
                "SELECT 1 FROM pg_class WHERE relname = 'practices_search_gin' AND relkind = 'i'"
            )
            if has_vector and cursor.fetchone():
                return False
            if not has_vector:
                # an index from before the column would be on the wrong expression
                cursor.execute("DROP INDEX IF EXISTS practices_search_gin")
                cursor.execute(ADD_VECTOR)
            cursor.execute(CREATE_GIN)
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


def drop_index(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS practices_search_gin")
            cursor.execute("ALTER TABLE practices_practice DROP COLUMN IF EXISTS search_vector")
        elif connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute("DROP TRIGGER IF EXISTS " + connection.ops.quote_name(name))
            cursor.execute("DROP TABLE IF EXISTS practices_practice_fts")


def on_post_migrate(sender, using="default", **kwargs):
    connection = connections[using]
    if TABLE in connection.introspection.table_names():
        ensure_index(connection)


# ------------------------------------------------------------------------------ queries


def query_terms(query: str) -> list[str]:
    """The folded words of a query, in order, without repeats (at most MAX_TERMS)."""
    words = _WORD_RE.findall(fold(query or ""))
    terms = dict.fromkeys(word[:MAX_TERM_LENGTH] for word in words)
    return list(terms)[:MAX_TERMS]


def pg_tsquery(terms: list[str]) -> str:
    """`'a' & 'b':*` — every word required, the last as a prefix (the words are \\w only)."""
    quoted = [f"'{term}'" for term in terms]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def fts5_query(terms: list[str]) -> str:
    """`"a" "b"*` — FTS5's implicit AND, the last word as a prefix."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(queryset, query: str):
    """`queryset` narrowed to the practices matching `query`, annotated with `rank` (higher is
    better) and ordered by it; unchanged (no `rank`) for a query without words. On PostgreSQL at
    most RANK_CANDIDATES rows: use `count_matches` for how many match in all."""
    terms = query_terms(query)
    if not terms:
        return queryset
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        tsquery = pg_tsquery(terms)
        rank = _pg_rank(tsquery)
        # no ORDER BY: the scan of the index's matches stops at the limit
        candidates = queryset.filter(_pg_match(tsquery)).order_by().values("pk")
        queryset = queryset.filter(pk__in=candidates[:RANK_CANDIDATES])
    elif vendor == "sqlite":
        match = fts5_query(terms)
        queryset = queryset.filter(pk__in=RawSQL(_SQLITE_MATCH, [match]))  # noqa: S611
        rank = RawSQL(_SQLITE_RANK, [match], output_field=FloatField())  # noqa: S611
    else:  # pragma: no cover - the project runs on these two
        raise NotImplementedError(f"no full-text search on {vendor}")
    return queryset.annotate(rank=rank).order_by(
        F("rank").desc(), F("published_at").desc(nulls_last=True), "id"
    )


def count_matches(queryset, query: str, cap: int) -> int:
    """How many rows of `queryset` match `query`, counted up to `cap` + 1 (a common word in a
    large library matches thousands; nobody pages that far, and counting them all reads every
    row). A result above `cap` means "more than cap"."""
    terms = query_terms(query)
    if not terms:
        return queryset.order_by()[: cap + 1].count()
    if connections[queryset.db].vendor == "postgresql":
        return (
            queryset.filter(_pg_match(pg_tsquery(terms))).order_by().values("pk")[: cap + 1].count()
        )
    return search(queryset, query).order_by().values("pk")[: cap + 1].count()


# ------------------------------------------------------------------------------ freshness

# The library's pages keep their filter choices, counts and whole pages in the cache under this
# scope of registry.choices; any change to a practice, its areas, its results, its adoptions or a
# municipality bumps it (the signals below).
LIBRARY = "practices-library"


def library_version() -> int:
    return choices.version(LIBRARY)


def library_changed(**kwargs) -> None:
    choices.changed(LIBRARY)


def _practice_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_documents(Practice.objects.filter(pk=instance.pk))
    library_changed()


def _figure_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_documents(Practice.objects.filter(pk=instance.practice_id))
    library_changed()


def _municipality_saved(sender, instance, raw=False, **kwargs):
    # the name is part of the documents; the query finds nothing for most municipalities
    if not raw:
        refresh_documents(Practice.objects.filter(municipality_id=instance.pk))
    library_changed()


def connect_signals() -> None:
    """Keep the documents and the cached choices fresh (called from PracticesConfig.ready)."""
    uid = "practices-search"
    post_save.connect(_practice_saved, sender=Practice, dispatch_uid=f"{uid}-practice")
    post_delete.connect(library_changed, sender=Practice, dispatch_uid=f"{uid}-practice-del")
    post_save.connect(_figure_changed, sender=ResultFigure, dispatch_uid=f"{uid}-figure")
    post_delete.connect(_figure_changed, sender=ResultFigure, dispatch_uid=f"{uid}-figure-del")
    post_save.connect(_municipality_saved, sender=Municipality, dispatch_uid=f"{uid}-mun")
    m2m_changed.connect(library_changed, sender=Practice.areas.through, dispatch_uid=f"{uid}-areas")
    # an adoption counts on the practice's page and in the API's list
    for signal in (post_save, post_delete):
        signal.connect(
            library_changed, sender=Replication, dispatch_uid=f"{uid}-{signal is post_save}-r"
        )
