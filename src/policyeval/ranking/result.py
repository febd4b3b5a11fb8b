"""Ranking results: frozen records with ``to_dict()`` in DESIGN.md's JSON shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policyeval.display import html_table


@dataclass(frozen=True, slots=True)
class RankRow:
    """One option's place: score (in the method's own sense), rank (1 = best)."""

    option: str
    score: float
    rank: int
    baseline: bool = False

    def to_dict(self) -> dict[str, Any]:
        """``{"option", "score", "rank", "baseline"}``."""
        return {
            "option": self.option,
            "score": self.score,
            "rank": self.rank,
            "baseline": self.baseline,
        }


@dataclass(frozen=True, slots=True)
class Ranking:
    """The ranking of a problem's options by one method.

    ``rows`` are sorted by rank, then option id. ``higher_is_better`` is False
    for vikor, whose score is Q. ``details`` holds the method's intermediate
    results (e.g. vikor S, R and conditions; promethee flows).
    """

    profile: str | None
    method: str
    weights: dict[str, float]
    rows: tuple[RankRow, ...]
    higher_is_better: bool = True
    details: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """DESIGN.md ``rank`` shape, plus ``baseline`` per row and extra keys."""
        return {
            "profile": self.profile,
            "method": self.method,
            "weights": dict(self.weights),
            "ranking": [r.to_dict() for r in self.rows],
            "higher_is_better": self.higher_is_better,
            "details": self.details,
            "warnings": list(self.warnings),
        }

    def _repr_html_(self) -> str:
        rows = [
            (r.rank, r.option + (" (baseline)" if r.baseline else ""), r.score) for r in self.rows
        ]
        better = "higher" if self.higher_is_better else "lower"
        caption = f"{self.method} ranking, profile {self.profile} ({better} score is better)"
        return html_table(caption, ["rank", "option", "score"], rows, self.warnings)


@dataclass(frozen=True, slots=True)
class MultiRanking:
    """Every method's ranking, their consensus and their pairwise agreement.

    ``agreement[m1][m2]`` is Kendall's tau-b between the two methods' ranks
    (None when undefined, i.e. one method ties every option).
    """

    profile: str | None
    weights: dict[str, float]
    methods: dict[str, Ranking]
    consensus: tuple[RankRow, ...]
    consensus_rule: str
    agreement: dict[str, dict[str, float | None]]
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """DESIGN.md ``rank --method all`` shape, plus ``consensus_rule`` and extras."""
        return {
            "profile": self.profile,
            "weights": dict(self.weights),
            "methods": {m: [r.to_dict() for r in rk.rows] for m, rk in self.methods.items()},
            "consensus": [r.to_dict() for r in self.consensus],
            "consensus_rule": self.consensus_rule,
            "agreement": {m: dict(row) for m, row in self.agreement.items()},
            "details": {m: rk.details for m, rk in self.methods.items()},
            "warnings": list(self.warnings),
        }

    def _repr_html_(self) -> str:
        ranks = {m: {r.option: r.rank for r in rk.rows} for m, rk in self.methods.items()}
        rows = [
            (r.option, *(ranks[m][r.option] for m in self.methods), r.rank) for r in self.consensus
        ]
        caption = f"Ranks by method, profile {self.profile}"
        notes = [f"Consensus: {self.consensus_rule}", *self.warnings]
        return html_table(caption, ["option", *self.methods, "consensus"], rows, notes)
