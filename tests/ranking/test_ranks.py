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


@pytest.mark.parametrize("seed", range(20))
def test_the_sorted_path_matches_the_pairwise_definition(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above PAIRWISE_MAX values, ranks come from a sort: same ranks, near-ties included."""
    from policyeval.ranking import ranks

    rng = np.random.default_rng(seed)
    n = int(rng.integers(ranks.PAIRWISE_MAX + 1, 300))
    base = rng.choice([-1e6, -1.0, 0.0, 1e-13, 2.0, 3.5, 1e9], size=(2, n))
    jitter = rng.choice([0.0, 1e-13, -1e-13, 1e-11, 0.5], size=(2, n))
    values = base + jitter * np.maximum(1.0, np.abs(base))
    for higher in (True, False):
        fast = ranks.competition_rank(values, higher)
        monkeypatch.setattr(ranks, "PAIRWISE_MAX", 10**9)
        assert (fast == ranks.competition_rank(values, higher)).all()
        monkeypatch.setattr(ranks, "PAIRWISE_MAX", 64)


def test_ranking_many_values_needs_no_square_memory() -> None:
    """30,000 values would need 7 GB pairwise (attack report R18)."""
    values = np.random.default_rng(0).normal(size=30_000)
    ranks = competition_rank(values)
    assert sorted(ranks.tolist()) == list(range(1, 30_001))
