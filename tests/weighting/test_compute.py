"""compute_weights / Weights: the DESIGN.md weights contract and shared properties."""

from __future__ import annotations

import copy
import dataclasses
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyeval.errors import WorkspaceError
from policyeval.model import Weights
from policyeval.weighting import compute_all_weights, compute_weights

CRITS = ["a", "b", "c", "d"]
SCORES = {
    "o1": {"a": 1, "b": 9, "c": 4, "d": 2},
    "o2": {"a": 5, "b": 2, "c": 4, "d": 7},
    "o3": {"a": 3, "b": 6, "c": 1, "d": 3},
}


def _scale(ratio: float) -> float:
    """A ratio as a judgement on the 1..9 scale."""
    return float(np.clip(round(ratio), 1, 9))


def all_profiles(make_profile, values):
    """One profile per method, judgements derived from ``values`` (4 positive numbers)."""
    pts = dict(zip(CRITS, values))
    order = sorted(CRITS, key=lambda c: -pts[c])
    pair = [
        [x, y, float(np.clip(pts[x] / pts[y], 1 / 9, 9))]
        for i, x in enumerate(CRITS)
        for y in CRITS[i + 1 :]
    ]
    best, worst = order[0], order[-1]
    return [
        make_profile("pts", "points", points=pts),
        make_profile("sw", "swing", swing=pts),
        make_profile(
            "rk", "rank", ranking=[order[0], order[1:3], order[3]], rank_rule="reciprocal"
        ),
        make_profile("ahp", "ahp", pairwise=pair),
        make_profile(
            "bwm",
            "bwm",
            best=best,
            worst=worst,
            best_to_others={c: _scale(pts[best] / pts[c]) for c in CRITS},
            others_to_worst={c: _scale(pts[c] / pts[worst]) for c in CRITS},
        ),
        make_profile("ent", "entropy"),
        make_profile("cri", "critic"),
        make_profile("grp", "group", members=["pts", "rk", "ahp"]),
    ]


def test_to_dict_has_the_design_json_shape(make_ws, make_profile):
    ws = make_ws(CRITS, all_profiles(make_profile, [4, 3, 2, 1]), scores=SCORES)
    for pid, r in compute_all_weights(ws).items():
        d = r.to_dict()
        assert {"profile", "method", "weights", "consistency_ratio", "warnings"} <= set(d)
        assert d["profile"] == pid and list(d["weights"]) == CRITS
        assert isinstance(d["warnings"], list)
        json.dumps(d)  # plain data all the way down
    assert compute_weights(ws, "ahp").consistency_ratio == pytest.approx(0, abs=1e-9)
    assert compute_weights(ws, "pts").consistency_ratio is None


def test_vector_follows_the_given_order(make_ws, make_profile):
    ws = make_ws(CRITS, [make_profile("p", "points", points={"a": 1, "b": 2, "c": 3, "d": 4})])
    r = compute_weights(ws)
    np.testing.assert_allclose(r.vector(["d", "a"]), [0.4, 0.1])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.method = "x"  # type: ignore[misc]
    assert isinstance(r, Weights)


def test_unknown_profile_is_a_workspace_error(make_ws, make_profile):
    ws = make_ws(CRITS, [make_profile("balanced", "points", points=dict.fromkeys(CRITS, 1))])
    with pytest.raises(WorkspaceError, match="unknown profile 'balanced_x'"):
        compute_weights(ws, "balanced_x")


def test_inputs_are_not_mutated(make_ws, make_profile):
    ws = make_ws(CRITS, all_profiles(make_profile, [5, 1, 3, 2]), scores=SCORES)
    before = copy.deepcopy(ws.profiles)
    compute_all_weights(ws)
    assert ws.profiles == before


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.floats(0.5, 100), min_size=4, max_size=4), st.floats(0.01, 100))
def test_every_method_non_negative_sums_to_one_and_scale_free(make_ws, make_profile, values, k):
    ws = make_ws(CRITS, all_profiles(make_profile, values), scores=SCORES)
    scaled = make_ws(CRITS, all_profiles(make_profile, [v * k for v in values]), scores=SCORES)
    for pid, r in compute_all_weights(ws).items():
        w = r.vector(CRITS)
        assert np.all(w >= 0) and w.sum() == pytest.approx(1), pid
    for pid in ("pts", "sw"):
        np.testing.assert_allclose(
            compute_weights(scaled, pid).vector(CRITS), compute_weights(ws, pid).vector(CRITS)
        )


def test_unknown_method_and_group_inside_a_group_are_workspace_errors(make_ws, make_profile):
    ws = make_ws(CRITS, [make_profile("p", "foo")])
    with pytest.raises(WorkspaceError, match=r"p\.yaml: method: unknown method 'foo'"):
        compute_weights(ws)
    inner = make_profile("q", "group", members=["p"])
    p = make_profile("p", "points", local={"g": inner}, points={"g": 1, "c": 1, "d": 1})
    ws = make_ws({"a": "g", "b": "g", "c": None, "d": None}, [p], groups={"g": None})
    with pytest.raises(WorkspaceError, match="local.g.method: a group profile cannot weigh"):
        compute_weights(ws)


def test_group_parent_cycle_is_a_workspace_error(make_ws, make_profile):
    p = make_profile("p", "points", points={"g1": 1, "c": 1})
    ws = make_ws({"a": "g1", "b": "g2", "c": None}, [p], groups={"g1": None, "g2": "g2"})
    with pytest.raises(WorkspaceError, match=r"criteria \['b'\] are not under the top level"):
        compute_weights(ws)
