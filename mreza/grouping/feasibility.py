"""Objective evaluation and an independent feasibility checker.

`check_feasibility(input, output)` is used by the tests and the benchmark: it
re-validates the input, checks every constraint of the contract, recomputes
both objectives from scratch and compares them (and the bounds) with what the
output claims. It returns a list of human-readable violations (empty = valid).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .aliases import FloatArray, IntArray
from .geo import haversine
from .problem import Problem, validate

TOL = 1e-6


def best_host(problem: Problem, members: list[int]) -> tuple[int, float]:
    """The member minimising the members' total distance to it (ties: lowest id) and that total."""
    idx = np.asarray(sorted(members), dtype=np.int64)
    lat, lon = problem.lat[idx], problem.lon[idx]
    tot = haversine(lat[:, None], lon[:, None], lat[None, :], lon[None, :]).sum(axis=1)
    k = int(np.argmin(tot))
    return int(idx[k]), float(tot[k])


def net_value(problem: Problem, area: int, members: list[int]) -> tuple[float, int]:
    """(value, host) of a network, reading needs from the problem's sparse matrix."""
    host, dist = best_host(problem, members)
    needs = problem.need_csr[np.asarray(members), area].toarray().ravel()
    return float(needs.sum()) - problem.params.distance_weight * dist, host


def network_values(
    problem: Problem, nets: Sequence[tuple[int, Sequence[int]]]
) -> tuple[FloatArray, IntArray]:
    """(values, hosts) of many networks at once, as `net_value` gives them one by one (which
    reads a sparse matrix per network: 5 s for the 16,000 networks of 100,000
    municipalities, against 0.1 s here)."""
    if not nets:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    width = max(len(mem) for _a, mem in nets)
    idx = np.full((len(nets), width), -1, dtype=np.int64)
    for i, (_a, mem) in enumerate(nets):
        idx[i, : len(mem)] = sorted(mem)
    ok = idx >= 0
    safe = np.where(ok, idx, 0)
    lat, lon = problem.lat[safe], problem.lon[safe]
    d = haversine(lat[:, :, None], lon[:, :, None], lat[:, None, :], lon[:, None, :])
    tot = np.where(ok[:, :, None] & ok[:, None, :], d, 0.0).sum(axis=2)
    k = np.argmin(np.where(ok, tot, np.inf), axis=1)
    rows = np.arange(len(nets))
    hosts: IntArray = idx[rows, k]
    # needs by key area * n + municipality (the triplets are sorted that way)
    area = np.asarray([a for a, _mem in nets], dtype=np.int64)
    key = area[:, None] * problem.n + safe
    have = problem.need_a * problem.n + problem.need_m
    pos = np.searchsorted(have, key).clip(0, max(0, len(have) - 1))
    found = ok & (have[pos] == key) if len(have) else np.zeros(ok.shape, dtype=bool)
    need = np.where(found, problem.need_v[pos] if len(have) else 0.0, 0.0).sum(axis=1)
    values: FloatArray = need - problem.params.distance_weight * tot[rows, k]
    return values, hosts


def partnership_values(problem: Problem, parts: Sequence[tuple[int, int, int]]) -> FloatArray:
    """Values of (learner, mentor, area) partnerships, as `partnership_value` gives them."""
    if not parts:
        return np.zeros(0)
    ln, mn, a = (np.asarray(col, dtype=np.int64) for col in zip(*parts, strict=True))
    n = problem.n

    def lookup(m: IntArray, am: IntArray, av: FloatArray, who: IntArray) -> FloatArray:
        have = am * n + m
        key = a * n + who
        pos = np.searchsorted(have, key).clip(0, max(0, len(have) - 1))
        out: FloatArray = np.where(have[pos] == key, av[pos], 0.0)
        return out

    need = lookup(problem.need_m, problem.need_a, problem.need_v, ln)
    strength = lookup(problem.str_m, problem.str_a, problem.str_v, mn)
    d = haversine(problem.lat[ln], problem.lon[ln], problem.lat[mn], problem.lon[mn])
    values: FloatArray = need * strength - problem.params.mentor_distance_weight * d
    return values


def network_value(
    problem: Problem, area: int, members: list[int], needs: Mapping[tuple[int, int], float]
) -> tuple[float, int]:
    host, dist = best_host(problem, members)
    total = sum(needs[(m, area)] for m in members)
    return total - problem.params.distance_weight * dist, host


def need_lookup(problem: Problem) -> dict[tuple[int, int], float]:
    return {
        (int(m), int(a)): float(v)
        for m, a, v in zip(problem.need_m, problem.need_a, problem.need_v, strict=True)
    }


def strength_lookup(problem: Problem) -> dict[tuple[int, int], float]:
    return {
        (int(m), int(a)): float(v)
        for m, a, v in zip(problem.str_m, problem.str_a, problem.str_v, strict=True)
    }


def partnership_value(
    problem: Problem,
    learner: int,
    mentor: int,
    area: int,
    needs: Mapping[tuple[int, int], float],
    strengths: Mapping[tuple[int, int], float],
) -> float:
    d = float(
        haversine(
            problem.lat[learner], problem.lon[learner], problem.lat[mentor], problem.lon[mentor]
        )
    )
    return (
        needs[(learner, area)] * strengths[(mentor, area)]
        - problem.params.mentor_distance_weight * d
    )


def check_feasibility(data: dict[str, Any], output: dict[str, Any]) -> list[str]:
    """Return the list of contract violations of `output` for `data` (empty if valid)."""
    problem = validate(data)
    p = problem.params
    errors: list[str] = []
    index = {mid: i for i, mid in enumerate(problem.ids)}
    aidx = {a: k for k, a in enumerate(problem.areas)}
    needs, strengths = need_lookup(problem), strength_lookup(problem)
    keys = ("networks", "partnerships", "objective", "bound", "status", "seconds")
    errors.extend(f"output: missing {key!r}" for key in keys if key not in output)
    if errors:
        return errors

    net_total = 0.0
    count: dict[int, int] = {}
    seen_area: set[tuple[int, int]] = set()
    for k, net in enumerate(output["networks"]):
        area, members, host = net.get("area"), net.get("members", []), net.get("host")
        if area not in aidx:
            errors.append(f"networks[{k}]: unknown area {area!r}")
            continue
        a = aidx[area]
        if any(m not in index for m in members) or host not in index:
            errors.append(f"networks[{k}]: unknown municipality id")
            continue
        mem = [index[m] for m in members]
        if len(set(mem)) != len(mem):
            errors.append(f"networks[{k}]: duplicate members")
            continue
        if not p.min_size <= len(mem) <= p.max_size:
            errors.append(f"networks[{k}]: size {len(mem)} outside {p.min_size}..{p.max_size}")
        for m in mem:
            if (m, a) not in needs:
                errors.append(f"networks[{k}]: {problem.ids[m]!r} has no need in area {area!r}")
            if (m, a) in seen_area:
                errors.append(f"networks[{k}]: {problem.ids[m]!r} is twice in area {area!r}")
            seen_area.add((m, a))
            count[m] = count.get(m, 0) + 1
        if any((m, a) not in needs for m in mem) or not mem:
            continue
        val, _ = network_value(problem, a, mem, needs)
        _, host_dist = best_host(problem, mem)
        h = index[host]
        if h not in mem:
            errors.append(f"networks[{k}]: host {host!r} is not a member")
        else:
            hd = float(
                haversine(problem.lat[h], problem.lon[h], problem.lat[mem], problem.lon[mem]).sum()
            )
            if hd > host_dist + TOL:
                errors.append(
                    f"networks[{k}]: host {host!r} does not minimise the members' distance"
                )
        net_total += val
    for m, c in count.items():
        if c > p.max_networks_per_municipality:
            errors.append(
                f"{problem.ids[m]!r} is in {c} networks (max {p.max_networks_per_municipality})"
            )

    part_total = 0.0
    per_learner: dict[int, int] = {}
    per_mentor: dict[int, int] = {}
    seen_la: set[tuple[int, int]] = set()
    for k, pt in enumerate(output["partnerships"]):
        ln, mn, area = pt.get("learner"), pt.get("mentor"), pt.get("area")
        if ln not in index or mn not in index or area not in aidx:
            errors.append(f"partnerships[{k}]: unknown learner, mentor or area")
            continue
        li, mi, a = index[ln], index[mn], aidx[area]
        if li == mi:
            errors.append(f"partnerships[{k}]: learner is its own mentor")
        if (li, a) not in needs:
            errors.append(f"partnerships[{k}]: learner {ln!r} has no need in {area!r}")
            continue
        if (mi, a) not in strengths:
            errors.append(f"partnerships[{k}]: mentor {mn!r} has no strength in {area!r}")
            continue
        if (li, a) in seen_la:
            errors.append(f"partnerships[{k}]: learner {ln!r} twice in area {area!r}")
        seen_la.add((li, a))
        per_learner[li] = per_learner.get(li, 0) + 1
        per_mentor[mi] = per_mentor.get(mi, 0) + 1
        part_total += partnership_value(problem, li, mi, a, needs, strengths)
    for li, c in per_learner.items():
        if c > p.max_partnerships_per_learner:
            errors.append(
                f"learner {problem.ids[li]!r} has {c} partnerships"
                f" (max {p.max_partnerships_per_learner})"
            )
    for mi, c in per_mentor.items():
        if c > p.max_mentees_per_mentor:
            errors.append(
                f"mentor {problem.ids[mi]!r} has {c} mentees (max {p.max_mentees_per_mentor})"
            )

    obj = output["objective"]
    for name, val in (("networks", net_total), ("partnerships", part_total)):
        claimed = obj.get(name)
        if not isinstance(claimed, float | int) or not math.isclose(
            claimed, val, rel_tol=1e-7, abs_tol=1e-6
        ):
            errors.append(f"objective.{name}: claims {claimed!r}, recomputed {val!r}")
        b = output["bound"].get(name)
        if b is not None and b < val - 1e-6 * max(1.0, abs(val)):
            errors.append(f"bound.{name}: {b!r} is below the objective {val!r}")
    if not math.isclose(
        obj.get("total", math.nan), net_total + part_total, rel_tol=1e-7, abs_tol=1e-6
    ):
        errors.append("objective.total: is not networks + partnerships")
    if output["status"] not in ("optimal", "feasible"):
        errors.append(f"status: {output['status']!r}")
    return errors
