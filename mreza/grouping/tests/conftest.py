import itertools
import math

import pytest

from mreza.grouping.geo import haversine


def muni(mid, lat, lon, needs=None, strengths=None):
    return {"id": mid, "lat": lat, "lon": lon, "needs": needs or {}, "strengths": strengths or {}}


def d(a, b):
    return float(haversine(a["lat"], a["lon"], b["lat"], b["lon"]))


def brute_networks(data):
    """Optimal network objective by exhaustive search (tiny instances only)."""
    p = {"min_size": 6, "max_size": 12, "max_networks_per_municipality": 1, "distance_weight": 0.1}
    p.update({k: v for k, v in data.get("params", {}).items() if k in p})
    ms = data["municipalities"]
    areas = sorted({a for m in ms for a, v in m["needs"].items() if v > 0})
    cands = []
    for area in areas:
        needy = [i for i, m in enumerate(ms) if m["needs"].get(area, 0) > 0]
        for size in range(p["min_size"], p["max_size"] + 1):
            for group in itertools.combinations(needy, size):
                cost = min(sum(d(ms[h], ms[m]) for m in group) for h in group)
                val = sum(ms[m]["needs"][area] for m in group) - p["distance_weight"] * cost
                cands.append((area, frozenset(group), val))
    best = 0.0

    def rec(start, used, used_area, total):
        nonlocal best
        best = max(best, total)
        for k in range(start, len(cands)):
            area, group, val = cands[k]
            if val <= 0 and total + val < best:
                pass
            if any(
                used.get(m, 0) >= p["max_networks_per_municipality"] or (m, area) in used_area
                for m in group
            ):
                continue
            for m in group:
                used[m] = used.get(m, 0) + 1
                used_area.add((m, area))
            rec(k + 1, used, used_area, total + val)
            for m in group:
                used[m] -= 1
                used_area.discard((m, area))

    rec(0, {}, set(), 0.0)
    return best


def brute_partnerships(data):
    p = {
        "max_partnerships_per_learner": 1,
        "max_mentees_per_mentor": 2,
        "mentor_distance_weight": 0.05,
    }
    p.update({k: v for k, v in data.get("params", {}).items() if k in p})
    ms = data["municipalities"]
    edges = []
    for li, lm in enumerate(ms):
        for mi, mm in enumerate(ms):
            if li == mi:
                continue
            for area, nv in lm["needs"].items():
                sv = mm["strengths"].get(area, 0)
                if nv > 0 and sv > 0:
                    edges.append((li, mi, area, nv * sv - p["mentor_distance_weight"] * d(lm, mm)))
    assert len(edges) <= 16
    best = 0.0
    for mask in range(1 << len(edges)):
        chosen = [e for k, e in enumerate(edges) if mask >> k & 1]
        per_l, per_m, la = {}, {}, set()
        ok = True
        for li, mi, area, _ in chosen:
            per_l[li] = per_l.get(li, 0) + 1
            per_m[mi] = per_m.get(mi, 0) + 1
            if (li, area) in la:
                ok = False
            la.add((li, area))
        ok = ok and all(v <= p["max_partnerships_per_learner"] for v in per_l.values())
        ok = ok and all(v <= p["max_mentees_per_mentor"] for v in per_m.values())
        if ok:
            best = max(best, sum(e[3] for e in chosen))
    return best


@pytest.fixture(autouse=True)
def _fast_and_quiet():
    """Override the repo-wide Django fixture: the grouping engine has no Django."""
    yield


@pytest.fixture
def close():
    return lambda a, b: math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-7)
