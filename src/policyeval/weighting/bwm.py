"""Best-worst method, linear model (Rezaei 2016), solved as an LP with PuLP."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

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
    from policyeval.lp import solve_lp

    # Variables (w_1..w_n, xi); minimize xi subject to |w_B - a_Bj w_j| <= xi and
    # |w_j - a_jW w_W| <= xi for every j, sum(w) = 1, w >= 0.
    n = len(items)
    index = {c: k for k, c in enumerate(items)}
    rows = []
    for c in items:
        for sign in (1.0, -1.0):
            row = np.zeros(n + 1)
            row[index[best]] += sign
            row[index[c]] -= sign * float(best_to_others.get(c, 1.0))
            row[n] = -1.0
            rows.append(row)
            row = np.zeros(n + 1)
            row[index[c]] += sign
            row[index[worst]] -= sign * float(others_to_worst.get(c, 1.0))
            row[n] = -1.0
            rows.append(row)
    a_eq = np.append(np.ones(n), 0.0)[None, :]
    x, _, _ = solve_lp(
        np.append(np.zeros(n), 1.0),
        a_ub=np.array(rows),
        b_ub=np.zeros(len(rows)),
        a_eq=a_eq,
        b_eq=[1.0],
    )
    w, xi = x[:n], x[n]
    weights = np.clip(w, 0.0, None)
    xi_star = max(float(xi), 0.0)
    ci = consistency_index(float(best_to_others[worst]))
    return BwmResult(weights / weights.sum(), xi_star, ci, xi_star / ci if ci else 0.0)
