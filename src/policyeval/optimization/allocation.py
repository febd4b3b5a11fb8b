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
divided by the largest figure over the targets (a ratio scale, 0..1); an empty
cell counts as ``need.missing`` (``mean`` of the targets with a figure, or
``zero``). The index is the weighted sum (weights normalized);
``need = floor + (1 - floor) * index``. Ranges use their midpoints; ``low`` and
``high`` needs use the low and high ends.

Shadow prices: ``shadow_prices[c]`` is the LP dual of constraint c (value
per unit of its right-hand side); ``marginal_value`` is the value of one more
unit of budget, counting that the shares are fractions of the budget:
``sum_c dual_c * d(rhs_c)/d(budget)``. With set-up binaries, these are fixed
at the MILP optimum and the LP is re-solved; the duals of that LP are reported
(exact for small changes that keep the same set-ups). A constraint binds when
its slack is below 1e-9.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from policyeval import lp
from policyeval.errors import InfeasibleError, Issue, WorkspaceError

if TYPE_CHECKING:
    from policyeval.model import Workspace

FILE = "options/allocation.yaml"
TOP_KEYS = (
    "unit", "budget", "measures", "need", "targets", "channels", "membership",
    "response", "measure_settings", "shares",
)  # fmt: skip
BIND_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class AllocationSpec:
    """A validated ``options/allocation.yaml``."""

    unit: str
    budget: float | None
    measures: str
    targets: tuple[tuple[str, str], ...]  # (target id, country row)
    channels: dict[str, dict[str, Any]]  # id -> {"targets": set, "member": column|None}
    indicators: dict[str, float]
    missing: str
    floor: float
    membership: dict[str, dict[str, bool]]
    response: tuple[tuple[float, float], ...]
    settings: dict[str, dict[str, Any]]
    shares: dict[str, dict[str, dict[str, float]]]


@dataclass(frozen=True, slots=True)
class AllocationResult:
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

    def _repr_html_(self) -> str:
        from policyeval.display import html_table

        header = ["option", "target", "channel", "amount"]
        rows = [[r[k] for k in header] for r in self.allocation]
        caption = f"Allocation ({self.status}): {self.budget:g} {self.unit}, value {self.value:.4g}"
        return html_table(caption, header, rows)

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
        }


def _yes(cell: str) -> bool | None:
    cell = cell.strip().lower()
    return {"yes": True, "no": False}.get(cell)


def read_countries(ws: Workspace) -> dict[str, dict[str, str]]:
    """Rows of ``criteria/countries.csv`` by country name (empty dict if absent)."""
    path = ws.root / "criteria" / "countries.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as f:
        return {row["country"]: row for row in csv.DictReader(f)}


def load_allocation(ws: Workspace) -> AllocationSpec | None:
    """Read and validate ``options/allocation.yaml`` (None when the file is absent).

    Raises
    ------
    WorkspaceError
        With every problem found, naming the file and entry.
    """
    from policyeval.io.checks import Checker
    from policyeval.io.safe_yaml import read_yaml

    path = ws.root / FILE
    if not path.is_file():
        return None
    data, issues = read_yaml(path, FILE)
    if issues:
        raise WorkspaceError(issues)
    ck = Checker(FILE, issues)
    data = ck.mapping(data, "")
    if data is None:
        raise WorkspaceError(issues)
    ck.keys(data, "", TOP_KEYS, required=("targets", "channels"))
    budget = None if data.get("budget") is None else ck.number(data["budget"], "budget", minimum=0)
    measures = data.get("measures", "portfolio")
    ck.choice(measures, "measures", ["portfolio", "all"], "measures mode")
    rows = read_countries(ws)

    targets: list[tuple[str, str]] = []
    for k, t in enumerate(data.get("targets") or []):
        t = ck.mapping(t, f"targets[{k}]")
        if t is None:
            continue
        ck.keys(t, f"targets[{k}]", ("id", "country", "note"), required=("id", "country"))
        tid = ck.identifier(t.get("id"), f"targets[{k}].id")
        country = ck.ref(t.get("country"), f"targets[{k}].country", rows, "country")
        if tid and country:
            targets.append((tid, country))
    tids = [t for t, _ in targets]

    channels: dict[str, dict[str, Any]] = {}
    for k, c in enumerate(data.get("channels") or []):
        c = ck.mapping(c, f"channels[{k}]")
        if c is None:
            continue
        where = f"channels[{k}]"
        ck.keys(c, where, ("id", "name", "targets", "member_column", "note"), required=("id",))
        cid = ck.identifier(c.get("id"), f"{where}.id")
        scope = c.get("targets", "all")
        if isinstance(scope, list):
            allowed = set(ck.id_list(scope, f"{where}.targets", tids, "target"))
        else:
            ck.choice(scope, f"{where}.targets", ["all"], "targets scope")
            allowed = set(tids)
        member = c.get("member_column")
        if member is not None and rows and member not in next(iter(rows.values())):
            ck.add(
                "unknown-column", f"{where}.member_column", f"no column '{member}' in countries.csv"
            )
        if cid:
            channels[cid] = {"targets": allowed, "member": member, "name": str(c.get("name") or "")}

    membership: dict[str, dict[str, bool]] = {}
    for tid, cols in (ck.mapping(data.get("membership") or {}, "membership") or {}).items():
        ck.ref(tid, f"membership.{tid}", tids, "target")
        for col, val in (ck.mapping(cols, f"membership.{tid}") or {}).items():
            flag = _yes(str(val)) if not isinstance(val, bool) else val
            if flag is None:
                ck.add("not-yes-no", f"membership.{tid}.{col}", f"expected yes or no, got {val!r}")
            else:
                membership.setdefault(tid, {})[col] = flag

    need = ck.mapping(data.get("need") or {}, "need") or {}
    ck.keys(need, "need", ("indicators", "missing", "floor"), required=("indicators",))
    indicators: dict[str, float] = {}
    cols = set(next(iter(rows.values()))) if rows else set()
    for col, wgt in (ck.mapping(need.get("indicators") or {}, "need.indicators") or {}).items():
        if col not in cols and not {f"{col}_low", f"{col}_high"} <= cols:
            ck.add(
                "unknown-column", f"need.indicators.{col}", f"no column '{col}' in countries.csv"
            )
        x = ck.number(wgt, f"need.indicators.{col}", minimum=0)
        if x is not None:
            indicators[col] = x
    missing = need.get("missing", "mean")
    ck.choice(missing, "need.missing", ["mean", "zero"], "missing rule")
    floor = ck.number(need.get("floor", 0.0), "need.floor", minimum=0, maximum=1) or 0.0

    response = _segments(ck, data.get("response"), "response") or ((float("inf"), 1.0),)
    measure_ids = [o.id for o in ws.measures]
    settings: dict[str, dict[str, Any]] = {}
    for mid, s in (
        ck.mapping(data.get("measure_settings") or {}, "measure_settings") or {}
    ).items():
        where = f"measure_settings.{mid}"
        ck.ref(mid, where, measure_ids, "measure")
        s = ck.mapping(s, where) or {}
        ck.keys(s, where, ("targets", "channels", "fit", "response", "setup_cost", "note"))
        out: dict[str, Any] = {}
        if "targets" in s:
            out["targets"] = set(ck.id_list(s["targets"], f"{where}.targets", tids, "target"))
        if "channels" in s:
            out["channels"] = set(
                ck.id_list(s["channels"], f"{where}.channels", channels, "channel")
            )
        fit = {}
        for cid, f in (ck.mapping(s.get("fit") or {}, f"{where}.fit") or {}).items():
            ck.ref(cid, f"{where}.fit.{cid}", channels, "channel")
            fit[cid] = ck.number(f, f"{where}.fit.{cid}", minimum=0) or 0.0
        out["fit"] = fit
        if "response" in s:
            out["response"] = _segments(ck, s["response"], f"{where}.response")
        if "setup_cost" in s:
            out["setup_cost"] = ck.number(s["setup_cost"], f"{where}.setup_cost", minimum=0)
        settings[mid] = out

    shares: dict[str, dict[str, dict[str, float]]] = {}
    known = {"target": tids, "channel": list(channels), "recommendation": None}
    for kind, spec in (ck.mapping(data.get("shares") or {}, "shares") or {}).items():
        if ck.choice(kind, f"shares.{kind}", list(known), "share kind") is None:
            continue
        for key, mm in (ck.mapping(spec, f"shares.{kind}") or {}).items():
            where = f"shares.{kind}.{key}"
            if known[kind] is not None:
                ck.ref(key, where, known[kind], kind)
            mm = ck.mapping(mm, where) or {}
            ck.keys(mm, where, ("min", "max"))
            bounds = {b: ck.number(v, f"{where}.{b}", minimum=0, maximum=1) for b, v in mm.items()}
            shares.setdefault(kind, {})[str(key)] = {
                b: v for b, v in bounds.items() if v is not None
            }
    if issues:
        raise WorkspaceError(issues)
    return AllocationSpec(
        unit=str(data.get("unit", "")),
        budget=budget,
        measures=measures,
        targets=tuple(targets),
        channels=channels,
        indicators=indicators,
        missing=missing,
        floor=floor,
        membership=membership,
        response=response,
        settings=settings,
        shares=shares,
    )


def _segments(ck: Any, value: Any, entry: str) -> tuple[tuple[float, float], ...] | None:
    """``[[width, slope], ...]`` with non-increasing positive slopes (concave)."""
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        ck.add("wrong-type", entry, "expected a list of [width, slope] segments")
        return None
    out = []
    for k, seg in enumerate(value):
        if not (isinstance(seg, list) and len(seg) == 2):
            ck.add("wrong-type", f"{entry}[{k}]", "expected [width, slope]")
            return None
        w = ck.number(seg[0], f"{entry}[{k}][0]", minimum=0)
        s = ck.number(seg[1], f"{entry}[{k}][1]", minimum=0)
        if w is None or s is None:
            return None
        if out and s > out[-1][1]:
            ck.add(
                "not-concave",
                f"{entry}[{k}]",
                f"slope {s:g} is above the previous slope {out[-1][1]:g}; slopes must not "
                "increase (diminishing returns)",
            )
            return None
        out.append((w, s))
    return tuple(out)


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
    >>> spec = AllocationSpec("RU", 1.0, "all", targets, channels, {}, "mean", 0.0, {},
    ...                       ((1.0, 1.0),), {}, {})
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


def configured_budget(ws: Workspace) -> float | None:
    """The ``budget`` of ``options/allocation.yaml``, or None."""
    spec = load_allocation(ws)
    return None if spec is None else spec.budget


def need_index(
    spec: AllocationSpec, rows: dict[str, dict[str, str]]
) -> dict[str, dict[str, float]]:
    """Need per target: ``{"need", "low", "high", "index"}`` (see the module doc)."""
    targets = [t for t, _ in spec.targets]
    total = sum(spec.indicators.values()) or 1.0
    parts: dict[str, np.ndarray] = {}
    for end in ("mid", "low", "high"):
        idx = np.zeros(len(targets))
        for col, wgt in spec.indicators.items():
            x = np.array([_figure(rows[c], col, end) for _, c in spec.targets], dtype=float)
            known = ~np.isnan(x)
            fill = np.nanmean(x) if spec.missing == "mean" and known.any() else 0.0
            x = np.where(known, x, fill)
            top = x.max() if x.size and x.max() > 0 else 1.0
            idx += wgt / total * x / top
        parts[end] = idx
    f = spec.floor
    return {
        t: {
            "index": float(parts["mid"][k]),
            "need": f + (1 - f) * float(parts["mid"][k]),
            "low": f + (1 - f) * float(parts["low"][k]),
            "high": f + (1 - f) * float(parts["high"][k]),
        }
        for k, t in enumerate(targets)
    }


def _figure(row: dict[str, str], col: str, end: str) -> float:
    """A cell as a number (nan if empty); a ``_low``/``_high`` pair gives its end or midpoint."""

    def num(key: str) -> float:
        cell = (row.get(key) or "").strip()
        return float(cell) if cell else float("nan")

    if col in row:
        return num(col)
    lo, hi = num(f"{col}_low"), num(f"{col}_high")
    return {"low": lo, "high": hi, "mid": (lo + hi) / 2}[end]


def _available(
    spec: AllocationSpec, rows: dict[str, dict[str, str]], tid: str, country: str, cid: str
) -> bool:
    ch = spec.channels[cid]
    if tid not in ch["targets"]:
        return False
    col = ch["member"]
    if col is None:
        return True
    flag = _yes(rows[country].get(col) or "")
    if flag is None:
        flag = spec.membership.get(tid, {}).get(col)
    if flag is None:
        raise WorkspaceError(
            [
                Issue(
                    "unknown-membership",
                    f"countries.csv has no yes/no '{col}' for {country}; declare it under "
                    f"membership.{tid}.{col}",
                    FILE,
                    f"membership.{tid}",
                )
            ]
        )
    return flag


def availability(ws: Workspace, spec: AllocationSpec) -> dict[str, list[str]]:
    """Channels available at each target (membership rules applied)."""
    rows = read_countries(ws)
    return {
        t: [c for c in spec.channels if _available(spec, rows, t, country, c)]
        for t, country in spec.targets
    }


def _model(
    spec: AllocationSpec,
    avail: dict[str, list[str]],
    values: dict[str, float],
    need: dict[str, float],
    recs: dict[str, str | None],
    budget: float,
    fixed: dict[tuple[str, str], float] | None = None,
    floors: dict[str, float] | None = None,
) -> tuple[Any, dict, dict, dict[str, float]]:
    """The allocation model; ``fixed`` replaces set-up binaries by constants (LP).

    ``floors`` gives a minimum total (amounts plus set-ups) per measure.

    Also returns, per constraint whose right-hand side moves with the budget,
    d(rhs)/d(budget).
    """
    prob = lp.new_problem("allocation")
    per_budget: dict[str, float] = {"budget_total": 1.0}
    s: dict[tuple[str, str, str], Any] = {}
    u: dict[tuple[str, str], Any] = {}
    objective = []
    for i, v in values.items():
        st = spec.settings.get(i, {})
        fit = st.get("fit", {})
        segs = st.get("response") or spec.response
        for t, chans in avail.items():
            if "targets" in st and t not in st["targets"]:
                continue
            chans = [c for c in chans if "channels" not in st or c in st["channels"]]
            if not chans:
                continue
            for c in chans:
                s[i, t, c] = lp.add_var(prob, lp.lp_name("amount", i, t, c))
            seg = [lp.add_var(prob, lp.lp_name("seg", i, t, str(k))) for k in range(len(segs))]
            for k, (w, slope) in enumerate(segs):
                objective.append(float(v * need[t] * slope) * seg[k])
                if np.isfinite(w):
                    prob += seg[k] <= float(w), lp.lp_name("segment", i, t, str(k))
            effective = lp.lp_sum(float(fit.get(c, 1.0)) * s[i, t, c] for c in chans)
            prob += lp.lp_sum(seg) <= effective, lp.lp_name("response", i, t)
            setup = st.get("setup_cost")
            if setup:
                spent = lp.lp_sum(s[i, t, c] for c in chans)
                if fixed is None:
                    u[i, t] = lp.add_var(prob, lp.lp_name("setup", i, t), binary=True)
                    prob += spent <= float(budget) * u[i, t], lp.lp_name("setup", i, t)
                else:
                    u[i, t] = fixed[i, t]
                    prob += spent <= float(budget * fixed[i, t]), lp.lp_name("setup", i, t)
                    per_budget[lp.lp_name("setup", i, t)] = fixed[i, t]
    prob += lp.lp_sum(objective) + 0.0
    setup_cost = lp.lp_sum(
        float(spec.settings[i]["setup_cost"]) * z for (i, _), z in u.items() if fixed is None
    )
    fixed_cost = sum(
        float(spec.settings[i]["setup_cost"]) * z for (i, _), z in (fixed or {}).items()
    )
    total = lp.lp_sum(s.values())
    prob += total + setup_cost <= float(budget - fixed_cost), "budget_total"
    for i, floor in sorted((floors or {}).items()):
        setups = [(float(spec.settings[i]["setup_cost"]), z) for (j, _), z in u.items() if j == i]
        spent = lp.lp_sum(x for (j, _, _), x in s.items() if j == i)
        spent += lp.lp_sum(c * z for c, z in setups if fixed is None)
        spent += float(sum(c * z for c, z in setups if fixed is not None))
        prob += spent >= float(floor), lp.lp_name("fund", i)
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
                    rhs = float(mm[bound] * budget)
                    prob += (part >= rhs) if bound == "min" else (part <= rhs), name
                    per_budget[name] = mm[bound]
    return prob, s, u, per_budget


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


def allocate(
    ws: Workspace, weights: Any, budget: float | None = None, solver: str | None = None
) -> AllocationResult:
    """Split the budget across measures, targets and channels (see the module doc).

    Raises
    ------
    WorkspaceError
        When ``options/allocation.yaml`` is missing or invalid.
    InfeasibleError
        When the shares cannot all hold within the budget.
    """
    from policyeval.optimization.portfolio import optimize_portfolio, portfolio_data

    spec = load_allocation(ws)
    if spec is None:
        raise WorkspaceError(
            [Issue("missing-file", "allocate needs options/allocation.yaml; create it", FILE)]
        )
    if budget is None:
        budget = spec.budget
    if budget is None:
        raise WorkspaceError(
            [Issue("missing-key", "no budget: add 'budget' or pass --budget", FILE, "budget")]
        )
    if budget < 0:
        raise WorkspaceError(
            [Issue("bad-argument", f"budget must be >= 0. Got {budget} instead.", "", "--budget")]
        )
    data, _ = portfolio_data(ws, weights, budget)
    chosen = list(data.ids)
    if spec.measures == "portfolio":
        chosen = list(optimize_portfolio(ws, weights, budget, solver=solver).selected)
    values = {i: float(data.values[data.ids.index(i)]) for i in chosen}
    recs = {o.id: o.recommendation for o in ws.measures}
    rows = read_countries(ws)
    needs = need_index(spec, rows)
    need = {t: n["need"] for t, n in needs.items()}
    avail = availability(ws, spec)

    floors = {}
    if spec.measures == "portfolio":
        floors = {i: float(data.costs[data.ids.index(i)]) for i in chosen}

    def build(sp: AllocationSpec, fixed: dict | None = None) -> tuple:
        return _model(sp, avail, values, need, recs, budget, fixed, floors)

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
    duals = lp.dual_values(prob)
    slack = lp.slacks(prob)
    binding = tuple(
        sorted(
            (n for n in duals if slack[n] <= BIND_TOL and not n.startswith("response")),
            key=lambda n: (n != "budget_total", n.startswith("segment"), n),
        )
    )
    alloc = []
    by_t: dict[str, float] = {}
    by_c: dict[str, float] = {}
    for (i, t, c), x in sorted(s.items()):
        amount = float(x.value() or 0.0)
        if amount > BIND_TOL:
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
        value=float(prob.objective.value() or 0.0),
        unit=spec.unit,
        profile=getattr(weights, "profile", None),
        measures=tuple(chosen),
        shadow_prices={n: duals[n] for n in binding},
        marginal_value=float(sum(duals[n] * k for n, k in per_budget.items())),
        binding=binding,
        by_target=by_t,
        by_channel=by_c,
        need_index=needs,
        setups=setups,
        labels=labels(spec),
    )
