"""Reproducible (seeded) instances for the grouping benchmark.

Areas are the 28 CAF 2013 subcriteria. Two families:

* `realistic(n, seed)` (the default suite): `ba_real(seed)` for 143 municipalities (the real
  coordinates of Bosnia and Herzegovina's 143 leaf local self-government units from the registry,
  see `ba_leaf_units`), and `clustered(n, seed)` for larger sizes (Gaussian clusters of varying
  sizes, like valleys and cantons). Area popularity is Zipf-like with human resources (3.x),
  strategy (2.x) and citizen results (6.x) recurring at the top, and need levels are mixed
  (struggling, average and advanced municipalities differ in how many needs they have and how
  strong they are).
* `generate(n, seed)` (`--generator uniform`): the previous generator, coordinates uniform in a
  box and 2-6 needs / 2-6 strengths with values uniform in 0.1..1.0.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

CAF_AREAS = [
    f"{c}.{s}"
    for c, n in ((1, 4), (2, 4), (3, 3), (4, 6), (5, 3), (6, 2), (7, 2), (8, 2), (9, 2))
    for s in range(1, n + 1)
]
assert len(CAF_AREAS) == 28

BOXES = {
    "bih": (42.6, 45.2, 15.8, 19.6),  # Bosnia and Herzegovina
    "balkans": (40.8, 46.9, 13.4, 23.0),  # Western Balkans
    "central": (42.0, 55.0, 5.0, 25.0),  # central Europe
    "europe": (36.0, 70.0, -10.0, 40.0),  # Europe-wide registry
}

BA_CSV = (
    Path(__file__).resolve().parents[2]
    / "mreza"
    / "registry"
    / "data"
    / "ba"
    / "municipalities.csv"
)

# The weak spots that recur in CAF self-assessments: human resources, strategy and planning,
# citizen/customer-oriented results. They take the top ranks of the Zipf law (seeded order).
RECURRING = ["3.1", "3.2", "3.3", "2.1", "2.2", "2.3", "2.4", "6.1", "6.2"]
ZIPF_S = 1.0

# (share, number of needs lo..hi, need values lo..hi, number of strengths lo..hi, strength lo..hi)
LEVELS = (
    (0.25, (4, 7), (0.55, 1.0), (1, 3), (0.3, 0.7)),  # struggling
    (0.50, (3, 5), (0.25, 0.8), (2, 4), (0.3, 0.9)),  # average
    (0.25, (1, 3), (0.1, 0.5), (3, 6), (0.6, 1.0)),  # advanced
)


def box_for(n: int) -> str:
    if n <= 200:
        return "bih"
    if n <= 2000:
        return "balkans"
    if n <= 20000:
        return "central"
    return "europe"


def generate(n: int, seed: int = 0, box: str | None = None, params: dict | None = None) -> dict:
    """The previous, uniform generator (kept for comparison: `--generator uniform`)."""
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
        munis.append(
            {
                "id": f"M{i:0{width}d}",
                "lat": float(lat[i]),
                "lon": float(lon[i]),
                "needs": {
                    CAF_AREAS[a]: float(v)
                    for a, v in zip(areas[:k_need], vals[:k_need], strict=True)
                },
                "strengths": {
                    CAF_AREAS[a]: float(v)
                    for a, v in zip(areas[k_need:], vals[k_need:], strict=True)
                },
            }
        )
    return {"municipalities": munis, "params": dict(params or {})}


def popularity(rng: np.random.Generator) -> np.ndarray:
    """Zipf-like weights over CAF_AREAS: the recurring weak spots first (seeded order), then
    the other subcriteria in a seeded order; weight 1 / rank^ZIPF_S."""
    top = [CAF_AREAS.index(a) for a in rng.permutation(RECURRING)]
    rest = [k for k in rng.permutation(len(CAF_AREAS)).tolist() if k not in top]
    w = np.zeros(len(CAF_AREAS))
    w[top + rest] = 1.0 / np.arange(1, len(CAF_AREAS) + 1) ** ZIPF_S
    return w / w.sum()


def _scores(rng: np.random.Generator, coords: list[tuple[str, float, float]]) -> list[dict]:
    """Needs (skewed popularity) and strengths (flatter, disjoint) with mixed need levels;
    values in steps of 0.05 like CAF scores."""
    na = len(CAF_AREAS)
    pop = popularity(rng)
    flat = np.full(na, 1.0 / na) * 0.5 + pop[::-1] * 0.5  # strengths: rarely the common weak spots
    shares = np.array([lv[0] for lv in LEVELS])
    level = rng.choice(len(LEVELS), size=len(coords), p=shares / shares.sum())
    munis = []
    for (mid, lat, lon), lv in zip(coords, level.tolist(), strict=True):
        _s, (kn0, kn1), (nv0, nv1), (ks0, ks1), (sv0, sv1) = LEVELS[lv]
        k_need = int(rng.integers(kn0, kn1 + 1))
        k_str = int(rng.integers(ks0, ks1 + 1))
        needs = rng.choice(na, size=k_need, replace=False, p=pop)
        left = np.setdiff1d(np.arange(na), needs)
        ps = flat[left] / flat[left].sum()
        strengths = rng.choice(left, size=min(k_str, len(left)), replace=False, p=ps)
        nvals = np.round(rng.uniform(nv0, nv1, len(needs)) * 20) / 20
        svals = np.round(rng.uniform(sv0, sv1, len(strengths)) * 20) / 20
        munis.append(
            {
                "id": mid,
                "lat": float(lat),
                "lon": float(lon),
                "needs": {
                    CAF_AREAS[a]: float(max(v, 0.05)) for a, v in zip(needs, nvals, strict=True)
                },
                "strengths": {
                    CAF_AREAS[a]: float(max(v, 0.05)) for a, v in zip(strengths, svals, strict=True)
                },
            }
        )
    return munis


def ba_leaf_units() -> list[tuple[str, float, float]]:
    """The 143 leaf local self-government units of Bosnia and Herzegovina (registry code,
    latitude, longitude): every row of the registry except the umbrella cities Grad Sarajevo and
    Istočno Sarajevo, whose parts are listed themselves; Brčko District is included."""
    with open(BA_CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    umbrellas = {r["part_of"] for r in rows if r["part_of"]}
    out = [
        (r["code"], float(r["latitude"]), float(r["longitude"]))
        for r in rows
        if r["code"] not in umbrellas
    ]
    return sorted(out)


def ba_real(seed: int = 0, params: dict | None = None) -> dict:
    """Real BiH coordinates (143 leaf units), skewed popularity, mixed need levels."""
    rng = np.random.default_rng([143, seed, 1])
    return {"municipalities": _scores(rng, ba_leaf_units()), "params": dict(params or {})}


def clustered_coords(n: int, rng: np.random.Generator, box: str) -> np.ndarray:
    """n points in Gaussian clusters of varying sizes (Pareto-distributed, 10-400 members, like
    valleys and cantons), centres uniform in the box; 10 % scattered uniformly."""
    lat0, lat1, lon0, lon1 = BOXES[box]
    n_scatter = n // 10
    sizes: list[int] = []
    while sum(sizes) < n - n_scatter:
        sizes.append(int(min(400, 10 + rng.pareto(1.2) * 25)))
    sizes[-1] -= sum(sizes) - (n - n_scatter)
    box_km2 = (lat1 - lat0) * 111.0 * (lon1 - lon0) * 111.0 * np.cos(np.radians((lat0 + lat1) / 2))
    per_km2 = 0.15 * box_km2 / n  # clusters are about seven times denser than a uniform spread
    pts = [
        np.column_stack([rng.uniform(lat0, lat1, n_scatter), rng.uniform(lon0, lon1, n_scatter)])
    ]
    for s in sizes:
        if s <= 0:
            continue
        c_lat, c_lon = rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)
        sigma_km = np.sqrt(s * per_km2 / np.pi) * rng.uniform(0.6, 1.4)
        ell = rng.uniform(0.4, 1.0)  # elongated, like a valley
        ang = rng.uniform(0, np.pi)
        u = rng.normal(0, sigma_km, s)
        v = rng.normal(0, sigma_km * ell, s)
        dy, dx = u * np.cos(ang) - v * np.sin(ang), u * np.sin(ang) + v * np.cos(ang)
        lat = np.clip(c_lat + dy / 111.0, lat0, lat1)
        lon = np.clip(c_lon + dx / (111.0 * np.cos(np.radians(c_lat))), lon0, lon1)
        pts.append(np.column_stack([lat, lon]))
    return np.concatenate(pts)[:n]


def clustered(n: int, seed: int = 0, box: str | None = None, params: dict | None = None) -> dict:
    """Clustered synthetic coordinates, skewed popularity, mixed need levels."""
    rng = np.random.default_rng([n, seed, 2])
    xy = np.round(clustered_coords(n, rng, box or box_for(n)), 5)
    width = len(str(n))
    coords = [(f"M{i:0{width}d}", float(xy[i, 0]), float(xy[i, 1])) for i in range(n)]
    return {"municipalities": _scores(rng, coords), "params": dict(params or {})}


def realistic(n: int, seed: int = 0) -> dict:
    """The realistic suite: real BiH coordinates for 143, clustered coordinates otherwise."""
    return ba_real(seed) if n == 143 else clustered(n, seed)


GENERATORS = {"realistic": realistic, "uniform": generate}
