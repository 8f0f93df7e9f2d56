"""Benchmark: the PDF self-assessment report of a 28-subcriterion CAF assessment with 12 assessors.

Target (issue 3): under 2 s on the project's machine. Run with `make bench-assessment`.
"""

import io
import os
import statistics
import sys
import tempfile
import time


def main():
    os.environ.setdefault("MREZA_VAR_DIR", tempfile.mkdtemp(prefix="mreza-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mreza.settings")
    os.environ["MREZA_MFA_REQUIRED"] = "0"  # the benchmark signs in without a second factor
    import django

    django.setup()
    import random

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.test import Client

    from mreza.accounts.models import User
    from mreza.assessment import demo
    from mreza.assessment.models import Assessment
    from mreza.assessment.services import install_shipped_frameworks
    from mreza.registry.models import Municipality

    call_command("migrate", verbosity=0)
    if not Municipality.objects.exists():
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    caf = next(f for f in install_shipped_frameworks() if f.code == "caf2020")
    municipality = Municipality.objects.get(code="BA-TUZLA")
    people = demo.synthetic_assessors(
        municipality, 12, make_password(None), domain="bench.synthetic"
    )
    Assessment.objects.filter(municipality=municipality, title__startswith="CAF").delete()
    rng = random.Random(1)
    demo.build_completed_assessment(
        municipality, caf, "classic", people, rng, year=2023, sharing="private"
    )
    assessment = demo.build_completed_assessment(
        municipality, caf, "classic", people, rng, year=2025, sharing="private"
    )
    admin = User.objects.filter(is_superuser=True).first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    timings = []
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(f"/assessments/{assessment.pk}/report.pdf")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.content[:4] == b"%PDF", (
            response.status_code,
            response.get("Location"),
        )
    print(
        f"PDF report, {assessment.consensus.count()} subcriteria, "
        f"{assessment.members.count()} assessors, "
        f"{len(response.content) // 1024} KB: median {statistics.median(timings):.2f} s, "
        f"min {min(timings):.2f} s, max {max(timings):.2f} s over {runs} runs (first run included)"
    )


if __name__ == "__main__":
    main()
