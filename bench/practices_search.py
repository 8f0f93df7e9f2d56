"""Search benchmark of the practice library: 50,000 practices on PostgreSQL.

Run with `make bench-search` (or `python -m bench.practices_search [N] [--rebuild]`). Uses its own
database, mreza_bench_practices (created if missing; DATABASE_URL overrides it), with the real
registries of BA, RS and BG and the CAF framework, then `mreza.practices.scale.generate(N)`.
A second run reuses the data unless --rebuild.

Prints: p50/p95/max of 200+ representative queries (1-3 words, both Serbian scripts, diacritics
left out, unfinished last words) through the same function the page uses (search.search on the
page's queryset, the count and the first page of 20 as the paginator asks for them), the EXPLAIN
ANALYZE of a typical query (it must use the GIN index), and the list page through the Django
test client in-process (queries, ms). Target: p95 < 50 ms.
"""

import os
import random
import statistics
import subprocess
import sys
import time

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/mreza_bench_practices"
TARGET_P95_MS = 50.0


def _ensure_database(url):
    name = url.rsplit("/", 1)[-1]
    found = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",  # noqa: S608 (our constant)
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not found:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def _setup():
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mreza.settings")
    if os.environ["DATABASE_URL"] == DEFAULT_DB:
        _ensure_database(DEFAULT_DB)
    import django

    django.setup()


def _load(n, rebuild):
    from django.core.management import call_command

    from mreza.assessment.frameworks.schema import FRAMEWORKS_DIR
    from mreza.assessment.models import Framework
    from mreza.core.audit import acting_as
    from mreza.front.management.commands.load_demo import DATA_ROOT, REGISTRIES
    from mreza.practices import scale
    from mreza.practices.models import Practice
    from mreza.registry.importing import plan_and_apply, read_path
    from mreza.registry.models import Municipality

    call_command("migrate", verbosity=0)
    with acting_as(None, "bench_practices_search"):
        if not Municipality.objects.exists():
            for folder in REGISTRIES:
                plan_and_apply(read_path(DATA_ROOT / folder), actor_label="bench")
        if not Framework.objects.exists():
            from mreza.assessment.services import install_framework

            install_framework(FRAMEWORKS_DIR / "caf2020.yaml")
        have = Practice.objects.count()
        if rebuild or have != n:
            Practice.objects.all().delete()
            started = time.perf_counter()
            scale.generate(n, seed=5)
            print(f"generated {n} practices in {time.perf_counter() - started:.1f} s")
        else:
            print(f"reusing {have} practices (--rebuild to generate again)")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE practices_practice")
        cursor.execute("VACUUM ANALYZE practices_practice_areas")
        cursor.execute("ANALYZE")  # the registry's tables too: the planner joins them


def _queries(rng, count=240):
    """Realistic queries from the corpus: words of titles and sentences in every language."""
    from mreza.practices.scale import COMMON, TOPICS
    from mreza.registry.models import Municipality
    from mreza.text import cyr_to_lat

    phrases = []
    for _sdgs, texts in TOPICS.values():
        for title, sentence in texts.values():
            phrases += [title, sentence]
    for sentences in COMMON.values():
        phrases += list(sentences)
    names = list(Municipality.objects.order_by("?").values_list("name", flat=True)[:40])
    strip = str.maketrans("čćžšđČĆŽŠĐ", "cczsdCCZSD")
    queries = []
    while len(queries) < count:
        kind = len(queries) % 6
        words = [w.strip(".,;") for w in rng.choice(phrases).split() if len(w) > 3]
        if not words:
            continue
        k = min(len(words), rng.randint(1, 3))
        start = rng.randrange(0, len(words) - k + 1)
        query = " ".join(words[start : start + k])
        if kind == 1:
            query = cyr_to_lat(query)  # Cyrillic text, Latin query
        elif kind == 2:
            query = cyr_to_lat(query).translate(strip)  # and no diacritics
        elif kind == 3:
            query = query[: max(3, len(query) - rng.randint(1, 4))]  # still typing
        elif kind == 4:
            query = f"{rng.choice(words)} {rng.choice(names)}"  # a topic and a place
        elif kind == 5:
            query = query.lower()
        queries.append(query)
    return queries


def _search_once(query):
    """What the page does for ?q=: the capped count and the first page of 20 (ranked)."""
    from mreza.practices.views.public import library_page, library_queryset

    page, total, _terms = library_page(library_queryset(), query, "", 1)
    return total, list(page.object_list)


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _bench_search(queries):
    for query in queries[:10]:  # warm the caches and the connection
        _search_once(query)
    timings, hits = [], []
    for query in queries:
        started = time.perf_counter()
        total, _rows = _search_once(query)
        timings.append((time.perf_counter() - started) * 1000)
        hits.append(total)
    p50, p95 = statistics.median(timings), _percentile(timings, 0.95)
    print(
        f"search: {len(queries)} queries, p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(timings):.1f} ms; matches per query: median {statistics.median(hits):.0f}, "
        f"max {max(hits)}, none for {sum(1 for h in hits if not h)}"
    )
    slowest = sorted(zip(timings, queries, hits, strict=True), reverse=True)[:5]
    for ms, query, total in slowest:
        print(f"  slow: {ms:6.1f} ms  {total:6d} matches  {query!r}")
    return p95


def _explain(query):
    from mreza.practices import search
    from mreza.practices.views.public import PAGE_SIZE, library_queryset

    results = search.search(library_queryset(), query)
    plan = results[:PAGE_SIZE].explain(analyze=True, buffers=True)
    count_plan = (
        library_queryset()
        .filter(search._pg_match(search.pg_tsquery(search.query_terms(query))))
        .order_by()
        .values("pk")[:1001]
        .explain(analyze=True)
    )
    print(f"EXPLAIN ANALYZE of the page query for {query!r}:\n{plan}")
    print(f"EXPLAIN ANALYZE of what the (capped) count reads:\n{count_plan}")
    return search.GIN_INDEX in plan and search.GIN_INDEX in count_plan


def _bench_page():
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for label, url in [
        ("list, first page", "/practices/"),
        ("list, page 50", "/practices/?page=50"),
        ("search 'upravljanje otpadom'", "/practices/?q=upravljanje+otpadom"),
        ("search 'управљање отпадом'", "/practices/?q=управљање+отпадом"),
        ("search 'ciscenje'", "/practices/?q=ciscenje"),
        ("search 'javne nab'", "/practices/?q=javne+nab"),
        ("filter SDG 6 and year", "/practices/?sdg=6&year=2024"),
        ("filter country RS, newest", "/practices/?country=RS&q=voda&sort=newest"),
        ("a practice's page", None),
        ("map", "/practices/map/"),
        ("feed", "/practices/feed/"),
    ]:
        if url is None:
            from mreza.practices.models import Practice

            pk = Practice.objects.filter(status="published").order_by("id").values("pk")[0]["pk"]
            url = f"/practices/{pk}/"
        timings = []
        for _ in range(7):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"page {label:<30} median {statistics.median(timings):7.1f} ms "
            f"(first {timings[0]:7.1f} ms), {len(ctx.captured_queries)} queries"
        )


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 50000
    _setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("the search benchmark runs on PostgreSQL (set DATABASE_URL)")
    _load(n, "--rebuild" in sys.argv)
    queries = _queries(random.Random(13))
    p95 = _bench_search(queries)
    uses_index = _explain("upravljanje otpadom")
    _bench_page()
    print(f"GIN index used: {'yes' if uses_index else 'NO'}")
    print(f"target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
