"""policyeval init: a commented example workspace that validates and ranks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyeval.cli.app import app
from policyeval.io import load_workspace

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_init_then_validate_weights_and_rank(tmp_path: Path) -> None:
    root = tmp_path / "new"
    result = run("init", root)
    assert result.exit_code == 0, result.output
    assert f"policyeval validate -w {root}" in result.stdout
    assert run("validate", "-w", root).exit_code == 0
    ws = load_workspace(root)
    assert ws.baseline is not None and 2 <= len(ws.measures) <= 3
    assert {p.method for p in ws.profiles.values()} >= {"points", "ahp"}
    assert ws.packages and ws.synergies
    for profile in ws.profiles:
        weights = json.loads(run("weights", "-w", root, "-p", profile, "-f", "json").stdout)
        assert sum(weights["weights"].values()) == pytest.approx(1)
        assert weights["warnings"] == []
    ranked = json.loads(run("rank", "-w", root, "--method", "all", "-f", "json").stdout)
    assert set(ranked["methods"]) >= {"wsm", "topsis", "promethee"}
    assert run("rank", "-w", root, "--packages").exit_code == 0


def test_every_example_file_is_commented(tmp_path: Path) -> None:
    assert run("init", tmp_path / "new").exit_code == 0
    files = sorted((tmp_path / "new").rglob("*.yaml"))
    assert len(files) >= 8
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("# "), path


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = run("init", tmp_path)
    assert result.exit_code == 2
    assert "not an empty folder" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_into_an_empty_existing_folder(tmp_path: Path) -> None:
    result = run("init", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "criteria" / "criteria.yaml").is_file()
