"""Property tests: every output is feasible, bounds hold, runs are deterministic."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mreza.grouping import check_feasibility, solve

AREAS = ["1.1", "2.2", "3.2", "X"]

scores = st.dictionaries(st.sampled_from(AREAS), st.floats(0, 1, allow_nan=False), max_size=3)
munis = st.lists(
    st.tuples(st.floats(42.6, 45.2), st.floats(15.8, 19.6), scores, scores), min_size=0, max_size=18
)
params = st.fixed_dictionaries(
    {"min_size": st.integers(1, 4), "max_size": st.integers(4, 7)},
    optional={
        "max_networks_per_municipality": st.integers(0, 2),
        "distance_weight": st.floats(0, 2),
        "max_partnerships_per_learner": st.integers(0, 3),
        "max_mentees_per_mentor": st.integers(0, 3),
        "mentor_distance_weight": st.floats(0, 1),
    },
)


def build(ms, ps):
    return {
        "municipalities": [
            {"id": f"id-{k}", "lat": la, "lon": lo, "needs": n, "strengths": s}
            for k, (la, lo, n, s) in enumerate(ms)
        ],
        "params": ps,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(munis, params)
def test_every_output_is_feasible(ms, ps):
    data = build(ms, ps)
    out = solve(data, time_limit=2)
    assert check_feasibility(data, out) == []


@settings(max_examples=8, deadline=None)
@given(munis, st.integers(0, 5))
def test_deterministic_and_order_independent(ms, seed):
    data = build(ms, {"min_size": 2, "max_size": 4})
    a = solve(data, seed=seed)
    rev = {"municipalities": list(reversed(data["municipalities"])), "params": data["params"]}
    b = solve(rev, seed=seed)
    for out in (a, b):
        out.pop("seconds")
    assert a == b
