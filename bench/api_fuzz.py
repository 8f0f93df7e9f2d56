"""Fuzz the API against its own schema: `python -m bench.api_fuzz` (not part of `make test`).

Builds a throw-away SQLite database with the demo data (`load_demo`; one network workspace is
published so that the public results have rows, and a read-write API token of a demo
coordinator is issued so that the token endpoints are reached too), serves the application with
gunicorn under production settings on 127.0.0.1, and runs schemathesis against
/api/v1/openapi.json: every operation, the examples, coverage and fuzzing phases, positive and
negative data, `--max-examples` cases per operation (25 by default), with the checks
`not_a_server_error` and `response_schema_conformance`. The run passes only with zero 5xx and
zero answers that differ from the schema; the exit status is schemathesis'.

    python -m bench.api_fuzz [--max-examples N] [--reuse-db] [--seed N] [--port P]

The rate limits of the API are raised for the run (in the gunicorn workers, see
`post_worker_init`): they are tested in mreza/api/tests/test_conventions.py, and a fuzzer that
spends most requests on 429 tests little else. This module is also gunicorn's configuration
file (`-c python:bench.api_fuzz`), so it defines no name that gunicorn reads as a setting.
"""

import argparse
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
    log(f"schemathesis, {max_examples} examples per operation")
    return subprocess.run(command, cwd=ROOT, check=False).returncode


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
    log("passed: no 5xx, no schema violation" if status == 0 else f"FAILED (status {status})")
    return status


if __name__ == "__main__":
    sys.exit(main())
