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

import numpy as np
from scipy.spatial import cKDTree

from .geo import chord_to_dist, haversine
from .problem import Problem


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


def lagrangian_bound(
    problem: Problem,
    deadline: float,
    target: float,
    k_near: int = 30,
    max_iter: int = 3000,
    duals: tuple[dict, dict] | None = None,
) -> float | None:
    """Best Lagrangian value found (a valid upper bound), starting from LP `duals` if given."""
    result = lagrangian(problem, deadline, target, k_near, max_iter, duals)
    return None if result is None else result.bound


@dataclass
class Lagrangian:
    bound: float
    lam: np.ndarray
    mu: np.ndarray
    terms: _Terms | None


def lagrangian(
    problem: Problem,
    deadline: float,
    target: float,
    k_near: int = 30,
    max_iter: int = 3000,
    duals: tuple[dict, dict] | None = None,
    steps: StepRule = NEAR_OPTIMAL,
) -> Lagrangian | None:
    """The best multipliers found and their (exact) Lagrangian value."""
    n0 = np.zeros(problem.n)
    p = problem.params
    cap = p.max_networks_per_municipality
    if cap == 0 or problem.n == 0:
        return Lagrangian(0.0, n0, n0, None)
    lo, hi = p.min_size - 1, p.max_size - 1
    dw = p.distance_weight
    hosts, areas, hneed, nbs, base, far = [], [], [], [], [], []
    for a, (C, nv) in enumerate(problem.area_slices("need")):
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
        far.append(chord_to_dist(dist_c[:, -1]) if k < len(C) else np.full(len(C), np.inf))
        if time.monotonic() > deadline:
            return None
    if not hosts:
        return Lagrangian(0.0, n0, n0, None)
    H, A, HN = np.concatenate(hosts), np.concatenate(areas), np.concatenate(hneed)
    width = max(b.shape[1] for b in base)
    NB = np.concatenate([np.pad(x, ((0, 0), (0, width - x.shape[1]))) for x in nbs])
    B = np.concatenate(
        [np.pad(x, ((0, 0), (0, width - x.shape[1])), constant_values=-np.inf) for x in base]
    )
    FAR = np.concatenate(far)
    na = len(problem.areas)
    n = problem.n
    lam = np.zeros(n)
    mu = np.zeros(n * na)
    if duals is not None:
        use_mu = bool(duals[1]) or cap > 1
        for m, v in duals[0].items():
            lam[m] = v
        for (m, a), v in duals[1].items():
            mu[m * na + a] = v
    else:
        use_mu = cap > 1
        np.maximum.at(lam, problem.need_m, problem.need_v)  # start at the trivial bound
    terms = _Terms(problem, H, A, HN, NB, B, FAR, cap, lo, hi, use_mu)
    # The search runs in float32 (a partial sort is 5x faster than in float64); the bound
    # reported is the exact float64 value at the best multipliers found.
    best, best_lam, best_mu = np.inf, lam, mu
    theta, stall = steps.theta, 0
    for _ in range(max_iter):
        L, g, gmu = terms.evaluate(lam, mu, np.float32, subgradient=True)
        if best - 1e-9 > L:
            best, best_lam, best_mu, stall = L, lam, mu, 0
        else:
            stall += 1
            if stall >= steps.stall:
                theta, stall = theta / 2, 0
        if time.monotonic() > deadline or theta < steps.theta_min or best <= target + 1e-9:
            break
        norm = float(g @ g) + (float(gmu @ gmu) if use_mu else 0.0)
        if norm <= 0:
            break
        step = theta * max(L - target, 1e-6 * abs(L)) / norm
        lam = np.maximum(lam - step * g, 0.0)
        if use_mu:
            mu = np.maximum(mu - step * gmu, 0.0)
    return Lagrangian(terms.evaluate(best_lam, best_mu, np.float64)[0], best_lam, best_mu, terms)


class _Terms:
    """The (area, host) subproblems, evaluated together for given multipliers."""

    def __init__(self, problem, H, A, HN, NB, B, FAR, cap, lo, hi, use_mu):
        self.problem, self.H, self.A, self.HN, self.NB, self.FAR = problem, H, A, HN, NB, FAR
        self.B = {np.float64: B, np.float32: B.astype(np.float32)}
        self.cap, self.lo, self.hi, self.use_mu = cap, lo, hi, use_mu
        self.na = len(problem.areas)
        self.dw = problem.params.distance_weight

    def _reduced(self, lam, mu, dtype):
        """Reduced profits of the listed members (rows: subproblems) and of the hosts."""
        H, A, NB, na = self.H, self.A, self.NB, self.na
        red = self.B[dtype] - lam.astype(dtype)[NB]
        hred = self.HN - lam[H]
        if self.use_mu:
            red = red - mu.astype(dtype)[NB * na + A[:, None]]
            hred = hred - mu[H * na + A]
        return red, hred

    def evaluate(self, lam, mu, dtype, subgradient=False):
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
        red, hred = self._reduced(lam, mu, dtype)
        entry = problem.need_v - lam[problem.need_m]
        if self.use_mu:
            entry = entry - mu[problem.need_m * na + problem.need_a]
        amax = np.full(na, -np.inf)
        np.maximum.at(amax, problem.need_a, entry)
        far_val = amax[A] - self.dw * self.FAR  # optimistic profit of any unlisted member
        width = red.shape[1]
        if hi > 0:
            kk = min(hi, width)
            top = np.partition(red, width - kk, axis=1)[:, width - kk :].astype(np.float64)
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
            sel = red[rows] >= cut[rows, None].astype(dtype)
            sel &= np.isfinite(red[rows])
            r_idx, c_idx = np.nonzero(sel)
            members = NB[rows[r_idx], c_idx]
            used += np.bincount(members, minlength=problem.n)
            if self.use_mu:
                usedmu += np.bincount(members * na + A[rows[r_idx]], minlength=problem.n * na)
        g = self.cap - used
        if self.use_mu:
            gmu = 1.0 - usedmu
        return L, g, gmu

    def candidates(self, lam, mu, host_slack: float, member_slack: float, per_host: int):
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
        for r in np.nonzero(v >= -host_slack)[0].tolist():
            cut = min(vals[r, min(kk, lo) - 1] if lo > 0 else 0.0, 0.0) - member_slack
            ok = np.isfinite(vals[r]) & (vals[r] >= cut)
            out[(int(A[r]), int(H[r]))] = NB[r, idx[r, ok]].tolist()
        return out
