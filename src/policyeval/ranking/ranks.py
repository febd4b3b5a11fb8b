"""Competition ranking ("1224") along the last axis, vectorized."""

from __future__ import annotations

import numpy as np

TIE_TOL = 1e-12


def competition_rank(
    values: np.ndarray, higher_is_better: bool = True, tol: float = TIE_TOL
) -> np.ndarray:
    """Ranks 1 = best along the last axis; ties share the smaller rank ("1224").

    Two values are tied when they differ by at most ``tol * max(1, |a|, |b|)``,
    so that round-off (e.g. sums taken in another order) does not split a tie.

    Parameters
    ----------
    values : ndarray, shape (..., n)
        Scores; leading axes are independent samples.
    higher_is_better : bool
        True when the largest value ranks first.
    tol : float
        Relative (and, below 1, absolute) tie tolerance.

    Returns
    -------
    ndarray of int, shape (..., n)
        ``rank_i = 1 + #{j : value_j strictly better than value_i}``.

    Examples
    --------
    >>> competition_rank(np.array([0.2, 0.9, 0.2, 0.5])).tolist()
    [3, 1, 3, 2]
    >>> competition_rank(np.array([[3.0, 1.0, 1.0]]), higher_is_better=False).tolist()
    [[3, 1, 1]]
    """
    v = np.asarray(values, dtype=float)
    if not higher_is_better:
        v = -v
    mine, other = v[..., :, None], v[..., None, :]
    scale = np.maximum(1.0, np.maximum(np.abs(mine), np.abs(other)))
    better = other - mine > tol * scale
    return 1 + better.sum(axis=-1)
