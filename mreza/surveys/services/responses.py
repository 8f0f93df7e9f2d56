"""Answering a survey (issue 12, items 3-5): on the public link, and on paper typed in by staff.

Anonymous by design. A web response stores the answers, the survey language, the channel and the
day — no address, no account, no user agent, and no actor in the audit trail (it is written
inside `acting_as(None, ...)`, even when the respondent happens to be signed in). What limits
abuse is kept apart and cannot be joined to a response:

- a link wave: the device id (random, in a cookie, carried by the signed form token) is stored
  only as SHA-256(wave, device, SECRET_KEY) in DeviceReceipt, unique per wave, written in the same
  transaction as the response — a second answer from the device finds it and nothing is saved;
- a codes wave: the one-time code's hash is marked used by a conditional UPDATE in the same
  transaction as the response — a replay finds it used;
- the signed, time-limited form token (salt per wave) refuses a form that was not ours or was
  changed; a replayed token carries the same device, so the receipt refuses it;
- the submission rate per wave and client address lives in the cache only, under a keyed hash of
  the address, for one window.
"""

import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mreza.core import ratelimit
from mreza.core.audit import acting_as
from mreza.surveys.answers import Answer, ItemSpec, ShowIf
from mreza.surveys.models import AccessCode, DeviceReceipt, Item, Response, Survey, Wave
from mreza.surveys.services.builder import hash_code

DEVICE_COOKIE = "mreza_survey_device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600
# the audit trail's label for web responses (never a person)
PUBLIC_ACTOR = "survey_link"

ALREADY_ANSWERED = "already_answered"
CODE_USED = "code_used"
CODE_UNKNOWN = "code_unknown"
CODE_MISSING = "code_missing"
NOT_OPEN = "not_open"
TAMPERED = "tampered"
EXPIRED = "expired"
NUMBER_TAKEN = "number_taken"
NOT_PAPER = "not_paper"


def rate_limit() -> tuple[int, int]:
    """(submissions, seconds): how many submissions one client address may make to one wave in
    one window (settings MREZA_SURVEY_RATE_SUBMISSIONS, MREZA_SURVEY_RATE_WINDOW)."""
    return (
        int(getattr(settings, "MREZA_SURVEY_RATE_SUBMISSIONS", 30)),
        int(getattr(settings, "MREZA_SURVEY_RATE_WINDOW", 600)),
    )


def form_max_age() -> int:
    """Seconds a form token stays valid (MREZA_SURVEY_FORM_MAX_AGE; a day by default)."""
    return int(getattr(settings, "MREZA_SURVEY_FORM_MAX_AGE", 24 * 3600))


class ResponseRefused(ValidationError):
    """The submission was not saved (the message is translated, `code` says why)."""


# ---------------------------------------------------------------- the questionnaire


def spec_from_item(item: Item) -> ItemSpec:
    """What answers.clean_answers needs of an item."""
    condition = item.show_if or {}
    return ItemSpec(
        code=item.code,
        kind=item.kind,  # type: ignore[arg-type]
        required=item.required,
        options=tuple(o["code"] for o in item.options or ()),
        rows=tuple(r["code"] for r in item.rows or ()),
        scale_min=item.scale_min,
        scale_max=item.scale_max,
        number_min=None if item.number_min is None else Decimal(item.number_min),
        number_max=None if item.number_max is None else Decimal(item.number_max),
        show_if=ShowIf(condition["item"], frozenset(condition.get("any_of") or ()))
        if condition.get("item")
        else None,
    )


def items_of(survey: Survey) -> list[Item]:
    return list(survey.items.order_by("position", "id"))


def specs_of(items: list[Item]) -> list[ItemSpec]:
    return [spec_from_item(item) for item in items]


def survey_by_token(token: str) -> Survey | None:
    return Survey.objects.select_related("municipality__country").filter(public_token=token).first()


def answering_wave(survey: Survey) -> Wave | None:
    """The wave the public link answers now (at most one is open)."""
    return survey.waves.filter(status=Wave.Status.OPEN).first()


# ---------------------------------------------------------------- devices and form tokens


def new_device_id() -> str:
    return secrets.token_urlsafe(24)


def device_hash(wave: Wave, device_id: str) -> str:
    """The receipt's key: nothing that leaves the server can be turned back into the device."""
    return hashlib.sha256(f"{wave.pk}:{device_id}:{settings.SECRET_KEY}".encode()).hexdigest()


def has_answered(wave: Wave, device_id: str | None) -> bool:
    if not device_id or wave.access != Wave.Access.LINK:
        return False
    return DeviceReceipt.objects.filter(
        wave=wave, device_hash=device_hash(wave, device_id)
    ).exists()


def _salt(wave: Wave) -> str:
    return f"mreza.surveys.answer.{wave.pk}"


def issue_form_token(wave: Wave, device_id: str) -> str:
    """A signed token for the form of `wave`, carrying the device that asked for it."""
    return signing.dumps({"w": wave.pk, "d": device_id}, salt=_salt(wave), compress=True)


@dataclass(frozen=True)
class FormToken:
    device_id: str
    expired: bool = False


def read_form_token(wave: Wave, token: str) -> FormToken:
    """The device a form token was issued to. An expired token still names its device (the page
    offers the answers again under a fresh token); a token that was not signed for this wave is
    refused (ResponseRefused, code TAMPERED)."""
    expired = False
    try:
        data = signing.loads(token or "", salt=_salt(wave), max_age=form_max_age())
    except signing.SignatureExpired:
        expired = True
        data = signing.loads(token, salt=_salt(wave))
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("w") != wave.pk or not data.get("d"):
        raise ResponseRefused(
            _(
                "This form cannot be accepted: it was changed or does not belong to this survey. "
                "Open the survey's link again."
            ),
            code=TAMPERED,
        )
    return FormToken(str(data["d"]), expired)


# ---------------------------------------------------------------- rate limit


def over_rate_limit(wave: Wave, address: str | None) -> bool:
    """Count one submission of `address` to `wave`; True once the window's allowance is spent."""
    allowed, window = rate_limit()
    return ratelimit.over_limit(f"survey:{wave.pk}", address, allowed, window)


# ---------------------------------------------------------------- one-time codes


def code_problem(wave: Wave, code: str) -> str | None:
    """Why `code` cannot answer `wave` (CODE_UNKNOWN, CODE_USED), or None — for the page only;
    the submission checks again while it marks the code used."""
    row = AccessCode.objects.filter(wave=wave, code_hash=hash_code(code)).values("used").first()
    if row is None:
        return CODE_UNKNOWN
    return CODE_USED if row["used"] else None


def code_refusal(problem: str) -> ResponseRefused:
    if problem == CODE_USED:
        return ResponseRefused(
            _("This code has already been used. Each code answers the survey once."),
            code=CODE_USED,
        )
    if problem == CODE_MISSING:
        return ResponseRefused(
            _("Enter the code you received with the invitation to this survey."),
            code=CODE_MISSING,
        )
    return ResponseRefused(
        _("This code is not valid for this survey. Check it and type it again."),
        code=CODE_UNKNOWN,
    )


def _use_code(wave: Wave, code: str) -> None:
    if not code.strip():
        raise code_refusal(CODE_MISSING)
    codes = AccessCode.objects.filter(wave=wave, code_hash=hash_code(code))
    # the one statement that decides: of two submissions with one code, one updates the row
    if not codes.filter(used=False).update(used=True):
        raise code_refusal(CODE_USED if codes.exists() else CODE_UNKNOWN)


# ---------------------------------------------------------------- submitting


def _not_open() -> ResponseRefused:
    return ResponseRefused(_("This survey is not open for answers now."), code=NOT_OPEN)


def already_answered() -> ResponseRefused:
    return ResponseRefused(
        _("You have already answered this survey. Thank you!"), code=ALREADY_ANSWERED
    )


def submit(
    wave: Wave,
    answers: dict[str, Answer],
    *,
    language: str,
    device_id: str | None = None,
    code: str = "",
) -> Response:
    """Save one web response to an open wave: with a device receipt (link wave) or by using a
    one-time code (codes wave), all or nothing. Raises ResponseRefused (NOT_OPEN,
    ALREADY_ANSWERED, CODE_MISSING, CODE_UNKNOWN, CODE_USED)."""
    with acting_as(None, PUBLIC_ACTOR), transaction.atomic():
        if not Wave.objects.filter(pk=wave.pk, status=Wave.Status.OPEN).exists():
            raise _not_open()
        if wave.access == Wave.Access.CODES:
            _use_code(wave, code)
        else:
            if not device_id:  # the form token always carries one
                raise ValueError("a link wave's response needs the device id")
            try:
                with transaction.atomic():  # a savepoint: the refusal leaves the rest usable
                    DeviceReceipt.objects.create(
                        wave=wave, device_hash=device_hash(wave, device_id)
                    )
            except IntegrityError:
                raise already_answered() from None
        return Response.objects.create(
            wave=wave,
            answers=answers,
            language=language,
            channel=Response.Channel.WEB,
            submitted_on=timezone.localdate(),
        )


# ---------------------------------------------------------------- paper


def enter_paper(
    wave: Wave, user, answers: dict[str, Answer], *, language: str, paper_number: str = ""
) -> Response:
    """Save a paper questionnaire typed in by `user` (any wave but a draft). `paper_number`, when
    given, is unique in the wave (ResponseRefused NUMBER_TAKEN)."""
    paper_number = paper_number.strip()
    with transaction.atomic():
        # the wave's row is the lock under which the number is checked and taken
        locked = Wave.objects.select_for_update().get(pk=wave.pk)
        if locked.status == Wave.Status.DRAFT:
            raise ResponseRefused(
                _("This wave has not been opened yet; open it before typing in questionnaires."),
                code=NOT_OPEN,
            )
        if paper_number and locked.responses.filter(paper_number=paper_number).exists():
            raise ResponseRefused(
                _(
                    "Questionnaire number %(number)s has already been typed in for this wave. "
                    "Check the number on the paper, or delete the earlier entry below first."
                ),
                code=NUMBER_TAKEN,
                params={"number": paper_number},
            )
        return Response.objects.create(
            wave=wave,
            answers=answers,
            language=language,
            channel=Response.Channel.PAPER,
            submitted_on=timezone.localdate(),
            entered_by=user,
            paper_number=paper_number,
        )


def delete_paper(response: Response) -> None:
    """Remove a paper response typed in by mistake (the deletion is audited, with its answers)."""
    if response.channel != Response.Channel.PAPER:
        raise ResponseRefused(
            _("Only questionnaires typed in from paper can be deleted here."), code=NOT_PAPER
        )
    with transaction.atomic():
        response.delete()


def paper_count(wave: Wave) -> int:
    return wave.responses.filter(channel=Response.Channel.PAPER).count()


def recent_paper(wave: Wave, limit: int = 15) -> list[Response]:
    return list(
        wave.responses.filter(channel=Response.Channel.PAPER)
        .select_related("entered_by")
        .order_by("-id")[:limit]
    )
