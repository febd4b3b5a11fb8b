"""Best-worst method, linear model (Rezaei 2016), against an independent scipy LP."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyeval.weighting import compute_weights
from policyeval.weighting.bwm import bwm_weights, consistency_index


def linprog_bwm(a_b: np.ndarray, a_w: np.ndarray, best: int, worst: int):
    """Rezaei (2016) linear model written independently for scipy.optimize.linprog."""
    from scipy.optimize import linprog

    n = len(a_b)
    rows = []
    for j in range(n):
        for coef_b, coef_j, coef_w in ((1, -a_b[j], 0), (0, 1, -a_w[j])):
            r = np.zeros(n + 1)
            r[best] += coef_b
            r[j] += coef_j
            r[worst] += coef_w
            for sign in (1, -1):
                row = sign * r
                row[n] = -1  # ... - xi <= 0
                rows.append(row)
    c = np.zeros(n + 1)
    c[n] = 1
    res = linprog(
        c,
        A_ub=np.array(rows),
        b_ub=np.zeros(len(rows)),
        A_eq=np.r_[np.ones(n), 0][None],
        b_eq=[1],
        bounds=[(0, None)] * (n + 1),
        method="highs",
    )
    return res.x[:n], res.x[n]


# Rezaei (2015), section 4 example: buying a car; criteria quality, price, comfort,
# safety, style; best = price, worst = style.
ITEMS = ["quality", "price", "comfort", "safety", "style"]
A_B = {"quality": 2, "price": 1, "comfort": 4, "safety": 2, "style": 8}
A_W = {"quality": 4, "price": 8, "comfort": 4, "safety": 4, "style": 1}


def test_consistency_index_rezaei_2015_table():
    table = {1: 0.00, 2: 0.44, 3: 1.00, 4: 1.63, 5: 2.30, 6: 3.00, 7: 3.73, 8: 4.47, 9: 5.23}
    assert {a: round(consistency_index(a), 2) for a in table} == table


def test_bwm_rezaei_car_example_against_scipy_linprog():
    r = bwm_weights(ITEMS, "price", "style", A_B, A_W)
    w, xi = linprog_bwm(
        np.array([A_B[c] for c in ITEMS], float), np.array([A_W[c] for c in ITEMS], float), 1, 4
    )
    np.testing.assert_allclose(r.weights, w, atol=1e-6)
    assert r.xi == pytest.approx(xi, abs=1e-6)
    assert r.cr == pytest.approx(r.xi / consistency_index(8))
    # the best criterion gets the largest weight and the worst the smallest
    assert r.weights.argmax() == 1 and r.weights.argmin() == 4


def test_bwm_rezaei_2016_linear_model_car_example():
    # Rezaei (2016), Omega 64, section 4: the linear model on the 2015 car example gives
    # w = (0.2254, 0.3944, 0.1127, 0.2254, 0.0423) and xi^L = 0.0563 (i.e. 16, 28, 8, 16, 3 / 71).
    r = bwm_weights(ITEMS, "price", "style", A_B, A_W)
    assert r.weights == pytest.approx([0.2254, 0.3944, 0.1127, 0.2254, 0.0423], abs=1e-4)
    assert r.xi == pytest.approx(0.0563, abs=1e-4)


def test_bwm_fully_consistent_judgements_give_exact_weights():
    w = {"a": 0.6, "b": 0.3, "c": 0.1}
    r = bwm_weights(
        list(w), "a", "c", {k: 0.6 / v for k, v in w.items()}, {k: v / 0.1 for k, v in w.items()}
    )
    np.testing.assert_allclose(r.weights, list(w.values()), atol=1e-7)
    assert r.xi == pytest.approx(0, abs=1e-7) and r.cr == pytest.approx(0, abs=1e-6)


def test_bwm_profile_reports_xi_and_consistency_ratio(make_ws, make_profile):
    p = make_profile(
        "p", "bwm", best="price", worst="style", best_to_others=A_B, others_to_worst=A_W
    )
    r = compute_weights(make_ws(ITEMS, [p]))
    node = r.details["nodes"][0]
    assert r.consistency_ratio == pytest.approx(node["xi"] / consistency_index(8))
    assert sum(r.weights.values()) == pytest.approx(1)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=4, max_size=4), st.integers(2, 9))
def test_bwm_matches_linprog_on_random_judgements(others, a_bw):
    items = ["b", "x", "y", "w"]
    a_b = {"b": 1, "x": others[0], "y": others[1], "w": a_bw}
    a_w = {"b": a_bw, "x": others[2], "y": others[3], "w": 1}
    r = bwm_weights(items, "b", "w", a_b, a_w)
    w, xi = linprog_bwm(
        np.array(list(a_b.values()), float), np.array(list(a_w.values()), float), 0, 3
    )
    assert r.xi == pytest.approx(xi, abs=1e-6)
    assert np.all(r.weights >= 0) and r.weights.sum() == pytest.approx(1)
