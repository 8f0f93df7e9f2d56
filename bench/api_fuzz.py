"""Fuzz the API against its own schema: `python -m bench.api_fuzz` (not part of `make test`).

Builds a throw-away SQLite database with the demo data (`load_demo`; one network workspace is
published so that the public results have rows, and a read-write API token of a demo
coordinator is issued so that the token endpoints are reached too), serves the application with
gunicorn under production settings on 127.0.0.1, and runs schemathesis against
/api/v1/openapi.json: every operation, the examples, coverage and fuzzing phases, positive and
negative data, `--max-examples` cases per operation (25 by default), with the checks
`not_a_server_error` and `response_schema_conformance`. The run passes only with zero 5xx and
zero answers that differ from the schema; the exit status is schemathesis'.

Generated ids rarely exist, so the token operations with ids in their path (a profile, a
workspace's activities, an indicator's measurements...) would mostly answer 404. Once the server
is up, the ids the token's user may see are read from the API's own lists (`reachable_ids`, in
valid combinations: an indicator of that workspace) and schemathesis is given this module as its
hooks (`SCHEMATHESIS_HOOKS`): `map_case` puts an existing combination into four in five cases
whose path ids are valid numbers (the fifth keeps its random ids, so the 404 stays fuzzed too;
invalid values are never touched: they test the 422), and `after_call` counts the answers per
operation, printed at the end as 2xx / 4xx / 5xx per operation.

    python -m bench.api_fuzz [--max-examples N] [--reuse-db] [--seed N] [--port P]

The rate limits of the API are raised for the run (in the gunicorn workers, see
`post_worker_init`): they are tested in mreza/api/tests/test_conventions.py, and a fuzzer that
spends most requests on 429 tests little else. This module is also gunicorn's configuration
file (`-c python:bench.api_fuzz`), so it defines no name that gunicorn reads as a setting.
"""

import argparse
import collections
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
WORK_DIR = ROOT / "var" / "api-fuzz"
SCHEMA_PATH = "/api/v1/openapi.json"
DEMO_COORDINATOR = "milica@mreza.demo"
CHECKS = "not_a_server_error,response_schema_conformance"
FUZZ_RATE_LIMITS = {"anonymous": (1_000_000, 60), "token": (1_000_000, 60)}
PRIVATE = "/api/v1/private"
IDS_FILE = WORK_DIR / "ids.json"
COUNTS_FILE = WORK_DIR / "counts.json"
#: one case in this many keeps its generated (most likely missing) ids
KEEP_GENERATED_ONE_IN = 5
MAX_ID = 2**63 - 1
#: workspaces whose activities and indicators are collected (the demo has a handful)
MAX_WORKSPACES = 20


def log(message):
    print(f"[api-fuzz {time.strftime('%H:%M:%S')}] {message}", flush=True)


def post_worker_init(worker):
    """gunicorn hook (this module is its config file): no rate limit in the fuzzed workers."""
    settings.MREZA_API_RATE_LIMITS = FUZZ_RATE_LIMITS


def site_env(database: Path) -> dict:
    """Production-like settings over plain HTTP on 127.0.0.1 (no TLS proxy in front)."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "MREZA_MFA_REQUIRED": "0",
        "MREZA_JOBS": "sync",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


PREPARE = """
from django.contrib.auth import get_user_model
from mreza.api.private.services import issue_token
from mreza.core.audit import acting_as
from mreza.progress.models import Workspace
from mreza.progress.services.workspace_edit import SETTINGS_FIELDS, update_settings

with acting_as(None, "api_fuzz"):
    workspace = Workspace.objects.filter(kind="network").order_by("pk").first()
    if workspace is not None and not workspace.is_published:
        values = {field: getattr(workspace, field) for field in SETTINGS_FIELDS}
        update_settings(workspace, {**values, "is_published": True}, workspace.version)
    user = get_user_model().objects.get(email=%(user)r)
    _token, text = issue_token(user, "api fuzz", read_only=False, expires_on=None)
print("TOKEN=" + text)
"""


def manage(env, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def prepare(database: Path, env: dict, reuse: bool) -> str:
    """The demo database (built unless reused) and a fresh token for the token endpoints."""
    if not (reuse and database.exists()):
        database.unlink(missing_ok=True)
        log(f"migrating and loading the demo data into {database}")
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
    out = manage(env, "shell", stdin=PREPARE % {"user": DEMO_COORDINATOR})
    return next(line[6:] for line in out.splitlines() if line.startswith("TOKEN="))


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:bench.api_fuzz",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
            "mreza.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}{SCHEMA_PATH}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it served the schema")
        try:
            # the first request of a worker loads the whole site: slow on a busy machine
            with urllib.request.urlopen(url, timeout=60) as response:
                if response.status == 200:
                    return server
        except OSError:  # refused while starting, or timed out
            time.sleep(0.5)
    stop(server)
    raise SystemExit("gunicorn did not serve the schema within three minutes")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _get(port: int, token: str, path: str) -> list[dict]:
    """The rows of one list of the token API (its first 200)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{PRIVATE}{path}?page_size=200",
        headers={"Authorization": f"Bearer {token}"},
    )
    # the address is ours, http://127.0.0.1: no other scheme can come in
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.load(response)["results"]


def reachable_ids(port: int, token: str) -> dict[str, list[dict]]:
    """{path template: [path parameters that exist and the token's user may see]}, from the
    token API's own lists (so what the policy shows is what the fuzz reaches)."""
    combos: dict[str, list[dict]] = {}

    def add(template, values):
        combos.setdefault(f"{PRIVATE}{template}", []).append(values)

    for row in _get(port, token, "/profiles"):
        add("/profiles/{profile_id}", {"profile_id": row["id"]})
    for row in _get(port, token, "/assessments"):
        add("/assessments/{assessment_id}", {"assessment_id": row["id"]})
        add("/assessments/{assessment_id}/consensus", {"assessment_id": row["id"]})
    for row in _get(port, token, "/networks"):
        add("/networks/{network_id}", {"network_id": row["id"]})
    for row in _get(port, token, "/workspaces")[:MAX_WORKSPACES]:
        ws = row["id"]
        for template in ("", "/activities", "/goals", "/meetings"):
            add("/workspaces/{workspace_id}" + template, {"workspace_id": ws})
        for activity in _get(port, token, f"/workspaces/{ws}/activities"):
            add(
                "/workspaces/{workspace_id}/activities/{activity_id}/status",
                {"workspace_id": ws, "activity_id": activity["id"]},
            )
        for goal in _get(port, token, f"/workspaces/{ws}/goals"):
            for indicator in goal["indicators"]:
                add(
                    "/workspaces/{workspace_id}/indicators/{indicator_id}/measurements",
                    {"workspace_id": ws, "indicator_id": indicator["id"]},
                )
    return combos


def _register_hooks() -> None:
    """schemathesis' hooks (run in its process only: gunicorn reads this module too, and has no
    use for schemathesis)."""
    import atexit

    import schemathesis

    combos = json.loads(IDS_FILE.read_text())
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

    @schemathesis.hook
    def map_case(context, case):
        rows = combos.get(case.operation.path)
        if not rows:
            return case
        values = [case.path_parameters.get(name) for name in rows[0]]
        # only valid ids are replaced: a string, a zero or a too large number tests the 422
        if not all(type(v) is int and 1 <= v <= MAX_ID for v in values):
            return case
        key = sum(values)
        if key % KEEP_GENERATED_ONE_IN == 0:
            return case
        case.path_parameters = {**case.path_parameters, **rows[key % len(rows)]}
        return case

    @schemathesis.hook
    def after_call(context, case, response):
        operation = f"{case.method.upper()} {case.operation.path}"
        counts[operation][f"{response.status_code // 100}xx"] += 1

    atexit.register(lambda: COUNTS_FILE.write_text(json.dumps(counts, sort_keys=True)))


def report_counts() -> None:
    """Answers per operation by class (2xx, 4xx, 5xx), token operations marked."""
    if not COUNTS_FILE.exists():
        log("no answer counts (schemathesis did not write them)")
        return
    counts = json.loads(COUNTS_FILE.read_text())
    width = max(len(op) for op in counts) if counts else 0
    log("answers per operation (2xx / 3xx / 4xx / 5xx):")
    for operation, by_class in sorted(counts.items(), key=lambda item: item[0].split(" ")[1]):
        mark = "*" if PRIVATE in operation else " "
        cells = " ".join(f"{by_class.get(c, 0):>5}" for c in ("2xx", "3xx", "4xx", "5xx"))
        print(f"  {mark} {operation:<{width}} {cells}", flush=True)
    private = [c for op, c in counts.items() if PRIVATE in op]
    reached = sum(c.get("2xx", 0) for c in private)
    total = sum(sum(c.values()) for c in private)
    log(f"token operations (*): {reached} of {total} cases answered 2xx")


def fuzz(port: int, token: str, max_examples: int, seed: int | None) -> int:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"http://127.0.0.1:{port}{SCHEMA_PATH}",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--mode",
        "all",
        "--max-examples",
        str(max_examples),
        # one worker: hypothesis in threads tripped over itself ("AST constructor recursion")
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--header",
        f"Authorization: Bearer {token}",
        "--no-color",
    ]
    if seed is not None:
        command += ["--seed", str(seed)]
    IDS_FILE.write_text(json.dumps(reachable_ids(port, token)))
    COUNTS_FILE.unlink(missing_ok=True)
    log(f"schemathesis, {max_examples} examples per operation")
    env = {**os.environ, "SCHEMATHESIS_HOOKS": __spec__.name if __spec__ else "bench.api_fuzz"}
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--reuse-db", action="store_true", help="keep the demo database")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--port", type=int, default=8741)
    args = parser.parse_args(argv)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    database = WORK_DIR / "db.sqlite3"
    env = site_env(database)
    token = prepare(database, env, args.reuse_db)
    server = serve(env, args.port)
    try:
        status = fuzz(args.port, token, args.max_examples, args.seed)
    finally:
        stop(server)
    report_counts()
    log("passed: no 5xx, no schema violation" if status == 0 else f"FAILED (status {status})")
    return status


# schemathesis imports this module as its hooks (see `fuzz`); nobody else sets the variable
if os.environ.get("SCHEMATHESIS_HOOKS") == __name__:
    _register_hooks()

if __name__ == "__main__":
    sys.exit(main())
