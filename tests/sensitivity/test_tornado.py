"""Tornado data and chart (sensitivity/tornado.py), checked by hand."""

from __future__ import annotations

import numpy as np

from policyeval.model.problem import make_problem
from policyeval.sensitivity.tornado import tornado, tornado_svg


def problem():
    return make_problem(
        ["a", "b"],
        ["x", "y"],
        np.array([[1.0, 0.0], [0.0, 1.0]]),
        [True, True],
        low=np.array([[0.5, 0.0], [0.0, 1.0]]),
        declared=[(0, 1), (0, 1)],
    )


def test_hand_computed_leads_sorted_by_swing() -> None:
    """w = (0.6, 0.4): lead of a = 0.6 - 0.4 = 0.2. a.x at 0.5: 0.3 - 0.4 = -0.1.
    w_x * 0.8 -> (0.48, 0.40) / 0.88: lead 0.08 / 0.88; w_x * 1.2 -> 0.32 / 1.12.
    w_y * 0.8 -> (0.60, 0.32) / 0.92: 0.28 / 0.92; w_y * 1.2 -> 0.12 / 1.08."""
    t = tornado(problem(), np.array([0.6, 0.4]), spread=0.2)
    assert t.top == "a" and abs(t.base_lead - 0.2) < 1e-12
    rows = {r["factor"]: r for r in t.rows}
    assert [r["factor"] for r in t.rows] == ["score a.x", "weight x", "weight y"]
    expect = {
        "score a.x": (-0.1, 0.2),
        "weight x": (0.08 / 0.88, 0.32 / 1.12),
        "weight y": (0.28 / 0.92, 0.12 / 1.08),
    }
    for f, (lo, hi) in expect.items():
        assert np.isclose(rows[f]["lead_low"], lo) and np.isclose(rows[f]["lead_high"], hi)
        assert np.isclose(rows[f]["swing"], abs(hi - lo))
    assert rows["score a.x"]["low"] == 0.5 and rows["score a.x"]["option"] == "a"
    assert np.isclose(rows["weight x"]["low"], 0.48 / 0.88)
    assert t.to_dict()["rows"][0]["factor"] == "score a.x"


def test_svg_is_deterministic_and_labelled() -> None:
    t = tornado(problem(), np.array([0.6, 0.4]))
    svg = tornado_svg(t)
    assert svg == tornado_svg(t)
    assert svg.startswith("<?xml") and "<svg" in svg and "score on x" in svg
    assert "dc:date" not in svg


def test_svg_uses_readable_labels() -> None:
    t = tornado(problem(), np.array([0.6, 0.4]))
    labels = {"a": "Option A", "b": "Option B", "x": "Reach", "y": "Cost"}
    svg = tornado_svg(t, labels=labels)
    assert svg == tornado_svg(t, labels=labels)
    assert "Lead of Option A" in svg and "Its score on Reach" in svg and "Weight of Cost" in svg
    assert "a.x" not in svg and "weight y" not in svg
