"""The terminal: JSON errors and schema versions, validate's formats, ``python -m``,
global -v/-q, the workspace search, 80-column tables and shell completion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

from policyeval.cli.app import app
from policyeval.cli.common import Format, handle_errors
from policyeval.errors import InfeasibleError

runner = CliRunner()


def run(*args: str, **kwargs):
    return runner.invoke(app, list(args), **kwargs)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    spec = tiny_spec()
    spec["options/alpha.yaml"]["scores"]["reach"] = 12
    return write_workspace(tmp_path / "broken", spec)


# --- errors as JSON ---------------------------------------------------------------------


def test_json_error_on_broken_workspace_exits_2(broken: Path) -> None:
    result = run("rank", "-w", str(broken), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1"
    assert data["error"]["code"] == "invalid-input" and data["error"]["exit_code"] == 2
    [problem] = data["error"]["problems"]
    assert problem["file"] == "options/alpha.yaml" and problem["entry"] == "scores.reach"
    assert "outside the scale" in problem["message"] and problem["code"]


def test_json_usage_error_names_the_flag(tiny: Path) -> None:
    result = run("rank", "-w", str(tiny), "--method", "wsmm", "-f", "json")
    assert result.exit_code == 2
    [problem] = json.loads(result.stdout)["error"]["problems"]
    assert problem["entry"] == "--method" and "Did you mean 'wsm'?" in problem["message"]


def test_table_errors_stay_plain_text_on_stderr(broken: Path) -> None:
    result = run("rank", "-w", str(broken))
    assert result.exit_code == 2 and result.stdout == ""
    assert "options/alpha.yaml: scores.reach" in result.stderr


def _command(exc: Exception):
    @handle_errors
    def command(fmt: Format = Format.table) -> None:
        raise exc

    cli = typer.Typer()
    cli.command()(command)
    return cli


def test_json_infeasible_exits_3_with_binding_constraints() -> None:
    cli = _command(InfeasibleError("no portfolio fits", ["budget", "must_include_m1"]))
    result = runner.invoke(cli, ["--fmt", "json"])
    assert result.exit_code == 3 and result.stderr == ""
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "infeasible" and error["exit_code"] == 3
    assert [p["message"] for p in error["problems"]] == [
        "no portfolio fits",
        "budget",
        "must_include_m1",
    ]
    plain = runner.invoke(cli, [])
    assert plain.exit_code == 3 and plain.stdout == "" and "budget" in plain.stderr


def test_json_internal_error_exits_1() -> None:
    result = runner.invoke(_command(ValueError("boom")), ["--fmt", "json"])
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "internal" and "ValueError: boom" in error["problems"][0]["message"]


# --- schema_version ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("weights",), ("rank",), ("rank", "--method", "all"), ("sensitivity", "--samples", "50")],
)
def test_every_json_output_has_a_schema_version(tiny: Path, args: tuple[str, ...]) -> None:
    result = run(*args, "-w", str(tiny), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data)[-1] == "schema_version" and data["schema_version"] == "1"
    assert "profile" in data  # the DESIGN shape is kept


def test_weights_all_json_stays_a_list_with_versioned_elements(tiny: Path) -> None:
    result = run("weights", "--all", "-w", str(tiny), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and data
    assert all(d["schema_version"] == "1" and "weights" in d for d in data)


# --- validate --format ------------------------------------------------------------------


def test_validate_json_summarizes_the_workspace(tiny: Path) -> None:
    result = run("validate", "-w", str(tiny), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1" and data["ok"] is True
    assert data["title"] == "Tiny decision"
    assert data["criteria"] == ["benefit", "reach", "cost"]
    assert set(data["options"]) >= {"alpha", "status_quo"} and data["baseline"] == "status_quo"
    assert "even" in data["profiles"] and data["warnings"] == []


def test_validate_json_on_broken_workspace(broken: Path) -> None:
    result = run("validate", "-w", str(broken), "--format", "json")
    assert result.exit_code == 2 and result.stderr == ""
    assert json.loads(result.stdout)["error"]["problems"][0]["file"] == "options/alpha.yaml"


def test_validate_table_is_the_default(tiny: Path) -> None:
    assert run("validate", "-w", str(tiny), "-f", "table").stdout.startswith("ok: Tiny decision")


# --- python -m policyeval ---------------------------------------------------------------


def test_python_dash_m_runs_the_cli(tiny: Path) -> None:
    import os
    import subprocess
    import sys

    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run(
        [sys.executable, "-m", "policyeval", "--help"], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0 and "validate" in out.stdout and "rank" in out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "policyeval", "validate", "-w", str(tiny)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert out.returncode == 0 and out.stdout.startswith("ok: Tiny decision")


# --- the workspace search ---------------------------------------------------------------


def test_workspace_found_upward_from_a_subfolder(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POLICYEVAL_WORKSPACE", raising=False)
    deep = tiny / "options" / "notes"
    deep.mkdir()
    monkeypatch.chdir(deep)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: Tiny decision")


def test_workspace_from_the_environment(tiny: Path, tmp_path: Path, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("validate", env={"POLICYEVAL_WORKSPACE": str(tiny)})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: Tiny decision")


def test_dash_w_wins_over_the_environment(tiny: Path, broken: Path) -> None:
    result = run("validate", "-w", str(tiny), env={"POLICYEVAL_WORKSPACE": str(broken)})
    assert result.exit_code == 0, result.output


def test_no_workspace_found_names_the_search(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("POLICYEVAL_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)
    result = run("rank", "-f", "json")
    assert result.exit_code == 2
    [problem] = json.loads(result.stdout)["error"]["problems"]
    assert str(tmp_path) in problem["message"] and "every folder above it" in problem["message"]
    assert "POLICYEVAL_WORKSPACE" in problem["message"]
    # the next command in the same process does not inherit the failed search
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    assert run("validate").exit_code == 0


# --- tables at 80 columns ---------------------------------------------------------------


def narrow(*args: str) -> list[str]:
    result = run(*args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    return lines


def cells(lines: list[str], first: str) -> list[str]:
    """The cells after the first one of every table row starting with ``first``, in order."""
    out = []
    for line in lines:
        parts = [p.strip() for p in line.strip("│ ").split("│")]
        if parts[0] == first:
            out += parts[1:]
    return out


def test_weights_all_at_80_columns_shows_every_weight(shipped: Path) -> None:
    from policyeval.api import Analysis
    from policyeval.cli.common import fmt_num
    from policyeval.io import load_workspace

    lines = narrow("weights", "--all", "-w", str(shipped))
    profiles = Analysis(load_workspace(shipped)).profiles()
    assert len(profiles) > 4  # more than fit side by side at 80 columns
    for criterion in ("recruitment_migrants", "human_rights", "time_to_impact"):
        expected = [fmt_num(r.weights[criterion]) for r in profiles.values()]
        assert cells(lines, criterion) == expected
    assert "…" not in "\n".join(lines)


def test_rank_all_at_80_columns_keeps_every_header_and_rank(shipped: Path) -> None:
    lines = narrow("rank", "--method", "all", "-w", str(shipped))
    data = json.loads(run("rank", "--method", "all", "-w", str(shipped), "-f", "json").stdout)
    text = "\n".join(lines)
    assert "…" not in text
    for method in [*data["methods"], "consensus"]:
        assert f" {method} " in text
    top = data["consensus"][0]["option"]
    ranks = [str(rows[i]["rank"]) for rows in data["methods"].values() for i in range(len(rows))
             if rows[i]["option"] == top]  # fmt: skip
    assert cells(lines, top)[: len(ranks)] == ranks


def test_sensitivity_at_80_columns_cuts_nothing(shipped: Path) -> None:
    lines = narrow("sensitivity", "-w", str(shipped), "--samples", "300")
    text = "\n".join(lines)
    for header in ("rank 1", "confidence", "weight moved", "lead at high"):
        assert header in text
    # options and criteria ids whole (they may fold inside a cell, never end in "…")
    assert not [line for line in lines if "…│" in line.replace(" ", "")]
    data = json.loads(
        run("sensitivity", "-w", str(shipped), "--samples", "300", "-f", "json").stdout
    )
    top = max(data["acceptability"], key=lambda o: data["acceptability"][o][0])
    assert cells(lines, top)[0] == f"{data['acceptability'][top][0]:.1%}"


# --- shell completion -------------------------------------------------------------------


def test_completion_options_are_offered() -> None:
    result = run("--help")
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [("policyeval ra", "1", "rank"), ("policyeval rank --me", "2", "--method")],
)
def test_bash_completes_commands_and_options(words: str, cword: str, expected: str) -> None:
    env = {"_POLICYEVAL_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = runner.invoke(app, [], env=env, prog_name="policyeval")
    assert result.stdout.split() == [expected]


# --- -v / -q and progress ---------------------------------------------------------------

TIMING = r"^{}: \d+\.\d\d s$"


def test_verbose_report_times_each_step(tiny: Path, tmp_path: Path) -> None:
    import re

    args = ("report", "-w", str(tiny), "-o", str(tmp_path / "out"), "--date", "2026-01-01")
    result = run("-v", *args, "--samples", "200")
    assert result.exit_code == 0, result.output
    steps = [line.split(":")[0] for line in result.stderr.splitlines()]
    assert steps == ["load", "analysis", "render", "write"]
    assert all(
        re.match(TIMING.format(s), line) for s, line in zip(steps, result.stderr.splitlines())
    )
    written = sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert sorted(Path(line).name for line in result.stdout.split()) == written
    quiet = run(*args, "--samples", "200")  # not a terminal, no -v: stderr stays clean
    assert quiet.exit_code == 0 and quiet.stderr == ""


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("frontier",), "frontier"),
        (("optimize", "--robust", "--samples", "50"), "robust portfolio over 50 weight samples"),
        (("sensitivity", "--samples", "50"), "sensitivity"),
    ],
)
def test_verbose_times_long_commands(shipped: Path, args: tuple[str, ...], name: str) -> None:
    import re

    result = run("-v", *args, "-w", str(shipped))
    assert result.exit_code == 0, result.output
    assert any(re.match(TIMING.format(re.escape(name)), x) for x in result.stderr.splitlines())
    assert run(*args, "-w", str(shipped)).stderr.count(f"{name}:") == 0


def test_quiet_drops_warnings_but_not_errors(shipped: Path, broken: Path) -> None:
    loud = run("rank", "--method", "vikor", "-w", str(shipped))
    assert loud.exit_code == 0 and "warning: vikor" in loud.stderr
    quiet = run("-q", "rank", "--method", "vikor", "-w", str(shipped))
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == loud.stdout
    error = run("-q", "rank", "-w", str(broken))
    assert error.exit_code == 2 and "scores.reach" in error.stderr
    # the options hold for one run only
    assert "warning: vikor" in run("rank", "--method", "vikor", "-w", str(shipped)).stderr


def test_progress_on_a_terminal_leaves_the_workers_free(monkeypatch) -> None:
    """The spinner of a step and the progress bars are drawn without a thread: a thread
    alive stops every fork (policyeval.forked.can_fork), and with rich's refresh thread
    `report --all` in a terminal took 11.6 s instead of 6.8 s, in one process."""
    import threading

    from policyeval import forked
    from policyeval.cli import common

    monkeypatch.setenv("POLICYEVAL_WORKERS", "2")
    monkeypatch.setattr(common, "show_progress", lambda: True)
    terminal = _terminal()
    monkeypatch.setattr(common, "err_console", lambda: terminal)
    with common.step("render") as say:
        assert threading.active_count() == 1 and forked.can_fork()
        with forked.submit(sum, [1, 2]) as job:
            assert job.forked and job.result() == 3
        say("memo.pdf made")  # progress is redrawn when it is said
    assert "render… memo.pdf made" in terminal.file.getvalue()
    with common.progress_bar("frontier", 10) as moved:
        moved(5)
        assert threading.active_count() == 1 and forked.can_fork()


def _terminal():
    """A rich console that believes it writes to a terminal (as under a real one)."""
    import io

    from rich.console import Console

    return Console(file=io.StringIO(), force_terminal=True)
