"""Orchestration: time budget, partnerships, networks, bounds, output formatting."""

from __future__ import annotations

import math
import time

import numpy as np

from .bound import CAUTIOUS, NEAR_OPTIMAL, Lagrangian, lagrangian, lagrangian_bound
from .feasibility import need_lookup, net_value, partnership_value, strength_lookup
from .networks_heuristic import bisect, construct
from .networks_mip import build_and_solve
from .partnerships import solve_partnerships
from .problem import Problem, validate

SMALL = 300  # whole-instance LP + restricted MIP up to this size
REGION = 150  # municipalities per region in the geographic decomposition
REGION_MID = 250  # the same up to LP_BOUND_MAX, where a global repair follows
LP_BOUND_MAX = 2500


def default_time_limit(n: int) -> float:
    return 5.0 if n <= 200 else 30.0 if n <= 2000 else 120.0


def _value(problem: Problem, nets) -> float:
    return float(sum(net_value(problem, a, mem)[0] for a, mem in nets))


def solve_subset(problem: Problem, munis: np.ndarray, warm, time_limit: float, seed: int,
                 lp_bound: bool = False, full: bool = False, duals_out: tuple[dict, dict] | None = None,
                 lp_share: float = 0.4):
    """LP relaxation, then the MIP restricted to hosts the LP uses (y > 0.2) or the warm
    start uses; with `full`, then the unrestricted MIP (warm-started) for the time left.
    Returns (networks, value, bound or None); LP duals go into `duals_out`."""
    t_end = time.monotonic() + time_limit
    cap = np.full(len(munis), problem.params.max_networks_per_municipality)
    lp = build_and_solve(problem, munis, cap, set(), max(0.05, lp_share * time_limit), relax=True, seed=seed)
    hosts: dict = {k: None for k, v in (lp.y or {}).items() if v > 0.2}
    if duals_out is not None and lp.optimal and lp.duals is not None:
        duals_out[0].update(lp.duals[0])
        duals_out[1].update(lp.duals[1])
    warm_val = _value(problem, warm)
    warm_hosts = []
    for a, mem in warm:
        _, h = net_value(problem, a, mem)
        warm_hosts.append((a, [h] + [m for m in mem if m != h]))
        hosts[(a, h)] = None
    left = t_end - time.monotonic()
    best, best_val = warm_hosts, warm_val
    if left > 0.02 and hosts:
        res = build_and_solve(problem, munis, cap, set(), left, warm=warm_hosts, hosts=hosts, seed=seed)
        if res.networks:
            val = _value(problem, res.networks)
            if val > best_val + 1e-9:
                best, best_val = res.networks, val
    lpv = lp.objective if (lp_bound and lp.optimal and lp.y is not None) else None
    left = t_end - time.monotonic()
    if full and left > 0.05 and (lpv is None or best_val < lpv - 1e-6 * max(1.0, abs(lpv))):
        res = build_and_solve(problem, munis, cap, set(), left, warm=best, seed=seed)
        if res.networks:
            val = _value(problem, res.networks)
            if val > best_val + 1e-9:
                best, best_val = res.networks, val
        if lp_bound and res.bound is not None:
            lpv = res.bound if lpv is None else min(lpv, res.bound)
    return best, best_val, lpv


def solve_networks(problem: Problem, deadline: float, seed: int):
    """Returns (networks, bound or None, proven optimal)."""
    n = problem.n
    if n == 0 or problem.params.max_networks_per_municipality == 0:
        return [], 0.0, True
    start = time.monotonic()
    if n <= SMALL:
        warm = construct(problem)
        nets, val, lpv = solve_subset(problem, np.arange(n), warm, deadline - start, seed,
                                      lp_bound=True, full=True)
        bound = lpv
        if bound is None:
            bound = lagrangian_bound(problem, deadline + 0.5, val)
        optimal = bound is not None and val >= bound - 1e-6 * max(1.0, abs(bound))
        return nets, bound, optimal
    mid = n <= LP_BOUND_MAX
    k = max(1, math.ceil(n / (REGION_MID if mid else REGION)))
    regions = bisect(problem.xyz, np.arange(n), k)
    nets_by_region = [construct(problem, subset=r) for r in regions]
    # mid-sized instances keep half the time for the bound and the global repair below
    bound_time = (0.55 if mid else 0.2) * (deadline - time.monotonic())
    work_end = deadline - bound_time
    rng = np.random.default_rng(seed)
    duals: tuple[dict, dict] = ({}, {})
    order = rng.permutation(len(regions)).tolist()
    for done, i in enumerate(order):
        left = work_end - time.monotonic()
        if left < 0.3:
            break
        per = max(0.3, min(6.0, left / (len(order) - done)))
        nets_i, _, _ = solve_subset(problem, regions[i], nets_by_region[i], per, seed, duals_out=duals)
        nets_by_region[i] = nets_i
    nets = [net for part in nets_by_region for net in part]
    val = _value(problem, nets)
    if not mid:
        lag = network_lagrangian(problem, deadline, val, duals)
        return nets, None if lag is None else lag.bound, False
    lag_end = time.monotonic() + 0.3 * (deadline - time.monotonic())
    lag = network_lagrangian(problem, lag_end, val, duals)
    if lag is None:
        return nets, None, False
    if lag.terms is not None and time.monotonic() < deadline - 0.5:
        nets, val = repair_globally(problem, nets, val, lag, deadline, seed)
    optimal = val >= lag.bound - 1e-6 * max(1.0, abs(lag.bound))
    return nets, lag.bound, optimal


def repair_globally(problem: Problem, nets, val: float, lag, deadline: float, seed: int):
    """Re-solve the whole instance, warm-started, over the (area, host) pairs and members
    that the Lagrangian multipliers price near zero (plus those of the current solution):
    this joins networks across the region borders of the decomposition."""
    cand = lag.terms.candidates(lag.lam, lag.mu, host_slack=0.05, member_slack=0.05, per_host=25)
    warm = []
    for a, mem in nets:
        _, h = net_value(problem, a, mem)
        others = [m for m in mem if m != h]
        cand[(a, h)] = sorted(set(cand.get((a, h), [])) | set(others))
        warm.append((a, [h] + others))
    n = problem.n
    caps = np.full(n, problem.params.max_networks_per_municipality)
    res = build_and_solve(problem, np.arange(n), caps, set(), deadline - time.monotonic(),
                          warm=warm, seed=seed, hosts=cand)
    if res.networks:
        new_val = _value(problem, res.networks)
        if new_val > val + 1e-9:
            return res.networks, new_val
    return nets, val


def network_lagrangian(problem: Problem, deadline: float, val: float, duals) -> Lagrangian | None:
    """Lagrangian bound at the regional LP duals (municipalities of unsolved regions
    get the trivial multiplier: their best need), polished by subgradient steps.
    Up to LP_BOUND_MAX municipalities every needy member is listed (no far bound)."""
    n = problem.n
    if time.monotonic() >= deadline:
        return None
    lam, mu = dict(duals[0]), dict(duals[1])
    seen = {m for m, _a in mu}
    for m, v in zip(problem.need_m.tolist(), problem.need_v.tolist(), strict=True):
        if m not in seen:
            lam[m] = max(lam.get(m, 0.0), v)
    if problem.params.max_networks_per_municipality == 1:
        # with one network each, moving the largest area price onto the municipality price
        # lowers the constant term and every reduced profit: a tighter bound
        top: dict[int, float] = {}
        for (m, _a), v in mu.items():
            top[m] = max(top.get(m, 0.0), v)
        for m, v in top.items():
            lam[m] = lam.get(m, 0.0) + v
        mu = {}
    k_near = n if n <= LP_BOUND_MAX else 30
    steps = NEAR_OPTIMAL if n <= LP_BOUND_MAX else CAUTIOUS
    return lagrangian(problem, deadline, val, k_near=k_near, duals=(lam, mu), steps=steps)


def solve_problem(problem: Problem, time_limit: float | None = None, seed: int = 0) -> dict:
    t0 = time.monotonic()
    limit = default_time_limit(problem.n) if time_limit is None else float(time_limit)
    end = t0 + max(0.2, 0.88 * limit - 0.35)  # leave room for start-up and output
    parts, pobj, pbound = solve_partnerships(problem, t0 + 0.4 * (end - t0))
    nets, nbound, nopt = solve_networks(problem, end, seed)
    ids, areas = problem.ids, problem.areas
    out_nets = []
    net_total = 0.0
    for a, mem in nets:
        val, host = net_value(problem, a, mem)
        net_total += val
        out_nets.append({"area": areas[a], "host": ids[host], "members": sorted(ids[m] for m in mem)})
    out_nets.sort(key=lambda x: (x["area"], x["host"]))
    out_parts = [{"learner": ids[ln], "mentor": ids[mn], "area": areas[a]} for ln, mn, a in parts]
    out_parts.sort(key=lambda x: (x["learner"], x["area"]))
    needs, strengths = need_lookup(problem), strength_lookup(problem)
    part_total = float(sum(partnership_value(problem, ln, mn, a, needs, strengths) for ln, mn, a in parts))
    if pbound is not None:
        pbound = max(pbound, part_total)  # identical up to float rounding when proven
    if nbound is not None:
        nbound = max(nbound, net_total) if nopt else nbound
    proven_parts = pbound is not None and part_total >= pbound - 1e-6 * max(1.0, abs(pbound))
    return {
        "networks": out_nets,
        "partnerships": out_parts,
        "objective": {"networks": net_total, "partnerships": part_total, "total": net_total + part_total},
        "bound": {"networks": nbound, "partnerships": pbound},
        "status": "optimal" if (nopt and proven_parts) else "feasible",
        "seconds": round(time.monotonic() - t0, 3),
    }


def solve(data: dict, time_limit: float | None = None, seed: int = 0) -> dict:
    """Validate `data` and return the solution dict described in the package docstring."""
    return solve_problem(validate(data), time_limit=time_limit, seed=seed)
