"""Result objects render as HTML tables in Jupyter."""

from __future__ import annotations

from pathlib import Path

from policyeval.io import load_workspace
from policyeval.model import build_problem
from policyeval.ranking import rank_all, rank_problem
from policyeval.weighting import compute_weights


def test_results_render_as_html_tables(tiny: Path) -> None:
    ws = load_workspace(tiny)
    w = compute_weights(ws)
    problem = build_problem(ws)
    for obj in (w, rank_problem(problem, w, "topsis"), rank_all(problem, w)):
        html = obj._repr_html_()
        assert "<caption>" in html and "</table>" in html
    one = rank_problem(problem, w, "wsm")._repr_html_()
    assert one.count("<tr>") == 1 + len(problem.options)
    assert "status_quo (baseline)" in one
    assert "benefit" in w._repr_html_()


def test_html_is_escaped() -> None:
    from policyeval.display import html_table

    assert "&lt;script&gt;" in html_table("x", ["a"], [["<script>"]])


def test_robustness_and_budget_results_render_as_html_tables(tiny: Path, shipped: Path) -> None:
    from policyeval.analysis import Analysis
    from policyeval.optimization import allocate, efficient_frontier, optimize_portfolio

    ws = load_workspace(tiny)
    w = compute_weights(ws)
    report = Analysis(ws).sensitivity(samples=500, seed=0)
    html = report._repr_html_()
    assert html.startswith("<table>") and "rank 1" in html and "alpha" in html
    plan = optimize_portfolio(ws, w, budget=14)
    assert "<td>alpha</td>" in plan._repr_html_() and "<td>beta</td>" in plan._repr_html_()
    frontier = efficient_frontier(ws, w)
    assert frontier._repr_html_().count("<tr>") == 1 + len(frontier.points)
    shipped_ws = load_workspace(shipped)
    result = allocate(shipped_ws, compute_weights(shipped_ws))
    assert result._repr_html_().count("<tr>") == 1 + len(result.allocation)
