"""Every broken workspace of the catalog, through the command line and the Python API.

Each case must give exit code 2, exactly one message that names the file and
the entry and says how to fix it, no traceback, and leave every file of the
workspace as it was (bytes and modification times).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

from policyeval.cli.app import app
from policyeval.errors import WorkspaceError
from policyeval.io import load_workspace

from .cases import CASES, SHIPPED_CASES, Case

REPO = Path(__file__).resolve().parents[2]
COMMANDS = (("validate",), ("rank", "--method", "all"))
#: Words by which a message tells the user what to do.
FIX_WORDS = re.compile(
    r"\b(add|remove|rename|keep|use|fix|widen|save|set|give|drop|create|delete|write|choose|pass|"
    r"rank it|needs?|must|expected|did you mean|choices|known|allowed keys)\b",
    re.IGNORECASE,
)

runner = CliRunner()


def snapshot(root: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every path under ``root`` with its bytes and modification time (None for folders)."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) if p.is_file() else None
        for p in sorted(root.rglob("*"))
    }


def problem_lines(stderr: str) -> list[str]:
    """The listed problems of an exit-2 error."""
    return [line[4:] for line in stderr.splitlines() if line.startswith("  - ")]


def check_cli(root: Path, case: Case, *args: str) -> None:
    """Run one command on a broken workspace and check the single message."""
    before = snapshot(root)
    result = runner.invoke(app, [*args, "-w", str(root)])
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert re.match(r"error: 1 problem found:", result.stderr), result.stderr
    [line] = problem_lines(result.stderr)
    where = ": ".join(p for p in (case.file, case.entry) if p)
    assert line.startswith(where), (where, line)
    assert case.phrase in line, line
    assert FIX_WORDS.search(line.removeprefix(where)), f"no fix suggested: {line}"
    assert snapshot(root) == before


def check_api(root: Path, case: Case) -> None:
    """The same problem through ``load_workspace``: one WorkspaceError listing it."""
    with pytest.raises(WorkspaceError) as info:
        load_workspace(root)
    [issue] = info.value.issues
    assert issue.file == case.file and issue.entry.startswith(case.entry), issue
    assert case.phrase in issue.message
    assert str(issue) in str(info.value)


def tiny_case(tmp_path: Path, case: Case) -> Path:
    spec = tiny_spec()
    case.mutate(spec)
    return write_workspace(tmp_path / "ws", spec)


def shipped_case(tmp_path: Path, case: Case) -> Path:
    root = tmp_path / "ws"
    for folder in ("criteria", "options"):
        shutil.copytree(REPO / folder, root / folder)
    case.mutate(root)
    return root


def test_catalog_is_large_and_named_uniquely() -> None:
    names = [c.name for c in CASES + SHIPPED_CASES]
    assert len(names) == len(set(names)) and len(names) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_workspace(tmp_path: Path, case: Case) -> None:
    root = tiny_case(tmp_path, case)
    for args in COMMANDS:
        check_cli(root, case, *args)
    check_api(root, case)


@pytest.mark.parametrize("case", SHIPPED_CASES, ids=[c.name for c in SHIPPED_CASES])
def test_broken_shipped_case(tmp_path: Path, case: Case) -> None:
    root = shipped_case(tmp_path, case)
    for args in COMMANDS:
        check_cli(root, case, *args)
    check_api(root, case)


def test_each_mutation_alone_is_valid_before_it(tmp_path: Path) -> None:
    """The starting points load: every problem found comes from the mutation."""
    load_workspace(write_workspace(tmp_path / "tiny", tiny_spec()))
    root = tmp_path / "shipped"
    for folder in ("criteria", "options"):
        shutil.copytree(REPO / folder, root / folder)
    load_workspace(root)
