"""Lagrangian upper bound for the network objective.

Relax "at most `cap` networks per municipality" (multipliers lam >= 0; and "once
per area" with mu >= 0 when cap > 1). The problem splits into one tiny
problem per (area, host): open or not, and if open take the host plus
min-1..max-1 members of best profit need - dw * d(m, h) - lam_m - mu_ma.

    L(lam, mu) = cap * sum lam + sum mu + sum_(a,h) max(0, v_ah(lam, mu))

is an upper bound for every lam, mu >= 0 (it equals the LP bound of the
host-based MIP at its minimum). To stay linear in size only each host's K
nearest needy municipalities are listed; all farther ones are replaced by
(max_size - 1) copies of an optimistic "far member" whose profit is the best
(need - lam - mu) of the area minus dw * (distance of the K-th neighbour), so
the value stays a valid bound. Multipliers follow Polyak subgradient steps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, TypeVar, overload

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from .aliases import Duals, FloatArray, IntArray
from .far import FarCells
from .geo import chord_to_dist, haversine
from .problem import Problem

Float32Array: TypeAlias = NDArray[np.float32]
# the subgradient search runs in float32, the reported bound in float64
Precision: TypeAlias = type[np.float32] | type[np.float64]
SearchArray: TypeAlias = NDArray[np.floating[Any]]
_F = TypeVar("_F", np.float32, np.float64)


@dataclass(frozen=True)
class StepRule:
    """Polyak subgradient steps: start at `theta`, halve after `stall` steps without
    progress, stop below `theta_min`."""

    theta: float = 1.0
    stall: int = 10
    theta_min: float = 1e-3


# From good (LP) multipliers and a small gap, long steps converge fastest; with the far-member
# approximation the gap is large and long steps overshoot, so start short and keep going.
NEAR_OPTIMAL = StepRule()
CAUTIOUS = StepRule(theta=0.01, stall=20, theta_min=1e-4)
# With 120 members listed and the cells' far term (far.py), the gap is small enough for longer
# steps (10,000 municipalities: 6,329 after 6.6 s, against 6,432 with CAUTIOUS, where it stops).
# With 30 listed (above 20,000) longer steps still overshoot: CAUTIOUS.
FAR_CELLS = StepRule(theta=0.1, stall=20, theta_min=1e-5)


def lagrangian_bound(
    problem: Problem,
    deadline: float,
    target: float,
    k_near: int = 30,
    max_iter: int = 3000,
    duals: Duals | None = None,
) -> float | None:
    """Best Lagrangian value found (a valid upper bound), starting from LP `duals` if given."""
    result = lagrangian(problem, deadline, target, k_near, max_iter, duals)
    return None if result is None else result.bound


@dataclass
class Lagrangian:
    bound: float
    lam: FloatArray
    mu: FloatArray
    terms: _Terms | None


def lagrangian(
    problem: Problem,
    deadline: float,
    target: float,
    k_near: int = 30,
    max_iter: int = 3000,
    duals: Duals | None = None,
    steps: StepRule = NEAR_OPTIMAL,
    build_deadline: float | None = None,
    alt: list[Duals] | None = None,
) -> Lagrangian | None:
    """The best multipliers found and their (exact) Lagrangian value; None when listing the
    subproblems is not done by `build_deadline` (default: `deadline`). The search starts
    from `duals` (default: the trivial multipliers) or from the best of `alt`, if lower."""
    n0 = np.zeros(problem.n)
    p = problem.params
    cap = p.max_networks_per_municipality
    if cap == 0 or problem.n == 0:
        return Lagrangian(0.0, n0, n0, None)
    lo, hi = p.min_size - 1, p.max_size - 1
    dw = p.distance_weight
    hosts: list[IntArray] = []
    areas: list[IntArray] = []
    hneed: list[FloatArray] = []
    nbs: list[IntArray] = []
    base: list[FloatArray] = []
    slices = problem.area_slices("need")
    far = FarCells(problem, sum(len(C) for C, _nv in slices if len(C) >= p.min_size))
    for a, (C, nv) in enumerate(slices):
        if len(C) < p.min_size:
            continue
        k = min(len(C), max(k_near, hi + 1))
        dist_c, idx = cKDTree(problem.xyz[C]).query(problem.xyz[C], k=k)
        idx = np.asarray(idx).reshape(len(C), k)
        dist_c = np.asarray(dist_c).reshape(len(C), k)
        nb = C[idx]
        d = haversine(
            problem.lat[C][:, None], problem.lon[C][:, None], problem.lat[nb], problem.lon[nb]
        )
        b = nv[idx] - dw * d
        b[nb == C[:, None]] = -np.inf
        nb = np.where(nb == C[:, None], 0, nb)
        hosts.append(C)
        areas.append(np.full(len(C), a))
        hneed.append(nv)
        nbs.append(nb)
        base.append(b)
        far.add(a, C, chord_to_dist(dist_c[:, -1]) if k < len(C) else None)
        if time.monotonic() > (deadline if build_deadline is None else build_deadline):
            return None
    if not hosts:
        return Lagrangian(0.0, n0, n0, None)
    H, A, HN = np.concatenate(hosts), np.concatenate(areas), np.concatenate(hneed)
    width = max(b.shape[1] for b in base)
    NB = np.concatenate([np.pad(x, ((0, 0), (0, width - x.shape[1]))) for x in nbs])
    B = np.concatenate(
        [np.pad(x, ((0, 0), (0, width - x.shape[1])), constant_values=-np.inf) for x in base]
    )
    far.finish()
    use_mu = cap > 1 or any(bool(d[1]) for d in [duals, *(alt or [])] if d is not None)
    lam, mu = _start(problem, duals)
    terms = _Terms(problem, H, A, HN, NB, B, far, cap, lo, hi, use_mu)
    if alt:
        value = terms.evaluate(lam, mu, np.float32)[0]
        for other in alt:
            lam2, mu2 = _start(problem, other)
            value2 = terms.evaluate(lam2, mu2, np.float32)[0]
            if value2 < value:
                lam, mu, value = lam2, mu2, value2
    # The search runs in float32 (a partial sort is 5x faster than in float64); the bound
    # reported is the exact float64 value at the best multipliers found.
    best, best_lam, best_mu = np.inf, lam, mu
    theta, stall = steps.theta, 0
    step_time = 0.0  # the longest step so far: the exact evaluation at the end costs about 2
    for _ in range(max_iter):
        t_step = time.monotonic()
        L, g, gmu = terms.evaluate(lam, mu, np.float32, subgradient=True)
        if best - 1e-9 > L:
            best, best_lam, best_mu, stall = L, lam, mu, 0
        else:
            stall += 1
            if stall >= steps.stall:
                theta, stall = theta / 2, 0
        now = time.monotonic()
        step_time = max(step_time, now - t_step)
        if now + 3 * step_time > deadline or theta < steps.theta_min or best <= target + 1e-9:
            break
        # gmu is None exactly when the "once per area" rows are not relaxed (not use_mu)
        norm = float(g @ g) + (float(gmu @ gmu) if gmu is not None else 0.0)
        if norm <= 0:
            break
        step = theta * max(L - target, 1e-6 * abs(L)) / norm
        lam = np.maximum(lam - step * g, 0.0)
        if gmu is not None:
            mu = np.maximum(mu - step * gmu, 0.0)
    return Lagrangian(terms.evaluate(best_lam, best_mu, np.float64)[0], best_lam, best_mu, terms)


def _start(problem: Problem, duals: Duals | None) -> tuple[FloatArray, FloatArray]:
    """Multipliers as arrays (lam per municipality, mu per municipality * n_areas + area);
    without `duals`, the trivial ones (each municipality's best need)."""
    na = len(problem.areas)
    lam = np.zeros(problem.n)
    mu = np.zeros(problem.n * na)
    if duals is None:
        np.maximum.at(lam, problem.need_m, problem.need_v)
        return lam, mu
    for m, v in duals[0].items():
        lam[m] = v
    for (m, a), v in duals[1].items():
        mu[m * na + a] = v
    return lam, mu


# Rows listed in the float32 search: the SHORT_W best by reduced profit at reference multipliers
SHORT_W = 48
# rebuild the short lists when more rows than this share are not exact at the multipliers
SHORT_REBUILD = 0.25


@dataclass
class _ShortTop:
    """The `hi` best reduced profits of every row, read from the short lists where that is
    exact and from the whole row elsewhere (rows `full`)."""

    top: Float32Array
    cols: IntArray  # short lists: column indices into the rows of NB / B
    red: Float32Array  # short lists: reduced profits
    full: IntArray  # rows read whole
    red_full: Float32Array  # their reduced profits, all columns

    def members(self, rows: IntArray, cut: FloatArray, NB: IntArray) -> tuple[IntArray, IntArray]:
        """Members of `rows` whose reduced profit is at least the row's `cut`, and the
        position in `rows` of each."""
        full_at = np.full(len(self.top), -1, dtype=np.int64)
        full_at[self.full] = np.arange(len(self.full))
        pos = np.arange(len(rows))
        part_s, part_f = full_at[rows] < 0, full_at[rows] >= 0
        out_m: list[IntArray] = []
        out_r: list[IntArray] = []
        for part, short in ((part_s, True), (part_f, False)):
            sub = rows[part]
            if len(sub) == 0:
                continue
            vals = self.red[sub] if short else self.red_full[full_at[sub]]
            sel = (vals >= cut[sub, None].astype(np.float32)) & np.isfinite(vals)
            r_idx, c_idx = np.nonzero(sel)
            col = self.cols[sub[r_idx], c_idx] if short else c_idx
            out_m.append(NB[sub[r_idx], col])
            out_r.append(pos[part][r_idx])
        if not out_m:
            e = np.zeros(0, dtype=np.int64)
            return e, e
        return np.concatenate(out_m), np.concatenate(out_r)


class _Terms:
    """The (area, host) subproblems, evaluated together for given multipliers."""

    def __init__(
        self,
        problem: Problem,
        H: IntArray,
        A: IntArray,
        HN: FloatArray,
        NB: IntArray,
        B: FloatArray,
        far: FarCells,
        cap: int,
        lo: int,
        hi: int,
        use_mu: bool,
    ) -> None:
        self.problem, self.H, self.A, self.HN, self.NB, self.far = problem, H, A, HN, NB, far
        self.B: dict[Precision, SearchArray] = {np.float64: B, np.float32: B.astype(np.float32)}
        self.cap, self.lo, self.hi, self.use_mu = cap, lo, hi, use_mu
        self.na = len(problem.areas)
        self.dw = problem.params.distance_weight
        self._short_lam: FloatArray | None = None
        self._short_cols = self._short_nb = np.zeros((0, 0), dtype=np.int64)
        self._short_thr = np.zeros(0)
        self._short_b = np.zeros((0, 0), dtype=np.float32)

    def _rebuild_short(self, lam: FloatArray) -> None:
        """Short lists at reference multipliers `lam`: per row the SHORT_W columns of largest
        reduced profit, and the largest reduced profit of the others (the threshold)."""
        red64 = self.B[np.float64] - lam[self.NB]
        idx = np.argpartition(-red64, SHORT_W, axis=1)[:, : SHORT_W + 1]
        self._short_lam = lam.copy()
        self._short_cols = np.ascontiguousarray(idx[:, :SHORT_W])
        self._short_thr = np.take_along_axis(red64, idx[:, SHORT_W : SHORT_W + 1], axis=1)[:, 0]
        self._short_nb = np.take_along_axis(self.NB, self._short_cols, axis=1)
        self._short_b = np.take_along_axis(self.B[np.float32], self._short_cols, axis=1)

    def _short_lists(self, lam: FloatArray, rebuilt: bool = False) -> _ShortTop:
        """The `hi` best reduced profits per row. A column left out of the short lists has
        reduced profit B - lam <= threshold + max(lam_ref - lam): when that is below the
        row's hi-th best listed value, the short list gives the row's top exactly; the other
        rows are read whole."""
        ref = self._short_lam
        if ref is None:
            self._rebuild_short(lam)
            ref, rebuilt = lam, True
        hi = self.hi
        drift = max(0.0, float(np.max(ref - lam)))
        red_s = self._short_b - lam.astype(np.float32)[self._short_nb]
        top = np.partition(red_s, SHORT_W - hi, axis=1)[:, SHORT_W - hi :]
        # 1e-5: float32 rounding of the listed values
        unsafe = self._short_thr + drift + 1e-5 >= top.min(axis=1).astype(np.float64)
        if not rebuilt and unsafe.mean() > SHORT_REBUILD:
            self._rebuild_short(lam)
            return self._short_lists(lam, rebuilt=True)
        full = np.nonzero(unsafe)[0]
        red_f = self.B[np.float32][full] - lam.astype(np.float32)[self.NB[full]]
        if len(full):
            width = red_f.shape[1]
            top[full] = np.partition(red_f, width - hi, axis=1)[:, width - hi :]
        return _ShortTop(top, self._short_cols, red_s, full, red_f)

    def _reduced(
        self, lam: FloatArray, mu: FloatArray, dtype: type[_F]
    ) -> tuple[SearchArray, FloatArray]:
        """Reduced profits of the listed members (rows: subproblems) and of the hosts."""
        H, A, NB, na = self.H, self.A, self.NB, self.na
        red = self.B[dtype] - lam.astype(dtype)[NB]
        hred = self.HN - lam[H]
        if self.use_mu:
            red = red - mu.astype(dtype)[NB * na + A[:, None]]
            hred = hred - mu[H * na + A]
        return red, hred

    @overload
    def evaluate(
        self, lam: FloatArray, mu: FloatArray, dtype: type[_F], subgradient: Literal[False] = ...
    ) -> tuple[float, None, None]: ...

    @overload
    def evaluate(
        self, lam: FloatArray, mu: FloatArray, dtype: type[_F], subgradient: Literal[True]
    ) -> tuple[float, FloatArray, FloatArray | None]: ...

    def evaluate(
        self, lam: FloatArray, mu: FloatArray, dtype: type[_F], subgradient: bool = False
    ) -> tuple[float, FloatArray | None, FloatArray | None]:
        """L(lam, mu), and with `subgradient` its subgradients for lam and mu."""
        problem, H, A, NB, na, lo, hi = (
            self.problem,
            self.H,
            self.A,
            self.NB,
            self.na,
            self.lo,
            self.hi,
        )
        width = NB.shape[1]
        # the float32 search without area prices reads a short list per row where that is exact
        short = None
        if dtype is np.float32 and not self.use_mu and hi > 0 and width > SHORT_W + hi:
            short = self._short_lists(lam)
            red, hred = self.B[np.float32][:0], self.HN - lam[H]  # rows are read in `short`
        else:
            red, hred = self._reduced(lam, mu, dtype)
        entry = problem.need_v - lam[problem.need_m]
        if self.use_mu:
            entry = entry - mu[problem.need_m * na + problem.need_a]
        # optimistic profit of any unlisted member, and the member that gives it
        far_val, far_who = self.far.values(entry, self.dw)
        if hi > 0:
            kk = min(hi, width)
            if short is None:
                top = np.partition(red, width - kk, axis=1)[:, width - kk :].astype(np.float64)
            else:
                top = short.top.astype(np.float64)
            if np.isfinite(far_val).any():
                top = np.concatenate([top, np.repeat(far_val[:, None], hi, axis=1)], axis=1)
            sv = -np.sort(-top, axis=1)[:, :hi]
            take = np.zeros(sv.shape, dtype=bool)
            take[:, :lo] = True
            take[:, lo:] = sv[:, lo:] > 0
            picked = np.where(take, sv, 0.0)
            picked[~np.isfinite(picked)] = -1e9
            v = hred + picked.sum(axis=1)
        else:
            v = hred
        L = (
            self.cap * float(lam.sum())
            + (float(mu.sum()) if self.use_mu else 0.0)
            + float(np.maximum(v, 0).sum())
        )
        if not subgradient:
            return L, None, None
        # members taken: those at or above the smallest value taken in an open row
        open_ = v > 0
        used = np.bincount(H[open_], minlength=problem.n).astype(np.float64)
        gmu = None
        if self.use_mu:
            usedmu = np.bincount(H[open_] * na + A[open_], minlength=problem.n * na).astype(
                np.float64
            )
        if hi > 0:
            n_taken = take.sum(axis=1)
            cut = np.take_along_axis(sv, np.maximum(n_taken - 1, 0)[:, None], axis=1)[:, 0]
            rows = np.nonzero(open_ & (n_taken > 0))[0]
            if short is None:
                sel = red[rows] >= cut[rows, None].astype(dtype)
                sel &= np.isfinite(red[rows])
                r_idx, c_idx = np.nonzero(sel)
                members = NB[rows[r_idx], c_idx]
            else:
                members, r_idx = short.members(rows, cut, NB)
            used += np.bincount(members, minlength=problem.n)
            if self.use_mu:
                usedmu += np.bincount(members * na + A[rows[r_idx]], minlength=problem.n * na)
            # the far copies taken count for the member whose profit bounds them
            n_far = n_taken[rows] - np.bincount(r_idx, minlength=len(rows))
            sel_far = (n_far > 0) & (far_who[rows] >= 0)
            if np.any(sel_far):
                who, extra = far_who[rows[sel_far]], n_far[sel_far].astype(np.float64)
                used += np.bincount(who, weights=extra, minlength=problem.n)
                if self.use_mu:
                    usedmu += np.bincount(
                        who * na + A[rows[sel_far]], weights=extra, minlength=problem.n * na
                    )
        g = self.cap - used
        if self.use_mu:
            gmu = 1.0 - usedmu
        return L, g, gmu

    def candidates(
        self,
        lam: FloatArray,
        mu: FloatArray,
        host_slack: float,
        member_slack: float,
        per_host: int,
        max_hosts: int | None = None,
    ) -> dict[tuple[int, int], list[int]]:
        """(area, host) -> members for every subproblem whose reduced value is within
        `host_slack` of opening, keeping members within `member_slack` of being taken
        (at most `per_host`, best first): where a near-optimal solution is likely to be."""
        H, A, NB, lo, hi = self.H, self.A, self.NB, self.lo, self.hi
        red, hred = self._reduced(lam, mu, np.float64)
        width = red.shape[1]
        keep = min(max(per_host, hi), width)  # the value of a subproblem needs its `hi` best
        idx = (
            np.argpartition(-red, keep - 1, axis=1)[:, :keep]
            if keep < width
            else np.broadcast_to(np.arange(width), red.shape)
        )
        vals = np.take_along_axis(red, idx, axis=1)
        order = np.argsort(-vals, axis=1, kind="stable")
        vals = np.take_along_axis(vals, order, axis=1)
        idx = np.take_along_axis(idx, order, axis=1)
        kk = min(hi, width)
        taken = np.where(np.arange(kk) < lo, vals[:, :kk], np.maximum(vals[:, :kk], 0.0)).sum(
            axis=1
        )
        v = hred + taken
        out: dict[tuple[int, int], list[int]] = {}
        rows = np.nonzero(v >= -host_slack)[0]
        if max_hosts is not None and len(rows) > max_hosts:  # the best, in row order
            rows = np.sort(rows[np.argsort(-v[rows], kind="stable")[:max_hosts]])
        for r in rows.tolist():
            cut = min(vals[r, min(kk, lo) - 1] if lo > 0 else 0.0, 0.0) - member_slack
            ok = np.isfinite(vals[r]) & (vals[r] >= cut)
            out[(int(A[r]), int(H[r]))] = NB[r, idx[r, ok]].tolist()
        return out
