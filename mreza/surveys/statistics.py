"""Statistics for the results pages of citizen satisfaction surveys run in waves.

Pure Python (no Django): the standard library, NumPy and SciPy only. Every result is a frozen
dataclass of plain ``int``/``float``/``None`` (never a NumPy scalar, never NaN or infinity), so
templates and JSON take it as it is. Nothing here is text: the Django layer turns the codes
(``test``, ``effect_label``, ``direction``, ``verdict``) into translated sentences.

Conventions for comparing two waves (``before`` = the earlier, ``after`` = the later):

- ``direction`` is the observed sign of the change, whatever the p-value; the verdict says
  whether to believe it. ``"none"`` when the waves are equal on the measure (and always for the
  chi-square test, which has no direction).
- ``verdict`` is ``"too_few"`` when either wave has fewer than :data:`MIN_ANSWERS` answers (or a
  chi-square table has too small expected counts), else ``"likely_change"`` when
  ``p_value < ALPHA``, else ``"could_be_chance"``.
- With no variation at all (every answer the same in both waves) a test finds no evidence of a
  change: ``statistic`` 0.0, ``p_value`` 1.0, effect 0.0. ``None`` means "cannot be computed"
  (an empty wave, or a wave too small for the test).

Effect-size labels (absolute value; the lower bound belongs to the label):

================================  ===========  =======  ========  =======
measure                           negligible   small    medium    large
================================  ===========  =======  ========  =======
rank-biserial r (Mann–Whitney)    < 0.1        0.1      0.3       0.5
Cohen's h (two proportions)       < 0.2        0.2      0.5       0.8
Cohen's d (means)                 < 0.2        0.2      0.5       0.8
Cramér's V (2×k table, df* = 1)   < 0.1        0.1      0.3       0.5
================================  ===========  =======  ========  =======

These are Cohen's (1988) conventions; for Cramér's V of a 2×k table min(rows, cols) − 1 = 1, so
Cohen's w thresholds apply unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Generic, Literal, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt
from scipy import stats

__all__ = [
    "ALPHA",
    "CONFIDENCE",
    "MIN_ANSWERS",
    "Comparison",
    "MeanChange",
    "OptionCount",
    "Proportion",
    "Summary",
    "compare_choices",
    "compare_means",
    "compare_ordinal",
    "compare_proportions",
    "describe",
    "distribution",
    "mean_change",
    "proportion",
    "suppress_small_groups",
]

MIN_ANSWERS = 20
ALPHA = 0.05
CONFIDENCE = 0.95
_Z = NormalDist().inv_cdf(1 - (1 - CONFIDENCE) / 2)  # 1.959963984540054

K = TypeVar("K", bound=Hashable)
TestCode = Literal["mann_whitney", "two_proportions", "welch_t", "chi_square"]
EffectLabel = Literal["negligible", "small", "medium", "large"]
Direction = Literal["up", "down", "none"]
Verdict = Literal["too_few", "likely_change", "could_be_chance"]

# Lower bounds of "small", "medium", "large" per effect measure.
_THRESHOLDS: dict[TestCode, tuple[float, float, float]] = {
    "mann_whitney": (0.1, 0.3, 0.5),
    "two_proportions": (0.2, 0.5, 0.8),
    "welch_t": (0.2, 0.5, 0.8),
    "chi_square": (0.1, 0.3, 0.5),
}


@dataclass(frozen=True)
class Summary:
    """``mean`` ± a 95 % t-interval; ``sd`` is the sample SD (n − 1). None where n is too small."""

    n: int
    mean: float | None
    sd: float | None
    median: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class Proportion:
    """``share`` = successes / n with a 95 % Wilson score interval (None when n is 0)."""

    n: int
    successes: int
    share: float | None
    ci_low: float | None
    ci_high: float | None


class OptionCount(NamedTuple, Generic[K]):
    option: K
    answers: int  # not "count": that is a tuple method
    share: float | None


@dataclass(frozen=True)
class MeanChange:
    """after − before, with a 95 % Welch interval (None when a wave has fewer than 2 answers)."""

    difference: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class Comparison:
    test: TestCode
    n_before: int
    n_after: int
    statistic: float | None
    p_value: float | None
    effect_size: float | None
    effect_label: EffectLabel | None
    direction: Direction
    verdict: Verdict


# --------------------------------------------------------------------------- one wave


def _array(values: Sequence[float]) -> npt.NDArray[np.float64]:
    data = np.asarray(values, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(data)):
        raise ValueError("values must be finite numbers")
    return data


def describe(values: Sequence[float]) -> Summary:
    """n, mean, SD, median and the 95 % t-interval of the mean (no SD or interval below n = 2)."""
    data = _array(values)
    n = int(data.size)
    if n == 0:
        return Summary(0, None, None, None, None, None)
    mean, median = float(data.mean()), float(np.median(data))
    if n < 2:
        return Summary(n, mean, None, median, None, None)
    sd = float(data.std(ddof=1))
    half = float(stats.t.ppf(1 - (1 - CONFIDENCE) / 2, n - 1)) * sd / math.sqrt(n)
    return Summary(n, mean, sd, median, mean - half, mean + half)


def proportion(successes: int, n: int) -> Proportion:
    """The share of ``successes`` in ``n`` with its 95 % Wilson score interval (Wilson 1927).

    Unlike the textbook ±1.96·SE interval it stays inside [0, 1] and is not empty at 0 or n.
    """
    if n < 0 or not 0 <= successes <= n:
        raise ValueError("need 0 <= successes <= n")
    if n == 0:
        return Proportion(0, 0, None, None, None)
    share = successes / n
    z2 = _Z * _Z
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z / (1 + z2 / n) * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    return Proportion(n, successes, share, max(0.0, centre - half), min(1.0, centre + half))


def distribution(
    values: Sequence[K], options: Sequence[K], *, respondents: int | None = None
) -> list[OptionCount[K]]:
    """How often each option was chosen, in the order of ``options``, zeros kept.

    The share is of ``len(values)`` (single choice, yes/no, Likert). For a multiple-choice
    question pass every ticked option in ``values`` and the number of people in ``respondents``:
    shares are then of respondents and may add up to more than 1. A share is None when its base
    is 0. A value that is not among ``options`` raises ValueError.
    """
    counts: dict[K, int] = dict.fromkeys(options, 0)
    for value in values:
        if value not in counts:
            raise ValueError(f"{value!r} is not one of the options")
        counts[value] += 1
    base = len(values) if respondents is None else respondents
    if base < 0:
        raise ValueError("respondents must not be negative")
    return [OptionCount(o, counts[o], counts[o] / base if base else None) for o in options]


# --------------------------------------------------------------------------- two waves


def _label(test: TestCode, effect: float) -> EffectLabel:
    small, medium, large = _THRESHOLDS[test]
    size = abs(effect)
    if size >= large:
        return "large"
    if size >= medium:
        return "medium"
    return "small" if size >= small else "negligible"


def _direction(change: float) -> Direction:
    return "up" if change > 0 else "down" if change < 0 else "none"


def _compared(
    test: TestCode,
    n_before: int,
    n_after: int,
    statistic: float | None,
    p_value: float | None,
    effect: float | None,
    change: float,
    *,
    low: bool = False,
    label: EffectLabel | None = None,
) -> Comparison:
    """The result with its label, direction and verdict; ``low``: the test's own "too few"."""
    if label is None and effect is not None:
        label = _label(test, effect)
    if low or min(n_before, n_after) < MIN_ANSWERS or p_value is None:
        verdict: Verdict = "too_few"
    else:
        verdict = "likely_change" if p_value < ALPHA else "could_be_chance"
    return Comparison(
        test, n_before, n_after, statistic, p_value, effect, label, _direction(change), verdict
    )


def _two_sided_normal(z: float) -> float:
    return min(1.0, 2 * NormalDist().cdf(-abs(z)))


def compare_ordinal(before: Sequence[float], after: Sequence[float]) -> Comparison:
    """Mann–Whitney U test of ordinal answers (Likert 1..5), two-sided.

    The p-value is the normal approximation with the tie correction of the variance and a
    continuity correction of 0.5 (the same as ``scipy.stats.mannwhitneyu(after, before,
    method="asymptotic")``); it is good from about 10 answers a wave, and a verdict needs 20.
    ``statistic`` is U of the after wave: the number of (before, after) pairs where the after
    answer is higher, ties counted one half. The effect is the rank-biserial correlation
    r = 2U / (n₁n₂) − 1 in [−1, 1], positive when answers went up.
    """
    x, y = _array(before), _array(after)
    n1, n2 = int(x.size), int(y.size)
    if n1 == 0 or n2 == 0:
        return _compared("mann_whitney", n1, n2, None, None, None, 0.0)
    ranks = stats.rankdata(np.concatenate([x, y]))
    u = float(ranks[n1:].sum()) - n2 * (n2 + 1) / 2
    r = 2 * u / (n1 * n2) - 1
    total = n1 + n2
    _, ties = np.unique(ranks, return_counts=True)
    tie_term = float((ties.astype(np.float64) ** 3 - ties).sum()) / (total * (total - 1))
    variance = n1 * n2 / 12 * ((total + 1) - tie_term)
    if variance <= 0:  # every answer the same: no evidence of any change
        p_value = 1.0
    else:
        z = max(abs(u - n1 * n2 / 2) - 0.5, 0.0) / math.sqrt(variance)
        p_value = _two_sided_normal(z)
    return _compared("mann_whitney", n1, n2, u, p_value, r, r)


def compare_proportions(k1: int, n1: int, k2: int, n2: int) -> Comparison:
    """Two-proportion z-test with the pooled proportion (equal to the 2×2 chi-square without
    Yates' correction), two-sided; effect Cohen's h = 2·asin√p₂ − 2·asin√p₁ (after − before).

    ``statistic`` is z, positive when the after share is higher.
    """
    for k, n in ((k1, n1), (k2, n2)):
        if n < 0 or not 0 <= k <= n:
            raise ValueError("need 0 <= successes <= n")
    if n1 == 0 or n2 == 0:
        return _compared("two_proportions", n1, n2, None, None, None, 0.0)
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (p2 - p1) / se if se > 0 else 0.0  # se 0: everyone (or no one) in both waves
    p_value = _two_sided_normal(z) if se > 0 else 1.0
    h = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
    return _compared("two_proportions", n1, n2, z, p_value, h, p2 - p1)


def _welch(before: Summary, after: Summary) -> tuple[float, float, float] | None:
    """(difference, standard error, Welch–Satterthwaite df), None below two answers a wave."""
    if before.sd is None or after.sd is None or before.mean is None or after.mean is None:
        return None
    a, b = before.sd**2 / before.n, after.sd**2 / after.n
    se = math.sqrt(a + b)
    df = (a + b) ** 2 / (a * a / (before.n - 1) + b * b / (after.n - 1)) if se > 0 else math.inf
    return after.mean - before.mean, se, df


def mean_change(before: Summary, after: Summary) -> MeanChange:
    """after.mean − before.mean with a 95 % Welch interval (unequal variances)."""
    if before.mean is None or after.mean is None:
        return MeanChange(None, None, None)
    welch = _welch(before, after)
    if welch is None:
        return MeanChange(after.mean - before.mean, None, None)
    difference, se, df = welch
    half = float(stats.t.ppf(1 - (1 - CONFIDENCE) / 2, df)) * se if se > 0 else 0.0
    return MeanChange(difference, difference - half, difference + half)


def compare_means(before: Sequence[float], after: Sequence[float]) -> Comparison:
    """Welch's t-test (unequal variances), two-sided; effect Cohen's d with the pooled SD.

    ``statistic`` is t of after − before. When neither wave varies but the means differ, t and d
    are infinite: ``statistic`` and ``effect_size`` are None, ``p_value`` 0.0, label "large".
    """
    s1, s2 = describe(before), describe(after)
    welch = _welch(s1, s2)
    if welch is None or s1.sd is None or s2.sd is None:
        change = s2.mean - s1.mean if s1.mean is not None and s2.mean is not None else 0.0
        return _compared("welch_t", s1.n, s2.n, None, None, None, change)
    difference, se, df = welch
    pooled = math.sqrt(((s1.n - 1) * s1.sd**2 + (s2.n - 1) * s2.sd**2) / (s1.n + s2.n - 2))
    if se > 0:
        t = difference / se
        p_value = float(2 * stats.t.sf(abs(t), df))
        return _compared("welch_t", s1.n, s2.n, t, p_value, difference / pooled, difference)
    if difference == 0:
        return _compared("welch_t", s1.n, s2.n, 0.0, 1.0, 0.0, 0.0)
    return _compared("welch_t", s1.n, s2.n, None, 0.0, None, difference, label="large")


def compare_choices(counts_before: Mapping[K, int], counts_after: Mapping[K, int]) -> Comparison:
    """Chi-square test of homogeneity on the 2×k table of option counts; effect Cramér's V.

    Options are the union of both mappings (a missing key counts 0); options with zero answers
    in both waves are dropped first, as they carry no information and would make expected
    counts zero. No Yates correction. The approximation is trusted by Cochran's rule: every
    expected count at least 1 and no more than 20 % of them below 5; otherwise the verdict is
    "too_few". With a single option left, both waves chose it alike: chi² 0, p 1.

    For a single-choice question only: multiple-choice answers are not independent counts;
    compare each option there with :func:`compare_proportions`.
    """
    options = list(dict.fromkeys([*counts_before, *counts_after]))
    rows = [[counts_before.get(o, 0) for o in options], [counts_after.get(o, 0) for o in options]]
    if any(c < 0 for row in rows for c in row):
        raise ValueError("counts must not be negative")
    table = np.array(rows, dtype=np.float64).reshape(2, -1)
    table = table[:, table.sum(axis=0) > 0]
    n1, n2 = int(table[0].sum()), int(table[1].sum())
    if n1 == 0 or n2 == 0:
        return _compared("chi_square", n1, n2, None, None, None, 0.0)
    if table.shape[1] < 2:
        return _compared("chi_square", n1, n2, 0.0, 1.0, 0.0, 0.0)
    total = n1 + n2
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / total
    chi2 = float(((table - expected) ** 2 / expected).sum())
    p_value = float(stats.chi2.sf(chi2, table.shape[1] - 1))
    v = math.sqrt(chi2 / total)  # min(2, k) − 1 = 1
    low = bool(expected.min() < 1 or (expected < 5).mean() > 0.2)
    return _compared("chi_square", n1, n2, chi2, p_value, v, 0.0, low=low)


# --------------------------------------------------------------------------- disclosure


def suppress_small_groups(groups: Mapping[K, int], minimum: int = 5) -> set[K]:
    """The keys of a breakdown (answers per age group, per settlement…) that may be shown.

    A group with fewer than ``minimum`` answers (zero included: "nobody here said X" is a
    disclosure too) is hidden, so no answer can be traced to a few people. The page also shows the
    total, so if exactly one group were hidden it could be worked out as total − the shown ones:
    then the smallest shown group is hidden too (complementary suppression; on a tie in size the
    first in the mapping's order). Two or more hidden groups reveal only their sum.
    """
    if minimum < 1:
        raise ValueError("minimum must be at least 1")
    if any(count < 0 for count in groups.values()):
        raise ValueError("counts must not be negative")
    shown = {key for key, count in groups.items() if count >= minimum}
    if len(groups) - len(shown) == 1 and shown:
        smallest = min((key for key in groups if key in shown), key=lambda key: groups[key])
        shown.discard(smallest)
    return shown
