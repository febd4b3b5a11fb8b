"""Analytic hierarchy process: eigenvector weights and consistency ratio."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

#: Saaty's random consistency index RI by matrix size (DESIGN.md).
RANDOM_INDEX = {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}

#: CR above this is reported as inconsistent.
CR_THRESHOLD = 0.10


class AhpResult(NamedTuple):
    """Eigenvector weights (shape ``(n,)``), λmax, CI and CR of a judgement matrix."""

    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float


class Revision(NamedTuple):
    """The judgement ``a`` vs ``b`` whose revision most reduces CR."""

    a: str
    b: str
    current: float
    suggested: float
    cr_after: float


def random_index(n: int) -> float:
    """Saaty's RI for an ``n x n`` matrix (0 for ``n <= 2``).

    For ``n > 10`` the value for 10 (1.49) is used: Saaty's table stops there,
    and RI grows slowly beyond it, so CR is slightly overstated.

    Examples
    --------
    >>> random_index(4), random_index(2), random_index(12)
    (0.9, 0.0, 1.49)
    """
    return 0.0 if n <= 2 else RANDOM_INDEX[min(n, 10)]


def judgement_matrix(items: Sequence[str], pairwise: Iterable[Sequence]) -> np.ndarray:
    """Reciprocal judgement matrix from ``(a, b, k)``: "a is k times as important as b".

    Parameters
    ----------
    items : sequence of str
        Row/column order.
    pairwise : iterable of (str, str, float)
        One judgement per pair; the reciprocal ``1/k`` is filled in.

    Returns
    -------
    ndarray, shape (n, n)

    Raises
    ------
    ValueError
        When a pair is missing or k is not positive.

    Examples
    --------
    >>> judgement_matrix(["a", "b"], [("a", "b", 3)]).round(3).tolist()
    [[1.0, 3.0], [0.333, 1.0]]
    """
    index = {c: i for i, c in enumerate(items)}
    n = len(items)
    a = np.full((n, n), np.nan)
    np.fill_diagonal(a, 1.0)
    for x, y, k in pairwise:
        if not k > 0:
            raise ValueError(f"judgement {x} vs {y} must be positive; got {k}")
        i, j = index[x], index[y]
        a[i, j], a[j, i] = float(k), 1.0 / float(k)
    if np.isnan(a).any():
        i, j = np.argwhere(np.isnan(a))[0]
        raise ValueError(f"missing judgement between '{items[i]}' and '{items[j]}'")
    return a


def ahp_weights(matrix: np.ndarray) -> AhpResult:
    """Principal right eigenvector weights and Saaty's consistency ratio.

    ``CI = (λmax - n)/(n - 1)``, ``CR = CI/RI`` (:func:`random_index`);
    CR is 0 for ``n <= 2``.

    Parameters
    ----------
    matrix : ndarray, shape (n, n)
        Positive reciprocal judgement matrix.

    References
    ----------
    Saaty, T. L. (1977). A scaling method for priorities in hierarchical
    structures. *Journal of Mathematical Psychology*, 15(3), 234-281.
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.

    Examples
    --------
    >>> r = ahp_weights(np.array([[1, 2, 4], [1/2, 1, 2], [1/4, 1/2, 1]]))
    >>> r.weights.round(4).tolist(), round(r.lambda_max, 6), round(r.cr, 6)
    ([0.5714, 0.2857, 0.1429], 3.0, 0.0)
    """
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    values, vectors = np.linalg.eig(a)
    top = int(np.argmax(values.real))
    w = np.abs(vectors[:, top].real)
    w = w / w.sum()
    lam = float(values[top].real)
    ci = max((lam - n) / (n - 1), 0.0) if n > 2 else 0.0
    ri = random_index(n)
    return AhpResult(w, lam, ci, ci / ri if ri else 0.0)


def worst_judgement(matrix: np.ndarray, items: Sequence[str]) -> Revision:
    """The judgement whose revision to its indirect value most reduces CR.

    Each judgement ``a_ij`` in turn is replaced by the geometric mean of its
    indirect estimates ``a_ik a_kj`` over the other items ``k`` (kept in Saaty's
    1/9..9 range) and the CR recomputed; the pair with the lowest CR wins.

    Raises
    ------
    ValueError
        For fewer than three items (two items are always consistent).

    Examples
    --------
    >>> m = judgement_matrix(["a", "b", "c"], [("a", "b", 2), ("b", "c", 2), ("a", "c", 1/4)])
    >>> r = worst_judgement(m, ["a", "b", "c"])
    >>> round(ahp_weights(m).cr, 3), r.cr_after < ahp_weights(m).cr
    (0.79, True)
    """
    a = np.asarray(matrix, dtype=float)
    n = len(items)
    if n < 3:
        raise ValueError("a revision needs at least three items")
    logs = np.log(a)
    candidates = []
    for i, j in zip(*np.triu_indices(n, 1)):
        others = [k for k in range(n) if k not in (i, j)]
        k = float(np.clip(np.exp(np.mean(logs[i, others] + logs[others, j])), 1 / 9, 9))
        trial = a.copy()
        trial[i, j], trial[j, i] = k, 1 / k
        candidates.append(Revision(items[i], items[j], float(a[i, j]), k, ahp_weights(trial).cr))
    return min(candidates, key=lambda r: r.cr_after)
