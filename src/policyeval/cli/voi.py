"""``policyeval voi``: what is it worth to learn each uncertain input before deciding?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policyeval.cli.common import (
    Format,
    FormatOpt,
    ProfileOpt,
    WorkspaceOpt,
    analyze,
    check_choice,
    console,
    emit_csv,
    emit_json,
    fmt_num,
    handle_errors,
    usage_error,
)

WEIGHTS = ("fixed", "bounds", "simplex")
DECISIONS = ("options", "packages", "portfolio")


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("voi")(voi)


@handle_errors
def voi(
    workspace: WorkspaceOpt = Path("."),
    profile: ProfileOpt = None,
    samples: Annotated[int, typer.Option("--samples", help="Monte Carlo samples.")] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="Monte Carlo seed.")] = 0,
    weights: Annotated[
        str,
        typer.Option(
            "--weights",
            help="fixed (the profile's), bounds (uniform within the profile's bounds) or "
            "simplex (uniform over all weights).",
        ),
    ] = "fixed",
    decision: Annotated[
        str,
        typer.Option(
            "--decision",
            help="options, packages, or portfolio (which measures to fund within the budget).",
        ),
    ] = "options",
    top: Annotated[
        int | None, typer.Option("--top", help="Show only the N inputs worth most.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Value of information: EVPI, and EVPPI of every score, weight, option and criterion."""
    check_choice(weights, WEIGHTS, "--weights")
    check_choice(decision, DECISIONS, "--decision")
    if top is not None and top < 1:
        usage_error(f"must be an integer >= 1. Got {top} instead.", "--top")
    a = analyze(workspace, profile)
    result = a.value_of_information(samples=samples, seed=seed, weights=weights, decision=decision)
    data = result.to_dict()
    data["inputs"] = data["inputs"][:top]
    if fmt is Format.json:
        emit_json(data)
    elif fmt is Format.csv:
        emit_csv(
            ["input", "evppi", "se", "changes_choice"],
            [(i["input"], i["evppi"], i["se"], i["changes_choice"]) for i in data["inputs"]],
        )
    else:
        from policyeval.next_steps import next_steps

        _print(data, a.case.title, next_steps(a, result))


def _print(data: dict, title: str, steps) -> None:  # noqa: ANN001
    from rich.table import Table

    table = Table(
        title=f"{title}\nvalue of information ({data['decision']}, {data['samples']} samples, "
        f"seed {data['seed']}): EVPI {data['evpi']:.4g} ± {data['evpi_se']:.2g}"
    )
    for col, justify in (("input", "left"), ("EVPPI", "right"), ("se", "right")):
        table.add_column(col, justify=justify)
    table.add_column("changes choice", justify="right")
    for i in data["inputs"]:
        table.add_row(
            i["input"],
            f"{i['evppi']:.3g}",
            f"{i['se']:.2g}",
            fmt_num(100 * i["changes_choice"], 1) + "%",
        )
    console().print(table)
    console().print(steps.summary)
    for s in steps.steps:
        console().print(f"- {s.text}")
