"""``policyeval export-xlsx`` and ``import-xlsx``: the workspace as an Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from policyeval.model import Workspace

from policyeval.cli.common import ProfileOpt, WorkspaceOpt, handle_errors, load, usage_error

FileArg = Annotated[Path, typer.Argument(help="The .xlsx workbook.")]


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command("export-xlsx")(export_xlsx)
    app.command("import-xlsx")(import_xlsx)


@handle_errors
def export_xlsx(
    file: FileArg,
    workspace: WorkspaceOpt = Path("."),
    results: Annotated[
        bool,
        typer.Option(
            "--results", help="Add a 'methods' sheet: ranks by every method and a bar chart."
        ),
    ] = False,
    profile: ProfileOpt = None,
) -> None:
    """Write the workspace to an Excel model: score matrix, weights, live results, all tables."""
    if file.suffix.lower() != ".xlsx":
        usage_error(f"the workbook must be an .xlsx file, got '{file.name}'", "FILE")
    if profile is not None and not results:
        usage_error("--profile chooses the weights of --results; add --results", "--profile")
    export_workbook(load(workspace), file, profile, results)
    typer.echo(f"wrote {file}")
    typer.echo(f"edit it, then: policyeval import-xlsx {file} -w {workspace}")


def export_workbook(
    ws: Workspace, file: Path, profile: str | None = None, results: bool = False
) -> Path:
    """Write the Excel model of a workspace: every profile's weights from the pipeline,
    and with ``results`` the ranks by every method under ``profile``."""
    from policyeval.analysis import Analysis
    from policyeval.errors import WorkspaceError
    from policyeval.io.xlsx_export import write_workbook

    weights: dict[str, dict[str, float]] = {}
    for pid in ws.profiles:
        try:
            weights[pid] = Analysis(ws, profile=pid).weights.weights
        except WorkspaceError:
            weights[pid] = {}  # e.g. entropy of constant scores: left blank
    ranking = Analysis(ws, profile=profile).rankings().to_dict() if results else None
    return write_workbook(ws, file, weights, ranking)


@handle_errors
def import_xlsx(
    file: FileArg,
    workspace: WorkspaceOpt = Path("."),
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace existing files whose content the workbook changes."),
    ] = False,
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, help="Refuse a sheet with more rows.")
    ] = 100_000,
    max_bytes: Annotated[
        int,
        typer.Option(
            "--max-bytes", min=1, help="Refuse a larger file (or one unpacking to 10x this)."
        ),
    ] = 20_000_000,
) -> None:
    """Read a workbook back into the workspace (every cell checked first; all or nothing)."""
    from policyeval.io.xlsx_import import Limits, import_workbook

    if not file.is_file():
        usage_error(f"no such file: {file}", "FILE")
    limits = Limits(max_bytes=max_bytes, max_rows=max_rows)
    result = import_workbook(file, workspace, force=force, limits=limits)
    for rel in result.written:
        typer.echo(f"wrote   {rel}")
    for rel in result.removed:
        typer.echo(f"removed {rel}")
    if not result.written and not result.removed:
        typer.echo("nothing to do: the workspace already holds this content")
    elif result.unchanged:
        typer.echo(f"({len(result.unchanged)} files unchanged)")
    typer.echo(f"next: policyeval validate -w {workspace}; policyeval rank -w {workspace}")
