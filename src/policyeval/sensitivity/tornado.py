"""Tornado: one-at-a-time effects on the top option's lead (wsm).

The lead is the top option's wsm score minus the best other option's. Each
factor is moved to its two ends while everything else stays put:

- a score with a range: to its ``low`` and to its ``high`` (values on the
  problem's scale, held fixed, as in SMAA);
- a weight: ``w_j * (1 - spread)`` and ``w_j * (1 + spread)``, all weights
  then renormalized to sum 1.

A negative lead means the top option is overtaken at that end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from policyeval.model.problem import Problem
from policyeval.ranking.ranks import competition_rank

DEFAULT_SPREAD = 0.2


@dataclass(frozen=True, slots=True)
class Tornado:
    """Tornado data, factors sorted by swing (largest first).

    Attributes
    ----------
    top : str
        The top option at the given weights.
    base_lead : float
        Its lead over the best other option.
    spread : float
        Relative change of each weight.
    rows : tuple of dict
        ``factor``, ``kind`` (score | weight), ``option`` (None for a weight),
        ``criterion``, ``low`` and ``high`` (the inputs at both ends),
        ``lead_low``, ``lead_high`` and ``swing`` = ``|lead_high - lead_low|``.
    """

    top: str
    base_lead: float
    spread: float
    rows: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        return {
            "top": self.top,
            "base_lead": self.base_lead,
            "spread": self.spread,
            "rows": list(self.rows),
        }


def _lead(v: np.ndarray, w: np.ndarray, top: int) -> float:
    s = v @ w
    return float(s[top] - np.delete(s, top).max())


def tornado(problem: Problem, weights: np.ndarray, spread: float = DEFAULT_SPREAD) -> Tornado:
    """One-at-a-time swings of the top option's lead under wsm.

    Parameters
    ----------
    problem : Problem
        The decision problem (at least two options).
    weights : array_like, shape (m,)
        Weights (rescaled to sum 1).
    spread : float
        Relative change of each weight, in [0, 1).

    Returns
    -------
    Tornado

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b"], ["x", "y"], np.array([[1.0, 0.0], [0.0, 1.0]]),
    ...                  [True, True], low=np.array([[0.5, 0.0], [0.0, 1.0]]))
    >>> t = tornado(p, np.array([0.6, 0.4]))
    >>> t.top, round(t.base_lead, 6), [r["factor"] for r in t.rows][:1]
    ('a', 0.2, ['score a.x'])
    """
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    v = problem.values()
    top = int(np.flatnonzero(competition_rank(v @ w) == 1)[0])
    rows = []
    for i, j in zip(*np.nonzero(problem.high > problem.low)):
        ends = []
        for x in (problem.low[i, j], problem.high[i, j]):
            scores = problem.scores.copy()
            scores[i, j] = x
            ends.append(_lead(problem.values(scores), w, top))
        oid, cid = problem.options[i], problem.criteria[j]
        rows.append(
            _row(
                f"score {oid}.{cid}", "score", oid, cid, problem.low[i, j], problem.high[i, j], ends
            )
        )
    for j, cid in enumerate(problem.criteria):
        ends, inputs = [], []
        for f in (1.0 - spread, 1.0 + spread):
            moved = w.copy()
            moved[j] *= f
            moved /= moved.sum()
            inputs.append(moved[j])
            ends.append(_lead(v, moved, top))
        rows.append(_row(f"weight {cid}", "weight", None, cid, inputs[0], inputs[1], ends))
    rows.sort(key=lambda r: (-r["swing"], r["factor"]))
    return Tornado(
        top=problem.options[top], base_lead=_lead(v, w, top), spread=spread, rows=tuple(rows)
    )


def _row(
    factor: str, kind: str, option: str | None, cid: str, low: float, high: float, ends: list
) -> dict[str, Any]:
    return {
        "factor": factor,
        "kind": kind,
        "option": option,
        "criterion": cid,
        "low": float(low),
        "high": float(high),
        "lead_low": ends[0],
        "lead_high": ends[1],
        "swing": abs(ends[1] - ends[0]),
    }


def tornado_svg(
    t: Tornado,
    max_rows: int = 15,
    labels: Mapping[str, str] | None = None,
    alt: str = "",
    png: bool = False,
) -> str | bytes:
    """A tornado chart as SVG text (deterministic bytes; drawn by :mod:`policyeval.charts`).

    Bars run from the lead at the factor's low end to the lead at its high
    end, around the base lead; the largest swings are on top.

    Parameters
    ----------
    t : Tornado
        The tornado data.
    max_rows : int
        Largest swings shown.
    labels : mapping, optional
        Readable names of option and criterion ids (default: the ids).
    alt : str, optional
        The chart's alt text (default: a sentence naming the top option).
    png : bool
        PNG bytes instead of SVG text (:func:`policyeval.charts.png`, for Word documents).

    Examples
    --------
    >>> t = Tornado("a", 0.2, 0.2, ({"factor": "weight x", "kind": "weight", "option": None,
    ...                             "criterion": "x", "lead_low": 0.1, "lead_high": 0.3,
    ...                             "swing": 0.2},))
    >>> svg = tornado_svg(t, labels={"x": "Cost", "a": "Option A"})
    >>> svg.startswith("<?xml") and svg == tornado_svg(t, labels={"x": "Cost", "a": "Option A"})
    True
    >>> "Weight of Cost" in svg
    True
    """
    from policyeval import charts

    names = dict(labels or {})
    rows = t.rows[:max_rows]
    top = names.get(t.top, t.top)
    texts = [
        charts.tornado_label(
            names.get(r["criterion"], r["criterion"]),
            None if r["kind"] == "weight" else names.get(r["option"], r["option"]),
            r["option"] == t.top,
        )
        for r in rows
    ]
    return (charts.png if png else charts.svg)(
        charts.draw_tornado,
        7.0,
        charts.rows_height([charts.wrap(x, 52) for x in texts], base=1.6),
        alt
        or f"Lead of {top} over the next best when one weight or score moves to either "
        "end of its range, largest swings first.",
        labels=texts,
        low=[r["lead_low"] for r in rows],
        high=[r["lead_high"] for r in rows],
        base=t.base_lead,
        xlabel=f"Lead of {top} over the next best (weighted sum)",
    )
