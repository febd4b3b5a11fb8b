"""``Weights``: the one value type for criterion weights passed between layers."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


@dataclass(frozen=True, slots=True)
class Weights:
    """Normalized criterion weights, from a profile or given directly.

    Attributes
    ----------
    profile : str or None
        The profile id (None for weights given directly).
    name, method : str
        The profile's display name and weighting method (``given`` for direct weights).
    weights : dict of str to float
        Criterion -> weight, in workspace order; non-negative, sums to 1.
    consistency_ratio : float or None
        The worst consistency ratio over the profile's AHP (Saaty CR) and BWM
        (Rezaei CR) nodes; None when the method has none.
    warnings : tuple of str
        One per AHP node with CR above 0.10 (members' warnings included for groups).
    details : dict
        Per tree node, its local weights and method diagnostics; for groups,
        the members and what was aggregated.
    """

    profile: str | None
    name: str
    method: str
    weights: dict[str, float]
    consistency_ratio: float | None = None
    warnings: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def given(
        cls, values: Mapping[str, Any], criteria: Sequence[str], name: str = "given weights"
    ) -> Weights:
        """Weights from a mapping criterion -> number, checked and rescaled to sum 1.

        Raises
        ------
        WorkspaceError
            An unknown or missing criterion, a weight that is not a finite
            non-negative number, or all weights zero (one issue each).

        Examples
        --------
        >>> Weights.given({"a": 3, "b": 1}, ["a", "b"]).weights
        {'a': 0.75, 'b': 0.25}
        """
        from policyeval.errors import Issue, WorkspaceError, did_you_mean

        if not isinstance(values, Mapping):
            raise WorkspaceError(
                [
                    Issue(
                        "bad-weight", "weights must be a mapping {criterion: weight}", "", "weights"
                    )
                ]
            )
        issues = [
            Issue(
                "unknown-criterion",
                f"weight for unknown criterion '{c}'.{did_you_mean(str(c), criteria)}",
                "",
                "weights",
            )
            for c in values
            if c not in criteria
        ]
        missing = [c for c in criteria if c not in values]
        if missing:
            issues.append(
                Issue(
                    "missing-weight",
                    f"no weight for {len(missing)} criteria: {', '.join(missing)}; "
                    "give every criterion one",
                    "",
                    "weights",
                )
            )
        for c in criteria:
            w = values.get(c, 0.0)
            ok = isinstance(w, int | float) and not isinstance(w, bool) and math.isfinite(w)
            if not ok or w < 0:
                issues.append(
                    Issue(
                        "bad-weight",
                        f"the weight of '{c}' must be a non-negative number. Got {w!r} instead.",
                        "",
                        f"weights.{c}",
                    )
                )
        largest = max((float(values[c]) for c in criteria), default=0.0) if not issues else 0.0
        if not issues and largest <= 0:
            issues.append(Issue("bad-weight", "the weights must not all be zero", "", "weights"))
        if issues:
            raise WorkspaceError(issues)
        given = {c: float(values[c]) for c in criteria}
        if not math.isfinite(sum(given.values())):  # over 1.8e308: divide by the largest first
            given = {c: w / largest for c, w in given.items()}
        total = sum(given.values())
        return cls(None, name, "given", {c: w / total for c, w in given.items()})

    def vector(self, criteria: Sequence[str]) -> np.ndarray:
        """Weights in the order of ``criteria``, shape ``(m,)``."""
        import numpy as np

        return np.array([self.weights[c] for c in criteria], dtype=float)

    def to_dict(self) -> dict[str, Any]:
        """The DESIGN.md ``weights`` JSON shape, plus ``name`` and ``details``."""
        return {
            "profile": self.profile,
            "method": self.method,
            "weights": dict(self.weights),
            "consistency_ratio": self.consistency_ratio,
            "warnings": list(self.warnings),
            "name": self.name,
            "details": self.details,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per criterion: ``criterion``, ``name``, ``weight``."""
        import pandas as pd

        return pd.DataFrame(
            {
                "criterion": list(self.weights),
                "name": [self.titles.get(c, c) for c in self.weights],
                "weight": list(self.weights.values()),
            }
        )

    def __repr__(self) -> str:
        top = sorted(self.weights.items(), key=lambda kv: -kv[1])[:3]
        lead = ", ".join(f"{c} {w:.1%}" for c, w in top)
        cr = "" if self.consistency_ratio is None else f", CR {self.consistency_ratio:.3f}"
        more = ", …" if len(self.weights) > 3 else ""
        return f"<Weights {self.profile or self.name} ({self.method}{cr}): {lead}{more}>"

    def _repr_html_(self) -> str:
        from policyeval.display import styled

        notes = list(self.warnings)
        if self.consistency_ratio is not None:
            notes.insert(0, f"Consistency ratio: {self.consistency_ratio:.3f}")
        caption = f"Weights of {self.profile or 'given weights'} ({self.name}, {self.method})"
        return styled(self.to_frame(), caption, percent=["weight"], notes=notes)
