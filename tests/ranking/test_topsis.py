"""topsis: Tzeng & Huang (2011) worked example, pymcdm 1.4 and scikit-criteria cross-checks."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import normalizations
from pymcdm.methods import TOPSIS

from policyeval.model.problem import make_problem
from policyeval.ranking import rank_problem, score_batch
from policyeval.ranking import skcriteria_adapter as sk

from .helpers import random_problem, random_weights


def test_topsis_tzeng2011multiple():
    """Tzeng, G.-H. & Huang, J.-J. (2011). *Multiple Attribute Decision Making*, CRC:
    closeness 0.5037, 0.6581, 0.7482, 0.3340 (4 decimals as published)."""
    p = make_problem(
        ["a1", "a2", "a3", "a4"],
        ["dur", "cap", "rel"],
        np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float),
        [True, True, True],
    )
    r = rank_problem(p, {"dur": 0.3, "cap": 0.4, "rel": 0.3}, method="topsis")
    scores = {row.option: row.score for row in r.rows}
    np.testing.assert_allclose(
        [scores[o] for o in p.options], [0.5037, 0.6581, 0.7482, 0.3340], atol=5e-5
    )
    assert [row.option for row in r.rows] == ["a3", "a2", "a1", "a4"]


@pytest.mark.parametrize("seed", range(10))
def test_topsis_matches_pymcdm_vector_normalization(seed):
    """pymcdm's vector normalization maps a cost column to 1 - r, which moves the
    ideal but not the distances, so the closeness is DESIGN.md's."""
    p = random_problem(seed)
    w = random_weights(seed, 4)
    types = np.where(p.maximize, 1, -1)
    ref = TOPSIS(normalizations.vector_normalization)(p.scores, w, types, validation=False)
    np.testing.assert_allclose(score_batch("topsis", p, w), ref, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_topsis_matches_skcriteria(seed):
    p = random_problem(seed, n=7, m=5)
    w = random_weights(seed, 5)
    ref = sk.topsis(p.scores, p.maximize, w)
    np.testing.assert_allclose(score_batch("topsis", p, w), ref, rtol=0, atol=1e-9)


def test_topsis_identical_options_score_half():
    p = make_problem(["a", "b"], ["x", "y"], np.array([[2.0, 3.0], [2.0, 3.0]]), [True, False])
    assert score_batch("topsis", p, np.array([0.5, 0.5])).tolist() == [0.5, 0.5]


def test_topsis_reports_distances():
    p = random_problem(3)
    r = rank_problem(p, dict(zip(p.criteria, random_weights(3, 4))), method="topsis")
    for row in r.rows:
        dp, dm = r.details["d_plus"][row.option], r.details["d_minus"][row.option]
        assert row.score == pytest.approx(dm / (dp + dm))
