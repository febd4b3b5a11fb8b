"""Robust portfolio core index: batched scoring against one MILP per weight sample."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from policyeval.io import load_workspace
from policyeval.optimization import robust
from policyeval.optimization.portfolio import PortfolioModel, gain_vectors, portfolio_data
from policyeval.sensitivity.sampling import sample_weights
from policyeval.weighting import compute_weights

from .helpers import random_spec, write


def _milp_per_sample(data, gains, syn, weights) -> np.ndarray:
    chosen = np.zeros((len(weights), len(data.ids)), dtype=bool)
    for s, w in enumerate(weights):
        d = replace(
            data,
            values=gains @ w,
            synergies=tuple((m, float(a @ w)) for (m, _), a in zip(data.synergies, syn)),
        )
        chosen[s, list(PortfolioModel(d).solve())] = True
    return chosen


@pytest.mark.parametrize("exact", [True, False])
def test_core_index_equals_one_milp_per_sample(tmp_path: Path, exact: bool, monkeypatch) -> None:
    """Independent check: the share of samples whose MILP optimum funds each measure."""
    spec = random_spec(11, n=8)
    ws = load_workspace(write(tmp_path, spec))
    data, _ = portfolio_data(ws, compute_weights(ws), 18.0, at_least={"a": 1})
    _, gains, syn = gain_vectors(ws)
    syn_rows = [a for _, a in syn]
    w = sample_weights(gains.shape[1], 25, seed=3)
    if not exact:
        monkeypatch.setattr(robust, "EXACT_LIMIT", 0)  # candidates from MILPs at every sample
    out = robust.core_index(data, gains, syn_rows, w, candidates=25)
    expected = _milp_per_sample(data, gains, syn_rows, w).mean(axis=0)
    np.testing.assert_allclose([out["core_index"][i] for i in data.ids], expected)
    assert out["exact"] is exact
    for i, share in zip(data.ids, expected):
        assert out["class"][i] == ("core" if share == 1 else "exterior" if share == 0
                                   else "borderline")  # fmt: skip


def test_robust_portfolio_is_seeded(tmp_path: Path) -> None:
    ws = load_workspace(write(tmp_path, random_spec(2, n=7)))
    data, _ = portfolio_data(ws, compute_weights(ws), 15.0)
    one = robust.robust_portfolio(ws, data, samples=300, seed=5)
    assert one == robust.robust_portfolio(ws, data, samples=300, seed=5)
    assert one["samples"] == 300 and one["seed"] == 5
    assert set(one["core_index"]) == set(data.ids)


def test_cli_robust_json(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from policyeval.cli.app import app

    root = write(tmp_path, random_spec(2, n=7))
    args = ["optimize", "-w", str(root), "--budget", "15", "--robust", "--samples", "300"]
    res = CliRunner().invoke(app, [*args, "--seed", "5", "-f", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["robust"]["samples"] == 300 and out["robust"]["seed"] == 5
    assert set(out["robust"]["class"].values()) <= {"core", "borderline", "exterior"}
