"""The path for mid-sized instances: the Lagrangian bound, the LP rounding, the global repair."""

import math
import random
import time

import numpy as np
import pytest

from mreza.grouping import bound as bound_module
from mreza.grouping import check_feasibility, solve
from mreza.grouping.bound import lagrangian, lagrangian_bound
from mreza.grouping.problem import validate
from mreza.grouping.solver import SMALL, _value, repair_globally, round_globally

from .conftest import brute_networks, muni


def random_instance(n, seed, areas=8):
    rnd = random.Random(seed)
    ms = []
    for i in range(n):
        chosen = rnd.sample([f"A{k}" for k in range(areas)], rnd.randint(1, 3))
        ms.append(
            muni(
                f"m{i:04d}",
                rnd.uniform(42.6, 45.2),
                rnd.uniform(15.8, 19.6),
                {a: round(rnd.uniform(0.1, 1), 2) for a in chosen},
            )
        )
    return {"municipalities": ms, "params": {}}


@pytest.mark.parametrize("seed", range(4))
def test_lagrangian_bound_is_never_below_the_optimum(seed):
    rnd = random.Random(seed)
    ms = [
        muni(
            f"m{i}",
            rnd.uniform(43, 45),
            rnd.uniform(16, 19),
            {a: round(rnd.uniform(0.1, 1), 2) for a in rnd.sample(["A", "B"], rnd.randint(1, 2))},
        )
        for i in range(7)
    ]
    data = {"municipalities": ms, "params": {"min_size": 2, "max_size": 3}}
    problem = validate(data)
    bound = lagrangian_bound(problem, time.monotonic() + 5, 0.0, k_near=problem.n)
    assert bound >= brute_networks(data) - 1e-9
    # with only the nearest members listed, the far-member term keeps it a bound
    assert (
        lagrangian_bound(problem, time.monotonic() + 5, 0.0, k_near=2)
        >= brute_networks(data) - 1e-9
    )


def poor_start(problem):
    """One network of the first members needing each area."""
    start = []
    taken = set()
    for a in range(len(problem.areas)):
        members = [m for m in problem.need_csr[:, [a]].nonzero()[0].tolist() if m not in taken][:6]
        if len(members) == 6:
            taken.update(members)
            start.append((a, members))
    return start


@pytest.mark.parametrize("repair", [repair_globally, round_globally])
def test_global_repair_keeps_a_feasible_solution_and_never_loses_value(repair):
    data = random_instance(SMALL + 60, seed=3)
    problem = validate(data)
    lag = lagrangian(problem, time.monotonic() + 3, 0.0, k_near=problem.n)
    start = poor_start(problem)
    before = _value(problem, start)
    nets, val, *_ = repair(problem, start, before, lag, time.monotonic() + 5, seed=0)
    assert val >= before
    assert math.isclose(val, _value(problem, nets))
    assert val <= lag.bound + 1e-6
    used = [m for _a, mem in nets for m in mem]
    assert len(used) == len(set(used))  # one network per municipality
    assert all(problem.need_csr[m, a] > 0 for a, mem in nets for m in mem)
    assert all(6 <= len(mem) <= 12 for _a, mem in nets)


def test_mid_sized_instance_is_feasible_with_a_valid_bound():
    data = random_instance(SMALL + 100, seed=7)
    out = solve(data, time_limit=8, seed=1)
    assert check_feasibility(data, out) == []
    assert out["bound"]["networks"] is not None
    assert out["bound"]["networks"] >= out["objective"]["networks"] - 1e-6
    assert np.isfinite(out["objective"]["total"])


def test_short_lists_give_the_exact_value_and_subgradient(monkeypatch):
    """The float32 search reads short lists per (area, host) where that is exact; the value
    and the subgradient must be those of the whole rows, near and far from the reference."""
    problem = validate(random_instance(SMALL + 60, seed=5, areas=4))
    lag = lagrangian(problem, time.monotonic() + 2, 0.0, k_near=problem.n, max_iter=30)
    terms = lag.terms
    assert terms.NB.shape[1] > bound_module.SHORT_W + terms.hi  # the short path applies
    rng = np.random.default_rng(0)
    for scale in (0.0, 0.01, 0.05, 0.3):
        lam = np.maximum(lag.lam + rng.normal(0.0, scale, problem.n), 0.0)
        short = terms.evaluate(lam, lag.mu, np.float32, subgradient=True)
        monkeypatch.setattr(bound_module, "SHORT_W", 10**9)
        whole = terms.evaluate(lam, lag.mu, np.float32, subgradient=True)
        monkeypatch.undo()
        assert short[0] == whole[0]
        assert np.array_equal(short[1], whole[1])
