"""TOPSIS (Hwang & Yoon 1981) on vector-normalized raw scores."""

from __future__ import annotations

import numpy as np


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
    norm = np.sqrt((scores**2).sum(axis=-2, keepdims=True))
    y = scores / np.where(norm > 0, norm, 1.0) * weights[..., None, :]
    best = np.where(maximize, y.max(axis=-2, keepdims=True), y.min(axis=-2, keepdims=True))
    worst = np.where(maximize, y.min(axis=-2, keepdims=True), y.max(axis=-2, keepdims=True))
    d_plus = np.sqrt(((y - best) ** 2).sum(axis=-1))
    d_minus = np.sqrt(((y - worst) ** 2).sum(axis=-1))
    total = d_plus + d_minus
    closeness = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), 0.5)
    return closeness, d_plus, d_minus
