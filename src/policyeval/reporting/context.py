"""Analysis results -> the plain dictionary a memo template renders.

Two steps (STYLE.md, Reports). :func:`gather` runs the analyses a memo needs
and keeps their ``to_dict()`` shapes (DESIGN.md JSON). :func:`build_context`
is pure: from the workspace and those dictionaries it computes every number
a memo prints, already formatted for people (percentages, the case's resource
unit), and the sentences that depend on the numbers. Templates only arrange
wording around it.

Hedging rules (the bottom line's verdict, :func:`verdict`; thresholds in
:data:`THRESHOLDS`):

- **firm** when the recommended choice's first-rank acceptability (SMAA) is
  at least 0.70, every ranking method puts it first, and no single criterion
  weight can move by 0.10 or less (others rescaled in proportion) before
  another choice overtakes it (the stability margin);
- **fragile** when its first-rank acceptability is below 0.40;
- **qualified** otherwise: acceptability in [0.40, 0.70), or the methods
  disagree on the top, or a weight change of 0.10 or less overturns it, or
  robustness could not be assessed.

Acceptability comes from SMAA with the weighted sum: weights are drawn
uniformly within the profile's declared ``bounds`` when it has some (the
stakeholders' own range), else uniformly over all weights; scores are drawn
from their low-high ranges.

The recommended choice is the weighted-sum (wsm) winner under the chosen
profile, among packages when the workspace declares packages, else among
options. When the status quo (baseline) ranks first, the memo says no
package beats it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from policyeval.model import Workspace

if TYPE_CHECKING:
    from policyeval.analysis import Analysis

THRESHOLDS = {
    "firm_acceptability": 0.70,
    "fragile_acceptability": 0.40,
    "stability_margin": 0.10,
}

METHOD_ABBR = {"wsm": "WSM", "wpm": "WPM", "promethee": "PROMETHEE"}

METHOD_NAMES = {
    "wsm": "Weighted sum",
    "wpm": "Weighted product",
    "topsis": "TOPSIS",
    "vikor": "VIKOR",
    "promethee": "PROMETHEE II",
    "electre": "ELECTRE",
}

# --------------------------------------------------------------------- formatting


def pct(x: float | None, digits: int = 0) -> str:
    """A share as a percentage for people.

    Examples
    --------
    >>> pct(0.7349), pct(0.004), pct(None), pct(1.0)
    ('73%', '<1%', '—', '100%')
    """
    if x is None or not math.isfinite(x):
        return "—"
    if 0 < x < 0.005 * 10 ** (-digits):
        return f"<{10 ** (-digits):g}%"
    return f"{100 * x:.{digits}f}%"


def pp(x: float) -> str:
    """A difference of shares in percentage points.

    Examples
    --------
    >>> pp(0.0083), pp(0.1)
    ('0.8 percentage points', '10 percentage points')
    """
    return f"{num(100 * x, 1)} percentage points"


def num(x: float | None, digits: int = 2) -> str:
    """A number with at most ``digits`` decimals, trailing zeros dropped.

    Examples
    --------
    >>> num(2.5), num(3.0), num(0.61834, 3), num(12345.6, 0)
    ('2.5', '3', '0.618', '12,346')
    """
    if x is None or not math.isfinite(x):
        return "—"
    text = f"{x:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def unit_label(unit: str) -> str:
    """The short form of a unit: a short word before parentheses, or a short one inside.

    Examples
    --------
    >>> unit_label("notional resource units (RU), same unit as cost"), unit_label("EUR m")
    ('RU', 'EUR m')
    >>> unit_label("RU (notional resource units)")
    'RU'
    """
    lead = re.match(r"\s*([^()]{1,8}?)\s*\(", unit)
    if lead:
        return lead.group(1)
    found = re.search(r"\(([^()]{1,12})\)", unit)
    return found.group(1) if found else unit.strip()


def amount(x: float | None, unit: str) -> str:
    """An amount of resources with its unit.

    Examples
    --------
    >>> amount(1250, "RU"), amount(7.5, "EUR m")
    ('1,250 RU', '7.5 EUR m')
    """
    return f"{num(x, 1)} {unit}".strip()


def short(identifier: str) -> str:
    """A short label from an id for charts and tables.

    Examples
    --------
    >>> short("a1_root_cause_monitoring")
    'a1 root cause monitoring'
    """
    return identifier.replace("_", " ")


def crit_label(name: str, identifier: str, limit: int = 30) -> str:
    """A criterion's name when short, else its id in words (ids are chosen to be short).

    Examples
    --------
    >>> crit_label("Resource cost", "fiscal_cost")
    'Resource cost'
    >>> crit_label("Curbs radicalization and recruitment of migrants in Russia", "recruitment")
    'Recruitment'
    """
    if len(name) <= limit:
        return name
    text = short(identifier)
    return text[:1].upper() + text[1:]


def listing(items: Sequence[str], conj: str = "and") -> str:
    """Join words as people do.

    Examples
    --------
    >>> listing(["a"]), listing(["a", "b"]), listing(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


# --------------------------------------------------------------------- hedging


def stability_margin(
    weights: Mapping[str, float], stability: Mapping[str, Sequence[float | None]]
) -> tuple[float | None, str | None]:
    """The smallest change of one weight that overturns the top choice, and its criterion.

    ``stability[c] = [lo, hi]`` is the interval of ``w_c`` inside which the top
    stays on top; an end at 0 or 1 (or None) is no limit. Returns
    ``(None, None)`` when no single weight change overturns it.

    Examples
    --------
    >>> stability_margin({"a": 0.25, "b": 0.75}, {"a": [0.0, 0.5], "b": [0.5, 1.0]})
    (0.25, 'a')
    """
    best: tuple[float | None, str | None] = (None, None)
    for c, (lo, hi) in stability.items():
        w = weights.get(c, 0.0)
        gaps = []
        if lo is not None and lo > 1e-9:
            gaps.append(w - lo)
        if hi is not None and hi < 1 - 1e-9:
            gaps.append(hi - w)
        if gaps and (best[0] is None or min(gaps) < best[0]):
            best = (max(0.0, min(gaps)), c)
    return best


def verdict(acceptability: float | None, methods_agree: bool, margin: float | None) -> str:
    """The bottom line's hedge: ``"firm"``, ``"qualified"`` or ``"fragile"``.

    Parameters
    ----------
    acceptability : float or None
        First-rank acceptability of the recommended choice (SMAA), None if not assessed.
    methods_agree : bool
        True when every ranking method puts the choice first.
    margin : float or None
        :func:`stability_margin` (None: no single weight change overturns it).

    Examples
    --------
    >>> verdict(0.8, True, 0.2), verdict(0.8, False, 0.2), verdict(0.3, True, None)
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


def hedge_reasons(
    acceptability: float | None,
    agreeing: Sequence[str],
    dissent: Mapping[str, str],
    margin: float | None,
    margin_criterion: str | None,
) -> list[str]:
    """Sentences saying which rule held or failed (method and criterion names given)."""
    t = THRESHOLDS
    out = []
    if acceptability is None:
        out.append("Robustness to uncertain weights and scores was not assessed.")
    elif acceptability >= t["firm_acceptability"]:
        out.append(
            f"It ranks first in {pct(acceptability)} of the Monte Carlo draws "
            f"(firm at {pct(t['firm_acceptability'])} or more)."
        )
    elif acceptability >= t["fragile_acceptability"]:
        out.append(
            f"It ranks first in only {pct(acceptability)} of the Monte Carlo draws "
            f"(below the {pct(t['firm_acceptability'])} this memo calls firm)."
        )
    else:
        out.append(
            f"It ranks first in only {pct(acceptability)} of the Monte Carlo draws "
            f"(below {pct(t['fragile_acceptability'])}: no choice stands out)."
        )
    n = len(agreeing) + len(dissent)
    if not dissent:
        out.append(f"All {n} ranking methods put it first.")
    else:
        out.append(
            f"{len(agreeing)} of {n} ranking methods put it first; {prefer_sentence(dissent)}."
        )
    if margin is None:
        out.append("No change of a single criterion weight overturns it.")
    elif margin <= t["stability_margin"]:
        out.append(
            f"A change of {pp(margin)} in the weight of {margin_criterion} "
            f"is enough to overturn it (firm needs more than {pp(t['stability_margin'])})."
        )
    else:
        out.append(
            f"The weight of any one criterion would have to move by more than {pp(margin)} "
            f"to overturn it (the closest is {margin_criterion})."
        )
    return out


def prefer_sentence(dissent: Mapping[str, str]) -> str:
    """Methods grouped by the choice they prefer.

    Examples
    --------
    >>> prefer_sentence({"TOPSIS": "B", "VIKOR": "B", "ELECTRE": "C"})
    'TOPSIS and VIKOR prefer B, ELECTRE prefers C'
    """
    by_choice: dict[str, list[str]] = {}
    for method, choice in dissent.items():
        by_choice.setdefault(choice, []).append(method)
    return ", ".join(
        f"{listing(ms)} {'prefers' if len(ms) == 1 else 'prefer'} {c}"
        for c, ms in by_choice.items()
    )


# --------------------------------------------------------------------- gathering


def gather(a: Analysis, seed: int = 0, samples: int = 10_000) -> dict[str, Any]:
    """The results a memo uses, from the analysis (each computed once there).

    Returns a dict with ``profile`` (resolved id), ``weights`` (profile id ->
    weights dict, every profile), ``options`` (``rank --method all`` of the
    options), ``packages`` (the same for packages, or None), ``by_profile``
    (profile id -> wsm ranking rows of the compared choices), ``values``
    (MAVT values of the options, ``(n, m)`` lists), ``sensitivity`` (or None
    with fewer than two choices), ``portfolio``, ``frontier`` and
    ``allocation`` (or None when no budget is declared; ``funding_error``
    when a model is infeasible), ``countries`` (rows of countries.csv),
    ``unit`` (of the allocation model), ``verdict`` and ``svgs`` (charts drawn
    by the sensitivity and optimization modules: ``tornado``, ``frontier``).
    """
    ws = a.case
    packages = a.subject_packages()
    options = a.problem()
    weights = {p: w.to_dict() for p, w in a.profiles().items()}
    pid = a.profile or given_id(ws)
    weights[pid] = {**a.weights.to_dict(), "profile": pid}
    out: dict[str, Any] = {
        "profile": pid,
        "weights": weights,
        "options": a.rankings().to_dict(),
        "packages": a.rankings(True).to_dict() if packages else None,
        "by_profile": {p: r.to_dict()["ranking"] for p, r in a.by_profile(packages).items()},
        "values": options.values().tolist(),
        "svgs": {},
        "verdict": a.verdict(samples=samples, seed=seed),
    }
    if len(a.problem(packages).options) > 1:
        from policyeval.sensitivity import tornado_svg

        report = a.sensitivity(samples=samples, seed=seed, packages=packages)
        out["sensitivity"] = report.to_dict()
        names = {**_titles(ws), **{c.id: c.name for c in ws.criteria}}
        out["svgs"]["tornado"] = tornado_svg(report.tornado, max_rows=12, labels=names)
    else:
        out["sensitivity"] = None
    out.update(_funding_results(a, out["svgs"]))
    return out


def given_id(ws: Workspace) -> str:
    """The id under which a memo lists weights given directly (no profile file)."""
    pid = "current"
    while pid in ws.profiles:
        pid += "_"
    return pid


def case_for_memo(a: Analysis) -> Workspace:
    """The case, with weights given directly listed as an unsaved profile."""
    import dataclasses

    from policyeval.model import WeightProfile

    if a.profile is not None:
        return a.case
    pid = given_id(a.case)
    name = a.weights.name if a.weights.name != "given weights" else "Briefing (unsaved)"
    temp = WeightProfile(pid, name, "points", {"points": a.weights.weights})
    return dataclasses.replace(a.case, profiles={**a.case.profiles, pid: temp})


def _funding_results(a: Analysis, svgs: dict[str, str]) -> dict[str, Any]:
    """Portfolio, frontier and allocation where the case sets a budget (allocation.yaml).

    An infeasible model is reported in the memo (``funding_error``), not raised.
    """
    from policyeval.errors import InfeasibleError
    from policyeval.optimization.frontier import frontier_svg

    ws = a.case
    spec = ws.allocation
    out: dict[str, Any] = {
        "portfolio": None,
        "frontier": None,
        "allocation": None,
        "countries": list(ws.countries.values()),
        "unit": spec.unit if spec is not None else None,
    }
    if not a.funding_declared():
        return out
    try:
        out["portfolio"] = a.portfolio().to_dict()
        frontier = a.frontier()
        out["frontier"] = frontier.to_dict()
        svgs["frontier"] = frontier_svg(frontier, title="Efficient frontier: best value per budget")
        if spec is not None and spec.targets:
            out["allocation"] = a.allocation().to_dict()
    except InfeasibleError as err:
        out["funding_error"] = f"{err} ({', '.join(err.constraints)})"
    return out


# --------------------------------------------------------------------- context


def _titles(ws: Workspace) -> dict[str, str]:
    out = {o.id: o.title for o in ws.options}
    out.update({p.id: p.title for p in ws.packages})
    return out


def _first(rows: Sequence[Mapping[str, Any]], baseline: str | None) -> str:
    """The best-ranked row's id (ties: file order), or the best non-baseline one."""
    ranked = sorted(rows, key=lambda r: r["rank"])
    keep = [r for r in ranked if r["option"] != baseline] if baseline else ranked
    return keep[0]["option"] if keep else ranked[0]["option"]


def _rank_table(
    ranking: Mapping[str, Any], titles: Mapping[str, str], baseline: str | None
) -> dict[str, Any]:
    methods = list(ranking["methods"])
    ranks = {m: {r["option"]: r["rank"] for r in rows} for m, rows in ranking["methods"].items()}
    scores = {r["option"]: r["score"] for r in ranking["methods"].get("wsm", [])}
    rows = []
    for row in ranking["consensus"]:
        oid = row["option"]
        rows.append(
            {
                "id": oid,
                "title": titles.get(oid, oid),
                "short": short(oid),
                "consensus": row["rank"],
                "ranks": [ranks[m][oid] for m in methods],
                "wsm_score": f"{scores[oid]:.3f}" if oid in scores else "—",
                "baseline": oid == baseline,
            }
        )
    base_rank = next((r["consensus"] for r in rows if r["baseline"]), None)
    taus = [
        (a, b, tau)
        for i, a in enumerate(methods)
        for b in methods[i + 1 :]
        if (tau := ranking["agreement"].get(a, {}).get(b)) is not None
    ]
    mean_tau = sum(t for _, _, t in taus) / len(taus) if taus else None
    low = min(taus, key=lambda x: x[2]) if taus else None
    return {
        "methods": [METHOD_NAMES.get(m, m) for m in methods],
        "method_abbr": [METHOD_ABBR.get(m, METHOD_NAMES.get(m, m)) for m in methods],
        "rows": rows,
        "mean_tau": num(mean_tau, 2),
        "lowest_pair": (
            {
                "a": METHOD_NAMES.get(low[0], low[0]),
                "b": METHOD_NAMES.get(low[1], low[1]),
                "tau": num(low[2], 2),
            }
            if low
            else None
        ),  # fmt: skip
        "by_method": [
            {
                "method": METHOD_NAMES.get(m, m),
                "lower_is_better": m == "vikor",
                "rows": [
                    {
                        "title": titles.get(r["option"], r["option"]),
                        "rank": r["rank"],
                        "score": num(r["score"], 3),
                    }
                    for r in sorted(rows_m, key=lambda r: r["rank"])
                ],  # fmt: skip
            }
            for m, rows_m in ranking["methods"].items()
        ],
        "below_baseline": (
            [r["title"] for r in rows if base_rank is not None and r["consensus"] > base_rank]
        ),
        "firsts_grouped": _group_firsts(ranking, titles, baseline),
    }


def _group_firsts(
    ranking: Mapping[str, Any], titles: Mapping[str, str], baseline: str | None
) -> list[dict[str, Any]]:
    """First place by method, grouped by choice (most methods first): ``title``, ``methods``."""
    groups: dict[str, list[str]] = {}
    for m, rows_m in ranking["methods"].items():
        groups.setdefault(titles.get(_first(rows_m, baseline), ""), []).append(
            METHOD_NAMES.get(m, m)
        )
    return [
        {"title": t, "methods": ms} for t, ms in sorted(groups.items(), key=lambda x: -len(x[1]))
    ]


def _criteria_rows(ws: Workspace, weights: Mapping[str, float]) -> list[dict[str, Any]]:
    groups = {g.id: g.name for g in ws.groups}
    return [
        {
            "id": c.id,
            "name": c.name,
            "short": short(c.id),
            "group": groups.get(c.group or "", ""),
            "direction": "higher" if c.direction == "max" else "lower",
            "unit": c.unit,
            "weight": pct(weights.get(c.id, 0.0), 1),
            "source": c.source,
        }
        for c in ws.criteria
    ]


def _criteria_groups(ws: Workspace, weights: Mapping[str, float]) -> list[dict[str, Any]]:
    """Criteria by group (file order), each group with its total weight; [] without groups."""
    if not ws.groups:
        return []
    out: dict[str, dict[str, Any]] = {}
    names = {g.id: g.name for g in ws.groups}
    for c in ws.criteria:
        key = c.group or ""
        g = out.setdefault(key, {"name": names.get(key, "Other"), "total": 0.0, "criteria": []})
        w = weights.get(c.id, 0.0)
        g["total"] += w
        g["criteria"].append({"name": c.name, "weight": pct(w, 1), "lower": c.direction != "max"})
    return [
        {"name": g["name"], "weight": pct(g["total"], 1), "criteria": g["criteria"]}
        for g in out.values()
    ]


def _weights_section(ws: Workspace, weights: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    pids = list(weights)
    return {
        "profiles": [
            {
                "id": p,
                "name": ws.profiles[p].name,
                "method": weights[p]["method"],
                "description": ws.profiles[p].description,
                "cr": num(weights[p].get("consistency_ratio"), 3)
                if weights[p].get("consistency_ratio") is not None
                else None,
                "warnings": list(weights[p].get("warnings", [])),
            }
            for p in pids
        ],
        "rows": [
            {
                "criterion": c.name,
                "short": short(c.id),
                "shares": [pct(weights[p]["weights"].get(c.id, 0.0), 1) for p in pids],
            }
            for c in ws.criteria
        ],
    }


def _evidence(
    ws: Workspace, unit: str, consensus: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Options in consensus-rank order with every score, rationale and source."""
    rank = {r["option"]: r["rank"] for r in consensus}
    out = []
    for o in sorted(ws.options, key=lambda o: (rank.get(o.id, 0), o.id)):
        scores = []
        for c in ws.criteria:
            s = o.scores[c.id]
            scores.append(
                {
                    "criterion": c.name,
                    "short": short(c.id),
                    "value": num(s.value),
                    "range": f"{num(s.lo)}–{num(s.hi)}" if s.is_judgement else "",
                    "rationale": s.rationale,
                    "source": s.source,
                }
            )
        out.append(
            {
                "id": o.id,
                "title": o.title,
                "recommendation": o.recommendation or "",
                "rank": rank.get(o.id),
                "baseline": o.is_baseline,
                "summary": o.summary,
                "source": o.source,
                "cost": amount(o.cost, unit) if o.cost else "",
                "scores": scores,
            }
        )
    return out


def _strengths(
    ws: Workspace, values: Sequence[Sequence[float]], weights: Mapping[str, float]
) -> dict[str, dict[str, list[str]]]:
    """Per option, its two best criteria and its worst one by value (weighted criteria only)."""
    out = {}
    crit = ws.criteria
    for i, o in enumerate(ws.options):
        order = sorted(range(len(crit)), key=lambda j: (-values[i][j], crit[j].id))
        weighted = [j for j in order if weights.get(crit[j].id, 0) > 0]

        def cite(j: int, oo: Any = o, brief: bool = False) -> str:
            s = oo.scores[crit[j].id]
            src = f", {s.source}" if s.source else ""
            name = crit_label(crit[j].name, crit[j].id) if brief else crit[j].name
            return f"{name} ({num(s.value)}{src})"

        out[o.id] = {
            "best": [cite(j) for j in weighted[:2]],
            "worst": [cite(j) for j in weighted[::-1][:1]],
            "best_short": [cite(j, brief=True) for j in weighted[:2]],
            "worst_short": [cite(j, brief=True) for j in weighted[::-1][:1]],
        }
    return out


def _caveats(
    ws: Workspace, results: Mapping[str, Any], unit_long: str, profile_warnings: Sequence[str]
) -> list[str]:
    out = []
    all_scores = [s for o in ws.options for s in o.scores.values()]
    ranged = [s for s in all_scores if s.is_judgement]
    if ranged:
        out.append(
            f"{len(ranged)} of {len(all_scores)} scores are judgements given with a range "
            f"(low–high); the robustness analysis draws them from those ranges."
        )
    unsourced = [s for s in all_scores if not s.source]
    if unsourced:
        out.append(f"{len(unsourced)} of {len(all_scores)} scores cite no source.")
    costs = [o.cost for o in ws.measures if o.cost]
    if costs:
        use = "the ranking and the portfolio" if results.get("portfolio") else "the ranking"
        out.append(f"Costs are in {unit_long}; they are inputs to {use}, not a budget estimate.")
    if ws.packages:
        plus = f" plus {len(ws.synergies)} declared synergies" if ws.synergies else ""
        out.append(
            "Package scores are computed from their members' scores by each criterion's "
            f"combine rule{plus}; they are not separate judgements."
        )
    out += [f"Weights: {w}" for w in profile_warnings]
    for key in ("options", "packages"):
        if results.get(key):
            out += [f"Ranking: {w}" for w in results[key].get("warnings", [])]
    return list(dict.fromkeys(out))


def build_context(
    ws: Workspace,
    results: Mapping[str, Any],
    *,
    date: str = "",
    seed: int = 0,
    samples: int = 10_000,
    provenance: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The memo's context: every number formatted, every sentence that depends on them.

    Parameters
    ----------
    ws : Workspace
        The workspace (titles, sources, rationales).
    results : dict
        What :func:`gather` returns (or the same shapes built by hand in tests).
    date : str
        The memo date (an input, never the clock).
    seed, samples : int
        Monte Carlo settings, as run.
    provenance : dict, optional
        ``files`` (path, sha256), ``versions`` (name -> version), ``command``.
    """
    pid = results["profile"]
    titles = _titles(ws)
    baseline = ws.baseline.id if ws.baseline else None
    unit_long = str(
        results.get("unit") or ws.extra.get("unit") or _cost_unit(ws) or "resource units"
    )
    unit = unit_label(unit_long)
    w_now = results["weights"][pid]["weights"]
    subject_key = "packages" if results.get("packages") else "options"
    subject = "package" if subject_key == "packages" else "option"
    ranking = results[subject_key]
    wsm_rows = ranking["methods"]["wsm"]
    top = _first(wsm_rows, None)
    status_quo_wins = top == baseline
    if status_quo_wins:
        top_measure = _first(wsm_rows, baseline)
    else:
        top_measure = top

    # methods agreement on the top
    firsts = {m: _first(rows, None) for m, rows in ranking["methods"].items()}
    agreeing = [METHOD_NAMES.get(m, m) for m, f in firsts.items() if f == top]
    dissent = {METHOD_NAMES.get(m, m): titles.get(f, f) for m, f in firsts.items() if f != top}

    # weight profiles
    by_profile = {p: _first(rows, None) for p, rows in results["by_profile"].items()}
    won = [ws.profiles[p].name for p, f in by_profile.items() if f == top]
    lost = [
        {"profile": ws.profiles[p].name, "winner": titles.get(f, f)}
        for p, f in by_profile.items()
        if f != top
    ]

    sens = results.get("sensitivity")
    acc = None
    margin, margin_c = None, None
    robustness = None
    if sens:
        acc = float(sens["acceptability"][top][0])
        margin, margin_c = stability_margin(w_now, sens.get("stability", {}))
        robustness = _robustness(ws, sens, titles, w_now, top)
    crit_names = {c.id: c.name for c in ws.criteria}
    margin_name = crit_names.get(margin_c or "", margin_c)
    hedge = verdict(acc, not dissent, margin)

    choice_members = []
    if subject == "package":
        pkg = next(p for p in ws.packages if p.id == top_measure)
        choice_members = [
            {"id": m, "title": titles[m], "source": ws.option(m).source} for m in pkg.options
        ]
        choice_summary = pkg.summary
        choice_cost = sum(ws.option(m).cost for m in pkg.options)
    else:
        opt = ws.option(top_measure)
        choice_summary, choice_cost = opt.summary, opt.cost

    runner = (
        _first([r for r in wsm_rows if r["option"] != top], None) if len(wsm_rows) > 1 else None
    )
    changes = _what_would_change(sens, w_now, top, titles, crit_names, lost, dissent)
    profile_warnings = list(results["weights"][pid].get("warnings", []))
    ctx: dict[str, Any] = {
        "title": ws.title,
        "description": str(ws.extra.get("description", "")),
        "date": date,
        "profile": {
            "id": pid,
            "name": ws.profiles[pid].name,
            "method": results["weights"][pid]["method"],
            "description": ws.profiles[pid].description,
        },
        "n_other_profiles": len(ws.profiles) - 1,
        "n_criteria": len(ws.criteria),
        "unit": unit,
        "subject": subject,
        "subjects": subject + "s",
        "n_subjects": len([r for r in wsm_rows if r["option"] != baseline]),
        "thresholds": {k: pct(v) for k, v in THRESHOLDS.items()},
        "baseline": {"id": baseline, "title": titles[baseline]} if baseline else None,
        "bottom_line": {
            "verdict": hedge,
            "status_quo_wins": status_quo_wins,
            "choice": {
                "id": top_measure,
                "ids": [m["id"] for m in choice_members] or [top_measure],
                "title": titles[top_measure],
                "summary": choice_summary,
                "members": choice_members,
                "cost": amount(choice_cost, unit) if choice_cost else "",
            },
            "leader": titles[top],
            "runner_up": {"id": runner, "title": titles[runner]} if runner else None,
            "acceptability": pct(acc) if acc is not None else None,
            "methods_agreeing": f"{len(agreeing)} of {len(firsts)}",
            "all_methods_agree": not dissent,
            "profiles_won": f"{len(won)} of {len(by_profile)}",
            "profiles_won_names": won,
            "profiles_lost": lost,
            "reasons": hedge_reasons(acc, agreeing, dissent, margin, margin_name),
            "changes": changes,
        },
        "criteria": _criteria_rows(ws, w_now),
        "has_groups": bool(ws.groups),
        "criteria_groups": _criteria_groups(ws, w_now),
        "weights": _weights_section(ws, results["weights"]),
        "ranking": {
            "options": _rank_table(results["options"], titles, baseline),
            "packages": (
                _rank_table(results["packages"], titles, baseline)
                if results.get("packages")
                else None
            ),  # fmt: skip
        },
        "robustness": robustness,
        "evidence": _evidence(ws, unit, results["options"]["consensus"]),
        "strengths": _strengths(ws, results["values"], w_now),
        "caveats": _caveats(ws, results, unit_long, profile_warnings),
        "packages": [
            {
                "id": p.id,
                "title": p.title,
                "summary": p.summary,
                "members": [{"id": m, "title": titles[m]} for m in p.options],
            }
            for p in ws.packages
        ],  # fmt: skip
        "funding": _funding(ws, results, titles, unit, top_measure, choice_members, subject),
        "countries": _countries(results.get("countries") or []),
        "provenance": _provenance(pid, ws, results, seed, samples, provenance or {}),
    }
    ctx["bottom_line"]["budget_note"] = _budget_note(
        results.get("portfolio"), choice_cost, choice_members, unit, titles
    )
    ctx["key_numbers"] = _key_numbers(ctx, sens is not None)
    ctx["chart_data"] = _chart_data(ws, results, ranking, sens, unit)
    return ctx


def _chart_data(
    ws: Workspace,
    results: Mapping[str, Any],
    ranking: Mapping[str, Any],
    sens: Mapping[str, Any] | None,
    unit: str,
) -> dict[str, Any]:
    """Raw numbers for the charts (the same results the tables format)."""
    pids = list(results["weights"])
    methods = list(ranking["methods"])
    ranks = {m: {r["option"]: r["rank"] for r in rows} for m, rows in ranking["methods"].items()}
    order = [r["option"] for r in ranking["consensus"]]
    data: dict[str, Any] = {
        "weights": {
            "criteria": [short(c) for c in ws.criterion_ids],
            "profiles": [ws.profiles[p].name for p in pids],
            "weights": [
                [float(results["weights"][p]["weights"].get(c, 0.0)) for c in ws.criterion_ids]
                for p in pids
            ],
        },
        "scores": {
            "options": [short(o) for o in ws.option_ids],
            "criteria": [short(c) for c in ws.criterion_ids],
            "values": [list(map(float, row)) for row in results["values"]],
            "labels": [[num(o.scores[c].value) for c in ws.criterion_ids] for o in ws.options],
        },
        "ranks": {
            "options": [short(o) for o in order],
            "methods": [METHOD_NAMES.get(m, m) for m in methods],
            "ranks": [[int(ranks[m][o]) for m in methods] for o in order],
        },
        "acceptability": None,
        "allocation": None,
    }
    al = results.get("allocation")
    if al and al.get("allocation"):
        targets = sorted(al["by_target"], key=lambda t: (-al["by_target"][t], t))
        channels = sorted(al["by_channel"], key=lambda c: (-al["by_channel"][c], c))
        cell = {(r["target"], r["channel"]): 0.0 for r in al["allocation"]}
        for r in al["allocation"]:
            cell[(r["target"], r["channel"])] += r["amount"]
        names = al.get("labels") or {}
        data["allocation"] = {
            "targets": [names.get("targets", {}).get(t, t) for t in targets],
            "channels": [names.get("channels", {}).get(c, c) for c in channels],
            "amounts": [[cell.get((t, c), 0.0) for c in channels] for t in targets],
            "unit": unit,
        }
    if sens:
        acc = sens["acceptability"]
        keep = sorted(acc, key=lambda o: (-acc[o][0], o))
        data["acceptability"] = {
            "options": [short(o) for o in keep],
            "acceptability": [list(map(float, acc[o])) for o in keep],
        }
    return data


def _budget_note(
    port: Mapping[str, Any] | None,
    cost: float,
    members: Sequence[Mapping[str, Any]],
    unit: str,
    titles: Mapping[str, str],
) -> str:
    """A sentence when the recommended choice costs more than the budget, else ``""``."""
    if not port or cost <= port["budget"] + 1e-9:
        return ""
    kept = [m["title"] for m in members if m["id"] in set(port["selected"])]
    text = (
        f"At {amount(cost, unit)} it costs more than the budget of {amount(port['budget'], unit)}"
        f" ({port.get('budget_source', '')}). "
    )
    if members:
        return text + (
            f"Within the budget, the best portfolio keeps {len(kept)} of its "
            f"{len(members)} measures (see the memo's section What the budget buys)."
        )
    return text + "The memo's section What the budget buys gives the best affordable portfolio."


def _countries(rows: Sequence[Mapping[str, str]]) -> dict[str, Any] | None:
    """The country table transposed: one row per indicator, one column per country.

    Numbers of 10,000 or more get thousands separators (years stay as they are);
    the ``source`` column becomes the last row.
    """
    if not rows:
        return None
    key, *fields = list(rows[0])
    src = [f for f in fields if f.lower() in ("source", "sources")]
    shown = [f for f in fields if f not in src] + src

    def cell(text: str) -> str:
        try:
            value = float(text)
        except ValueError:
            return text.replace(";", "; ").replace(";  ", "; ")
        return num(value, 2) if abs(value) >= 1e4 else text.strip()

    return {
        "columns": [key.replace("_", " ").capitalize(), *[r[key] for r in rows]],
        "rows": [
            [f.replace("_", " ").capitalize(), *[cell(r.get(f) or "") for r in rows]] for f in shown
        ],
    }


def _funding(
    ws: Workspace,
    results: Mapping[str, Any],
    titles: Mapping[str, str],
    unit: str,
    choice: str,
    members: Sequence[Mapping[str, Any]],
    subject: str,
) -> dict[str, Any] | None:
    """Portfolio under the budget, its frontier and the allocation, formatted."""
    port = results.get("portfolio")
    error = results.get("funding_error")
    if not port:
        return {"error": error} if error else None
    selected = list(port["selected"])
    chosen = {m["id"] for m in members} if subject == "package" else {choice}
    measures = {o.id for o in ws.measures}
    funding: dict[str, Any] = {
        "error": error,
        "budget": amount(port["budget"], unit),
        "budget_source": port.get("budget_source", ""),
        "cost": amount(port["cost"], unit),
        "left": amount(port["budget"] - port["cost"], unit),
        "value": num(port["value"], 3),
        "selected": [
            {
                "title": titles[o],
                "cost": amount(ws.option(o).cost, unit),
                "source": ws.option(o).source,
            }
            for o in selected
        ],  # fmt: skip
        "left_out": [titles[o] for o in sorted(measures - set(selected))],
        "matches_choice": set(selected) == chosen,
        "adds": [titles[o] for o in selected if o not in chosen],
        "drops": [titles[o] for o in sorted(chosen - set(selected))],
        "binding": list(port.get("binding", [])),
        "frontier": None,
        "allocation": None,
    }
    fr = results.get("frontier")
    if fr and fr.get("points"):
        pts = fr["points"]
        funding["frontier"] = [
            {"budget": amount(p["budget"], unit), "value": num(p["value"], 3),
             "n": len(p["selected"]),
             "marginal": num(p["marginal"], 4) if p.get("marginal") is not None else "—"}
            for p in pts
        ]  # fmt: skip
    al = results.get("allocation")
    if al and al.get("allocation"):
        funding["allocation"] = _allocation(al, titles, unit)
    return funding


def _allocation(al: Mapping[str, Any], titles: Mapping[str, str], unit: str) -> dict[str, Any]:
    """The allocation formatted: target x channel with totals and shares, and every row.

    Targets and channels are named by ``al["labels"]`` (see
    :func:`policyeval.optimization.allocation.labels`); amounts in the
    target x channel table carry no unit (the template names it once).
    """
    names = al.get("labels") or {}
    tname = names.get("targets", {})
    cname = names.get("channels", {})
    total = sum(r["amount"] for r in al["allocation"]) or 1.0
    targets = sorted(al["by_target"], key=lambda t: (-al["by_target"][t], t))
    channels = sorted(al["by_channel"], key=lambda c: (-al["by_channel"][c], c))
    cell: dict[tuple[str, str], float] = {}
    for r in al["allocation"]:
        cell[r["target"], r["channel"]] = cell.get((r["target"], r["channel"]), 0.0) + r["amount"]
    return {
        "budget": amount(al["budget"], unit),
        "spent": amount(al.get("spent", total), unit),
        "setup": amount(sum(x["cost"] for x in al.get("setups", [])), unit)
        if al.get("setups")
        else "",
        "unit": unit,
        "channels": [cname.get(c, c) for c in channels],
        "channel_names": [
            {"short": cname.get(c, c), "name": names.get("channel_names", {}).get(c, c)}
            for c in channels
            if names.get("channel_names", {}).get(c, c) != cname.get(c, c)
        ],
        "matrix": [
            {
                "target": tname.get(t, t),
                "cells": [num(cell[t, c], 1) if (t, c) in cell else "" for c in channels],
                "total": num(al["by_target"][t], 1),
                "share": pct(al["by_target"][t] / total),
            }
            for t in targets
        ],
        "channel_totals": [num(al["by_channel"][c], 1) for c in channels],
        "total": num(total, 1),
        "rows": [
            {
                "option": titles.get(r["option"], r["option"]),
                "target": tname.get(r["target"], r["target"]),
                "channel": cname.get(r["channel"], r["channel"]),
                "amount": amount(r["amount"], unit),
            }
            for r in sorted(al["allocation"], key=lambda r: (-r["amount"], r["option"]))
        ],
        "binding": list(al.get("binding", [])),
    }


def _cost_unit(ws: Workspace) -> str:
    """The unit of a cost criterion whose unit names resources, if any."""
    for c in ws.criteria:
        if c.direction == "min" and re.search(r"cost|resource|budget|€|\$", c.unit, re.I):
            return c.unit
    return ""


def _robustness(
    ws: Workspace,
    sens: Mapping[str, Any],
    titles: Mapping[str, str],
    weights: Mapping[str, float],
    top: str,
) -> dict[str, Any]:
    acc = sens["acceptability"]
    order = sorted(acc, key=lambda o: (-acc[o][0], o))
    stab = []
    for c in ws.criteria:
        if c.id not in sens.get("stability", {}):
            continue
        lo, hi = sens["stability"][c.id]
        if (lo is None or lo <= 1e-9) and (hi is None or hi >= 1 - 1e-9):
            continue
        stab.append(
            {
                "criterion": c.name,
                "short": short(c.id),
                "weight": pct(weights.get(c.id, 0.0), 1),
                "low": pct(lo, 1) if lo is not None else "—",
                "high": pct(hi, 1) if hi is not None else "—",
            }
        )
    sampler = sens.get("sampler", {}).get("weights", "uniform")
    return {
        "samples": num(sens.get("samples"), 0),
        "seed": sens.get("seed"),
        "weights_sampled": {
            "uniform": "uniformly over all possible weights (no preference information)",
            "bounds": "uniformly within the weight ranges the profile declares",
            "spread": "around the profile's weights",
        }.get(sampler, sampler),
        "acceptability": [
            {
                "id": o,
                "title": titles.get(o, o),
                "short": short(o),
                "first": pct(acc[o][0]),
                "top3": pct(sum(acc[o][:3])),
                "confidence": pct(sens.get("confidence", {}).get(o)),
            }
            for o in order
        ],
        "matrix": [list(map(float, acc[o])) for o in order],
        "order": order,
        "top_first": pct(acc[top][0]),
        "stability": stab,
    }


def _what_would_change(
    sens: Mapping[str, Any] | None,
    weights: Mapping[str, float],
    top: str,
    titles: Mapping[str, str],
    crit_names: Mapping[str, str],
    lost: Sequence[Mapping[str, str]],
    dissent: Mapping[str, str],
) -> list[str]:
    """What would change the answer, nearest first within each kind of change."""
    out = []
    by_winner: dict[str, list[str]] = {}
    for row in lost:
        by_winner.setdefault(row["winner"], []).append(row["profile"])
    for winner, names in by_winner.items():
        noun = "profile" if len(names) == 1 else "profiles"
        out.append(
            f"Other stakeholders' weights: under the {listing(names)} {noun}, {winner} ranks first."
        )
    if sens:
        out += _weight_changes(sens, weights, top, titles, crit_names)
        acc = sens["acceptability"]
        rivals = sorted((o for o in acc if o != top), key=lambda o: (-acc[o][0], o))
        if rivals and acc[rivals[0]][0] > 0:
            r = rivals[0]
            if acc[r][0] > acc[top][0]:
                out.append(
                    f"Uncertainty: {titles.get(r, r)} ranks first more often than "
                    f"{titles[top]} ({pct(acc[r][0])} against {pct(acc[top][0])} of the "
                    "Monte Carlo draws)."
                )
            else:
                out.append(
                    f"Uncertainty: {titles.get(r, r)} ranks first in {pct(acc[r][0])} of the "
                    "Monte Carlo draws, the likeliest alternative."
                )
    if dissent:
        out.append(f"A different aggregation method: {prefer_sentence(dissent)}.")
    return out


def _weight_changes(
    sens: Mapping[str, Any],
    weights: Mapping[str, float],
    top: str,
    titles: Mapping[str, str],
    crit_names: Mapping[str, str],
) -> list[str]:
    """Sentences from the stability intervals and the what-it-would-take analysis."""
    out = []
    bounds = []
    for c, (lo, hi) in sens.get("stability", {}).items():
        w = weights.get(c, 0.0)
        name = crit_names.get(c, c)
        if lo is not None and lo > 1e-9:
            bounds.append(
                (w - lo, c, f"the weight of {name} falls from {pct(w, 1)} to below {pct(lo, 1)}")
            )
        if hi is not None and hi < 1 - 1e-9:
            bounds.append(
                (hi - w, c, f"the weight of {name} rises from {pct(w, 1)} to above {pct(hi, 1)}")
            )
    for _, _, text in sorted(bounds)[:1]:
        out.append(
            f"One weight: {titles[top]} stops ranking first if {text}, other weights in proportion."
        )
    takes = [t for t in sens.get("what_it_takes", []) if t.get("possible") and t["option"] != top]
    for t in sorted(takes, key=lambda t: (t["distance"], t["option"]))[:1]:
        moves = [
            f"{crit_names.get(c, c)} {pct(weights.get(c, 0.0), 1)} → {pct(x, 1)}"
            for c, x in t["weights"].items()
            if abs(x - weights.get(c, 0.0)) >= 0.0005
        ]
        text = (
            f"Smallest shift of weights: {titles.get(t['option'], t['option'])} draws level "
            f"if {pct(t['distance'] / 2, 1)} of the total weight moves ({'; '.join(moves)})"
        )
        changes = t.get("score_changes") or []
        if changes:
            sc = changes[0]
            text += (
                f", or if its score on {crit_names.get(sc['criterion'], sc['criterion'])} were "
                f"{num(sc['to'])} instead of {num(sc['from'])}"
            )
        out.append(text + ".")
    return out


def _key_numbers(ctx: Mapping[str, Any], has_sens: bool) -> list[dict[str, str]]:
    bl = ctx["bottom_line"]
    rows = [
        {"label": f"{ctx['subject'].capitalize()}s compared", "value": str(ctx["n_subjects"])},
        {"label": "Methods ranking it first", "value": bl["methods_agreeing"]},
        {"label": "Weight profiles under which it wins", "value": bl["profiles_won"]},
    ]
    if has_sens:
        rows.insert(1, {"label": "First-rank acceptability", "value": bl["acceptability"]})
    if bl["choice"]["cost"] and not bl["status_quo_wins"]:
        rows.append({"label": "Cost", "value": bl["choice"]["cost"]})
    funding = ctx["funding"]
    if funding and funding.get("budget"):
        rows.append({"label": "Budget", "value": funding["budget"]})
        rows.append(
            {
                "label": "Best portfolio within the budget",
                "value": f"{len(funding['selected'])} measures, {funding['cost']}",
            }
        )
    return rows


def _provenance(
    pid: str,
    ws: Workspace,
    results: Mapping[str, Any],
    seed: int,
    samples: int,
    given: Mapping[str, Any],
) -> dict[str, Any]:
    from policyeval.reporting.provenance import combined_hash

    methods = list(results["options"]["methods"])
    files = list(given.get("files", []))
    return {
        "profile": f"{ws.profiles[pid].name} ({pid}, method {results['weights'][pid]['method']})",
        "methods": [METHOD_NAMES.get(m, m) for m in methods],
        "seed": seed,
        "samples": num(samples, 0),
        "files": files,
        "n_files": len(files),
        "inputs_sha256": combined_hash(files),
        "versions": [{"name": k, "version": v} for k, v in given.get("versions", {}).items()],
        "command": given.get("command", ""),
    }
