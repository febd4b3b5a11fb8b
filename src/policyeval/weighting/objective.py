"""Objective weights from the options' scores: entropy and CRITIC (via scikit-criteria).

Both kernels give a constant criterion weight 0 and compute the others on the
remaining columns: a criterion on which every option scores the same carries
no information (entropy 1; CRITIC σ = 0) and its correlation is undefined.
A single varying criterion gets weight 1.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np


def entropy_weights(scores: np.ndarray) -> np.ndarray:
    """Shannon entropy weights of the raw scores (direction plays no part).

    ``p_ij = x_ij / sum_i x_ij``; ``E_j = -(1/ln n) sum_i p_ij ln p_ij``
    (``0 ln 0 = 0``); ``w_j`` proportional to ``1 - E_j``. Computed by
    scikit-criteria's ``EntropyWeighter``, which is exactly this definition.

    Parameters
    ----------
    scores : ndarray, shape (n_options, n_criteria)
        Non-negative raw scores.

    Returns
    -------
    ndarray, shape (n_criteria,)

    Raises
    ------
    ValueError
        For a negative score, fewer than two options, or no varying criterion.

    References
    ----------
    Shannon, C. E. (1948). A mathematical theory of communication. *Bell System
    Technical Journal*, 27, 379-423; Zeleny, M. (1982). *Multiple Criteria
    Decision Making*. McGraw-Hill (entropy weights).

    Examples
    --------
    >>> entropy_weights(np.array([[1.0, 5.0], [1.0, 1.0], [2.0, 1.0]])).round(4).tolist()
    [0.163, 0.837]
    """
    from skcriteria.preprocessing.weighters import EntropyWeighter

    x = _check(scores)
    if np.any(x < 0):
        raise ValueError("entropy weights need non-negative scores")
    return _on_varying(x, lambda dm: EntropyWeighter().transform(dm), np.ones(x.shape[1], bool))


def critic_weights(scores: np.ndarray, maximize: np.ndarray) -> np.ndarray:
    """CRITIC weights: contrast intensity times conflict with the other criteria.

    Scores are scaled ``(x - worst)/(best - worst)`` by direction;
    ``C_j = σ_j sum_k (1 - r_jk)`` with Pearson ``r``; ``w_j`` proportional to
    ``C_j``. Computed by scikit-criteria's ``CRITIC``, which uses the population
    σ (``ddof=0``); the sample σ would multiply every ``C_j`` by the same factor,
    so the weights are the same.

    Parameters
    ----------
    scores : ndarray, shape (n_options, n_criteria)
    maximize : ndarray of bool, shape (n_criteria,)

    References
    ----------
    Diakoulaki, D., Mavrotas, G., & Papayannakis, L. (1995). Determining
    objective weights in multiple criteria problems: The CRITIC method.
    *Computers & Operations Research*, 22(7), 763-770.

    Examples
    --------
    >>> x = np.array([[1.0, 3.0, 2.0], [2.0, 1.0, 1.0], [3.0, 2.0, 4.0]])
    >>> critic_weights(x, np.array([True, True, False])).round(4).tolist()
    [0.3498, 0.3135, 0.3367]
    """
    from skcriteria.preprocessing.weighters import CRITIC

    def run(dm: Any) -> Any:
        # skcriteria warns on any 'min' criterion; the cenit scaling it applies
        # already orients such criteria, which is what the paper's scaling does.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Although CRITIC", UserWarning)
            return CRITIC().transform(dm)

    return _on_varying(_check(scores), run, np.asarray(maximize, dtype=bool))


def _check(scores: np.ndarray) -> np.ndarray:
    x = np.asarray(scores, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError("objective weights need at least two options")
    return x


def _on_varying(x: np.ndarray, weigh: Callable[[Any], Any], maximize: np.ndarray) -> np.ndarray:
    import skcriteria as skc

    varying = np.ptp(x, axis=0) > 0
    if not varying.any():
        raise ValueError("every criterion is constant over the options; no objective weights")
    out = np.zeros(x.shape[1])
    if varying.sum() == 1:
        out[varying] = 1.0
        return out
    objectives = [max if m else min for m in maximize[varying]]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[varying] = weigh(skc.mkdm(x[:, varying], objectives)).weights.to_numpy()
    if not np.all(np.isfinite(out)):
        raise ValueError("the varying criteria are perfectly correlated; CRITIC is undefined")
    return out / out.sum()
