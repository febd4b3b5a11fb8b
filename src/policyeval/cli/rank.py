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
    analyze,
    check_choice,
    console,
    emit_csv,
    emit_json,
    fmt_num,
    handle_errors,
    print_blocks,
    print_warnings,
)

MethodOpt = Annotated[
    str,
    typer.Option(
        "--method",
        "-m",
        help="wsm, wpm, topsis, vikor, promethee, electre, all (with a consensus), or "
        "skcriteria:NAME, a scikit-criteria method (e.g. skcriteria:MOORA).",
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
    from policyeval.ranking import METHODS, is_skcriteria
    from policyeval.ranking.core import check_params

    if is_skcriteria(method):
        check_params(method, {})  # an unknown name: a did-you-mean
    else:
        check_choice(method, [*METHODS, "all"], "--method")
    a = analyze(workspace, profile)
    a.problem(packages)  # checks that packages exist
    ws = a.case
    titles = a.titles()
    if method == "all":
        result = a.rankings(packages)
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
        warnings = [x for rk in result.methods.values() for x in rk.warnings]
    else:
        result = a.ranking(method, packages)
        if fmt is Format.json:
            emit_json(result.to_dict())
        elif fmt is Format.csv:
            emit_csv(
                ["option", "score", "rank", "baseline"],
                [(r.option, r.score, r.rank, r.baseline) for r in result.rows],
            )
        else:
            _print_one(result, titles, ws.title)
        warnings = list(result.warnings)
    print_warnings(w for w in dict.fromkeys(warnings) if w not in a.weights.warnings)


def _print_one(result, titles: dict[str, str], title: str) -> None:  # noqa: ANN001
    from rich.table import Table

    better = "higher" if result.higher_is_better else "lower"
    table = Table(
        title=f"{title}\n{result.method} ranking, profile '{result.profile}' ({better} is better)"
    )
    columns = (("rank", "right"), ("option", "left"), ("title", "left"), ("score", "right"))
    for col, justify in columns:
        table.add_column(col, justify=justify, no_wrap=col == "option")
    for r in result.rows:
        label = titles.get(r.option, r.option)
        table.add_row(
            str(r.rank), r.option, label + (" (baseline)" if r.baseline else ""), fmt_num(r.score)
        )
    console().print(table)


def _print_all(result, title: str) -> None:  # noqa: ANN001
    from rich.table import Table

    methods = list(result.methods)
    ranks = {m: {r.option: r.rank for r in rk.rows} for m, rk in result.methods.items()}
    ranks["consensus"] = {r.option: r.rank for r in result.consensus}
    baseline = {r.option for rk in result.methods.values() for r in rk.rows if r.baseline}

    def by_method(block: list[str]) -> Table:
        table = Table(title=f"{title}\nranks by method, profile '{result.profile}'")
        table.add_column("option", no_wrap=True)
        for m in block:
            table.add_column(m, justify="right")
        for row in result.consensus:
            label = row.option + (" (baseline)" if row.option in baseline else "")
            table.add_row(label, *(str(ranks[m][row.option]) for m in block))
        return table

    def agreement(block: list[str]) -> Table:
        agree = Table(title="Agreement between methods (Kendall's tau)")
        agree.add_column("")
        for m in block:
            agree.add_column(m, justify="right")
        for a in methods:
            agree.add_row(a, *(fmt_num(result.agreement[a][b], 2) for b in block))
        return agree

    print_blocks(by_method, [*methods, "consensus"])
    print_blocks(agreement, methods)
    console().print(f"Consensus rule: {result.consensus_rule}")
