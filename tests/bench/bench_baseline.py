"""Benchmark: ``align --baseline`` against plain ``align`` on the synthetic 1,000-team organisation.

Run:  .venv/bin/python tests/bench/bench_baseline.py [--teams 1000] [--dir /tmp/okrctl-bench-baseline]

The organisation of ``synth.py`` is committed to a git repository on ``main``; a branch changes one
objective. Both commands run on the branch, cold (``--no-cache``: every file parsed) and on the first
run with an empty cache store (what a CI runner without a restored cache does), the baseline read
from git objects at ``main``. The goal of issue 10: ``align --baseline`` at most 2x plain ``align``.
Times are printed next to each other, never asserted (the machines are shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import compile_okrctl
from tests.bench.synth import build

TODAY = "2026-12-31"


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    ident = ["-c", "user.name=Bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *ident, *args], cwd=root, env=env, check=True, capture_output=True)


def prepare(root: Path, teams: int) -> None:
    start = time.perf_counter()
    files = build(root, teams=teams)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the organisation")
    git(root, "checkout", "-q", "-b", "change")
    objective = next(sorted((root / "okrs").rglob("*.yaml")).__iter__())
    objective.write_text(objective.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "one objective changed")
    print(f"built {files} files and committed them in {time.perf_counter() - start:.1f}s at {root}")


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "okrctl", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode > 1:
        sys.exit(f"okrctl {' '.join(args)} failed ({result.returncode}): {result.stderr[-500:]}")
    last = (result.stdout.strip().splitlines() or [""])[-1]
    return elapsed, last


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--dir", default="/tmp/okrctl-bench-baseline")
    parser.add_argument("--fresh", action="store_true", help="rebuild the organisation")
    options = parser.parse_args()
    compile_okrctl()
    base = Path(options.dir)
    root = base / f"org-{options.teams}"
    if options.fresh and root.exists():
        shutil.rmtree(root)
    if not root.exists():
        prepare(root, options.teams)
    store = base / "xdg"
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(store), "GITHUB_ACTIONS": ""}
    for name in ("OKRCTL_NO_CACHE", "GITHUB_BASE_REF"):
        env.pop(name, None)
    plain = ["align", "--repo", str(root), "--today", TODAY, "--format", "json", "--no-history"]
    gated = [*plain, "--baseline", "main"]
    rows = []
    for label, args in (("align", plain), ("align --baseline main", gated)):
        cold, _ = timed([*args, "--no-cache"], {**env, "OKRCTL_NO_CACHE": "1"})
        shutil.rmtree(store, ignore_errors=True)
        first, _ = timed(args, env)
        rows.append((label, cold, first))
    print(f"{'command':24} {'cold (--no-cache)':>18} {'first run, empty store':>24}")
    for label, cold, first in rows:
        print(f"{label:24} {cold:17.2f}s {first:23.2f}s")
    (_, plain_cold, plain_first), (_, gated_cold, gated_first) = rows
    print(f"ratio baseline/plain: cold {gated_cold / plain_cold:.2f}x, first run {gated_first / plain_first:.2f}x")


if __name__ == "__main__":
    main()
