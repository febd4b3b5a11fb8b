"""Ranking results: frozen records with ``to_dict()`` in DESIGN.md's JSON shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policyeval.display import Tabular, title_of


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


@dataclass(frozen=True, slots=True, repr=False)
class Ranking(Tabular):
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
    titles: dict[str, str] = field(default_factory=dict, compare=False)

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

    def to_frame(self) -> Any:
        """One row per option: ``rank``, ``option``, ``title``, ``score``, ``baseline``."""
        import pandas as pd

        return pd.DataFrame(
            {
                "rank": [r.rank for r in self.rows],
                "option": [r.option for r in self.rows],
                "title": [title_of(self.titles, r.option) for r in self.rows],
                "score": [r.score for r in self.rows],
                "baseline": [r.baseline for r in self.rows],
            }
        )

    def _caption(self) -> str:
        better = "higher" if self.higher_is_better else "lower"
        first = title_of(self.titles, self.rows[0].option) if self.rows else "none"
        return (
            f"{self.method} ranking, profile {self.profile} ({better} score is better): "
            f"first {first}"
        )


@dataclass(frozen=True, slots=True, repr=False)
class MultiRanking(Tabular):
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
    titles: dict[str, str] = field(default_factory=dict, compare=False)

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

    def to_frame(self) -> Any:
        """Tidy: one row per method and option (``consensus`` is a method too):
        ``method``, ``option``, ``title``, ``rank``, ``score``."""
        import pandas as pd

        rows = [
            (m, r.option, title_of(self.titles, r.option), r.rank, r.score)
            for m, rk in self.methods.items()
            for r in rk.rows
        ]
        rows += [
            ("consensus", r.option, title_of(self.titles, r.option), r.rank, r.score)
            for r in self.consensus
        ]
        return pd.DataFrame(rows, columns=["method", "option", "title", "rank", "score"])

    def _caption(self) -> str:
        first = self.consensus[0].option if self.consensus else "none"
        return (
            f"ranks by {len(self.methods)} methods, profile {self.profile}: consensus first "
            f"{title_of(self.titles, first)}"
        )

    def _repr_html_(self) -> str:
        from policyeval.display import styled

        frame = self.to_frame().pivot(index=["option", "title"], columns="method", values="rank")
        frame = frame[[*self.methods, "consensus"]].sort_values("consensus").reset_index()
        notes = [f"Consensus: {self.consensus_rule}", *self.warnings]
        return styled(frame, self._caption(), notes=notes)
