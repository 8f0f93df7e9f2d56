"""A large synthetic dataset, reproducible from its seed, for benchmarks and query-count tests."""

import datetime
import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mreza.accounts.models import MunicipalRole, User
from mreza.assessment import demo
from mreza.assessment.services import install_shipped_frameworks
from mreza.practices import scale as practices_scale
from mreza.progress import scale as progress_scale
from mreza.registry import choices
from mreza.registry.models import Country, Membership, Municipality, Organisation, Region
from mreza.text import search_key

SYLLABLES_LATIN = [
    "ba",
    "nja",
    "lu",
    "ka",
    "tre",
    "bi",
    "nje",
    "do",
    "boj",
    "gra",
    "di",
    "ška",
    "ze",
    "ni",
    "ca",
    "vi",
    "še",
    "grad",
    "mo",
    "star",
    "no",
    "vo",
    "lje",
    "po",
    "sa",
    "ra",
    "je",
    "vo",
    "ći",
    "đe",
]
BATCH = 2000
CENSUS_DAY = datetime.date(2022, 9, 30)


def synthetic_name(rng):
    name = "".join(rng.choice(SYLLABLES_LATIN) for _ in range(rng.randint(2, 4)))
    return name.capitalize()


class Command(BaseCommand):
    help = "Create N synthetic municipalities with U users each, reproducibly from --seed."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, required=True)
        parser.add_argument("--users-per-municipality", type=int, default=0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove this seed's earlier synthetic data first.",
        )
        parser.add_argument(
            "--assessment-share",
            type=float,
            default=0.3,
            help="Share of municipalities with an accepted CAF self-assessment (0 to 1).",
        )
        parser.add_argument(
            "--assessors", type=int, default=5, help="Assessors per self-assessment."
        )
        parser.add_argument(
            "--network-size",
            type=int,
            default=8,
            help="Municipalities per network workspace (step 3); 0 for none.",
        )
        parser.add_argument(
            "--practices",
            type=int,
            default=0,
            help="Good practices to write (step 5; about 92 %% published); 0 for none.",
        )

    def handle(
        self,
        municipalities,
        users_per_municipality,
        seed,
        replace,
        assessment_share,
        assessors,
        network_size,
        practices=0,
        **options,
    ):
        if municipalities < 1:
            raise CommandError("--municipalities must be at least 1")
        started = time.monotonic()
        rng = random.Random(seed)
        prefix = f"SYN{seed}-"
        with transaction.atomic():
            if Municipality.objects.filter(code__startswith=prefix).exists():
                if not replace:
                    raise CommandError(
                        f"Synthetic data for seed {seed} exists; use --replace or another seed."
                    )
                progress_scale.remove(f"{prefix}ASSOC")
                User.objects.filter(email__endswith=f"@seed{seed}.synthetic").delete()
                Municipality.objects.filter(code__startswith=prefix).delete()
                Region.objects.filter(code__startswith=prefix).delete()
            country, _c = Country.objects.get_or_create(
                code="XX", defaults={"name": "Synthetic country"}
            )
            association, _c = Organisation.objects.get_or_create(
                code=f"{prefix}ASSOC",
                defaults={
                    "kind": "association",
                    "name": f"Synthetic association {seed}",
                    "country": country,
                },
            )
            region_count = max(1, municipalities // 50)
            regions = Region.objects.bulk_create(
                Region(
                    country=country,
                    code=f"{prefix}R{i:05d}",
                    kind=Region.Kind.OKRUG,
                    name=f"Okrug {i + 1}",
                )
                for i in range(region_count)
            )
            rows = []
            for i in range(municipalities):
                name = f"{synthetic_name(rng)} {i + 1}"
                m = Municipality(
                    code=f"{prefix}{i:06d}",
                    country=country,
                    region=regions[i % region_count],
                    name=name,
                    type=rng.choice(["municipality", "municipality", "municipality", "city"]),
                    population=rng.randint(1500, 400000),
                    census_year=2022,
                    population_kind="census",
                    population_date=CENSUS_DAY,
                    population_source="synthetic",
                    area_km2=rng.randint(20, 2000),
                    latitude=round(rng.uniform(41.0, 47.0), 4),
                    longitude=round(rng.uniform(14.0, 29.0), 4),
                )
                m.search_key = search_key(f"{name} {m.code}")
                rows.append(m)
            created = []
            for start in range(0, len(rows), BATCH):
                created.extend(Municipality.objects.bulk_create(rows[start : start + BATCH]))
            Membership.objects.bulk_create(
                (Membership(municipality=m, organisation=association) for m in created),
                batch_size=BATCH,
            )
            if users_per_municipality:
                password = make_password("synthetic-user")
                users, roles = [], []
                role_cycle = [
                    "coordinator",
                    "assessor",
                    "assessor",
                    "ort_member",
                    "training_contact",
                    "staff",
                ]
                for m in created:
                    users.extend(
                        User(
                            email=f"u{m.code[len(prefix) :]}-{j}@seed{seed}.synthetic",
                            full_name=f"User {j + 1} of {m.name}",
                            password=password,
                        )
                        for j in range(users_per_municipality)
                    )
                users = User.objects.bulk_create(users, batch_size=BATCH)
                for index, user in enumerate(users):
                    m = created[index // users_per_municipality]
                    roles.append(
                        MunicipalRole(
                            user=user,
                            municipality=m,
                            role=role_cycle[(index % users_per_municipality) % len(role_cycle)],
                        )
                    )
                MunicipalRole.objects.bulk_create(roles, batch_size=BATCH)
            # bulk_create sends no post_save: drop the cached directory choices and map points
            choices.changed(choices.REGIONS, choices.MUNICIPALITIES)
        assessments = (
            self._assessments(created, assessment_share, assessors, seed)
            if assessment_share > 0
            else 0
        )
        if network_size:
            caf = next(f for f in install_shipped_frameworks() if f.code == "caf2020")
            with transaction.atomic():
                counts = progress_scale.generate(created, association, caf, seed, network_size)
            self.stdout.write(
                "Created {workspaces} network workspaces with {activities} activities, "
                "{meetings} meetings and {measurements} measured values.".format(**counts)
            )
        if practices:
            with transaction.atomic():
                practices_scale.generate(practices, seed=seed)
            self.stdout.write(f"Created {practices} good practices.")
        self.stdout.write(
            f"Created {assessments} accepted self-assessments with {assessors} assessors each. "
            f"Created {municipalities} municipalities in {region_count} regions and "
            f"{municipalities * users_per_municipality} users (seed {seed}) "
            f"in {time.monotonic() - started:.1f} s."
        )

    def _assessments(self, municipalities, share, assessors, seed):
        caf = next(f for f in install_shipped_frameworks() if f.code == "caf2020")
        rng = random.Random(seed * 7919)
        chosen = [m for m in municipalities if rng.random() < share]
        users = {}
        for role in (
            MunicipalRole.objects.filter(municipality__in=chosen)
            .select_related("user")
            .order_by("id")
        ):
            users.setdefault(role.municipality_id, []).append(role.user)
        password = make_password(None)
        with transaction.atomic():
            for municipality in chosen:
                people = users.get(municipality.pk, [])[:assessors]
                if len(people) < assessors:
                    people += demo.synthetic_assessors(
                        municipality,
                        assessors - len(people),
                        password,
                        domain=f"seed{seed}.synthetic",
                    )
                demo.build_completed_assessment(
                    municipality,
                    caf,
                    "classic",
                    people,
                    rng,
                    year=2024,
                    sharing=rng.choices(["coordinators", "public", "private"], weights=[7, 2, 1])[
                        0
                    ],
                )
        return len(chosen)
