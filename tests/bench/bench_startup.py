"""Benchmark: start-up of ``okrctl --help`` / ``--version`` and ``align`` on the bundled examples.

Run:  .venv/bin/python tests/bench/bench_startup.py [--runs 15]
Prints the median and the spread of wall-clock times of whole processes. Not part of the test
suite: times are printed, never asserted.
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

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import compile_okrctl  # noqa: E402


def measure(args: list[str], runs: int, env: dict[str, str], before=None) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "okrctl", *args], env=env, capture_output=True)
        times.append(time.perf_counter() - start)
        if result.returncode > 1:
            sys.exit(f"okrctl {' '.join(args)} failed: {result.stderr.decode()[-400:]}")
    return times


def show(label: str, times: list[float]) -> None:
    print(
        f"{label:52} median {statistics.median(times) * 1000:7.1f} ms   min {min(times) * 1000:7.1f}   max {max(times) * 1000:7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    compile_okrctl()
    work = Path(tempfile.mkdtemp(prefix="okrctl-startup-"))
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(work / "xdg")}
    env.pop("OKRCTL_NO_CACHE", None)
    show(
        "python -c pass (interpreter floor)",
        [
            (lambda s: (subprocess.run([sys.executable, "-c", "pass"]), time.perf_counter() - s)[1])(
                time.perf_counter()
            )
            for _ in range(runs)
        ],
    )
    show("okrctl --help", measure(["--help"], runs, env))
    show("okrctl --version", measure(["--version"], runs, env))
    for name in ("banco", "saas"):
        repo = work / name
        shutil.copytree(ROOT / "examples" / name, repo)
        args = ["align", "--repo", str(repo), "--today", "2026-11-20"]
        show(f"okrctl align examples/{name} (no cache)", measure([*args, "--no-cache"], runs, env))
        measure(args, 1, env)
        show(f"okrctl align examples/{name} (cached repeat)", measure(args, runs, env))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
