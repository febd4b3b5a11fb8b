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
    if v.shape[-1] > PAIRWISE_MAX:
        return _sorted_rank(v, tol)
    mine, other = v[..., :, None], v[..., None, :]
    return 1 + _better(mine, other, tol).sum(axis=-1)


PAIRWISE_MAX = 64
"""Above this many values, ranks come from a sort (O(n log n) time, O(n) memory)."""


def _better(mine: np.ndarray, other: np.ndarray, tol: float) -> np.ndarray:
    """Whether ``other`` is strictly better than ``mine`` (beyond the tie tolerance)."""
    scale = np.maximum(1.0, np.maximum(np.abs(mine), np.abs(other)))
    return other - mine > tol * scale


def _sorted_rank(v: np.ndarray, tol: float) -> np.ndarray:
    """:func:`competition_rank` by binary search in the sorted values, with the same test.

    For a fixed value, "better than it" holds on a suffix of the sorted values (the
    margin ``other - mine - tol * scale`` grows with ``other`` once ``other >= mine``),
    so the count of better values is ``n`` minus the first index where it holds.
    """
    n = v.shape[-1]
    ordered = np.sort(v, axis=-1)
    lo = np.zeros(v.shape, dtype=np.intp)
    hi = np.full(v.shape, n, dtype=np.intp)
    while np.any(lo < hi):
        mid = (lo + hi) // 2
        probe = np.take_along_axis(ordered, np.minimum(mid, n - 1), axis=-1)
        holds = _better(v, probe, tol)
        hi = np.where(holds & (lo < hi), mid, hi)
        lo = np.where(~holds & (lo < hi), mid + 1, lo)
    return 1 + (n - lo)
