"""An analysis -> the plain dictionary a memo template renders (reporting only formats).

:func:`build_context` asks the pipeline (:class:`~policyeval.analysis.Analysis`)
for its typed results, each computed once there, and the modules of this
package put them in words: :mod:`.bottom_line` (the verdict),
:mod:`.ranking`, :mod:`.robustness`, :mod:`.funding`, :mod:`.evidence`
(source, profiles, scores, caveats), :mod:`.figures` (charts) and
:mod:`.provenance`. Nothing here decides: the recommendation, its strength
and what the budget buys come from :meth:`Analysis.verdict
<policyeval.analysis.Analysis.verdict>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from policyeval.reporting import bottom_line as bl
from policyeval.reporting import evidence as ev
from policyeval.reporting import figures as fig
from policyeval.reporting.format import Names, method_name, num, pct, unit_label
from policyeval.reporting.funding import fund_now, funding
from policyeval.reporting.ranking import rank_table
from policyeval.reporting.robustness import robustness
from policyeval.verdict import THRESHOLDS

if TYPE_CHECKING:
    from policyeval.analysis import Analysis
    from policyeval.model import Weights, Workspace

GIVEN = "current"
"""The id under which a memo lists weights given directly (no profile file)."""


def names_of(a: Analysis) -> Names:
    """Titles of everything the case names, the directly given weights included."""
    profiles = {p: w.name for p, w in a.case.profiles.items()}
    if a.profile is None:
        profiles[_given_id(a.case)] = _given_name(a)
    return Names(a.titles(), {c.id: c.name for c in a.case.criteria}, profiles)


def _given_id(ws: Workspace) -> str:
    pid = GIVEN
    while pid in ws.profiles:
        pid += "_"
    return pid


def _given_name(a: Analysis) -> str:
    return a.weights.name if a.weights.name != "given weights" else "Briefing (unsaved)"


def _unit(ws: Workspace) -> str:
    spec = ws.allocation
    if spec is not None and spec.unit:
        return spec.unit
    if ws.extra.get("unit"):
        return str(ws.extra["unit"])
    for c in ws.criteria:
        if c.direction == "min" and re.search(r"cost|resource|budget|€|\$", c.unit, re.I):
            return c.unit
    return "resource units"


def build_context(
    a: Analysis,
    *,
    date: str = "",
    seed: int = 0,
    samples: int = 10_000,
    provenance: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The memo's context: every number formatted, every sentence that depends on them.

    Parameters
    ----------
    a : Analysis
        The analysis (case, weights, cached results).
    date : str
        The memo date (an input, never the clock).
    seed, samples : int
        Monte Carlo settings.
    provenance : dict, optional
        ``files`` (path, sha256), ``versions`` (name -> version), ``command``.
    """
    from policyeval.errors import InfeasibleError
    from policyeval.reporting.provenance import combined_hash

    ws = a.case
    names = names_of(a)
    pid = a.profile or _given_id(ws)
    profiles: dict[str, Weights] = dict(a.profiles())
    profiles.setdefault(pid, a.weights)
    unit_long = _unit(ws)
    unit = unit_label(unit_long)
    packages = a.subject_packages()
    v = a.verdict(samples=samples, seed=seed)
    mr = a.rankings(packages)
    sens = (
        a.sensitivity(samples=samples, seed=seed, packages=packages)
        if v.acceptability is not None
        else None
    )
    base = ws.baseline.id if ws.baseline else None
    w_now = a.weights.weights
    values = a.problem().values()
    row = {o: i for i, o in enumerate(a.problem().options)}
    values = values[[row[o.id] for o in ws.options]]
    choice_cost = {p.id: sum(ws.option(m).cost for m in p.options) for p in ws.packages}

    charts = [fig.weights_figure(ws, profiles, names, pid)]
    charts.append(fig.ranks_figure(mr, names))
    if sens is not None:
        charts.append(fig.acceptability_figure(sens, names))
        charts.append(fig.tornado_figure(sens, names, len(v.flips)))
    money = None
    if v.funding is not None:
        frontier = allocation = None
        error = ""
        try:
            frontier = a.frontier()
            if ws.allocation is not None and ws.allocation.targets:
                allocation = a.allocation()
        except InfeasibleError as err:
            error = f"{err} ({', '.join(err.constraints)})"
        money = funding(ws, v.funding, a.portfolio(), frontier, allocation,
                        a.baseline_sensitivity(), names, unit)  # fmt: skip
        money["error"] = error
        if frontier is not None and frontier.points:
            charts.append(fig.frontier_figure(frontier, v.funding.budget, unit))
        if allocation is not None and allocation.allocation:
            charts.append(fig.allocation_figure(allocation, unit))
    charts.append(fig.scores_figure(ws, values, names))

    options_table = rank_table(a.rankings(), names, base)
    packages_table = rank_table(mr, names, base, choice_cost, v.funding, unit) if packages else None
    ranking_warnings = [*options_table["warnings"], *(packages_table or {}).get("warnings", [])]
    order = {r.option: r.rank for r in a.rankings().consensus}
    ctx: dict[str, Any] = {
        "title": ws.title,
        "description": names.plain(str(ws.extra.get("description", ""))),
        "date": date,
        "source": ev.header(ws),
        "profile": {
            "id": pid,
            "name": names(pid),
            "method": a.weights.method,
            "description": names.plain(ws.profiles[pid].description) if a.profile else "",
            "provenance": ev.profile_provenance(ws, [pid], names) if a.profile else "",
        },
        "n_other_profiles": len(profiles) - 1,
        "n_criteria": len(ws.criteria),
        "unit": unit,
        "subject": v.subject,
        "subjects": v.subject + "s",
        "n_subjects": len([r for r in mr.consensus if r.option != base]),
        "thresholds": {k: pct(x) for k, x in THRESHOLDS.items()},
        "baseline": {"id": base, "title": names(base)} if base else None,
        "bottom_line": bottom_line_of(a, seed=seed, samples=samples),
        "criteria": ev.criteria_rows(ws, w_now, names),
        "has_groups": bool(ws.groups),
        "criteria_groups": ev.criteria_groups(ws, w_now),
        "weights": ev.weights_section(ws, profiles, names),
        "ranking": {"options": options_table, "packages": packages_table},
        "robustness": robustness(sens, v, names, ws.criterion_ids, base) if sens else None,
        "evidence": ev.evidence(ws, names, unit, order),
        "strengths": ev.strengths(ws, values, w_now),
        "caveats": ev.caveats(
            ws,
            names,
            unit_long,
            has_portfolio=money is not None,
            weight_warnings=a.weights.warnings,
            ranking_warnings=ranking_warnings,
        ),  # fmt: skip
        # the one-page brief: the same caveats but the methods' notes (in the memo)
        "brief_caveats": ev.caveats(
            ws,
            names,
            unit_long,
            has_portfolio=money is not None,
            weight_warnings=a.weights.warnings,
            ranking_warnings=(),
        ),  # fmt: skip
        "packages": [
            {
                "id": p.id,
                "title": p.title,
                "summary": names.plain(p.summary),
                "members": [{"id": m, "title": names(m)} for m in p.options],
            }
            for p in ws.packages
        ],  # fmt: skip
        "funding": money,
        "countries": ev.countries(list(ws.countries.values())),
        "glossary": ev.glossary(packages, money is not None),
        "charts": charts,
    }
    files = list((provenance or {}).get("files", []))
    ctx["provenance"] = {
        "profile": f"{names(pid)} ({pid}, method {a.weights.method})",
        "methods": [method_name(m) for m in mr.methods],
        "seed": seed,
        "samples": num(samples, 0),
        "files": files,
        "n_files": len(files),
        "inputs_sha256": combined_hash(files),
        "versions": [
            {"name": k, "version": x} for k, x in (provenance or {}).get("versions", {}).items()
        ],
        "command": (provenance or {}).get("command", ""),
    }
    ctx["key_numbers"] = bl.key_numbers(ctx)
    return ctx


def bottom_line_of(a: Analysis, *, seed: int = 0, samples: int = 10_000) -> dict[str, Any]:
    """The memo's bottom line: what to do, how firmly, and why.

    The memo (:func:`build_context`) and the live page both take it from here, so
    they say the same for the same weights, seed and samples; alone, it draws no
    chart and computes nothing else of the memo.
    """
    v = a.verdict(samples=samples, seed=seed)
    packages = a.subject_packages()
    sens = (
        a.sensitivity(samples=samples, seed=seed, packages=packages)
        if v.acceptability is not None
        else None
    )
    names = names_of(a)
    unit = unit_label(_unit(a.case))
    fund = fund_now(v.funding, names, unit) if v.funding else None
    pid = a.profile or _given_id(a.case)
    return bl.bottom_line(a.case, v, sens, names, profile=names(pid), unit=unit, fund=fund)
