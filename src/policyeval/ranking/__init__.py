"""Rank options and packages by several MCDA methods (DESIGN.md, Method definitions).

``score_batch`` gives batched utilities (higher is better) for Monte Carlo;
``rank_problem`` ranks one problem by one method; ``rank_all`` runs several
methods with a Borda consensus and Kendall's tau-b agreement. Every one also
takes ``skcriteria:NAME``, a scikit-criteria method (``skcriteria_methods``).
"""

from __future__ import annotations

from policyeval.ranking.consensus import CONSENSUS_RULE, kendall_tau_b, rank_all
from policyeval.ranking.core import METHODS, rank_problem, score_batch
from policyeval.ranking.ranks import competition_rank
from policyeval.ranking.result import MultiRanking, Ranking, RankRow
from policyeval.ranking.skcriteria_methods import is_skcriteria

__all__ = [
    "CONSENSUS_RULE",
    "METHODS",
    "MultiRanking",
    "RankRow",
    "Ranking",
    "competition_rank",
    "is_skcriteria",
    "kendall_tau_b",
    "rank_all",
    "rank_problem",
    "score_batch",
]
