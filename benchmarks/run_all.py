"""Run every ``benchmarks/bench_*.py`` and write ``benchmarks/RESULTS.md``.

Run: ``.venv/bin/python benchmarks/run_all.py [--only NAME ...] [--out FILE]``

Each benchmark runs in its own process with this interpreter, one after the
other (they measure time: never in parallel). RESULTS.md records the machine
(CPU model, cores, RAM, load average before and after), Python and package
versions, the git commit, and for each benchmark its command, exit status,
duration and full output (the figures and ratios it prints).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PACKAGES = (
    "policyeval", "numpy", "scipy", "pandas", "pyyaml", "typer", "rich", "pydantic", "jinja2",
    "matplotlib", "pulp", "highspy", "scikit-criteria", "pymcdm",
)  # fmt: skip


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GB"
    except OSError:
        pass
    return "unknown"


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _versions() -> str:
    out = []
    for name in PACKAGES:
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return ", ".join(out)


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" (with uncommitted changes)" if git("status", "--porcelain") else "")


def _python() -> str:
    """This interpreter, relative to the repository when inside it (``.venv/bin/python``)."""
    exe = Path(sys.executable)
    return str(exe.relative_to(REPO)) if exe.is_relative_to(REPO) else str(exe)


def machine() -> list[str]:
    """The machine and software the figures were measured on, as Markdown lines."""
    return [
        f"- CPU: {_cpu_model()}; {os.cpu_count()} logical cores",
        f"- RAM: {_ram_gb()}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()} ({sys.executable})",
        f"- packages: {_versions()}",
        f"- git commit: {_commit()}",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="benchmark names (e.g. bench_startup)")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = ap.parse_args()

    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem in args.only]
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{_python()} benchmarks/run_all.py` on {started}. "
        "Each benchmark prints its own baselines, run in the same process, and the ratios;",
        "re-run one with the command shown to check a figure.",
        "",
        "## Machine",
        "",
        *machine(),
        f"- load average (1, 5, 15 min) before the runs: {_load()}",
    ]
    sections = []
    for script in scripts:
        cmd = [sys.executable, str(script.relative_to(REPO))]
        print(f"running {' '.join(cmd)}", flush=True)
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
        took = time.perf_counter() - t
        output = (proc.stdout + proc.stderr).rstrip()
        print(output, flush=True)
        sections += [
            f"## {script.stem}",
            "",
            f"Command: `{_python()} {script.relative_to(REPO)}` — exit status "
            f"{proc.returncode}, {took:.0f} s",
            "",
            "```",
            output,
            "```",
            "",
        ]
    lines += [f"- load average after the runs: {_load()}", "", *sections]
    from policyeval.io.writer import write_atomic

    write_atomic(args.out, "\n".join(lines).rstrip() + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
