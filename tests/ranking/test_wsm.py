"""wsm and wpm against pymcdm 1.4 (WSM/WPM with min-max normalization) and scikit-criteria."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import normalizations
from pymcdm.methods import WPM, WSM

from policyeval.errors import WorkspaceError
from policyeval.model.problem import make_problem
from policyeval.ranking import score_batch
from policyeval.ranking import skcriteria_adapter as sk
from policyeval.ranking.wsm import WPM_FLOOR

from .helpers import random_problem, random_weights


def _types(problem):
    return np.where(problem.maximize, 1, -1)


@pytest.mark.parametrize("seed", range(10))
def test_wsm_matches_pymcdm_wsm_minmax(seed):
    """pymcdm's min-max normalization is the MAVT value on the observed scale."""
    p = random_problem(seed)
    w = random_weights(seed, 4)
    ref = WSM(normalizations.minmax_normalization)(p.scores, w, _types(p), validation=False)
    np.testing.assert_allclose(score_batch("wsm", p, w), ref, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_wsm_matches_skcriteria_wsm_on_values(seed):
    p = random_problem(seed)
    w = random_weights(seed, 4)
    np.testing.assert_allclose(score_batch("wsm", p, w), sk.wsm(p.values(), w), atol=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_wpm_matches_pymcdm_wpm_with_floored_minmax(seed):
    p = random_problem(seed)
    w = random_weights(seed, 4)

    def floored(x, cost=False):
        return np.maximum(normalizations.minmax_normalization(x, cost), WPM_FLOOR)

    ref = WPM(floored)(p.scores, w, _types(p), validation=False)
    np.testing.assert_allclose(score_batch("wpm", p, w), ref, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_wpm_matches_skcriteria_wpm_log10(seed):
    p = random_problem(seed)
    w = random_weights(seed, 4)
    floor = 0.01
    ours = score_batch("wpm", p, w, floor=floor)
    ref = sk.wpm_log10(np.maximum(p.values(), floor), w)
    np.testing.assert_allclose(np.log10(ours), ref, atol=1e-9)


def test_wsm_declared_scale_hand_computation():
    """Values on declared scales [0, 10] (max) and [0, 100] (min), by hand."""
    p = make_problem(
        ["a", "b"],
        ["effect", "cost"],
        np.array([[6.0, 40.0], [9.0, 90.0]]),
        [True, False],
        declared=[(0, 10), (0, 100)],
    )
    # a: 0.7*0.6 + 0.3*0.6 = 0.6 ; b: 0.7*0.9 + 0.3*0.1 = 0.66
    np.testing.assert_allclose(score_batch("wsm", p, np.array([0.7, 0.3])), [0.6, 0.66])


def test_wpm_floor_keeps_bottom_option_alive():
    """An option at the bottom of one scale is penalized by floor**w, not zeroed."""
    p = make_problem(["a", "b"], ["x", "y"], np.array([[0.0, 10.0], [10.0, 0.0]]), [True, True])
    s = score_batch("wpm", p, np.array([0.25, 0.75]))
    np.testing.assert_allclose(s, [WPM_FLOOR**0.25, WPM_FLOOR**0.75])
    assert s[0] > s[1] > 0


def test_wpm_floor_parameter_checked():
    p = random_problem(0)
    with pytest.raises(
        WorkspaceError, match=r"The 'floor' parameter of wpm must be a float in \(0, 1\]"
    ):
        score_batch("wpm", p, np.ones(4), floor=0.0)
