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
    emit_csv,
    emit_json,
    fmt_num,
    handle_errors,
    load,
    print_blocks,
    print_warnings,
)

PROFILE_WIDTH = 10
"""Widest profile column: longer profile names fold, so that more profiles fit at 80 columns."""


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

        by_name = {r.profile: r for r in results}
        crs = {
            r.profile: fmt_num(r.consistency_ratio)
            for r in results
            if r.consistency_ratio is not None
        }

        def make(block: list[str]) -> Table:
            table = Table(title=f"Weights — {ws.title}")
            table.add_column("criterion", no_wrap=True)
            if not all_profiles:  # the groups once, not in every block of profiles
                table.add_column("group", no_wrap=True)
            for name in block:
                table.add_column(
                    f"{name}\n({by_name[name].method})", justify="right", max_width=PROFILE_WIDTH
                )
            for c in ws.criteria:
                group = [] if all_profiles else [c.group or ""]
                table.add_row(c.id, *group, *(fmt_num(by_name[n].weights[c.id]) for n in block))
            if crs:
                label = (
                    ["AHP consistency (CR)"] if all_profiles else ["AHP consistency", "ratio (CR)"]
                )
                table.add_row(*label, *(crs.get(n, "") for n in block))
            return table

        print_blocks(make, list(by_name))
    for r in results:
        print_warnings(r.warnings)
