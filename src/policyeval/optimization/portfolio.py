"""Portfolio selection: which measures to fund (DESIGN.md, Portfolio selection).

Exact MILP. Binary ``x_i`` per measure, binary ``y_k`` per synergy::

    max   sum_i V_i x_i + sum_k s_k y_k
    s.t.  sum_i cost_i x_i <= budget                      budget_total
          x_i <= x_r          (i requires r)              requires_<i>_on_<r>
          x_i + x_e <= 1      (i excludes e)              excludes_<i>_with_<e>
          y_k <= x_i, y_k >= sum_{i in k} x_i - (|k|-1)   synergy_<k>_* (y_k = all of k funded)
          sum_{i in rec} x_i >= / <= k                    at_least_<rec> / at_most_<rec>
          x_i >= 1 / x_i <= 0                             must_fund_<i> / must_not_fund_<i>
          sum_rec z_rec >= N, z_rec <= sum_{i in rec} x_i  min_recommendations

``V_i`` is the value measure i ADDS over the baseline b (DESIGN.md; Clemen &
Smith 2009, Liesiö & Punkka 2014): ``V_i = sum_j w_j (v_ij - v_bj)`` with the
values of the ranking of all workspace options, over the criteria without
``role: cost`` (the budget prices cost). With no baseline, ``v_bj = 0`` (the
worst level). A measure with ``V_i <= tol`` is never funded (its variable is
fixed at 0, see :func:`upper_bounds` for when a constraint may still need it),
whatever the tie rule would say of a free one. A synergy's value
is ``s_k = sum_j w_j * clip(adjust_j / (hi_j - lo_j), -1, 1)`` (sign flipped for
``min`` criteria), i.e. the wsm value of its raw-score adjustment, bounded by the
criterion's whole range (so that ``|s_k| <= 1`` like every ``|V_i|``).

Ties (DESIGN.md: "ties broken by lower cost, then by id") are broken
lexicographically: (1) the best value V*; portfolios worth at least V* - tol
tie; (2) among them the lowest cost C*; (3) among those costing at most
C* + cost_tol, the one funding the smallest id, then the next (the indicator
vector in id order is lexicographically largest; equivalently, the smallest
id on which two tied portfolios differ is funded).
``tol = TIE_TOL * max(1, max |V|, max |s|)``, ``cost_tol = TIE_TOL * max(1, max cost)``;
TIE_TOL (1e-6) is above the solvers' feasibility tolerance and optimality gap
(1e-7, absolute; ``lp.MIP_GAP``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from policyeval import lp
from policyeval.display import Tabular, title_of
from policyeval.errors import InfeasibleError, Issue, did_you_mean, fail_if

if TYPE_CHECKING:
    import pulp

    from policyeval.model import Weights, Workspace
    from policyeval.model.problem import Problem

TIE_TOL = 1e-6
ENUMERATE_LIMIT = 16
ID_CHUNK = 20
"""Measures whose tie is settled by one solve of the id rule (weights up to 2^19)."""
"""Up to this many measures, portfolios are found by enumerating every feasible one."""
CONSTRAINT_KINDS = (
    "requires",
    "excludes",
    "must_not_fund",
    "at_most",
    "must_fund",
    "at_least",
    "min_recommendations",
    "budget_total",
)


@dataclass(frozen=True, slots=True)
class PortfolioData:
    """The arrays of a portfolio problem (measures in id order).

    Attributes
    ----------
    ids : tuple of str, shape (n,)
    values : ndarray, shape (n,)
        ``V_i``.
    costs : ndarray, shape (n,)
    budget : float
    recommendations : tuple of (str or None), shape (n,)
    synergies : tuple of (tuple of int, float)
        Member rows and value ``s_k`` of each synergy among measures.
    requires, excludes : tuple of (int, int)
    at_least, at_most : dict
        Recommendation label -> number of measures.
    must_fund, must_not_fund : tuple of int
    min_recommendations : int or None
    """

    ids: tuple[str, ...]
    values: np.ndarray
    costs: np.ndarray
    budget: float
    recommendations: tuple[str | None, ...] = ()
    synergies: tuple[tuple[tuple[int, ...], float], ...] = ()
    requires: tuple[tuple[int, int], ...] = ()
    excludes: tuple[tuple[int, int], ...] = ()
    at_least: dict[str, int] = field(default_factory=dict)
    at_most: dict[str, int] = field(default_factory=dict)
    must_fund: tuple[int, ...] = ()
    must_not_fund: tuple[int, ...] = ()
    min_recommendations: int | None = None

    @property
    def labels(self) -> list[str]:
        """The recommendation labels present, sorted."""
        return sorted({r for r in self.recommendations if r})

    def value_of(self, rows: Iterable[int]) -> float:
        """Exact value of a portfolio (measure values plus earned synergies)."""
        chosen = set(rows)
        v = float(sum(self.values[i] for i in chosen))
        return v + float(sum(s for members, s in self.synergies if chosen >= set(members)))

    def cost_of(self, rows: Iterable[int]) -> float:
        """Total cost of a portfolio."""
        return float(sum(self.costs[i] for i in set(rows)))

    @property
    def tol(self) -> float:
        """Absolute tolerance under which two values tie."""
        scale = max(np.abs(self.values).max(initial=0.0), *(abs(s) for _, s in self.synergies), 1.0)
        return TIE_TOL * float(scale)

    @property
    def cost_tol(self) -> float:
        """Absolute tolerance under which two costs tie."""
        return TIE_TOL * max(1.0, float(np.abs(self.costs).max(initial=0.0)))


@dataclass(frozen=True, slots=True, repr=False)
class PortfolioResult(Tabular):
    """The optimal portfolio and why it looks the way it does.

    ``value`` is the value added over the baseline (synergies included);
    ``added_value`` and ``costs`` hold every measure's.
    """

    status: str
    budget: float
    selected: tuple[str, ...]
    value: float
    cost: float
    profile: str | None = None
    budget_source: str = ""
    by_recommendation: dict[str, list[str]] = field(default_factory=dict)
    binding: tuple[str, ...] = ()
    synergies_earned: tuple[tuple[str, ...], ...] = ()
    solver: str = "cbc"
    robust: dict[str, Any] | None = None
    added_value: dict[str, float] = field(default_factory=dict)
    costs: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    titles: dict[str, str] = field(default_factory=dict, compare=False)

    def to_frame(self) -> Any:
        """One row per measure, funded first then by added value: ``option``, ``title``,
        ``selected``, ``cost``, ``added_value``, ``value_for_money`` (and ``core_index``
        with ``--robust``)."""
        import pandas as pd

        ids = list(self.added_value) or list(self.selected)
        frame = pd.DataFrame(
            {
                "option": ids,
                "title": [title_of(self.titles, i) for i in ids],
                "selected": [i in self.selected for i in ids],
                "cost": [self.costs.get(i, float("nan")) for i in ids],
                "added_value": [self.added_value.get(i, float("nan")) for i in ids],
            }
        )
        frame["value_for_money"] = frame["added_value"] / frame["cost"].where(frame["cost"] > 0)
        if self.robust is not None:
            frame["core_index"] = [self.robust["core_index"][i] for i in ids]
        return frame.sort_values(
            ["selected", "added_value", "option"], ascending=[False, False, True]
        ).reset_index(drop=True)

    def _caption(self) -> str:
        return (
            f"portfolio ({self.status}): {len(self.selected)} measures, value added "
            f"{self.value:.4g}, cost {self.cost:g} of budget {self.budget:g}"
        )

    def to_dict(self) -> dict[str, Any]:
        """DESIGN.md ``optimize`` JSON shape plus extra keys."""
        out: dict[str, Any] = {
            "status": self.status,
            "budget": self.budget,
            "selected": list(self.selected),
            "value": self.value,
            "cost": self.cost,
            "added_value": dict(self.added_value),
            "profile": self.profile,
            "budget_source": self.budget_source,
            "by_recommendation": self.by_recommendation,
            "binding": list(self.binding),
            "synergies_earned": [list(s) for s in self.synergies_earned],
            "solver": self.solver,
        }
        out["value_for_money"] = {
            i: (v / self.costs[i] if self.costs.get(i) else None)
            for i, v in self.added_value.items()
        }
        out["warnings"] = list(self.warnings)
        if self.robust is not None:
            out["robust"] = self.robust
        return out


def gain_vectors(
    ws: Workspace,
    problem: Problem | None = None,
    baseline: Literal["declared", "worst"] = "declared",
    include_cost: bool = False,
) -> tuple[list[str], np.ndarray, list[tuple[list[str], np.ndarray]]]:
    """Measure ids (sorted), their added-value rows ``(n, m)`` and synergy value rows.

    The value a measure adds under weights ``w`` is ``gains[i] @ w``: its values
    minus the baseline's (``baseline="worst"``, or no baseline: minus 0, the worst
    level of every scale). Columns of a ``role: cost`` criterion are 0 unless
    ``include_cost``. A synergy adds ``a_k @ w``; only synergies among measures
    are kept. Like a package's adjusted score, which stays within its scale, a
    synergy moves each criterion's value by at most its whole range (each entry
    of ``a_k`` is clipped to [-1, 1]); values, synergies and the objective are
    therefore all of order 1, whatever the units of the adjustments.
    """
    from policyeval.model import build_problem

    problem = build_problem(ws) if problem is None else problem
    vals = problem.values()
    ids = sorted(o.id for o in ws.measures)
    rows = vals[[problem.options.index(i) for i in ids]]
    if baseline == "declared" and problem.baseline is not None:
        rows = rows - vals[problem.baseline]
    priced = [c.role == "cost" and not include_cost for c in ws.criteria]
    rows = np.where(priced, 0.0, rows)
    span = problem.scale_hi - problem.scale_lo
    sign = np.where(problem.maximize, 1.0, -1.0) / np.where(span > 0, span, np.inf)
    sign = np.where(priced, 0.0, sign)
    syn = []
    for s in ws.synergies:
        if set(s.options) <= set(ids):
            adj = np.array([float(s.adjust.get(c, 0.0)) for c in problem.criteria])
            with np.errstate(over="ignore"):  # an overflow to inf is clipped to 1 below
                syn.append((sorted(s.options), np.clip(adj * sign, -1.0, 1.0)))
    return ids, rows, syn


def portfolio_data(
    ws: Workspace,
    weights: Weights,
    budget: float | None = None,
    *,
    problem: Problem | None = None,
    baseline: Literal["declared", "worst"] = "declared",
    at_least: Mapping[str, int] | None = None,
    at_most: Mapping[str, int] | None = None,
    must_fund: Sequence[str] = (),
    must_not_fund: Sequence[str] = (),
    min_recommendations: int | None = None,
) -> tuple[PortfolioData, str]:
    """Arrays of the portfolio problem of a workspace, and where the budget came from.

    Raises
    ------
    WorkspaceError
        For an unknown measure or recommendation, or a negative number.
    """
    ids, gains, syn = gain_vectors(ws, problem, baseline)
    w = weights.vector(ws.criterion_ids)
    pos = {o: i for i, o in enumerate(ids)}
    by_id = {o.id: o for o in ws.measures}
    costs = np.array([float(by_id[o].cost) for o in ids])
    recs = tuple(by_id[o].recommendation for o in ids)
    issues: list[Issue] = []
    source = "given"
    if budget is None:
        budget = ws.budget
        source = "options/allocation.yaml"
        if budget is None:
            budget, source = float(costs.sum()), "total cost of all measures"
    if budget < 0:
        issues.append(
            Issue("bad-argument", f"budget must be >= 0. Got {budget} instead.", "", "budget")
        )

    def rows(names: Sequence[str], entry: str) -> tuple[int, ...]:
        out = []
        for name in names:
            if name in pos:
                out.append(pos[name])
            else:
                issues.append(
                    Issue(
                        "unknown-measure",
                        f"unknown measure '{name}'.{did_you_mean(name, ids)} "
                        f"Measures: {', '.join(ids)}",
                        "",
                        entry,
                    )
                )
        return tuple(out)

    labels = sorted({r for r in recs if r})
    for entry, counts in (("at_least", at_least or {}), ("at_most", at_most or {})):
        for rec, k in counts.items():
            if rec not in labels:
                msg = f"unknown recommendation '{rec}'.{did_you_mean(rec, labels)} "
                issues.append(
                    Issue(
                        "unknown-recommendation", msg + f"Choices: {', '.join(labels)}", "", entry
                    )
                )
            if k < 0:
                issues.append(Issue("bad-argument", f"{rec}={k}: expected k >= 0", "", entry))
    if min_recommendations is not None and min_recommendations < 0:
        issues.append(Issue("bad-argument", "must be >= 0", "", "min_recommendations"))
    requires = tuple((pos[o.id], pos[r]) for o in ws.measures for r in o.requires if r in pos)
    excludes = {
        tuple(sorted((pos[o.id], pos[e]))) for o in ws.measures for e in o.excludes if e in pos
    }
    data = PortfolioData(
        ids=tuple(ids),
        values=gains @ w,
        costs=costs,
        budget=float(budget),
        recommendations=recs,
        synergies=tuple((tuple(pos[o] for o in m), float(a @ w)) for m, a in syn),
        requires=tuple(sorted(requires)),
        excludes=tuple(sorted(excludes)),  # type: ignore[arg-type]
        at_least=dict(at_least or {}),
        at_most=dict(at_most or {}),
        must_fund=rows(must_fund, "must_fund"),
        must_not_fund=rows(must_not_fund, "must_not_fund"),
        min_recommendations=min_recommendations,
    )
    fail_if(issues)
    return data, source


def _constraints(data: PortfolioData, x: list, z: dict) -> list[tuple[str, str, Any]]:
    """(kind, name, linear constraint) of every user-facing constraint."""
    ids = data.ids
    out: list[tuple[str, str, Any]] = []
    for i, r in data.requires:
        out.append(("requires", lp.lp_name("requires", ids[i], "on", ids[r]), x[i] <= x[r]))
    for i, e in data.excludes:
        out.append(("excludes", lp.lp_name("excludes", ids[i], "with", ids[e]), x[i] + x[e] <= 1))
    for kind, counts in (("at_least", data.at_least), ("at_most", data.at_most)):
        for rec, k in sorted(counts.items()):
            expr = lp.lp_sum(x[i] for i, r in enumerate(data.recommendations) if r == rec)
            con = (expr >= k) if kind == "at_least" else (expr <= k)
            out.append((kind, lp.lp_name(kind, rec), con))
    for i in data.must_fund:
        out.append(("must_fund", lp.lp_name("must_fund", ids[i]), x[i] >= 1))
    for i in data.must_not_fund:
        out.append(("must_not_fund", lp.lp_name("must_not_fund", ids[i]), x[i] <= 0))
    if data.min_recommendations is not None:
        expr = lp.lp_sum(z.values())
        out.append(("min_recommendations", "min_recommendations", expr >= data.min_recommendations))
    cost = lp.lp_sum(float(c) * xi for c, xi in zip(data.costs, x))
    out.append(("budget_total", "budget_total", cost <= data.budget))
    return out


def upper_bounds(data: PortfolioData) -> list[int]:
    """1 for a measure that may be funded, 0 for one that adds no value.

    A measure with ``V_i <= tol`` is left to the objective (not fixed at 0) when a
    constraint may need it (must_fund, another measure requires it, its
    recommendation has an ``at_least``, or ``min_recommendations`` is set) or when
    it belongs to a synergy worth more than nothing.
    """
    required = {r for _, r in data.requires}
    needed = set(data.must_fund) | required
    needed |= {i for members, v in data.synergies if v > data.tol for i in members}
    needed |= {i for i, r in enumerate(data.recommendations) if r in data.at_least}
    if data.min_recommendations is not None:
        needed = set(range(len(data.ids)))
    return [1 if v > data.tol or i in needed else 0 for i, v in enumerate(data.values)]


def _build(
    data: PortfolioData, omit: frozenset[str] = frozenset()
) -> tuple[pulp.LpProblem, list, list[tuple[str, str]], Any, Any]:
    prob = lp.new_problem("portfolio")
    x = [lp.add_var(prob, lp.lp_name("select", i), binary=True) for i in data.ids]
    for xi, ub in zip(x, upper_bounds(data)):
        xi.upBound = ub
    y = [lp.add_var(prob, f"synergy_{k}", binary=True) for k in range(len(data.synergies))]
    z = {}
    if data.min_recommendations is not None:
        z = {r: lp.add_var(prob, lp.lp_name("cover", r), binary=True) for r in data.labels}
    value = lp.lp_sum(float(v) * xi for v, xi in zip(data.values, x))
    value += lp.lp_sum(float(s) * yk for (_, s), yk in zip(data.synergies, y))
    cost = lp.lp_sum(float(c) * xi for c, xi in zip(data.costs, x))
    prob += value
    for k, (members, _) in enumerate(data.synergies):
        for i in members:
            prob += y[k] <= x[i], f"synergy_{k}_needs_{data.ids[i]}"
        prob += y[k] >= lp.lp_sum(x[i] for i in members) - (len(members) - 1), f"synergy_{k}_all"
    for rec, zr in z.items():
        members = [x[i] for i, r in enumerate(data.recommendations) if r == rec]
        prob += zr <= lp.lp_sum(members), lp.lp_name("covers", rec)
    kinds = []
    for kind, name, con in _constraints(data, x, z):
        kinds.append((kind, name))
        if name not in omit:
            prob += con, name
    return prob, x, kinds, value, cost


def build_portfolio_model(data: PortfolioData, omit: Iterable[str] = ()) -> pulp.LpProblem:
    """The portfolio MILP (pure), optionally without the named constraints.

    Examples
    --------
    >>> d = PortfolioData(("a", "b"), np.array([0.5, 0.4]), np.array([2.0, 1.0]), 2.0)
    >>> [c.name for c in build_portfolio_model(d).constraints()]
    ['budget_total']
    """
    return _build(data, frozenset(omit))[0]


class PortfolioModel:
    """A portfolio MILP built once and re-solved at several budgets.

    Between solves only the budget, the objective, variable bounds and three
    temporary rows change (the model is not rebuilt): ``value_floor`` (value >=
    rhs), ``cost_cap`` (cost <= rhs) and ``tie_cut`` (a no-good cut excluding one
    portfolio), each present only while a step needs it.

    The tie rule (module doc) is one lexicographic pass with a bounded number
    of solves. (1) The best value V*. (2) Is there another portfolio worth at
    least V* - tol? One MILP with ``tie_cut`` and V* - tol as a cutoff
    (:func:`policyeval.lp.status` ``at_least``), which usually proves quickly
    that there is none: then the optimum is returned (two solves in all).
    Otherwise (3) the least cost C* of a portfolio worth at least V* - tol, (4)
    whether another one costs at most C* + cost_tol and, if so, (5) the id rule
    among those, :data:`ID_CHUNK` measures per solve: maximizing
    ``sum_j 2^(K-1-j) x_j`` over a chunk of K measures (integer weights, each
    above the sum of the later ones) gives the lexicographically largest
    indicator vector of the chunk; its bits are fixed before the next chunk.
    At most ``4 + ceil(n / ID_CHUNK)`` solves per budget, never one per measure.
    """

    def __init__(self, data: PortfolioData, solver: str | None = None) -> None:
        self.data = data
        self.solver = lp.make_solver(solver)
        self._id_solver = lp.make_solver(solver, gap=0.5)  # integer objectives
        self.prob, self.x, _, self.value, self.cost = _build(data)
        self._ub = upper_bounds(data)
        self._budget = self.prob.get_constraint_by_name("budget_total")

    def _run(
        self, objective: Any, solver: Any = None, at_least: float | None = None
    ) -> tuple[int, ...] | None:
        self.prob.setObjective(objective)
        if lp.status(self.prob, solver or self.solver, at_least) != "Optimal":
            return None
        return tuple(i for i, xi in enumerate(self.x) if (xi.value() or 0.0) > 0.5)

    @contextlib.contextmanager
    def _row(self, name: str, constraint: Any) -> Iterator[None]:
        """``constraint`` in the model while the block runs."""
        self.prob += constraint, name
        try:
            yield
        finally:
            lp.remove_row(self.prob, name)

    def _other(self, rows: tuple[int, ...], floor: float) -> bool:
        """Whether a portfolio other than ``rows`` is worth at least ``floor``."""
        chosen = set(rows)
        cut = lp.lp_sum(-xi if i in chosen else xi for i, xi in enumerate(self.x))
        with self._row("tie_cut", cut >= 1 - len(chosen)):
            other = self._run(self.value, at_least=floor)
        return other is not None and self.data.value_of(other) >= floor

    def solve(self, budget: float | None = None) -> tuple[int, ...]:
        """Rows of the optimal portfolio at ``budget`` (ties broken as documented).

        Raises
        ------
        InfeasibleError
            When no portfolio satisfies the constraints (not diagnosed here).
        """
        d = self.data
        self._budget.changeRHS(float(d.budget if budget is None else budget))
        try:
            best = self._run(self.value)
            if best is None:
                raise InfeasibleError("no portfolio satisfies the constraints")
            floor = d.value_of(best) - d.tol
            if not self._other(best, floor):
                return best  # the only portfolio within the tie tolerance
            with self._row("value_floor", self.value >= floor):
                cheapest = self._run(-self.cost) or best
                if d.cost_of(best) <= d.cost_of(cheapest):
                    cheapest = best
                with self._row("cost_cap", self.cost <= d.cost_of(cheapest) + d.cost_tol):
                    if not self._other(cheapest, floor):
                        return cheapest
                    return self._by_id(cheapest)
        finally:
            self._budget.changeRHS(d.budget)
            self.prob.setObjective(self.value)

    def _by_id(self, tie: tuple[int, ...]) -> tuple[int, ...]:
        """The lexicographically largest indicator vector (in id order) among the portfolios
        allowed by the current constraints, of which ``tie`` is one."""
        free = [i for i, ub in enumerate(self._ub) if ub]
        try:
            for start in range(0, len(free), ID_CHUNK):
                chunk = free[start : start + ID_CHUNK]
                if not set(chunk) <= set(tie):  # else all of the chunk funded: the largest
                    weights = 2.0 ** np.arange(len(chunk) - 1, -1, -1)
                    objective = lp.lp_sum(float(c) * self.x[i] for c, i in zip(weights, chunk))
                    tie = self._run(objective, self._id_solver) or tie
                for i in chunk:
                    self.x[i].lowBound = self.x[i].upBound = int(i in tie)
            return tie
        finally:
            for xi, ub in zip(self.x, self._ub):
                xi.lowBound, xi.upBound = 0, ub

    def min_cost_above(self, value: float) -> float | None:
        """Least cost of a portfolio worth more than ``value + tol`` (no budget limit), or None."""
        d = self.data
        self._budget.changeRHS(float(d.costs.sum()) + 1.0)
        try:
            with self._row("value_floor", self.value >= value + d.tol):
                rows = self._run(-self.cost)
            if rows is None or d.value_of(rows) <= value + d.tol / 2:
                return None
            return d.cost_of(rows)
        finally:
            self._budget.changeRHS(d.budget)
            self.prob.setObjective(self.value)


def diagnose(data: PortfolioData, solver: str | None = None) -> list[str]:
    """An irreducible set of constraints that cannot hold together (deletion filter).

    Start from all user-facing constraints; drop each in turn (order of
    ``CONSTRAINT_KINDS``) and keep it dropped when the rest is still
    infeasible. What remains is infeasible, and dropping any one of its
    constraints makes it feasible (Chinneck & Dravnieks 1991).
    """
    solv = lp.make_solver(solver)
    names = sorted(_build(data)[2], key=lambda kn: CONSTRAINT_KINDS.index(kn[0]))
    omit: set[str] = set()
    for _, name in names:
        trial = frozenset(omit | {name})
        if lp.status(_build(data, trial)[0], solv) != "Optimal":
            omit.add(name)
    return [name for _, name in names if name not in omit]


def describe(data: PortfolioData, name: str) -> str:
    """A constraint name with what it says, for messages."""
    ids = data.ids
    if name == "budget_total":
        return f"budget_total: total cost <= {data.budget:g}"
    if name == "min_recommendations":
        return f"min_recommendations: at least {data.min_recommendations} recommendations covered"
    for kind, counts in (("at_least", data.at_least), ("at_most", data.at_most)):
        for rec, k in counts.items():
            if name == lp.lp_name(kind, rec):
                word = "at least" if kind == "at_least" else "at most"
                return f"{name}: {word} {k} measure(s) of recommendation ({rec})"
    for i in data.must_fund:
        if name == lp.lp_name("must_fund", ids[i]):
            return f"{name}: {ids[i]} must be funded (cost {data.costs[i]:g})"
    for i in data.must_not_fund:
        if name == lp.lp_name("must_not_fund", ids[i]):
            return f"{name}: {ids[i]} must not be funded"
    for i, r in data.requires:
        if name == lp.lp_name("requires", ids[i], "on", ids[r]):
            return f"{name}: {ids[i]} requires {ids[r]}"
    for i, e in data.excludes:
        if name == lp.lp_name("excludes", ids[i], "with", ids[e]):
            return f"{name}: {ids[i]} excludes {ids[e]}"
    return name


def binding_constraints(data: PortfolioData, rows: Iterable[int]) -> list[str]:
    """User-facing constraints that hold with equality at a portfolio.

    ``requires`` counts when both measures are funded, ``excludes`` when one
    is; the budget when the remaining budget is below ``tol``.
    """
    chosen, ids = set(rows), data.ids
    out = []
    for i, r in data.requires:
        if i in chosen:
            out.append(lp.lp_name("requires", ids[i], "on", ids[r]))
    for i, e in data.excludes:
        if (i in chosen) != (e in chosen):
            out.append(lp.lp_name("excludes", ids[i], "with", ids[e]))
    for kind, counts in (("at_least", data.at_least), ("at_most", data.at_most)):
        for rec, k in sorted(counts.items()):
            if sum(data.recommendations[i] == rec for i in chosen) == k:
                out.append(lp.lp_name(kind, rec))
    out += [lp.lp_name("must_fund", ids[i]) for i in data.must_fund]
    out += [lp.lp_name("must_not_fund", ids[i]) for i in data.must_not_fund]
    if data.min_recommendations is not None:
        if len({data.recommendations[i] for i in chosen} - {None}) == data.min_recommendations:
            out.append("min_recommendations")
    if data.budget - data.cost_of(chosen) <= data.tol:
        out.append("budget_total")
    return out


def feasible_masks(
    data: PortfolioData, budget: float | None = None, worthwhile: bool = False
) -> np.ndarray:
    """Indicator rows ``(F, n)`` of every feasible portfolio, in id-lexicographic order.

    Most-funded-first, measure 0 the top bit: among portfolios of equal value and
    cost the first row funds the smallest id (the DESIGN.md tie rule). ``budget``
    replaces ``data.budget`` (``inf``: no budget); ``worthwhile`` drops portfolios
    funding a measure that :func:`upper_bounds` fixes at 0.
    """
    n = len(data.ids)
    codes = np.arange(2**n - 1, -1, -1, dtype=np.int64)  # most-funded-first
    bits = ((codes[:, None] >> np.arange(n - 1, -1, -1)) & 1).astype(bool)  # id 0 = top bit
    ok = _feasible(data, bits, budget)
    if worthwhile:
        ok &= ~bits[:, [not ub for ub in upper_bounds(data)]].any(axis=1)
    return bits[ok]


def _feasible(data: PortfolioData, bits: np.ndarray, budget: float | None = None) -> np.ndarray:
    """Which indicator rows ``(F, n)`` satisfy every constraint (``budget``: see above)."""
    limit = data.budget if budget is None else budget
    ok = bits.astype(float) @ data.costs <= limit + data.cost_tol * 1e-3
    for i, r in data.requires:
        ok &= ~bits[:, i] | bits[:, r]
    for i, e in data.excludes:
        ok &= ~(bits[:, i] & bits[:, e])
    for i in data.must_fund:
        ok &= bits[:, i]
    for i in data.must_not_fund:
        ok &= ~bits[:, i]
    recs = np.array([r or "" for r in data.recommendations])
    for rec, k in data.at_least.items():
        ok &= bits[:, recs == rec].sum(axis=1) >= k
    for rec, k in data.at_most.items():
        ok &= bits[:, recs == rec].sum(axis=1) <= k
    if data.min_recommendations is not None:
        covered = sum(bits[:, recs == r].any(axis=1) for r in data.labels)
        ok &= np.asarray(covered) >= data.min_recommendations
    return ok


def mask_values(data: PortfolioData, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Value (measures plus earned synergies) and cost of each portfolio row."""
    value = masks.astype(float) @ data.values
    for members, v in data.synergies:
        value += masks[:, list(members)].all(axis=1) * v
    return value, masks.astype(float) @ data.costs


def best_row(value: np.ndarray, cost: np.ndarray, tol: float, cost_tol: float) -> int:
    """The optimal row under the tie rule: best value, then lowest cost, then the first row."""
    tied = value >= value.max() - tol
    cheapest = cost[tied].min()
    return int(np.flatnonzero(tied & (cost <= cheapest + cost_tol))[0])


def solve_portfolio(data: PortfolioData, solver: str | None = None) -> tuple[int, ...]:
    """Rows of the optimal portfolio; diagnoses infeasibility.

    Up to :data:`ENUMERATE_LIMIT` measures every feasible portfolio is enumerated
    (exact, in process); above, the MILP is solved.

    Raises
    ------
    InfeasibleError
        Naming an irreducible set of conflicting constraints.
    """
    try:
        if len(data.ids) <= ENUMERATE_LIMIT:
            masks = feasible_masks(data, worthwhile=True)
            if not len(masks):
                raise InfeasibleError("no portfolio satisfies the constraints")
            value, cost = mask_values(data, masks)
            return tuple(np.flatnonzero(masks[best_row(value, cost, data.tol, data.cost_tol)]))
        return PortfolioModel(data, solver).solve()
    except InfeasibleError as err:
        if _feasible(data, np.zeros((1, len(data.ids)), dtype=bool))[0]:
            raise RuntimeError(
                "the solver found no portfolio although funding nothing satisfies every "
                "constraint; try --solver highs"
            ) from err
        conflict = diagnose(data, solver)
        raise InfeasibleError(
            "no portfolio exists: these constraints cannot hold together (dropping any "
            "one of them makes the request feasible)",
            [describe(data, n) for n in conflict],
        ) from err


def optimize_portfolio(
    ws: Workspace,
    weights: Weights,
    budget: float | None = None,
    *,
    problem: Problem | None = None,
    baseline: Literal["declared", "worst"] = "declared",
    at_least: Mapping[str, int] | None = None,
    at_most: Mapping[str, int] | None = None,
    must_fund: Sequence[str] = (),
    must_not_fund: Sequence[str] = (),
    min_recommendations: int | None = None,
    solver: str | None = None,
) -> PortfolioResult:
    """The optimal set of measures to fund (exact MILP, ties by cost then id).

    Parameters
    ----------
    ws : Workspace
    weights : Weights
        Criterion weights.
    budget : float, optional
        Default: ``budget`` in ``options/allocation.yaml``, else the total cost
        of all measures (``budget_source`` says which).
    at_least, at_most : dict, optional
        Recommendation label -> minimum / maximum number of its measures.
    must_fund, must_not_fund : sequence of str
        Measure ids.
    min_recommendations : int, optional
        Minimum number of the paper's recommendations with a funded measure.
    solver : {"cbc", "highs"}, optional
    problem : Problem, optional
        The options' decision matrix, when already built.
    baseline : {"declared", "worst"}
        Value added over the declared baseline, or over the worst level of every
        scale (the baseline sensitivity of Liesiö & Punkka 2014).

    Raises
    ------
    InfeasibleError
        Naming an irreducible set of conflicting constraints (exit code 3).
    """
    data, source = portfolio_data(
        ws,
        weights,
        budget,
        problem=problem,
        baseline=baseline,
        at_least=at_least,
        at_most=at_most,
        must_fund=must_fund,
        must_not_fund=must_not_fund,
        min_recommendations=min_recommendations,
    )
    rows = solve_portfolio(data, solver)
    result = make_result(data, rows, weights.profile, source, solver or "cbc")
    notes = list(clipped_synergies(ws, problem))
    if ws.baseline is None and baseline == "declared":
        notes.append(
            "no baseline is declared, so each measure's added value is counted from the worst "
            "level of every scale; declare the status quo (kind: baseline) to count what a "
            "measure adds over doing nothing"
        )
    return replace(result, warnings=tuple(notes)) if notes else result


def clipped_synergies(ws: Workspace, problem: Problem | None = None) -> list[str]:
    """A note for each synergy adjustment larger than its criterion's whole range (it counts
    as that range, see :func:`gain_rows`)."""
    from policyeval.model import build_problem

    problem = build_problem(ws) if problem is None else problem
    span = dict(zip(problem.criteria, (problem.scale_hi - problem.scale_lo).tolist()))
    return [
        f"synergy of {', '.join(s.options)}: its adjustment of {c} ({x:g}) is larger than the "
        f"criterion's whole range ({span[c]:g}) and counts as that range"
        for s in ws.synergies
        for c, x in s.adjust.items()
        if c in span and abs(x) > span[c]
    ]


def make_result(
    data: PortfolioData, rows: Iterable[int], profile: str | None, source: str, solver: str
) -> PortfolioResult:
    """A :class:`PortfolioResult` for the portfolio ``rows``."""
    rows = sorted(rows)
    by_rec: dict[str, list[str]] = {}
    for i in rows:
        by_rec.setdefault(data.recommendations[i] or "-", []).append(data.ids[i])
    earned = tuple(
        tuple(data.ids[i] for i in members)
        for members, _ in data.synergies
        if set(members) <= set(rows)
    )
    return PortfolioResult(
        status="optimal",
        budget=data.budget,
        selected=tuple(data.ids[i] for i in rows),
        value=data.value_of(rows),
        cost=data.cost_of(rows),
        profile=profile,
        budget_source=source,
        by_recommendation=by_rec,
        binding=tuple(binding_constraints(data, rows)),
        synergies_earned=earned,
        solver=solver,
        added_value={i: float(v) for i, v in zip(data.ids, data.values)},
        costs={i: float(c) for i, c in zip(data.ids, data.costs)},
    )
