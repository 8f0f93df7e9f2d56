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
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeAlias

import highspy
import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from scipy.spatial import cKDTree

from .aliases import FloatArray, IntArray
from .geo import EARTH_RADIUS_KM, UNIT_KM
from .problem import Problem

# candidate columns: learner, area, mentor indices and weights (aligned)
Edges: TypeAlias = tuple[IntArray, IntArray, IntArray, FloatArray]
# the (learner, area) row prices, looked up by key learner * n_areas + area
RowPrices: TypeAlias = Callable[[IntArray], FloatArray]
# (learner, mentor, area) index triples
Triples: TypeAlias = list[tuple[int, int, int]]

EXHAUSTIVE_PAIRS = 150_000_000
CHUNK = 1_500_000
INF = highspy.kHighsInf
TOL = 1e-9
DSCALE = 2 * EARTH_RADIUS_KM / UNIT_KM


def _dist_rows(A: FloatArray, B: FloatArray) -> FloatArray:
    chord2 = np.clip(2.0 - 2.0 * np.einsum("ij,ikj->ik", A, B), 0.0, 4.0)
    d: FloatArray = DSCALE * np.arcsin(np.sqrt(chord2) / 2)
    return d


def _initial(problem: Problem, k_near: int, keep: int) -> Edges:
    """Candidate columns: per (l, a) the k_near nearest and the 8 strongest mentors;
    then the best `keep` per unit (learner if P == 1, else (l, a))."""
    na = len(problem.areas)
    mdw = problem.params.mentor_distance_weight
    needs, strs = problem.area_slices("need"), problem.area_slices("strength")
    out: tuple[list[IntArray], list[IntArray], list[IntArray], list[FloatArray]] = ([], [], [], [])
    for a, ((L, nL), (M, sM)) in enumerate(zip(needs, strs, strict=True)):
        if len(L) == 0 or len(M) == 0:
            continue
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
    unit = el if problem.params.max_partnerships_per_learner == 1 else el * na + ea
    order = np.lexsort((em, -ew, unit))
    unit = unit[order]
    first = np.searchsorted(unit, unit, side="left")
    sel = order[(np.arange(len(unit)) - first) < keep]
    return el[sel], ea[sel], em[sel], ew[sel]


def _price(
    problem: Problem,
    c: FloatArray,
    u: FloatArray,
    v_of: RowPrices,
    have: set[tuple[int, int, int]],
    topn: int = 4,
) -> Edges:
    """Exhaustive scan for columns with reduced profit w - c_m - u_l - v_la > TOL
    (float32 filter with slack, exact float64 re-check); the best `topn` per (l, a)."""
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
        return e, e, e, np.zeros(0)
    el, ea, em = np.concatenate(out[0]), np.concatenate(out[1]), np.concatenate(out[2])
    wr = np.concatenate(out[3])
    fresh = np.asarray(
        [(int(x), int(y), int(z)) not in have for x, y, z in zip(el, ea, em, strict=True)],
        dtype=bool,
    )
    el, ea, em, wr = el[fresh], ea[fresh], em[fresh], wr[fresh]
    key = el * na + ea
    order = np.lexsort((em, -wr[:, 1], key))
    key = key[order]
    first = np.searchsorted(key, key, side="left")
    sel = order[(np.arange(len(key)) - first) < topn]
    return el[sel], ea[sel], em[sel], wr[sel, 0]


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
    iters: int = 5000,
) -> FloatArray:
    """Smallest mentor prices c >= 0 under which no learner envies an unused edge
    (least fixed point, Bellman-Ford style from c = 0): for every unused column
    (l, a, m), c_m >= w - cover(l, a), where cover is what l gives up to take it."""
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
    for _ in range(iters):
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
    problem: Problem, el: IntArray, ea: IntArray, em: IntArray, ew: FloatArray
) -> FloatArray:
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
    h.passModel(lp)
    h.run()
    return np.asarray(h.getSolution().col_value, dtype=np.float64)


def _solve_matching(
    problem: Problem, el: IntArray, ea: IntArray, em: IntArray, ew: FloatArray
) -> FloatArray | None:
    """When learner capacities reduce to unit rows (P == 1, or P >= every learner's
    number of needs) the problem is an assignment: units x mentor slots (+ a private
    'no partner' slot per unit), solved by LAPJVsp. Returns x, or None if not applicable."""
    p = problem.params
    na = len(problem.areas)
    P, K = p.max_partnerships_per_learner, p.max_mentees_per_mentor
    if P == 1:
        unit = el
    elif int(np.bincount(problem.need_m, minlength=problem.n).max(initial=0)) <= P:
        unit = el * na + ea
    else:
        return None
    if K * len(el) > 20_000_000:
        return None
    # parallel edges (same unit and mentor in two areas): keep the better one
    order = np.lexsort((-ew, em, unit))
    dup = np.zeros(len(order), dtype=bool)
    dup[1:] = (unit[order][1:] == unit[order][:-1]) & (em[order][1:] == em[order][:-1])
    cols = order[~dup]
    units, urow = np.unique(unit[cols], return_inverse=True)
    ments, mcol = np.unique(em[cols], return_inverse=True)
    n_slots = K * len(ments)
    big = float(ew.max()) + 1.0
    rows = np.concatenate([np.repeat(urow, K), np.arange(len(units))])
    cc = np.concatenate(
        [(mcol[:, None] * K + np.arange(K)[None, :]).ravel(), n_slots + np.arange(len(units))]
    )
    data = np.concatenate([np.repeat(big - ew[cols], K), np.full(len(units), big)])
    graph = coo_array((data, (rows, cc)), shape=(len(units), n_slots + len(units))).tocsr()
    r, c = min_weight_full_bipartite_matching(graph)
    real = c < n_slots
    pick = {(int(units[i]), int(ments[j // K])) for i, j in zip(r[real], c[real], strict=True)}
    x = np.zeros(len(el))
    for k in cols.tolist():
        if (int(unit[k]), int(em[k])) in pick:
            x[k] = 1.0
    return x


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


def solve_partnerships(problem: Problem, deadline: float) -> tuple[Triples, float, float | None]:
    """Return (sorted list of (learner, mentor, area) index triples, objective, bound or None)."""
    p = problem.params
    if p.max_partnerships_per_learner == 0 or p.max_mentees_per_mentor == 0 or problem.n < 2:
        return [], 0.0, 0.0
    needs, strs = problem.area_slices("need"), problem.area_slices("strength")
    pairs = sum(len(L) * len(M) for (L, _), (M, _) in zip(needs, strs, strict=True))
    exhaustive = pairs <= EXHAUSTIVE_PAIRS
    keep = 6 if p.max_partnerships_per_learner == 1 else 4
    el, ea, em, ew = _initial(problem, 16, keep)
    if len(el) == 0 and not exhaustive:
        return [], 0.0, None
    bound = None
    x = np.zeros(0)
    for _ in range(100):
        if len(el):
            matched = _solve_matching(problem, el, ea, em, ew)
            x = _solve_lp(problem, el, ea, em, ew) if matched is None else matched
            c = _min_prices(problem, el, ea, em, ew, x)
        else:
            c = np.zeros(problem.n)
        u, v_of, dual = _duals(problem, el, ea, em, ew, c)
        if not exhaustive or time.monotonic() > deadline:
            break
        have = set(zip(el.tolist(), ea.tolist(), em.tolist(), strict=True))
        nl, na_, nm, nw = _price(problem, c, u, v_of, have)
        if len(nl) == 0:
            bound = dual
            break
        el, ea, em, ew = (
            np.concatenate([el, nl]),
            np.concatenate([ea, na_]),
            np.concatenate([em, nm]),
            np.concatenate([ew, nw]),
        )
    if len(el) == 0:
        return [], 0.0, bound
    chosen = np.nonzero(x > 0.5)[0]
    if np.any(np.abs(x - np.round(x)) > 1e-6):  # pragma: no cover - TU guarantees integrality
        return [], 0.0, None
    obj = float(ew[chosen].sum())
    if bound is not None and bound < obj:
        bound = obj  # equal up to rounding when the certificate holds
    result = sorted(zip(el[chosen].tolist(), em[chosen].tolist(), ea[chosen].tolist(), strict=True))
    return result, obj, bound
