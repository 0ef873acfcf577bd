"""Benchmark: align / status / report on a synthetic 1,000-team organisation (~57,000 files).

Run:  .venv/bin/python tests/bench/bench_scale.py [--teams 1000] [--dir /tmp/okrctl-bench]
Prints the floor (reading and parsing the bytes) and each command cold (no cache), on the first
cached run, and on an unchanged repeat run. Not part of the test suite: these machines are shared,
so times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.synth import build

TODAY = "2026-12-31"  # the end of the synthetic year of check-ins


def timed(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "okrctl", *args], env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if result.returncode > 1:
        sys.exit(f"okrctl {' '.join(args)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed, result.returncode


def parse_floor(root: Path) -> tuple[float, int, int]:
    """Read every file and let the C parser compose its nodes: what parsing the bytes costs.

    This is the cheapest way to turn the bytes into YAML nodes (the same C composer okrctl uses),
    without building values, validating or checking anything.
    """
    from okrctl.load.yamlparse import _composer

    start = time.perf_counter()
    files = total = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.endswith((".yaml", ".yml")):
                data = Path(folder, name).read_bytes()
                total += len(data)
                files += 1
                composer = _composer(data.decode())
                while composer.check_node():
                    composer.get_node()
    return time.perf_counter() - start, files, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--dir", default="/tmp/okrctl-bench")
    parser.add_argument("--commands", default="align,status,report")
    parser.add_argument("--fresh", action="store_true", help="rebuild the organisation")
    options = parser.parse_args()
    root = Path(options.dir) / f"org-{options.teams}"
    if options.fresh and root.exists():
        shutil.rmtree(root)
    if not root.exists():
        start = time.perf_counter()
        files = build(root, teams=options.teams)
        print(f"built {files} files in {time.perf_counter() - start:.1f}s at {root}")
    floor, files, size = parse_floor(root)
    print(f"organisation: {files} YAML files, {size / 1e6:.1f} MB")
    print(f"floor: read + C-parse every file            {floor:7.2f}s")
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(Path(options.dir) / "xdg")}
    env.pop("OKRCTL_NO_CACHE", None)
    commands = {
        "align": ["align", "--repo", str(root), "--today", TODAY, "--format", "concise", "--no-history"],
        "status": ["status", "--repo", str(root), "--today", TODAY, "--format", "json"],
        "report": ["report", "--repo", str(root), "--today", TODAY, "--format", "json"],
    }
    for name in options.commands.split(","):
        args = commands[name]
        shutil.rmtree(root / ".okrctl-cache", ignore_errors=True)
        cold, _ = timed([*args, "--no-cache"] if name == "align" else args, {**env, "OKRCTL_NO_CACHE": "1"})
        shutil.rmtree(root / ".okrctl-cache", ignore_errors=True)
        first, _ = timed(args, env)
        warm = statistics.median(timed(args, env)[0] for _ in range(3))
        print(
            f"okrctl {name:7} cold {cold:7.2f}s   first cached run {first:7.2f}s   unchanged repeat (median of 3) {warm:7.2f}s"
        )


if __name__ == "__main__":
    main()
