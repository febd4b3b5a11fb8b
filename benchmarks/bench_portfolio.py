"""Portfolio optimization speed: 1,000 measures, a 50-point frontier, robust core index.

Run: ``.venv/bin/python benchmarks/bench_portfolio.py [--measures N] [--points P]
[--solvers cbc,highs] [--samples S]``

On a seeded random problem (values uniform in [0, 1], integer costs 1-100, budget 30% of
the total cost, 10% of measures with a ``requires``, 5% with an ``excludes``, 20
synergies of 2-3 measures with values around 0.05):

- **build**: ``build_portfolio_model`` (pure PuLP model construction);
- **solve**: one MILP (max value), and the full ``optimize`` solve with the tie rule
  (value, then cost, then id; usually one more MILP that proves the optimum is the only
  tie), for each solver;
- **frontier**: as ``frontier_points(..., points=P)``: one model built once (timed), then
  re-solved at P evenly spaced budgets from 0 to the total cost (only the budget
  right-hand side changes);
- **robust**: the core index of every measure over S weight samples (11 criteria) on a
  16-measure problem (exact: every feasible portfolio enumerated once, all samples scored
  in one batched product) vs one MILP per sample, the latter timed on 20 samples and
  extrapolated linearly (said so in the output).

Target (issue 4): the 1,000-measure portfolio solved to optimality in under 10 s.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np

from policyeval import lp
from policyeval.optimization.portfolio import PortfolioData, PortfolioModel, build_portfolio_model
from policyeval.optimization.robust import core_index
from policyeval.sensitivity.sampling import sample_weights


def random_portfolio(n: int, seed: int = 0) -> PortfolioData:
    """``n`` measures, 10% requires, 5% excludes, 20 synergies (seeded)."""
    rng = np.random.default_rng(seed)
    costs = rng.integers(1, 101, n).astype(float)
    requires: set[tuple[int, int]] = set()
    while len(requires) < max(1, n // 10):
        i, r = (int(v) for v in rng.choice(n, 2, replace=False))
        if (r, i) not in requires:
            requires.add((i, r))
    linked = {tuple(sorted(p)) for p in requires}
    excludes: set[tuple[int, int]] = set()
    while len(excludes) < max(1, n // 20):
        i, e = sorted(int(v) for v in rng.choice(n, 2, replace=False))
        if (i, e) not in linked and not ({i, e} & {x for p in requires for x in p}):
            excludes.add((i, e))
    synergies = tuple(
        (
            tuple(sorted(int(v) for v in rng.choice(n, int(rng.integers(2, 4)), replace=False))),
            float(rng.normal(0.05, 0.1)),
        )
        for _ in range(20)
    )
    return PortfolioData(
        ids=tuple(f"m{i:04d}" for i in range(n)),
        values=rng.random(n),
        costs=costs,
        budget=float(costs.sum() * 0.3),
        synergies=synergies,
        requires=tuple(sorted(requires)),
        excludes=tuple(sorted(excludes)),
    )


def timed(fn, *args):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def bench_solvers(data: PortfolioData, points: int, solvers: list[str]) -> None:
    print(f"portfolio: {len(data.ids)} measures, {len(data.requires)} requires, "
          f"{len(data.excludes)} excludes, {len(data.synergies)} synergies, "
          f"budget {data.budget:g}")  # fmt: skip
    results = {}
    for name in solvers:
        prob, t_build = timed(build_portfolio_model, data)
        _, t_one = timed(lp.status, prob, lp.make_solver(name))
        model, t_model = timed(PortfolioModel, data, name)
        rows, t_solve = timed(model.solve)
        results[name] = rows
        print(f"  {name:5s} build {t_build:6.2f} s | one MILP {t_one:6.2f} s | optimize "
              f"(model {t_model:.2f} s + solve with tie rule {t_solve:.2f} s) = "
              f"{t_model + t_solve:6.2f} s -> {len(rows)} funded, value "
              f"{data.value_of(rows):.6f}, cost {data.cost_of(rows):g} "
              f"[{'OK' if t_model + t_solve < 10 else 'SLOW'}: target < 10 s]")  # fmt: skip
    if len(results) > 1:
        same = len({tuple(r) for r in results.values()}) == 1
        print(f"  same portfolio from every solver: {same}")
    total = float(data.costs.sum())
    budgets = np.linspace(0.0, total, points)
    for name in solvers:
        model, t_build = timed(PortfolioModel, replace(data, budget=total), name)
        rows, t = timed(lambda m=model: [m.solve(float(b)) for b in budgets])
        print(f"  {name:5s} frontier, {points} budgets: build once {t_build:.2f} s, solves "
              f"{t:7.2f} s ({t / points:.2f} s per budget); value at the top "
              f"{data.value_of(rows[-1]):.4f}")  # fmt: skip


def bench_robust(samples: int, n: int = 16, m: int = 11) -> None:
    rng = np.random.default_rng(1)
    gains = rng.random((n, m))
    data = replace(random_portfolio(n, seed=2), values=gains.mean(axis=1))
    syn = [rng.normal(0.02, 0.05, m) for _ in data.synergies]
    w = sample_weights(m, samples, seed=0)
    out, t_batch = timed(core_index, data, gains, syn, w)
    k = 20

    def per_sample() -> None:
        for wk in w[:k]:
            d = replace(
                data,
                values=gains @ wk,
                synergies=tuple((s, float(a @ wk)) for (s, _), a in zip(data.synergies, syn)),
            )
            PortfolioModel(d).solve()

    _, t_loop = timed(per_sample)
    t_all = t_loop / k * samples
    print(f"robust core index: {n} measures, {m} criteria, {samples} weight samples")
    print(f"  batched (exact enumeration of {out['candidates']} feasible portfolios): "
          f"{t_batch:.2f} s")  # fmt: skip
    print(f"  one MILP per sample (CBC): {t_loop:.2f} s for {k} samples -> {t_all:.0f} s "
          f"for {samples} (extrapolated) -> speed-up {t_all / t_batch:.0f}x")  # fmt: skip
    print("  classes: " + ", ".join(
        f"{c} {sum(v == c for v in out['class'].values())}"
        for c in ("core", "borderline", "exterior")))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--measures", type=int, default=1000)
    ap.add_argument("--points", type=int, default=50)
    ap.add_argument("--solvers", default="cbc,highs")
    ap.add_argument("--samples", type=int, default=10_000)
    args = ap.parse_args()
    solvers = [s for s in args.solvers.split(",") if s in lp.available_solvers()]
    bench_solvers(random_portfolio(args.measures), args.points, solvers)
    bench_robust(args.samples)


if __name__ == "__main__":
    main()
