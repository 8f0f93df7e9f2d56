"""Scores of an assessment: validation, bands, roll-ups, divergence and the learning profile.

Pure Python (no Django), so it can be tested on its own and reused by management
commands.  Panels and frameworks are the plain dicts of a framework file (see
``frameworks/FORMAT.md``); a framework is the dict returned by
``frameworks.schema.load_framework``.

User-facing messages are marked with the local :func:`gettext_noop` so that
``makemessages`` collects them; :class:`ScoreError` carries the untranslated
template in ``.message`` and its values in ``.params``.  The Django layer shows
``gettext(error.message) % error.params``.

Numbers are compared exactly (as fractions of their decimal text), so ``0.1``
steps and decimal commas behave as a person would expect.  Returned scores are
``int`` when whole and ``float`` otherwise; means are ``float``.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from numbers import Rational, Real
from typing import Any

from mreza.assessment.frameworks.schema import iter_subcriteria

__all__ = [
    "ScoreError",
    "band_for",
    "check_score",
    "code_key",
    "combine",
    "criterion_scores",
    "deltas",
    "divergence",
    "gettext_noop",
    "normalised",
    "panel_values",
    "priority",
    "propose_profile",
    "total_score",
]

Number = int | float


def gettext_noop(message: str) -> str:
    """Mark *message* for translation without translating it (the Django layer translates)."""
    return message


# --------------------------------------------------------------------------- errors


class ScoreError(ValueError):
    """A value a person entered is not acceptable.

    ``message`` is the untranslated template, ``params`` the values for it, and
    ``code`` a short machine name (``required``, ``invalid``, ``out_of_range``,
    ``off_step``) usable as a Django ``ValidationError`` code.
    """

    def __init__(
        self,
        message: str,
        params: Mapping[str, Any] | None = None,
        *,
        code: str = "invalid",
        dimension: str | None = None,
    ):
        self.message = message
        self.params = dict(params or {})
        self.code = code
        self.dimension = dimension
        super().__init__(self.message % self.params)

    def __str__(self) -> str:
        return self.message % self.params


MSG_REQUIRED = gettext_noop("Please enter a score.")
MSG_NOT_A_NUMBER = gettext_noop(
    "Please enter a number from %(min)s to %(max)s. “%(value)s” is not a number."
)
MSG_OUT_OF_RANGE = gettext_noop(
    "The score must be between %(min)s and %(max)s. You entered %(value)s."
)
MSG_NOT_WHOLE = gettext_noop(
    "The score must be a whole number from %(min)s to %(max)s. You entered %(value)s."
)
MSG_OFF_STEP = gettext_noop(
    "The score must go up in steps of %(step)s (for example %(lower)s or %(upper)s). "
    "You entered %(value)s."
)
MSG_IMPACT = gettext_noop("Impact must be a whole number from %(min)s to %(max)s.")
MSG_FEASIBILITY = gettext_noop("Feasibility must be a whole number from %(min)s to %(max)s.")


# --------------------------------------------------------------------------- numbers

_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
#: Longer score texts are refused before they are converted (Python stops at 4,300 digits).
MAX_NUMBER_CHARS = 30


def _frac(value: Any) -> Fraction:
    """Exact fraction of a number (floats by their shortest decimal text)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a score")
    if isinstance(value, Rational):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("not a finite number")
        return Fraction(value)
    if isinstance(value, Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return Fraction(repr(value))
    raise TypeError(f"not a number: {value!r}")


def _num(value: Fraction) -> Number:
    """A fraction as ``int`` when whole, ``float`` otherwise."""
    if value.denominator == 1:
        return int(value)
    return float(value)


def _mean(values: Iterable[Any]) -> float | None:
    fracs = [_frac(v) for v in values if v is not None]
    if not fracs:
        return None
    return float(sum(fracs, Fraction(0)) / len(fracs))


def _scale(panel: Mapping[str, Any]) -> tuple[Fraction, Fraction, Fraction]:
    return _frac(panel["min"]), _frac(panel["max"]), _frac(panel["step"])


def _check_dimension(panel: Mapping[str, Any], dimension: str | None) -> dict | None:
    if dimension is None:
        return None
    for dim in panel.get("dimensions") or []:
        if dim.get("code") == dimension:
            return dim
    raise ValueError(f"panel {panel.get('code')!r} has no dimension {dimension!r}")


def panel_values(panel: Mapping[str, Any]) -> list[Number]:
    """All values a score on *panel* may take: ``min, min+step, …, max``."""
    lo, hi, step = _scale(panel)
    if step <= 0 or hi < lo:
        raise ValueError(f"panel {panel.get('code')!r} has an invalid scale")
    count = (hi - lo) / step
    if count.denominator != 1:
        raise ValueError(f"panel {panel.get('code')!r}: step does not divide the range")
    return [_num(lo + i * step) for i in range(int(count) + 1)]


def check_score(panel: Mapping[str, Any], value: Any, *, dimension: str | None = None) -> Number:
    """Return *value* as a number if it is a valid score on *panel*; raise :class:`ScoreError`.

    Accepts ints, floats, decimals and text such as ``"55"``, ``" 55.0 "`` or
    ``"55,5"`` (decimal comma).  *dimension* (a fine-tuned dimension code) is
    checked to exist and is reported on the error; all dimensions of a panel
    share its scale.
    """
    _check_dimension(panel, dimension)
    lo, hi, step = _scale(panel)
    base = {"min": _num(lo), "max": _num(hi)}
    if dimension is not None:
        base["dimension"] = dimension

    def fail(message: str, code: str, **params: Any) -> ScoreError:
        return ScoreError(message, {**base, **params}, code=code, dimension=dimension)

    if value is None:
        raise fail(MSG_REQUIRED, "required")
    if isinstance(value, str):
        text = value.strip().replace("\u2212", "-")
        if not text:
            raise fail(MSG_REQUIRED, "required")
        shown = text
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        if len(text) > MAX_NUMBER_CHARS:
            # No score has 30 digits; Python refuses numbers over 4,300 digits with a ValueError.
            shown = shown[:MAX_NUMBER_CHARS] + "…"
            if _NUMBER_RE.match(text):
                raise fail(MSG_OUT_OF_RANGE, "out_of_range", value=shown)
            raise fail(MSG_NOT_A_NUMBER, "invalid", value=shown)
        if not _NUMBER_RE.match(text):
            raise fail(MSG_NOT_A_NUMBER, "invalid", value=shown)
        number = Fraction(text)
    else:
        try:
            number = _frac(value)
        except (TypeError, ValueError):
            raise fail(MSG_NOT_A_NUMBER, "invalid", value=str(value)) from None
        shown = _fmt(number)

    if number < lo or number > hi:
        raise fail(MSG_OUT_OF_RANGE, "out_of_range", value=shown)
    offset = (number - lo) / step
    if offset.denominator != 1:
        if step == 1 and lo.denominator == 1:
            raise fail(MSG_NOT_WHOLE, "off_step", value=shown)
        below = lo + math.floor(offset) * step
        raise fail(
            MSG_OFF_STEP,
            "off_step",
            value=shown,
            step=_num(step),
            lower=_num(below),
            upper=_num(min(below + step, hi)),
        )
    return _num(number)


def _fmt(value: Fraction) -> str:
    if value.denominator == 1:
        return str(int(value))
    return repr(float(value))


def normalised(panel: Mapping[str, Any], value: Any) -> float | None:
    """*value* on *panel*'s scale mapped to 0..1 (clamped); ``None`` for no value."""
    if value is None:
        return None
    lo, hi, _step = _scale(panel)
    share = (_frac(value) - lo) / (hi - lo)
    return float(min(max(share, Fraction(0)), Fraction(1)))


# --------------------------------------------------------------------------- bands


def band_for(panel: Mapping[str, Any], value: Any, dimension: str | None = None) -> dict | None:
    """The band of *panel* (or of its *dimension*, whose bands take precedence) holding *value*.

    Values between two bands, such as the mean 50.5 between ``31–50`` and
    ``51–70``, belong to the lower band.  Returns ``None`` for no value, a value
    outside the scale, or when no bands apply.
    """
    if value is None:
        return None
    dim = _check_dimension(panel, dimension)
    bands = (dim or {}).get("bands") or panel.get("bands") or []
    lo, hi, _step = _scale(panel)
    number = _frac(value)
    if number < lo or number > hi:
        return None
    found = None
    for band in bands:
        if _frac(band["range"][0]) <= number:
            found = band
        else:
            break
    return found


# --------------------------------------------------------------------------- roll-ups


def combine(panel: Mapping[str, Any], dimension_scores: Mapping[str, Any]) -> float | None:
    """The subcriterion score from its parts.

    For a panel with dimensions (``fine_tuned``) this is the ``combine`` rule
    (``mean``) over all of the panel's dimensions, or ``None`` while any is
    missing.  For other panels it is the single score under the key ``"score"``.
    """
    dimensions = panel.get("dimensions")
    if dimensions:
        rule = panel.get("combine", "mean")
        if rule != "mean":
            raise ValueError(f"unknown combine rule {rule!r}")
        values = [dimension_scores.get(dim["code"]) for dim in dimensions]
        if any(v is None for v in values):
            return None
        return _mean(values)
    score = dimension_scores.get("score")
    return None if score is None else float(_frac(score))


def _method_panels(framework: Mapping[str, Any], method: str):
    if method not in framework.get("scoring_methods", []):
        raise ValueError(f"framework {framework.get('code')!r} does not offer method {method!r}")
    for crit, sub, panels in iter_subcriteria(framework):
        yield crit, sub, panels[method]


def _rollup(framework: Mapping[str, Any]) -> dict:
    return {"criterion": "mean", "total": "mean_of_criteria", **(framework.get("rollup") or {})}


def criterion_scores(
    framework: Mapping[str, Any], scores: Mapping[str, Any], method: str
) -> dict[str, float | None]:
    """Mean of the available subcriterion scores of each criterion, in framework order.

    *scores* maps subcriterion codes to a number or ``None`` ("don't know" or not
    scored); codes the framework does not know are ignored.  A criterion with no
    scores gets ``None``; so does every criterion if the framework's rollup
    says ``criterion: none``.
    """
    grouped: dict[str, list[Any]] = {}
    for crit, sub, _panel in _method_panels(framework, method):
        grouped.setdefault(crit["code"], []).append(scores.get(sub["code"]))
    if _rollup(framework)["criterion"] == "none":
        return dict.fromkeys(grouped)
    return {code: _mean(values) for code, values in grouped.items()}


def total_score(
    framework: Mapping[str, Any], scores: Mapping[str, Any], method: str
) -> float | None:
    """The overall score following the framework's ``rollup.total`` (default: mean of criteria).

    An indicator only; ``None`` when nothing is scored or the rollup is ``none``.
    """
    rule = _rollup(framework)["total"]
    if rule == "none":
        return None
    if rule == "mean_of_subcriteria":
        return _mean(scores.get(sub["code"]) for _c, sub, _p in _method_panels(framework, method))
    if rule == "mean_of_criteria":
        return _mean(criterion_scores(framework, scores, method).values())
    raise ValueError(f"unknown total rollup {rule!r}")


def deltas(current: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, float | None]:
    """``current - previous`` per code (union of both, natural order); ``None`` where either is
    missing."""
    result: dict[str, float | None] = {}
    for code in sorted(set(current) | set(previous), key=code_key):
        now, before = current.get(code), previous.get(code)
        result[code] = None if now is None or before is None else float(_frac(now) - _frac(before))
    return result


# --------------------------------------------------------------------------- divergence


_CODE_PART_RE = re.compile(r"\d+|\D+")


def code_key(code: Any) -> tuple:
    """Natural sort key for codes: ``"1.9" < "1.10" < "2.1"``; text parts compare
    case-insensitively."""
    text = str(code)
    parts = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in _CODE_PART_RE.findall(text)
    )
    return parts, text


def divergence(values_by_sub: Mapping[str, Iterable[Any]]) -> list[dict]:
    """How far the individual scores of each subcriterion lie apart.

    ``None`` entries count as "don't know".  Each row has ``code``,
    ``n_scores``, ``n_dont_know``, ``min``, ``max``, ``range``, ``mean`` and
    ``stdev`` (population standard deviation; 0 for a single score); the
    numeric fields are ``None`` when there is no score.  Rows are sorted by
    range (largest first), then stdev (largest first), then code (natural).
    """
    rows = []
    for code, raw in values_by_sub.items():
        raw = list(raw)
        given = [v for v in raw if v is not None]
        row: dict[str, Any] = {
            "code": code,
            "n_scores": len(given),
            "n_dont_know": len(raw) - len(given),
            "min": None,
            "max": None,
            "range": None,
            "mean": None,
            "stdev": None,
        }
        if given:
            fracs = [_frac(v) for v in given]
            low, high = min(fracs), max(fracs)
            row.update(
                min=_num(low),
                max=_num(high),
                range=_num(high - low),
                mean=float(sum(fracs, Fraction(0)) / len(fracs)),
                stdev=float(statistics.pstdev(fracs)) if len(fracs) > 1 else 0.0,
            )
        rows.append(row)
    rows.sort(
        key=lambda r: (
            r["range"] is None,
            -(r["range"] or 0),
            -(r["stdev"] or 0),
            code_key(r["code"]),
        )
    )
    return rows


# --------------------------------------------------------------------------- learning profile


def propose_profile(
    framework: Mapping[str, Any],
    consensus: Mapping[str, Any],
    method: str,
    *,
    need_below: float = 0.5,
    strength_from: float = 0.7,
) -> dict[str, dict[str, float]]:
    """Propose learning needs and strengths from the consensus scores.

    With ``n`` the score normalised to 0..1 on its panel: a subcriterion with
    ``n < need_below`` is a need of weight ``1 - n`` (score 0 → 1.0); one with
    ``n >= strength_from`` is a strength of weight ``n``.  Weights are rounded
    to 2 decimals; both mappings are in natural code order.  Unscored
    subcriteria are left out.
    """
    if not 0 <= need_below <= strength_from <= 1:
        raise ValueError("need 0 <= need_below <= strength_from <= 1")
    needs: dict[str, float] = {}
    strengths: dict[str, float] = {}
    subs = sorted(_method_panels(framework, method), key=lambda item: code_key(item[1]["code"]))
    for _crit, sub, panel in subs:
        share = normalised(panel, consensus.get(sub["code"]))
        if share is None:
            continue
        if share < need_below:
            needs[sub["code"]] = round(1 - share, 2)
        elif share >= strength_from:
            strengths[sub["code"]] = round(share, 2)
    return {"needs": needs, "strengths": strengths}


# --------------------------------------------------------------------------- improvement plan

PRIORITY_MIN, PRIORITY_MAX = 1, 5


def _whole(value: Any, message: str) -> int:
    params = {"min": PRIORITY_MIN, "max": PRIORITY_MAX}
    number = None
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+", text):
            number = int(text)
    elif not isinstance(value, bool):
        try:
            frac = _frac(value)
        except (TypeError, ValueError):
            frac = None
        if frac is not None and frac.denominator == 1:
            number = int(frac)
    if number is None or not PRIORITY_MIN <= number <= PRIORITY_MAX:
        code = "invalid" if number is None else "out_of_range"
        raise ScoreError(message, params, code=code)
    return number


def priority(impact: Any, feasibility: Any) -> int:
    """Priority of an improvement action: impact × feasibility, each a whole number 1..5."""
    return _whole(impact, MSG_IMPACT) * _whole(feasibility, MSG_FEASIBILITY)
