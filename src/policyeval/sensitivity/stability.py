"""Exact weight stability intervals for the weighted sum (wsm).

For criterion ``j`` the weight is moved to ``w_j = t`` and the other weights
are rescaled in proportion, ``w_k(t) = w_k (1 - t) / (1 - w_j)`` (split
equally when ``w_j = 1``). Every option's wsm score is then affine in ``t``,

    s_i(t) = r_i + t (v_ij - r_i),    r_i = sum_{k != j} w_k v_ik / (1 - w_j),

so two options swap order at most once, where their lines cross. The interval
of ``t`` in [0, 1] in which the top option stays on top (no option strictly
better) is the intersection of the half-lines ``s_top(t) >= s_i(t)``; the
interval in which the whole ranking stays the same requires every pair ranked
apart to stay in order (options tied at the current weights may split: a tie
would otherwise pin the interval to a single point). Both intervals contain
the current weight and are closed: at an end two options tie.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from policyeval.model.problem import Problem
from policyeval.ranking.ranks import TIE_TOL, competition_rank


@dataclass(frozen=True, slots=True)
class Stability:
    """Weight stability intervals under wsm.

    Attributes
    ----------
    top : str
        The top option at the given weights (the first of tied options).
    weights : dict
        The weights analysed, by criterion.
    top_intervals : dict
        Criterion -> ``(lo, hi)``: its weight range keeping ``top`` on top.
    ranking_intervals : dict
        Criterion -> ``(lo, hi)``: its weight range keeping the whole ranking.
    """

    top: str
    weights: dict[str, float]
    top_intervals: dict[str, tuple[float, float]]
    ranking_intervals: dict[str, tuple[float, float]]


def _interval(alpha: np.ndarray, beta: np.ndarray, t0: float) -> tuple[float, float]:
    """Range of t in [0, 1] around t0 where every ``alpha + beta t >= 0``."""
    lo, hi = 0.0, 1.0
    moving = np.abs(beta) > TIE_TOL
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = -alpha / beta
    up, down = moving & (beta > 0), moving & (beta < 0)
    if up.any():
        lo = max(lo, float(cross[up].max()))
    if down.any():
        hi = min(hi, float(cross[down].min()))
    return min(lo, t0), max(hi, t0)


def stability_intervals(problem: Problem, weights: np.ndarray) -> Stability:
    """Exact stability intervals of every criterion weight under wsm.

    Parameters
    ----------
    problem : Problem
        The decision problem (values on its scales).
    weights : array_like, shape (m,)
        Non-negative weights (rescaled to sum 1).

    Returns
    -------
    Stability

    References
    ----------
    Triantaphyllou, E. & Sanchez, A. (1997). A sensitivity analysis approach for
    some deterministic multi-criteria decision-making methods. *Decision
    Sciences* 28(1), 151-194 (one-weight-at-a-time changes with the others
    rescaled); the closed form above follows from linearity of wsm.

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b"], ["x", "y"], np.array([[1.0, 0.0], [0.0, 1.0]]), [True, True])
    >>> s = stability_intervals(p, np.array([0.7, 0.3]))
    >>> s.top, s.top_intervals["x"], s.top_intervals["y"]
    ('a', (0.5, 1.0), (0.0, 0.5))
    """
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    v = problem.values()
    n, m = v.shape
    ranks = competition_rank(v @ w)
    top = int(np.flatnonzero(ranks == 1)[0])
    ii, kk = np.triu_indices(n, 1)
    apart = ranks[ii] != ranks[kk]
    ii, kk = ii[apart], kk[apart]
    swap = ranks[ii] > ranks[kk]
    above = np.where(swap, kk, ii)  # the better of each pair ranked apart
    below = np.where(swap, ii, kk)
    others_of_top = np.arange(n) != top
    top_iv, rank_iv = {}, {}
    for j, cid in enumerate(problem.criteria):
        if m == 1:
            top_iv[cid] = rank_iv[cid] = (1.0, 1.0)
            continue
        rest_w = np.delete(w, j)
        rest_w = rest_w / rest_w.sum() if rest_w.sum() > 0 else np.full(m - 1, 1.0 / (m - 1))
        r = np.delete(v, j, axis=1) @ rest_w
        slope = v[:, j] - r
        t0 = float(w[j])
        alpha, beta = r[top] - r, slope[top] - slope
        top_iv[cid] = _interval(alpha[others_of_top], beta[others_of_top], t0)
        rank_iv[cid] = _interval(r[above] - r[below], slope[above] - slope[below], t0)
    return Stability(
        top=problem.options[top],
        weights=dict(zip(problem.criteria, w.tolist())),
        top_intervals=top_iv,
        ranking_intervals=rank_iv,
    )
