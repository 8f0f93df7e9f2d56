"""Local search on learning networks (one network per municipality).

Starting from any feasible solution, it applies improving moves until none is left or the
deadline passes:

* **move**: a municipality leaves its network (or joins from outside any network) and joins
  another network of any area it needs, if that network has room;
* **eject**: the same into a full network, whose weakest member leaves it;
* **open**: a new network in an area, from municipalities outside networks and members that
  their networks can spare (above `min_size`), best host first.

Every move is evaluated exactly (a network's value uses its best host), so the objective never
decreases and sizes stay within min..max. Networks near a municipality are found through their
hosts (the `near` nearest networks of each area), so the cost per move does not grow with the
instance. Deterministic for a given seed (the visiting order is seeded).
"""

from __future__ import annotations

import time

import numpy as np

from .aliases import FloatArray, IntArray
from .geo import EARTH_RADIUS_KM, UNIT_KM
from .problem import Problem

_SCALE = 2 * EARTH_RADIUS_KM / UNIT_KM


DENSE_MAX = 3000  # precompute all distances up to this many municipalities
OPEN_MAX = 400  # the open move is tried in areas with at most this many takers


class _State:
    def __init__(
        self,
        problem: Problem,
        nets: list[tuple[int, list[int]]],
        dense: FloatArray | None = None,
    ) -> None:
        p = problem.params
        self.p = problem
        self.xyz = problem.xyz
        self.lo, self.hi, self.dw = p.min_size, p.max_size, p.distance_weight
        self.need: dict[tuple[int, int], float] = {}
        self.areas_of: list[list[int]] = [[] for _ in range(problem.n)]
        for m, a, v in zip(
            problem.need_m.tolist(), problem.need_a.tolist(), problem.need_v.tolist(), strict=True
        ):
            self.need[(m, a)] = v
            self.areas_of[m].append(a)
        if dense is None and problem.n <= DENSE_MAX:
            x = problem.xyz
            chord = np.sqrt(np.maximum(0.0, 2.0 - 2.0 * (x @ x.T)))
            dense = _SCALE * np.arcsin(np.clip(chord / 2, 0.0, 1.0))
        self.D = dense
        self.assign = np.full(problem.n, -1, dtype=np.int64)
        self.area: list[int] = []
        self.mem: list[list[int]] = []
        self.S: list[FloatArray] = []  # per network: total distance to each member as host
        self.nsum: list[float] = []
        self.val: list[float] = []
        self.host: list[int] = []
        self.alive: list[bool] = []
        self.by_area: dict[int, set[int]] = {}
        for a, mem in nets:
            self.add(a, list(mem))

    def dist(self, m: int, mem: list[int] | IntArray) -> FloatArray:
        d: FloatArray
        if self.D is not None:
            d = self.D[m, mem]
            return d
        chord = np.sqrt(((self.xyz[mem] - self.xyz[m]) ** 2).sum(axis=1))
        d = _SCALE * np.arcsin(np.clip(chord / 2, 0.0, 1.0))
        return d

    def block(self, mem: list[int]) -> FloatArray:
        d: FloatArray
        if self.D is not None:
            d = self.D[np.ix_(mem, mem)]
            return d
        pts = self.xyz[mem]
        chord = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2))
        d = _SCALE * np.arcsin(np.clip(chord / 2, 0.0, 1.0))
        return d

    def evaluate(self, a: int, mem: list[int]) -> tuple[float, int]:
        """(value, best host) of a network with members `mem` in area `a`."""
        tot = self.block(mem).sum(axis=1)
        k = int(np.argmin(tot))
        return sum(self.need[(m, a)] for m in mem) - self.dw * float(tot[k]), mem[k]

    def add(self, a: int, mem: list[int]) -> int:
        i = len(self.mem)
        self.area.append(a)
        self.mem.append([])
        self.S.append(np.zeros(0))
        self.nsum.append(0.0)
        self.val.append(0.0)
        self.host.append(-1)
        self.alive.append(True)
        self.by_area.setdefault(a, set()).add(i)
        self.set_members(i, mem)
        return i

    def set_members(self, i: int, mem: list[int]) -> None:
        a = self.area[i]
        S = self.block(mem).sum(axis=1)
        k = int(np.argmin(S))
        self.mem[i], self.S[i] = mem, S
        self.nsum[i] = sum(self.need[(m, a)] for m in mem)
        self.val[i] = self.nsum[i] - self.dw * float(S[k])
        self.host[i] = mem[k]
        self.assign[mem] = i

    def total(self) -> float:
        return float(sum(v for v, ok in zip(self.val, self.alive, strict=True) if ok))

    def networks(self) -> list[tuple[int, list[int]]]:
        return [(self.area[i], sorted(self.mem[i])) for i in range(len(self.mem)) if self.alive[i]]

    def near_networks(self, m: int, a: int, k: int) -> list[int]:
        ids = [i for i in self.by_area.get(a, ()) if self.alive[i]]
        if len(ids) <= k:
            return ids
        hosts = np.asarray([self.host[i] for i in ids])
        d = ((self.xyz[hosts] - self.xyz[m]) ** 2).sum(axis=1)
        return [ids[j] for j in np.argpartition(d, k - 1)[:k].tolist()]


def _leave_gain(st: _State, m: int) -> float:
    """Gain of taking m out of its network (0 if outside any; -inf if it cannot leave)."""
    i = int(st.assign[m])
    if i < 0:
        return 0.0
    mem = st.mem[i]
    if len(mem) <= st.lo:
        return -np.inf
    k = mem.index(m)
    S = st.S[i] - st.dist(m, mem)
    S[k] = np.inf
    v = st.nsum[i] - st.need[(m, st.area[i])] - st.dw * float(S.min())
    return v - st.val[i]


def _try_move(st: _State, m: int, near: int) -> bool:
    g0 = _leave_gain(st, m)
    if g0 == -np.inf:
        return False
    cur = int(st.assign[m])
    best_gain = 1e-9
    best: tuple[int, int | None] | None = None  # (network, member it ejects)
    dw = st.dw
    for a in st.areas_of[m]:
        nm = st.need[(m, a)]
        for j in st.near_networks(m, a, near):
            if j == cur:
                continue
            mem = st.mem[j]
            dm = st.dist(m, mem)
            if len(mem) < st.hi:
                v = st.nsum[j] + nm - dw * min(float((st.S[j] + dm).min()), float(dm.sum()))
                gain = g0 + v - st.val[j]
                if gain > best_gain:
                    best_gain, best = gain, (j, None)
            else:  # eject one member: row k drops member k
                M = st.block(mem)
                T = (st.S[j] + dm)[None, :] - M
                np.fill_diagonal(T, np.inf)
                host_m = dm.sum() - dm
                tot = np.minimum(T.min(axis=1), host_m)
                outs = np.asarray([st.need[(x, a)] for x in mem])
                v = st.nsum[j] + nm - outs - dw * tot
                k = int(np.argmax(v))
                gain = g0 + float(v[k]) - st.val[j]
                if gain > best_gain:
                    best_gain, best = gain, (j, mem[k])
    if best is None:
        return False
    j, out = best
    if cur >= 0:
        st.set_members(cur, [x for x in st.mem[cur] if x != m])
    new = [x for x in st.mem[j] if x != out] + [m]
    if out is not None:
        st.assign[out] = -1
    st.set_members(j, new)
    return True


def _try_open(st: _State, a: int, takers: list[int]) -> bool:
    """Open the best new network in area `a` from `takers` (municipalities needing `a`)."""
    lo, hi = st.lo, st.hi
    spare: dict[int, int] = {}
    cand, loss = [], []
    for m in takers:
        i = int(st.assign[m])
        if i >= 0 and st.area[i] == a:
            continue
        if i >= 0:
            if len(st.mem[i]) <= lo:
                continue
            spare.setdefault(i, len(st.mem[i]) - lo)
            rest = [x for x in st.mem[i] if x != m]
            v, _h = st.evaluate(st.area[i], rest)
            cost = st.val[i] - v
        else:
            cost = 0.0
        if st.need[(m, a)] - cost > 0:
            cand.append(m)
            loss.append(cost)
    if len(cand) < lo:
        return False
    c = np.asarray(cand)
    profit = np.asarray([st.need[(m, a)] for m in cand]) - np.asarray(loss)
    pts = st.xyz[c]
    chord = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2))
    D = _SCALE * np.arcsin(np.clip(chord / 2, 0.0, 1.0))
    best: tuple[float, list[int] | None] = (1e-9, None)
    for hi_ in range(len(c)):
        score = profit - st.dw * D[hi_]
        order = np.argsort(-score, kind="stable")
        used: dict[int, int] = {}
        ih = int(st.assign[c[hi_]])
        if ih >= 0:
            used[ih] = 1
        pick = [hi_]
        for k in order.tolist():
            if k == hi_:
                continue
            if len(pick) >= hi or (len(pick) >= lo and score[k] <= 0):
                break
            i = int(st.assign[c[k]])
            if i >= 0:
                if used.get(i, 0) >= spare[i]:
                    continue
                used[i] = used.get(i, 0) + 1
            pick.append(k)
        if len(pick) < lo:
            continue
        est = float(score[pick].sum() + st.dw * D[hi_, hi_])
        if est > best[0]:
            best = (est, [int(c[k]) for k in pick])
    if best[1] is None:
        return False
    new = best[1]
    # exact gain: the new network, minus what the donor networks lose together
    donors: dict[int, list[int]] = {}
    for m in new:
        i = int(st.assign[m])
        if i >= 0:
            donors.setdefault(i, []).append(m)
    v_new, _h = st.evaluate(a, new)
    gain = v_new
    after = {}
    for i, out in donors.items():
        rest = [x for x in st.mem[i] if x not in out]
        v, h = st.evaluate(st.area[i], rest)
        after[i] = (rest, v, h)
        gain += v - st.val[i]
    if gain <= 1e-9:
        return False
    for i, (rest, _v, _h) in after.items():
        st.set_members(i, rest)
    st.add(a, new)
    return True


def _descend(
    st: _State, order: list[int], takers: dict[int, list[int]], near: int, deadline: float
) -> None:
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for m in order:
            if time.monotonic() >= deadline:
                return
            if _try_move(st, m, near):
                improved = True
        for a in sorted(takers):
            if time.monotonic() >= deadline:
                return
            if len(takers[a]) > OPEN_MAX and st.D is None:
                continue
            while _try_open(st, a, takers[a]):
                improved = True


def _dissolve(st: _State, i: int) -> None:
    st.assign[st.mem[i]] = -1
    st.alive[i] = False
    st.by_area[st.area[i]].discard(i)


def improve(
    problem: Problem,
    nets: list[tuple[int, list[int]]],
    deadline: float,
    seed: int = 0,
    near: int = 8,
    perturb: bool = True,
) -> list[tuple[int, list[int]]]:
    """Improve `nets` (feasible, members as global indices) by steepest moves until none is
    left; then, with `perturb`, iterate: dissolve one to three networks near a seeded random
    one, descend again, keep the result if it is not worse (else return to the best). Stops at
    the deadline. Only for one network per municipality; otherwise `nets` is returned."""
    if problem.params.max_networks_per_municipality != 1 or problem.n == 0:
        return nets
    st = _State(problem, nets)
    rng = np.random.default_rng(seed)
    takers: dict[int, list[int]] = {}
    for m, a in zip(problem.need_m.tolist(), problem.need_a.tolist(), strict=True):
        takers.setdefault(a, []).append(m)
    _descend(st, rng.permutation(problem.n).tolist(), takers, near, deadline)
    best, best_val = st.networks(), st.total()
    while perturb and time.monotonic() < deadline:
        live = [i for i in range(len(st.mem)) if st.alive[i]]
        if not live:
            break
        i0 = live[int(rng.integers(len(live)))]
        k = int(rng.integers(1, 4))
        hosts = np.asarray([st.host[i] for i in live])
        d = ((st.xyz[hosts] - st.xyz[st.host[i0]]) ** 2).sum(axis=1)
        for j in np.argsort(d, kind="stable")[:k].tolist():
            _dissolve(st, live[j])
        _descend(st, rng.permutation(problem.n).tolist(), takers, near, deadline)
        val = st.total()
        if val > best_val + 1e-9:
            best, best_val = st.networks(), val
        elif val < best_val - 1e-9:
            st = _State(problem, best, st.D)
    return best
