"""AHP eigenvector weights and consistency (Saaty 1977, 1980), cross-checked with pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyeval.weighting.ahp import (
    ahp_weights,
    judgement_matrix,
    random_index,
    worst_judgement,
)

# Saaty (1977), J. Math. Psych. 15, 234-281: relative brightness of four chairs
# placed at increasing distances from a light source (the optics experiment).
SAATY_1977_OPTICS = np.array(
    [
        [1, 5, 6, 7],
        [1 / 5, 1, 4, 6],
        [1 / 6, 1 / 4, 1, 4],
        [1 / 7, 1 / 6, 1 / 4, 1],
    ]
)


def test_ahp_saaty_1977_optics_example():
    # Published: eigenvector (0.61, 0.24, 0.10, 0.05) to two decimals, lambda_max = 4.39
    r = ahp_weights(SAATY_1977_OPTICS)
    assert r.weights == pytest.approx([0.61, 0.24, 0.10, 0.05], abs=0.01)
    assert r.lambda_max == pytest.approx(4.39, abs=0.005)
    assert r.ci == pytest.approx((r.lambda_max - 4) / 3)
    assert r.cr == pytest.approx(r.ci / 0.90)


def test_ahp_matches_pymcdm_to_1e6():
    from pymcdm.weights.subjective import AHP

    ref = AHP(matrix=SAATY_1977_OPTICS)
    r = ahp_weights(SAATY_1977_OPTICS)
    np.testing.assert_allclose(r.weights, ref(), atol=1e-6)
    # pymcdm's CR uses Tummala & Ling's RI (0.8921 for n = 4): recover lambda_max from it
    lam = ref.get_cr() * AHP.RI_M[3] * 3 + 4
    assert r.lambda_max == pytest.approx(lam, abs=1e-6)


def test_consistent_matrix_has_cr_zero_and_exact_weights():
    w = np.array([0.5, 0.3, 0.15, 0.05])
    r = ahp_weights(w[:, None] / w[None, :])
    np.testing.assert_allclose(r.weights, w, atol=1e-12)
    assert r.lambda_max == pytest.approx(4)
    assert r.cr == pytest.approx(0, abs=1e-12)


def test_random_index_saaty_table_and_limits():
    assert [random_index(n) for n in range(1, 11)] == [
        0.0,
        0.0,
        0.58,
        0.90,
        1.12,
        1.24,
        1.32,
        1.41,
        1.45,
        1.49,
    ]
    assert random_index(15) == 1.49


def test_judgement_matrix_fills_reciprocals():
    m = judgement_matrix(["a", "b", "c"], [("a", "b", 3), ("c", "a", 2), ("b", "c", 1 / 3)])
    expected = np.array([[1, 3, 1 / 2], [1 / 3, 1, 1 / 3], [2, 3, 1]])
    np.testing.assert_allclose(m, expected)


def test_judgement_matrix_missing_pair_and_bad_value():
    with pytest.raises(ValueError, match="missing judgement between 'a' and 'c'"):
        judgement_matrix(["a", "b", "c"], [("a", "b", 3), ("b", "c", 2)])
    with pytest.raises(ValueError, match="must be positive"):
        judgement_matrix(["a", "b"], [("a", "b", 0)])


def test_worst_judgement_finds_the_perturbed_pair():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    m = w[:, None] / w[None, :]
    m[1, 3], m[3, 1] = 1 / 5, 5  # b vs d should be 3, written as 1/5
    items = ["a", "b", "c", "d"]
    rev = worst_judgement(m, items)
    assert (rev.a, rev.b) == ("b", "d")
    assert rev.current == pytest.approx(1 / 5)
    assert rev.suggested == pytest.approx(3)  # via a: 0.75 * 4; via c: 1.5 * 2
    assert rev.cr_after == pytest.approx(0, abs=1e-9)


def test_worst_judgement_needs_three_items():
    with pytest.raises(ValueError, match="at least three items"):
        worst_judgement(np.ones((2, 2)), ["a", "b"])


@given(st.lists(st.sampled_from([1 / 9, 1 / 5, 1 / 3, 1, 2, 3, 5, 9]), min_size=6, max_size=6))
def test_ahp_weights_positive_and_sum_to_one(ks):
    items = ["a", "b", "c", "d"]
    pairs = [(items[i], items[j]) for i in range(4) for j in range(i + 1, 4)]
    r = ahp_weights(judgement_matrix(items, [(a, b, k) for (a, b), k in zip(pairs, ks)]))
    assert np.all(r.weights > 0) and r.weights.sum() == pytest.approx(1)
    assert r.lambda_max >= 4 - 1e-9 and r.cr >= 0
