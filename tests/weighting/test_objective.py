"""Entropy (Shannon) and CRITIC (Diakoulaki et al. 1995) weights, by hand and via pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from policyeval.errors import WorkspaceError
from policyeval.weighting import compute_weights
from policyeval.weighting.objective import critic_weights, entropy_weights

X = np.array(
    [
        [7.0, 250.0, 3.0, 0.0],
        [5.0, 180.0, 8.0, 2.0],
        [9.0, 300.0, 6.0, 1.0],
        [6.0, 210.0, 2.0, 4.0],
    ]
)
MAXIMIZE = np.array([True, False, True, True])


def shannon_by_hand(x):
    """Textbook entropy weights: p = x / colsum, E = -sum p ln p / ln n, w ~ 1 - E."""
    n = x.shape[0]
    p = x / x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    d = 1 + plogp.sum(axis=0) / np.log(n)
    return d / d.sum()


def critic_by_hand(x, maximize):
    """Diakoulaki et al. (1995): scale to [0, 1] by direction, C_j = s_j sum_k (1 - r_jk)."""
    best = np.where(maximize, x.max(0), x.min(0))
    worst = np.where(maximize, x.min(0), x.max(0))
    v = (x - worst) / (best - worst)
    s = v.std(axis=0, ddof=1)  # sample std, as often written; the weights do not depend on it
    r = np.corrcoef(v, rowvar=False)
    c = s * (1 - r).sum(axis=0)
    return c / c.sum()


def test_entropy_shannon_by_hand():
    np.testing.assert_allclose(entropy_weights(X), shannon_by_hand(X), atol=1e-12)


def test_critic_diakoulaki_1995_by_hand():
    np.testing.assert_allclose(critic_weights(X, MAXIMIZE), critic_by_hand(X, MAXIMIZE), atol=1e-12)


def test_entropy_and_critic_match_pymcdm_on_positive_benefit_data():
    # pymcdm treats a column holding a zero as zero entropy, so compare on positive data
    from pymcdm.weights import critic_weights as pm_critic
    from pymcdm.weights import entropy_weights as pm_entropy

    x = X[:, :3]
    np.testing.assert_allclose(entropy_weights(x), pm_entropy(x), atol=1e-9)
    np.testing.assert_allclose(critic_weights(x, np.ones(3, bool)), pm_critic(x), atol=1e-9)


def test_constant_criterion_gets_zero_and_others_unchanged():
    x = np.c_[X, np.full(4, 5.0)]
    w = entropy_weights(x)
    assert w[-1] == 0
    np.testing.assert_allclose(w[:-1], shannon_by_hand(X))
    c = critic_weights(x, np.r_[MAXIMIZE, True])
    assert c[-1] == 0
    np.testing.assert_allclose(c[:-1], critic_by_hand(X, MAXIMIZE))


def test_objective_rejects_bad_inputs():
    with pytest.raises(ValueError, match="non-negative scores"):
        entropy_weights(-X)
    with pytest.raises(ValueError, match="at least two options"):
        critic_weights(X[:1], MAXIMIZE)
    with pytest.raises(ValueError, match="every criterion is constant"):
        entropy_weights(np.ones((3, 2)))
    collinear = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    with pytest.raises(ValueError, match="perfectly correlated"):
        critic_weights(collinear, np.array([True, True]))


def test_single_varying_criterion_gets_all_the_weight():
    x = np.array([[1.0, 3.0], [2.0, 3.0]])
    assert entropy_weights(x).tolist() == [1.0, 0.0]
    assert critic_weights(x, np.array([True, False])).tolist() == [1.0, 0.0]


def test_entropy_and_critic_profiles_use_all_options(make_ws, make_profile):
    crits = ["a", "b", "c", "d"]
    scores = {f"o{i}": dict(zip(crits, row)) for i, row in enumerate(X)}
    dirs = {"b": "min"}
    ws = make_ws(
        crits,
        [make_profile("e", "entropy"), make_profile("k", "critic")],
        scores=scores,
        directions=dirs,
    )
    np.testing.assert_allclose(compute_weights(ws, "e").vector(crits), shannon_by_hand(X))
    np.testing.assert_allclose(compute_weights(ws, "k").vector(crits), critic_by_hand(X, MAXIMIZE))


def test_entropy_profile_with_constant_scores_is_a_workspace_error(make_ws, make_profile):
    ws = make_ws(["a"], [make_profile("e", "entropy")], scores={"o1": {"a": 1}, "o2": {"a": 1}})
    with pytest.raises(WorkspaceError, match=r"e\.yaml: method: every criterion is constant"):
        compute_weights(ws)


@settings(max_examples=30, deadline=None)
@given(
    arrays(float, (5, 3), elements=st.floats(0, 100)),
    st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_objective_weights_non_negative_sum_to_one(x, maximize):
    if not (np.ptp(x, axis=0) > 0).any():
        return
    try:
        weights = [entropy_weights(x), critic_weights(x, np.array(maximize))]
    except ValueError as err:  # perfectly correlated criteria: CRITIC is undefined
        assert "perfectly correlated" in str(err)
        weights = [entropy_weights(x)]
    for w in weights:
        assert np.all(w >= -1e-12) and w.sum() == pytest.approx(1)
