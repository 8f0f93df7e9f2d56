"""Orchestration: time budget, partnerships, networks, bounds, output formatting."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import Any

import numpy as np

from .aliases import Duals, FloatArray, IntArray, Network
from .bound import (
    CAUTIOUS,
    FAR_CELLS,
    NEAR_OPTIMAL,
    Lagrangian,
    StepRule,
    lagrangian,
    lagrangian_bound,
)
from .feasibility import net_value, network_values, partnership_values
from .local_search import improve
from .networks_heuristic import bisect, construct
from .networks_mip import build_and_solve
from .partnerships import solve_partnerships
from .problem import Problem, validate

SMALL = 300  # whole-instance LP + restricted MIP up to this size
REGION = 150  # municipalities per region in the geographic decomposition
REGION_LARGE = 1000  # the same up to LS_MAX, each solved like a mid-sized instance
LP_BOUND_MAX = 2500
LS_MAX = 20000
# Between SMALL and LP_BOUND_MAX, the shares of the network time, each of what is left: the
# Lagrangian bound, the LP rounding and its descent (then the local search)
MID_SHARES = (0.35, 0.75)
ROUND_HOSTS = 400


def default_time_limit(n: int) -> float:
    return 5.0 if n <= 200 else 30.0 if n <= 2000 else 120.0


def _value(problem: Problem, nets: Iterable[Network]) -> float:
    return float(network_values(problem, list(nets))[0].sum())


# MIP stages after the LP: (hosts with y above, share of the time left, all members or not)
SMALL_STAGES: list[tuple[float, float, bool]] = [(0.5, 0.4, True), (0.2, 0.6, False)]
# a quick first Lagrangian (trivial multipliers): long steps, early halving
QUICK = StepRule(theta=1.0, stall=5, theta_min=1e-3)


def subproblem(problem: Problem, munis: IntArray) -> Problem:
    """The network problem restricted to `munis` (sorted global indices), same areas and
    parameters; municipality k of the result is munis[k]."""
    munis = np.sort(np.asarray(munis, dtype=np.int64))
    pos = np.full(problem.n, -1, dtype=np.int64)
    pos[munis] = np.arange(len(munis))
    keep = pos[problem.need_m] >= 0
    skeep = pos[problem.str_m] >= 0
    return Problem(
        ids=[problem.ids[i] for i in munis.tolist()],
        lat=problem.lat[munis],
        lon=problem.lon[munis],
        areas=problem.areas,
        need_m=pos[problem.need_m[keep]],
        need_a=problem.need_a[keep],
        need_v=problem.need_v[keep],
        str_m=pos[problem.str_m[skeep]],
        str_a=problem.str_a[skeep],
        str_v=problem.str_v[skeep],
        params=problem.params,
    )


def _host_first(problem: Problem, nets: Iterable[Network]) -> list[Network]:
    out = []
    for a, mem in nets:
        _, h = net_value(problem, a, mem)
        out.append((a, [h] + [m for m in mem if m != h]))
    return out


def solve_small(
    problem: Problem,
    warm: list[Network],
    deadline: float,
    seed: int,
    mult_out: list[tuple[FloatArray, FloatArray]] | None = None,
) -> tuple[list[Network], float, float | None]:
    """Networks of a whole (small) problem: a quick Lagrangian bound, the LP relaxation over
    the columns it prices near zero (a fraction of the full LP, and in practice its optimum),
    then two MIPs warm-started from the best so far: the hosts the LP opens (y > 0.5) with
    all their members, then the hosts with y > 0.2 with the LP's and the Lagrangian's
    members. Returns (networks, value, bound or None); the bound is the Lagrangian at the
    better of the trivial and the LP-dual multipliers."""
    n = problem.n
    start = time.monotonic()
    total = max(0.05, deadline - start)
    best = _host_first(problem, warm)
    best_val = _value(problem, warm)
    # listing the subproblems may take longer than the 8 % of the steps on a loaded machine;
    # without them the run would fall back to the construction
    lag = lagrangian(
        problem,
        start + 0.08 * total,
        best_val,
        k_near=n,
        max_iter=400,
        steps=QUICK,
        build_deadline=start + 0.3 * total,
    )
    if lag is None or lag.terms is None:
        return best, best_val, None if lag is None else lag.bound
    bound = lag.bound
    if mult_out is not None:
        mult_out.append((lag.lam, lag.mu))
    cand = lag.terms.candidates(lag.lam, lag.mu, host_slack=0.05, member_slack=0.05, per_host=25)
    for a, mem in best:
        cand[(a, mem[0])] = sorted(set(cand.get((a, mem[0]), [])) | set(mem[1:]))
    cap = np.full(n, problem.params.max_networks_per_municipality)
    allm = np.arange(n)
    lp_end = start + 0.45 * total
    lp = build_and_solve(
        problem, allm, cap, set(), lp_end - time.monotonic(), relax=True, seed=seed, hosts=cand
    )
    # per stage: (area, host) pairs that may open, each with its members (None: any), and the
    # share of the time left
    stages: list[tuple[dict[tuple[int, int], list[int] | None], float]] = []
    if lp.optimal and lp.y is not None and lp.members is not None and lp.x is not None:
        # the rounding alone is poor, but a descent from it is usually the best start for the
        # MIPs below: the LP's networks are where the optimum's are
        rounded = round_lp(problem, lp.y, lp.members, lp.x)
        descent_end = time.monotonic() + 0.25 * (deadline - time.monotonic())
        rounded = _host_first(problem, improve(problem, rounded, descent_end, seed, perturb=False))
        rounded_val = _value(problem, rounded)
        if rounded_val > best_val + 1e-9:
            best, best_val = rounded, rounded_val
        for thr, share, full_members in SMALL_STAGES:
            stages.append(
                (
                    {
                        k: None if full_members else sorted(set(lp.members[k]) | set(cand[k]))
                        for k, v in lp.y.items()
                        if v > thr
                    },
                    share,
                )
            )
        if lp.duals is not None:
            lam, mu = _collapse_duals(problem, lp.duals)
            lag2 = lagrangian(
                problem,
                min(deadline, time.monotonic() + 0.05 * total),
                best_val,
                k_near=n,
                max_iter=200,
                duals=(lam, mu),
            )
            if lag2 is not None and lag2.bound < bound:
                bound = lag2.bound
                if mult_out is not None:
                    mult_out.append((lag2.lam, lag2.mu))
    else:
        stages = [(dict(cand), 1.0)]
    for hosts, share in stages:
        for a, mem in best:
            key = (a, mem[0])
            if key not in hosts:
                hosts[key] = list(mem[1:])
            else:
                listed = hosts[key]
                if listed is not None:
                    hosts[key] = sorted(set(listed) | set(mem[1:]))
        left = share * (deadline - time.monotonic())
        if left < 0.02:
            break
        res = build_and_solve(problem, allm, cap, set(), left, warm=best, hosts=hosts, seed=seed)
        if res.networks:
            val = _value(problem, res.networks)
            if val > best_val + 1e-9:
                best, best_val = _host_first(problem, res.networks), val
    if time.monotonic() < deadline - 0.02:
        nets = improve(problem, best, deadline, seed)
        val = _value(problem, nets)
        if val > best_val + 1e-9:
            best, best_val = _host_first(problem, nets), val
    return best, best_val, bound


def round_lp(
    problem: Problem,
    y: dict[tuple[int, int], float],
    members: dict[tuple[int, int], list[int]],
    x: dict[tuple[int, int], list[float]],
    min_y: float = 0.1,
) -> list[Network]:
    """Networks read off an LP solution of the host-based model: (area, host) pairs by
    decreasing y, each taking its free members by decreasing x / y (those above one half,
    then the next best up to `min_size`); pairs that cannot reach `min_size` are skipped."""
    p = problem.params
    lo, hi = p.min_size, p.max_size
    left = np.full(problem.n, p.max_networks_per_municipality)
    taken: set[tuple[int, int]] = set()  # (municipality, area)
    nets: list[Network] = []
    for key in sorted(y, key=lambda k: (-y[k], k)):
        yv = y[key]
        if yv < min_y:
            break
        a, h = key
        if left[h] <= 0 or (h, a) in taken:
            continue
        free = sorted(
            (-(xv / yv), m)
            for m, xv in zip(members[key], x[key], strict=True)
            if left[m] > 0 and (m, a) not in taken
        )
        pick = [m for r, m in free[: hi - 1] if -r > 0.5]
        if len(pick) < lo - 1:
            pick = [m for _r, m in free[: lo - 1]]
        if len(pick) < lo - 1:
            continue
        mem = [h, *pick]
        if net_value(problem, a, mem)[0] <= 0:
            continue
        for m in mem:
            left[m] -= 1
            taken.add((m, a))
        nets.append((a, mem))
    return _host_first(problem, nets)


def _collapse_duals(problem: Problem, duals: Duals) -> Duals:
    """LP row prices as Lagrangian multipliers (a municipality without a row price gets its
    best need); with one network per municipality the largest area price moves onto the
    municipality price (`_collapse_start`)."""
    lam, mu = dict(duals[0]), dict(duals[1])
    seen = {m for m, _a in mu}
    for m, v in zip(problem.need_m.tolist(), problem.need_v.tolist(), strict=True):
        if m not in seen and m not in lam:
            lam[m] = max(lam.get(m, 0.0), v)
    return _collapse_start(problem, lam, mu)


def solve_networks(
    problem: Problem, deadline: float, seed: int
) -> tuple[list[Network], float | None, bool]:
    """Returns (networks, bound or None, proven optimal)."""
    n = problem.n
    if n == 0 or problem.params.max_networks_per_municipality == 0:
        return [], 0.0, True
    if n <= SMALL:
        nets, val, bound = solve_small(problem, construct(problem), deadline, seed)
        if bound is None:
            bound = lagrangian_bound(problem, deadline + 0.5, val)
        optimal = bound is not None and val >= bound - 1e-6 * max(1.0, abs(bound))
        return nets, bound, optimal
    if n <= LP_BOUND_MAX:
        return solve_mid(problem, deadline, seed)
    # up to LS_MAX, regions of the mid-sized kind (LP rounding); beyond, small ones
    region_size = REGION_LARGE if n <= LS_MAX else REGION
    regions = bisect(problem.xyz, np.arange(n), max(1, math.ceil(n / region_size)))
    # each region is constructed on its own sub-problem (construct() on the whole instance
    # sorts all its needs: 600 regions of a 100,000 instance took 30 s that way)
    nets_by_region: list[list[Network] | None] = [None] * len(regions)
    # 40 % (30 % above LS_MAX) for the local search and the bound
    region_share = 0.6 if n <= LS_MAX else 0.7
    bound_time = (1.0 - region_share) * (deadline - time.monotonic())
    work_end = deadline - bound_time
    rng = np.random.default_rng(seed)
    duals: Duals = ({}, {})
    order = rng.permutation(len(regions)).tolist()
    for done, i in enumerate(order):
        left = work_end - time.monotonic()
        if left < 0.3:
            break
        per = max(0.3, min(6.0 * region_size / REGION, left / (len(order) - done)))
        munis = np.sort(regions[i])
        sub = subproblem(problem, munis)
        mult: list[tuple[FloatArray, FloatArray]] = []
        if sub.n > SMALL:
            nets_i, _, _ = solve_mid(sub, time.monotonic() + per, seed, mult_out=mult)
        else:
            nets_i, _, _ = solve_small(
                sub, construct(sub), time.monotonic() + per, seed, mult_out=mult
            )
        nets_by_region[i] = [(a, [int(munis[k]) for k in mem]) for a, mem in nets_i]
        if mult:
            lam_i, mu_i = mult[-1]
            # zeros too: a municipality left out would get the trivial multiplier
            duals[0].update({int(munis[k]): float(v) for k, v in enumerate(lam_i.tolist())})
            if problem.params.max_networks_per_municipality > 1:
                na = len(problem.areas)
                for km, v in enumerate(mu_i.tolist()):
                    if v > 0:
                        duals[1][(int(munis[km // na]), km % na)] = float(v)
    # regions not reached before the deadline: one construction over all of them
    unreached = [regions[i] for i, part in enumerate(nets_by_region) if part is None]
    nets = [net for part in nets_by_region if part is not None for net in part]
    if unreached:
        nets += construct(problem, subset=np.concatenate(unreached))
    # local search across the region borders (its neighbour lists scan an area's networks,
    # too slow beyond LS_MAX municipalities)
    if n <= LS_MAX:
        ls_end = time.monotonic() + 0.5 * (deadline - time.monotonic())
        nets = improve(problem, nets, ls_end, seed, perturb=False)
    val = _value(problem, nets)
    lag = network_lagrangian(problem, deadline, val, duals)
    return nets, trivial_bound(problem) if lag is None else lag.bound, False


def solve_mid(
    problem: Problem,
    deadline: float,
    seed: int,
    mult_out: list[tuple[FloatArray, FloatArray]] | None = None,
) -> tuple[list[Network], float | None, bool]:
    """Networks of a mid-sized instance (SMALL to LP_BOUND_MAX municipalities): the
    construction, the Lagrangian bound from trivial multipliers (every needy member listed),
    the LP over the columns it prices near zero, rounded and improved by a descent, then the
    local search with perturbations for the time left. Returns (networks, bound, optimal);
    the Lagrangian multipliers go into `mult_out`."""
    nets = construct(problem)
    val = _value(problem, nets)
    lag_end = time.monotonic() + MID_SHARES[0] * (deadline - time.monotonic())
    lag = network_lagrangian(problem, lag_end, val, ({}, {}))
    if lag is None:
        return improve(problem, nets, deadline, seed), trivial_bound(problem), False
    if mult_out is not None:
        mult_out.append((lag.lam, lag.mu))
    if lag.terms is not None and time.monotonic() < deadline - 0.5:
        round_end = time.monotonic() + MID_SHARES[1] * (deadline - time.monotonic())
        nets, val, rounded = round_globally(problem, nets, val, lag, round_end, seed)
        # the LP did not finish: the restricted MIP instead, if there is time to build it
        if not rounded and deadline - time.monotonic() > 3.0:
            final = 0.1 * (deadline - time.monotonic())
            nets, val = repair_globally(problem, nets, val, lag, deadline - final, seed)
    nets = improve(problem, nets, deadline, seed)
    val = _value(problem, nets)
    optimal = val >= lag.bound - 1e-6 * max(1.0, abs(lag.bound))
    return nets, lag.bound, optimal


def round_globally(
    problem: Problem,
    nets: list[Network],
    val: float,
    lag: Lagrangian,
    deadline: float,
    seed: int,
) -> tuple[list[Network], float, bool]:
    """The LP relaxation of the whole instance over the columns that the multipliers price
    near zero (plus the current networks), rounded (`round_lp`) and improved by a descent,
    kept if better. A descent from this rounding beats the descent from the construction and
    the restricted MIP (which rarely finds a better incumbent in the time). Returns
    (networks, value, whether the LP was solved)."""
    if lag.terms is None:
        return nets, val, False
    start = time.monotonic()
    # a small LP (it must finish, at most ROUND_HOSTS (area, host) pairs): the rounding and the
    # descent do the rest
    cand = lag.terms.candidates(
        lag.lam, lag.mu, host_slack=0.01, member_slack=0.01, per_host=15, max_hosts=ROUND_HOSTS
    )
    for a, mem in _host_first(problem, nets):
        cand[(a, mem[0])] = sorted(set(cand.get((a, mem[0]), [])) | set(mem[1:]))
    n = problem.n
    caps = np.full(n, problem.params.max_networks_per_municipality)
    lp = build_and_solve(
        problem,
        np.arange(n),
        caps,
        set(),
        0.75 * (deadline - start),
        relax=True,
        seed=seed,
        hosts=cand,
    )
    if not (lp.optimal and lp.y is not None and lp.members is not None and lp.x is not None):
        return nets, val, False
    rounded = round_lp(problem, lp.y, lp.members, lp.x)
    rounded = improve(problem, rounded, deadline, seed, perturb=False)
    rounded_val = _value(problem, rounded)
    if rounded_val > val + 1e-9:
        return rounded, rounded_val, True
    return nets, val, True


def trivial_bound(problem: Problem) -> float:
    """Each municipality brings at most its `max_networks_per_municipality` largest needs: a
    valid (loose) bound when the Lagrangian had no time left."""
    cap = problem.params.max_networks_per_municipality
    order = np.lexsort((-problem.need_v, problem.need_m))
    m, v = problem.need_m[order], problem.need_v[order]
    first = np.searchsorted(m, m, side="left")
    rank = np.arange(len(m)) - first
    return float(v[rank < cap].sum())


def repair_globally(
    problem: Problem,
    nets: list[Network],
    val: float,
    lag: Lagrangian,
    deadline: float,
    seed: int,
) -> tuple[list[Network], float]:
    """Re-solve the whole instance, warm-started, over the (area, host) pairs and members
    that the Lagrangian multipliers price near zero (plus those of the current solution):
    this joins networks across the region borders of the decomposition."""
    if lag.terms is None:  # no (area, host) subproblem at all: nothing to re-solve
        return nets, val
    cand = lag.terms.candidates(lag.lam, lag.mu, host_slack=0.05, member_slack=0.05, per_host=25)
    warm = []
    for a, mem in nets:
        _, h = net_value(problem, a, mem)
        others = [m for m in mem if m != h]
        cand[(a, h)] = sorted(set(cand.get((a, h), [])) | set(others))
        warm.append((a, [h, *others]))
    n = problem.n
    caps = np.full(n, problem.params.max_networks_per_municipality)
    res = build_and_solve(
        problem,
        np.arange(n),
        caps,
        set(),
        deadline - time.monotonic(),
        warm=warm,
        seed=seed,
        hosts=cand,
    )
    if res.networks:
        new_val = _value(problem, res.networks)
        if new_val > val + 1e-9:
            return res.networks, new_val
    return nets, val


def network_lagrangian(
    problem: Problem, deadline: float, val: float, duals: Duals
) -> Lagrangian | None:
    """Lagrangian bound polished by subgradient steps from the better of two starts: the
    regions' multipliers (`duals`; a municipality without one gets the trivial multiplier,
    its best need), and every multiplier raised to at least that best need. The second is
    usually better: at 10,000 municipalities the regions' multipliers give 13,594 where the
    raised ones give 6,668 (their regions' own bounds add up to 6,278), because the members
    across a region's border are priced for another region's networks.
    Up to LP_BOUND_MAX municipalities every needy member is listed (no far bound)."""
    n = problem.n
    if time.monotonic() >= deadline:
        return None
    priced = set(duals[0]) | {m for m, _a in duals[1]}
    seen = {m for m, _a in duals[1]}
    regional: dict[int, float] = dict(duals[0])
    raised: dict[int, float] = dict(duals[0])
    for m, v in zip(problem.need_m.tolist(), problem.need_v.tolist(), strict=True):
        if m not in priced:
            regional[m] = max(regional.get(m, 0.0), v)
        if m not in seen:
            raised[m] = max(raised.get(m, 0.0), v)
    starts = [_collapse_start(problem, raised, duals[1])]
    if duals[0]:
        starts.append(_collapse_start(problem, regional, duals[1]))
    # the float32 search reads short lists (bound.SHORT_W), so up to LS_MAX a longer list
    # (a tighter far-member term) costs little
    k_near = n if n <= LP_BOUND_MAX else 120 if n <= LS_MAX else 30
    steps = NEAR_OPTIMAL if n <= LP_BOUND_MAX else FAR_CELLS if n <= LS_MAX else CAUTIOUS
    return lagrangian(
        problem, deadline, val, k_near=k_near, duals=starts[0], steps=steps, alt=starts[1:]
    )


def _collapse_start(
    problem: Problem, lam: dict[int, float], mu: dict[tuple[int, int], float]
) -> Duals:
    """With one network each, moving the largest area price onto the municipality price
    lowers the constant term and every reduced profit: a tighter bound."""
    if problem.params.max_networks_per_municipality != 1:
        return dict(lam), dict(mu)
    out = dict(lam)
    top: dict[int, float] = {}
    for (m, _a), v in mu.items():
        top[m] = max(top.get(m, 0.0), v)
    for m, v in top.items():
        out[m] = out.get(m, 0.0) + v
    return out, {}


def solve_problem(
    problem: Problem, time_limit: float | None = None, seed: int = 0
) -> dict[str, Any]:
    t0 = time.monotonic()
    limit = default_time_limit(problem.n) if time_limit is None else float(time_limit)
    end = t0 + max(0.2, 0.88 * limit - 0.35)  # leave room for start-up and output
    parts, _pobj, pbound = solve_partnerships(problem, t0 + 0.4 * (end - t0))
    nets, nbound, nopt = solve_networks(problem, end, seed)
    ids, areas = problem.ids, problem.areas
    values, hosts = network_values(problem, nets)
    net_total = float(values.sum())
    out_nets = [
        {"area": areas[a], "host": ids[host], "members": sorted(ids[m] for m in mem)}
        for (a, mem), host in zip(nets, hosts.tolist(), strict=True)
    ]
    out_nets.sort(key=lambda x: (x["area"], x["host"]))
    out_parts = [{"learner": ids[ln], "mentor": ids[mn], "area": areas[a]} for ln, mn, a in parts]
    out_parts.sort(key=lambda x: (x["learner"], x["area"]))
    part_total = float(partnership_values(problem, parts).sum())
    if pbound is not None:
        pbound = max(pbound, part_total)  # identical up to float rounding when proven
    if nbound is not None:
        nbound = max(nbound, net_total) if nopt else nbound
    proven_parts = pbound is not None and part_total >= pbound - 1e-6 * max(1.0, abs(pbound))
    return {
        "networks": out_nets,
        "partnerships": out_parts,
        "objective": {
            "networks": net_total,
            "partnerships": part_total,
            "total": net_total + part_total,
        },
        "bound": {"networks": nbound, "partnerships": pbound},
        "status": "optimal" if (nopt and proven_parts) else "feasible",
        "seconds": round(time.monotonic() - t0, 3),
    }


def solve(data: object, time_limit: float | None = None, seed: int = 0) -> dict[str, Any]:
    """Validate `data` and return the solution dict described in the package docstring."""
    return solve_problem(validate(data), time_limit=time_limit, seed=seed)
