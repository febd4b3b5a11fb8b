"""``Analysis.sensitivity`` and ``policyeval sensitivity`` on workspaces written into tmp_path."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

from policyeval.analysis import Analysis
from policyeval.cli.app import app
from policyeval.cli.common import dumps
from policyeval.errors import WorkspaceError
from policyeval.io import load_workspace

from .helpers import HAND_ACCEPTABILITY, HAND_STABILITY_TOP, hand_spec

runner = CliRunner()
DESIGN_KEYS = {"profile", "samples", "seed", "acceptability", "central_weights", "confidence",
               "stability"}  # fmt: skip


def run(*args: str):
    return runner.invoke(app, ["sensitivity", *args])


@pytest.fixture
def hand(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "hand", hand_spec())


def test_json_matches_hand_derivation(hand: Path) -> None:
    """The acceptance check: 100,000 samples within 0.01, stability exact (1e-6)."""
    result = run("-w", str(hand), "--samples", "100000", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert DESIGN_KEYS <= set(data)
    assert data["profile"] == "main" and data["samples"] == 100_000 and data["seed"] == 0
    for o, exact in HAND_ACCEPTABILITY.items():
        assert np.abs(np.array(data["acceptability"][o]) - exact).max() < 0.01
    for c, exact in HAND_STABILITY_TOP.items():
        assert np.abs(np.array(data["stability"][c]) - exact).max() < 1e-6
    assert set(data["central_weights"]["a"]) == {"x", "y"} and data["central_weights"]["c"] == {}
    assert data["confidence"]["a"] == 1.0 and data["confidence"]["c"] is None
    assert data["top"]["profile_top"] == "a" and data["method"] == "wsm"
    assert data["what_it_takes"][0]["option"] == "c" and "summary" in data


def test_same_seed_same_json_other_seed_differs(hand: Path) -> None:
    a = run("-w", str(hand), "--samples", "3000", "-f", "json", "--seed", "5").stdout
    assert a == run("-w", str(hand), "--samples", "3000", "-f", "json", "--seed", "5").stdout
    assert a != run("-w", str(hand), "--samples", "3000", "-f", "json", "--seed", "6").stdout


def test_csv_is_the_acceptability_matrix(hand: Path) -> None:
    result = run("-w", str(hand), "--samples", "2000", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["option", "rank_1", "rank_2", "rank_3"]
    assert [r[0] for r in rows[1:]] == ["a", "b", "c"]
    assert all(abs(sum(float(x) for x in r[1:]) - 1) < 1e-12 for r in rows[1:])


def test_table_names_robust_option_acceptability_and_what_overturns_it(tmp_path: Path) -> None:
    root = str(write_workspace(tmp_path, tiny_spec()))
    result = run("-w", root, "--samples", "4000")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    b1 = json.loads(run("-w", root, "--samples", "4000", "-f", "json").stdout)["top"]
    assert b1["option"] == "beta" and b1["first_rank_acceptability"] > 0.5
    share = f"{b1['first_rank_acceptability']:.0%}"
    assert f"'beta' (Beta) is robustly first: it ranks first in {share} of 4,000 SMAA" in text
    assert "smallest change of weights that would overturn it" in text
    assert "Rank reversal" in text and "minimax-regret compromise" in text


def test_bounds_are_used_when_asked(tmp_path: Path) -> None:
    """a is first iff w_x > 1/2: with w_x in [0.6, 1] it is always first."""
    spec = hand_spec()
    spec["criteria/weights/main.yaml"]["bounds"] = {"x": [0.6, 1.0]}
    result = run("-w", str(write_workspace(tmp_path, spec)), "--bounds", "-n", "3000", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["acceptability"]["a"][0] == 1.0 and data["sampler"]["weights"] == "bounds"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--bounds"], "declares no weight bounds"),
        (["--bounds", "--spread", "0.2"], "not both"),
        (["--method", "topsiss"], "unknown method 'topsiss'. Did you mean 'topsis'?"),
        (["--samples", "0"], "--samples: must be a positive integer"),
        (["--spread", "1.5"], r"'spread' parameter must be a float in \[0, 1\)"),
        (["--profiles", "main,nobody"], "unknown profile 'nobody'"),
        (["--packages"], "no packages"),
        (["--top-k", "0"], "--top-k: must be a positive integer"),
    ],
)
def test_bad_arguments_exit_2(hand: Path, args: list[str], match: str) -> None:
    result = run("-w", str(hand), "-n", "100", *args)
    assert result.exit_code == 2, result.output
    assert re.search(match, result.stderr)


def test_report_to_dict_is_strict_json_and_packages_work(tmp_path: Path) -> None:
    ws = load_workspace(write_workspace(tmp_path, tiny_spec()))
    report = Analysis(ws).sensitivity(samples=2000, packages=True, method="topsis", spread=0.3)
    data = json.loads(dumps(report.to_dict()))  # allow_nan=False: no NaN leaks
    assert set(data["acceptability"]) == {"status_quo", "both"}
    assert data["method"] == "topsis" and data["sampler"]["spread"] == 0.3
    assert data["stakeholders"]["profiles"] == ["even"]


def test_one_option_is_too_few(tmp_path: Path) -> None:
    spec = hand_spec()
    del spec["options/b.yaml"], spec["options/c.yaml"]
    ws = load_workspace(write_workspace(tmp_path, spec))
    with pytest.raises(WorkspaceError, match="at least two options"):
        Analysis(ws).sensitivity(samples=10)


def test_installed_command_json_is_clean_and_silent(hand: Path) -> None:
    """End to end: the JSON on stdout parses; nothing but warnings would go to stderr."""
    exe = shutil.which("policyeval") or str(Path(__file__).parents[2] / ".venv/bin/policyeval")
    out = subprocess.run(
        [exe, "sensitivity", "-w", str(hand), "-n", "50000", "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout)["samples"] == 50_000
    assert all(line.startswith("warning: ") for line in out.stderr.splitlines())
