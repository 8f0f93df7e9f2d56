"""Citizen surveys in the demo: the satisfaction template for Banja Luka, Kragujevac and Smolyan,
each with two closed waves about a year apart ("before" and "after" the network's work) and a few
hundred synthetic responses, so the results pages and the network evaluation show real numbers;
plus a new version of Banja Luka's survey with an open wave, whose public link is printed.

Banja Luka's citizens are visibly more satisfied after (the evaluation's sentence says the rise is
unlikely to be chance); Kragujevac changes about as much as chance would; Smolyan a little.
Answers come from a seeded random generator, so every run makes the same data. Responses are
bulk-created, which bypasses the audit trail on purpose: thousands of synthetic answers are not
changes anybody made. Safe to re-run: a municipality that has a demo survey is left as it is.

Called by front's `load_demo` inside `acting_as(None, "load_demo")`.
"""

import datetime
import random

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mreza.accounts.models import MunicipalRole
from mreza.core.roles import MunicipalRoleName
from mreza.progress.models import Workspace, WorkspaceMember
from mreza.registry.models import Municipality
from mreza.surveys.models import Response, Survey, Wave
from mreza.surveys.services import builder

TEMPLATE = "satisfaction"
DAY = datetime.timedelta(days=1)

# code, survey languages (first: the usual one), the waves' names, mean "overall" before and
# after, seed
PLACES = [
    ("BA-BANJA-LUKA", ["sr", "bs", "hr", "en"], ("Прије", "Послије"), 3.0, 3.6, 11),
    ("RS-70645", ["sr", "en"], ("Пре", "После"), 3.3, 3.35, 12),
    ("BG-SML31", ["bg", "en"], ("Преди", "След"), 3.1, 3.3, 13),
]
OPEN_VERSION = "BA-BANJA-LUKA"
# first day (days ago), length in days, responses
WAVES = [(400, 28, 320), (40, 28, 340)]
OPEN_WAVE = ("Праћење", 30)

AGES = (["up-to-17", "18-29", "30-44", "45-64", "65-plus"], [2, 20, 30, 32, 16])
GENDERS = (["woman", "man", "other", "prefer-not"], [50, 44, 1, 5])
SETTLEMENTS = (["urban", "rural"], [68, 32])
SERVICES = {
    "administration": 0.1,
    "communal": -0.2,
    "roads": -0.6,
    "information": 0.0,
    "staff": 0.3,
    "speed": -0.3,
}
COMMENTS = {
    "sr": ["Путеви у насељу су лоши.", "Љубазно особље у шалтер сали.", "Треба више паркинга."],
    "bs": ["Ceste su loše.", "Ljubazno osoblje.", "Treba više javne rasvjete."],
    "hr": ["Ceste su loše.", "Ljubazno osoblje.", "Duge su gužve na šalterima."],
    "bg": ["Пътищата са лоши.", "Любезни служители.", "Нужни са повече паркоместа."],
    "en": ["The roads are bad.", "Friendly staff.", "Opening hours are too short."],
}


def load(stdout=None):
    """Make the demo surveys; returns the public link of the open one (None if Banja Luka is
    absent)."""
    today = timezone.localdate()
    link = None
    for code, languages, names, before, after, seed in PLACES:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        survey = Survey.objects.filter(
            municipality=municipality, template=TEMPLATE, previous_version=None
        ).first()
        if survey is None:
            with transaction.atomic():
                waves = [(n, *w) for n, w in zip(names, WAVES, strict=True)]
                survey = _survey(municipality, languages, waves, (before, after), _rng(seed))
        newest = survey.next_versions.order_by("-id").first() or survey
        if code == OPEN_VERSION:
            if newest == survey:
                with transaction.atomic():
                    newest = _open_version(survey, today, _rng(seed + 100))
            link = reverse("surveys:answer", args=[newest.public_token])
    if stdout is not None:
        stdout.write(f"Demo surveys: {Survey.objects.count()}.")
        if link:
            # `make demo` serves on this address (Makefile)
            stdout.write(f"Demo survey open for answers (public link): http://127.0.0.1:8000{link}")
    return link


def _rng(seed):
    return random.Random(seed)  # noqa: S311 (reproducible synthetic data, no secret)


def _workspace(municipality):
    """The municipality's network workspace (the one that started first), if any."""
    member = (
        WorkspaceMember.objects.filter(
            municipality=municipality, workspace__kind=Workspace.Kind.NETWORK
        )
        .select_related("workspace")
        .order_by("workspace__starts_on", "workspace_id")
        .first()
    )
    return member.workspace if member else None


def _coordinator(municipality):
    role = MunicipalRole.objects.filter(
        municipality=municipality, role=MunicipalRoleName.COORDINATOR
    ).first()
    return role.user if role else None


def _survey(municipality, languages, waves, means, rng):
    survey = builder.create_survey(
        municipality,
        _coordinator(municipality),
        languages=languages,
        template=TEMPLATE,
        workspace=_workspace(municipality),
    )
    builder.update_survey(survey, {"results_public": True}, survey.version)
    today = timezone.localdate()
    for position, ((name, ago, length, count), mean) in enumerate(zip(waves, means, strict=True)):
        opens = today - ago * DAY
        closes = opens + length * DAY
        wave = Wave.objects.create(
            survey=survey,
            name=f"{name} {opens.year}",
            position=position,
            status=Wave.Status.CLOSED,
            opens_on=opens,
            closes_on=closes,
            opened_at=_moment(opens),
            closed_at=_moment(closes),
        )
        _responses(wave, languages, mean, count, opens, length, rng)
    return survey


def _open_version(survey, today, rng):
    """A new version (same items) with a wave open now and its first answers."""
    newest = builder.new_version(survey, survey.created_by)
    name, ago = OPEN_WAVE
    wave = builder.add_wave(newest, name=name, opens_on=today - ago * DAY)
    builder.open_wave(wave)
    _responses(wave, newest.languages, 3.7, 18, today - ago * DAY, ago, rng)
    return newest


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _scale(rng, mean, spread=0.95):
    return min(5, max(1, round(rng.gauss(mean, spread))))


def _pick(rng, choices, missing=0.08):
    if rng.random() < missing:
        return None
    options, weights = choices
    return rng.choices(options, weights)[0]


def _answers(rng, mean, language):
    overall = _scale(rng, mean)
    answers = {
        "services": {
            row: _scale(rng, mean + shift)
            for row, shift in SERVICES.items()
            if rng.random() > 0.12  # a service the respondent has not used
        },
        "overall": overall,
        "trust": rng.choices(["yes", "no", "dont-know"], [overall * 1.2, (6 - overall) * 1.1, 2])[
            0
        ],
    }
    for code, choices in (("age", AGES), ("gender", GENDERS), ("settlement", SETTLEMENTS)):
        value = _pick(rng, choices)
        if value is not None:
            answers[code] = value
    if rng.random() < 0.12:
        answers["comment"] = rng.choice(COMMENTS.get(language, COMMENTS["en"]))
    if not answers["services"]:
        del answers["services"]
    return answers


def _responses(wave, languages, mean, count, first_day, days, rng):
    staff = _coordinator(wave.survey.municipality)
    weights = [6] + [1] * (len(languages) - 1)
    rows = []
    for number in range(count):
        language = rng.choices(languages, weights)[0]
        paper = rng.random() < 0.2
        rows.append(
            Response(
                wave=wave,
                answers=_answers(rng, mean, language),
                language=language,
                channel=Response.Channel.PAPER if paper else Response.Channel.WEB,
                submitted_on=first_day + rng.randrange(max(days, 1)) * DAY,
                entered_by=staff if paper else None,
                paper_number=f"{wave.position + 1}-{number + 1:04d}" if paper else "",
            )
        )
    Response.objects.bulk_create(rows, batch_size=500)
