"""Grouping-engine benchmark.

    .venv/bin/python -m bench.grouping.run [--sizes 143 1000 10000 100000] [--seed 0]

Each size is solved by the CLI in a subprocess (wall time; peak RSS = the
child's VmHWM), checked with check_feasibility, and compared with an independent
exact MIP (143) or with the engine's proven bound. Partnerships are also timed
in-process and, up to 1,000 municipalities, compared with the full LP over all
edges. Results go to bench/results/grouping-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mreza.grouping import check_feasibility, validate
from mreza.grouping.partnerships import solve_partnerships

from .exact import exact_networks, exact_partnerships
from .instances import generate

ROOT = Path(__file__).resolve().parents[2]


# Runs the CLI and reports the child's own peak RSS (VmHWM is per address space, so unlike
# ru_maxrss it does not include the benchmark parent's memory copied at fork time).
WRAPPER = (
    "import atexit, re, runpy, sys\n"
    "def _peak():\n"
    "    s = open('/proc/self/status').read()\n"
    "    sys.stderr.write('VmHWM ' + re.search(r'VmHWM:\\s+(\\d+)', s).group(1) + '\\n')\n"
    "atexit.register(_peak)\n"
    "sys.argv = ['mreza.grouping'] + sys.argv[1:]\n"
    "runpy.run_module('mreza.grouping', run_name='__main__', alter_sys=True)\n"
)


def run_cli(data: dict, seed: int, time_limit: float | None) -> tuple[dict, float, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(data, fh)
        path = fh.name
    args = [sys.executable, "-c", WRAPPER, path, "--seed", str(seed)]
    if time_limit is not None:
        args += ["--time-limit", str(time_limit)]
    out_path = path + ".out"
    t0 = time.monotonic()
    with open(out_path, "w") as out:
        proc = subprocess.run(args, cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"CLI failed with status {proc.returncode}: {proc.stderr[-500:]}")
    peak_kb = max((int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("VmHWM ")),
                  default=0)
    with open(out_path) as fh:
        result = json.load(fh)
    os.unlink(path)
    os.unlink(out_path)
    return result, wall, peak_kb / 1024.0


def bench_size(n: int, seed: int, time_limit: float | None, exact_time: float) -> dict:
    data = generate(n, seed)
    row: dict = {"size": n, "seed": seed}
    result, wall, peak = run_cli(data, seed, time_limit)
    errors = check_feasibility(data, result) if n <= 20000 else check_feasibility(data, result)[:5]
    row.update(seconds=round(wall, 2), engine_seconds=result["seconds"], peak_mb=round(peak, 1),
               feasible=not errors, errors=errors[:5], status=result["status"],
               networks=result["objective"]["networks"], networks_bound=result["bound"]["networks"],
               n_networks=len(result["networks"]), partnerships=result["objective"]["partnerships"],
               partnerships_bound=result["bound"]["partnerships"])
    if row["networks_bound"]:
        row["ratio_vs_bound"] = row["networks"] / row["networks_bound"]
    # partnerships alone, in-process
    if n <= 20000:
        problem = validate(data)
        t0 = time.monotonic()
        _, pobj, pbound = solve_partnerships(problem, time.monotonic() + 60)
        row["partnerships_seconds"] = round(time.monotonic() - t0, 2)
        row["partnerships_proven"] = pbound is not None and abs(pbound - pobj) <= 1e-6 * max(1, abs(pobj))
    if n <= 1000:
        row["partnerships_exact_lp"] = exact_partnerships(data)
    if n <= 200:
        t0 = time.monotonic()
        opt, bnd, proven = exact_networks(data, exact_time)
        row.update(exact_networks=opt, exact_bound=bnd, exact_proven=proven,
                   exact_seconds=round(time.monotonic() - t0, 1), ratio_vs_exact=row["networks"] / opt)
    return row


def fmt(x, nd=2):
    return "-" if x is None else (f"{x:.{nd}f}" if isinstance(x, float) else str(x))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[143, 1000, 10000])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--time-limit", type=float, default=None)
    ap.add_argument("--exact-time", type=float, default=600.0)
    args = ap.parse_args(argv)
    rows = []
    head = (f"{'size':>7} {'seed':>4} {'sec':>7} {'peakMB':>7} {'networks':>10} {'bound':>10} {'ratio':>7} "
            f"{'exact':>10} {'r/exact':>7} {'partner':>10} {'p.bound':>10} {'p.sec':>6} ok")
    print(head, flush=True)
    for n in args.sizes:
        for seed in args.seeds:
            r = bench_size(n, seed, args.time_limit, args.exact_time)
            rows.append(r)
            print(f"{n:>7} {seed:>4} {fmt(r['seconds']):>7} {fmt(r['peak_mb'], 0):>7} {fmt(r['networks']):>10} "
                  f"{fmt(r['networks_bound']):>10} {fmt(r.get('ratio_vs_bound'), 4):>7} "
                  f"{fmt(r.get('exact_networks')):>10} {fmt(r.get('ratio_vs_exact'), 4):>7} "
                  f"{fmt(r['partnerships']):>10} {fmt(r['partnerships_bound']):>10} "
                  f"{fmt(r.get('partnerships_seconds')):>6} {'yes' if r['feasible'] else 'NO'}", flush=True)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"grouping-{stamp}.json"
    path.write_text(json.dumps({"rows": rows}, indent=1))
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
