"""The ranking section: every method's ranks, their agreement and warnings, in words."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from policyeval.reporting.format import (
    METHOD_ABBR,
    Names,
    amount,
    fixed,
    listing,
    method_name,
    num,
)

if TYPE_CHECKING:
    from policyeval.ranking.result import MultiRanking, Ranking, RankRow
    from policyeval.verdict import Funding


def first(rows: Sequence[RankRow], skip: str | None = None) -> str:
    """The best-ranked row's id (ties: file order), or the best one that is not ``skip``."""
    keep = [r for r in rows if r.option != skip] or list(rows)
    return min(keep, key=lambda r: r.rank).option


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


def reader_warnings(mr: MultiRanking, names: Names) -> list[str]:
    """The ranking's warnings rewritten for a reader (titles, what it means).

    A warning every method gives (about the data, not the method) is listed once.
    """
    common = set.intersection(*(set(rk.warnings) for rk in mr.methods.values()))
    first = next(iter(mr.methods.values())).warnings
    out = [_plain_data_warning(w, names) for w in dict.fromkeys(first) if w in common]
    for m, rk in mr.methods.items():
        if m == "vikor" and set(rk.warnings) - common:
            chosen = [f"“{names(o)}”" for o in rk.details.get("compromise_set", [])]
            out.append(
                f"VIKOR finds no single clear winner: {listing(chosen)} are too close to "
                "separate by its rules, so it treats them as equally good compromises."
            )
        else:
            out += [f"{method_name(m)}: {names.plain(w)}" for w in rk.warnings if w not in common]
    return out


def _plain_data_warning(warning: str, names: Names) -> str:
    """A warning about the data in a reader's words (the baseline at the top of an observed
    scale); others with ids replaced by titles."""
    found = re.match(r"criterion '(\w+)' has no declared scale and the baseline '(\w+)'", warning)
    if found:
        return (
            f"“{names(found.group(1))}” is measured only across the alternatives compared and "
            f"“{names(found.group(2))}” scores best on it, so no alternative can add value there."
        )
    return names.plain(warning)


def rank_table(
    mr: MultiRanking,
    names: Names,
    baseline: str | None,
    costs: Mapping[str, float] | None = None,
    funding: Funding | None = None,
    unit: str = "",
) -> dict[str, Any]:
    """The consensus table (ranks by method, wsm score, cost and budget marks) and its notes.

    ``costs`` (id -> total cost) adds a cost column; ``funding`` (for packages)
    marks which fit the budget and which are cost-efficient.
    """
    methods = list(mr.methods)
    ranks = {m: {r.option: r.rank for r in rk.rows} for m, rk in mr.methods.items()}
    wsm = mr.methods.get("wsm")
    scores = {r.option: r.score for r in wsm.rows} if wsm else {}
    marks = funding is not None and bool(funding.cost_efficient or funding.affordable)
    rows = []
    for row in mr.consensus:
        oid = row.option
        rows.append(
            {
                "id": oid,
                "title": names(oid),
                "consensus": row.rank,
                "ranks": [ranks[m][oid] for m in methods],
                "wsm_score": fixed(scores.get(oid)),
                "baseline": oid == baseline,
                "cost": amount(costs[oid], unit) if costs and oid in costs else "",
                "affordable": bool(funding and oid in funding.affordable),
                "efficient": bool(funding and oid in funding.cost_efficient),
            }
        )
    base_rank = next((r["consensus"] for r in rows if r["baseline"]), None)
    taus = [
        (a, b, tau)
        for i, a in enumerate(methods)
        for b in methods[i + 1 :]
        if (tau := mr.agreement.get(a, {}).get(b)) is not None
    ]
    low = min(taus, key=lambda x: x[2]) if taus else None
    return {
        "methods": [method_name(m) for m in methods],
        "method_abbr": [METHOD_ABBR.get(m, method_name(m)) for m in methods],
        "rows": rows,
        "has_cost": bool(costs),
        "has_marks": marks,
        "mean_tau": num(sum(t for _, _, t in taus) / len(taus), 2) if taus else "—",
        "lowest_pair": (
            {"a": method_name(low[0]), "b": method_name(low[1]), "tau": num(low[2], 2)}
            if low
            else None
        ),
        "by_method": [_method_rows(rk, names) for rk in mr.methods.values()],
        "below_baseline": [
            r["title"] for r in rows if base_rank is not None and r["consensus"] > base_rank
        ],
        "firsts_grouped": _group_firsts(mr, names, baseline),
        "warnings": reader_warnings(mr, names),
    }


def _method_rows(rk: Ranking, names: Names) -> dict[str, Any]:
    return {
        "method": method_name(rk.method),
        "lower_is_better": not rk.higher_is_better,
        "rows": [
            {"title": names(r.option), "rank": r.rank, "score": fixed(r.score)}
            for r in sorted(rk.rows, key=lambda r: r.rank)
        ],
    }


def _group_firsts(mr: MultiRanking, names: Names, baseline: str | None) -> list[dict[str, Any]]:
    """First place by method, grouped by choice (most methods first): ``title``, ``methods``."""
    groups: dict[str, list[str]] = {}
    for m, rk in mr.methods.items():
        groups.setdefault(names(first(rk.rows, baseline)), []).append(method_name(m))
    return [
        {"title": t, "methods": ms} for t, ms in sorted(groups.items(), key=lambda x: -len(x[1]))
    ]
