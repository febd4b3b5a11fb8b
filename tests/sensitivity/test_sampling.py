"""Weight and score samplers (sensitivity/sampling.py)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from policyeval.errors import WorkspaceError
from policyeval.sensitivity.sampling import BLOCK, block_rngs, sample_weights, score_block


def test_uniform_weights_are_dirichlet_one_marginals_beta() -> None:
    """Uniform on the simplex: each weight is Beta(1, m - 1) (Rubinstein 1982)."""
    w = sample_weights(4, 20_000, seed=3)
    assert np.allclose(w.sum(axis=1), 1.0) and (w >= 0).all()
    for j in range(4):
        assert stats.kstest(w[:, j], stats.beta(1, 3).cdf).pvalue > 0.001


def test_same_seed_same_weights_and_blocks_are_prefix_stable() -> None:
    a = sample_weights(3, 5000, seed=7)
    assert np.array_equal(a, sample_weights(3, 5000, seed=7))
    assert np.array_equal(a[:BLOCK], sample_weights(3, BLOCK, seed=7))
    assert not np.array_equal(a, sample_weights(3, 5000, seed=8))
    assert [size for size, _ in block_rngs(0, 2 * BLOCK + 1)] == [BLOCK, BLOCK, 1]


def test_bounded_weights_match_uniform_weights_filtered_by_the_bounds() -> None:
    """The exact bounded sampler agrees with brute-force rejection from the whole simplex."""
    bounds = [(0.2, 0.5), (0.0, 0.3), (0.1, 1.0)]
    w = sample_weights(3, 20_000, seed=1, bounds=bounds)
    lo, hi = np.array(bounds).T
    assert (w >= lo - 1e-12).all() and (w <= hi + 1e-12).all()
    assert np.allclose(w.sum(axis=1), 1.0)
    ref = sample_weights(3, 400_000, seed=2)
    ref = ref[np.all((ref >= lo) & (ref <= hi), axis=1)]
    for j in range(3):
        assert stats.ks_2samp(w[:, j], ref[:, j]).pvalue > 0.001


def test_bounds_fixing_every_weight_give_that_vector() -> None:
    w = sample_weights(2, 10, bounds=[(0.25, 0.25), (0.75, 0.75)])
    assert np.allclose(w, [0.25, 0.75])


@pytest.mark.parametrize(
    ("bounds", "match"),
    [
        ([(0.6, 1.0), (0.5, 1.0)], "lower bounds sum to 1.1 > 1"),
        ([(0.0, 0.3), (0.0, 0.4)], "upper bounds sum to 0.7 < 1"),
        ([(0.5, 0.2), (0.0, 1.0)], r"must satisfy 0 <= lo <= hi <= 1"),
    ],
)
def test_infeasible_bounds_raise(bounds: list, match: str) -> None:
    with pytest.raises(WorkspaceError, match=match):
        sample_weights(2, 10, bounds=bounds)


def test_bounds_too_narrow_for_rejection_raise() -> None:
    bounds = [(0.0, 1e-4)] * 11 + [(0.99, 1.0)]  # feasible, but almost no draw fits
    with pytest.raises(WorkspaceError, match="too narrow"):
        sample_weights(12, 10, bounds=bounds)


def test_spread_multiplies_then_renormalizes() -> None:
    c = np.array([0.5, 0.3, 0.2])
    w = sample_weights(3, 5000, seed=4, center=c, spread=0.2)
    assert np.allclose(w.sum(axis=1), 1.0)
    ratio = w / c  # = U_j / sum_k c_k U_k, with U in [0.8, 1.2]
    assert ratio.min() >= 0.8 / 1.2 - 1e-12 and ratio.max() <= 1.2 / 0.8 + 1e-12
    assert abs(w.mean(axis=0) - c).max() < 0.01


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"center": [0.5, 0.5], "spread": 1.0}, r"'spread' parameter must be a float in \[0, 1\)"),
        ({"spread": 0.2}, "a spread needs centre weights of length 2"),
        ({"center": [0.5, 0.5], "spread": 0.1, "bounds": [(0, 1), (0, 1)]}, "not both"),
    ],
)
def test_bad_sampler_options_raise(kwargs: dict, match: str) -> None:
    with pytest.raises(WorkspaceError, match=match):
        sample_weights(2, 10, **kwargs)


def test_triangular_scores_have_the_triangular_mean_and_stay_in_range() -> None:
    """Mean of triangular(low, mode, high) is (low + mode + high) / 3."""
    x = np.array([[5.0, 2.0, 1.0]])
    lo = np.array([[2.0, 2.0, 1.0]])  # mode at the low end is allowed
    hi = np.array([[9.0, 6.0, 1.0]])
    s = score_block(np.random.default_rng(0), 200_000, x, lo, hi)
    assert (s >= lo).all() and (s <= hi).all() and (s[:, 0, 2] == 1.0).all()
    assert abs(s[:, 0, 0].mean() - 16 / 3) < 0.02 and abs(s[:, 0, 1].mean() - 10 / 3) < 0.02
    assert score_block(np.random.default_rng(0), 5, x, x, x) is None
