"""Variants of a decision problem (other rows or scores), scales handled as in the model."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from policyeval.model.problem import Problem, make_problem


def variant(
    problem: Problem,
    rows: Sequence[int] | None = None,
    options: Sequence[str] | None = None,
    scores: np.ndarray | None = None,
) -> Problem:
    """The problem with rows picked (repeats allowed) and/or new scores.

    Declared scales are kept; observed scales are recomputed over the new rows
    and scores, as :func:`~policyeval.model.problem.build_problem` would.

    Examples
    --------
    >>> p = make_problem(["a", "b"], ["x"], np.array([[1.0], [3.0]]), [True])
    >>> q = variant(p, scores=np.array([[1.0], [5.0]]))
    >>> q.scale_hi.tolist(), variant(p, [0, 1, 1], ["a", "b", "b2"]).options
    ([5.0], ('a', 'b', 'b2'))
    """
    idx = list(range(len(problem.options))) if rows is None else list(rows)
    x = problem.scores[idx] if scores is None else np.asarray(scores, dtype=float)
    return make_problem(
        options=list(options) if options is not None else [problem.options[i] for i in idx],
        criteria=problem.criteria,
        scores=x,
        maximize=problem.maximize,
        low=np.minimum(problem.low[idx], x),
        high=np.maximum(problem.high[idx], x),
        declared=[
            (float(lo), float(hi)) if d else None
            for lo, hi, d in zip(problem.scale_lo, problem.scale_hi, problem.declared_scale)
        ],
        preferences=problem.preferences,
        baseline=problem.baseline,
        costs=None if problem.costs is None else problem.costs[idx],
    )
