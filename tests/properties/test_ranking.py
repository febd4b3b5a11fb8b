"""Ranking properties on generated problems (hypothesis), beyond tests/ranking/test_properties.py.

That file already checks, on seeded problems, that scaling all weights changes
nothing, that permuting options permutes utilities, and strict dominance. Here:
permuting options *and* criteria together (every detail follows), per-criterion
positive scaling of scores, weak dominance (equal on some criteria) with
PROMETHEE preference functions, and adding a dominated option.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from policyeval.model.problem import make_problem
from policyeval.ranking import METHODS, competition_rank, rank_problem, score_batch

FAST = settings(max_examples=30, deadline=None)

PREFERENCES = st.sampled_from(
    [
        {"type": "usual"},
        {"type": "linear", "q": 0.5, "p": 3.0},
        {"type": "vshape", "p": 4.0},
        {"type": "level", "q": 1.0, "p": 2.0},
        {"type": "gaussian", "s": 2.0},
    ]
)


@st.composite
def problems(draw, min_n: int = 2, usual: bool = False):
    """Scores on a 0..20 grid (ties happen), mixed directions, some preference functions."""
    n = draw(st.integers(min_n, 7))
    m = draw(st.integers(1, 5))
    cells = st.integers(0, 20).map(float)
    scores = np.array(
        draw(st.lists(st.lists(cells, min_size=m, max_size=m), min_size=n, max_size=n))
    )
    maximize = draw(st.lists(st.booleans(), min_size=m, max_size=m))
    prefs = (
        [{"type": "usual"}] * m if usual else draw(st.lists(PREFERENCES, min_size=m, max_size=m))
    )
    weights = np.array(draw(st.lists(st.floats(0.01, 10.0), min_size=m, max_size=m)))
    return scores, maximize, prefs, weights


def _problem(scores, maximize, prefs, options=None, criteria=None):
    n, m = scores.shape
    return make_problem(
        options or [f"o{i}" for i in range(n)],
        criteria or [f"c{j}" for j in range(m)],
        scores,
        maximize,
        preferences=prefs,
    )


def _by_option(ranking):
    return {r.option: (r.score, r.rank) for r in ranking.rows}


@FAST
@given(problems(), st.randoms(use_true_random=False), st.sampled_from(METHODS))
def test_permuting_options_and_criteria_permutes_everything(data, rnd, method):
    """Same scores, ranks and per-option details under any relabelling order."""
    scores, maximize, prefs, weights = data
    n, m = scores.shape
    rows, cols = list(range(n)), list(range(m))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    p = _problem(scores, maximize, prefs)
    q = _problem(
        scores[np.ix_(rows, cols)],
        [maximize[j] for j in cols],
        [prefs[j] for j in cols],
        options=[p.options[i] for i in rows],
        criteria=[p.criteria[j] for j in cols],
    )
    w = dict(zip(p.criteria, weights))
    a, b = rank_problem(p, w, method), rank_problem(q, w, method)
    ra, rb = _by_option(a), _by_option(b)
    assert ra.keys() == rb.keys()
    for o in ra:
        assert rb[o][1] == ra[o][1]
        np.testing.assert_allclose(rb[o][0], ra[o][0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose([b.weights[c] for c in p.criteria], list(a.weights.values()))
    for key, value in a.details.items():  # per-option details follow their option
        if isinstance(value, dict) and set(value) == set(p.options):
            for o in p.options:
                if isinstance(value[o], list):  # electre: the options o outranks
                    assert sorted(b.details[key][o]) == sorted(value[o])
                else:
                    np.testing.assert_allclose(b.details[key][o], value[o], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        score_batch(method, q, weights[cols]),
        score_batch(method, p, weights)[rows],
        rtol=1e-9,
        atol=1e-12,
    )


@FAST
@given(problems(usual=True), st.data(), st.sampled_from(["topsis", "vikor", "promethee"]))
def test_scaling_one_criterion_keeps_topsis_vikor_promethee(data, draw, method):
    """x_.j -> c x_.j (c > 0): vector norms, VIKOR's ranges and signs of differences scale too."""
    scores, maximize, prefs, weights = data
    j = draw.draw(st.integers(0, scores.shape[1] - 1))
    c = draw.draw(st.floats(1e-3, 1e3))
    scaled = scores.copy()
    scaled[:, j] *= c
    p, q = _problem(scores, maximize, prefs), _problem(scaled, maximize, prefs)
    u, v = score_batch(method, p, weights), score_batch(method, q, weights)
    np.testing.assert_allclose(v, u, rtol=1e-9, atol=1e-12)
    assert np.array_equal(competition_rank(v, tol=1e-9), competition_rank(u, tol=1e-9))


@FAST
@given(problems(), st.data(), st.sampled_from(["wsm", "topsis", "promethee"]))
def test_weakly_dominating_option_never_ranks_below(data, draw, method):
    """Option 0 is made at least as good as option 1 everywhere and better on one criterion."""
    scores, maximize, prefs, weights = data
    m = scores.shape[1]
    gain = np.array(
        draw.draw(st.lists(st.sampled_from([0.0, 0.0, 1.0, 3.0]), min_size=m, max_size=m))
    )
    gain[draw.draw(st.integers(0, m - 1))] = draw.draw(st.floats(0.5, 5.0))
    x = scores.copy()
    x[0] = np.where(maximize, x[1] + gain, x[1] - gain)
    ranks = competition_rank(score_batch(method, _problem(x, maximize, prefs), weights))
    assert ranks[0] <= ranks[1]


@FAST
@given(problems(), st.data())
def test_adding_a_dominated_option_keeps_the_wsm_winner(data, draw):
    """The new option is dominated by an existing one and lies inside the observed ranges.

    With observed (min..max) scales, an option outside the ranges would change the
    scales and hence every value; inside them the values of the others are unchanged.
    """
    scores, maximize, prefs, weights = data
    n, m = scores.shape
    p = _problem(scores, maximize, prefs)
    top = {r.option for r in rank_problem(p, dict(zip(p.criteria, weights))).rows if r.rank == 1}
    d = draw.draw(st.integers(0, n - 1))
    lo, hi = scores.min(axis=0), scores.max(axis=0)
    t = np.array(draw.draw(st.lists(st.floats(0, 1), min_size=m, max_size=m)))
    # between the dominating option d and the worst end of each range
    new = np.where(maximize, scores[d] - t * (scores[d] - lo), scores[d] + t * (hi - scores[d]))
    q = _problem(np.vstack([scores, new]), maximize, prefs)
    np.testing.assert_array_equal(q.scale_lo, p.scale_lo)
    np.testing.assert_array_equal(q.scale_hi, p.scale_hi)
    after = rank_problem(q, dict(zip(q.criteria, weights)))
    assert {r.option for r in after.rows if r.rank == 1} >= top
    assert {r.option for r in after.rows if r.rank == 1} - top <= {f"o{n}"}


@FAST
@given(
    st.integers(1, 600),
    st.integers(1, 6),
    st.sampled_from([(), (3,)]),
    st.floats(-1e4, 1e4),
    st.data(),
)
def test_blocked_wsm_kernel_is_the_definition(n, m, lead, shift, draw):
    """``wsm_scores`` (affine, by blocks of rows) = Σ_j w_j v_ij on the value matrix.

    Scores far from 0 next to their range, empty scales (value 1), declared scales
    that sampled scores leave (values outside [0, 1]), batched weights and scores.
    """
    from policyeval.model.problem import value_matrix
    from policyeval.ranking.wsm import wsm, wsm_scores

    rng = np.random.default_rng(draw.draw(st.integers(0, 2**32 - 1)))
    x = shift + rng.uniform(0, 10, (*lead, n, m))
    maximize = rng.random(m) < 0.5
    lo, hi = shift + rng.uniform(-1, 4, m), shift + rng.uniform(6, 11, m)
    empty = rng.random(m) < 0.3
    hi[empty] = lo[empty]  # some empty scales
    w = rng.dirichlet(np.ones(m), size=lead or None)
    expected = wsm(value_matrix(x, maximize, lo, hi), w)
    np.testing.assert_allclose(wsm_scores(x, maximize, lo, hi, w), expected, rtol=1e-9, atol=1e-9)
