"""In-process cost of the key pages: queries, SQL time and Python CPU per request.

The load run (`python -m bench.load`) measures throughput on the whole machine, which is noisy
when the machine is shared; this measures what one request costs the server, in this process,
through the whole middleware stack (Django's test client, signed in as the page's user, over
https as behind the proxy). Same page list as the load run (bench/load/prepare.py).

    DATABASE_URL=postgres://... DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=testserver \\
        python -m bench.load.inprocess [--requests N] [--only LABEL ...] [--profile LABEL]

Per page, per request: status, response size (KB), queries, cache round trips (Redis in
production), SQL ms (time inside the database driver), CPU ms (process time: Python plus the
driver's own work), wall ms, and Python function calls (counted by cProfile over a few extra
requests: the work done, which unlike the times stays the same on a busy machine). The first
requests (warm-up) fill the caches the pages keep and are not counted. --profile prints the
cProfile of the measured requests of each page whose label contains LABEL; --sql lists each
page's queries by time. URL modules of apps that do not import (being written) are left out with
a note, their pages answer 404.
"""

import argparse
import cProfile
import importlib
import logging
import os
import pstats
import re
import sys
import time
import types

WARM_UP = 3
CALL_COUNT_REQUESTS = 10


class QueryTimer:
    """A database execute wrapper: counts the queries and the time spent in them."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.by_sql = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.count += 1
            self.seconds += spent
            entry = self.by_sql.setdefault(sql[:160], [0, 0.0])
            entry[0] += 1
            entry[1] += spent


class CacheCounter:
    """Counts the round trips to the cache (Redis in production) that the pages make."""

    METHODS = ("get", "get_many", "set", "set_many", "add", "incr", "delete", "delete_many")

    def __init__(self):
        from django.core.cache import caches

        self.count = 0
        backend = caches["default"]
        for name in self.METHODS:
            setattr(backend, name, self._counted(getattr(backend, name)))

    def _counted(self, method):
        def call(*args, **kwargs):
            self.count += 1
            return method(*args, **kwargs)

        return call


def measure(client, url, requests, cache_counter, profile=False, show_sql=False):
    from django.db import connection

    for _ in range(WARM_UP):
        response = client.get(url, secure=True)
    status, size = response.status_code, len(response.content)
    timer = QueryTimer()
    cache_calls = cache_counter.count
    profiler = cProfile.Profile() if profile else None
    with connection.execute_wrapper(timer):
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for _ in range(requests):
            client.get(url, secure=True)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    row = {
        "status": status,
        "kb": size / 1024,
        "queries": timer.count / requests,
        "cache": (cache_counter.count - cache_calls) / requests,
        "sql_ms": timer.seconds * 1000 / requests,
        "cpu_ms": cpu * 1000 / requests,
        "wall_ms": wall * 1000 / requests,
    }
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        # the project's own functions first (where to remove work), then the library's hot spots
        stats.sort_stats("cumulative").print_stats(r"/mreza/", 40)
        stats.sort_stats("tottime").print_stats(25)
    # Python function calls per request: the work done, unlike times, the same on a busy machine
    counter = cProfile.Profile()
    counter.enable()
    for _ in range(CALL_COUNT_REQUESTS):
        client.get(url, secure=True)
    counter.disable()
    row["calls"] = pstats.Stats(counter).total_calls / CALL_COUNT_REQUESTS
    if show_sql:
        for sql, (n, seconds) in sorted(timer.by_sql.items(), key=lambda kv: -kv[1][1]):
            print(f"  {n / requests:5.1f} x {seconds * 1000 / requests:7.2f} ms  {sql}")
    return row


def stub_broken_urlconfs(out=sys.stdout):
    """Other apps' URL modules that do not import right now (an app half-written in a shared
    tree) are replaced by empty ones, with a note, so that the other pages can be measured."""
    from django.conf import settings

    root = importlib.util.find_spec(settings.ROOT_URLCONF).origin
    with open(root, encoding="utf-8") as source:
        names = re.findall(r'include\("([\w.]+)"', source.read())
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:
            print(f"note: {name} does not import ({error!r:.120}); its pages answer 404", file=out)
            stub = types.ModuleType(name)
            stub.urlpatterns = []
            sys.modules[name] = stub


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--only", action="append", metavar="LABEL")
    parser.add_argument("--profile", action="append", metavar="LABEL")
    parser.add_argument("--sql", action="store_true", help="list each page's queries")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mreza.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from bench.load import prepare

    stub_broken_urlconfs()
    # a 404 of a page not built yet is a row of the table, not a log line per request
    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    pages = prepare.key_pages()
    print(
        f"In-process, {args.requests} requests per page after {WARM_UP} warm-up; DEBUG="
        f"{int(settings.DEBUG)}, database {settings.DATABASES['default']['ENGINE'].split('.')[-1]}"
        f" {settings.DATABASES['default'].get('NAME')}"
    )
    print()
    print(
        "| page | status | KB | queries | cache calls | SQL ms | CPU ms | wall ms | Python calls |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    cache_counter = CacheCounter()
    clients = {}
    for label, url, user, *_optional in pages:
        if args.only and not any(o in label for o in args.only):
            continue
        key = user.pk if user else None
        if key not in clients:
            clients[key] = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
            if user is not None:
                clients[key].force_login(user)
        profile = bool(args.profile and any(p in label for p in args.profile))
        row = measure(clients[key], url, args.requests, cache_counter, profile, args.sql)
        cells = [
            f"`{url}` ({label})",
            row["status"],
            f"{row['kb']:.0f}",
            f"{row['queries']:.1f}",
            f"{row['cache']:.1f}",
            f"{row['sql_ms']:.1f}",
            f"{row['cpu_ms']:.1f}",
            f"{row['wall_ms']:.1f}",
            f"{row['calls']:,.0f}",
        ]
        print(f"| {' | '.join(str(c) for c in cells)} |", flush=True)


if __name__ == "__main__":
    main()
