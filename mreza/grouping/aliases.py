"""Type aliases shared by the grouping engine (numpy.typing arrays and the solution shapes)."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]

# a learning network: (area index, member indices); in MIP results and warm starts the host
# comes first
Network: TypeAlias = tuple[int, list[int]]
# LP row prices or Lagrangian multipliers: per municipality, and per (municipality, area)
Duals: TypeAlias = tuple[dict[int, float], dict[tuple[int, int], float]]
