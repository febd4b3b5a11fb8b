"""Resource allocation: membership rules, LP duality, need index and input errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from policyeval import lp
from policyeval.cli.app import app
from policyeval.errors import WorkspaceError
from policyeval.io import load_workspace
from policyeval.optimization.allocation import _model, allocate, need_index
from policyeval.weighting import compute_weights

from .helpers import random_spec, write

CSV = """country,foreign_fighters_low,foreign_fighters_high,returnees,csto_member,sco_member
Alpha,100,300,50,yes,yes
Beta,,,150,no,yes
Gamma,400,400,,no,no
Russia,,,,yes,yes
"""

ALLOC: dict[str, Any] = {
    "unit": "RU",
    "budget": 30,
    "measures": "all",
    "need": {"indicators": {"foreign_fighters": 1, "returnees": 1}},
    "targets": [
        {"id": "alpha", "country": "Alpha"},
        {"id": "beta", "country": "Beta"},
        {"id": "gamma", "country": "Gamma"},
        {"id": "home", "country": "Russia"},
    ],
    "channels": [
        {"id": "bilateral", "targets": ["alpha", "beta", "gamma"]},
        {"id": "csto", "targets": ["alpha", "beta", "gamma"], "member_column": "csto_member"},
        {"id": "sco", "targets": ["alpha", "beta", "gamma"], "member_column": "sco_member"},
        {"id": "domestic", "targets": ["home"]},
    ],
    "response": [[2, 1.0], [3, 0.5], [4, 0.2]],
    "measure_settings": {"m1": {"fit": {"csto": 1.5}}, "m2": {"channels": ["domestic"]}},
    "shares": {"target": {"home": {"max": 0.3}}, "channel": {"csto": {"min": 0.1, "max": 0.4}}},
}


def _ws(tmp_path: Path, alloc: dict | None = None, csv: str = CSV):
    spec = random_spec(3, n=6)
    spec["options/allocation.yaml"] = alloc if alloc is not None else copy.deepcopy(ALLOC)
    spec["criteria/countries.csv"] = csv
    ws = load_workspace(write(tmp_path, spec))
    return ws, compute_weights(ws)


def test_shipped_case_respects_membership_and_budget(shipped: Path) -> None:
    """§3.2: no CSTO money in Uzbekistan or Turkmenistan, no SCO money in Turkmenistan."""
    ws = load_workspace(shipped)
    w = compute_weights(ws)
    for budget in (40, 150, 300):
        res = allocate(ws, w, budget)
        pairs = {(r["target"], r["channel"]) for r in res.allocation}
        assert not pairs & {("uzbekistan", "csto"), ("turkmenistan", "csto"),
                            ("turkmenistan", "sco")}  # fmt: skip
        assert all(c != "domestic" or t == "russia_domestic" for t, c in pairs)
        assert res.to_dict()["spent"] <= budget + 1e-6
        assert "budget_total" in res.shadow_prices or res.to_dict()["spent"] < budget
    avail = ws.allocation.available
    assert "csto" not in avail["uzbekistan"] and "csto" not in avail["turkmenistan"]
    assert "sco" not in avail["turkmenistan"] and "sco" in avail["uzbekistan"]
    assert avail["russia_domestic"] == ("domestic",)


def test_labels_name_targets_by_country_and_channels_by_acronym(shipped: Path) -> None:
    """allocation.yaml: russia_domestic is Russia's own territory; CSTO and SCO by initials."""
    ws = load_workspace(shipped)
    d = allocate(ws, compute_weights(ws)).to_dict()
    names = d["labels"]
    assert names["targets"]["russia_domestic"] == "Russia (domestic)"
    assert names["targets"]["kazakhstan"] == "Kazakhstan"
    assert names["channels"] == {"bilateral": "Bilateral", "csto": "CSTO", "sco": "SCO",
                                 "domestic": "Domestic"}  # fmt: skip
    assert names["channel_names"]["sco"] == "Shanghai Cooperation Organization"
    assert {"status", "budget", "allocation", "value"} <= set(d)  # DESIGN.md keys kept
    assert all(r["target"] in names["targets"] for r in d["allocation"])


def test_membership_is_read_from_countries_csv(tmp_path: Path) -> None:
    ws, _ = _ws(tmp_path, csv=CSV.replace("Beta,,,150,no,yes", "Beta,,,150,yes,yes"))
    assert ws.allocation.available["beta"] == ("bilateral", "csto", "sco")
    ws, _ = _ws(tmp_path / "b")
    assert ws.allocation.available == {
        "alpha": ("bilateral", "csto", "sco"),
        "beta": ("bilateral", "sco"),
        "gamma": ("bilateral",),
        "home": ("domestic",),
    }


def test_need_index_by_hand(tmp_path: Path) -> None:
    """Fighters (midpoints) 200, -, 400, - over max 400; returnees 50, 150, -, - over 150.

    A missing figure drops the indicator for that target: beta rests on returnees alone,
    gamma on fighters alone, and home (no figure at all) has index 0 (need = floor).
    """
    ws, _ = _ws(tmp_path)
    need = need_index(ws.allocation, ws.countries)
    expected = [(200 / 400 + 50 / 150) / 2, 150 / 150, 400 / 400, 0.0]
    np.testing.assert_allclose([need[t]["need"] for t in ("alpha", "beta", "gamma", "home")],
                               expected)  # fmt: skip
    assert need["alpha"]["low"] == pytest.approx((100 / 400 + 50 / 150) / 2)
    assert need["beta"]["dropped"] == ["foreign_fighters"]
    assert need["home"]["dropped"] == ["foreign_fighters", "returnees"]
    assert need["alpha"]["dropped"] == [] and need["alpha"]["imputed"] == []


def test_need_index_declared_imputation(tmp_path: Path) -> None:
    """An imputation is used as the figure and listed; the top is taken over the figures used."""
    alloc = copy.deepcopy(ALLOC)
    alloc["need"] = {
        "indicators": {
            "foreign_fighters": {"weight": 1, "missing": {"impute": 0, "reason": "none reported"}},
            "returnees": 1,
        }
    }
    ws, _ = _ws(tmp_path, alloc)
    need = need_index(ws.allocation, ws.countries)
    assert need["beta"]["need"] == pytest.approx((0 / 400 + 150 / 150) / 2)
    assert need["beta"]["imputed"] == ["foreign_fighters"] and need["beta"]["dropped"] == []
    assert need["home"]["need"] == pytest.approx(0.0)
    assert need["home"]["dropped"] == ["returnees"]


def test_mean_imputation_is_refused_by_validate(tmp_path: Path) -> None:
    alloc = copy.deepcopy(ALLOC)
    alloc["need"]["missing"] = "mean"
    with pytest.raises(WorkspaceError) as err:
        _ws(tmp_path, alloc)
    assert [i.entry for i in err.value.issues] == ["need.missing"]


def _lp(ws, w, budget):
    spec = ws.allocation
    from policyeval.optimization.portfolio import portfolio_data

    data, _ = portfolio_data(ws, w, budget)
    values = dict(zip(data.ids, map(float, data.values)))
    need = {t: n["need"] for t, n in need_index(spec, ws.countries).items()}
    recs = {o.id: o.recommendation for o in ws.measures}
    avail = {t: list(c) for t, c in spec.available.items()}
    return _model(spec, avail, values, need, recs, budget)[0]


@pytest.mark.parametrize("budget", [5.0, 30.0, 80.0])
def test_strong_duality(tmp_path: Path, budget: float) -> None:
    """Primal optimum = sum of shadow price x right-hand side (all variables >= 0)."""
    ws, w = _ws(tmp_path)
    prob = _lp(ws, w, budget)
    lp.solve(prob, lp.make_solver(lp=True))
    duals = lp.dual_values(prob)
    dual_obj = sum(duals[c.name] * -c.constant for c in prob.constraints())
    assert prob.objective.value() == pytest.approx(dual_obj, rel=1e-6)
    assert all(duals[c.name] >= -1e-9 for c in prob.constraints() if c.sense == -1)  # <= rows
    res = allocate(ws, w, budget)
    assert res.value == pytest.approx(prob.objective.value(), rel=1e-9)


@pytest.mark.parametrize("shares", [False, True])
@pytest.mark.parametrize("budget", [12.0, 30.0, 45.0])
def test_budget_shadow_price_is_the_slope(tmp_path: Path, budget: float, shares: bool) -> None:
    """(value(B + d) - value(B)) / d <= price <= (value(B) - value(B - d)) / d (concave LP).

    Without shares the price is the budget constraint's dual; with shares (fractions of
    the budget) it is ``marginal_value``, which adds their duals times their fractions.
    """
    alloc = copy.deepcopy(ALLOC)
    if not shares:
        del alloc["shares"]
    ws, w = _ws(tmp_path, alloc)
    d = 1e-3
    v = {b: allocate(ws, w, b).value for b in (budget - d, budget, budget + d)}
    res = allocate(ws, w, budget)
    price = res.marginal_value
    if not shares:
        assert price == res.shadow_prices.get("budget_total", 0.0)
    assert (v[budget + d] - v[budget]) / d <= price + 1e-5
    assert (v[budget] - v[budget - d]) / d >= price - 1e-5


def test_setup_costs_use_binaries_and_duals_come_from_the_fixed_lp(tmp_path: Path) -> None:
    alloc = copy.deepcopy(ALLOC)
    alloc["measure_settings"]["m3"] = {"setup_cost": 2}
    ws, w = _ws(tmp_path, alloc)
    res = allocate(ws, w, 30)
    funded = {r["target"] for r in res.allocation if r["option"] == "m3"}
    assert {s["target"] for s in res.setups} == funded
    spent = sum(r["amount"] for r in res.allocation) + 2 * len(res.setups)
    assert res.to_dict()["spent"] == pytest.approx(spent) and spent <= 30 + 1e-9


def test_portfolio_mode_funds_each_selected_measure_at_its_cost(tmp_path: Path) -> None:
    """measures: portfolio -> the measures of optimize at the same budget, each >= its cost."""
    from policyeval.optimization.portfolio import optimize_portfolio

    alloc = copy.deepcopy(ALLOC)
    alloc["measures"] = "portfolio"
    ws, w = _ws(tmp_path, alloc)
    res = allocate(ws, w, 20)
    chosen = optimize_portfolio(ws, w, 20).selected
    assert res.measures == chosen
    for m in chosen:
        got = sum(r["amount"] for r in res.allocation if r["option"] == m)
        assert got >= ws.option(m).cost - 1e-6
    assert {r["option"] for r in res.allocation} <= set(chosen)


def test_shares_hold(tmp_path: Path) -> None:
    ws, w = _ws(tmp_path)
    res = allocate(ws, w, 30)
    assert res.by_target.get("home", 0) <= 0.3 * 30 + 1e-6
    assert 0.1 * 30 - 1e-6 <= res.by_channel.get("csto", 0) <= 0.4 * 30 + 1e-6


def test_infeasible_shares_exit_3(tmp_path: Path) -> None:
    alloc = copy.deepcopy(ALLOC)
    alloc["shares"]["target"] = {"home": {"min": 0.95}, "alpha": {"max": 0.5}}
    ws, _ = _ws(tmp_path, alloc)
    res = CliRunner().invoke(app, ["allocate", "-w", str(ws.root), "--budget", "30"])
    assert res.exit_code == 3
    assert "share_target_home_min" in res.stderr and "share_channel_csto_min" in res.stderr
    assert "alpha" not in res.stderr and "csto_max" not in res.stderr


@pytest.mark.parametrize(
    ("mutate", "entry", "match"),
    [
        (lambda a: a.update(colour=1), "colour", "unknown key 'colour'"),
        (lambda a: a.update(budget=-5), "budget", "below the minimum"),
        (lambda a: a["targets"].append({"id": "delta", "country": "Delta"}), "targets[4].country",
         "unknown country 'Delta'"),
        (lambda a: a.update(response=[[1, 0.5], [1, 0.9]]), "response[1]", "must not increase"),
        (lambda a: a["measure_settings"].update(m9={}), "measure_settings.m9", "unknown measure"),
        (lambda a: a["measure_settings"]["m1"].update(channels=["tv"]),
         "measure_settings.m1.channels[0]", "unknown channel 'tv'"),
        (lambda a: a["shares"]["target"].update(moon={"max": 0.1}), "shares.target.moon",
         "unknown target 'moon'"),
    ],
)  # fmt: skip
def test_bad_allocation_yaml_names_file_and_entry(tmp_path: Path, mutate, entry, match) -> None:
    alloc = copy.deepcopy(ALLOC)
    mutate(alloc)
    with pytest.raises(WorkspaceError, match=match) as err:
        allocate(*_ws(tmp_path, alloc))  # the loader already checks the budget
    assert any(i.file == "options/allocation.yaml" and i.entry == entry for i in err.value.issues)


def test_blank_membership_needs_a_declaration(tmp_path: Path) -> None:
    """Found when the workspace is loaded (so by validate), not only by allocate."""
    with pytest.raises(WorkspaceError, match="membership.gamma.csto_member") as err:
        _ws(tmp_path, csv=CSV.replace("Gamma,400,400,,no,no", "Gamma,400,400,,,no"))
    assert len(err.value.issues) == 1


def test_cli_json_shape(shipped: Path) -> None:
    res = CliRunner().invoke(app, ["allocate", "-w", str(shipped), "-f", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert list(out)[:4] == ["status", "budget", "allocation", "value"]
    assert set(out["allocation"][0]) == {"option", "target", "channel", "amount"}
    assert out["shadow_prices"]["budget_total"] > 0 and "budget_total" in out["binding"]


def test_allocate_needs_the_file_and_a_budget(tmp_path: Path) -> None:
    spec = random_spec(3, n=6)
    ws = load_workspace(write(tmp_path, spec))
    w = compute_weights(ws)
    with pytest.raises(WorkspaceError, match="allocate needs options/allocation.yaml"):
        allocate(ws, w)
    alloc = copy.deepcopy(ALLOC)
    del alloc["budget"]
    ws, w = _ws(tmp_path / "b", alloc)
    with pytest.raises(WorkspaceError, match="no budget: add 'budget' or pass --budget"):
        allocate(ws, w)
    with pytest.raises(WorkspaceError, match="budget must be >= 0. Got -1"):
        allocate(ws, w, -1)
