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
