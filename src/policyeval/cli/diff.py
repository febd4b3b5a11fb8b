"""``policyeval diff``: what changed between two versions of a decision, and why."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from policyeval.cli.common import (
    ProfileOpt,
    WorkspaceOpt,
    console,
    emit_json,
    handle_errors,
    usage_error,
)


class DiffFormat(StrEnum):
    """Output format of ``diff``."""

    table = "table"
    json = "json"
    md = "md"


SideArg = Annotated[
    str,
    typer.Argument(
        help="A decision record (decision.json), a workspace folder, or a git revision of the "
        "workspace (HEAD~1, a tag, a commit)."
    ),
]


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("diff")(diff)


@handle_errors
def diff(
    old: SideArg,
    new: Annotated[
        str | None,
        typer.Argument(help="As OLD (default: the workspace folder as it is now)."),
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    profile: ProfileOpt = None,
    samples: Annotated[
        int | None,
        typer.Option("--samples", help="SMAA samples (default: a record's, else 10,000)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="SMAA seed (default: a record's, else 0).")
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="table (for people), json or md.")
    ] = DiffFormat.table,
) -> None:
    """Input changes, result changes, and which input change moved the recommendation.

    Each of OLD and NEW is a decision record, a workspace folder or a git revision of
    the workspace (-w). The change in the recommended choice's wsm value is replayed
    one changed input file at a time and split by the Shapley value (up to 10 files).
    """
    from policyeval.diff import diff as compare

    if samples is not None and samples < 1:
        usage_error(f"must be an integer >= 1. Got {samples} instead.", "--samples")
    if seed is not None and seed < 0:
        usage_error(f"must be an integer >= 0. Got {seed} instead.", "--seed")
    result = compare(
        old, new if new is not None else workspace, workspace,
        profile=profile, samples=samples, seed=seed,
    )  # fmt: skip
    if fmt is DiffFormat.json:
        emit_json(result.to_dict())
    elif fmt is DiffFormat.md:
        typer.echo(result.markdown(f"# What changed: {result.old} → {result.new}"), nl=False)
    else:
        _print(result)


def _print(result) -> None:  # noqa: ANN001
    from rich.table import Table

    out = console()
    out.print(f"{result.old} → {result.new}: {result.summary()}")
    for title, rows in (("Input changes", result.inputs), ("Result changes", result.results)):
        if not rows:
            continue
        table = Table(title=title)
        for col in ("kind", "change", "file"):
            table.add_column(col)
        for c in rows:
            table.add_row(c.kind, c.text, c.group or "")
        out.print(table)
    at = result.attribution
    if at is not None and at.groups:
        table = Table(title="Attribution (recommended choice and its wsm value)")
        for col in ("change group", "alone", "without it", "Shapley share"):
            table.add_column(col, justify="right" if col == "Shapley share" else "left")
        for g in at.groups:
            share = "—" if g.shapley is None else f"{g.shapley:+.4f}"
            table.add_row(
                g.group,
                f"{g.alone.choice} ({g.alone.value:.4f})",
                f"{g.without.choice} ({g.without.value:.4f})",
                share,
            )
        out.print(table)
    if result.note:
        out.print(result.note)
