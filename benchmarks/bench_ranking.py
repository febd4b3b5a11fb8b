"""Ranking at scale: wsm and topsis on 1,000,000 options x 20 criteria vs peers and the floor.

Run: ``.venv/bin/python benchmarks/bench_ranking.py [--options N] [--criteria M] [--repeat R]``

Everything runs in this process on the same seeded score matrix (uniform 1..100,
mixed directions, Dirichlet weights), times are the best of ``--repeat`` runs:

- **ours**: ``policyeval.ranking.score_batch`` on a ``Problem``; for wsm also with
  ``make_problem`` (which observes each criterion's min..max scale) included;
- **scikit-criteria** 0.10: a decision matrix (``mkdm``) through the pipeline a user
  writes (wsm: ``NegateMinimize, MinMaxScaler, WeightedSumModel``; topsis:
  ``VectorScaler, TOPSIS``), and its bare kernels on prepared arrays;
- **pymcdm** 1.4: ``WSM(minmax_normalization)`` and ``TOPSIS(vector_normalization)``
  with input validation on (the default);
- **floor**: the least numpy work for the wsm result: one column-wise min and max and
  one ``X @ w`` (the value function is affine in the scores).

Every implementation's scores are compared with ours (largest absolute difference).
A run longer than 5 s is not repeated.
Targets (issue 6): wsm within 3x of the floor, topsis well ahead of both peers. Peak
memory is measured per implementation in separate runs with tracemalloc (numpy
reports its buffers to it), on top of the score matrix itself.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings
from collections.abc import Callable

import numpy as np

from policyeval.model.problem import make_problem
from policyeval.ranking import score_batch


def best_time(fn: Callable[[], np.ndarray], repeat: int) -> tuple[float, np.ndarray]:
    """Best of ``repeat`` runs; a run longer than 5 s is not repeated."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
        if best > 5:
            break
    return best, out


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def peers(x: np.ndarray, maximize: np.ndarray, w: np.ndarray) -> dict[str, Callable]:
    """The peers' implementations, each returning scores ``(n,)`` (higher is better)."""
    import skcriteria as skc
    from pymcdm import normalizations
    from pymcdm.methods import TOPSIS as PmTOPSIS
    from pymcdm.methods import WSM as PmWSM
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.agg.simple import wsm as sk_wsm_kernel
    from skcriteria.agg.topsis import TOPSIS
    from skcriteria.agg.topsis import topsis as sk_topsis_kernel
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.invert_objectives import NegateMinimize
    from skcriteria.preprocessing.scalers import MinMaxScaler, VectorScaler, scale_by_vector

    types = np.where(maximize, 1, -1)
    sk_wsm_pipe = mkpipe(NegateMinimize(), MinMaxScaler(target="matrix"), WeightedSumModel())
    sk_topsis_pipe = mkpipe(VectorScaler(target="matrix"), TOPSIS())

    def sk_wsm() -> np.ndarray:
        return sk_wsm_pipe.evaluate(skc.mkdm(x, types, weights=w)).e_.score

    def sk_wsm_bare() -> np.ndarray:  # value matrix by hand, then its kernel
        lo, hi = x.min(axis=0), x.max(axis=0)
        v = np.where(maximize, x - lo, hi - x) / (hi - lo)
        return sk_wsm_kernel(v, w)[1]

    def sk_topsis() -> np.ndarray:
        with warnings.catch_warnings():  # TOPSIS warns that min criteria exist
            warnings.simplefilter("ignore")
            return sk_topsis_pipe.evaluate(skc.mkdm(x, types, weights=w)).e_.similarity

    def sk_topsis_bare() -> np.ndarray:
        return sk_topsis_kernel(scale_by_vector(x, axis=0), types, w)[3]

    return {
        "wsm: scikit-criteria (mkdm + pipeline)": sk_wsm,
        "wsm: scikit-criteria (kernel on a value matrix)": sk_wsm_bare,
        "wsm: pymcdm WSM(minmax)": lambda: PmWSM(normalizations.minmax_normalization)(x, w, types),
        "topsis: scikit-criteria (mkdm + pipeline)": sk_topsis,
        "topsis: scikit-criteria (kernel)": sk_topsis_bare,
        "topsis: pymcdm TOPSIS(vector)": lambda: PmTOPSIS(normalizations.vector_normalization)(
            x, w, types
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--options", type=int, default=1_000_000)
    ap.add_argument("--criteria", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs")
    args = ap.parse_args()
    n, m = args.options, args.criteria

    rng = np.random.default_rng(2026)
    x = rng.uniform(1.0, 100.0, (n, m))
    maximize = rng.random(m) < 0.6
    maximize[:2] = True, False
    w = rng.dirichlet(np.ones(m))
    options, criteria = [f"o{i}" for i in range(n)], [f"c{j}" for j in range(m)]
    problem = make_problem(options, criteria, x, maximize)
    print(f"ranking: {n:,} options x {m} criteria ({x.nbytes / 2**20:.0f} MB of scores), "
          f"best of {args.repeat}")  # fmt: skip

    def floor() -> np.ndarray:
        x.min(axis=0), x.max(axis=0)
        return x @ w

    ours = {
        "wsm: ours (make_problem + score_batch)": lambda: score_batch(
            "wsm", make_problem(options, criteria, x, maximize), w
        ),
        "wsm: ours (score_batch)": lambda: score_batch("wsm", problem, w),
        "topsis: ours (score_batch)": lambda: score_batch("topsis", problem, w),
    }
    impls = {"wsm: numpy floor (min, max, X @ w)": floor, **ours, **peers(x, maximize, w)}
    reference = {
        "wsm": score_batch("wsm", problem, w),
        "topsis": score_batch("topsis", problem, w),
    }
    times: dict[str, float] = {}
    for name, fn in impls.items():
        times[name], out = best_time(fn, args.repeat)
        method = name.split(":")[0]
        diff = (
            ""
            if "floor" in name
            else f"  max |diff| vs ours {np.abs(out - reference[method]).max():.1e}"
        )
        mem = "" if args.no_memory else f"  peak {peak_mb(fn):7.0f} MB"
        print(f"  {name:48s} {times[name]:8.3f} s{mem}{diff}")

    fl = times["wsm: numpy floor (min, max, X @ w)"]
    print("ratios:")
    for name in ("wsm: ours (make_problem + score_batch)", "wsm: ours (score_batch)"):
        print(f"  {name} / floor: {times[name] / fl:.2f}x (target <= 3x)")
    ours_t = times["topsis: ours (score_batch)"]
    for name in impls:
        if name.startswith("topsis: ") and "ours" not in name:
            print(f"  {name} / ours: {times[name] / ours_t:.1f}x slower")
    for name in impls:
        if name.startswith("wsm: ") and "ours" not in name and "floor" not in name:
            print(f"  {name} / ours: {times[name] / times['wsm: ours (score_batch)']:.1f}x slower")
    print(f"  topsis ours / wsm floor: {ours_t / fl:.2f}x")


if __name__ == "__main__":
    main()
