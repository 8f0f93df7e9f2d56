"""Mreža grouping engine: learning networks and mentoring partnerships.

Pure Python (numpy, scipy, highspy); no Django. Public API:

- `solve(data, time_limit=None, seed=0) -> dict` (see bench/grouping/README.md for the method)
- `validate(data) -> Problem`, raising `GroupingInputError` (one-line message)
- `check_feasibility(data, output) -> list[str]` (empty when the output is valid)

CLI: `python -m mreza.grouping INPUT.json [--time-limit SECONDS] [--seed N]`.
"""

from .feasibility import check_feasibility
from .problem import GroupingInputError, Problem, validate
from .solver import default_time_limit, solve

__all__ = [
    "GroupingInputError",
    "Problem",
    "check_feasibility",
    "default_time_limit",
    "solve",
    "validate",
]
