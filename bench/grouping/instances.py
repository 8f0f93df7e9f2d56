"""Reproducible (seeded) synthetic instances for the grouping benchmark.

Areas are the 28 CAF 2013 subcriteria. Each municipality has 2-6 needs and
2-6 strengths (disjoint), values uniform in 0.1..1.0 (two decimals); area
popularity is skewed (Dirichlet weights) so some areas are much more common.
Coordinates are uniform in a box chosen to fit the size.
"""

from __future__ import annotations

import numpy as np

CAF_AREAS = [
    f"{c}.{s}" for c, n in ((1, 4), (2, 4), (3, 3), (4, 6), (5, 3), (6, 2), (7, 2), (8, 2), (9, 2))
    for s in range(1, n + 1)
]
assert len(CAF_AREAS) == 28

BOXES = {
    "bih": (42.6, 45.2, 15.8, 19.6),  # Bosnia and Herzegovina
    "balkans": (40.8, 46.9, 13.4, 23.0),  # Western Balkans
    "central": (42.0, 55.0, 5.0, 25.0),  # central Europe
    "europe": (36.0, 70.0, -10.0, 40.0),  # Europe-wide registry
}


def box_for(n: int) -> str:
    if n <= 200:
        return "bih"
    if n <= 2000:
        return "balkans"
    if n <= 20000:
        return "central"
    return "europe"


def generate(n: int, seed: int = 0, box: str | None = None, params: dict | None = None) -> dict:
    rng = np.random.default_rng([n, seed])
    lat0, lat1, lon0, lon1 = BOXES[box or box_for(n)]
    lat = np.round(rng.uniform(lat0, lat1, n), 5)
    lon = np.round(rng.uniform(lon0, lon1, n), 5)
    pop = rng.dirichlet(np.full(len(CAF_AREAS), 2.0))
    munis = []
    width = len(str(n))
    for i in range(n):
        k_need = int(rng.integers(2, 7))
        k_str = int(rng.integers(2, 7))
        areas = rng.choice(len(CAF_AREAS), size=k_need + k_str, replace=False, p=pop)
        vals = np.round(rng.uniform(0.1, 1.0, k_need + k_str), 2)
        munis.append({
            "id": f"M{i:0{width}d}",
            "lat": float(lat[i]),
            "lon": float(lon[i]),
            "needs": {CAF_AREAS[a]: float(v) for a, v in zip(areas[:k_need], vals[:k_need], strict=True)},
            "strengths": {CAF_AREAS[a]: float(v) for a, v in zip(areas[k_need:], vals[k_need:], strict=True)},
        })
    return {"municipalities": munis, "params": dict(params or {})}
