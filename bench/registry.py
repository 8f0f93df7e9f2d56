"""Registry benchmark: scale-data generation and directory/search at 10,000 municipalities.

Run with `make bench-registry`. Uses a throw-away SQLite file (or DATABASE_URL if set).
"""

import os
import statistics
import sys
import tempfile
import time


def main():
    os.environ.setdefault("MREZA_VAR_DIR", tempfile.mkdtemp(prefix="mreza-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mreza.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    call_command("migrate", verbosity=0)
    from mreza.front.management.commands.load_demo import DATA_ROOT, REGISTRIES
    from mreza.registry.importing import plan_and_apply, read_path

    started = time.perf_counter()
    for folder in REGISTRIES:  # the three real registries (BA, RS, BG) alongside the synthetic rows
        plan_and_apply(read_path(DATA_ROOT / folder), actor_label="bench")
    seconds = time.perf_counter() - started
    print(f"import of the real registries {', '.join(REGISTRIES)}: {seconds:.1f} s")
    started = time.perf_counter()
    call_command(
        "generate_scale_data", municipalities=n, users_per_municipality=5, seed=99, replace=True
    )
    generate_seconds = time.perf_counter() - started
    client = Client(HTTP_HOST="127.0.0.1")
    print(
        f"generate_scale_data --municipalities {n} --users-per-municipality 5: "
        f"{generate_seconds:.1f} s"
    )
    for label, url in [
        ("directory, first page", "/municipalities/"),
        ("search 'grad'", "/municipalities/?q=grad"),
        ("search two words", "/municipalities/?q=banja+1"),
        ("search 'smolian'", "/municipalities/?q=smolian"),
        ("country BG, region", "/municipalities/?country=BG&region=BG-21"),
        ("filter population", "/municipalities/?population_min=100000&type=city"),
    ]:
        timings = []
        for _ in range(5):
            reset_queries()  # the capture reads a bounded log that generating the data filled
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - t)
            assert response.status_code == 200
        median_ms = statistics.median(timings) * 1000
        print(f"{label:<24} median {median_ms:7.1f} ms, {len(ctx.captured_queries)} queries")


if __name__ == "__main__":
    main()
