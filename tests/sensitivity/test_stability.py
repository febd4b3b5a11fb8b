"""Exact weight stability intervals (sensitivity/stability.py) against a brute-force sweep."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from policyeval.model.problem import make_problem
from policyeval.ranking import competition_rank
from policyeval.sensitivity.stability import stability_intervals

from .helpers import HAND_STABILITY_RANKING, HAND_STABILITY_TOP, hand_problem, random_problem

GRID = np.linspace(0.0, 1.0, 20_001)


def moved(w0: np.ndarray, j: int, t: np.ndarray | float) -> np.ndarray:
    """Weight j set to t, the others rescaled in proportion; shape (len(t), m) or (m,)."""
    t = np.asarray(t, dtype=float)
    w = np.multiply.outer(1 - t, w0 / (1 - w0[j]))
    w[..., j] = t
    return w


def test_hand_intervals() -> None:
    """Crossings of s_a = t, s_b = 1 - t, s_c = 0.3 + 0.2 t derived by hand (helpers)."""
    s = stability_intervals(hand_problem(), np.array([0.7, 0.3]))
    assert s.top == "a"
    for c in ("x", "y"):
        assert np.allclose(s.top_intervals[c], HAND_STABILITY_TOP[c], atol=1e-12)
        assert np.allclose(s.ranking_intervals[c], HAND_STABILITY_RANKING[c], atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 6), m=st.integers(2, 5))
def test_intervals_match_brute_force_sweep(seed: int, n: int, m: int) -> None:
    """Inside the interval the top option stays on top (no pair ranked apart swaps);
    outside it does not; at an interior end two options tie exactly (so the ends are exact,
    not grid-accurate)."""
    p = random_problem(seed, n, m)
    w0 = np.random.default_rng(seed).dirichlet(np.ones(m))
    s = stability_intervals(p, w0)
    v = p.values()
    top = p.options.index(s.top)
    ranks0 = competition_rank(v @ w0)
    for j, c in enumerate(p.criteria):
        scores = moved(w0, j, GRID) @ v.T
        lead = scores[:, top] - np.delete(scores, top, axis=1).max(axis=1)
        on_top = lead >= -1e-12
        ranks = competition_rank(scores)
        kept = ranks[:, :, None] < ranks[:, None, :]  # i still strictly above k
        same = np.all(kept | ~(ranks0[:, None] < ranks0[None, :]), axis=(1, 2))
        for (lo, hi), ok in ((s.top_intervals[c], on_top), (s.ranking_intervals[c], same)):
            assert lo <= w0[j] + 1e-12 and w0[j] - 1e-12 <= hi
            inside = (GRID > lo + 1e-9) & (GRID < hi - 1e-9)
            outside = (GRID < lo - 1e-9) | (GRID > hi + 1e-9)
            assert ok[inside].all() and not ok[outside].any()
        for end in s.top_intervals[c]:
            if 0.0 < end < 1.0:
                at = v @ moved(w0, j, end)
                assert abs(at[top] - np.delete(at, top).max()) < 1e-9


def test_weight_already_one_splits_the_rest_equally() -> None:
    s = stability_intervals(hand_problem(), np.array([1.0, 0.0]))
    assert s.top == "a" and np.allclose(s.top_intervals["x"], (0.5, 1.0))


def test_options_tied_now_may_split_without_pinning_the_ranking_interval() -> None:
    """A copy of c ties with c at every weight: the intervals are those of the hand case."""
    p = hand_problem()
    q = make_problem([*p.options, "c2"], p.criteria, np.vstack([p.scores, p.scores[2]]),
                     p.maximize, declared=[(0, 10), (0, 10)])  # fmt: skip
    s = stability_intervals(q, np.array([0.7, 0.3]))
    for c in ("x", "y"):
        assert np.allclose(s.ranking_intervals[c], HAND_STABILITY_RANKING[c], atol=1e-12)
