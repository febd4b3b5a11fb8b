"""validate, weights and rank from the command line, in every format."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

from policyeval.cli.app import app
from policyeval.io import load_workspace
from policyeval.model import build_problem
from policyeval.ranking import rank_problem
from policyeval.weighting import compute_weights

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_validate_ok_prints_summary(tiny: Path) -> None:
    result = run("validate", "-w", str(tiny))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: Tiny decision")
    assert "2 measures" in result.stdout and "baseline 'status_quo'" in result.stdout


def test_validate_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec["options/alpha.yaml"]["scores"]["reach"] = 12
    spec["criteria/weights/even.yaml"]["method"] = "ahpp"
    result = run("validate", "-w", str(write_workspace(tmp_path, spec)))
    assert result.exit_code == 2
    assert "2 problems" in result.stderr
    assert "options/alpha.yaml: scores.reach: 12 is outside the scale [0, 10]" in result.stderr
    assert "Did you mean 'ahp'?" in result.stderr
    assert "Traceback" not in result.output


def test_weights_json_matches_library(tiny: Path) -> None:
    result = run("weights", "-w", str(tiny), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"profile", "method", "weights", "consistency_ratio", "warnings"}
    assert data["weights"] == pytest.approx({"benefit": 1 / 3, "reach": 1 / 3, "cost": 1 / 3})
    assert data["profile"] == "even" and data["method"] == "points"


def test_weights_csv_and_table(tiny: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("weights", "-w", str(tiny), "-f", "csv").stdout)))
    assert [r["criterion"] for r in rows] == ["benefit", "reach", "cost"]
    assert float(rows[0]["weight"]) == pytest.approx(1 / 3)
    table = run("weights", "-w", str(tiny))
    assert table.exit_code == 0 and "benefit" in table.stdout and "0.333" in table.stdout


def test_ahp_inconsistency_warning_is_shown(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec["criteria/weights/even.yaml"] = {
        "method": "ahp",
        "pairwise": [["benefit", "reach", 9], ["reach", "cost", 9], ["cost", "benefit", 9]],
    }
    root = write_workspace(tmp_path, spec)
    for cmd in (("weights",), ("rank",), ("rank", "--method", "all")):
        result = run(*cmd, "-w", str(root))
        assert result.exit_code == 0, result.output
        assert "consistency ratio" in result.stderr and "above 0.10" in result.stderr


@pytest.mark.parametrize("method", ["wsm", "wpm", "topsis", "vikor", "promethee", "electre"])
def test_rank_json_is_the_library_result(tiny: Path, method: str) -> None:
    result = run("rank", "-w", str(tiny), "--method", method, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ws = load_workspace(tiny)
    expected = rank_problem(build_problem(ws), compute_weights(ws), method)
    assert data["method"] == method and data["profile"] == "even"
    assert [(r["option"], r["rank"]) for r in data["ranking"]] == [
        (r.option, r.rank) for r in expected.rows
    ]
    assert [r["score"] for r in data["ranking"]] == [r.score for r in expected.rows]
    assert [r["option"] for r in data["ranking"] if r["baseline"]] == ["status_quo"]


def test_rank_all_has_consensus_and_agreement(tiny: Path) -> None:
    data = json.loads(run("rank", "-w", str(tiny), "-m", "all", "-f", "json").stdout)
    assert set(data["methods"]) == {"wsm", "wpm", "topsis", "vikor", "promethee", "electre"}
    assert sorted(r["rank"] for r in data["consensus"])[0] == 1
    assert data["agreement"]["wsm"]["wsm"] == pytest.approx(1.0)
    assert "consensus_rule" in data


def test_rank_packages_uses_combine_rule_and_synergy(tiny: Path) -> None:
    data = json.loads(run("rank", "-w", str(tiny), "--packages", "-f", "json").stdout)
    assert [r["option"] for r in data["ranking"]] == ["both", "status_quo"]
    problem = build_problem(load_workspace(tiny), packages=True)
    both = problem.options.index("both")
    # benefit: max(8, 5); reach: max(5, 9) + synergy 1; cost: sum(10, 4)
    assert problem.scores[both].tolist() == [8.0, 10.0, 14.0]


def test_rank_csv_and_table(tiny: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("rank", "-w", str(tiny), "-f", "csv").stdout)))
    assert [r["rank"] for r in rows] == ["1", "2", "3"]
    table = run("rank", "-w", str(tiny))
    assert "Status quo (baseline)" in table.stdout and "Alpha" in table.stdout


def test_unknown_method_is_a_usage_error(tiny: Path) -> None:
    result = run("rank", "-w", str(tiny), "--method", "topsys")
    assert result.exit_code == 2
    assert "Did you mean 'topsis'?" in result.stderr


def test_unknown_profile_is_a_usage_error(tiny: Path) -> None:
    result = run("weights", "-w", str(tiny), "--profile", "evn")
    assert result.exit_code == 2 and "Did you mean 'even'?" in result.stderr


def test_installed_command_end_to_end(tiny: Path) -> None:
    exe = shutil.which("policyeval") or str(Path(__file__).parents[2] / ".venv/bin/policyeval")
    out = subprocess.run(
        [exe, "rank", "-w", str(tiny), "-f", "json"], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout)["ranking"][0]["rank"] == 1
    bad = subprocess.run(
        [exe, "validate", "-w", str(tiny / "nowhere")], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "folder 'criteria/' not found" in bad.stderr
