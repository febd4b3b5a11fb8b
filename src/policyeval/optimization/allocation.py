"""Resource allocation: how to split the budget across measures, targets and channels.

The model (``options/allocation.yaml``, schema in that file's header) is an LP,
a MILP when set-up costs are declared. For measure i, target t, channel c the
amount ``s_itc >= 0`` exists only where the channel is available at the target
(membership read from ``criteria/countries.csv``) and the measure allows both::

    max   sum_{i,t} V_i * need_t * sum_k slope_ik * seg_itk
    s.t.  sum_k seg_itk <= sum_c fit_ic * s_itc                 response_<i>_<t>
          seg_itk <= width_ik                                   segment_<i>_<t>_<k>
          sum s_itc + sum setup_i * u_it <= budget              budget_total
          sum_c s_itc <= budget * u_it  (only with a set-up)    setup_<i>_<t>
          sum_{t,c} s_itc + setup_i * sum_t u_it >= cost_i        fund_<i> (portfolio mode)
          min_share * budget <= sum of a target's / channel's /
              recommendation's amounts <= max_share * budget    share_<kind>_<id>_min|max

Slopes are non-increasing, so the segments fill in order: a concave
piecewise-linear response (diminishing returns). ``V_i`` is the measure's wsm
score (as in ``optimize``). With ``measures: portfolio`` (default) only the
measures of the optimal portfolio at the same budget are allocated, each at
least its ``cost`` in total (constraint ``fund_<i>``, set-ups included): the
allocation decides where each funded measure's money goes and where the rest
of the budget adds most value. With ``measures: all`` every measure may
receive money and none has a minimum.

Need index per target: for each indicator of ``need.indicators`` (a column
of countries.csv, or a ``_low``/``_high`` pair read as a range) the figure is
divided by the largest figure over the targets (a ratio scale, 0..1). A target
with no figure for an indicator either drops it (its index is the weighted
mean over the indicators it has figures for) or takes the declared imputation;
no figure is ever filled in with a mean. The index is that weighted mean
(1 for every target when no indicator is declared);
``need = floor + (1 - floor) * index``. Ranges use their midpoints; ``low`` and
``high`` needs use the low and high ends.

Shadow prices: ``shadow_prices[c]`` is the LP dual of constraint c (value
per unit of its right-hand side); ``marginal_value`` is the value of one more
unit of budget, counting that the shares are fractions of the budget:
``sum_c dual_c * d(rhs_c)/d(budget)``. With set-up binaries, these are fixed
at the MILP optimum and the LP is re-solved; the duals of that LP are reported
(exact for small changes that keep the same set-ups). A constraint binds when
its slack is below 1e-9 of the budget.

Units: the solver sees amounts divided by the power of 10 nearest the budget
(or nearest what the measures can spend, if less) and values divided by that
of the largest objective coefficient, so the same case in EUR or in million
EUR gives the same allocation, scaled. Without minimum shares, a budget above
twice :func:`spendable` (divided by the smallest ``max`` share) buys nothing
more: the model is solved at that budget, reported as not binding (marginal
value 0, a warning), so value and feasibility never fall as the budget grows.
With minimum shares, a budget over :data:`MAX_SPEND_RATIO` times what can be
spent is refused (exit code 2).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from policyeval import lp
from policyeval.display import Tabular, title_of
from policyeval.errors import InfeasibleError, Issue, WorkspaceError
from policyeval.io.checks import magnitude_problem
from policyeval.limits import limit
from policyeval.model.allocation import AllocationSpec

if TYPE_CHECKING:
    from policyeval.model import Weights, Workspace
    from policyeval.model.problem import Problem
    from policyeval.optimization.portfolio import PortfolioResult

FILE = "options/allocation.yaml"
BIND_TOL = 1e-9
"""A constraint binds when its slack is below this fraction of the budget."""
MAX_SPEND_RATIO = 1e6
"""With minimum shares, the largest budget relative to what the measures can spend."""


@dataclass(frozen=True, slots=True, repr=False)
class AllocationResult(Tabular):
    """Amounts per measure, target and channel, with what binds."""

    status: str
    budget: float
    allocation: tuple[dict[str, Any], ...]
    value: float
    unit: str = ""
    profile: str | None = None
    measures: tuple[str, ...] = ()
    shadow_prices: dict[str, float] = field(default_factory=dict)
    marginal_value: float = 0.0
    binding: tuple[str, ...] = ()
    by_target: dict[str, float] = field(default_factory=dict)
    by_channel: dict[str, float] = field(default_factory=dict)
    need_index: dict[str, dict[str, float]] = field(default_factory=dict)
    setups: tuple[dict[str, Any], ...] = ()
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    titles: dict[str, str] = field(default_factory=dict, compare=False)

    def to_frame(self) -> Any:
        """One row per amount: ``option``, ``title``, ``target``, ``channel``, ``amount``
        (targets and channels by their readable labels)."""
        import pandas as pd

        targets = self.labels.get("targets", {})
        channels = self.labels.get("channels", {})
        return pd.DataFrame(
            {
                "option": [r["option"] for r in self.allocation],
                "title": [title_of(self.titles, r["option"]) for r in self.allocation],
                "target": [targets.get(r["target"], r["target"]) for r in self.allocation],
                "channel": [channels.get(r["channel"], r["channel"]) for r in self.allocation],
                "amount": [r["amount"] for r in self.allocation],
            }
        )

    def _caption(self) -> str:
        return f"allocation ({self.status}): {self.budget:g} {self.unit}, value {self.value:.4g}"

    def to_dict(self) -> dict[str, Any]:
        """DESIGN.md ``allocate`` JSON shape plus extra keys."""
        return {
            "status": self.status,
            "budget": self.budget,
            "allocation": [dict(r) for r in self.allocation],
            "value": self.value,
            "unit": self.unit,
            "profile": self.profile,
            "measures": list(self.measures),
            "spent": float(sum(r["amount"] for r in self.allocation))
            + float(sum(s["cost"] for s in self.setups)),
            "shadow_prices": self.shadow_prices,
            "marginal_value": self.marginal_value,
            "binding": list(self.binding),
            "by_target": self.by_target,
            "by_channel": self.by_channel,
            "need_index": self.need_index,
            "setups": [dict(s) for s in self.setups],
            "labels": {k: dict(v) for k, v in self.labels.items()},
            "warnings": list(self.warnings),
        }


def labels(spec: AllocationSpec) -> dict[str, dict[str, str]]:
    """Readable names of targets and channels for tables and charts.

    A target is named by its country, with the rest of its id in parentheses
    when the id says more than the country (``russia_domestic`` -> "Russia
    (domestic)") or when two targets share the country. A channel whose name's
    capitalized initials spell its id is shown as that acronym (``csto``,
    "Collective Security Treaty Organization" -> "CSTO"), else as its id.
    ``channel_names`` keeps the full names.

    Examples
    --------
    >>> targets = (("russia_domestic", "Russia"), ("kz", "Kazakhstan"))
    >>> channels = {"csto": {"name": "Collective Security Treaty Organization"}, "bi": {}}
    >>> spec = AllocationSpec("RU", 1.0, "all", targets, channels, (), 0.0, {},
    ...                       ((1.0, 1.0),), {}, {}, {})
    >>> labels(spec)["targets"]
    {'russia_domestic': 'Russia (domestic)', 'kz': 'Kazakhstan'}
    >>> labels(spec)["channels"]
    {'csto': 'CSTO', 'bi': 'Bi'}
    """
    countries = [c for _, c in spec.targets]
    targets = {}
    for tid, country in spec.targets:
        slug = re.sub(r"\W+", "_", country.lower()).strip("_")
        rest = tid[len(slug) :].strip("_") if tid.startswith(slug) else tid
        if rest and (tid.startswith(slug) or countries.count(country) > 1):
            targets[tid] = f"{country} ({rest.replace('_', ' ')})"
        else:
            targets[tid] = country
    channels, names = {}, {}
    for cid, ch in spec.channels.items():
        name = ch.get("name", "")
        initials = "".join(w[0] for w in re.findall(r"[\w-]+", name) if w[0].isupper())
        short = cid.upper() if initials.lower() == cid.lower() else cid.replace("_", " ")
        channels[cid] = short[0].upper() + short[1:]
        names[cid] = name or channels[cid]
    return {"targets": targets, "channels": channels, "channel_names": names}


def need_index(spec: AllocationSpec, rows: dict[str, dict[str, str]]) -> dict[str, dict[str, Any]]:
    """Need per target (see the module doc), with the figures it rests on.

    Returns ``{target: {"need", "low", "high", "index", "dropped", "imputed"}}``:
    ``dropped`` lists the indicators with no figure for the target (left out
    of its index), ``imputed`` those whose figure was declared by imputation.

    Examples
    --------
    >>> from policyeval.model.allocation import Indicator
    >>> spec = AllocationSpec("RU", 1.0, "all", (("a", "A"), ("b", "B")), {},
    ...                       (Indicator("x", 1.0), Indicator("y", 1.0)), 0.0, {},
    ...                       ((1.0, 1.0),), {}, {}, {})
    >>> rows = {"A": {"x": "2", "y": ""}, "B": {"x": "4", "y": "5"}}
    >>> {t: (n["index"], n["dropped"]) for t, n in need_index(spec, rows).items()}
    {'a': (0.5, ['y']), 'b': (1.0, [])}
    """
    targets = [t for t, _ in spec.targets]
    n, k = len(targets), len(spec.indicators)
    weights = np.array([ind.weight for ind in spec.indicators], dtype=float)
    parts: dict[str, np.ndarray] = {}
    known = np.ones((n, k), dtype=bool)
    for end in ("mid", "low", "high"):
        x = np.array(
            [
                [_figure(rows[c], ind.column, end) for ind in spec.indicators]
                for _, c in spec.targets
            ],
            dtype=float,
        ).reshape(n, k)
        fill = np.array([np.nan if i.impute is None else i.impute for i in spec.indicators])
        known = ~np.isnan(x) | ~np.isnan(fill)
        x = np.where(np.isnan(x), fill, x)
        top = np.nanmax(np.where(known, x, np.nan), axis=0, initial=0.0) if n else np.zeros(k)
        ratio = np.where(known, x / np.where(top > 0, top, 1.0), 0.0)
        w = np.where(known, weights, 0.0)
        total = w.sum(axis=1)
        mean = (w * ratio).sum(axis=1) / np.where(total > 0, total, 1.0)
        parts[end] = np.where(total > 0, mean, 0.0) if k else np.ones(n)
    f = spec.floor
    out: dict[str, dict[str, Any]] = {}
    for t, (tid, country) in enumerate(spec.targets):
        missing = [i for i in spec.indicators if np.isnan(_figure(rows[country], i.column, "mid"))]
        out[tid] = {
            "index": float(parts["mid"][t]),
            "need": f + (1 - f) * float(parts["mid"][t]),
            "low": f + (1 - f) * float(parts["low"][t]),
            "high": f + (1 - f) * float(parts["high"][t]),
            "dropped": [i.column for i in missing if i.missing == "drop"],
            "imputed": [i.column for i in missing if i.missing == "impute"],
        }
    return out


def _figure(row: dict[str, str], col: str, end: str) -> float:
    """A cell as a number (nan if empty); a ``_low``/``_high`` pair gives its end or midpoint."""

    def num(key: str) -> float:
        cell = (row.get(key) or "").strip()
        return float(cell) if cell else float("nan")

    if col in row:
        return num(col)
    lo, hi = num(f"{col}_low"), num(f"{col}_high")
    return {"low": lo, "high": hi, "mid": (lo + hi) / 2}[end]


def _cells(
    spec: AllocationSpec, avail: dict[str, list[str]], values: dict[str, float]
) -> Iterator[tuple[str, str, list[str], dict[str, float], tuple, float]]:
    """``(measure, target, channels, fit, segments, setup cost)`` of every cell of the model:
    a measure at a target where at least one channel it may use is open."""
    for i in values:
        st = spec.settings.get(i, {})
        for t, chans in avail.items():
            if "targets" in st and t not in st["targets"]:
                continue
            chans = [c for c in chans if "channels" not in st or c in st["channels"]]
            if chans:
                segs = st.get("response") or spec.response
                yield i, t, chans, st.get("fit", {}), segs, float(st.get("setup_cost") or 0.0)


def spendable(
    spec: AllocationSpec,
    avail: dict[str, list[str]],
    values: dict[str, float],
    floors: dict[str, float],
) -> float:
    """What the measures can spend to any effect: per measure, the amount that fills every
    response segment at every target through its least effective open channel, plus its
    set-ups, or its floor if larger; summed over the measures.

    From an allocation at any budget, cutting what fills no segment (down to the floors)
    keeps its value and spends at most this much.
    """
    need: dict[str, float] = dict.fromkeys(floors, 0.0)
    for i, _, chans, fit, segs, setup in _cells(spec, avail, values):
        worst = min((f for f in (fit.get(c, 1.0) for c in chans) if f > 0), default=0.0)
        fill = sum(w for w, _ in segs) / worst if worst > 0 else 0.0
        need[i] = need.get(i, 0.0) + fill + setup
    return float(sum(max(floors.get(i, 0.0), n) for i, n in need.items()))


def _model(
    spec: AllocationSpec,
    avail: dict[str, list[str]],
    values: dict[str, float],
    need: dict[str, float],
    recs: dict[str, str | None],
    budget: float,
    fixed: dict[tuple[str, str], float] | None = None,
    floors: dict[str, float] | None = None,
    unit: float = 1.0,
    value_unit: float = 1.0,
) -> tuple[Any, dict, dict, dict[str, float]]:
    """The allocation model; ``fixed`` replaces set-up binaries by constants (LP).

    ``floors`` gives a minimum total (amounts plus set-ups) per measure. Amounts
    are counted in ``unit`` (the solver sees ``amount / unit``) and the objective
    in ``value_unit``, so that the model's numbers are of order 1 in any currency.

    Also returns, per constraint whose right-hand side moves with the budget,
    d(rhs)/d(budget).
    """
    prob = lp.new_problem("allocation")
    per_budget: dict[str, float] = {"budget_total": 1.0}
    s: dict[tuple[str, str, str], Any] = {}
    u: dict[tuple[str, str], Any] = {}
    objective = []
    for i, t, chans, fit, segs, setup in _cells(spec, avail, values):
        for c in chans:
            s[i, t, c] = lp.add_var(prob, lp.lp_name("amount", i, t, c))
        seg = [lp.add_var(prob, lp.lp_name("seg", i, t, str(k))) for k in range(len(segs))]
        for k, (w, slope) in enumerate(segs):
            objective.append(float(values[i] * need[t] * slope * unit / value_unit) * seg[k])
            prob += seg[k] <= float(w / unit), lp.lp_name("segment", i, t, str(k))
        effective = lp.lp_sum(float(fit.get(c, 1.0)) * s[i, t, c] for c in chans)
        prob += lp.lp_sum(seg) <= effective, lp.lp_name("response", i, t)
        if setup:
            spent = lp.lp_sum(s[i, t, c] for c in chans)
            if fixed is None:
                u[i, t] = lp.add_var(prob, lp.lp_name("setup", i, t), binary=True)
                prob += spent <= float(budget / unit) * u[i, t], lp.lp_name("setup", i, t)
            else:
                u[i, t] = fixed[i, t]
                prob += spent <= float(budget * fixed[i, t] / unit), lp.lp_name("setup", i, t)
                per_budget[lp.lp_name("setup", i, t)] = fixed[i, t]
    prob += lp.lp_sum(objective) + 0.0
    setup_cost = lp.lp_sum(
        float(spec.settings[i]["setup_cost"] / unit) * z for (i, _), z in u.items() if fixed is None
    )
    fixed_cost = sum(
        float(spec.settings[i]["setup_cost"]) * z for (i, _), z in (fixed or {}).items()
    )
    total = lp.lp_sum(s.values())
    prob += total + setup_cost <= float((budget - fixed_cost) / unit), "budget_total"
    for i, floor in sorted((floors or {}).items()):
        setups = [(float(spec.settings[i]["setup_cost"]), z) for (j, _), z in u.items() if j == i]
        spent = lp.lp_sum(x for (j, _, _), x in s.items() if j == i)
        spent += lp.lp_sum(c / unit * z for c, z in setups if fixed is None)
        spent += float(sum(c * z for c, z in setups if fixed is not None) / unit)
        prob += spent >= float(floor / unit), lp.lp_name("fund", i)
    for kind, entries in spec.shares.items():
        pos = {"target": 1, "channel": 2}.get(kind)
        for key, mm in sorted(entries.items()):
            if pos is None:
                part = lp.lp_sum(x for (i, _, _), x in s.items() if recs.get(i) == key)
            else:
                part = lp.lp_sum(x for k3, x in s.items() if k3[pos] == key)
            for bound in ("min", "max"):
                if bound in mm:
                    name = lp.lp_name("share", kind, key, bound)
                    rhs = float(mm[bound] * budget / unit)
                    prob += (part >= rhs) if bound == "min" else (part <= rhs), name
                    per_budget[name] = mm[bound]
    return prob, s, u, per_budget


def _tidy(x: float) -> float:
    """``x`` to 12 significant digits: what the solver resolves, without the last-digit noise
    of counting in powers of 10 (7.000000000000001 reads 7.0)."""
    return float(f"{x:.12g}")


def _decade(x: float) -> float:
    """The power of 10 nearest ``x`` (> 0) on a log scale.

    Examples
    --------
    >>> _decade(150.0), _decade(1.5e8), _decade(0.002)
    (100.0, 100000000.0, 0.001)
    """
    return float(10.0 ** round(math.log10(x)))


def _too_large(budget: float, total: float, unit: str, minimum: str, source: str) -> Issue:
    """The Issue for a budget the model cannot represent next to its amounts."""
    return Issue(
        "budget-too-large",
        f"budget {budget:g} is more than {MAX_SPEND_RATIO:g} times what the measures can "
        f"spend to any effect ({total:g} {unit}); with a minimum share ({minimum}) every "
        "amount would then be too small a fraction of the budget for the solver to resolve; "
        f"give a budget of at most {MAX_SPEND_RATIO * total:g}, or remove the minimum shares",
        source,
        "budget",
    )


def _share_conflict(spec: AllocationSpec, build: Any) -> list[str]:
    """Deletion filter over the share bounds: an irreducible infeasible set of them."""
    from dataclasses import replace

    bounds = [(k, key, b) for k, e in spec.shares.items() for key, mm in e.items() for b in mm]
    solver = lp.make_solver()

    def feasible(keep: list[tuple[str, str, str]]) -> bool:
        shares: dict[str, dict[str, dict[str, float]]] = {}
        for k, key, b in keep:
            shares.setdefault(k, {}).setdefault(key, {})[b] = spec.shares[k][key][b]
        return lp.status(build(replace(spec, shares=shares))[0], solver) == "Optimal"

    if not feasible([]):
        return []
    keep = list(bounds)
    for item in bounds:
        trial = [x for x in keep if x != item]
        if not feasible(trial):
            keep = trial
    return [
        f"{lp.lp_name('share', k, key, b)}: {b} share {spec.shares[k][key][b]:g} of the "
        f"budget for {k} {key}"
        for k, key, b in keep
    ]


def _least_spend(prob: Any, cells: dict[Any, Any], solver: str | None) -> None:
    """Re-solve ``prob`` (an LP at its optimum) for the least spending that keeps its value.

    Where the budget does not bind, amounts past a response curve's last segment buy
    nothing and any split of them is optimal; the least-spend optimum shows none.
    """
    import pulp

    objective = prob.objective
    best = float(objective.value() or 0.0)
    prob += objective >= best - 1e-9 * max(1.0, abs(best)), "value_kept"
    prob.sense = pulp.LpMinimize
    prob.setObjective(pulp.lpSum(cells.values()))
    lp.solve(prob, lp.make_solver(solver, lp=True), "the allocation model")


def allocate(
    ws: Workspace,
    weights: Weights,
    budget: float | None = None,
    solver: str | None = None,
    *,
    problem: Problem | None = None,
    portfolio: PortfolioResult | None = None,
) -> AllocationResult:
    """Split the budget across measures, targets and channels (see the module doc).

    ``problem`` (the options' decision matrix) and ``portfolio`` (the optimal
    portfolio at the same budget, for ``measures: portfolio``) are used when
    given instead of being computed again.

    Raises
    ------
    WorkspaceError
        When ``options/allocation.yaml`` is missing or invalid.
    InfeasibleError
        When the shares cannot all hold within the budget.
    """
    from policyeval.optimization.portfolio import optimize_portfolio, portfolio_data

    spec = ws.allocation
    if spec is None:
        raise WorkspaceError(
            [Issue("missing-file", "allocate needs options/allocation.yaml; create it", FILE)]
        )
    source = ""
    if budget is None:
        budget, source = spec.budget, FILE
    if budget is None:
        raise WorkspaceError(
            [Issue("missing-key", "no budget: add 'budget' or pass --budget", FILE, "budget")]
        )
    if budget < 0:
        why = f"budget must be >= 0. Got {budget} instead."
        raise WorkspaceError([Issue("bad-argument", why, source, "budget")])
    if budget > limit("magnitude"):  # a tiny budget is fine: it buys nothing
        raise WorkspaceError(
            [Issue("bad-argument", magnitude_problem(budget) or "", source, "budget")]
        )
    data, _ = portfolio_data(ws, weights, budget, problem=problem)
    chosen = list(data.ids)
    if spec.measures == "portfolio":
        if portfolio is None or abs(portfolio.budget - budget) > 1e-12:
            portfolio = optimize_portfolio(ws, weights, budget, solver=solver, problem=problem)
        chosen = list(portfolio.selected)
    values = {i: float(data.values[data.ids.index(i)]) for i in chosen}
    recs = {o.id: o.recommendation for o in ws.measures}
    needs = need_index(spec, ws.countries)
    need = {t: n["need"] for t, n in needs.items()}
    avail = {t: list(c) for t, c in spec.available.items()}

    floors = {}
    if spec.measures == "portfolio":
        floors = {i: float(data.costs[data.ids.index(i)]) for i in chosen}

    # Numbers the solver can resolve in any units (R9, R10 of the 2026-11-30 attack report):
    # amounts are counted in `unit` (the power of 10 nearest the budget, or what can be
    # spent if less) and values in that of the largest objective coefficient (powers of 10
    # keep round figures round in the solver's files). Without minimum shares a budget above
    # `not_binding` buys nothing more (see `spendable`; max shares only cap the parts at
    # fractions of it), so the model is solved at twice that, where nothing binds.
    total = spendable(spec, avail, values, floors)
    minimums = [f"shares.{k}.{key}.min" for k, e in spec.shares.items() for key, mm in e.items()
                if "min" in mm]  # fmt: skip
    caps = [mm["max"] for e in spec.shares.values() for mm in e.values() if mm.get("max", 0) > 0]
    not_binding = None if minimums else total / min(caps, default=1.0)
    capped = not_binding is not None and budget > 2 * not_binding
    solve_at = 2 * not_binding if capped and not_binding is not None else budget
    if minimums and budget > MAX_SPEND_RATIO * total:
        raise WorkspaceError([_too_large(budget, total, spec.unit, minimums[0], source)])
    unit = _decade(min((x for x in (solve_at, total) if x > 0), default=1.0))
    slopes = [abs(values[i] * need[t]) * slope for i, t, _, _, segs, _ in
              _cells(spec, avail, values) for _, slope in segs]  # fmt: skip
    value_unit = _decade(max(slopes, default=0.0) * unit or 1.0)

    def build(sp: AllocationSpec, fixed: dict | None = None) -> tuple:
        return _model(sp, avail, values, need, recs, solve_at, fixed, floors, unit, value_unit)

    prob, s, u, per_budget = build(spec)
    try:
        lp.solve(prob, lp.make_solver(solver), "the allocation model")
    except InfeasibleError as err:
        conflict = _share_conflict(spec, build) or [
            f"{lp.lp_name('fund', i)}: {i} receives at least its cost {c:g}"
            for i, c in floors.items()
        ]
        raise InfeasibleError(
            "these constraints cannot hold together within the budget (dropping any one "
            "of the shares listed makes the allocation feasible)",
            conflict + [f"budget_total: total spending <= {budget:g}"],
        ) from err
    fixed = None
    if u:
        fixed = {k: float(round(z.value() or 0.0)) for k, z in u.items()}
        prob, s, _, per_budget = build(spec, fixed)
    lp.solve(prob, lp.make_solver(solver, lp=True), "the allocation model")
    duals = {n: _tidy(d * value_unit / unit) for n, d in lp.dual_values(prob).items()}
    slack = lp.slacks(prob)  # in `unit`: a constraint binds within BIND_TOL of the budget
    if capped:  # at the real budget, what moves with it is far from binding
        slack |= {n: 1.0 for n, k in per_budget.items() if k > 0}
    binding = tuple(
        sorted(
            (n for n in duals if slack[n] <= BIND_TOL and not n.startswith("response")),
            key=lambda n: (n != "budget_total", n.startswith("segment"), n),
        )
    )
    value = _tidy(float(prob.objective.value() or 0.0) * value_unit)
    if "budget_total" not in binding:  # money is left: show no amount that buys nothing
        _least_spend(prob, s, solver)
    alloc = []
    by_t: dict[str, float] = {}
    by_c: dict[str, float] = {}
    for (i, t, c), x in sorted(s.items()):
        amount = _tidy(float(x.value() or 0.0) * unit)
        if amount > BIND_TOL * unit:
            alloc.append({"option": i, "target": t, "channel": c, "amount": amount})
            by_t[t] = by_t.get(t, 0.0) + amount
            by_c[c] = by_c.get(c, 0.0) + amount
    setups = tuple(
        {"option": i, "target": t, "cost": float(spec.settings[i]["setup_cost"])}
        for (i, t), z in sorted((fixed or {}).items())
        if z > 0.5
    )
    return AllocationResult(
        status="optimal",
        budget=float(budget),
        allocation=tuple(alloc),
        value=value,
        unit=spec.unit,
        profile=weights.profile,
        measures=tuple(chosen),
        shadow_prices={n: duals[n] for n in binding},
        marginal_value=0.0 if capped else float(sum(duals[n] * k for n, k in per_budget.items())),
        binding=binding,
        by_target=by_t,
        by_channel=by_c,
        need_index=needs,
        setups=setups,
        labels=labels(spec),
        warnings=(
            f"the budget {budget:g} is not binding: beyond {not_binding:g} {spec.unit} nothing "
            "more can be bought; shown is the least spending that buys the optimum, the rest "
            "is left unallocated",
        )
        if capped
        else (),
    )
