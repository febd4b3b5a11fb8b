"""The decision matrix every method works on, built once from a workspace.

A :class:`Problem` holds numpy arrays (read-only) with documented shapes, so
that kernels in ``weighting``, ``ranking``, ``sensitivity`` and
``optimization`` never touch YAML-level objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from policyeval.model.workspace import Workspace


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, slots=True)
class Problem:
    """Options x criteria scores with ranges, directions and scales.

    Attributes
    ----------
    options : tuple of str
        Option (or package) ids, shape ``(n,)``.
    criteria : tuple of str
        Criterion ids, shape ``(m,)``.
    scores : ndarray, shape (n, m)
        Raw scores ``x_ij``.
    low, high : ndarray, shape (n, m)
        Score ranges (equal to ``scores`` where certain).
    maximize : ndarray of bool, shape (m,)
        True for ``direction: max``.
    scale_lo, scale_hi : ndarray, shape (m,)
        The declared scale, or min..max of ``scores`` over the options compared.
    declared_scale : ndarray of bool, shape (m,)
        True where the criterion declares a ``scale``.
    preferences : tuple of dict
        PROMETHEE preference function per criterion.
    baseline : int or None
        Row index of the baseline option.
    costs : ndarray, shape (n,)
        Option costs (0 for packages and the baseline unless declared).
    """

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    scores: np.ndarray
    low: np.ndarray
    high: np.ndarray
    maximize: np.ndarray
    scale_lo: np.ndarray
    scale_hi: np.ndarray
    declared_scale: np.ndarray
    preferences: tuple[dict, ...]
    baseline: int | None = None
    costs: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_options, n_criteria)``."""
        return self.scores.shape  # type: ignore[return-value]

    @property
    def constant_criteria(self) -> list[str]:
        """Criteria whose value range is empty (every option gets value 1)."""
        return [c for c, lo, hi in zip(self.criteria, self.scale_lo, self.scale_hi) if hi <= lo]

    def values(self, scores: np.ndarray | None = None) -> np.ndarray:
        """MAVT values in [0, 1] (DESIGN.md, Value function), shape like ``scores``.

        ``scores`` may carry leading sample axes ``(..., n, m)``; the scale is
        the problem's (declared or observed on the point scores).
        """
        x = self.scores if scores is None else scores
        return value_matrix(x, self.maximize, self.scale_lo, self.scale_hi)

    def subset(self, rows: Sequence[int]) -> Problem:
        """The problem restricted to some options, observed scales recomputed."""
        rows = list(rows)
        base = None
        if self.baseline is not None and self.baseline in rows:
            base = rows.index(self.baseline)
        return make_problem(
            options=[self.options[i] for i in rows],
            criteria=self.criteria,
            scores=self.scores[rows],
            low=self.low[rows],
            high=self.high[rows],
            maximize=self.maximize,
            declared=[
                (float(lo), float(hi)) if d else None
                for lo, hi, d in zip(self.scale_lo, self.scale_hi, self.declared_scale)
            ],
            preferences=self.preferences,
            baseline=base,
            costs=None if self.costs is None else self.costs[rows],
        )


def value_matrix(
    scores: np.ndarray, maximize: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Linear value function: ``(x - lo)/(hi - lo)`` for max, ``(hi - x)/(hi - lo)`` for min.

    A constant criterion (``hi <= lo``) gets value 1 for every option.

    Examples
    --------
    >>> value_matrix(np.array([[0.0, 5.0], [10.0, 0.0]]), np.array([True, False]),
    ...              np.array([0.0, 0.0]), np.array([10.0, 5.0])).tolist()
    [[0.0, 0.0], [1.0, 1.0]]
    """
    span = hi - lo
    flat = span <= 0
    safe = np.where(flat, 1.0, span)
    v = np.where(maximize, (scores - lo) / safe, (hi - scores) / safe)
    return np.where(flat, 1.0, v)


def make_problem(
    options: Sequence[str],
    criteria: Sequence[str],
    scores: np.ndarray,
    maximize: Sequence[bool] | np.ndarray,
    low: np.ndarray | None = None,
    high: np.ndarray | None = None,
    declared: Sequence[tuple[float, float] | None] | None = None,
    preferences: Sequence[dict] | None = None,
    baseline: int | None = None,
    costs: np.ndarray | Sequence[float] | None = None,
) -> Problem:
    """Build a :class:`Problem` from arrays (handy in tests and kernels).

    Examples
    --------
    >>> p = make_problem(["a", "b"], ["x"], np.array([[1.0], [3.0]]), [True])
    >>> p.scale_lo.tolist(), p.scale_hi.tolist()
    ([1.0], [3.0])
    """
    x = np.asarray(scores, dtype=float)
    m = x.shape[1]
    declared = list(declared) if declared is not None else [None] * m
    obs_lo, obs_hi = x.min(axis=0), x.max(axis=0)
    lo = np.array([d[0] if d else obs_lo[j] for j, d in enumerate(declared)], dtype=float)
    hi = np.array([d[1] if d else obs_hi[j] for j, d in enumerate(declared)], dtype=float)
    return Problem(
        options=tuple(options),
        criteria=tuple(criteria),
        scores=_frozen(x),
        low=_frozen(x if low is None else low),
        high=_frozen(x if high is None else high),
        maximize=_frozen_bool(maximize),
        scale_lo=_frozen(lo),
        scale_hi=_frozen(hi),
        declared_scale=_frozen_bool([d is not None for d in declared]),
        preferences=tuple(preferences) if preferences is not None else ({"type": "usual"},) * m,
        baseline=baseline,
        costs=None if costs is None else _frozen(np.asarray(costs, dtype=float)),
    )


def _frozen_bool(a: Sequence[bool] | np.ndarray) -> np.ndarray:
    arr = np.array(a, dtype=bool)
    arr.setflags(write=False)
    return arr


def build_problem(
    ws: Workspace, options: Sequence[str] | None = None, packages: bool = False
) -> Problem:
    """The decision matrix of a workspace's options, or of its packages.

    Parameters
    ----------
    ws : Workspace
        A validated workspace.
    options : sequence of str, optional
        Option ids to compare (default: all, baseline included).
    packages : bool
        Compare the packages instead (scores combined by each criterion's
        ``combine`` rule, plus synergies), with the baseline as a reference row.
    """
    crits = ws.criteria
    if packages:
        from policyeval.model.packages import package_rows

        ids, x, lo, hi, costs = package_rows(ws)
    else:
        chosen = [ws.option(o) for o in (options if options is not None else ws.option_ids)]
        ids = [o.id for o in chosen]
        x = np.array([[o.scores[c.id].value for c in crits] for o in chosen], dtype=float)
        lo = np.array([[o.scores[c.id].lo for c in crits] for o in chosen], dtype=float)
        hi = np.array([[o.scores[c.id].hi for c in crits] for o in chosen], dtype=float)
        costs = np.array([o.cost for o in chosen], dtype=float)
    base_id = ws.baseline.id if ws.baseline else None
    return make_problem(
        options=ids,
        criteria=[c.id for c in crits],
        scores=x,
        low=lo,
        high=hi,
        maximize=[c.direction == "max" for c in crits],
        declared=[c.scale for c in crits],
        preferences=[c.preference for c in crits],
        baseline=ids.index(base_id) if base_id in ids else None,
        costs=costs,
    )
