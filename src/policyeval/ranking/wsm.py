"""Weighted sum (additive value) and weighted product on MAVT values."""

from __future__ import annotations

import numpy as np

from policyeval.ranking.blocks import row_blocks

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
    return (values @ weights[..., None])[..., 0]


def wsm_scores(
    scores: np.ndarray,
    maximize: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """:func:`wsm` of the MAVT values of raw ``scores``, without the value matrix.

    The value function is ``v_ij = (x_ij - base_j) / d_j`` with base ``lo`` and
    ``d = hi - lo`` for ``max``, base ``hi`` and ``d = lo - hi`` for ``min`` (the same
    floats as :func:`~policyeval.model.problem.value_matrix`), and ``v = 1`` on an empty
    scale (``d = inf`` gives 0 there; the weight is added as is). Taken a block of
    options at a time (:mod:`policyeval.ranking.blocks`): a subtraction and a division
    in the CPU cache and one matrix-vector product per block, no full-size temporary.

    Parameters
    ----------
    scores : ndarray, shape (..., n, m)
        Raw scores.
    maximize : ndarray of bool, shape (m,)
        Criterion directions.
    lo, hi : ndarray, shape (m,)
        The scale of each criterion.
    weights : ndarray, shape (..., m)
        Normalized weights.

    Returns
    -------
    ndarray, shape (..., n)

    Examples
    --------
    >>> x = np.array([[0.0, 5.0], [10.0, 0.0]])
    >>> wsm_scores(x, np.array([True, False]), np.zeros(2), np.array([10.0, 5.0]),
    ...            np.array([0.6, 0.4])).tolist()
    [0.0, 1.0]
    """
    span = hi - lo
    empty = span <= 0
    base = np.where(maximize, lo, hi)
    d = np.where(empty, np.inf, np.where(maximize, span, -span))
    w = weights[..., None]
    offset = (weights * empty).sum(axis=-1, keepdims=True)
    lead = np.broadcast_shapes(scores.shape[:-2], weights.shape[:-1])
    out = np.empty((*lead, scores.shape[-2]))
    for rows in row_blocks(scores, weights):
        v = scores[..., rows, :] - base
        np.divide(v, d, out=v)
        out[..., rows] = (v @ w)[..., 0] + offset
    return out


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
