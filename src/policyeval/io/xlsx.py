"""Excel workbooks of a workspace: the tables both directions share.

A workbook is a model an analyst works in (see :mod:`policyeval.io.xlsx_export`) and the
workspace in tables that import reads back (:mod:`policyeval.io.xlsx_import`). The data
sheets, each a table with a header row:

========================  ==================================================================
sheet                     one row per
========================  ==================================================================
``matrix``                option (id, title), one column per criterion id holding its score
``workspace``             setting of criteria.yaml (key, value): title, default_profile...
``groups``                group of the value tree
``criteria``              criterion; ``scale_low``/``scale_high``; preference type, q, p, s
``options``               option; ``requires``/``excludes`` as comma-separated ids
``scores``                (option, criterion) range, rationale and source (the value is in
                          ``matrix``; a ``value`` column is read when there is no matrix)
``profiles``              profile node: ``node`` blank for the profile itself, or the path of
                          a group given local weights (``effectiveness/prevention`` for a
                          local entry nested in another)
``profile_entries``       weight entry of a node: points/swing (item, value), ranking
                          (item, position; equal positions = tie), pairwise (item, versus,
                          k), best_to_others/others_to_worst (item, value)
``bounds``                SMAA bound of a profile on a criterion (low, high)
``packages``              package; ``options`` as comma-separated ids
``synergies``             synergy; one column per criterion holds its adjustment
``allocation``            line of options/allocation.yaml, verbatim (comments included)
``countries``             row of criteria/countries.csv
``extra``                 key of a YAML file that no other sheet models (file, entry, value
                          as YAML), so that a round trip loses nothing
========================  ==================================================================

``README``, ``weights``, ``results`` and ``methods`` are outputs and are not read back.
Numbers keep 16 significant digits (what openpyxl writes); AHP and BWM ratios that are 16
digits of a fraction a/b (b <= 9) come back exactly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from policyeval.errors import Issue, did_you_mean
from policyeval.io.checks import ID_PATTERN, parse_number
from policyeval.io.safe_yaml import read_yaml
from policyeval.io.workspace import NOT_OPTIONS
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
    "extra": ("file", "entry", "value"),
}  # fmt: skip
# sheets whose columns are not fixed: criterion ids (matrix, synergies), the csv's header
OPEN_SHEETS = {"matrix": ("id", "title"), "synergies": SHEETS["synergies"], "countries": ()}
REQUIRED_SHEETS = ("criteria", "options", "profiles")
WORKSPACE_KEYS = ("title", "default_profile", "description", "unit")
ENTRIES = ("points", "swing", "ranking", "pairwise", "best_to_others", "others_to_worst")
RATIOS = ("pairwise", "best_to_others", "others_to_worst")
MATRIX_LABELS = ("criterion", "unit, scale, direction")  # rows 2-3 of 'matrix', not data
ALLOCATION = "options/allocation.yaml"
COUNTRIES = "criteria/countries.csv"
MAX_ID = 100  # characters: an id is a file name, and file names have a length limit

# The keys each level of each YAML file has in the sheets; any other key goes to 'extra'.
PROFILE_KEYS = frozenset(
    ("name", "method", "description", "rank_rule", "aggregation", "best", "worst", "members",
     "bounds", "local", *ENTRIES)
)  # fmt: skip
MODELLED: dict[tuple[str, ...], frozenset[str]] = {
    ("criteria",): frozenset((*WORKSPACE_KEYS, "groups", "criteria")),
    ("criteria", "groups", "*"): frozenset(SHEETS["groups"]),
    ("criteria", "criteria", "*"): frozenset(
        ("id", "name", "group", "direction", "scale", "combine", "unit", "preference",
         "description", "source")
    ),
    ("criteria", "criteria", "*", "preference"): frozenset(("type", "q", "p", "s")),
    ("option",): frozenset((*SHEETS["options"], "scores")),
    ("option", "scores", "*"): frozenset(("value", "low", "high", "rationale", "source")),
    ("profile",): PROFILE_KEYS,
    ("packages",): frozenset(("packages", "synergies")),
    ("packages", "packages", "*"): frozenset(SHEETS["packages"]),
    ("packages", "synergies", "*"): frozenset(("options", "adjust", "rationale", "source")),
}  # fmt: skip


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
    """What :func:`~policyeval.io.xlsx_import.import_workbook` did: files written (new or
    changed), removed, and left as they were."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _inside(root: Path, path: Path) -> bool:
    """True when ``path``, resolved (``..``, symlinks, absolute parts), lies inside ``root``.

    Every path import writes or removes passes this check first.
    """
    base = Path(root).resolve()
    target = Path(path).resolve()
    return target == base or target.is_relative_to(base)


def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be an id (a file name), or None when it can.

    Examples
    --------
    >>> id_problem("../../x") is not None, id_problem("a1_b") is None
    (True, True)
    """
    if len(value) > MAX_ID:
        return f"an id has at most {MAX_ID} characters (this one has {len(value)}); shorten it"
    if not ID_PATTERN.fullmatch(value):
        return (
            f"{_show(value)} is not an id: use lower-case letters, digits and _, starting "
            "with a letter (no '/', '..', spaces or capitals)"
        )
    return None


def _show(value: str, width: int = 40) -> str:
    return repr(value if len(value) <= width else value[:width] + "...")


# ---------------------------------------------------------------- model -> tables


def workspace_tables(ws: Workspace) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The workbook's data sheets as ``{sheet: (header, rows)}`` for a loaded workspace.

    Scores are in the long sheet ``scores`` (with their value); the export writes the
    values in the wide ``matrix`` instead.
    """
    raw = raw_files(ws.root)
    cost_notes = {
        rel[len("options/") : -len(".yaml")]: str(data["cost_note"])
        for rel, data in raw.items()
        if rel.startswith("options/") and isinstance(data, dict) and data.get("cost_note")
    }
    groups = raw.get("criteria/criteria.yaml", {}).get("groups") or []
    group_notes = {
        g["id"]: str(g["description"])
        for g in groups
        if isinstance(g, dict) and g.get("description") is not None
    }
    head = {"title": ws.title, "default_profile": ws.default_profile, **ws.extra}
    t: dict[str, list[list[Any]]] = {name: [] for name in (*SHEETS, "allocation", "countries")}
    t["workspace"] = [[k, head[k]] for k in WORKSPACE_KEYS if head.get(k) is not None]
    t["groups"] = [[g.id, g.name, g.parent, group_notes.get(g.id)] for g in ws.groups]
    # settings as written, so that a default the model fills in stays unwritten
    crit_raw = (raw.get("criteria/criteria.yaml") or {}).get("criteria") or []
    written = {d.get("id"): d for d in crit_raw if isinstance(d, dict)}
    for c in ws.criteria:
        pref = c.preference
        lo, hi = c.scale or (None, None)
        direction = written.get(c.id, {"direction": c.direction}).get("direction")
        t["criteria"].append(
            [c.id, c.name, c.group, direction, lo, hi, c.combine, c.unit]
            + [pref["type"]]
            + [pref.get(k) for k in ("q", "p", "s")]
            + [c.description, c.source]
        )
    for o in ws.options:
        opt = raw.get(f"options/{o.id}.yaml")
        opt = opt if isinstance(opt, dict) else {"cost": o.cost, "kind": o.kind}
        t["options"].append(
            [o.id, o.title, opt.get("kind"), o.recommendation, opt.get("cost")]
            + [cost_notes.get(o.id)]
            + [", ".join(o.requires), ", ".join(o.excludes), o.summary, o.source]
        )
        for cid, s in o.scores.items():
            t["scores"].append([o.id, cid, s.value, s.low, s.high, s.rationale, s.source])
    for pid, prof in ws.profiles.items():
        _profile_rows(prof, "", t, raw.get(f"criteria/weights/{pid}.yaml"), root=True)
        t["bounds"] += [[pid, cid, lo, hi] for cid, (lo, hi) in prof.bounds.items()]
    t["packages"] = [[p.id, p.title, ", ".join(p.options), p.summary] for p in ws.packages]
    crit = ws.criterion_ids
    for s in ws.synergies:
        t["synergies"].append(
            [", ".join(s.options), s.rationale, s.source] + [s.adjust.get(c) for c in crit]
        )
    for rel, data in raw.items():
        t["extra"] += extra_rows(rel, data)
    header = {name: list(cols) for name, cols in SHEETS.items()}
    header["synergies"] += crit
    alloc = ws.root / ALLOCATION
    if alloc.is_file():
        header["allocation"] = ["line"]
        t["allocation"] = [[line] for line in alloc.read_text(encoding="utf-8-sig").splitlines()]
    countries = ws.root / COUNTRIES
    if countries.is_file():
        rows = list(csv.reader(io.StringIO(countries.read_text(encoding="utf-8-sig"))))
        header["countries"] = rows[0] if rows else []
        t["countries"] = [[_csv_value(v) for v in row] for row in rows[1:]]
    return {name: (header[name], t[name]) for name in header}


def _profile_rows(prof: WeightProfile, node: str, t: dict[str, list], raw: Any, root: bool) -> None:
    """Rows of a profile node; settings as written (``raw``), not with defaults filled in."""
    spec, pid = prof.spec, prof.id
    raw = raw if isinstance(raw, dict) else spec
    t["profiles"].append(
        [pid, node or None, prof.name if root else None, prof.method]
        + [raw.get(k) for k in ("rank_rule", "aggregation", "best", "worst")]
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
    local = raw.get("local") if isinstance(raw.get("local"), dict) else {}
    for gid, sub in prof.local.items():
        _profile_rows(sub, f"{node}/{gid}" if node else gid, t, local.get(gid), root=False)


def raw_files(root: Path) -> dict[str, Any]:
    """The YAML documents of :func:`managed_files`, as read (keys the model drops included)."""
    out = {}
    for rel in managed_files(root):
        data, _ = read_yaml(root / rel, rel)
        out[rel] = data
    return out


def _csv_value(text: str) -> Any:
    """A csv cell as a number when it reads back as the same text, else the text."""
    if re.fullmatch(r"-?(0|[1-9][0-9]{0,14})", text):
        return int(text)
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", text) and repr(float(text)) == text:
        return float(text)
    return text


def csv_text(value: Any) -> str:
    """The csv text of a cell read from the ``countries`` sheet."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


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


# ---------------------------------------------------------------- keys no sheet models


def _kind(rel: str) -> str:
    if rel == "criteria/criteria.yaml":
        return "criteria"
    if rel.startswith("criteria/weights/"):
        return "profile"
    return "packages" if rel == "options/packages.yaml" else "option"


def modelled(rel: str, path: tuple[Any, ...]) -> frozenset[str] | None:
    """The keys the sheets hold at ``path`` of file ``rel`` (list items as ints), or None
    where every key is data (a points table, a score mapping...)."""
    kind = _kind(rel)
    if kind == "profile":
        while len(path) >= 2 and path[0] == "local":
            path = path[2:]
        return PROFILE_KEYS if not path else None
    general = tuple(
        "*" if isinstance(p, int) or (kind == "option" and i == 1 and path[0] == "scores") else p
        for i, p in enumerate(path)
    )
    return MODELLED.get((kind, *general))


def extra_rows(rel: str, data: Any) -> list[list[str]]:
    """``[file, entry, value as YAML]`` for every key of ``data`` that no sheet models."""
    import yaml

    rows: list[list[str]] = []

    def walk(node: Any, path: tuple[Any, ...], entry: str) -> None:
        if isinstance(node, dict):
            keys = modelled(rel, path)
            for k, v in node.items():
                name = f"{entry}.{k}" if entry else str(k)
                if keys is not None and k not in keys:
                    text = yaml.safe_dump(v, default_flow_style=True, allow_unicode=True)
                    rows.append([rel, name, text.strip().removesuffix("...").strip()])
                elif isinstance(v, dict | list):
                    walk(v, (*path, k), name)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                oid = item.get("id") if isinstance(item, dict) else None
                name = f"{entry}.{oid}" if isinstance(oid, str) else f"{entry}[{i}]"
                walk(item, (*path, i), name)

    walk(data, (), "")
    return rows


def _entry_parts(entry: str) -> Iterator[str | int]:
    for part in entry.split("."):
        name, *indexes = part.split("[")
        if name:
            yield name
        for index in indexes:
            yield int(index.rstrip("]"))


# ---------------------------------------------------------------- tables -> YAML files


class _Files:
    """Builds the workspace's YAML documents from rows, recording where each entry came from."""

    def __init__(self, book: str, issues: list[Issue], headers: dict[str, list[str]]) -> None:
        self.book, self.issues = book, issues
        self.present, self.headers = set(headers), headers
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

    def file_id(self, row: Row, col: str) -> str | None:
        """The id in ``col`` when it can name a file; a problem (and None) otherwise."""
        value = self.text(row, col)
        problem = None if value is None else id_problem(value)
        if problem is not None:
            self.add("bad-id", row, col, problem)
            return None
        return value

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
    tables: dict[str, list[Row]], book: str, issues: list[Issue], headers: dict[str, list[str]]
) -> tuple[dict[str, Any], dict[str, dict[str, tuple[str, str]]]]:
    """Documents ``{relative path: data}`` from workbook rows, and where each entry came from.

    YAML files map to their data, ``options/allocation.yaml`` and ``criteria/countries.csv``
    to their text (when the workbook has those sheets). Ids are checked before a path is
    made of them: a bad id is a problem, and its row makes no file.

    The second value maps ``file -> {entry: (cell, id cell)}``, each ``"sheet 's', row r,
    column C (name)"``, so that the loader's problems can be reported where they come from.
    ``headers`` holds the header of each sheet the workbook has.
    """
    f = _Files(book, issues, headers)
    tables = {name: tables.get(name, []) for name in (*SHEETS, *OPEN_SHEETS, "allocation")}
    _criteria_file(f, tables)
    _option_files(f, tables)
    _profile_files(f, tables)
    _packages_file(f, tables)
    _text_files(f, tables)
    _extra(f, tables)
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
        oid = f.file_id(row, "id")
        if oid is None:
            continue
        rel = f"options/{oid}.yaml"
        if oid in ("packages", "allocation"):
            f.add("reserved-id", row, "id", f"'{oid}' is reserved (options/{oid}.yaml); rename it")
            continue
        o: dict[str, Any] = {}
        for col in ("id", "title", "recommendation", "kind", "summary", "source"):
            _put(o, col, f.text(row, col))
        _put(o, "cost", f.number(row, "cost"))
        _put(o, "cost_note", f.text(row, "cost_note"))
        for col in ("requires", "excludes"):
            _put(o, col, f.ids(row, col))
        o["scores"] = {}
        options[oid] = o
        f.mark(rel, "", row)
        for col in SHEETS["options"]:
            f.mark(rel, col, row, col)
    values = _matrix_values(f, tables["matrix"], options)
    criteria = [c.get("id") for c in f.files["criteria/criteria.yaml"]["criteria"]]
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
        rel = f"options/{oid}.yaml"
        f.mark(rel, f"scores.{cid}", row, "value", key="criterion")
        if (oid, cid) not in values and criteria and cid not in criteria:
            f.add(
                "unknown-criterion",
                row,
                "criterion",
                f"unknown criterion '{cid}'.{did_you_mean(cid, criteria)} "
                "Criteria are the rows of sheet 'criteria'",
            )
            continue
        score: dict[str, Any] = {}
        for col in ("value", "low", "high"):
            _put(score, col, f.number(row, col))
        for col in ("rationale", "source"):
            _put(score, col, f.text(row, col))
        if (oid, cid) in values:
            cell, x = values.pop((oid, cid))
            if x is None:
                f.mark(rel, f"scores.{cid}", cell, cid)  # its follow-ons are not told again
                continue
            if "value" in score and score["value"] != x:
                f.add(
                    "conflicting-score",
                    row,
                    "value",
                    f"the value here ({score['value']}) differs from the matrix "
                    f"({cell.where(cid)}: {x}); keep one (the matrix is read first)",
                )
                continue
            score["value"] = x
            f.mark(rel, f"scores.{cid}", cell, cid, key="criterion")
            f.mark(rel, f"scores.{cid}.value", cell, cid)
        else:
            f.mark(rel, f"scores.{cid}.value", row, "value")
        for col in ("low", "high", "rationale", "source"):
            f.mark(rel, f"scores.{cid}.{col}", row, col)
        if "value" not in score:
            if row.values.get("value") is None:
                f.add("missing-value", row, "value", "a score needs a value (in sheet 'matrix')")
            continue
        shorthand = set(score) == {"value"}
        options[oid]["scores"][cid] = score["value"] if shorthand else score
    for (oid, cid), (_, x) in values.items():  # scores with no row in 'scores'
        if x is not None:
            options[oid]["scores"][cid] = x
    for oid, o in options.items():
        f.files[f"options/{oid}.yaml"] = o


def _matrix_values(
    f: _Files, rows: list[Row], options: dict[str, dict[str, Any]]
) -> dict[tuple[str, str], tuple[Row, Any]]:
    """``{(option, criterion): (row, value)}`` from the wide sheet 'matrix' (value None for
    a cell already reported as not a number)."""
    out: dict[tuple[str, str], tuple[Row, Any]] = {}
    seen: set[str] = set()
    for row in rows:
        oid = f.text(row, "id")
        if oid is None and f.text(row, "title") in MATRIX_LABELS:
            continue  # the criterion names and units under the header
        if oid is None:
            f.add("missing-value", row, "id", "each row of the matrix needs an option id")
            continue
        if oid not in options:
            f.add(
                "unknown-option",
                row,
                "id",
                f"unknown option '{oid}'.{did_you_mean(oid, options)} "
                "Add it to sheet 'options' first",
            )
            continue
        if oid in seen:
            f.add("duplicate-id", row, "id", f"option '{oid}' has two rows; keep one")
            continue
        seen.add(oid)
        title = f.text(row, "title")
        if title is not None and title != options[oid].get("title"):
            f.add(
                "title-here",
                row,
                "title",
                "the matrix shows titles from sheet 'options'; change the title there",
            )
        for cid in row.values:
            if cid in OPEN_SHEETS["matrix"]:
                continue
            f.mark(f"options/{oid}.yaml", f"scores.{cid}", row, cid)
            x = f.number(row, cid)
            if x is not None or row.values[cid] is not None:  # None: reported already
                out[oid, cid] = (row, _yaml_number(x))
    return out


def _profile_files(f: _Files, tables: dict[str, list[Row]]) -> None:
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    for row in tables["profiles"]:
        pid, node = f.text(row, "profile"), f.text(row, "node") or ""
        if pid is None:
            f.add("missing-value", row, "profile", "'profile' is required; fill it in")
            continue
        if f.file_id(row, "profile") is None:
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


def _text_files(f: _Files, tables: dict[str, list[Row]]) -> None:
    """options/allocation.yaml (verbatim lines) and criteria/countries.csv (a table)."""
    if "allocation" in f.present:
        lines = [str(row.values.get("line") or "") for row in tables["allocation"]]
        if any(line.strip() for line in lines):
            f.files[ALLOCATION] = "\n".join(lines).rstrip("\n") + "\n"
            f.where[ALLOCATION] = {"": ("sheet 'allocation'",) * 2}
    if "countries" in f.present and f.headers.get("countries"):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        header = f.headers["countries"]
        writer.writerow(header)
        for row in tables["countries"]:
            writer.writerow([csv_text(row.values.get(col)) for col in header])
        f.files[COUNTRIES] = out.getvalue()
        f.where[COUNTRIES] = {"": ("sheet 'countries'",) * 2}


def _extra(f: _Files, tables: dict[str, list[Row]]) -> None:
    """Put each row of sheet 'extra' (a key no other sheet models) into its document."""
    import yaml

    for row in tables["extra"]:
        rel, entry = f.text(row, "file"), f.text(row, "entry")
        if rel is None or entry is None:
            f.add("missing-value", row, "file" if rel is None else "entry", "give file and entry")
            continue
        node = f.files.get(rel)
        if not isinstance(node, dict):
            f.add(
                "unknown-file",
                row,
                "file",
                f"no other sheet makes '{_show(rel)}'; delete this row or add what it belongs to",
            )
            continue
        try:
            value = yaml.safe_load(f.text(row, "value") or "")
            *parts, key = list(_entry_parts(entry))
            for part in parts:
                node = (
                    node[part]
                    if isinstance(part, int) or isinstance(node, dict)
                    else next(
                        item for item in node if isinstance(item, dict) and item.get("id") == part
                    )
                )
            if not isinstance(node, dict) or isinstance(key, int):
                raise KeyError(key)
        except yaml.YAMLError as err:
            f.add("bad-yaml", row, "value", f"not a YAML value ({type(err).__name__}); fix it")
            continue
        except (KeyError, IndexError, StopIteration, TypeError, ValueError):
            f.add(
                "unknown-entry",
                row,
                "entry",
                f"'{_show(entry)}' is not in {rel}; delete this row or add what it belongs to",
            )
            continue
        if key in (modelled(rel, ()) or ()) and not parts:
            f.add("modelled-key", row, "entry", f"'{key}' is edited in its own sheet, not here")
            continue
        node[key] = value
        f.mark(rel, entry, row, "value")


# ---------------------------------------------------------------- files of a workspace


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


def workspace_files(ws: Workspace) -> dict[str, Any]:
    """The documents that importing an export of ``ws`` would write."""
    tables = workspace_tables(ws)
    headers = {name: header for name, (header, _) in tables.items()}
    files, _ = tables_to_files(_rows(tables), "", [], headers)
    return files
