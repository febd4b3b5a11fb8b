"""The budget section: what to fund now, each measure's added value, the frontier, the allocation.

Reads :class:`~policyeval.verdict.Funding` (what the budget buys now, decided
once by the verdict), :class:`~policyeval.optimization.PortfolioResult`,
:class:`~policyeval.optimization.FrontierResult` and
:class:`~policyeval.optimization.AllocationResult`; it formats, never decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from policyeval.reporting.format import Names, amount, listing, num, pct

if TYPE_CHECKING:
    from policyeval.model import Workspace
    from policyeval.optimization import AllocationResult, FrontierResult, PortfolioResult
    from policyeval.verdict import Funding

PER = 100
"""Value for money is printed per this many units of the resource (readable numbers)."""


def fund_now(f: Funding, names: Names, unit: str) -> dict[str, Any]:
    """What the bottom line recommends funding now, and what more money would add."""
    return {
        "kind": f.kind,
        "package": names(f.package) if f.package is not None else "",
        "measures": [names(m) for m in f.fund],
        "cost": amount(f.cost, unit),
        "budget": amount(f.budget, unit),
        "budget_source": f.budget_source,
        "is_choice": f.kind == "choice",
        "more": amount(f.shortfall, unit) if f.shortfall > 1e-9 and f.later else "",
        "later": [names(m) for m in f.later],
    }


def _measure_row(oid: str, port: PortfolioResult, ws: Workspace, names: Names, unit: str) -> dict:
    cost = port.costs.get(oid, ws.option(oid).cost)
    added = port.added_value.get(oid)
    return {
        "title": names(oid),
        "cost": amount(cost, unit),
        "added": num(added, 3) if added is not None else "—",
        "per": num(PER * added / cost, 3) if added is not None and cost else "—",
        "cost_note": names.plain(ws.option(oid).cost_note),
    }


def funding(
    ws: Workspace,
    f: Funding,
    port: PortfolioResult,
    frontier: FrontierResult | None,
    allocation: AllocationResult | None,
    base_check: Mapping[str, Any] | None,
    names: Names,
    unit: str,
) -> dict[str, Any]:
    """The budget section's content (see the module doc)."""
    fund = list(f.fund)
    measures = [o.id for o in ws.measures]
    out: dict[str, Any] = {
        "budget": amount(f.budget, unit),
        "budget_source": f.budget_source,
        "unit": unit,
        "per": f"{PER} {unit}".strip(),
        "kind": f.kind,
        "package": names(f.package) if f.package else "",
        "cost": amount(f.cost, unit),
        "left": amount(f.budget - f.cost, unit),
        "fund": [_measure_row(o, port, ws, names, unit) for o in fund],
        "later": [_measure_row(o, port, ws, names, unit) for o in f.later],
        "shortfall": amount(f.shortfall, unit) if f.shortfall > 1e-9 else "",
        "left_out": [names(o) for o in measures if o not in fund and o not in f.later],
        "zero_value": [
            names(o) for o in measures if port.added_value.get(o, 1.0) <= 0 and o not in fund
        ],
        "warnings": [names.plain(w) for w in port.warnings],
        "baseline_check": _baseline_check(base_check, names),
        "portfolio_differs": tuple(port.selected) != tuple(fund),
        "portfolio": [names(o) for o in port.selected],
        "portfolio_cost": amount(port.cost, unit),
        "frontier": None,
        "allocation": None,
    }
    if frontier is not None and frontier.points:
        out["frontier"] = [
            {"budget": amount(p.budget, unit), "value": num(p.value, 3), "n": len(p.selected),
             "marginal": num(PER * p.marginal, 3) if p.marginal is not None else "—"}
            for p in frontier.points
        ]  # fmt: skip
    if allocation is not None and allocation.allocation:
        out["allocation"] = _allocation(ws, allocation, names, unit)
    return out


def _baseline_check(check: Mapping[str, Any] | None, names: Names) -> str:
    """Liesiö & Punkka's baseline sensitivity in one sentence ("" without a baseline)."""
    if not check:
        return ""
    if check["same"]:
        return (
            "Measured from the worst level of every criterion instead of from the status quo, "
            "the best portfolio is the same: the answer does not depend on where the "
            "baseline is put."
        )
    now, worst = set(check["status_quo"]), set(check["worst_level"])
    parts = []
    if worst - now:
        parts.append(f"adds {listing([names(o) for o in sorted(worst - now)])}")
    if now - worst:
        parts.append(f"drops {listing([names(o) for o in sorted(now - worst)])}")
    return (
        "Measured from the worst level of every criterion instead of from the status quo, "
        f"the best portfolio changes: it {' and '.join(parts)}. The recommendation above "
        "measures value from the status quo, as the case declares it."
    )


def _allocation(ws: Workspace, al: AllocationResult, names: Names, unit: str) -> dict[str, Any]:
    """Target x channel table with totals and shares, every row, and the need caveats."""
    lab = al.labels
    tname, cname = lab.get("targets", {}), lab.get("channels", {})
    total = sum(r["amount"] for r in al.allocation) or 1.0
    targets = sorted(al.by_target, key=lambda t: (-al.by_target[t], t))
    channels = sorted(al.by_channel, key=lambda c: (-al.by_channel[c], c))
    cell: dict[tuple[str, str], float] = {}
    for r in al.allocation:
        cell[r["target"], r["channel"]] = cell.get((r["target"], r["channel"]), 0.0) + r["amount"]
    setup = sum(s["cost"] for s in al.setups)
    long_names = lab.get("channel_names", {})
    return {
        "budget": amount(al.budget, unit),
        "spent": amount(total + setup, unit),
        "setup": amount(setup, unit) if setup else "",
        "unit": unit,
        "channels": [cname.get(c, c) for c in channels],
        "channel_names": [
            {"short": cname.get(c, c), "name": long_names[c]}
            for c in channels
            if long_names.get(c, cname.get(c, c)) != cname.get(c, c)
        ],
        "matrix": [
            {
                "target": tname.get(t, t),
                "cells": [num(cell[t, c], 1) if (t, c) in cell else "" for c in channels],
                "total": num(al.by_target[t], 1),
                "share": pct(al.by_target[t] / total),
            }
            for t in targets
        ],
        "channel_totals": [num(al.by_channel[c], 1) for c in channels],
        "total": num(total, 1),
        "unfunded": [tname.get(t, t) for t, _ in ws.allocation.targets if t not in al.by_target]
        if ws.allocation
        else [],
        "need_notes": _need_notes(ws, al, tname),
        "rows": [
            {
                "option": names(r["option"]),
                "target": tname.get(r["target"], r["target"]),
                "channel": cname.get(r["channel"], r["channel"]),
                "amount": amount(r["amount"], unit),
            }
            for r in sorted(al.allocation, key=lambda r: (-r["amount"], r["option"]))
        ],
    }


def _need_notes(ws: Workspace, al: AllocationResult, tname: Mapping[str, str]) -> list[str]:
    """One sentence per target whose need rests on dropped (missing) or imputed figures."""
    reasons = {i.column: i.reason for i in ws.allocation.indicators} if ws.allocation else {}

    def words(cols: Sequence[str]) -> str:
        return listing([f"“{c.replace('_', ' ')}”" for c in cols])

    out = []
    for t, need in al.need_index.items():
        dropped, imputed = list(need.get("dropped", [])), list(need.get("imputed", []))
        parts = []
        if dropped:
            parts.append(
                f"the source gives no figure for {words(dropped)}, so "
                f"{'that indicator is' if len(dropped) == 1 else 'those indicators are'} left "
                "out of its need"
            )
        for c in imputed:
            why = f" ({reasons[c]})" if reasons.get(c) else ""
            parts.append(f"its {words([c])} figure is imputed{why}")
        if parts:
            out.append(f"{tname.get(t, t)}: {'; '.join(parts)}.")
    return out
