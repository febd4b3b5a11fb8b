"""``import-xlsx``: a workbook back into the workspace, checked, bounded, atomic and in place.

The order of work, so that nothing is written unless everything is right:

1. The file's size and the uncompressed size of its parts are checked against
   :class:`Limits` before it is opened; the known sheets are then streamed (openpyxl's
   read-only mode), counting rows, so an oversized sheet is refused before it is read whole.
2. Every cell is checked and every id validated before a path is built from it; every
   path is then checked to lie inside the workspace (:func:`policyeval.io.xlsx._inside`).
3. The new files are staged in a hidden folder inside the workspace
   (``.policyeval-import-*``), next to links to the files that stay, and the staged
   workspace is loaded with :func:`policyeval.io.load_workspace`. Its problems are reported
   at the workbook cells they come from, with the cell problems of step 2: one round.
4. The staged ``criteria/`` and ``options/`` folders replace the workspace's in one atomic
   exchange each (``renameat2(RENAME_EXCHANGE)`` on Linux; two renames elsewhere), under a
   journal that the next import completes if a kill falls between the two.

YAML files that exist are edited in place (ruamel.yaml round trip plus a line patch): a
changed score changes its line and nothing else; comments and layout stay. A lock on the
workspace folder makes a second import at the same time exit 2.
"""

from __future__ import annotations

import ctypes
import difflib
import io
import os
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policyeval.errors import Issue, WorkspaceError, did_you_mean
from policyeval.io.xlsx import (
    ALLOCATION,
    COUNTRIES,
    OPEN_SHEETS,
    REQUIRED_SHEETS,
    SHEETS,
    ImportResult,
    Row,
    _inside,
    managed_files,
    modelled,
    tables_to_files,
)

STAGE_PREFIX = ".policyeval-import-"
JOURNAL = ".policyeval-import.journal"
MARK = ".policyeval-new"
FOLDERS = ("criteria", "options")


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on a workbook, checked before the work they bound.

    Parameters
    ----------
    max_bytes : int
        Size of the .xlsx file; its parts may hold at most ten times this, uncompressed.
    max_rows : int
        Rows of each sheet import reads.
    max_columns : int
        Columns of each sheet import reads.
    """

    max_bytes: int = 20_000_000
    max_rows: int = 100_000
    max_columns: int = 1_000


# ---------------------------------------------------------------- reading, bounded


def _too_big(book: str, message: str, entry: str = "") -> WorkspaceError:
    return WorkspaceError([Issue("too-large", message, book, entry)])


def _check_size(path: Path, limits: Limits) -> None:
    """Refuse a file, or a zip whose parts unpack, above the limits (before parsing)."""
    book = path.name
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise _too_big(
            book,
            f"the workbook is {size:,} bytes; the limit is {limits.max_bytes:,} "
            "(--max-bytes); split it or raise the limit",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as err:
        raise WorkspaceError(
            [Issue("bad-workbook", f"cannot read the workbook ({err}); is it an .xlsx file?", book)]
        ) from err
    if unpacked > 10 * limits.max_bytes:
        raise _too_big(
            book,
            f"the workbook unpacks to {unpacked:,} bytes; the limit is {10 * limits.max_bytes:,} "
            "(ten times --max-bytes); remove what it does not need or raise the limit",
        )
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and _row_tags(archive, info, limits):
                raise _too_big(
                    book,
                    f"a sheet has more than {limits.max_rows:,} rows, the limit (--max-rows)",
                )


def _row_tags(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bool:
    """True when a sheet's XML holds more rows than the limit (counted as it unpacks; a
    quick first pass, before openpyxl parses anything; the parse counts again)."""
    import re

    tag, rows, tail = re.compile(rb"<row[ >]"), 0, b""
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            rows += len(tag.findall(data))
            if rows > limits.max_rows + 1:
                return True
            tail = data[-4:]  # shorter than a tag: a tag across chunks is counted once
    return False


def read_workbook(
    path: Path, issues: list[Issue], limits: Limits = Limits()
) -> tuple[dict[str, list[Row]], dict[str, list[str]]]:
    """The data sheets of a workbook as rows, and the header of each sheet present.

    Problems (missing sheet, unknown column) are appended to ``issues``; a workbook above
    ``limits`` raises at once, naming the limit.
    """
    from openpyxl import load_workbook

    path = Path(path)
    _check_size(path, limits)
    try:
        with warnings.catch_warnings():  # e.g. "Data Validation extension is not supported"
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
        raise WorkspaceError(
            [
                Issue(
                    "bad-workbook",
                    f"cannot read the workbook ({type(err).__name__}); is it an .xlsx file?",
                    path.name,
                )
            ]
        ) from err
    try:
        return _read_sheets(book, path.name, issues, limits)
    finally:
        book.close()


def _read_sheets(
    book: Any, name: str, issues: list[Issue], limits: Limits
) -> tuple[dict[str, list[Row]], dict[str, list[str]]]:
    names = book.sheetnames
    out: dict[str, list[Row]] = {}
    headers: dict[str, list[str]] = {}
    for sheet in (*SHEETS, *OPEN_SHEETS, "allocation"):
        if sheet not in names:
            if sheet in REQUIRED_SHEETS or (sheet == "matrix" and "scores" not in names):
                issues.append(
                    Issue(
                        "missing-sheet",
                        f"no sheet '{sheet}'.{did_you_mean(sheet, names)} Sheets here: "
                        f"{', '.join(names)}; export a workbook to see the expected layout",
                        name,
                        f"sheet '{sheet}'",
                    )
                )
            continue
        rows = _bounded_rows(book[sheet], sheet, name, limits)
        raw = sheet == "allocation"
        header, columns = _header(next(rows, ()), sheet, name, issues)
        headers[sheet] = header
        out[sheet] = list(_data_rows(rows, sheet, name, columns, raw, issues))
    return out, headers


def _bounded_rows(ws: Any, sheet: str, book: str, limits: Limits) -> Iterator[tuple]:
    """The rows of a read-only sheet, refusing more than ``limits`` allow as they stream."""
    declared = ws.max_row if isinstance(ws.max_row, int) else 0
    if declared > limits.max_rows + 1:
        raise _too_big(
            book,
            f"the sheet has {declared:,} rows; the limit is {limits.max_rows:,} (--max-rows)",
            f"sheet '{sheet}'",
        )
    for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if n > limits.max_rows + 1:
            raise _too_big(
                book,
                f"the sheet has more than {limits.max_rows:,} rows, the limit (--max-rows)",
                f"sheet '{sheet}'",
            )
        if len(values) > limits.max_columns:
            raise _too_big(
                book,
                f"row {n} has {len(values):,} columns; the limit is {limits.max_columns:,}",
                f"sheet '{sheet}'",
            )
        yield values


def _header(
    values: tuple, sheet: str, book: str, issues: list[Issue]
) -> tuple[list[str], dict[int, str]]:
    from openpyxl.utils import get_column_letter

    allowed = list(SHEETS.get(sheet, OPEN_SHEETS.get(sheet, ("line",))))
    open_columns = sheet in OPEN_SHEETS
    columns: dict[int, str] = {}
    for i, h in enumerate(values):
        if h is None or str(h).strip() == "":
            continue
        h = str(h).strip()
        where = f"sheet '{sheet}', row 1, column {get_column_letter(i + 1)}"
        if h in columns.values():
            issues.append(
                Issue("duplicate-column", f"column '{h}' appears twice; keep one", book, where)
            )
        elif h in allowed or open_columns:
            columns[i] = h  # in open sheets, a criterion id (checked by the loader) or csv column
        else:
            issues.append(
                Issue(
                    "unknown-column",
                    f"unknown column '{h}'.{did_you_mean(h, allowed)} "
                    f"Columns of this sheet: {', '.join(allowed)}",
                    book,
                    where,
                )
            )
    return list(columns.values()), columns


def _data_rows(
    rows: Iterable[tuple],
    sheet: str,
    book: str,
    columns: dict[int, str],
    raw: bool,
    issues: list[Issue],
) -> Iterator[Row]:
    from openpyxl.utils import get_column_letter

    letters = {h: get_column_letter(i + 1) for i, h in columns.items()}
    for n, values in enumerate(rows, start=2):
        if raw:  # allocation.yaml lines: blank lines and indentation are content
            line = values[0] if values else None
            yield Row(sheet, n, {"line": "" if line is None else str(line)}, letters)
            continue
        cells = {h: _clean(values[i]) for i, h in columns.items() if i < len(values)}
        for i, v in enumerate(values):
            if i not in columns and _clean(v) is not None:
                issues.append(
                    Issue(
                        "unnamed-column",
                        "a value in a column without a known header; add the header or "
                        "clear the cell",
                        book,
                        f"sheet '{sheet}', row {n}, column {get_column_letter(i + 1)}",
                    )
                )
        if any(v is not None for v in cells.values()):
            yield Row(sheet, n, cells, letters)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def workbook_files(
    path: Path, limits: Limits = Limits()
) -> tuple[dict[str, Any], dict[str, dict[str, tuple[str, str]]], list[Issue], set[str]]:
    """A workbook's documents, where each entry came from, the problems found in its cells
    (all of them) and the sheets it has."""
    issues: list[Issue] = []
    tables, headers = read_workbook(path, issues, limits)
    if any(i.code == "missing-sheet" for i in issues):
        return {}, {}, issues, set(headers)  # the other sheets' ids would all look unknown
    files, where = tables_to_files(tables, Path(path).name, issues, headers)
    return files, where, issues, set(headers)


# ---------------------------------------------------------------- YAML edited in place


def edited_yaml(rel: str, old_text: str, new: Any) -> str:
    """``old_text`` changed to hold ``new``, keeping comments, layout and unchanged lines.

    The old document is loaded with ruamel.yaml's round-trip loader and updated value by
    value (a value equal to the old one keeps its old spelling, ``1/7`` or ``1.0e+3``);
    both versions are emitted, and only the lines that differ between them replace the
    matching lines of ``old_text``. Keys no sheet models are kept. Falls back to the whole
    emitted document when the patch would not read back as ``new``.
    """
    import yaml
    from ruamel.yaml import YAML

    best: tuple[int, str, str] | None = None
    for offset in (2, 0):
        rt = YAML(typ="rt")
        rt.preserve_quotes = True
        rt.width = 100
        rt.indent(mapping=2, sequence=offset + 2, offset=offset)
        try:
            before, after = _emit(rt, rt.load(old_text)), rt.load(old_text)
        except Exception:  # noqa: BLE001 - ruamel raises many kinds; then write anew
            return _fresh(new)
        changed = _emit(rt, _merge(after, new, rel, ()))
        cost = sum(a != b for a, b in zip(before.splitlines(), old_text.splitlines()))
        if best is None or cost < best[0]:
            best = (cost, before, changed)
    _, before, changed = best
    text = _patch(old_text, before, changed)
    try:
        if yaml.safe_load(text) == yaml.safe_load(changed):
            return text
    except yaml.YAMLError:
        pass
    return changed


def _fresh(data: Any) -> str:
    from policyeval.io.writer import dump_yaml

    return dump_yaml(data)


def _emit(rt: Any, data: Any) -> str:
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def _same(old: Any, new: Any) -> bool:
    from policyeval.io.checks import parse_number

    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(new, int | float):
        x = parse_number(old, allow_fraction=True) if isinstance(old, str) else old
        return isinstance(x, int | float) and not isinstance(x, bool) and x == new
    return type(new) is str and isinstance(old, str) and str(old) == new


def _merge(old: Any, new: Any, rel: str, path: tuple[Any, ...]) -> Any:
    """``old`` (a round-trip node) updated to equal ``new``, reusing old nodes where equal."""
    if isinstance(old, dict) and isinstance(new, dict):
        keys = modelled(rel, path)
        for k in [k for k in old if k not in new and (keys is None or k in keys)]:
            if old[k] not in (None, "", [], {}):  # an empty value means what absence means
                del old[k]
        for k, v in new.items():
            old[k] = _merge(old[k], v, rel, (*path, k)) if k in old else _styled(v)
        return old
    if isinstance(old, list) and isinstance(new, list):
        ids = [x.get("id") if isinstance(x, dict) else None for x in old]
        by_id = {i: x for i, x in zip(ids, old) if isinstance(i, str)}
        items = []
        for n, v in enumerate(new):
            vid = v.get("id") if isinstance(v, dict) else None
            match = by_id.get(vid) if vid is not None else (old[n] if n < len(old) else None)
            items.append(_styled(v) if match is None else _merge(match, v, rel, (*path, n)))
        if len(items) != len(old) or any(a is not b for a, b in zip(items, old)):
            old[:] = items
        return old
    return old if _same(old, new) else _styled(new)


def _styled(value: Any) -> Any:
    """New lists of plain values written inline (``[a, b]``), as the workspace style has it."""
    from ruamel.yaml.comments import CommentedSeq

    if isinstance(value, dict):
        return {k: _styled(v) for k, v in value.items()}
    if isinstance(value, list):
        seq = CommentedSeq(_styled(v) for v in value)
        if value and not any(isinstance(v, dict | list) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value


def _patch(original: str, before: str, after: str) -> str:
    """Apply the line changes from ``before`` to ``after`` onto ``original``.

    ``before`` is ``original`` as the emitter writes it; lines equal in all three serve
    as anchors, and between two anchors the original lines stay unless the emitted ones
    changed.
    """
    a, b, c = original.splitlines(True), before.splitlines(True), after.splitlines(True)
    to_a = _matches(b, a)
    to_c = _matches(b, c)
    anchors = [(-1, -1, -1)]
    for i in sorted(set(to_a) & set(to_c)):
        if to_a[i] > anchors[-1][1] and to_c[i] > anchors[-1][2]:
            anchors.append((i, to_a[i], to_c[i]))
    anchors.append((len(b), len(a), len(c)))
    out: list[str] = []
    for (b0, a0, c0), (b1, a1, c1) in zip(anchors, anchors[1:]):
        if b[b0 + 1 : b1] == c[c0 + 1 : c1]:
            out += a[a0 + 1 : a1]
        else:
            out += c[c0 + 1 : c1]
        if b1 < len(b):
            out.append(a[a1])
    return "".join(out)


def _matches(x: list[str], y: list[str]) -> dict[int, int]:
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return {
        block.a + k: block.b + k
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    }


# ---------------------------------------------------------------- staging and commit


@contextmanager
def _locked(root: Path, book: str) -> Iterator[None]:
    """Hold a lock on the workspace folder itself; exit 2 when another import holds it.

    The lock is on the folder (``flock`` of its descriptor), not on a lock file, so that an
    import that changes nothing, or fails, leaves nothing behind; the kernel drops it when
    the process ends, however it ends.
    """
    import fcntl

    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise WorkspaceError(
                [
                    Issue(
                        "workspace-busy",
                        "another import-xlsx is writing this workspace; wait for it to end "
                        "and run again",
                        book,
                    )
                ]
            ) from err
        yield
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step (Linux renameat2); two renames where that is missing."""
    if b.exists():
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            at_fdcwd, rename_exchange = -100, 2
            if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
                return
        os.rename(b, a.with_name(a.name + ".old"))  # not atomic: the journal covers the gap
        os.rename(a, b)
        os.rename(a.with_name(a.name + ".old"), a)
    else:
        os.rename(a, b)


def _commit(root: Path, stage: Path, folders: list[str]) -> None:
    """Put the staged folders in place, completing under a journal a swap a kill may cut."""
    for folder in folders:
        (stage / folder / MARK).touch()
    journal = root / JOURNAL
    journal.write_text(f"{stage.name}\n" + "".join(f"{f}\n" for f in folders))
    _complete(root, stage, folders)
    journal.unlink()


def _complete(root: Path, stage: Path, folders: list[str]) -> None:
    for folder in folders:
        if not (root / folder / MARK).exists():
            if (stage / folder / MARK).exists():
                _exchange(stage / folder, root / folder)
        (root / folder / MARK).unlink(missing_ok=True)


def _recover(root: Path) -> None:
    """Finish a commit a kill interrupted, and clear staging folders it left."""
    journal = root / JOURNAL
    if journal.is_file():
        name, *folders = journal.read_text().split()
        stage = root / name
        if name.startswith(STAGE_PREFIX) and _inside(root, stage) and stage.is_dir():
            _complete(root, stage, [f for f in folders if f in FOLDERS])
        journal.unlink()
    for leftover in root.glob(STAGE_PREFIX + "*"):
        if leftover.is_dir() and not leftover.is_symlink() and _inside(root, leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def _link_tree(src: Path, dst: Path) -> None:
    """``dst`` with the files of ``src``, hard-linked where possible (they are only replaced)."""

    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, symlinks=True, copy_function=link)


def _stage_write(stage: Path, rel: str, text: str) -> None:
    """Write ``text`` to ``stage/rel`` through a new file (never into a linked one)."""
    target = stage / rel
    if not _inside(stage, target):
        raise WorkspaceError(
            [Issue("outside-workspace", "refusing to write outside the workspace", rel)]
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, target)
    except OSError as err:
        raise WorkspaceError(
            [Issue("not-writable", f"cannot write the file ({err.strerror})", rel)]
        ) from err


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------- import


def import_workbook(
    path: Path, root: Path, force: bool = False, limits: Limits = Limits()
) -> ImportResult:
    """Write a workbook's content into the workspace ``root``, all or nothing.

    Parameters
    ----------
    path : Path
        The .xlsx workbook.
    root : Path
        The workspace folder (created when missing).
    force : bool
        Replace or remove existing files whose content the workbook changes.
    limits : Limits
        Bounds on the workbook's size.

    Raises
    ------
    WorkspaceError
        Every problem in the workbook at once (each naming sheet, row and column), a limit
        exceeded, another import running, or files that would change without ``force``.
        Nothing in ``root`` has changed then.
    """
    path, root = Path(path), Path(root)
    files, where, issues, sheets = workbook_files(path, limits)
    if not files:
        raise WorkspaceError(issues)  # a sheet is missing: the loader would only repeat it
    created = not root.exists()
    try:
        root.mkdir(parents=True, exist_ok=True)
        with _locked(root, path.name):
            _recover(root)
            return _import(path, root, files, where, issues, sheets, force)
    except BaseException:
        if created:
            shutil.rmtree(root, ignore_errors=True)
        raise


def _import(
    path: Path,
    root: Path,
    files: dict[str, Any],
    where: dict[str, dict[str, tuple[str, str]]],
    issues: list[Issue],
    sheets: set[str],
    force: bool,
) -> ImportResult:
    current = managed_files(root)
    current += [rel for rel in (ALLOCATION, COUNTRIES) if (root / rel).is_file()]
    managed = set(managed_files(root))
    managed |= {
        rel
        for rel, sheet in ((ALLOCATION, "allocation"), (COUNTRIES, "countries"))
        if sheet in sheets
    }
    result = ImportResult()
    texts: dict[str, str] = {}
    for rel, data in files.items():
        if not _inside(root, root / rel):
            issues.append(
                Issue(
                    "outside-workspace", "refusing to write outside the workspace", path.name, rel
                )
            )
            continue
        old = (root / rel).read_text(encoding="utf-8") if (root / rel).is_file() else None
        if isinstance(data, str):
            text = data
            if old is not None and rel == COUNTRIES and _same_csv(old, text):
                text = old
        else:
            text = _fresh(data) if old is None else edited_yaml(rel, old, data)
        texts[rel] = text
        if old is None:
            result.written.append(rel)
        elif old != text:
            result.written.append(rel)
        else:
            result.unchanged.append(rel)
    result.removed = [rel for rel in current if rel in managed and rel not in files]
    stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=root))
    try:
        for folder in FOLDERS:
            if (root / folder).is_dir():
                _link_tree(root / folder, stage / folder)
            else:
                (stage / folder).mkdir()
        for rel in result.removed:
            (stage / rel).unlink()
        for rel in result.written:
            _stage_write(stage, rel, texts[rel])
        issues += _validate(stage, root, where, path.name, issues)
        if issues:
            raise WorkspaceError(issues)
        overwritten = [rel for rel in result.written if rel in current] + result.removed
        if overwritten and not force:
            raise WorkspaceError(
                [
                    Issue(
                        "would-overwrite",
                        f"the workbook would change {_listing(overwritten)}; check the workbook "
                        f"is meant for the workspace '{root}' and run again with --force",
                        path.name,
                    )
                ]
            )
        changed = {rel.split("/")[0] for rel in result.written + result.removed}
        if changed:
            _commit(root, stage, [f for f in FOLDERS if f in changed])
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return result


def _same_csv(a: str, b: str) -> bool:
    import csv

    return list(csv.reader(io.StringIO(a))) == list(csv.reader(io.StringIO(b)))


def _validate(
    stage: Path,
    root: Path,
    where: dict[str, dict[str, tuple[str, str]]],
    book: str,
    seen: list[Issue],
) -> list[Issue]:
    """The staged workspace's problems at the cells they come from, less those already told."""
    from policyeval.io import load_workspace

    try:
        load_workspace(stage)
    except WorkspaceError as err:
        told = {i.entry for i in seen}
        out = []
        for issue in _locate(err.issues, where, book):
            if issue.entry in told:
                continue  # a follow-on of a cell already reported
            message = issue.message.replace(str(stage), str(root))
            out.append(
                Issue(issue.code, message, issue.file, issue.entry.replace(str(stage), str(root)))
            )
        return out
    return []


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
