"""Efficient frontier: exact breakpoints against brute force at every budget."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from policyeval.cli.app import app
from policyeval.io import load_workspace
from policyeval.optimization.frontier import efficient_frontier, frontier_svg
from policyeval.weighting import compute_weights

from .helpers import brute_force, random_spec, write


@pytest.mark.parametrize("path", ["enumerate", "milp"])
@pytest.mark.parametrize("seed", [0, 4])
def test_breakpoints_are_exactly_where_brute_force_changes(
    tmp_path: Path, seed: int, path: str, monkeypatch
) -> None:
    """Brute force at every integer budget: the portfolio changes exactly at the breakpoints,
    whether the frontier enumerates portfolios (small cases) or re-solves the MILP."""
    from policyeval.optimization import frontier

    if path == "milp":
        monkeypatch.setattr(frontier, "ENUMERATE_LIMIT", 0)
    spec = random_spec(seed, n=8)
    ws = load_workspace(write(tmp_path, spec))
    res = efficient_frontier(ws, compute_weights(ws))
    total = sum(v["cost"] for k, v in spec.items() if k.startswith("options/m"))
    best = [brute_force(spec, b) for b in range(total + 1)]
    changes = [0] + [b for b in range(1, total + 1) if best[b][0] != best[b - 1][0]]
    assert [p.budget for p in res.points] == changes
    for p in res.points:
        assert list(p.selected) == best[int(p.budget)][0]
        assert p.value == pytest.approx(best[int(p.budget)][1], abs=1e-9)
        assert p.cost <= p.budget
    values = [p.value for p in res.points]
    assert all(np.diff(values) > 0)  # strictly improving between breakpoints


def test_points_mode_is_monotone_and_marginals_are_slopes(tmp_path: Path) -> None:
    spec = random_spec(2, n=8)
    ws = load_workspace(write(tmp_path, spec))
    res = efficient_frontier(ws, compute_weights(ws), points=7)
    b = np.array([p.budget for p in res.points])
    v = np.array([p.value for p in res.points])
    assert len(b) == 7 and b[0] == 0 and np.all(np.diff(v) >= 0)
    np.testing.assert_allclose([p.marginal for p in res.points[1:]], np.diff(v) / np.diff(b))
    for p in res.points:
        assert list(p.selected) == brute_force(spec, p.budget)[0]


@pytest.mark.parametrize("workers", ["1", "3"])
def test_points_solved_side_by_side_are_brute_forces(
    tmp_path: Path, workers: str, monkeypatch
) -> None:
    """Budgets of ``--points`` on the MILP path are solved in chunks by worker processes
    (policyeval.forked); each point is still brute force's portfolio, in budget order, and
    progress counts every budget once."""
    from policyeval.optimization import frontier

    monkeypatch.setattr(frontier, "ENUMERATE_LIMIT", 0)
    monkeypatch.setenv("POLICYEVAL_WORKERS", workers)
    spec = random_spec(3, n=8)
    ws = load_workspace(write(tmp_path, spec))
    seen: list[int] = []
    res = efficient_frontier(ws, compute_weights(ws), points=9, progress=seen.append)
    assert [p.budget for p in res.points] == sorted(p.budget for p in res.points)
    for p in res.points:
        assert list(p.selected) == brute_force(spec, p.budget)[0]
    assert seen[-1] == 9 and seen == sorted(seen)


def test_svg_is_deterministic(tmp_path: Path) -> None:
    ws = load_workspace(write(tmp_path, random_spec(1, n=6)))
    res = efficient_frontier(ws, compute_weights(ws))
    one, two = frontier_svg(res), frontier_svg(res)
    assert one == two and one.lstrip().startswith("<?xml") and "<svg" in one


def test_cli_frontier_json_and_chart(tmp_path: Path) -> None:
    root = write(tmp_path, random_spec(1, n=6))
    chart = tmp_path / "frontier.svg"
    res = CliRunner().invoke(
        app, ["frontier", "-w", str(root), "-f", "json", "--points", "3", "--chart", str(chart)]
    )
    assert res.exit_code == 0, res.output
    import json

    out = json.loads(res.stdout)
    assert out["mode"] == "points" and len(out["points"]) == 3
    assert set(out["points"][0]) == {"budget", "value", "cost", "selected", "marginal"}
    assert chart.read_text().count("<svg") == 1


def test_points_below_two_is_usage_error(tmp_path: Path) -> None:
    root = write(tmp_path, random_spec(1, n=6))
    res = CliRunner().invoke(app, ["frontier", "-w", str(root), "--points", "1"])
    assert res.exit_code == 2 and "--points" in res.stderr


def test_points_below_two_raise(tmp_path: Path) -> None:
    from policyeval.errors import WorkspaceError

    ws = load_workspace(write(tmp_path, random_spec(1, n=6)))
    with pytest.raises(WorkspaceError, match="must be an integer >= 2. Got 1 instead"):
        efficient_frontier(ws, compute_weights(ws), points=1)
