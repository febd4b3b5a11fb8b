"""Across stakeholders (sensitivity/stakeholders.py), checked by hand."""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr

from policyeval.model.problem import make_problem
from policyeval.sensitivity.stakeholders import correlated_criteria, stakeholder_analysis


def test_minimax_regret_top_k_and_drivers_by_hand() -> None:
    """Values a (1, 0), b (0, 1), c (0.6, 0.6). hawk (0.9, 0.1): a .9, b .1, c .6;
    dove (0.1, 0.9): a .1, b .9, c .6. Regrets: a (0, .8), b (.8, 0), c (.3, .3):
    c is the compromise. Top 2: hawk {a, c}, dove {b, c}: only c is in both.
    Weight spreads 0.8 on both; value spreads over {a, b, c}: 1 on both -> ties by name."""
    p = make_problem(list("abc"), ["x", "y"], np.array([[1.0, 0], [0, 1], [0.6, 0.6]]),
                     [True] * 2, declared=[(0, 1)] * 2)  # fmt: skip
    s = stakeholder_analysis(p, {"hawk": np.array([9.0, 1]), "dove": np.array([1.0, 9])}, top_k=2)
    assert s.compromise == "c" and s.in_top_k == ("c",)
    assert np.allclose([s.max_regret[o] for o in "abc"], [0.8, 0.8, 0.3])
    assert s.ranks == {"hawk": {"a": 1, "b": 3, "c": 2}, "dove": {"a": 3, "b": 1, "c": 2}}
    assert [d["criterion"] for d in s.drivers] == ["x", "y"]
    assert np.isclose(s.drivers[0]["effect"], 0.8)
    assert s.to_dict()["profiles"] == ["hawk", "dove"]


def test_correlated_criteria_match_scipy_and_skip_constant_columns() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((8, 4))
    x[:, 1] = 3 * x[:, 0] + 0.01 * rng.random(8)  # moves with criterion 0
    x[:, 2] = 5.0  # constant: skipped (no warning from scipy)
    p = make_problem(list("abcdefgh"), ["c0", "c1", "c2", "c3"], x, [True, True, True, False])
    pairs = correlated_criteria(p)
    rho = spearmanr(p.values()[:, [0, 1, 3]]).statistic
    expect = [(a, b) for a, b in [(0, 1), (0, 2), (1, 2)] if abs(rho[a, b]) > 0.9]
    names = ["c0", "c1", "c3"]
    assert [tuple(q["criteria"]) for q in pairs] == [(names[a], names[b]) for a, b in expect]
    assert ("c0", "c1") in [tuple(q["criteria"]) for q in pairs]
    s = stakeholder_analysis(p, {"one": np.ones(4)})
    assert any("c0 and c1 move together" in w for w in s.warnings)


def test_correlation_needs_three_options() -> None:
    p = make_problem(["a", "b"], ["x", "y"], np.array([[1.0, 2.0], [2.0, 4.0]]), [True, True])
    assert correlated_criteria(p) == []
