"""Input validation and the normalised, array-based problem representation.

`validate` turns the raw JSON-like dict into a `Problem`. Municipalities are
re-ordered by id and areas sorted, so nothing downstream depends on the order
of the input (or of dict keys). Needs/strengths equal to 0 are dropped: they
never allow membership.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
from scipy.sparse import csr_array

from .aliases import FloatArray, IntArray
from .geo import unit_vectors

DEFAULT_PARAMS: dict[str, float | int] = {
    "min_size": 6,
    "max_size": 12,
    "max_networks_per_municipality": 1,
    "distance_weight": 0.1,
    "max_partnerships_per_learner": 1,
    "max_mentees_per_mentor": 2,
    "mentor_distance_weight": 0.05,
}
INT_PARAMS = {
    "min_size": 1,
    "max_size": 1,
    "max_networks_per_municipality": 0,
    "max_partnerships_per_learner": 0,
    "max_mentees_per_mentor": 0,
}
FLOAT_PARAMS = ("distance_weight", "mentor_distance_weight")


# one validated municipality: (id, lat, lon, needs, strengths)
Row: TypeAlias = tuple[str, float, float, dict[str, float], dict[str, float]]


class GroupingInputError(ValueError):
    """Invalid input; the message is one line naming the field (and municipality)."""


@dataclass
class Params:
    min_size: int = 6
    max_size: int = 12
    max_networks_per_municipality: int = 1
    distance_weight: float = 0.1
    max_partnerships_per_learner: int = 1
    max_mentees_per_mentor: int = 2
    mentor_distance_weight: float = 0.05


@dataclass
class Problem:
    ids: list[str]
    lat: FloatArray
    lon: FloatArray
    areas: list[str]
    # sparse (municipality, area, value) triplets, value > 0, sorted by (area, municipality)
    need_m: IntArray
    need_a: IntArray
    need_v: FloatArray
    str_m: IntArray
    str_a: IntArray
    str_v: FloatArray
    params: Params
    xyz: FloatArray = field(init=False)
    need_csr: csr_array = field(init=False)

    def __post_init__(self) -> None:
        self.xyz = unit_vectors(self.lat, self.lon)
        shape = (len(self.ids), max(1, len(self.areas)))
        self.need_csr = csr_array((self.need_v, (self.need_m, self.need_a)), shape=shape)

    @property
    def n(self) -> int:
        return len(self.ids)

    def area_slices(self, which: str = "need") -> list[tuple[IntArray, FloatArray]]:
        """Per area index: (municipality indices, values) with value > 0."""
        m, a, v = (
            (self.need_m, self.need_a, self.need_v)
            if which == "need"
            else (self.str_m, self.str_a, self.str_v)
        )
        bounds = np.searchsorted(a, np.arange(len(self.areas) + 1))
        return [
            (m[bounds[k] : bounds[k + 1]], v[bounds[k] : bounds[k + 1]])
            for k in range(len(self.areas))
        ]


def _is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _who(i: int, mid: object) -> str:
    return f"municipalities[{i}] (id {mid!r})" if isinstance(mid, str) else f"municipalities[{i}]"


def _validate_params(raw: object) -> Params:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise GroupingInputError("params: must be an object")
    values = dict(DEFAULT_PARAMS)
    for key in sorted(raw):
        if key not in DEFAULT_PARAMS:
            raise GroupingInputError(f"params.{key}: unknown parameter")
        val = raw[key]
        if key in INT_PARAMS:
            ok = isinstance(val, int) and not isinstance(val, bool) and val >= INT_PARAMS[key]
            if not ok:
                raise GroupingInputError(
                    f"params.{key}: must be an integer >= {INT_PARAMS[key]}, got {val!r}"
                )
        else:
            if not (_is_number(val) and val >= 0):
                raise GroupingInputError(f"params.{key}: must be a finite number >= 0, got {val!r}")
            val = float(val)
        values[key] = val
    if values["max_size"] < values["min_size"]:
        raise GroupingInputError(
            f"params.max_size: must be >= params.min_size ({values['min_size']}),"
            f" got {values['max_size']!r}"
        )
    return Params(
        min_size=int(values["min_size"]),
        max_size=int(values["max_size"]),
        max_networks_per_municipality=int(values["max_networks_per_municipality"]),
        distance_weight=float(values["distance_weight"]),
        max_partnerships_per_learner=int(values["max_partnerships_per_learner"]),
        max_mentees_per_mentor=int(values["max_mentees_per_mentor"]),
        mentor_distance_weight=float(values["mentor_distance_weight"]),
    )


def _validate_scores(i: int, mid: str, name: str, raw: object, out: dict[str, float]) -> None:
    if raw is None:
        return
    if not isinstance(raw, dict):
        raise GroupingInputError(
            f"{_who(i, mid)}: field {name!r} must be an object of area -> 0..1"
        )
    for area, val in raw.items():
        if not isinstance(area, str) or not area:
            raise GroupingInputError(f"{_who(i, mid)}: {name} has an empty area code")
        if not _is_number(val):
            raise GroupingInputError(
                f"{_who(i, mid)}: {name}[{area!r}] must be a number, got {val!r}"
            )
        if not 0 <= val <= 1:
            raise GroupingInputError(f"{_who(i, mid)}: {name}[{area!r}] = {val!r} is outside 0..1")
        if val > 0:
            out[area] = float(val)


def validate(data: object) -> Problem:
    """Check the raw input and return the normalised `Problem`.

    Raises `GroupingInputError` with a one-line message naming the field and
    the municipality (by position and id) at fault.
    """
    if not isinstance(data, dict):
        raise GroupingInputError("input: must be a JSON object with 'municipalities'")
    unknown = sorted(k for k in data if k not in ("municipalities", "params"))
    if unknown:
        raise GroupingInputError(f"input: unknown top-level field {unknown[0]!r}")
    params = _validate_params(data.get("params"))
    munis = data.get("municipalities")
    if not isinstance(munis, list):
        raise GroupingInputError("municipalities: missing or not a list")
    seen: dict[str, int] = {}
    rows: list[Row] = []
    for i, mu in enumerate(munis):
        if not isinstance(mu, dict):
            raise GroupingInputError(f"municipalities[{i}]: must be an object")
        mid = mu.get("id")
        if not isinstance(mid, str) or not mid.strip():
            raise GroupingInputError(
                f"municipalities[{i}]: field 'id' is missing or not a non-empty string"
            )
        if mid in seen:
            raise GroupingInputError(
                f"{_who(i, mid)}: duplicate id (also municipalities[{seen[mid]}])"
            )
        seen[mid] = i
        extra = sorted(k for k in mu if k not in ("id", "lat", "lon", "needs", "strengths", "name"))
        if extra:
            raise GroupingInputError(f"{_who(i, mid)}: unknown field {extra[0]!r}")
        for key, lim in (("lat", 90.0), ("lon", 180.0)):
            val = mu.get(key)
            if val is None:
                raise GroupingInputError(f"{_who(i, mid)}: field {key!r} is missing")
            if not _is_number(val):
                raise GroupingInputError(
                    f"{_who(i, mid)}: field {key!r} must be a number, got {val!r}"
                )
            if not -lim <= val <= lim:
                raise GroupingInputError(
                    f"{_who(i, mid)}: field {key!r} = {val!r} is outside -{lim:g}..{lim:g}"
                )
        needs: dict[str, float] = {}
        strengths: dict[str, float] = {}
        _validate_scores(i, mid, "needs", mu.get("needs"), needs)
        _validate_scores(i, mid, "strengths", mu.get("strengths"), strengths)
        rows.append((mid, float(mu["lat"]), float(mu["lon"]), needs, strengths))
    return build_problem(rows, params)


def build_problem(rows: list[Row], params: Params) -> Problem:
    rows = sorted(rows, key=lambda r: r[0])
    ids = [r[0] for r in rows]
    areas = sorted({a for r in rows for a in r[3]} | {a for r in rows for a in r[4]})
    aidx = {a: k for k, a in enumerate(areas)}

    def triplets(col: int) -> tuple[IntArray, IntArray, FloatArray]:
        m: list[int] = []
        a: list[int] = []
        v: list[float] = []
        for i, r in enumerate(rows):
            scores = r[3] if col == 3 else r[4]
            for area, val in scores.items():
                m.append(i)
                a.append(aidx[area])
                v.append(val)
        m_arr = np.asarray(m, dtype=np.int64)
        a_arr = np.asarray(a, dtype=np.int64)
        v_arr = np.asarray(v, dtype=np.float64)
        order = np.lexsort((m_arr, a_arr))
        return m_arr[order], a_arr[order], v_arr[order]

    nm, na, nv = triplets(3)
    sm, sa, sv = triplets(4)
    return Problem(
        ids=ids,
        lat=np.asarray([r[1] for r in rows], dtype=np.float64),
        lon=np.asarray([r[2] for r in rows], dtype=np.float64),
        areas=areas,
        need_m=nm,
        need_a=na,
        need_v=nv,
        str_m=sm,
        str_a=sa,
        str_v=sv,
        params=params,
    )
