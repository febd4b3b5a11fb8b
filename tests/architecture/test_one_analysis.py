"""One analysis, one answer: each result computed once, and every surface shows the same.

- A ``report`` run reads each input file once, builds each decision matrix once,
  computes each profile's weights once and solves each portfolio problem once.
- For the same profile, seed, samples and sampler, ``sensitivity --packages --format
  json``, the ``serve`` page's JSON and the memo agree exactly; the page's bottom line is
  the memo's word for word and its score chart splits ``rank --format json``'s scores.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyeval.cli.app import app

REPO = Path(__file__).resolve().parents[2]
SAMPLES, SEED = 3000, 4


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    root = tmp_path / "case"
    for folder in ("criteria", "options"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_one_report_computes_each_result_once(shipped_copy: Path, monkeypatch) -> None:
    import policyeval.model.problem as problem_module
    import policyeval.weighting as weighting
    from policyeval.optimization import frontier, portfolio

    reads: Counter[str] = Counter()
    builds: Counter[bool] = Counter()
    weights: Counter[str] = Counter()
    models: Counter[tuple] = Counter()

    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if shipped_copy in self.parents:
            reads[self.relative_to(shipped_copy).as_posix()] += 1
        return real_read(self)

    real_build = problem_module.build_problem

    def build_problem(ws, options=None, packages=False):  # noqa: ANN001, ANN202
        builds[packages] += 1
        return real_build(ws, options, packages)

    real_weights = weighting.compute_weights

    def compute_weights(ws, profile=None):  # noqa: ANN001, ANN202
        weights[profile] += 1
        return real_weights(ws, profile)

    real_solve = portfolio.solve_portfolio
    real_points = frontier.frontier_points

    def solve_portfolio(data, solver=None):  # noqa: ANN001, ANN202
        models[("portfolio", data.budget, tuple(data.values.round(12)))] += 1
        return real_solve(data, solver)

    def frontier_points(data, points=None, solver=None, progress=None):  # noqa: ANN001, ANN202
        models[("frontier", points, tuple(data.values.round(12)))] += 1
        return real_points(data, points, solver, progress)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(problem_module, "build_problem", build_problem)
    monkeypatch.setattr(weighting, "compute_weights", compute_weights)
    monkeypatch.setattr(portfolio, "solve_portfolio", solve_portfolio)
    monkeypatch.setattr(frontier, "frontier_points", frontier_points)
    out = shipped_copy / "out"
    args = ["report", "-w", str(shipped_copy), "--out", str(out), "--date", "2026-01-31"]
    result = CliRunner().invoke(app, [*args, "--samples", "500"])
    assert result.exit_code == 0, result.output
    inputs = {p.relative_to(shipped_copy).as_posix() for p in shipped_copy.rglob("*.yaml")}
    inputs.add("criteria/countries.csv")
    assert reads and set(reads) == inputs
    assert max(reads.values()) == 1, reads  # each input read once (and hashed from those bytes)
    assert builds == Counter({False: 1, True: 1}), builds  # options and packages, once each
    assert set(weights.values()) == {1}, weights  # every profile's weights once
    assert models and max(models.values()) == 1, models  # no portfolio problem solved twice


def test_cli_serve_and_memo_agree(shipped_copy: Path) -> None:
    """Same profile, seed, samples and sampler on three surfaces: the same figures."""
    from serve.helpers import call_json, running

    import policyeval as pe
    from policyeval.reporting.format import pct

    cli = CliRunner().invoke(
        app,
        ["sensitivity", "-w", str(shipped_copy), "--packages", "--samples", str(SAMPLES),
         "--seed", str(SEED), "--format", "json"],
    )  # fmt: skip
    assert cli.exit_code == 0, cli.output
    from_cli = json.loads(cli.stdout)

    a = pe.analyze(pe.load(shipped_copy))
    with running(shipped_copy) as server:
        body = {"profile": a.profile, "weights": a.weights.weights, "packages": True,
                "samples": SAMPLES, "seed": SEED}  # fmt: skip
        status, page = call_json(server, "/api/rank", body)
    assert status == 200, page
    rob = page["robustness"]
    assert rob["acceptability"] == from_cli["acceptability"]
    assert rob["stability"] == from_cli["stability"]
    assert rob["summary"] == from_cli["summary"]
    assert rob["sampler"] == from_cli["sampler"]["weights"]

    memo = a.memo("memo", "md", date="2026-01-31", samples=SAMPLES, seed=SEED)["memo.md"].decode()
    verdict = a.verdict(samples=SAMPLES, seed=SEED)
    share = from_cli["acceptability"][verdict.choice][0]
    assert verdict.acceptability == share
    assert pct(share) in memo  # the memo prints the CLI's figure
    moved = min(
        (w["moved"] for w in from_cli["what_it_takes"] if w["moved"] is not None), default=None
    )
    if moved is not None:
        assert f"moves {moved:.2f} of the total weight" in from_cli["summary"]
    # the page's bottom line is the memo's, word for word, with the same figures
    bl = page["bottom_line"]
    assert f"**{bl['headline']}** {bl['headline_rest']}" in memo
    assert all(reason in memo for reason in bl["reasons"])
    assert bl["acceptability"] == pct(verdict.acceptability)
    # the page's score chart splits the CLI's weighted-sum scores exactly
    rank = CliRunner().invoke(
        app, ["rank", "-w", str(shipped_copy), "--packages", "--format", "json"]
    )
    assert rank.exit_code == 0, rank.output
    wsm = {r["option"]: r["score"] for r in json.loads(rank.stdout)["ranking"]}
    parts = page["contributions"]
    assert set(parts) == set(wsm)
    for option, score in wsm.items():
        assert sum(parts[option].values()) == pytest.approx(score, abs=1e-12)
