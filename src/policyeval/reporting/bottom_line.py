"""The bottom line in words, from the pipeline's :class:`~policyeval.verdict.Verdict`.

Nothing is decided here: the strength, the ranked choice and what the budget
buys now all come from the verdict. With a budget the headline never says
"fund" of something the budget cannot buy: it names what to fund now
(:attr:`Funding.fund <policyeval.verdict.Funding.fund>`) and what the
first-ranked choice would add with more money.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from policyeval.reporting import robustness as rob
from policyeval.reporting.format import Names, amount, pct

if TYPE_CHECKING:
    from policyeval.model import Workspace
    from policyeval.sensitivity import SensitivityReport
    from policyeval.verdict import Verdict


def members(ws: Workspace, v: Verdict) -> list[str]:
    """The measures of the ranked choice (itself when it is an option)."""
    if v.subject == "package":
        return list(next(p for p in ws.packages if p.id == v.choice).options)
    return [v.choice]


def headline(v: Verdict, names: Names, profile: str, subject: str, subjects: str,
             baseline: str | None, fund: Mapping[str, Any] | None) -> tuple[str, str]:  # fmt: skip
    """The headline: its bold first sentence and the sentence after it."""
    choice = names(v.choice)
    buys = fund is None or fund["is_choice"]
    if v.status_quo_wins:
        return (
            f"Fund none of the {subjects} yet: the status quo ({names(baseline or '')}) ranks "
            f"first under the {profile} weights.",
            f"The best {subject}, {choice}, does not beat it; this result is {v.strength}.",
        )
    if v.strength == "fragile":
        return (
            f"No {subject} clearly stands out. “{choice}” ranks first under the {profile} "
            "weights, but the result is fragile:",
            "treat it as the leading candidate, not a settled choice.",
        )
    hedge = {
        "firm": "and the result is firm: it holds across ranking methods, across plausible "
        "weights and within the score ranges.",
        "qualified": "but the result is qualified: it does not hold under every test below.",
    }[v.strength]
    if buys:
        lead = "Fund" if v.strength == "firm" else "On balance, fund"
        return f"{lead} “{choice}”.", f"It ranks first under the {profile} weights, {hedge}"
    return (
        f"“{choice}” ranks first under the {profile} weights,",
        f"{hedge} It costs more than the budget; see what to fund now.",
    )


def bottom_line(
    ws: Workspace,
    v: Verdict,
    sens: SensitivityReport | None,
    names: Names,
    *,
    profile: str,
    unit: str,
    fund: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The bottom line's content: headline, choice, what to fund now, reasons, what would change."""
    subject = v.subject
    subjects = subject + "s"
    base = ws.baseline.id if ws.baseline else None
    ids = members(ws, v)
    cost = sum(ws.option(m).cost for m in ids)
    summary = (
        next(p.summary for p in ws.packages if p.id == v.choice)
        if subject == "package"
        else ws.option(v.choice).summary
    )
    won = [names(p) for p, f in v.profiles_first.items() if f == v.leader]
    strong, rest = headline(v, names, profile, subject, subjects, base, fund)
    return {
        "verdict": v.strength,
        "status_quo_wins": v.status_quo_wins,
        "headline": strong,
        "headline_rest": rest,
        "choice": {
            "id": v.choice,
            "ids": ids,
            "title": names(v.choice),
            "summary": names.plain(summary),
            "members": [{"id": m, "title": names(m), "source": ws.option(m).source} for m in ids]
            if subject == "package"
            else [],
            "cost": amount(cost, unit) if cost else "",
        },
        "fund": dict(fund) if fund and not v.status_quo_wins else None,
        "leader": names(v.leader),
        "runner_up": names(v.runner_up) if v.runner_up else None,
        "acceptability": pct(v.acceptability) if v.acceptability is not None else None,
        "plain_acceptability": (
            f"ranks first in {pct(v.acceptability)} of {rob.DRAWS}"
            if v.acceptability is not None
            else ""
        ),
        "baseline_first": rob.baseline_sentence(v, base),
        "methods_agreeing": f"{sum(f == v.leader for f in v.methods_first.values())} of "
        f"{len(v.methods_first)}",
        "all_methods_agree": v.methods_agree,
        "profiles_won": f"{len(won)} of {len(v.profiles_first)}",
        "profiles_won_names": won,
        "reasons": rob.reasons(v, names, subject),
        "flips": rob.flip_sentence(v, names, subject) if sens is not None else "",
        "changes": rob.changes(v, sens, names),
    }


def key_numbers(ctx: Mapping[str, Any]) -> list[dict[str, str]]:
    """The key-numbers table of the brief and the memo."""
    bl = ctx["bottom_line"]
    rows = [{"label": f"{ctx['subject'].capitalize()}s compared", "value": str(ctx["n_subjects"])}]
    if bl["acceptability"] is not None:
        rows.append({"label": "Share of plausible weightings and judgements in which it "
                     "ranks first", "value": bl["acceptability"]})  # fmt: skip
    rows += [
        {"label": "Ranking methods putting it first", "value": bl["methods_agreeing"]},
        {"label": "Weight profiles under which it wins", "value": bl["profiles_won"]},
    ]
    if bl["choice"]["cost"] and not bl["status_quo_wins"]:
        rows.append({"label": "Its cost", "value": bl["choice"]["cost"]})
    fund = bl["fund"]
    if fund:
        rows.append({"label": "Budget", "value": fund["budget"]})
        if not fund["is_choice"]:
            n = len(fund["measures"])
            rows.append({"label": "Fund now", "value": f"{n} measure{'s' * (n != 1)}, "
                         f"{fund['cost']}"})  # fmt: skip
    return rows
