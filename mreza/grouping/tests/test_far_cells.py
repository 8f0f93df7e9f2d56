"""The far-member term by cells (far.py): still an upper bound, and tighter than the old one."""

import time

import numpy as np
import pytest

from bench.grouping.instances import clustered
from mreza.grouping import far as far_module
from mreza.grouping import validate
from mreza.grouping.bound import lagrangian
from mreza.grouping.geo import haversine


@pytest.fixture(scope="module")
def problem():
    return validate(clustered(1200, 2))


def lagrangian_at(problem, lam, k_near):
    lag = lagrangian(problem, time.monotonic() + 60, 0.0, k_near=k_near, max_iter=1)
    mu = np.zeros(problem.n * len(problem.areas))
    return lag.terms, lag.terms.evaluate(lam, mu, np.float64)[0]


@pytest.mark.parametrize("spread", [0.0, 0.2, 1.0])
def test_short_lists_with_far_cells_never_undercut_the_whole_rows(problem, spread, monkeypatch):
    """At any multipliers, listing 12 members per host and bounding the rest by cells gives
    at least the value with every member listed (the exact Lagrangian value), and no more
    than one cell per area (which is already tighter than the area's best profit)."""
    rng = np.random.default_rng(1)
    best = np.zeros(problem.n)
    np.maximum.at(best, problem.need_m, problem.need_v)
    # some multipliers far below the needs: the case that made the old far term explode
    lam = np.maximum(best - rng.uniform(0.0, spread, problem.n), 0.0)
    terms, cells = lagrangian_at(problem, lam, 12)
    assert terms.far.n_cells > 2 * len(problem.areas)  # several cells per area
    _, whole = lagrangian_at(problem, lam, problem.n)
    monkeypatch.setattr(far_module, "MAX_CELLS", 1)
    _, one_cell = lagrangian_at(problem, lam, 12)
    assert whole - 1e-9 <= cells <= one_cell + 1e-9
    if spread:
        assert cells < one_cell - 1.0


def test_far_value_bounds_every_unlisted_member(problem):
    rng = np.random.default_rng(2)
    lam = rng.uniform(0.0, 1.0, problem.n)
    terms, _ = lagrangian_at(problem, lam, 12)
    entry = problem.need_v - lam[problem.need_m]
    far, who = terms.far.values(entry, problem.params.distance_weight)
    dw = problem.params.distance_weight
    for row in rng.choice(len(terms.H), 300, replace=False).tolist():
        h, a = int(terms.H[row]), int(terms.A[row])
        sel = problem.need_a == a
        members, r = problem.need_m[sel], entry[sel]
        listed = set(terms.NB[row][np.isfinite(terms.B[np.float64][row])].tolist()) | {h}
        out = np.asarray([m not in listed for m in members.tolist()])
        if not out.any():
            continue
        d = haversine(problem.lat[h], problem.lon[h], problem.lat[members], problem.lon[members])
        true = float(np.max((r - dw * d)[out]))
        assert far[row] >= true - 1e-9
        assert who[row] >= 0 and problem.need_csr[who[row], a] > 0
