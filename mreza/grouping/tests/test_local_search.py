"""Local search, sub-problems and the small-instance pipeline (fast, no wall-clock asserts)."""

import time

import numpy as np

from mreza.grouping import check_feasibility, solve, validate
from mreza.grouping.feasibility import net_value
from mreza.grouping.local_search import improve
from mreza.grouping.networks_heuristic import construct
from mreza.grouping.solver import subproblem

from .conftest import brute_networks, muni


def _value(problem, nets):
    return sum(net_value(problem, a, mem)[0] for a, mem in nets)


def _random_instance(n, seed, areas=("A", "B", "C", "D"), **params):
    rng = np.random.default_rng(seed)
    ms = []
    for i in range(n):
        k = int(rng.integers(1, min(3, len(areas)) + 1))
        needs = {
            a: round(float(v), 2)
            for a, v in zip(
                rng.choice(areas, k, replace=False), rng.uniform(0.1, 1.0, k), strict=True
            )
        }
        ms.append(
            muni(f"m{i:03d}", 44 + float(rng.normal(0, 0.3)), 18 + float(rng.normal(0, 0.4)), needs)
        )
    return {"municipalities": ms, "params": params}


def _check(problem, nets):
    seen = set()
    p = problem.params
    for a, mem in nets:
        assert p.min_size <= len(mem) <= p.max_size
        for m in mem:
            assert problem.need_csr[m, a] > 0
            assert m not in seen
            seen.add(m)


def test_local_search_moves_a_municipality_to_its_better_area():
    # m0 needs A a little and B a lot; construct puts it in B only if B can open, here the
    # start solution puts it in A: moving it to B (which has room) gains 0.8.
    ms = [muni("m0", 44.0, 18.0, {"A": 0.1, "B": 0.9})]
    ms += [muni(f"a{i}", 44.0, 18.0 + 0.01 * i, {"A": 0.5}) for i in range(3)]
    ms += [muni(f"b{i}", 44.0, 18.0 - 0.01 * i, {"B": 0.5}) for i in range(2)]
    problem = validate({"municipalities": ms, "params": {"min_size": 2, "max_size": 4}})
    idx = {mid: k for k, mid in enumerate(problem.ids)}
    a, b = problem.areas.index("A"), problem.areas.index("B")
    start = [
        (a, sorted(idx[x] for x in ("m0", "a0", "a1", "a2"))),
        (b, sorted(idx[x] for x in ("b0", "b1"))),
    ]
    better = improve(problem, start, time.monotonic() + 5, perturb=False)
    _check(problem, better)
    assert _value(problem, better) > _value(problem, start) + 0.7
    assert any(area == b and idx["m0"] in mem for area, mem in better)


def test_local_search_opens_a_network_from_spare_members():
    # six municipalities need both A (weakly) and B (strongly); all start in one A network of
    # 12 with six others: they can be spared and open a B network.
    ms = [muni(f"x{i}", 44.0, 18.0 + 0.01 * i, {"A": 0.2, "B": 0.9}) for i in range(6)]
    ms += [muni(f"y{i}", 44.1, 18.0 + 0.01 * i, {"A": 0.6}) for i in range(6)]
    problem = validate({"municipalities": ms, "params": {"min_size": 6, "max_size": 12}})
    a = problem.areas.index("A")
    start = [(a, list(range(12)))]
    better = improve(problem, start, time.monotonic() + 5, perturb=False)
    _check(problem, better)
    assert len(better) == 2
    assert _value(problem, better) > _value(problem, start) + 6 * 0.7 - 1e-6


def test_local_search_never_worse_and_feasible_on_random_instances():
    for seed in range(4):
        data = _random_instance(40, seed, min_size=3, max_size=6)
        problem = validate(data)
        start = construct(problem)
        out = improve(problem, start, time.monotonic() + 0.3, seed=seed)
        _check(problem, out)
        assert _value(problem, out) >= _value(problem, start) - 1e-9


def test_local_search_reaches_the_brute_force_optimum_on_a_tiny_instance():
    data = _random_instance(9, 3, areas=("A", "B"), min_size=3, max_size=4)
    problem = validate(data)
    out = improve(problem, construct(problem), time.monotonic() + 1.0, seed=0)
    assert abs(_value(problem, out) - brute_networks(data)) < 1e-6


def test_subproblem_keeps_needs_of_the_chosen_municipalities():
    data = _random_instance(30, 1)
    problem = validate(data)
    munis = np.asarray([3, 7, 8, 20, 29])
    sub = subproblem(problem, munis)
    assert sub.ids == [problem.ids[m] for m in munis]
    assert sub.areas == problem.areas
    for k, m in enumerate(munis):
        for a in range(len(problem.areas)):
            assert sub.need_csr[k, a] == problem.need_csr[m, a]
    assert np.all(np.diff(sub.need_a) >= 0)  # still sorted by area


def test_small_pipeline_is_optimal_on_a_tiny_instance_and_feasible():
    data = _random_instance(10, 5, areas=("A", "B"), min_size=3, max_size=5)
    out = solve(data, time_limit=3)
    assert check_feasibility(data, out) == []
    assert abs(out["objective"]["networks"] - brute_networks(data)) < 1e-6
    assert out["bound"]["networks"] >= out["objective"]["networks"] - 1e-6


def test_trivial_bound_sums_the_largest_needs_per_municipality():
    from mreza.grouping.solver import trivial_bound

    ms = [muni("a", 44.0, 18.0, {"A": 0.2, "B": 0.9, "C": 0.5}), muni("b", 44.0, 18.1, {"A": 0.4})]
    one = validate({"municipalities": ms})
    two = validate({"municipalities": ms, "params": {"max_networks_per_municipality": 2}})
    assert abs(trivial_bound(one) - (0.9 + 0.4)) < 1e-12
    assert abs(trivial_bound(two) - (0.9 + 0.5 + 0.4)) < 1e-12
