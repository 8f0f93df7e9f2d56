"""check_feasibility catches each kind of violation."""

import copy

from mreza.grouping import check_feasibility, solve

from .conftest import muni


def instance():
    ms = [muni(f"m{i}", 44.0 + 0.01 * i, 17.0, {"A": 0.6}, {"B": 0.5}) for i in range(4)]
    ms.append(muni("l", 44.2, 17.1, {"B": 0.9}, {"A": 0.8}))
    return {"municipalities": ms, "params": {"min_size": 3, "max_size": 4}}


def test_valid_solution_passes():
    data = instance()
    out = solve(data)
    assert check_feasibility(data, out) == []
    assert out["networks"][0]["members"] == ["m0", "m1", "m2", "m3"]


def broken(mut):
    data = instance()
    out = solve(data)
    bad = copy.deepcopy(out)
    mut(bad)
    return check_feasibility(data, bad)


def test_detects_violations():
    assert any(
        "size" in e for e in broken(lambda o: o["networks"][0]["members"].__delitem__(slice(0, 2)))
    )
    assert any("no need" in e for e in broken(lambda o: o["networks"][0]["members"].append("l")))
    assert any(
        "networks" in e and "max" in e
        for e in broken(
            lambda o: o["networks"].append(
                {"area": "A", "host": "m1", "members": ["m0", "m1", "m2"]}
            )
        )
    )
    assert any("objective" in e for e in broken(lambda o: o["objective"].update(networks=99.0)))
    assert any("host" in e for e in broken(lambda o: o["networks"][0].update(host="m0")))
    assert any(
        "own mentor" in e or "no strength" in e
        for e in broken(
            lambda o: o["partnerships"].append({"learner": "l", "mentor": "l", "area": "B"})
        )
    )
    assert any("bound" in e for e in broken(lambda o: o["bound"].update(partnerships=-1.0)))
    assert any(
        "mentees" in e
        for e in broken(
            lambda o: o["partnerships"].extend(
                [{"learner": f"m{i}", "mentor": "l", "area": "A"} for i in range(4)]
            )
        )
    )
