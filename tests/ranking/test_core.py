"""rank_problem / score_batch contract: inputs, errors, JSON shape (DESIGN.md, rank)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from policyeval.errors import WorkspaceError
from policyeval.model import Weights
from policyeval.model.problem import make_problem
from policyeval.ranking import rank_problem, score_batch

from .helpers import random_problem


def _weight_result(problem, **extra):
    return Weights(
        profile="balanced",
        name="Balanced",
        method="points",
        weights={c: 1.0 / len(problem.criteria) for c in problem.criteria},
        **extra,
    )


def test_rank_to_dict_has_design_shape_and_marks_baseline():
    p = random_problem(0)
    d = rank_problem(p, _weight_result(p), method="wsm").to_dict()
    assert {"profile", "method", "weights", "ranking"} <= set(d)
    assert d["profile"] == "balanced" and d["method"] == "wsm"
    assert d["weights"] == pytest.approx({c: 0.25 for c in p.criteria})
    assert [set(row) for row in d["ranking"]] == [{"option", "score", "rank", "baseline"}] * 6
    assert [row["option"] for row in d["ranking"] if row["baseline"]] == ["o5"]
    json.dumps(d)  # plain data only


def test_rows_sorted_by_rank_then_option_id():
    p = make_problem(["z", "a", "m"], ["x"], np.array([[1.0], [1.0], [2.0]]), [True])
    rows = rank_problem(p, {"x": 1.0}).rows
    assert [(r.option, r.rank) for r in rows] == [("m", 1), ("a", 2), ("z", 2)]


def test_weight_warnings_and_constant_criteria_are_reported():
    p = make_problem(["a", "b"], ["x", "flat"], np.array([[1.0, 5.0], [2.0, 5.0]]), [True, True])
    wr = Weights("panel", "Panel", "ahp", {"x": 0.5, "flat": 0.5}, warnings=("AHP CR 0.14 > 0.10",))
    r = rank_problem(p, wr, method="topsis")
    assert r.warnings[0] == "AHP CR 0.14 > 0.10"
    assert any("'flat'" in w and "value 1" in w for w in r.warnings)


def test_plain_dict_weights_are_normalized():
    p = random_problem(1)
    r = rank_problem(p, {c: 2.0 for c in p.criteria})
    assert r.profile is None
    assert sum(r.weights.values()) == pytest.approx(1.0)


def test_weights_whose_total_overflows_are_still_shares():
    """Attack report R31: 1e308 + 1e308 overflowed to inf and became "all zero" weights."""
    p = random_problem(1)
    huge = {c: 1.7e308 for c in p.criteria}
    with np.errstate(all="raise"):  # no overflow warning either
        r = rank_problem(p, huge)
        batch = score_batch("wsm", p, np.full(len(p.criteria), 1.7e308))
    assert list(r.weights.values()) == pytest.approx([1 / len(p.criteria)] * len(p.criteria))
    assert batch == pytest.approx(score_batch("wsm", p, np.ones(len(p.criteria))))


def test_missing_and_unknown_weights_raise_every_issue():
    p = random_problem(1)
    weights = {"c0": 1, "c1": 1, "c2": 1, "c4": 1}
    with pytest.raises(WorkspaceError, match="no weight for 1 criteria: c3") as err:
        rank_problem(p, weights)
    assert sorted(i.code for i in err.value.issues) == ["missing-weight", "unknown-criterion"]


def test_unknown_method_suggests_the_closest():
    with pytest.raises(
        WorkspaceError, match="unknown ranking method 'topsys'. Did you mean 'topsis'"
    ):
        rank_problem(random_problem(0), {f"c{j}": 1 for j in range(4)}, method="topsys")


def test_unknown_parameter_for_method_raises():
    with pytest.raises(WorkspaceError, match="The wsm method takes no parameter 'v'"):
        score_batch("wsm", random_problem(0), np.ones(4), v=0.5)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (np.ones(3), r"expected 4 weights \(one per criterion\)"),
        (np.array([1.0, -1.0, 1.0, 1.0]), "finite and non-negative"),
        (np.zeros(4), "must not all be zero"),
    ],
)
def test_bad_weight_vectors_raise(weights, message):
    with pytest.raises(WorkspaceError, match=message):
        score_batch("wsm", random_problem(0), weights)


def test_scores_of_wrong_shape_raise():
    with pytest.raises(WorkspaceError, match=r"expected scores of shape \(\.\.\., 6, 4\)"):
        score_batch("wsm", random_problem(0), np.ones(4), scores=np.ones((5, 4)))


def test_sampled_scores_keep_the_problem_scale():
    """A sampled score beyond the observed range gives a value above 1 (wsm keeps it)."""
    p = make_problem(["a", "b"], ["x"], np.array([[0.0], [10.0]]), [True])
    assert score_batch("wsm", p, np.ones(1), scores=np.array([[0.0], [12.0]])).tolist() == [0, 1.2]


def test_a_baseline_at_the_ideal_end_of_an_observed_scale_is_explained():
    """No declared scale and the status quo best of all: a warning says why it wins draws."""
    p = make_problem(["sq", "a", "b"], ["cost", "x"], np.array([[0.0, 1.0], [5.0, 9.0],
                     [3.0, 4.0]]), [False, True], declared=[None, (0, 10)], baseline=0)  # fmt: skip
    warnings = rank_problem(p, {"cost": 1, "x": 1}).warnings
    assert [w for w in warnings if "'cost'" in w and "declare" in w]
    assert not [w for w in warnings if "'x'" in w]  # declared scale: no warning
    fine = make_problem(["sq", "a"], ["cost"], np.array([[3.0], [1.0]]), [False], baseline=0)
    assert not [w for w in rank_problem(fine, {"cost": 1}).warnings if "declare" in w]
