"""Portfolio selection against an independent brute-force enumeration (DESIGN.md MILP)."""

from __future__ import annotations

import json
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from policyeval.cli.app import app
from policyeval.errors import InfeasibleError, WorkspaceError
from policyeval.io import load_workspace
from policyeval.optimization.portfolio import (
    PortfolioData,
    PortfolioModel,
    build_portfolio_model,
    optimize_portfolio,
)
from policyeval.weighting import compute_weights

from .helpers import brute_force, hand_values, random_spec, write


def _total(spec) -> int:
    return sum(v["cost"] for k, v in spec.items() if k.startswith("options/m"))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_budget_matches_brute_force(tmp_path: Path, seed: int) -> None:
    """Same set and value as enumerating all 2^n subsets, for every budget 0..total cost."""
    spec = random_spec(seed)
    ws = load_workspace(write(tmp_path, spec))
    w = compute_weights(ws)
    from policyeval.optimization.portfolio import portfolio_data, solve_portfolio

    data, _ = portfolio_data(ws, w, 0.0)
    _, _, vals, _ = hand_values(spec)
    np.testing.assert_allclose(data.values, vals, rtol=1e-12)
    model = PortfolioModel(data)  # one model, re-solved at each budget
    for budget in range(_total(spec) + 1):
        rows = model.solve(float(budget))
        expected, value = brute_force(spec, budget)
        assert [data.ids[i] for i in rows] == expected, budget
        assert data.value_of(rows) == pytest.approx(value, abs=1e-9)
        enumerated = solve_portfolio(replace(data, budget=float(budget)))  # the in-process path
        assert [data.ids[i] for i in enumerated] == expected, budget


def test_ties_lower_cost_then_smallest_id() -> None:
    """Hand example of DESIGN.md's tie rule: lower cost first, then the smallest id funded."""
    d = PortfolioData(("a", "b", "c"), np.array([1.0, 1.0, 1.0]), np.array([2.0, 2.0, 1.0]), 2.0)
    assert PortfolioModel(d).solve() == (2,)  # same value 1: c is cheaper
    d = PortfolioData(("a", "b", "c"), np.array([1.0, 1.0, 2.0]), np.array([1.0, 1.0, 2.0]), 2.0)
    assert PortfolioModel(d).solve() == (0, 1)  # {a, b} and {c}: same value and cost; a first
    d = PortfolioData(("a", "b", "c"), np.array([1.0, 2.0, 1.0]), np.array([1.0, 2.0, 1.0]), 2.0)
    assert PortfolioModel(d).solve() == (0, 2)  # {a, c} beats {b}: a is funded


@pytest.mark.parametrize(
    "policy",
    [
        {"at_least": {"b": 2}},
        {"at_most": {"a": 1, "c": 1}},
        {"must_fund": ["m3"], "must_not_fund": ["m0"]},
        {"min_recommendations": 3},
    ],
)
def test_policy_constraints_match_brute_force(tmp_path: Path, policy: dict) -> None:
    """At least / at most k of a recommendation, must(-not)-fund, recommendations covered."""
    spec = random_spec(7)
    ws = load_workspace(write(tmp_path, spec))
    w = compute_weights(ws)
    for budget in (12, 20, 30):
        try:
            expected, value = brute_force(spec, budget, **policy)
        except AssertionError:
            with pytest.raises(InfeasibleError, match="cannot hold together|no portfolio"):
                optimize_portfolio(ws, w, budget, **policy)
            continue
        got = optimize_portfolio(ws, w, budget, **policy)
        assert list(got.selected) == expected
        assert got.value == pytest.approx(value, abs=1e-9)


def test_infeasible_names_an_irreducible_conflict() -> None:
    """must-fund a and b (cost 3 + 3) with budget 5; c's must-fund is not part of the conflict."""
    d = PortfolioData(
        ("a", "b", "c", "d"),
        np.array([1.0, 1.0, 1.0, 1.0]),
        np.array([3.0, 3.0, 1.0, 1.0]),
        5.0,
        recommendations=("x", "x", "y", "y"),
        requires=((3, 2),),
        must_fund=(0, 1, 2),
        at_most={"y": 2},
    )
    from policyeval.optimization.portfolio import solve_portfolio

    with pytest.raises(InfeasibleError, match="cannot hold together") as err:
        solve_portfolio(d)
    names = [c.split(":")[0] for c in err.value.constraints]
    assert names == ["must_fund_a", "must_fund_b", "budget_total"]


def test_infeasible_conflict_through_requires_and_excludes() -> None:
    """a requires b, b excludes c, c must be funded, a must be funded: budget is not involved."""
    d = PortfolioData(
        ("a", "b", "c"),
        np.array([1.0, 1.0, 1.0]),
        np.array([1.0, 1.0, 1.0]),
        10.0,
        requires=((0, 1),),
        excludes=((1, 2),),
        must_fund=(0, 2),
    )
    from policyeval.optimization.portfolio import solve_portfolio

    with pytest.raises(InfeasibleError) as err:
        solve_portfolio(d)
    names = {c.split(":")[0] for c in err.value.constraints}
    assert names == {"requires_a_on_b", "excludes_b_with_c", "must_fund_a", "must_fund_c"}


def test_unknown_ids_are_input_errors(tmp_path: Path) -> None:
    ws = load_workspace(write(tmp_path, random_spec(0)))
    w = compute_weights(ws)
    with pytest.raises(WorkspaceError, match="unknown measure 'm99'"):
        optimize_portfolio(ws, w, 10, must_fund=["m99"])
    with pytest.raises(WorkspaceError, match="unknown recommendation 'z'"):
        optimize_portfolio(ws, w, 10, at_least={"z": 1})
    with pytest.raises(WorkspaceError, match="budget must be >= 0"):
        optimize_portfolio(ws, w, -1)


def test_model_names_come_from_ids_and_build_is_pure() -> None:
    d = PortfolioData(("a1", "b2"), np.array([0.5, 0.4]), np.array([2.0, 1.0]), 2.0,
                      requires=((1, 0),))  # fmt: skip
    prob = build_portfolio_model(d)
    assert {v.name for v in prob.variables()} == {"select_a1", "select_b2"}
    assert "requires_b2_on_a1" in {c.name for c in prob.constraints()}
    assert d.budget == 2.0 and d.values.tolist() == [0.5, 0.4]


def test_no_deprecation_warning_from_pulp() -> None:
    """Only non-deprecated PuLP 3.3 calls (add_variable, COIN_CMD)."""
    d = PortfolioData(("a", "b"), np.array([0.5, 0.4]), np.array([2.0, 1.0]), 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert PortfolioModel(d).solve() == (0,)


def test_highs_gives_the_same_portfolio(tmp_path: Path) -> None:
    pytest.importorskip("highspy")
    spec = random_spec(3)
    ws = load_workspace(write(tmp_path, spec))
    w = compute_weights(ws)
    for budget in (5, 15, 25):
        assert optimize_portfolio(ws, w, budget, solver="highs").selected == tuple(
            brute_force(spec, budget)[0]
        )


def test_cli_json_shape_and_brute_force(tmp_path: Path) -> None:
    spec = random_spec(5)
    root = write(tmp_path, spec)
    runner = CliRunner()
    for budget in (7, 19):
        res = runner.invoke(
            app, ["optimize", "-w", str(root), "--budget", str(budget), "-f", "json"]
        )
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert list(out)[:5] == ["status", "budget", "selected", "value", "cost"]
        expected, value = brute_force(spec, budget)
        assert out["selected"] == expected and out["value"] == pytest.approx(value, abs=1e-9)
        assert out["budget"] == budget and out["status"] == "optimal"


def test_cli_infeasible_exits_3_and_lists_constraints(tmp_path: Path) -> None:
    root = write(tmp_path, random_spec(5))
    res = CliRunner().invoke(
        app, ["optimize", "-w", str(root), "--budget", "0", "--must-fund", "m1"]
    )
    assert res.exit_code == 3
    assert "must_fund_m1" in res.stderr and "budget_total" in res.stderr


def test_cli_bad_at_least_is_usage_error(tmp_path: Path) -> None:
    root = write(tmp_path, random_spec(5))
    res = CliRunner().invoke(app, ["optimize", "-w", str(root), "--at-least", "a:1"])
    assert res.exit_code == 2 and "RECOMMENDATION=K" in res.stderr


def test_negative_counts_are_input_errors(tmp_path: Path) -> None:
    ws = load_workspace(write(tmp_path, random_spec(0)))
    w = compute_weights(ws)
    with pytest.raises(WorkspaceError, match="a=-1: expected k >= 0"):
        optimize_portfolio(ws, w, 10, at_most={"a": -1})
    with pytest.raises(WorkspaceError, match="must be >= 0"):
        optimize_portfolio(ws, w, 10, min_recommendations=-2)


def test_infeasible_message_says_what_each_constraint_means(tmp_path: Path) -> None:
    ws = load_workspace(write(tmp_path, random_spec(0)))
    w = compute_weights(ws)
    with pytest.raises(InfeasibleError, match="cannot hold together") as err:
        optimize_portfolio(ws, w, 0, at_least={"a": 1})
    assert err.value.constraints == [
        "at_least_a: at least 1 measure(s) of recommendation (a)",
        "budget_total: total cost <= 0",
    ]


def test_cli_robust_samples_must_be_positive(tmp_path: Path) -> None:
    root = write(tmp_path, random_spec(5))
    res = CliRunner().invoke(app, ["optimize", "-w", str(root), "--robust", "--samples", "0"])
    assert res.exit_code == 2 and "--samples" in res.stderr


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_installed_command_prints_pure_json(shipped: Path, solver: str) -> None:
    """End to end: nothing but JSON on stdout (HiGHS prints a banner unless silenced)."""
    import subprocess
    import sys

    if solver == "highs":
        pytest.importorskip("highspy")
    exe = Path(sys.executable).with_name("policyeval")
    args = [str(exe), "optimize", "-w", str(shipped), "--solver", solver, "-f", "json"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    assert data["status"] == "optimal" and data["cost"] <= data["budget"]


@pytest.mark.parametrize("seed", [3, 8, 21])
def test_a_measure_that_adds_nothing_is_never_funded(tmp_path: Path, seed: int) -> None:
    """DESIGN.md (2026-11-30): V_i = sum_j w_j (v_ij - v_bj); V_i <= 0 is never funded."""
    from policyeval.optimization import optimize_portfolio

    spec = random_spec(seed, n=8, synergy=False)
    spec["options/status_quo.yaml"]["scores"] = {"impact": 10, "reach": 5, "cost": 0}
    for k in range(8):  # no requires/excludes: nothing may force a measure in
        spec[f"options/m{k}.yaml"].pop("requires", None)
        spec[f"options/m{k}.yaml"].pop("excludes", None)
    ws = load_workspace(write(tmp_path, spec))
    ids, _, vals, _ = hand_values(spec)
    assert (vals <= 0).any() and (vals > 0).any(), "the case must hold both kinds"
    for budget in (5.0, 15.0, 40.0):
        result = optimize_portfolio(ws, compute_weights(ws), budget)
        assert result.added_value == pytest.approx(dict(zip(ids, vals)))
        assert all(result.added_value[i] > 0 for i in result.selected), result.selected
        assert list(result.selected) == brute_force(spec, budget)[0]


def test_a_cost_role_criterion_is_priced_by_the_budget_not_counted_in_value(
    tmp_path: Path,
) -> None:
    """role: cost leaves the criterion out of V_i (the budget prices it)."""
    from policyeval.optimization import optimize_portfolio

    spec = random_spec(5, n=6, synergy=False)
    base = load_workspace(write(tmp_path / "a", spec))
    spec["criteria/criteria.yaml"]["criteria"][2]["role"] = "cost"
    priced = load_workspace(write(tmp_path / "b", spec))
    w = compute_weights(base)
    with_cost = optimize_portfolio(base, w, 20.0).added_value
    without = optimize_portfolio(priced, compute_weights(priced), 20.0).added_value
    cost_w = w.weights["cost"]
    assert cost_w > 0
    ids, opts, _, _ = hand_values(spec)
    x = [opts[i]["cost"] for i in ids]
    lo, hi = 0.0, max(x)  # the baseline costs 0: the cost scale runs 0..max
    for i, c in zip(ids, x):
        # the cost criterion's contribution over the baseline (cost 0, value 1)
        assert with_cost[i] - without[i] == pytest.approx(cost_w * ((hi - c) / (hi - lo) - 1))
