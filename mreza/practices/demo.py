"""The library of good practices in the demo: forty practices of municipalities in Bosnia and
Herzegovina, Serbia and Bulgaria, in Bosnian, Croatian, Serbian (Cyrillic and Latin), Bulgarian
and English, taken along the way a user's would go — drafted, submitted, reviewed by the network
coordinator, validated by an expert, some updated, one withdrawn — through the practice services
(audited, each step as the person who takes it). Some offer help to adopt them; one request waits
for the coordinator's confirmation, one was confirmed, and a few adoptions are recorded.

The texts are in `demo/library-*.yaml`, one list of practices per file:

    key:            a stable name (for the tests; not stored)
    municipality:   registry code; a practice of a municipality not in the registry is skipped
    author:         demo login (alice for alice@mreza.demo); without it, a synthetic staff
                    account of the municipality that cannot sign in
    language, title, summary, problem, actions (rich text), results, costs, cost_amount,
    cost_currency, transferability, prerequisites, year, started_on, ended_on: as stored
    areas:          subcriterion codes of the CAF 2020 framework;  sdgs: goal numbers
    contact:        {name, role, email}: stored as "name, role"
    figures:        [{label, unit, before, after, before_year, after_year}]
    status:         draft | submitted | reviewed | published | withdrawn (how far it goes)
    update:         {note, <fields>, figures}: a second published revision
    offer:          the help offered;  withdrawal_reason: for a withdrawn one
    requests:       [{municipality, by, status: pending | confirmed, message}]
    replications:   [{municipality, year, note}]

Reviewers and validators are the people the services would ask: a network coordinator and an
expert of an association the municipality is a member of, else the platform administrator. The
expert demo user (erin@mreza.demo) must exist: the review queues of the demo are hers.

Safe to re-run: a practice whose municipality already has one with its title is left as it is.
No mail is sent (the demo people's addresses are not real). Called by front's `load_demo` after
the other demos.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import yaml
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from mreza.accounts.models import MunicipalRole, User
from mreza.assessment.models import Subcriterion
from mreza.core.audit import acting_as
from mreza.core.roles import MunicipalRoleName
from mreza.networks.services import confirm, round_coordinators
from mreza.practices.models import (
    Practice,
    PracticeRevision,
    ReviewStep,
    TransferRequest,
)
from mreza.practices.services import common, drafting, transfer, workflow
from mreza.registry.models import Municipality

LIBRARY_DIR = Path(__file__).resolve().parent / "demo"
FRAMEWORK = "caf2020"
DEMO_DOMAIN = "mreza.demo"
EXPERT_EMAIL = f"erin@{DEMO_DOMAIN}"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
# synthetic authors of municipalities without demo people (they cannot sign in)
AUTHORS_DOMAIN = "practices.demo"
STAGES = ("draft", "submitted", "reviewed", "published", "withdrawn")
CRITERIA_MET = dict.fromkeys(workflow.CRITERION_CODES, True)
REVIEW_COMMENT = {
    "bs": "Rezultati su jasno opisani; prosljeđujem na validaciju.",
    "hr": "Rezultati su jasno opisani; prosljeđujem na validaciju.",
    "sr": "Резултати су јасно описани; прослеђујем на валидацију.",
    "bg": "Резултатите са ясно описани; изпращам за валидиране.",
    "en": "The results are clearly described; passed on to validation.",
}
VALIDATION_COMMENT = {
    "bs": "Svi kriteriji su ispunjeni: rezultati s brojkama, uslovi prenosa i kontakt.",
    "hr": "Svi su kriteriji ispunjeni: rezultati s brojkama, uvjeti prijenosa i kontakt.",
    "sr": "Сви критеријуми су испуњени: резултати с бројевима, услови преноса и контакт.",
    "bg": "Всички критерии са изпълнени: резултати с числа, условия за прилагане и контакт.",
    "en": "Every criterion is met: results in numbers, prerequisites and a contact.",
}


class DemoError(RuntimeError):
    """The demo cannot be loaded as described (a missing demo user, framework, code)."""


def library() -> list[dict]:
    """Every practice of the demo library, in file order."""
    entries = []
    for path in sorted(LIBRARY_DIR.glob("library-*.yaml")):
        entries.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return entries


class Context:
    """What the steps need: the demo people, the framework's areas, the places, today."""

    def __init__(self, entries):
        self.people = {
            u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
        }
        if "erin" not in self.people or "admin" not in self.people:
            raise DemoError(
                f"The practices demo needs the demo users {EXPERT_EMAIL} (an expert of SOGFBIH) "
                f"and {ADMIN_EMAIL}: add them to DEMO_PEOPLE in front's load_demo."
            )
        self.admin = self.people["admin"]
        self.areas = {s.code: s.pk for s in Subcriterion.objects.filter(framework__code=FRAMEWORK)}
        codes = {e["municipality"] for e in entries}
        for entry in entries:
            codes |= {r["municipality"] for r in entry.get("requests", [])}
            codes |= {r["municipality"] for r in entry.get("replications", [])}
        self.places = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
        self.today = timezone.localdate()
        self.password = make_password(None)


def load(stdout=None):
    """Load the library (new practices only); returns the keys of the practices made."""
    entries = library()
    ctx = Context(entries)
    made, skipped = [], []
    # the services mail every step; the demo's people have no real mailbox
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for entry in entries:
            municipality = ctx.places.get(entry["municipality"])
            if municipality is None:
                skipped.append(entry["key"])
                continue
            if Practice.objects.filter(municipality=municipality, title=entry["title"]).exists():
                continue
            with transaction.atomic():
                _practice(ctx, entry, municipality)
            made.append(entry["key"])
    if stdout is not None:
        stdout.write(
            f"Demo good practices: {Practice.objects.count()} ({len(made)} new"
            + (f", {len(skipped)} skipped: municipality not in the registry" if skipped else "")
            + ")."
        )
    return made


def _practice(ctx, entry, municipality):
    if entry["status"] not in STAGES:
        raise DemoError(f"{entry['key']}: unknown status {entry['status']!r}")
    stage = STAGES.index(entry["status"])
    author = _author(ctx, entry, municipality)
    with acting_as(author, "load_demo"):
        practice = drafting.create_practice(municipality, author, _changes(ctx, entry))
        if stage >= STAGES.index("submitted"):
            workflow.submit(practice, author)
    if stage >= STAGES.index("reviewed"):
        coordinator = _first(common.reviewers(practice)) or ctx.admin
        with acting_as(coordinator, "load_demo"):
            comment = REVIEW_COMMENT.get(practice.language, REVIEW_COMMENT["en"])
            workflow.review(practice, coordinator, passed=True, comment=comment)
    if stage >= STAGES.index("published"):
        expert = _first(common.experts(practice)) or ctx.admin
        with acting_as(expert, "load_demo"):
            workflow.validate(
                practice,
                expert,
                decision="publish",
                comment=VALIDATION_COMMENT.get(practice.language, VALIDATION_COMMENT["en"]),
                criteria=CRITERIA_MET,
            )
        _after_publication(ctx, entry, practice, author)
    _backdate(ctx, entry, practice)
    return practice


def _after_publication(ctx, entry, practice, author):
    manager = _first(common.managers(practice.municipality_id)) or author
    if entry.get("update"):
        practice.refresh_from_db()
        with acting_as(author, "load_demo"):
            drafting.save_practice(
                practice,
                author,
                _update(practice, entry["update"]),
                practice.version,
                note=entry["update"]["note"],
            )
    if entry.get("offer"):
        with acting_as(manager, "load_demo"):
            transfer.save_offer(practice, manager, description=entry["offer"], is_open=True)
    for asked in entry.get("requests", []):
        _request(ctx, practice, asked)
    for adopted in entry.get("replications", []):
        adopter = ctx.places.get(adopted["municipality"])
        if adopter is None:
            continue
        recorder = _first(common.managers(adopter.pk)) or _synthetic(ctx, adopter)
        with acting_as(recorder, "load_demo"):
            transfer.record_replication(
                practice, recorder, adopter, adopted["year"], adopted.get("note", "")
            )
    if entry["status"] == "withdrawn":
        with acting_as(manager, "load_demo"):
            workflow.withdraw(practice, manager, entry["withdrawal_reason"])


def _request(ctx, practice, asked):
    """A request for the offered help; "confirmed" also has the coordinator confirm its
    partnership, as on the step-2 confirmation page."""
    municipality = ctx.places.get(asked["municipality"])
    if municipality is None:
        return None
    by = ctx.people.get(asked.get("by", "")) or _synthetic(ctx, municipality)
    with acting_as(by, "load_demo"):
        request = transfer.request_transfer(practice, by, municipality, asked.get("message", ""))
    if asked.get("status") == "confirmed":
        partnership = request.partnership
        coordinator = _first(round_coordinators(partnership.round)) or ctx.admin
        with acting_as(coordinator, "load_demo"):
            confirm(partnership, coordinator)
            partnership.refresh_from_db()
            transfer.partnership_confirmed(partnership)
    return request


def _first(people):
    return people[0] if people else None


def _author(ctx, entry, municipality):
    login = entry.get("author")
    if login:
        if login not in ctx.people:
            raise DemoError(f"{entry['key']}: no demo user {login}@{DEMO_DOMAIN}")
        return ctx.people[login]
    return _synthetic(ctx, municipality, entry["contact"]["name"])


def _synthetic(ctx, municipality, name=None):
    """The municipality's practice author for the demo: staff, cannot sign in."""
    email = f"practices.{municipality.code.lower()}@{AUTHORS_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email,
            full_name=name or f"{municipality.name} (demo)",
            password=ctx.password,
        )
        MunicipalRole.objects.create(
            user=user, municipality=municipality, role=MunicipalRoleName.STAFF
        )
    return user


def _contact(contact) -> str:
    return f"{contact['name']}, {contact['role']}" if contact.get("role") else contact["name"]


def _date(value):
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _figure_row(figure, pk=None):
    return {
        "id": pk,
        "label": figure["label"],
        "unit": figure.get("unit", ""),
        "before": Decimal(str(figure["before"])),
        "after": Decimal(str(figure["after"])),
        "before_year": figure.get("before_year"),
        "after_year": figure.get("after_year"),
    }


def _values(entry):
    contact = entry["contact"]
    amount = entry.get("cost_amount")
    return {
        "language": entry["language"],
        "title": entry["title"],
        "summary": entry["summary"],
        "problem": entry["problem"],
        "actions": entry["actions"],
        "results": entry["results"],
        "costs": entry.get("costs", ""),
        "cost_amount": Decimal(str(amount)) if amount is not None else None,
        "cost_currency": entry.get("cost_currency", ""),
        "transferability": entry.get("transferability", Practice.Transferability.MEDIUM),
        "prerequisites": entry.get("prerequisites", ""),
        "contact_name": _contact(contact),
        "contact_email": contact.get("email", ""),
        "sdg_codes": drafting.sdg_codes(entry.get("sdgs", [])),
        "started_on": _date(entry.get("started_on")),
        "ended_on": _date(entry.get("ended_on")),
        "year": entry.get("year"),
    }


def _area_ids(ctx, entry):
    missing = [code for code in entry.get("areas", []) if code not in ctx.areas]
    if missing and ctx.areas:
        raise DemoError(f"{entry['key']}: no subcriteria {missing} in {FRAMEWORK}")
    return [ctx.areas[code] for code in entry.get("areas", []) if code in ctx.areas]


def _changes(ctx, entry):
    return drafting.Changes(
        values=_values(entry),
        areas=_area_ids(ctx, entry),
        figures=[_figure_row(f) for f in entry["figures"]],
    )


def _update(practice, update):
    """The changed fields of the second revision; its figures replace the first ones in order."""
    values = {name: update[name] for name in drafting.FIELDS if name in update}
    existing = list(practice.figures.order_by("position", "id").values_list("pk", flat=True))
    rows = []
    if "figures" in update:
        new = update["figures"]
        rows = [
            _figure_row(f, existing[i] if i < len(existing) else None) for i, f in enumerate(new)
        ]
        rows += [{"id": pk, "delete": True} for pk in existing[len(new) :]]
    return drafting.Changes(values=values, figures=rows)


def _timeline(ctx, entry):
    """When each step happened: publication a few weeks after the work ended (never in the
    future), an update half-way to today, the open queue items in the last days."""
    ended = _date(entry.get("ended_on")) or datetime.date(entry.get("year") or 2024, 6, 30)
    latest = ctx.today - datetime.timedelta(days=20)
    published = min(ended + datetime.timedelta(days=45), latest)
    if entry["status"] in ("draft", "submitted", "reviewed"):
        published = ctx.today - datetime.timedelta(days=1)
    return {
        ReviewStep.Action.SUBMITTED: published - datetime.timedelta(days=21),
        ReviewStep.Action.REVIEWED: published - datetime.timedelta(days=9),
        ReviewStep.Action.VALIDATED: published,
        ReviewStep.Action.UPDATED: published + (ctx.today - published) / 2,
        ReviewStep.Action.WITHDRAWN: ctx.today - datetime.timedelta(days=10),
    }


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _backdate(ctx, entry, practice):
    """Dates as they would have been: derived timestamps, set with queryset updates like the
    other demos do (the steps themselves were audited when they were taken)."""
    when = {action: _moment(day) for action, day in _timeline(ctx, entry).items()}
    for action, moment in when.items():
        ReviewStep.objects.filter(practice=practice, action=action).update(at=moment)
    fields = {"submitted_at": when[ReviewStep.Action.SUBMITTED]}
    if practice.reviewed_at:
        fields["reviewed_at"] = when[ReviewStep.Action.REVIEWED]
    if practice.revision:
        fields["published_at"] = when[ReviewStep.Action.VALIDATED]
        PracticeRevision.objects.filter(practice=practice, number=1).update(
            published_at=when[ReviewStep.Action.VALIDATED]
        )
        PracticeRevision.objects.filter(practice=practice, number__gt=1).update(
            published_at=when[ReviewStep.Action.UPDATED]
        )
    if practice.withdrawn_at:
        fields["withdrawn_at"] = when[ReviewStep.Action.WITHDRAWN]
    if practice.submitted_at is None:
        fields.pop("submitted_at")
    Practice.objects.filter(pk=practice.pk).update(**fields)
    TransferRequest.objects.filter(offer__practice=practice).update(
        requested_at=_moment(ctx.today - datetime.timedelta(days=12))
    )
