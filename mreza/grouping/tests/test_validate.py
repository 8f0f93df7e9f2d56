"""Invalid input: GroupingInputError / exit code 2 with one line naming field and municipality."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mreza.grouping import GroupingInputError, validate
from mreza.grouping.__main__ import main

from .conftest import muni

ROOT = Path(__file__).resolve().parents[3]


def good():
    return {
        "municipalities": [muni("a", 44.0, 17.0, {"3.2": 0.5}), muni("b", 44.5, 18.0, {"3.2": 0.7})]
    }


def mutate(fn):
    data = good()
    fn(data)
    return data


CASES = [
    ("missing id", lambda d: d["municipalities"][1].pop("id"), ["municipalities[1]", "'id'"]),
    ("empty id", lambda d: d["municipalities"][0].update(id=""), ["municipalities[0]", "'id'"]),
    ("numeric id", lambda d: d["municipalities"][0].update(id=7), ["municipalities[0]", "'id'"]),
    (
        "duplicate id",
        lambda d: d["municipalities"][1].update(id="a"),
        ["municipalities[1]", "'a'", "duplicate"],
    ),
    ("lat out of range", lambda d: d["municipalities"][1].update(lat=95), ["'b'", "'lat'", "95"]),
    ("lon out of range", lambda d: d["municipalities"][0].update(lon=-181), ["'a'", "'lon'"]),
    ("lat missing", lambda d: d["municipalities"][0].pop("lat"), ["'a'", "'lat'", "missing"]),
    ("lat not a number", lambda d: d["municipalities"][0].update(lat="44"), ["'a'", "'lat'"]),
    ("lat is bool", lambda d: d["municipalities"][0].update(lat=True), ["'a'", "'lat'"]),
    (
        "need above 1",
        lambda d: d["municipalities"][1]["needs"].update({"3.2": 1.5}),
        ["'b'", "needs['3.2']", "0..1"],
    ),
    (
        "need negative",
        lambda d: d["municipalities"][0]["needs"].update({"1.1": -0.1}),
        ["'a'", "needs['1.1']"],
    ),
    (
        "need not number",
        lambda d: d["municipalities"][0]["needs"].update({"1.1": "x"}),
        ["'a'", "needs['1.1']"],
    ),
    (
        "strength above 1",
        lambda d: d["municipalities"][0].update(strengths={"2.1": 2}),
        ["'a'", "strengths['2.1']"],
    ),
    ("needs not object", lambda d: d["municipalities"][0].update(needs=[1]), ["'a'", "'needs'"]),
    (
        "unknown muni field",
        lambda d: d["municipalities"][0].update(population=5),
        ["'a'", "'population'"],
    ),
    ("municipality not object", lambda d: d["municipalities"].append(3), ["municipalities[2]"]),
    ("municipalities missing", lambda d: d.pop("municipalities"), ["municipalities"]),
    ("unknown param", lambda d: d.update(params={"size": 3}), ["params.size"]),
    ("min_size zero", lambda d: d.update(params={"min_size": 0}), ["params.min_size"]),
    ("min_size float", lambda d: d.update(params={"min_size": 2.5}), ["params.min_size"]),
    (
        "max below min",
        lambda d: d.update(params={"min_size": 5, "max_size": 4}),
        ["params.max_size"],
    ),
    (
        "negative weight",
        lambda d: d.update(params={"distance_weight": -1}),
        ["params.distance_weight"],
    ),
    (
        "nan weight",
        lambda d: d.update(params={"mentor_distance_weight": float("nan")}),
        ["params.mentor_distance_weight"],
    ),
    (
        "negative capacity",
        lambda d: d.update(params={"max_mentees_per_mentor": -1}),
        ["params.max_mentees_per_mentor"],
    ),
    ("params not object", lambda d: d.update(params=[]), ["params"]),
]


@pytest.mark.parametrize("name,fn,expect", CASES, ids=[c[0] for c in CASES])
def test_validate_raises_one_line(name, fn, expect):
    with pytest.raises(GroupingInputError) as exc:
        validate(mutate(fn))
    msg = str(exc.value)
    assert "\n" not in msg
    for part in expect:
        assert part in msg, (part, msg)


@pytest.mark.parametrize("name,fn,expect", CASES, ids=[c[0] for c in CASES])
def test_cli_exit_code_2(name, fn, expect, tmp_path, capsys):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(mutate(fn)))
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ")
    for part in expect:
        assert part in err


def test_top_level_not_object():
    with pytest.raises(GroupingInputError):
        validate([1, 2])


def _run(args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "mreza.grouping", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_malformed_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"municipalities": [')
    r = _run([str(path)])
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "malformed JSON" in r.stderr
    assert "Traceback" not in r.stderr


def test_cli_invalid_value_subprocess(tmp_path):
    path = tmp_path / "in.json"
    data = good()
    data["municipalities"][1]["lat"] = 123
    path.write_text(json.dumps(data))
    r = _run([str(path)])
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "'b'" in r.stderr and "'lat'" in r.stderr


def test_cli_missing_file_and_bad_args(tmp_path):
    assert _run([str(tmp_path / "nope.json")]).returncode == 2
    r = _run(["x.json", "--time-limit", "-3"])
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    r = _run(["x.json", "--seed", "abc"])
    assert r.returncode == 2 and r.stderr.count("\n") == 1
