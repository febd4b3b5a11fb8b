"""Read a workspace folder into a validated :class:`~policyeval.model.Workspace`.

Every problem in every file is collected before failing; the error lists them
all, each naming the file, the entry and the fix (DESIGN.md, Workspace format).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policyeval.errors import Issue, WorkspaceError
from policyeval.io.allocation import COUNTRIES, check_allocation, parse_countries
from policyeval.io.allocation import FILE as ALLOCATION
from policyeval.io.checks import ID_PATTERN, Checker
from policyeval.io.profiles import Tree, check_group_cycles, check_profile
from policyeval.io.safe_yaml import read_text, read_yaml
from policyeval.limits import check as check_limit
from policyeval.model.workspace import (
    Criterion,
    Group,
    Option,
    Package,
    Score,
    Source,
    Synergy,
    WeightProfile,
    Workspace,
)

DIRECTIONS = ("max", "min")
COMBINES = ("sum", "max", "min", "mean")
PREFERENCES = ("usual", "linear", "vshape", "level", "gaussian")
PREFERENCE_PARAMS = {
    "usual": (),
    "linear": ("q", "p"),
    "vshape": ("p",),
    "level": ("q", "p"),
    "gaussian": ("s",),
}
CRITERIA_KEYS = (
    "title", "description", "default_profile", "groups", "criteria", "unit", "source",
    "evidence_date",
)  # fmt: skip
SOURCE_KEYS = ("title", "authors", "year", "published_in", "url")
GROUP_KEYS = ("id", "name", "parent", "description")
CRITERION_KEYS = (
    "id", "name", "group", "direction", "scale", "combine", "unit", "preference",
    "description", "source", "role",
)  # fmt: skip
OPTION_KEYS = (
    "id", "title", "recommendation", "kind", "summary", "source", "basis", "cost", "cost_note",
    "requires", "excludes", "scores",
)  # fmt: skip
SCORE_KEYS = ("value", "low", "high", "rationale", "source")
NOT_OPTIONS = ("packages.yaml", "allocation.yaml")
TEMPLATES = "reports/templates"


def load_workspace(root: str | Path = ".") -> Workspace:
    """Load and validate a workspace.

    Parameters
    ----------
    root : str or Path
        The workspace folder, holding ``criteria/`` and ``options/``.

    Returns
    -------
    Workspace

    Raises
    ------
    WorkspaceError
        With every problem found, each naming its file and entry.
    """
    root = Path(root)
    issues: list[Issue] = []
    missing = [f"{folder}/" for folder in ("criteria", "options") if not (root / folder).is_dir()]
    if missing:
        where = "" if root.is_dir() else " (no such folder)"
        nor = ", nor 'options/'" if len(missing) == 2 else ""
        raise WorkspaceError(
            [
                Issue(
                    "missing-folder",
                    f"folder '{missing[0]}' not found in {root}{where}{nor}; is this a workspace? "
                    "Pass --workspace DIR or create one with 'policyeval init DIR'",
                    missing[0] if len(missing) == 1 else str(root),
                )
            ]
        )

    crit_file = root / "criteria" / "criteria.yaml"
    if not crit_file.is_file():
        raise WorkspaceError(
            [Issue("missing-file", "criteria/criteria.yaml not found; create it", "criteria/")]
        )
    digests: dict[str, str] = {}
    data, found = read_yaml(crit_file, "criteria/criteria.yaml", digests)
    issues += found
    head, groups, criteria, complete = _criteria(data, issues) if not found else ({}, (), (), False)
    source, evidence_date = _source(head, Checker("criteria/criteria.yaml", issues))
    # when some criterion has no usable id, references to criteria cannot be checked
    # without false alarms: they are checked on the next run, once criteria.yaml is fixed
    known = criteria if complete else None
    profiles, profile_ids = _profiles(
        root, Tree(criteria if complete else (), groups), issues, digests
    )
    options, declared = _options(root, known, issues, digests)
    packages, synergies = _packages(root, options, declared, known, issues, digests)
    countries: dict[str, dict[str, str]] = {}
    countries_ok = True
    if (root / COUNTRIES).is_file():
        before = len(issues)
        text, found = read_text(root / COUNTRIES, COUNTRIES, digests)
        issues += found
        if text is not None:
            check_limit("rows", text.count("\n"), "lines", COUNTRIES)
        countries = parse_countries(text, issues) if text is not None else {}
        countries_ok = len(issues) == before
    allocation = None
    if (root / ALLOCATION).is_file():
        data, found = read_yaml(root / ALLOCATION, ALLOCATION, digests)
        issues += found
        # the allocation refers to countries.csv: checked once that file can be read
        if not found and countries_ok:
            allocation = check_allocation(data, countries, declared, issues)
    if allocation is not None and allocation.budget is not None:
        _check_costs(root, options, issues)
    templates = _templates(root, issues, digests)

    default = head.get("default_profile")
    if default is not None and profile_ids and default not in profile_ids:
        Checker("criteria/criteria.yaml", issues).ref(
            default, "default_profile", sorted(profile_ids), "profile"
        )
    if issues:
        raise WorkspaceError(issues)
    return Workspace(
        root=root,
        title=str(head.get("title") or root.resolve().name),
        criteria=criteria,
        groups=groups,
        options=options,
        profiles=profiles,
        packages=packages,
        synergies=synergies,
        default_profile=default,
        files=tuple(sorted(root / rel for rel in digests)),
        extra={k: head[k] for k in ("description", "unit") if head.get(k) is not None},
        digests=tuple(sorted(digests.items())),
        source=source,
        evidence_date=evidence_date,
        allocation=allocation,
        countries=countries,
        templates=templates,
    )


def _source(head: dict, ck: Checker) -> tuple[Source | None, str]:
    """``source`` (where the evidence comes from) and ``evidence_date`` of criteria.yaml."""
    date = head.get("evidence_date")
    evidence_date = "" if date is None else str(date)
    raw = head.get("source")
    if raw is None:
        return None, evidence_date
    if isinstance(raw, str):
        return Source(title=raw), evidence_date
    if ck.mapping(raw, "source", "a mapping (title, authors, year, published_in, url)") is None:
        return None, evidence_date
    ck.keys(raw, "source", SOURCE_KEYS, required=("title",))
    authors = raw.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    year = raw.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        ck.add("wrong-type", "source.year", f"expected a year like 2021. Got {year!r} instead")
        year = None
    return (
        Source(
            title=str(raw.get("title") or ""),
            authors=tuple(str(a) for a in authors),
            year=year,
            published_in=str(raw.get("published_in") or ""),
            url=str(raw.get("url") or ""),
        ),
        evidence_date,
    )


def _check_costs(root: Path, options: tuple[Option, ...], issues: list[Issue]) -> None:
    """With a budget declared, every measure must say what it costs (no silent zero)."""
    for o in options:
        if not o.is_baseline and not o.has_cost:
            issues.append(
                Issue(
                    "missing-cost",
                    "options/allocation.yaml declares a budget, so every measure needs a cost; "
                    "add cost: AMOUNT (0 if it is truly free)",
                    f"options/{o.id}.yaml",
                    "cost",
                )
            )


def _templates(root: Path, issues: list[Issue], digests: dict[str, str]) -> Path | None:
    """The workspace's memo templates (``reports/templates/``), compiled to find syntax errors."""
    folder = root / TEMPLATES
    if not folder.is_dir():
        return None
    paths = sorted(p for p in folder.glob("*.j2") if p.is_file())
    if not paths:
        return folder
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment()
    for path in paths:
        rel = f"{TEMPLATES}/{path.name}"
        text, found = read_text(path, rel, digests)
        issues += found
        if text is None:
            continue
        try:
            env.parse(text)
        except TemplateSyntaxError as err:
            issues.append(
                Issue(
                    "template-syntax",
                    f"template syntax error at line {err.lineno}: {err.message}; fix the template",
                    rel,
                    f"line {err.lineno}",
                )
            )
    return folder


def _criteria(
    data: Any, issues: list[Issue]
) -> tuple[dict, tuple[Group, ...], tuple[Criterion, ...], bool]:
    """Header, groups, criteria, and whether every criterion entry has a usable id.

    A criterion with problems other than its id is still returned (with defaults in place
    of the bad entries) so that references to it are not reported again; the workspace is
    not built anyway while there are issues.
    """
    ck = Checker("criteria/criteria.yaml", issues)
    if ck.mapping(data, "", "a mapping with 'criteria:' (and optionally 'groups:')") is None:
        return {}, (), (), False
    ck.keys(data, "", CRITERIA_KEYS, required=("criteria",))
    listed = data.get("criteria")
    check_limit("criteria", len(listed) if isinstance(listed, list) else 0, "criteria", ck.file)
    groups: list[Group] = []
    raw_groups = data.get("groups") or []
    if not isinstance(raw_groups, list):
        ck.add("wrong-type", "groups", "expected a list of groups")
        raw_groups = []
    group_ids = [g.get("id") for g in raw_groups if isinstance(g, dict)]
    for i, g in enumerate(raw_groups):
        where = f"groups[{i}]"
        if ck.mapping(g, where) is None:
            continue
        ck.keys(g, where, GROUP_KEYS, required=("id",))
        gid = ck.identifier(g.get("id"), f"{where}.id")
        parent = g.get("parent")
        if parent is not None:
            parent = ck.ref(parent, f"{where}.parent", [x for x in group_ids if x != gid], "group")
        if gid is not None:
            if gid in [x.id for x in groups]:
                ck.add("duplicate-id", f"{where}.id", f"group id '{gid}' is used twice; rename one")
                continue
            groups.append(Group(gid, str(g.get("name") or gid), parent))
    _check_group_cycles(groups, ck)

    criteria: list[Criterion] = []
    raw = data.get("criteria")
    if not isinstance(raw, list) or not raw:
        if raw is not None:
            ck.add(
                "wrong-type", "criteria", "expected a non-empty list of criteria (id, name, ...)"
            )
        return data, tuple(groups), (), False
    complete = True
    for i, c in enumerate(raw):
        where = f"criteria[{i}]"
        if ck.mapping(c, where) is None:
            complete = False
            continue
        cid = c.get("id")
        if isinstance(cid, str):
            where = f"criteria.{cid}"
        ck.keys(c, where, CRITERION_KEYS, required=("id",))
        if cid is None or ck.identifier(cid, f"{where}.id") is None:
            complete = False
            continue
        if cid in [x.id for x in criteria] or cid in group_ids:
            ck.add("duplicate-id", f"{where}.id", f"id '{cid}' is used twice; ids must be unique")
            complete = complete and cid not in group_ids  # its scores would be unknown
            continue
        group = c.get("group")
        if group is not None:
            group = ck.ref(group, f"{where}.group", [g.id for g in groups], "group")
        direction = ck.choice(
            c.get("direction", "max"), f"{where}.direction", DIRECTIONS, "direction"
        )
        scale = _scale(ck, c.get("scale"), f"{where}.scale")
        combine = c.get("combine")
        if combine is not None:
            combine = ck.choice(combine, f"{where}.combine", COMBINES, "combine rule")
        pref = _preference(ck, c.get("preference"), f"{where}.preference")
        role = c.get("role")
        if role is not None:
            role = ck.choice(role, f"{where}.role", ("cost",), "role")
        criteria.append(
            Criterion(
                id=cid,
                name=str(c.get("name") or cid),
                direction=direction or "max",  # type: ignore[arg-type]
                group=group,
                scale=scale,
                combine=combine,
                unit=str(c.get("unit") or ""),
                preference=pref,
                description=str(c.get("description") or ""),
                source=str(c.get("source") or ""),
                role=role,
            )
        )
    costs = [c.id for c in criteria if c.role == "cost"]
    if len(costs) > 1:
        ck.add(
            "two-cost-criteria",
            f"criteria.{costs[1]}.role",
            f"only one criterion can be the resource cost (now: {', '.join(costs)}); keep one",
        )
    for g in groups:
        if not Tree(tuple(criteria), tuple(groups)).leaves(g.id):
            ck.add(
                "empty-group",
                f"groups.{g.id}",
                f"group '{g.id}' holds no criterion; remove it or put criteria in it",
            )
    return data, tuple(groups), tuple(criteria), complete


def _check_group_cycles(groups: list[Group], ck: Checker) -> None:
    parents = {g.id: g.parent for g in groups}
    for g in groups:
        seen, node = {g.id}, g.parent
        while node is not None:
            if node in seen:
                ck.add("group-cycle", f"groups.{g.id}.parent", "the group tree has a cycle")
                return
            seen.add(node)
            node = parents.get(node)


def _scale(ck: Checker, value: Any, entry: str) -> tuple[float, float] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        ck.add("bad-scale", entry, f"expected [low, high], got {value!r}")
        return None
    lo, hi = ck.number(value[0], f"{entry}[0]"), ck.number(value[1], f"{entry}[1]")
    if lo is None or hi is None:
        return None
    if lo >= hi:
        ck.add(
            "inverted-scale",
            entry,
            f"low ({lo:g}) must be below high ({hi:g}); write the scale as [low, high] "
            "whatever the direction (use direction: min for a cost)",
        )
        return None
    return (lo, hi)


def _preference(ck: Checker, value: Any, entry: str) -> dict[str, Any]:
    if value is None:
        return {"type": "usual"}
    if ck.mapping(value, entry) is None:
        return {"type": "usual"}
    ck.keys(value, entry, ("type", "q", "p", "s"), required=("type",))
    ptype = ck.choice(value.get("type"), f"{entry}.type", PREFERENCES, "preference type")
    if ptype is None:
        return {"type": "usual"}
    out: dict[str, Any] = {"type": ptype}
    for key in ("q", "p", "s"):
        if key in value and key not in PREFERENCE_PARAMS[ptype]:
            ck.add("unused-key", f"{entry}.{key}", f"'{key}' is not used by type '{ptype}'")
    for key in PREFERENCE_PARAMS[ptype]:
        if key not in value:
            if key == "q" and ptype == "linear":
                out["q"] = 0.0
                continue
            ck.add("missing-key", f"{entry}.{key}", f"type '{ptype}' needs '{key}'; add it")
            continue
        x = ck.number(value[key], f"{entry}.{key}", minimum=0)
        if x is not None:
            out[key] = x
    if "q" in out and "p" in out and out["q"] > out["p"]:
        ck.add("q-above-p", entry, f"q ({out['q']:g}) must not exceed p ({out['p']:g})")
    if ptype in ("vshape", "gaussian") and out.get("p", out.get("s", 1)) == 0:
        ck.add("zero-threshold", entry, f"type '{ptype}' needs a threshold above 0")
    return out


def _profiles(
    root: Path, tree: Tree, issues: list[Issue], digests: dict[str, str]
) -> tuple[dict[str, WeightProfile], list[str]]:
    """The valid profiles, and the ids (file names) of every profile file."""
    folder = root / "criteria" / "weights"
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not paths:
        issues.append(
            Issue(
                "no-profiles",
                "no weight profile found; add criteria/weights/NAME.yaml (e.g. method: points)",
                "criteria/weights/",
            )
        )
        return {}, []
    ids = [p.stem for p in paths]
    profiles: dict[str, WeightProfile] = {}
    for path in paths:
        rel = f"criteria/weights/{path.name}"
        if not Checker(rel, []).identifier(path.stem, "") and path.stem:
            issues.append(
                Issue("bad-id", "the file name must be a valid id (e.g. balanced.yaml)", rel)
            )
            continue
        data, found = read_yaml(path, rel, digests)
        issues += found
        if found:
            continue
        if tree.criteria:
            prof = check_profile(path.stem, data, rel, tree, ids, issues)
            if prof is not None:
                profiles[path.stem] = prof
    check_group_cycles(profiles, issues)
    return profiles, ids


def _options(
    root: Path,
    criteria: tuple[Criterion, ...] | None,
    issues: list[Issue],
    digests: dict[str, str],
) -> tuple[tuple[Option, ...], list[str]]:
    """The valid options, and the ids of every declared measure (valid or not).

    ``criteria`` None: the criteria are unknown, scores are not checked against them.
    """
    paths = [p for p in sorted((root / "options").glob("*.yaml")) if p.name not in NOT_OPTIONS]
    check_limit("options", len(paths), "option files", "options/")
    if not paths:
        issues.append(Issue("no-options", "no option found; add options/ID.yaml files", "options/"))
        return (), []
    raw: dict[str, tuple[str, dict]] = {}
    # every option file also declares its file name (ids must match it), so that an id that
    # is missing, malformed, repeated or different from the name is reported once, not again
    # by every reference to the file
    stems: list[tuple[str, bool]] = []
    for path in paths:
        rel = f"options/{path.name}"
        data, found = read_yaml(path, rel, digests)
        issues += found
        ck = Checker(rel, issues)
        stems.append((path.stem, isinstance(data, dict) and data.get("kind") == "baseline"))
        if found or ck.mapping(data, "", "a mapping with id, title and scores") is None:
            continue
        oid = data.get("id")
        if oid is None:
            ck.add("missing-key", "id", f"'id' is required; add id: {path.stem}")
            continue
        if ck.identifier(oid, "id") is None:
            continue
        if oid in raw:
            ck.add(
                "duplicate-id",
                "id",
                f"option id '{oid}' is also used in {raw[oid][0]}; "
                f"give each option its own id (here: id: {path.stem})",
            )
            continue
        if oid != path.stem:
            ck.add("id-file-mismatch", "id", f"id '{oid}' must match the file name '{path.stem}'")
        raw[oid] = (rel, data)
    extra = [(s, b) for s, b in stems if s not in raw and ID_PATTERN.match(s)]
    ids = list(raw) + [s for s, _ in extra]
    options = []
    for oid, (rel, data) in raw.items():
        opt = _option(Checker(rel, issues), oid, data, ids, criteria)
        if opt is not None:
            options.append(opt)
    baselines = [o.id for o in options if o.is_baseline]
    if len(baselines) > 1:
        issues.append(
            Issue(
                "two-baselines",
                f"{len(baselines)} options are baselines ({', '.join(baselines)}); "
                "exactly one baseline is allowed — set kind: measure on the others",
                f"options/{baselines[1]}.yaml",
                "kind",
            )
        )
    _check_requires(options, issues)
    options.sort(key=lambda o: (not o.is_baseline, o.id))
    declared = [oid for oid, (_, data) in raw.items() if data.get("kind") != "baseline"]
    declared += [s for s, base in extra if not base]
    return tuple(options), declared


def _option(
    ck: Checker, oid: str, data: dict, ids: list[str], criteria: tuple[Criterion, ...] | None
) -> Option | None:
    before = len(ck.issues)
    ck.keys(data, "", OPTION_KEYS, required=("title", "scores"))
    kind = ck.choice(data.get("kind", "measure"), "kind", ("measure", "baseline"), "kind")
    cost = ck.number(data.get("cost", 0), "cost", minimum=0)
    links = {}
    for key in ("requires", "excludes"):
        links[key] = ck.id_list(data.get(key), key, ids, "option")
        if oid in links[key]:
            ck.add("self-reference", key, f"option '{oid}' cannot list itself in {key}; remove it")
    requires, excludes = links["requires"], links["excludes"]
    both = set(requires) & set(excludes)
    if both:
        ck.add(
            "requires-and-excludes",
            "excludes",
            f"{', '.join(sorted(both))} is both required and excluded; keep one of the two",
        )
    if kind == "baseline" and (requires or excludes or data.get("cost")):
        ck.add(
            "baseline-link", "kind", "the baseline is not funded: remove cost, requires, excludes"
        )
    scores = _scores(ck, data.get("scores"), criteria)
    if len(ck.issues) > before or scores is None:
        return None
    cost_criterion = next((c for c in criteria or () if c.role == "cost"), None)
    if cost_criterion is not None and kind == "measure":
        given = scores[cost_criterion.id].value
        if "cost" not in data:
            ck.add(
                "missing-cost",
                "cost",
                f"criterion '{cost_criterion.id}' has role: cost, so every measure needs a "
                f"cost; add cost: {given:g} (its score on '{cost_criterion.id}')",
            )
            return None
        if cost is not None and abs(given - cost) > 1e-9 * max(1.0, abs(cost)):
            ck.add(
                "cost-score-mismatch",
                f"scores.{cost_criterion.id}",
                f"criterion '{cost_criterion.id}' has role: cost, so its score must equal the "
                f"option's cost ({cost:g}), not {given:g}; make them equal",
            )
            return None
    rec = data.get("recommendation")
    return Option(
        id=oid,
        title=str(data["title"]),
        scores=scores,
        kind=kind,  # type: ignore[arg-type]
        recommendation=None if rec is None else str(rec),
        summary=str(data.get("summary") or ""),
        source=str(data.get("source") or ""),
        cost=cost or 0.0,
        requires=tuple(requires),
        excludes=tuple(excludes),
        basis=str(data.get("basis") or ""),
        cost_note=str(data.get("cost_note") or ""),
        has_cost="cost" in data or kind == "baseline",
    )


def _scores(
    ck: Checker, value: Any, criteria: tuple[Criterion, ...] | None
) -> dict[str, Score] | None:
    if value is None or ck.mapping(value, "scores", "a mapping criterion: score") is None:
        return None
    if criteria is None:
        return {}
    known = [c.id for c in criteria]
    for key in value:
        if key not in known:
            ck.ref(key, f"scores.{key}", known, "criterion")
    out: dict[str, Score] = {}
    for c in criteria:
        where = f"scores.{c.id}"
        if c.id not in value:
            ck.add(
                "missing-score",
                where,
                f"no score for criterion '{c.id}'; every option scores every criterion: add one",
            )
            continue
        s = _score(ck, value[c.id], where, c)
        if s is not None:
            out[c.id] = s
    return out


def _score(ck: Checker, raw: Any, where: str, c: Criterion) -> Score | None:
    if not isinstance(raw, dict):
        v = ck.number(raw, where)
        return None if v is None or not _in_scale(ck, v, where, c) else Score(v)
    ck.keys(raw, where, SCORE_KEYS, required=("value",))
    if raw.get("value") is None:  # reported as missing by ck.keys
        return None
    v = ck.number(raw["value"], f"{where}.value")
    lo = ck.number(raw["low"], f"{where}.low") if raw.get("low") is not None else None
    hi = ck.number(raw["high"], f"{where}.high") if raw.get("high") is not None else None
    bad_lo = raw.get("low") is not None and lo is None  # low: null means no range
    bad_hi = raw.get("high") is not None and hi is None
    if v is None or bad_lo or bad_hi:
        return None
    ok = True
    if lo is not None and hi is not None and lo > hi:
        ck.add(
            "low-above-high",
            where,
            f"low ({lo:g}) is above high ({hi:g}); expected low <= value <= high",
        )
        ok = False
    elif (lo is not None and v < lo) or (hi is not None and v > hi):
        ck.add(
            "value-outside-range",
            where,
            f"value ({v:g}) is outside its range [{_g(lo)}, {_g(hi)}]; "
            "expected low <= value <= high",
        )
        ok = False
    for name, x in (("value", v), ("low", lo), ("high", hi)):
        if x is not None and not _in_scale(ck, x, f"{where}.{name}", c):
            ok = False
    if not ok:
        return None
    return Score(v, lo, hi, str(raw.get("rationale") or ""), str(raw.get("source") or ""))


def _g(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def _in_scale(ck: Checker, x: float, where: str, c: Criterion) -> bool:
    if c.scale is None or c.scale[0] <= x <= c.scale[1]:
        return True
    ck.add(
        "out-of-scale",
        where,
        f"{x:g} is outside the scale [{c.scale[0]:g}, {c.scale[1]:g}] of criterion '{c.id}' "
        "(criteria/criteria.yaml); fix the score or widen the scale",
    )
    return False


def _check_requires(options: list[Option], issues: list[Issue]) -> None:
    """Options whose chain of requires meets an exclusion can never be funded.

    Reported once per exclusion, on the option that declares it, listing every
    option that cannot be funded because of it.
    """
    by_id = {o.id: o for o in options}
    blocked: dict[tuple[str, str], list[str]] = {}
    for o in options:
        if o.is_baseline:
            continue
        closure, todo = {o.id}, list(o.requires)
        while todo:
            r = todo.pop()
            if r in closure or r not in by_id:
                continue
            closure.add(r)
            todo += list(by_id[r].requires)
        for r in o.requires:
            if r in by_id and by_id[r].is_baseline:
                issues.append(
                    Issue(
                        "requires-baseline",
                        f"requires the baseline '{r}', which is not funded; remove it",
                        f"options/{o.id}.yaml",
                        "requires",
                    )
                )
        clash = sorted((a, b) for a in closure for b in by_id[a].excludes if b in closure)
        if clash:
            blocked.setdefault(clash[0], []).append(o.id)
    for (a, b), ids in sorted(blocked.items()):
        issues.append(
            Issue(
                "unfundable",
                f"'{a}' excludes '{b}', but the chains of requires of {', '.join(sorted(ids))} "
                f"hold both, so none of them can be funded; drop a requires or this excludes",
                f"options/{a}.yaml",
                "excludes",
            )
        )


def _packages(
    root: Path,
    options: tuple[Option, ...],
    measures: list[str],
    criteria: tuple[Criterion, ...] | None,
    issues: list[Issue],
    digests: dict[str, str],
) -> tuple[tuple[Package, ...], tuple[Synergy, ...]]:
    """Packages and synergies; ``measures`` are every declared measure id (valid or not)."""
    path = root / "options" / "packages.yaml"
    if not path.is_file():
        return (), ()
    rel = "options/packages.yaml"
    data, found = read_yaml(path, rel, digests)
    issues += found
    ck = Checker(rel, issues)
    if (
        found
        or ck.mapping(data, "", "a mapping with 'packages:' and optional 'synergies:'") is None
    ):
        return (), ()
    ck.keys(data, "", ("packages", "synergies"), required=("packages",))
    by_id = {o.id: o for o in options}
    packages: list[Package] = []
    raw = data.get("packages") or []
    if not isinstance(raw, list):
        ck.add("wrong-type", "packages", "expected a list of packages")
        raw = []
    for i, p in enumerate(raw):
        where = f"packages[{i}]"
        if ck.mapping(p, where) is None:
            continue
        if isinstance(p.get("id"), str):
            where = f"packages.{p['id']}"
        before = len(issues)
        ck.keys(p, where, ("id", "title", "options", "summary"), required=("id", "options"))
        pid = ck.identifier(p.get("id"), f"{where}.id")
        if pid is not None and (pid in by_id or pid in [x.id for x in packages]):
            ck.add(
                "duplicate-id", f"{where}.id", f"id '{pid}' is already used by an option or package"
            )
        members = ck.id_list(p.get("options"), f"{where}.options", measures, "measure")
        if isinstance(p.get("options"), list) and not p["options"]:
            ck.add("empty-package", f"{where}.options", "a package needs at least one option")
        clashes = {
            tuple(sorted((a, b)))
            for a in members
            if a in by_id
            for b in by_id[a].excludes
            if b in members
        }
        for a, b in sorted(clashes):
            ck.add(
                "excluded-pair",
                f"{where}.options",
                f"'{a}' and '{b}' cannot be funded together (excludes), so a package cannot "
                "hold both: remove one",
            )
        for a in (m for m in members if m in by_id):
            for r in by_id[a].requires:
                if r not in members and r in measures:
                    ck.add(
                        "missing-required",
                        f"{where}.options",
                        f"'{a}' requires '{r}'; add '{r}' to the package",
                    )
        if len(issues) == before and pid is not None:
            packages.append(
                Package(
                    pid, str(p.get("title") or pid), tuple(members), str(p.get("summary") or "")
                )
            )
    synergies: list[Synergy] = []
    raw_syn = data.get("synergies") or []
    if not isinstance(raw_syn, list):
        ck.add("wrong-type", "synergies", "expected a list of synergies")
        raw_syn = []
    crit_ids = None if criteria is None else [c.id for c in criteria]
    for i, s in enumerate(raw_syn):
        where = f"synergies[{i}]"
        if ck.mapping(s, where) is None:
            continue
        before = len(issues)
        ck.keys(
            s, where, ("options", "adjust", "rationale", "source"), required=("options", "adjust")
        )
        members = ck.id_list(s.get("options"), f"{where}.options", measures, "measure")
        if len(members) < 2 and isinstance(s.get("options"), list):
            ck.add("short-synergy", f"{where}.options", "a synergy needs at least two options")
        adjust = {}
        if s.get("adjust") is not None and ck.mapping(s["adjust"], f"{where}.adjust") is not None:
            for cid, x in s["adjust"].items():
                if crit_ids is None or ck.ref(cid, f"{where}.adjust.{cid}", crit_ids, "criterion"):
                    v = ck.number(x, f"{where}.adjust.{cid}")
                    if v is not None:
                        adjust[cid] = v
        if len(issues) == before:
            synergies.append(
                Synergy(
                    tuple(members),
                    adjust,
                    str(s.get("rationale") or ""),
                    str(s.get("source") or ""),
                )
            )
    return tuple(packages), tuple(synergies)
