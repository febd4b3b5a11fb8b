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
        assert html.startswith("<table><caption>") and "</table>" in html
    one = rank_problem(problem, w, "wsm")._repr_html_()
    assert one.count("<tr>") == 1 + len(problem.options)
    assert "status_quo (baseline)" in one
    assert "benefit" in w._repr_html_()


def test_html_is_escaped() -> None:
    from policyeval.display import html_table

    assert "&lt;script&gt;" in html_table("x", ["a"], [["<script>"]])
