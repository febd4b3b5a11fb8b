"""Every method at once: Borda consensus and Kendall's tau-b agreement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from policyeval.errors import Issue, WorkspaceError
from policyeval.model.problem import Problem
from policyeval.model.weights import Weights
from policyeval.ranking.core import METHODS, as_weights, rank_problem
from policyeval.ranking.ranks import competition_rank
from policyeval.ranking.result import MultiRanking, Ranking, RankRow

CONSENSUS_RULE = (
    "borda: each method gives an option n - rank points (ranks 1224, n options); "
    "options are ranked by their total points, ties share the smaller rank"
)


def borda(ranks: np.ndarray) -> np.ndarray:
    """Borda points ``sum_M (n - rank_M(i))`` of ranks ``(k_methods, n)``.

    Examples
    --------
    >>> borda(np.array([[1, 2, 3], [2, 1, 3], [1, 3, 2]])).tolist()
    [5, 3, 1]
    """
    n = ranks.shape[-1]
    return (n - ranks).sum(axis=0)


def kendall_tau_b(a: np.ndarray, b: np.ndarray) -> float | None:
    """Kendall's tau-b between two score (or rank) vectors; None if undefined.

    ``tau_b = (C - D) / sqrt((P - T_a)(P - T_b))`` with P the number of pairs
    and T the pairs tied in one vector; undefined when either is all ties.

    References
    ----------
    Kendall, M. G. (1945). The treatment of ties in ranking problems.
    *Biometrika* 33(3), 239-251.

    Examples
    --------
    >>> kendall_tau_b(np.array([1, 2, 3, 4]), np.array([1, 3, 2, 4]))
    0.6666666666666666
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    iu = np.triu_indices(a.shape[-1], k=1)
    sa = np.sign(a[:, None] - a[None, :])[iu]
    sb = np.sign(b[:, None] - b[None, :])[iu]
    denom = np.sqrt(np.count_nonzero(sa) * np.count_nonzero(sb))
    return float((sa * sb).sum() / denom) if denom > 0 else None


def rank_matrix(problem: Problem, rankings: Sequence[Ranking]) -> np.ndarray:
    """Ranks ``(k_rankings, n)`` in the problem's option order."""
    order = {o: i for i, o in enumerate(problem.options)}
    ranks = np.zeros((len(rankings), len(problem.options)), dtype=int)
    for k, ranking in enumerate(rankings):
        for row in ranking.rows:
            ranks[k, order[row.option]] = row.rank
    return ranks


def consensus_rows(problem: Problem, rankings: Sequence[Ranking]) -> tuple[RankRow, ...]:
    """Consensus ranking (:data:`CONSENSUS_RULE`) of several rankings of ``problem``."""
    points = borda(rank_matrix(problem, rankings))
    final = competition_rank(points)
    rows = (
        RankRow(o, float(points[i]), int(final[i]), i == problem.baseline)
        for i, o in enumerate(problem.options)
    )
    return tuple(sorted(rows, key=lambda r: (r.rank, r.option)))


def rank_all(
    problem: Problem,
    weights: Weights | Mapping[str, float],
    methods: Sequence[str] = METHODS,
    params: Mapping[str, Mapping[str, float]] | None = None,
) -> MultiRanking:
    """Rank by several methods, with a Borda consensus and pairwise agreement.

    Parameters
    ----------
    problem : Problem
        The decision problem.
    weights : Weights or mapping
        As for :func:`~policyeval.ranking.rank_problem`.
    methods : sequence of str
        Methods to run (default: all of :data:`METHODS`).
    params : mapping, optional
        Parameters per method, e.g. ``{"vikor": {"v": 0.3}}``.

    Returns
    -------
    MultiRanking
        ``agreement[m1][m2]`` is Kendall's tau-b between the methods' ranks.

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b", "c"], ["x", "y"],
    ...                  np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 0.0]]), [True, True])
    >>> multi = rank_all(p, {"x": 0.5, "y": 0.5}, methods=("wsm", "topsis"))
    >>> [(r.option, r.rank) for r in multi.methods["wsm"].rows]
    [('a', 1), ('b', 1), ('c', 3)]
    >>> [r.option for r in multi.consensus], round(multi.agreement["wsm"]["topsis"], 4)
    (['b', 'a', 'c'], 0.8165)
    """
    if not methods:
        raise WorkspaceError([Issue("bad-argument", "rank_all needs at least one method")])
    params = params or {}
    weights = as_weights(problem, weights)
    results = {m: rank_problem(problem, weights, m, **params.get(m, {})) for m in methods}
    ranks = dict(zip(results, rank_matrix(problem, list(results.values()))))
    agreement = {m1: {m2: kendall_tau_b(ranks[m1], ranks[m2]) for m2 in ranks} for m1 in ranks}
    first = next(iter(results.values()))
    warnings = dict.fromkeys(w for rk in results.values() for w in rk.warnings)
    return MultiRanking(
        profile=first.profile,
        weights=first.weights,
        methods=results,
        consensus=consensus_rows(problem, list(results.values())),
        consensus_rule=CONSENSUS_RULE,
        agreement=agreement,
        warnings=tuple(warnings),
    )
