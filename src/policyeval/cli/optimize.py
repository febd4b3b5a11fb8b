"""``policyeval optimize``, ``frontier`` and ``allocate``: funding decisions from a ranking."""

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
    check_number,
    check_size,
    console,
    emit_csv,
    emit_json,
    fmt_num,
    handle_errors,
    print_warnings,
    progress_bar,
    show_progress,
    step,
    usage_error,
)

BudgetOpt = Annotated[
    float | None,
    typer.Option(
        "--budget", "-b", help="Budget (default: options/allocation.yaml, else all costs)."
    ),
]
SolverOpt = Annotated[str, typer.Option("--solver", help="cbc (bundled, default) or highs.")]


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command("optimize")(optimize)
    app.command("frontier")(frontier)
    app.command("allocate")(allocate)


def _counts(items: list[str], entry: str) -> dict[str, int]:
    """``["a=1", "d=2"]`` (or ``"a=1,d=2"``) -> ``{"a": 1, "d": 2}``."""
    out: dict[str, int] = {}
    for item in (p for it in items for p in it.split(",") if p):
        rec, _, k = item.partition("=")
        if not k.strip().lstrip("-").isdigit():
            usage_error(f"expected RECOMMENDATION=K (e.g. a=1), got '{item}'", entry)
        out[rec.strip()] = int(k)
    return out


def _ids(items: list[str]) -> list[str]:
    return [p.strip() for it in items for p in it.split(",") if p.strip()]


@handle_errors
def optimize(
    workspace: WorkspaceOpt = Path("."),
    profile: ProfileOpt = None,
    budget: BudgetOpt = None,
    at_least: Annotated[
        list[str], typer.Option("--at-least", help="REC=K: fund at least K measures of (REC).")
    ] = [],  # noqa: B006 - typer needs a list default
    at_most: Annotated[
        list[str], typer.Option("--at-most", help="REC=K: fund at most K measures of (REC).")
    ] = [],  # noqa: B006
    must_fund: Annotated[
        list[str], typer.Option("--must-fund", help="Measure ids that must be funded (id,id).")
    ] = [],  # noqa: B006
    must_not_fund: Annotated[
        list[str], typer.Option("--must-not-fund", help="Measure ids that must not be funded.")
    ] = [],  # noqa: B006
    min_recommendations: Annotated[
        int | None,
        typer.Option("--min-recommendations", help="Cover at least N of the recommendations."),
    ] = None,
    solver: SolverOpt = "cbc",
    robust: Annotated[
        bool, typer.Option("--robust", help="Core index of each measure over random weights.")
    ] = False,
    samples: Annotated[
        int, typer.Option("--samples", help="Weight samples for --robust.")
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for --robust.")] = 0,
    fmt: FormatOpt = Format.table,
) -> None:
    """The best set of measures to fund within a budget (exact MILP): the most value added
    over the baseline."""
    check_number(budget, "--budget")
    check_size("samples", samples, "--samples")
    a = analyze(workspace, profile)
    ws = a.case
    policy = {
        "at_least": _counts(at_least, "--at-least"),
        "at_most": _counts(at_most, "--at-most"),
        "must_fund": tuple(_ids(must_fund)),
        "must_not_fund": tuple(_ids(must_not_fund)),
        "min_recommendations": min_recommendations,
    }
    if robust:
        with step(f"robust portfolio over {samples:,} weight samples"):
            result = a.robust_portfolio(budget, samples=samples, seed=seed, solver=solver, **policy)
    else:
        result = a.portfolio(budget, solver=solver, **policy)
    print_warnings(result.warnings)
    if fmt is Format.json:
        emit_json(result.to_dict())
        return
    titles = {o.id: o.title for o in ws.measures}
    recs = {o.id: o.recommendation for o in ws.measures}
    rows = [(i, recs[i], result.costs[i], v) for i, v in result.added_value.items()]
    if fmt is Format.csv:
        emit_csv(
            ["option", "recommendation", "cost", "added_value", "selected"]
            + (["core_index", "class"] if robust else []),
            [
                [i, r or "", c, v, i in result.selected]
                + ([result.robust["core_index"][i], result.robust["class"][i]] if robust else [])
                for i, r, c, v in rows
            ],
        )
        return
    from rich.table import Table

    table = Table(title=f"Optimal portfolio — {ws.title} (profile {a.profile})")
    for col, just in (
        ("measure", "left"), ("rec.", "left"), ("cost", "right"), ("added value", "right"),
        ("per unit", "right"),
    ):  # fmt: skip
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    if robust:
        table.add_column("core index", justify="right")
    for i, rec, c, v in rows:
        if i in result.selected or robust:
            mark = "" if i in result.selected else " (not funded)"
            extra = (
                [f"{_share(result.robust['core_index'][i])} {result.robust['class'][i]}"]
                if robust
                else []
            )
            per = fmt_num(v / c, 4) if c else "—"
            table.add_row(titles[i] + mark, rec or "", fmt_num(c, 1), fmt_num(v), per, *extra)
    out = console()
    out.print(table)
    out.print(
        f"value added over the baseline {fmt_num(result.value)}, cost "
        f"{fmt_num(result.cost, 1)} of budget "
        f"{fmt_num(result.budget, 1)} ({result.budget_source})"
    )
    if result.binding:
        out.print("binding: " + ", ".join(result.binding))


@handle_errors
def frontier(
    workspace: WorkspaceOpt = Path("."),
    profile: ProfileOpt = None,
    points: Annotated[
        int | None, typer.Option("--points", help="N evenly spaced budgets instead of breakpoints.")
    ] = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Write the frontier chart (SVG) to this file.")
    ] = None,
    solver: SolverOpt = "cbc",
    fmt: FormatOpt = Format.table,
) -> None:
    """Best portfolio value against budget, at every budget where the portfolio changes."""
    from policyeval.optimization.frontier import ENUMERATE_LIMIT, frontier_svg

    check_size("frontier_points", points, "--points")
    a = analyze(workspace, profile)
    ws = a.case
    if show_progress() and len(ws.measures) > ENUMERATE_LIMIT:  # one MILP per budget
        from rich.progress import TextColumn

        with progress_bar("frontier", points, TextColumn("{task.completed} budgets")) as moved:
            result = a.frontier(points, solver, moved)
    else:
        with step("frontier"):
            result = a.frontier(points, solver)
    if chart is not None:
        from policyeval.io.writer import write_atomic

        write_atomic(chart, frontier_svg(result, f"Efficient frontier — profile {a.profile}"))
    if fmt is Format.json:
        emit_json(result.to_dict())
    elif fmt is Format.csv:
        emit_csv(
            ["budget", "value", "cost", "marginal", "selected"],
            [(p.budget, p.value, p.cost, p.marginal, ";".join(p.selected)) for p in result.points],
        )
    else:
        from rich.table import Table

        table = Table(title=f"Efficient frontier — {ws.title} (profile {a.profile}, {result.mode})")
        for col in ("budget", "value", "cost", "value per unit", "portfolio"):
            table.add_column(col, justify="left" if col == "portfolio" else "right")
        for p in result.points:
            table.add_row(
                fmt_num(p.budget, 1), fmt_num(p.value), fmt_num(p.cost, 1),
                fmt_num(p.marginal, 4), ", ".join(p.selected) or "(none)",
            )  # fmt: skip
        console().print(table)


@handle_errors
def allocate(
    workspace: WorkspaceOpt = Path("."),
    profile: ProfileOpt = None,
    budget: BudgetOpt = None,
    solver: SolverOpt = "cbc",
    fmt: FormatOpt = Format.table,
) -> None:
    """Split the budget across measures, targets and channels (options/allocation.yaml)."""
    check_number(budget, "--budget")
    a = analyze(workspace, profile)
    ws = a.case
    result = a.allocation(budget, solver)
    print_warnings(result.warnings)
    if fmt is Format.json:
        emit_json(result.to_dict())
        return
    if fmt is Format.csv:
        emit_csv(
            ["option", "target", "channel", "amount"],
            [(r["option"], r["target"], r["channel"], r["amount"]) for r in result.allocation],
        )
        return
    from rich.table import Table

    out = console()
    table = Table(title=f"Allocation — {ws.title} (profile {a.profile}, {result.unit})")
    for col in ("measure", "target", "channel", "amount"):
        table.add_column(col, justify="right" if col == "amount" else "left")
    for r in result.allocation:
        table.add_row(r["option"], r["target"], r["channel"], fmt_num(r["amount"], 2))
    out.print(table)
    spent = result.to_dict()["spent"]
    out.print(
        f"spent {fmt_num(spent, 2)} of {fmt_num(result.budget, 2)}; value {fmt_num(result.value)}"
    )
    out.print(
        "by target: " + ", ".join(f"{t} {fmt_num(a, 1)}" for t, a in result.by_target.items())
    )
    out.print(
        "by channel: " + ", ".join(f"{c} {fmt_num(a, 1)}" for c, a in result.by_channel.items())
    )
    out.print(
        f"one more unit of budget adds {fmt_num(result.marginal_value, 4)} of value "
        "(shares are fractions of the budget)"
    )
    shown = [n for n in result.binding if not n.startswith("segment")]
    out.print(
        "binding (shadow price = value per extra unit): "
        + ", ".join(f"{n} {fmt_num(result.shadow_prices[n], 4)}" for n in shown)
    )
    saturated = len(result.binding) - len(shown)
    if saturated:
        out.print(f"{saturated} response segments are full (see --format json)")


def _share(x: float) -> str:
    """A share as a percentage that never rounds a borderline share to 0% or 100%."""
    if 0 < x < 0.001:
        return "<0.1%"
    if 0.999 < x < 1:
        return ">99.9%"
    return f"{100 * x:.1f}%"
