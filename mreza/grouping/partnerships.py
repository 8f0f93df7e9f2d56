"""Mentoring partnerships: an exact capacitated b-matching (LP + column generation).

Edges e = (learner l, area a, mentor m) with weight
    w_e = need[l][a] * strength[m][a] - mentor_distance_weight * d(l, m).
Only w_e > 0 can improve the objective (nothing forces a partnership).

    max  sum w_e x_e
    s.t. sum_{e at l}     x_e <= max_partnerships_per_learner   (learner rows, u_l)
         sum_{e at (l,a)} x_e <= 1                              ((learner, area) rows, v_la)
         sum_{e at m}     x_e <= max_mentees_per_mentor         (mentor rows, c_m)

This is a flow network (source -> l -> (l,a) -> m -> sink): the matrix is
totally unimodular, so a simplex vertex is integral and the LP optimum is the
integer optimum. A mentor's capacity counts partnerships, so the "mentees"
limit holds under either reading (distinct learners <= partnerships).

Column generation: start from each learner's nearest and the area's strongest
mentors, solve the restricted LP (HiGHS), compute the *smallest* mentor prices
c that support the matching (Bellman-Ford-like fixed point), derive u, v from
c, and scan all (l, a, m) for positive reduced profit w - c_m - u_l - v_la.
When none is left, (u, v, c) is dual feasible for the full problem and its
objective equals the primal: a proof of optimality, returned as the bound.
Beyond EXHAUSTIVE_PAIRS candidate pairs the scan is skipped (bound None).

Every stage reads the clock (`deadline`): the candidate lists area by area, the
restricted solve (by regions above `assignment.LAP_UNITS` units, since one LAPJVsp
call cannot be interrupted), the price fixed point and the scan. At the deadline
the best assignment so far is returned. A complete scan gives a valid bound even
when columns are left: raising each v_la by its largest positive reduced profit
makes the dual feasible, so the bound is the dual value plus that sum.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

import highspy
import numpy as np
from scipy.spatial import cKDTree

from .aliases import FloatArray, IntArray
from .assignment import LAP_UNITS, assign, assign_by_regions, greedy, lap_seconds
from .geo import EARTH_RADIUS_KM, UNIT_KM
from .problem import Problem

# candidate columns: learner, area, mentor indices and weights (aligned)
Edges: TypeAlias = tuple[IntArray, IntArray, IntArray, FloatArray]
# the (learner, area) row prices, looked up by key learner * n_areas + area
RowPrices: TypeAlias = Callable[[IntArray], FloatArray]
# (learner, mentor, area) index triples
Triples: TypeAlias = list[tuple[int, int, int]]
# seconds, monotonic (tests pass a counting clock)
Clock: TypeAlias = Callable[[], float]
Expired: TypeAlias = Callable[[], bool]

EXHAUSTIVE_PAIRS = 150_000_000
CHUNK = 1_500_000
INF = highspy.kHighsInf
TOL = 1e-9
DSCALE = 2 * EARTH_RADIUS_KM / UNIT_KM


@dataclass
class PartnershipStats:
    """What a run of `solve_partnerships` did."""

    iterations: int = 0  # restricted solves (column generation rounds)
    columns: int = 0  # columns in the last restricted problem
    method: str = ""  # "assignment", "regions", "lp" or "greedy" (the last restricted solve)
    stopped: bool = False  # the deadline had passed when it returned
    proven: bool = False  # the pricing scan found no column left: optimal
    gap: float | None = None  # bound - objective (None: no bound)


def _expired(clock: Clock, deadline: float) -> Expired:
    return lambda: clock() >= deadline


def _dist_rows(A: FloatArray, B: FloatArray) -> FloatArray:
    chord2 = np.clip(2.0 - 2.0 * np.einsum("ij,ikj->ik", A, B), 0.0, 4.0)
    d: FloatArray = DSCALE * np.arcsin(np.sqrt(chord2) / 2)
    return d


def _initial(problem: Problem, k_near: int, keep: int, expired: Expired) -> Edges:
    """Candidate columns: per (l, a) the k_near nearest and the 8 strongest mentors;
    then the best `keep` per unit (learner if P == 1, else (l, a)). The areas not reached
    when `expired()` get none."""
    mdw = problem.params.mentor_distance_weight
    needs, strs = problem.area_slices("need"), problem.area_slices("strength")
    out: tuple[list[IntArray], list[IntArray], list[IntArray], list[FloatArray]] = ([], [], [], [])
    for a, ((L, nL), (M, sM)) in enumerate(zip(needs, strs, strict=True)):
        if len(L) == 0 or len(M) == 0:
            continue
        if expired():
            break
        kq = min(k_near, len(M))
        _, nb = cKDTree(problem.xyz[M]).query(problem.xyz[L], k=kq)
        nb = np.asarray(nb).reshape(len(L), kq)
        strong = np.argsort(-sM, kind="stable")[: min(8, len(M))]
        cand = np.concatenate([nb, np.broadcast_to(strong, (len(L), len(strong)))], axis=1)
        cand = np.sort(cand, axis=1)
        dup = np.zeros(cand.shape, dtype=bool)
        dup[:, 1:] = cand[:, 1:] == cand[:, :-1]
        cm = M[cand]
        W = nL[:, None] * sM[cand] - mdw * _dist_rows(problem.xyz[L], problem.xyz[cm])
        W[dup | (cm == L[:, None])] = -np.inf
        if W.shape[1] > keep:  # a unit's best `keep` are among the best `keep` of each area
            top = np.argpartition(-W, keep - 1, axis=1)[:, :keep]
            cm = np.take_along_axis(cm, top, axis=1)
            W = np.take_along_axis(W, top, axis=1)
        r, k = np.nonzero(W > 0)
        out[0].append(L[r])
        out[1].append(np.full(len(r), a, dtype=np.int64))
        out[2].append(cm[r, k])
        out[3].append(W[r, k])
    if not out[0]:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, np.zeros(0)
    el, ea, em = np.concatenate(out[0]), np.concatenate(out[1]), np.concatenate(out[2])
    ew = np.concatenate(out[3])
    if problem.params.max_partnerships_per_learner != 1:  # units are (l, a): done above
        return el, ea, em, ew
    # the best `keep` per learner over its areas: a (learner, column) table; a lexsort of
    # the 7 M columns of 100,000 municipalities took 7 s
    order = np.argsort(el, kind="stable")  # sorted runs, one per area
    ls = el[order]
    pos = np.arange(len(ls)) - np.searchsorted(ls, ls, side="left")
    width = int(pos.max(initial=-1)) + 1
    if width > keep:
        table = np.full((problem.n, width), -np.inf)
        table[ls, pos] = ew[order]
        at = np.full((problem.n, width), -1, dtype=np.int64)
        at[ls, pos] = order
        top = np.argpartition(-table, keep - 1, axis=1)[:, :keep]
        sel = np.take_along_axis(at, top, axis=1).ravel()
        sel = np.sort(sel[sel >= 0])
        el, ea, em, ew = el[sel], ea[sel], em[sel], ew[sel]
    return el, ea, em, ew


def _price(
    problem: Problem,
    c: FloatArray,
    u: FloatArray,
    v_of: RowPrices,
    have: IntArray,
    expired: Expired,
    topn: int = 4,
) -> tuple[Edges, float] | None:
    """Exhaustive scan for columns with reduced profit w - c_m - u_l - v_la > TOL
    (float32 filter with slack, exact float64 re-check): the best `topn` per (l, a) of those
    not in `have` (sorted keys, `_keys`), and the sum over (l, a) of the largest reduced
    profit (raising v_la by it makes the dual feasible for every column: the bound is the
    dual value plus that sum). None when `expired()` stops the scan."""
    na = len(problem.areas)
    mdw = problem.params.mentor_distance_weight
    needs, strs = problem.area_slices("need"), problem.area_slices("strength")
    xyz32 = problem.xyz.astype(np.float32)
    # the last list holds (weight, reduced profit) pairs
    out: tuple[list[IntArray], list[IntArray], list[IntArray], list[FloatArray]] = ([], [], [], [])
    for a, ((L, nL), (M, sM)) in enumerate(zip(needs, strs, strict=True)):
        if len(L) == 0 or len(M) == 0:
            continue
        cover = u[L] + v_of(L * na + a)
        base = (sM - c[M]).astype(np.float32)
        step = max(1, CHUNK // len(M))
        XM = xyz32[M]
        for s in range(0, len(L), step):
            if expired():
                return None
            Lr, nr, cv = L[s : s + step], nL[s : s + step], cover[s : s + step]
            # cheap necessary condition: need * s_m - c_m > cover (distance >= 0)
            if not np.any(nr * float(sM.max()) > cv + TOL):
                continue
            pre = nr[:, None].astype(np.float32) * base[None, :] - cv[:, None].astype(np.float32)
            r, k = np.nonzero(pre > -1e-4)
            if len(r) == 0:
                continue
            if len(r) > 0.2 * pre.size:  # dense: vectorised distances on the block
                chord2 = np.clip(2.0 - 2.0 * (xyz32[Lr] @ XM.T), 0.0, 4.0)
                d = np.float32(DSCALE) * np.arcsin(np.sqrt(chord2) / 2)
                r, k = np.nonzero(pre - np.float32(mdw) * d > -1e-4)
            if len(r) == 0:
                continue
            li, mi = Lr[r], M[k]
            w = nr[r] * sM[k] - mdw * _dist_rows(problem.xyz[li], problem.xyz[mi][:, None, :])[:, 0]
            red = w - c[mi] - cv[r]
            ok = (red > TOL) & (li != mi) & (w > 0)
            out[0].append(li[ok])
            out[1].append(np.full(int(ok.sum()), a, dtype=np.int64))
            out[2].append(mi[ok])
            out[3].append(np.stack([w[ok], red[ok]], axis=1))
    if not out[0] or sum(len(x) for x in out[0]) == 0:
        e = np.zeros(0, dtype=np.int64)
        return (e, e, e, np.zeros(0)), 0.0
    el, ea, em = np.concatenate(out[0]), np.concatenate(out[1]), np.concatenate(out[2])
    wr = np.concatenate(out[3])
    rows, at = np.unique(el * na + ea, return_inverse=True)
    excess = float(_seg_max(at, wr[:, 1], len(rows)).sum())
    k = _keys(problem, el, ea, em)
    pos = np.searchsorted(have, k).clip(0, max(0, len(have) - 1))
    fresh = have[pos] != k if len(have) else np.ones(len(k), dtype=bool)
    el, ea, em, wr = el[fresh], ea[fresh], em[fresh], wr[fresh]
    key = el * na + ea
    order = np.lexsort((em, -wr[:, 1], key))
    key = key[order]
    first = np.searchsorted(key, key, side="left")
    sel = order[(np.arange(len(key)) - first) < topn]
    return (el[sel], ea[sel], em[sel], wr[sel, 0]), excess


def _keys(problem: Problem, el: IntArray, ea: IntArray, em: IntArray) -> IntArray:
    """One int64 per (learner, area, mentor) column."""
    key: IntArray = (el * len(problem.areas) + ea) * problem.n + em
    return key


def _seg_max(keys: IntArray, vals: FloatArray, size: int) -> FloatArray:
    out = np.full(size, -np.inf)
    np.maximum.at(out, keys, vals)
    return out


def _min_prices(
    problem: Problem,
    el: IntArray,
    ea: IntArray,
    em: IntArray,
    ew: FloatArray,
    x: FloatArray,
    expired: Expired,
    iters: int = 5000,
) -> FloatArray:
    """Smallest mentor prices c >= 0 under which no learner envies an unused edge
    (least fixed point, Bellman-Ford style from c = 0): for every unused column
    (l, a, m), c_m >= w - cover(l, a), where cover is what l gives up to take it.
    Stopped early (by `iters` or `expired()`), c still gives a valid dual (`_duals`)."""
    n, na = problem.n, len(problem.areas)
    P, K = problem.params.max_partnerships_per_learner, problem.params.max_mentees_per_mentor
    on = x > 0.5
    off = ~on
    load = np.bincount(em[on], minlength=n)
    unsat = load < K
    la = el * na + ea
    on_l, on_la, on_m, on_w = el[on], la[on], em[on], ew[on]
    cnt = np.bincount(on_l, minlength=n)
    used = np.zeros(n * na, dtype=bool)
    used[on_la] = True
    off_l, off_la, off_m, off_w = el[off], la[off], em[off], ew[off]
    off_used = used[off_la]
    off_full = cnt[off_l] >= P
    c = np.zeros(n)
    cur = np.zeros(n * na)
    for it in range(iters):
        if it % 50 == 49 and expired():
            break
        r_on = on_w - c[on_m]
        cur[on_la] = r_on
        worst = np.full(n, np.inf)
        np.minimum.at(worst, on_l, r_on)
        cover = np.where(off_used, cur[off_la], np.where(off_full, worst[off_l], 0.0))
        c_new = np.zeros(n)
        np.maximum.at(c_new, off_m, off_w - cover)
        c_new[unsat] = 0.0
        if np.max(np.abs(c_new - c), initial=0.0) <= 1e-12:
            return c_new
        c = c_new
    return c


def _solve_lp(
    problem: Problem, el: IntArray, ea: IntArray, em: IntArray, ew: FloatArray, time_limit: float
) -> FloatArray | None:
    """The restricted LP (a vertex, so integral); None when HiGHS stops at `time_limit`."""
    n, na = problem.n, len(problem.areas)
    p = problem.params
    n_e = len(el)
    by_learner = p.max_partnerships_per_learner == 1  # then the (l, a) rows are implied
    _, la_row = np.unique(el * na + ea, return_inverse=True)
    n_la = 0 if by_learner else int(la_row.max()) + 1
    n_rows = n + n_la + n
    if by_learner:
        rows = np.stack([el, n + em], axis=1)
    else:
        rows = np.stack([el, n + la_row, n + n_la + em], axis=1)
    nnz = rows.shape[1]
    lp = highspy.HighsLp()
    lp.num_col_ = n_e
    lp.num_row_ = n_rows
    lp.col_cost_ = -ew
    lp.col_lower_ = np.zeros(n_e)
    lp.col_upper_ = np.full(n_e, INF)  # x <= 1 is implied by the learner / (l, a) row
    lp.row_lower_ = np.full(n_rows, -INF)
    lp.row_upper_ = np.concatenate(
        [
            np.full(n, float(p.max_partnerships_per_learner)),
            np.ones(n_la),
            np.full(n, float(p.max_mentees_per_mentor)),
        ]
    )
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, nnz * n_e + 1, nnz, dtype=np.int32)
    lp.a_matrix_.index_ = rows.ravel().astype(np.int32)
    lp.a_matrix_.value_ = np.ones(nnz * n_e)
    h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy: Highs.__init__ unannotated
    h.silent()
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "on")
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", max(0.01, time_limit))
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)
    if np.any(np.abs(x - np.round(x)) > 1e-6):  # pragma: no cover - TU: a vertex is integral
        return None
    return x


def _solve_restricted(
    problem: Problem,
    el: IntArray,
    ea: IntArray,
    em: IntArray,
    ew: FloatArray,
    deadline: float,
    clock: Clock,
) -> tuple[FloatArray, str, bool]:
    """The problem over the present columns: (x, method, solved exactly). When learner
    capacities reduce to unit rows (P == 1, or P >= every learner's number of needs) it is an
    assignment (LAPJVsp, by regions above LAP_UNITS units); otherwise the LP (HiGHS), and
    the greedy choice when the LP has no time."""
    p = problem.params
    na = len(problem.areas)
    P, K = p.max_partnerships_per_learner, p.max_mentees_per_mentor
    unit = None
    if P == 1:
        unit = el
    elif int(np.bincount(problem.need_m, minlength=problem.n).max(initial=0)) <= P:
        unit = el * na + ea
    if unit is not None:
        units = len(np.unique(unit))
        # one call cannot be stopped: only when it fits in the time left with room to spare
        if units <= LAP_UNITS and clock() + 2 * lap_seconds(units) < deadline:
            return assign(unit, em, ew, np.full(problem.n, K)), "assignment", True
        x, exact = assign_by_regions(unit, em, ew, el, problem.xyz, K, clock, deadline)
        return x, "regions", exact
    lp = _solve_lp(problem, el, ea, em, ew, deadline - clock())
    if lp is not None:
        return lp, "lp", True
    return greedy(el, el * na + ea, em, ew, P, K), "greedy", False


def _duals(
    problem: Problem, el: IntArray, ea: IntArray, em: IntArray, ew: FloatArray, c: FloatArray
) -> tuple[FloatArray, RowPrices, float]:
    """Dual (u, v) implied by mentor prices c (feasible for the present columns):
    u_l = P-th largest positive area best of l, v_la = max(0, best_a - u_l)."""
    n, na = problem.n, len(problem.areas)
    p = problem.params
    P, K = p.max_partnerships_per_learner, p.max_mentees_per_mentor
    la = el * na + ea
    keys, inv = np.unique(la, return_inverse=True)
    best = np.maximum(_seg_max(inv, ew - c[em], len(keys)), 0.0)
    lk = keys // na
    order = np.lexsort((-best, lk))
    lk_s = lk[order]
    rank = np.arange(len(lk_s)) - np.searchsorted(lk_s, lk_s, side="left")
    u = np.zeros(n)
    pick = rank == P - 1
    u[lk_s[pick]] = best[order][pick]
    v = np.maximum(best - u[lk], 0.0)
    bound = P * u.sum() + v.sum() + K * c.sum()

    def v_of(q: IntArray) -> FloatArray:
        if len(keys) == 0:
            return np.zeros(len(q))
        pos = np.searchsorted(keys, q).clip(0, len(keys) - 1)
        return np.where(keys[pos] == q, v[pos], 0.0)

    return u, v_of, float(bound)


def solve_partnerships(
    problem: Problem,
    deadline: float,
    clock: Clock = time.monotonic,
    stats: PartnershipStats | None = None,
) -> tuple[Triples, float, float | None]:
    """Return (sorted list of (learner, mentor, area) index triples, objective, bound or None).

    Every stage reads `clock` against `deadline`: at the deadline, column generation stops and
    the best assignment so far is returned, with the bound of the last complete pricing scan
    (None if there was none, or beyond EXHAUSTIVE_PAIRS). `stats` records what was done."""
    st = PartnershipStats() if stats is None else stats
    p = problem.params
    if p.max_partnerships_per_learner == 0 or p.max_mentees_per_mentor == 0 or problem.n < 2:
        st.gap = 0.0
        return [], 0.0, 0.0
    expired = _expired(clock, deadline)
    needs, strs = problem.area_slices("need"), problem.area_slices("strength")
    pairs = sum(len(L) * len(M) for (L, _), (M, _) in zip(needs, strs, strict=True))
    exhaustive = pairs <= EXHAUSTIVE_PAIRS
    keep = 6 if p.max_partnerships_per_learner == 1 else 4
    el, ea, em, ew = _initial(problem, 16, keep, expired)
    bound: float | None = None
    x = np.zeros(len(el))
    for _ in range(100):
        if expired():  # keep the last solution (of fewer columns), or none at all
            break
        if len(el):
            x, st.method, exact = _solve_restricted(problem, el, ea, em, ew, deadline, clock)
        else:
            exact = True
        st.iterations += 1
        st.columns = len(el)
        if not exhaustive or not exact or expired():
            break
        c = _min_prices(problem, el, ea, em, ew, x, expired) if len(el) else np.zeros(problem.n)
        u, v_of, dual = _duals(problem, el, ea, em, ew, c)
        have = np.sort(_keys(problem, el, ea, em))
        priced = _price(problem, c, u, v_of, have, expired)
        if priced is None:  # stopped by the clock: no bound from this scan
            break
        (nl, na_, nm, nw), excess = priced
        # valid for every column, whether or not the matching is optimal
        bound = dual + excess if bound is None else min(bound, dual + excess)
        if len(nl) == 0:
            st.proven = True
            break
        el, ea, em, ew = (
            np.concatenate([el, nl]),
            np.concatenate([ea, na_]),
            np.concatenate([em, nm]),
            np.concatenate([ew, nw]),
        )
        x = np.concatenate([x, np.zeros(len(nl))])
    st.stopped = expired()
    chosen = np.nonzero(x > 0.5)[0]
    obj = float(ew[chosen].sum())
    if bound is not None and bound < obj:
        bound = obj  # equal up to rounding when the certificate holds
    st.gap = None if bound is None else bound - obj
    result = sorted(zip(el[chosen].tolist(), em[chosen].tolist(), ea[chosen].tolist(), strict=True))
    return result, obj, bound
