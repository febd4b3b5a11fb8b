"""The memo's figures: typed results -> plain arrays and titles -> :mod:`policyeval.charts`.

Each figure has an ``id``, a ``title``, a ``caption``, an ``alt`` sentence (what
it shows, with its main number), ``render``, which draws the inline SVG when a
template shows the figure (drawing is most of a memo's time), ``png``, which
draws the same chart as PNG bytes (Word memos), and ``cost``, the figure's area in
square inches (about how long drawing it takes, to share the drawing between
processes). Templates number the figures they show in document order (see
:func:`policyeval.reporting.build_report`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from policyeval import charts
from policyeval.reporting.format import Names, amount, listing, method_name, num, pct

if TYPE_CHECKING:
    from policyeval.model import Weights, Workspace
    from policyeval.optimization import AllocationResult, FrontierResult
    from policyeval.ranking.result import MultiRanking
    from policyeval.sensitivity import SensitivityReport


def _fig(cid: str, title: str, caption: str, alt: str, draw: Any, width: float, height: float,
         **data: Any) -> dict[str, Any]:  # fmt: skip
    def render() -> str:
        return charts.inline(charts.svg(draw, width, height, alt, **data))

    def png() -> bytes:
        return charts.png(draw, width, height, alt, **data)

    return {"id": cid, "title": title, "caption": caption, "alt": alt, "render": render,
            "png": png, "cost": width * height}  # fmt: skip


def weights_figure(ws: Workspace, profiles: dict[str, Weights], names: Names,
                   current: str) -> dict[str, str]:  # fmt: skip
    """Every profile's weights (criteria x profiles)."""
    crit = [c.name for c in ws.criteria]
    w = np.array([[p.weights.get(c.id, 0.0) for c in ws.criteria] for p in profiles.values()])
    now = profiles[current].weights
    heavy = max(ws.criteria, key=lambda c: now.get(c.id, 0.0))
    alt = (
        f"Grid of the weight each of {len(profiles)} profiles gives each of {len(crit)} criteria; "
        f"under {names(current)} the heaviest is {heavy.name} ({pct(now.get(heavy.id), 1)})."
    )
    labels = [charts.wrap(c, 40, 2) for c in crit]
    return _fig("weights", "Criteria weights by profile",
                "Weight of each criterion under each weight profile (shares of the total).",
                alt, charts.draw_weights, 7.2, charts.rows_height(labels, 0.16, 2.2),
                criteria=crit, profiles=[names(p) for p in profiles], weights=w)  # fmt: skip


def ranks_figure(mr: MultiRanking, names: Names) -> dict[str, str]:
    """Rank of each alternative under each method, in consensus order."""
    order = [r.option for r in mr.consensus]
    methods = list(mr.methods)
    ranks = {m: {r.option: r.rank for r in rk.rows} for m, rk in mr.methods.items()}
    grid = [[ranks[m][o] for m in methods] for o in order]
    first = sum(ranks[m][order[0]] == 1 for m in methods)
    alt = (
        f"Grid of the rank each of {len(methods)} methods gives each of {len(order)} "
        f"alternatives; {names(order[0])}, first by consensus, is ranked first by {first} "
        f"of {len(methods)} methods."
    )
    labels = [charts.wrap(names(o), 48, 2) for o in order]
    return _fig("ranks", "Ranking by method",
                "Rank of each alternative under each method (1 = best), in consensus order.",
                alt, charts.draw_ranks, 7.2, charts.rows_height(labels, 0.17, 1.6),
                options=[names(o) for o in order], methods=[method_name(m) for m in methods],
                ranks=grid)  # fmt: skip


def acceptability_figure(sens: SensitivityReport, names: Names) -> dict[str, str]:
    """Share of draws at each rank, most often first on top."""
    s = sens.smaa
    order = sorted(range(len(s.options)), key=lambda i: (-s.acceptability[i, 0], s.options[i]))
    top = [f"{names(s.options[i])} {pct(s.acceptability[i, 0])}" for i in order[:3]]
    alt = (
        f"Stacked bars of how often each alternative ranks first, second, third or lower in "
        f"{num(s.samples, 0)} draws of weights and score judgements; first most often: "
        f"{listing(top)}."
    )
    labels = [charts.wrap(names(s.options[i]), 48, 2) for i in order]
    return _fig("acceptability", "How often each ranks first",
                "Share of the plausible weightings and score judgements in which each "
                "alternative takes each rank.",
                alt, charts.draw_acceptability, 7.2, charts.rows_height(labels, 0.15, 1.5),
                options=[names(s.options[i]) for i in order],
                acceptability=s.acceptability[order])  # fmt: skip


def tornado_figure(sens: SensitivityReport, names: Names, flips: int) -> dict[str, str]:
    """What moves the lead of the top choice, largest swings first."""
    from policyeval.sensitivity import tornado_svg

    t = sens.tornado
    alt = (
        f"Bars of the lead of {names(t.top)} over the next best when one weight or score "
        f"judgement moves to either end of its range, largest first; {flips} score "
        "judgements cross zero, where another alternative leads."
    )
    labels = {k: names(k) for k in (*sens.smaa.options, *sens.smaa.criteria)}
    return {"id": "tornado", "title": "What moves the lead", "alt": alt,
            "caption": "Lead of the top choice over the next best (weighted sum) when one "
            "weight or score moves to the low or high end of its range, largest swings first.",
            "render": lambda: charts.inline(
                tornado_svg(t, max_rows=12, labels=labels, alt=alt)),
            "png": lambda: tornado_svg(t, 12, labels, alt, png=True),
            "cost": 7.0 * charts.rows_height(["row"] * min(len(t.rows), 12), base=1.6)}  # fmt: skip


def frontier_figure(fr: FrontierResult, budget: float, unit: str) -> dict[str, str]:
    """The most value added the budget can buy at each budget."""
    at = max((p for p in fr.points if p.budget <= budget + 1e-9), key=lambda p: p.budget,
             default=None)  # fmt: skip
    alt = (
        f"Step chart of the most value added over the status quo that each budget can buy, "
        f"from 0 to {amount(fr.points[-1].budget, unit)}"
        + (f"; at the budget of {amount(budget, unit)} it is {num(at.value, 3)}." if at else ".")
    )
    return _fig("frontier", "Efficient frontier",
                "Most value added over the status quo reachable at each budget; the dashed "
                "line is the budget.",
                alt, charts.draw_frontier, 6.4, 3.6, budgets=[p.budget for p in fr.points],
                values=[p.value for p in fr.points], unit=unit, budget=budget)  # fmt: skip


def scores_figure(ws: Workspace, values: np.ndarray, names: Names) -> dict[str, str]:
    """Every option's score on every criterion, coloured by value."""
    opts = [o.title for o in ws.options]
    crit = [c.name for c in ws.criteria]
    text = [[num(o.scores[c.id].value) for c in ws.criteria] for o in ws.options]
    alt = (
        f"Heat map of the {len(opts)} options' scores on {len(crit)} criteria, coloured from "
        "worst (dark) to best (light) on each criterion's scale."
    )
    labels = [charts.wrap(o, 44, 2) for o in opts]
    return _fig("scores", "Scores by criterion",
                "Each option's score (cell text) and its value on the criterion's scale "
                "(colour: dark = worst, light = best).",
                alt, charts.draw_scores, 7.4, charts.rows_height(labels, 0.2, 2.8),
                options=opts, criteria=crit, values=values, labels=text)  # fmt: skip


def allocation_figure(al: AllocationResult, unit: str) -> dict[str, str]:
    """The allocation by target and channel."""
    lab = al.labels
    targets = sorted(al.by_target, key=lambda t: (-al.by_target[t], t))
    channels = sorted(al.by_channel, key=lambda c: (-al.by_channel[c], c))
    cell = {(t, c): 0.0 for t in targets for c in channels}
    for r in al.allocation:
        cell[r["target"], r["channel"]] += r["amount"]
    tname = [lab.get("targets", {}).get(t, t) for t in targets]
    alt = (
        f"Stacked bars of the amount each of {len(targets)} targets receives, by channel; "
        f"the largest share goes to {tname[0]} ({amount(al.by_target[targets[0]], unit)})."
    )
    return _fig("allocation", "Allocation by target and channel",
                "Allocation of the budget by target and channel.",
                alt, charts.draw_allocation, 7.0, charts.rows_height(tname, 0.3, 1.6),
                targets=tname, channels=[lab.get("channels", {}).get(c, c) for c in channels],
                amounts=[[cell[t, c] for c in channels] for t in targets], unit=unit)  # fmt: skip
