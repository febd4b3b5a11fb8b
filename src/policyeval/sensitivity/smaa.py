"""SMAA-2: rank acceptability, central weights, confidence and pairwise winning.

Samples are evaluated chunk by chunk with one batched call of
:func:`policyeval.ranking.score_batch` per chunk; ranks come from one argsort
per sample row, and every statistic is accumulated block by block (blocks of
:data:`~policyeval.sensitivity.sampling.BLOCK` samples, see ``sampling``), so
that the numbers depend on the seed only, not on the chunk size.

Ties (utilities equal within the tie tolerance of
:func:`policyeval.ranking.competition_rank`) share their ranks: ``t`` options
tied for ranks ``r..r+t-1`` each count ``1/t`` for each of those ranks. Rows
and columns of the acceptability matrix therefore both sum to 1. A tied option
does not beat the options it is tied with (pairwise winning).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from policyeval.model.problem import Problem
from policyeval.ranking.ranks import TIE_TOL
from policyeval.sensitivity.sampling import (
    BLOCK,
    CONFIDENCE_STREAM,
    block_rngs,
    check_sampler,
    score_block,
    weight_block,
)

_TARGET_CELLS = 1 << 23  # floats per chunk of sampled scores (64 MB)


@dataclass(frozen=True, slots=True)
class SmaaResult:
    """SMAA-2 results (Lahdelma & Salminen 2001).

    Attributes
    ----------
    options, criteria : tuple of str
        Row and column labels.
    method : str
        Ranking method used for every sample.
    samples, seed : int
        Number of Monte Carlo samples and the seed.
    sampler : str
        ``uniform``, ``bounds`` or ``spread`` (see ``sampling``).
    acceptability : ndarray, shape (n, n)
        ``b[i, r]``: share of samples in which option ``i`` has rank ``r + 1``.
    central_weights : ndarray, shape (n, m)
        Mean weight vector of the samples in which ``i`` ranks first (NaN if never).
    confidence : ndarray, shape (n,)
        Share of score samples in which ``i`` ranks first at its central
        weights (NaN if never first).
    pairwise : ndarray, shape (n, n)
        Share of samples in which option ``i`` beats option ``k``.
    """

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    method: str
    samples: int
    seed: int
    sampler: str
    acceptability: np.ndarray
    central_weights: np.ndarray
    confidence: np.ndarray
    pairwise: np.ndarray

    def central_weights_dict(self) -> dict[str, dict[str, float] | None]:
        """Central weights by option (None for an option never first)."""
        return {
            o: None if np.isnan(row).any() else dict(zip(self.criteria, row.tolist()))
            for o, row in zip(self.options, self.central_weights)
        }


def _tie_groups(su: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """First and last sorted position of each position's tie group, or None if no ties.

    ``su`` holds each row's utilities sorted in decreasing order.
    """
    gap = su[:, :-1] - su[:, 1:]
    if gap.size == 0 or gap.min() > TIE_TOL * max(1.0, float(np.abs(su).max())):
        return None  # quick exit: no gap is within the largest tolerance
    a, b = su[:, :-1], su[:, 1:]
    tied = gap <= TIE_TOL * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    if not tied.any():
        return None
    s, n = su.shape
    pos = np.broadcast_to(np.arange(n), (s, n))
    yes = np.ones((s, 1), dtype=bool)
    start = np.maximum.accumulate(np.where(np.hstack([yes, ~tied]), pos, 0), axis=1)
    end = np.minimum.accumulate(np.where(np.hstack([~tied, yes]), pos, n)[:, ::-1], axis=1)
    return start, end[:, ::-1]


class _Accumulator:
    """Counts of one SMAA run, added block by block in a fixed order."""

    def __init__(self, n: int, m: int) -> None:
        self.n = n
        self.rank_counts = np.zeros(n * n)
        self.first_weight = np.zeros((n, m))
        self.first_count = np.zeros(n)
        self.beats = np.zeros((n, n), dtype=np.int64)

    def add(self, u: np.ndarray, w: np.ndarray) -> None:
        """Add one block: utilities ``(B, n)`` and weights ``(B, m)``."""
        n = self.n
        rows = len(u)
        order = np.argsort(-u, axis=1)
        groups = _tie_groups(np.take_along_axis(u, order, axis=1))
        slots = np.broadcast_to(np.arange(n), order.shape)
        if groups is None:
            start = slots
            self.rank_counts += np.bincount((order * n + slots).ravel(), minlength=n * n)
            first, share = order[:, 0], np.ones(rows)
        else:
            start, end = groups
            size = end - start + 1
            for off in range(int(size.max())):
                ok = off < size
                idx = order[ok] * n + (start + off)[ok]
                self.rank_counts += np.bincount(idx, weights=1.0 / size[ok], minlength=n * n)
            at_top = start == 0
            first, share = order[at_top], 1.0 / size[at_top]
            w = np.repeat(w, at_top.sum(axis=1), axis=0)
        self.first_count += np.bincount(first, weights=share, minlength=n)
        for j in range(w.shape[1]):
            self.first_weight[:, j] += np.bincount(first, weights=share * w[:, j], minlength=n)
        # rank[s, i]: 0-based competition rank of option i (inverse permutation of order)
        rank = np.empty(rows * n, dtype=np.int16)
        rank[(order + n * np.arange(rows)[:, None]).ravel()] = start.ravel()
        rank = rank.reshape(rows, n)
        for lo in range(0, rows, 255):  # uint8 sums of at most 255 rows cannot overflow
            r = rank[lo : lo + 255]
            beats = r[:, :, None] < r[:, None, :]
            self.beats += np.add.reduce(beats.view(np.uint8), axis=0, dtype=np.uint8)


def _first_share(u: np.ndarray, i: int) -> float:
    """Sum over rows of ``1/t`` where option ``i`` is among ``t`` options tied first."""
    best = u.max(axis=1, keepdims=True)
    top = best - u <= TIE_TOL * np.maximum(1.0, np.maximum(np.abs(best), np.abs(u)))
    return float(np.sum(top[:, i] / top.sum(axis=1)))


def _chunk_blocks(chunk: int | None, n: int, m: int) -> int:
    if chunk is None:
        chunk = _TARGET_CELLS // max(1, n * m)
    return max(1, int(chunk) // BLOCK)


def smaa(
    problem: Problem,
    method: str = "wsm",
    samples: int = 10_000,
    seed: int = 0,
    center: Sequence[float] | np.ndarray | None = None,
    spread: float | None = None,
    bounds: Sequence[tuple[float, float]] | np.ndarray | None = None,
    chunk: int | None = None,
    progress: Callable[[int], Any] | None = None,
    **params: float,
) -> SmaaResult:
    """Stochastic multicriteria acceptability analysis (SMAA-2).

    Parameters
    ----------
    problem : Problem
        Options, criteria, scores and their ranges.
    method : str
        A ranking method of :data:`policyeval.ranking.METHODS`.
    samples : int
        Number of Monte Carlo samples (weights and scores drawn together).
    seed : int
        Random seed; same seed, same numbers whatever ``chunk``.
    center, spread, bounds
        Weight sampler (see :func:`~policyeval.sensitivity.sampling.sample_weights`).
    chunk : int, optional
        Samples evaluated per batched call (bounds memory); rounded down to a
        multiple of 2048, at least 2048. Default: about 64 MB of sampled scores.
    progress : callable, optional
        Called with the number of samples done after each chunk.
    **params : float
        Parameters of the ranking method.

    Returns
    -------
    SmaaResult

    Raises
    ------
    WorkspaceError
        Fewer than one sample, a bad sampler option, or a bad method.

    References
    ----------
    Lahdelma, R. & Salminen, P. (2001). SMAA-2: Stochastic multicriteria
    acceptability analysis for group decision making. *Operations Research*
    49(3), 444-454. Tervonen, T. & Figueira, J. R. (2008). A survey on
    stochastic multicriteria acceptability analysis methods. *J. Multi-Criteria
    Decision Analysis* 15, 1-14.

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b"], ["x", "y"], np.array([[1.0, 0.0], [0.0, 1.0]]), [True, True])
    >>> r = smaa(p, samples=20_000, seed=0)
    >>> bool(abs(r.acceptability[0, 0] - 0.5) < 0.02), r.acceptability.sum(axis=1).tolist()
    (True, [1.0, 1.0])
    """
    from policyeval.ranking import score_batch

    if samples < 1:
        from policyeval.errors import Issue, WorkspaceError

        msg = f"The 'samples' parameter must be a positive integer. Got {samples} instead."
        raise WorkspaceError([Issue("bad-argument", msg, "", "--samples")])
    n, m = problem.shape
    c, s, b = check_sampler(m, center, spread, bounds, problem.criteria)
    sampler = "spread" if s is not None else "bounds" if b is not None else "uniform"
    blocks = list(block_rngs(seed, samples))
    per_chunk = _chunk_blocks(chunk, n, m)
    acc = _Accumulator(n, m)
    done = 0
    for k in range(0, len(blocks), per_chunk):
        part = blocks[k : k + per_chunk]
        ws, xs = [], []
        for size, rng in part:
            ws.append(weight_block(rng, size, m, c, s, b))
            xs.append(score_block(rng, size, problem.scores, problem.low, problem.high))
        w = np.concatenate(ws)
        x = None if xs[0] is None else np.concatenate(xs)
        u = score_batch(method, problem, w, x, **params)
        for lo in range(0, len(w), BLOCK):
            acc.add(u[lo : lo + BLOCK], w[lo : lo + BLOCK])
        done += len(w)
        if progress is not None:
            progress(done)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = acc.first_weight / acc.first_count[:, None]
    confidence = _confidence(problem, method, central, samples, seed, params)
    return SmaaResult(
        options=problem.options,
        criteria=problem.criteria,
        method=method,
        samples=samples,
        seed=seed,
        sampler=sampler,
        acceptability=acc.rank_counts.reshape(n, n) / samples,
        central_weights=central,
        confidence=confidence,
        pairwise=acc.beats / samples,
    )


def _confidence(
    problem: Problem,
    method: str,
    central: np.ndarray,
    samples: int,
    seed: int,
    params: dict[str, float],
) -> np.ndarray:
    """Confidence factors: share of score samples won at each option's central weights."""
    from policyeval.ranking import score_batch

    n = len(central)
    has = ~np.isnan(central).any(axis=1)
    out = np.full(n, np.nan)
    if not (problem.high > problem.low).any():
        u = score_batch(method, problem, np.where(has[:, None], central, 1.0), **params)
        for i in np.flatnonzero(has):
            out[i] = _first_share(u[i : i + 1], i)
        return out
    wins = np.zeros(n)
    for size, rng in block_rngs(seed, samples, CONFIDENCE_STREAM):
        x = score_block(rng, size, problem.scores, problem.low, problem.high)
        for i in np.flatnonzero(has):
            wins[i] += _first_share(score_batch(method, problem, central[i], x, **params), i)
    out[has] = wins[has] / samples
    return out
