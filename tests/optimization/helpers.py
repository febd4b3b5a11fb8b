"""Random portfolio workspaces and an independent brute-force optimizer."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
from workspaces import write_workspace

CRITERIA = ("impact", "reach", "cost")


def random_spec(seed: int, n: int = 9, synergy: bool = True) -> dict[str, Any]:
    """A workspace with ``n`` measures in recommendations a-c, requires, excludes, a synergy."""
    rng = np.random.default_rng(seed)
    spec: dict[str, Any] = {
        "criteria/criteria.yaml": {
            "title": "Random",
            "criteria": [
                {"id": "impact", "name": "Impact"},
                {"id": "reach", "name": "Reach", "scale": [0, 10]},
                {"id": "cost", "name": "Cost", "direction": "min"},
            ],
        },
        "criteria/weights/main.yaml": {
            "name": "Main",
            "method": "points",
            "points": {c: int(p) for c, p in zip(CRITERIA, rng.integers(1, 10, 3))},
        },
        "options/status_quo.yaml": {
            "id": "status_quo",
            "title": "Status quo",
            "kind": "baseline",
            "scores": {"impact": 0, "reach": 0, "cost": 0},
        },
    }
    ids = [f"m{i}" for i in range(n)]
    for i, mid in enumerate(ids):
        cost = int(rng.integers(1, 9))
        spec[f"options/{mid}.yaml"] = {
            "id": mid,
            "title": mid,
            "recommendation": "abc"[i % 3],
            "cost": cost,
            "scores": {
                "impact": float(rng.integers(0, 20)),  # integers: exact ties happen
                "reach": float(rng.integers(0, 11)),
                "cost": cost,
            },
        }
    order = rng.permutation(n)  # requires among the first four, excludes among the others
    for i, r in ((order[0], order[1]), (order[2], order[3])):
        spec[f"options/m{i}.yaml"]["requires"] = [f"m{r}"]
    i, e = order[4], order[5]
    spec[f"options/m{i}.yaml"]["excludes"] = [f"m{e}"]
    if synergy:
        a, b = sorted(rng.choice(n, 2, replace=False))
        spec["options/packages.yaml"] = {
            "packages": [],
            "synergies": [{"options": [f"m{a}", f"m{b}"], "adjust": {"impact": 5, "reach": -1}}],
        }
    return spec


def hand_values(spec: dict[str, Any]) -> tuple[list[str], dict[str, Any], np.ndarray, list]:
    """Ids, options, added values and synergy values computed by hand (DESIGN.md formulas).

    A measure's added value is ``sum_j w_j (v_ij - v_bj)`` over the baseline b
    (Portfolio selection, corrected 2026-11-30), every criterion counted (no
    ``role: cost`` here).
    """
    opts = {v["id"]: v for k, v in spec.items() if k.startswith("options/m")}
    base = spec["options/status_quo.yaml"]
    ids = sorted(opts)
    pts = spec["criteria/weights/main.yaml"]["points"]
    w = np.array([pts[c] for c in CRITERIA], dtype=float)
    w /= w.sum()
    allx = np.array([[o["scores"][c] for c in CRITERIA] for o in [base, *opts.values()]], float)
    lo, hi = allx.min(axis=0), allx.max(axis=0)
    lo[1], hi[1] = 0.0, 10.0  # declared scale of reach
    x = np.array([[o["scores"][c] for c in CRITERIA] for o in [base, *(opts[i] for i in ids)]])
    v = (x - lo) / (hi - lo)
    v[:, 2] = (hi[2] - x[:, 2]) / (hi[2] - lo[2])
    v = v[1:] - v[0]  # over the baseline
    syn = []
    for s in spec.get("options/packages.yaml", {}).get("synergies", []):
        adj = np.array([s["adjust"].get(c, 0.0) for c in CRITERIA]) / (hi - lo)
        adj[2] *= -1
        adj = np.clip(adj, -1, 1)  # a synergy moves a criterion by at most its range
        syn.append(({ids.index(o) for o in s["options"]}, float(adj @ w)))
    return ids, opts, v @ w, syn


def brute_force(spec: dict[str, Any], budget: float, **policy: Any) -> tuple[list[str], float]:
    """Enumerate every subset: max value, then min cost, then fund the smallest id first.

    A measure that adds no value (V_i <= tol) is never funded unless a constraint may
    need it (must_fund, required by another measure, an at_least on its recommendation,
    or min_recommendations) or it belongs to a synergy worth more than nothing.
    """
    ids, opts, vals, syn = hand_values(spec)
    n = len(ids)
    costs = [opts[i]["cost"] for i in ids]
    recs = [opts[i]["recommendation"] for i in ids]
    tol = 1e-6 * max(1.0, np.abs(vals).max(), *(abs(s) for _, s in syn))
    needed = set(policy.get("must_fund", ()))
    needed |= {r for o in opts.values() for r in o.get("requires", [])}
    needed |= {ids[i] for members, v in syn if v > tol for i in members}
    needed |= {i for i in ids if opts[i]["recommendation"] in policy.get("at_least", {})}
    if policy.get("min_recommendations") is not None:
        needed = set(ids)
    best = None
    for mask in itertools.product([1, 0], repeat=n):  # most-funded-first order
        chosen = {i for i in range(n) if mask[i]}
        names = {ids[i] for i in chosen}
        if sum(costs[i] for i in chosen) > budget:
            continue
        if any(r not in names for i in names for r in opts[i].get("requires", [])):
            continue
        if any(e in names for i in names for e in opts[i].get("excludes", [])):
            continue
        if any(m not in names for m in policy.get("must_fund", ())):
            continue
        if names & set(policy.get("must_not_fund", ())):
            continue
        if any(vals[i] <= tol and ids[i] not in needed for i in chosen):
            continue
        count = {r: sum(recs[i] == r for i in chosen) for r in "abc"}
        if any(count[r] < k for r, k in policy.get("at_least", {}).items()):
            continue
        if any(count[r] > k for r, k in policy.get("at_most", {}).items()):
            continue
        if sum(c > 0 for c in count.values()) < policy.get("min_recommendations", 0):
            continue
        value = sum(vals[i] for i in chosen) + sum(s for m, s in syn if m <= chosen)
        cost = sum(costs[i] for i in chosen)
        if best is None or value > best[0] + tol or (value >= best[0] - tol and cost < best[1]):
            best = (value, cost, sorted(names))
    assert best is not None
    return best[2], best[0]


def write(tmp_path: Path, spec: dict[str, Any]) -> Path:
    """Write the workspace and return its folder."""
    return write_workspace(tmp_path / "ws", spec)
