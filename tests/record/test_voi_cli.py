"""``policyeval voi``, ``Analysis.value_of_information`` and the memo's next steps."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

import policyeval as pe
from policyeval.cli.app import app
from policyeval.next_steps import (
    NEGLIGIBLE,
    candidate_portfolios,
    decision_values,
    package_net_value,
)
from policyeval.sensitivity.voi import value_of_information

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
KEYS = {"schema_version", "method", "samples", "seed", "decision", "evpi", "evpi_se", "inputs"}


def test_voi_json_has_the_issue_shape_and_matches_the_library(tiny: Path) -> None:
    res = runner.invoke(app, ["voi", "-w", str(tiny), "--samples", "20000", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) == KEYS and data["schema_version"] == "1"
    assert (data["method"], data["samples"], data["seed"], data["decision"]) == (
        "wsm", 20000, 0, "options"
    )  # fmt: skip
    assert all(set(i) == {"input", "evppi", "se", "changes_choice"} for i in data["inputs"])
    evppi = [i["evppi"] for i in data["inputs"]]
    assert evppi == sorted(evppi, reverse=True)
    a = pe.analyze(pe.load(tiny))
    p = a.problem()
    lib = value_of_information(p, a.weights.vector(p.criteria), samples=20000, seed=0)
    assert data == json.loads(json.dumps(lib.to_dict()))
    by = {i["input"]: i for i in data["inputs"]}
    # only alpha.benefit is uncertain (tiny_spec): every input without it is exactly 0
    certain = [k for k in by if k not in ("alpha.benefit", "option:alpha", "criterion:benefit")]
    assert certain and all(
        by[k]["evppi"] == by[k]["se"] == by[k]["changes_choice"] == 0 for k in certain
    )
    top = runner.invoke(
        app, ["voi", "-w", str(tiny), "--samples", "20000", "-f", "json", "--top", "2"]
    )
    assert json.loads(top.stdout)["inputs"] == data["inputs"][:2]


def test_voi_weights_and_packages_reach_the_estimator(tiny: Path) -> None:
    res = runner.invoke(
        app,
        ["voi", "-w", str(tiny), "--samples", "5000", "--weights", "simplex",
         "--decision", "packages", "-f", "json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    a = pe.analyze(pe.load(tiny))
    p = a.problem()  # the measures' scores are sampled, then combined into packages
    lib = value_of_information(
        p, a.weights.vector(p.criteria), 5000, 0, "simplex", decision="packages",
        net_value=package_net_value(a), decisions=a.problem(True).options,
    )  # fmt: skip
    assert data == json.loads(json.dumps(lib.to_dict()))
    assert any(i["input"].startswith("weight:") and i["evppi"] > 0 for i in data["inputs"])
    assert all(i["input"].split(".")[0] in p.options for i in data["inputs"] if "." in i["input"])


def test_package_values_from_option_scores_are_the_package_ranking() -> None:
    """At the stated scores the package net values are the packages' wsm scores."""
    a = pe.analyze(pe.load(REPO))
    packages = a.problem(True)
    values = package_net_value(a)(a.problem().scores[None], a.weights.vector(packages.criteria))
    scores = {r.option: r.score for r in a.ranking("wsm", True).rows}
    assert values[0] == pytest.approx([scores[o] for o in packages.options], abs=1e-12)


def test_portfolio_decisions_are_valued_as_the_optimizer_values_them() -> None:
    a = pe.analyze(pe.load(REPO))
    portfolios = candidate_portfolios(a)
    _, _, labels, point = decision_values(a, "portfolio")
    assert labels[0] == "+".join(a.portfolio().selected)
    assert point[0] == pytest.approx(a.portfolio().value, abs=1e-9)
    budget, _ = a.budget()
    frontier = {tuple(sorted(p.selected)): p.value for p in a.frontier().points}
    for p, v in zip(portfolios, point):
        assert p in frontier or p == tuple(sorted(a.portfolio().selected))
        if p in frontier:
            assert v == pytest.approx(frontier[p], abs=1e-9)
    assert all(a.case.option(i).cost for p in portfolios for i in p)
    assert sum(a.case.option(i).cost for i in portfolios[0]) <= budget
    r = a.value_of_information(samples=20000, decision="portfolio")
    assert r.decision == "portfolio" and r.decisions == labels and r.evpi > 0


def test_portfolio_decision_needs_a_budget(tiny: Path) -> None:
    res = runner.invoke(app, ["voi", "-w", str(tiny), "--decision", "portfolio"])
    assert res.exit_code == 2 and "needs a budget" in res.stderr and "--decision" in res.stderr


def test_next_steps_name_titles_and_ranges(tmp_path: Path) -> None:
    spec = tiny_spec()  # beta's reach range makes the status quo win in about a third of cases
    spec["options/beta.yaml"]["scores"]["reach"] = {"value": 5, "low": 0, "high": 9}
    a = pe.analyze(pe.load(write_workspace(tmp_path / "ws", spec)))
    ns = a.next_steps(samples=20000, decision="options")
    r = a.value_of_information(20000, 0, "fixed", "options")
    assert not ns.negligible and ns.evpi == r.evpi > 0
    assert [s.input for s in ns.steps] == [i.input for i in r.inputs if i.evppi > 0][:3]
    cell = next(s for s in ns.steps if s.input == "beta.reach")
    assert cell.text.startswith("Pinning down how “Beta” scores on “Reach” (now 5, judged 0–9)")
    assert f"{cell.changes_choice:.0%} of cases" in cell.text


def test_next_steps_say_when_information_is_worth_nothing(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec["options/alpha.yaml"]["scores"]["benefit"] = 8  # no range left anywhere
    a = pe.analyze(pe.load(write_workspace(tmp_path / "ws", spec)))
    ns = a.next_steps(samples=2000, decision="options")
    assert ns.evpi == 0.0 and ns.negligible and ns.steps == ()
    assert "nothing is worth finding out" in ns.summary
    _, _, _, point = decision_values(a, "options")
    assert ns.spread == pytest.approx(float(np.ptp(point)))
    assert ns.to_dict()["negligible_below"] == pytest.approx(NEGLIGIBLE * ns.spread)
