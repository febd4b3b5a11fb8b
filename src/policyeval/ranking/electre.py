"""ELECTRE I outranking on MAVT values, ranked by net outranking count."""

from __future__ import annotations

import numpy as np

CONCORDANCE = 0.65
DISCORDANCE = 0.35
_TOL = 1e-12


def electre_i(
    values: np.ndarray,
    weights: np.ndarray,
    concordance: float = CONCORDANCE,
    discordance: float = DISCORDANCE,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """ELECTRE I outranking relation and its net flow (a complete ranking).

    Variant: Roy's ELECTRE I (1968) on the common 0-1 value scale.
    Concordance ``c(a, b) = sum_j w_j [v_aj >= v_bj]``; discordance
    ``d(a, b) = max_j max(0, v_bj - v_aj)`` (the value scale has range 1, so
    this is Roy's largest opposing difference over the scale range);
    ``a S b`` iff ``c(a, b) >= concordance`` and ``d(a, b) <= discordance``
    (a != b; 1e-12 of round-off allowed). ELECTRE I alone only yields a kernel;
    the complete ranking used here is the net outranking flow
    ``score(a) = (#{b : a S b} - #{b : b S a}) / (n - 1)``, higher is better.
    The defaults (0.65, 0.35) are scikit-criteria's ELECTRE1 thresholds.
    Memory: pairwise arrays of shape ``(..., n, n, m)``.

    Parameters
    ----------
    values : ndarray, shape (..., n, m)
        MAVT values.
    weights : ndarray, shape (..., m)
        Normalized weights.
    concordance, discordance : float
        Thresholds in [0, 1].

    Returns
    -------
    score, outranks, conc, disc
        Net flow ``(..., n)``; relation ``(..., n, n)`` (row outranks column);
        concordance and discordance matrices ``(..., n, n)``.

    References
    ----------
    Roy, B. (1968). Classement et choix en présence de points de vue multiples
    (la méthode ELECTRE). *RIRO* 2(8), 57-75.

    Examples
    --------
    >>> v = np.array([[1.0, 0.8, 1.0], [0.0, 1.0, 0.8], [0.5, 0.5, 0.0]])
    >>> score, S, _, _ = electre_i(v, np.array([0.4, 0.2, 0.4]))
    >>> S.astype(int).tolist(), score.tolist()
    ([[0, 1, 1], [0, 0, 0], [0, 0, 0]], [1.0, -0.5, -0.5])
    """
    mine, other = values[..., :, None, :], values[..., None, :, :]
    conc = np.einsum("...abm,...m->...ab", (mine >= other).astype(float), weights)
    disc = np.maximum(other - mine, 0.0).max(axis=-1)
    n = values.shape[-2]
    outranks = (conc >= concordance - _TOL) & (disc <= discordance + _TOL) & ~np.eye(n, dtype=bool)
    score = (outranks.sum(axis=-1) - outranks.sum(axis=-2)) / max(n - 1, 1)
    return score, outranks, conc, disc
