"""SMAA-2 speed: batched and chunked vs a per-sample loop vs the numpy floor.

Run: ``.venv/bin/python benchmarks/bench_smaa.py [--samples N] [--options N] [--criteria M]``

All three run in this process on the same random problem (seeded):

- **smaa**: ``policyeval.sensitivity.smaa`` with every output (rank acceptability,
  central weights, confidence factors, pairwise winning indices);
- **loop**: a Python loop calling the ranking per sample (``rank_problem``, the
  public one-problem ranking) and counting rank acceptability; timed on a subset of
  the samples and extrapolated linearly (said so in the output). A leaner loop
  (``score_batch`` on one weight vector plus ``competition_rank``) is shown too;
- **floor**: one batched matrix product for all samples plus one argsort (ranks
  only: no acceptability counts, no other output).

Targets (issue 3): smaa at least 50x faster than the loop, within 3x of the floor.
Times are CPU seconds of this process (``time.process_time``; wall clock shown
too), best of ``--repeat`` interleaved rounds (smaa, floor, smaa, floor...; the
loops: best of two), so that other work on a shared machine distorts the ratios
little. Peak memory is measured in a separate run with tracemalloc (numpy reports
its allocations to it).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from policyeval.model.problem import make_problem
from policyeval.ranking import competition_rank, rank_problem, score_batch
from policyeval.sensitivity import sample_weights, smaa


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument("--options", type=int, default=100)
    ap.add_argument("--criteria", type=int, default=10)
    ap.add_argument("--loop-samples", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    n, m, samples = args.options, args.criteria, args.samples

    rng = np.random.default_rng(2026)
    problem = make_problem(
        [f"o{i}" for i in range(n)],
        [f"c{j}" for j in range(m)],
        rng.uniform(0, 10, (n, m)),
        rng.random(m) < 0.7,
    )
    values = problem.values()

    def run_smaa() -> object:
        return smaa(problem, "wsm", samples=samples, seed=0)

    loop_w = sample_weights(m, args.loop_samples, seed=0)

    index = {o: i for i, o in enumerate(problem.options)}

    def run_loop() -> np.ndarray:
        counts = np.zeros((n, n))
        for w in loop_w:
            ranking = rank_problem(problem, dict(zip(problem.criteria, w)), "wsm")
            rows = [index[r.option] for r in ranking.rows]
            counts[rows, [r.rank - 1 for r in ranking.rows]] += 1
        return counts

    def run_lean_loop() -> np.ndarray:
        counts = np.zeros((n, n))
        for w in loop_w:
            ranks = competition_rank(score_batch("wsm", problem, w))
            counts[np.arange(n), ranks - 1] += 1
        return counts

    weights = sample_weights(m, samples, seed=0)

    def run_floor() -> np.ndarray:
        return np.argsort(-(weights @ values.T), axis=1)

    run_smaa()  # warm-up (imports, caches)
    (w_smaa, c_smaa), (w_floor, c_floor) = best_times([run_smaa, run_floor], args.repeat)
    scale = samples / args.loop_samples
    (w_loop, c_loop), (w_lean, c_lean) = (
        (wall * scale, cpu * scale) for wall, cpu in best_times([run_loop, run_lean_loop], 2)
    )
    mem_smaa, mem_floor = peak_mb(run_smaa), peak_mb(run_floor)

    print(f"SMAA-2 benchmark: {samples:,} samples, {n} options x {m} criteria, method wsm")
    print("  seconds: CPU time of this process (wall clock in brackets), best of interleaved runs")
    print(f"  smaa (batched, chunked, all outputs) : {c_smaa:8.3f} ({w_smaa:.3f})  "
          f"peak {mem_smaa:.1f} MB")  # fmt: skip
    print(f"  loop calling rank_problem per sample : {c_loop:8.3f} ({w_loop:.3f})  "
          f"extrapolated x{scale:g} from {args.loop_samples:,} samples timed")  # fmt: skip
    print(f"  lean loop (score_batch + rank)       : {c_lean:8.3f} ({w_lean:.3f})  "
          f"extrapolated x{scale:g}; smaa is {c_lean / c_smaa:.0f}x faster")  # fmt: skip
    print(f"  floor (one matmul + one argsort)     : {c_floor:8.3f} ({w_floor:.3f})  "
          f"peak {mem_floor:.1f} MB")  # fmt: skip
    speedup, overhead = c_loop / c_smaa, c_smaa / c_floor
    print(f"  smaa is {speedup:.0f}x faster than the loop (target >= 50x; wall clock "
          f"{w_loop / w_smaa:.0f}x): {'PASS' if speedup >= 50 else 'FAIL'}")  # fmt: skip
    print(f"  smaa takes {overhead:.2f}x the floor (target <= 3x; wall clock "
          f"{w_smaa / w_floor:.2f}x): {'PASS' if overhead <= 3 else 'FAIL'}")  # fmt: skip


if __name__ == "__main__":
    main()
