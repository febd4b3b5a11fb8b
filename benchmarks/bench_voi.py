"""Value of information speed: EVPI and EVPPI of every input and group vs the numpy floor.

Run: ``.venv/bin/python benchmarks/bench_voi.py [--samples N] [--options N] [--criteria M]``

A random problem (seeded) of ``--options`` options x ``--criteria`` criteria (default
12 x 12), every score uncertain (triangular, the score -/+ 10-30% of its criterion's
scale), weights uniform on the simplex (``weights_mode="simplex"``): 144 score cells
and 12 weights as single inputs, 24 groups (one per option, one per criterion), 12
decisions, 100,000 samples. The shipped case is timed too (121 uncertain cells, 11
weights fixed at the default profile: 132 cells + 11 weights + 23 groups).

- **voi**: ``policyeval.sensitivity.voi.value_of_information``: sampling, net values,
  EVPI and every EVPPI with its standard error, sorted;
- **floor**: the same draws done directly (weights then triangular scores per block of
  2048, ``np.random.Generator.triangular``) and the wsm net values (``values @ w``)
  evaluated, nothing estimated: the cost of the Monte Carlo sample alone.

Target (issue 15): 100,000 samples in well under 5 s on the 2-core machine. Times are
CPU seconds of this process (``time.process_time``; wall clock in brackets), best of
interleaved rounds (voi, floor, voi, floor...), so that other work on a shared machine
distorts the ratio little.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
from bench_smaa import best_times  # benchmarks/ is on the path when run as a script

from policyeval.model.problem import Problem, make_problem
from policyeval.sensitivity.sampling import BLOCK
from policyeval.sensitivity.voi import value_of_information


def random_case(n: int, m: int) -> Problem:
    """Every score uncertain: triangular(score - a, score, score + b), a, b in 1..3 of 10."""
    rng = np.random.default_rng(2026)
    x = rng.uniform(3, 7, (n, m))
    low, high = x - rng.uniform(1, 3, (n, m)), x + rng.uniform(1, 3, (n, m))
    names = [f"o{i}" for i in range(n)], [f"c{j}" for j in range(m)]
    return make_problem(*names, x, [True] * m, low=low, high=high, declared=[(0, 10)] * m)


def floor_fn(
    problem: Problem, weights: np.ndarray, samples: int, simplex: bool
) -> Callable[[], np.ndarray]:
    """Draw the same kind of sample and evaluate the wsm net values, nothing else."""
    n, m = problem.shape
    cells = problem.high > problem.low
    lo, mode, hi = problem.low[cells], problem.scores[cells], problem.high[cells]
    base, span = problem.scale_lo, problem.scale_hi - problem.scale_lo

    def floor() -> np.ndarray:
        rng = np.random.default_rng(0)
        xs, ws = [], []
        for start in range(0, samples, BLOCK):
            size = min(BLOCK, samples - start)
            if simplex:
                e = rng.standard_exponential((size, m))
                ws.append(e / e.sum(axis=1, keepdims=True))
            x = np.broadcast_to(problem.scores, (size, n, m)).copy()
            x[:, cells] = rng.triangular(lo, mode, hi, (size, int(cells.sum())))
            xs.append(x)
        x = np.concatenate(xs)
        w = np.concatenate(ws)[:, :, None] if simplex else weights[:, None]
        return (((x - base) / span) @ w)[..., 0]

    return floor


def scenario(title: str, problem: Problem, weights: np.ndarray, mode: str, args) -> None:
    n, m = problem.shape
    last = {}

    def voi() -> None:
        last["r"] = value_of_information(problem, weights, args.samples, 0, weights_mode=mode)

    floor = floor_fn(problem, weights, args.samples, mode == "simplex")
    voi()  # warm-up (imports, caches)
    (w_voi, c_voi), (w_floor, c_floor) = best_times([voi, floor], args.repeat)
    r = last["r"]
    singles = sum(1 for i in r.inputs if ":" not in i.input or i.input.startswith("weight:"))
    groups = len(r.inputs) - singles
    uncertain = int((problem.high > problem.low).sum()) + (m if mode != "fixed" else 0)
    print(f"{title}: {args.samples:,} samples, {n} decisions, weights {mode}")
    print(f"  {singles} single inputs ({uncertain} uncertain) + {groups} groups")
    print("  seconds: CPU time of this process (wall clock in brackets), best of interleaved runs")
    print(f"  voi (sample, EVPI, every EVPPI + se)  : {c_voi:7.3f} ({w_voi:.3f})")
    print(f"  floor (draws + wsm net values only)   : {c_floor:7.3f} ({w_floor:.3f})")
    verdict = "PASS" if c_voi < 5 and w_voi < 5 else "FAIL"
    print(f"  voi takes {c_voi / c_floor:.1f}x the floor (wall clock {w_voi / w_floor:.1f}x); "
          f"target well under 5 s: {verdict}")  # fmt: skip
    top = ", ".join(f"{i.input} {i.evppi:.2e}" for i in r.inputs[:3])
    print(f"  EVPI {r.evpi:.3e} (se {r.evpi_se:.1e}); top EVPPI: {top}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument("--options", type=int, default=12)
    ap.add_argument("--criteria", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    problem = random_case(args.options, args.criteria)
    w = np.full(args.criteria, 1.0 / args.criteria)
    scenario("VOI benchmark, random case", problem, w, "simplex", args)
    print()
    from pathlib import Path

    from policyeval.io import load_workspace
    from policyeval.model import build_problem
    from policyeval.weighting import compute_weights

    ws = load_workspace(Path(__file__).resolve().parents[1])
    shipped = build_problem(ws)
    scenario("VOI benchmark, shipped case", shipped, compute_weights(ws).vector(shipped.criteria),
             "fixed", args)  # fmt: skip


if __name__ == "__main__":
    main()
