"""Benchmarks (``tests/bench/bench_*.py``): run by hand, never by the test suite."""

from __future__ import annotations

import compileall
from pathlib import Path


def compile_okrctl() -> None:
    """Bring okrctl's bytecode up to date before anything is timed, as an installed package has it.

    Without this, a development checkout run with ``PYTHONDONTWRITEBYTECODE`` set compiles every
    module edited since its bytecode was last written again in every measured process.
    """
    package = Path(__file__).resolve().parents[2] / "okrctl"
    compileall.compile_dir(package, quiet=2)


def timed_run(argv: list[str], env: dict[str, str]) -> float:
    """Seconds of one whole process; a failure (an exit code above 1) ends the benchmark with the
    end of its standard error."""
    import subprocess
    import sys
    import time

    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if done.returncode > 1:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-800:]}")
    return seconds
