"""Independent exact references for the benchmark (scipy.optimize.milp / linprog).

Networks: host-based MIP written separately from the engine (same model idea,
different code). Partnerships: the full LP over *all* positive edges (no
pruning; TU => integral optimum).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_array

from mreza.grouping.geo import haversine
from mreza.grouping.problem import validate


def exact_networks(data: dict, time_limit: float = 3600.0) -> tuple[float, float, bool]:
    """Return (optimum, dual bound, proven)."""
    pr = validate(data)
    p = pr.params
    cols = []  # (kind, area, host, member, value)
    for a, (C, nv) in enumerate(pr.area_slices("need")):
        if len(C) < p.min_size:
            continue
        D = haversine(
            pr.lat[C][:, None], pr.lon[C][:, None], pr.lat[C][None, :], pr.lon[C][None, :]
        )
        for i, h in enumerate(C):
            for j, m in enumerate(C):
                val = nv[j] - (p.distance_weight * D[i, j] if i != j else 0.0)
                cols.append((a, int(h), int(m), val))
    n_col = len(cols)
    rows, cidx, vals, lo, hi = [], [], [], [], []
    r = 0
    ycol = {(a, h): k for k, (a, h, m, _) in enumerate(cols) if h == m}
    groups: dict = {}
    for k, (a, h, m, _) in enumerate(cols):
        if h != m:
            rows += [r, r]
            cidx += [k, ycol[(a, h)]]
            vals += [1.0, -1.0]
            lo.append(-np.inf)
            hi.append(0.0)
            r += 1
        groups.setdefault(("size", a, h), []).append(k)
        groups.setdefault(("area", a, m), []).append(k)
        groups.setdefault(("muni", m), []).append(k)
    for key, ks in groups.items():
        if key[0] == "size":
            y = ycol[(key[1], key[2])]
            for coef, lb, ub in ((p.max_size, -np.inf, 0.0), (p.min_size, 0.0, np.inf)):
                rows += [r] * len(ks)
                cidx += ks
                vals += [1.0 if k != y else 1.0 - coef for k in ks]
                lo.append(lb)
                hi.append(ub)
                r += 1
        else:
            rows += [r] * len(ks)
            cidx += ks
            vals += [1.0] * len(ks)
            lo.append(-np.inf)
            hi.append(1.0 if key[0] == "area" else float(p.max_networks_per_municipality))
            r += 1
    A = coo_array((vals, (rows, cidx)), shape=(r, n_col)).tocsr()
    c = -np.asarray([v for *_, v in cols])
    res = milp(
        c,
        constraints=LinearConstraint(A, lo, hi),
        integrality=np.ones(n_col),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
    )
    bound = -res.mip_dual_bound if getattr(res, "mip_dual_bound", None) is not None else None
    return -float(res.fun), (float(bound) if bound is not None else None), res.status == 0


def exact_partnerships(data: dict) -> float:
    pr = validate(data)
    p = pr.params
    n, na = pr.n, len(pr.areas)
    el, ea, em, ew = [], [], [], []
    for a, ((L, nL), (M, sM)) in enumerate(
        zip(pr.area_slices("need"), pr.area_slices("strength"), strict=True)
    ):
        if len(L) == 0 or len(M) == 0:
            continue
        W = nL[:, None] * sM[None, :] - p.mentor_distance_weight * haversine(
            pr.lat[L][:, None], pr.lon[L][:, None], pr.lat[M][None, :], pr.lon[M][None, :]
        )
        W[L[:, None] == M[None, :]] = -1
        i, j = np.nonzero(W > 0)
        el.append(L[i])
        ea.append(np.full(len(i), a))
        em.append(M[j])
        ew.append(W[i, j])
    if not el:
        return 0.0
    el, ea, em, ew = (np.concatenate(x) for x in (el, ea, em, ew))
    k = np.arange(len(el))
    _, la = np.unique(el * na + ea, return_inverse=True)
    nla = int(la.max()) + 1
    A = coo_array(
        (np.ones(3 * len(k)), (np.concatenate([el, n + la, n + nla + em]), np.tile(k, 3))),
        shape=(2 * n + nla, len(k)),
    ).tocsr()
    b = np.concatenate(
        [
            np.full(n, p.max_partnerships_per_learner),
            np.ones(nla),
            np.full(n, p.max_mentees_per_mentor),
        ]
    )
    res = linprog(-ew, A_ub=A, b_ub=b, bounds=(0, None), method="highs")
    return -float(res.fun)
