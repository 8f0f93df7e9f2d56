"""The benchmark's realistic instance generators (bench/grouping/instances.py)."""

from collections import Counter

import numpy as np

from bench.grouping.instances import (
    CAF_AREAS,
    RECURRING,
    ba_leaf_units,
    ba_real,
    clustered,
    generate,
    realistic,
)
from mreza.grouping import validate


def test_ba_real_uses_the_143_leaf_units_of_the_registry():
    units = ba_leaf_units()
    codes = {c for c, _lat, _lon in units}
    assert len(units) == 143
    assert "BA-BRCKO" in codes and "BA-CENTAR-SARAJEVO" in codes
    assert "BA-SARAJEVO" not in codes and "BA-ISTOCNO-SARAJEVO" not in codes  # umbrellas
    data = ba_real(0)
    validate(data)
    assert [m["id"] for m in data["municipalities"]] == sorted(codes)
    for m in data["municipalities"]:
        assert 42.5 < m["lat"] < 45.3 and 15.7 < m["lon"] < 19.7


def test_popularity_is_skewed_towards_the_recurring_weak_spots():
    counts = Counter(
        a for seed in range(3) for m in ba_real(seed)["municipalities"] for a in m["needs"]
    )
    top9 = {a for a, _ in counts.most_common(9)}
    assert len(top9 & set(RECURRING)) >= 6
    assert counts.most_common(1)[0][1] > 5 * max(1, min(counts.get(a, 0) for a in CAF_AREAS))


def test_need_levels_are_mixed():
    ms = ba_real(1)["municipalities"]
    k = np.asarray([len(m["needs"]) for m in ms])
    top = np.asarray([max(m["needs"].values()) for m in ms])
    assert k.min() <= 2 and k.max() >= 6
    assert top.min() <= 0.5 and top.max() >= 0.95
    assert all(not set(m["needs"]) & set(m["strengths"]) for m in ms)


def test_clustered_coordinates_are_clustered_and_seeded():
    a, b = clustered(2000, 4), clustered(2000, 4)
    assert a == b and clustered(2000, 5) != a
    validate(a)

    def mean_nn(data):
        xy = np.asarray([(m["lat"], m["lon"]) for m in data["municipalities"]])
        d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
        np.fill_diagonal(d, np.inf)
        return float(np.median(d.min(axis=1)))

    # much closer neighbours than the same number of points spread uniformly in the box
    assert mean_nn(a) < 0.6 * mean_nn(generate(2000, 4))


def test_realistic_suite_dispatch():
    assert len(realistic(143, 0)["municipalities"]) == 143
    assert realistic(143, 0)["municipalities"][0]["id"].startswith("BA-")
    assert len(realistic(500, 0)["municipalities"]) == 500
