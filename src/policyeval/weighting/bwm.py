"""Best-worst method, linear model (Rezaei 2016), solved as an LP with PuLP."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np


class BwmResult(NamedTuple):
    """Weights (shape ``(n,)``), optimal ξ, consistency index and ratio."""

    weights: np.ndarray
    xi: float
    ci: float
    cr: float


def consistency_index(a_bw: float) -> float:
    """Rezaei's (2015) consistency index for best-to-worst judgement ``a_BW``.

    The largest ξ possible for ``a_BW``: the root of
    ``ξ² - (1 + 2 a_BW) ξ + (a_BW² - a_BW) = 0``, which gives the published
    table (1: 0, 2: 0.44, 3: 1.00, ... 9: 5.23).

    Examples
    --------
    >>> [round(consistency_index(a), 2) for a in (1, 2, 3, 9)]
    [0.0, 0.44, 1.0, 5.23]
    """
    b = 1 + 2 * a_bw
    return float((b - np.sqrt(b * b - 4 * (a_bw * a_bw - a_bw))) / 2)


def bwm_weights(
    items: Sequence[str],
    best: str,
    worst: str,
    best_to_others: Mapping[str, float],
    others_to_worst: Mapping[str, float],
) -> BwmResult:
    """Linear best-worst method: minimize ξ subject to the judgements.

    ``min ξ`` s.t. ``|w_B - a_Bj w_j| <= ξ``, ``|w_j - a_jW w_W| <= ξ``,
    ``sum w = 1``, ``w >= 0``. The linear model has a unique solution
    (Rezaei 2016). The consistency ratio reported is ``ξ* / CI(a_BW)`` with
    Rezaei's (2015) consistency index (:func:`consistency_index`); ξ* here is
    the linear model's optimum, so the ratio is the 2015 measure applied to the
    linear model (0 when fully consistent, near 1 at worst).

    Parameters
    ----------
    items : sequence of str
        The items compared, in output order.
    best, worst : str
        The most and least important items.
    best_to_others : mapping of str to float
        ``a_Bj``: how much more important ``best`` is than each item (1..9).
    others_to_worst : mapping of str to float
        ``a_jW``: how much more important each item is than ``worst``.

    References
    ----------
    Rezaei, J. (2015). Best-worst multi-criteria decision-making method.
    *Omega*, 53, 49-57.
    Rezaei, J. (2016). Best-worst multi-criteria decision-making method: Some
    properties and a linear model. *Omega*, 64, 126-130.

    Examples
    --------
    >>> r = bwm_weights(["a", "b", "c"], "a", "c", {"a": 1, "b": 2, "c": 4},
    ...                 {"a": 4, "b": 2, "c": 1})
    >>> r.weights.round(4).tolist(), round(r.xi, 6)
    ([0.5714, 0.2857, 0.1429], 0.0)
    """
    import pulp

    prob = pulp.LpProblem("bwm", pulp.LpMinimize)
    w = {c: prob.add_variable(f"w_{c}", lowBound=0) for c in items}
    xi = prob.add_variable("xi", lowBound=0)
    prob += xi
    for c in items:
        b_gap = w[best] - float(best_to_others.get(c, 1.0)) * w[c]
        w_gap = w[c] - float(others_to_worst.get(c, 1.0)) * w[worst]
        prob += b_gap <= xi, f"best_over_{c}_hi"
        prob += -b_gap <= xi, f"best_over_{c}_lo"
        prob += w_gap <= xi, f"{c}_over_worst_hi"
        prob += -w_gap <= xi, f"{c}_over_worst_lo"
    prob += pulp.lpSum(w.values()) == 1, "weights_sum_to_one"
    status = prob.solve(_solver())
    if pulp.LpStatus[status] != "Optimal":
        raise RuntimeError(f"BWM linear program not solved: {pulp.LpStatus[status]}")
    weights = np.clip(np.array([w[c].value() for c in items], dtype=float), 0.0, None)
    xi_star = max(float(xi.value()), 0.0)
    ci = consistency_index(float(best_to_others[worst]))
    return BwmResult(weights / weights.sum(), xi_star, ci, xi_star / ci if ci else 0.0)


def _solver() -> Any:
    """CBC without the deprecated ``PULP_CBC_CMD``: a system CBC, else PuLP's bundled one."""
    import pulp
    from pulp.apis import coin_api

    solver = pulp.COIN_CMD(msg=False)
    if solver.available():
        return solver
    return pulp.COIN_CMD(msg=False, path=coin_api.pulp_cbc_path)
