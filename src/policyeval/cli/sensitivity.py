"""``policyeval sensitivity``: how sure is the ranking (SMAA, stability, what it would take)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from policyeval.cli.common import (
    Format,
    FormatOpt,
    ProfileOpt,
    WorkspaceOpt,
    analyze,
    check_choice,
    check_size,
    console,
    emit_csv,
    emit_json,
    fmt_num,
    fold,
    handle_errors,
    print_blocks,
    print_warnings,
    progress_bar,
    show_progress,
    step,
)

_LONG_RUN = 20_000  # samples from which a terminal shows a progress bar (wsm)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("sensitivity")(sensitivity)


@handle_errors
def sensitivity(
    workspace: WorkspaceOpt = Path("."),
    profile: ProfileOpt = None,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            "-m",
            help="wsm, wpm, topsis, vikor, promethee, electre, or skcriteria:NAME "
            "(one scikit-criteria run per sample).",
        ),
    ] = "wsm",
    samples: Annotated[int, typer.Option("--samples", "-n", help="SMAA samples.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    spread: Annotated[
        float | None,
        typer.Option(
            "--spread",
            help="Sample weights around the profile's: w * U(1-F, 1+F), renormalized "
            "(default: uniform on the simplex).",
        ),
    ] = None,
    bounds: Annotated[
        bool | None,
        typer.Option(
            "--bounds/--no-bounds",
            help="Sample weights within the profile's bounds (default: when it declares some "
            "and no --spread is given; else uniform on the simplex).",
        ),
    ] = None,
    packages: Annotated[
        bool, typer.Option("--packages", help="Analyse the packages of options/packages.yaml.")
    ] = False,
    profiles: Annotated[
        str | None,
        typer.Option(
            "--profiles", help="Profiles to compare across stakeholders (a,b; default all)."
        ),
    ] = None,
    top_k: Annotated[
        int, typer.Option("--top-k", help="Across stakeholders: options in everyone's top k.")
    ] = 3,
    chunk: Annotated[
        int | None, typer.Option("--chunk", help="SMAA samples per batched evaluation.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Robustness of the ranking: SMAA-2 acceptability, weight stability, what it would
    take to change the top option, tornado, rank reversal and stakeholders' agreement."""
    from policyeval.ranking import METHODS, is_skcriteria
    from policyeval.ranking.core import check_params

    if is_skcriteria(method):
        check_params(method, {})  # an unknown name: a did-you-mean
    else:
        check_choice(method, METHODS, "--method")
    check_size("samples", samples, "--samples")
    check_size("chunk", chunk, "--chunk")
    a = analyze(workspace, profile)
    ws = a.case
    chosen = [p.strip() for p in profiles.split(",") if p.strip()] if profiles else None
    show = show_progress() and (samples >= _LONG_RUN or method != "wsm")
    kwargs: dict[str, Any] = {
        "method": method,
        "samples": samples,
        "seed": seed,
        "spread": spread,
        "packages": packages,
        "chunk": chunk,
        "bounds": bounds,
        "profiles": chosen,
        "top_k": top_k,
    }
    if show:
        with progress_bar("SMAA samples, then stability and tornado", samples) as moved:
            report = a.sensitivity(progress=moved, **kwargs)
    else:
        with step("sensitivity"):
            report = a.sensitivity(**kwargs)
    if fmt is Format.json:
        emit_json(report.to_dict())
    elif fmt is Format.csv:
        s = report.smaa
        emit_csv(
            ["option", *(f"rank_{r + 1}" for r in range(len(s.options)))],
            [(o, *row.tolist()) for o, row in zip(s.options, s.acceptability)],
        )
    else:
        _print(report, ws.title)
    print_warnings(w for w in report.warnings if w not in a.weights.warnings)


CRITERION_WIDTH = 10
"""Widest criterion column of the central weights: longer ids fold (readable at 80 columns)."""


def _print(report: Any, title: str) -> None:
    from rich.table import Table

    out = console()
    s = report.smaa
    n = len(s.options)
    shown = n if n <= 8 else 5
    order = sorted(range(n), key=lambda i: tuple(-s.acceptability[i, :shown]))
    cells = {f"rank {r + 1}": [f"{x:.1%}" for x in s.acceptability[:, r]] for r in range(shown)}
    if shown < n:
        cells[f"rank {shown + 1}+"] = [f"{x:.1%}" for x in s.acceptability[:, shown:].sum(axis=1)]
    cells["confidence"] = ["—" if c != c else f"{c:.1%}" for c in s.confidence]

    def acceptability(block: list[str]) -> Table:
        table = Table(
            title=f"{title}\nSMAA-2 rank acceptability, method {s.method}, {s.samples:,} "
            f"samples, seed {s.seed}, weights {s.sampler}"
        )
        table.add_column("option", no_wrap=True)
        for key in block:
            table.add_column(key, justify="right")
        for i in order:
            table.add_row(s.options[i], *(cells[key][i] for key in block))
        return table

    print_blocks(acceptability, list(cells), out)

    column = {c: j for j, c in enumerate(s.criteria)}

    def central(block: list[str]) -> Table:
        table = Table(title="Central weights (mean weights where the option ranks first)")
        table.add_column("option", no_wrap=True)
        for c in block:
            table.add_column(c, justify="right", max_width=CRITERION_WIDTH)
        for i in order:
            if s.acceptability[i, 0] > 0:
                weights = s.central_weights[i]
                table.add_row(s.options[i], *(fmt_num(weights[column[c]], 2) for c in block))
        return table

    print_blocks(central, list(s.criteria), out)

    st = report.stability
    stab = Table(
        title=f"Weight stability (wsm, profile '{report.profile}'): weight ranges, others "
        "rescaled in proportion"
    )
    for col in ("criterion", "weight", f"{st.top} stays on top", "ranking unchanged"):
        stab.add_column(col, justify="left" if col == "criterion" else "right")
    for c, w in st.weights.items():
        lo, hi = st.top_intervals[c]
        rlo, rhi = st.ranking_intervals[c]
        stab.add_row(c, fmt_num(w), f"[{lo:.3f}, {hi:.3f}]", f"[{rlo:.3f}, {rhi:.3f}]")
    out.print(fold(stab))

    takes = Table(title=f"What it would take to put a runner-up above {st.top} (wsm)")
    for col in ("option", "rank", "gap", "weight moved", "one score change"):
        takes.add_column(col, justify="left" if col in ("option", "one score change") else "right")
    for w in report.what_it_takes:
        move = "impossible" if w.moved is None else fmt_num(w.moved)
        one = "none"
        if w.score_changes:
            c = w.score_changes[0]
            one = f"{c['criterion']} {c['from']:g} -> {c['to']:.3g}"
        takes.add_row(w.option, str(w.rank), fmt_num(w.gap), move, one)
    out.print(fold(takes))

    t = report.tornado
    tor = Table(title=f"Tornado: lead of {t.top} (now {t.base_lead:.3f}) at each factor's ends")
    for col in ("factor", "low", "high", "lead at low", "lead at high"):
        tor.add_column(col, justify="left" if col == "factor" else "right")
    for r in t.rows[:10]:
        tor.add_row(
            r["factor"], f"{r['low']:.3g}", f"{r['high']:.3g}",
            fmt_num(r["lead_low"]), fmt_num(r["lead_high"]),
        )  # fmt: skip
    out.print(fold(tor))

    rev = Table(title="Rank reversal: does the order of the other options change?")
    for col in ("method", "removing an option", "adding a copy of the worst"):
        rev.add_column(col)
    for m, checks in report.rank_reversal.items():
        removed = [c for c in checks if c.test == "remove"]
        bad = [c.option for c in removed if c.reversed]
        added = next(c for c in checks if c.test == "add_worst_copy")
        rev.add_row(
            m,
            f"{len(bad)} of {len(removed)} change it"
            + (f" ({', '.join(bad[:3])}{', …' if len(bad) > 3 else ''})" if bad else ""),
            "changes it" if added.reversed else "no change",
        )
    out.print(fold(rev))

    k = report.stakeholders
    noun = "profile" if len(k.ranks) == 1 else "profiles"
    out.print(
        f"Across {len(k.ranks)} {noun} ({k.method}): in everyone's top {k.top_k}: "
        f"{', '.join(k.in_top_k) or 'none'}; minimax-regret compromise: {k.compromise} "
        f"(largest regret {k.max_regret[k.compromise]:.3f}); disagreement driven most by "
        + ", ".join(d["criterion"] for d in k.drivers[:3])
        + "."
    )
    out.print(report.summary)
