"""TOPSIS (Hwang & Yoon 1981) on vector-normalized raw scores."""

from __future__ import annotations

import numpy as np

from policyeval.ranking.blocks import row_blocks


def topsis(
    scores: np.ndarray, maximize: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Relative closeness to the ideal (DESIGN.md, topsis).

    ``r_ij = x_ij / ||x_.j||_2`` (a column of zeros stays 0), ``y_ij = w_j r_ij``;
    the ideal takes the best ``y`` per criterion by direction, the anti-ideal
    the worst; ``score = d- / (d+ + d-)`` with Euclidean distances. When every
    option coincides (``d+ + d- = 0``) the score is 0.5 for all. With sampled
    scores the vector norm and the ideals are those of each sample.

    Parameters
    ----------
    scores : ndarray, shape (..., n, m)
        Raw scores.
    maximize : ndarray of bool, shape (m,)
        Criterion directions.
    weights : ndarray, shape (..., m)
        Normalized weights.

    Returns
    -------
    closeness, d_plus, d_minus : ndarray, shape (..., n)
        Closeness is higher-is-better.

    References
    ----------
    Hwang, C. L. & Yoon, K. (1981). *Multiple Attribute Decision Making*,
    pp. 128-140. Springer.

    Examples
    --------
    >>> x = np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 4.0]])
    >>> c, _, _ = topsis(x, np.array([True, False]), np.array([0.5, 0.5]))
    >>> c.round(4).tolist()
    [0.524, 0.4112, 0.476]
    """
    # y = x * c with c = w / ||x_.j|| >= 0, so the ideal and anti-ideal are c times
    # the best and worst raw scores (rounding is monotone: the same numbers as max(y));
    # distances are then taken a block of options at a time, in the CPU cache
    norm = np.sqrt(np.einsum("...nm,...nm->...m", scores, scores))
    c = weights / np.where(norm > 0, norm, 1.0)
    top, bottom = scores.max(axis=-2), scores.min(axis=-2)
    best = (np.where(maximize, top, bottom) * c)[..., None, :]
    worst = (np.where(maximize, bottom, top) * c)[..., None, :]
    lead = np.broadcast_shapes(scores.shape[:-2], weights.shape[:-1])
    d_plus = np.empty((*lead, scores.shape[-2]))
    d_minus = np.empty_like(d_plus)
    for rows in row_blocks(scores, weights):
        y = scores[..., rows, :] * c[..., None, :]
        gap = y - best
        d_plus[..., rows] = np.sqrt(np.einsum("...m,...m->...", gap, gap))
        np.subtract(y, worst, out=gap)
        d_minus[..., rows] = np.sqrt(np.einsum("...m,...m->...", gap, gap))
    total = d_plus + d_minus
    closeness = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), 0.5)
    return closeness, d_plus, d_minus
