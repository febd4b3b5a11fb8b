"""Where the evidence comes from: the source, its date, the profiles' provenance, the scores.

Everything here formats the case itself (titles, rationales, sources, cost
notes) with the weights and values the pipeline computed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from policyeval.reporting.format import Names, amount, listing, num, pct

if TYPE_CHECKING:
    from policyeval.model import Weights, Workspace

GLOSSARY = (
    ("Status quo (baseline)", "What happens with no new measure; every measure is valued by "
     "what it adds to it."),
    ("Weight", "The share of the decision a criterion carries; a profile's weights sum to 100%."),
    ("Weight profile", "One set of weights, standing for one stakeholder's view."),
    ("Weighted sum", "The main ranking method: each option's value on every criterion "
     "(0 = worst, 1 = best on the scale) times the criterion's weight, added up."),
    ("Consensus rank", "The Borda count of the ranks the ranking methods give."),
    ("Plausible weightings and score judgements", "Random draws of weights (within the ranges a "
     "profile declares, else over all weights) and of every score within its low–high range; "
     "the share of draws in which an option ranks first measures how robust the ranking is "
     "(stochastic multicriteria acceptability analysis, SMAA)."),
    ("Weight that changes hands", "How much of the total weight must move from some criteria "
     "to others for another option to draw level (half the sum of all weight changes)."),
    ("Value added", "A measure's weighted value over the status quo; a measure that adds nothing "
     "is never funded."),
    ("Value for money", "Value added per unit of cost."),
    ("Cost-efficient", "No other package adds at least as much value for less cost."),
    ("Efficient frontier", "The most value the budget can buy at each budget level."),
    ("Kendall's tau", "Agreement between two rankings, from −1 (reversed) to 1 (identical)."),
)  # fmt: skip
"""Terms of the full memo, in plain words."""


def header(ws: Workspace) -> dict[str, Any]:
    """The source document and the age of its evidence, for the header and the caveats."""
    src = ws.source
    date = str(ws.evidence_date or "")
    return {
        "citation": src.citation() if src is not None else "",
        "url": src.url if src is not None else "",
        "evidence_date": date,
        "evidence_note": (
            f"Evidence up to {date}; events after {date} are not reflected." if date else ""
        ),
    }


def profile_provenance(ws: Workspace, pids: Sequence[str], names: Names) -> str:
    """Plain words on where the profiles' weights come from."""
    illus = [names(p) for p in pids if ws.profiles[p].provenance == "illustrative"]
    elicited = [ws.profiles[p] for p in pids if ws.profiles[p].provenance == "elicited"]
    out = []
    if illus and len(illus) == len(pids):
        out.append(
            "All weight profiles are the analyst's illustrations of how these stakeholders might "
            "weigh the criteria; none was elicited from the bodies they are named after."
        )
    elif illus:
        out.append(
            f"The {listing(illus)} {'profile is' if len(illus) == 1 else 'profiles are'} the "
            "analyst's illustration of a stakeholder view, not elicited from the body named."
        )
    for p in elicited:
        who = p.elicited_from or "the stakeholders named"
        when = f" on {p.elicited_on}" if p.elicited_on else ""
        out.append(f"The {p.name} weights were elicited from {who}{when}.")
    return " ".join(out)


def criteria_rows(ws: Workspace, w: Mapping[str, float], names: Names) -> list[dict[str, Any]]:
    """One row per criterion: name, group, direction, unit, weight and basis."""
    groups = {g.id: g.name for g in ws.groups}
    return [
        {
            "name": c.name,
            "group": groups.get(c.group or "", ""),
            "direction": "higher" if c.direction == "max" else "lower",
            "unit": c.unit,
            "weight": pct(w.get(c.id, 0.0), 1),
            "source": names.plain(c.source),
        }
        for c in ws.criteria
    ]


def criteria_groups(ws: Workspace, w: Mapping[str, float]) -> list[dict[str, Any]]:
    """Criteria by group (file order), each with its total weight; [] without groups."""
    if not ws.groups:
        return []
    out: dict[str, dict[str, Any]] = {}
    gname = {g.id: g.name for g in ws.groups}
    for c in ws.criteria:
        key = c.group or ""
        g = out.setdefault(key, {"name": gname.get(key, "Other"), "total": 0.0, "criteria": []})
        x = w.get(c.id, 0.0)
        g["total"] += x
        g["criteria"].append({"name": c.name, "weight": pct(x, 1), "lower": c.direction != "max"})
    return [
        {"name": g["name"], "weight": pct(g["total"], 1), "criteria": g["criteria"]}
        for g in out.values()
    ]


def weights_section(ws: Workspace, profiles: Mapping[str, Weights], names: Names) -> dict[str, Any]:
    """Every profile's weights, one block per profile (transposed: fits any page width)."""
    pids = list(profiles)
    return {
        "provenance": profile_provenance(ws, [p for p in pids if p in ws.profiles], names),
        "profiles": [
            {
                "name": names(p),
                "method": profiles[p].method,
                "description": names.plain(ws.profiles[p].description) if p in ws.profiles else "",
                "provenance": _one_provenance(ws, p),
                "cr": num(profiles[p].consistency_ratio, 3)
                if profiles[p].consistency_ratio is not None
                else None,
                "warnings": [names.plain(x) for x in profiles[p].warnings],
                "shares": [pct(profiles[p].weights.get(c.id, 0.0), 1) for c in ws.criteria],
            }
            for p in pids
        ],
        "criteria": [c.name for c in ws.criteria],
    }


def _one_provenance(ws: Workspace, pid: str) -> str:
    p = ws.profiles.get(pid)
    if p is None:
        return "given directly"
    if p.provenance == "elicited":
        bits = [x for x in (p.elicited_from, p.elicited_on) if x]
        return f"elicited ({', '.join(bits)})" if bits else "elicited"
    return "illustrative (built by the analyst)"


def basis_tag(source: str, basis: str) -> str:
    """An option's sources, marked when the measure is the analyst's construct.

    Examples
    --------
    >>> basis_tag("§3.1", "analyst construct, from the diagnosis in §3.1")
    'analyst construct from §3.1'
    >>> basis_tag("§4(a)", "recommendation (a) of §4")
    '§4(a)'
    """
    if basis.lower().startswith("analyst construct"):
        return f"analyst construct from {source}" if source else "analyst construct"
    return source


def evidence(
    ws: Workspace, names: Names, unit: str, order: Mapping[str, int]
) -> list[dict[str, Any]]:
    """Options in consensus-rank order with every score, rationale and source."""
    out = []
    for o in sorted(ws.options, key=lambda o: (order.get(o.id, 0), o.id)):
        scores = [
            {
                "criterion": c.name,
                "value": num(o.scores[c.id].value),
                "range": f"{num(o.scores[c.id].lo)}–{num(o.scores[c.id].hi)}"
                if o.scores[c.id].is_judgement
                else "",
                "rationale": names.plain(o.scores[c.id].rationale),
                "source": o.scores[c.id].source,
            }
            for c in ws.criteria
        ]
        out.append(
            {
                "id": o.id,
                "title": o.title,
                "rank": order.get(o.id),
                "baseline": o.is_baseline,
                "summary": names.plain(o.summary),
                "source": basis_tag(o.source, o.basis),
                "basis": names.plain(o.basis),
                "cost": amount(o.cost, unit) if o.cost else "",
                "cost_note": names.plain(o.cost_note),
                "notional": bool(re.match(r"\s*notional", o.cost_note, re.I)),
                "scores": scores,
            }
        )
    return out


def strengths(
    ws: Workspace, values: Any, w: Mapping[str, float]
) -> dict[str, dict[str, list[str]]]:
    """Per option, its two best criteria and its worst one by value (weighted criteria only)."""
    out = {}
    crit = ws.criteria
    for i, o in enumerate(ws.options):
        order = sorted(range(len(crit)), key=lambda j: (-values[i, j], crit[j].id))
        weighted = [j for j in order if w.get(crit[j].id, 0) > 0]

        def cite(j: int, oo: Any = o) -> str:
            s = oo.scores[crit[j].id]
            src = f", {s.source}" if s.source else ""
            return f"{crit[j].name} ({num(s.value)}{src})"

        out[o.id] = {"best": [cite(j) for j in weighted[:2]], "worst": [cite(weighted[-1])]}
    return out


def caveats(
    ws: Workspace,
    names: Names,
    unit_long: str,
    *,
    has_portfolio: bool,
    weight_warnings: Sequence[str],
    ranking_warnings: Sequence[str],
) -> list[str]:
    """The memo's caveats, from the data: evidence, judgements, costs, profiles, warnings."""
    out = []
    head = header(ws)
    if head["citation"]:
        out.append(
            f"The evidence is one source: {head['citation']}. {head['evidence_note']}".strip()
        )
    elif head["evidence_note"]:
        out.append(head["evidence_note"])
    all_scores = [s for o in ws.options for s in o.scores.values()]
    ranged = [s for s in all_scores if s.is_judgement]
    if ranged:
        out.append(
            f"{len(ranged)} of {len(all_scores)} scores are judgements given with a range "
            f"(low–high); the robustness analysis draws them from those ranges."
        )
    judged = [s for s in all_scores if s.source.strip().lower() == "analyst judgement"]
    if judged:
        out.append(
            f"{len(judged)} of {len(all_scores)} scores are the analyst's judgement with no "
            "source in the document."
        )
    unsourced = [s for s in all_scores if not s.source]
    if unsourced:
        out.append(f"{len(unsourced)} of {len(all_scores)} scores cite no source.")
    if any(o.cost for o in ws.measures):
        notional = all(re.match(r"\s*notional", o.cost_note, re.I) for o in ws.measures if o.cost)
        use = "the ranking and the portfolio" if has_portfolio else "the ranking"
        kind = "notional: the source gives no costs" if notional else "inputs"
        out.append(f"Costs are in {unit_long} and {kind}; they feed {use}, not a budget estimate.")
    prov = profile_provenance(ws, sorted(ws.profiles), names)
    if prov:
        out.append(prov)
    if ws.packages:
        plus = f" plus {len(ws.synergies)} declared synergies" if ws.synergies else ""
        out.append(
            "Package scores are computed from their members' scores by each criterion's "
            f"combine rule{plus}; they are not separate judgements."
        )
    out += [f"Weights: {names.plain(x)}" for x in weight_warnings]
    out += list(ranking_warnings)
    return list(dict.fromkeys(out))


def countries(rows: Sequence[Mapping[str, str]]) -> dict[str, Any] | None:
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


_PACKAGE_TERMS = {"Cost-efficient"}
_BUDGET_TERMS = {"Value added", "Value for money", "Cost-efficient", "Efficient frontier"}


def glossary(packages: bool, budget: bool) -> list[dict[str, str]]:
    """The full memo's glossary (``term``, ``meaning``): the terms the memo uses."""
    return [
        {"term": t, "meaning": m}
        for t, m in GLOSSARY
        if (packages or t not in _PACKAGE_TERMS) and (budget or t not in _BUDGET_TERMS)
    ]
