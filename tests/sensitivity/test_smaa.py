"""SMAA-2 (sensitivity/smaa.py) against results derived by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyeval.errors import WorkspaceError
from policyeval.model.problem import make_problem
from policyeval.sensitivity.smaa import smaa

from .helpers import HAND_ACCEPTABILITY, HAND_CENTRAL, HAND_PAIRWISE, hand_problem, random_problem


def test_acceptability_central_weights_pairwise_match_hand_derivation() -> None:
    """Two criteria, uniform weights: every index is a length on [0, 1] (see helpers)."""
    r = smaa(hand_problem(), samples=100_000, seed=0)
    for i, o in enumerate(r.options):
        assert np.abs(r.acceptability[i] - HAND_ACCEPTABILITY[o]).max() < 0.01
    for o, cw in HAND_CENTRAL.items():
        assert np.abs(r.central_weights[r.options.index(o)] - cw).max() < 0.01
    assert np.isnan(r.central_weights[2]).all() and np.isnan(r.confidence[2])
    for (a, b), p in HAND_PAIRWISE.items():
        assert abs(r.pairwise[r.options.index(a), r.options.index(b)] - p) < 0.01
    assert r.confidence[0] == 1.0 and r.confidence[1] == 1.0  # certain scores


def test_three_symmetric_options_central_weight_is_mean_of_largest_dirichlet_part() -> None:
    """Options = unit vectors: i wins iff w_i is the largest weight. For Dirichlet(1, 1, 1),
    E[max w] = (1 + 1/2 + 1/3) / 3 = 11/18 (spacings of uniforms), the others 7/36 each."""
    p = make_problem(list("abc"), list("xyz"), np.eye(3), [True] * 3, declared=[(0, 1)] * 3)
    r = smaa(p, samples=100_000, seed=5)
    assert np.abs(r.acceptability[:, 0] - 1 / 3).max() < 0.01
    for i in range(3):
        expect = np.full(3, 7 / 36)
        expect[i] = 11 / 18
        assert np.abs(r.central_weights[i] - expect).max() < 0.01


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    p = random_problem(1, 6, 4, uncertain=True)
    a, b = smaa(p, samples=3000, seed=11), smaa(p, samples=3000, seed=11)
    for f in ("acceptability", "central_weights", "confidence", "pairwise"):
        assert np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True)
    assert not np.array_equal(a.acceptability, smaa(p, samples=3000, seed=12).acceptability)


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_chunked_and_unchunked_runs_agree_exactly(method: str) -> None:
    p = random_problem(2, 7, 3, uncertain=True)
    runs = [smaa(p, method, samples=9000, seed=4, chunk=c) for c in (None, 1, 2048, 5000, 10**6)]
    for other in runs[1:]:
        for f in ("acceptability", "central_weights", "confidence", "pairwise"):
            assert np.array_equal(getattr(runs[0], f), getattr(other, f), equal_nan=True), f


def test_chunked_runs_agree_exactly_with_ties() -> None:
    """c and d are identical, so they tie in every sample: their shares of tied ranks are
    float sums, added block by block; e has an uncertain score."""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]])
    low, high = x.copy(), x.copy()
    low[4], high[4] = [0.5, 0.5], [0.5, 0.9]
    p = make_problem(list("abcde"), ["x", "y"], x, [True, True], low, high, [(0, 1)] * 2)
    runs = [smaa(p, samples=7000, seed=2, chunk=c) for c in (None, 2048, 4096)]
    for other in runs[1:]:
        for f in ("acceptability", "central_weights", "confidence", "pairwise"):
            assert np.array_equal(getattr(runs[0], f), getattr(other, f), equal_nan=True), f
    assert np.allclose(runs[0].acceptability.sum(axis=0), 1.0)


def test_progress_reports_samples_done_per_chunk() -> None:
    seen: list[int] = []
    smaa(hand_problem(), samples=5000, chunk=2048, progress=seen.append)
    assert seen == [2048, 4096, 5000]


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 7),
    m=st.integers(1, 4),
    uncertain=st.booleans(),
    method=st.sampled_from(["wsm", "wpm", "topsis", "vikor", "promethee", "electre"]),
)
def test_acceptability_rows_and_columns_sum_to_one(
    seed: int, n: int, m: int, uncertain: bool, method: str
) -> None:
    """Each sample gives every option one rank and every rank one option (ties shared)."""
    r = smaa(random_problem(seed, n, m, uncertain), method, samples=300, seed=seed)
    assert np.allclose(r.acceptability.sum(axis=1), 1.0)
    assert np.allclose(r.acceptability.sum(axis=0), 1.0)
    beaten_or_tied = r.pairwise + r.pairwise.T
    assert (beaten_or_tied <= 1.0 + 1e-12).all() and (np.diag(r.pairwise) == 0).all()
    first = r.acceptability[:, 0] > 0
    assert np.allclose(r.central_weights[first].sum(axis=1), 1.0)
    assert np.isnan(r.central_weights[~first]).all()


def test_identical_options_share_their_ranks() -> None:
    """Two copies of an option tie in every sample: each gets half of each rank they hold."""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.5, 0.5]])
    p = make_problem(list("abcd"), ["x", "y"], x, [True, True], declared=[(0, 1)] * 2)
    r = smaa(p, samples=20_000, seed=0)
    assert np.array_equal(r.acceptability[2], r.acceptability[3])
    assert np.allclose(r.acceptability.sum(axis=0), 1.0)
    assert r.pairwise[2, 3] == 0.0 and r.pairwise[3, 2] == 0.0
    # c, d (value 0.5) are never strictly first; a is last exactly when w_x < 1/2 (a < c, d < b)
    assert abs(r.acceptability[2, 0]) < 1e-12 and abs(r.acceptability[0, 3] - 0.5) < 0.01


def test_bounds_and_spread_restrict_the_weights() -> None:
    p = hand_problem()
    r = smaa(p, samples=5000, bounds=[(0.6, 1.0), (0.0, 0.4)])
    assert r.sampler == "bounds" and r.acceptability[0, 0] == 1.0  # a wins iff w_x > 1/2
    r = smaa(p, samples=50_000, center=[0.5, 0.5], spread=0.2)
    # w_x = U1 / (U1 + U2) with U iid: a first half of the time by symmetry
    assert r.sampler == "spread" and abs(r.acceptability[0, 0] - 0.5) < 0.01


def test_confidence_with_uncertain_scores_matches_direct_simulation() -> None:
    """Option a's score on x is triangular(0, 6, 10), b is certain: at a's central weights
    (w_x, w_y), a wins iff w_x * x_a / 10 > w_y, checked by direct sampling."""
    p = make_problem(
        ["a", "b"],
        ["x", "y"],
        np.array([[6.0, 0.0], [0.0, 10.0]]),
        [True, True],
        low=np.array([[0.0, 0.0], [0.0, 10.0]]),
        high=np.array([[10.0, 0.0], [0.0, 10.0]]),
        declared=[(0, 10), (0, 10)],
    )
    r = smaa(p, samples=100_000, seed=3)
    w = r.central_weights[0]
    xa = np.random.default_rng(99).triangular(0, 6, 10, 200_000) / 10
    assert abs(r.confidence[0] - np.mean(w[0] * xa > w[1])) < 0.01
    assert 0 < r.confidence[0] < 1


def test_bad_samples_or_seed_raise() -> None:
    with pytest.raises(WorkspaceError, match="'samples' parameter must be a positive integer"):
        smaa(hand_problem(), samples=0)
    with pytest.raises(WorkspaceError, match="'seed' parameter must be a non-negative integer"):
        smaa(hand_problem(), samples=10, seed=-1)
