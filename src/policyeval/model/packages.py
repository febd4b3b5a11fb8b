"""Package scores: members combined per criterion, plus synergies.

Rule (DESIGN.md, packages.yaml): a package's score on criterion j is the
``combine`` rule of j (``sum``, ``max``, ``min`` or ``mean``) applied to its
members' scores; low and high ends are combined the same way (all rules are
monotone, so the range stays ordered). Then every synergy whose options are
all members adds its ``adjust`` to value, low and high; the result is
clipped to the criterion's declared scale when it has one. A package's cost
is the sum of its members' costs. The baseline is kept as a reference row.
"""

from __future__ import annotations

import numpy as np

from policyeval.model.workspace import Workspace

_RULES = {"sum": np.sum, "max": np.max, "min": np.min, "mean": np.mean}


def combined_scores(ws: Workspace, members: list[str]) -> np.ndarray:
    """Scores, low and high ends of a set of options combined as a package, shape ``(3, m)``.

    Each criterion's ``combine`` rule over the members, then the synergies whose
    options are all members, clipped to the declared scale.
    """
    opts = [ws.option(o) for o in members]
    present = set(members)
    out = np.empty((3, len(ws.criteria)))
    for k, attr in enumerate(("value", "lo", "hi")):
        for j, c in enumerate(ws.criteria):
            vals = np.array([getattr(o.scores[c.id], attr) for o in opts], dtype=float)
            v = float(_RULES[c.combine_rule](vals))
            v += sum(s.adjust.get(c.id, 0.0) for s in ws.synergies if present >= set(s.options))
            if c.scale is not None:
                v = min(max(v, c.scale[0]), c.scale[1])
            out[k, j] = v
    return out


def package_rows(
    ws: Workspace,
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ids, scores, low, high (each ``(n, m)``) and costs of the packages.

    The baseline, when declared, comes first as a reference row.
    """
    ids: list[str] = []
    rows: list[list[np.ndarray]] = [[], [], []]
    costs: list[float] = []
    if ws.baseline is not None:
        b = ws.baseline
        ids.append(b.id)
        for k, attr in enumerate(("value", "lo", "hi")):
            rows[k].append(np.array([getattr(b.scores[c.id], attr) for c in ws.criteria]))
        costs.append(b.cost)
    for pkg in ws.packages:
        combined = combined_scores(ws, list(pkg.options))
        for k in range(3):
            rows[k].append(combined[k])
        ids.append(pkg.id)
        costs.append(sum(ws.option(o).cost for o in pkg.options))
    x, lo, hi = (np.vstack(r) for r in rows)
    return ids, x, lo, hi, np.array(costs, dtype=float)
