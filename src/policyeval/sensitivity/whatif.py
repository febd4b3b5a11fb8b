"""What it would take to put a runner-up on top (wsm).

Weights: the smallest L1 change of the weight vector, weights kept on the
simplex, after which the runner-up at least ties every other option:

    minimize   sum_j (u_j + d_j)
    subject to w = w0 + u - d,  sum_j w_j = 1,  w, u, d >= 0,
               sum_j w_j (v_rj - v_tj) >= 0   for every other option t.

Infeasible means no weights at all put the runner-up on top (it is
dominated, or beaten by a mix of options whatever the weights).

One score: the smallest change of one of the runner-up's raw scores, within
the criterion's scale, after which it at least ties every other option. On a
fixed scale the needed value gain is ``gap / w_j`` (closed form). When the
scale is observed (min..max of the options compared) and the change moves its
ends, the other options' values move too; the score is then found by
bisection on the recomputed problem (the gap is monotone in the score).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from policyeval.model.problem import Problem
from policyeval.ranking.ranks import competition_rank
from policyeval.sensitivity._problem import variant

GAP_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class WhatItTakes:
    """What puts one runner-up on top.

    Attributes
    ----------
    option : str
        The runner-up.
    rank : int
        Its current wsm rank.
    gap : float
        Best other option's wsm score minus its own.
    distance : float or None
        Smallest L1 change of the weights (None: impossible).
    moved : float or None
        The weight that changes hands: ``distance / 2`` (the convention every
        surface uses in words).
    weights : dict or None
        The new weights at that distance.
    score_changes : tuple of dict
        Per criterion that can do it alone: ``criterion``, ``from``, ``to``
        (raw scores) and ``value_change`` (share of the scale), smallest first.
    """

    option: str
    rank: int
    gap: float
    distance: float | None
    weights: dict[str, float] | None
    score_changes: tuple[dict[str, Any], ...]

    @property
    def moved(self) -> float | None:
        """Weight that changes hands (half the L1 distance)."""
        return None if self.distance is None else self.distance / 2

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        return {
            "option": self.option,
            "rank": self.rank,
            "gap": self.gap,
            "possible": self.distance is not None,
            "distance": self.distance,
            "moved": self.moved,
            "weights": self.weights,
            "score_changes": list(self.score_changes),
        }


def weight_change(v: np.ndarray, w0: np.ndarray, r: int) -> tuple[float, np.ndarray] | None:
    """Smallest L1 move of ``w0`` on the simplex putting row ``r`` of ``v`` on top.

    Returns ``(distance, new weights)``, or None when no weights do it.

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> d, w = weight_change(v, np.array([0.7, 0.3]), 1)
    >>> round(d, 9), w.round(9).tolist()
    (0.4, [0.5, 0.5])
    """
    from policyeval.errors import InfeasibleError
    from policyeval.lp import solve_lp

    n, m = v.shape
    eye = np.eye(m)
    # x = [w, u, d]; w - u + d = w0; sum w = 1
    a_eq = np.vstack([np.hstack([eye, -eye, eye]), np.hstack([np.ones(m), np.zeros(2 * m)])])
    b_eq = [*w0.tolist(), 1.0]
    others = np.delete(np.arange(n), r)
    a_ub = np.hstack([v[others] - v[r], np.zeros((len(others), 2 * m))])
    cost = np.concatenate([np.zeros(m), np.ones(2 * m)])
    try:
        x, obj, _ = solve_lp(cost, a_ub, np.zeros(len(others)), a_eq, b_eq)
    except InfeasibleError:
        return None
    w = np.clip(x[:m], 0.0, None)
    return float(np.abs(w / w.sum() - w0).sum()), w / w.sum()


def _with_score(problem: Problem, i: int, j: int, x: float) -> Problem:
    scores = problem.scores.copy()
    scores[i, j] = x
    return variant(problem, scores=scores)


def _gap(problem: Problem, w: np.ndarray, r: int) -> float:
    s = problem.values() @ w
    return float(np.delete(s, r).max() - s[r])


def score_change(problem: Problem, w: np.ndarray, r: int, j: int) -> float | None:
    """The raw score of option ``r`` on criterion ``j`` that just puts it on top, or None.

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b"], ["x", "y"], np.array([[10.0, 0.0], [0.0, 10.0]]),
    ...                  [True, True], declared=[(0, 10), (0, 10)])
    >>> round(score_change(p, np.array([0.7, 0.3]), 1, 0), 6)  # 0.7 * v + 0.3 = 0.7
    5.714286
    """
    lo, hi = float(problem.scale_lo[j]), float(problem.scale_hi[j])
    if hi <= lo or w[j] <= 0:
        return None
    maximize = bool(problem.maximize[j])
    best_end = hi if maximize else lo
    x0 = float(problem.scores[r, j])
    need = _gap(problem, w, r) / w[j]  # value gain on the current scale
    v_new = float(problem.values()[r, j]) + need
    if v_new <= 1.0 + GAP_TOL:
        x = lo + v_new * (hi - lo) if maximize else hi - v_new * (hi - lo)
        x = float(min(max(x, lo), hi))
        moved = _with_score(problem, r, j, x)
        same_scale = moved.scale_lo[j] == lo and moved.scale_hi[j] == hi
        if same_scale and _gap(moved, w, r) <= GAP_TOL:
            return x
    if _gap(_with_score(problem, r, j, best_end), w, r) > GAP_TOL:
        return None
    a, b = x0, best_end  # gap(a) > 0 >= gap(b); the gap is monotone in the score
    for _ in range(100):
        mid = 0.5 * (a + b)
        if _gap(_with_score(problem, r, j, mid), w, r) <= GAP_TOL:
            b = mid
        else:
            a = mid
    return b


def what_it_takes(problem: Problem, weights: np.ndarray) -> list[WhatItTakes]:
    """For every option but the top one, what puts it on top under wsm.

    Parameters
    ----------
    problem : Problem
        The decision problem.
    weights : array_like, shape (m,)
        Current weights (rescaled to sum 1).

    Returns
    -------
    list of WhatItTakes
        By current rank (best runner-up first).

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b", "c"], ["x", "y"],
    ...                  np.array([[10.0, 0.0], [0.0, 10.0], [0.0, 0.0]]), [True, True])
    >>> [(r.option, r.distance is not None) for r in what_it_takes(p, np.array([0.7, 0.3]))]
    [('b', True), ('c', False)]
    """
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    v = problem.values()
    s = v @ w
    ranks = competition_rank(s)
    top = int(np.flatnonzero(ranks == 1)[0])
    out = []
    for r in sorted((i for i in range(len(s)) if i != top), key=lambda i: (ranks[i], i)):
        moved = weight_change(v, w, r)
        changes = []
        for j, cid in enumerate(problem.criteria):
            x = score_change(problem, w, r, j)
            if x is None:
                continue
            x0 = float(problem.scores[r, j])
            span = float(problem.scale_hi[j] - problem.scale_lo[j])
            changes.append(
                {"criterion": cid, "from": x0, "to": x, "value_change": abs(x - x0) / span}
            )
        changes.sort(key=lambda c: (c["value_change"], c["criterion"]))
        out.append(
            WhatItTakes(
                option=problem.options[r],
                rank=int(ranks[r]),
                gap=float(s.max() - s[r]),
                distance=None if moved is None else moved[0],
                weights=None if moved is None else dict(zip(problem.criteria, moved[1].tolist())),
                score_changes=tuple(changes),
            )
        )
    return out
