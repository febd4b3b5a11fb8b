"""vikor: Opricovic & Tzeng (2004) example by hand, pymcdm 1.4 and scikit-criteria cross-checks."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm.methods import VIKOR

from policyeval.errors import WorkspaceError
from policyeval.model.problem import make_problem
from policyeval.ranking import rank_problem, score_batch
from policyeval.ranking import skcriteria_adapter as sk
from policyeval.ranking.vikor import vikor, vikor_conditions

from .helpers import random_problem, random_weights


def test_vikor_opricovic2004compromise_by_hand():
    """Matrix of the numerical example in Opricovic & Tzeng (2004, EJOR 156), f1 to
    minimize, f2 to maximize, w = (1/2, 1/2); S, R, Q computed by hand:
    f* = (1, 4500), f- = (5, 3000);
    A1: (0, 1/2) -> S = 1/2, R = 1/2;  A2: (1/8, 1/4) -> S = 3/8, R = 1/4;
    A3: (1/2, 0) -> S = 1/2, R = 1/2;  Q = (1, 0, 1); A2 is the compromise
    (C1: 1 - 0 >= 1/2, C2: A2 is best by S and R)."""
    p = make_problem(
        ["A1", "A2", "A3"],
        ["f1", "f2"],
        np.array([[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]]),
        [False, True],
    )
    r = rank_problem(p, {"f1": 0.5, "f2": 0.5}, method="vikor")
    assert not r.higher_is_better
    assert [(row.option, row.score, row.rank) for row in r.rows] == [
        ("A2", 0.0, 1),
        ("A1", 1.0, 2),
        ("A3", 1.0, 2),
    ]
    assert r.details["S"] == {"A1": 0.5, "A2": 0.375, "A3": 0.5}
    assert r.details["R"] == {"A1": 0.5, "A2": 0.25, "A3": 0.5}
    assert r.details["acceptable_advantage"] and r.details["acceptable_stability"]
    assert r.details["compromise_set"] == ["A2"]
    assert r.details["dq"] == 0.5
    assert not any(w.startswith("vikor") for w in r.warnings)


@pytest.mark.parametrize("v", [0.0, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("seed", range(6))
def test_vikor_q_matches_pymcdm(seed, v):
    p = random_problem(seed)
    w = random_weights(seed, 4)
    types = np.where(p.maximize, 1, -1)
    ref = VIKOR(v=v)(p.scores, w, types, validation=False)
    np.testing.assert_allclose(-score_batch("vikor", p, w, v=v), ref, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_vikor_matches_skcriteria_including_conditions(seed):
    p = random_problem(seed, n=5, m=3)
    w = random_weights(seed, 3)
    ref = sk.vikor(p.scores, p.maximize, w)
    S, R, Q = vikor(p.scores, p.maximize, w)
    np.testing.assert_allclose(S, ref["s_k"], atol=1e-9)
    np.testing.assert_allclose(R, ref["r_k"], atol=1e-9)
    np.testing.assert_allclose(Q, ref["q_k"], atol=1e-9)
    cond = vikor_conditions(S, R, Q)
    assert cond["acceptable_advantage"] == ref["acceptable_advantage"]
    assert cond["acceptable_stability"] == ref["acceptable_stability"]
    assert sorted(cond["compromise_set"]) == sorted(ref["compromise_set"].tolist())


def test_vikor_c1_fails_compromise_set_within_dq():
    """By hand: c = (6, 6) has Q 0, d = (5.5, 5.5) has Q = 0.5*0.5 + 0.5*(0.025/0.3)
    = 0.2917 < DQ = 1/3, so C1 fails and the compromise set is {c, d}."""
    p = make_problem(
        list("abcd"),
        ["x", "y"],
        np.array([[10.0, 0.0], [0.0, 10.0], [6.0, 6.0], [5.5, 5.5]]),
        [True, True],
    )
    r = rank_problem(p, {"x": 1, "y": 1}, method="vikor")
    assert {row.option: row.score for row in r.rows}["d"] == pytest.approx(0.25 + 0.025 / 0.6)
    assert not r.details["acceptable_advantage"]
    assert r.details["acceptable_stability"]
    assert r.details["compromise_set"] == ["c", "d"]
    assert any("acceptable advantage (C1)" in w and "c, d" in w for w in r.warnings)


def test_vikor_c2_fails_compromise_set_is_top_two():
    """a1 = index 2 is best by Q but neither by S (index 0) nor by R (index 1)."""
    S = np.array([0.0, 1.0, 0.1, 1.0, 1.0, 1.0])
    R = np.array([0.9, 0.0, 0.1, 1.0, 1.0, 1.0])
    cond = vikor_conditions(S, R, 0.5 * S + 0.5 * R)
    assert cond["acceptable_advantage"] and not cond["acceptable_stability"]
    assert cond["compromise_set"] == [2, 0]


def test_vikor_constant_criterion_is_ignored_without_division_by_zero():
    base = random_problem(4, n=5, m=3)
    scores = np.column_stack([base.scores, np.full(5, 7.0)])
    p = make_problem(base.options, [*base.criteria, "flat"], scores, [*base.maximize, True])
    w = random_weights(4, 3)
    q_with = -score_batch("vikor", p, np.append(w * 0.8, 0.2))
    q_without = -score_batch("vikor", base, w)
    np.testing.assert_allclose(q_with, q_without, atol=1e-12)


def test_vikor_all_options_equal_gives_q_zero():
    p = make_problem(["a", "b", "c"], ["x", "y"], np.ones((3, 2)), [True, False])
    r = rank_problem(p, {"x": 1, "y": 1}, method="vikor")
    assert [row.score for row in r.rows] == [0.0, 0.0, 0.0]
    assert [row.rank for row in r.rows] == [1, 1, 1]


def test_vikor_v_parameter_checked():
    with pytest.raises(
        WorkspaceError, match=r"The 'v' parameter of vikor must be a float in \[0, 1\]. Got 1.5"
    ):
        score_batch("vikor", random_problem(0), np.ones(4), v=1.5)
