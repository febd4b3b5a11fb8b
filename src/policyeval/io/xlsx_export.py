"""``export-xlsx``: the workspace as an Excel model an analyst can work in.

The workbook opens on three working sheets, then the workspace's tables:

* ``matrix``: options x criteria, ids in row 1 (titles, units and scales under them), every
  score cell limited to its criterion's scale (data validation) and formatted in its unit.
* ``weights``: each profile's weights (one column each, as percentages) and the
  ``active weights`` column the analyst edits.
* ``results``: live formulas: the value function v = (x - lo)/(hi - lo) of each score
  (reversed for ``min``; observed min..max where no scale is declared, 1 where constant),
  the weighted sum with the active weights (normalized) and its RANK(). Excel and LibreOffice
  re-rank as soon as a weight or a score changes.
* the tables :mod:`policyeval.io.xlsx` describes (drop-downs where the choices are finite),
  ``allocation`` and ``countries``, and ``extra`` for keys no table models.

Every sheet prints to the page width (landscape where wide) with its header rows repeated.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from policyeval.io.profiles import AGGREGATIONS, METHODS, RANK_RULES
from policyeval.io.workspace import COMBINES, PREFERENCES
from policyeval.io.xlsx import ENTRIES, MATRIX_LABELS, SHEETS, workspace_tables
from policyeval.model.workspace import Workspace

README = """\
This workbook is a policyeval workspace and a model you can work in.
  matrix    the scores: one row per option, one column per criterion (ids in row 1; names,
            units and scales under them). A score outside its criterion's scale is refused.
  weights   each profile's weights, and 'active weights': type any non-negative numbers
            there (they are normalized to sum 100%).
  results   recalculates as you edit: the value of each score (0 = worst, 1 = best of the
            scale, or of the options when no scale is declared), the weighted sum with the
            active weights and the rank (1 = best); the same figures as 'policyeval rank'.
Read your edits back with
    policyeval import-xlsx THIS_FILE -w WORKSPACE [--force]
Import checks every cell first, reports every problem at once (sheet, row, column) and
changes nothing when something is wrong; it edits the YAML files in place, so a changed
score changes one line. weights, results and methods are outputs: import does not read them
(a profile's own weights are in sheets profiles and profile_entries).

Tables (row 1 is the header; keep the column names, their order is free; blank rows are skipped):
  workspace        key/value settings of criteria/criteria.yaml: title, default_profile, ...
  groups           the value tree: id, name, parent group
  criteria         one row per criterion; scale_low/scale_high = the measurement scale (both or
                   neither); preference = PROMETHEE type (usual, linear, vshape, level, gaussian)
                   with its thresholds q, p, s
  options          one row per option; kind = measure or baseline; requires/excludes = option ids
                   separated by commas
  scores           one row per option and criterion: optionally low/high (range), rationale and
                   source; the value is in 'matrix'; every option scores every criterion
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
  allocation       options/allocation.yaml, one line per row (edit values in place)
  countries        criteria/countries.csv
  extra            keys of the YAML files that no other sheet holds (file, entry, YAML value)
Numbers keep 16 significant digits."""

CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("criteria", "direction"): ("max", "min"),
    ("criteria", "combine"): COMBINES,
    ("criteria", "preference"): PREFERENCES,
    ("options", "kind"): ("measure", "baseline"),
    ("profiles", "method"): METHODS,
    ("profiles", "rank_rule"): RANK_RULES,
    ("profiles", "aggregation"): AGGREGATIONS,
    ("profile_entries", "entry"): ENTRIES,
}
LONG_TEXT = 50  # characters: wider columns wrap
HEAD = len(MATRIX_LABELS) + 1  # header rows of 'matrix'
RESULTS_HEAD = 7  # rows of 'results' above the first option


def write_workbook(
    ws: Workspace,
    path: Path,
    weights: dict[str, dict[str, float]],
    results: dict[str, Any] | None = None,
) -> Path:
    """Write the workspace to an .xlsx model, atomically.

    Parameters
    ----------
    ws : Workspace
        A loaded workspace.
    path : Path
        The .xlsx file to write.
    weights : dict
        Profile id -> its weights (criterion -> weight); ``{}`` for a profile whose
        weights cannot be computed (its column stays blank).
    results : dict, optional
        ``MultiRanking.to_dict()`` (``rank --method all`` JSON shape): adds a ``methods``
        sheet with ranks by method on a color scale and a bar chart of the wsm scores.
    """
    from openpyxl import Workbook

    from policyeval.io.writer import write_atomic

    tables = workspace_tables(ws)
    book = Workbook()
    readme = book.active
    readme.title = "README"
    for line in README.splitlines():
        readme.append([line])
    readme.column_dimensions["A"].width = 100
    _print_setup(readme, None, wide=False)
    _matrix_sheet(book, ws)
    active = _weights_sheet(book, ws, weights)
    _results_sheet(book, ws, active)
    header, rows = tables["scores"]
    keep = [i for i, col in enumerate(header) if col != "value"]  # the value is in 'matrix'
    tables["scores"] = ([header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    for name, (header, rows) in tables.items():
        _table_sheet(book, name, header, rows, raw=name == "allocation")
    _validations(book, ws, len(tables["options"][1]))
    if results is not None:
        _methods_sheet(book, ws, results)
    book.calculation.fullCalcOnLoad = True  # Excel computes the formulas on opening
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(Path(path), buffer.getvalue())


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if value == "" else value


def _bold_header(sheet: Any, rows: int = 1) -> None:
    from openpyxl.styles import Font

    for row in sheet.iter_rows(min_row=1, max_row=rows):
        for cell in row:
            cell.font = Font(bold=True)


def _print_setup(sheet: Any, title_rows: str | None, wide: bool) -> None:
    """Fit the page width, landscape where wide, header rows on every page."""
    sheet.page_setup.orientation = "landscape" if wide else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows


def _widths(sheet: Any, first_row: int = 1) -> bool:
    """Columns as wide as their text (long text wraps); True when the sheet is wide."""
    from openpyxl.styles import Alignment

    total = 0
    for col in sheet.iter_cols(min_row=first_row):
        longest = max((len(str(c.value)) for c in col if c.value is not None), default=0)
        width = min(max(longest + 2, 8), LONG_TEXT)
        total += width
        sheet.column_dimensions[col[0].column_letter].width = width
        if longest > LONG_TEXT:
            for c in col[1:]:
                c.alignment = Alignment(vertical="top", wrap_text=True)
    return total > 100


def _table_sheet(book: Any, name: str, header: list[str], rows: list[list], raw: bool) -> None:
    sheet = book.create_sheet(name)
    sheet.append(header)
    for values in rows:
        sheet.append([_cell(v) if not raw else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text starting with '=' stays text
    _bold_header(sheet)
    wide = _widths(sheet)
    if raw:
        sheet.column_dimensions["A"].width = 100
    sheet.freeze_panes = "A2"
    if header and not raw:
        sheet.auto_filter.ref = sheet.dimensions
    _print_setup(sheet, "1:1", wide)


def _number_format(unit: str) -> str:
    """Scores shown with up to three decimals, and the unit when it is short."""
    if unit and len(unit) <= 12 and re.fullmatch(r"[\w %./-]+", unit):
        return f'#,##0.0##" {unit}"'
    return "#,##0.0##"


def _matrix_sheet(book: Any, ws: Workspace) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet("matrix")
    crit = ws.criteria
    sheet.append(["id", "title", *(c.id for c in crit)])
    sheet.append([None, MATRIX_LABELS[0], *(c.name for c in crit)])
    sheet.append(
        [None, MATRIX_LABELS[1]]
        + [
            "; ".join(
                p
                for p in (
                    c.unit,
                    f"[{c.scale[0]:g}, {c.scale[1]:g}]" if c.scale else "",
                    c.direction,
                )
                if p
            )
            for c in crit
        ]
    )
    for o in ws.options:
        sheet.append([o.id, o.title, *(_cell(o.scores[c.id].value) for c in crit)])
        for cell in sheet[sheet.max_row][:2]:
            cell.data_type = "s"
    last = sheet.max_row
    for j, c in enumerate(crit, start=3):
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = 14
        for r in range(2, HEAD + 1):
            sheet.cell(r, j).alignment = Alignment(wrap_text=True, vertical="top")
            sheet.cell(r, j).font = Font(italic=True, size=9)
        lo, hi = c.scale or (-1e300, 1e300)
        rule = DataValidation(
            type="decimal",
            operator="between",
            formula1=repr(float(lo)),
            formula2=repr(float(hi)),
            showErrorMessage=True,
            errorTitle="Outside the scale",
            error=f"{c.id}: a number"
            + (f" between {lo:g} and {hi:g} (its scale)" if c.scale else ""),
        )
        rule.add(f"{letter}{HEAD + 1}:{letter}{max(last, HEAD + 1) + 200}")
        sheet.add_data_validation(rule)
        for r in range(HEAD + 1, last + 1):
            sheet.cell(r, j).number_format = _number_format(c.unit)
    sheet.column_dimensions["A"].width = max((len(o.id) for o in ws.options), default=8) + 2
    sheet.column_dimensions["B"].width = 40
    for r in range(HEAD + 1, last + 1):
        sheet.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
    _bold_header(sheet)
    sheet.freeze_panes = f"C{HEAD + 1}"
    _print_setup(sheet, f"1:{HEAD}", wide=len(crit) > 4)
    sheet.print_title_cols = "A:B"


def _weights_sheet(book: Any, ws: Workspace, weights: dict[str, dict[str, float]]) -> str:
    """Profiles' weights and the editable 'active weights'; returns the active column letter."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet("weights")
    default = ws.default_profile or next(iter(ws.profiles), None)
    sheet.append(["criterion", "name", *weights, "active weights"])
    for c in ws.criteria:
        sheet.append(
            [c.id, c.name]
            + [weights[p].get(c.id) for p in weights]
            + [weights.get(default, {}).get(c.id, 1 / len(ws.criteria))]
        )
    n = len(ws.criteria)
    active = get_column_letter(len(weights) + 3)
    sheet.append(["total", None])
    for j in range(3, len(weights) + 4):
        letter = get_column_letter(j)
        sheet.cell(n + 2, j, f"=SUM({letter}2:{letter}{n + 1})")
        for r in range(2, n + 3):
            sheet.cell(r, j).number_format = "0.0%"
    sheet.cell(
        n + 4,
        1,
        f"'active weights' start as profile '{default}'. Type any non-negative numbers: "
        "sheet 'results' normalizes them to sum 100% and re-ranks. Import does not read this "
        "sheet; a profile's own judgements are in sheets profiles and profile_entries.",
    )
    rule = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        showErrorMessage=True,
        error="a weight is a number >= 0",
    )
    rule.add(f"{active}2:{active}{n + 1}")
    sheet.add_data_validation(rule)
    _bold_header(sheet)
    _widths(sheet)
    sheet.column_dimensions["A"].width = max(len(c.id) for c in ws.criteria) + 2
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions[active].width = 16
    sheet.freeze_panes = "C2"
    _print_setup(sheet, "1:1", wide=len(weights) > 4)
    return active


def _results_sheet(book: Any, ws: Workspace, active: str) -> None:
    """Live value functions, weighted sum and RANK() of every option."""
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet("results")
    crit, n, m = ws.criteria, len(ws.criteria), len(ws.options)
    cols = list(SHEETS["criteria"])
    low, high, direction = (
        get_column_letter(cols.index(k) + 1) for k in ("scale_low", "scale_high", "direction")
    )
    first, last = RESULTS_HEAD + 1, RESULTS_HEAD + m
    sheet["A1"] = (
        "Weighted sum (wsm) with the active weights of sheet 'weights'; recalculates when a "
        "score, a scale or a weight changes (rank 1 = best)"
    )
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    sheet.append(["id", "title", "score", "rank", *(c.id for c in crit)])
    labels = ("weight (normalized)", "low end of the value scale", "high end", "direction")
    for k, label in enumerate(labels, start=4):
        sheet.cell(k, 2, label)
    last_j = get_column_letter(4 + n)
    for j in range(5, 5 + n):
        letter, r = get_column_letter(j), j - 3  # the criterion's row in criteria/weights
        mcol = get_column_letter(j - 2)
        observed = f"matrix!{mcol}${HEAD + 1}:{mcol}${HEAD + m}"
        sheet.cell(4, j, f"=weights!${active}{r}/SUM(weights!${active}$2:${active}${n + 1})")
        sheet.cell(4, j).number_format = "0.0%"
        sheet.cell(5, j, f"=IF(ISNUMBER(criteria!${low}${r}),criteria!${low}${r},MIN({observed}))")
        sheet.cell(
            6, j, f"=IF(ISNUMBER(criteria!${high}${r}),criteria!${high}${r},MAX({observed}))"
        )
        sheet.cell(7, j, f"=criteria!${direction}${r}")
        for i in range(m):
            x, lo, hi = f"matrix!{mcol}{HEAD + 1 + i}", f"{letter}$5", f"{letter}$6"
            cell = sheet.cell(
                first + i,
                j,
                f'=IF({hi}={lo},1,IF({letter}$7="min",({hi}-{x})/({hi}-{lo}),'
                f"({x}-{lo})/({hi}-{lo})))",
            )
            cell.number_format = "0.00"
    for i, o in enumerate(ws.options):
        r = first + i
        sheet.cell(r, 1, o.id).data_type = "s"
        sheet.cell(r, 2, o.title).data_type = "s"
        sheet.cell(r, 3, f"=SUMPRODUCT($E$4:${last_j}$4,E{r}:{last_j}{r})").number_format = "0.000"
        sheet.cell(r, 4, f"=RANK(C{r},$C${first}:$C${last})")
    sheet.conditional_formatting.add(
        f"E{first}:{last_j}{last}",
        ColorScaleRule(
            start_type="num", start_value=0, start_color="F7FBFF",
            end_type="num", end_value=1, end_color="2171B5",
        ),
    )  # fmt: skip
    _bold_header(sheet, 3)
    sheet.column_dimensions["A"].width = max(len(o.id) for o in ws.options) + 2
    sheet.column_dimensions["B"].width = 40
    for j in range(3, 5 + n):
        sheet.column_dimensions[get_column_letter(j)].width = 10
    sheet.freeze_panes = f"E{first}"
    _print_setup(sheet, "3:3", wide=True)
    sheet.print_title_cols = "A:D"


def _validations(book: Any, ws: Workspace, n_options: int) -> None:
    """Drop-downs for finite choices, scale limits on ranges, ids from their sheets."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    def column(sheet: Any, name: str) -> str | None:
        header = [c.value for c in sheet[1]]
        return get_column_letter(header.index(name) + 1) if name in header else None

    def add(sheet: Any, rule: DataValidation, ref: str) -> None:
        for part in ref.split():
            rule.add(part)
        sheet.add_data_validation(rule)

    recommendations = sorted({o.recommendation for o in ws.options if o.recommendation})
    choices = dict(CHOICES)
    if recommendations and len(",".join(recommendations)) < 250:
        choices["options", "recommendation"] = tuple(recommendations)
    for (name, col), allowed in choices.items():
        sheet = book[name]
        letter = column(sheet, col)
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(allowed) + '"',
            allow_blank=True,
            showErrorMessage=col != "recommendation",  # a new label is allowed
            error=f"one of: {', '.join(allowed)}",
        )
        add(sheet, rule, f"{letter}2:{letter}{sheet.max_row + 200}")
    scores = book["scores"]
    end = scores.max_row + 200
    for col, source, count in (("option", "options", n_options), ("criterion", "criteria", 0)):
        count = count or len(ws.criteria)
        rule = DataValidation(type="list", formula1=f"{source}!$A$2:$A${count + 1}")
        rule.error = f"an id of sheet '{source}'"
        add(scores, rule, f"{column(scores, col)}2:{column(scores, col)}{end}")
    by_criterion: dict[str, list[int]] = {}
    crit_col = [c.value for c in scores[1]].index("criterion")
    for row in scores.iter_rows(min_row=2):
        by_criterion.setdefault(row[crit_col].value, []).append(row[0].row)
    for c in ws.criteria:
        if c.scale is None or c.id not in by_criterion:
            continue
        cells = " ".join(
            f"{column(scores, k)}{r}" for r in by_criterion[c.id] for k in ("low", "high")
        )
        rule = DataValidation(
            type="decimal",
            operator="between",
            formula1=repr(float(c.scale[0])),
            formula2=repr(float(c.scale[1])),
            allow_blank=True,
            error=f"{c.id}: a number between {c.scale[0]:g} and {c.scale[1]:g} (its scale)",
        )
        add(scores, rule, cells)


def _methods_sheet(book: Any, ws: Workspace, results: dict[str, Any]) -> None:
    """Ranks by every method at export time (static values), with a chart of wsm."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Font

    sheet = book.create_sheet("methods")
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
    _print_setup(sheet, "2:2", wide=True)
