"""Realistic, reproducible demo and scale data for self-assessments (bulk inserts, no per-row
audit)."""

import datetime
import random

from django.contrib.auth.hashers import make_password

from mreza.accounts.models import MunicipalRole, User
from mreza.assessment import scoring
from mreza.assessment.models import (
    Assessment,
    Consensus,
    Entry,
    GroupMember,
    LearningProfile,
    Subcriterion,
)

STRENGTHS = [
    "Postupci su opisani i dostupni svim zaposlenima.",
    "Rukovodstvo redovno prati ostvarenje ciljeva.",
    "Građani mogu elektronski podnijeti zahtjeve.",
    "Saradnja s mjesnim zajednicama je dobro uređena.",
]
IMPROVEMENTS = [
    "Nema redovnog mjerenja zadovoljstva građana.",
    "Podaci o rezultatima se ne koriste za odlučivanje.",
    "Obuka zaposlenih nije planirana na osnovu potreba.",
    "Procedure nisu ažurirane posljednjih godina.",
]


def _round(value, step=5):
    return max(0, min(100, int(round(value / step) * step)))


def build_completed_assessment(
    municipality, framework, method, assessors, rng, *, year, sharing, accepted_by=None
):
    """An accepted assessment with individual entries, consensus and a learning profile."""
    subcriteria = list(Subcriterion.objects.filter(framework=framework).order_by("position"))
    assessment = Assessment.objects.create(
        municipality=municipality,
        framework=framework,
        method=method,
        title=f"CAF {year}",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        status=Assessment.Status.ACCEPTED,
        created_by=assessors[0],
        accepted_by=accepted_by or assessors[0],
        closed_at=datetime.datetime(year + 1, 2, 1, tzinfo=datetime.UTC),
        accepted_at=datetime.datetime(year + 1, 2, 15, tzinfo=datetime.UTC),
    )
    submitted = datetime.datetime(year + 1, 1, 20, tzinfo=datetime.UTC)
    GroupMember.objects.bulk_create(
        GroupMember(
            assessment=assessment,
            user=user,
            submitted_at=submitted,
            role=GroupMember.Role.ADMINISTRATOR if i == 0 else GroupMember.Role.ASSESSOR,
        )
        for i, user in enumerate(assessors)
    )
    entries, consensus = [], []
    level = rng.uniform(30, 70)
    for sub in subcriteria:
        true_score = min(100, max(0, rng.gauss(level, 18)))
        scores = []
        for user in assessors:
            dont_know = rng.random() < 0.04
            score = None if dont_know else _round(rng.gauss(true_score, 10))
            if score is not None:
                scores.append(score)
            entries.append(
                Entry(
                    assessment=assessment,
                    assessor=user,
                    subcriterion=sub,
                    score=score,
                    dont_know=dont_know,
                    strengths=rng.choice(STRENGTHS) if rng.random() < 0.5 else "",
                    improvements=rng.choice(IMPROVEMENTS) if rng.random() < 0.5 else "",
                )
            )
        agreed = _round(sum(scores) / len(scores)) if scores else _round(true_score)
        consensus.append(
            Consensus(
                assessment=assessment,
                subcriterion=sub,
                score=agreed,
                strengths=rng.choice(STRENGTHS) if agreed >= 50 else "",
                improvements=rng.choice(IMPROVEMENTS) if agreed < 60 else "",
                updated_by=assessors[0],
            )
        )
    Entry.objects.bulk_create(entries, batch_size=2000)
    Consensus.objects.bulk_create(consensus, batch_size=2000)
    proposal = scoring.propose_profile(
        framework.data, {c.subcriterion.code: c.score for c in consensus}, method
    )
    # A municipality focuses on a few areas (two to six), as CAF advises, not on every low score.
    focus = sorted(proposal["needs"].items(), key=lambda item: -item[1])[: rng.randint(2, 6)]
    LearningProfile.objects.create(
        assessment=assessment,
        municipality=municipality,
        sharing=sharing,
        needs=dict(focus),
        strengths=proposal["strengths"],
    )
    return assessment


def synthetic_assessors(municipality, count, password_hash, domain="assessors.demo"):
    """`count` assessor accounts of a municipality, created in bulk."""
    slug = municipality.code.lower().replace("_", "-")
    wanted = [f"assessor{i + 1}.{slug}@{domain}" for i in range(count)]
    existing = {u.email: u for u in User.objects.filter(email__in=wanted)}
    new = [
        User(email=e, full_name=f"Assessor {i + 1} ({municipality.name})", password=password_hash)
        for i, e in enumerate(wanted)
        if e not in existing
    ]
    created = User.objects.bulk_create(new)
    MunicipalRole.objects.bulk_create(
        [MunicipalRole(user=u, municipality=municipality, role="assessor") for u in created]
    )
    existing.update({u.email: u for u in created})
    return [existing[e] for e in wanted]


def demo_assessments(municipalities, framework, *, share=0.4, assessors=4, seed=2024, year=2024):
    """Accepted CAF assessments for a share of municipalities, mostly shared for grouping."""
    rng = random.Random(seed)
    password_hash = make_password(None)  # synthetic assessors cannot sign in
    chosen = [m for m in municipalities if rng.random() < share]
    created = []
    for municipality in chosen:
        if Assessment.objects.filter(municipality=municipality, framework=framework).exists():
            continue
        people = synthetic_assessors(municipality, assessors, password_hash)
        sharing = rng.choices(["coordinators", "public", "private"], weights=[7, 2, 1])[0]
        created.append(
            build_completed_assessment(
                municipality, framework, "classic", people, rng, year=year, sharing=sharing
            )
        )
    return created


def banja_luka_story(municipality, framework, alice, bob, olga, management):
    """A previous accepted assessment (for deltas) and the current one, open for scoring."""
    if Assessment.objects.filter(municipality=municipality).exists():
        return
    rng = random.Random(7)
    build_completed_assessment(
        municipality,
        framework,
        "classic",
        [alice, bob, olga],
        rng,
        year=2023,
        sharing="coordinators",
        accepted_by=management,
    )
    current = Assessment.objects.create(
        municipality=municipality,
        framework=framework,
        method="classic",
        title="CAF 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        created_by=alice,
    )
    GroupMember.objects.bulk_create(
        [
            GroupMember(assessment=current, user=alice, role=GroupMember.Role.ADMINISTRATOR),
            GroupMember(assessment=current, user=bob, role=GroupMember.Role.ASSESSOR),
            GroupMember(assessment=current, user=olga, role=GroupMember.Role.ASSESSOR),
        ]
    )
    subcriteria = list(Subcriterion.objects.filter(framework=framework).order_by("position")[:9])
    Entry.objects.bulk_create(
        Entry(assessment=current, assessor=bob, subcriterion=s, score=_round(rng.gauss(55, 15)))
        for s in subcriteria
    )
