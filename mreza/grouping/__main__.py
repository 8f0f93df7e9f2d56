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

from .problem import GroupingInputError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
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
        from .solver import solve_problem

        try:
            problem = validate(data)
        except GroupingInputError as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 2
        result = solve_problem(problem, time_limit=args.time_limit, seed=args.seed)
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
