"""Rank reversal checks: does removing or adding an option reorder the others?

Two tests per ranking method (Wang & Triantaphyllou 2008, tests 2-3 in spirit):

- **remove**: drop each option but the top one in turn and rank the rest again;
- **add a copy of the worst**: add a duplicate of the last-ranked option.

The order of the other options changes when a pair of them swaps (or a tie
appears or breaks). Value scales that are not declared are recomputed over
the options compared (min..max), and topsis, vikor and promethee normalize
over the options compared too: that is what makes rank reversal possible.

scikit-criteria's ``RankInvariantChecker`` implements a different test (it
replaces an option with a randomly worsened copy), so our own loop is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from policyeval.model.problem import Problem
from policyeval.ranking.ranks import competition_rank
from policyeval.sensitivity._problem import variant


@dataclass(frozen=True, slots=True)
class ReversalCheck:
    """One rank reversal test.

    Attributes
    ----------
    test : str
        ``remove`` or ``add_worst_copy``.
    option : str
        The option removed, or the id of the copy added.
    reversed_pairs : tuple of (str, str)
        Pairs of other options whose order changed (better one first before).
    """

    test: str
    option: str
    reversed_pairs: tuple[tuple[str, str], ...]

    @property
    def reversed(self) -> bool:
        """True when the order of the other options changed."""
        return bool(self.reversed_pairs)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        return {
            "test": self.test,
            "option": self.option,
            "reversed": self.reversed,
            "reversed_pairs": [list(p) for p in self.reversed_pairs],
        }


def _ranks(problem: Problem, method: str, w: np.ndarray) -> np.ndarray:
    from policyeval.ranking import score_batch

    return competition_rank(score_batch(method, problem, w))


def _changed(names: Sequence[str], before: np.ndarray, after: np.ndarray) -> tuple:
    """Pairs whose order (better, tied, worse) differs between two rank vectors."""
    sb = np.sign(before[:, None] - before[None, :])
    sa = np.sign(after[:, None] - after[None, :])
    ii, kk = np.nonzero(np.triu(sb != sa, 1))
    return tuple(
        (names[i], names[k]) if before[i] <= before[k] else (names[k], names[i])
        for i, k in zip(ii, kk)
    )


def rank_reversal(
    problem: Problem, weights: np.ndarray, methods: Sequence[str] | None = None
) -> dict[str, tuple[ReversalCheck, ...]]:
    """Rank reversal checks for each method.

    Parameters
    ----------
    problem : Problem
        The decision problem.
    weights : array_like, shape (m,)
        Weights.
    methods : sequence of str, optional
        Ranking methods (default: all of :data:`policyeval.ranking.METHODS`).

    Returns
    -------
    dict
        Method -> its checks (one ``remove`` per non-top option, then one
        ``add_worst_copy``).

    References
    ----------
    Wang, Y.-M. & Luo, Y. (2009). On rank reversal in decision analysis.
    *Mathematical and Computer Modelling* 49, 1221-1229. Wang, X. &
    Triantaphyllou, E. (2008). Ranking irregularities when evaluating
    alternatives by using some ELECTRE methods. *Omega* 36, 45-63.

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b", "c"], ["x", "y"],
    ...                  np.array([[10.0, 0.0], [6.0, 10.0], [0.0, 6.0]]), [True, True])
    >>> checks = rank_reversal(p, np.array([0.5, 0.5]), ["wsm"])["wsm"]
    >>> [(c.test, c.option, c.reversed_pairs) for c in checks]  # without c, a ties b
    [('remove', 'a', ()), ('remove', 'c', (('b', 'a'),)), ('add_worst_copy', 'c_copy', ())]
    """
    from policyeval.ranking import METHODS

    w = np.asarray(weights, dtype=float)
    n = len(problem.options)
    names = problem.options
    out: dict[str, tuple[ReversalCheck, ...]] = {}
    for method in methods if methods is not None else METHODS:
        full = _ranks(problem, method, w)
        top = int(np.flatnonzero(full == 1)[0])
        checks = []
        for k in sorted((i for i in range(n) if i != top), key=lambda i: (full[i], i)):
            keep = [i for i in range(n) if i != k]
            after = _ranks(problem.subset(keep), method, w)
            kept = [names[i] for i in keep]
            checks.append(ReversalCheck("remove", names[k], _changed(kept, full[keep], after)))
        worst = max(range(n), key=lambda i: (full[i], i))
        copy_id = f"{names[worst]}_copy"
        with_copy = variant(problem, [*range(n), worst], [*names, copy_id])
        after = _ranks(with_copy, method, w)[:n]
        checks.append(ReversalCheck("add_worst_copy", copy_id, _changed(names, full, after)))
        out[method] = tuple(checks)
    return out
