"""electre: ELECTRE I outranking against scikit-criteria's electre1, net flow by hand."""

from __future__ import annotations

import numpy as np
import pytest

from policyeval.model.problem import make_problem
from policyeval.ranking import rank_problem, score_batch
from policyeval.ranking import skcriteria_adapter as sk
from policyeval.ranking.electre import electre_i

from .helpers import random_problem, random_weights


@pytest.mark.parametrize(("c", "d"), [(0.65, 0.35), (0.5, 0.6), (0.8, 0.2)])
@pytest.mark.parametrize("seed", range(8))
def test_electre_outranking_matches_skcriteria_electre1(seed, c, d):
    """Observed scales: every value column spans [0, 1], so scikit-criteria's
    discordance denominator (largest range) is ours (1)."""
    p = random_problem(seed, n=7, m=4)
    w = random_weights(seed, 4)
    _, ours, _, _ = electre_i(p.values(), w, c, d)
    ref = sk.electre1_outranking(p.values(), w, c, d)
    assert np.array_equal(ours, ref)


def test_electre_net_flow_by_hand():
    """Values a (1, .8, 1), b (0, 1, .8), c (.5, .5, 0), w = (.4, .2, .4):
    a S b (c = .8, d = .2) and a S c (c = 1, d = 0); b and c outrank nobody
    (c(b, c) = .6 < .65, c(c, b) = .4). Net flow: a 2/2, b -1/2, c -1/2."""
    p = make_problem(
        list("abc"),
        ["x", "y", "z"],
        np.array([[1.0, 0.8, 1.0], [0.0, 1.0, 0.8], [0.5, 0.5, 0.0]]),
        [True, True, True],
        declared=[(0, 1)] * 3,
    )
    r = rank_problem(p, {"x": 0.4, "y": 0.2, "z": 0.4}, method="electre")
    assert [(row.option, row.score, row.rank) for row in r.rows] == [
        ("a", 1.0, 1),
        ("b", -0.5, 2),
        ("c", -0.5, 2),
    ]
    assert r.details["outranks"] == {"a": ["b", "c"], "b": [], "c": []}
    assert r.details["concordance"] == 0.65 and r.details["discordance"] == 0.35
    assert "ELECTRE I" in r.details["variant"]


def test_electre_thresholds_change_the_relation():
    """a dominates b, c trades off: with c = 1, d = 0 only dominance outranks."""
    p = make_problem(
        list("abc"), ["x", "y"], np.array([[3.0, 3.0], [2.0, 2.0], [4.0, 1.0]]), [True, True]
    )
    w = np.array([0.5, 0.5])
    loose = score_batch("electre", p, w, concordance=0.0, discordance=1.0)
    assert loose.tolist() == [0.0, 0.0, 0.0]  # everyone outranks everyone
    strict = score_batch("electre", p, w, concordance=1.0, discordance=0.0)
    assert strict.tolist() == [0.5, -0.5, 0.0]
