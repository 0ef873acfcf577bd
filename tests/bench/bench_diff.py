"""Benchmark: ``okrctl diff HEAD~1 HEAD`` on the synthetic 1,000-team organisation, one file changed.

Run:  .venv/bin/python tests/bench/bench_diff.py [--teams 1000] [--dir /tmp/okrctl-bench-diff]

The organisation (tests/bench/synth.py) is committed to a git repository, then one objective's
target is changed and committed. Printed, each as a whole process, next to the reference measured
in the same run (one cold ``align``, no store):

* ``diff HEAD~1 HEAD`` with no store at all (``OKRCTL_NO_CACHE=1``): both sides parsed;
* the same with an empty store: the first side is parsed, the second answered by the store;
* the same after an ``align`` of the working tree filled the store (the usual case on a laptop or
  in a CI job that restores its cache).

Each line gives the wall time and the CPU time (user + system, worker processes included).

Not part of the test suite: times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
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
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def timed(args: list[str], env: dict[str, str]) -> str:
    """Wall time and CPU time (user + system, okrctl's worker processes included) of one run.

    On a shared machine the wall time moves with everyone else's load; the CPU time much less.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "okrctl", *args], env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode > 1:
        sys.exit(f"okrctl {' '.join(args)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return f"{elapsed:7.2f}s wall {cpu:7.2f}s cpu"


def prepare(root: Path, teams: int) -> None:
    start = time.perf_counter()
    files = build(root, teams=teams)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the organisation")
    target = root / "okrs" / "2026-Q4" / "team-0001.yaml"
    if not target.exists():
        target = sorted((root / "okrs" / "2026-Q4").glob("*.yaml"))[-1]
    text = target.read_text(encoding="utf-8")
    changed, count = re.subn(r"target: (\d+)", lambda m: f"target: {int(m.group(1)) + 5}", text, count=1)
    if count != 1:
        sys.exit(f"no target to change in {target}")
    target.write_text(changed, encoding="utf-8")
    git(root, "commit", "-q", "-am", f"raise a target in {target.name}")
    print(f"built and committed {files} files in {time.perf_counter() - start:.1f}s; changed {target.name}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--dir", default="/tmp/okrctl-bench-diff")
    parser.add_argument("--fresh", action="store_true", help="rebuild the organisation")
    options = parser.parse_args()
    compile_okrctl()
    base = Path(options.dir)
    root = base / f"org-{options.teams}"
    if options.fresh and base.exists():
        shutil.rmtree(base)
    if not (root / ".git").exists():
        shutil.rmtree(root, ignore_errors=True)
        prepare(root, options.teams)
    store = base / "store"
    env = {**os.environ, "NO_COLOR": "1", "OKRCTL_CACHE_DIR": str(store)}
    env.pop("OKRCTL_NO_CACHE", None)
    cold = {**env, "OKRCTL_NO_CACHE": "1"}
    align = ["align", "--repo", str(root), "--today", TODAY, "--format", "concise"]
    diff = ["diff", "HEAD~1", "HEAD", "--repo", str(root), "--today", TODAY]

    # Bring the files and git's objects into the page cache first, so that the reference (measured
    # first) reads from memory as the runs after it do.
    for folder, _dirs, names in os.walk(root):
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                handle.read()
    print(f"reference: cold align (no store)              {timed(align, cold)}")
    print(f"diff HEAD~1 HEAD, no store                    {timed(diff, cold)}")
    shutil.rmtree(store, ignore_errors=True)
    print(f"diff HEAD~1 HEAD, empty store                 {timed(diff, env)}")
    shutil.rmtree(store, ignore_errors=True)
    timed(align, env)  # fills the store from the working tree
    print(f"diff HEAD~1 HEAD, store filled by an align    {timed(diff, env)}")


if __name__ == "__main__":
    main()
