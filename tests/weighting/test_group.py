"""Group profiles: geometric/arithmetic aggregation; AHP judgements by AIJ (Aczél & Saaty 1983)."""

from __future__ import annotations

import numpy as np
import pytest

from policyeval.errors import WorkspaceError
from policyeval.weighting import compute_weights
from policyeval.weighting.ahp import ahp_weights
from policyeval.weighting.group import aggregate_judgements, aggregate_weights

CRITS = ["a", "b", "c"]


def test_geometric_aggregation_of_weights_by_hand():
    w = np.array([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
    g = np.sqrt(w[0] * w[1])
    np.testing.assert_allclose(aggregate_weights(w), g / g.sum())
    np.testing.assert_allclose(aggregate_weights(w, "arithmetic"), [0.35, 0.25, 0.4])
    with pytest.raises(ValueError, match="unknown aggregation 'median'"):
        aggregate_weights(w, "median")


def test_aij_geometric_mean_of_judgements_by_hand(make_ws, make_profile):
    # member 1: a/b = 3, a/c = 5, b/c = 2; member 2: a/b = 1/3, a/c = 5, b/c = 8
    # AIJ: a/b = sqrt(3 * 1/3) = 1, a/c = 5, b/c = sqrt(16) = 4
    m1 = make_profile("m1", "ahp", pairwise=[["a", "b", 3], ["a", "c", 5], ["b", "c", 2]])
    m2 = make_profile("m2", "ahp", pairwise=[["b", "a", 3], ["a", "c", 5], ["c", "b", 1 / 8]])
    grp = make_profile("panel", "group", members=["m1", "m2"])
    r = compute_weights(make_ws(CRITS, [grp, m1, m2]))
    by_hand = ahp_weights(np.array([[1, 1, 5], [1, 1, 4], [1 / 5, 1 / 4, 1]]))
    np.testing.assert_allclose(r.vector(CRITS), by_hand.weights, atol=1e-12)
    assert r.consistency_ratio == pytest.approx(by_hand.cr)
    assert r.details["aggregated"] == "judgements"
    mats = np.array(
        [
            [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]],
            [[1, 1 / 3, 5], [3, 1, 8], [1 / 5, 1 / 8, 1]],
        ]
    )
    np.testing.assert_allclose(aggregate_judgements(mats), [[1, 1, 5], [1, 1, 4], [0.2, 0.25, 1]])


def test_mixed_members_aggregate_final_weights(make_ws, make_profile):
    m1 = make_profile("m1", "points", points={"a": 5, "b": 3, "c": 2})
    m2 = make_profile("m2", "rank", ranking=["c", "b", "a"])
    roc = {"c": 11 / 18, "b": 5 / 18, "a": 2 / 18}
    for how in ("geometric", "arithmetic"):
        grp = make_profile("g", "group", members=["m1", "m2"], aggregation=how)
        r = compute_weights(make_ws(CRITS, [grp, m1, m2]))
        w = np.array([[0.5, 0.3, 0.2], [roc["a"], roc["b"], roc["c"]]])
        expected = np.sqrt(w[0] * w[1]) if how == "geometric" else w.mean(axis=0)
        np.testing.assert_allclose(r.vector(CRITS), expected / expected.sum())
        assert r.details["aggregated"] == "weights" and r.consistency_ratio is None


def test_group_passes_on_member_cr_warnings(make_ws, make_profile):
    bad = make_profile("bad", "ahp", pairwise=[["a", "b", 2], ["b", "c", 2], ["a", "c", 1 / 4]])
    ok = make_profile("ok", "points", points={"a": 1, "b": 1, "c": 1})
    grp = make_profile("panel", "group", members=["bad", "ok"])
    r = compute_weights(make_ws(CRITS, [grp, bad, ok]))
    assert len(r.warnings) == 1 and r.warnings[0].startswith("profile 'bad': AHP consistency")
    assert r.consistency_ratio == pytest.approx(
        compute_weights(make_ws(CRITS, [bad])).consistency_ratio
    )


def test_group_cycle_is_a_workspace_error(make_ws, make_profile):
    g1 = make_profile("g1", "group", members=["g2"])
    g2 = make_profile("g2", "group", members=["g1"])
    with pytest.raises(WorkspaceError, match=r"group profiles form a cycle: g1 -> g2 -> g1"):
        compute_weights(make_ws(CRITS, [g1, g2]))


def test_hierarchical_ahp_members_aggregate_node_by_node(make_ws, make_profile):
    crits = {"x1": "g", "x2": "g", "y": None}
    groups = {"g": None}
    m = [
        make_profile(
            f"m{i}",
            "ahp",
            local={"g": ("ahp", {"pairwise": [["x1", "x2", k_in]]})},
            pairwise=[["g", "y", k_top]],
        )
        for i, (k_top, k_in) in enumerate([(4, 2), (1, 8)])
    ]
    grp = make_profile("panel", "group", members=["m0", "m1"])
    r = compute_weights(make_ws(crits, [grp, *m], groups=groups))
    # top: g/y = sqrt(4 * 1) = 2 -> (2/3, 1/3); inside g: x1/x2 = sqrt(16) = 4 -> (4/5, 1/5)
    assert r.weights == pytest.approx({"x1": 2 / 3 * 0.8, "x2": 2 / 3 * 0.2, "y": 1 / 3})
    assert r.details["aggregated"] == "judgements"
