import json
import subprocess
import sys
from pathlib import Path

from mreza.grouping import check_feasibility

from .conftest import muni

ROOT = Path(__file__).resolve().parents[3]


def test_cli_solves_and_prints_json(tmp_path):
    ms = [
        muni(
            f"m{i:02d}",
            44 + 0.05 * (i % 5),
            17 + 0.07 * i,
            {"3.2": 0.5 + 0.02 * i, "1.1": 0.3},
            {"2.1": 0.4 + 0.03 * i},
        )
        for i in range(14)
    ]
    ms[3]["needs"]["2.1"] = 0.9
    data = {"municipalities": ms, "params": {"min_size": 3, "max_size": 5}}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    r = subprocess.run(
        [sys.executable, "-m", "mreza.grouping", str(path), "--time-limit", "5", "--seed", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"networks", "partnerships", "objective", "bound", "status", "seconds"}
    assert out["status"] in ("optimal", "feasible")
    assert check_feasibility(data, out) == []
    assert out["networks"] and out["partnerships"]
