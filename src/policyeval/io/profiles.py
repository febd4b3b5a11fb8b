"""Validation of weight profiles (criteria/weights/*.yaml), value tree included."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from policyeval.errors import Issue
from policyeval.io.checks import Checker
from policyeval.model.workspace import Criterion, Group, WeightProfile

METHODS = ("points", "rank", "swing", "ahp", "bwm", "entropy", "critic", "group")
RANK_RULES = ("roc", "rank_sum", "reciprocal")
AGGREGATIONS = ("geometric", "arithmetic")
METHOD_KEYS = {
    "points": ("points",),
    "rank": ("ranking", "rank_rule"),
    "swing": ("swing",),
    "ahp": ("pairwise",),
    "bwm": ("best", "worst", "best_to_others", "others_to_worst"),
    "entropy": (),
    "critic": (),
    "group": ("members", "aggregation"),
}
REQUIRED = {
    "points": ("points",),
    "rank": ("ranking",),
    "swing": ("swing",),
    "ahp": ("pairwise",),
    "bwm": ("best", "worst", "best_to_others", "others_to_worst"),
    "group": ("members",),
}
SPEC_KEYS = tuple(k for keys in METHOD_KEYS.values() for k in keys)
PROVENANCE_KEYS = ("provenance", "elicited_from", "elicited_on")
TOP_KEYS = ("name", "method", "description", "local", "bounds", *PROVENANCE_KEYS, *SPEC_KEYS)


class Tree:
    """The value tree: which items a profile may weight at each node."""

    def __init__(self, criteria: tuple[Criterion, ...], groups: tuple[Group, ...]) -> None:
        self.criteria = [c.id for c in criteria]
        self.groups = {g.id: g for g in groups}
        self._crit_group = {c.id: c.group for c in criteria}

    def children(self, node: str | None) -> list[str]:
        """Groups and criteria directly under ``node`` (None = root)."""
        return [g for g, grp in self.groups.items() if grp.parent == node] + [
            c for c in self.criteria if self._crit_group[c] == node
        ]

    def leaves(self, node: str | None) -> list[str]:
        """Criteria under ``node``."""
        out: list[str] = []
        for child in self.children(node):
            out += self.leaves(child) if child in self.groups else [child]
        return out


def check_profile(
    pid: str, data: Any, file: str, tree: Tree, profile_ids: list[str], issues: list[Issue]
) -> WeightProfile | None:
    """Validate one profile file; return the profile or None when it has problems."""
    ck = Checker(file, issues)
    if not isinstance(data, dict):
        ck.add("wrong-type", "", "a weight profile must be a mapping with 'method' and its entries")
        return None
    before = len(issues)
    ck.keys(data, "", TOP_KEYS, required=("method",))
    name = ck.text(data.get("name", pid), "name") or pid
    profile = _check_spec(ck, pid, data, "", None, tree, profile_ids, top=True)
    bounds = _check_bounds(ck, data.get("bounds"), tree)
    provenance = ck.choice(
        data.get("provenance", "illustrative"),
        "provenance",
        ("illustrative", "elicited"),
        "provenance",
    )
    if provenance == "elicited" and not data.get("elicited_from"):
        ck.add(
            "missing-key",
            "elicited_from",
            "an elicited profile says from whom: add elicited_from (and elicited_on: DATE)",
        )
    if profile is None or len(issues) > before:
        return None
    return WeightProfile(
        id=pid,
        name=name,
        method=profile.method,
        spec=profile.spec,
        local=profile.local,
        bounds=bounds,
        description=str(data.get("description", "") or ""),
        provenance=provenance,  # type: ignore[arg-type]
        elicited_from=str(data.get("elicited_from") or ""),
        elicited_on=str(data.get("elicited_on") or ""),
    )


def _check_spec(
    ck: Checker,
    pid: str,
    data: dict,
    entry: str,
    node: str | None,
    tree: Tree,
    profile_ids: list[str],
    top: bool = False,
) -> WeightProfile | None:
    pre = f"{entry}." if entry else ""
    if not top:
        ck.keys(data, entry, ("method", "local", *SPEC_KEYS), required=("method",))
    method = data.get("method")
    if method is None:
        return None
    method = ck.choice(method, f"{pre}method", METHODS, "method")
    if method is None:
        return None
    for key in SPEC_KEYS:
        if key in data and key not in METHOD_KEYS[method]:
            ck.add(
                "unused-key",
                f"{pre}{key}",
                f"'{key}' is not used by method '{method}'; remove it or change the method",
            )
    for key in REQUIRED.get(method, ()):
        if data.get(key) is None:
            ck.add("missing-key", f"{pre}{key}", f"method '{method}' needs '{key}'; add it")
    flat, children = tree.leaves(node), tree.children(node)
    spec: dict[str, Any] = {}
    named: list[str] | None = None
    if method in ("points", "swing") and isinstance(data.get(method), dict):
        table = data[method]
        named = _items(ck, list(table), f"{pre}{method}", flat, children)
        values = {}
        for item in named:
            v = ck.number(table[item], f"{pre}{method}.{item}", minimum=0)
            if v is not None:
                values[item] = v
        if values and len(values) == len(named) and not any(values.values()):
            ck.add("all-zero", f"{pre}{method}", "all weights are zero; give at least one > 0")
        if method == "swing" and values and max(values.values()) != 100:
            ck.add(
                "swing-scale",
                f"{pre}swing",
                f"the most valued swing must be rated 100 (highest is {max(values.values()):g})",
            )
        spec[method] = values
    elif method in ("points", "swing") and data.get(method) is not None:
        ck.mapping(data.get(method), f"{pre}{method}", "a mapping of item: number")
    elif method == "rank":
        spec.update(_check_ranking(ck, data, pre, flat, children))
        named = spec.get("_named")
        spec.pop("_named", None)
    elif method == "ahp":
        pairs, named = _check_pairwise(ck, data.get("pairwise"), f"{pre}pairwise", flat, children)
        spec["pairwise"] = pairs
    elif method == "bwm":
        spec.update(_check_bwm(ck, data, pre, flat, children))
        named = spec.pop("_named", None)
    elif method == "group":
        if not top:
            ck.add(
                "bad-local", f"{pre}method", "method 'group' is allowed only for a whole profile"
            )
        members = ck.id_list(data.get("members"), f"{pre}members", profile_ids, "profile")
        if pid in members:
            ck.add(
                "self-member",
                f"{pre}members",
                f"profile '{pid}' cannot be a member of itself; remove it",
            )
        if isinstance(data.get("members"), list) and len(data["members"]) < 1:
            ck.add("empty-group", f"{pre}members", "a group needs at least one member profile")
        spec["members"] = members
        agg = data.get("aggregation", "geometric")
        spec["aggregation"] = ck.choice(agg, f"{pre}aggregation", AGGREGATIONS, "aggregation")
    elif method in ("entropy", "critic") and node is not None:
        ck.add(
            "bad-local", f"{pre}method", f"method '{method}' is allowed only for a whole profile"
        )
    local: dict[str, WeightProfile] = {}
    raw_local = data.get("local")
    if raw_local is not None and ck.mapping(raw_local, f"{pre}local") is not None:
        weighted_groups = [g for g in (named or []) if g in tree.groups]
        reachable = _groups_below(tree, weighted_groups)
        for gid, sub in raw_local.items():
            where = f"{pre}local.{gid}"
            if gid not in reachable:
                ck.add(
                    "unknown-group",
                    where,
                    f"'{gid}' is not a group weighted by this profile; local weights are given "
                    f"for groups the profile names. Groups here: {', '.join(reachable) or 'none'}",
                )
                continue
            if ck.mapping(sub, where) is None:
                continue
            child = _check_spec(ck, pid, sub, where, gid, tree, profile_ids)
            if child is not None:
                local[gid] = child
    return WeightProfile(id=pid, name=pid, method=method, spec=spec, local=local)


def _groups_below(tree: Tree, groups: list[str]) -> list[str]:
    out = list(groups)
    for g in groups:
        out += _groups_below(tree, [c for c in tree.children(g) if c in tree.groups])
    return out


def _items(
    ck: Checker, names: list[Any], entry: str, flat: list[str], children: list[str]
) -> list[str]:
    """Check that ``names`` are exactly the leaves, or exactly the children, of the node."""
    known = list(dict.fromkeys(flat + children))
    good = []
    for n in names:
        if ck.ref(n, f"{entry}.{n}" if isinstance(n, str) else entry, known, "criterion or group"):
            good.append(n)
    if len(good) < len(names):
        return good
    target = flat
    if set(good) - set(flat):  # a group is named: weights are given at this level of the tree
        target = children
        inside = [g for g in good if g not in children]
        if inside:
            ck.add(
                "mixed-levels",
                entry,
                f"{', '.join(inside)} lie inside groups also named here; weight either the "
                "criteria or the groups at this level, and give weights inside a group in 'local'",
            )
    missing = [t for t in target if t not in good]
    if missing:
        ck.add(
            "missing-item",
            entry,
            f"no entry for {', '.join(missing)}; every criterion (or every group at this level) "
            "needs one — give 0 to ignore an item",
        )
    return good


def _check_ranking(
    ck: Checker, data: dict, pre: str, flat: list[str], children: list[str]
) -> dict[str, Any]:
    ranking = data.get("ranking")
    rule = ck.choice(data.get("rank_rule", "roc"), f"{pre}rank_rule", RANK_RULES, "rank rule")
    if not isinstance(ranking, list) or not ranking:
        if ranking is not None:
            ck.add("wrong-type", f"{pre}ranking", "expected a list, most important first")
        return {"ranking": [], "rank_rule": rule}
    levels: list[list[str]] = []
    seen: list[str] = []
    for i, level in enumerate(ranking):
        items = level if isinstance(level, list) else [level]
        clean = []
        for item in items:
            if item in seen:
                ck.add(
                    "repeated-item", f"{pre}ranking[{i}]", f"'{item}' appears twice; rank it once"
                )
                continue
            seen.append(item)
            clean.append(item)
        levels.append(clean)
    named = _items(ck, seen, f"{pre}ranking", flat, children)
    return {"ranking": [lv for lv in levels if lv], "rank_rule": rule, "_named": named}


def _check_pairwise(
    ck: Checker, value: Any, entry: str, flat: list[str], children: list[str]
) -> tuple[list[tuple[str, str, float]], list[str]]:
    if not isinstance(value, list) or not value:
        if value is not None:
            ck.add("wrong-type", entry, "expected a list of [a, b, k] judgements")
        return [], []
    pairs: list[tuple[str, str, float]] = []
    names: list[str] = []
    seen: dict[frozenset, int] = {}
    for i, row in enumerate(value):
        where = f"{entry}[{i}]"
        if not isinstance(row, list) or len(row) != 3:
            ck.add("bad-judgement", where, f"expected [a, b, k], got {row!r}")
            continue
        a, b, k = row
        if not isinstance(a, str) or not isinstance(b, str):
            ck.add("bad-judgement", where, f"expected [a, b, k] with a and b ids, got {row!r}")
            continue
        if a == b:
            ck.add("self-comparison", where, f"'{a}' is compared with itself; remove this row")
            continue
        x = ck.number(k, f"{where}[2]", minimum=1 / 9 - 1e-12, maximum=9, allow_fraction=True)
        key = frozenset((a, b))
        if key in seen:
            ck.add(
                "repeated-pair",
                where,
                f"the pair {a}/{b} is judged twice (rows {seen[key]} and {i}); keep one",
            )
            continue
        seen[key] = i
        for n in (a, b):
            if n not in names:
                names.append(n)
        if x is not None:
            pairs.append((a, b, x))
    named = _items(ck, names, entry, flat, children)
    if len(named) == len(names):
        missing = [f"{a}/{b}" for a, b in combinations(named, 2) if frozenset((a, b)) not in seen]
        if missing:
            ck.add(
                "missing-pair",
                entry,
                f"{len(missing)} pair(s) not judged: {', '.join(missing[:8])}"
                f"{', ...' if len(missing) > 8 else ''}; AHP needs every pair once",
            )
    return pairs, named


def _check_bwm(
    ck: Checker, data: dict, pre: str, flat: list[str], children: list[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    tables = {}
    for key in ("best_to_others", "others_to_worst"):
        raw = data.get(key)
        if raw is None or ck.mapping(raw, f"{pre}{key}") is None:
            continue
        tables[key] = {
            item: ck.number(v, f"{pre}{key}.{item}", minimum=1, maximum=9, allow_fraction=True)
            for item, v in raw.items()
        }
    named = _items(
        ck, list(tables.get("best_to_others", {})), f"{pre}best_to_others", flat, children
    )
    if "others_to_worst" in tables:
        _items(ck, list(tables["others_to_worst"]), f"{pre}others_to_worst", flat, children)
    for key in ("best", "worst"):
        out[key] = ck.ref(data.get(key), f"{pre}{key}", named or flat + children, "criterion")
    for key, anchor in (("best_to_others", "best"), ("others_to_worst", "worst")):
        table = tables.get(key, {})
        a = out.get(anchor)
        if a is not None and a in table and table[a] != 1:
            ck.add("bwm-anchor", f"{pre}{key}.{a}", f"the {anchor} compared with itself must be 1")
        out[key] = {k: v for k, v in table.items() if v is not None}
    best, worst = out.get("best"), out.get("worst")
    b_w = out["best_to_others"].get(worst) if worst else None
    w_b = out["others_to_worst"].get(best) if best else None
    if b_w is not None and w_b is not None and b_w != w_b:
        ck.add(
            "bwm-best-over-worst",
            f"{pre}others_to_worst.{best}",
            f"the best-over-worst judgement is given twice with different values: "
            f"best_to_others.{worst} = {b_w:g} but others_to_worst.{best} = {w_b:g}; "
            "they are the same comparison: set both to the one you mean",
        )
    out["_named"] = named
    return out


def _check_bounds(ck: Checker, value: Any, tree: Tree) -> dict[str, tuple[float, float]]:
    if value is None or ck.mapping(value, "bounds") is None:
        return {}
    out: dict[str, tuple[float, float]] = {}
    for cid, pair in value.items():
        where = f"bounds.{cid}"
        if ck.ref(cid, where, tree.criteria, "criterion") is None:
            continue
        if not isinstance(pair, list) or len(pair) != 2:
            ck.add("bad-bounds", where, f"expected [low, high] between 0 and 1, got {pair!r}")
            continue
        lo = ck.number(pair[0], f"{where}[0]", minimum=0, maximum=1)
        hi = ck.number(pair[1], f"{where}[1]", minimum=0, maximum=1)
        if lo is None or hi is None:
            continue
        if lo > hi:
            ck.add("low-above-high", where, f"low ({lo:g}) is above high ({hi:g})")
            continue
        out[cid] = (lo, hi)
    if out and len(out) == len(value):
        lows = sum(lo for lo, _ in out.values())
        highs = sum(hi for _, hi in out.values()) + (len(tree.criteria) - len(out))
        if lows > 1 + 1e-9 or highs < 1 - 1e-9:
            ck.add(
                "infeasible-bounds",
                "bounds",
                f"no weights fit these bounds (lows sum to {lows:g}, highs to {highs:g}); "
                "the lows must sum to at most 1 and the highs to at least 1",
            )
    return out


def check_group_cycles(profiles: dict[str, WeightProfile], issues: list[Issue]) -> None:
    """A group profile may not reach itself through its members (reported once per cycle)."""

    def reach(pid: str, path: tuple[str, ...]) -> tuple[str, ...] | None:
        prof = profiles.get(pid)
        if prof is None or prof.method != "group":
            return None
        for m in prof.spec.get("members", []):
            if m in path:
                return (*path, m)
            found = reach(m, (*path, m))
            if found:
                return found
        return None

    reported: set[frozenset[str]] = set()
    for pid in profiles:
        cycle = reach(pid, (pid,))
        if cycle and cycle[0] == cycle[-1] and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            issues.append(
                Issue(
                    "group-cycle",
                    f"group members form a cycle ({' -> '.join(cycle)}); remove one member",
                    f"criteria/weights/{pid}.yaml",
                    "members",
                )
            )
