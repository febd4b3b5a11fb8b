"""export-xlsx and import-xlsx from the command line: the briefing round trip and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from policyeval.cli.app import app
from policyeval.io import load_workspace
from policyeval.model import build_problem
from policyeval.ranking import rank_problem
from policyeval.weighting import compute_weights

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def set_score(book: Path, option: str, criterion: str, value: float) -> int:
    """Edit one score in the workbook's matrix as a user would; return its row."""
    wb = openpyxl.load_workbook(book)
    sheet = wb["matrix"]
    col = [c.value for c in sheet[1]].index(criterion)
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == option:
            row[col].value = value
            wb.save(book)
            return row[0].row
    raise AssertionError("score row not found")


def test_export_edit_import_rank(tiny: Path, tmp_path: Path) -> None:
    book = tmp_path / "model.xlsx"
    result = run("export-xlsx", "-w", tiny, book)
    assert result.exit_code == 0, result.output
    before = json.loads(run("rank", "-w", tiny, "-f", "json").stdout)
    set_score(book, "beta", "benefit", 10)
    refused = run("import-xlsx", book, "-w", tiny)
    assert refused.exit_code == 2
    assert "would change options/beta.yaml" in refused.stderr and "--force" in refused.stderr
    result = run("import-xlsx", book, "-w", tiny, "--force")
    assert result.exit_code == 0, result.output
    assert "wrote   options/beta.yaml" in result.stdout
    after = json.loads(run("rank", "-w", tiny, "-f", "json").stdout)
    ws = load_workspace(tiny)
    assert ws.option("beta").scores["benefit"].value == 10
    expected = rank_problem(build_problem(ws), compute_weights(ws)).to_dict()
    assert after["ranking"] == json.loads(json.dumps(expected["ranking"]))
    scores = {r["option"]: r["score"] for r in after["ranking"]}
    assert scores["beta"] > {r["option"]: r["score"] for r in before["ranking"]}["beta"]


def test_import_into_a_new_folder_needs_no_force(tiny: Path, tmp_path: Path) -> None:
    book = tmp_path / "model.xlsx"
    assert run("export-xlsx", "-w", tiny, book).exit_code == 0
    result = run("import-xlsx", book, "-w", tmp_path / "copy")
    assert result.exit_code == 0, result.output
    assert run("validate", "-w", tmp_path / "copy").stdout.startswith("ok: Tiny decision")
    again = run("import-xlsx", book, "-w", tmp_path / "copy")
    assert again.exit_code == 0 and "nothing to do" in again.stdout


def break_cell(wb: openpyxl.Workbook) -> str:
    sheet = wb["matrix"]
    sheet["C5"] = "plenty"
    return "model.xlsx: sheet 'matrix', row 5, column C (benefit): expected a number, got 'plenty'"


def drop_sheet(wb: openpyxl.Workbook) -> str:
    del wb["options"]
    return "model.xlsx: sheet 'options': no sheet 'options'."


def duplicate_option(wb: openpyxl.Workbook) -> str:
    wb["options"].append(["alpha", "Alpha again"])
    return "model.xlsx: sheet 'options', row 5, column A (id): 'alpha' is used twice (also row 3)"


@pytest.mark.parametrize("damage", [break_cell, drop_sheet, duplicate_option])
def test_broken_workbook_exits_2_naming_the_place_and_leaves_the_workspace(
    tiny: Path, tmp_path: Path, damage
) -> None:
    book = tmp_path / "model.xlsx"
    assert run("export-xlsx", "-w", tiny, book).exit_code == 0
    wb = openpyxl.load_workbook(book)
    expected = damage(wb)
    wb.save(book)
    before = snapshot(tiny)
    result = run("import-xlsx", book, "-w", tiny, "--force")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(tiny) == before


def test_export_with_results(tiny: Path, tmp_path: Path) -> None:
    book = tmp_path / "model.xlsx"
    result = run("export-xlsx", "-w", tiny, book, "--results", "--profile", "even")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[-1] == "methods"
    assert "profile 'even'" in wb["methods"]["A1"].value


def test_export_usage_errors(tiny: Path, tmp_path: Path) -> None:
    result = run("export-xlsx", "-w", tiny, tmp_path / "model.xlsx", "--profile", "even")
    assert result.exit_code == 2 and "add --results" in result.stderr
    result = run("export-xlsx", "-w", tiny, tmp_path / "model.csv")
    assert result.exit_code == 2 and ".xlsx" in result.stderr
    result = run("import-xlsx", tmp_path / "missing.xlsx", "-w", tiny)
    assert result.exit_code == 2 and "no such file" in result.stderr
    (tmp_path / "junk.xlsx").write_text("not a workbook")
    result = run("import-xlsx", tmp_path / "junk.xlsx", "-w", tiny)
    assert result.exit_code == 2 and "cannot read the workbook" in result.stderr
