"""The pure survey statistics (mreza/surveys/statistics.py), checked against published examples
and against SciPy routes the module does not take."""

import dataclasses
import itertools
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats
from scipy.stats import contingency

from mreza.surveys import statistics as st

# Wikipedia, "Welch's t-test", example 1: t = −2.46, ν ≈ 24.99, p = 0.021.
WELCH_A1 = [
    27.5,
    21.0,
    19.0,
    23.6,
    17.0,
    17.9,
    16.9,
    20.1,
    21.9,
    22.6,
    23.1,
    19.6,
    19.0,
    21.7,
    21.4,
]
WELCH_A2 = [
    27.1,
    22.0,
    20.8,
    23.4,
    23.4,
    23.5,
    25.8,
    22.0,
    24.8,
    20.2,
    21.9,
    22.1,
    22.9,
    20.5,
    24.4,
]


def _likert(seed, n, low=1):
    return np.random.default_rng(seed).integers(low, 6, n).tolist()


def _no_nan(result):
    """No NaN or infinity anywhere in a result, and only plain Python numbers."""
    for value in dataclasses.astuple(result):
        if isinstance(value, float):
            assert math.isfinite(value)
        assert not isinstance(value, np.generic)


def test_module_imports_no_django():
    code = (
        "import sys, mreza.surveys.statistics;"
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- describe


def test_describe_t_interval_matches_the_t_table():
    values = [1, 2, 3, 4, 5, 5, 4, 3, 2, 1]
    summary = st.describe(values)
    assert (summary.n, summary.mean, summary.median) == (10, 3.0, 3.0)
    sd = math.sqrt(sum((v - 3) ** 2 for v in values) / 9)
    assert summary.sd == pytest.approx(sd)
    # t(0.975, df=9) = 2.262 in every printed t-table.
    assert (summary.ci_high - summary.mean) / (sd / math.sqrt(10)) == pytest.approx(2.262, abs=5e-4)
    low, high = stats.t.interval(0.95, 9, loc=3.0, scale=stats.sem(values))
    assert (summary.ci_low, summary.ci_high) == (pytest.approx(low), pytest.approx(high))
    _no_nan(summary)


def test_describe_small_and_constant_samples():
    assert st.describe([]) == st.Summary(0, None, None, None, None, None)
    assert st.describe([4]) == st.Summary(1, 4.0, None, 4.0, None, None)
    flat = st.describe([3] * 25)
    assert flat == st.Summary(25, 3.0, 0.0, 3.0, 3.0, 3.0)
    _no_nan(flat)
    with pytest.raises(ValueError):
        st.describe([1, float("nan")])


# --------------------------------------------------------------------------- proportion


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Newcombe (1998), Stat Med 17:857, Table I, method 3 (Wilson score, no continuity
        # correction); 81/263 is also statsmodels' proportion_confint(method="wilson") example.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe(k, n, low, high):
    result = st.proportion(k, n)
    assert result.share == pytest.approx(k / n)
    assert result.ci_low == pytest.approx(low, abs=5e-5)
    assert result.ci_high == pytest.approx(high, abs=5e-5)


def test_proportion_edges():
    assert st.proportion(0, 0) == st.Proportion(0, 0, None, None, None)
    everyone = st.proportion(29, 29)
    assert everyone.ci_high == 1.0
    assert everyone.ci_low == pytest.approx(1 - 0.1171, abs=1e-3)  # mirror of 0/29
    for bad in ((3, 2), (-1, 2), (0, -1)):
        with pytest.raises(ValueError):
            st.proportion(*bad)


# --------------------------------------------------------------------------- distribution


def test_distribution_keeps_order_and_zeros():
    result = st.distribution([2, 5, 5, 1, 5], [1, 2, 3, 4, 5])
    assert result == [(1, 1, 0.2), (2, 1, 0.2), (3, 0, 0.0), (4, 0, 0.0), (5, 3, 0.6)]
    assert result[4].option == 5 and result[4].answers == 3
    assert st.distribution([], ["yes", "no"]) == [("yes", 0, None), ("no", 0, None)]
    with pytest.raises(ValueError):
        st.distribution([1, 6], [1, 2, 3, 4, 5])


def test_distribution_of_multiple_choice_is_per_respondent():
    ticks = ["bus", "park", "bus", "water", "park", "bus"]  # four people ticked these
    shares = {o: s for o, _, s in st.distribution(ticks, ["bus", "park", "water"], respondents=4)}
    assert shares == {"bus": 0.75, "park": 0.5, "water": 0.25}


# --------------------------------------------------------------------------- Mann–Whitney


def test_mann_whitney_by_hand():
    # before 1 2 3, after 2 4 5: pairs won by after = 1.5 + 3 + 3, so U = 7.5 of 9.
    # Ranks of 1 2 2 3 4 5 share one tie of two: var = 9/12 · (7 − 6/30) = 5.1.
    result = st.compare_ordinal([1, 2, 3], [2, 4, 5])
    assert result.statistic == 7.5
    assert result.effect_size == pytest.approx(2 * 7.5 / 9 - 1)
    z = (7.5 - 4.5 - 0.5) / math.sqrt(5.1)
    assert result.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert (result.direction, result.effect_label, result.verdict) == ("up", "large", "too_few")


def test_mann_whitney_u_counts_pairs_and_matches_scipy():
    before, after = _likert(1, 30), _likert(2, 26, low=2)
    result = st.compare_ordinal(before, after)
    pairs = sum((a > b) + 0.5 * (a == b) for a, b in itertools.product(after, before))
    assert result.statistic == pytest.approx(pairs)
    reference = stats.mannwhitneyu(after, before, method="asymptotic", use_continuity=True)
    assert result.p_value == pytest.approx(reference.pvalue)
    assert result.effect_size == pytest.approx(2 * pairs / (30 * 26) - 1)
    _no_nan(result)


def test_mann_whitney_clear_drop_and_all_equal():
    down = st.compare_ordinal([4, 5] * 15, [1, 2] * 15)
    assert (down.direction, down.effect_size, down.effect_label) == ("down", -1.0, "large")
    assert down.verdict == "likely_change" and down.p_value < 1e-6
    flat = st.compare_ordinal([3] * 20, [3] * 20)
    assert (flat.statistic, flat.p_value, flat.effect_size) == (200.0, 1.0, 0.0)
    assert (flat.direction, flat.effect_label, flat.verdict) == (
        "none",
        "negligible",
        "could_be_chance",
    )
    _no_nan(flat)


# --------------------------------------------------------------------------- two proportions


def test_two_proportions_equal_the_uncorrected_chi_square():
    result = st.compare_proportions(10, 30, 20, 30)
    # Expected 15 in each cell: chi² = 4 · 5² / 15 = 6.667 = z².
    chi2, p, _, _ = stats.chi2_contingency([[10, 20], [20, 10]], correction=False)
    assert result.statistic**2 == pytest.approx(chi2) == pytest.approx(20 / 3)
    assert result.p_value == pytest.approx(p)
    assert (result.direction, result.verdict) == ("up", "likely_change")


def test_cohens_h_matches_cohens_table():
    # Cohen (1988), ch. 6, the table of φ = 2·arcsin√p: 0.9273 at .20 and 1.5708 at .50.
    result = st.compare_proportions(10, 50, 25, 50)
    assert result.effect_size == pytest.approx(1.5708 - 0.9273, abs=1e-4)
    assert result.effect_label == "medium"
    assert st.compare_proportions(25, 50, 10, 50).direction == "down"


def test_two_proportions_without_variation():
    for k in (0, 40):
        result = st.compare_proportions(k, 40, k * 30 // 40, 30)
        assert (result.statistic, result.p_value, result.effect_size) == (0.0, 1.0, 0.0)
        assert result.direction == "none"
        _no_nan(result)
    with pytest.raises(ValueError):
        st.compare_proportions(5, 4, 1, 2)


# --------------------------------------------------------------------------- Welch


def test_welch_matches_the_published_example_and_scipy():
    result = st.compare_means(WELCH_A1, WELCH_A2)
    assert result.statistic == pytest.approx(2.46, abs=5e-3)  # after − before, so positive
    assert result.p_value == pytest.approx(0.021, abs=5e-4)
    reference = stats.ttest_ind(WELCH_A2, WELCH_A1, equal_var=False)
    assert result.statistic == pytest.approx(reference.statistic)
    assert result.p_value == pytest.approx(reference.pvalue)
    n1, n2 = len(WELCH_A1), len(WELCH_A2)
    v1, v2 = np.var(WELCH_A1, ddof=1), np.var(WELCH_A2, ddof=1)
    d = (np.mean(WELCH_A2) - np.mean(WELCH_A1)) / math.sqrt(
        ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
    )
    assert result.effect_size == pytest.approx(d)
    assert (result.effect_label, result.direction, result.verdict) == ("large", "up", "too_few")


def test_mean_change_interval_matches_scipy():
    before, after = _likert(3, 30), _likert(4, 25, low=2)
    change = st.mean_change(st.describe(before), st.describe(after))
    interval = stats.ttest_ind(after, before, equal_var=False).confidence_interval(0.95)
    assert change.difference == pytest.approx(np.mean(after) - np.mean(before))
    assert (change.ci_low, change.ci_high) == (
        pytest.approx(interval.low),
        pytest.approx(interval.high),
    )
    assert st.mean_change(st.describe([]), st.describe([1, 2])) == st.MeanChange(None, None, None)
    assert st.mean_change(st.describe([2]), st.describe([1, 2])) == st.MeanChange(-0.5, None, None)


def test_welch_without_variation():
    same = st.compare_means([3] * 20, [3] * 20)
    assert (same.statistic, same.p_value, same.effect_size) == (0.0, 1.0, 0.0)
    assert (same.direction, same.verdict) == ("none", "could_be_chance")
    apart = st.compare_means([3] * 20, [4] * 20)
    assert (apart.statistic, apart.p_value, apart.effect_size) == (None, 0.0, None)
    assert (apart.effect_label, apart.direction, apart.verdict) == ("large", "up", "likely_change")
    assert st.mean_change(st.describe([3] * 20), st.describe([4] * 20)) == st.MeanChange(1, 1, 1)
    # One wave without variation: t = difference / (s₂/√n₂) with n₂ − 1 degrees of freedom.
    varied = _likert(5, 20)
    one_flat = st.compare_means([3] * 20, varied)
    _no_nan(one_flat)
    t = (np.mean(varied) - 3) / (np.std(varied, ddof=1) / math.sqrt(20))
    assert one_flat.statistic == pytest.approx(t)
    assert one_flat.p_value == pytest.approx(2 * stats.t.sf(abs(t), 19))


def test_welch_single_answer_wave():
    result = st.compare_means([4], [1, 2, 3])
    assert (result.statistic, result.p_value, result.direction) == (None, None, "down")
    assert result.verdict == "too_few"


# --------------------------------------------------------------------------- chi-square


def test_chi_square_matches_scipy_and_drops_empty_options():
    before = {"bus": 30, "car": 25, "bike": 0, "walk": 15}
    after = {"bus": 20, "car": 35, "walk": 25, "tram": 0}
    result = st.compare_choices(before, after)
    table = [[30, 25, 15], [20, 35, 25]]  # bike and tram: nobody, in either wave
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    assert dof == 2
    assert result.statistic == pytest.approx(chi2)
    assert result.p_value == pytest.approx(p)
    assert result.effect_size == pytest.approx(
        contingency.association(np.array(table), method="cramer", correction=False)
    )
    assert (result.n_before, result.n_after, result.direction) == (70, 80, "none")
    assert result.effect_label == "small"
    assert 0.05 < p < 0.1 and result.verdict == "could_be_chance"  # p = 0.063
    _no_nan(result)


def test_chi_square_low_expected_counts_are_too_few():
    # 100 answers a wave, but the rare options expect < 5 in 4 of 8 cells (Cochran's rule).
    result = st.compare_choices(
        {"a": 95, "b": 3, "c": 1, "d": 1}, {"a": 92, "b": 2, "c": 3, "d": 3}
    )
    assert result.p_value is not None and result.verdict == "too_few"
    fine = st.compare_choices({"a": 60, "b": 40}, {"a": 30, "b": 70})
    assert fine.verdict == "likely_change" and fine.effect_label == "medium"


def test_chi_square_single_option_and_empty_wave():
    alike = st.compare_choices({"yes": 25, "no": 0}, {"yes": 30})
    assert (alike.statistic, alike.p_value, alike.effect_size) == (0.0, 1.0, 0.0)
    assert alike.verdict == "could_be_chance"
    empty = st.compare_choices({"yes": 25}, {"yes": 0, "no": 0})
    assert (empty.n_after, empty.statistic, empty.p_value, empty.verdict) == (
        0,
        None,
        None,
        "too_few",
    )
    with pytest.raises(ValueError):
        st.compare_choices({"yes": -1}, {"yes": 3})


# --------------------------------------------------------------------------- verdicts, labels


@pytest.mark.parametrize(
    "compare",
    [
        lambda: st.compare_ordinal([], [1, 2]),
        lambda: st.compare_means([1, 2], []),
        lambda: st.compare_proportions(0, 0, 1, 2),
        lambda: st.compare_choices({}, {"a": 2}),
    ],
)
def test_empty_wave(compare):
    result = compare()
    assert (result.statistic, result.p_value, result.effect_size, result.effect_label) == (
        (None,) * 4
    )
    assert (result.direction, result.verdict) == ("none", "too_few")


def test_too_few_answers_however_strong():
    assert st.MIN_ANSWERS == 20
    strong = st.compare_ordinal([1] * 19, [5] * 40)
    assert strong.p_value < 1e-6 and strong.verdict == "too_few"
    assert st.compare_ordinal([1] * 20, [5] * 40).verdict == "likely_change"
    assert st.compare_proportions(0, 19, 19, 19).verdict == "too_few"


@pytest.mark.parametrize(
    ("test", "effect", "label"),
    [
        ("mann_whitney", 0.09, "negligible"),
        ("mann_whitney", -0.1, "small"),
        ("mann_whitney", 0.3, "medium"),
        ("mann_whitney", -0.5, "large"),
        ("welch_t", 0.19, "negligible"),
        ("welch_t", 0.2, "small"),
        ("two_proportions", -0.5, "medium"),
        ("two_proportions", 0.8, "large"),
        ("chi_square", 0.29, "small"),
        ("chi_square", 0.5, "large"),
    ],
)
def test_effect_label_thresholds(test, effect, label):
    assert st._label(test, effect) == label


# --------------------------------------------------------------------------- suppression


def test_suppression_hides_small_groups():
    groups = {"18-29": 12, "30-49": 3, "50-64": 2, "65+": 20}
    assert st.suppress_small_groups(groups) == {"18-29", "65+"}
    assert st.suppress_small_groups({"a": 5, "b": 9}) == {"a", "b"}
    assert st.suppress_small_groups({}) == set()
    assert st.suppress_small_groups({"a": 4}) == set()


def test_suppression_is_complementary_when_one_group_would_be_hidden():
    groups = {"Centre": 40, "North": 9, "South": 7, "Hills": 2}
    # Hiding Hills alone: total 58 − 40 − 9 − 7 gives it away, so South (next-smallest) goes too.
    assert st.suppress_small_groups(groups) == {"Centre", "North"}
    assert st.suppress_small_groups({"a": 3, "b": 8}) == set()
    # A tie in size: the first of the mapping is hidden.
    assert st.suppress_small_groups({"x": 0, "p": 7, "q": 7, "r": 9}) == {"q", "r"}
    assert st.suppress_small_groups(groups, minimum=10) == {"Centre"}


def test_suppression_rejects_nonsense():
    with pytest.raises(ValueError):
        st.suppress_small_groups({"a": -1})
    with pytest.raises(ValueError):
        st.suppress_small_groups({"a": 1}, minimum=0)
