"""Writes stay inside the workspace or the chosen --out: the one gate, and the writers
that use it (init, elicit, report), with normal file permissions and nothing left behind.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from catalog.test_catalog import problem_lines, snapshot
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

from policyeval.cli.app import app
from policyeval.errors import WorkspaceError
from policyeval.io.writer import write_atomic, write_file
from policyeval.safepath import resolve_write_path

runner = CliRunner()


@pytest.mark.parametrize(
    "rel",
    ["../x.yaml", "a/../../x.yaml", "/etc/x.yaml", "options/../../x", "..", ".", ""],
)
def test_names_leading_out_are_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(WorkspaceError) as info:
        resolve_write_path(tmp_path / "ws", rel)
    assert info.value.issues[0].code in ("path-outside", "bad-file-name")


def test_a_symlink_leading_out_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ws" / "criteria").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "ws" / "criteria" / "weights").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "ws" / "options").symlink_to(tmp_path / "elsewhere" / "x.yaml")
    for rel in ("criteria/weights/p.yaml", "options"):
        with pytest.raises(WorkspaceError, match="outside"):
            write_file(tmp_path / "ws", rel, "x")
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_name_too_long_or_with_nul_is_an_input_error(tmp_path: Path) -> None:
    for rel in ("a" * 300 + ".yaml", "a\0b"):
        with pytest.raises(WorkspaceError) as info:
            resolve_write_path(tmp_path, rel)
        assert info.value.issues[0].code == "bad-file-name"


def test_a_plain_name_and_a_symlinked_base_are_fine(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    target = write_file(tmp_path / "link", "sub/a.md", "x")
    assert target == (tmp_path / "real" / "sub" / "a.md") and target.read_text() == "x"


def test_new_and_replaced_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "a.yaml", "one")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        write_atomic(path, "two")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644 and path.read_text() == "two"
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_exclusive_writes_never_replace(tmp_path: Path) -> None:
    path = write_atomic(tmp_path / "a.yaml", "one", exclusive=True)
    with pytest.raises(FileExistsError):
        write_atomic(path, "two", exclusive=True)
    assert path.read_text() == "one" and [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_init_files_are_readable_by_others(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path / "ws")]).exit_code == 0
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "ws").rglob("*.yaml")}
    assert modes == {0o666 & ~_umask()}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- elicit ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, phrase",
    [
        ("a" * 300, "limit id_length"),
        ("nl\n", "not a valid profile id"),
        ("../../evil", "not a valid profile id"),
    ],
    ids=["300 characters", "newline", "traversal"],
)
def test_elicit_refuses_names_that_are_not_ids(tmp_path: Path, name: str, phrase: str) -> None:
    root = write_workspace(tmp_path / "ws", tiny_spec())
    before = snapshot(tmp_path)
    result = runner.invoke(app, ["elicit", "-m", "rank", "-n", name, "-w", str(root)], input="")
    assert result.exit_code == 2, result.output
    [line] = problem_lines(result.stderr)
    assert line.startswith("--name: ") and phrase in line
    assert snapshot(tmp_path) == before


def test_elicit_refuses_a_weights_folder_linked_elsewhere(tmp_path: Path) -> None:
    spec = tiny_spec()
    root = write_workspace(tmp_path / "ws", spec)
    (tmp_path / "elsewhere").mkdir()
    (root / "criteria" / "weights").rename(tmp_path / "elsewhere" / "weights")
    (root / "criteria" / "weights").symlink_to(tmp_path / "elsewhere" / "weights")
    result = runner.invoke(
        app, ["elicit", "-m", "rank", "-n", "fresh", "-w", str(root)], input="1\n2\n3\n"
    )
    assert result.exit_code == 2 and "outside" in result.stderr
    assert not (tmp_path / "elsewhere" / "weights" / "fresh.yaml").exists()


# --- report ----------------------------------------------------------------------------


def test_report_on_an_invalid_workspace_creates_no_out_folder(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec["options/alpha.yaml"]["scores"]["benefit"] = 99
    root = write_workspace(tmp_path / "ws", spec)
    for out in (tmp_path / "out" / "deeper", None):
        args = ["report", "-w", str(root)] + (["--out", str(out)] if out else [])
        assert runner.invoke(app, args).exit_code == 2
    assert not (tmp_path / "out").exists() and not (root / "reports").exists()


def test_report_refuses_an_out_under_a_file(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", tiny_spec())
    (tmp_path / "file").write_text("x")
    result = runner.invoke(app, ["report", "-w", str(root), "--out", str(tmp_path / "file/x")])
    assert result.exit_code == 2 and "--out" in result.stderr


def test_report_files_linked_out_of_out_are_refused(tmp_path: Path) -> None:
    """A symlink planted in --out (memo_files -> elsewhere) is not written through."""
    root = write_workspace(tmp_path / "ws", tiny_spec())
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "full_files").symlink_to(elsewhere)
    result = runner.invoke(
        app, ["report", "-w", str(root), "-t", "full", "--out", str(out), "--date", "2026-01-02"]
    )
    assert result.exit_code == 2 and "outside" in result.stderr
    assert list(elsewhere.iterdir()) == [] and not (out / "full.md").exists()


def test_report_files_are_readable_by_others(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", tiny_spec())
    out = tmp_path / "out"
    args = ["report", "-w", str(root), "--out", str(out), "-f", "md,html", "--samples", "64"]
    assert runner.invoke(app, args).exit_code == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files and {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o666 & ~_umask()}
    assert not [p for p in out.rglob(".*")]
