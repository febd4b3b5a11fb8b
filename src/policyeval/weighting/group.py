"""Group weights: aggregate members' weights or, for AHP, their judgements."""

from __future__ import annotations

import numpy as np

from policyeval.weighting.direct import normalize

AGGREGATIONS = ("geometric", "arithmetic")


def aggregate_weights(weights: np.ndarray, how: str = "geometric") -> np.ndarray:
    """Aggregate members' weight vectors (aggregation of individual priorities).

    Parameters
    ----------
    weights : ndarray, shape (k_members, m)
        Each row a member's normalized weights.
    how : {"geometric", "arithmetic"}
        Geometric mean renormalized to sum 1 (default), or arithmetic mean.

    References
    ----------
    Forman, E., & Peniwati, K. (1998). Aggregating individual judgments and
    priorities with the analytic hierarchy process. *European Journal of
    Operational Research*, 108(1), 165-169.

    Examples
    --------
    >>> aggregate_weights(np.array([[0.8, 0.2], [0.2, 0.8]])).tolist()
    [0.5, 0.5]
    >>> aggregate_weights(np.array([[0.6, 0.4], [0.2, 0.8]]), "arithmetic").round(6).tolist()
    [0.4, 0.6]
    """
    w = np.asarray(weights, dtype=float)
    if how not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation '{how}'; choices: {', '.join(AGGREGATIONS)}")
    if how == "arithmetic":
        return normalize(w.mean(axis=0))
    with np.errstate(divide="ignore"):
        return normalize(np.exp(np.log(w).mean(axis=0)))


def aggregate_judgements(matrices: np.ndarray) -> np.ndarray:
    """Element-wise geometric mean of judgement matrices (AIJ).

    The result is again a positive reciprocal matrix, so its eigenvector and
    consistency ratio are taken as for one decision maker.

    Parameters
    ----------
    matrices : ndarray, shape (k_members, n, n)

    References
    ----------
    Aczél, J., & Saaty, T. L. (1983). Procedures for synthesizing ratio
    judgements. *Journal of Mathematical Psychology*, 27(1), 93-102.

    Examples
    --------
    >>> aggregate_judgements(np.array([[[1, 4], [1/4, 1]], [[1, 1], [1, 1]]])).tolist()
    [[1.0, 2.0], [0.5, 1.0]]
    """
    return np.exp(np.log(np.asarray(matrices, dtype=float)).mean(axis=0))
