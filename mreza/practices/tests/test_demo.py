"""The demo library of good practices (issue 13 item 6): forty practices on the real registries,
in five languages and both Serbian scripts, with waste management and public procurement among
them, most published (some twice), work waiting in the coordinator's and the expert's queues, one
withdrawn, offers, a pending and a confirmed transfer request and recorded adoptions; a re-run
adds nothing."""

import io
import re
from collections import Counter

import pytest

from mreza.accounts.models import MunicipalRole, OrganisationRole, User
from mreza.front.management.commands.load_demo import (
    DATA_ROOT,
    DEMO_ORGANISATIONS,
    DEMO_PEOPLE,
    REGISTRIES,
)
from mreza.networks.models import Partnership
from mreza.networks.services import round_coordinators
from mreza.practices import demo, search
from mreza.practices.models import (
    Practice,
    PracticeRevision,
    Replication,
    ReviewStep,
    TransferOffer,
    TransferRequest,
)
from mreza.practices.services import common
from mreza.registry.importing import plan_and_apply, read_path
from mreza.registry.models import Municipality, Organisation
from mreza.text import fold

CYRILLIC = re.compile("[\u0400-\u04ff]")
Status = Practice.Status


@pytest.fixture
def demo_registry(db, caf):
    """The real registries (the municipalities the demo names) and the demo people with their
    roles, as front's load_demo makes them (without its assessments, networks and surveys)."""
    wanted = {p for person in DEMO_PEOPLE for p, _role in person[3]}
    for entry in demo.library():
        wanted |= {entry["municipality"]} | {r["municipality"] for r in entry.get("requests", [])}
        wanted |= {r["municipality"] for r in entry.get("replications", [])}
    for folder in REGISTRIES:
        tables = read_path(DATA_ROOT / folder)
        for table in tables:
            if table.kind == "municipalities":  # the real rows, only those the demo names
                table.rows = _only(table.rows, wanted)
        plan_and_apply(tables, actor_label="test")
    for code, kind, name, _country in DEMO_ORGANISATIONS:
        Organisation.objects.get_or_create(code=code, defaults={"kind": kind, "name": name})
    organisations = {o.code: o for o in Organisation.objects.all()}
    places = {m.code: m for m in Municipality.objects.all()}
    for email, name, language, municipal, organisational in DEMO_PEOPLE:
        user = User.objects.create_user(email, "x-password-123", full_name=name, language=language)
        for code, role in municipal:
            MunicipalRole.objects.create(user=user, municipality=places[code], role=role)
        for code, role in organisational:
            OrganisationRole.objects.create(user=user, organisation=organisations[code], role=role)


def _only(rows, wanted):
    """The header and the rows of `wanted` municipalities, with the towns they are part of."""
    codes = set(wanted)
    codes |= {r.get("part_of") for _n, r in rows if r.get("code") in codes and r.get("part_of")}
    return [(n, r) for n, r in rows if "code" not in r or r["code"] in codes]


def _is_cyrillic(practice):
    return bool(CYRILLIC.search(practice.title))


def test_the_demo_library(demo_registry, mailoutbox):
    """One test, since loading the real registries is the slow part."""
    out = io.StringIO()
    made = demo.load(out)
    _check_library(made, out.getvalue(), mailoutbox)
    _check_queues_and_transfers()
    assert demo.load() == []  # a re-run adds nothing
    assert Practice.objects.count() == len(made) and Partnership.objects.count() == 2


def _check_library(made, output, mailoutbox):
    entries = demo.library()
    assert 30 <= len(entries) <= 40 and made == [e["key"] for e in entries]
    assert f"Demo good practices: {len(entries)} ({len(entries)} new)." in output
    assert mailoutbox == []  # nobody is mailed
    practices = list(Practice.objects.select_related("municipality"))
    assert len(practices) == len(entries)
    statuses = Counter(p.status for p in practices)
    assert statuses[Status.PUBLISHED] >= 30
    assert statuses[Status.WITHDRAWN] == 1 and statuses[Status.DRAFT] == 1
    assert statuses[Status.SUBMITTED] + statuses[Status.REVIEWED] >= 2
    assert {p.municipality.country_id for p in practices} == set(
        Municipality.objects.filter(code__in=("BA-TUZLA", "RS-70645", "BG-SML31")).values_list(
            "country_id", flat=True
        )
    )

    languages = Counter(p.language for p in practices)
    assert set(languages) == {"bs", "hr", "sr", "bg", "en"}
    serbian = [p for p in practices if p.language == "sr"]
    assert sum(map(_is_cyrillic, serbian)) >= 5  # both scripts, each well represented
    assert sum(not _is_cyrillic(p) for p in serbian) >= 5

    published = [p for p in practices if p.status == Status.PUBLISHED]
    folded = [fold(p.title + " " + p.summary) for p in published]
    assert sum("otpad" in text or "waste" in text for text in folded) >= 3
    assert sum("nabav" in text or "procurement" in text for text in folded) >= 3
    # typed in Latin, the search finds the Cyrillic waste practices of Doboj and Šabac
    found = search.search(Practice.objects.filter(status=Status.PUBLISHED), "upravljanje otpadom")
    assert {"BA-DOBOJ", "RS-71269"} <= {p.municipality.code for p in found}
    for practice in published:
        assert practice.figures.exists() and practice.areas.exists() and practice.sdgs
        assert practice.contact_name and practice.published_at and practice.search_document
    assert all(p.revision == p.revisions.count() for p in practices)
    updated = PracticeRevision.objects.filter(number=2)
    assert updated.count() >= 3 and all(r.note for r in updated)


def _check_queues_and_transfers():
    by_key = {e["key"]: e for e in demo.library()}

    def practice(key):
        entry = by_key[key]
        return Practice.objects.get(municipality__code=entry["municipality"], title=entry["title"])

    emir, erin, dana = (User.objects.get(email=f"{n}@mreza.demo") for n in ("emir", "erin", "dana"))
    waiting_review = Practice.objects.filter(status=Status.SUBMITTED)
    assert any(emir in common.reviewers(p) for p in waiting_review)
    assert any(dana in common.reviewers(p) for p in waiting_review)
    waiting_validation = Practice.objects.filter(status=Status.REVIEWED)
    assert waiting_validation and all(erin in common.experts(p) for p in waiting_validation)
    reviewed = waiting_validation.first()
    assert reviewed.review_steps.filter(action=ReviewStep.Action.REVIEWED).exists()

    validated = ReviewStep.objects.filter(action=ReviewStep.Action.VALIDATED)
    assert validated.filter(by=erin).exists()  # FBiH practices: the SOGFBIH expert
    assert all(all(step.criteria.values()) for step in validated)

    withdrawn = Practice.objects.get(status=Status.WITHDRAWN)
    assert withdrawn.withdrawal_reason and withdrawn.revision == 1

    assert TransferOffer.objects.filter(is_open=True).count() >= 4
    pending = TransferRequest.objects.get(status=TransferRequest.Status.PENDING)
    assert pending.partnership.confirmed_at is None  # the coordinator's work
    assert pending.offer.practice == practice("banja-luka-appraisal")
    assert pending.municipality.code == "BA-TUZLA"
    assert dana in round_coordinators(pending.partnership.round)
    confirmed = TransferRequest.objects.get(status=TransferRequest.Status.CONFIRMED)
    assert confirmed.partnership.confirmed_at is not None
    assert Replication.objects.count() == 3
    assert Replication.objects.filter(request=confirmed, municipality__code="BA-TESLIC").exists()


def test_the_loader_needs_the_expert(db, caf, world):
    world.municipality("BA-TREBINJE", "Требиње")
    User.objects.create_user("admin@mreza.demo", "x-password-123")
    with pytest.raises(demo.DemoError, match=re.escape("erin@mreza.demo")):
        demo.load()
    assert not Practice.objects.exists()


def test_municipalities_outside_the_registry_are_skipped(db, caf, world):
    """A smaller registry (tests, a country not loaded): only its practices load."""
    world.municipality("BA-TREBINJE", "Требиње")
    User.objects.create_user("erin@mreza.demo", "x-password-123")
    User.objects.create_user("admin@mreza.demo", "x-password-123")
    out = io.StringIO()
    made = demo.load(out)
    trebinje = [e["key"] for e in demo.library() if e["municipality"] == "BA-TREBINJE"]
    assert made == trebinje and len(made) == 2
    assert "skipped: municipality not in the registry" in out.getvalue()
    assert TransferOffer.objects.filter(practice__municipality__code="BA-TREBINJE").exists()
    assert Replication.objects.count() == 0
