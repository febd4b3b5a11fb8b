"""VIKOR compromise ranking (Opricovic 1998; Opricovic & Tzeng 2004)."""

from __future__ import annotations

import numpy as np

_TOL = 1e-12


def _relative(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """``(x - min)/(max - min)`` along ``axis``; 0 everywhere where max == min."""
    lo = x.min(axis=axis, keepdims=True)
    span = x.max(axis=axis, keepdims=True) - lo
    return np.where(span > 0, (x - lo) / np.where(span > 0, span, 1.0), 0.0)


def vikor(
    scores: np.ndarray, maximize: np.ndarray, weights: np.ndarray, v: float = 0.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group utility S, individual regret R and compromise index Q.

    ``f*_j``/``f-_j`` are the best/worst raw scores by direction;
    ``S_i = sum_j w_j (f*_j - x_ij)/(f*_j - f-_j)``, ``R_i = max_j`` of the same
    terms, ``Q_i = v (S_i - S*)/(S- - S*) + (1 - v)(R_i - R*)/(R- - R*)``.
    Division by zero is avoided, not hidden: a criterion on which every option
    scores the same has term 0 for all (it separates nobody), and when every
    option has the same S (or R) the S (or R) part of Q is 0 for all, so Q is
    decided by the other part alone (Q = 0 for all if both are flat).

    Parameters
    ----------
    scores : ndarray, shape (..., n, m)
        Raw scores.
    maximize : ndarray of bool, shape (m,)
        Criterion directions.
    weights : ndarray, shape (..., m)
        Normalized weights.
    v : float
        Weight of the strategy of "the majority of criteria", in [0, 1].

    Returns
    -------
    S, R, Q : ndarray, shape (..., n)
        Lower is better for all three.

    References
    ----------
    Opricovic, S. & Tzeng, G.-H. (2004). Compromise solution by MCDM methods:
    a comparative analysis of VIKOR and TOPSIS. *EJOR* 156(2), 445-455.

    Examples
    --------
    >>> x = np.array([[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]])
    >>> S, R, Q = vikor(x, np.array([False, True]), np.array([0.5, 0.5]))
    >>> S.tolist(), R.tolist(), Q.tolist()
    ([0.5, 0.375, 0.5], [0.5, 0.25, 0.5], [1.0, 0.0, 1.0])
    """
    gap = _relative(np.where(maximize, -scores, scores), axis=-2)  # (f* - x)/(f* - f-)
    terms = weights[..., None, :] * gap
    S = terms.sum(axis=-1)
    R = terms.max(axis=-1)
    Q = v * _relative(S) + (1.0 - v) * _relative(R)
    return S, R, Q


def vikor_conditions(S: np.ndarray, R: np.ndarray, Q: np.ndarray) -> dict:
    """Acceptable advantage (C1), acceptable stability (C2), compromise set.

    With options sorted by Q (a1 first, ties in problem order):
    C1 holds when ``Q(a2) - Q(a1) >= DQ = 1/(n - 1)``; C2 holds when a1 is
    also best by S or by R. If both hold a1 is the compromise solution; if
    only C2 fails the compromise set is {a1, a2}; if C1 fails it is every
    option with ``Q - Q(a1) < DQ``. Comparisons allow 1e-12 of round-off.

    Parameters
    ----------
    S, R, Q : ndarray, shape (n,)
        Output of :func:`vikor` for one problem.

    Returns
    -------
    dict
        ``dq``, ``acceptable_advantage``, ``acceptable_stability`` (bool) and
        ``compromise_set`` (row indices, best Q first).

    Examples
    --------
    >>> c = vikor_conditions(np.array([0.5, 0.375, 0.5]), np.array([0.5, 0.25, 0.5]),
    ...                      np.array([1.0, 0.0, 1.0]))
    >>> c["acceptable_advantage"], c["acceptable_stability"], c["compromise_set"]
    (True, True, [1])
    """
    n = Q.shape[-1]
    order = np.argsort(Q, kind="stable")
    a1 = order[0]
    if n < 2:
        return {
            "dq": None,
            "acceptable_advantage": True,
            "acceptable_stability": True,
            "compromise_set": [int(a1)],
        }
    dq = 1.0 / (n - 1)
    advantage = bool(Q[order[1]] - Q[a1] >= dq - _TOL)
    stability = bool(S[a1] <= S.min() + _TOL or R[a1] <= R.min() + _TOL)
    if advantage and stability:
        chosen = order[:1]
    elif advantage:
        chosen = order[:2]
    else:
        chosen = order[Q[order] - Q[a1] < dq - _TOL]
    return {
        "dq": dq,
        "acceptable_advantage": advantage,
        "acceptable_stability": stability,
        "compromise_set": [int(i) for i in chosen],
    }
