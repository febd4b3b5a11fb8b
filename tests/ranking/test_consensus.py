"""rank_all: Borda consensus and Kendall's tau-b (checked against scipy.stats.kendalltau)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import kendalltau

from policyeval.errors import WorkspaceError
from policyeval.model.problem import make_problem
from policyeval.ranking import CONSENSUS_RULE, METHODS, kendall_tau_b, rank_all
from policyeval.ranking.consensus import borda

from .helpers import random_problem, random_weights


@pytest.mark.parametrize("seed", range(8))
def test_kendall_tau_b_matches_scipy_with_ties(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(1, 5, size=(2, 9))
    expected = kendalltau(a, b, variant="b").statistic
    assert kendall_tau_b(a, b) == pytest.approx(expected, abs=1e-12)


def test_kendall_tau_b_undefined_when_all_tied():
    assert kendall_tau_b(np.array([1, 1, 1]), np.array([1, 2, 3])) is None


def test_borda_by_hand():
    """Ranks (1,2,3), (2,1,3), (1,1,3) over 3 options: points (2+1+2, 1+2+2, 0) = (5, 5, 0)."""
    assert borda(np.array([[1, 2, 3], [2, 1, 3], [1, 1, 3]])).tolist() == [5, 5, 0]


def test_rank_all_to_dict_shape_and_agreement():
    p = random_problem(3, preferences=[{"type": "linear", "q": 0.5, "p": 3.0}] * 4)
    weights = dict(zip(p.criteria, random_weights(3, 4)))
    multi = rank_all(p, weights)
    d = multi.to_dict()
    assert {"profile", "weights", "methods", "consensus", "agreement"} <= set(d)
    assert list(d["methods"]) == list(METHODS)
    assert d["consensus_rule"] == CONSENSUS_RULE and CONSENSUS_RULE.startswith("borda")
    for m1 in METHODS:
        assert d["agreement"][m1][m1] == pytest.approx(1.0)
        for m2 in METHODS:
            assert d["agreement"][m1][m2] == pytest.approx(d["agreement"][m2][m1])
    # agreement is tau-b of the two methods' ranks
    ranks = {
        m: [next(r.rank for r in rk.rows if r.option == o) for o in p.options]
        for m, rk in multi.methods.items()
    }
    tau = kendalltau(ranks["wsm"], ranks["vikor"], variant="b").statistic
    assert d["agreement"]["wsm"]["vikor"] == pytest.approx(tau)
    # consensus = Borda on those ranks
    n = len(p.options)
    points = {o: sum(n - ranks[m][i] for m in METHODS) for i, o in enumerate(p.options)}
    assert {row["option"]: row["score"] for row in d["consensus"]} == points
    assert [row["baseline"] for row in d["consensus"]].count(True) == 1
    json.dumps(d)


def test_rank_all_passes_parameters_per_method():
    p = random_problem(4)
    w = dict(zip(p.criteria, random_weights(4, 4)))
    multi = rank_all(p, w, methods=("vikor",), params={"vikor": {"v": 0.2}})
    assert multi.methods["vikor"].details["v"] == 0.2


def test_rank_all_dominant_option_first_in_consensus():
    scores = np.array([[9.0, 1.0, 9.0], [5.0, 5.0, 5.0], [1.0, 9.0, 2.0], [4.0, 6.0, 4.0]])
    p = make_problem(list("abcd"), ["x", "cost", "z"], scores, [True, False, True])
    multi = rank_all(p, {"x": 1, "cost": 1, "z": 1})
    assert multi.consensus[0].option == "a" and multi.consensus[0].rank == 1


def test_rank_all_needs_a_method():
    with pytest.raises(WorkspaceError, match="at least one method"):
        rank_all(random_problem(0), {f"c{j}": 1 for j in range(4)}, methods=())
