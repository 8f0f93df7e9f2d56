"""Fast constructive solution for learning networks (any size).

1. Each municipality joins its `max_networks_per_municipality` highest-need areas.
2. Areas with fewer than min_size takers release them to their next choice.
3. Each area's takers are cut into k = floor(n / min_size) compact groups by
   recursive bisection along the direction of largest spread (sizes kept
   feasible, so every group has min_size..max_size members).
"""

from __future__ import annotations

import numpy as np

from .problem import Problem


def feasible_groups(n: int, lo: int, hi: int) -> int:
    """Number of groups to cut n members into (most groups, sizes in lo..hi), 0 if impossible."""
    k = n // lo
    return k if k >= 1 and k * hi >= n else 0


def bisect(xyz: np.ndarray, idx: np.ndarray, k: int) -> list[np.ndarray]:
    """Split idx (with coordinates xyz[idx]) into k groups of near-equal size."""
    if k <= 1:
        return [idx]
    pts = xyz[idx]
    spread = pts.max(axis=0) - pts.min(axis=0)
    axis = int(np.argmax(spread))
    order = idx[np.argsort(pts[:, axis], kind="stable")]
    k1 = k // 2
    n1 = round(len(idx) * k1 / k)
    return bisect(xyz, order[:n1], k1) + bisect(xyz, order[n1:], k - k1)


def construct(problem: Problem, subset: np.ndarray | None = None) -> list[tuple[int, list[int]]]:
    """Networks among `subset` (default: all municipalities)."""
    p = problem.params
    n, na = problem.n, len(problem.areas)
    cap = p.max_networks_per_municipality
    if cap == 0 or n == 0:
        return []
    # areas of each municipality by decreasing need (ties: area index)
    order = np.lexsort((problem.need_a, -problem.need_v, problem.need_m))
    m_sorted, a_sorted = problem.need_m[order], problem.need_a[order]
    starts = np.searchsorted(m_sorted, np.arange(n + 1))
    pointer = starts[:-1].copy()  # next choice per municipality
    assigned: list[set[int]] = [set() for _ in range(na)]
    pending = list(range(n)) if subset is None else sorted(int(m) for m in subset)
    slots = np.full(n, cap)
    for _round in range(8):
        for m in pending:
            while slots[m] > 0 and pointer[m] < starts[m + 1]:
                assigned[int(a_sorted[pointer[m]])].add(m)
                pointer[m] += 1
                slots[m] -= 1
        pending = []
        for a in range(na):
            if 0 < len(assigned[a]) < p.min_size:
                for m in sorted(assigned[a]):
                    slots[m] += 1
                    pending.append(m)
                assigned[a] = set()
        if not pending:
            break
    nets: list[tuple[int, list[int]]] = []
    for a in range(na):
        members = np.asarray(sorted(assigned[a]), dtype=np.int64)
        if len(members) < p.min_size:
            continue
        k = feasible_groups(len(members), p.min_size, p.max_size)
        if k == 0:  # cannot be cut exactly (e.g. min == max): drop the lowest needs
            needs = problem.need_csr[members, a].toarray().ravel()
            keep = len(members)
            while keep >= p.min_size and feasible_groups(keep, p.min_size, p.max_size) == 0:
                keep -= 1
            if keep < p.min_size:
                continue
            members = np.sort(members[np.argsort(-needs, kind="stable")[:keep]])
            k = feasible_groups(keep, p.min_size, p.max_size)
        nets.extend((a, sorted(int(x) for x in g)) for g in bisect(problem.xyz, members, k))
    return nets
