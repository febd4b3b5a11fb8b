"""The shared property suite, run against every ranking method (STYLE.md, Tests)."""

from __future__ import annotations

import numpy as np
import pytest

from policyeval.model.problem import make_problem
from policyeval.ranking import METHODS, competition_rank, rank_problem, score_batch

from .helpers import random_problem, random_weights

PREFS = [
    {"type": "linear", "q": 0.5, "p": 3.0},
    {"type": "gaussian", "s": 2.0},
    {"type": "level", "q": 1.0, "p": 2.0},
    {"type": "vshape", "p": 5.0},
]


def _problem(seed, n=6):
    return random_problem(seed, n=n, preferences=PREFS)


def _ranks(ranking, options):
    by = {row.option: row.rank for row in ranking.rows}
    return np.array([by[o] for o in options])


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(4))
def test_ranks_are_competition_ranks_1_to_n(method, seed):
    p = _problem(seed)
    r = rank_problem(p, dict(zip(p.criteria, random_weights(seed, 4))), method=method)
    ranks = [row.rank for row in r.rows]
    assert ranks == sorted(ranks) and ranks[0] == 1 and max(ranks) <= len(p.options)
    for k, rank in enumerate(ranks):  # "1224": a rank is 1 + the number of options before it
        assert rank == 1 + sum(1 for other in ranks if other < rank)
        assert rank <= k + 1
    assert sorted(row.option for row in r.rows) == sorted(p.options)


@pytest.mark.parametrize("method", METHODS)
def test_tied_options_share_rank(method):
    scores = np.array([[5.0, 2.0, 3.0], [5.0, 2.0, 3.0], [1.0, 4.0, 2.0], [3.0, 1.0, 5.0]])
    p = make_problem(list("abcd"), ["x", "y", "z"], scores, [True, False, True])
    r = rank_problem(p, {"x": 0.5, "y": 0.2, "z": 0.3}, method=method)
    by = {row.option: row for row in r.rows}
    assert by["a"].rank == by["b"].rank and by["a"].score == pytest.approx(by["b"].score)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(4))
def test_scaling_all_weights_changes_nothing(method, seed):
    p = _problem(seed)
    w = random_weights(seed, 4)
    np.testing.assert_allclose(
        score_batch(method, p, w * 7.5), score_batch(method, p, w), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(4))
def test_permuting_options_permutes_results(method, seed):
    p = _problem(seed)
    perm = np.random.default_rng(seed).permutation(len(p.options))
    q = make_problem(
        [p.options[i] for i in perm], p.criteria, p.scores[perm], p.maximize, preferences=PREFS
    )
    w = random_weights(seed, 4)
    np.testing.assert_allclose(
        score_batch(method, q, w), score_batch(method, p, w)[perm], rtol=1e-12, atol=1e-12
    )
    wd = dict(zip(p.criteria, w))
    assert np.array_equal(
        _ranks(rank_problem(q, wd, method), p.options),
        _ranks(rank_problem(p, wd, method), p.options),
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(6))
def test_dominating_option_never_ranks_below_dominated(method, seed):
    rng = np.random.default_rng(seed)
    p0 = _problem(seed)
    scores = p0.scores.copy()
    # option 0 made to dominate option 1: at least as good everywhere, better somewhere
    better = np.where(
        p0.maximize, scores[1] + rng.uniform(0, 2, 4), scores[1] - rng.uniform(0, 2, 4)
    )
    scores[0] = better
    p = make_problem(p0.options, p0.criteria, scores, p0.maximize, preferences=PREFS)
    for k in range(5):
        w = random_weights(100 * seed + k, 4)
        ranks = competition_rank(score_batch(method, p, w))
        assert ranks[0] <= ranks[1]


@pytest.mark.parametrize("method", METHODS)
def test_inputs_not_mutated(method):
    p = _problem(1)
    before = {k: getattr(p, k).copy() for k in ("scores", "low", "high", "scale_lo", "scale_hi")}
    prefs = [dict(d) for d in p.preferences]
    w = random_weights(1, 4)
    w_before = w.copy()
    sampled = p.scores + 0.1
    sampled_before = sampled.copy()
    score_batch(method, p, w, scores=sampled)
    wd = dict(zip(p.criteria, w))
    rank_problem(p, wd, method)
    for k, arr in before.items():
        assert np.array_equal(getattr(p, k), arr)
    assert [dict(d) for d in p.preferences] == prefs
    assert np.array_equal(w, w_before) and np.array_equal(sampled, sampled_before)
    assert wd == dict(zip(p.criteria, w_before))


@pytest.mark.parametrize("method", METHODS)
def test_score_batch_over_samples_equals_loop_of_single_calls(method):
    p = _problem(5)
    rng = np.random.default_rng(5)
    weights = rng.dirichlet(np.ones(4), size=(3, 4))  # two sample axes
    scores = p.scores + rng.normal(0, 0.5, size=(3, 4) + p.shape)
    batched = score_batch(method, p, weights, scores=scores)
    assert batched.shape == (3, 4, len(p.options))
    for i in range(3):
        for k in range(4):
            one = score_batch(method, p, weights[i, k], scores=scores[i, k])
            np.testing.assert_allclose(batched[i, k], one, rtol=1e-12, atol=1e-12)
    # weights sampled, scores fixed (and the other way round) broadcast too
    only_w = score_batch(method, p, weights)
    np.testing.assert_allclose(only_w[2, 1], score_batch(method, p, weights[2, 1]), atol=1e-12)
    only_x = score_batch(method, p, weights[0, 0], scores=scores)
    np.testing.assert_allclose(
        only_x[1, 3], score_batch(method, p, weights[0, 0], scores=scores[1, 3]), atol=1e-12
    )


@pytest.mark.parametrize("method", METHODS)
def test_score_batch_is_higher_better_and_agrees_with_rank_problem(method):
    p = _problem(7)
    w = random_weights(7, 4)
    r = rank_problem(p, dict(zip(p.criteria, w)), method=method)
    assert np.array_equal(competition_rank(score_batch(method, p, w)), _ranks(r, p.options))
    sign = 1.0 if r.higher_is_better else -1.0
    by = {row.option: row.score for row in r.rows}
    np.testing.assert_allclose(
        score_batch(method, p, w), [sign * by[o] for o in p.options], atol=1e-12
    )
