"""The vectorised evaluators give what the one-by-one ones give."""

import numpy as np
import pytest

from bench.grouping.instances import clustered
from mreza.grouping import validate
from mreza.grouping.feasibility import (
    need_lookup,
    net_value,
    network_values,
    partnership_value,
    partnership_values,
    strength_lookup,
)


@pytest.fixture(scope="module")
def problem():
    return validate(clustered(400, 1))


def test_network_values_match_net_value(problem):
    rng = np.random.default_rng(0)
    nets = []
    for a in range(len(problem.areas)):
        takers = problem.need_m[problem.need_a == a]
        for size in (1, 2, 5, 12):
            if len(takers) >= size:
                nets.append((a, rng.choice(takers, size, replace=False).tolist()))
    values, hosts = network_values(problem, nets)
    for (a, mem), v, h in zip(nets, values.tolist(), hosts.tolist(), strict=True):
        want, host = net_value(problem, a, mem)
        assert v == pytest.approx(want, rel=1e-12, abs=1e-12)
        assert h == host
    assert network_values(problem, [])[0].shape == (0,)


def test_partnership_values_match_partnership_value(problem):
    needs, strengths = need_lookup(problem), strength_lookup(problem)
    parts = [
        (ln, mn, a)
        for (ln, a) in list(needs)[:300]
        for (mn, b) in list(strengths)[:40]
        if a == b and ln != mn
    ]
    assert parts
    got = partnership_values(problem, parts)
    want = [partnership_value(problem, ln, mn, a, needs, strengths) for ln, mn, a in parts]
    assert got.tolist() == pytest.approx(want, rel=1e-12, abs=1e-12)
    assert partnership_values(problem, []).shape == (0,)
