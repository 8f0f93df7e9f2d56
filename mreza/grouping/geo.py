"""Distances. d(a, b) is the great-circle (haversine) distance in km / 100."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0
UNIT_KM = 100.0


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la = np.radians(np.asarray(lat, dtype=np.float64))
    lo = np.radians(np.asarray(lon, dtype=np.float64))
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def haversine(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in units of 100 km (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    s = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM / UNIT_KM * np.arcsin(np.sqrt(np.clip(s, 0.0, 1.0)))


def pair_dist(lat: np.ndarray, lon: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance matrix between index sets a (rows) and b (cols)."""
    return haversine(lat[a][:, None], lon[a][:, None], lat[b][None, :], lon[b][None, :])


def chord_to_dist(chord: np.ndarray) -> np.ndarray:
    """Convert a chord length on the unit sphere into d (km / 100)."""
    return 2 * EARTH_RADIUS_KM / UNIT_KM * np.arcsin(np.clip(np.asarray(chord) / 2, 0.0, 1.0))


def dist_to_chord(d: float) -> float:
    return float(2 * np.sin(min(d * UNIT_KM / EARTH_RADIUS_KM, np.pi) / 2))
