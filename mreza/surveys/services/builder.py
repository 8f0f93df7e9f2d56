"""Building and running a survey (issue 12, item 3): surveys, items, versions, waves and one-time
codes. Views call these; every change is one transaction, audited through the models.

Comparability rules: a survey's items are frozen once any of its waves has a response; a change
after that is a new version (`new_version`), which copies the items with their codes, takes over
the public link and closes the old survey's open wave. At most one wave of a survey is open (the
database also guards it); a closed wave reopens only if no wave opened after it.
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mreza.core.versioning import EditConflict, save_versioned
from mreza.surveys.models import AccessCode, Item, Response, Survey, Wave
from mreza.surveys.services import catalogue

LANGUAGES = ("sr", "bs", "hr", "bg", "en")
SURVEY_FIELDS = ("title", "introduction", "thanks", "languages", "workspace", "results_public")
SURVEY_TEXTS = ("title", "introduction", "thanks")
ITEM_FIELDS = catalogue.ITEM_KEYS
WAVE_FIELDS = ("name", "access", "opens_on", "closes_on")
# kinds that take no answer (a heading)
UNANSWERED = frozenset({Item.Kind.SECTION})
CHOICE_KINDS = frozenset({Item.Kind.SINGLE, Item.Kind.MULTIPLE})

# one-time codes: no 0/O, 1/I/L, so a code read off paper is typed right; 32**10 ≈ 10**15
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_CODES = 5000


class SurveyRefused(ValidationError):
    """A rule of the surveys refused the change (the message is translated); nothing saved."""


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


def is_frozen(survey: Survey) -> bool:
    """Whether any wave of the survey has a response (its items can no longer change)."""
    return Response.objects.filter(wave__survey_id=survey.pk).exists()


def has_newer_version(survey: Survey) -> bool:
    return Survey.objects.filter(previous_version_id=survey.pk).exists()


def _refuse_if_frozen(survey):
    if is_frozen(survey):
        raise SurveyRefused(
            _(
                "This survey already has answers, so its questions can no longer change (the "
                "answers would not compare). Make a new version of the survey instead."
            ),
            code="frozen",
        )


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


# ---------------------------------------------------------------- items


def dependents(survey: Survey, code: str) -> list[Item]:
    """The items shown only depending on the answer to item `code`."""
    return [i for i in survey.items.all() if (i.show_if or {}).get("item") == code]


def merge_texts(old, new, languages):
    """The survey's languages from the form; texts in other languages (a template's, or of a
    language no longer offered) are kept for when the language comes back."""
    merged = {k: v for k, v in (old or {}).items() if k not in languages}
    merged.update({k: v for k, v in (new or {}).items() if v})
    return merged


def _item_values(item, values, languages):
    out = {}
    for field in ITEM_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if field in ("text", "help_text"):
            value = merge_texts(getattr(item, field, None), value, languages)
        out[field] = value
    return out


def create_item(survey: Survey, values) -> Item:
    """A new item at the end of the survey (the form has checked codes, ranges and show-if)."""
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        _refuse_if_frozen(survey)
        last = survey.items.aggregate(last=Max("position"))["last"]
        return Item.objects.create(
            survey=survey,
            position=0 if last is None else last + 1,
            **_item_values(None, values, survey.languages),
        )


def update_item(item: Item, values, expected_version: int) -> Item:
    """Raises EditConflict when someone saved the item since `expected_version`, SurveyRefused
    when the survey has answers. A changed code is followed by the items that depend on it."""
    survey = item.survey
    with transaction.atomic():
        _refuse_if_frozen(survey)
        old_code = item.code
        changes = _item_values(item, values, survey.languages)
        for field, value in changes.items():
            setattr(item, field, value)
        save_versioned(item, list(changes), expected_version)
        if item.code != old_code:
            for other in dependents(survey, old_code):
                other.show_if = {**other.show_if, "item": item.code}
                other.save(update_fields=["show_if"])
        return item


def delete_item(item: Item) -> None:
    survey = item.survey
    with transaction.atomic():
        _refuse_if_frozen(survey)
        waiting = dependents(survey, item.code)
        if waiting:
            raise SurveyRefused(
                _(
                    "Other questions are shown depending on the answer to this one (%(codes)s). "
                    "Change their “show only if” first."
                ),
                code="has_dependents",
                params={"codes": ", ".join(i.code for i in waiting)},
            )
        item.delete()


def move_item(item: Item, step: int) -> None:
    """Move the item one place up (step -1) or down (+1). A question stays after the one whose
    answer decides whether it is shown."""
    survey = item.survey
    with transaction.atomic():
        _refuse_if_frozen(survey)
        items = list(survey.items.order_by("position", "id"))
        index = next(i for i, one in enumerate(items) if one.pk == item.pk)
        other = index + step
        if step not in (-1, 1) or not 0 <= other < len(items):
            return
        first, second = sorted((items[index], items[other]), key=items.index)
        if (second.show_if or {}).get("item") == first.code:
            raise SurveyRefused(
                _(
                    "“%(later)s” is shown depending on the answer to “%(earlier)s”, so it must "
                    "stay after it."
                ),
                code="order",
                params={"later": second.code, "earlier": first.code},
            )
        items[index], items[other] = items[other], items[index]
        for position, one in enumerate(items):
            if one.position != position:
                one.position = position
                one.save(update_fields=["position"])


def _set_language(texts, language, value):
    """`texts` with `language` set to `value` (removed when empty)."""
    texts = {k: v for k, v in (texts or {}).items() if k != language}
    if value:
        texts[language] = value
    return texts


def _translated_item(item, language, given):
    """The changed fields of `item` with the texts of one language from `given`."""
    changes = {}
    for field, key in (("text", "text"), ("help_text", "help_text")):
        if key in given:
            changes[field] = _set_language(getattr(item, field), language, given[key])
    for field in ("options", "rows"):
        if field in given:
            changes[field] = [
                {**e, "text": _set_language(e.get("text"), language, given[field].get(e["code"]))}
                for e in getattr(item, field) or []
            ]
    labels = dict(item.scale_labels or {})
    for end in ("min", "max"):
        if end in given:
            labels[end] = _set_language(labels.get(end), language, given[end])
    if labels != (item.scale_labels or {}):
        changes["scale_labels"] = labels
    return {f: v for f, v in changes.items() if v != getattr(item, f)}


def save_translation(survey: Survey, language: str, survey_texts: dict, item_texts: dict) -> int:
    """Set the texts of one language: `survey_texts` {"title"|"introduction"|"thanks": text},
    `item_texts` {item id: {"text", "help_text": text, "options"|"rows": {code: text},
    "min"|"max": label}}. Each row is merged as it is now, so what others changed in other
    languages stays; an item form opened before gets a conflict. Items of a frozen survey are
    refused. Returns how many rows changed."""
    changed = 0
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        fields = [
            f
            for f, value in survey_texts.items()
            if f in SURVEY_TEXTS
            and _set_language(getattr(survey, f), language, value) != (getattr(survey, f) or {})
        ]
        for field in fields:
            setattr(
                survey, field, _set_language(getattr(survey, field), language, survey_texts[field])
            )
        if fields:
            save_versioned(survey, fields, survey.version)
            changed += 1
        if not item_texts:
            return changed
        items = {i.pk: i for i in survey.items.select_for_update().filter(pk__in=list(item_texts))}
        updates = {
            pk: _translated_item(items[pk], language, t)
            for pk, t in item_texts.items()
            if pk in items
        }
        if any(updates.values()):
            _refuse_if_frozen(survey)
        for pk, item_changes in updates.items():
            if item_changes:
                item = items[pk]
                for field, value in item_changes.items():
                    setattr(item, field, value)
                save_versioned(item, list(item_changes), item.version)
                changed += 1
    return changed


def newer_version(survey: Survey):
    """The survey made from this one by `new_version`, or None."""
    return Survey.objects.filter(previous_version_id=survey.pk).order_by("-created_at").first()


def answerable_items(survey: Survey):
    return survey.items.exclude(kind__in=UNANSWERED)


def missing_translations(survey: Survey, items) -> dict[str, list[str]]:
    """{language: [what lacks a text in it]} over the survey's languages (the first one is
    required by the forms, so it only shows up for data made elsewhere). `items`: the survey's
    items, already loaded."""
    missing: dict[str, list[str]] = {}
    for language in survey.languages:
        gaps = [str(_("title"))] if not (survey.title or {}).get(language) else []
        if survey.introduction and not survey.introduction.get(language):
            gaps.append(str(_("introduction")))
        gaps += [item.code for item in items if _lacks(item, language)]
        if gaps:
            missing[language] = gaps
    return missing


def _lacks(item, language):
    texts = [item.text]
    if item.help_text:
        texts.append(item.help_text)
    texts += [o.get("text", {}) for o in item.options or []]
    texts += [r.get("text", {}) for r in item.rows or []]
    texts += [label for label in (item.scale_labels or {}).values() if label]
    return any(not (t or {}).get(language) for t in texts)


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


# ---------------------------------------------------------------- one-time codes


def normalize_code(code: str) -> str:
    """A code as typed ("abcd-efgh 23", lower case, spaces, dashes) in its stored form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    """The SHA-256 of a normalised code: all that AccessCode stores."""
    return hashlib.sha256(normalize_code(code).encode("ascii", "ignore")).hexdigest()


def _random_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def generate_codes(wave: Wave, count: int) -> list[str]:
    """`count` (1–MAX_CODES) new one-time codes for a codes-only wave, grouped "ABCDE-FGH23".
    Only their hashes are stored: the caller hands them out now or never."""
    if wave.access != Wave.Access.CODES:
        raise SurveyRefused(_("This wave is open to anyone with the link; it needs no codes."))
    if wave.status == Wave.Status.CLOSED:
        raise SurveyRefused(_("This wave is closed; its codes can no longer be used."))
    if not 1 <= count <= MAX_CODES:
        raise SurveyRefused(
            _("Choose between 1 and %(max)d codes."), code="count", params={"max": MAX_CODES}
        )
    codes: dict[str, str] = {}
    with transaction.atomic():
        while len(codes) < count:
            fresh = {hash_code(c): c for c in (_random_code() for _ in range(count - len(codes)))}
            taken = set(
                AccessCode.objects.filter(code_hash__in=list(fresh)).values_list(
                    "code_hash", flat=True
                )
            )
            codes.update({h: c for h, c in fresh.items() if h not in taken})
        AccessCode.objects.bulk_create(
            [AccessCode(wave=wave, code_hash=h) for h in codes], batch_size=500
        )
    return list(codes.values())


def code_counts(waves) -> dict[int, dict[str, int]]:
    """{wave id: {"issued": n, "used": n}} for the given waves (one query)."""
    rows = (
        AccessCode.objects.filter(wave__in=waves)
        .values("wave_id")
        .annotate(issued=Count("id"), used=Count("id", filter=Q(used=True)))
        .order_by()
    )
    return {r["wave_id"]: {"issued": r["issued"], "used": r["used"]} for r in rows}
