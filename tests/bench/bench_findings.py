"""Benchmark: a warm ``align`` with thousands of findings, with and without the store's places.

Run (the organisation is generated once under --dir and reused, as by ``bench_scale.py``):

    .venv/bin/python tests/bench/bench_findings.py --teams 1000 --runs 5

The synthetic organisation's check-ins run to 2026-12-25. Dated 2026-12-13, ``align`` finds the
check-ins of 2026-12-18 and 2026-12-25 to be after today (OKR502): two findings a team. Each
finding points at a line of a check-in that the store answered for, and such a document comes
without the marks of a parse. Three rows, interleaved round by round so that a busy machine
shifts them alike, each a whole process with options never seen before (a new terminal width, so
no memoised result answers):

* ``no findings``: the same ``align`` dated 2026-12-31 — what the rest of the run costs;
* ``places unknown``: dated 2026-12-13, the store's ``places`` emptied first — each finding's file
  is parsed again for its line, as every run did before the store kept places;
* ``places known``: dated 2026-12-13, with the places an earlier run learnt.

Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from okrctl.load.store import store_name
from tests.bench import compile_okrctl, timed_run
from tests.bench.synth import build

LATE = "2026-12-31"
EARLY = "2026-12-13"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", default="/tmp/okrctl-bench")
    options = parser.parse_args()
    compile_okrctl()
    folder = Path(options.dir)
    root = folder / f"org-{options.teams}"
    if not (root / "okrctl.yaml").exists():
        build(root, options.teams)
    store = folder / f"store-{options.teams}-findings"
    store.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NO_COLOR": "1", "OKRCTL_CACHE_DIR": str(store)}
    env.pop("OKRCTL_NO_CACHE", None)
    command = [sys.executable, "-m", "okrctl", "align", "--repo", str(root), "--no-history", "--format", "text"]
    timed_run([*command, "--today", LATE], env)  # fills the store
    timed_run([*command, "--today", EARLY], {**env, "COLUMNS": "99"})  # learns the places
    with sqlite3.connect(store / store_name()) as db:
        learnt = db.execute("SELECT count(*) FROM places").fetchone()[0]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    print(f"{options.teams} teams; the store knows {learnt} places", flush=True)
    rows: dict[str, list[float]] = {"no findings": [], "places unknown": [], "places known": []}
    width = 400
    for _ in range(options.runs):
        for name in rows:
            width += 1
            if name == "places unknown":
                with sqlite3.connect(store / store_name()) as db:
                    kept = db.execute("SELECT * FROM places").fetchall()
                    db.execute("DELETE FROM places")
            day = LATE if name == "no findings" else EARLY
            rows[name].append(timed_run([*command, "--today", day], {**env, "COLUMNS": str(width)}))
            if name == "places unknown":
                with sqlite3.connect(store / store_name()) as db:  # as the earlier run left them
                    db.execute("DELETE FROM places")
                    db.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?)", kept)
    print("| warm `align` | median s | runs |")
    print("|---|---|---|")
    for name, times in rows.items():
        print(f"| {name} | {statistics.median(times):.2f} | {' '.join(f'{t:.2f}' for t in times)} |")


if __name__ == "__main__":
    main()
