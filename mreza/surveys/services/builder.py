"""Building and running a survey (issue 12, item 3): surveys, items, versions, waves and one-time
codes. Views call these; every change is one transaction, audited through the models.

Comparability rules: a survey's items are frozen once any of its waves has a response; a change
after that is a new version (`new_version`), which copies the items with their codes, takes over
the public link and closes the old survey's open wave. At most one wave of a survey is open (the
database also guards it); a closed wave reopens only if no wave opened after it.

This module holds the survey, its versions and its waves, and gathers the other parts so callers
need not know the split: `builder_common` (languages, fields, the refusal, the frozen rule),
`builder_items`, `builder_translations` and `builder_codes`.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mreza.core.versioning import EditConflict, save_versioned
from mreza.surveys.models import Item, Survey, Wave
from mreza.surveys.services import catalogue
from mreza.surveys.services.builder_codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_CODES,
    code_counts,
    generate_codes,
    hash_code,
    normalize_code,
)
from mreza.surveys.services.builder_common import (
    CHOICE_KINDS,
    ITEM_FIELDS,
    LANGUAGES,
    SURVEY_FIELDS,
    SURVEY_TEXTS,
    UNANSWERED,
    SurveyRefused,
    answerable_items,
    has_newer_version,
    is_frozen,
    merge_texts,
    newer_version,
)
from mreza.surveys.services.builder_items import (
    create_item,
    delete_item,
    dependents,
    move_item,
    update_item,
)
from mreza.surveys.services.builder_translations import missing_translations, save_translation

__all__ = [
    "CHOICE_KINDS",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "ITEM_FIELDS",
    "LANGUAGES",
    "MAX_CODES",
    "SURVEY_FIELDS",
    "SURVEY_TEXTS",
    "UNANSWERED",
    "WAVE_FIELDS",
    "SurveyRefused",
    "add_wave",
    "answerable_items",
    "close_wave",
    "code_counts",
    "create_item",
    "create_survey",
    "delete_item",
    "dependents",
    "generate_codes",
    "has_newer_version",
    "hash_code",
    "is_frozen",
    "may_reopen",
    "merge_texts",
    "missing_translations",
    "move_item",
    "new_token",
    "new_version",
    "newer_version",
    "normalize_code",
    "open_wave",
    "save_translation",
    "update_item",
    "update_survey",
    "update_wave",
]

WAVE_FIELDS = ("name", "access", "opens_on", "closes_on")


# ---------------------------------------------------------------- surveys


def new_token() -> str:
    return secrets.token_urlsafe(16)


def create_survey(
    municipality, user, *, languages, template="", title=None, workspace=None
) -> Survey:
    """A survey of `municipality`, from the template named `template` ("satisfaction") or empty
    (then `title`, a {language: text} dict, is required). `languages`: at least one of LANGUAGES,
    the main one (whose texts are required) first."""
    languages = list(dict.fromkeys(code for code in languages if code in LANGUAGES))
    if not languages:
        raise SurveyRefused(_("Choose at least one language."))
    shipped = catalogue.load(template) if template else {}
    title = title or shipped.get("title")
    if not title:
        raise SurveyRefused(_("Give the survey a title."))
    with transaction.atomic():
        survey = Survey.objects.create(
            municipality=municipality,
            workspace=workspace,
            title=dict(title),
            introduction=dict(shipped.get("introduction", {})),
            thanks=dict(shipped.get("thanks", {})),
            languages=languages,
            template=template,
            public_token=new_token(),
            created_by=user if user is not None and user.is_authenticated else None,
        )
        if template:
            for position, values in enumerate(catalogue.item_values(template)):
                Item.objects.create(survey=survey, position=position, **values)
        return survey


def update_survey(survey: Survey, values, expected_version: int) -> Survey:
    """Title, texts, languages, workspace, public results. Raises EditConflict when someone saved
    since `expected_version`. Allowed on a frozen survey too: none of these changes an answer.
    Texts in languages the form did not show (the survey's languages before) are kept."""
    shown = list(survey.languages)
    for field in SURVEY_FIELDS:
        if field in values:
            value = values[field]
            if field in SURVEY_TEXTS:
                value = merge_texts(getattr(survey, field), value, shown)
            setattr(survey, field, value)
    save_versioned(survey, [f for f in SURVEY_FIELDS if f in values], expected_version)
    return survey


def new_version(survey: Survey, user) -> Survey:
    """A copy of `survey` with all its items (same codes), `previous_version` set. It takes over
    the public link, so printed posters keep working; the old survey gets a fresh token and its
    open wave is closed."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if has_newer_version(survey):
            raise SurveyRefused(
                _("This survey already has a newer version; change that one."), code="superseded"
            )
        token = survey.public_token
        survey.public_token = new_token()
        survey.save(update_fields=["public_token"])
        copy = Survey.objects.create(
            municipality_id=survey.municipality_id,
            workspace_id=survey.workspace_id,
            title=survey.title,
            introduction=survey.introduction,
            thanks=survey.thanks,
            languages=survey.languages,
            template=survey.template,
            previous_version=survey,
            public_token=token,
            results_public=survey.results_public,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        for item in survey.items.order_by("position", "id"):
            Item.objects.create(
                survey=copy, position=item.position, **{f: getattr(item, f) for f in ITEM_FIELDS}
            )
        for wave in survey.waves.filter(status=Wave.Status.OPEN):
            _close(wave)
        return copy


# ---------------------------------------------------------------- waves


def add_wave(survey: Survey, *, name, access=Wave.Access.LINK, opens_on=None, closes_on=None):
    """A new wave, not yet open, after the survey's others."""
    with transaction.atomic():
        last = survey.waves.aggregate(last=Max("position"))["last"]
        return Wave.objects.create(
            survey=survey,
            name=name,
            access=access,
            opens_on=opens_on,
            closes_on=closes_on,
            position=0 if last is None else last + 1,
        )


def update_wave(wave: Wave, values, expected_version: int) -> Wave:
    """Name and dates; who may answer only until the wave first opens (codes handed out or a link
    on a poster must keep meaning what they said)."""
    if "access" in values and values["access"] != wave.access and wave.opened_at is not None:
        raise SurveyRefused(
            _("Who may answer cannot change once the wave has been open."), code="access"
        )
    changed = [f for f in WAVE_FIELDS if f in values]
    for field in changed:
        setattr(wave, field, values[field])
    save_versioned(wave, changed, expected_version)
    return wave


def _refuse_open(wave):
    survey = wave.survey
    if has_newer_version(survey):
        raise SurveyRefused(
            _("A newer version of this survey exists; open its waves instead."), code="superseded"
        )
    if not answerable_items(survey).exists():
        raise SurveyRefused(
            _("Add at least one question that can be answered before opening a wave."),
            code="no_items",
        )
    if wave.status == Wave.Status.CLOSED and (
        survey.waves.filter(opened_at__gt=wave.opened_at).exclude(pk=wave.pk).exists()
    ):
        raise SurveyRefused(
            _("A later wave has been opened since, so this one cannot be reopened."),
            code="later_wave",
        )
    # the constraint also guards this (a race between two openings): see open_wave
    if survey.waves.filter(status=Wave.Status.OPEN).exclude(pk=wave.pk).exists():
        raise _already_open()


def _already_open():
    return SurveyRefused(
        _("Another wave of this survey is open. Close it first: only one wave is open at a time."),
        code="one_open",
    )


def open_wave(wave: Wave) -> Wave:
    """Open a wave not yet open, or reopen a closed one (see module). Raises SurveyRefused."""
    if wave.status == Wave.Status.OPEN:
        return wave
    _refuse_open(wave)
    before = wave.status
    wave.status = Wave.Status.OPEN
    wave.opened_at = wave.opened_at or timezone.now()
    wave.closed_at = None
    try:
        # a savepoint: the constraint's refusal leaves the caller's transaction usable
        with transaction.atomic():
            save_versioned(
                wave,
                ["status", "opened_at", "closed_at"],
                wave.version,
                condition=Q(status=before),
            )
    except IntegrityError:
        wave.refresh_from_db()
        raise _already_open() from None
    except EditConflict:
        wave.refresh_from_db()
        raise SurveyRefused(_("The wave changed meanwhile; look again."), code="stale") from None
    return wave


def _close(wave):
    wave.status = Wave.Status.CLOSED
    wave.closed_at = timezone.now()
    save_versioned(
        wave, ["status", "closed_at"], wave.version, condition=Q(status=Wave.Status.OPEN)
    )


def close_wave(wave: Wave) -> Wave:
    if wave.status != Wave.Status.OPEN:
        raise SurveyRefused(_("This wave is not open."), code="not_open")
    try:
        _close(wave)
    except EditConflict:
        raise SurveyRefused(_("The wave changed meanwhile; look again."), code="stale") from None
    return wave


def may_reopen(wave: Wave, opened_later: bool) -> bool:
    """Whether the page offers "reopen" (`opened_later`: a wave of the survey opened after it)."""
    return wave.status == Wave.Status.CLOSED and not opened_later
