"""Exact host-based MIP for learning networks (used whole for small instances and
on windows inside the large-neighbourhood search).

For each area a and candidate host h (a needy municipality), y_ah = 1 opens a
network hosted by h; x_ahm = 1 puts m (m != h) into it. Value of a network is
sum of needs - distance_weight * sum_m d(m, h). Because the true cost uses the
best host, any host gives a cost >= the true one, and the optimum always picks
the best host: the model is exact.

    x_ahm <= y_ah                               (link)
    (min-1) y_ah <= sum_m x_ahm <= (max-1) y_ah  (size)
    y_am + sum_h x_ahm <= 1                      (once per area)
    sum_a (y_am + sum_h x_ahm) <= cap_m          (networks per municipality)
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TypeAlias

import highspy
import numpy as np
from scipy.sparse import csc_array

from .aliases import Duals, IntArray, Network
from .geo import pair_dist
from .problem import Problem

INF = highspy.kHighsInf
PRESOLVE_OFF = False
MIP_OPTIONS: dict[str, bool | float | str] = {}

AreaHost: TypeAlias = tuple[int, int]


@dataclass
class MipResult:
    networks: list[Network]  # (area, members incl. host first)
    objective: float
    bound: float | None
    optimal: bool
    y: dict[AreaHost, float] | None = None  # relax only: (area, host) -> y
    duals: Duals | None = None  # relax only: (muni row prices, (m, a) row prices)
    members: dict[AreaHost, list[int]] | None = None  # relax only: members with x > 0
    x: dict[AreaHost, list[float]] | None = None  # relax only: their x, aligned with members


def build_and_solve(
    problem: Problem,
    munis: IntArray,
    cap: IntArray,
    blocked: set[tuple[int, int]],
    time_limit: float,
    warm: list[Network] | None = None,
    seed: int = 0,
    prune_k: int | None = None,
    gap: float = 1e-6,
    node_limit: int | None = None,
    hosts: Mapping[AreaHost, Collection[int] | None] | None = None,
    relax: bool = False,
) -> MipResult:
    """Solve the MIP over `munis` (global indices) with residual capacities `cap`
    (aligned with munis) and (municipality, area) pairs that are not allowed. `hosts`, if
    given, lists the (area, host) pairs that may open, each with the members it may take
    (None: any). `time_limit` counts from the call: building the model uses it too."""
    t_end = time.monotonic() + time_limit
    p = problem.params
    need = problem.need_csr[munis].toarray()  # (len(munis), n_areas)
    capd = {int(m): int(c) for m, c in zip(munis, cap, strict=True)}
    lo, hi = p.min_size - 1, p.max_size - 1
    dw = p.distance_weight
    cost: list[float] = []
    ycols: list[AreaHost] = []
    col = 0
    ybase: dict[AreaHost, int] = {}
    x_entries: list[tuple[int, int, int, int]] = []  # (col, a, h, m)
    for a in range(need.shape[1]):
        sel = np.nonzero(need[:, a] > 0)[0]
        cand = [
            int(munis[i])
            for i in sel
            if capd[int(munis[i])] > 0 and (int(munis[i]), a) not in blocked
        ]
        if len(cand) < p.min_size:
            continue
        cand_arr = np.asarray(cand, dtype=np.int64)
        nv = problem.need_csr[cand_arr, a].toarray().ravel()
        D = pair_dist(problem.lat, problem.lon, cand_arr, cand_arr)
        kk = len(cand) - 1 if prune_k is None else min(len(cand) - 1, prune_k)
        nearest = np.argsort(D, axis=1, kind="stable")[:, : kk + 1]
        for hi_, h in enumerate(cand):
            if hosts is not None and (a, h) not in hosts:
                continue
            listed = None if hosts is None else hosts[(a, h)]
            allowed = None if listed is None else set(listed)
            ybase[(a, h)] = col
            ycols.append((a, h))
            cost.append(nv[hi_])
            col += 1
            for mi in nearest[hi_]:
                if mi == hi_ or (allowed is not None and int(cand_arr[mi]) not in allowed):
                    continue
                x_entries.append((col, a, h, int(cand_arr[mi])))
                cost.append(nv[mi] - dw * D[hi_, mi])
                col += 1
    if not ycols:
        return MipResult([], 0.0, 0.0, True)
    n_col = col
    rows_r: list[int] = []
    rows_c: list[int] = []
    rows_v: list[float] = []
    rlo: list[float] = []
    rhi: list[float] = []
    r = 0
    members_of: dict[AreaHost, list[tuple[int, int]]] = {}  # (area, host) -> (column, member)
    in_area: dict[tuple[int, int], list[int]] = {}
    in_muni: dict[int, list[int]] = {}
    for (a, h), yc in ybase.items():
        members_of[(a, h)] = []
        in_area.setdefault((h, a), []).append(yc)
        in_muni.setdefault(h, []).append(yc)
    for xc, a, h, m in x_entries:
        yc = ybase[(a, h)]
        rows_r += [r, r]
        rows_c += [xc, yc]
        rows_v += [1.0, -1.0]
        rlo.append(-INF)
        rhi.append(0.0)
        r += 1
        members_of[(a, h)].append((xc, m))
        in_area.setdefault((m, a), []).append(xc)
        in_muni.setdefault(m, []).append(xc)
    for key, xm in members_of.items():
        yc = ybase[key]
        xcols = [xc for xc, _m in xm]
        for coef, lo_b, hi_b in ((hi, -INF, 0.0), (lo, 0.0, INF)):
            rows_r += [r] * (len(xcols) + 1)
            rows_c += [*xcols, yc]
            rows_v += [1.0] * len(xcols) + [-float(coef)]
            rlo.append(lo_b)
            rhi.append(hi_b)
            r += 1
    area_row: dict[tuple[int, int], int] = {}  # (municipality, area) -> row
    muni_row: dict[int, int] = {}
    for key, cs in in_area.items():
        area_row[key] = r
        rows_r += [r] * len(cs)
        rows_c += cs
        rows_v += [1.0] * len(cs)
        rlo.append(-INF)
        rhi.append(1.0)
        r += 1
    n_areas_of: dict[int, int] = {}
    for mm, _a in in_area:
        n_areas_of[mm] = n_areas_of.get(mm, 0) + 1
    for m, cs in in_muni.items():
        if n_areas_of[m] <= capd[m]:
            continue
        muni_row[m] = r
        rows_r += [r] * len(cs)
        rows_c += cs
        rows_v += [1.0] * len(cs)
        rlo.append(-INF)
        rhi.append(float(capd[m]))
        r += 1

    A = csc_array((rows_v, (rows_r, rows_c)), shape=(r, n_col))
    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = r
    lp.col_cost_ = -np.asarray(cost)  # HiGHS minimises
    lp.col_lower_ = np.zeros(n_col)
    lp.col_upper_ = np.ones(n_col)
    lp.row_lower_ = np.asarray(rlo, dtype=float)
    lp.row_upper_ = np.asarray(rhi, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    if not relax:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n_col
    costs = np.asarray(cost)
    for attempt in range(2):
        left = t_end - time.monotonic()
        if attempt > 0 and left < 0.05:
            break
        highs = _solver(
            lp, seed, max(0.01, left), gap, node_limit, presolve=attempt == 0 and not PRESOLVE_OFF
        )
        if warm:
            _set_warm(highs, warm, ybase, members_of, n_col)
        highs.run()
        info = highs.getInfo()
        if relax:
            xs = np.asarray(highs.getSolution().col_value, dtype=np.float64)
            ys = {key: float(xs[yc]) for key, yc in ybase.items()}
            # prices >= 0 of the maximisation
            rd = -np.asarray(highs.getSolution().row_dual, dtype=np.float64)
            duals = (
                {m: max(0.0, float(rd[i])) for m, i in muni_row.items()},
                {k: max(0.0, float(rd[i])) for k, i in area_row.items()},
            )
            ok = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
            used = {key: [m for xc, m in members_of[key] if xs[xc] > 1e-6] for key in ybase}
            xval = {
                key: [float(xs[xc]) for xc, _m in members_of[key] if xs[xc] > 1e-6] for key in ybase
            }
            return MipResult(
                [],
                -float(info.objective_function_value),
                -float(info.objective_function_value),
                ok,
                ys,
                duals,
                used,
                xval,
            )
        status = highs.getModelStatus()
        found = info.primal_solution_status != 0
        sol = np.asarray(highs.getSolution().col_value, dtype=np.float64) if found else None
        bound = -float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
        if sol is None or len(sol) != n_col:
            return MipResult([], 0.0, bound, False)
        xs = sol
        reported = -float(info.objective_function_value)
        # HiGHS 1.16 may hand back the warm start instead of the solution found in presolve
        if abs(float(costs @ xs) - reported) <= 1e-6 * (1 + abs(reported)):
            break
    nets = []
    for (a, hh), yc in ybase.items():
        if xs[yc] > 0.5:
            mem = [hh] + [m for xc, m in members_of[(a, hh)] if xs[xc] > 0.5]
            nets.append((a, mem))
    optimal = status == highspy.HighsModelStatus.kOptimal
    return MipResult(nets, float(costs @ xs), bound, optimal)


def _solver(
    lp: highspy.HighsLp,
    seed: int,
    time_limit: float,
    gap: float,
    node_limit: int | None,
    presolve: bool,
) -> highspy.Highs:
    h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy: Highs.__init__ unannotated
    h.silent()
    for key, val in MIP_OPTIONS.items():
        h.setOptionValue(key, val)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", int(seed) % 2**31)
    h.setOptionValue("time_limit", max(0.01, float(time_limit)))
    h.setOptionValue("mip_rel_gap", gap)
    if not presolve:
        h.setOptionValue("presolve", "off")
    if node_limit is not None:
        h.setOptionValue("mip_max_nodes", int(node_limit))
    h.passModel(lp)
    return h


def _set_warm(
    h: highspy.Highs,
    warm: list[Network],
    ybase: dict[AreaHost, int],
    members_of: dict[AreaHost, list[tuple[int, int]]],
    n_col: int,
) -> None:
    xw = np.zeros(n_col)
    for a, mem in warm:
        host = mem[0]
        if (a, host) not in ybase:
            return
        xw[ybase[(a, host)]] = 1.0
        want = set(mem[1:])
        got = [xc for xc, m in members_of[(a, host)] if m in want]
        if len(got) != len(want):
            return
        xw[got] = 1.0
    sol = highspy.HighsSolution()
    sol.col_value = xw.tolist()
    h.setSolution(sol)
