"""CBC's model and solution files live in a private folder that is removed (R5)."""

from __future__ import annotations

import stat
import tempfile
from pathlib import Path

import pytest

from policyeval import lp


def test_cbc_files_are_private_and_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen: list[tuple[int, list[str]]] = []
    solver = lp.make_solver("cbc")
    actual = solver.actualSolve

    def spy(prob, **kwargs):  # type: ignore[no-untyped-def]
        folder = Path(solver.tmpDir)
        result = actual(prob, **kwargs)
        seen.append((stat.S_IMODE(folder.stat().st_mode), [str(folder.parent)]))
        return result

    monkeypatch.setattr(solver, "actualSolve", spy)
    prob = lp.new_problem("p")
    x = lp.add_var(prob, "x", 0, 1, binary=True)
    prob += 2 * x
    prob += x <= 1, "cap"
    assert lp.status(prob, solver) == "Optimal"
    assert seen == [(0o700, [str(tmp_path)])]
    assert list(tmp_path.iterdir()) == []


def test_the_private_folder_goes_even_when_the_solve_is_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    solver = lp.make_solver("cbc")

    def interrupted(prob, **kwargs):  # type: ignore[no-untyped-def]
        (Path(solver.tmpDir) / "model-pulp.mps").write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(solver, "actualSolve", interrupted)
    prob = lp.new_problem("p")
    prob += lp.add_var(prob, "x", 0, 1)
    with pytest.raises(KeyboardInterrupt):
        lp.status(prob, solver)
    assert list(tmp_path.iterdir()) == []
