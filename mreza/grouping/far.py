"""Optimistic profits of the members that a Lagrangian subproblem does not list.

Above LP_BOUND_MAX municipalities each (area, host) lists only its K nearest needy
municipalities; any other member m brings at most r_m - dw * d(h, m), with r_m = need - lam
(- mu). The old bound took the largest r_m of the whole area and the K-th neighbour's distance:
a single member with a low multiplier anywhere in the area then made every host's far term
large (with the regions' multipliers, 10,000 municipalities gave 24,399 where the regions
sum to 6,278). Here each area's members are cut into compact cells (recursive bisection);
a member of cell c is at least max(d_K(h), d(h, centre_c) - radius_c) from h (the triangle
inequality on the sphere), so

    far(h) = max over cells c of  (max r_m in c) - dw * max(d_K(h), d(h, centre_c) - radius_c)

is still at least every unlisted member's profit, and a far-away cell no longer counts. The
member that gives the maximum is returned too, so that the subgradient can lower its term.
"""

from __future__ import annotations

import numpy as np

from .aliases import FloatArray, IntArray
from .geo import chord_to_dist
from .networks_heuristic import bisect
from .problem import Problem

CELL_MEMBERS = 40  # members per cell, at least
MAX_CELLS = 64
MAX_ENTRIES = 8_000_000  # rows x cells: fewer cells per area for the largest instances


class FarCells:
    """Built area by area (`add`) in the row order of the subproblems, then `finish`."""

    def __init__(self, problem: Problem, rows_total: int) -> None:
        self.problem = problem
        self.max_cells = int(max(1, min(MAX_CELLS, MAX_ENTRIES // max(1, rows_total))))
        self.rows = 0
        self._cells: list[IntArray] = []  # per row: cell ids (padded with the sentinel)
        self._dist: list[FloatArray] = []  # per row: distance floor of each cell
        self._entry_cell: list[tuple[IntArray, IntArray]] = []  # (need entry, cell)
        self.n_cells = 0

    def add(self, area: int, members: IntArray, kth: FloatArray | None) -> None:
        """The rows of `area` (one per member as host, in order); `kth`: each host's K-th
        neighbour distance (d units), None when every member is listed (no far term)."""
        n_rows = len(members)
        self.rows += n_rows
        if kth is None:
            self._cells.append(np.full((n_rows, 1), -1, dtype=np.int64))
            self._dist.append(np.zeros((n_rows, 1)))
            return
        xyz = self.problem.xyz
        k = max(1, min(self.max_cells, len(members) // CELL_MEMBERS))
        parts = bisect(xyz, members, k)
        centre = np.stack([xyz[p].mean(axis=0) for p in parts])
        centre /= np.linalg.norm(centre, axis=1, keepdims=True)
        radius = np.asarray(
            [
                chord_to_dist(np.linalg.norm(xyz[p] - c, axis=1)).max()
                for p, c in zip(parts, centre, strict=True)
            ]
        )
        chord = np.linalg.norm(xyz[members][:, None, :] - centre[None, :, :], axis=2)
        floor = np.maximum(chord_to_dist(chord) - radius[None, :], kth[:, None])
        self._cells.append(self.n_cells + np.broadcast_to(np.arange(k), (n_rows, k)))
        self._dist.append(floor)
        # the need entries of this area, in the order of `members` (sorted by municipality)
        start = int(np.searchsorted(self.problem.need_a, area))
        cell_of = np.empty(len(members), dtype=np.int64)
        for c, p in enumerate(parts):
            cell_of[np.searchsorted(members, p)] = self.n_cells + c
        self._entry_cell.append((start + np.arange(len(members)), cell_of))
        self.n_cells += k

    def finish(self) -> None:
        width = max(x.shape[1] for x in self._cells)
        sentinel = self.n_cells  # its value is -inf
        self.cells = np.concatenate(
            [
                np.pad(
                    np.where(x < 0, sentinel, x),
                    ((0, 0), (0, width - x.shape[1])),
                    constant_values=sentinel,
                )
                for x in self._cells
            ]
        )
        self.dist = np.concatenate(
            [np.pad(x, ((0, 0), (0, width - x.shape[1]))) for x in self._dist]
        )
        if self._entry_cell:
            self.entries = np.concatenate([e for e, _c in self._entry_cell])
            self.entry_cell = np.concatenate([c for _e, c in self._entry_cell])
        else:
            self.entries = self.entry_cell = np.zeros(0, dtype=np.int64)
        self.any = bool(self.n_cells)
        del self._cells, self._dist, self._entry_cell

    def values(self, entry: FloatArray, dw: float) -> tuple[FloatArray, IntArray]:
        """Per row: the far profit bound (-inf: none) and the member giving it (-1: none),
        for `entry` = need - lam (- mu) per need entry."""
        n_rows = self.cells.shape[0]
        if not self.any:
            return np.full(n_rows, -np.inf), np.full(n_rows, -1, dtype=np.int64)
        r = entry[self.entries]
        best = np.full(self.n_cells + 1, -np.inf)
        np.maximum.at(best, self.entry_cell, r)
        # the member of each cell with the largest r (the first one in entry order on ties)
        hit = np.nonzero(r >= best[self.entry_cell])[0]
        cells_hit, first = np.unique(self.entry_cell[hit], return_index=True)
        who = np.full(self.n_cells + 1, -1, dtype=np.int64)
        who[cells_hit] = self.problem.need_m[self.entries[hit[first]]]
        vals = best[self.cells] - dw * self.dist
        col = np.argmax(vals, axis=1)
        rows = np.arange(n_rows)
        out: FloatArray = vals[rows, col]
        member: IntArray = who[self.cells[rows, col]]
        return out, member
