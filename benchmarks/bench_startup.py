"""Start-up: ``policyeval --help`` and ``validate`` as whole processes vs ``import typer``.

Run: ``.venv/bin/python benchmarks/bench_startup.py [--runs N] [--report-runs K]``

Each command is run as a fresh process, ``--runs`` times, the commands interleaved
(round robin) so that a change in machine load hits all of them alike; the figure
is the median wall time. The baseline is ``python -c "import typer"`` with the same
interpreter, the least any Typer command can cost. Targets (issue 6): ``--help``
within 1.5x of the baseline, ``validate`` on the shipped case within 2x.

Children run as an installed package does: with compiled bytecode cached (the
environment's ``PYTHONDONTWRITEBYTECODE`` is dropped for them and
``PYTHONPYCACHEPREFIX`` points to a temporary folder, written by the warm-up runs),
whatever else the environment holds (e.g. ``PYTHONPATH``) is kept.
Peak memory is each child's maximum resident set size (``wait4``). The modules
that ``validate`` loads are listed against the heavy ones that must stay out
of it. ``policyeval report`` on the shipped case (into a temporary folder) is
timed end to end, without a baseline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POLICYEVAL = str(Path(PYTHON).parent / "policyeval")
HEAVY = ("numpy", "pandas", "scipy", "skcriteria", "matplotlib", "pulp", "pydantic")
#: Runs ``policyeval validate`` in-process and prints the heavy modules it loaded.
PROBE = (
    "import sys\n"
    "from policyeval.cli.app import app\n"
    "try:\n"
    "    app(['validate', '-w', sys.argv[1]])\n"
    "except SystemExit:\n"
    "    pass\n"
    f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
)


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--report-runs", type=int, default=1, help="0 to skip the report timing")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        ENV["PYTHONPYCACHEPREFIX"] = cache
        measure(args)


def measure(args: argparse.Namespace) -> None:
    """Time the commands (see the module docstring)."""
    from importlib.metadata import version

    print(f"typer {version('typer')}, python {sys.version.split()[0]}")
    commands = {
        "import typer (baseline)": [PYTHON, "-c", "import typer"],
        "policyeval --help": [POLICYEVAL, "--help"],
        "policyeval validate": [POLICYEVAL, "validate", "-w", str(REPO)],
    }
    times: dict[str, list[float]] = {k: [] for k in commands}
    peak: dict[str, float] = dict.fromkeys(commands, 0.0)
    for cmd in commands.values():  # warm the file cache
        run(cmd)
    for _ in range(args.runs):
        for name, cmd in commands.items():
            t, mb = run(cmd)
            times[name].append(t)
            peak[name] = max(peak[name], mb)
    base = statistics.median(times["import typer (baseline)"])
    targets = {"policyeval --help": 1.5, "policyeval validate": 2.0}
    print(f"start-up, median of {args.runs} runs each (interleaved):")
    for name in commands:
        med = statistics.median(times[name])
        line = f"  {name:26s} {med * 1000:7.0f} ms  {med / base:5.2f}x baseline"
        if name in targets:
            ok = "ok" if med / base <= targets[name] else "MISSED"
            line += f"  (target <= {targets[name]}x: {ok})"
        print(f"{line}  peak RSS {peak[name]:.0f} MB")

    probe = subprocess.run(
        [PYTHON, "-c", PROBE, str(REPO)], capture_output=True, text=True, check=True, env=ENV
    )
    loaded = probe.stdout.splitlines()[-1].split()
    print(f"  heavy modules loaded by validate: {', '.join(loaded) or 'none'}")
    typer_version = tuple(int(x) for x in version("typer").split(".")[:2])
    if "pydantic" in loaded and typer_version >= (0, 29):
        print("    (pydantic is imported by typer >= 0.29 itself when it builds the parameters)")

    if args.report_runs > 0:
        with tempfile.TemporaryDirectory() as tmp:
            ws = Path(tmp) / "ws"
            for folder in ("criteria", "options"):
                shutil.copytree(REPO / folder, ws / folder)
            cmd = [POLICYEVAL, "report", "-w", str(ws), "--out", str(ws / "reports")]
            cmd += ["--date", "2026-01-01"]
            runs = [run(cmd) for _ in range(args.report_runs)]
            med = statistics.median(t for t, _ in runs)
            print(
                f"report (memo, md) on the shipped case, end to end: {med:.2f} s "
                f"(median of {len(runs)}), peak RSS {max(mb for _, mb in runs):.0f} MB"
            )


if __name__ == "__main__":
    main()
