"""What it would take (sensitivity/whatif.py): LP checked by brute force on tiny cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from policyeval.model.problem import make_problem
from policyeval.sensitivity.whatif import score_change, weight_change, what_it_takes

from .helpers import hand_problem, random_problem


def simplex_grid(m: int, steps: int) -> np.ndarray:
    pts = [c for c in itertools.product(range(steps + 1), repeat=m - 1) if sum(c) <= steps]
    return np.array([[*c, steps - sum(c)] for c in pts], dtype=float) / steps


@pytest.mark.parametrize("seed", range(6))
def test_lp_weights_put_runner_up_on_top_and_no_grid_point_is_closer(seed: int) -> None:
    """Brute force over a 0.005 grid of the 3-criterion simplex: every grid point that puts
    the runner-up on top is at least as far (L1) as the LP optimum, up to the grid step."""
    p = random_problem(seed, 4, 3)
    v = p.values()
    w0 = np.random.default_rng(seed).dirichlet(np.ones(3))
    grid = simplex_grid(3, 200)
    scores = grid @ v.T
    for r in range(4):
        res = weight_change(v, w0, r)
        wins = scores[:, r] >= np.delete(scores, r, axis=1).max(axis=1) - 1e-12
        if res is None:
            assert not wins.any()
            continue
        dist, w = res
        assert np.isclose(w.sum(), 1.0) and (w >= 0).all()
        assert np.isclose(np.abs(w - w0).sum(), dist)
        s = v @ w
        assert s[r] >= np.delete(s, r).max() - 1e-7
        if wins.any():
            brute = np.abs(grid[wins] - w0).sum(axis=1).min()
            assert dist <= brute + 1e-7  # the LP is never worse than any grid point
            assert dist >= brute - 2 * 0.005 * 2  # and a grid point lies near the optimum


def test_hand_weight_change() -> None:
    """b needs w_y >= w_x (gap 0.4 at (0.7, 0.3)): move 0.2 from x to y, L1 = 0.4."""
    dist, w = weight_change(hand_problem().values(), np.array([0.7, 0.3]), 1)
    assert abs(dist - 0.4) < 1e-7 and np.allclose(w, [0.5, 0.5], atol=1e-7)


def test_dominated_option_is_impossible_by_weights() -> None:
    p = make_problem(["a", "b"], ["x", "y"], np.array([[5.0, 5.0], [4.0, 3.0]]), [True, True],
                     declared=[(0, 10), (0, 10)])  # fmt: skip
    (res,) = what_it_takes(p, np.array([0.5, 0.5]))
    assert res.option == "b" and res.distance is None and res.weights is None
    assert res.to_dict()["possible"] is False
    # but raising one score can do it: x from 4 to 7 (0.5 * 0.7 + 0.5 * 0.3 = 0.5)
    best = res.score_changes[0]
    assert best["criterion"] == "x" and abs(best["to"] - 7.0) < 1e-9
    assert abs(best["value_change"] - 0.3) < 1e-9


@pytest.mark.parametrize("seed", range(8))
def test_score_change_is_the_smallest_that_works(seed: int) -> None:
    """The new score puts the option on top (recomputing the problem, observed scales
    included); a score slightly less changed does not."""
    p = random_problem(seed, 5, 3)
    w = np.random.default_rng(seed).dirichlet(np.ones(3))
    for res in what_it_takes(p, w):
        r = p.options.index(res.option)
        for ch in res.score_changes:
            j = p.criteria.index(ch["criterion"])
            for x, wins in (
                (ch["to"], True),
                (ch["to"] - 1e-6 * np.sign(ch["to"] - ch["from"]), False),
            ):
                if not wins and ch["to"] == ch["from"]:
                    continue
                scores = p.scores.copy()
                scores[r, j] = x
                q = make_problem(p.options, p.criteria, scores, p.maximize)  # observed scales
                s = q.values() @ w
                assert (s[r] >= np.delete(s, r).max() - 1e-9) == wins


def test_score_change_none_when_weight_is_zero_or_scale_exhausted() -> None:
    p = hand_problem()
    assert score_change(p, np.array([1.0, 0.0]), 1, 1) is None  # y has no weight
    assert score_change(p, np.array([0.9, 0.1]), 2, 1) is None  # c at y = 10 still loses
