"""Benchmark of ``okrctl history``: a repository with thousands of commits, built with fast-import.

    /work/main/.venv/bin/python tests/bench/bench_history.py [--commits 3000] [--objective-share 0.3] [--adds 0]

Starts from the banco example; each commit either adds a weekly check-in or edits one objective
file (a target, a baseline or a title nudged), dated one after another. Prints the time of
``target_changes`` (the history view, two git processes) and of the whole ``okrctl history`` and
``okrctl align`` commands. No assertions: the numbers are for people to read.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import compile_okrctl  # noqa: E402


def build(folder: Path, commits: int, objective_share: float, adds: int = 0) -> None:
    example = ROOT / "examples" / "banco"
    files = {p.relative_to(example).as_posix(): p.read_text(encoding="utf-8") for p in example.rglob("*.yaml")}
    objective_files = sorted(p for p in files if p.startswith("okrs/"))
    rng = random.Random(7)
    out: list[bytes] = []
    start = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)

    def blob_cmd(path: str, text: str) -> None:
        data = text.encode()
        out.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")

    def commit(n: int, message: str, at: datetime | None = None) -> None:
        when = int((at or start + timedelta(hours=3 * n)).timestamp())
        msg = message.encode()
        out.append(
            f"commit refs/heads/main\nauthor Ana Example <ana@example.com> {when} +0000\n"
            f"committer Ana Example <ana@example.com> {when} +0000\ndata {len(msg)}\n".encode()
            + msg
            + b"\n"
        )

    commit(0, "initial")
    for path, text in sorted(files.items()):
        blob_cmd(path, text)
    for n in range(1, commits):
        if rng.random() < objective_share:
            path = rng.choice(objective_files)
            text = files[path]
            # Nudge one number after "target: " or "baseline: " (a realistic one-line edit).
            for key in ("target: ", "baseline: "):
                at = text.find(key, rng.randrange(len(text)))
                if at < 0:
                    at = text.find(key)
                if at >= 0:
                    end = text.find("\n", at)
                    text = f"{text[: at + len(key)]}{rng.randint(1, 500)}{text[end:]}"
                    break
            files[path] = text
            commit(n, f"edit {path}")
            blob_cmd(path, text)
        else:
            team = rng.choice(["discover", "cards", "identity-platform", "core-platform"])
            path = f"checkins/{team}/bench-{n:05d}.yaml"
            commit(n, f"check-in {n}")
            blob_cmd(path, f"# bench check-in {n}\n")
    if adds:
        # After the cycle started, one objective file removed, then ``adds`` commits that each only
        # add a new objective file: each may put back what was taken out, so each is looked at.
        dropped = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
        commit(commits, "drop cards", dropped)
        out.append(b"D okrs/2026-Q4/cards.yaml\n")
        discover = files["okrs/2026-Q4/discover.yaml"]
        for n in range(adds):
            commit(commits + 1 + n, f"add objective {n}", dropped + timedelta(hours=1 + n))
            blob_cmd(f"okrs/2026-Q4/bench-add-{n:05d}.yaml", discover.replace("discover-first-week", f"bench-add-{n}"))
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=folder, input=b"".join(out), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=folder, check=True)
    # The check-in stubs are not valid documents: keep the working tree to the example's files.
    for stub in folder.glob("checkins/*/bench-*.yaml"):
        stub.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--objective-share", type=float, default=0.3, help="share of commits that edit objectives")
    parser.add_argument(
        "--adds", type=int, default=0, help="then, after the cycle started, an objective file removed and this many "
        "commits that each only add one"
    )  # fmt: skip
    args = parser.parse_args()
    compile_okrctl()

    from okrctl.analysis.history import target_changes
    from okrctl.load.pipeline import load_repo

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "repo"
        t0 = time.perf_counter()
        build(folder, args.commits, args.objective_share, args.adds)
        extra = f" and {args.adds + 1} more (a removal, {args.adds} additions)" if args.adds else ""
        print(f"built {args.commits} commits{extra} in {time.perf_counter() - t0:.2f} s")
        repo = load_repo(folder, use_cache=False)
        for label in ("first run", "second run"):
            t0 = time.perf_counter()
            history = target_changes(repo)
            elapsed = time.perf_counter() - t0
            print(f"target_changes ({label}): {elapsed:.3f} s, {len(history.changes)} changes")
        for command in (["history", "--format", "json"], ["align", "--today", "2026-11-20"]):
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "okrctl", *command, "--repo", str(folder)],
                cwd=ROOT,
                capture_output=True,
                check=False,
            )
            print(f"okrctl {' '.join(command)}: {time.perf_counter() - t0:.3f} s (whole process)")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
