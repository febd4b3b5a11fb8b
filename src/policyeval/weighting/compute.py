"""Weights of a workspace profile: the thin layer over the kernels.

A profile's spec weighs either all criteria under its node or the node's
children (groups and ungrouped criteria); ``local[g]`` weighs inside group
``g`` the same way, and a group without ``local`` entry splits its weight
equally. Global weight = product along the tree (:func:`tree_product`).

A ``group`` profile aggregates its members: when the aggregation is
geometric (default) and every member is AHP on the same tree, the judgements
are aggregated node by node (AIJ) and the eigenvector and CR taken of the
aggregate; otherwise the members' global weights are aggregated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from policyeval.errors import Issue, WorkspaceError
from policyeval.model import WeightProfile, Weights, Workspace
from policyeval.weighting.ahp import CR_THRESHOLD, ahp_weights, judgement_matrix, worst_judgement
from policyeval.weighting.bwm import bwm_weights
from policyeval.weighting.direct import points_weights, swing_weights
from policyeval.weighting.group import aggregate_judgements, aggregate_weights
from policyeval.weighting.objective import critic_weights, entropy_weights
from policyeval.weighting.rank import rank_weights
from policyeval.weighting.tree import tree_product

#: The spec entry that holds each method's judgements (for error locations).
_ENTRY = {
    "points": "points",
    "swing": "swing",
    "rank": "ranking",
    "ahp": "pairwise",
    "bwm": "best_to_others",
    "entropy": "method",
    "critic": "method",
    "group": "members",
}


@dataclass(frozen=True, slots=True)
class _Node:
    """One node of a profile's tree: the items weighted there and by what spec."""

    node: str | None
    items: tuple[str, ...]
    spec: WeightProfile | None  # None: equal split
    entry: str  # dotted path of the spec in the profile file ("" at the top)


def compute_weights(ws: Workspace, profile: str | None = None) -> Weights:
    """Criterion weights of a profile (default: the workspace's default profile).

    Raises
    ------
    WorkspaceError
        For an unknown profile or weights that cannot be computed (all-zero
        points, a group that contains itself, constant scores for entropy...).

    Examples
    --------
    >>> from pathlib import Path
    >>> from policyeval.model import Criterion, WeightProfile, Workspace
    >>> ws = Workspace(Path("."), "t", (Criterion("a", "A"), Criterion("b", "B")), (), (),
    ...                {"p": WeightProfile("p", "P", "points", {"points": {"a": 3, "b": 1}})})
    >>> compute_weights(ws).weights
    {'a': 0.75, 'b': 0.25}
    """
    return _compute(ws, ws.profile_id(profile), ())


def compute_all_weights(ws: Workspace) -> dict[str, Weights]:
    """:func:`compute_weights` for every profile of the workspace."""
    return {pid: _compute(ws, pid, ()) for pid in ws.profiles}


def _compute(ws: Workspace, pid: str, stack: tuple[str, ...]) -> Weights:
    prof = ws.profiles[pid]
    if prof.method == "group":
        return _group(ws, pid, prof, stack)
    nodes = _structure(ws, pid, prof)
    locals_ = [_local(ws, pid, n) for n in nodes]
    return _assemble(ws, pid, prof, nodes, locals_, {})


def _fail(pid: str, entry: str, message: str, code: str = "bad-weights") -> WorkspaceError:
    return WorkspaceError([Issue(code, message, f"criteria/weights/{pid}.yaml", entry)])


def _where(entry: str, key: str) -> str:
    return f"{entry}.{key}" if entry else key


def _named(spec: WeightProfile) -> set[str] | None:
    """Ids a spec weighs (None: all criteria under its node)."""
    s = spec.spec
    match spec.method:
        case "points" | "swing":
            return set(s[spec.method])
        case "rank":
            return {c for t in s["ranking"] for c in ([t] if isinstance(t, str) else t)}
        case "ahp":
            return {c for a, b, _ in s["pairwise"] for c in (a, b)}
        case "bwm":
            return {s["best"], s["worst"], *s["best_to_others"], *s["others_to_worst"]}
    return None


def _structure(ws: Workspace, pid: str, prof: WeightProfile) -> list[_Node]:
    """The profile's tree, top-down: which items each node weighs, and how."""
    groups = {g.id for g in ws.groups}
    nodes: list[_Node] = []

    def visit(
        node: str | None,
        spec: WeightProfile | None,
        entry: str,
        lookup: dict[str, WeightProfile],
    ) -> None:
        if spec is not None and spec.method == "group":
            raise _fail(pid, _where(entry, "method"), "a group profile cannot weigh inside a group")
        named = _named(spec) if spec is not None else None
        children, leaves = ws.children(node), ws.leaves(node)
        if spec is None or (named is not None and named == set(children)):
            items = tuple(children)
        elif named is None or named == set(leaves):
            items = tuple(leaves)
        else:
            raise _fail(
                pid,
                _where(entry, _ENTRY[spec.method]),
                f"names {sorted(named)}; expected the children {children} "
                f"or the criteria {leaves} of {node or 'the top level'}",
                "incomplete-profile",
            )
        nodes.append(_Node(node, items, spec, entry))
        lookup = {**lookup, **(spec.local if spec is not None else {})}
        for child in items:
            if child in groups:
                visit(child, lookup.get(child), f"local.{child}", lookup)

    visit(None, prof, "", {})
    return nodes


def _local(ws: Workspace, pid: str, n: _Node) -> tuple[dict[str, float], dict[str, Any]]:
    """Local weights at one node and its diagnostics."""
    info: dict[str, Any] = {"node": n.node}
    if n.spec is None:
        w = dict.fromkeys(n.items, 1.0 / len(n.items))
        info["note"] = f"group '{n.node}' has no local weights; its weight is split equally"
        return w, info
    s, method = n.spec.spec, n.spec.method
    info["method"] = method
    try:
        match method:
            case "points":
                w = points_weights({c: s["points"][c] for c in n.items})
            case "swing":
                w = swing_weights({c: s["swing"][c] for c in n.items})
            case "rank":
                rule = s.get("rank_rule", "roc")
                w = rank_weights(s["ranking"], rule)
                info["rank_rule"] = rule
            case "ahp":
                return _ahp(n.items, judgement_matrix(n.items, s["pairwise"]), info)
            case "bwm":
                r = bwm_weights(
                    n.items, s["best"], s["worst"], s["best_to_others"], s["others_to_worst"]
                )
                w = dict(zip(n.items, r.weights.tolist()))
                info.update(xi=r.xi, consistency_index=r.ci, consistency_ratio=r.cr)
            case "entropy" | "critic":
                w = _objective(ws, method, n.items)
            case _:
                raise ValueError(f"unknown method '{method}'")
    except ValueError as err:
        raise _fail(pid, _where(n.entry, _ENTRY.get(method, "method")), str(err)) from err
    return w, info


def _ahp(
    items: tuple[str, ...], matrix: np.ndarray, info: dict[str, Any]
) -> tuple[dict[str, float], dict[str, Any]]:
    r = ahp_weights(matrix)
    info.update(lambda_max=r.lambda_max, consistency_index=r.ci, consistency_ratio=r.cr)
    if r.cr > CR_THRESHOLD:
        info["revision"] = worst_judgement(matrix, items)._asdict()
    return dict(zip(items, r.weights.tolist())), info


def _objective(ws: Workspace, method: str, items: Sequence[str]) -> dict[str, float]:
    from policyeval.model import build_problem

    problem = build_problem(ws)
    cols = [problem.criteria.index(c) for c in items]  # the criteria under the node
    x = problem.scores[:, cols]
    w = entropy_weights(x) if method == "entropy" else critic_weights(x, problem.maximize[cols])
    return dict(zip(items, w.tolist()))


def _assemble(
    ws: Workspace,
    pid: str,
    prof: WeightProfile,
    nodes: list[_Node],
    locals_: list[tuple[dict[str, float], dict[str, Any]]],
    extra: dict[str, Any],
) -> Weights:
    glob = tree_product({n.node: w for n, (w, _) in zip(nodes, locals_)})
    unreached = [c for c in ws.criterion_ids if c not in glob]
    if unreached:
        raise WorkspaceError(
            [
                Issue(
                    "group-cycle",
                    f"criteria {unreached} are not under the top level of the value tree; "
                    "check the groups' parents for a cycle",
                    "criteria/criteria.yaml",
                    "groups",
                )
            ]
        )
    infos = [dict(info, weights=w) for w, info in locals_]
    crs = [i["consistency_ratio"] for i in infos if "consistency_ratio" in i]
    warnings = tuple(
        _cr_warning(pid, i["node"], i["consistency_ratio"])
        for i in infos
        if i.get("method") == "ahp" and i["consistency_ratio"] > CR_THRESHOLD
    )
    return Weights(
        profile=pid,
        name=prof.name,
        method=prof.method,
        weights={c: float(glob[c]) for c in ws.criterion_ids},
        consistency_ratio=max(crs) if crs else None,
        warnings=tuple(dict.fromkeys(extra.pop("warnings", ()) + warnings)),
        details={"nodes": infos, **extra},
    )


def _cr_warning(pid: str, node: str | None, cr: float) -> str:
    where = f" (group {node})" if node else ""
    return (
        f"profile '{pid}'{where}: AHP consistency ratio {cr:.2f} is above "
        f"{CR_THRESHOLD:.2f}; revise the judgements"
    )


def _group(ws: Workspace, pid: str, prof: WeightProfile, stack: tuple[str, ...]) -> Weights:
    """Aggregate member profiles (AIJ for same-structure AHP members, else weights)."""
    if pid in stack:
        chain = " -> ".join((*stack, pid))
        raise _fail(stack[0], "members", f"group profiles form a cycle: {chain}", "group-cycle")
    members = list(prof.spec["members"])
    how = prof.spec.get("aggregation", "geometric")
    results = [_compute(ws, m, (*stack, pid)) for m in members]
    member_warnings = tuple(w for r in results for w in r.warnings)
    extra = {"members": members, "aggregation": how, "warnings": member_warnings}
    trees = [_structure(ws, m, ws.profiles[m]) for m in members if ws.profiles[m].method != "group"]
    if how == "geometric" and len(trees) == len(members) and _same_ahp_trees(trees):
        extra["aggregated"] = "judgements"
        locals_ = [_aij(n, [t[k] for t in trees]) for k, n in enumerate(trees[0])]
        return _assemble(ws, pid, prof, trees[0], locals_, extra)
    extra["aggregated"] = "weights"
    crs = [r.consistency_ratio for r in results if r.consistency_ratio is not None]
    try:
        agg = aggregate_weights(np.array([r.vector(ws.criterion_ids) for r in results]), how)
    except ValueError as err:
        raise _fail(pid, "members", f"cannot aggregate the members' weights: {err}") from err
    return Weights(
        profile=pid,
        name=prof.name,
        method=prof.method,
        weights=dict(zip(ws.criterion_ids, agg.tolist())),
        consistency_ratio=max(crs) if crs else None,
        warnings=tuple(dict.fromkeys(member_warnings)),
        details={"member_weights": {r.profile: r.weights for r in results}, **extra},
    )


def _same_ahp_trees(trees: list[list[_Node]]) -> bool:
    """True when every member is AHP (or equal split) on the same tree."""
    first = trees[0]
    return all(
        len(t) == len(first)
        and all(
            n.node == f.node
            and set(n.items) == set(f.items)
            and (n.spec is None) == (f.spec is None)
            and (n.spec is None or n.spec.method == "ahp")
            for n, f in zip(t, first)
        )
        for t in trees
    )


def _aij(node: _Node, same: list[_Node]) -> tuple[dict[str, float], dict[str, Any]]:
    """Geometric mean of the members' judgements at one node, then AHP."""
    info: dict[str, Any] = {"node": node.node}
    if node.spec is None:
        info["note"] = f"group '{node.node}' has no local weights; its weight is split equally"
        return dict.fromkeys(node.items, 1.0 / len(node.items)), info
    info["method"] = "ahp"
    mats = np.array([judgement_matrix(node.items, n.spec.spec["pairwise"]) for n in same])
    return _ahp(node.items, aggregate_judgements(mats), info)
