"""The exported workbook as a model (recalculated in LibreOffice), and import's containment:
lossless and line-preserving round trips, refused traversal, bounded input, one round of
problems, crash safety and a lock against concurrent imports."""

from __future__ import annotations

import difflib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_xlsx import comparable, edit, find_row, set_matrix, snapshot

from policyeval.cli.xlsx import export_workbook as write_workbook
from policyeval.errors import WorkspaceError
from policyeval.io import load_workspace
from policyeval.io.xlsx import _rows, extra_rows, tables_to_files
from policyeval.io.xlsx_import import STAGE_PREFIX, Limits, _locked, edited_yaml, import_workbook
from policyeval.model import build_problem
from policyeval.ranking import rank_problem
from policyeval.weighting import compute_weights

SRC = Path(__file__).resolve().parents[2] / "src"


def copy_of(src: Path, dst: Path) -> Path:
    for folder in ("criteria", "options"):
        shutil.copytree(src / folder, dst / folder)
    return dst


def recalculated(book: Path, out: Path) -> openpyxl.Workbook:
    """The workbook after LibreOffice (headless) opened, recalculated and saved it."""
    assert shutil.which("soffice"), "LibreOffice is needed: scripts/sysdeps.sh test installs it"
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{out}/profile"]
        + ["--convert-to", "xlsx", "--outdir", str(out / "calc"), str(book)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return openpyxl.load_workbook(out / "calc" / book.name, data_only=True)


def test_libreoffice_reranks_as_policyeval_when_a_weight_changes(
    shipped: Path, tmp_path: Path
) -> None:
    ws = load_workspace(shipped)
    book = write_workbook(ws, tmp_path / "model.xlsx")
    active = dict(compute_weights(ws).weights)
    active["fiscal_cost"] = 0.6  # cost dominates: the ranking changes

    def change(wb) -> None:
        sheet = wb["weights"]
        row = find_row(sheet, criterion="fiscal_cost")
        sheet.cell(row, [c.value for c in sheet[1]].index("active weights") + 1, 0.6)

    edited = edit(book, tmp_path / "edited.xlsx", change)
    results = recalculated(edited, tmp_path)["results"]
    got = {
        row[0]: (row[2], row[3])
        for row in results.iter_rows(min_row=8, max_col=4, values_only=True)
        if row[0]
    }
    want = rank_problem(build_problem(ws), active).to_dict()["ranking"]
    before = rank_problem(build_problem(ws), compute_weights(ws)).to_dict()["ranking"]
    assert [r["option"] for r in want] != [r["option"] for r in before]  # a real re-ranking
    assert {r["option"]: r["rank"] for r in want} == {o: rank for o, (_, rank) in got.items()}
    for r in want:
        assert got[r["option"]][0] == pytest.approx(r["score"], abs=1e-12)


def test_matrix_weights_and_print_setup(shipped: Path, tmp_path: Path) -> None:
    ws = load_workspace(shipped)
    wb = openpyxl.load_workbook(write_workbook(ws, tmp_path / "model.xlsx"))
    matrix = wb["matrix"]
    assert [c.value for c in matrix[1]] == ["id", "title", *ws.criterion_ids]
    assert matrix.cell(4, 1).value == ws.options[0].id
    rules = {str(dv.sqref).split(":")[0]: dv for dv in matrix.data_validations.dataValidation}
    c3 = rules["C4"]  # recruitment_migrants, scale [0, 10]
    assert (c3.type, c3.operator, float(c3.formula1), float(c3.formula2)) == (
        "decimal", "between", 0.0, 10.0,
    )  # fmt: skip
    assert matrix.cell(4, 3).number_format != "General"
    lists = {
        (name, str(dv.sqref)[0]): dv.formula1
        for name in ("criteria", "options", "profiles")
        for dv in wb[name].data_validations.dataValidation
        if dv.type == "list"
    }
    assert lists["criteria", "D"] == '"max,min"'
    assert lists["options", "C"] == '"measure,baseline"'
    assert lists["options", "D"] == '"a,b,c,d"'  # recommendation
    weights = wb["weights"]
    header = [c.value for c in weights[1]]
    assert header[2:] == [*ws.profiles, "active weights"]
    assert weights.cell(2, 3).number_format == "0.0%"
    results = wb["results"]
    assert results.cell(8, 3).value.startswith("=SUMPRODUCT(")
    assert results.cell(8, 4).value.startswith("=RANK(")
    for sheet in wb.worksheets:
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert matrix.page_setup.orientation == "landscape"
    assert matrix.print_title_rows == "$1:$3"
    assert wb["allocation"].max_row > 10 and wb["countries"]["A1"].value == "country"


def test_round_trip_keeps_allocation_countries_and_the_default_budget(
    shipped: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from policyeval.cli.app import app

    ws = load_workspace(shipped)
    book = write_workbook(ws, tmp_path / "model.xlsx")
    import_workbook(book, tmp_path / "new")
    back = load_workspace(tmp_path / "new")
    assert comparable(back) == comparable(ws)
    for rel in ("options/allocation.yaml", "criteria/countries.csv"):
        assert (tmp_path / "new" / rel).read_bytes() == (shipped / rel).read_bytes()
    runner = CliRunner()
    for cmd in ("optimize", "allocate"):
        old = runner.invoke(app, [cmd, "-w", str(shipped), "-f", "json"])
        new = runner.invoke(app, [cmd, "-w", str(tmp_path / "new"), "-f", "json"])
        assert new.exit_code == 0, new.output
        assert new.stdout == old.stdout  # same budget (150), same answer


def test_one_changed_score_changes_one_line(shipped: Path, tmp_path: Path) -> None:
    root = copy_of(shipped, tmp_path / "ws")
    before = snapshot(root)
    book = write_workbook(load_workspace(root), tmp_path / "model.xlsx")
    edited = edit(
        book,
        tmp_path / "e.xlsx",
        lambda wb: set_matrix(wb, "a1_root_cause_monitoring", "root_causes", 6.5),
    )
    result = import_workbook(edited, root, force=True)
    assert result.written == ["options/a1_root_cause_monitoring.yaml"]
    after = snapshot(root)
    rel = "options/a1_root_cause_monitoring.yaml"
    diff = [
        line
        for line in difflib.unified_diff(
            before[rel].decode().splitlines(), after[rel].decode().splitlines(), n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert diff == ["-    value: 5", "+    value: 6.5"]
    assert {k: v for k, v in after.items() if k != rel} == {
        k: v for k, v in before.items() if k != rel
    }


def test_edits_keep_comments_and_keys_no_sheet_models() -> None:
    old = (
        "# a comment\nid: a\ntitle: A   # kept\nbasis: 'a study, 2020'\nscores:\n"
        "  x: {value: 1, low: 0, high: 2}\n  y: 3\n"
    )
    new = {"id": "a", "title": "A", "scores": {"x": {"value": 1, "low": 0, "high": 2}, "y": 4}}
    assert edited_yaml("options/a.yaml", old, new) == old.replace("y: 3", "y: 4")
    # into a new folder, the 'extra' sheet carries such keys
    rows = extra_rows(
        "criteria/criteria.yaml",
        {
            "title": "T",
            "source": {"title": "P", "authors": ["H"], "year": 2021},
            "criteria": [{"id": "c", "name": "C", "role": "cost"}],
        },
    )
    assert rows == [
        ["criteria/criteria.yaml", "source", "{authors: [H], title: P, year: 2021}"],
        ["criteria/criteria.yaml", "criteria.c.role", "cost"],
    ]
    tables = {
        "criteria": [["c", "C"]],
        "options": [],
        "profiles": [],
        "extra": rows,
    }
    header = {"criteria": ["id", "name"], "options": ["id"], "profiles": ["profile"]}
    header["extra"] = ["file", "entry", "value"]
    issues: list = []
    files, _ = tables_to_files(
        _rows({k: (header[k], v) for k, v in tables.items()}), "b.xlsx", issues, header
    )
    assert issues == []
    crit = files["criteria/criteria.yaml"]
    assert crit["source"] == {"title": "P", "authors": ["H"], "year": 2021}
    assert crit["criteria"][0]["role"] == "cost"


def tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


@pytest.mark.parametrize(
    ("sheet", "bad_id"),
    [
        ("options", "../../victim/config"),
        ("options", "../../../../tmp/x/PWNED_during_validation"),
        ("options", "/tmp/absolute"),
        ("options", "two words"),
        ("options", "a" * 300),
        ("profiles", "../../victim/config"),
    ],
)
def test_traversal_ids_are_refused_with_nothing_written(
    tiny: Path, tmp_path: Path, sheet: str, bad_id: str
) -> None:
    book = write_workbook(load_workspace(tiny), tmp_path / "model.xlsx")

    def change(wb) -> None:
        if sheet == "options":
            wb["options"].append([bad_id, "pwned", "measure", None, 1])
        else:
            wb["profiles"].append([bad_id, None, "pwned", "points"])
        wb["scores"]["C3"] = "plenty"  # and a second problem, reported with it

    edited = edit(book, tmp_path / "bad.xlsx", change)
    watched = tmp_path.parent
    before, files = tree(watched), snapshot(tiny)
    with pytest.raises(WorkspaceError) as err:
        import_workbook(edited, tiny, force=True)
    assert tree(watched) == before and snapshot(tiny) == files
    messages = [str(i) for i in err.value.issues]
    col = "A (id)" if sheet == "options" else "A (profile)"
    assert any(f"sheet '{sheet}', row" in m and col in m for m in messages), messages
    assert any("column C (low): expected a number, got 'plenty'" in m for m in messages)
    assert not any(STAGE_PREFIX in m or str(tiny) in m for m in messages)  # no temporary path


def big_workbook(book: Path, out: Path, rows: int) -> Path:
    """``book`` with its 'options' sheet replaced by ``rows`` rows (written as XML)."""
    wb = openpyxl.load_workbook(book)
    index = wb.sheetnames.index("options") + 1
    part = f"xl/worksheets/sheet{index}.xml"
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>o{n}</t></is></c></row>'
        for n in range(2, rows + 2)
    )
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
        f"{body}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, xml if item.filename == part else src.read(item.filename))
    return out


def test_a_million_rows_are_refused_quickly_naming_the_limit(tiny: Path, tmp_path: Path) -> None:
    book = write_workbook(load_workspace(tiny), tmp_path / "model.xlsx")
    big = big_workbook(book, tmp_path / "big.xlsx", 1_000_000)
    before = snapshot(tiny)
    start = time.perf_counter()
    with pytest.raises(WorkspaceError) as err:
        import_workbook(big, tiny, force=True)
    elapsed = time.perf_counter() - start
    assert elapsed < 10  # 0.2 s here: rows are counted as the sheet unpacks
    assert snapshot(tiny) == before
    assert [i.code for i in err.value.issues] == ["too-large"]
    assert "more than 100,000 rows, the limit (--max-rows)" in str(err.value)
    with pytest.raises(WorkspaceError, match=r"the limit is 1,000 \(--max-bytes\)"):
        import_workbook(book, tiny, limits=Limits(max_bytes=1_000))


def test_every_problem_is_reported_in_one_round(tiny: Path, tmp_path: Path) -> None:
    book = write_workbook(load_workspace(tiny), tmp_path / "model.xlsx")
    cells = {}

    def change(wb) -> None:
        cells["text"] = set_matrix(wb, "alpha", "benefit", "lots")  # a cell problem
        cells["scale"] = set_matrix(wb, "beta", "reach", 12)  # found by the loader
        wb["options"].append(["Bad Id", "x"])  # an id problem
        wb["options"].cell(find_row(wb["options"], id="beta"), 5, -3)  # cost < 0: loader

    edited = edit(book, tmp_path / "bad.xlsx", change)
    before = snapshot(tiny)
    with pytest.raises(WorkspaceError) as err:
        import_workbook(edited, tiny, force=True)
    assert snapshot(tiny) == before
    text = str(err.value)
    assert f"sheet 'matrix', row {cells['text'][0]}, column C (benefit): expected a number" in text
    assert f"sheet 'matrix', row {cells['scale'][0]}, column D (reach): 12 is outside" in text
    assert "'Bad Id' is not an id" in text
    assert "column E (cost)" in text
    assert len(err.value.issues) == 4, text


def test_a_second_import_at_the_same_time_exits_2(tiny: Path, tmp_path: Path) -> None:
    book = write_workbook(load_workspace(tiny), tmp_path / "model.xlsx")
    edited = edit(book, tmp_path / "e.xlsx", lambda wb: set_matrix(wb, "beta", "benefit", 9))
    before = snapshot(tiny)
    with _locked(tiny, "held"):
        with pytest.raises(WorkspaceError, match="another import-xlsx is writing"):
            import_workbook(edited, tiny, force=True)
    assert snapshot(tiny) == before
    assert import_workbook(edited, tiny, force=True).written == ["options/beta.yaml"]


IMPORT = (
    "import sys; from policyeval.io.xlsx_import import import_workbook; "
    "import_workbook(sys.argv[1], sys.argv[2], force=True)"
)


def test_killed_imports_leave_the_workspace_old_or_new(shipped: Path, tmp_path: Path) -> None:
    """30 SIGKILLs at random moments of imports that change every file of both folders."""
    root = copy_of(shipped, tmp_path / "ws")
    old = comparable(load_workspace(root))
    book = write_workbook(load_workspace(root), tmp_path / "old.xlsx")

    def change_all(wb) -> None:
        criteria = wb["criteria"]
        criteria.cell(2, 2, "Renamed criterion")
        scores = wb["scores"]
        col = [c.value for c in scores[1]].index("rationale") + 1
        for r in range(2, scores.max_row + 1):
            scores.cell(r, col, f"new rationale {r}")

    new_book = edit(book, tmp_path / "new.xlsx", change_all)
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def run(workbook: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", IMPORT, str(workbook), str(root)],
            env=env,
            stderr=subprocess.DEVNULL,
        )

    start = time.perf_counter()
    assert run(new_book).wait() == 0
    span = time.perf_counter() - start
    new = comparable(load_workspace(root))
    assert new != old
    rng = random.Random(14)
    outcomes = set()
    for k in range(30):
        proc = run(book if k % 2 == 0 else new_book)
        time.sleep(rng.uniform(0.3 * span, 1.5 * span))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = comparable(load_workspace(root))  # loads: never a mix
        assert state in (old, new)
        outcomes.add(state == new)
    assert outcomes == {True, False}  # kills fell before and after the swap
    import_workbook(book, root, force=True)  # the next import clears what a kill left
    assert comparable(load_workspace(root)) == old
    assert not list(root.glob(".policyeval-*"))
    assert not list(root.rglob("*.tmp"))


def test_reimport_into_the_init_example_changes_nothing(tmp_path: Path) -> None:
    """Its files hold empty lists with comments under them (``requires: []``)."""
    from typer.testing import CliRunner

    from policyeval.cli.app import app

    assert CliRunner().invoke(app, ["init", str(tmp_path / "ws")]).exit_code == 0
    root = tmp_path / "ws"
    before = snapshot(root)
    book = write_workbook(load_workspace(root), tmp_path / "model.xlsx")
    result = import_workbook(book, root)
    assert result.written == [] and result.removed == []
    assert snapshot(root) == before
