"""CLI: python -m mreza.grouping INPUT.json [--time-limit SECONDS] [--seed N].

Prints the solution as JSON on stdout. Invalid input or arguments: exit code 2
and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from typing import NoReturn

from .problem import GroupingInputError


def _process_age() -> float:
    """Seconds since this process started (Linux; 0 elsewhere): the imports of numpy, scipy
    and highspy happen before this module runs and count against the time limit too."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


_T0 = time.monotonic() - _process_age()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        sys.stderr.write(f"error: {message}\n")
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m mreza.grouping", description="Group municipalities.")
    parser.add_argument("input", help="input JSON file ('-' for stdin)")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds (default by size)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.time_limit is not None and not (math.isfinite(args.time_limit) and args.time_limit > 0):
        parser.error(f"--time-limit: must be a positive number, got {args.time_limit!r}")
    try:
        if args.input == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.input, encoding="utf-8") as fh:
                data = json.load(fh)
    except OSError as exc:
        parser.error(f"input: cannot read {args.input!r}: {exc.strerror}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        parser.error(f"input: malformed JSON: {msg}")
    # HiGHS prints a banner on first use: keep stdout for the JSON only.
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        from .problem import validate
        from .solver import default_time_limit, solve_problem

        try:
            problem = validate(data)
        except GroupingInputError as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 2
        # the time limit is wall time for the whole command: imports, reading and validating
        # the input count too (seconds each on a busy machine)
        limit = default_time_limit(problem.n) if args.time_limit is None else args.time_limit
        left = max(0.2 * limit, limit - (time.monotonic() - _T0))
        result = solve_problem(problem, time_limit=left, seed=args.seed)
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
