"""SMAA-2: rank acceptability, central weights, confidence and pairwise winning.

Samples are evaluated chunk by chunk with one batched call of
:func:`policyeval.ranking.score_batch` per chunk; ranks come from one argsort
per sample row. Samples are drawn in fixed blocks (see ``sampling``); integer
counts (ranks, pairwise wins) do not depend on how samples are grouped, and
float sums (central weights, shares of tied ranks) are added block by block,
so the numbers depend on the seed only, not on the chunk size. Pairwise
winning indices come from one comparison of integer ranks per pair of options.

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

from policyeval.errors import Issue, WorkspaceError
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
CONFIDENCE_SAMPLES = 10_000
"""Score samples of the confidence factors: ``min(samples, CONFIDENCE_SAMPLES)``. A
share estimated from 10,000 draws has a standard error below 0.005; more draws would
double the cost of a large SMAA run for a figure printed to the percent."""


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
        Share of score samples (``min(samples, CONFIDENCE_SAMPLES)`` of them) in
        which ``i`` ranks first at its central
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
    a, b = su[:, :-1], su[:, 1:]
    biggest = max(1.0, float(np.abs(su[:, 0]).max()), float(np.abs(su[:, -1]).max()))
    if a.size == 0 or np.subtract(a, b).min() > TIE_TOL * biggest:
        return None  # quick exit: no gap is within the largest tolerance
    gap = a - b
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
    """Counts of one SMAA run.

    Integer counts (ranks without ties, pairwise wins) do not depend on the
    order of addition; float sums (shares of tied ranks, central weights) are
    added block by block in a fixed order, so that any chunk size gives the
    same bits.
    """

    def __init__(self, n: int, m: int) -> None:
        self.n = n
        self.rank_dtype = np.int8 if n <= 127 else np.int16 if n <= 32767 else np.int32
        self.rank_counts = np.zeros(n * n, dtype=np.int64)
        self.rank_shares = np.zeros(n * n)  # tied ranks, 1/t each
        self.first_weight = np.zeros((n, m))
        self.beats = np.zeros((n, n), dtype=np.int64)

    @property
    def acceptability_counts(self) -> np.ndarray:
        """``(n, n)`` samples (fractions for ties) with option i at rank r + 1."""
        return (self.rank_counts + self.rank_shares).reshape(self.n, self.n)

    def add(self, u: np.ndarray, w: np.ndarray) -> None:
        """Add one chunk: utilities ``(C, n)`` and weights ``(C, m)``, whole blocks first."""
        n, rows = self.n, len(u)
        order = np.argsort(-u, axis=1)
        flat = order + (n * np.arange(rows))[:, None]  # (s, position) -> index in u.ravel()
        groups = _tie_groups(np.take(u, flat))
        slots = np.broadcast_to(np.arange(n), order.shape)
        start = slots if groups is None else groups[0]
        # rank_t[i, s]: 0-based competition rank of option i in sample s (inverse of order)
        rank = np.empty(rows * n, dtype=self.rank_dtype)
        rank[flat.ravel()] = start.astype(self.rank_dtype).ravel()
        rank_t = np.ascontiguousarray(rank.reshape(rows, n).T)
        if groups is None:  # integer counts: any grouping gives the same numbers
            cells = rank_t + (n * np.arange(n))[:, None]
            self.rank_counts += np.bincount(cells.ravel(), minlength=n * n)
        else:
            size = groups[1] - groups[0] + 1
        for lo in range(0, rows, BLOCK):
            b = slice(lo, lo + BLOCK)
            first, wb = order[b, 0], w[b]
            if groups is not None and size[b].max() > 1:
                first, wb = self._add_tied(order[b], start[b], size[b], w[b])
            elif groups is not None:
                cells = order[b] * n + slots[b]
                self.rank_counts += np.bincount(cells.ravel(), minlength=n * n)
            for j in range(wb.shape[1]):
                self.first_weight[:, j] += np.bincount(first, weights=wb[:, j], minlength=n)
        self._add_pairwise(rank_t, ties=groups is not None)

    def _add_tied(
        self, order: np.ndarray, start: np.ndarray, size: np.ndarray, w: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Shares of tied ranks; returns who is (tied) first and their weights times share."""
        n = self.n
        for off in range(int(size.max())):
            ok = off < size
            idx = order[ok] * n + (start + off)[ok]
            self.rank_shares += np.bincount(idx, weights=1.0 / size[ok], minlength=n * n)
        at_top = start == 0
        share = 1.0 / size[at_top]
        return order[at_top], np.repeat(w, at_top.sum(axis=1), axis=0) * share[:, None]

    def _add_pairwise(self, rank_t: np.ndarray, ties: bool) -> None:
        """Count wins of i over k from ranks ``(n, C)``: one comparison per pair i < k."""
        n, rows = rank_t.shape
        acc = np.uint16 if rows < 1 << 16 else np.int64
        for i in range(n - 1):
            wins = rank_t[i] < rank_t[i + 1 :]
            count = np.add.reduce(wins.view(np.uint8), axis=1, dtype=acc).astype(np.int64)
            self.beats[i, i + 1 :] += count
            if ties:
                loses = rank_t[i] > rank_t[i + 1 :]
                self.beats[i + 1 :, i] += np.add.reduce(loses.view(np.uint8), axis=1, dtype=acc)
            else:
                self.beats[i + 1 :, i] += rows - count


def _first_shares(u: np.ndarray, who: np.ndarray, layout: str = "ksn") -> np.ndarray:
    """Per k: sum over samples of ``1/t`` where option ``who[k]`` is among the ``t``
    options tied first. ``u`` has shape ``(k, samples, n)``, or ``(samples, n, k)`` with
    ``layout="snk"`` (as a batched product gives it, no transpose needed).

    Ties are counted only on the samples where ``who[k]`` is first, so the cost is one
    maximum over ``u`` plus work proportional to the wins.
    """
    if layout == "snk":
        best = u.max(axis=1).T  # (k, samples)
        mine = u[:, who, np.arange(len(who))].T
    else:
        best = u.max(axis=-1)
        mine = np.take_along_axis(u, who[:, None, None], axis=-1)[..., 0]
    first = best - mine <= TIE_TOL * np.maximum(1.0, np.maximum(np.abs(best), np.abs(mine)))
    kk, ss = np.nonzero(first)
    rows = u[ss, :, kk] if layout == "snk" else u[kk, ss]
    top = best[kk, ss][:, None]
    tied = (top - rows <= TIE_TOL * np.maximum(1.0, np.maximum(np.abs(top), np.abs(rows)))).sum(-1)
    out = np.zeros(len(who))
    np.add.at(out, kk, 1.0 / tied)
    return out


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
    progress: Callable[[int], Any] | bool | None = None,
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
        msg = f"The 'samples' parameter must be a positive integer. Got {samples} instead."
        raise WorkspaceError([Issue("bad-argument", msg, "", "samples")])
    if seed < 0:
        msg = f"The 'seed' parameter must be a non-negative integer. Got {seed} instead."
        raise WorkspaceError([Issue("bad-argument", msg, "", "seed")])
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
        acc.add(u, w)
        done += len(w)
        if callable(progress):
            progress(done)
    counts = acc.acceptability_counts
    with np.errstate(invalid="ignore", divide="ignore"):
        central = acc.first_weight / counts[:, :1]
    confidence = _confidence(
        problem, method, central, min(samples, CONFIDENCE_SAMPLES), seed, params
    )
    return SmaaResult(
        options=problem.options,
        criteria=problem.criteria,
        method=method,
        samples=samples,
        seed=seed,
        sampler=sampler,
        acceptability=counts / samples,
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

    n, m = central.shape
    who = np.flatnonzero(~np.isnan(central).any(axis=1))
    out = np.full(n, np.nan)
    if not (problem.high > problem.low).any():
        u = score_batch(method, problem, central[who, None, :], **params)  # (k, 1, n)
        out[who] = _first_shares(u, who)
        return out
    group = max(1, _TARGET_CELLS // (BLOCK * n * m))  # options evaluated together
    wins = np.zeros(len(who))
    for size, rng in block_rngs(seed, samples, CONFIDENCE_STREAM):
        x = score_block(rng, size, problem.scores, problem.low, problem.high)
        if method == "wsm":  # affine in the weights: every central vector in one product
            w = central[who] / central[who].sum(axis=1, keepdims=True)
            wins += _first_shares(problem.values(x) @ w.T, who, layout="snk")
            continue
        for lo in range(0, len(who), group):
            k = who[lo : lo + group]
            u = score_batch(method, problem, central[k, None, :], x, **params)  # (k, size, n)
            wins[lo : lo + group] += _first_shares(u, k)
    out[who] = wins / samples
    return out
