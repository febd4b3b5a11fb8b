"""Whole-process timings of the pipeline's commands (the one-analysis issue, item 7).

Run: ``.venv/bin/python benchmarks/bench_pipeline.py [--repeat 5]``

Each figure is the median wall time of ``--repeat`` runs of a whole process
(start-up, reading the workspace, computing, writing), measured side by side:

- ``report --template memo --format md`` and ``report --all`` on the shipped case
  (targets: <= 1.0 s and <= 4 s on a 2-core machine); for ``--all`` also the CPU time of
  the whole run (every worker process included) over the machine's cores, a floor no
  schedule of the same work can beat, and the full memo's PDF by itself (whole process, and
  what it takes more than the same memo as HTML);
- ``sensitivity`` on a generated 100-option x 10-criterion workspace with 100,000
  samples, against a whole-process numpy floor that draws the same weights and
  scores (the same sampler, same seed) and ranks every sample (target: <= 2x the floor);
- ``frontier --points 50`` against a plain loop of PuLP + CBC solves (default
  settings) on a generated 1,000-measure workspace (target: no slower).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

FLOOR = """
import numpy as np, yaml, pathlib
from policyeval.sensitivity.sampling import block_rngs, score_block, weight_block
root = pathlib.Path({root!r})
opts = sorted((root / "options").glob("*.yaml"))
data = [yaml.safe_load(p.read_text()) for p in opts]
crit = [c["id"] for c in yaml.safe_load((root / "criteria/criteria.yaml").read_text())["criteria"]]
x = np.array([[d["scores"][c]["value"] for c in crit] for d in data])
lo = np.array([[d["scores"][c]["low"] for c in crit] for d in data])
hi = np.array([[d["scores"][c]["high"] for c in crit] for d in data])
counts = np.zeros((len(data), len(data)))
for size, rng in block_rngs(0, {samples}):
    w = weight_block(rng, size, len(crit), None, None, None)
    s = score_block(rng, size, x, lo, hi)
    v = (s - 0.0) / 10.0
    u = np.einsum("snm,sm->sn", v, w)
    ranks = np.argsort(np.argsort(-u, axis=1), axis=1)
    np.add.at(counts, (np.arange(len(data))[None, :].repeat(size, 0), ranks), 1)
print(counts.sum())
"""

PULP_LOOP = """
import numpy as np, pulp, yaml, pathlib
root = pathlib.Path({root!r})
opts = sorted((root / "options").glob("*.yaml"))
data = [yaml.safe_load(p.read_text()) for p in opts]
data = [d for d in data if d.get("kind") != "baseline"]
w = yaml.safe_load((root / "criteria/weights/main.yaml").read_text())["points"]
total = sum(w.values())
value = [sum(w[c] / total * d["scores"][c]["value"] / 10 for c in w) for d in data]
cost = [d["cost"] for d in data]
for b in np.linspace(0, sum(cost), 50):
    prob = pulp.LpProblem("p", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{{i}}", cat="Binary") for i in range(len(data))]
    prob += pulp.lpSum(v * xi for v, xi in zip(value, x))
    prob += pulp.lpSum(c * xi for c, xi in zip(cost, x)) <= b
    prob.solve(pulp.PULP_CBC_CMD(msg=False))
"""


def workspace(root: Path, n: int, m: int, budget: float | None, seed: int = 0) -> Path:
    """A generated workspace: ``n`` measures with ranged scores on ``m`` criteria."""
    rng = np.random.default_rng(seed)
    (root / "criteria" / "weights").mkdir(parents=True)
    (root / "options").mkdir()
    crit = [f"c{j}" for j in range(m)]
    spec = {"title": "Generated", "criteria": [
        {"id": c, "name": c.upper(), "scale": [0, 10]} for c in crit]}  # fmt: skip
    (root / "criteria" / "criteria.yaml").write_text(yaml.safe_dump(spec))
    points = {c: int(p) for c, p in zip(crit, rng.integers(1, 10, m))}
    (root / "criteria" / "weights" / "main.yaml").write_text(
        yaml.safe_dump({"name": "Main", "method": "points", "points": points})
    )
    for i in range(n):
        mid = rng.uniform(2, 8, m)
        scores = {c: {"value": round(float(v), 2), "low": round(float(v) - 1.5, 2),
                      "high": round(float(v) + 1.5, 2), "source": "generated"}
                  for c, v in zip(crit, mid)}  # fmt: skip
        option = {"id": f"m{i:04d}", "title": f"Measure {i}", "cost": int(rng.integers(1, 100)),
                  "scores": scores}  # fmt: skip
        (root / "options" / f"m{i:04d}.yaml").write_text(yaml.safe_dump(option))
    if budget is not None:
        (root / "options" / "allocation.yaml").write_text(
            yaml.safe_dump({"budget": budget, "targets": [], "channels": []})
        )
    return root


def timed(cmd: list[str], repeat: int, cwd: Path = REPO, workers: str = "") -> float:
    """Median wall time of ``repeat`` runs of a command (checked to succeed); ``workers``
    sets ``POLICYEVAL_WORKERS`` ("1": everything in one process)."""
    return timed_cpu(cmd, repeat, cwd, workers)[0]


def timed_cpu(cmd: list[str], repeat: int, cwd: Path = REPO,
              workers: str = "") -> tuple[float, float]:  # fmt: skip
    """Median wall time and median CPU time (user + system, of the process and every worker
    it waited for) of ``repeat`` runs of a command, checked to succeed."""
    env = {**os.environ, "POLICYEVAL_WORKERS": workers}
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    pe = str(BIN / "policyeval")
    out = Path(tempfile.mkdtemp())
    try:
        md = [pe, "report", "--template", "memo", "--format", "md", "--date", "2026-11-28",
              "-o", str(out / "memo")]  # fmt: skip
        memo, one = timed(md, repeat), timed(md, repeat, workers="1")
        print(f"report --template memo --format md (shipped case): {memo:.2f} s "
              f"[{'OK' if memo <= 1.0 else 'over'}: target <= 1.0 s]; "
              f"in one process (POLICYEVAL_WORKERS=1) {one:.2f} s")  # fmt: skip
        cmd = [pe, "report", "--all", "--date", "2026-11-28", "-o", str(out / "all")]
        every, cpu = timed_cpu(cmd, max(1, repeat // 2))
        one = timed(cmd, max(1, repeat // 2), workers="1")
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        full = [pe, "report", "--template", "full", "--date", "2026-11-28", "-o", str(out / "full")]
        pdf = timed([*full, "--format", "pdf"], repeat, workers="1")
        page = timed([*full, "--format", "html"], repeat, workers="1")
        print(f"report --all (shipped case): {every:.2f} s "
              f"[{'OK' if every <= 4.0 else 'over'}: target <= 4 s]; "
              f"in one process {one:.2f} s; CPU {cpu:.2f} s on {cores} cores, so no schedule "
              f"of this work ends before {cpu / max(cores or 1, 1):.2f} s; report --template "
              f"full --format pdf alone {pdf:.2f} s in one process, {pdf - page:.2f} s more than "
              "its HTML (typesetting the page)")  # fmt: skip

        big = workspace(out / "smaa", 100, 10, None)
        ours = timed([pe, "sensitivity", "-w", str(big), "--samples", "100000", "-f", "json"],
                     repeat)  # fmt: skip
        floor = timed([sys.executable, "-c", FLOOR.format(root=str(big), samples=100_000)],
                      repeat)  # fmt: skip
        print(f"sensitivity 100 x 10, 100,000 samples: {ours:.2f} s; numpy floor {floor:.2f} s; "
              f"ratio {ours / floor:.2f}x [{'OK' if ours <= 2 * floor else 'over'}: "
              "target <= 2x]")  # fmt: skip

        wide = workspace(out / "frontier", 1000, 4, None, seed=1)
        front = timed([pe, "frontier", "-w", str(wide), "--points", "50", "-f", "json"], 1)
        loop = timed([sys.executable, "-c", PULP_LOOP.format(root=str(wide))], 1)
        print(f"frontier 1,000 measures x 50 budgets: {front:.2f} s; plain PuLP + CBC loop "
              f"{loop:.2f} s; ratio {front / loop:.2f}x [{'OK' if front <= loop else 'over'}: "
              "target no slower]")  # fmt: skip
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
