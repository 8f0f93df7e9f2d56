"""The survey part of the load benchmark: submissions to the public link (POST) at full load, then
"every accepted response counted afterwards" — the responses in the database against the
submissions wrk saw accepted.

The answer page itself (GET) is an ordinary row of the harness's table (bench/load/__main__.py);
this module measures the submit endpoint, which needs its own wrk script (survey_post.lua: a
fresh signed form token per request, i.e. a new device each time, with Django's CSRF cookie and
field) and a count before and after. The benchmark's gunicorn runs with the rate limit raised
(MREZA_SURVEY_RATE_SUBMISSIONS: every request comes from 127.0.0.1).
"""

import json
import os
import re
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
# the benchmark's gunicorn: every submission comes from one address
# the load generator is one client address: limits per address would answer it 429
RATE_ENV = {
    "MREZA_SURVEY_RATE_SUBMISSIONS": "100000000",
    "MREZA_API_RATE_ANONYMOUS": "100000000",
    "MREZA_API_RATE_TOKEN": "100000000",
}


def count_responses(pg_url, wave_id):
    # the wave as a psql variable (read from stdin: -c does not interpolate variables)
    done = subprocess.run(
        ["psql", pg_url, "-tA", "-v", f"wave={int(wave_id)}", "-f", "-"],
        input="SELECT count(*) FROM surveys_response WHERE wave_id = :wave;\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip())


def submit_run(url, page, seconds, connections, wrk_timeout):
    """One wrk run of survey_post.lua: (the BENCH figures, the SURVEY status counts)."""
    env = {"BENCH_TOKENS": page["tokens"], "BENCH_ANSWERS": page["answers"], "BENCH_THREADS": "2"}
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            f"{wrk_timeout}s",
            "-s",
            str(HERE / "survey_post.lua"),
            url,
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + 60,
    )
    bench = re.search(r"^BENCH (\{.*\})$", done.stdout, re.MULTILINE)
    survey = re.search(r"^SURVEY (\{.*\})$", done.stdout, re.MULTILINE)
    if not bench or not survey:
        raise RuntimeError(f"wrk exit {done.returncode}: {(done.stdout + done.stderr)[-300:]!r}")
    r = json.loads(bench.group(1))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = r["status_errors"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
    return r, json.loads(survey.group(1))


def measure_submit(page, *, app_port, pg_url, seconds, connections, wrk_timeout, drain, log):
    """Measure the submit endpoint and check the count; print the result. 0 if every accepted
    submission is in the database and nothing failed, else 1."""
    url = f"http://127.0.0.1:{app_port}{page['url']}"
    if drain() is None:
        log("the server was still busy before the survey submissions; measuring anyway")
    before = count_responses(pg_url, page["wave"])
    log(f"survey submit: {seconds} s at {connections} connections (a new device each request)")
    r, statuses = submit_run(url, page, seconds, connections, wrk_timeout)
    # requests wrk gave up on (timeouts) may still be answered: count once the workers are idle
    drain()
    counted = count_responses(pg_url, page["wave"]) - before
    accepted = statuses["ok2"] + statuses["ok3"]
    # wrk stops with one request in flight on each connection: the server still saves those, so
    # the database may hold up to `connections` more than wrk saw accepted, never fewer
    in_flight = counted - statuses["ok3"]
    ok = r["errors"] == 0 and 0 <= in_flight <= connections and not statuses["wrapped"]
    print()
    print(
        f"Survey submissions (POST {page['url']}), {connections} connections, {seconds} s, "
        f"a fresh form token (device) per request; the rate limit raised for the benchmark"
    )
    print()
    print(
        "| requests/s | p50 | p95 | errors | 2xx/3xx submissions (wrk) | of them 302 accepted "
        "| responses counted in the database | every accepted response counted |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {r['rps']:,.0f} | {r['p50_us'] / 1000:.1f} ms | {r['p95_us'] / 1000:.1f} ms "
        f"| {r['errors']} (status >= 400: {r['status_errors']}, timeouts: {r['timeout']}) "
        f"| {accepted:,} | {statuses['ok3']:,} | {counted:,} | {'yes' if ok else 'NO'} |"
    )
    if statuses["ok2"]:
        print(f"\n{statuses['ok2']} submissions were answered 200 (already answered / not open).")
    if statuses["wrapped"]:
        print("\nThe form tokens ran out and were sent again: raise SURVEY_TOKENS in prepare.py.")
    if in_flight > 0:
        print(
            f"\n{in_flight} responses more than wrk saw accepted: the requests in flight when wrk "
            f"stopped (at most one per connection, {connections}), answered after it had gone."
        )
    elif in_flight < 0:
        print(f"\n{-in_flight} accepted submissions are MISSING from the database.")
    print(flush=True)
    return 0 if ok else 1
