"""Efficient frontier: the best portfolio value against the budget.

Exact breakpoints (default). The optimal value ``f(B)`` is a non-decreasing
step function of the budget. Starting at ``B_0 = 0`` with the optimal
portfolio ``P_0``, the next breakpoint is the least cost of any feasible
portfolio worth more than ``f(B_k)`` (one MILP: minimize cost subject to
value >= f(B_k) + tol); at that budget the optimal portfolio (ties by cost,
then id) is recomputed. For budgets between two breakpoints nothing better
is affordable, so the optimal portfolio is unchanged: the list of breakpoints
is exactly the set of budgets where the optimal portfolio changes. It stops
when no portfolio is worth more. With ``points=N``, ``N`` evenly spaced
budgets from 0 to the total cost of the measures are solved instead.

One MILP is built and re-solved (only the budget and value right-hand sides
and the objective change).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from policyeval import forked
from policyeval.display import Tabular, title_of
from policyeval.optimization.portfolio import (
    ENUMERATE_LIMIT,
    PortfolioData,
    PortfolioModel,
    best_row,
    feasible_masks,
    mask_values,
    portfolio_data,
)

if TYPE_CHECKING:
    from policyeval.model import Weights, Workspace
    from policyeval.model.problem import Problem


@dataclass(frozen=True, slots=True)
class FrontierPoint:
    """One budget of the frontier and its optimal portfolio."""

    budget: float
    value: float
    cost: float
    selected: tuple[str, ...]
    marginal: float | None  # value gained per unit of budget since the previous point


@dataclass(frozen=True, slots=True, repr=False)
class FrontierResult(Tabular):
    """Value added against budget; ``mode`` is ``breakpoints`` or ``points``."""

    mode: str
    points: tuple[FrontierPoint, ...]
    profile: str | None = None
    solver: str = "cbc"
    titles: dict[str, str] = field(default_factory=dict, compare=False)

    def to_frame(self) -> Any:
        """One row per budget: ``budget``, ``value``, ``cost``, ``marginal``, ``n``,
        ``selected`` (titles, joined by "; ")."""
        import pandas as pd

        return pd.DataFrame(
            {
                "budget": [p.budget for p in self.points],
                "value": [p.value for p in self.points],
                "cost": [p.cost for p in self.points],
                "marginal": [p.marginal for p in self.points],
                "n": [len(p.selected) for p in self.points],
                "selected": ["; ".join(title_of(self.titles, i) for i in p.selected)
                             for p in self.points],
            }
        )  # fmt: skip

    def _caption(self) -> str:
        return f"efficient frontier ({self.mode}, {len(self.points)} budgets)"

    def to_dict(self) -> dict[str, Any]:
        """Plain data: profile, mode, solver, points (budget, value, cost, selected, marginal)."""
        return {
            "profile": self.profile,
            "mode": self.mode,
            "solver": self.solver,
            "points": [
                {
                    "budget": p.budget,
                    "value": p.value,
                    "cost": p.cost,
                    "selected": list(p.selected),
                    "marginal": p.marginal,
                }
                for p in self.points
            ],
        }


def frontier_points(
    data: PortfolioData,
    points: int | None = None,
    solver: str | None = None,
    progress: Callable[[int], Any] | None = None,
) -> list[tuple[float, tuple[int, ...]]]:
    """``(budget, rows)`` along the frontier of a portfolio problem (see module doc).

    Up to ``ENUMERATE_LIMIT`` measures the feasible portfolios are enumerated
    once and every budget is answered from them; above, one MILP is re-solved,
    and ``progress`` (if given) is called with the number of budgets solved so far.
    """
    total = float(data.costs.sum())
    if len(data.ids) <= ENUMERATE_LIMIT:
        return _enumerated(data, total, points)
    model = PortfolioModel(replace(data, budget=total), solver)
    out: list[tuple[float, tuple[int, ...]]] = []

    def add(budget: float) -> None:
        out.append((budget, model.solve(budget)))
        if progress is not None:
            progress(len(out))

    if points is not None:  # independent budgets: solved side by side (policyeval.forked)
        return _side_by_side(model, [float(b) for b in np.linspace(0.0, total, points)], progress)
    add(0.0)
    while (nxt := model.min_cost_above(data.value_of(out[-1][1]))) is not None:
        add(nxt)
    return out


def _side_by_side(
    model: PortfolioModel, budgets: list[float], progress: Callable[[int], Any] | None
) -> list[tuple[float, tuple[int, ...]]]:
    """Each budget's optimal rows, in chunks over the caller and its worker processes
    (the same rows as one after another: each solve stands alone)."""
    size = max(1, -(-len(budgets) // (4 * forked.workers())))  # about 4 chunks a worker
    chunks = {k: budgets[k : k + size] for k in range(0, len(budgets), size)}
    solved = [0]

    def arrived(key: int) -> None:
        solved[0] += len(chunks[key])
        if progress is not None:
            progress(solved[0])

    rows = forked.run_all(
        {k: partial(_solve_each, model, chunk) for k, chunk in chunks.items()},
        cost=lambda k: 0.0,
        done=arrived,
    )
    return [(b, r) for k, chunk in chunks.items() for b, r in zip(chunk, rows[k])]


def _solve_each(model: PortfolioModel, budgets: list[float]) -> list[tuple[int, ...]]:
    return [model.solve(b) for b in budgets]


def _enumerated(
    data: PortfolioData, total: float, points: int | None
) -> list[tuple[float, tuple[int, ...]]]:
    masks = feasible_masks(data, budget=total, worthwhile=True)
    if not len(masks):
        from policyeval.errors import InfeasibleError

        raise InfeasibleError("no portfolio satisfies the constraints")
    value, cost = mask_values(data, masks)

    def best(budget: float) -> tuple[int, ...]:
        fits = cost <= budget + data.cost_tol * 1e-3
        if not fits.any():
            from policyeval.errors import InfeasibleError

            raise InfeasibleError("no portfolio satisfies the constraints")
        rows = np.flatnonzero(fits)
        pick = rows[best_row(value[rows], cost[rows], data.tol, data.cost_tol)]
        return tuple(int(i) for i in np.flatnonzero(masks[pick]))

    if points is not None:
        return [(float(b), best(float(b))) for b in np.linspace(0.0, total, points)]
    out = [(0.0, best(0.0))]
    while True:
        better = value > data.value_of(out[-1][1]) + data.tol
        if not better.any():
            return out
        nxt = float(cost[better].min())
        out.append((nxt, best(nxt)))


def efficient_frontier(
    ws: Workspace,
    weights: Weights,
    points: int | None = None,
    solver: str | None = None,
    problem: Problem | None = None,
    progress: Callable[[int], Any] | None = None,
) -> FrontierResult:
    """Optimal portfolio value against budget (exact breakpoints, or ``points`` budgets).

    Requires and excludes hold; policy constraints of ``optimize`` do not apply.
    ``progress`` is called with the number of budgets solved so far (MILP path only).
    """
    if points is not None and points < 2:
        from policyeval.errors import Issue, WorkspaceError

        raise WorkspaceError(
            [
                Issue(
                    "bad-argument",
                    f"must be an integer >= 2. Got {points} instead.",
                    "",
                    "points",
                )
            ]
        )
    data, _ = portfolio_data(ws, weights, 0.0, problem=problem)
    rows = frontier_points(data, points, solver, progress)
    pts: list[FrontierPoint] = []
    for budget, sel in rows:
        value = data.value_of(sel)
        marginal = None
        if pts and budget > pts[-1].budget:
            marginal = (value - pts[-1].value) / (budget - pts[-1].budget)
        pts.append(
            FrontierPoint(
                budget, value, data.cost_of(sel), tuple(data.ids[i] for i in sel), marginal
            )
        )
    return FrontierResult(
        "points" if points is not None else "breakpoints",
        tuple(pts),
        weights.profile,
        solver or "cbc",
    )


def frontier_svg(result: FrontierResult, title: str = "Efficient frontier", unit: str = "") -> str:
    """The frontier as a step chart (SVG text, same bytes for the same input).

    Drawn by :func:`policyeval.charts.draw_frontier`; ``title`` is the alt text.
    """
    from policyeval import charts

    return charts.svg(
        charts.draw_frontier,
        6.4,
        4.0,
        title,
        budgets=[p.budget for p in result.points],
        values=[p.value for p in result.points],
        unit=unit,
    )
