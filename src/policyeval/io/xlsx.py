"""Excel workbooks of a workspace: export, and import with errors naming sheet, row and column.

A workbook holds one sheet per kind of entry, each a plain table with a header row:

========================  ==================================================================
sheet                     one row per
========================  ==================================================================
``workspace``             setting of criteria.yaml (key, value): title, default_profile...
``groups``                group of the value tree
``criteria``              criterion; ``scale_low``/``scale_high``; preference type, q, p, s
``options``               option; ``requires``/``excludes`` as comma-separated ids
``scores``                (option, criterion) score with its range, rationale and source
``profiles``              profile node: ``node`` blank for the profile itself, or the path of
                          a group given local weights (``effectiveness/prevention`` for a
                          local entry nested in another)
``profile_entries``       weight entry of a node: points/swing (item, value), ranking
                          (item, position; equal positions = tie), pairwise (item, versus,
                          k), best_to_others/others_to_worst (item, value)
``bounds``                SMAA bound of a profile on a criterion (low, high)
``packages``              package; ``options`` as comma-separated ids
``synergies``             synergy; one column per criterion holds its adjustment
========================  ==================================================================

``README`` and ``results`` (written with ``results=``) are ignored on import, as is any
other extra sheet. Import writes the workspace's YAML files only after the result has been
validated by :func:`policyeval.io.load_workspace` in a temporary copy; every problem names
the sheet, the row and the column. Numbers keep 16 significant digits (what openpyxl
writes); AHP and BWM ratios that are 16 digits of a fraction a/b (b <= 9) come back exactly.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from policyeval.errors import Issue, WorkspaceError, did_you_mean, fail_if
from policyeval.io.checks import parse_number
from policyeval.io.safe_yaml import read_yaml
from policyeval.io.workspace import NOT_OPTIONS, load_workspace
from policyeval.io.writer import write_yaml
from policyeval.model.workspace import WeightProfile, Workspace

SHEETS: dict[str, tuple[str, ...]] = {
    "workspace": ("key", "value"),
    "groups": ("id", "name", "parent", "description"),
    "criteria": (
        "id", "name", "group", "direction", "scale_low", "scale_high", "combine", "unit",
        "preference", "q", "p", "s", "description", "source",
    ),
    "options": (
        "id", "title", "kind", "recommendation", "cost", "cost_note", "requires", "excludes",
        "summary", "source",
    ),
    "scores": ("option", "criterion", "value", "low", "high", "rationale", "source"),
    "profiles": (
        "profile", "node", "name", "method", "rank_rule", "aggregation", "best", "worst",
        "members", "description",
    ),
    "profile_entries": ("profile", "node", "entry", "item", "versus", "value"),
    "bounds": ("profile", "criterion", "low", "high"),
    "packages": ("id", "title", "options", "summary"),
    "synergies": ("options", "rationale", "source"),
}  # fmt: skip
REQUIRED_SHEETS = ("criteria", "options", "scores", "profiles")
WORKSPACE_KEYS = ("title", "default_profile", "description", "unit")
ENTRIES = ("points", "swing", "ranking", "pairwise", "best_to_others", "others_to_worst")
RATIOS = ("pairwise", "best_to_others", "others_to_worst")

README = """\
This workbook is a policyeval workspace. Edit it, then read it back with
    policyeval import-xlsx THIS_FILE -w WORKSPACE [--force]
Import checks every cell first and changes nothing when something is wrong; each problem names
the sheet, the row and the column. Only the files whose content changed are rewritten.

Sheets (row 1 is the header; keep the column names, their order is free; blank rows are skipped):
  workspace        key/value settings of criteria/criteria.yaml: title, default_profile, ...
  groups           the value tree: id, name, parent group
  criteria         one row per criterion; scale_low/scale_high = the measurement scale (both or
                   neither); preference = PROMETHEE type (usual, linear, vshape, level, gaussian)
                   with its thresholds q, p, s
  options          one row per option; kind = measure or baseline; requires/excludes = option ids
                   separated by commas
  scores           one row per option and criterion: value, and optionally low/high (range),
                   rationale and source; every option scores every criterion
  profiles         one row per weight profile (node blank) and one per group given local weights
                   inside it (node = group id; a/b for a local entry nested inside group a's)
  profile_entries  the judgements of each profile node, by entry:
                     points, swing         item, value
                     ranking               item, value = position (1 = most important; equal
                                           positions are a tie)
                     pairwise (AHP)        item is 'value' times as important as versus (1/9..9)
                     best_to_others,
                     others_to_worst (BWM) item, value (1..9)
  bounds           SMAA weight bounds of a profile: criterion, low, high (0..1)
  packages         bundles of options: id, title, options (comma separated), summary
  synergies        options (comma separated) and the score adjustment in each criterion's column
Sheets README and results are not read back; numbers keep 16 significant digits."""


@dataclass(frozen=True, slots=True)
class Row:
    """One non-blank row of a sheet, with where each column sits."""

    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str]

    def where(self, column: str | None = None) -> str:
        """``"sheet 'scores', row 7, column E (high)"`` (the column only when given)."""
        text = f"sheet '{self.sheet}', row {self.number}"
        if column is not None and column in self.letters:
            text += f", column {self.letters[column]} ({column})"
        return text


@dataclass(slots=True)
class ImportResult:
    """What :func:`import_workbook` did: files written (new or changed) and removed."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- model -> tables


def workspace_tables(ws: Workspace) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The workbook's sheets as ``{sheet: (header, rows)}`` for a loaded workspace."""
    cost_notes, group_notes = _raw_extras(ws)
    head = {"title": ws.title, "default_profile": ws.default_profile, **ws.extra}
    t: dict[str, list[list[Any]]] = {name: [] for name in SHEETS}
    t["workspace"] = [[k, head[k]] for k in WORKSPACE_KEYS if head.get(k) is not None]
    t["groups"] = [[g.id, g.name, g.parent, group_notes.get(g.id)] for g in ws.groups]
    for c in ws.criteria:
        pref = c.preference
        lo, hi = c.scale or (None, None)
        t["criteria"].append(
            [c.id, c.name, c.group, c.direction, lo, hi, c.combine, c.unit, pref["type"]]
            + [pref.get(k) for k in ("q", "p", "s")]
            + [c.description, c.source]
        )
    for o in ws.options:
        t["options"].append(
            [o.id, o.title, o.kind, o.recommendation, o.cost, cost_notes.get(o.id)]
            + [", ".join(o.requires), ", ".join(o.excludes), o.summary, o.source]
        )
        for cid, s in o.scores.items():
            t["scores"].append([o.id, cid, s.value, s.low, s.high, s.rationale, s.source])
    for pid, prof in ws.profiles.items():
        _profile_rows(prof, "", t, root=True)
        t["bounds"] += [[pid, cid, lo, hi] for cid, (lo, hi) in prof.bounds.items()]
    t["packages"] = [[p.id, p.title, ", ".join(p.options), p.summary] for p in ws.packages]
    crit = ws.criterion_ids
    for s in ws.synergies:
        t["synergies"].append(
            [", ".join(s.options), s.rationale, s.source] + [s.adjust.get(c) for c in crit]
        )
    header = {name: list(cols) for name, cols in SHEETS.items()}
    header["synergies"] += crit
    return {name: (header[name], t[name]) for name in SHEETS}


def _profile_rows(prof: WeightProfile, node: str, t: dict[str, list], root: bool) -> None:
    spec, pid = prof.spec, prof.id
    t["profiles"].append(
        [pid, node or None, prof.name if root else None, prof.method]
        + [spec.get(k) for k in ("rank_rule", "aggregation", "best", "worst")]
        + [", ".join(spec["members"]) if "members" in spec else None]
        + [prof.description if root else None]
    )
    entries = t["profile_entries"]
    for key in ("points", "swing", "best_to_others", "others_to_worst"):
        entries += [
            [pid, node or None, key, item, None, v] for item, v in spec.get(key, {}).items()
        ]
    for pos, level in enumerate(spec.get("ranking", []), start=1):
        entries += [[pid, node or None, "ranking", item, None, pos] for item in level]
    entries += [[pid, node or None, "pairwise", a, b, k] for a, b, k in spec.get("pairwise", [])]
    for gid, sub in prof.local.items():
        _profile_rows(sub, f"{node}/{gid}" if node else gid, t, root=False)


def _raw_extras(ws: Workspace) -> tuple[dict[str, str], dict[str, str]]:
    """``cost_note`` of options and ``description`` of groups, which the model does not keep."""
    notes = {}
    for o in ws.options:
        data, _ = read_yaml(ws.root / "options" / f"{o.id}.yaml", "")
        if isinstance(data, dict) and data.get("cost_note") is not None:
            notes[o.id] = str(data["cost_note"])
    data, _ = read_yaml(ws.root / "criteria" / "criteria.yaml", "")
    groups = data.get("groups") if isinstance(data, dict) else None
    described = {
        g["id"]: str(g["description"])
        for g in groups or []
        if isinstance(g, dict) and g.get("description") is not None
    }
    return notes, described


def _rows(tables: dict[str, tuple[list[str], list[list[Any]]]]) -> dict[str, list[Row]]:
    """Tables as the rows a workbook written from them would give."""
    from openpyxl.utils import get_column_letter

    out = {}
    for name, (header, rows) in tables.items():
        letters = {col: get_column_letter(i) for i, col in enumerate(header, start=1)}
        out[name] = [
            Row(name, n, dict(zip(header, values)), letters) for n, values in enumerate(rows, 2)
        ]
    return out


# ---------------------------------------------------------------- workbook writing


def write_workbook(ws: Workspace, path: Path, results: dict[str, Any] | None = None) -> Path:
    """Write the workspace (and optionally rankings) to an .xlsx file, atomically.

    Parameters
    ----------
    ws : Workspace
        A loaded workspace.
    path : Path
        The .xlsx file to write.
    results : dict, optional
        ``MultiRanking.to_dict()`` (``rank --method all`` JSON shape): adds a ``results``
        sheet with ranks by method on a color scale and a bar chart of the wsm scores.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from policyeval.io.writer import write_atomic

    book = Workbook()
    readme = book.active
    readme.title = "README"
    for line in README.splitlines():
        readme.append([line])
    readme.column_dimensions["A"].width = 100
    readme["A1"].font = Font(bold=True)
    for name, (header, rows) in workspace_tables(ws).items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for values in rows:
            sheet.append([_cell(v) for v in values])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text starting with '=' stays text
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for col in sheet.columns:
            longest = max(len(str(c.value)) if c.value is not None else 0 for c in col)
            sheet.column_dimensions[col[0].column_letter].width = min(max(longest + 2, 8), 60)
            for c in col[1:]:
                c.alignment = Alignment(vertical="top", wrap_text=longest > 60)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    if results is not None:
        _results_sheet(book, ws, results)
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(Path(path), buffer.getvalue())


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if value == "" else value


def _results_sheet(book: Any, ws: Workspace, results: dict[str, Any]) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Font

    sheet = book.create_sheet("results")
    methods = list(results["methods"])
    ranks = {m: {r["option"]: r for r in rows} for m, rows in results["methods"].items()}
    titles = {o.id: o.title for o in ws.options}
    sheet.append([f"Ranks by method, profile '{results['profile']}' (1 = best)"])
    sheet["A1"].font = Font(bold=True)
    header = ["option", "title", *(f"{m} rank" for m in methods), "consensus rank"]
    header += [f"{m} score" for m in methods]
    sheet.append(header)
    for r in results["consensus"]:
        oid = r["option"]
        sheet.append(
            [oid, titles.get(oid, oid)]
            + [ranks[m][oid]["rank"] for m in methods]
            + [r["rank"]]
            + [ranks[m][oid]["score"] for m in methods]
        )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    last, last_rank = sheet.max_row, 3 + len(methods)
    sheet.conditional_formatting.add(
        f"C3:{sheet.cell(last, last_rank).coordinate}",
        ColorScaleRule(
            start_type="min", start_color="63BE7B", mid_type="percentile", mid_value=50,
            mid_color="FFEB84", end_type="max", end_color="F8696B",
        ),
    )  # fmt: skip
    sheet.column_dimensions["A"].width = max(len(str(c.value or "")) for c in sheet["A"][1:]) + 2
    sheet.column_dimensions["B"].width = 40
    sheet.cell(last + 2, 1, "criterion").font = Font(bold=True)
    sheet.cell(last + 2, 2, "weight").font = Font(bold=True)
    for i, (cid, w) in enumerate(results["weights"].items(), start=last + 3):
        sheet.cell(i, 1, cid)
        sheet.cell(i, 2, w)
    if "wsm" in methods:
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"Weighted sum (wsm) score, profile '{results['profile']}'"
        col = last_rank + 1 + methods.index("wsm")
        chart.add_data(
            Reference(sheet, min_col=col, min_row=2, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=last))
        chart.height, chart.width = 3 + 0.6 * (last - 2), 18
        sheet.add_chart(chart, sheet.cell(2, col + len(methods) + 1).coordinate)


# ---------------------------------------------------------------- workbook reading


def read_workbook(path: Path, issues: list[Issue]) -> dict[str, list[Row]]:
    """The data sheets of a workbook as rows; problems (missing sheet, unknown column) appended."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book_name = Path(path).name
    try:
        with warnings.catch_warnings():  # e.g. "Data Validation extension is not supported"
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(path, data_only=True)
    except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise WorkspaceError(
            [
                Issue(
                    "bad-workbook",
                    f"cannot read the workbook ({err}); is it an .xlsx file?",
                    book_name,
                )
            ]
        ) from err
    out: dict[str, list[Row]] = {}
    names = book.sheetnames
    for name in SHEETS:
        if name not in names:
            if name in REQUIRED_SHEETS:
                issues.append(
                    Issue(
                        "missing-sheet",
                        f"no sheet '{name}'.{did_you_mean(name, names)} Sheets here: "
                        f"{', '.join(names)}; export a workbook to see the expected layout",
                        book_name,
                        f"sheet '{name}'",
                    )
                )
            out[name] = []
            continue
        rows = list(book[name].iter_rows(values_only=True))
        header = list(rows[0]) if rows else []
        allowed = list(SHEETS[name])
        columns: dict[int, str] = {}
        for i, h in enumerate(header):
            if h is None or str(h).strip() == "":
                continue
            h = str(h).strip()
            letter = get_column_letter(i + 1)
            if name == "synergies" and h not in allowed:
                columns[i] = h  # a criterion id; checked by the loader
            elif h not in allowed:
                issues.append(
                    Issue(
                        "unknown-column",
                        f"unknown column '{h}'.{did_you_mean(h, allowed)} "
                        f"Columns of this sheet: {', '.join(allowed)}",
                        book_name,
                        f"sheet '{name}', row 1, column {letter}",
                    )
                )
            elif h in columns.values():
                issues.append(
                    Issue(
                        "duplicate-column",
                        f"column '{h}' appears twice; keep one",
                        book_name,
                        f"sheet '{name}', row 1, column {letter}",
                    )
                )
            else:
                columns[i] = h
        letters = {h: get_column_letter(i + 1) for i, h in columns.items()}
        out[name] = []
        for n, values in enumerate(rows[1:], start=2):
            cells = {h: _clean(values[i]) for i, h in columns.items() if i < len(values)}
            stray = [
                get_column_letter(i + 1)
                for i, v in enumerate(values)
                if i not in columns and _clean(v) is not None
            ]
            for letter in stray:
                issues.append(
                    Issue(
                        "unnamed-column",
                        "a value in a column without a known header; add the header or "
                        "clear the cell",
                        book_name,
                        f"sheet '{name}', row {n}, column {letter}",
                    )
                )
            if any(v is not None for v in cells.values()):
                out[name].append(Row(name, n, cells, letters))
    return out


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# ---------------------------------------------------------------- tables -> YAML files


class _Files:
    """Builds the workspace's YAML documents from rows, recording where each entry came from."""

    def __init__(self, book: str, issues: list[Issue]) -> None:
        self.book, self.issues = book, issues
        self.files: dict[str, Any] = {}
        self.where: dict[str, dict[str, tuple[str, str]]] = {}

    def add(self, code: str, row: Row, column: str | None, message: str) -> None:
        self.issues.append(Issue(code, message, self.book, row.where(column)))

    def mark(
        self, rel: str, entry: str, row: Row, column: str | None = None, key: str | None = None
    ) -> None:
        """Record that ``entry`` of ``rel`` comes from ``column`` of ``row``; an unknown id
        reported there is shown at column ``key`` (the cell holding the id)."""
        self.where.setdefault(rel, {})[entry] = (row.where(column), row.where(key or column))

    def text(self, row: Row, col: str) -> str | None:
        v = row.values.get(col)
        if v is None:
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v)

    def number(self, row: Row, col: str, ratio: bool = False) -> float | None:
        v = row.values.get(col)
        if v is None:
            return None
        x = parse_number(v.lstrip("=") if isinstance(v, str) else v, allow_fraction=True)
        if x is None and isinstance(v, str):
            try:
                x = float(v)
            except ValueError:
                x = None
        if x is None:
            what = "a number or a fraction like 1/3" if ratio else "a number"
            self.add("not-a-number", row, col, f"expected {what}, got {v!r}")
            return None
        if ratio and x > 0:
            frac = Fraction(x).limit_denominator(9)
            if abs(x - frac) <= 1e-15 * x:  # 16 digits of a/b: give a/b back exactly
                x = frac.numerator / frac.denominator
        return x

    def ids(self, row: Row, col: str) -> list[str]:
        text = self.text(row, col)
        return [s for s in re.split(r"[,;\s]+", text) if s] if text else []

    def unique(self, rows: list[Row], col: str) -> list[Row]:
        """Rows with a value in ``col`` seen for the first time; duplicates are problems."""
        seen: dict[str, Row] = {}
        out = []
        for row in rows:
            key = self.text(row, col)
            if key is None:
                self.add("missing-value", row, col, f"'{col}' is required; fill it in")
            elif key in seen:
                self.add(
                    "duplicate-id",
                    row,
                    col,
                    f"'{key}' is used twice (also row {seen[key].number}); ids must be unique",
                )
            else:
                seen[key] = row
                out.append(row)
        return out


def tables_to_files(
    tables: dict[str, list[Row]], book: str, issues: list[Issue]
) -> tuple[dict[str, Any], dict[str, dict[str, tuple[str, str]]]]:
    """YAML documents ``{relative path: data}`` from workbook rows, and where each entry came from.

    The second value maps ``file -> {entry: (cell, id cell)}``, each ``"sheet 's', row r,
    column C (name)"``, so that the loader's problems can be reported where they come from.
    """
    f = _Files(book, issues)
    _criteria_file(f, tables)
    _option_files(f, tables)
    _profile_files(f, tables)
    _packages_file(f, tables)
    return f.files, f.where


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != "" and value != []:
        data[key] = _yaml_number(value)


def _yaml_number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _criteria_file(f: _Files, tables: dict[str, list[Row]]) -> None:
    rel = "criteria/criteria.yaml"
    head: dict[str, Any] = {}
    for row in f.unique(tables["workspace"], "key"):
        key = f.text(row, "key")
        if key not in WORKSPACE_KEYS:
            f.add(
                "unknown-key",
                row,
                "key",
                f"unknown setting '{key}'.{did_you_mean(str(key), WORKSPACE_KEYS)} "
                f"Settings: {', '.join(WORKSPACE_KEYS)}",
            )
            continue
        _put(head, key, f.text(row, "value"))
        f.mark(rel, key, row, "value")
    groups = []
    for i, row in enumerate(f.unique(tables["groups"], "id")):
        g: dict[str, Any] = {}
        for col in SHEETS["groups"]:
            _put(g, col, f.text(row, col))
        groups.append(g)
        for entry in (f"groups[{i}]", f"groups.{g['id']}"):
            f.mark(rel, entry, row)
            for col in ("id", "name", "parent"):
                f.mark(rel, f"{entry}.{col}", row, col)
    criteria = []
    for i, row in enumerate(f.unique(tables["criteria"], "id")):
        c: dict[str, Any] = {}
        for col in ("id", "name", "group", "direction"):
            _put(c, col, f.text(row, col))
        lo, hi = f.number(row, "scale_low"), f.number(row, "scale_high")
        if (lo is None) != (hi is None):
            f.add(
                "half-scale",
                row,
                "scale_low" if lo is None else "scale_high",
                "give both scale_low and scale_high, or neither (no declared scale)",
            )
        elif lo is not None:
            c["scale"] = [_yaml_number(lo), _yaml_number(hi)]
        _put(c, "combine", f.text(row, "combine"))
        _put(c, "unit", f.text(row, "unit"))
        pref: dict[str, Any] = {}
        _put(pref, "type", f.text(row, "preference"))
        for key in ("q", "p", "s"):
            _put(pref, key, f.number(row, key))
        if pref and pref != {"type": "usual"}:
            c["preference"] = pref
        _put(c, "description", f.text(row, "description"))
        _put(c, "source", f.text(row, "source"))
        criteria.append(c)
        for entry in (f"criteria[{i}]", f"criteria.{c['id']}"):
            f.mark(rel, entry, row)
            for col in SHEETS["criteria"]:
                f.mark(rel, f"{entry}.{col}", row, col)
            f.mark(rel, f"{entry}.scale", row, "scale_low")
            f.mark(rel, f"{entry}.scale[1]", row, "scale_high")
            f.mark(rel, f"{entry}.preference", row, "preference")
            for key in ("type", "q", "p", "s"):
                f.mark(
                    rel, f"{entry}.preference.{key}", row, "preference" if key == "type" else key
                )
    f.where.setdefault(rel, {})[""] = ("sheet 'criteria'",) * 2
    data = {k: head[k] for k in WORKSPACE_KEYS if k in head}
    if groups:
        data["groups"] = groups
    data["criteria"] = criteria
    f.files[rel] = data


def _option_files(f: _Files, tables: dict[str, list[Row]]) -> None:
    options: dict[str, dict[str, Any]] = {}
    for row in f.unique(tables["options"], "id"):
        oid = f.text(row, "id")
        rel = f"options/{oid}.yaml"
        if oid in ("packages", "allocation"):
            f.add("reserved-id", row, "id", f"'{oid}' is reserved (options/{oid}.yaml); rename it")
            continue
        o: dict[str, Any] = {}
        for col in ("id", "title", "recommendation", "kind", "summary", "source"):
            _put(o, col, f.text(row, col))
        cost = f.number(row, "cost")
        if cost:
            o["cost"] = _yaml_number(cost)
        _put(o, "cost_note", f.text(row, "cost_note"))
        for col in ("requires", "excludes"):
            _put(o, col, f.ids(row, col))
        o["scores"] = {}
        options[oid] = o
        f.mark(rel, "", row)
        for col in SHEETS["options"]:
            f.mark(rel, col, row, col)
    seen: dict[tuple[str, str], Row] = {}
    for row in tables["scores"]:
        oid, cid = f.text(row, "option"), f.text(row, "criterion")
        if oid is None or cid is None:
            f.add(
                "missing-value",
                row,
                "option" if oid is None else "criterion",
                "each score row needs an option and a criterion",
            )
            continue
        if oid not in options:
            f.add(
                "unknown-option",
                row,
                "option",
                f"unknown option '{oid}'.{did_you_mean(oid, options)} "
                "Add it to sheet 'options' first",
            )
            continue
        if (oid, cid) in seen:
            f.add(
                "duplicate-score",
                row,
                "criterion",
                f"option '{oid}' is scored on '{cid}' twice (also row "
                f"{seen[oid, cid].number}); keep one",
            )
            continue
        seen[oid, cid] = row
        score: dict[str, Any] = {}
        for col in ("value", "low", "high"):
            _put(score, col, f.number(row, col))
        for col in ("rationale", "source"):
            _put(score, col, f.text(row, col))
        if "value" not in score:
            if row.values.get("value") is None:
                f.add("missing-value", row, "value", "a score needs a value")
            continue
        shorthand = set(score) == {"value"}
        options[oid]["scores"][cid] = score["value"] if shorthand else score
        rel = f"options/{oid}.yaml"
        f.mark(rel, f"scores.{cid}", row, "value", key="criterion")
        for col in ("value", "low", "high", "rationale", "source"):
            f.mark(rel, f"scores.{cid}.{col}", row, col)
    for oid, o in options.items():
        f.files[f"options/{oid}.yaml"] = o


def _profile_files(f: _Files, tables: dict[str, list[Row]]) -> None:
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    for row in tables["profiles"]:
        pid, node = f.text(row, "profile"), f.text(row, "node") or ""
        if pid is None:
            f.add("missing-value", row, "profile", "'profile' is required; fill it in")
            continue
        if (pid, node) in nodes:
            f.add(
                "duplicate-id",
                row,
                "node",
                f"profile '{pid}' has two rows for node '{node or '(profile)'}'",
            )
            continue
        rel, pre = f"criteria/weights/{pid}.yaml", _prefix(node)
        data: dict[str, Any] = {}
        if not node:
            _put(data, "name", f.text(row, "name"))
        elif f.text(row, "name") or f.text(row, "description"):
            f.add(
                "local-name",
                row,
                "name" if f.text(row, "name") else "description",
                "only the profile's own row (node blank) has a name and a description",
            )
        _put(data, "method", f.text(row, "method"))
        if not node:
            _put(data, "description", f.text(row, "description"))
        for col in ("rank_rule", "aggregation", "best", "worst"):
            _put(data, col, f.text(row, col))
        _put(data, "members", f.ids(row, "members"))
        nodes[pid, node] = data
        f.mark(rel, pre.rstrip("."), row)
        for col in SHEETS["profiles"]:
            f.mark(rel, pre + col, row, col)
    ranks: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for row in tables["profile_entries"]:
        pid, node = f.text(row, "profile"), f.text(row, "node") or ""
        entry, item = f.text(row, "entry"), f.text(row, "item")
        if pid is None or (pid, node) not in nodes:
            f.add(
                "unknown-node",
                row,
                "profile" if (pid, "") not in nodes else "node",
                f"no row for profile '{pid}', node '{node or '(profile)'}' in sheet "
                "'profiles'; add it there first",
            )
            continue
        if entry not in ENTRIES:
            f.add(
                "unknown-entry",
                row,
                "entry",
                f"unknown entry {entry!r}.{did_you_mean(str(entry), ENTRIES)} "
                f"Entries: {', '.join(ENTRIES)}",
            )
            continue
        if item is None:
            f.add("missing-value", row, "item", "'item' is required; fill it in")
            continue
        value = f.number(row, "value", ratio=entry in RATIOS)
        if value is None:
            if row.values.get("value") is None:
                f.add("missing-value", row, "value", "'value' is required; fill it in")
            continue
        data, rel, pre = nodes[pid, node], f"criteria/weights/{pid}.yaml", _prefix(node)
        f.mark(rel, pre + entry, row)
        if entry == "ranking":
            f.mark(rel, f"{pre}ranking.{item}", row, "item")
            ranks.setdefault((pid, node), []).append((value, item))
        elif entry == "pairwise":
            versus = f.text(row, "versus")
            if versus is None:
                f.add("missing-value", row, "versus", "a pairwise judgement needs 'versus'")
                continue
            where = f"{pre}pairwise[{len(data.setdefault('pairwise', []))}]"
            data["pairwise"].append([item, versus, _yaml_number(value)])
            f.mark(rel, where, row)
            f.mark(rel, f"{where}[2]", row, "value")
            for name, col in ((item, "item"), (versus, "versus")):
                if f"{pre}pairwise.{name}" not in f.where[rel]:
                    f.mark(rel, f"{pre}pairwise.{name}", row, col)
        else:
            table = data.setdefault(entry, {})
            if item in table:
                f.add("duplicate-item", row, "item", f"'{item}' appears twice in {entry}")
                continue
            table[item] = _yaml_number(value)
            f.mark(rel, f"{pre}{entry}.{item}", row, "value", key="item")
    for key, pairs in ranks.items():
        levels: dict[float, list[str]] = {}
        for pos, item in sorted(pairs, key=lambda p: p[0]):
            levels.setdefault(pos, []).append(item)
        nodes[key]["ranking"] = [lv[0] if len(lv) == 1 else lv for lv in levels.values()]
    for row in tables["bounds"]:
        pid, cid = f.text(row, "profile"), f.text(row, "criterion")
        if pid is None or (pid, "") not in nodes or cid is None:
            f.add(
                "unknown-profile",
                row,
                "profile" if cid else "criterion",
                "bounds need a criterion and a profile listed in sheet 'profiles'",
            )
            continue
        lo, hi = f.number(row, "low"), f.number(row, "high")
        bounds = nodes[pid, ""].setdefault("bounds", {})
        bounds[cid] = [_yaml_number(lo), _yaml_number(hi)]
        rel = f"criteria/weights/{pid}.yaml"
        f.mark(rel, f"bounds.{cid}", row, key="criterion")
        f.mark(rel, f"bounds.{cid}[0]", row, "low")
        f.mark(rel, f"bounds.{cid}[1]", row, "high")
    for (pid, node), data in sorted(nodes.items(), key=lambda kv: kv[0][1].count("/")):
        if not node:
            f.files[f"criteria/weights/{pid}.yaml"] = data
            continue
        *path, gid = node.split("/")
        parent = nodes.get((pid, "/".join(path)))
        if parent is None:
            row_where = f.where[f"criteria/weights/{pid}.yaml"][_prefix(node).rstrip(".")][0]
            f.issues.append(
                Issue(
                    "unknown-node",
                    f"no row for the enclosing node of '{node}' in sheet 'profiles'; add it",
                    f.book,
                    row_where,
                )
            )
            continue
        parent.setdefault("local", {})[gid] = data


def _prefix(node: str) -> str:
    return "".join(f"local.{g}." for g in node.split("/")) if node else ""


def _packages_file(f: _Files, tables: dict[str, list[Row]]) -> None:
    rel = "options/packages.yaml"
    packages = []
    for i, row in enumerate(f.unique(tables["packages"], "id")):
        p: dict[str, Any] = {}
        _put(p, "id", f.text(row, "id"))
        _put(p, "title", f.text(row, "title"))
        p["options"] = f.ids(row, "options")
        _put(p, "summary", f.text(row, "summary"))
        packages.append(p)
        for entry in (f"packages[{i}]", f"packages.{p['id']}"):
            f.mark(rel, entry, row)
            for col in SHEETS["packages"]:
                f.mark(rel, f"{entry}.{col}", row, col)
    synergies = []
    for i, row in enumerate(tables["synergies"]):
        s: dict[str, Any] = {"options": f.ids(row, "options"), "adjust": {}}
        f.mark(rel, f"synergies[{i}]", row)
        f.mark(rel, f"synergies[{i}].options", row, "options")
        for col in row.values:
            if col in SHEETS["synergies"]:
                continue
            x = f.number(row, col)
            if x is not None:
                s["adjust"][col] = _yaml_number(x)
                f.mark(rel, f"synergies[{i}].adjust.{col}", row, col)
        _put(s, "rationale", f.text(row, "rationale"))
        _put(s, "source", f.text(row, "source"))
        synergies.append(s)
    f.where.setdefault(rel, {})[""] = ("sheet 'packages'",) * 2
    if packages or synergies:
        f.files[rel] = {"packages": packages, **({"synergies": synergies} if synergies else {})}


# ---------------------------------------------------------------- import


def managed_files(root: Path) -> list[str]:
    """The YAML files of ``root`` that a workbook describes (relative paths)."""
    out = []
    crit = root / "criteria" / "criteria.yaml"
    if crit.is_file():
        out.append("criteria/criteria.yaml")
    out += [f"criteria/weights/{p.name}" for p in sorted(root.glob("criteria/weights/*.yaml"))]
    out += [
        f"options/{p.name}"
        for p in sorted(root.glob("options/*.yaml"))
        if p.name not in NOT_OPTIONS or p.name == "packages.yaml"
    ]
    return out


def workbook_files(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, tuple[str, str]]]]:
    """Read a workbook into YAML documents (and their cell locations); raise on any problem."""
    issues: list[Issue] = []
    tables = read_workbook(path, issues)
    if any(i.code == "missing-sheet" for i in issues):
        raise WorkspaceError(issues)
    files, where = tables_to_files(tables, Path(path).name, issues)
    fail_if(issues)
    return files, where


def workspace_files(ws: Workspace) -> dict[str, Any]:
    """The YAML documents that importing an export of ``ws`` would write."""
    files, _ = tables_to_files(_rows(workspace_tables(ws)), "", [])
    return files


def import_workbook(path: Path, root: Path, force: bool = False) -> ImportResult:
    """Write a workbook's content into the workspace ``root``.

    The new files are first written to a temporary copy of the workspace and loaded with
    :func:`~policyeval.io.load_workspace`; nothing in ``root`` changes unless that succeeds.
    Files whose content is unchanged are left as they are (comments included).

    Raises
    ------
    WorkspaceError
        Problems in the workbook (each naming sheet, row and column), or existing files
        that would change or be removed when ``force`` is False.
    """
    path, root = Path(path), Path(root)
    files, where = workbook_files(path)
    current = managed_files(root)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "ws"
        copy.mkdir()
        for folder in ("criteria", "options"):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, copy / folder)
        for rel in current:
            (copy / rel).unlink()
        for rel, data in files.items():
            write_yaml(copy / rel, data)
        try:
            load_workspace(copy)
        except WorkspaceError as err:
            raise WorkspaceError(_locate(err.issues, where, path.name)) from err
    try:
        before = workspace_files(load_workspace(root)) if current else {}
    except WorkspaceError:
        before = {}
    result = ImportResult()
    for rel, data in files.items():
        if rel not in current:
            result.written.append(rel)
        elif before.get(rel) != data:
            result.written.append(rel)
        else:
            result.unchanged.append(rel)
    result.removed = [rel for rel in current if rel not in files]
    overwritten = [rel for rel in result.written if rel in current] + result.removed
    if overwritten and not force:
        raise WorkspaceError(
            [
                Issue(
                    "would-overwrite",
                    f"the workbook would change {_listing(overwritten)}; "
                    f"check the workbook is meant for the workspace '{root}' and run again "
                    "with --force",
                    path.name,
                )
            ]
        )
    for rel in result.written:
        write_yaml(root / rel, files[rel])
    for rel in result.removed:
        (root / rel).unlink()
    return result


def _listing(rels: list[str]) -> str:
    shown = ", ".join(rels[:6])
    return shown + (f" and {len(rels) - 6} more" if len(rels) > 6 else "")


def _locate(
    issues: Iterable[Issue], where: dict[str, dict[str, tuple[str, str]]], book: str
) -> list[Issue]:
    """Report the loader's problems at the workbook cells they come from."""
    out = []
    for issue in issues:
        places = where.get(issue.file, {})
        best = max((e for e in places if _within(issue.entry, e)), key=len, default=None)
        if best is not None:
            entry = places[best][issue.code.startswith("unknown-")]
        else:
            sheet = "profiles" if issue.file.startswith("criteria/weights") else "options"
            entry = f"sheet '{sheet}'" if issue.file.endswith("/") else issue.file
        out.append(Issue(issue.code, issue.message, book, entry))
    return out


def _within(entry: str, prefix: str) -> bool:
    return (
        prefix == ""
        or entry == prefix
        or entry.startswith(prefix + ".")
        or entry.startswith(prefix + "[")
    )
