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

import numpy as np
from scipy.spatial import cKDTree

from .geo import chord_to_dist, haversine
from .problem import Problem


def lagrangian_bound(problem: Problem, deadline: float, target: float, k_near: int = 30,
                     max_iter: int = 3000, duals: tuple[dict, dict] | None = None) -> float | None:
    """Best Lagrangian value found (a valid upper bound), starting from LP `duals` if given."""
    p = problem.params
    cap = p.max_networks_per_municipality
    if cap == 0 or problem.n == 0:
        return 0.0
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
        d = haversine(problem.lat[C][:, None], problem.lon[C][:, None], problem.lat[nb], problem.lon[nb])
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
        return 0.0
    H, A, HN = np.concatenate(hosts), np.concatenate(areas), np.concatenate(hneed)
    width = max(b.shape[1] for b in base)
    NB = np.concatenate([np.pad(x, ((0, 0), (0, width - x.shape[1]))) for x in nbs])
    B = np.concatenate([np.pad(x, ((0, 0), (0, width - x.shape[1])), constant_values=-np.inf) for x in base])
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
        theta = 0.01
    else:
        use_mu = cap > 1
        np.maximum.at(lam, problem.need_m, problem.need_v)  # start at the trivial bound
        theta = 0.1
    best = np.inf
    stall = 0
    for _ in range(max_iter):
        red = B - lam[NB]
        hred = HN - lam[H]
        entry = problem.need_v - lam[problem.need_m]
        if use_mu:
            red = red - mu[NB * na + A[:, None]]
            hred = hred - mu[H * na + A]
            entry = entry - mu[problem.need_m * na + problem.need_a]
        amax = np.full(na, -np.inf)
        np.maximum.at(amax, problem.need_a, entry)
        far_val = amax[A] - dw * FAR
        if hi > 0:
            kk = min(hi, width)
            top_idx = np.argpartition(-red, kk - 1, axis=1)[:, :kk] if kk < width else np.broadcast_to(
                np.arange(width), red.shape)
            top = np.take_along_axis(red, top_idx, axis=1)
            vals = np.concatenate([top, np.repeat(far_val[:, None], hi, axis=1)], axis=1)
            order = np.argsort(-vals, axis=1, kind="stable")[:, :hi]
            sv = np.take_along_axis(vals, order, axis=1)
            take = np.zeros(sv.shape, dtype=bool)
            take[:, :lo] = True
            take[:, lo:] = sv[:, lo:] > 0
            sv = np.where(take, sv, 0.0)
            sv[~np.isfinite(sv)] = -1e9
            v = hred + sv.sum(axis=1)
        else:
            v = hred
        L = cap * lam.sum() + (mu.sum() if use_mu else 0.0) + np.maximum(v, 0).sum()
        if L < best - 1e-9:
            best, stall = float(L), 0
        else:
            stall += 1
            if stall >= 20:
                theta, stall = theta / 2, 0
        if time.monotonic() > deadline or theta < 1e-4 or best <= target + 1e-9:
            break
        # subgradient: cap - (number of times selected)
        open_ = v > 0
        used = np.zeros(n)
        np.add.at(used, H[open_], 1.0)
        if hi > 0:
            real = order < top.shape[1]
            sel = take & real & open_[:, None]
            rows = np.nonzero(sel)
            members = NB[rows[0], np.take_along_axis(top_idx, np.minimum(order, top.shape[1] - 1), axis=1)[rows]]
            np.add.at(used, members, 1.0)
        g = cap - used
        if use_mu:
            usedmu = np.zeros(n * na)
            np.add.at(usedmu, H[open_] * na + A[open_], 1.0)
            if hi > 0:
                np.add.at(usedmu, members * na + A[rows[0]], 1.0)
            gmu = 1.0 - usedmu
            norm = float(g @ g + gmu @ gmu)
        else:
            norm = float(g @ g)
        if norm <= 0:
            break
        step = theta * max(L - target, 1e-6 * abs(L)) / norm
        lam = np.maximum(lam - step * g, 0.0)
        if use_mu:
            mu = np.maximum(mu - step * gmu, 0.0)
    return best
