"""Points and SWING weights (direct rating; von Winterfeldt & Edwards 1986)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyeval.errors import WorkspaceError
from policyeval.weighting import compute_weights
from policyeval.weighting.direct import normalize, points_weights, swing_weights

positive = st.lists(st.floats(0.01, 1000), min_size=1, max_size=8)


def test_points_are_normalized_by_hand():
    assert points_weights({"a": 30, "b": 20, "c": 50}) == pytest.approx(
        {"a": 0.3, "b": 0.2, "c": 0.5}
    )


def test_swing_von_winterfeldt_edwards_ratings_over_their_sum():
    # SWING: best swing = 100, others rated against it; w = r / sum(r)
    w = swing_weights({"a": 100, "b": 80, "c": 20})
    assert w == pytest.approx({"a": 0.5, "b": 0.4, "c": 0.1})


@given(positive, st.floats(0.001, 1e4))
def test_scaling_points_and_swing_changes_nothing(values, factor):
    d = {f"c{i}": v for i, v in enumerate(values)}
    scaled = {k: v * factor for k, v in d.items()}
    for f in (points_weights, swing_weights):
        w = f(d)
        assert f(scaled) == pytest.approx(w)
        assert min(w.values()) >= 0 and sum(w.values()) == pytest.approx(1)


def test_normalize_rejects_all_zero_and_negative():
    with pytest.raises(ValueError, match="all values are zero"):
        normalize(np.zeros(3))
    with pytest.raises(ValueError, match="non-negative"):
        normalize(np.array([1.0, -1.0]))


def test_points_whose_total_overflows_are_still_shares():
    """Attack report R31: a points total over 1.8e308 was reported as "all zero"."""
    with np.errstate(all="raise"):
        assert points_weights({"a": 1.5e308, "b": 1.5e308, "c": 0.0}) == {
            "a": 0.5,
            "b": 0.5,
            "c": 0.0,
        }


def test_all_zero_points_is_a_workspace_error(make_ws, make_profile):
    ws = make_ws(["a", "b"], [make_profile("p", "points", points={"a": 0, "b": 0})])
    with pytest.raises(WorkspaceError, match=r"criteria/weights/p\.yaml: points: all values"):
        compute_weights(ws)
