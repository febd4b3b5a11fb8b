"""Random weights and scores for SMAA, reproducible block by block.

Samples are drawn in fixed blocks of :data:`BLOCK` samples, block ``b`` from
its own generator ``default_rng(SeedSequence(seed, spawn_key=(stream, b)))``.
The numbers therefore depend on the seed only, never on how many samples a
caller evaluates at once (its chunk size): chunked and unchunked runs draw the
same samples. Within a block, weights are drawn first, then scores.

Weight samplers (``sample_weights``)
-------------------------------------
- **uniform** (default, SMAA-2 with no preference information): uniform on the
  simplex, i.e. Dirichlet(1, ..., 1), drawn as normalized standard
  exponentials (the same law as the gaps of sorted uniforms).
- **bounds** ``lo_j <= w_j <= hi_j``: ``w = lo + (1 - sum(lo)) * y`` with ``y``
  uniform on the simplex, rejected unless ``w <= hi``. This is exactly uniform
  on the bounded part of the simplex (rejection keeps the law conditional on
  acceptance; the affine map has constant Jacobian).
- **spread** ``s`` around a centre ``c``: ``w_j = c_j * U(1 - s, 1 + s)``,
  then renormalized to sum 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from policyeval.errors import Issue, WorkspaceError

BLOCK = 2048
"""Samples per random block (fixed: results must not depend on the chunk size)."""

WEIGHT_STREAM = 0
CONFIDENCE_STREAM = 1
_MAX_REJECTION_ROUNDS = 200


def block_rngs(
    seed: int, samples: int, stream: int = WEIGHT_STREAM
) -> Iterator[tuple[int, np.random.Generator]]:
    """``(size, generator)`` for each block of ``samples`` in order.

    Examples
    --------
    >>> [size for size, _ in block_rngs(0, 5000)]
    [2048, 2048, 904]
    """
    for b, start in enumerate(range(0, samples, BLOCK)):
        ss = np.random.SeedSequence(seed, spawn_key=(stream, b))
        yield min(BLOCK, samples - start), np.random.default_rng(ss)


def check_bounds(bounds: np.ndarray, criteria: Sequence[str] | None = None) -> np.ndarray:
    """Validate weight bounds, shape ``(m, 2)``; raise WorkspaceError if empty.

    Examples
    --------
    >>> check_bounds(np.array([[0.6, 1.0], [0.5, 1.0]]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    policyeval.errors.WorkspaceError: bounds: infeasible weight bounds: ... sum to 1.1 > 1
    """
    b = np.asarray(bounds, dtype=float)
    names = list(criteria) if criteria is not None else [str(j) for j in range(len(b))]
    issues = [
        Issue(
            "bad-bounds",
            f"weight bounds [{lo}, {hi}] must satisfy 0 <= lo <= hi <= 1",
            "",
            f"bounds.{c}",
        )
        for c, (lo, hi) in zip(names, b)
        if not 0.0 <= lo <= hi <= 1.0
    ]
    if not issues and b[:, 0].sum() > 1.0 + 1e-12:
        msg = f"infeasible weight bounds: the lower bounds sum to {b[:, 0].sum():.6g} > 1"
        issues.append(Issue("infeasible-bounds", msg, "", "bounds"))
    if not issues and b[:, 1].sum() < 1.0 - 1e-12:
        msg = f"infeasible weight bounds: the upper bounds sum to {b[:, 1].sum():.6g} < 1"
        issues.append(Issue("infeasible-bounds", msg, "", "bounds"))
    if issues:
        raise WorkspaceError(issues)
    return b


def _uniform_simplex(rng: np.random.Generator, size: int, m: int) -> np.ndarray:
    e = rng.standard_exponential((size, m))
    return e / e.sum(axis=1, keepdims=True)


def weight_block(
    rng: np.random.Generator,
    size: int,
    m: int,
    center: np.ndarray | None = None,
    spread: float | None = None,
    bounds: np.ndarray | None = None,
) -> np.ndarray:
    """One block of weight vectors, shape ``(size, m)`` (see the module docstring)."""
    if spread is not None:
        w = np.asarray(center, dtype=float) * rng.uniform(1.0 - spread, 1.0 + spread, (size, m))
        return w / w.sum(axis=1, keepdims=True)
    if bounds is None:
        return _uniform_simplex(rng, size, m)
    lo, hi = bounds[:, 0], bounds[:, 1]
    free = 1.0 - lo.sum()
    if free <= 1e-12:
        return np.broadcast_to(lo / lo.sum(), (size, m)).copy()
    cap = (hi - lo) / free
    kept: list[np.ndarray] = []
    need = size
    for _ in range(_MAX_REJECTION_ROUNDS):
        y = _uniform_simplex(rng, size, m)
        ok = y[np.all(y <= cap, axis=1)]
        kept.append(ok[:need])
        need -= len(kept[-1])
        if need == 0:
            return lo + free * np.concatenate(kept)
    raise WorkspaceError(
        [
            Issue(
                "narrow-bounds",
                "weight bounds are too narrow to sample by rejection (fewer than "
                f"{size} of {size * _MAX_REJECTION_ROUNDS} draws fell inside); widen them",
                "",
                "bounds",
            )
        ]
    )


def sample_weights(
    m: int,
    samples: int,
    seed: int = 0,
    center: Sequence[float] | np.ndarray | None = None,
    spread: float | None = None,
    bounds: Sequence[tuple[float, float]] | np.ndarray | None = None,
) -> np.ndarray:
    """Random weight vectors on the simplex, shape ``(samples, m)``.

    The same vectors SMAA uses with the same seed and options.

    Parameters
    ----------
    m : int
        Number of criteria.
    samples : int
        Number of weight vectors.
    seed : int
        Random seed.
    center : array_like, shape (m,), optional
        Weights to spread around (required with ``spread``).
    spread : float, optional
        Relative spread ``s`` in [0, 1): ``w_j = c_j * U(1 - s, 1 + s)``, renormalized.
    bounds : array_like, shape (m, 2), optional
        ``(lo, hi)`` per criterion: uniform on the simplex restricted to them.

    Raises
    ------
    WorkspaceError
        For a bad spread, infeasible bounds, or both spread and bounds.

    Examples
    --------
    >>> w = sample_weights(3, 4, seed=1)
    >>> w.shape, bool(np.allclose(w.sum(axis=1), 1.0))
    ((4, 3), True)
    >>> w = sample_weights(2, 1000, bounds=[(0.2, 0.3), (0.0, 1.0)])
    >>> bool(w[:, 0].min() >= 0.2 and w[:, 0].max() <= 0.3)
    True
    """
    c, s, b = check_sampler(m, center, spread, bounds)
    blocks = [weight_block(rng, size, m, c, s, b) for size, rng in block_rngs(seed, samples)]
    return np.concatenate(blocks) if blocks else np.empty((0, m))


def check_sampler(
    m: int,
    center: Sequence[float] | np.ndarray | None,
    spread: float | None,
    bounds: Sequence[tuple[float, float]] | np.ndarray | None,
    criteria: Sequence[str] | None = None,
) -> tuple[np.ndarray | None, float | None, np.ndarray | None]:
    """Validate sampler options; return ``(center, spread, bounds)`` as arrays."""
    if spread is not None and bounds is not None:
        raise WorkspaceError(
            [
                Issue(
                    "bad-argument",
                    "choose either a spread or weight bounds, not both",
                    "",
                    "spread",
                )
            ]
        )
    c = None
    if spread is not None:
        if not 0.0 <= spread < 1.0:
            msg = f"The 'spread' parameter must be a float in [0, 1). Got {spread} instead."
            raise WorkspaceError([Issue("bad-argument", msg, "", "spread")])
        if center is None or len(center) != m:
            msg = f"a spread needs centre weights of length {m}"
            raise WorkspaceError([Issue("bad-argument", msg, "", "spread")])
        c = np.asarray(center, dtype=float)
    b = None if bounds is None else check_bounds(np.asarray(bounds, dtype=float), criteria)
    return c, spread, b


def score_block(
    rng: np.random.Generator, size: int, scores: np.ndarray, low: np.ndarray, high: np.ndarray
) -> np.ndarray | None:
    """Scores drawn from triangular(low, score, high), shape ``(size, n, m)``.

    Cells with ``low == high`` stay certain. Returns None when no cell has a
    range (nothing to draw: the caller keeps the point scores).

    Examples
    --------
    >>> x = np.array([[1.0, 5.0]]); lo = np.array([[0.0, 5.0]]); hi = np.array([[2.0, 5.0]])
    >>> s = score_block(np.random.default_rng(0), 100, x, lo, hi)
    >>> s.shape, bool((s[:, 0, 1] == 5.0).all()), bool((s[:, 0, 0] >= 0).all())
    ((100, 1, 2), True, True)
    """
    uncertain = high > low
    if not uncertain.any():
        return None
    out = np.broadcast_to(scores, (size, *scores.shape)).copy()
    out[:, uncertain] = rng.triangular(
        low[uncertain], scores[uncertain], high[uncertain], (size, int(uncertain.sum()))
    )
    return out
