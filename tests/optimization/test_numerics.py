"""Portfolio numerics (attack report 2026-11-30, R11 and R19): synergies of any size, a
tie rule with a bounded number of solves, and the solver time limit."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from policyeval import lp
from policyeval.cli.app import app
from policyeval.io import load_workspace
from policyeval.optimization import portfolio
from policyeval.optimization.portfolio import (
    PortfolioData,
    PortfolioModel,
    best_row,
    feasible_masks,
    mask_values,
    optimize_portfolio,
)
from policyeval.weighting import compute_weights

RUN = CliRunner()


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The ``policyeval init`` example (bus lanes, congestion charge, bike network)."""
    root = tmp_path / "base"
    assert RUN.invoke(app, ["init", str(root)]).exit_code == 0
    return root


def _set_synergy(root: Path, adjust: dict[str, float]) -> None:
    path = root / "options" / "packages.yaml"
    spec = yaml.safe_load(path.read_text())
    spec["synergies"][0]["adjust"] = adjust
    path.write_text(yaml.safe_dump(spec))


@pytest.mark.parametrize("adjust", [3.0, 1e3, 1e9, 1e14])
def test_a_large_synergy_adjustment_keeps_the_true_optimum(base: Path, adjust: float) -> None:
    """R11: ``adjust: {cost: 1e9}`` gave the empty portfolio as optimal (the tie tolerance
    grew with the synergy). The synergy moves ``cost`` by at most its whole range, so its
    value is ``-w_cost * min(adjust / span, 1)``; brute force over the 8 subsets agrees."""
    _set_synergy(base, {"cost": adjust})
    ws = load_workspace(base)
    w = compute_weights(ws)
    got = optimize_portfolio(ws, w)
    ids = sorted(got.added_value)
    costs = {o.id: o.cost for o in ws.measures}
    requires = {o.id: set(o.requires) for o in ws.measures}
    members = set(ws.synergies[0].options)
    scores = [o.scores["cost"].value for o in ws.options]  # the observed range of cost (no scale)
    span = max(scores) - min(scores)
    syn = -w.vector(ws.criterion_ids)[ws.criterion_ids.index("cost")] * min(adjust / span, 1)
    best: tuple[float, float, list[str]] | None = None
    for mask in itertools.product([1, 0], repeat=len(ids)):
        chosen = {i for i, m in zip(ids, mask) if m}
        if sum(costs[i] for i in chosen) > got.budget or any(
            not requires[i] <= chosen for i in chosen
        ):
            continue
        if any(got.added_value[i] <= 1e-6 for i in chosen):
            continue  # adds nothing: never funded
        value = sum(got.added_value[i] for i in chosen) + (syn if members <= chosen else 0.0)
        cost = sum(costs[i] for i in chosen)
        if best is None or value > best[0] + 1e-6 or (value >= best[0] - 1e-6 and cost < best[1]):
            best = (value, cost, sorted(chosen))
    assert best is not None and best[2]  # funding something is worth more than nothing
    assert list(got.selected) == best[2]
    assert got.value == pytest.approx(best[0], abs=1e-12)
    # the bound is said, not silent: a warning exactly when the adjustment exceeds the range
    said = [w for w in got.warnings if "larger than the criterion's whole range" in w]
    assert len(said) == (adjust > span), got.warnings


def test_a_synergy_too_large_to_compute_never_gives_exit_3(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R11: ``adjust: {cost: 1.7e+308}`` gave exit 3 with no constraint listed, although
    funding nothing is always feasible. With the magnitude limit raised it now overflows to
    a bounded synergy and the optimum is the same as for any other huge adjustment."""
    monkeypatch.setenv("POLICYEVAL_MAX_MAGNITUDE", "1.79e308")
    _set_synergy(base, {"cost": 1.7e308})
    huge = RUN.invoke(app, ["optimize", "-w", str(base), "-f", "json"])
    assert huge.exit_code == 0, huge.output
    _set_synergy(base, {"cost": 1e9})
    large = RUN.invoke(app, ["optimize", "-w", str(base), "-f", "json"])
    assert json.loads(huge.stdout)["selected"] == json.loads(large.stdout)["selected"] != []


def test_an_infeasible_verdict_while_funding_nothing_is_feasible_is_not_exit_3(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A solver that fails on a model the empty portfolio satisfies is an internal error,
    never 'these constraints cannot hold together' with nothing listed."""
    d = PortfolioData(tuple(f"m{i:02d}" for i in range(20)), np.ones(20), np.ones(20), 5.0)
    monkeypatch.setattr(lp, "status", lambda *a, **k: "Infeasible")
    with pytest.raises(RuntimeError, match="funding nothing satisfies every constraint"):
        portfolio.solve_portfolio(d)


def _enumerated(d: PortfolioData, budget: float) -> tuple[int, ...]:
    masks = feasible_masks(d, budget=budget, worthwhile=True)
    value, cost = mask_values(d, masks)
    return tuple(np.flatnonzero(masks[best_row(value, cost, d.tol, d.cost_tol)]))


@pytest.mark.parametrize("solver", ["cbc", "highs"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tie_rule_in_chunks_matches_enumeration(seed: int, solver: str, monkeypatch) -> None:
    """Many exact ties (values and costs from a few levels): the MILP's bounded tie rule,
    with chunks of 3 ids so that several chunks are settled, picks the portfolio that
    enumeration picks (best value, then lowest cost, then the smallest id funded), with
    CBC (a cutoff) and HiGHS (no cutoff)."""
    monkeypatch.setattr(portfolio, "ID_CHUNK", 3)
    rng = np.random.default_rng(seed)
    n = 11
    values = rng.integers(1, 4, n) / 4.0
    costs = rng.integers(1, 4, n).astype(float)
    d = PortfolioData(
        tuple(f"m{i:02d}" for i in range(n)),
        values,
        costs,
        0.0,
        synergies=(((0, 5), 0.25), ((2, 3), -0.5)),
        excludes=((1, 4),),
        requires=((6, 7),),
    )
    model = PortfolioModel(d, solver)
    for budget in np.arange(0.0, costs.sum() + 1):
        assert model.solve(budget) == _enumerated(d, budget), budget


def test_ties_among_many_measures_take_a_bounded_number_of_solves(monkeypatch) -> None:
    """R19: 60 identical measures tie everywhere; the old rule solved one MILP per measure.
    Now: best value, tie check, least cost, cost-tie check and one solve per 20 ids."""
    n = 60
    d = PortfolioData(tuple(f"m{i:02d}" for i in range(n)), np.ones(n), np.ones(n), 25.0)
    calls = []
    status = lp.status
    monkeypatch.setattr(lp, "status", lambda *a, **k: calls.append(1) or status(*a, **k))
    assert PortfolioModel(d).solve() == tuple(range(25))  # the 25 smallest ids
    assert len(calls) <= 4 + n // portfolio.ID_CHUNK


def test_the_solver_time_limit_stops_with_exit_2_naming_the_limit(tmp_path: Path) -> None:
    """A solve that reaches POLICYEVAL_MAX_SOLVE_SECONDS exits 2 with the limit's variable."""
    root = tmp_path / "ws"
    (root / "criteria" / "weights").mkdir(parents=True)
    (root / "options").mkdir()
    crit = [f"c{j}" for j in range(4)]
    criteria = [{"id": c, "name": c, "scale": [0, 10]} for c in crit]
    (root / "criteria" / "criteria.yaml").write_text(
        yaml.safe_dump({"title": "Many", "criteria": criteria})
    )
    (root / "criteria" / "weights" / "main.yaml").write_text(
        yaml.safe_dump({"name": "Main", "method": "points", "points": dict.fromkeys(crit, 1)})
    )
    rng = np.random.default_rng(5)
    for i in range(400):
        scores = {c: round(float(v), 3) for c, v in zip(crit, rng.uniform(1, 9, 4))}
        option = {"id": f"m{i:03d}", "title": f"M{i}", "cost": int(rng.integers(10, 99)),
                  "scores": scores}  # fmt: skip
        (root / "options" / f"m{i:03d}.yaml").write_text(yaml.safe_dump(option))
    res = RUN.invoke(
        app,
        ["optimize", "-w", str(root), "--budget", "9000"],
        env={"POLICYEVAL_MAX_SOLVE_SECONDS": "0.001"},
    )
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert re.search(r"solve_seconds.*POLICYEVAL_MAX_SOLVE_SECONDS", res.stderr)


def _shipped_in_units(root: Path, dest: Path, k: float) -> Path:
    """A copy of the shipped case with every amount x k (costs, budget, widths, set-ups,
    the cost criterion's scores and thresholds) and response slopes / k: the same model
    in other units ("EUR instead of million EUR")."""
    import shutil

    for d in ("criteria", "options"):
        shutil.copytree(root / d, dest / d)
    crit_path = dest / "criteria" / "criteria.yaml"
    crit = yaml.safe_load(crit_path.read_text())
    for c in crit["criteria"]:
        if c.get("role") == "cost" and "preference" in c:
            c["preference"] = {p: v * k if p in ("q", "p") else v
                               for p, v in c["preference"].items()}  # fmt: skip
    crit_path.write_text(yaml.safe_dump(crit, sort_keys=False))
    cost_ids = [c["id"] for c in crit["criteria"] if c.get("role") == "cost"]
    for f in (dest / "options").glob("*.yaml"):
        if f.name in ("allocation.yaml", "packages.yaml"):
            continue
        o = yaml.safe_load(f.read_text())
        if "cost" in o:
            o["cost"] *= k
        for cid in cost_ids:
            score = o["scores"].get(cid)
            if isinstance(score, dict):
                o["scores"][cid] = {p: v * k if p in ("value", "low", "high") else v
                                    for p, v in score.items()}  # fmt: skip
        f.write_text(yaml.safe_dump(o, sort_keys=False))
    alloc_path = dest / "options" / "allocation.yaml"
    alloc = yaml.safe_load(alloc_path.read_text())
    alloc["budget"] *= k
    alloc["response"] = [[w * k, s / k] for w, s in alloc["response"]]
    for st in alloc.get("measure_settings", {}).values():
        if "setup_cost" in st:
            st["setup_cost"] *= k
    alloc_path.write_text(yaml.safe_dump(alloc, sort_keys=False))
    return dest


def _allocate(root: Path, *args: str) -> dict:
    res = RUN.invoke(app, ["allocate", "-w", str(root), "-f", "json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_allocate_gives_the_same_allocation_in_other_units(shipped: Path, tmp_path: Path) -> None:
    """R9: with every amount x1e6 (slopes / 1e6) allocate returned value 0 and 8 cells.
    Now the cells are the same, each amount x1e6, and the value is the same."""
    base = _allocate(shipped)
    scaled = _allocate(_shipped_in_units(shipped, tmp_path / "eur", 1e6))
    assert scaled["value"] == pytest.approx(base["value"], rel=1e-9) and base["value"] > 0
    cells = [(r["option"], r["target"], r["channel"]) for r in base["allocation"]]
    assert [(r["option"], r["target"], r["channel"]) for r in scaled["allocation"]] == cells
    np.testing.assert_allclose(
        [r["amount"] for r in scaled["allocation"]],
        [r["amount"] * 1e6 for r in base["allocation"]],
        rtol=1e-9,
    )
    assert scaled["binding"] == base["binding"]
    assert scaled["marginal_value"] == pytest.approx(base["marginal_value"] / 1e6, rel=1e-9)


def test_allocate_value_and_feasibility_are_monotone_in_the_budget(shipped: Path) -> None:
    """R10: budgets 1e10..1e14 gave a false exit 3 and 1e15 a value below that of 1e9.
    Every budget from 150 to the magnitude limit is feasible, the value never falls, and a
    budget past what can be bought is reported as not binding."""
    budgets = [150, 1e3, 1e4, 1e6, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]
    results = [_allocate(shipped, "--budget", repr(float(b))) for b in budgets]
    values = [r["value"] for r in results]
    assert all(b >= a - 1e-9 for a, b in zip(values, values[1:])), values
    assert all(r["spent"] <= r["budget"] * (1 + 1e-12) for r in results)
    top = results[-1]
    assert top["marginal_value"] == 0.0 and "budget_total" not in top["binding"]
    assert "not binding" in top["warnings"][0]
    assert values[-1] == pytest.approx(values[-3], rel=1e-12)  # the same model past the cap
    # no amount that buys nothing: the spending shown, as a budget, buys the same value
    again = _allocate(shipped, "--budget", repr(top["spent"] * (1 + 1e-9)))
    assert again["value"] == pytest.approx(top["value"], rel=1e-7)
    assert top["spent"] < 2 * 1e3  # far below the 1e15 given (2,838 RU buys everything)


def test_a_budget_out_of_proportion_with_minimum_shares_is_exit_2(
    shipped: Path, tmp_path: Path
) -> None:
    """With a minimum share the budget cannot be capped: one far beyond what the measures
    can spend is refused with a message naming the budget and the share."""
    import shutil

    root = tmp_path / "ws"
    for d in ("criteria", "options"):
        shutil.copytree(shipped / d, root / d)
    path = root / "options" / "allocation.yaml"
    alloc = yaml.safe_load(path.read_text())
    alloc["shares"]["target"]["kazakhstan"] = {"min": 0.1}
    path.write_text(yaml.safe_dump(alloc, sort_keys=False))
    assert _allocate(root, "--budget", "1e6")["value"] > 0
    res = RUN.invoke(app, ["allocate", "-w", str(root), "--budget", "1e12"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "shares.target.kazakhstan.min" in res.stderr and "--budget" in res.stderr


def test_a_long_frontier_reports_progress_per_budget(tmp_path: Path, monkeypatch) -> None:
    """R20/R19: each budget of a MILP frontier is reported as it is solved (the CLI draws
    it on a terminal), in points and in breakpoints mode."""
    from policyeval.optimization import frontier

    from .helpers import random_spec, write

    monkeypatch.setattr(frontier, "ENUMERATE_LIMIT", 0)
    ws = load_workspace(write(tmp_path, random_spec(2, n=8)))
    w = compute_weights(ws)
    for points in (5, None):
        seen: list[int] = []
        res = frontier.efficient_frontier(ws, w, points, progress=seen.append)
        assert seen == list(range(1, len(res.points) + 1))
