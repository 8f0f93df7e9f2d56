"""Load benchmark of the key pages: `make bench-load` (not part of `make test`).

Builds the issue-10 data set on PostgreSQL in its own database (`mreza_bench`, dropped and created
here), serves the application with gunicorn (4 sync workers, production settings behind a TLS proxy)
and a bare Django view beside it, drives every key page with wrk (50 connections) and prints one
table: requests/s, p50, p95, errors and the share of the bare view's throughput.

    python -m bench.load [--quick] [--reuse-db] [--restart-db] [--duration S] [--connections N]

`--restart-db` restarts PostgreSQL (pg_ctlcluster) in the middle of a run of short wrk slices
and reports the failures inside and after the restart window. Only 127.0.0.1 is used.
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

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432/"
DB_NAME = "mreza_bench"
APP_PORT, BARE_PORT = 8731, 8732
TARGET_SHARE, TARGET_P95_MS = 0.15, 100


def log(message):
    print(f"[bench-load {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args, env=None, **kwargs):
    log(" ".join(str(a) for a in args))
    return subprocess.run(args, env=env, check=True, cwd=ROOT, **kwargs)


def psql(sql):
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql])


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("wrk is missing: installing the Debian package")
    run(["apt-get", "install", "-y", "-q", "wrk"])


def app_env(args):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=PG + DB_NAME,
        DEBUG="0",
        SECRET_KEY="bench-load-secret-key-only-for-this-throw-away-database-0123456789",  # noqa: S106
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_PROXY="1",
        # Coordinators would be sent to set up TOTP first; the benchmark measures the pages.
        MREZA_MFA_REQUIRED="0",
        MREZA_JOBS="sync",
        REDIS_URL="redis://127.0.0.1:6379/7",
        LOG_LEVEL="ERROR",
    )
    env["MREZA_VAR_DIR"] = args.var_dir
    return env


def build_data(env, reuse):
    manage = [PYTHON, "manage.py"]
    if not reuse:
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        psql(f"CREATE DATABASE {DB_NAME}")
    started = time.perf_counter()
    run([*manage, "migrate", "--noinput", "-v0"], env=env)
    if not reuse:
        run([*manage, "load_demo"], env=env, stdout=subprocess.DEVNULL)
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
    log(f"data set ready in {time.perf_counter() - started:.0f} s")
    prepare_env = dict(env, DEBUG="1", ALLOWED_HOSTS="testserver")
    done = subprocess.run(
        [PYTHON, "-m", "bench.load.prepare"],
        env=prepare_env,
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"preparing the round and sessions failed:\n{done.stderr[-3000:]}")
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


def wrk(url, seconds, connections, cookie=""):
    env = dict(os.environ, BENCH_COOKIE=cookie)
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(HERE / "report.lua"),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"^BENCH (\{.*\})$", out, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk printed no result for {url}:\n{out}")
    r = json.loads(match.group(1))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = r["status_errors"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
    return r


def check_page(path, cookie):
    """The page answers 200 itself (not a redirect to sign-in or to https)."""
    conn = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=30)
    conn.request(
        "GET",
        path,
        headers={"X-Forwarded-Proto": "https", "Cookie": cookie, "Accept-Language": "en"},
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status} {response.getheader('Location')}")


def measure(pages, seconds, connections):
    log(f"bare Django view: {seconds} s at {connections} connections")
    wrk(f"http://127.0.0.1:{BARE_PORT}/", 2, connections)  # warm-up
    bare = wrk(f"http://127.0.0.1:{BARE_PORT}/", seconds, connections)
    rows = []
    for page in pages:
        url = f"http://127.0.0.1:{APP_PORT}{page['url']}"
        check_page(page["url"], page["cookie"])
        wrk(url, 2, connections, page["cookie"])  # warm-up (caches, connections)
        log(f"{page['label']}: {seconds} s at {connections} connections")
        rows.append((page, wrk(url, seconds, connections, page["cookie"])))
    return bare, rows


def print_table(bare, rows, seconds, connections):
    print()
    print(
        f"Key pages, {connections} connections, {seconds} s each, gunicorn 4 sync workers, "
        f"PostgreSQL, DEBUG=0 behind a TLS proxy; bare Django view {bare['rps']:,.0f} req/s"
    )
    print()
    print("| page | requests/s | p50 | p95 | errors | share of the bare view | target met |")
    print("|---|---|---|---|---|---|---|")
    failures = 0
    for page, r in rows:
        share = r["rps"] / bare["rps"]
        ok = share >= TARGET_SHARE and r["p95_us"] / 1000 < TARGET_P95_MS and r["errors"] == 0
        failures += not ok
        print(
            f"| `{page['url']}` ({page['label']}) | {r['rps']:,.0f} | {r['p50_us'] / 1000:.1f} ms "
            f"| {r['p95_us'] / 1000:.1f} ms | {r['errors']} | {share:.1%} | {'yes' if ok else 'NO'} |"
        )
    print(
        f"| bare Django view | {bare['rps']:,.0f} | {bare['p50_us'] / 1000:.1f} ms "
        f"| {bare['p95_us'] / 1000:.1f} ms | {bare['errors']} | 100 % | |"
    )
    print()
    return failures


SLICE_SECONDS = 3


def restart_db(pages, connections, slices):
    """Short wrk slices on the map page; PostgreSQL restarts about 6 s into the run."""
    page = next(p for p in pages if p["url"] == "/municipalities/map/")
    url = f"http://127.0.0.1:{APP_PORT}{page['url']}"
    cluster = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True
    ).stdout.split()
    version, name = cluster[0], cluster[1]
    window = {}

    def restart():
        time.sleep(2 * SLICE_SECONDS)
        window["start"] = time.time()
        subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)
        window["end"] = time.time()

    thread = threading.Thread(target=restart)
    results = []
    thread.start()
    for _ in range(slices):  # bounded: a fixed number of short slices
        begun = time.time()
        r = wrk(url, SLICE_SECONDS, connections)
        results.append((begun, time.time(), r))
    thread.join()
    inside = after = before = total = 0
    for begun, ended, r in results:
        total += r["requests"]
        if ended < window["start"]:
            before += r["errors"]
        elif begun <= window["end"]:
            inside += r["errors"]
        else:
            after += r["errors"]
    print()
    print(
        f"PostgreSQL restart under load ({connections} connections on {page['url']}, "
        f"{slices} slices of {SLICE_SECONDS} s): restart took "
        f"{window['end'] - window['start']:.1f} s; a slice that overlaps it counts as inside"
    )
    print()
    print("| requests | failed before | failed inside the restart window | failed after |")
    print("|---|---|---|---|")
    print(f"| {total:,} | {before} | {inside} | {after} |")
    print()
    return after + before


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3-second runs instead of 15")
    parser.add_argument("--duration", type=int, help="seconds per page (default 15, quick 3)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--reuse-db", action="store_true", help="keep the data set of an earlier run"
    )
    parser.add_argument("--restart-db", action="store_true", help="restart PostgreSQL under load")
    args = parser.parse_args()
    seconds = args.duration or (3 if args.quick else 15)
    ensure_wrk()
    args.var_dir = tempfile.mkdtemp(prefix="mreza-bench-load-")
    env = app_env(args)
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-n", "7", "FLUSHDB"], check=False, capture_output=True
    )
    pages = build_data(env, args.reuse_db)
    app = start_gunicorn(env, "mreza.wsgi:application", APP_PORT)
    bare_proc = start_gunicorn(
        dict(env, PYTHONPATH=str(ROOT)), "bench.load.bare:application", BARE_PORT
    )
    try:
        bare, rows = measure(pages, seconds, args.connections)
        failures = print_table(bare, rows, seconds, args.connections)
        if args.restart_db:
            failures += restart_db(pages, args.connections, 6 if args.quick else 10)
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
