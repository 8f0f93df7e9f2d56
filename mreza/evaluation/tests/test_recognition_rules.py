"""The pure recognition rules: places and ties, the minimum compared, only a rise counts, the
tie-breaker, and scores of different scales placed on 0–100."""

import pytest

from mreza.evaluation.recognition import Reason, Scale, figures, rank

CLASSIC = Scale(0, 100)
MATURITY = Scale(0, 4)
BOTH = {"1.1": CLASSIC, "1.2": CLASSIC}


def places(ranking):
    return {s.key: s.place for s in ranking.standings}


def test_the_highest_value_comes_first_and_wins():
    ranking = rank({"a": 55, "b": 70.5, "c": 60})
    assert [s.key for s in ranking.standings] == ["b", "c", "a"]
    assert places(ranking) == {"b": 1, "c": 2, "a": 3}
    assert ranking.winners == ("b",) and ranking.awarded and ranking.compared == 3


def test_equal_values_share_the_place_and_the_next_place_is_skipped():
    ranking = rank({"a": 70, "b": 70, "c": 60, "d": 60, "e": 50})
    assert places(ranking) == {"a": 1, "b": 1, "c": 3, "d": 3, "e": 5}
    assert ranking.winners == ("a", "b")
    assert all(s.shared for s in ranking.standings if s.key in "abcd")
    assert not ranking.of("e").shared


def test_values_tie_exactly_whatever_their_number_type():
    exact = rank({"a": 70.0, "b": 70, "c": 69.99, "d": 69.99000001})
    assert places(exact) == {"a": 1, "b": 1, "d": 3, "c": 4}


def test_fewer_than_three_compared_award_nobody():
    ranking = rank({"a": 90, "b": 80, "c": None})
    assert ranking.reason == Reason.TOO_FEW and not ranking.awarded
    assert ranking.winners == () and ranking.compared == 2
    assert places(ranking) == {"a": None, "b": None}  # the numbers are still listed, unplaced
    assert rank({"a": 90, "b": 80, "c": 70}).awarded


def test_the_minimum_can_be_changed():
    assert rank({"a": 1, "b": 2}, minimum=2).winners == ("b",)
    assert rank({"a": 1, "b": 2, "c": 3}, minimum=4).reason == Reason.TOO_FEW


def test_only_a_rise_counts_as_an_improvement():
    ranking = rank({"a": 12.5, "b": 0, "c": -4, "d": 3}, positive_only=True)
    assert places(ranking) == {"a": 1, "d": 2, "b": None, "c": None}
    assert ranking.compared == 4 and ranking.winners == ("a",)


def test_nobody_improved_awards_nobody_and_says_why():
    ranking = rank({"a": 0, "b": -1, "c": -2}, positive_only=True)
    assert ranking.reason == Reason.NO_RISE and ranking.winners == ()


def test_the_tie_breaker_orders_a_tie_when_every_member_of_it_has_a_value():
    rises = {"a": 0.2, "b": 0.6, "c": None, "d": 0.1}
    ranking = rank({"a": 70, "b": 70, "d": 50}, tie_breaker=rises.get)
    assert places(ranking) == {"b": 1, "a": 2, "d": 3}
    assert ranking.of("b").by_tie_breaker and not ranking.of("b").shared
    assert ranking.winners == ("b",)


def test_the_tie_stays_shared_when_one_member_has_no_survey():
    rises = {"a": 0.2, "b": None}
    ranking = rank({"a": 70, "b": 70, "d": 50}, tie_breaker=rises.get)
    assert places(ranking) == {"a": 1, "b": 1, "d": 3}
    assert not ranking.of("a").by_tie_breaker


def test_equal_tie_breakers_share_the_place():
    ranking = rank({"a": 70, "b": 70, "c": 70}, tie_breaker={"a": 1, "b": 1, "c": 2}.get)
    assert places(ranking) == {"c": 1, "a": 2, "b": 2}
    assert ranking.of("a").shared and not ranking.of("c").shared


def test_the_tie_breaker_is_asked_only_about_ties():
    asked = []

    def breaker(key):
        asked.append(key)
        return 1.0

    rank({"a": 70, "b": 60, "c": 60, "d": 10}, tie_breaker=breaker)
    assert sorted(asked) == ["b", "c"]


def test_top_keeps_the_first_places_and_every_tie_at_the_last():
    values = {f"m{i}": 100 - i for i in range(12)} | {"tied": 91}  # m9 is 91 too
    ranking = rank(values, top=10)
    assert [s.place for s in ranking.standings][-2:] == [10, 10]
    assert {s.key for s in ranking.standings} == {f"m{i}" for i in range(10)} | {"tied"}
    assert rank({"a": 1, "b": 2}, top=10).standings == ()


def test_figures_are_means_on_the_scale_and_on_0_to_100():
    found = figures(
        ["1.1", "1.2"],
        {"1.1": 60, "1.2": 70},
        {"1.1": 50, "1.2": 50},
        BOTH,
    )
    assert found.score == 65 and found.share == 65 and found.scale == CLASSIC
    assert found.baseline == 50 and found.delta == 15 and found.share_delta == 15
    assert found.improved


def test_a_maturity_scale_is_normalised_so_it_compares_with_classic_scoring():
    eloge = figures(["1.1"], {"1.1": 3}, {"1.1": 2}, {"1.1": MATURITY})
    caf = figures(["1.1"], {"1.1": 75}, {"1.1": 60}, {"1.1": CLASSIC})
    assert (eloge.score, eloge.delta, eloge.scale) == (3, 1, MATURITY)
    assert eloge.share == 75 and eloge.share_delta == 25
    assert caf.share == 75 and caf.share_delta == 15
    ranking = rank({"eloge": eloge.share_delta, "caf": caf.share_delta, "x": 5}, positive_only=True)
    assert ranking.winners == ("eloge",)
    best = rank({"eloge": eloge.share, "caf": caf.share, "x": 10})
    assert best.winners == ("eloge", "caf")  # 3 of 0–4 and 75 of 0–100 are equal


def test_a_1_to_5_scale_starts_at_its_lowest_value():
    assert figures(["x"], {"x": 1}, {}, {"x": Scale(1, 5)}).share == 0
    assert figures(["x"], {"x": 4}, {}, {"x": Scale(1, 5)}).share == 75


def test_subcriteria_on_different_scales_are_averaged_on_0_to_100():
    found = figures(["a", "b"], {"a": 2, "b": 50}, {}, {"a": MATURITY, "b": CLASSIC})
    assert found.scale == Scale(0, 100) and found.score == found.share == 50


def test_a_missing_score_or_scale_means_not_compared():
    assert figures(["1.1", "1.2"], {"1.1": 60, "1.2": None}, {}, BOTH) is None
    assert figures(["1.1"], {"1.1": 60}, {}, {}) is None
    assert figures([], {"1.1": 60}, {}, {"1.1": CLASSIC}) is None


def test_without_a_full_baseline_there_is_a_result_but_no_improvement():
    found = figures(["a", "b"], {"a": 60, "b": 70}, {"a": 50}, {"a": CLASSIC, "b": CLASSIC})
    assert found.score == 65 and found.delta is None and found.share_delta is None
    assert not found.improved


def test_a_scale_must_rise_and_values_must_be_numbers():
    with pytest.raises(ValueError):
        Scale(5, 5)
    with pytest.raises(TypeError):
        rank({"a": True, "b": 1, "c": 2})
    with pytest.raises(ValueError):
        rank({"a": float("nan"), "b": 1, "c": 2})
