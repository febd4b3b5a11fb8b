"""Bad command-line arguments, an infeasible request, internal errors and end-to-end runs.

Argument problems exit 2 with one message naming the option (the "entry"; the
file is empty for arguments) and what to give instead; an infeasible
optimization exits 3 naming the constraints that conflict. Nothing is written.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

from policyeval.cli.app import app

from .cases import CASES
from .test_catalog import FIX_WORDS, problem_lines, snapshot

runner = CliRunner()
POLICYEVAL = Path(sys.executable).parent / "policyeval"

# (name, arguments, option named, phrase)
ARGUMENT_CASES: list = [
    ("unknown rank method", ["rank", "--method", "topsys"], "--method", "Did you mean 'topsis'?"),
    ("unknown rank method, all", ["rank", "--method", "al"], "--method", "Choices:"),
    ("unknown profile for rank", ["rank", "--profile", "evn"], "--profile", "Did you mean 'even'?"),
    ("unknown profile for weights", ["weights", "--profile", "nobody"], "--profile", "Choices:"),
    ("negative samples", ["sensitivity", "--samples", "-5"], "--samples", "Got -5"),
    ("zero samples", ["sensitivity", "--samples", "0"], "--samples", "positive integer"),
    ("unknown sensitivity method", ["sensitivity", "--method", "foo"], "--method", "Choices:"),
    ("negative spread", ["sensitivity", "--spread", "-1"], "--spread", "must be a float"),
    ("negative budget", ["optimize", "--budget", "-1"], "--budget", "must be a number >= 0"),
    ("unknown must-fund", ["optimize", "--must-fund", "alpah"], "--must-fund", "'alpha'"),
    ("malformed at-least", ["optimize", "--at-least", "a=x"], "--at-least", "expected REC"),
    ("too few frontier points", ["frontier", "--points", "0"], "--points", "must be an integer"),
    ("report date not a date", ["report", "--date", "2026-02-30"], "--date", "YYYY-MM-DD"),
    ("unknown report template", ["report", "--template", "nope"], "--template", "Choices:"),
    ("unknown report format", ["report", "--format", "rtf"], "--format", "Choices:"),
    ("report samples zero", ["report", "--samples", "0"], "--samples", ">= 1"),
    # hostile arguments (attack report 2026-11-30, R17, R20, R24 and the limits)
    ("budget nan", ["optimize", "--budget", "nan"], "--budget", "finite number"),
    ("budget inf", ["optimize", "--budget", "inf"], "--budget", "finite number"),
    ("budget 1e400", ["optimize", "--budget", "1e400"], "--budget", "finite number"),
    ("budget 1e300", ["optimize", "--budget", "1e300"], "--budget", "too large"),
    ("allocate budget nan", ["allocate", "--budget", "nan"], "--budget", "finite number"),
    ("allocate budget 1e400", ["allocate", "--budget", "1e400"], "--budget", "finite number"),
    (
        "frontier points 100000",
        ["frontier", "--points", "100000"],
        "--points",
        "limit frontier_points",
    ),
    (
        "sensitivity samples 1e8",
        ["sensitivity", "--samples", "100000000"],
        "--samples",
        "POLICYEVAL_MAX_SAMPLES",
    ),
    ("sensitivity chunk 5e7", ["sensitivity", "--chunk", "50000000"], "--chunk", "limit chunk"),
    ("report samples 1e8", ["report", "--samples", "100000000"], "--samples", "limit samples"),
    (
        "robust samples 1e8",
        ["optimize", "--robust", "--samples", "100000000"],
        "--samples",
        "limit samples",
    ),
]


@pytest.fixture
def tiny_ws(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws", tiny_spec())


def check_usage(root: Path, args: list[str], entry: str, phrase: str) -> None:
    before = snapshot(root)
    result = runner.invoke(app, [*args, "-w", str(root)])
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    [line] = problem_lines(result.stderr)
    assert line.startswith(f"{entry}: "), line
    assert phrase in line and FIX_WORDS.search(line.removeprefix(entry)), line
    assert snapshot(root) == before


@pytest.mark.parametrize(("name", "args", "entry", "phrase"), ARGUMENT_CASES)
def test_bad_argument(tiny_ws: Path, name: str, args: list[str], entry: str, phrase: str) -> None:
    check_usage(tiny_ws, args, entry, phrase)


def test_catalog_with_arguments_has_at_least_40_cases() -> None:
    assert len(CASES) + len(ARGUMENT_CASES) >= 40


@pytest.mark.parametrize("target", ["criteria/criteria.yaml/reports", "options/alpha.yaml"])
def test_unwritable_report_folder(tiny_ws: Path, target: str) -> None:
    """An --out that is a file, or lies under a file, cannot be written (even as root)."""
    check_usage(
        tiny_ws,
        ["report", "--date", "2026-01-01", "--out", str(tiny_ws / target)],
        "--out",
        "Choose another folder",
    )


@pytest.mark.parametrize("target", ["nowhere", "options/alpha.yaml", "options"])
def test_workspace_argument_that_is_not_a_workspace(tiny_ws: Path, target: str) -> None:
    """A missing folder, a file, or a folder without criteria/ and options/: one message."""
    root = tiny_ws / target
    before = snapshot(tiny_ws)
    for args in (["validate"], ["rank", "--method", "all"]):
        result = runner.invoke(app, [*args, "-w", str(root)])
        assert result.exit_code == 2 and "Traceback" not in result.stderr
        [line] = problem_lines(result.stderr)
        assert line.startswith(str(root)) and "is this a workspace?" in line
    assert snapshot(tiny_ws) == before


def test_unwritable_frontier_chart(tiny_ws: Path) -> None:
    before = snapshot(tiny_ws)
    chart = tiny_ws / "options" / "alpha.yaml" / "frontier.svg"
    result = runner.invoke(app, ["frontier", "-w", str(tiny_ws), "--chart", str(chart)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr and len(problem_lines(result.stderr)) == 1
    assert "alpha.yaml" in result.stderr
    assert snapshot(tiny_ws) == before


def test_must_fund_set_over_budget_is_infeasible_exit_3(tiny_ws: Path) -> None:
    """alpha costs 10 and beta requires it: funding both within 5 cannot hold."""
    before = snapshot(tiny_ws)
    result = runner.invoke(
        app, ["optimize", "-w", str(tiny_ws), "--must-fund", "alpha,beta", "--budget", "5"]
    )
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("infeasible:") and "Traceback" not in result.stderr
    assert "must_fund_alpha" in result.stderr and "budget_total" in result.stderr
    assert snapshot(tiny_ws) == before


def test_budget_minus_zero_is_zero(tiny_ws: Path) -> None:
    """Attack report R31: ``--budget -0.0`` was echoed as -0.0."""
    result = runner.invoke(
        app, ["optimize", "-w", str(tiny_ws), "--budget", "-0.0", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"budget": 0.0,' in result.stdout and '"budget": -0.0' not in result.stdout


INJECT = (
    "import policyeval.cli.validate as v\n"
    "def boom(workspace):\n"
    "    raise RuntimeError('injected failure')\n"
    "v.load = boom\n"
    "from policyeval.cli.app import main\n"
    "main()\n"
)


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_traceback_only_with_debug(tiny_ws: Path, debug: bool) -> None:
    args = ["--debug"] if debug else []
    result = subprocess.run(
        [sys.executable, "-c", INJECT, *args, "validate", "-w", str(tiny_ws)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "injected failure" in result.stderr
    assert ("Traceback" in result.stderr) is debug
    if not debug:
        assert "internal error: RuntimeError" in result.stderr and "--debug" in result.stderr


END_TO_END = ["tab-indented YAML", "missing options folder", "option file not UTF-8", "NaN score"]


@pytest.mark.parametrize("name", END_TO_END)
def test_installed_command_end_to_end(tmp_path: Path, name: str) -> None:
    """The installed ``policyeval`` script, as a user runs it."""
    [case] = [c for c in CASES if c.name == name]
    spec = tiny_spec()
    case.mutate(spec)
    root = write_workspace(tmp_path / "ws", spec)
    before = snapshot(root)
    for args in (["validate"], ["rank", "--method", "all"]):
        result = subprocess.run(
            [str(POLICYEVAL), *args, "-w", str(root)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2 and result.stdout == ""
        assert "Traceback" not in result.stderr
        [line] = problem_lines(result.stderr)
        assert line.startswith(case.file) and case.phrase in line
    assert snapshot(root) == before
