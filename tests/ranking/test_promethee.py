"""promethee: hand computation, pymcdm 1.4 PROMETHEE_II per preference type, and a
pair-by-pair reference written from Brans & Vincke (1985) for gaussian and mixed types."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pymcdm.methods import PROMETHEE_II

from policyeval.errors import WorkspaceError
from policyeval.model.problem import make_problem
from policyeval.ranking import rank_problem, score_batch
from policyeval.ranking.promethee import preference

from .helpers import random_problem, random_weights


def test_promethee_hand_computation_linear_and_level():
    """x (max, linear q=1 p=3): a 5, b 3, c 4; y (min, level q=0.5 p=1.5): a 2, b 1, c 4;
    w = (0.6, 0.4). pi(a,b) = 0.6 * 0.5 = 0.3, pi(a,c) = 0.4 * 1 = 0.4,
    pi(b,a) = 0.4 * 0.5 = 0.2, pi(b,c) = 0.4, pi(c,.) = 0, so
    phi+ = (0.35, 0.3, 0), phi- = (0.1, 0.15, 0.4), phi = (0.25, 0.15, -0.4)."""
    p = make_problem(
        ["a", "b", "c"],
        ["x", "y"],
        np.array([[5.0, 2.0], [3.0, 1.0], [4.0, 4.0]]),
        [True, False],
        preferences=[{"type": "linear", "q": 1, "p": 3}, {"type": "level", "q": 0.5, "p": 1.5}],
    )
    r = rank_problem(p, {"x": 0.6, "y": 0.4}, method="promethee")
    got = {row.option: row.score for row in r.rows}
    assert got == pytest.approx({"a": 0.25, "b": 0.15, "c": -0.4}, abs=1e-12)
    assert r.details["phi_plus"] == pytest.approx({"a": 0.35, "b": 0.3, "c": 0.0}, abs=1e-12)
    assert r.details["phi_minus"] == pytest.approx({"a": 0.1, "b": 0.15, "c": 0.4}, abs=1e-12)
    assert [row.option for row in r.rows] == ["a", "b", "c"]


def _pymcdm(p, w, kind, q=None, pp=None):
    types = np.where(p.maximize, 1, -1)
    return PROMETHEE_II(kind, p=pp, q=q)(p.scores, w, types, validation=False)


def _thresholds(seed, m):
    rng = np.random.default_rng(seed + 100)
    q = rng.uniform(0.0, 2.0, m)
    return q, q + rng.uniform(0.5, 4.0, m)


@pytest.mark.parametrize("seed", range(6))
def test_promethee_usual_matches_pymcdm(seed):
    p = random_problem(seed)
    w = random_weights(seed, 4)
    np.testing.assert_allclose(score_batch("promethee", p, w), _pymcdm(p, w, "usual"), atol=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_promethee_linear_matches_pymcdm_vshape_2(seed):
    """DESIGN.md's "linear with q and p" is Brans' type V, pymcdm's ``vshape_2``."""
    q, pp = _thresholds(seed, 4)
    prefs = [{"type": "linear", "q": a, "p": b} for a, b in zip(q, pp)]
    p = random_problem(seed, preferences=prefs)
    w = random_weights(seed, 4)
    ref = _pymcdm(p, w, "vshape_2", q=q, pp=pp)
    np.testing.assert_allclose(score_batch("promethee", p, w), ref, atol=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_promethee_vshape_matches_pymcdm(seed):
    _, pp = _thresholds(seed, 4)
    p = random_problem(seed, preferences=[{"type": "vshape", "p": b} for b in pp])
    w = random_weights(seed, 4)
    ref = _pymcdm(p, w, "vshape", pp=pp)
    np.testing.assert_allclose(score_batch("promethee", p, w), ref, atol=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_promethee_level_matches_pymcdm(seed):
    q, pp = _thresholds(seed, 4)
    prefs = [{"type": "level", "q": a, "p": b} for a, b in zip(q, pp)]
    p = random_problem(seed, preferences=prefs)
    w = random_weights(seed, 4)
    ref = _pymcdm(p, w, "level", q=q, pp=pp)
    np.testing.assert_allclose(score_batch("promethee", p, w), ref, atol=1e-9)


def _reference_preference(d, pref):
    """Brans & Vincke (1985), the six generalized criteria (types I, III, IV, V, VI)."""
    kind, q, p, s = (pref["type"], pref.get("q", 0.0), pref.get("p", 0.0), pref.get("s", 0.0))
    if d <= 0:
        return 0.0
    if kind == "usual":
        return 1.0
    if kind == "vshape":
        return d / p if d <= p else 1.0
    if kind == "level":
        return 0.0 if d <= q else (0.5 if d <= p else 1.0)
    if kind == "linear":
        return 0.0 if d <= q else ((d - q) / (p - q) if d <= p else 1.0)
    return 1.0 - math.exp(-(d * d) / (2.0 * s * s))


def _reference_phi(scores, maximize, w, prefs):
    n, m = scores.shape
    phi = [0.0] * n
    for a in range(n):
        for b in range(n):
            if a == b:
                continue
            pi_ab = pi_ba = 0.0
            for j in range(m):
                d = scores[a, j] - scores[b, j]
                if not maximize[j]:
                    d = -d
                pi_ab += w[j] * _reference_preference(d, prefs[j])
                pi_ba += w[j] * _reference_preference(-d, prefs[j])
            phi[a] += (pi_ab - pi_ba) / (n - 1)
    return np.array(phi)


@pytest.mark.parametrize("seed", range(6))
def test_promethee_gaussian_and_mixed_types_match_pair_by_pair_reference(seed):
    prefs = [
        {"type": "gaussian", "s": 1.5},
        {"type": "linear", "q": 0.5, "p": 2.5},
        {"type": "level", "q": 1.0, "p": 3.0},
        {"type": "vshape", "p": 4.0},
        {"type": "usual"},
    ]
    p = random_problem(seed, n=5, m=5, preferences=prefs)
    w = random_weights(seed, 5)
    ref = _reference_phi(p.scores, p.maximize, w, prefs)
    np.testing.assert_allclose(score_batch("promethee", p, w), ref, atol=1e-12)


def test_promethee_gaussian_hand_value():
    """Two options, one criterion, d = 2, s = 1: P = 1 - exp(-2) and phi = +-P."""
    p = make_problem(
        ["a", "b"],
        ["x"],
        np.array([[3.0], [1.0]]),
        [True],
        preferences=[{"type": "gaussian", "s": 1}],
    )
    got = score_batch("promethee", p, np.array([1.0]))
    assert got.tolist() == pytest.approx([1 - math.exp(-2), -(1 - math.exp(-2))])


@pytest.mark.parametrize(
    ("pref", "message"),
    [
        ({"type": "linar"}, "unknown preference type 'linar'"),
        ({"type": "vshape"}, "type vshape needs p"),
        ({"type": "level", "q": 3, "p": 1}, r"q \(3\) is above p \(1\)"),
        ({"type": "gaussian", "s": 0}, "type gaussian needs a positive s"),
        ({"type": "linear", "q": -1, "p": 1}, "must be non-negative"),
        ({"type": "linear", "q": "a", "p": 1}, "must be numbers"),
    ],
)
def test_promethee_bad_preference_raises(pref, message):
    p = make_problem(["a", "b"], ["x"], np.array([[1.0], [2.0]]), [True], preferences=[pref])
    with pytest.raises(WorkspaceError, match=message) as err:
        rank_problem(p, {"x": 1}, method="promethee")
    assert err.value.issues[0].entry == "criteria.x.preference"


def test_preference_function_unknown_type_raises():
    with pytest.raises(ValueError, match="unknown preference type 'ushape'"):
        preference(np.array([1.0]), "ushape")


def test_linear_with_q_equal_p_is_a_step_at_q():
    d = np.array([0.5, 1.0, 1.5])
    assert preference(d, "linear", q=1.0, p=1.0).tolist() == [0.0, 0.0, 1.0]
