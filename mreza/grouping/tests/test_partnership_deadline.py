"""Partnerships under a deadline: every stage reads the clock, stops, and stays feasible.

The clocks here count calls instead of reading the time, so nothing depends on the machine."""

import math

import numpy as np
import pytest

from bench.grouping.instances import clustered
from mreza.grouping import assignment, partnerships, validate
from mreza.grouping.assignment import assign, greedy
from mreza.grouping.partnerships import PartnershipStats, solve_partnerships


class CountingClock:
    """Time moves one second per reading."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return float(self.reads)


class Switch:
    """Time stands still until `stop()`, then it is past every deadline."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def stop(self) -> None:
        self.now = math.inf


@pytest.fixture(scope="module")
def problem():
    return validate(clustered(600, 3))


def assert_feasible(problem, triples):
    p = problem.params
    learners = [ln for ln, _m, _a in triples]
    mentors = [m for _l, m, _a in triples]
    assert max(np.bincount(learners, minlength=1), default=0) <= p.max_partnerships_per_learner
    assert max(np.bincount(mentors, minlength=1), default=0) <= p.max_mentees_per_mentor
    assert len({(ln, a) for ln, _m, a in triples}) == len(triples)
    assert all(ln != m for ln, m, _a in triples)


def test_unhurried_run_proves_optimality_in_several_rounds(problem):
    stats = PartnershipStats()
    triples, obj, bound = solve_partnerships(problem, 1e18, clock=Switch(), stats=stats)
    assert stats.proven and not stats.stopped and stats.iterations > 1
    assert bound == pytest.approx(obj) and stats.gap == pytest.approx(0.0, abs=1e-9)
    assert_feasible(problem, triples)


def test_tiny_deadline_stops_column_generation(problem):
    # time for the candidate lists (one reading per area) and one restricted solve, not more
    clock = CountingClock()
    stats = PartnershipStats()
    deadline = float(len(problem.areas) + 3)
    triples, obj, bound = solve_partnerships(problem, deadline, clock=clock, stats=stats)
    assert stats.stopped and not stats.proven
    assert stats.iterations == 1 and stats.method == "assignment"
    assert clock.reads <= deadline + 1  # nothing ran after the deadline but the final check
    assert bound is None and stats.gap is None  # no complete pricing scan
    assert_feasible(problem, triples)
    assert obj > 0 and obj == pytest.approx(sum(_weights(problem, triples)))


def test_deadline_before_the_candidates_gives_no_partnership_yet(problem):
    stats = PartnershipStats()
    triples, obj, bound = solve_partnerships(problem, 2.0, clock=CountingClock(), stats=stats)
    assert stats.iterations == 0 and stats.stopped
    assert triples == [] and obj == 0.0 and bound is None


def test_deadline_after_one_scan_states_a_valid_bound(problem, monkeypatch):
    """Stopped after the first pricing scan, with columns still to add: the bound is the dual
    value plus the largest reduced profits, and it is not below the optimum."""
    _, optimum, _ = solve_partnerships(problem, 1e18, clock=Switch())
    clock = Switch()
    scan = partnerships._price

    def scan_then_stop(*args, **kwargs):
        out = scan(*args, **kwargs)
        clock.stop()
        return out

    monkeypatch.setattr(partnerships, "_price", scan_then_stop)
    stats = PartnershipStats()
    triples, obj, bound = solve_partnerships(problem, 1.0, clock=clock, stats=stats)
    assert stats.stopped and stats.iterations == 1 and not stats.proven
    assert obj < optimum - 1e-6  # the first restricted problem lacks columns
    assert bound is not None and bound >= optimum - 1e-9
    assert stats.gap == pytest.approx(bound - obj)
    assert_feasible(problem, triples)


def test_regions_reach_the_exact_assignment_given_time(problem, monkeypatch):
    _, exact, _ = solve_partnerships(problem, 1e18, clock=Switch())
    monkeypatch.setattr(partnerships, "LAP_UNITS", 50)
    monkeypatch.setattr(assignment, "REGION_UNITS", 60)
    monkeypatch.setattr(assignment, "MIN_GAIN", -1.0)  # every pass, up to one region
    stats = PartnershipStats()
    triples, obj, _ = solve_partnerships(problem, 1e18, clock=Switch(), stats=stats)
    assert stats.method == "regions" and stats.proven
    assert obj == pytest.approx(exact, rel=1e-12)
    assert_feasible(problem, triples)


def test_regions_stop_between_blocks_and_stay_feasible(problem, monkeypatch):
    monkeypatch.setattr(partnerships, "LAP_UNITS", 50)
    monkeypatch.setattr(assignment, "REGION_UNITS", 60)
    blocks = []
    solve_block = assignment.assign

    def counted(*args):
        blocks.append(1)
        return solve_block(*args)

    monkeypatch.setattr(assignment, "assign", counted)
    clock = CountingClock()
    stats = PartnershipStats()
    # the candidate lists read the clock once per area; then a few blocks fit
    deadline = float(len(problem.areas) + 8)
    triples, obj, bound = solve_partnerships(problem, deadline, clock=clock, stats=stats)
    assert stats.method == "regions" and stats.stopped and not stats.proven
    assert 0 < len(blocks) < 10  # the first pass alone has 10 regions
    assert bound is None
    assert_feasible(problem, triples)
    assert obj > 0


def test_greedy_fallback_respects_every_capacity():
    rng = np.random.default_rng(5)
    n_e = 400
    learner = rng.integers(0, 40, n_e)
    area = rng.integers(0, 4, n_e)
    ment = rng.integers(0, 30, n_e)
    w = rng.uniform(-0.2, 1.0, n_e)
    x = greedy(learner, learner * 4 + area, ment, w, 2, 3)
    on = x > 0.5
    assert np.all(w[on] > 0)
    assert np.bincount(learner[on]).max() <= 2 and np.bincount(ment[on]).max() <= 3
    assert len(set(zip(learner[on], area[on], strict=True))) == int(on.sum())
    # maximal: every edge left out is blocked by a full learner, row or mentor
    for k in np.nonzero(~on & (w > 0))[0]:
        full_l = np.sum(on & (learner == learner[k])) >= 2
        full_m = np.sum(on & (ment == ment[k])) >= 3
        row = np.any(on & (learner == learner[k]) & (area == area[k]))
        assert full_l or full_m or row


def test_assign_honours_per_mentor_capacities():
    unit = np.array([0, 0, 1, 1, 2])
    ment = np.array([5, 6, 5, 6, 5])
    w = np.array([1.0, 0.9, 1.0, 0.1, 1.0])
    caps = np.zeros(7, dtype=np.int64)
    caps[5], caps[6] = 1, 1
    x = assign(unit, ment, w, caps)
    assert x.sum() == 2 and float(w @ x) == pytest.approx(1.9)


def _weights(problem, triples):
    p = problem.params
    need = dict(zip(zip(problem.need_m, problem.need_a, strict=True), problem.need_v, strict=True))
    strength = dict(zip(zip(problem.str_m, problem.str_a, strict=True), problem.str_v, strict=True))
    out = []
    for ln, mn, a in triples:
        cos = float(problem.xyz[ln] @ problem.xyz[mn])
        d = 2 * 6371.0 / 100.0 * math.asin(min(1.0, math.sqrt(max(0.0, 2 - 2 * cos)) / 2))
        out.append(need[(ln, a)] * strength[(mn, a)] - p.mentor_distance_weight * d)
    return out
