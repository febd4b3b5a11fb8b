"""``policyeval rank``: rank the options (or packages) by one method or all."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policyeval.cli.common import (
    Format,
    FormatOpt,
    ProfileOpt,
    WorkspaceOpt,
    check_choice,
    console,
    emit_csv,
    emit_json,
    fmt_num,
    handle_errors,
    load,
    print_warnings,
    usage_error,
)

MethodOpt = Annotated[
    str,
    typer.Option(
        "--method",
        "-m",
        help="wsm, wpm, topsis, vikor, promethee, electre, or all (with a consensus).",
    ),
]


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("rank")(rank)


@handle_errors
def rank(
    workspace: WorkspaceOpt = Path("."),
    profile: ProfileOpt = None,
    method: MethodOpt = "wsm",
    packages: Annotated[
        bool, typer.Option("--packages", help="Rank the packages of options/packages.yaml.")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rank options (baseline marked) or packages by an MCDA method, or by all of them."""
    from policyeval.model import build_problem
    from policyeval.ranking import METHODS, rank_all, rank_problem
    from policyeval.weighting import compute_weights

    check_choice(method, [*METHODS, "all"], "--method")
    ws = load(workspace)
    if packages and not ws.packages:
        usage_error("this workspace has no packages; add options/packages.yaml", "--packages")
    w = compute_weights(ws, profile)
    problem = build_problem(ws, packages=packages)
    titles = _titles(ws, packages)
    if method == "all":
        result = rank_all(problem, w)
        if fmt is Format.json:
            emit_json(result.to_dict())
        elif fmt is Format.csv:
            rows = [
                (m, r.option, r.score, r.rank) for m, rk in result.methods.items() for r in rk.rows
            ]
            rows += [("consensus", r.option, r.score, r.rank) for r in result.consensus]
            emit_csv(["method", "option", "score", "rank"], rows)
        else:
            _print_all(result, ws.title)
        warnings = [*w.warnings, *(x for rk in result.methods.values() for x in rk.warnings)]
    else:
        result = rank_problem(problem, w, method)
        if fmt is Format.json:
            emit_json(result.to_dict())
        elif fmt is Format.csv:
            emit_csv(
                ["option", "score", "rank", "baseline"],
                [(r.option, r.score, r.rank, r.baseline) for r in result.rows],
            )
        else:
            _print_one(result, titles, ws.title)
        warnings = [*w.warnings, *result.warnings]
    print_warnings(dict.fromkeys(warnings))


def _titles(ws, packages: bool) -> dict[str, str]:  # noqa: ANN001
    titles = {o.id: o.title for o in ws.options}
    if packages:
        titles.update({p.id: p.title for p in ws.packages})
    return titles


def _print_one(result, titles: dict[str, str], title: str) -> None:  # noqa: ANN001
    from rich.table import Table

    better = "higher" if result.higher_is_better else "lower"
    table = Table(
        title=f"{title}\n{result.method} ranking, profile '{result.profile}' ({better} is better)"
    )
    for col, justify in (("rank", "right"), ("option", "left"), ("", "left"), ("score", "right")):
        table.add_column(col, justify=justify)
    for r in result.rows:
        label = titles.get(r.option, r.option)
        table.add_row(
            str(r.rank), r.option, label + (" (baseline)" if r.baseline else ""), fmt_num(r.score)
        )
    console().print(table)


def _print_all(result, title: str) -> None:  # noqa: ANN001
    from rich.table import Table

    table = Table(title=f"{title}\nranks by method, profile '{result.profile}'")
    table.add_column("option", no_wrap=True)
    methods = list(result.methods)
    for m in methods:
        table.add_column(m, justify="right")
    table.add_column("consensus", justify="right")
    ranks = {m: {r.option: r.rank for r in rk.rows} for m, rk in result.methods.items()}
    baseline = {r.option for rk in result.methods.values() for r in rk.rows if r.baseline}
    for row in result.consensus:
        label = row.option + (" (baseline)" if row.option in baseline else "")
        table.add_row(label, *(str(ranks[m][row.option]) for m in methods), str(row.rank))
    console().print(table)
    agree = Table(title="Agreement between methods (Kendall's tau)")
    agree.add_column("")
    for m in methods:
        agree.add_column(m, justify="right")
    for a in methods:
        agree.add_row(a, *(fmt_num(result.agreement[a][b], 2) for b in methods))
    console().print(agree)
    console().print(f"Consensus rule: {result.consensus_rule}")
