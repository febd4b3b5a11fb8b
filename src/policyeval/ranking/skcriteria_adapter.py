"""scikit-criteria as an independent reference for the kernels' tests.

(``skcriteria_methods`` runs scikit-criteria's own methods by name, and
``policyeval.interop`` converts decision matrices; weighting uses its
entropy and CRITIC weighters. Each imports skcriteria inside its functions.)

policyeval ranks with its own numpy kernels because the robustness analysis
needs every method batched over thousands of weight and score samples, which
scikit-criteria's per-matrix classes do not do. Where scikit-criteria
implements exactly a DESIGN.md definition, this adapter runs it on one
problem so that tests can cross-check the kernels:

- TOPSIS: ``skcriteria.agg.topsis.topsis`` on the vector-scaled raw scores
  (``scale_by_vector``) is DESIGN.md's topsis (the kernel function is called
  directly: the ``TOPSIS`` class warns on any min criterion).
- VIKOR: ``skcriteria.agg.vikor.VIKOR`` (Opricovic & Tzeng 2004), S, R, Q and
  the two conditions.
- WSM / WPM: ``wsm`` / ``wpm`` kernels on the MAVT value matrix (WPM returns
  ``sum_j w_j log10 v_ij``, the log of our product).
- ELECTRE I: ``electre1`` on the value matrix, all criteria to maximize; its
  discordance divides by the largest observed value range, which is 1 (ours)
  whenever a criterion's scale is its observed range.

scikit-criteria has no PROMETHEE; that one is checked against pymcdm.
"""

from __future__ import annotations

import numpy as np


def _objectives(maximize: np.ndarray) -> np.ndarray:
    from skcriteria.core import Objective

    return np.where(maximize, Objective.MAX.value, Objective.MIN.value)


def topsis(scores: np.ndarray, maximize: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Relative closeness ``(n,)`` by scikit-criteria's TOPSIS kernel."""
    from skcriteria.agg.topsis import topsis as sk_topsis
    from skcriteria.preprocessing.scalers import scale_by_vector

    _, _, _, similarity = sk_topsis(scale_by_vector(scores, axis=0), _objectives(maximize), weights)
    return similarity


def vikor(scores: np.ndarray, maximize: np.ndarray, weights: np.ndarray, v: float = 0.5) -> dict:
    """scikit-criteria's VIKOR: ``s_k``, ``r_k``, ``q_k``, conditions, compromise set."""
    import skcriteria
    from skcriteria.agg.vikor import VIKOR

    dm = skcriteria.mkdm(matrix=scores, objectives=_objectives(maximize), weights=weights)
    return dict(VIKOR(v=v).evaluate(dm).extra_)


def wsm(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted sum ``(n,)`` of a value matrix by scikit-criteria."""
    from skcriteria.agg.simple import wsm as sk_wsm

    return sk_wsm(values, weights)[1]


def wpm_log10(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_j w_j log10 v_ij`` ``(n,)`` by scikit-criteria (values must be > 0)."""
    from skcriteria.agg.simple import wpm as sk_wpm

    return sk_wpm(values, weights)[1]


def electre1_outranking(
    values: np.ndarray, weights: np.ndarray, concordance: float, discordance: float
) -> np.ndarray:
    """ELECTRE I outranking relation ``(n, n)`` (row outranks column) by scikit-criteria."""
    from skcriteria.agg.electre import electre1

    maximize = np.ones(values.shape[1], dtype=bool)
    _, outrank, _, _ = electre1(values, _objectives(maximize), weights, concordance, discordance)
    return outrank
