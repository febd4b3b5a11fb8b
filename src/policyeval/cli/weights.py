"""``policyeval weights``: criteria weights of one profile (or all), with consistency."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policyeval.cli.common import (
    Format,
    FormatOpt,
    ProfileOpt,
    WorkspaceOpt,
    console,
    emit_csv,
    emit_json,
    fmt_num,
    handle_errors,
    load,
    print_warnings,
)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("weights")(weights)


@handle_errors
def weights(
    workspace: WorkspaceOpt = Path("."),
    profile: ProfileOpt = None,
    all_profiles: Annotated[
        bool, typer.Option("--all", help="Every profile of the workspace.")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Criteria weights of a profile, with the AHP consistency ratio and warnings."""
    from policyeval.api import Analysis

    a = Analysis(load(workspace), profile=profile)
    ws = a.case
    results = list(a.profiles().values()) if all_profiles else [a.weights]
    if fmt is Format.json:
        emit_json(results[0].to_dict() if not all_profiles else [r.to_dict() for r in results])
    elif fmt is Format.csv:
        emit_csv(
            ["profile", "criterion", "weight"],
            [(r.profile, c, w) for r in results for c, w in r.weights.items()],
        )
    else:
        from rich.table import Table

        table = Table(title=f"Weights — {ws.title}")
        table.add_column("criterion", no_wrap=True)
        table.add_column("group", no_wrap=True)
        for r in results:
            table.add_column(f"{r.profile}\n({r.method})", justify="right")
        for c in ws.criteria:
            table.add_row(c.id, c.group or "", *(fmt_num(r.weights[c.id]) for r in results))
        crs = [
            fmt_num(r.consistency_ratio) if r.consistency_ratio is not None else "" for r in results
        ]
        if any(crs):
            table.add_row("AHP consistency", "ratio (CR)", *crs)
        console().print(table)
    for r in results:
        print_warnings(r.warnings)
