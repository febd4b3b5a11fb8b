"""scikit-criteria methods inside policyeval (``skcriteria:NAME``), checked against itself."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import skcriteria
from skcriteria.agg.moora import RatioMOORA
from skcriteria.agg.vikor import VIKOR
from typer.testing import CliRunner

import policyeval as pe
from policyeval.cli.app import app
from policyeval.errors import WorkspaceError
from policyeval.model.problem import make_problem
from policyeval.ranking import competition_rank, rank_all, rank_problem, score_batch
from policyeval.ranking.skcriteria_methods import available
from policyeval.sensitivity.smaa import smaa
from policyeval.weighting import compute_weights

from .helpers import random_problem, random_weights

TRANSPORT = Path(__file__).resolve().parents[1] / "fixtures" / "transport"
runner = CliRunner()


def transport_dm(profile: str) -> skcriteria.core.data.DecisionMatrix:
    """The transport case's options as a DecisionMatrix built here, straight from the case."""
    case = pe.load(TRANSPORT)
    weights = compute_weights(case, profile).weights
    return skcriteria.mkdm(
        matrix=[[o.scores[c.id].value for c in case.criteria] for o in case.options],
        objectives=[max if c.direction == "max" else min for c in case.criteria],
        weights=[weights[c.id] for c in case.criteria],
        alternatives=[o.id for o in case.options],
        criteria=[c.id for c in case.criteria],
    )


def evaluate(model, dm):  # noqa: ANN001, ANN201
    """scikit-criteria's own result, its advice warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.evaluate(dm)


def test_cli_rank_moora_matches_skcriteria_moora() -> None:
    result = runner.invoke(
        app,
        ["rank", "-w", str(TRANSPORT), "--profile", "council", "-m", "skcriteria:MOORA"]
        + ["--format", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    own = evaluate(RatioMOORA(), transport_dm("council"))
    assert not own.has_ties_
    expected = dict(zip(own.alternatives, own.rank_.tolist()))
    assert {r["option"]: r["rank"] for r in data["ranking"]} == expected
    scores = dict(zip(own.alternatives, own.extra_["score"].tolist()))
    assert {r["option"]: r["score"] for r in data["ranking"]} == pytest.approx(scores)
    assert data["method"] == "skcriteria:MOORA" and data["higher_is_better"] is True
    assert data["details"]["skcriteria_method"] == "RatioMOORA"


@pytest.mark.parametrize("command", ["rank", "sensitivity"])
def test_unknown_skcriteria_name_exits_2_with_did_you_mean(command: str) -> None:
    result = runner.invoke(app, [command, "-w", str(TRANSPORT), "-m", "skcriteria:TOPSYS"])
    assert result.exit_code == 2, result.output
    assert "Did you mean 'skcriteria:TOPSIS'?" in result.stderr
    assert "--method" in result.stderr and "Traceback" not in result.output


def test_a_name_is_found_without_regard_to_case() -> None:
    p = random_problem(1)
    w = dict(zip(p.criteria, random_weights(1, 4)))
    upper, lower = rank_problem(p, w, "skcriteria:TOPSIS"), rank_problem(p, w, "skcriteria:topsis")
    assert [r.rank for r in upper.rows] == [r.rank for r in lower.rows]


def test_a_refused_matrix_is_one_clear_problem_exit_2() -> None:
    result = runner.invoke(app, ["rank", "-w", str(TRANSPORT), "-m", "skcriteria:WSM"])
    assert result.exit_code == 2, result.output
    assert "WeightedSumModel cannot rank these options" in result.stderr
    assert "minimize" in result.stderr and "Traceback" not in result.output


PROBE = (
    "import sys\n"
    "from policyeval.cli.app import app\n"
    "try:\n"
    "    app(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('skcriteria' in sys.modules, file=sys.stderr)\n"
)


def skcriteria_imported(*args: str) -> bool:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
    )
    return out.stderr.strip().splitlines()[-1] == "True"


@pytest.mark.parametrize(
    "args", [("--help",), ("validate", "-w", str(TRANSPORT)), ("rank", "--help")]
)
def test_skcriteria_is_not_imported_at_start_up(args: tuple[str, ...]) -> None:
    assert not skcriteria_imported(*args)


def test_the_probe_sees_skcriteria_when_a_method_asks_for_it() -> None:
    assert skcriteria_imported("rank", "-w", str(TRANSPORT), "-m", "skcriteria:MOORA")


def test_simus_solver_output_stays_off_stdout() -> None:
    """SIMUS runs CBC, which prints on file descriptor 1; the JSON must stay clean."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "rank", "-w", str(TRANSPORT), "-m", "skcriteria:SIMUS"]
        + ["--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    data = json.loads(out.stdout)
    assert data["details"]["skcriteria_method"] == "SIMUS"
    assert "SIMUS not take into account the weights" in out.stderr


def random_dm_problem(seed: int, objectives: list) -> tuple:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.1, 1.0, size=(7, len(objectives)))
    return make_problem(
        [f"o{i}" for i in range(7)],
        [f"c{j}" for j in range(len(objectives))],
        x,
        [o is max for o in objectives],
    )


@pytest.mark.parametrize("name", sorted(set(available()) - {"ERVD"}))
def test_utilities_rank_as_skcriteria_for_every_method(name: str) -> None:
    """Every method, fast kernel path or DecisionMatrix path, own score or rank: the
    utilities of ``score_batch`` order the options as scikit-criteria's evaluate does."""
    cls = available()[name]
    for objectives in ([max] * 4, [max, min, max, min]):
        p = random_dm_problem(7, objectives)
        rng = np.random.default_rng(11)
        w = rng.dirichlet(np.ones(4), size=3)
        x = p.scores * rng.uniform(0.9, 1.1, size=(3, *p.shape))
        try:
            u = score_batch(f"skcriteria:{name}", p, w, x)
        except WorkspaceError:  # the method refuses these objectives; its own evaluate too
            with pytest.raises(ValueError):
                evaluate(cls(), skcriteria.mkdm(x[0], objectives, weights=w[0]))
            continue
        for k in range(3):
            own = evaluate(cls(), skcriteria.mkdm(x[k], objectives, weights=w[k])).rank_
            assert competition_rank(u[k]).tolist() == competition_rank(-own).tolist()
        return
    pytest.fail(f"{name} ran on neither matrix")


def test_ties_are_competition_ranks_of_skcriteria_dense_ranks() -> None:
    p = make_problem(["a", "b", "c"], ["x", "y"], np.array([[2.0, 1.0], [2.0, 1.0], [1.0, 3.0]]),
                     [True, False])  # fmt: skip
    ranking = rank_problem(p, {"x": 0.5, "y": 0.5}, "skcriteria:MOORA")
    assert ranking.details["skcriteria_rank"] == {"a": 1, "b": 1, "c": 2}
    assert {r.option: r.rank for r in ranking.rows} == {"a": 1, "b": 1, "c": 3}


def test_parameters_reach_the_method_and_bad_ones_are_refused() -> None:
    p, w = random_problem(3), random_weights(3, 4)
    dm = skcriteria.mkdm(p.scores, [max if u else min for u in p.maximize], weights=w)
    ranking = rank_problem(p, dict(zip(p.criteria, w)), "skcriteria:VIKOR", v=0.2)
    own = evaluate(VIKOR(v=0.2), dm)
    assert [ranking.details["skcriteria_rank"][o] for o in p.options] == own.rank_.tolist()
    assert ranking.higher_is_better is False
    with pytest.raises(WorkspaceError, match="takes no parameter 'q'. Parameters: v, "):
        rank_problem(p, dict(zip(p.criteria, w)), "skcriteria:VIKOR", q=0.2)


def test_consensus_takes_a_skcriteria_method() -> None:
    p = random_problem(5)
    w = dict(zip(p.criteria, random_weights(5, 4)))
    multi = rank_all(p, w, methods=["wsm", "topsis", "skcriteria:MOORA"])
    alone = rank_problem(p, w, "skcriteria:MOORA")
    assert multi.methods["skcriteria:MOORA"].rows == alone.rows
    assert set(multi.agreement["skcriteria:MOORA"]) == {"wsm", "topsis", "skcriteria:MOORA"}
    assert len(multi.consensus) == len(p.options)


def test_smaa_with_a_skcriteria_method_sums_to_one_and_repeats_with_its_seed() -> None:
    p = random_problem(2, n=4, m=3)
    p = make_problem(p.options, p.criteria, p.scores, p.maximize, low=p.scores * 0.9,
                     high=p.scores * 1.1)  # fmt: skip
    first = smaa(p, "skcriteria:TOPSIS", samples=300, seed=4)
    assert np.allclose(first.acceptability.sum(axis=1), 1.0)
    assert np.allclose(first.acceptability.sum(axis=0), 1.0)
    again = smaa(p, "skcriteria:TOPSIS", samples=300, seed=4)
    assert np.array_equal(first.acceptability, again.acceptability)
    assert np.array_equal(first.confidence, again.confidence, equal_nan=True)
    other = smaa(p, "skcriteria:TOPSIS", samples=300, seed=5)
    assert not np.array_equal(first.acceptability, other.acceptability)


def test_pipeline_sensitivity_and_its_method_check() -> None:
    a = pe.analyze(pe.load(TRANSPORT), profile="council")
    report = a.sensitivity(method="skcriteria:MOORA", samples=200)
    assert report.smaa.method == "skcriteria:MOORA"
    assert np.allclose(report.smaa.acceptability.sum(axis=1), 1.0)
    assert report.stakeholders.method == "skcriteria:MOORA"
    with pytest.raises(WorkspaceError, match="Did you mean 'skcriteria:MOORA'"):
        a.sensitivity(method="skcriteria:MORA", samples=10)
