"""Benchmark: what any warm command on a large organisation pays before it does its own work.

Run:  .venv/bin/python tests/bench/bench_floor.py [--teams 1000] [--runs 7]

A warm command (issue: a store filled by an earlier run, options never seen before) cannot know
that a file is unchanged without its lstat, nor what an unchanged file holds without one row of
the store per file. This script times those parts alone, each as a whole process, next to the
commands themselves, in one run (the rows are interleaved, round after round, so that a machine
whose speed drifts shifts them alike):

* ``interpreter``: ``python -c pass``;
* ``okrctl, small repository``: ``okrctl status`` on a copy of ``examples/banco`` with a warm
  store and a new width: start-up, imports and a command on 73 files;
* ``walk + lstat``: a Python process that walks the organisation with ``os.scandir`` and takes
  the lstat of every YAML file (what okrctl's scan does, without anything else);
* ``stat table``: a Python process that reads the store's stat table (one row per file) into a
  dict;
* the warm commands ``checkin --dry-run``, ``status --team`` and ``status`` (new widths).

The "floor" line adds the first three parts that a command needs (okrctl's own start-up, the walk,
the table); the two-core scan shares the walk with a second process, so a command may go below
it by up to half the walk. Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from okrctl.load.store import store_name  # noqa: E402
from tests.bench import compile_okrctl, timed_run  # noqa: E402
from tests.bench.synth import build  # noqa: E402

TODAY = "2026-12-31"
TEAM = "team-0001"

WALK = r"""
import os, sys
stack = [sys.argv[1]]
count = 0
while stack:
    folder = stack.pop()
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.name.endswith((".yaml", ".yml")):
                entry.stat(follow_symlinks=False)
                count += 1
print(count)
"""

TABLE = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = {r[0]: r[1:] for r in db.execute("SELECT path, size, mtime, ctime, ino, dev, digest, summary FROM stats")}
print(len(rows))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dir", default="/tmp/okrctl-bench")
    options = parser.parse_args()
    compile_okrctl()
    folder = Path(options.dir)
    folder.mkdir(parents=True, exist_ok=True)
    org = folder / f"org-{options.teams}"
    if not org.exists():
        print(f"built {build(org, teams=options.teams)} files at {org}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="okrctl-floor-"))
    store = work / "store"
    small = work / "banco"
    shutil.copytree(ROOT / "examples" / "banco", small)
    env = {**os.environ, "NO_COLOR": "1", "OKRCTL_CACHE_DIR": str(store)}
    env.pop("OKRCTL_NO_CACHE", None)
    okrctl = [sys.executable, "-m", "okrctl"]
    base = ["--repo", str(org), "--today", TODAY]
    timed_run([*okrctl, "align", *base, "--format", "concise", "--no-history"], env)  # fills the store
    timed_run([*okrctl, "status", "--repo", str(small), "--today", "2026-11-20"], env)
    width = [300]

    def command(*args: str) -> list[str]:
        return [*okrctl, *args]

    rows: dict[str, list[str]] = {
        "interpreter (python -c pass)": [sys.executable, "-c", "pass"],
        "okrctl status, small repository (73 files)": command("status", "--repo", str(small), "--today", "2026-11-20"),
        "walk + lstat of every YAML file": [sys.executable, "-c", WALK, str(org)],
        "stat table of the store": [sys.executable, "-c", TABLE, str(store / store_name())],
        "okrctl checkin --dry-run (warm)": command(
            "checkin", "--team", TEAM, "-c", "6", "--dry-run", "--date", TODAY, *base
        ),
        "okrctl status --team (warm)": command("status", "--team", TEAM, *base),
        "okrctl status (warm)": command("status", *base),
    }
    times: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(options.runs):
        for name, args in rows.items():
            width[0] += 1  # a width never used before: no memoised result can answer
            times[name].append(timed_run(args, {**env, "COLUMNS": str(width[0])}))
    shutil.rmtree(work, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    files = subprocess.run([sys.executable, "-c", WALK, str(org)], capture_output=True, text=True).stdout.strip()
    print(
        f"\n{options.teams} teams ({files} files), median of {options.runs} rounds, load average "
        f"{os.getloadavg()[0]:.1f} at the end\n"
    )
    print("| part | median s | min s | max s |")
    print("|---|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {median[name]:.2f} | {min(values):.2f} | {max(values):.2f} |")
    floor = (
        median["okrctl status, small repository (73 files)"]
        + median["walk + lstat of every YAML file"]
        - median["interpreter (python -c pass)"]
        + median["stat table of the store"]
        - median["interpreter (python -c pass)"]
    )
    print(f"| floor: okrctl's start-up + walk + stat table (interpreter counted once) | {floor:.2f} | | |")


if __name__ == "__main__":
    main()
