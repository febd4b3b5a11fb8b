"""Budget properties on generated portfolio problems, the frontier, allocations and SMAA.

tests/optimization checks a few seeded workspaces against brute force; here
hypothesis draws the problems (values, costs, requires, excludes, synergies,
budgets), and allocations of the shipped case are drawn over budgets and profiles.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyeval.errors import InfeasibleError
from policyeval.io import load_workspace
from policyeval.model.problem import make_problem
from policyeval.optimization.allocation import allocate
from policyeval.optimization.frontier import frontier_points
from policyeval.optimization.portfolio import PortfolioData, solve_portfolio
from policyeval.sensitivity.smaa import smaa
from policyeval.weighting import compute_weights

REPO = Path(__file__).resolve().parents[2]
TOL = 1e-6


@st.composite
def portfolios(draw, max_n: int = 6):
    """Measures with values in [0, 1], integer costs, links and one synergy; no must-fund."""
    n = draw(st.integers(1, max_n))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    links = st.lists(st.sampled_from(pairs), max_size=3, unique=True) if pairs else st.just([])
    requires, excludes = draw(links), draw(links)
    excludes = [e for e in excludes if e not in requires and e[::-1] not in requires]
    synergies = ()
    if n >= 2 and draw(st.booleans()):
        members = tuple(sorted(draw(st.sets(st.integers(0, n - 1), min_size=2, max_size=n))))
        synergies = ((members, draw(st.floats(-0.3, 0.3))),)
    return PortfolioData(
        ids=tuple(f"m{i}" for i in range(n)),
        values=np.array(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))),
        costs=np.array(draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)), dtype=float),
        budget=float(draw(st.integers(0, 9 * n))),
        synergies=synergies,
        requires=tuple(requires),
        excludes=tuple(excludes),
    )


def _feasible(data: PortfolioData, rows: set[int]) -> bool:
    return (
        data.cost_of(rows) <= data.budget + TOL
        and all(r in rows for i, r in data.requires if i in rows)
        and not any(i in rows and e in rows for i, e in data.excludes)
    )


@settings(max_examples=20, deadline=None)
@given(portfolios())
def test_portfolio_within_budget_links_hold_and_optimal(data: PortfolioData) -> None:
    """Checked against enumeration of every subset (an independent optimizer)."""
    chosen = set(solve_portfolio(data))
    assert _feasible(data, chosen)
    n = len(data.ids)
    best = max(
        data.value_of(s)
        for k in range(n + 1)
        for s in map(set, itertools.combinations(range(n), k))
        if _feasible(data, s)
    )
    assert data.value_of(chosen) == pytest.approx(best, abs=10 * data.tol)


@settings(max_examples=10, deadline=None)
@given(portfolios(max_n=5), st.sampled_from([None, 2, 6]))
def test_frontier_never_decreases_and_stays_within_budget(data: PortfolioData, points) -> None:
    rows = frontier_points(data, points)
    budgets = [b for b, _ in rows]
    values = [data.value_of(sel) for _, sel in rows]
    assert budgets == sorted(budgets) and budgets[0] == 0
    assert all(b - a >= -data.tol for a, b in zip(values, values[1:]))
    for budget, sel in rows:
        assert data.cost_of(sel) <= budget + TOL


@functools.cache
def shipped():
    """The shipped case and the channels open at each target (a plain cache: hypothesis
    would otherwise print the whole workspace with every example)."""
    ws = load_workspace(REPO)
    return ws, ws.allocation.available


@settings(max_examples=8, deadline=None)
@given(
    budget=st.floats(0, 600),
    profile=st.sampled_from(["balanced", "security_services", "human_rights_ngo", "expert_panel"]),
)
def test_allocation_respects_channel_availability_and_budget(budget, profile) -> None:
    """Money goes only through channels open at the target (membership, §3.2 of the paper).

    A budget too small for the declared minimum shares is infeasible (exit code 3);
    such budgets have no allocation to check.
    """
    ws, avail = shipped()
    spec = ws.allocation
    try:
        res = allocate(ws, compute_weights(ws, profile), budget)
    except InfeasibleError:
        return
    for row in res.allocation:
        assert row["channel"] in avail[row["target"]], row
        measure = spec.settings.get(row["option"], {})
        assert row["target"] in measure.get("targets", avail)
        assert row["channel"] in measure.get("channels", avail[row["target"]])
        assert row["amount"] >= -TOL
    assert res.to_dict()["spent"] <= budget + TOL


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 1000), n=st.integers(2, 6), spread=st.sampled_from([None, 0.2]))
def test_smaa_electre_and_spread_acceptability_sums_to_one(seed, n, spread) -> None:
    """What tests/sensitivity does not draw: ELECTRE, and weights sampled around a profile."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 10, size=(n, 3)).astype(float)
    p = make_problem(
        [f"o{i}" for i in range(n)],
        ["a", "b", "c"],
        x,
        [True, False, True],
        low=x - rng.integers(0, 2, x.shape),
        high=x + rng.integers(0, 2, x.shape),
    )
    center = None if spread is None else rng.dirichlet(np.ones(3))
    for method in ("electre", "wsm") if spread else ("electre",):
        r = smaa(p, method, samples=256, seed=seed, center=center, spread=spread)
        np.testing.assert_allclose(r.acceptability.sum(axis=1), 1.0)
        np.testing.assert_allclose(r.acceptability.sum(axis=0), 1.0)


def test_only_the_optimum_is_feasible() -> None:
    """Found by the property above: m0 requires m1, which the budget cannot pay.

    The tie search then asks for another portfolio than the empty one; CBC's
    preprocessing proves that infeasible and writes no solution, which must read
    as "no other portfolio", not crash.
    """
    data = PortfolioData(
        ids=("m0", "m1"),
        values=np.array([0.1, 0.0]),
        costs=np.array([1.0, 3.0]),
        budget=2.0,
        requires=((0, 1),),
    )
    assert solve_portfolio(data) == ()
