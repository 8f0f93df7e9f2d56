"""Load benchmark of the key pages: `make bench-load` (not part of `make test`).

Builds the issue-10 data set on PostgreSQL in its own database (`mreza_bench`, dropped and created
here), serves the application with gunicorn (4 sync workers, production settings behind a TLS proxy)
and a bare Django view beside it, drives every key page with wrk (50 connections) and prints one
table: requests/s, p50, p95, errors and the share of the bare view's throughput.

    python -m bench.load [--quick] [--reuse-db] [--db-name NAME] [--tolerant] [--restart-db]
                         [--duration S] [--connections N] [--only LABEL ...] [--surveys-only]

Each page's row is printed as soon as it is measured, and the whole table at the end. Between
pages the harness waits until the workers are idle again (a bounded drain), so that one slow page
does not spoil the next; a page that cannot be checked or measured gets a row saying why. Pages of
apps that are not there yet (the page list in prepare.py marks them optional) are skipped with a
note when they answer 404.

The citizen survey's public link is measured twice, 60 s each: the answer page (GET, a first
view) as a row of the table, and its submit (POST, bench/load/surveys.py: a new device per
request), after which the responses in the database are counted against the submissions wrk saw
accepted. `--surveys-only` measures just these two on the demo data alone (its own database,
`mreza_bench_surveys`, so that it leaves a full run's data set alone).

`--restart-db` restarts PostgreSQL (pg_ctlcluster) in the middle of a run of short wrk slices
and reports the failures before, inside and after the restart window. Only 127.0.0.1 is used.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.load import surveys

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432/"
DB_NAME = "mreza_bench"
SURVEYS_DB_NAME = "mreza_bench_surveys"
SURVEY_SECONDS = 60
APP_PORT, BARE_PORT = 8731, 8732
TARGET_SHARE, TARGET_P95_MS = 0.15, 100
WRK_TIMEOUT_S = 5
CHECK_TIMEOUT_S = 30
DRAIN_PATH = "/static/core/mreza.css"
DRAIN_LIMIT_S = 120


def log(message):
    print(f"[bench-load {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args, env=None, **kwargs):
    log(" ".join(str(a) for a in args))
    return subprocess.run(args, env=env, check=True, cwd=ROOT, **kwargs)


def psql(sql, database="postgres"):
    run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-qc",
            sql,
        ]
    )


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("wrk is missing: installing the Debian package")
    run(["apt-get", "install", "-y", "-q", "wrk"])


def app_env(args):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=PG + args.db_name,
        DEBUG="0",
        SECRET_KEY="bench-load-secret-key-only-for-this-throw-away-database-0123456789",  # noqa: S106
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_PROXY="1",
        # Coordinators would be sent to set up TOTP first; the benchmark measures the pages.
        MREZA_MFA_REQUIRED="0",
        MREZA_JOBS="sync",
        REDIS_URL="redis://127.0.0.1:6379/7",
        LOG_LEVEL="ERROR",
        **surveys.RATE_ENV,
    )
    env["MREZA_VAR_DIR"] = args.var_dir
    return env


def build_data(env, reuse, db_name=DB_NAME, surveys_only=False):
    manage = [PYTHON, "manage.py"]
    if not reuse:
        psql(f"DROP DATABASE IF EXISTS {db_name}")
        psql(f"CREATE DATABASE {db_name}")
    started = time.perf_counter()
    run([*manage, "migrate", "--noinput", "-v0"], env=env)
    if not reuse:
        run([*manage, "load_demo"], env=env, stdout=subprocess.DEVNULL)
    if not reuse and not surveys_only:
        run(
            [
                *manage,
                "generate_scale_data",
                "--municipalities",
                "10000",
                "--users-per-municipality",
                "5",
                "--seed",
                "1",
            ],
            env=env,
        )
    run([*manage, "collectstatic", "--noinput", "-v0"], env=env)
    # Planner statistics for the bulk-loaded tables: without them (autovacuum may be off or not
    # yet round) PostgreSQL guesses a few hundred rows per table and picks scans accordingly.
    psql("ANALYZE", db_name)
    log(f"data set ready in {time.perf_counter() - started:.0f} s")
    prepare_env = dict(env, DEBUG="1", ALLOWED_HOSTS="testserver")
    done = subprocess.run(
        [PYTHON, "-m", "bench.load.prepare", *(["--surveys-only"] if surveys_only else [])],
        env=prepare_env,
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"preparing the round and sessions failed:\n{done.stderr[-3000:]}")
    # again: prepare.py made the benchmark's round (some hundred networks, memberships and
    # partnerships) and workspaces after the first ANALYZE; with the statistics of the near-empty
    # tables the planner walks the whole municipality index to join one network's host (~17 ms
    # instead of 0.2 ms per query, measured), until autovacuum happens to analyze them
    psql("ANALYZE", db_name)
    out = done.stdout
    return json.loads(out.strip().splitlines()[-1])


def start_gunicorn(env, app, port):
    proc = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            app,
            "--workers",
            "4",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:  # bounded: one minute
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise SystemExit(f"gunicorn {app} did not answer on 127.0.0.1:{port}")


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


class WrkFailed(Exception):
    """wrk ran but printed no result (it crashed or could not reach the server)."""


def wrk_timeout(seconds):
    """wrk counts a timeout only for a request older than this while the run lasts, and leaves
    slower answers out of the latencies: it must be shorter than the run to count anything."""
    return min(WRK_TIMEOUT_S, max(1, seconds - 1))


def wrk(url, seconds, connections, cookie=""):
    env = dict(os.environ, BENCH_COOKIE=cookie)
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            f"{wrk_timeout(seconds)}s",
            "-s",
            str(HERE / "report.lua"),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 60,
    )
    match = re.search(r"^BENCH (\{.*\})$", done.stdout, re.MULTILINE)
    if not match:
        raise WrkFailed(f"wrk exit {done.returncode}: {(done.stdout + done.stderr)[-300:]!r}")
    r = json.loads(match.group(1))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    # wrk counts a status >= 400 as a status error; timeouts and socket errors come apart.
    r["errors"] = r["status_errors"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
    if not r["requests"]:
        # not one answer within the run (wrk then reports no timeout either): a failure
        r["errors"] += connections
        r["unanswered"] = connections
    return r


def get(path, cookie="", timeout=CHECK_TIMEOUT_S):
    """One request to the application as wrk sends it: (status, Location header)."""
    conn = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=timeout)
    try:
        conn.request(
            "GET",
            path,
            headers={"X-Forwarded-Proto": "https", "Cookie": cookie, "Accept-Language": "en"},
        )
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        conn.close()


def check_page(path, cookie):
    """None if the page answers 200 itself (not a redirect to sign-in or to https), else why not.

    A 404 comes back as the number so that the caller can tell an app that is not there yet."""
    started = time.perf_counter()
    try:
        status, location = get(path, cookie)
    except TimeoutError:
        return f"check request timed out after {CHECK_TIMEOUT_S} s"
    except OSError as error:
        return f"check request failed: {error}"
    if status == 404:
        return 404
    if status != 200:
        return f"answered {status} {location or ''}".strip()
    log(f"{path}: 200 in {(time.perf_counter() - started) * 1000:.0f} ms (one request)")
    return None


def drain():
    """Wait until the workers are idle again: requests queued by the last page are worked off.

    A slow page leaves accepted requests in gunicorn's backlog after wrk stops; measuring the next
    page then would time its first requests behind them. Idle means a static file (served by
    WhiteNoise in a worker, no database) answers in under a second, three times in a row; bounded
    by DRAIN_LIMIT_S. Returns the seconds waited, or None if the server stayed busy."""
    started = time.perf_counter()
    fast = 0
    while time.perf_counter() - started < DRAIN_LIMIT_S:
        asked = time.perf_counter()
        try:
            status, _location = get(DRAIN_PATH, timeout=DRAIN_LIMIT_S)
            answered = status == 200 and time.perf_counter() - asked < 1
        except OSError:
            answered = False
            time.sleep(0.5)
        fast = fast + 1 if answered else 0
        if fast == 3:
            return time.perf_counter() - started
    return None


def error_text(r):
    """The errors column: the total, and what it is made of when not zero."""
    if not r["errors"]:
        return "0"
    parts = [
        (r.get("unanswered", 0), "connections without any answer"),
        (r["timeout"], "timeouts"),
        (r["status_errors"], "status >= 400"),
        (r["connect"] + r["read"] + r["write"], "socket errors"),
    ]
    return f"{r['errors']} ({', '.join(f'{n} {what}' for n, what in parts if n)})"


def row_text(row, bare):
    """One table row: measured figures, or the reason a page could not be measured."""
    page, r = row["page"], row.get("result")
    name = f"`{page['url']}` ({page['label']})"
    if r is None:
        return f"| {name} | — | — | — | {row['error']} | — | NO |", False
    if not r["requests"]:
        return f"| {name} | 0 | — | — | {error_text(r)} | 0 % | NO |", False
    share = r["rps"] / bare["rps"]
    ok = share >= TARGET_SHARE and r["p95_us"] / 1000 < TARGET_P95_MS and r["errors"] == 0
    note = "" if row.get("drained", True) else " (server still busy before this page)"
    return (
        f"| {name} | {r['rps']:,.0f} | {r['p50_us'] / 1000:.1f} ms | {r['p95_us'] / 1000:.1f} ms "
        f"| {error_text(r)}{note} | {share:.1%} | {'yes' if ok else 'NO'} |",
        ok,
    )


TABLE_HEAD = (
    "| page | requests/s | p50 | p95 | errors | share of the bare view | target met |\n"
    "|---|---|---|---|---|---|---|"
)


def measure(pages, seconds, connections):
    """Measure the bare view, then every page; print each row as soon as it is measured."""
    log(f"bare Django view: {seconds} s at {connections} connections")
    wrk(f"http://127.0.0.1:{BARE_PORT}/", 2, connections)  # warm-up
    bare = wrk(f"http://127.0.0.1:{BARE_PORT}/", seconds, connections)
    log(f"bare Django view: {bare['rps']:,.0f} req/s, p95 {bare['p95_us'] / 1000:.1f} ms")
    print(TABLE_HEAD, flush=True)
    rows, skipped = [], []
    for page in pages:
        waited = drain()
        if waited is None:
            log(f"the server was still busy after {DRAIN_LIMIT_S} s; measuring anyway")
        elif waited > 2:
            log(f"waited {waited:.0f} s for the workers to finish the last page's requests")
        row = {"page": page, "drained": waited is not None}
        problem = check_page(page["url"], page["cookie"])
        if problem == 404 and page.get("optional"):
            skipped.append(page)
            log(f"skipped {page['url']} ({page['label']}): 404, {page['optional']}")
            continue
        if problem:
            row["error"] = f"not measured: {'answered 404' if problem == 404 else problem}"
        else:
            url = f"http://127.0.0.1:{APP_PORT}{page['url']}"
            try:
                wrk(url, 2, connections, page["cookie"])  # warm-up (caches, connections)
                # the warm-up's last requests are still queued when wrk stops: let them finish
                warm_drained = drain() is not None
                row["drained"] = row["drained"] and warm_drained
                page_seconds = page.get("seconds", seconds)
                log(f"{page['label']}: {page_seconds} s at {connections} connections")
                row["result"] = wrk(url, page_seconds, connections, page["cookie"])
            except (WrkFailed, subprocess.TimeoutExpired) as error:
                row["error"] = f"not measured: {error}"
        rows.append(row)
        print(row_text(row, bare)[0], flush=True)
    return bare, rows, skipped


def print_table(bare, rows, skipped, seconds, connections):
    print()
    print(
        f"Key pages, {connections} connections, {seconds} s each, gunicorn 4 sync workers, "
        f"PostgreSQL, DEBUG=0 behind a TLS proxy; bare Django view {bare['rps']:,.0f} req/s; "
        f"target: >= {TARGET_SHARE:.0%} of it, p95 < {TARGET_P95_MS} ms, no errors "
        f"(wrk timeout {wrk_timeout(seconds)} s)"
    )
    print()
    print(TABLE_HEAD)
    failures = 0
    for row in rows:
        text, ok = row_text(row, bare)
        failures += not ok
        print(text)
    print(
        f"| bare Django view | {bare['rps']:,.0f} | {bare['p50_us'] / 1000:.1f} ms "
        f"| {bare['p95_us'] / 1000:.1f} ms | {error_text(bare)} | 100 % | |"
    )
    for page in skipped:
        print(
            f"\nNot measured: `{page['url']}` ({page['label']}) answered 404: {page['optional']}."
        )
    print(flush=True)
    return failures


SLICE_SECONDS = 3
# Enough to keep the 4 workers busy, few enough that a slice's requests are answered within the
# slice: at 50 connections a busy 2-core machine queues seconds of requests, whose answers (and
# failures) then arrive after their slice has ended and are counted by none.
RESTART_CONNECTIONS = 10
RESTART_AFTER_S = 2 * SLICE_SECONDS


def restart_db(pages, connections, slices):
    """Short wrk slices on the directory search; PostgreSQL restarts RESTART_AFTER_S into the run.

    The search runs its queries on every request (free text is never cached), so each worker
    meets the restarted server on its next request.

    Each slice's failures count as before, inside or after the restart window by the slice's
    own start and end: a slice that overlaps the window counts as inside. The target: failures
    only inside."""
    page = next((p for p in pages if p["url"] == "/municipalities/?q=banja"), pages[0])
    url = f"http://127.0.0.1:{APP_PORT}{page['url']}"
    cluster = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True
    ).stdout.split()
    version, name = cluster[0], cluster[1]
    window = {}

    def restart():
        time.sleep(RESTART_AFTER_S)
        window["start"] = time.time()
        done = subprocess.run(
            ["pg_ctlcluster", version, name, "restart"], capture_output=True, text=True
        )
        window["end"] = time.time()
        if done.returncode:
            window["error"] = (done.stdout + done.stderr).strip()[-300:]

    if drain() is None:
        log("the server was still busy before the restart run; starting anyway")
    log(f"PostgreSQL restart under load: {slices} slices of {SLICE_SECONDS} s on {page['url']}")
    thread = threading.Thread(target=restart)
    results = []
    origin = time.time()
    thread.start()
    for _ in range(slices):  # bounded: a fixed number of short slices
        begun = time.time()
        try:
            r = wrk(url, SLICE_SECONDS, connections)
        except (WrkFailed, subprocess.TimeoutExpired) as error:
            log(f"slice at {begun - origin:.1f} s not measured: {error}")
            continue
        results.append((begun, time.time(), r))
        log(
            f"slice {begun - origin:5.1f}-{time.time() - origin:5.1f} s: {r['requests']} requests, "
            f"errors {error_text(r)}"
        )
    thread.join()
    if "error" in window:
        print(f"\npg_ctlcluster restart failed: {window['error']}\n")
        return 1
    # failed: an error answer (500 while the database is away) or a broken connection; slow:
    # a request still unanswered after the wrk timeout (load, not the restart, on a busy machine)
    failed = {"before": 0, "inside": 0, "after": 0}
    slow = dict(failed)
    total = 0
    for begun, ended, r in results:
        total += r["requests"]
        where = (
            "before" if ended < window["start"] else "inside" if begun <= window["end"] else "after"
        )
        failed[where] += r["errors"] - r["timeout"]
        slow[where] += r["timeout"]
    print()
    print(
        f"PostgreSQL restart under load ({connections} connections on {page['url']}, "
        f"{len(results)} slices of {SLICE_SECONDS} s): restart from "
        f"{window['start'] - origin:.1f} s to {window['end'] - origin:.1f} s "
        f"({window['end'] - window['start']:.1f} s); a slice that overlaps it counts as inside; "
        "CONN_HEALTH_CHECKS on"
    )
    print()
    print("| requests | | before | inside the restart window | after |")
    print("|---|---|---|---|---|")
    print(f"| {total:,} | failed | {failed['before']} | {failed['inside']} | {failed['after']} |")
    print(
        f"| | timeouts ({wrk_timeout(SLICE_SECONDS)} s) | {slow['before']} | {slow['inside']} "
        f"| {slow['after']} |"
    )
    print(flush=True)
    return int(failed["before"] > 0) + int(failed["after"] > 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3-second runs instead of 15")
    parser.add_argument("--duration", type=int, help="seconds per page (default 15, quick 3)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep the data set of an earlier run"
    )
    parser.add_argument(
        "--db-name",
        help=f"database to use (default {DB_NAME}, with --surveys-only {SURVEYS_DB_NAME}); with "
        "--reuse-db e.g. a data set built once for in-process profiling (bench/load/inprocess.py)",
    )
    parser.add_argument(
        "--tolerant",
        action="store_true",
        help="leave out the URLs of apps that do not import (bench/load/tolerant_wsgi.py)",
    )
    parser.add_argument("--restart-db", action="store_true", help="restart PostgreSQL under load")
    parser.add_argument(
        "--surveys-only",
        action="store_true",
        help="only the survey's answer page and submit, on the demo data (own database)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="LABEL",
        help="measure only the pages whose label contains this (repeatable)",
    )
    args = parser.parse_args()
    seconds = args.duration or (3 if args.quick else 15)
    survey_seconds = args.duration or (3 if args.quick else SURVEY_SECONDS)
    ensure_wrk()
    args.var_dir = tempfile.mkdtemp(prefix="mreza-bench-load-")
    args.db_name = args.db_name or (SURVEYS_DB_NAME if args.surveys_only else DB_NAME)
    env = app_env(args)
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-n", "7", "FLUSHDB"], check=False, capture_output=True
    )
    pages = build_data(env, args.reuse_db, args.db_name, args.surveys_only)
    submits = [p for p in pages if p.get("method") == "POST"]
    pages = [p for p in pages if p.get("method") != "POST"]
    for page in pages:
        if page.get("survey"):
            page["seconds"] = survey_seconds
            page["label"] += f" ({survey_seconds} s)"
    if args.tolerant:
        app = start_gunicorn(
            dict(env, PYTHONPATH=str(ROOT)), "bench.load.tolerant_wsgi:application", APP_PORT
        )
    else:
        app = start_gunicorn(env, "mreza.wsgi:application", APP_PORT)
    bare_proc = start_gunicorn(
        dict(env, PYTHONPATH=str(ROOT)), "bench.load.bare:application", BARE_PORT
    )
    try:
        measured = [p for p in pages if not args.only or any(o in p["label"] for o in args.only)]
        submits = [p for p in submits if not args.only or any(o in p["label"] for o in args.only)]
        bare, rows, skipped = measure(measured, seconds, args.connections)
        failures = print_table(bare, rows, skipped, seconds, args.connections)
        for page in submits:
            failures += surveys.measure_submit(
                page,
                app_port=APP_PORT,
                pg_url=PG + args.db_name,
                seconds=survey_seconds,
                connections=args.connections,
                wrk_timeout=wrk_timeout(survey_seconds),
                drain=drain,
                log=log,
            )
        if args.restart_db:
            failures += restart_db(
                pages, min(args.connections, RESTART_CONNECTIONS), 6 if args.quick else 10
            )
    finally:
        stop(app)
        stop(bare_proc)
        shutil.rmtree(args.var_dir, ignore_errors=True)
    print(
        f"Machine: {os.cpu_count()} cores, shared with other work while this ran; "
        "gunicorn, PostgreSQL, Redis and wrk on the same cores."
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
