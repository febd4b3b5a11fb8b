"""``policyeval report``: write policy memos (brief, memo, full) as md, html, pdf and docx."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from policyeval.cli.common import (
    ProfileOpt,
    WorkspaceOpt,
    analyze,
    check_choice,
    check_size,
    handle_errors,
    step,
    usage_error,
)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("report")(report)


def _choices(value: str, allowed: tuple[str, ...], option: str) -> list[str]:
    """``all``, one name or a comma-separated list, checked against ``allowed``."""
    names = list(allowed) if value == "all" else [v.strip() for v in value.split(",") if v.strip()]
    for name in names or [value]:
        check_choice(name, allowed, option, note=", all (or a comma-separated list)")
    return [n for n in allowed if n in names]


def _date(value: str | None) -> str:
    """The memo date: --date, else SOURCE_DATE_EPOCH, else today (UTC)."""
    import datetime as dt

    if value is None:
        from policyeval.reporting.provenance import default_date

        return default_date()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        usage_error(f"the date must look like YYYY-MM-DD. Got '{value}' instead.", "--date")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        usage_error(
            f"'{value}' is not a calendar date; give an existing day as YYYY-MM-DD "
            "(e.g. 2026-02-28).",
            "--date",
        )
    return value


@handle_errors
def report(
    workspace: WorkspaceOpt = Path("."),
    profile: ProfileOpt = None,
    template: Annotated[
        str,
        typer.Option(
            "--template", "-t", help="brief, memo, full, all, or a list such as memo,brief."
        ),
    ] = "memo",
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="md, html, pdf, docx, all, or a list such as md,docx."),
    ] = "md",
    every: Annotated[
        bool,
        typer.Option("--all", help="Every template in every format (--template all --format all)."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (default: WORKSPACE/reports)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Memo date YYYY-MM-DD (default: today; fix it to reproduce)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Monte Carlo seed.")] = 0,
    samples: Annotated[int, typer.Option("--samples", help="Monte Carlo samples.")] = 10_000,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="An earlier version (decision.json, workspace folder or git revision): adds "
            "the section What changed since the last version.",
        ),
    ] = None,
) -> None:
    """Write a policy memo: bottom line, ranking, robustness, budget, evidence, provenance.

    Templates can be overridden by files of the same name in
    WORKSPACE/reports/templates/ (rendered in a sandbox). Prints the paths written.
    """
    from policyeval.reporting import build_report, report_context, write_report
    from policyeval.reporting.render import FORMATS, TEMPLATES, check_writable

    if every:
        template, fmt = "all", "all"
    templates = _choices(template, TEMPLATES, "--template")
    formats = _choices(fmt, FORMATS, "--format")
    memo_date = _date(date)
    if samples < 1:
        usage_error(f"must be an integer >= 1. Got {samples} instead.", "--samples")
    check_size("samples", samples, "--samples")
    target = out if out is not None else workspace / "reports"
    check_writable(target)
    with step("load"):
        a = analyze(workspace, profile)
    with step("analysis"):
        ctx = report_context(
            a,
            date=memo_date,
            seed=seed,
            samples=samples,
            command={"template": template, "format": fmt, "since": since},
            templates=templates,
            formats=formats,
        )
    from policyeval.record import FILE, decision_record, to_bytes

    changes = None
    if since is not None:
        from policyeval.diff import since_section

        with step("changes since " + since):
            ctx["since"], changes = since_section(a, workspace, since, samples=samples, seed=seed)
    with step("render") as say:
        record = to_bytes(  # first: the charts are still being drawn meanwhile
            decision_record(
                a,
                samples=samples, seed=seed, date=memo_date, templates=templates, formats=formats,
                next_steps=ctx["next_steps"],
                since=changes.to_dict() if changes else None,
            )
        )  # fmt: skip
        files = build_report(ctx, templates, formats, a.case.templates,
                             made=lambda name: say(f"{name} made"))  # fmt: skip
        files[FILE] = record
    with step("write"):
        written = write_report(files, target)
    for path in written:
        typer.echo(_shown(path))


def _shown(path: Path) -> str:
    """A path relative to the current folder when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
