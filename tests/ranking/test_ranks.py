"""competition_rank: "1224" ranking, checked against scipy.stats.rankdata(method="min")."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import rankdata

from policyeval.ranking import competition_rank


@pytest.mark.parametrize("seed", range(5))
def test_competition_rank_matches_scipy_min_method(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 4, size=(7, 9)).astype(float)  # many ties
    expected = np.array([rankdata(-row, method="min") for row in values])
    assert np.array_equal(competition_rank(values), expected)
    lower = np.array([rankdata(row, method="min") for row in values])
    assert np.array_equal(competition_rank(values, higher_is_better=False), lower)


def test_competition_rank_ties_share_smaller_rank():
    assert competition_rank(np.array([5.0, 7.0, 7.0, 1.0])).tolist() == [3, 1, 1, 4]


def test_competition_rank_round_off_is_a_tie():
    assert competition_rank(np.array([0.1 + 0.2, 0.3, 0.2])).tolist() == [1, 1, 3]


def test_competition_rank_vectorized_over_leading_axes():
    values = np.random.default_rng(0).random((3, 4, 5))
    ranks = competition_rank(values)
    assert ranks.shape == (3, 4, 5)
    assert np.array_equal(ranks[2, 1], competition_rank(values[2, 1]))
