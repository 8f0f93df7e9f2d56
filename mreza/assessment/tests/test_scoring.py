"""Tests for mreza.assessment.scoring (pure Python; runs without Django)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mreza.assessment import scoring
from mreza.assessment.frameworks.schema import FRAMEWORKS_DIR, iter_subcriteria, load_framework
from mreza.assessment.scoring import (
    ScoreError,
    band_for,
    check_score,
    code_key,
    combine,
    criterion_scores,
    deltas,
    divergence,
    normalised,
    panel_values,
    priority,
    propose_profile,
    total_score,
)


def _text(en):
    return {"en": en}


def _band(low, high, meaning):
    return {"range": [low, high], "meaning": _text(meaning)}


CLASSIC = {
    "code": "classic-enablers",
    "kind": "enablers",
    "method": "classic",
    "name": _text("Classic"),
    "min": 0,
    "max": 100,
    "step": 1,
    "bands": [
        _band(0, 10, "none"),
        _band(11, 30, "plan"),
        _band(31, 50, "do"),
        _band(51, 70, "check"),
        _band(71, 90, "act"),
        _band(91, 100, "pdca"),
    ],
}
FINE = {
    "code": "fine-results",
    "kind": "results",
    "method": "fine_tuned",
    "name": _text("Fine"),
    "min": 0,
    "max": 100,
    "step": 1,
    "combine": "mean",
    "dimensions": [
        {
            "code": "trends",
            "name": _text("Trends"),
            "bands": [_band(0, 49, "trend low"), _band(50, 100, "trend high")],
        },
        {"code": "targets", "name": _text("Targets")},
    ],
    "bands": [_band(0, 50, "panel low"), _band(51, 100, "panel high")],
}
HALF = {
    "code": "half",
    "kind": "enablers",
    "method": "classic",
    "name": _text("Half"),
    "min": 0,
    "max": 10,
    "step": 0.5,
    "bands": [_band(0, 10, "all")],
}
MATURITY = {
    "code": "maturity",
    "kind": "maturity",
    "method": "maturity",
    "name": _text("Maturity"),
    "min": 0,
    "max": 4,
    "step": 1,
    "bands": [_band(k, k, f"level {k}") for k in range(5)],
}
TENTHS = {
    "code": "tenths",
    "kind": "enablers",
    "method": "classic",
    "name": _text("Tenths"),
    "min": 1,
    "max": 2,
    "step": 0.1,
    "bands": [_band(1, 2, "all")],
}


def _framework(criteria, rollup=None, panel=CLASSIC):
    """A minimal framework dict: criteria = {code: [sub codes]} all on *panel*."""
    data = {
        "code": "test",
        "scoring_methods": [panel["method"]],
        "panels": [panel],
        "criteria": [
            {
                "code": code,
                "panels": {panel["method"]: panel["code"]},
                "subcriteria": [{"code": sub} for sub in subs],
            }
            for code, subs in criteria.items()
        ],
    }
    if rollup is not None:
        data["rollup"] = rollup
    return data


@pytest.fixture(scope="module")
def caf():
    return load_framework(FRAMEWORKS_DIR / "caf2020.yaml")


# --------------------------------------------------------------------------- gettext_noop


def test_gettext_noop_returns_message_unchanged():
    assert scoring.gettext_noop("Hello %(name)s") == "Hello %(name)s"


# --------------------------------------------------------------------------- panel_values


def test_panel_values_integer_scale():
    values = panel_values(CLASSIC)
    assert values[:3] == [0, 1, 2] and values[-1] == 100 and len(values) == 101
    assert all(type(v) is int for v in values)


def test_panel_values_half_steps_mix_ints_and_floats():
    values = panel_values(HALF)
    assert values[:4] == [0, 0.5, 1, 1.5] and values[-1] == 10 and len(values) == 21
    assert type(values[2]) is int and type(values[1]) is float


def test_panel_values_tenths_are_exact():
    assert panel_values(TENTHS) == [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2]


def test_panel_values_maturity():
    assert panel_values(MATURITY) == [0, 1, 2, 3, 4]


def test_panel_values_rejects_step_that_does_not_divide():
    with pytest.raises(ValueError):
        panel_values({**CLASSIC, "step": 3})


# --------------------------------------------------------------------------- check_score


@pytest.mark.parametrize(
    "raw, expected",
    [
        (55, 55),
        (55.0, 55),
        ("55", 55),
        ("55.0", 55),
        (" 55 ", 55),
        ("+55", 55),
        ("0", 0),
        ("100", 100),
        (Decimal("70"), 70),
        (Fraction(30), 30),
        ("100,0", 100),
    ],
)
def test_check_score_accepts(raw, expected):
    result = check_score(CLASSIC, raw)
    assert result == expected and type(result) is int


@pytest.mark.parametrize(
    "raw, expected", [("5,5", 5.5), ("5.5", 5.5), (7.5, 7.5), (".5", 0.5), ("0,5", 0.5), ("10", 10)]
)
def test_check_score_decimal_comma_and_half_steps(raw, expected):
    assert check_score(HALF, raw) == expected


def test_check_score_tenths_float_input():
    assert check_score(TENTHS, 1.1) == 1.1
    assert check_score(TENTHS, "1,9") == 1.9
    with pytest.raises(ScoreError):
        check_score(TENTHS, 1.15)


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "5 5",
        "1e2",
        "nan",
        "inf",
        "1.000,5",
        "1,2,3",
        "--5",
        "5-",
        "0x10",
        "1_0",
        float("nan"),
        float("inf"),
        object(),
        True,
        [5],
    ],
)
def test_check_score_not_a_number(raw):
    with pytest.raises(ScoreError) as info:
        check_score(CLASSIC, raw)
    error = info.value
    assert error.code == "invalid"
    assert error.params["min"] == 0 and error.params["max"] == 100
    assert "0" in str(error) and "100" in str(error)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_check_score_required(raw):
    with pytest.raises(ScoreError) as info:
        check_score(CLASSIC, raw)
    assert info.value.code == "required"


@pytest.mark.parametrize("raw", [-1, 101, "100.5", "-0.5", 1000, "150"])
def test_check_score_out_of_range_names_the_range(raw):
    with pytest.raises(ScoreError) as info:
        check_score(CLASSIC, raw)
    error = info.value
    assert error.code == "out_of_range"
    assert error.message == scoring.MSG_OUT_OF_RANGE
    assert str(error) == error.message % error.params
    assert "between 0 and 100" in str(error)


def test_check_score_off_step_whole_numbers():
    with pytest.raises(ScoreError) as info:
        check_score(CLASSIC, "55,5")
    error = info.value
    assert error.code == "off_step"
    assert error.params["value"] == "55,5"  # shown as the person typed it
    assert "whole number from 0 to 100" in str(error)


def test_check_score_off_step_names_neighbours():
    with pytest.raises(ScoreError) as info:
        check_score(HALF, "7.3")
    error = info.value
    assert error.code == "off_step"
    assert error.params["step"] == 0.5
    assert (error.params["lower"], error.params["upper"]) == (7, 7.5)
    assert "7.3" in str(error)


def test_check_score_with_dimension():
    assert check_score(FINE, "80", dimension="trends") == 80
    with pytest.raises(ScoreError) as info:
        check_score(FINE, "180", dimension="targets")
    assert info.value.dimension == "targets" and info.value.params["dimension"] == "targets"


def test_check_score_unknown_dimension_is_a_programming_error():
    with pytest.raises(ValueError) as info:
        check_score(FINE, "80", dimension="nope")
    assert not isinstance(info.value, ScoreError)


def test_score_error_is_value_error_with_translatable_parts():
    error = ScoreError(scoring.MSG_REQUIRED)
    assert isinstance(error, ValueError)
    assert error.params == {} and error.message % error.params == str(error)


def test_all_messages_are_english_templates():
    for name in (
        "MSG_REQUIRED",
        "MSG_NOT_A_NUMBER",
        "MSG_OUT_OF_RANGE",
        "MSG_NOT_WHOLE",
        "MSG_OFF_STEP",
        "MSG_IMPACT",
        "MSG_FEASIBILITY",
    ):
        message = getattr(scoring, name)
        assert message[0].isupper() and message.endswith(".")
        assert "{" not in message  # %-style placeholders only, as gettext expects


PANELS = [CLASSIC, HALF, MATURITY, TENTHS]


@settings(max_examples=300, deadline=None)
@given(panel=st.sampled_from(PANELS), data=st.data())
def test_property_check_score_accepts_exactly_panel_values(panel, data):
    values = panel_values(panel)
    allowed = set(values)
    candidate = data.draw(
        st.one_of(
            st.sampled_from(values),
            st.floats(min_value=-5, max_value=105, allow_nan=False),
            st.integers(min_value=-5, max_value=105),
            st.decimals(
                min_value=-5, max_value=105, places=2, allow_nan=False, allow_infinity=False
            ),
        )
    )
    try:
        result = check_score(panel, candidate)
    except ScoreError:
        accepted = False
    else:
        accepted = True
        assert result in allowed and result == float(candidate)
    assert accepted == (float(candidate) in allowed)


@settings(max_examples=200, deadline=None)
@given(panel=st.sampled_from(PANELS), data=st.data())
def test_property_every_panel_value_round_trips_as_text(panel, data):
    value = data.draw(st.sampled_from(panel_values(panel)))
    text = repr(value)
    assert check_score(panel, text) == value
    assert check_score(panel, text.replace(".", ",")) == value
    assert check_score(panel, f"  {text} ") == value


# --------------------------------------------------------------------------- band_for


@pytest.mark.parametrize(
    "value, meaning",
    [
        (0, "none"),
        (10, "none"),
        (11, "plan"),
        (30, "plan"),
        (50, "do"),
        (50.5, "do"),
        (51, "check"),
        (90, "act"),
        (90.75, "act"),
        (91, "pdca"),
        (100, "pdca"),
    ],
)
def test_band_for_classic(value, meaning):
    assert band_for(CLASSIC, value)["meaning"]["en"] == meaning


@pytest.mark.parametrize("value", [None, -1, 100.5, 1000])
def test_band_for_outside_or_missing(value):
    assert band_for(CLASSIC, value) is None


def test_band_for_dimension_bands_override_panel_bands():
    assert band_for(FINE, 49, "trends")["meaning"]["en"] == "trend low"
    assert band_for(FINE, 50, "trends")["meaning"]["en"] == "trend high"
    # a dimension without its own bands falls back to the panel bands
    assert band_for(FINE, 50, "targets")["meaning"]["en"] == "panel low"
    assert band_for(FINE, 50)["meaning"]["en"] == "panel low"


def test_band_for_without_any_bands():
    panel = {**FINE, "bands": []}
    assert band_for(panel, 50) is None
    assert band_for(panel, 50, "trends")["meaning"]["en"] == "trend high"


def test_band_for_maturity_levels():
    assert [band_for(MATURITY, k)["meaning"]["en"] for k in range(5)] == [
        f"level {k}" for k in range(5)
    ]


def test_band_for_unknown_dimension():
    with pytest.raises(ValueError):
        band_for(FINE, 10, "nope")


# --------------------------------------------------------------------------- combine / normalised


def test_combine_fine_tuned_mean():
    assert combine(FINE, {"trends": 40, "targets": 61}) == 50.5
    assert combine(FINE, {"trends": 40, "targets": 60, "extra": 0}) == 50.0


@pytest.mark.parametrize("scores", [{}, {"trends": 40}, {"trends": 40, "targets": None}])
def test_combine_fine_tuned_missing_dimension(scores):
    assert combine(FINE, scores) is None


def test_combine_four_pdca_dimensions():
    panel = {
        **FINE,
        "dimensions": [{"code": c, "name": _text(c)} for c in ("plan", "do", "check", "act")],
    }
    assert combine(panel, {"plan": 10, "do": 20, "check": 30, "act": 41}) == 25.25


def test_combine_classic_single_score():
    assert combine(CLASSIC, {"score": 55}) == 55.0
    assert isinstance(combine(CLASSIC, {"score": 55}), float)
    assert combine(CLASSIC, {"score": None}) is None
    assert combine(CLASSIC, {}) is None


def test_normalised():
    assert normalised(CLASSIC, 0) == 0.0
    assert normalised(CLASSIC, 55) == 0.55
    assert normalised(CLASSIC, 100) == 1.0
    assert normalised(MATURITY, 3) == 0.75
    assert normalised(TENTHS, 1.5) == 0.5
    assert normalised(CLASSIC, None) is None
    assert normalised(CLASSIC, 150) == 1.0 and normalised(CLASSIC, -5) == 0.0


# --------------------------------------------------------------------------- criterion / total


def test_criterion_scores_mean_of_available():
    fw = _framework({"1": ["1.1", "1.2", "1.3"], "2": ["2.1", "2.2"], "3": ["3.1"]})
    scores = {"1.1": 10, "1.2": 20, "1.3": None, "2.1": None, "2.2": None, "3.1": 55.5}
    result = criterion_scores(fw, scores, "classic")
    assert result == {"1": 15.0, "2": None, "3": 55.5}
    assert list(result) == ["1", "2", "3"]


def test_criterion_scores_empty_and_unknown_codes():
    fw = _framework({"1": ["1.1"], "2": ["2.1"]})
    assert criterion_scores(fw, {}, "classic") == {"1": None, "2": None}
    assert criterion_scores(fw, {"9.9": 50, "1.1": 0}, "classic") == {"1": 0.0, "2": None}


def test_criterion_scores_exact_means():
    fw = _framework({"1": ["1.1", "1.2", "1.3"]})
    assert criterion_scores(fw, {"1.1": 0.1, "1.2": 0.2, "1.3": 0.3}, "classic") == {"1": 0.2}


def test_criterion_scores_unknown_method():
    fw = _framework({"1": ["1.1"]})
    with pytest.raises(ValueError):
        criterion_scores(fw, {}, "fine_tuned")


def test_criterion_rollup_none():
    fw = _framework({"1": ["1.1"]}, rollup={"criterion": "none", "total": "mean_of_subcriteria"})
    assert criterion_scores(fw, {"1.1": 50}, "classic") == {"1": None}
    assert total_score(fw, {"1.1": 50}, "classic") == 50.0


def test_total_score_default_mean_of_criteria():
    fw = _framework({"1": ["1.1", "1.2", "1.3"], "2": ["2.1"]})
    scores = {"1.1": 10, "1.2": 20, "1.3": 30, "2.1": 80}
    assert total_score(fw, scores, "classic") == 50.0  # (20 + 80) / 2, not (10+20+30+80) / 4
    explicit = _framework(
        {"1": ["1.1", "1.2", "1.3"], "2": ["2.1"]}, rollup={"total": "mean_of_criteria"}
    )
    assert total_score(explicit, scores, "classic") == 50.0


def test_total_score_mean_of_subcriteria():
    fw = _framework(
        {"1": ["1.1", "1.2", "1.3"], "2": ["2.1"]}, rollup={"total": "mean_of_subcriteria"}
    )
    assert total_score(fw, {"1.1": 10, "1.2": 20, "1.3": 30, "2.1": 80}, "classic") == 35.0


def test_total_score_none_rollup_and_no_scores():
    assert (
        total_score(_framework({"1": ["1.1"]}, rollup={"total": "none"}), {"1.1": 5}, "classic")
        is None
    )
    fw = _framework({"1": ["1.1"], "2": ["2.1"]})
    assert total_score(fw, {}, "classic") is None
    assert total_score(fw, {"1.1": None, "2.1": None}, "classic") is None
    assert total_score(fw, {"1.1": None, "2.1": 40}, "classic") == 40.0


def test_caf_integration(caf):
    """The real CAF file: 9 criteria, 28 subcriteria, both methods, rollup mean of criteria."""
    subs = [sub["code"] for _c, sub, _p in iter_subcriteria(caf)]
    assert len(subs) == 28
    scores = {code: (10 * int(code.split(".")[0])) for code in subs}
    scores["4.6"] = None  # don't know
    for method in ("classic", "fine_tuned"):
        by_criterion = criterion_scores(caf, scores, method)
        assert list(by_criterion) == [str(k) for k in range(1, 10)]
        assert by_criterion == {str(k): 10.0 * k for k in range(1, 10)}
        assert total_score(caf, scores, method) == 50.0

    # every panel used by CAF accepts 0..100 in whole steps and rejects 55.5
    for _crit, _sub, panels in iter_subcriteria(caf):
        for panel in panels.values():
            assert panel_values(panel) == list(range(101))
            with pytest.raises(ScoreError):
                check_score(panel, "55,5")

    # fine-tuned enablers: mean of PDCA; fine-tuned results: mean of trends and targets
    _c, _s, panels_11 = next(iter_subcriteria(caf))
    enablers = panels_11["fine_tuned"]
    assert combine(enablers, {"plan": 40, "do": 60, "check": 20, "act": 0}) == 30.0
    assert band_for(panels_11["classic"], 30)["label"]["en"] == "Plan"
    results_panel = next(p for _c, s, p in iter_subcriteria(caf) if s["code"] == "6.1")[
        "fine_tuned"
    ]
    assert combine(results_panel, {"trends": 55, "targets": 70}) == 62.5
    for dim in results_panel["dimensions"]:
        assert band_for(results_panel, 0, dim["code"]) is not None

    profile = propose_profile(caf, scores, "classic")
    assert list(profile["needs"]) == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "3.1",
        "3.2",
        "3.3",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5",
    ]
    assert profile["needs"]["1.1"] == 0.9
    assert list(profile["strengths"]) == ["7.1", "7.2", "8.1", "8.2", "9.1", "9.2"]
    assert profile["strengths"]["9.2"] == 0.9


def test_eloge_maturity_integration():
    eloge = load_framework(FRAMEWORKS_DIR / "eloge2023.yaml")
    subs = [sub["code"] for _c, sub, _p in iter_subcriteria(eloge)]
    scores = {code: i % 5 for i, code in enumerate(subs)}
    profile = propose_profile(eloge, scores, "maturity")
    assert profile["needs"] == {code: round(1 - s / 4, 2) for code, s in scores.items() if s < 2}
    assert profile["strengths"] == {code: s / 4 for code, s in scores.items() if s >= 3}
    assert total_score(eloge, scores, "maturity") == pytest.approx(
        sum(scores.values()) / len(scores)
    )


# --------------------------------------------------------------------------- code_key


def test_code_key_natural_order():
    codes = ["2.10", "1.10", "1.9", "10.1", "1.2", "2.9", "1.1", "9.1"]
    assert sorted(codes, key=code_key) == [
        "1.1",
        "1.2",
        "1.9",
        "1.10",
        "2.9",
        "2.10",
        "9.1",
        "10.1",
    ]
    assert code_key("1.10") > code_key("1.9")


def test_code_key_mixed_text_and_numbers():
    assert sorted(["b2", "a10", "a2", "A3", "2", "10"], key=code_key) == [
        "2",
        "10",
        "a2",
        "A3",
        "a10",
        "b2",
    ]
    assert code_key(5) == code_key("5")
    assert code_key("01") != code_key("1")  # total order: ties broken by the text


@given(st.lists(st.text(alphabet="0123456789.ab", max_size=6), max_size=20))
def test_property_code_key_is_a_total_order(codes):
    once = sorted(codes, key=code_key)
    assert sorted(once, key=code_key) == once


# --------------------------------------------------------------------------- divergence


def test_divergence_fields_and_order():
    rows = divergence(
        {
            "1.1": [50, 50, 50],
            "1.2": [0, 100, None],
            "1.10": [10, 90],
            "1.9": [10, 90],
            "2.1": [None, None],
            "2.2": [],
            "3.1": [40],
            "3.2": [20, 30, 70, 80],
        }
    )
    assert [r["code"] for r in rows] == ["1.2", "1.9", "1.10", "3.2", "1.1", "3.1", "2.1", "2.2"]
    first = rows[0]
    assert first == {
        "code": "1.2",
        "n_scores": 2,
        "n_dont_know": 1,
        "min": 0,
        "max": 100,
        "range": 100,
        "mean": 50.0,
        "stdev": 50.0,
    }
    by_code = {r["code"]: r for r in rows}
    assert by_code["3.1"]["stdev"] == 0.0 and by_code["3.1"]["range"] == 0
    assert by_code["3.2"]["stdev"] == pytest.approx(math.sqrt(650))
    assert by_code["1.1"]["stdev"] == 0.0
    for code in ("2.1", "2.2"):
        row = by_code[code]
        assert row["n_scores"] == 0
        assert all(row[k] is None for k in ("min", "max", "range", "mean", "stdev"))
    assert by_code["2.1"]["n_dont_know"] == 2 and by_code["2.2"]["n_dont_know"] == 0


def test_divergence_ties_on_range_sorted_by_stdev():
    rows = divergence({"a": [0, 50, 50, 50, 100], "b": [0, 0, 100, 100], "c": [0, 100]})
    assert [r["code"] for r in rows] == ["b", "c", "a"]  # stdev 50, 50, ~31.6; b before c by code


def test_divergence_decimal_scores():
    (row,) = divergence({"1.1": [55.5, 44.5]})
    assert row["range"] == 11 and row["mean"] == 50.0 and row["stdev"] == 5.5


def test_divergence_empty():
    assert divergence({}) == []


score_lists = st.lists(
    st.one_of(st.none(), st.integers(0, 100), st.floats(0, 100, allow_nan=False)), max_size=8
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(alphabet="0123456789.", min_size=1, max_size=5), score_lists, max_size=12
    )
)
def test_property_divergence_sorted(data):
    rows = divergence(data)
    assert sorted(r["code"] for r in rows) == sorted(data)
    keys = [
        (r["range"] is None, -(r["range"] or 0), -(r["stdev"] or 0), code_key(r["code"]))
        for r in rows
    ]
    assert keys == sorted(keys)
    for row in rows:
        values = data[row["code"]]
        assert row["n_scores"] + row["n_dont_know"] == len(values)
        if row["n_scores"]:
            assert row["min"] <= row["mean"] + 1e-9 and row["mean"] <= row["max"] + 1e-9
            assert row["stdev"] >= 0 and row["stdev"] <= row["range"] / 2 + 1e-9
            assert row["range"] == pytest.approx(row["max"] - row["min"])


# --------------------------------------------------------------------------- propose_profile


def test_propose_profile_weights_and_thresholds():
    fw = _framework({"1": ["1.1", "1.2", "1.3", "1.10", "1.9"], "2": ["2.1", "2.2", "2.3"]})
    consensus = {
        "1.1": 0,
        "1.2": 49,
        "1.3": 50,
        "1.10": 70,
        "1.9": 100,
        "2.1": None,
        "2.2": 69,
        "2.3": 12,
    }
    profile = propose_profile(fw, consensus, "classic")
    assert profile == {
        "needs": {"1.1": 1.0, "1.2": 0.51, "2.3": 0.88},
        "strengths": {"1.9": 1.0, "1.10": 0.7},
    }
    assert list(profile["strengths"]) == ["1.9", "1.10"]  # natural order


def test_propose_profile_custom_thresholds_and_validation():
    fw = _framework({"1": ["1.1", "1.2"]})
    profile = propose_profile(
        fw, {"1.1": 20, "1.2": 80}, "classic", need_below=0.1, strength_from=0.9
    )
    assert profile == {"needs": {}, "strengths": {}}
    with pytest.raises(ValueError):
        propose_profile(fw, {}, "classic", need_below=0.8, strength_from=0.7)
    with pytest.raises(ValueError):
        propose_profile(fw, {}, "classic", need_below=-0.1)


def test_propose_profile_all_dont_know():
    fw = _framework({"1": ["1.1", "1.2"]})
    assert propose_profile(fw, {"1.1": None, "1.2": None}, "classic") == {
        "needs": {},
        "strengths": {},
    }
    assert propose_profile(fw, {}, "classic") == {"needs": {}, "strengths": {}}


def test_propose_profile_other_scale():
    fw = _framework({"1": ["1.1", "1.2", "1.3"]}, panel=MATURITY)
    assert propose_profile(fw, {"1.1": 0, "1.2": 1, "1.3": 3}, "maturity") == {
        "needs": {"1.1": 1.0, "1.2": 0.75},
        "strengths": {"1.3": 0.75},
    }


@settings(max_examples=200, deadline=None)
@given(
    scores=st.lists(
        st.one_of(st.none(), st.integers(0, 100), st.floats(0, 100, allow_nan=False)),
        min_size=1,
        max_size=12,
    ),
    need_below=st.floats(0, 1),
    gap=st.floats(0, 1),
)
def test_property_propose_weights_in_unit_interval(scores, need_below, gap):
    strength_from = min(1.0, need_below + gap)
    codes = [f"1.{i + 1}" for i in range(len(scores))]
    fw = _framework({"1": codes})
    profile = propose_profile(
        fw,
        dict(zip(codes, scores, strict=True)),
        "classic",
        need_below=need_below,
        strength_from=strength_from,
    )
    assert not set(profile["needs"]) & set(profile["strengths"])
    for group in ("needs", "strengths"):
        weights = profile[group]
        assert list(weights) == sorted(weights, key=code_key)
        for weight in weights.values():
            assert 0 <= weight <= 1 and round(weight, 2) == weight
    for weight in profile["needs"].values():
        assert weight >= round(1 - need_below, 2)


# --------------------------------------------------------------------------- deltas / priority


def test_deltas():
    current = {"1.10": 60, "1.9": 50, "2.1": None, "3.1": 55.5}
    previous = {"1.9": 40, "1.10": 70, "2.1": 30, "3.1": 50.2, "4.1": 10}
    result = deltas(current, previous)
    assert result == {"1.9": 10.0, "1.10": -10.0, "2.1": None, "3.1": 5.3, "4.1": None}
    assert list(result) == ["1.9", "1.10", "2.1", "3.1", "4.1"]
    assert deltas({}, {}) == {}


@pytest.mark.parametrize(
    "impact, feasibility, expected",
    [
        (1, 1, 1),
        (5, 5, 25),
        (3, 4, 12),
        ("2", " 5 ", 10),
        (4.0, 2, 8),
    ],
)
def test_priority(impact, feasibility, expected):
    assert priority(impact, feasibility) == expected


@pytest.mark.parametrize(
    "impact, feasibility, which, code",
    [
        (0, 3, "Impact", "out_of_range"),
        (6, 3, "Impact", "out_of_range"),
        (3, 0, "Feasibility", "out_of_range"),
        (3, "x", "Feasibility", "invalid"),
        (2.5, 3, "Impact", "invalid"),
        (True, 3, "Impact", "invalid"),
        (None, 3, "Impact", "invalid"),
    ],
)
def test_priority_errors(impact, feasibility, which, code):
    with pytest.raises(ScoreError) as info:
        priority(impact, feasibility)
    assert str(info.value).startswith(which)
    assert info.value.params == {"min": 1, "max": 5} and info.value.code == code


def test_module_does_not_import_django():
    import ast

    tree = ast.parse(Path(scoring.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not any(name.split(".")[0] == "django" for name in imported)
