"""Benchmark: `okrctl site` on the synthetic 1,000-team organisation, next to `align`.

Run:  .venv/bin/python tests/bench/bench_site.py [--teams 1000] [--dir /tmp/okrctl-bench]
Prints the time and peak memory (RSS of okrctl's process, from ``/usr/bin/time``) of `align` and
of `site`, without the store (``OKRCTL_NO_CACHE``: everything parsed) and with a store an earlier
`align` filled, the ratio site / align (goal: under 3×), and the site's number of files and total
size. Both skip git history (`--no-history`). Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import compile_okrctl
from tests.bench.bench_scale import timed
from tests.bench.synth import build

TODAY = "2026-11-20"  # inside 2026-Q4, as a reader would open the site


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
    cold = {**os.environ, "NO_COLOR": "1", "OKRCTL_NO_CACHE": "1"}
    store = Path(options.dir) / f"store-{options.teams}-site"
    shutil.rmtree(store, ignore_errors=True)
    warm = {**os.environ, "NO_COLOR": "1", "OKRCTL_CACHE_DIR": str(store)}
    warm.pop("OKRCTL_NO_CACHE", None)
    align_args = ["align", "--repo", str(root), "--today", TODAY, "--no-history", "-f", "concise"]
    outdir = Path(options.dir) / f"site-{options.teams}"
    site_args = ["site", str(outdir), "--repo", str(root), "--today", TODAY, "--no-history"]
    shutil.rmtree(outdir, ignore_errors=True)
    rows = []
    for label, env in (("no store", cold), ("an empty store: align fills it, site reads it", warm)):
        align, _code, align_mb = timed(align_args, env)
        site, _code, site_mb = timed(site_args, env)
        rows.append((label, align, align_mb, site, site_mb))
    files = [p for p in outdir.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"site: {len(files)} files, {size / 1e6:.1f} MB")
    print("| run | align s | align MB | site s | site MB | site / align |")
    print("|---|---|---|---|---|---|")
    for label, align, align_mb, site, site_mb in rows:
        print(f"| {label} | {align:.2f} | {align_mb} | {site:.2f} | {site_mb} | {site / align:.2f}× |")


if __name__ == "__main__":
    main()
