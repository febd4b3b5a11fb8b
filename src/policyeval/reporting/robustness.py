"""The robustness section and the "what would change the answer" list, from typed results.

Conventions, stated once: "weight moved" is the weight that changes hands
(:attr:`~policyeval.sensitivity.whatif.WhatItTakes.moved`, half the L1
distance); the SMAA description names the criteria whose weights were
bounded and those left free; the status quo's share of first places is
reported whenever above zero; single score judgements that flip the winner
come from :attr:`policyeval.verdict.Verdict.flips`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from policyeval.reporting.format import Names, listing, num, pct, pp
from policyeval.reporting.ranking import prefer_sentence
from policyeval.verdict import THRESHOLDS

if TYPE_CHECKING:
    from policyeval.sensitivity import SensitivityReport
    from policyeval.verdict import Verdict

DRAWS = "the plausible weightings and score judgements"
"""What SMAA's draws are, in words (no method jargon in the bottom line)."""


def sampling_sentence(sens: SensitivityReport, names: Names) -> str:
    """How the weights were drawn: which criteria were bounded and which were free."""
    sampler = sens.smaa.sampler
    if sampler == "bounds":
        bounded = [names(c) for c in sens.bounded]
        free = [names(c) for c in sens.smaa.criteria if c not in set(sens.bounded)]
        text = (
            f"the weights of {listing(bounded)} were drawn within the ranges the profile "
            "declares for them"
        )
        if free:
            text += f", and those of {listing(free)} were left free (drawn over all weights)"
        return text
    if sampler == "spread":
        return f"the weights were drawn around the profile's weights (spread {num(sens.spread)})"
    return "the weights were drawn uniformly over all possible weights (no preference information)"


def flip_sentence(v: Verdict, names: Names, subject: str) -> str:
    """How many single judgements, moved within their own range, flip the winner; the strongest."""
    if not v.flips:
        return (
            f"No single score judgement, moved within its own range, puts another {subject} first."
        )
    f = v.flips[0]
    n = len(v.flips)
    whose = "its own" if f["option"] == v.leader else f"“{names(f['option'])}”'s"
    return (
        f"{n} single score {'judgement' if n == 1 else 'judgements'}, each moved alone within "
        f"its own range, would put another {subject} first; the strongest is {whose} score on "
        f"{names(f['criterion'])} at the {f['end']} end of its range ({num(f['value'])})."
    )


def baseline_sentence(v: Verdict, baseline: str | None) -> str:
    """The status quo's share of first places, when above zero and it is not the leader."""
    if not baseline or not v.baseline_first or v.status_quo_wins:
        return ""
    return f"The status quo itself ranks first in {pct(v.baseline_first)} of {DRAWS}."


def robustness(
    sens: SensitivityReport,
    v: Verdict,
    names: Names,
    criteria: Sequence[str],
    baseline: str | None,
) -> dict[str, Any]:
    """The robustness section: SMAA settings and shares, stability, flips, the status quo."""
    s = sens.smaa
    acc = s.acceptability
    order = sorted(range(len(s.options)), key=lambda i: (-acc[i, 0], s.options[i]))
    stab = []
    for c in criteria:
        if c not in sens.stability.top_intervals:
            continue
        lo, hi = sens.stability.top_intervals[c]
        if lo <= 1e-9 and hi >= 1 - 1e-9:
            continue
        stab.append(
            {"criterion": names(c), "weight": pct(sens.weights.get(c, 0.0), 1),
             "low": pct(lo, 1), "high": pct(hi, 1)}
        )  # fmt: skip
    return {
        "samples": num(s.samples, 0),
        "seed": s.seed,
        "weights_sampled": sampling_sentence(sens, names),
        "acceptability": [
            {
                "id": s.options[i],
                "title": names(s.options[i]),
                "first": pct(acc[i, 0]),
                "top3": pct(float(acc[i, :3].sum())),
            }
            for i in order
        ],
        "top_first": pct(v.acceptability),
        "baseline": baseline_sentence(v, baseline),
        "flips": flip_sentence(v, names, v.subject),
        "n_flips": len(v.flips),
        "stability": stab,
    }


def reasons(v: Verdict, names: Names, subject: str) -> list[str]:
    """Sentences saying which hedging rule held or failed, in plain words."""
    t = THRESHOLDS
    out = []
    acc = v.acceptability
    if acc is None:
        out.append("Robustness to uncertain weights and scores was not assessed.")
    elif acc >= t["firm_acceptability"]:
        out.append(
            f"It ranks first in {pct(acc)} of {DRAWS} "
            f"(firm at {pct(t['firm_acceptability'])} or more)."
        )
    elif acc >= t["fragile_acceptability"]:
        out.append(
            f"It ranks first in only {pct(acc)} of {DRAWS} "
            f"(below the {pct(t['firm_acceptability'])} this memo calls firm)."
        )
    else:
        out.append(
            f"It ranks first in only {pct(acc)} of {DRAWS} "
            f"(below {pct(t['fragile_acceptability'])}: no {subject} stands out)."
        )
    firsts = v.methods_first
    agreeing = [m for m, f in firsts.items() if f == v.leader]
    dissent = _dissent(v, names)
    if not dissent:
        out.append(f"All {len(firsts)} ranking methods put it first.")
    else:
        out.append(
            f"{len(agreeing)} of {len(firsts)} ranking methods put it first; "
            f"{prefer_sentence(dissent)}."
        )
    if v.margin is None:
        out.append("No change of a single criterion weight overturns it.")
    elif v.margin <= t["stability_margin"]:
        out.append(
            f"A change of {pp(v.margin)} in the weight of {names(v.margin_criterion or '')} "
            f"is enough to overturn it (firm needs more than {pp(t['stability_margin'])})."
        )
    else:
        out.append(
            f"The weight of any one criterion would have to move by more than {pp(v.margin)} "
            f"to overturn it (the closest is {names(v.margin_criterion or '')})."
        )
    return out


def _dissent(v: Verdict, names: Names) -> dict[str, str]:
    from policyeval.reporting.format import method_name

    return {method_name(m): names(f) for m, f in v.methods_first.items() if f != v.leader}


def changes(v: Verdict, sens: SensitivityReport | None, names: Names) -> list[str]:
    """What would change the answer, nearest first within each kind of change."""
    out = []
    by_winner: dict[str, list[str]] = {}
    for p, f in v.profiles_first.items():
        if f != v.leader:
            by_winner.setdefault(names(f), []).append(names(p))
    for winner, who in by_winner.items():
        noun = "profile" if len(who) == 1 else "profiles"
        out.append(
            f"Other stakeholders' weights: under the {listing(who)} {noun}, {winner} ranks first."
        )
    if sens is not None:
        out += _weight_changes(sens, v.leader, names)
        s = sens.smaa
        b1 = {o: float(s.acceptability[i, 0]) for i, o in enumerate(s.options)}
        rivals = sorted((o for o in b1 if o != v.leader), key=lambda o: (-b1[o], o))
        if rivals and b1[rivals[0]] > 0:
            r = rivals[0]
            if b1[r] > b1[v.leader]:
                out.append(
                    f"Uncertainty: {names(r)} ranks first more often than {names(v.leader)} "
                    f"({pct(b1[r])} against {pct(b1[v.leader])} of {DRAWS})."
                )
            else:
                out.append(
                    f"Uncertainty: {names(r)} ranks first in {pct(b1[r])} of {DRAWS}, "
                    "the likeliest alternative."
                )
    dissent = _dissent(v, names)
    if dissent:
        out.append(f"A different aggregation method: {prefer_sentence(dissent)}.")
    return out


def _weight_changes(sens: SensitivityReport, top: str, names: Names) -> list[str]:
    """Sentences from the stability intervals and the what-it-would-take analysis."""
    out = []
    w = sens.weights
    bounds = []
    for c, (lo, hi) in sens.stability.top_intervals.items():
        x = w.get(c, 0.0)
        if lo > 1e-9:
            bounds.append((x - lo, c, f"the weight of {names(c)} falls from {pct(x, 1)} to "
                                      f"below {pct(lo, 1)}"))  # fmt: skip
        if hi < 1 - 1e-9:
            bounds.append((hi - x, c, f"the weight of {names(c)} rises from {pct(x, 1)} to "
                                      f"above {pct(hi, 1)}"))  # fmt: skip
    for _, _, text in sorted(bounds)[:1]:
        out.append(
            f"One weight: {names(top)} stops ranking first if {text}, other weights in proportion."
        )
    takes = [t for t in sens.what_it_takes if t.moved is not None and t.option != top]
    for t in sorted(takes, key=lambda t: (t.moved, t.option))[:1]:
        moves = [
            f"{names(c)} {pct(w.get(c, 0.0), 1)} → {pct(x, 1)}"
            for c, x in (t.weights or {}).items()
            if abs(x - w.get(c, 0.0)) >= 0.0005
        ]
        text = (
            f"Smallest shift of weights: {names(t.option)} draws level if {pct(t.moved, 1)} of "
            f"the total weight changes hands ({'; '.join(moves)})"
        )
        if t.score_changes:
            sc = t.score_changes[0]
            text += (
                f", or if its score on {names(sc['criterion'])} were {num(sc['to'])} "
                f"instead of {num(sc['from'])}"
            )
        out.append(text + ".")
    return out
