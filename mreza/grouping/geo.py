"""Distances. d(a, b) is the great-circle (haversine) distance in km / 100."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .aliases import FloatArray, IntArray

EARTH_RADIUS_KM = 6371.0
UNIT_KM = 100.0


def unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    la = np.radians(np.asarray(lat, dtype=np.float64))
    lo = np.radians(np.asarray(lon, dtype=np.float64))
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def haversine(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> FloatArray:
    """Great-circle distance in units of 100 km (broadcasting)."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dphi = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    s = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: FloatArray = 2 * EARTH_RADIUS_KM / UNIT_KM * np.arcsin(np.sqrt(np.clip(s, 0.0, 1.0)))
    return out


def pair_dist(lat: FloatArray, lon: FloatArray, a: IntArray, b: IntArray) -> FloatArray:
    """Distance matrix between index sets a (rows) and b (cols)."""
    return haversine(lat[a][:, None], lon[a][:, None], lat[b][None, :], lon[b][None, :])


def chord_to_dist(chord: FloatArray) -> FloatArray:
    """Convert a chord length on the unit sphere into d (km / 100)."""
    return 2 * EARTH_RADIUS_KM / UNIT_KM * np.arcsin(np.clip(np.asarray(chord) / 2, 0.0, 1.0))


def dist_to_chord(d: float) -> float:
    return float(2 * np.sin(min(d * UNIT_KM / EARTH_RADIUS_KM, np.pi) / 2))
