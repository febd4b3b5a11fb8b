"""Hierarchical (value-tree) weights: product along the tree (Keeney & Raiffa 1976)."""

from __future__ import annotations

import pytest

from policyeval.errors import WorkspaceError
from policyeval.weighting import compute_weights
from policyeval.weighting.tree import tree_product

# criteria -> group; groups -> parent
CRITERIA = {
    "r1": "eff",
    "r2": "eff",
    "r3": "sub",
    "r4": "sub",
    "f1": "feas",
    "f2": "feas",
    "c": None,
}
GROUPS = {"eff": None, "sub": "eff", "feas": None}


def test_tree_product_by_hand():
    local = {None: {"g": 0.7, "c": 0.3}, "g": {"a": 0.4, "h": 0.6}, "h": {"b": 0.5, "d": 0.5}}
    assert tree_product(local) == pytest.approx({"a": 0.28, "b": 0.21, "d": 0.21, "c": 0.3})


def test_tree_product_rejects_a_cycle():
    with pytest.raises(ValueError, match="group 'g' contains itself"):
        tree_product({None: {"g": 1.0}, "g": {"h": 1.0}, "h": {"g": 1.0}})


def test_hierarchical_profile_by_hand(make_ws, make_profile):
    # top: eff 50, feas 30, c 20 (points); inside eff: r1 40, r2 20, sub 40 (points);
    # inside sub: ranking r3 > r4 (ROC: 3/4, 1/4); feas has no local entry: equal split.
    p = make_profile(
        "p",
        "points",
        local={
            "eff": ("points", {"points": {"r1": 40, "r2": 20, "sub": 40}}),
            "sub": ("rank", {"ranking": ["r3", "r4"]}),
        },
        points={"eff": 50, "feas": 30, "c": 20},
    )
    r = compute_weights(make_ws(CRITERIA, [p], groups=GROUPS))
    expected = {
        "r1": 0.5 * 0.4,
        "r2": 0.5 * 0.2,
        "r3": 0.5 * 0.4 * 0.75,
        "r4": 0.5 * 0.4 * 0.25,
        "f1": 0.3 * 0.5,
        "f2": 0.3 * 0.5,
        "c": 0.2,
    }
    assert r.weights == pytest.approx(expected)
    assert list(r.weights) == list(CRITERIA)
    notes = [n["note"] for n in r.details["nodes"] if "note" in n]
    assert notes == ["group 'feas' has no local weights; its weight is split equally"]


def test_flat_spec_over_all_leaves_of_a_tree(make_ws, make_profile):
    pts = dict.fromkeys(CRITERIA, 1)
    r = compute_weights(make_ws(CRITERIA, [make_profile("p", "points", points=pts)], groups=GROUPS))
    assert r.weights == pytest.approx(dict.fromkeys(CRITERIA, 1 / 7))


def test_ahp_group_node_warns_with_profile_and_group(make_ws, make_profile):
    inconsistent = [["f1", "f2", 3]]  # two items: always consistent
    eff = [["r1", "r2", 2], ["r2", "sub", 2], ["r1", "sub", 1 / 4]]  # a cycle: CR 0.79
    p = make_profile(
        "analyst_b",
        "ahp",
        local={"eff": ("ahp", {"pairwise": eff}), "feas": ("ahp", {"pairwise": inconsistent})},
        pairwise=[["eff", "feas", 2], ["eff", "c", 4], ["feas", "c", 2]],
    )
    r = compute_weights(make_ws(CRITERIA, [p], groups=GROUPS))
    assert r.warnings == (
        "profile 'analyst_b' (group eff): AHP consistency ratio 0.79 is above 0.10; "
        "revise the judgements",
    )
    assert r.consistency_ratio == pytest.approx(
        max(n.get("consistency_ratio", 0) for n in r.details["nodes"])
    )
    assert r.consistency_ratio > 0.7
    eff_node = next(n for n in r.details["nodes"] if n["node"] == "eff")
    assert set(eff_node["revision"]) == {"a", "b", "current", "suggested", "cr_after"}


def test_spec_naming_neither_children_nor_leaves_is_an_error(make_ws, make_profile):
    p = make_profile("p", "points", points={"eff": 1, "c": 1})
    with pytest.raises(WorkspaceError, match=r"p\.yaml: points: names \['c', 'eff'\]"):
        compute_weights(make_ws(CRITERIA, [p], groups=GROUPS))
