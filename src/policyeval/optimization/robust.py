"""Robust portfolio: how often each measure is in the optimal portfolio as weights vary.

Core index of measure i = share of weight samples in which i is in the optimal
portfolio: **core** (1, always), **exterior** (0, never), **borderline** otherwise.

A portfolio's value is linear in the weights: ``value(P, w) = g_P @ w`` with
``g_P`` the sum of its measures' value rows plus its synergies' rows. So the
candidate portfolios are enumerated once and every sample is scored in one
batched product, with the same tie rules as :func:`optimize_portfolio`.

- Up to :data:`EXACT_LIMIT` measures: every feasible portfolio (budget,
  requires, excludes and the policy constraints) is enumerated; exact.
- Above: the candidates are the MILP optima at ``candidates`` samples spread
  over the sample (every k-th); each sample then takes the best candidate,
  which is optimal among the candidates only (``exact`` is False and the
  result says how many MILPs were solved).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from policyeval.optimization.portfolio import PortfolioData, PortfolioModel, feasible_masks

if TYPE_CHECKING:
    from policyeval.model import Workspace
    from policyeval.model.problem import Problem

EXACT_LIMIT = 18


def best_portfolios(
    masks: np.ndarray,
    gains: np.ndarray,
    costs: np.ndarray,
    weights: np.ndarray,
    tol: float,
    cost_tol: float,
    chunk: int | None = None,
) -> np.ndarray:
    """Index of the optimal candidate for each weight sample (ties: cost, then id).

    Parameters
    ----------
    masks : ndarray of bool, shape (F, n)
        Candidates, sorted so that a lower index wins among equal value and cost
        (id-lexicographic: funding the smallest id first).
    gains : ndarray, shape (F, m)
        ``g_P`` per candidate.
    costs : ndarray, shape (F,)
    weights : ndarray, shape (S, m)
    tol, cost_tol : float
        Value and cost tie tolerances.
    """
    out = np.empty(len(weights), dtype=np.int64)
    chunk = chunk or max(1, int(2e7 // max(1, len(masks))))
    for start in range(0, len(weights), chunk):
        v = weights[start : start + chunk] @ gains.T  # (s, F)
        tied = v >= v.max(axis=1, keepdims=True) - tol
        c = np.where(tied, costs, np.inf)
        tied &= c <= c.min(axis=1, keepdims=True) + cost_tol
        out[start : start + chunk] = tied.argmax(axis=1)  # first True = smallest-id rule
    return out


def core_index(
    data: PortfolioData,
    gains: np.ndarray,
    syn_gains: Sequence[np.ndarray],
    weights: np.ndarray,
    solver: str | None = None,
    candidates: int = 200,
) -> dict[str, Any]:
    """Core index of each measure over weight samples.

    Parameters
    ----------
    data : PortfolioData
        The portfolio problem (its ``values`` are ignored: they come from weights).
    gains : ndarray, shape (n, m)
        Value rows of the measures (``values = gains @ w``).
    syn_gains : sequence of ndarray, shape (m,)
        Value row of each synergy of ``data.synergies``.
    weights : ndarray, shape (S, m)
        Weight samples.

    Returns
    -------
    dict
        ``{"core_index": {id: share}, "class": {id: core|borderline|exterior},
        "exact": bool, "candidates": F, "milp_solves": k}``.
    """
    n = len(data.ids)
    syn = np.array(syn_gains, dtype=float).reshape(len(data.synergies), gains.shape[1])
    solves = 0
    if n <= EXACT_LIMIT:
        masks = feasible_masks(data)
        exact = True
    else:
        picks = np.unique(
            np.linspace(0, len(weights) - 1, min(candidates, len(weights))).astype(int)
        )
        found = set()
        for s in picks:
            d = replace(
                data,
                values=gains @ weights[s],
                synergies=tuple(
                    (m, float(a @ weights[s])) for (m, _), a in zip(data.synergies, syn)
                ),
            )
            found.add(PortfolioModel(d, solver).solve())
            solves += 1
        masks = np.zeros((len(found), n), dtype=bool)
        for k, rows in enumerate(sorted(found)):
            masks[k, list(rows)] = True
        masks = masks[np.lexsort(masks.T[::-1])[::-1]]  # id-lexicographic, funded first
        exact = False
    g = masks.astype(float) @ gains
    for (members, _), a in zip(data.synergies, syn):
        g += np.outer(masks[:, list(members)].all(axis=1), a)
    costs = masks.astype(float) @ data.costs
    best = best_portfolios(
        masks, g, costs, np.asarray(weights, dtype=float), data.tol, data.cost_tol
    )
    share = masks[best].mean(axis=0)
    return {
        "samples": len(weights),
        "core_index": {i: float(s) for i, s in zip(data.ids, share)},
        "class": {
            i: "core" if s >= 1.0 else "exterior" if s <= 0.0 else "borderline"
            for i, s in zip(data.ids, share)
        },
        "exact": exact,
        "candidates": int(len(masks)),
        "milp_solves": solves,
    }


def robust_portfolio(
    ws: Workspace,
    data: PortfolioData,
    samples: int = 10_000,
    seed: int = 0,
    solver: str | None = None,
    problem: Problem | None = None,
) -> dict[str, Any]:
    """Core index of every measure over ``samples`` weights drawn by the SMAA sampler.

    Weights are uniform on the simplex (SMAA-2, no preference information),
    drawn by :func:`policyeval.sensitivity.sampling.sample_weights` with ``seed``.
    """
    from policyeval.optimization.portfolio import gain_vectors
    from policyeval.sensitivity.sampling import sample_weights

    _, gains, syn = gain_vectors(ws, problem)
    w = sample_weights(gains.shape[1], samples, seed)
    out = core_index(data, gains, [a for _, a in syn], w, solver)
    return {"seed": seed, **out}
