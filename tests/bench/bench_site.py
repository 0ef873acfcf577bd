"""Benchmark: `okrctl site` on the synthetic 1,000-team organisation, next to one cold `align`.

Run:  .venv/bin/python tests/bench/bench_site.py [--teams 1000] [--dir /tmp/okrctl-bench]
Prints the time of a cold `align` (no cache) and of a cold `site` (no cache), the ratio (goal: under
3×), and the site's number of files and total size. Both skip git history (`--no-history`): the
synthetic organisation is not a git repository. Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import compile_okrctl, timed_run
from tests.bench.synth import build

TODAY = "2026-11-20"  # inside 2026-Q4, as a reader would open the site


def timed(args: list[str], env: dict[str, str]) -> float:
    return timed_run([sys.executable, "-m", "okrctl", *args], env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--dir", default="/tmp/okrctl-bench")
    options = parser.parse_args()
    compile_okrctl()
    root = Path(options.dir) / f"org-{options.teams}"
    if not root.exists():
        start = time.perf_counter()
        files = build(root, teams=options.teams)
        print(f"built {files} files in {time.perf_counter() - start:.1f}s at {root}")
    env = {**os.environ, "NO_COLOR": "1", "OKRCTL_NO_CACHE": "1", "XDG_CACHE_HOME": str(Path(options.dir) / "xdg-cold")}
    shutil.rmtree(root / ".okrctl-cache", ignore_errors=True)
    align = timed(["align", "--repo", str(root), "--today", TODAY, "--no-history", "--no-cache", "-f", "concise"], env)
    print(f"okrctl align (cold)          {align:7.2f}s")
    outdir = Path(options.dir) / f"site-{options.teams}"
    shutil.rmtree(outdir, ignore_errors=True)
    site = timed(["site", str(outdir), "--repo", str(root), "--today", TODAY, "--no-history"], env)
    files = [p for p in outdir.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"okrctl site  (cold, first)   {site:7.2f}s   {len(files)} files, {size / 1e6:.1f} MB")
    rebuild = timed(["site", str(outdir), "--repo", str(root), "--today", TODAY, "--no-history"], env)
    print(f"okrctl site  (cold, rebuild) {rebuild:7.2f}s   (replaces the previous site)")
    print(f"site / align: {site / align:.2f}× (goal: under 3×)")


if __name__ == "__main__":
    main()
