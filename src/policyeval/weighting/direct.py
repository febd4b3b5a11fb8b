"""Direct weights: points and SWING."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def normalize(values: np.ndarray) -> np.ndarray:
    """Scale non-negative ``values`` (shape ``(m,)``) to sum 1.

    Raises
    ------
    ValueError
        When a value is negative or all are zero.

    Examples
    --------
    >>> normalize(np.array([30.0, 10.0])).tolist()
    [0.75, 0.25]
    """
    v = np.asarray(values, dtype=float)
    if np.any(v < 0) or not np.all(np.isfinite(v)):
        raise ValueError(f"weights must be finite and non-negative; got {v.tolist()}")
    if not v.size or v.max() <= 0:
        raise ValueError("all values are zero; give at least one a positive value")
    with np.errstate(over="ignore"):
        total = v.sum()
    if not np.isfinite(total):  # over 1.8e308: divide by the largest first
        v = v / v.max()
        total = v.sum()
    return v / total


def points_weights(points: Mapping[str, float]) -> dict[str, float]:
    """Direct rating: weights proportional to the points given.

    Parameters
    ----------
    points : mapping of str to float
        Non-negative points per item (any scale, e.g. out of 100).

    Returns
    -------
    dict of str to float
        Normalized weights, same keys and order.

    References
    ----------
    Eckenrode, R. T. (1965). Weighting multiple criteria. *Management Science*,
    12(3), 180-192 (direct rating / point allocation).

    Examples
    --------
    >>> points_weights({"a": 60, "b": 30, "c": 10})
    {'a': 0.6, 'b': 0.3, 'c': 0.1}
    """
    w = normalize(np.array(list(points.values()), dtype=float))
    return dict(zip(points, w.tolist()))


def swing_weights(swing: Mapping[str, float]) -> dict[str, float]:
    """SWING weights: each swing rated against the most valued one (100).

    The analyst asks which criterion's swing from worst to best level matters
    most (100 points), then rates every other swing relative to it; weights are
    the ratings normalized to sum 1.

    References
    ----------
    von Winterfeldt, D., & Edwards, W. (1986). *Decision Analysis and Behavioral
    Research*. Cambridge University Press, ch. 8.

    Examples
    --------
    >>> w = swing_weights({"a": 100, "b": 50, "c": 50})
    >>> {k: round(v, 3) for k, v in w.items()}
    {'a': 0.5, 'b': 0.25, 'c': 0.25}
    """
    w = normalize(np.array(list(swing.values()), dtype=float))
    return dict(zip(swing, w.tolist()))
