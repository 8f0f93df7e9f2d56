"""Recognition rules: the best result and the most improved, within one evaluation (a network)
and across networks.

Pure Python (no Django), so the rules are tested on their own. The Django layer
(`services/recognition.py`) feeds it each member's consensus scores and states the rule on the
page in the reader's language.

The rules:

- A member is compared when its part is submitted and its re-assessment has a consensus score for
  every subcriterion of the network's area. Its result is the mean of those scores; each score is
  first placed on 0–100 of its scale (`Scale.share`), so a classic 0–100 panel and a 0–4 maturity
  panel compare. Its improvement is the rise of that mean from the baseline (points of 100); it
  needs a baseline score for every one of those subcriteria.
- "Best result" ranks the results, "most improved" the improvements; only a rise counts as an
  improvement (no place for no change or a fall).
- Equal values share the place (1, 1, 3). When a tie-breaker is given (the rise in citizen
  satisfaction) and every member of a tie has a value for it, the higher value goes first.
- A ranking needs at least `MIN_COMPARED` members compared; with fewer, nobody is placed.

Numbers are compared exactly (as fractions of their decimal text), so equal means are equal.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import groupby
from numbers import Rational, Real
from typing import Generic, TypeVar

__all__ = [
    "MIN_COMPARED",
    "TOP",
    "Figures",
    "Ranking",
    "Reason",
    "Scale",
    "Standing",
    "figures",
    "rank",
]

#: the fewest members a ranking compares; with fewer, nobody is placed
MIN_COMPARED = 3
#: the places the ranking across networks shows
TOP = 10

K = TypeVar("K", bound=Hashable)


def _frac(value: float | int | Fraction) -> Fraction:
    """Exact fraction of a number (floats by their shortest decimal text, as scoring does)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a score")
    if isinstance(value, Rational):
        return Fraction(value)
    if isinstance(value, Real):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("not a finite number")
        return Fraction(repr(number))
    raise TypeError(f"not a number: {value!r}")


@dataclass(frozen=True)
class Scale:
    """The range of a scoring panel (its `min` and `max`)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not _frac(self.high) > _frac(self.low):
            raise ValueError(f"a scale must rise: {self.low}..{self.high}")

    def share(self, value: float | Fraction) -> Fraction:
        """`value` placed on 0..100 of the scale (clamped)."""
        low, high = _frac(self.low), _frac(self.high)
        share = (_frac(value) - low) / (high - low) * 100
        return min(max(share, Fraction(0)), Fraction(100))


PERCENT = Scale(0, 100)


@dataclass(frozen=True)
class Figures:
    """One member's numbers on the area's subcriteria.

    `score` and `baseline` are means on `scale` (the panels' own scale when the subcriteria share
    one, else 0–100); `share` and `share_delta` are the same on 0–100, which every ranking uses.
    """

    score: float
    share: float
    scale: Scale
    baseline: float | None = None
    delta: float | None = None
    share_delta: float | None = None

    @property
    def improved(self) -> bool:
        return self.share_delta is not None and self.share_delta > 0


def _mean(values: Iterable[Fraction]) -> Fraction:
    found = list(values)
    return sum(found, Fraction(0)) / len(found)


def figures(
    codes: Iterable[str],
    scores: Mapping[str, float | None],
    baseline: Mapping[str, float | None],
    scales: Mapping[str, Scale],
) -> Figures | None:
    """A member's figures on the subcriteria `codes`, or None when it is not compared (no codes,
    or a consensus score or a scale missing). Without a baseline score for every code the figures
    have no improvement."""
    wanted = list(dict.fromkeys(codes))
    if not wanted or any(scores.get(c) is None or c not in scales for c in wanted):
        return None
    now = {c: _frac(scores[c]) for c in wanted}  # type: ignore[arg-type]  # None excluded above
    own = {scales[c] for c in wanted}
    common = len(own) == 1
    scale = own.pop() if common else PERCENT

    def on_scale(values: Mapping[str, Fraction]) -> tuple[Fraction, Fraction]:
        shares = _mean(scales[c].share(values[c]) for c in wanted)
        return (_mean(values.values()) if common else shares), shares

    score, share = on_scale(now)
    if any(baseline.get(c) is None for c in wanted):
        return Figures(score=float(score), share=float(share), scale=scale)
    before, before_share = on_scale({c: _frac(baseline[c]) for c in wanted})  # type: ignore[arg-type]
    return Figures(
        score=float(score),
        share=float(share),
        scale=scale,
        baseline=float(before),
        delta=float(score - before),
        share_delta=float(share - before_share),
    )


class Reason(StrEnum):
    """Why a ranking places nobody."""

    TOO_FEW = "too_few"  # fewer than the minimum compared
    NO_RISE = "no_rise"  # nobody improved (only a rise counts)


@dataclass(frozen=True)
class Standing(Generic[K]):
    """One member in a ranking. `place` is None when it has none (no rise, or too few compared);
    `shared` when another member has the same place; `by_tie_breaker` when the tie-breaker
    decided between equal values."""

    key: K
    value: float
    place: int | None
    shared: bool = False
    by_tie_breaker: bool = False


@dataclass(frozen=True)
class Ranking(Generic[K]):
    """A ranking, best first: `compared` members had a value; `reason` says why nobody is placed,
    None when the ranking awards its first place."""

    standings: tuple[Standing[K], ...]
    compared: int
    reason: Reason | None

    @property
    def awarded(self) -> bool:
        return self.reason is None

    @property
    def winners(self) -> tuple[K, ...]:
        """The members in the first place (several when they share it)."""
        if self.reason is not None:
            return ()
        return tuple(s.key for s in self.standings if s.place == 1)

    def of(self, key: K) -> Standing[K] | None:
        return next((s for s in self.standings if s.key == key), None)


def _places(
    group: list[tuple[K, Fraction]],
    first: int,
    tie_breaker: Callable[[K], float | None] | None,
) -> list[Standing[K]]:
    """Places for members of equal value starting at `first`: shared, unless the tie-breaker has
    a value for every one of them."""
    value = float(group[0][1])
    if len(group) == 1:
        return [Standing(group[0][0], value, first)]
    breaks = [tie_breaker(key) for key, _v in group] if tie_breaker else []
    if not breaks or any(b is None for b in breaks):
        return [Standing(key, value, first, shared=True) for key, _v in group]
    ordered = sorted(
        zip(group, (_frac(b) for b in breaks), strict=True),  # type: ignore[arg-type]
        key=lambda pair: -pair[1],
    )
    standings: list[Standing[K]] = []
    place = first
    for _b, members in groupby(ordered, key=lambda pair: pair[1]):
        same = [key for (key, _v), _tb in members]
        standings.extend(
            Standing(key, value, place, shared=len(same) > 1, by_tie_breaker=True) for key in same
        )
        place += len(same)
    return standings


def rank(
    values: Mapping[K, float | None],
    *,
    positive_only: bool = False,
    tie_breaker: Callable[[K], float | None] | None = None,
    minimum: int = MIN_COMPARED,
    top: int | None = None,
) -> Ranking[K]:
    """Rank `values` (highest first; None: not compared). `positive_only`: only values above 0
    get a place (an improvement). `tie_breaker(key)` is asked only for members of a tie. `top`
    keeps only the placed members up to that place (ties at the last place all stay).
    Members of equal value keep the order of `values`."""
    compared = [(key, _frac(v)) for key, v in values.items() if v is not None]
    compared.sort(key=lambda pair: -pair[1])
    if len(compared) < minimum:
        standings = tuple(Standing(key, float(v), None) for key, v in compared)
        return Ranking(() if top else standings, len(compared), Reason.TOO_FEW)
    found: list[Standing[K]] = []
    place = 1
    for value, members in groupby(compared, key=lambda pair: pair[1]):
        group = list(members)
        if positive_only and value <= 0:
            found.extend(Standing(key, float(v), None) for key, v in group)
            continue
        found.extend(_places(group, place, tie_breaker))
        place += len(group)
    reason = None if any(s.place is not None for s in found) else Reason.NO_RISE
    if top is not None:
        found = [s for s in found if s.place is not None and s.place <= top]
    return Ranking(tuple(found), len(compared), reason)
