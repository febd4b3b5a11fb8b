"""What every command shares: options, output formats, errors and exit codes.

Kept light: only typer and the standard library are imported at module level,
so ``policyeval --help`` starts fast. Commands import heavy modules inside.

Exit codes (DESIGN.md): 0 success, 2 invalid input or usage, 3 infeasible or
unbounded optimization, 1 unexpected internal error (traceback with --debug).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from policyeval.api import Analysis
    from policyeval.model import Workspace


class Format(StrEnum):
    """Output format of an analysis command."""

    table = "table"
    json = "json"
    csv = "csv"


WORKSPACE_ENV = "POLICYEVAL_WORKSPACE"

#: Where the last search for a workspace looked when it found none ("" when it found one).
SEARCHED = {"note": ""}


def find_workspace(start: Path) -> Path | None:
    """The first of ``start`` and its parents holding ``criteria/`` and ``options/``, or None."""
    for folder in (start, *start.parents):
        if (folder / "criteria").is_dir() and (folder / "options").is_dir():
            return folder
    return None


def _workspace(ctx: typer.Context, param: typer.CallbackParam, value: Path) -> Path:
    """``-w`` if given, else $POLICYEVAL_WORKSPACE, else the nearest workspace upward (as git)."""
    SEARCHED["note"] = ""
    source = ctx.get_parameter_source(param.name or "")
    if source is None or source.name != "DEFAULT":
        return value
    cwd = Path.cwd()
    found = find_workspace(cwd)
    if found is None:
        SEARCHED["note"] = (
            f"no workspace found: searched {cwd} and every folder above it for criteria/ and "
            f"options/, and {WORKSPACE_ENV} is not set. Pass --workspace DIR, set "
            f"{WORKSPACE_ENV}, or create one with 'policyeval init DIR'"
        )
        return value
    return Path(os.path.relpath(found, cwd))


WorkspaceOpt = Annotated[
    Path,
    typer.Option(
        "--workspace",
        "-w",
        envvar=WORKSPACE_ENV,
        callback=_workspace,
        show_envvar=True,
        help="Workspace folder (criteria/ and options/ inside). Default: the current folder or "
        "the nearest one above it holding criteria/ and options/.",
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", "-p", help="Weight profile (file stem in criteria/weights/)."),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="table (for people), json or csv.")
]

F = TypeVar("F", bound=Callable[..., Any])

DEBUG = {"on": False}

#: The global -v/--verbose and -q/--quiet options of the current run.
OUTPUT = {"verbose": False, "quiet": False}


SCHEMA_VERSION = "1"
"""Version of the JSON shapes (DESIGN.md); raised only when a shape changes incompatibly."""

ERROR_CODES = {2: "invalid-input", 3: "infeasible", 1: "internal"}


def handle_errors(func: F) -> F:
    """Map policyeval errors to messages and exit codes; no traceback unless --debug.

    With ``--format json`` (the command's ``fmt`` argument) the error is a JSON
    document on standard output instead (:func:`emit_error`), with the same exit code.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from policyeval.errors import InfeasibleError, Issue, WorkspaceError

        as_json = kwargs.get("fmt") == Format.json
        try:
            return func(*args, **kwargs)
        except WorkspaceError as err:
            issues = [as_flag(i) for i in err.issues]
            if as_json:
                emit_error(2, issues)
            else:
                print_issues(issues)
            raise typer.Exit(2) from err
        except InfeasibleError as err:
            if as_json:
                emit_error(
                    3,
                    [Issue("infeasible", str(err))]
                    + [Issue("binding-constraint", name) for name in err.constraints],
                )
            else:
                err_console_print(f"infeasible: {err}")
                for name in err.constraints:
                    err_console_print(f"  - {name}")
            raise typer.Exit(3) from err
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as err:  # noqa: BLE001 - the last resort, exit code 1
            if DEBUG["on"]:
                raise
            message = f"internal error: {type(err).__name__}: {err}"
            if as_json:
                emit_error(1, [Issue("internal", message)])
            else:
                err_console_print(
                    f"{message}\nRun again with --debug for the traceback, and please report it."
                )
            raise typer.Exit(1) from err

    return wrapper  # type: ignore[return-value]


def emit_error(exit_code: int, issues: Iterable[Any]) -> None:
    """Print an error as JSON on standard output.

    ``{"schema_version", "error": {"code", "exit_code", "problems": [{"code",
    "message", "file", "entry"}]}}``; ``code`` is ``invalid-input`` (exit 2),
    ``infeasible`` (3) or ``internal`` (1).
    """
    problems = [
        {"code": i.code, "message": i.message, "file": i.file, "entry": i.entry} for i in issues
    ]
    emit_json(
        {"error": {"code": ERROR_CODES[exit_code], "exit_code": exit_code, "problems": problems}}
    )


def err_console_print(text: str) -> None:
    """Print to standard error."""
    sys.stderr.write(text.rstrip("\n") + "\n")


def print_issues(issues: Iterable[Any]) -> None:
    """Print problems as a list on standard error, one line each."""
    issues = list(issues)
    noun = "problem" if len(issues) == 1 else "problems"
    err_console_print(f"error: {len(issues)} {noun} found:")
    for issue in issues:
        err_console_print(f"  - {_visible(str(issue))}")


def _visible(text: str) -> str:
    r"""Control characters shown as escapes, so that one problem stays one line.

    Examples
    --------
    >>> _visible("packages.both\nx")
    'packages.both\\nx'
    """
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], text)


def load(workspace: Path) -> Workspace:
    """Load and validate a workspace (raises WorkspaceError)."""
    from policyeval.io import load_workspace

    if SEARCHED["note"]:
        from policyeval.errors import Issue, WorkspaceError

        raise WorkspaceError([Issue("no-workspace", SEARCHED["note"], "", "--workspace")])
    return load_workspace(workspace)


def analyze(workspace: Path, profile: str | None) -> Analysis:
    """The analysis of a workspace under a profile; the profile's warnings on stderr."""
    from policyeval.api import Analysis

    a = Analysis(load(workspace), profile=profile)
    print_warnings(a.weights.warnings)
    return a


def as_flag(issue: Any) -> Any:
    """An issue about a setting (no file, entry a parameter name) names the flag instead.

    The library names settings by parameter (``top_k``); the command line by
    flag (``--top-k``).
    """
    from dataclasses import replace

    if issue.file or not re.fullmatch(r"[a-z][a-z_]*", issue.entry or ""):
        return issue
    return replace(issue, entry="--" + issue.entry.replace("_", "-"))


def usage_error(message: str, entry: str = "") -> None:
    """Raise a WorkspaceError for a bad command-line argument (exit code 2)."""
    from policyeval.errors import Issue, WorkspaceError

    raise WorkspaceError([Issue("bad-argument", message, "", entry)])


def check_number(value: float | None, option: str) -> None:
    """A usage error unless ``value`` is None or a finite number of a sane size (limit
    ``magnitude``): ``--budget nan``, ``inf`` or ``1e400`` stop here (exit code 2)."""
    if value is None:
        return
    from policyeval.io.checks import magnitude_problem

    if not math.isfinite(value):
        usage_error(f"must be a finite number. Got {value} instead; give a number", option)
    if (problem := magnitude_problem(value)) is not None:
        usage_error(problem, option)


def check_size(name: str, value: int | None, option: str) -> None:
    """A usage error naming the limit when ``value`` is over limit ``name`` (see limits)."""
    if value is not None:
        from policyeval.limits import check

        check(name, value, "", "", option)


def check_choice(
    value: str, choices: Sequence[str], option: str, what: str = "", note: str = ""
) -> str:
    """Return ``value`` if it is one of ``choices``, else a usage error with a did-you-mean."""
    if value not in choices:
        from policyeval.errors import did_you_mean

        usage_error(
            f"unknown {what or option.lstrip('-')} '{value}'.{did_you_mean(value, choices)} "
            f"Choices: {', '.join(choices)}{note}",
            option,
        )
    return value


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, tuple):
        return list(obj)
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serializable: {type(obj).__name__}")


def dumps(data: Any) -> str:
    """JSON with full float precision and a stable key order."""
    return json.dumps(data, indent=2, default=_jsonable, ensure_ascii=False, allow_nan=False)


def emit_json(data: Any) -> None:
    """Print a JSON document on standard output, with its ``schema_version``.

    A dict gets ``"schema_version"`` as its last key (the DESIGN keys keep their
    order); a list (``weights --all``) keeps its shape and each of its dicts gets the key.
    """

    def versioned(d: Any) -> Any:
        return {**d, "schema_version": SCHEMA_VERSION} if isinstance(d, dict) else d

    data = [versioned(d) for d in data] if isinstance(data, list) else versioned(data)
    sys.stdout.write(dumps(data) + "\n")


def emit_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Print rows as CSV on standard output (floats at full precision)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row])
    sys.stdout.write(buf.getvalue())


def console() -> Any:
    """A rich console on standard output (imported lazily)."""
    from rich.console import Console

    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", 120))
    return Console(width=width, markup=False, highlight=False)


def fold(table: Any) -> Any:
    """Let every column of a rich table fold its text (headers included) rather than cut it."""
    for column in table.columns:
        column.overflow = "fold"
    return table


def print_blocks(make: Callable[[list[str]], Any], keys: Sequence[str], out: Any = None) -> None:
    """Print a table in blocks of columns that fit the console width (e.g. at 80 columns).

    ``make(block)`` builds the table whose data columns are the ``block`` of ``keys``
    (its leading columns, such as the option, repeat in every block). A key goes to
    the next block when adding it would make the table wider than the console.
    """
    out = out or console()
    unbounded = out.options.update_width(10_000)  # the natural width, not clamped to the console
    blocks: list[list[str]] = [[]]
    for key in keys:
        wide = out.measure(make([*blocks[-1], key]), options=unbounded).maximum
        if blocks[-1] and wide > out.width:
            blocks.append([])
        blocks[-1].append(key)
    for i, block in enumerate(blocks):
        table = fold(make(block))
        if len(blocks) > 1 and table.title:
            table.title = f"{table.title} ({i + 1}/{len(blocks)})"
        out.print(table)


def fmt_num(x: float | None, digits: int = 3) -> str:
    """Round a number for a table."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:.{digits}f}"


def print_warnings(warnings: Iterable[str]) -> None:
    """Print warnings (e.g. an inconsistent AHP profile) on standard error, unless -q."""
    for w in warnings:
        if not OUTPUT["quiet"]:
            err_console_print(f"warning: {w}")


def err_console() -> Any:
    """A rich console on standard error (imported lazily), for progress."""
    from rich.console import Console

    return Console(stderr=True, markup=False, highlight=False)


def show_progress() -> bool:
    """Whether to draw progress: standard error is a terminal and -q is not given."""
    return sys.stderr.isatty() and not OUTPUT["quiet"]


@contextmanager
def step(name: str) -> Iterator[Callable[[str], None]]:
    """One step of a long command, on standard error.

    While it runs, its name (``⠋ render…``) when standard error is a terminal, and
    what the function it gives says of its progress (``⠙ render… memo.pdf made``);
    with -v, a line with its time when it ends (also when not a terminal); nothing
    with -q, nor when standard error is a file or a pipe without -v. The line is
    redrawn when progress is said, never by a thread (an animation needs one, and a
    thread alive stops the forked workers, :func:`policyeval.forked.can_fork`).
    """
    start = time.perf_counter()
    shown: Any = nullcontext()
    if show_progress():
        from rich.live import Live
        from rich.spinner import Spinner

        spinner = Spinner("dots", f"{name}…")
        shown = Live(spinner, console=err_console(), transient=True, auto_refresh=False)
    with shown as live:

        def say(progress: str) -> None:
            if live is not None:
                spinner.update(text=f"{name}… {progress}")
                live.refresh()

        yield say
    if OUTPUT["verbose"] and not OUTPUT["quiet"]:
        err_console_print(f"{name}: {time.perf_counter() - start:.2f} s")


@contextmanager
def progress_bar(task: str, total: int, *columns: Any) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error, moved by the function it gives (done so far).

    Redrawn at each call, never by a thread of its own (a thread alive stops the
    forked workers, :func:`policyeval.forked.can_fork`); ``columns`` are shown after
    rich's default ones.
    """
    from rich.progress import Progress

    with Progress(*Progress.get_default_columns(), *columns, console=err_console(),
                  transient=True, auto_refresh=False) as bar:  # fmt: skip
        tid = bar.add_task(task, total=total)
        yield lambda done: bar.update(tid, completed=done, refresh=True)
