"""SMAA-2 speed: batched and chunked vs per-sample loops (ours and peers') vs the numpy floor.

Run: ``.venv/bin/python benchmarks/bench_smaa.py [--samples N] [--options N] [--criteria M]``

Two scenarios on the same random problem (seeded): **weights only** (point scores)
and **with score uncertainty** (each score drawn from triangular(low, value, high),
``low``/``high`` = the score -/+ 10% of its criterion's range, clipped to the
criterion's observed range; the scores at that range's ends stay certain, so every
sample has the same min and max per criterion and the peers' per-sample min-max
normalization equals our fixed value scale: both compute the same ranks). In each,
all of these run in this process on the same samples:

- **smaa**: ``policyeval.sensitivity.smaa`` with every output (rank acceptability,
  central weights, confidence factors, pairwise winning indices; with score
  uncertainty the confidence factors take a second pass of score draws, evaluated
  at the central weights of every option that is ever first);
- **loops**, one sample at a time, counting rank acceptability: a Python loop calling
  our ranking (``rank_problem``, the public one-problem ranking), a leaner loop
  (``score_batch`` on one sample plus ``competition_rank``), pymcdm 1.4
  (``WSM(minmax_normalization)`` then ``rank``) and scikit-criteria 0.10 (``mkdm`` through
  ``NegateMinimize, MinMaxScaler, WeightedSumModel``, then ``rank_``). Each is timed
  on a subset of the samples (drawn beforehand, not timed) and extrapolated linearly
  (said so in the output); on the first samples, each peer's top option is checked
  against ours;
- **floor**: ranks only (no acceptability counts, no other output). Weights only: one
  batched matrix product for all samples plus one argsort. With score uncertainty:
  triangular draws, values ``(x - base) / span``, a batched matrix product and an
  argsort, in chunks of the size smaa uses (bounded memory).

Targets (issue 3): smaa at least 50x faster than the loop calling the ranking, within
3x of the floor. Times are CPU seconds of this process (``time.process_time``; wall
clock shown too), best of interleaved rounds (smaa, floor, smaa, floor...; ``--repeat``
rounds weights only, ``--repeat-uncertain`` with score uncertainty; the loops: best of
two), so that other work on a shared machine distorts the ratios little. Peak memory
is measured in a separate run with tracemalloc (numpy reports its allocations to it);
with score uncertainty on ``--memory-samples`` samples (memory is bounded by the
chunk, not by the number of samples).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from policyeval.model.problem import Problem, make_problem
from policyeval.ranking import competition_rank, rank_problem, score_batch
from policyeval.sensitivity import sample_weights, smaa
from policyeval.sensitivity.sampling import BLOCK, score_block

RankFn = Callable[[np.ndarray | None, np.ndarray], np.ndarray]
"""Ranks of one sample (1 = best, shape ``(n,)``) from its scores (None: point ones), weights."""


def best_times(fns: list[Callable[[], object]], repeat: int) -> list[tuple[float, float]]:
    """Best (wall, CPU) seconds of each function over ``repeat`` interleaved rounds."""
    best = [(float("inf"), float("inf"))] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[k] = (min(best[k][0], wall), min(best[k][1], cpu))
    return best


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def times(r: float) -> str:
    """A ratio with its significant digits: ``47x``, ``1.7x``."""
    return f"{r:.0f}x" if r >= 10 else f"{r:.1f}x"


def faster(r: float) -> str:
    """``r`` times faster, said as slower below 1: ``47x faster``, ``2.0x slower``."""
    return f"{times(r)} faster" if r >= 1 else f"{times(1 / r)} slower"


def count_loop(rank: RankFn, xs: object, ws: np.ndarray, n: int) -> np.ndarray:
    """Rank acceptability counts ``(n, n)``, one sample at a time."""
    counts = np.zeros((n, n))
    for x, w in zip(xs, ws):
        counts[np.arange(n), rank(x, w) - 1] += 1
    return counts


def rankers(problem: Problem) -> dict[str, RankFn]:
    """Per-sample rankings: ours (public and lean) and the peers' (imported here only)."""
    import skcriteria as skc
    from pymcdm import normalizations
    from pymcdm.methods import WSM as PmWSM
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.invert_objectives import NegateMinimize
    from skcriteria.preprocessing.scalers import MinMaxScaler

    n = len(problem.options)
    index = {o: i for i, o in enumerate(problem.options)}
    types = np.where(problem.maximize, 1, -1)
    pm_wsm = PmWSM(normalizations.minmax_normalization)
    sk_pipe = mkpipe(NegateMinimize(), MinMaxScaler(target="matrix"), WeightedSumModel())

    def ours(x: np.ndarray | None, w: np.ndarray) -> np.ndarray:
        p = problem if x is None else dataclasses.replace(problem, scores=x)
        ranking = rank_problem(p, dict(zip(problem.criteria, w)), "wsm")
        ranks = np.empty(n, dtype=int)
        ranks[[index[r.option] for r in ranking.rows]] = [r.rank for r in ranking.rows]
        return ranks

    def pymcdm(x: np.ndarray | None, w: np.ndarray) -> np.ndarray:
        x = problem.scores if x is None else x
        return pm_wsm.rank(pm_wsm(x, w, types)).astype(int)

    def skcriteria(x: np.ndarray | None, w: np.ndarray) -> np.ndarray:
        x = problem.scores if x is None else x
        return sk_pipe.evaluate(skc.mkdm(x, types, weights=w)).rank_

    return {
        "loop calling rank_problem per sample ": ours,
        "lean loop (score_batch + rank)       ": lambda x, w: competition_rank(
            score_batch("wsm", problem, w, x)
        ),
        "pymcdm loop (WSM(minmax) + rank)     ": pymcdm,
        "scikit-criteria loop (mkdm+pipeline) ": skcriteria,
    }


def scenario(
    title: str,
    problem: Problem,
    floor: Callable[[], object],
    args: argparse.Namespace,
    repeat: int,
    memory_samples: int,
) -> None:
    """Time and print one scenario: smaa, the per-sample loops and the floor."""
    n, m = problem.shape
    samples = args.samples
    uncertain = bool((problem.high > problem.low).any())

    last = {}

    def run_smaa(size: int = samples) -> None:
        last[size] = smaa(problem, "wsm", samples=size, seed=0)

    (w_smaa, c_smaa), (w_floor, c_floor) = best_times([run_smaa, floor], repeat)
    mem_smaa = peak_mb(lambda: run_smaa(memory_samples))
    mem_floor = peak_mb(floor)
    first = int((~np.isnan(last[samples].central_weights[:, 0])).sum())

    print(f"{title}: {samples:,} samples, {n} options x {m} criteria, method wsm")
    print("  seconds: CPU time of this process (wall clock in brackets), best of interleaved runs")
    mem_note = f" (on {memory_samples:,} samples)" if memory_samples != samples else ""
    print(f"  smaa (batched, chunked, all outputs) : {c_smaa:8.3f} ({w_smaa:.3f})  "
          f"peak {mem_smaa:.1f} MB{mem_note}")  # fmt: skip
    if uncertain:
        print(f"    (includes the confidence pass: {samples:,} more score draws at the central "
              f"weights of the {first} options ever first)")  # fmt: skip

    loops = rankers(problem)
    c_loop = w_loop = 0.0
    for k, (name, rank) in enumerate(loops.items()):
        size = args.loop_samples if k < 2 else args.peer_samples
        ws = sample_weights(m, size, seed=1)
        xs = (
            score_block(np.random.default_rng(1), size, problem.scores, problem.low, problem.high)
            if uncertain
            else [None] * size
        )

        scale = samples / size
        ((wall, cpu),) = best_times([lambda r=rank, x=xs, w=ws: count_loop(r, x, w, n)], 2)
        wall, cpu = wall * scale, cpu * scale
        note = f"extrapolated x{scale:g} from {size:,} samples timed; "
        note += f"smaa is {faster(cpu / c_smaa)}"
        if k >= 2:
            check = min(args.check_samples, size)
            ours = score_batch("wsm", problem, ws[:check], None if xs[0] is None else xs[:check])
            same = sum(
                int(np.argmax(u) == np.argmin(rank(x, w)))
                for u, x, w in zip(ours, xs[:check], ws[:check])
            )
            note += f"; agree: {'yes' if same == check else 'no'} (top option {same}/{check})"
        print(f"  {name}: {cpu:8.3f} ({wall:.3f})  {note}")
        if k == 0:
            c_loop, w_loop = cpu, wall
    print(f"  floor (ranks only)                   : {c_floor:8.3f} ({w_floor:.3f})  "
          f"peak {mem_floor:.1f} MB")  # fmt: skip
    speedup, overhead = c_loop / c_smaa, c_smaa / c_floor
    verdict = "PASS" if speedup >= 50 else "FAIL"
    print(f"  smaa is {faster(speedup)} than the loop calling rank_problem (target >= 50x; "
          f"wall clock {times(w_loop / w_smaa)}): {verdict}")  # fmt: skip
    print(f"  smaa takes {overhead:.2f}x the floor (target <= 3x; wall clock "
          f"{w_smaa / w_floor:.2f}x): {'PASS' if overhead <= 3 else 'FAIL'}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument("--options", type=int, default=100)
    ap.add_argument("--criteria", type=int, default=10)
    ap.add_argument("--loop-samples", type=int, default=2_000)
    ap.add_argument("--peer-samples", type=int, default=300)
    ap.add_argument("--check-samples", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--repeat-uncertain", type=int, default=1)
    ap.add_argument("--memory-samples", type=int, default=16_384)
    args = ap.parse_args()
    n, m, samples = args.options, args.criteria, args.samples

    rng = np.random.default_rng(2026)
    x = rng.uniform(0, 10, (n, m))
    maximize = rng.random(m) < 0.7
    names = [f"o{i}" for i in range(n)], [f"c{j}" for j in range(m)]
    problem = make_problem(*names, x, maximize)
    values = problem.values()
    weights = sample_weights(m, samples, seed=0)

    def floor() -> np.ndarray:
        return np.argsort(-(weights @ values.T), axis=1)

    lo, hi = x.min(axis=0), x.max(axis=0)
    edge = (x == lo) | (x == hi)  # certain: each sample keeps the observed range
    half = 0.1 * (hi - lo)
    low = np.where(edge, x, np.maximum(x - half, lo))
    high = np.where(edge, x, np.minimum(x + half, hi))
    fuzzy = make_problem(*names, x, maximize, low=low, high=high)
    cells = high > low
    base = np.where(maximize, lo, hi)
    span = np.where(maximize, hi - lo, lo - hi)
    chunk = max(BLOCK, 2**23 // (n * m) // BLOCK * BLOCK)  # smaa's default chunk

    def floor_uncertain() -> None:
        draw = np.random.default_rng(0)
        for start in range(0, samples, chunk):
            w = weights[start : start + chunk]
            xs = np.broadcast_to(x, (len(w), n, m)).copy()
            xs[:, cells] = draw.triangular(low[cells], x[cells], high[cells], (len(w), cells.sum()))
            u = (((xs - base) / span) @ w[:, :, None])[..., 0]
            np.argsort(-u, axis=1)

    smaa(problem, "wsm", samples=samples, seed=0)  # warm-up (imports, caches)
    scenario("SMAA-2 benchmark, weights only", problem, floor, args, args.repeat, samples)
    print("  (floor: one matmul + one argsort)")
    print()
    scenario(
        "SMAA-2 benchmark, with score uncertainty (triangular, +-10% of each criterion's range)",
        fuzzy,
        floor_uncertain,
        args,
        args.repeat_uncertain,
        min(samples, args.memory_samples),
    )
    print("  (floor: triangular draws + values + batched matmul + argsort, chunked)")


if __name__ == "__main__":
    main()
