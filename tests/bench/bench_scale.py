"""Benchmark: every command on synthetic organisations, cold and warm, next to the cost of parsing.

Run (organisations are generated once under --dir and reused):

    .venv/bin/pip install pyyaml   # the reference parser; not a dependency of okrctl
    .venv/bin/python tests/bench/bench_scale.py --teams 100,300,1000,3000

For each size it prints, measured in the same run so that a busy machine shifts both sides:

* ``read``: reading every file's bytes (one process, after a first pass has brought them into the
  page cache, as every okrctl run below finds them);
* ``pyyaml``: PyYAML's C loader (``yaml.CSafeLoader``) parsing every file, reading included (one
  process) — the reference of issue 15. Both references are measured again before each command's
  row (and before the restored-store and check-in rows), and that row's ratios are to them: the
  machine's speed drifts over a long run;
* every command, cold (an empty store: ``OKRCTL_CACHE_DIR`` is a new folder) and warm (the store
  filled by an earlier ``align``, and the walk kept by two more commands; options never seen before, so
  no memoised result can answer),
  with its time, the ratio to ``pyyaml`` and to ``read``, and the peak memory (RSS of okrctl's
  main process, from ``/usr/bin/time``);
* ``checkin`` of a second team after a first ``checkin`` with an empty store, nothing else run;
* ``align`` with a store restored on a fresh checkout after one file changed: a copy of the warm
  store whose stat table is emptied, as if saved the day before; then ``status`` on the same
  checkout and store (the next command of a CI job). With ``--git`` the checkout is a real
  ``git clone`` (git tells which files are as committed, and the store knows their blobs); without
  it, the same folder, where every file is read and hashed. With ``--git``, also a pull request's
  gate: the same ``align`` with ``--baseline HEAD``, on another copy of the restored store. The
  first of these commands starts a few seconds after the checkout, as in a CI job;
* Tab after ``--team`` (the shell's completion of unit ids) without a store ("cold") and with the
  warm store ("warm");
* with ``--git``, ``status --team`` on the warm store right after git wrote its index anew (a
  commit, a pull, ``git add`` or a refreshing ``git status`` do: the kept walk is compared with the
  copy of the index kept with it).

Times are printed, never asserted. ``--git`` makes each organisation a git repository once (a few
seconds for thousands of teams), so that ``diff HEAD`` is measured too and the restored-store row
is a real fresh clone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from okrctl.load.cache import RACY_SECONDS
from okrctl.load.store import store_name
from tests.bench import compile_okrctl
from tests.bench.synth import build

TODAY = "2026-12-31"  # the end of the synthetic year of check-ins
TEAM = "team-0001"
TEAM_2 = "team-0002"

FLOOR = r"""
import os, sys, time
import yaml
paths = []
for folder, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    paths += [os.path.join(folder, n) for n in names if n.endswith((".yaml", ".yml"))]
for p in paths:  # a first pass brings every file into the page cache: both references read from memory
    with open(p, "rb") as h:
        h.read()
start = time.perf_counter()
blobs = []
for p in paths:
    with open(p, "rb") as h:
        blobs.append(h.read())
read = time.perf_counter() - start
start = time.perf_counter()
for p in paths:
    with open(p, "rb") as h:
        list(yaml.load_all(h.read(), Loader=yaml.CSafeLoader))
print(read, time.perf_counter() - start, len(paths), sum(map(len, blobs)))
"""


def commands(root: Path, git: bool) -> dict[str, list[str]]:
    base = ["--repo", str(root), "--today", TODAY]
    out = {
        "align": ["align", *base, "--format", "concise", "--no-history"],
        "status": ["status", *base],
        "status --team": ["status", "--team", TEAM, *base],
        "trends": ["trends", *base, "--format", "csv"],
        "report": ["report", *base, "--no-history"],
        "map": ["map", *base, "--format", "mermaid"],
        "retro --team": ["retro", "--team", TEAM, "--cycle", "2026-Q4", *base, "--format", "markdown"],
        "checkin --dry-run": ["checkin", "--team", TEAM, "-c", "6", "--dry-run", *base, "--date", "2026-12-31"],
        "checkin (writes)": ["checkin", "--team", TEAM, "-c", "6", "--no-commit", *base, "--date", "2026-12-31"],
    }
    if git:
        out["diff"] = ["diff", "HEAD", "--repo", str(root), "--today", TODAY]
    return out


def timed(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, exit code, peak RSS in MB) of one okrctl run."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        result = subprocess.run(
            ["/usr/bin/time", "-o", report.name, "-f", "%M", sys.executable, "-m", "okrctl", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        elapsed = time.perf_counter() - start
        peak = int((report.read().strip().splitlines() or ["0"])[-1]) // 1024
    if result.returncode > 1:
        sys.exit(f"okrctl {' '.join(args)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed, result.returncode, peak


def make_git(root: Path) -> None:
    done = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True)
    if (root / ".git").exists() and done.returncode == 0:
        return  # committed by an earlier run (one stopped half-way is committed again)
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com"}
    env |= {"GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com"}
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "synthetic organisation"]):
        subprocess.run(["git", *step], cwd=root, env=env, check=True)


def forget_stats(store: Path) -> None:
    """What a fresh checkout is to a store a CI cache step restores: no file known by its stat (new
    inodes and times), and the store saved the day before (its entries were last used then, and
    it was last pruned then)."""
    with sqlite3.connect(store / store_name()) as db:
        db.execute("DELETE FROM stats")
        db.execute("DELETE FROM memo")
        db.execute("DELETE FROM findings")  # (kept by the day: yesterday's never answer)
        db.execute("UPDATE entries SET used = used - 1")
        db.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) - 1 AS TEXT) WHERE key = 'pruned'")


def bench(teams: int, folder: Path, git: bool, width: list[int], only: set[str] | None = None) -> list[str]:
    root = folder / f"org-{teams}"
    if not root.exists():
        start = time.perf_counter()
        files = build(root, teams=teams)
        print(f"built {files} files in {time.perf_counter() - start:.1f}s at {root}", flush=True)
    if git:
        make_git(root)
    references: list[tuple[float, float]] = []

    def reference() -> tuple[float, float, str, str]:
        """Reading the bytes and the PyYAML parse, measured now (with the count and size of the
        files): each row's ratios are to the references measured just before it, so that a machine
        whose speed drifts during the run shifts both sides (the header gives the first, the note
        under the table all of them)."""
        out = subprocess.run([sys.executable, "-c", FLOOR, str(root)], capture_output=True, text=True, check=True)
        read, pyyaml, files, size = out.stdout.split()
        references.append((float(read), float(pyyaml)))
        return float(read), float(pyyaml), files, size

    read_s, pyyaml_s, files, size = reference()
    lines = [
        f"### {teams} teams: {files} files, {int(size) / 1e6:.1f} MB — read {read_s:.2f} s, "
        f"PyYAML C loader {pyyaml_s:.2f} s",
        "",
        "| command | cold s | × PyYAML | × read | MB | warm s | × PyYAML | × read | MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    written = root / "checkins" / TEAM / "2026-12-31.yaml"
    # A store left by an earlier run may be of another okrctl version (it would be rebuilt by the
    # first warm command, which would then measure a cold run): start every size afresh.
    shutil.rmtree(folder / f"store-{teams}-warm", ignore_errors=True)
    measured_rows = 0
    for name, args in commands(root, git).items():
        if only is not None and name not in only:
            continue
        if measured_rows:
            read_s, pyyaml_s, _files, _size = reference()  # (the first row takes the header's)
        measured_rows += 1
        cells = []
        for mode in ("cold", "warm"):
            store = folder / f"store-{teams}-{mode}"
            if mode == "cold" or not store.exists():
                shutil.rmtree(store, ignore_errors=True)
            if mode == "warm" and not (store / store_name()).exists():
                warm_env = {**os.environ, "NO_COLOR": "1", "OKRCTL_CACHE_DIR": str(store)}
                warm_env.pop("OKRCTL_NO_CACHE", None)
                timed(commands(root, False)["align"], warm_env)  # fills the store
                # Two more commands keep the walk (the first, on a new store, does not; the next learns
                # which index git reads, marked before the walk after it: ``keptwalk``), as earlier
                # commands of the day have done on a user's machine.
                time.sleep(RACY_SECONDS + 0.5)  # (a folder changed within it is walked again)
                for columns in ("77", "78"):
                    timed(commands(root, False)["status"], {**warm_env, "COLUMNS": columns})
            width[0] += 1  # a width never used before: no memoised result can answer
            env = {**os.environ, "NO_COLOR": "1", "OKRCTL_CACHE_DIR": str(store), "COLUMNS": str(width[0])}
            env.pop("OKRCTL_NO_CACHE", None)
            written.unlink(missing_ok=True)
            seconds, _code, peak = timed(args, env)
            written.unlink(missing_ok=True)
            cells += [f"{seconds:.2f}", f"{seconds / pyyaml_s:.2f}", f"{seconds / read_s:.1f}", str(peak)]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    read_s, pyyaml_s, _files, _size = reference()
    # A store restored by a CI cache step on a fresh checkout, then one file changed. With --git the
    # checkout is a real fresh clone (new inodes and times; git knows which files are as committed);
    # without it, the same folder with the store's stat table emptied.
    store = folder / f"store-{teams}-warm"
    restored = folder / f"store-{teams}-restored"
    shutil.rmtree(restored, ignore_errors=True)
    shutil.copytree(store, restored)
    forget_stats(restored)
    target = root
    if git:
        target = folder / f"clone-{teams}"
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", str(root), str(target)], check=True)
    changed = target / "checkins" / TEAM / "2026-06-05.yaml"
    original = changed.read_bytes()
    changed.write_bytes(original + b"# edited\n")
    # A CI job's checkout comes seconds before its first okrctl command (a cache step, the set-up
    # of Python, the install); here it would come a fraction of a second before. okrctl records no
    # stat of a file written within RACY_SECONDS of a run's start (the clock may not tell a later
    # write apart), so the files the clone wrote last (okrctl.yaml among them) would be unknown
    # by their stat again to the next command, as they never are in CI.
    time.sleep(RACY_SECONDS + 0.5)
    env = {**os.environ, "NO_COLOR": "1", "OKRCTL_CACHE_DIR": str(restored)}
    env.pop("OKRCTL_NO_CACHE", None)
    gate: tuple[float, int, int] | None = None
    try:
        seconds, _code, peak = timed(commands(target, False)["align"], env)
        # The next command of the same CI job, on the same checkout and store (new options).
        width[0] += 1
        after, _code, after_peak = timed(commands(target, False)["status"], {**env, "COLUMNS": str(width[0])})
        if git:
            # A pull request's gate: the same, judged against the base (``GITHUB_BASE_REF`` gives the
            # merge base), with another copy of the restored store.
            again = folder / f"store-{teams}-restored-gate"
            shutil.rmtree(again, ignore_errors=True)
            shutil.copytree(store, again)
            forget_stats(again)
            gate = timed(
                [*commands(target, False)["align"], "--baseline", "HEAD"], {**env, "OKRCTL_CACHE_DIR": str(again)}
            )
    finally:
        changed.write_bytes(original)
    where = "fresh clone" if git else "same folder, stat table emptied"
    lines.append(
        f"| `align`, restored store ({where}), one file changed | | | | | {seconds:.2f} | "
        f"{seconds / pyyaml_s:.2f} | {seconds / read_s:.1f} | {peak} |"
    )
    print(lines[-1], flush=True)
    lines.append(
        f"| `status` right after it, same checkout and store | | | | | {after:.2f} | "
        f"{after / pyyaml_s:.2f} | {after / read_s:.1f} | {after_peak} |"
    )
    print(lines[-1], flush=True)
    if gate is not None:
        lines.append(
            f"| `align --baseline HEAD` (a pull request's gate), restored store, fresh clone, one file changed "
            f"| | | | | {gate[0]:.2f} | {gate[0] / pyyaml_s:.2f} | {gate[0] / read_s:.1f} | {gate[2]} |"
        )
        print(lines[-1], flush=True)
    read_s, pyyaml_s, _files, _size = reference()
    # The Friday of someone who only ever checks in: a first check-in with an empty store (which
    # parses no other team's check-ins), then another team's, with nothing else run in between.
    store = folder / f"store-{teams}-checkins"
    shutil.rmtree(store, ignore_errors=True)
    env = {**os.environ, "NO_COLOR": "1", "OKRCTL_CACHE_DIR": str(store)}
    env.pop("OKRCTL_NO_CACHE", None)
    timed(commands(root, False)["checkin --dry-run"], env)
    other = [TEAM_2 if part == TEAM else part for part in commands(root, False)["checkin --dry-run"]]
    seconds, _code, peak = timed(other, env)
    lines.append(
        f"| `checkin --dry-run` of another team after a first one, nothing else run | | | | | {seconds:.2f} | "
        f"{seconds / pyyaml_s:.2f} | {seconds / read_s:.1f} | {peak} |"
    )
    print(lines[-1], flush=True)
    # Tab after --team (the shell's completion of unit ids), without a store and with the warm one.
    words = f"okrctl status --repo {root} --team t"
    tab = {**os.environ, "_OKRCTL_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "5"}
    tab.pop("OKRCTL_NO_CACHE", None)
    cold_tab, _code, cold_peak = timed([], {**tab, "OKRCTL_CACHE_DIR": str(folder / f"store-{teams}-none")})
    warm_tab, _code, warm_peak = timed([], {**tab, "OKRCTL_CACHE_DIR": str(folder / f"store-{teams}-warm")})
    lines.append(
        f"| Tab after `--team` (the shell's completion of unit ids) | {cold_tab:.2f} | {cold_tab / pyyaml_s:.2f} | "
        f"{cold_tab / read_s:.1f} | {cold_peak} | {warm_tab:.2f} | {warm_tab / pyyaml_s:.2f} | "
        f"{warm_tab / read_s:.1f} | {warm_peak} |"
    )
    print(lines[-1], flush=True)
    if git:
        # git wrote its index anew (a commit, a pull, ``git add``, a ``git status`` that refreshes
        # it): the walk the warm store keeps is compared with the copy of the index kept with it
        # (``keptwalk``), and kept anew with the new index.
        env = {**os.environ, "NO_COLOR": "1", "OKRCTL_CACHE_DIR": str(folder / f"store-{teams}-warm")}
        env.pop("OKRCTL_NO_CACHE", None)
        subprocess.run(["git", "update-index", "--force-write-index"], cwd=root, check=True)
        width[0] += 1
        seconds, _code, peak = timed(commands(root, False)["status --team"], {**env, "COLUMNS": str(width[0])})
        lines.append(
            f"| `status --team` right after git wrote its index anew (`git update-index --force-write-index`) "
            f"| | | | | {seconds:.2f} | {seconds / pyyaml_s:.2f} | {seconds / read_s:.1f} | {peak} |"
        )
        print(lines[-1], flush=True)
    parses = sorted(pyyaml for _read, pyyaml in references)
    lines += [
        "",
        f"PyYAML measured {len(parses)} times in this table's run, each just before the row(s) it is "
        f"the reference of: {parses[0]:.2f} to {parses[-1]:.2f} s, median {parses[len(parses) // 2]:.2f} s.",
    ]
    print("\n".join(lines[-2:]), flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", default="1000", help="comma-separated sizes, e.g. 100,300,1000,3000")
    parser.add_argument("--dir", default="/tmp/okrctl-bench")
    parser.add_argument("--git", action="store_true", help="make each organisation a git repository (diff)")
    parser.add_argument(
        "--only", default="", help="comma-separated command names of the table, e.g. 'align,status --team'"
    )
    options = parser.parse_args()
    compile_okrctl()
    folder = Path(options.dir)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    width = [200]
    only = {name.strip() for name in options.only.split(",")} if options.only else None
    tables = [bench(int(n), folder, options.git, width, only) for n in options.teams.split(",")]
    if len(tables) > 1:  # each table was printed as it was measured; several are gathered once more
        print("\nall sizes together:\n")
        for table in tables:
            print("\n".join(table))
            print()


if __name__ == "__main__":
    main()
