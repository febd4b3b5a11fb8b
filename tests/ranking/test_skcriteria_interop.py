"""Cases to scikit-criteria decision matrices and back, checked against scikit-criteria."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import skcriteria
from skcriteria.agg.simple import WeightedSumModel
from skcriteria.agg.topsis import TOPSIS
from skcriteria.pipelines import mkpipe
from skcriteria.preprocessing.invert_objectives import NegateMinimize
from skcriteria.preprocessing.scalers import MinMaxScaler, VectorScaler

import policyeval as pe
from policyeval.errors import WorkspaceError
from policyeval.interop import from_skcriteria, to_skcriteria
from policyeval.model import build_problem
from policyeval.weighting import compute_weights

TRANSPORT = Path(__file__).resolve().parents[1] / "fixtures" / "transport"


def random_dm(seed: int, names: bool = True) -> skcriteria.core.data.DecisionMatrix:
    """Distinct scores, mixed objectives, weights summing to 1."""
    rng = np.random.default_rng(seed)
    n, m = 6, 4
    objectives = [max, min, max, min]
    extra = (
        {
            "alternatives": [f"opt_{i}" for i in range(n)],
            "criteria": [f"crit_{j}" for j in range(m)],
        }
        if names
        else {}
    )
    return skcriteria.mkdm(
        rng.uniform(1.0, 10.0, size=(n, m)), objectives, weights=rng.dirichlet(np.ones(m)), **extra
    )


@pytest.mark.parametrize("seed", range(4))
def test_round_trip_dm_workspace_dm_is_equal(seed: int) -> None:
    dm = random_dm(seed)
    assert to_skcriteria(from_skcriteria(dm)).aequals(dm)


def test_names_that_are_not_ids_become_titles() -> None:
    dm = random_dm(0, names=False)  # scikit-criteria's A0.., C0..
    case = from_skcriteria(dm, title="Imported")
    assert [o.id for o in case.options] == [f"a{i}" for i in range(6)]
    assert [o.title for o in case.options] == [f"A{i}" for i in range(6)]
    assert [c.name for c in case.criteria] == [f"C{j}" for j in range(4)]
    assert case.title == "Imported" and case.baseline is None
    back = to_skcriteria(case)
    assert np.array_equal(back.matrix.to_numpy(), dm.matrix.to_numpy())


def test_the_case_is_what_the_matrix_says() -> None:
    dm = random_dm(1)
    case = from_skcriteria(dm)
    assert [c.direction for c in case.criteria] == ["max", "min", "max", "min"]
    assert all(c.scale is None for c in case.criteria)
    w = compute_weights(case).weights
    assert list(w.values()) == pytest.approx(dm.weights.to_numpy().tolist())
    problem = build_problem(case)
    assert np.array_equal(problem.scores, dm.matrix.to_numpy())
    assert np.array_equal(problem.scale_lo, dm.matrix.to_numpy().min(axis=0))


@pytest.mark.parametrize("seed", range(5))
def test_policyeval_wsm_and_topsis_rank_as_skcriteria(seed: int) -> None:
    """wsm is the weighted sum of min-max values: scikit-criteria's WeightedSumModel after
    NegateMinimize and MinMaxScaler; topsis works on vector-scaled scores: TOPSIS after
    VectorScaler (scikit-criteria's classes leave scaling to a pipeline)."""
    dm = random_dm(seed)
    a = pe.analyze(from_skcriteria(dm))
    pipes = {
        "wsm": mkpipe(NegateMinimize(), MinMaxScaler(target="matrix"), WeightedSumModel()),
        "topsis": mkpipe(VectorScaler(target="matrix"), TOPSIS()),
    }
    for method, pipe in pipes.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            own = pipe.evaluate(dm)
        assert not own.has_ties_
        mine = {r.option: r.rank for r in a.ranking(method).rows}
        assert [mine[o] for o in own.alternatives] == own.rank_.tolist(), method


def test_case_to_skcriteria_uses_the_profile_weights() -> None:
    case = pe.load(TRANSPORT)
    dm = to_skcriteria(case, "climate_group")
    assert dm.alternatives.tolist() == [o.id for o in case.options]
    assert dm.criteria.tolist() == case.criterion_ids
    expected = [1 if c.direction == "max" else -1 for c in case.criteria]
    assert dm.iobjectives.tolist() == expected
    w = compute_weights(case, "climate_group").weights
    assert dm.weights.tolist() == pytest.approx([w[c] for c in case.criterion_ids])
    default = compute_weights(case).weights
    assert to_skcriteria(case).weights.tolist() == pytest.approx(list(default.values()))


def test_a_problem_gets_equal_weights_by_default() -> None:
    problem = build_problem(pe.load(TRANSPORT))
    dm = to_skcriteria(problem)
    assert dm.weights.tolist() == pytest.approx([0.2] * 5)
    with pytest.raises(WorkspaceError, match="a profile id needs a case"):
        to_skcriteria(problem, "council")


def test_bad_matrix_reports_every_problem() -> None:
    dm = skcriteria.mkdm([[1.0, np.nan], [2.0, 3.0]], [max, max], weights=[-1.0, 1.0],
                         alternatives=["a", "b"], criteria=["x", "y"])  # fmt: skip
    with pytest.raises(WorkspaceError) as err:
        from_skcriteria(dm)
    codes = [(i.code, i.entry) for i in err.value.issues]
    assert codes == [("bad-score", "a.y"), ("bad-weight", "x")]
