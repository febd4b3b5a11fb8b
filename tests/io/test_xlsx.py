"""Excel export and import: lossless round trips, and errors naming sheet, row and column."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pytest
from workspaces import tiny_spec, write_workspace

from policyeval.cli.xlsx import export_workbook as write_workbook
from policyeval.errors import WorkspaceError
from policyeval.io import load_workspace
from policyeval.io.xlsx import workspace_files
from policyeval.io.xlsx_import import import_workbook
from policyeval.model import Workspace, build_problem
from policyeval.ranking import rank_all
from policyeval.weighting import compute_weights


def comparable(ws: Workspace) -> Workspace:
    """Everything but where the files are and their bytes (a new folder's YAML is laid out
    anew); allocation, countries and every key of the contract must survive."""
    return dataclasses.replace(ws, root=Path("."), files=(), digests=())


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def round_trip(src: Path, tmp_path: Path) -> tuple[Workspace, Workspace, Path]:
    ws = load_workspace(src)
    book = write_workbook(ws, tmp_path / "model.xlsx")
    import_workbook(book, tmp_path / "new")
    return ws, load_workspace(tmp_path / "new"), book


def find_row(sheet, **match: str) -> int:
    """The row number whose columns (by header name) hold ``match``."""
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if all(row[header.index(k)].value == v for k, v in match.items()):
            return row[0].row
    raise AssertionError(f"no row {match}")


def column(sheet, name: str) -> int:
    return [c.value for c in sheet[1]].index(name) + 1


def set_matrix(wb, option: str, criterion: str, value) -> tuple[int, int]:
    """Type a score into the wide matrix as an analyst would; return (row, column)."""
    sheet = wb["matrix"]
    r, c = find_row(sheet, id=option), column(sheet, criterion)
    sheet.cell(r, c, value)
    return r, c


def test_round_trip_of_the_shipped_case_is_lossless(shipped: Path, tmp_path: Path) -> None:
    ws, back, _ = round_trip(shipped, tmp_path)
    assert comparable(back) == comparable(ws)
    # cost_note and group descriptions are not on the model: compare the written documents
    assert workspace_files(back) == workspace_files(ws)
    assert any("cost_note" in data for data in workspace_files(back).values())


def test_round_trip_of_tiny_is_lossless(tiny: Path, tmp_path: Path) -> None:
    ws, back, _ = round_trip(tiny, tmp_path)
    assert comparable(back) == comparable(ws)
    assert back.option("alpha").scores["benefit"].rationale == "r"


def every_profile_spec() -> dict:
    """A two-level value tree and one profile per weighting format (ties, fractions, bounds)."""
    spec = tiny_spec()
    crit = spec["criteria/criteria.yaml"]
    crit["groups"] = [
        {"id": "impact", "name": "Impact", "description": "What it achieves"},
        {"id": "reach_group", "name": "Reach", "parent": "impact"},
    ]
    crit["criteria"][1]["group"] = "reach_group"
    crit["criteria"].append(
        {"id": "speed", "name": "Speed", "group": "reach_group", "scale": [0, 5]}
    )
    crit["criteria"][0]["preference"] = {"type": "linear", "q": 0.5, "p": 2}
    crit["criteria"][2]["preference"] = {"type": "gaussian", "s": 1.5}
    crit["description"] = "A test decision"
    for name in ("status_quo", "alpha", "beta"):
        spec[f"options/{name}.yaml"]["scores"]["speed"] = 3
    spec["options/alpha.yaml"]["cost_note"] = "a guess"
    spec["options/alpha.yaml"]["recommendation"] = "1"
    spec["options/alpha.yaml"]["summary"] = "=not a formula\n(two lines)"
    leaves = ["benefit", "reach", "speed", "cost"]
    spec.update(
        {
            "criteria/weights/even.yaml": {
                "name": "Even",
                "method": "points",
                "points": dict.fromkeys(leaves, 1),
                "bounds": {"benefit": [0.1, 0.5], "cost": [0, 0.4]},
            },
            "criteria/weights/ranked.yaml": {
                "method": "rank",
                "ranking": ["cost", ["speed", "benefit"], "reach"],
                "rank_rule": "rank_sum",
            },
            "criteria/weights/swung.yaml": {
                "method": "swing",
                "swing": {"benefit": 100, "reach": 40, "speed": 0, "cost": 70},
            },
            "criteria/weights/pairs.yaml": {
                "method": "ahp",
                "description": "Hierarchical AHP with a local entry nested in another",
                "pairwise": [["impact", "cost", "1/7"]],
                "local": {
                    "impact": {
                        "method": "ahp",
                        "pairwise": [["benefit", "reach_group", 3]],
                        "local": {
                            "reach_group": {"method": "rank", "ranking": [["reach", "speed"]]}
                        },
                    }
                },
            },
            "criteria/weights/best_worst.yaml": {
                "method": "bwm",
                "best": "benefit",
                "worst": "speed",
                "best_to_others": {"benefit": 1, "reach": 2, "speed": 8, "cost": 4},
                "others_to_worst": {"benefit": 8, "reach": 5, "speed": 1, "cost": "7/3"},
            },
            "criteria/weights/panel.yaml": {
                "method": "group",
                "members": ["even", "pairs"],
                "aggregation": "arithmetic",
            },
            "criteria/weights/spread.yaml": {"method": "entropy"},
            "criteria/weights/contrast.yaml": {"method": "critic"},
        }
    )
    return spec


def test_every_profile_format_round_trips(tmp_path: Path) -> None:
    src = write_workspace(tmp_path / "src", every_profile_spec())
    ws, back, _ = round_trip(src, tmp_path)
    assert len(ws.profiles) == 8
    assert comparable(back) == comparable(ws)
    pairs = back.profiles["pairs"]
    assert pairs.spec["pairwise"][0][2] == 1 / 7  # exact, though the cell holds 16 digits
    nested = pairs.local["impact"].local["reach_group"]
    assert nested.spec["ranking"] == [["reach", "speed"]]
    assert back.profiles["best_worst"].spec["others_to_worst"]["cost"] == 7 / 3
    assert back.option("alpha").summary == "=not a formula\n(two lines)"
    assert back.profiles["even"].bounds == {"benefit": (0.1, 0.5), "cost": (0.0, 0.4)}
    for pid in ws.profiles:
        assert compute_weights(back, pid).weights == compute_weights(ws, pid).weights


def test_reimport_rewrites_nothing_and_yaml_text_is_stable(tmp_path: Path, tiny: Path) -> None:
    _, back, book = round_trip(tiny, tmp_path)
    first = snapshot(tmp_path / "new")
    result = import_workbook(book, tmp_path / "new")
    assert result.written == [] and result.removed == []
    assert snapshot(tmp_path / "new") == first
    again = write_workbook(back, tmp_path / "again.xlsx")
    import_workbook(again, tmp_path / "third")
    assert snapshot(tmp_path / "third") == first


def test_import_into_the_shipped_case_changes_nothing(shipped: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    for folder in ("criteria", "options"):
        shutil.copytree(shipped / folder, copy / folder)
    before = snapshot(copy)
    book = write_workbook(load_workspace(copy), tmp_path / "model.xlsx")
    result = import_workbook(book, copy)
    assert result.written == [] and result.removed == [] and len(result.unchanged) > 20
    assert snapshot(copy) == before  # comments and layout of hand-written files survive


def edit(book: Path, out: Path, change) -> Path:
    wb = openpyxl.load_workbook(book)
    change(wb)
    wb.save(out)
    return out


def test_edited_score_is_written_only_with_force(tiny: Path, tmp_path: Path) -> None:
    book = write_workbook(load_workspace(tiny), tmp_path / "model.xlsx")

    def change(wb) -> None:
        set_matrix(wb, "beta", "benefit", 7.5)

    edited = edit(book, tmp_path / "edited.xlsx", change)
    before = snapshot(tiny)
    with pytest.raises(WorkspaceError, match=r"would change options/beta.yaml; .* --force"):
        import_workbook(edited, tiny)
    assert snapshot(tiny) == before
    result = import_workbook(edited, tiny, force=True)
    assert result.written == ["options/beta.yaml"]
    assert load_workspace(tiny).option("beta").scores["benefit"].value == 7.5
    unchanged = {k: v for k, v in before.items() if k != "options/beta.yaml"}
    assert {k: v for k, v in snapshot(tiny).items() if k in unchanged} == unchanged


def test_deleted_option_row_removes_its_file_with_force(tmp_path: Path) -> None:
    spec = tiny_spec()
    del spec["options/packages.yaml"]
    spec["options/beta.yaml"].pop("requires")
    root = write_workspace(tmp_path / "ws", spec)
    book = write_workbook(load_workspace(root), tmp_path / "model.xlsx")

    def change(wb) -> None:
        for name in ("options", "scores", "matrix"):
            s = wb[name]
            for r in range(s.max_row, 1, -1):
                if s.cell(r, 1).value == "beta":
                    s.delete_rows(r)

    result = import_workbook(edit(book, tmp_path / "e.xlsx", change), root, force=True)
    assert result.removed == ["options/beta.yaml"]
    assert load_workspace(root).option_ids == ["status_quo", "alpha"]


def problems(book: Path, root: Path) -> list[str]:
    before = snapshot(root)
    with pytest.raises(WorkspaceError) as err:
        import_workbook(book, root, force=True)
    assert snapshot(root) == before  # nothing written
    return [str(i) for i in err.value.issues]


def test_bad_cells_are_all_reported_with_sheet_row_and_column(tiny: Path, tmp_path: Path) -> None:
    book = write_workbook(load_workspace(tiny), tmp_path / "model.xlsx")

    def change(wb) -> None:
        s = wb["scores"]
        r = find_row(s, option="alpha", criterion="benefit")
        s.cell(r, column(s, "high"), "very high")
        o = wb["options"]
        o.append(["beta", "Beta again"])
        wb["criteria"].cell(1, 20, "hgih")

    issues = problems(edit(book, tmp_path / "bad.xlsx", change), tiny)
    r = find_row(openpyxl.load_workbook(book)["scores"], option="alpha", criterion="benefit")
    assert (
        f"bad.xlsx: sheet 'scores', row {r}, column D (high): expected a number, got 'very high'"
        in issues
    )
    assert any(
        i.startswith("bad.xlsx: sheet 'options', row 5, column A (id): 'beta' is used twice")
        for i in issues
    )
    assert any("sheet 'criteria', row 1, column T: unknown column 'hgih'" in i for i in issues)
    assert len(issues) == 3


def test_missing_sheet_is_named(tiny: Path, tmp_path: Path) -> None:
    book = write_workbook(load_workspace(tiny), tmp_path / "model.xlsx")

    def change(wb) -> None:
        wb["options"].title = "option"

    issues = problems(edit(book, tmp_path / "bad.xlsx", change), tiny)
    assert len(issues) == 1
    assert "sheet 'options': no sheet 'options'. Did you mean 'option'?" in issues[0]


def test_workspace_errors_point_at_the_cell(tiny: Path, tmp_path: Path) -> None:
    """Problems found by the workspace loader are reported at the workbook cell they come from."""
    book = write_workbook(load_workspace(tiny), tmp_path / "model.xlsx")
    rows = {}

    def change(wb) -> None:
        rows["scale"], _ = set_matrix(wb, "beta", "reach", 12)
        s = wb["scores"]
        rows["crit"] = find_row(s, option="beta", criterion="cost")
        s.cell(rows["crit"], column(s, "criterion"), "costs")
        p = wb["profile_entries"]
        rows["entry"] = find_row(p, profile="even", item="reach")
        p.cell(rows["entry"], column(p, "value"), -1)

    issues = problems(edit(book, tmp_path / "bad.xlsx", change), tiny)
    assert (
        f"bad.xlsx: sheet 'matrix', row {rows['scale']}, column D (reach): 12 is outside the "
        "scale [0, 10]" in "\n".join(issues)
    )
    assert any(
        f"sheet 'scores', row {rows['crit']}, column B (criterion): unknown criterion 'costs'" in i
        for i in issues
    )
    assert any(
        f"sheet 'profile_entries', row {rows['entry']}, column F (value): -1 is below" in i
        for i in issues
    )


def test_methods_sheet_has_ranks_color_scale_and_chart(tiny: Path, tmp_path: Path) -> None:
    ws = load_workspace(tiny)
    multi = rank_all(build_problem(ws), compute_weights(ws)).to_dict()
    book = write_workbook(ws, tmp_path / "model.xlsx", results=True)
    sheet = openpyxl.load_workbook(book)["methods"]
    header = [c.value for c in sheet[2]]
    assert header[:2] == ["option", "title"] and "consensus rank" in header
    for r in range(3, 3 + len(ws.options)):
        oid = sheet.cell(r, 1).value
        for m, rows in multi["methods"].items():
            want = next(x["rank"] for x in rows if x["option"] == oid)
            assert sheet.cell(r, header.index(f"{m} rank") + 1).value == want
    rules = [rule for cf in sheet.conditional_formatting for rule in cf.rules]
    assert [rule.type for rule in rules] == ["colorScale"]
    assert len(sheet._charts) == 1
    # the methods sheet is output only: the workbook still imports
    import_workbook(book, tmp_path / "new")
    assert comparable(load_workspace(tmp_path / "new")) == comparable(ws)
