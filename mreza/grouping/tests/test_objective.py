"""Objective and optimality on hand-made instances with a known optimum."""

import math

import pytest

from mreza.grouping import check_feasibility, solve
from mreza.grouping.geo import haversine

from .conftest import brute_networks, brute_partnerships, muni


def test_haversine_known_distance():
    # Sarajevo - Banja Luka is about 141 km great-circle (185 km by road)
    assert 1.38 < float(haversine(43.8563, 18.4131, 44.7722, 17.1910)) < 1.43
    assert float(haversine(10, 20, 10, 20)) == 0.0


def test_single_network_value_and_host():
    ms = [muni(f"m{i}", 44.0, 17.0 + 0.1 * i, {"A": 0.5}) for i in range(3)]
    data = {"municipalities": ms, "params": {"min_size": 3, "max_size": 3}}
    out = solve(data)
    assert len(out["networks"]) == 1
    net = out["networks"][0]
    assert net["host"] == "m1"  # the middle one minimises the total distance
    dist = float(haversine(44.0, 17.0, 44.0, 17.1) + haversine(44.0, 17.2, 44.0, 17.1))
    assert math.isclose(out["objective"]["networks"], 1.5 - 0.1 * dist, rel_tol=1e-9)
    assert out["status"] == "optimal"
    assert check_feasibility(data, out) == []


def test_far_member_left_out_when_it_costs_more_than_it_brings():
    ms = [muni(f"m{i}", 44.0, 17.0 + 0.01 * i, {"A": 0.5}) for i in range(2)]
    ms.append(muni("far", 60.0, 30.0, {"A": 0.5}))
    data = {"municipalities": ms, "params": {"min_size": 2, "max_size": 3}}
    out = solve(data)
    assert [n["members"] for n in out["networks"]] == [["m0", "m1"]]


def test_partnership_exact_small():
    ms = [
        muni("a", 44.0, 17.0, {"X": 0.9}, {"Y": 0.5}),
        muni("b", 44.1, 17.1, {"Y": 0.8}, {"X": 0.7}),
        muni("c", 44.2, 17.2, {"X": 0.4, "Y": 0.3}, {"X": 0.9}),
    ]
    data = {"municipalities": ms, "params": {"max_mentees_per_mentor": 1}}
    out = solve(data)
    assert math.isclose(out["objective"]["partnerships"], brute_partnerships(data), rel_tol=1e-9)
    assert check_feasibility(data, out) == []


@pytest.mark.parametrize("seed", range(6))
def test_networks_match_brute_force(seed):
    import random

    rnd = random.Random(seed)
    ms = []
    for i in range(7):
        needs = {
            a: round(rnd.uniform(0.1, 1), 2) for a in rnd.sample(["A", "B"], rnd.randint(1, 2))
        }
        ms.append(muni(f"m{i}", rnd.uniform(43, 45), rnd.uniform(16, 19), needs))
    params = {
        "min_size": 2,
        "max_size": 3,
        "distance_weight": rnd.choice([0.1, 0.3, 1.0]),
        "max_networks_per_municipality": rnd.choice([1, 2]),
    }
    data = {"municipalities": ms, "params": params}
    out = solve(data)
    assert check_feasibility(data, out) == []
    assert math.isclose(
        out["objective"]["networks"], brute_networks(data), rel_tol=1e-7, abs_tol=1e-7
    )
    assert out["bound"]["networks"] >= out["objective"]["networks"] - 1e-9


@pytest.mark.parametrize("seed", range(6))
def test_partnerships_match_brute_force(seed):
    import random

    rnd = random.Random(100 + seed)
    ms = []
    for i in range(4):
        needs = {
            a: round(rnd.uniform(0.1, 1), 2) for a in rnd.sample(["A", "B"], rnd.randint(1, 2))
        }
        strengths = {a: round(rnd.uniform(0.1, 1), 2) for a in rnd.sample(["A", "B"], 1)}
        ms.append(muni(f"m{i}", rnd.uniform(43, 45), rnd.uniform(16, 19), needs, strengths))
    params = {
        "max_partnerships_per_learner": rnd.choice([1, 2]),
        "max_mentees_per_mentor": rnd.choice([1, 2]),
        "mentor_distance_weight": rnd.choice([0.05, 0.5]),
    }
    data = {"municipalities": ms, "params": params}
    out = solve(data)
    assert check_feasibility(data, out) == []
    assert math.isclose(
        out["objective"]["partnerships"], brute_partnerships(data), rel_tol=1e-7, abs_tol=1e-7
    )
    assert out["bound"]["partnerships"] is not None


def test_empty_and_trivial_inputs():
    assert solve({"municipalities": []})["networks"] == []
    out = solve({"municipalities": [muni("x", 0, 0, {"A": 1.0})]})
    assert out["networks"] == [] and out["partnerships"] == []
    assert out["objective"]["total"] == 0.0
