"""Value of information (sensitivity/voi.py) against closed forms and nested Monte Carlo.

References: Strong & Oakley (2013), Medical Decision Making 33(6), 755-766 (single
parameter); Strong, Oakley & Brennan (2014), Medical Decision Making 34(3), 311-326
(multiparameter regression method).
"""

from __future__ import annotations

import numpy as np
import pytest

from policyeval.errors import WorkspaceError
from policyeval.model.problem import make_problem
from policyeval.sensitivity.sampling import sample_weights
from policyeval.sensitivity.voi import (
    VoiEstimate,
    evpi,
    evppi,
    evppi_many,
    input_groups,
    sample_inputs,
    value_of_information,
)

from .helpers import random_problem

ANALYTIC_EVPI = 0.025


def analytic_problem():
    """Two options on two criteria scored on [0, 10], weights (1/2, 1/2).

    ``a`` scores (5, 5), certain; ``b`` scores (X, 5) with X ~ triangular(2, 5, 8), so
    the expected values tie (both 1/2). The wsm difference is ``D = (X - 5) / 20`` and
    ``EVPI = E[max(0, D)]`` (the tie makes either option the reference). ``Y = X - 5``
    has density ``(3 - |y|) / 9`` on [-3, 3], so ``E[max(0, Y)] = int_0^3 y (3 - y) / 9
    dy = (27/2 - 9) / 9 = 1/2`` and ``EVPI = (1/2) / 20 = 1/40 = 0.025``. X is the only
    uncertain input: its EVPPI, and that of the group ``option:b`` and ``criterion:x``,
    equal the EVPI; every other input has none.
    """
    return make_problem(
        ["a", "b"],
        ["x", "y"],
        np.array([[5.0, 5.0], [5.0, 5.0]]),
        [True, True],
        low=np.array([[5.0, 5.0], [2.0, 5.0]]),
        high=np.array([[5.0, 5.0], [8.0, 5.0]]),
        declared=[(0.0, 10.0), (0.0, 10.0)],
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_analytic_tie_evpi_and_evppi_within_two_standard_errors(seed: int) -> None:
    r = value_of_information(analytic_problem(), [0.5, 0.5], samples=100_000, seed=seed)
    assert abs(r.evpi - ANALYTIC_EVPI) < 2 * r.evpi_se
    # regret max(0, -D) with E[D] ~ 0: sd sqrt(E[max(0, Y)^2] - 1/4) / 20 = sqrt(3/4 - 1/4) / 20
    assert abs(r.evpi_se - np.sqrt(0.5) / 20 / np.sqrt(100_000)) < 0.1e-4
    rows = {i.input: i for i in r.inputs}
    for name in ("b.x", "option:b", "criterion:x"):
        assert abs(rows[name].evppi - ANALYTIC_EVPI) < 2 * rows[name].se, name
        assert abs(rows[name].evppi - r.evpi) < 1e-3 * r.evpi  # same sample, exact fit
        assert abs(rows[name].changes_choice - 0.5) < 0.01  # X > 5 or not
    for name in ("a.x", "a.y", "b.y", "weight:x", "weight:y", "option:a", "criterion:y"):
        assert (rows[name].evppi, rows[name].se, rows[name].changes_choice) == (0.0, 0.0, 0.0)
    assert {i.input for i in r.inputs[:3]} == {"b.x", "option:b", "criterion:x"}


def test_to_dict_has_exactly_the_issue_shape_sorted_by_evppi() -> None:
    d = value_of_information(analytic_problem(), [0.5, 0.5], samples=20_000, seed=3).to_dict()
    assert list(d) == [
        "schema_version",
        "method",
        "samples",
        "seed",
        "decision",
        "evpi",
        "evpi_se",
        "inputs",
    ]
    assert (d["schema_version"], d["method"], d["samples"], d["seed"], d["decision"]) == (
        "1",
        "wsm",
        20_000,
        3,
        "options",
    )
    assert all(list(i) == ["input", "evppi", "se", "changes_choice"] for i in d["inputs"])
    values = [i["evppi"] for i in d["inputs"]]
    assert values == sorted(values, reverse=True)
    # 4 cells, 2 weights, 2 options, 2 criteria
    assert len(d["inputs"]) == 10


def test_evppi_of_a_certain_input_is_exactly_zero() -> None:
    rng = np.random.default_rng(0)
    nb = rng.normal(size=(5_000, 3))
    assert evppi(np.full(5_000, 7.0), nb) == VoiEstimate(0.0, 0.0, 0.0)
    assert evppi(np.full((5_000, 4), 2.0), nb) == VoiEstimate(0.0, 0.0, 0.0)
    got = evppi_many({"c": np.ones(5_000), "d": np.zeros(5_000)}, nb, {"g": ["c", "d"]})
    assert all(e == VoiEstimate(0.0, 0.0, 0.0) for e in got.values())
    # one decision: nothing to choose, nothing to learn
    assert evppi(rng.normal(size=5_000), nb[:, :1]) == VoiEstimate(0.0, 0.0, 0.0)
    assert evpi(nb[:, :1]) == (0.0, 0.0)


def test_constant_columns_of_a_group_are_ignored() -> None:
    """A group of one uncertain input and a constant one is that input alone."""
    rng = np.random.default_rng(1)
    x = rng.uniform(size=20_000)
    nb = np.column_stack([np.zeros_like(x), x - 0.5 + rng.normal(0, 0.3, x.size)])
    assert evppi(np.column_stack([x, np.full_like(x, 4.0)]), nb) == evppi(x, nb)


def test_evppi_never_exceeds_evpi_beyond_its_error() -> None:
    """Every input and group of a close race: five options scored 4-6 on four criteria,
    each score within +-2, weights uniform on the simplex."""
    rng = np.random.default_rng(11)
    x = rng.uniform(4, 6, (5, 4))
    names = [f"o{i}" for i in range(5)], [f"c{j}" for j in range(4)]
    p = make_problem(*names, x, [True] * 4, low=x - 2, high=x + 2, declared=[(0, 10)] * 4)
    r = value_of_information(p, np.full(4, 0.25), samples=40_000, seed=2, weights_mode="simplex")
    assert r.evpi > 0
    assert sum(i.evppi > 0 for i in r.inputs) > 10
    for i in r.inputs:
        assert i.evppi <= r.evpi + 2 * np.hypot(i.se, r.evpi_se), i
        assert 0.0 <= i.changes_choice <= 1.0


def _net_values(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """Three decisions with equal expected values (0) for x1, x2 ~ U(0, 1), non-linear
    in x1 and with an x1 x2 interaction: E[NB | x1] = (0, x1 - 1/2, 2 (x1 - 1/2)^2 - 1/6)
    and E[NB | x2] = (0, (x2 - 1/2) / 2, (x2 - 1/2) / 2)."""
    d1 = (x1 - 0.5) + 0.5 * (x2 - 0.5)
    d2 = 2.0 * (x1 - 0.5) ** 2 - 1.0 / 6.0 + (x2 - 0.5) * x1
    return np.stack(np.broadcast_arrays(np.zeros_like(d1), d1, d2), axis=-1)


def _nested_evppi(which: int, outer: int, inner: int, seed: int) -> tuple[float, float, float]:
    """Brute force: ``E_x[max_d mean_inner NB_d(x, other)] - max_d E[NB_d]`` (the last
    term is 0 here), its outer Monte Carlo standard error, and a bound on its upward
    bias: the maximum over noisy inner means exceeds the maximum of their expectations
    by at most ``E[max_d |e_d|] <= sqrt(sum_d var_d / inner)``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(outer, 1))
    other = rng.uniform(size=(1, inner))
    best, var = [], []
    for xs in np.array_split(x, 8):
        nb = _net_values(xs, other) if which == 1 else _net_values(other, xs)
        best.append(nb.mean(axis=1).max(axis=1))  # max over decisions of the inner mean
        var.append(nb.var(axis=1).sum(axis=1))
    b = np.concatenate(best)
    bias = float(np.sqrt(np.concatenate(var).mean() / inner))
    return float(b.mean()), float(b.std(ddof=1) / np.sqrt(outer)), bias


@pytest.mark.parametrize("which", [1, 2])
def test_agrees_with_brute_force_nested_monte_carlo(which: int) -> None:
    """x1: non-linear conditional expectations, three decisions; x2: two decisions with
    the same conditional expectation (E[max(0, (x2 - 1/2) / 2)] = 1/16 exactly)."""
    rng = np.random.default_rng(7)
    x1, x2 = rng.uniform(size=(2, 100_000))
    nb = _net_values(x1, x2)
    est = evppi(x1 if which == 1 else x2, nb)
    nested, nested_se, bias = _nested_evppi(which, outer=4_000, inner=4_000, seed=8)
    tol = 2 * np.hypot(est.se, nested_se)
    assert -tol - bias < est.evppi - nested < tol
    if which == 2:
        assert abs(est.evppi - 1 / 16) < 2 * est.se


def test_group_of_every_input_equals_evpi_and_single_input_alone_too() -> None:
    rng = np.random.default_rng(9)
    x1, x2 = rng.uniform(size=(2, 100_000))
    nb = _net_values(x1, x2)
    value, se = evpi(nb)
    both = evppi(np.column_stack([x1, x2]), nb)  # the model holds exactly (pairs, cubics)
    assert abs(both.evppi - value) < 0.01 * se and abs(both.se - se) < 0.01 * se
    only = _net_values(x1, np.full_like(x1, 0.5))  # x2 certain: x1 is all the uncertainty
    value, se = evpi(only)
    single = evppi(x1, only)
    assert abs(single.evppi - value) < 2 * single.se
    assert abs(single.evppi - value) < 0.01 * value


def test_irrelevant_input_gets_little_value() -> None:
    """An input the net values do not depend on: only the fit's noise, well below the EVPI."""
    rng = np.random.default_rng(4)
    x, noise = rng.uniform(size=(2, 100_000))
    nb = np.column_stack([np.zeros_like(x), x - 0.5, 0.5 - x])
    value, _ = evpi(nb)
    e = evppi(noise, nb)
    assert e.evppi < 0.02 * value


def test_reproducible_with_a_seed() -> None:
    p = random_problem(3, 4, 3, uncertain=True)
    a = value_of_information(p, [0.2, 0.3, 0.5], samples=5_000, seed=12).to_dict()
    b = value_of_information(p, [0.2, 0.3, 0.5], samples=5_000, seed=12).to_dict()
    c = value_of_information(p, [0.2, 0.3, 0.5], samples=5_000, seed=13).to_dict()
    assert a == b and a["evpi"] != c["evpi"]


def test_sampler_reuses_smaa_draws_and_names_inputs() -> None:
    p = random_problem(5, 3, 4, uncertain=True)
    inputs, nv = sample_inputs(p, np.ones(4), samples=3_000, seed=4, weights_mode="simplex")
    w = np.column_stack([inputs[f"weight:{c}"] for c in p.criteria])
    assert np.array_equal(w, sample_weights(4, 3_000, seed=4))  # SMAA's uniform weights
    x = np.array([[inputs[f"{o}.{c}"] for c in p.criteria] for o in p.options])
    x = np.moveaxis(x, -1, 0)  # (S, n, m)
    assert np.all((x >= p.low) & (x <= p.high))
    certain = p.low == p.high
    assert np.all(x[:, certain] == p.scores[certain])
    assert np.allclose(nv, (p.values(x) * w[:, None, :]).sum(axis=-1))
    fixed, nv2 = sample_inputs(p, [1, 1, 2, 0], samples=3_000, seed=4)
    assert np.all(fixed["weight:c0"] == 0.25) and nv2.shape == (3_000, 3)
    assert input_groups(p)["criterion:c1"] == ["o0.c1", "o1.c1", "o2.c1"]


def test_custom_net_value_and_decision_labels() -> None:
    """The lead's hook: any net value over sampled scores and weights, any labels."""
    p = analytic_problem()

    def worse_of_two(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
        v = p.values(scores) @ weights  # (S, 2)
        return np.column_stack([v.min(axis=1), v.max(axis=1) - 0.1])

    r = value_of_information(
        p, [0.5, 0.5], samples=20_000, net_value=worse_of_two, decisions=["lo", "hi"],
        decision="portfolio",
    )  # fmt: skip
    assert r.decisions == ("lo", "hi") and r.to_dict()["decision"] == "portfolio"
    assert r.evpi > 0 and {i.input for i in r.inputs if i.evppi > 0} >= {"b.x"}


@pytest.mark.parametrize(
    ("kwargs", "entry"),
    [
        ({"samples": 1}, "--samples"),
        ({"seed": -1}, "--seed"),
        ({"weights_mode": "dirichlet"}, "--weights"),
        ({"weights_mode": "bounds"}, "bounds"),
        ({"weights_mode": "bounds", "bounds": [(0.7, 1.0), (0.6, 1.0)]}, "bounds"),
    ],
)
def test_bad_arguments_are_one_clear_issue(kwargs: dict, entry: str) -> None:
    with pytest.raises(WorkspaceError) as err:
        value_of_information(analytic_problem(), [0.5, 0.5], **kwargs)
    assert len(err.value.issues) == 1 and err.value.issues[0].entry == entry


def test_shape_mismatch_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="inputs must have shape"):
        evppi(np.ones(10), np.ones((11, 2)))
    with pytest.raises(ValueError, match="unknown inputs"):
        evppi_many({"a": np.arange(10.0)}, np.ones((10, 2)), {"g": ["a", "b"]})
