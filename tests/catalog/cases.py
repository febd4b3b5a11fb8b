"""The catalog of broken workspaces, as data.

Each :class:`Case` is one problem put into a valid workspace: ``mutate`` edits
the workspace spec of ``tests/workspaces.py`` (a dict ``{relative path: content}``)
or, for the shipped case, the files of a copy of it. ``file`` and ``entry`` are
where the single resulting message must point, ``phrase`` a piece of its text
(usually the fix it suggests).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import yaml

C, W, A, B, S, P = (
    "criteria/criteria.yaml",
    "criteria/weights/even.yaml",
    "options/alpha.yaml",
    "options/beta.yaml",
    "options/status_quo.yaml",
    "options/packages.yaml",
)
ALLOC = "options/allocation.yaml"


class Case(NamedTuple):
    """One broken workspace: the edit, and where and how the message must name it."""

    name: str
    mutate: Callable[[Any], Any]
    file: str
    entry: str
    phrase: str


def crit(spec: dict, i: int) -> dict:
    """The i-th criterion of the spec."""
    return spec[C]["criteria"][i]


def drop(prefix: str) -> Callable[[dict], None]:
    """Remove every file under ``prefix`` from the spec."""

    def mutate(spec: dict) -> None:
        for rel in [r for r in spec if r.startswith(prefix)]:
            del spec[rel]

    return mutate


def ahp(*rows: list) -> Callable[[dict], None]:
    """Replace the profile by an AHP profile with these judgements."""
    return lambda s: s.update({W: {"method": "ahp", "pairwise": [list(r) for r in rows]}})


GOOD_PAIRS = (["benefit", "reach", 3], ["benefit", "cost", 2], ["reach", "cost", "1/2"])


def gamma(**extra: Any) -> Callable[[dict], None]:
    """Add a third measure ``gamma`` with the given keys."""
    return lambda s: s.update(
        {
            "options/gamma.yaml": {
                "id": "gamma",
                "title": "Gamma",
                "scores": {"benefit": 4, "reach": 4, "cost": 3},
                **extra,
            }
        }
    )


def both(*mutations: Callable[[dict], None]) -> Callable[[dict], None]:
    """Apply several edits in turn (one problem made of several changes)."""

    def mutate(spec: dict) -> None:
        for m in mutations:
            m(spec)

    return mutate


# fmt: off
CASES: list[Case] = [
    # --- ids: missing, unknown, duplicate, malformed
    Case("option without id", lambda s: s[A].pop("id"), A, "id", "add id: alpha"),
    Case("criterion without id", lambda s: crit(s, 1).pop("id"), C, "criteria[1].id",
         "is required"),
    Case("duplicate criterion", lambda s: s[C]["criteria"].append(dict(crit(s, 0))), C,
         "criteria.benefit.id", "ids must be unique"),
    Case("criterion with the id of a group", lambda s: crit(s, 1).update(id="impact"), C,
         "criteria.impact.id", "ids must be unique"),
    Case("duplicate group", lambda s: s[C]["groups"].append({"id": "impact"}), C,
         "groups[1].id", "used twice"),
    Case("duplicate option id", both(lambda s: s[B].update(id="alpha"), drop(P)), B, "id",
         "also used in options/alpha.yaml"),
    Case("option id not a valid id", lambda s: s[A].update(id="Alpha"), A, "id",
         "lower-case letters"),
    Case("option id differs from file name", lambda s: s[A].update(id="alfa"), A, "id",
         "must match the file name"),
    Case("weights file name not an id", lambda s: s.update(
        {"criteria/weights/Board Room.yaml": s[W]}), "criteria/weights/Board Room.yaml", "",
         "valid id"),
    Case("requires an unknown option", lambda s: s[B].update(requires=["alpah"]), B,
         "requires[0]", "Did you mean 'alpha'?"),
    Case("excludes an unknown option", lambda s: s[A].update(excludes=["gamma"]), A,
         "excludes[0]", "unknown option 'gamma'"),
    Case("requires itself", lambda s: s[B].update(requires=["alpha", "beta"]), B, "requires",
         "cannot list itself"),
    Case("requires listed twice", lambda s: s[B].update(requires=["alpha", "alpha"]), B,
         "requires[1]", "keep one"),
    Case("unknown group of a criterion", lambda s: crit(s, 0).update(group="impacts"), C,
         "criteria.benefit.group", "Did you mean 'impact'?"),
    Case("unknown default profile", lambda s: s[C].update(default_profile="evn"), C,
         "default_profile", "Did you mean 'even'?"),
    Case("unknown criterion in scores", lambda s: s[A]["scores"].update(benfit=3), A,
         "scores.benfit", "Did you mean 'benefit'?"),
    Case("unknown criterion in points", lambda s: s[W]["points"].update(reech=1), W,
         "points.reech", "Did you mean 'reach'?"),
    Case("unknown option in a package",
         lambda s: s[P]["packages"][0].update(options=["alpha", "beta", "delta"]), P,
         "packages.both.options[2]", "unknown measure 'delta'"),
    Case("unknown criterion in a synergy",
         lambda s: s[P]["synergies"][0].update(adjust={"reech": 1}), P,
         "synergies[0].adjust.reech", "Did you mean 'reach'?"),
    # --- unknown keys and likely typos
    Case("typo in an option key", lambda s: s[A].update(titel="x"), A, "titel",
         "Did you mean 'title'?"),
    Case("typo in a criterion key", lambda s: crit(s, 2).update(directon="min"), C,
         "criteria.cost.directon", "Did you mean 'direction'?"),
    Case("typo in a score key", lambda s: s[A]["scores"]["benefit"].update(hihg=9), A,
         "scores.benefit.hihg", "Did you mean 'high'?"),
    Case("typo in a profile key", lambda s: s[W].update(descripton="x"), W, "descripton",
         "Did you mean 'description'?"),
    Case("typo in a package key", lambda s: s[P]["packages"][0].update(sumary="x"), P,
         "packages.both.sumary", "Did you mean 'summary'?"),
    Case("typo in criteria.yaml top level", lambda s: s[C].update(titl="x"), C, "titl",
         "Did you mean 'title'?"),
    Case("key of another method", lambda s: s[W].update(pairwise=[["benefit", "reach", 2]]), W,
         "pairwise", "not used by method 'points'"),
    # --- missing scores and required entries
    Case("missing score", lambda s: s[A]["scores"].pop("reach"), A, "scores.reach",
         "every option scores every criterion"),
    Case("score without value", lambda s: s[A]["scores"].update(benefit={"low": 6, "high": 9}),
         A, "scores.benefit.value", "'value' is required"),
    Case("option without scores", lambda s: s[B].pop("scores"), B, "scores", "is required"),
    Case("profile without method", lambda s: s[W].pop("method"), W, "method", "is required"),
    Case("points profile without points", lambda s: s[W].pop("points"), W, "points",
         "needs 'points'"),
    # --- numbers: non-numeric, NaN, infinite, negative
    Case("non-numeric score", lambda s: s[A]["scores"].update(reach="high"), A, "scores.reach",
         "expected a number"),
    Case("non-numeric low", lambda s: s[A]["scores"]["benefit"].update(low="six"), A,
         "scores.benefit.low", "expected a number"),
    Case("boolean score", lambda s: s[A]["scores"].update(reach=True), A, "scores.reach",
         "expected a number"),
    Case("NaN score", lambda s: s[A]["scores"].update(reach=float("nan")), A, "scores.reach",
         "finite"),
    Case("infinite score", lambda s: s[A]["scores"].update(cost=float("inf")), A,
         "scores.cost", "finite"),
    Case("NaN high", lambda s: s[A]["scores"]["benefit"].update(high=float("nan")), A,
         "scores.benefit.high", "finite"),
    Case("infinite cost", lambda s: s[A].update(cost=float("-inf")), A, "cost", "finite"),
    Case("integer beyond the float range", lambda s: s[A].update(cost=10**400), A, "cost",
         "finite"),
    Case("non-numeric cost", lambda s: s[A].update(cost="ten"), A, "cost", "expected a number"),
    Case("negative cost", lambda s: s[A].update(cost=-5), A, "cost", "below the minimum 0"),
    Case("NaN points", lambda s: s[W]["points"].update(cost=float("nan")), W, "points.cost",
         "finite"),
    # --- ranges and scales
    Case("low above high", lambda s: s[A]["scores"]["benefit"].update(low=9.5, high=9), A,
         "scores.benefit", "expected low <= value <= high"),
    Case("value outside its range", lambda s: s[A]["scores"]["benefit"].update(value=5.5), A,
         "scores.benefit", "outside its range"),
    Case("value outside the scale", lambda s: s[A]["scores"].update(reach=11), A,
         "scores.reach", "widen the scale"),
    Case("negative value on a 0-10 scale", lambda s: s[B]["scores"].update(benefit=-1), B,
         "scores.benefit", "outside the scale [0, 10]"),
    Case("high outside the scale", lambda s: s[A]["scores"]["benefit"].update(high=10.5), A,
         "scores.benefit.high", "outside the scale"),
    Case("inverted scale", lambda s: crit(s, 0).update(scale=[10, 0]), C,
         "criteria.benefit.scale", "write the scale as [low, high]"),
    Case("empty scale", lambda s: crit(s, 0).update(scale=[5, 5]), C, "criteria.benefit.scale",
         "must be below high"),
    Case("scale of three numbers", lambda s: crit(s, 0).update(scale=[0, 5, 10]), C,
         "criteria.benefit.scale", "expected [low, high]"),
    Case("non-numeric scale end", lambda s: crit(s, 1).update(scale=[0, "ten"]), C,
         "criteria.reach.scale[1]", "expected a number"),
    # --- unknown choices
    Case("unknown direction", lambda s: crit(s, 2).update(direction="minimize"), C,
         "criteria.cost.direction", "Choices: max, min"),
    Case("unknown preference type", lambda s: crit(s, 0).update(preference={"type": "linaer"}),
         C, "criteria.benefit.preference.type", "Did you mean 'linear'?"),
    Case("preference q above p",
         lambda s: crit(s, 0).update(preference={"type": "linear", "q": 3, "p": 1}), C,
         "criteria.benefit.preference", "must not exceed p"),
    Case("negative preference threshold",
         lambda s: crit(s, 0).update(preference={"type": "vshape", "p": -1}), C,
         "criteria.benefit.preference.p", "below the minimum 0"),
    Case("unknown combine rule", lambda s: crit(s, 2).update(combine="summ"), C,
         "criteria.cost.combine", "Did you mean 'sum'?"),
    Case("unknown weighting method", lambda s: s[W].update(method="ahpp"), W, "method",
         "Did you mean 'ahp'?"),
    Case("unknown rank rule", lambda s: s.update({W: {
        "method": "rank", "rank_rule": "rocc", "ranking": ["benefit", "reach", "cost"]}}), W,
         "rank_rule", "Did you mean 'roc'?"),
    Case("unknown group aggregation", lambda s: s.update({
        "criteria/weights/panel.yaml": {"method": "group", "members": ["even"],
                                         "aggregation": "median"}}),
         "criteria/weights/panel.yaml", "aggregation", "Choices: geometric, arithmetic"),
    Case("unknown option kind", lambda s: s[A].update(kind="baselin"), A, "kind",
         "Did you mean 'baseline'?"),
    # --- weights
    Case("negative points", lambda s: s[W]["points"].update(benefit=-1), W, "points.benefit",
         "below the minimum 0"),
    Case("all-zero points", lambda s: s[W].update(points={"benefit": 0, "reach": 0, "cost": 0}),
         W, "points", "give at least one > 0"),
    Case("negative swing", lambda s: s.update({W: {"method": "swing", "swing": {
        "benefit": 100, "reach": -20, "cost": 50}}}), W, "swing.reach", "below the minimum 0"),
    Case("swing without a 100", lambda s: s.update({W: {"method": "swing", "swing": {
        "benefit": 80, "reach": 20, "cost": 50}}}), W, "swing", "must be rated 100"),
    Case("points miss a criterion", lambda s: s[W]["points"].pop("cost"), W, "points",
         "no entry for cost"),
    Case("negative bound", lambda s: s[W].update(bounds={"benefit": [-0.1, 0.5]}), W,
         "bounds.benefit[0]", "below the minimum 0"),
    Case("infeasible bounds", lambda s: s[W].update(bounds={
        "benefit": [0.6, 0.9], "reach": [0.6, 0.9]}), W, "bounds", "lows must sum to at most 1"),
    # --- AHP and BWM
    Case("AHP judgement above 9", ahp(["benefit", "reach", 12], *GOOD_PAIRS[1:]), W,
         "pairwise[0][2]", "above the maximum 9"),
    Case("AHP judgement below 1/9", ahp(["benefit", "reach", "1/10"], *GOOD_PAIRS[1:]), W,
         "pairwise[0][2]", "below the minimum"),
    Case("AHP judgement zero", ahp(["benefit", "reach", 0], *GOOD_PAIRS[1:]), W,
         "pairwise[0][2]", "below the minimum"),
    Case("AHP judgement not a number", ahp(["benefit", "reach", "three"], *GOOD_PAIRS[1:]), W,
         "pairwise[0][2]", "fraction like 1/3"),
    Case("AHP missing pair", ahp(*GOOD_PAIRS[:2]), W, "pairwise", "reach/cost"),
    Case("AHP criterion compared with itself", ahp(["cost", "cost", 1], *GOOD_PAIRS), W,
         "pairwise[0]", "compared with itself"),
    Case("AHP pair judged twice", ahp(*GOOD_PAIRS, ["reach", "benefit", 2]), W, "pairwise[3]",
         "judged twice"),
    Case("AHP row of two", ahp(["benefit", "reach"], *GOOD_PAIRS), W, "pairwise[0]",
         "expected [a, b, k]"),
    Case("BWM judgement above 9", lambda s: s.update({W: {
        "method": "bwm", "best": "benefit", "worst": "cost",
        "best_to_others": {"benefit": 1, "reach": 2, "cost": 12},
        "others_to_worst": {"benefit": 8, "reach": 4, "cost": 1}}}), W,
         "best_to_others.cost", "above the maximum 9"),
    # --- rankings of criteria
    Case("ranking repeats a criterion", lambda s: s.update({W: {
        "method": "rank", "ranking": ["benefit", ["reach", "benefit"], "cost"]}}), W,
         "ranking[1]", "appears twice"),
    Case("ranking misses a criterion", lambda s: s.update({W: {
        "method": "rank", "ranking": ["benefit", "cost"]}}), W, "ranking", "no entry for reach"),
    # --- group profiles
    Case("group profile refers to itself", lambda s: s.update({W: {
        "method": "group", "members": ["even"]}}), W, "members", "member of itself"),
    Case("group profile refers to a missing profile", lambda s: s.update({
        "criteria/weights/panel.yaml": {"method": "group", "members": ["even", "evn"]}}),
         "criteria/weights/panel.yaml", "members[1]", "Did you mean 'even'?"),
    Case("group profiles in a cycle", lambda s: s.update({
        "criteria/weights/g1.yaml": {"method": "group", "members": ["g2"]},
        "criteria/weights/g2.yaml": {"method": "group", "members": ["g1"]}}),
         "criteria/weights/g1.yaml", "members", "remove one member"),
    # --- baseline, requires, excludes
    Case("two baselines", lambda s: s.update({"options/do_nothing.yaml": {
        "id": "do_nothing", "title": "Do nothing", "kind": "baseline", "scores": s[S]["scores"]}}),
         S, "kind", "exactly one baseline"),
    Case("a funded baseline", lambda s: s[S].update(cost=3), S, "kind", "remove cost"),
    Case("requires and excludes the same option", lambda s: s[B].update(excludes=["alpha"]), B,
         "excludes", "keep one of the two"),
    Case("requires the baseline", lambda s: s[B].update(requires=["status_quo"]), B,
         "requires", "not funded"),
    Case("cycle of requires that cannot be funded", both(
        lambda s: s[A].update(requires=["gamma"]), gamma(requires=["beta"]),
        lambda s: s[B].update(excludes=["gamma"]), drop(P)),
         B, "excludes", "none of them can be funded"),
    Case("package holds an excluded pair", lambda s: s[B].update(requires=[], excludes=["alpha"]),
         P, "packages.both.options", "cannot hold both"),
    Case("package misses a required option",
         lambda s: s[P]["packages"][0].update(options=["beta"]), P, "packages.both.options",
         "add 'alpha' to the package"),
    # --- files
    Case("empty option file", lambda s: s.update({B: ""}), B, "", "the file is empty"),
    Case("criteria file of comments only", lambda s: s.update({C: "# nothing yet\n"}), C, "",
         "only comments"),
    Case("option file not UTF-8", lambda s: s.update({B: "title: caf\xe9\n".encode("latin-1")}),
         B, "", "save it as UTF-8"),
    Case("profile not UTF-8", lambda s: s.update({W: b"method: points\nname: \xff\xfe\n"}), W, "",
         "save it as UTF-8"),
    Case("tab-indented YAML", lambda s: s.update({B: "id: beta\nscores:\n\tbenefit: 1\n"}), B,
         "line 3", "needs spaces"),
    Case("YAML syntax error", lambda s: s.update({A: "id: alpha\ntitle: [unclosed\n"}), A,
         "line", "YAML syntax error"),
    Case("duplicate YAML key", lambda s: s.update({W: "method: points\nmethod: rank\n"}), W,
         "line 2", "keep one of them"),
    Case("criteria file is a list", lambda s: s.update({C: [crit(s, 0), crit(s, 1)]}), C, "",
         "expected a mapping"),
    Case("option file is a list", lambda s: s.update({A: [s[A]]}), A, "", "expected a mapping"),
    Case("profile is a number", lambda s: s.update({W: "3\n"}), W, "", "must be a mapping"),
    Case("criteria list is empty", lambda s: s[C].update(criteria=[]), C, "criteria",
         "non-empty list"),
    Case("packages is a mapping", lambda s: s[P].update(packages={"both": ["alpha"]}), P,
         "packages", "expected a list"),
    Case("missing criteria folder", drop("criteria/"), "criteria/", "", "is this a workspace?"),
    Case("missing options folder", drop("options/"), "options/", "", "is this a workspace?"),
    Case("missing criteria.yaml", drop(C), "criteria/", "", "create it"),
    Case("no weight profile", drop("criteria/weights/"), "criteria/weights/", "",
         "add criteria/weights/NAME.yaml"),
    Case("no option file", both(drop("options/"), lambda s: s.update({P: {"packages": []}})),
         "options/", "", "add options/ID.yaml"),
    Case("allocation file is empty", lambda s: s.update({ALLOC: ""}), ALLOC, "",
         "the file is empty"),
    Case("source without a title", lambda s: s[C].update(source={"authors": ["Doe"]}), C,
         "source.title", "'title' is required"),
    Case("source year not a year", lambda s: s[C].update(source={"title": "T", "year": "soon"}),
         C, "source.year", "expected a year"),
    Case("elicited profile without its source", lambda s: s[W].update(provenance="elicited"), W,
         "elicited_from", "says from whom"),
    Case("unknown provenance", lambda s: s[W].update(provenance="made up"), W, "provenance",
         "illustrative"),
    Case("cost criterion scored apart from the cost", both(
        lambda s: crit(s, 2).update(role="cost"),
        lambda s: s[A].update(cost=s[A]["scores"]["cost"] + 1)), A, "scores.cost",
        "must equal the option's cost"),
    Case("BWM best-over-worst given twice with different values", lambda s: s.update({W: {
        "method": "bwm", "best": "benefit", "worst": "cost",
        "best_to_others": {"benefit": 1, "reach": 2, "cost": 8},
        "others_to_worst": {"benefit": 3, "reach": 4, "cost": 1}}}), W,
        "others_to_worst.benefit", "set both to the one you mean"),
    Case("a measure without a cost while a budget is declared", both(
        lambda s: s.update({ALLOC: {"budget": 10, "targets": [], "channels": []}}),
        lambda s: s[A].pop("cost")), A, "cost", "add cost: AMOUNT"),
    Case("negative budget", lambda s: s.update({ALLOC: {"budget": -10, "targets": [],
                                                        "channels": []}}), ALLOC, "budget",
         "below the minimum 0"),
]
# fmt: on


# --- the shipped case (a copy in tmp_path; the originals are never touched)


def edit_yaml(rel: str, change: Callable[[Any], Any]) -> Callable[[Path], None]:
    """Load a YAML file of the copy, change it in place, write it back."""

    def mutate(root: Path) -> None:
        path = root / rel
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")

    return mutate


def write_text(rel: str, text: str) -> Callable[[Path], None]:
    """Write a file of the copy (its folder made if needed) with raw text."""

    def mutate(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")

    return mutate


A1 = "options/a1_root_cause_monitoring.yaml"
COUNTRIES = "criteria/countries.csv"
SHIPPED_CASES: list[Case] = [
    Case(
        "shipped: score outside the scale",
        edit_yaml(A1, lambda d: d["scores"]["root_causes"].update(high=12)),
        A1,
        "scores.root_causes.high",
        "outside the scale",
    ),
    Case(
        "shipped: typo in the method of the balanced profile",
        edit_yaml("criteria/weights/balanced.yaml", lambda d: d.update(method="pionts")),
        "criteria/weights/balanced.yaml",
        "method",
        "Did you mean 'points'?",
    ),
    Case(
        "shipped: group profile with a missing member",
        edit_yaml(
            "criteria/weights/expert_panel.yaml",
            lambda d: d.update(members=["analyst_a", "analyst_c"]),
        ),
        "criteria/weights/expert_panel.yaml",
        "members[1]",
        "unknown profile 'analyst_c'",
    ),
    Case(
        "shipped: negative cost",
        edit_yaml(A1, lambda d: d.update(cost=-10)),
        A1,
        "cost",
        "below the minimum 0",
    ),
    Case(
        "shipped: criteria.yaml is a list",
        edit_yaml("criteria/criteria.yaml", lambda d: d.update(criteria=d["criteria"][0])),
        "criteria/criteria.yaml",
        "criteria",
        "non-empty list",
    ),
    Case(
        "shipped: tab in the allocation model",
        write_text(ALLOC, "budget: 150\ntargets:\n\t- {id: kz, country: Kazakhstan}\n"),
        ALLOC,
        "line 3",
        "needs spaces",
    ),
    Case(
        "shipped: country figures not UTF-8",
        lambda root: (root / COUNTRIES).write_bytes(
            (root / COUNTRIES).read_bytes().decode().encode("utf-16")
        ),
        COUNTRIES,
        "",
        "save it as UTF-8",
    ),
    Case(
        "shipped: country figures without a header",
        lambda root: (root / COUNTRIES).write_text(
            "".join((root / COUNTRIES).read_text("utf-8").splitlines(True)[1:]), "utf-8"
        ),
        COUNTRIES,
        "line 1",
        "one of them 'country'",
    ),
    Case(
        "shipped: misspelt key in the allocation model",
        edit_yaml(ALLOC, lambda d: d.update(chanels=d.pop("channels"))),
        ALLOC,
        "chanels",
        "Did you mean 'channels'?",
    ),
    Case(
        "shipped: mean imputation of missing country figures",
        edit_yaml(ALLOC, lambda d: d["need"].update(missing="mean")),
        ALLOC,
        "need.missing",
        "missing: drop",
    ),
    Case(
        "shipped: a measure without a cost while a budget is declared",
        edit_yaml(A1, lambda d: d.pop("cost")),
        A1,
        "cost",
        "every measure needs a cost",
    ),
    Case(
        "shipped: template syntax error",
        write_text("reports/templates/memo.md.j2", "# {{ title }\n"),
        "reports/templates/memo.md.j2",
        "line 1",
        "template syntax error",
    ),
    Case(
        "shipped: negative budget in the allocation model",
        edit_yaml(ALLOC, lambda d: d.update(budget=-1)),
        ALLOC,
        "budget",
        "below the minimum 0",
    ),
]
