"""The memo's bottom line, decided once from an analysis's typed results.

Hedging rules (thresholds in :data:`THRESHOLDS`):

- **firm** when the recommended choice ranks first in at least 70% of the
  SMAA draws (weights and score judgements), every ranking method puts it
  first, and no single criterion weight can move by 0.10 or less (others
  rescaled in proportion) before another choice overtakes it;
- **fragile** when it ranks first in less than 40% of the draws;
- **qualified** otherwise.

The ranked choice is the weighted-sum (wsm) winner under the analysis's
weights, among packages when the case declares packages, else among options.
With a budget declared, the recommendation names only what the budget can
buy (DESIGN.md, Packages and the budget): the first-ranked choice when it is
affordable; otherwise the better of the best affordable package and the
optimal portfolio, both valued as packages (combined scores, wsm); and what
the first-ranked choice would add with more money.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from policyeval.analysis import Analysis

THRESHOLDS = {
    "firm_acceptability": 0.70,
    "fragile_acceptability": 0.40,
    "stability_margin": 0.10,
}


@dataclass(frozen=True, slots=True)
class Funding:
    """What the budget buys now, against the first-ranked choice.

    Attributes
    ----------
    budget : float
    budget_source : str
    kind : str
        ``choice`` (the first-ranked choice fits), ``package`` (the best
        affordable package) or ``portfolio`` (the optimal portfolio).
    fund : tuple of str
        The measures to fund now.
    cost : float
        Their total cost.
    package : str or None
        The package recommended now (kind ``choice`` or ``package``).
    shortfall : float
        How much more money the first-ranked choice needs (0 when it fits).
    later : tuple of str
        Members of the first-ranked choice not funded now.
    cost_efficient : tuple of str
        Packages no other package (or the baseline) dominates on value and cost.
    affordable : tuple of str
        Packages that fit the budget.
    """

    budget: float
    budget_source: str
    kind: str
    fund: tuple[str, ...]
    cost: float
    package: str | None
    shortfall: float
    later: tuple[str, ...]
    cost_efficient: tuple[str, ...]
    affordable: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The bottom line of a memo, as numbers and ids (reporting puts it in words).

    Attributes
    ----------
    strength : str
        ``firm``, ``qualified`` or ``fragile`` (see the module doc).
    subject : str
        ``package`` or ``option``.
    leader : str
        The wsm winner (possibly the baseline).
    choice : str
        The best choice that is not the baseline.
    status_quo_wins : bool
    runner_up : str or None
    acceptability : float or None
        The leader's share of first places in SMAA: the choice's, unless the status
        quo leads (None: fewer than two choices).
    baseline_first : float or None
        The baseline's share of first places.
    methods_first : dict
        Method -> the choice it ranks first.
    profiles_first : dict
        Profile -> the choice its weights rank first (wsm).
    margin, margin_criterion
        The smallest single-weight change that overturns the choice, and its criterion.
    flips : tuple of dict
        Single score judgements that, moved within their own range, make another
        choice win: ``option``, ``criterion``, ``end`` (low|high), ``value``, ``lead``
        (the choice's lead there, negative), strongest first.
    funding : Funding or None
        None when the case declares no budget.
    samples, seed : int
        The SMAA settings.
    """

    strength: str
    subject: str
    leader: str
    choice: str
    status_quo_wins: bool
    runner_up: str | None
    acceptability: float | None
    baseline_first: float | None
    methods_first: dict[str, str]
    profiles_first: dict[str, str]
    margin: float | None
    margin_criterion: str | None
    flips: tuple[dict[str, Any], ...]
    funding: Funding | None
    samples: int
    seed: int

    @property
    def methods_agree(self) -> bool:
        """Whether every ranking method puts the choice first."""
        return all(f == self.leader for f in self.methods_first.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        from dataclasses import asdict

        return asdict(self)


def strength(acceptability: float | None, methods_agree: bool, margin: float | None) -> str:
    """The hedge: ``"firm"``, ``"qualified"`` or ``"fragile"``.

    Examples
    --------
    >>> strength(0.8, True, 0.2), strength(0.8, False, 0.2), strength(0.3, True, None)
    ('firm', 'qualified', 'fragile')
    """
    t = THRESHOLDS
    if acceptability is not None and acceptability < t["fragile_acceptability"]:
        return "fragile"
    if (
        acceptability is not None
        and acceptability >= t["firm_acceptability"]
        and methods_agree
        and (margin is None or margin > t["stability_margin"])
    ):
        return "firm"
    return "qualified"


def stability_margin(
    weights: dict[str, float], intervals: dict[str, tuple[float, float]]
) -> tuple[float | None, str | None]:
    """The smallest change of one weight that overturns the top choice, and its criterion.

    An interval end at 0 or 1 is no limit. ``(None, None)`` when no single weight does it.

    Examples
    --------
    >>> stability_margin({"a": 0.25, "b": 0.75}, {"a": (0.0, 0.5), "b": (0.5, 1.0)})
    (0.25, 'a')
    """
    best: tuple[float | None, str | None] = (None, None)
    for c, (lo, hi) in intervals.items():
        w = weights.get(c, 0.0)
        gaps = []
        if lo is not None and lo > 1e-9:
            gaps.append(w - lo)
        if hi is not None and hi < 1 - 1e-9:
            gaps.append(hi - w)
        if gaps and (best[0] is None or min(gaps) < best[0]):
            best = (max(0.0, min(gaps)), c)
    return best


def _first(rows: Any, skip: str | None = None) -> str:
    keep = [r for r in rows if r.option != skip] or list(rows)
    return min(keep, key=lambda r: (r.rank, 0)).option


def decide(a: Analysis, samples: int, seed: int) -> Verdict:
    """The verdict of an analysis (see the module doc)."""
    packages = a.subject_packages()
    base = a.case.baseline.id if a.case.baseline else None
    wsm = a.ranking("wsm", packages)
    leader = _first(wsm.rows)
    choice = _first(wsm.rows, base)
    others = [r for r in wsm.rows if r.option not in (choice, base)]
    runner = min(others, key=lambda r: r.rank).option if others else None
    methods = {m: _first(rk.rows) for m, rk in a.rankings(packages).methods.items()}
    profiles = {p: _first(rk.rows) for p, rk in a.by_profile(packages).items()}
    acc = first_base = None
    margin = crit = None
    flips: tuple[dict[str, Any], ...] = ()
    if len(wsm.rows) > 1:
        sens = a.sensitivity(samples=samples, seed=seed, packages=packages)
        s = sens.smaa
        acc = float(s.acceptability[s.options.index(leader), 0])
        if base in s.options:
            first_base = float(s.acceptability[s.options.index(base), 0])
        margin, crit = stability_margin(sens.weights, sens.stability.top_intervals)
        flips = _flips(sens.tornado)
    agree = all(f == leader for f in methods.values())
    return Verdict(
        strength=strength(acc, agree, margin),
        subject="package" if packages else "option",
        leader=leader,
        choice=choice,
        status_quo_wins=leader == base,
        runner_up=runner,
        acceptability=acc,
        baseline_first=first_base,
        methods_first=methods,
        profiles_first=profiles,
        margin=margin,
        margin_criterion=crit,
        flips=flips,
        funding=_funding(a, choice, packages) if a.funding_declared() else None,
        samples=samples,
        seed=seed,
    )


def _flips(t: Any) -> tuple[dict[str, Any], ...]:
    """Score judgements whose own range holds an end where the top choice loses."""
    out = []
    for r in t.rows:
        if r["kind"] != "score":
            continue
        lead, end, value = min(
            (r["lead_low"], "low", r["low"]), (r["lead_high"], "high", r["high"])
        )
        if lead < 0:
            out.append(
                {"option": r["option"], "criterion": r["criterion"], "end": end,
                 "value": value, "lead": lead}
            )  # fmt: skip
    return tuple(sorted(out, key=lambda f: (f["lead"], f["option"], f["criterion"])))


def _dominated(p: str, score: dict[str, float], cost: float, rivals: dict[str, float]) -> bool:
    """Whether another package (or the baseline) has at least p's value for at most its cost,
    one of them strictly."""
    return any(
        score[q] >= score[p] and c <= cost and (score[q] > score[p] or c < cost)
        for q, c in rivals.items()
        if q != p
    )


def _members(a: Analysis, choice: str, packages: bool) -> list[str]:
    if packages:
        return list(next(p for p in a.case.packages if p.id == choice).options)
    return [choice]


def _funding(a: Analysis, choice: str, packages: bool) -> Funding:
    """What to fund now (see the module doc)."""
    from policyeval.model.packages import combined_scores
    from policyeval.model.problem import value_matrix

    budget, source = a.budget()
    cost = {o.id: o.cost for o in a.case.measures}
    members = _members(a, choice, packages)
    choice_cost = sum(cost.get(m, 0.0) for m in members)
    tol = 1e-9 * max(1.0, budget)
    port = a.portfolio()
    efficient: tuple[str, ...] = ()
    affordable: tuple[str, ...] = ()
    if packages:
        problem = a.problem(True)
        score = {r.option: r.score for r in a.ranking("wsm", True).rows}
        pkg_cost = {p.id: sum(cost[m] for m in p.options) for p in a.case.packages}
        base = a.case.baseline
        rivals = dict(pkg_cost)
        if base is not None:
            rivals[base.id] = 0.0
        efficient = tuple(
            p
            for p in pkg_cost
            if not any(
                score[q] >= score[p]
                and c <= pkg_cost[p]
                and (score[q] > score[p] or c < pkg_cost[p])
                for q, c in rivals.items()
                if q != p
            )
        )
        affordable = tuple(p for p, c in pkg_cost.items() if c <= budget + tol)
    if choice_cost <= budget + tol:
        return Funding(
            budget, source, "choice", tuple(members), choice_cost, choice if packages else None,
            0.0, (), efficient, affordable,
        )  # fmt: skip
    kind, fund, package = "portfolio", tuple(port.selected), None
    if packages and affordable:
        problem = a.problem(True)
        w = a.weights.vector(problem.criteria)
        row = combined_scores(a.case, list(port.selected)) if port.selected else None
        port_score = -np.inf
        if row is not None:
            v = value_matrix(row[0], problem.maximize, problem.scale_lo, problem.scale_hi)
            port_score = float(v @ w)
        best = max(affordable, key=lambda p: (score[p], -pkg_cost[p]))
        if score[best] > port_score:
            kind, package = "package", best
            fund = tuple(next(p for p in a.case.packages if p.id == best).options)
    spent = sum(cost[m] for m in fund)
    return Funding(
        budget, source, kind, fund, spent, package, choice_cost - budget,
        tuple(m for m in members if m not in fund), efficient, affordable,
    )  # fmt: skip
