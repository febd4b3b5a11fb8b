"""``optimize`` where values tie everywhere (attack report 2026-11-30, R19).

Run: ``.venv/bin/python benchmarks/bench_ties.py``

A generated workspace of 1,000 measures with integer scores 1..9 on 4 criteria
(equal weights), integer costs 1..20 and 50 excludes between random pairs: many
portfolios share the best value, so the tie rule (lower cost, then the smallest
id) decides. Prints the whole-process wall time of ``policyeval optimize`` at a
few budgets and the size of the portfolio.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

BIN = Path(sys.executable).parent


def workspace(root: Path, n: int = 1000, excludes: int = 50, seed: int = 7) -> Path:
    """The tie-heavy workspace described in the module doc."""
    rng = np.random.default_rng(seed)
    (root / "criteria" / "weights").mkdir(parents=True)
    (root / "options").mkdir()
    crit = [f"c{j}" for j in range(4)]
    spec = {"title": "Ties", "criteria": [{"id": c, "name": c, "scale": [0, 10]} for c in crit]}
    (root / "criteria" / "criteria.yaml").write_text(yaml.safe_dump(spec))
    (root / "criteria" / "weights" / "main.yaml").write_text(
        yaml.safe_dump({"name": "Main", "method": "points", "points": dict.fromkeys(crit, 1)})
    )
    options = {}
    for i in range(n):
        cost = int(rng.integers(1, 21))
        scores = {c: int(v) for c, v in zip(crit, rng.integers(1, 10, 4))}
        options[i] = {"id": f"m{i:04d}", "title": f"M{i}", "cost": cost, "scores": scores}
    for _ in range(excludes):
        a, b = rng.choice(n, 2, replace=False)
        options[a].setdefault("excludes", []).append(f"m{b:04d}")
    for i, option in options.items():
        (root / "options" / f"m{i:04d}.yaml").write_text(yaml.safe_dump(option))
    return root


def main() -> None:
    out = Path(tempfile.mkdtemp())
    try:
        ws = workspace(out / "ties")
        for budget in (500, 2000, 5000):
            start = time.perf_counter()
            run = subprocess.run(
                [str(BIN / "policyeval"), "optimize", "-w", str(ws), "--budget", str(budget),
                 "-f", "json"],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            took = time.perf_counter() - start
            result = json.loads(run.stdout)
            print(f"optimize --budget {budget}: {took:.2f} s -> {len(result['selected'])} "
                  f"funded, value {result['value']:.6f}, cost {result['cost']:g}")  # fmt: skip
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
