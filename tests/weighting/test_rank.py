"""Rank-based weights: ROC (Barron & Barrett 1996), rank sum, reciprocal; ties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyeval.weighting import compute_weights
from policyeval.weighting.rank import rank_weights, slot_weights


def test_roc_barron_barrett_1996_table_n4():
    # Barron & Barrett (1996), Table 1, n = 4
    assert slot_weights(4, "roc") == pytest.approx([0.5208, 0.2708, 0.1458, 0.0625], abs=5e-5)


def test_rank_sum_and_reciprocal_by_hand():
    # rank sum: (n - k + 1) / (n(n+1)/2); reciprocal: (1/k) / sum(1/i)
    assert slot_weights(4, "rank_sum") == pytest.approx([0.4, 0.3, 0.2, 0.1])
    h = 1 + 1 / 2 + 1 / 3
    assert slot_weights(3, "reciprocal") == pytest.approx([1 / h, 0.5 / h, (1 / 3) / h])


def test_roc_tie_takes_mean_of_its_slots_by_hand():
    # n = 4, b and c tied in slots 2 and 3:
    # ROC slots: w1 = (1 + 1/2 + 1/3 + 1/4)/4, w2 = (1/2 + 1/3 + 1/4)/4,
    #            w3 = (1/3 + 1/4)/4, w4 = 1/16
    w1, w2, w3, w4 = 25 / 48, 13 / 48, 7 / 48, 1 / 16
    w = rank_weights(["a", ["b", "c"], "d"])
    assert w == pytest.approx({"a": w1, "b": (w2 + w3) / 2, "c": (w2 + w3) / 2, "d": w4})


def test_unknown_rule_is_rejected():
    with pytest.raises(ValueError, match="unknown rank rule 'rocc'"):
        slot_weights(3, "rocc")


def test_rank_rule_from_profile(make_ws, make_profile):
    p = make_profile("p", "rank", ranking=["b", "a", "c"], rank_rule="rank_sum")
    r = compute_weights(make_ws(["a", "b", "c"], [p]))
    assert r.weights == pytest.approx({"a": 2 / 6, "b": 3 / 6, "c": 1 / 6})
    assert list(r.weights) == ["a", "b", "c"]


@given(
    st.lists(st.integers(1, 3), min_size=1, max_size=6),
    st.sampled_from(["roc", "rank_sum", "reciprocal"]),
)
def test_rank_weights_sum_to_one_and_decrease(tier_sizes, rule):
    ids = iter(f"c{i}" for i in range(100))
    ranking = [[next(ids) for _ in range(s)] for s in tier_sizes]
    w = rank_weights(ranking, rule)
    assert sum(w.values()) == pytest.approx(1)
    tiers = [w[t[0]] for t in ranking]
    assert all(x >= y - 1e-12 for x, y in zip(tiers, tiers[1:]))
    assert all(w[c] == w[t[0]] for t in ranking for c in t)
