"""``policyeval validate``: check a workspace and summarize it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policyeval.cli.common import Format, WorkspaceOpt, emit_json, handle_errors, load


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("validate")(validate)


@handle_errors
def validate(
    workspace: WorkspaceOpt = Path("."),
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table (for people) or json.")
    ] = Format.table,
) -> None:
    """Check every file of a workspace; print "ok" with a summary, or every problem (exit 2)."""
    if fmt is Format.csv:
        from policyeval.cli.common import usage_error

        usage_error("validate prints table or json, not csv.", "--format")
    ws = load(workspace)
    if fmt is Format.json:
        emit_json(
            {
                "ok": True,
                "title": ws.title,
                "criteria": [c.id for c in ws.criteria],
                "options": [o.id for o in ws.options],
                "baseline": ws.baseline.id if ws.baseline else None,
                "packages": [p.id for p in ws.packages],
                "profiles": sorted(ws.profiles),
                "default_profile": ws.default_profile,
                "warnings": [],  # the loader reports every problem as an error
            }
        )
        return
    measures = ws.measures
    recs = sorted({o.recommendation for o in measures if o.recommendation})
    judged = sum(s.is_judgement for o in ws.options for s in o.scores.values())
    total = sum(len(o.scores) for o in ws.options)
    lines = [
        f"ok: {ws.title}",
        f"  criteria: {len(ws.criteria)} in {len(ws.groups)} groups",
        f"  options:  {len(measures)} measures"
        + (f" across recommendations {', '.join(recs)}" if recs else "")
        + (f"; baseline '{ws.baseline.id}'" if ws.baseline else "; no baseline"),
        f"  scores:   {total} ({judged} with a range)",
        f"  packages: {len(ws.packages)} ({len(ws.synergies)} "
        + ("synergy)" if len(ws.synergies) == 1 else "synergies)"),
        f"  profiles: {', '.join(sorted(ws.profiles))}"
        + (f" (default: {ws.default_profile})" if ws.default_profile else ""),
    ]
    typer.echo("\n".join(lines))
