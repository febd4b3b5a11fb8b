"""Weighted sum (additive value) and weighted product on MAVT values."""

from __future__ import annotations

import numpy as np

WPM_FLOOR = 1e-3


def wsm(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Additive value ``score_i = sum_j w_j v_ij`` (DESIGN.md, wsm).

    Parameters
    ----------
    values : ndarray, shape (..., n, m)
        MAVT values (``Problem.values``); sampled scores outside the problem's
        scale give values outside [0, 1], which is kept (the sum stays linear,
        so the ordering is still the additive-value ordering).
    weights : ndarray, shape (..., m)
        Normalized weights.

    Returns
    -------
    ndarray, shape (..., n)
        Higher is better.

    References
    ----------
    Keeney, R. L. & Raiffa, H. (1976). *Decisions with Multiple Objectives*. Wiley.

    Examples
    --------
    >>> wsm(np.array([[1.0, 0.0], [0.5, 1.0]]), np.array([0.6, 0.4])).tolist()
    [0.6, 0.7]
    """
    return np.einsum("...nm,...m->...n", values, weights)


def wpm(values: np.ndarray, weights: np.ndarray, floor: float = WPM_FLOOR) -> np.ndarray:
    """Weighted product ``score_i = prod_j max(v_ij, floor) ** w_j``.

    The floor (default ``1e-3``) keeps an option at the bottom of one scale
    (``v = 0``) from being zeroed whatever its other values: it is then
    penalized by the factor ``floor ** w_j`` instead. Values above 1 (sampled
    scores beyond the scale) are kept as they are.

    Parameters
    ----------
    values : ndarray, shape (..., n, m)
        MAVT values.
    weights : ndarray, shape (..., m)
        Normalized weights.
    floor : float
        Smallest value used in the product, in (0, 1).

    Returns
    -------
    ndarray, shape (..., n)
        In ``[floor, 1]`` for values in [0, 1]; higher is better.

    References
    ----------
    Bridgman, P. W. (1922). *Dimensional Analysis*; Miller, D. W. & Starr, M. K.
    (1969). *Executive Decisions and Operations Research*. Prentice-Hall.

    Examples
    --------
    >>> wpm(np.array([[1.0, 0.0], [0.25, 1.0]]), np.array([0.5, 0.5])).round(4).tolist()
    [0.0316, 0.5]
    """
    logs = np.log(np.maximum(values, floor))
    return np.exp(np.einsum("...nm,...m->...n", logs, weights))
