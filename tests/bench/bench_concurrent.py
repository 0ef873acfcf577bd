"""Stress: many okrctl processes at once on one shared store, while files change and processes die.

Run (the organisations are built under a temporary folder, or --dir, and reused):

    .venv/bin/python tests/bench/bench_concurrent.py --rounds 1 --kills 40 --flips 10

With one ``OKRCTL_CACHE_DIR`` shared by every process, on four git repositories (copies of
``examples/banco``, twice at two paths, and ``examples/saas``, and a synthetic organisation of
``--teams`` teams, ``synth.build``), for each store state — ``fresh`` (an empty folder), ``warm``
(left by the rounds before), ``restored`` (stat table and memo emptied, saved the day before, as
a CI cache step restores it: ``bench_scale.forget_stats``) and ``aged`` (restored, last used and
pruned more than a month ago, so the first run prunes it while the others read):

* a **quiet** round: ``align``, ``status``, ``status --team``, ``report``, ``trends``, ``map``,
  ``checkin --dry-run``, ``diff HEAD`` and ``site`` (to a temporary folder) on every repository,
  each twice, all started at once; each must answer exactly as the same command run with
  ``OKRCTL_NO_CACHE=1`` on the same files (for ``site``, every file it wrote), with its exit code;
* a **busy** round: the same once, plus a check-in of three teams per repository (one commits,
  two ``--no-commit``, one of these twice at once: exactly one may succeed), while a thread edits
  files in place, replaces them, adds, removes and touches them; exit codes 0 or 1, each check-in
  written is the YAML its ``--dry-run`` printed, and the one that commits commits its file alone;
* a quiet round again on what the busy round left (the store after all that churn);
* a **check-in** round: every read-only command while one check-in per repository is written;
  each must give the answer of the files before the check-in or after it.

Then ``--flips`` rounds of ``align`` runs (ten option sets never seen before) while one file flips
between two versions (an objective with a finding, and the same moved three lines down), each
followed by the same runs on each version, which must answer like runs without the store; and
``--kills`` times one command killed (SIGKILL or SIGTERM, to it or to its whole process group) at a
random moment, mostly on the large organisation while it fills or updates the store, then that
command and ``align`` again.

For every process: no traceback or SQLite wording on standard error, no hang (a timeout), and
after SIGTERM exit 143 with ``okrctl: terminated``. After every round: no temporary or hidden file
left in the repositories, no okrctl process left running (a killed okrctl's workers included), and
the store's ``PRAGMA integrity_check`` ok. It prints what it found and counts; it asserts nothing,
least of all about time.

``--states`` runs only some of the store states (``--states restored,aged``); with ``--save DIR``, a
quiet round with a mismatch leaves in DIR both outputs of each one (and standard error), and a copy
of the repositories and of the store as the round found them.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from okrctl.load.store import store_name
from tests.bench import compile_okrctl
from tests.bench.bench_scale import forget_stats
from tests.bench.synth import FLIPPING_OBJECTIVE, build

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TIMEOUT = 300.0  # seconds: a process still running then counts as hung
BAD_WORDS = re.compile(r"Traceback|database is locked|sqlite|OperationalError|disk image|malformed", re.I)
TAG = "OKRCTL_STRESS_TAG"  # marks every process this script starts (to find any left running)


@dataclass
class Target:
    name: str
    root: Path
    today: str
    teams: list[str]  # teams whose check-ins a busy round writes
    days: list[str]  # free check-in dates for them
    team: str  # the team of ``status --team`` and ``checkin --dry-run``
    base: str = ""  # the commit every round starts from


@dataclass
class Job:
    label: str
    target: Target
    args: list[str]
    compare: bool = True
    site: Path | None = None
    writes: Path | None = None  # the check-in file a --no-commit run writes
    dry: list[str] | None = None  # its --dry-run
    proc: subprocess.Popen[bytes] | None = None
    out: bytes = b""
    err: bytes = b""
    code: int | None = None
    started: float = 0.0
    seconds: float = 0.0


@dataclass
class Tally:
    runs: int = 0
    compared: int = 0
    mismatches: int = 0
    bad_exit: int = 0
    bad_stderr: int = 0
    hangs: int = 0
    leftovers: int = 0
    corrupt: int = 0
    kills: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        self.problems.append(text)
        print("  !!", text, flush=True)


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com"}
    env |= {"GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com", "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True)
    return done.stdout.decode()


def make_repo(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "organisation")


def targets(folder: Path, teams: int) -> list[Target]:
    out = []
    for name, example in (("banco", "banco"), ("banco-2", "banco"), ("saas", "saas")):
        root = folder / name
        if not root.exists():
            shutil.copytree(EXAMPLES / example, root)
            make_repo(root)
        if example == "banco":
            writers = ["cards", "discover", "identity-platform"]
            out.append(
                Target(name, root, "2026-11-20", writers, ["2026-11-17", "2026-11-18", "2026-11-19"], "discover")
            )
        else:
            writers = ["marketing", "sales", "product"]
            out.append(
                Target(name, root, "2026-11-20", writers, ["2026-11-17", "2026-11-18", "2026-11-19"], "marketing")
            )
    root = folder / f"synth-{teams}"
    if not root.exists():
        build(root, teams=teams)
        make_repo(root)
    writers = ["team-0001", "team-0002", "team-0003"]
    out.append(Target("synth", root, "2026-12-31", writers, ["2026-12-28", "2026-12-29", "2026-12-30"], "team-0001"))
    for target in out:
        target.base = git(target.root, "rev-parse", "HEAD").strip()
    return out


def read_only_jobs(target: Target, scratch: Path, copies: int) -> list[Job]:
    base = ["--repo", str(target.root), "--today", target.today]
    commands = {
        "align": ["align", *base, "--format", "json"],
        "status": ["status", *base, "--format", "json"],
        "status --team": ["status", "--team", target.team, *base, "--format", "json"],
        "report": ["report", *base, "--format", "json"],
        "trends": ["trends", *base, "--format", "json"],
        "map": ["map", *base, "--format", "json"],
        "checkin --dry-run": [
            "checkin",
            "--team",
            target.team,
            "-c",
            "6",
            "--dry-run",
            *base,
            "--date",
            target.days[0],
        ],
        "diff": ["diff", "HEAD", *base, "--format", "json"],
    }
    jobs = []
    for _copy in range(copies):
        for label, args in commands.items():
            jobs.append(Job(f"{target.name} {label}", target, args))
        site = Path(tempfile.mkdtemp(prefix="site-", dir=scratch)) / "out"
        jobs.append(Job(f"{target.name} site", target, ["site", str(site), *base], site=site))
    return jobs


def writer_jobs(target: Target, round_no: int, *, commit_one: bool = False) -> list[Job]:
    """A check-in of each writing team, ``--no-commit``; with ``commit_one``, the second commits."""
    base = ["--repo", str(target.root), "--today", target.today]
    jobs = []
    for at, (team, day) in enumerate(zip(target.teams, target.days, strict=True)):
        confidence = str(3 + (round_no + len(team)) % 6)
        args = ["checkin", "--team", team, "-c", confidence, *base, "--date", day, "-i", f"Round {round_no}"]
        path = target.root / "checkins" / team / f"{day}.yaml"
        if commit_one and at == 1:
            jobs.append(Job(f"{target.name} checkin (commit) {team}", target, args, False, None, path, args))
        else:
            label = f"{target.name} checkin --no-commit {team}"
            jobs.append(Job(label, target, [*args, "--no-commit"], False, None, path, args))
    return jobs


def environment(cache: Path, *, store: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OKRCTL_", "GIT_"))}
    env |= {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb", "GIT_CONFIG_NOSYSTEM": "1", TAG: "1"}
    env |= {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com"}
    env |= {"GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com"}
    env["OKRCTL_CACHE_DIR"] = str(cache)
    if not store:
        env["OKRCTL_NO_CACHE"] = "1"
    return env


def start(job: Job, env: dict[str, str]) -> None:
    job.started = time.perf_counter()
    job.proc = subprocess.Popen(
        [sys.executable, "-m", "okrctl", *job.args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=job.target.root,
        start_new_session=True,
    )


def finish(job: Job, timeout: float = TIMEOUT) -> bool:
    """Wait for the job; False when it hung (it is then killed with its group)."""
    assert job.proc is not None
    try:
        job.out, job.err = job.proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(job.proc.pid, signal.SIGKILL)
        job.out, job.err = job.proc.communicate()
        job.code = None
        return False
    job.code = job.proc.returncode
    job.seconds = time.perf_counter() - job.started
    return True


def run_all(jobs: list[Job], env: dict[str, str]) -> list[bool]:
    for job in jobs:
        start(job, env)
    results: list[bool] = [False] * len(jobs)

    def wait(at: int) -> None:
        results[at] = finish(jobs[at])

    threads = [threading.Thread(target=wait, args=(at,)) for at in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def tree_digest(folder: Path) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def state_of(root: Path) -> str:
    """A digest of every file of the repository (what the reference runs depend on) and HEAD."""
    hasher = hashlib.blake2b(digest_size=16)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in sorted(names):
            path = Path(folder) / name
            hasher.update(path.relative_to(root).as_posix().encode() + b"\0")
            hasher.update(path.read_bytes())
    hasher.update(git(root, "rev-parse", "HEAD").encode())
    return hasher.hexdigest()


class References:
    """Outputs of each command run without the store, by the repository's state."""

    def __init__(self, cache: Path, scratch: Path) -> None:
        self.found: dict[tuple[str, str], tuple[int | None, bytes]] = {}
        self.env = environment(cache, store=False)
        self.scratch = scratch

    def key(self, job: Job, state: str) -> tuple[str, str]:
        args = ["<site>" if job.site is not None and a == str(job.site) else a for a in job.args]
        return state, "\0".join(args)

    def fill(self, jobs: list[Job], states: dict[str, str]) -> None:
        todo: dict[tuple[str, str], Job] = {}
        for job in jobs:
            key = self.key(job, states[job.target.name])
            if key not in self.found and key not in todo:
                site = Path(tempfile.mkdtemp(prefix="ref-", dir=self.scratch)) / "out" if job.site else None
                args = [str(site) if a == str(job.site) else a for a in job.args]
                todo[key] = Job(job.label, job.target, args, site=site)
        pending = list(todo.items())
        for at in range(0, len(pending), 2):  # two at a time: no store, nothing shared
            batch = pending[at : at + 2]
            run_all([job for _key, job in batch], self.env)
            for key, job in batch:
                self.found[key] = (job.code, observed(job))

    def get(self, job: Job, state: str) -> tuple[int | None, bytes]:
        return self.found[self.key(job, state)]


def observed(job: Job) -> bytes:
    if job.site is not None:
        return tree_digest(job.site).encode() if job.site.exists() else b"<no site>"
    return job.out


def check_stderr(job: Job, tally: Tally) -> None:
    text = job.err.decode("utf-8", "replace")
    if BAD_WORDS.search(text):
        tally.bad_stderr += 1
        tally.problem(f"{job.label}: standard error says {text.strip()[-600:]!r}")


def ended(job: Job, finished: bool, tally: Tally, where: str) -> bool:
    """Count the run; a hang is noted, an ended run's standard error checked. Whether it ended."""
    tally.runs += 1
    if not finished:
        tally.hangs += 1
        tally.problem(f"{where}: {job.label} hung")
        return False
    check_stderr(job, tally)
    return True


def leftovers(repos: list[Target], tally: Tally, where: str) -> None:
    for target in repos:
        for folder, dirs, names in os.walk(target.root):
            dirs[:] = [d for d in dirs if d != ".git"]
            for name in names + dirs:
                if name.endswith(".tmp") or name.startswith("."):
                    tally.leftovers += 1
                    tally.problem(f"{where}: left in {target.name}: {Path(folder, name).relative_to(target.root)}")
    deadline = time.time() + 10
    while True:
        running = tagged_processes()
        if not running or time.time() > deadline:
            break
        time.sleep(0.2)
    if running:
        tally.leftovers += len(running)
        tally.problem(f"{where}: {len(running)} okrctl process(es) still running: {running[:5]}")
        for pid in running:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def tagged_processes() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if f"{TAG}=1".encode() in handle.read().split(b"\0"):
                    with open(f"/proc/{entry}/stat", "rb") as stat_file:
                        if b") Z" not in stat_file.read():
                            found.append(int(entry))
        except OSError:
            continue
    return found


def integrity(cache: Path, tally: Tally, where: str) -> None:
    path = cache / store_name()
    if not path.exists():
        return
    try:
        with sqlite3.connect(path, timeout=30) as db:
            answer = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as exc:
        answer = str(exc)
    if answer != "ok":
        tally.corrupt += 1
        tally.problem(f"{where}: the store's integrity check says {answer!r}")


def quiet_round(repos: list[Target], cache: Path, scratch: Path, refs: References, tally: Tally, where: str) -> None:
    jobs = [job for target in repos for job in read_only_jobs(target, scratch, 2)]
    saved = 0
    kept = keep_state(repos, cache, where)
    random.shuffle(jobs)
    states = {target.name: state_of(target.root) for target in repos}
    started = time.perf_counter()
    done = run_all(jobs, environment(cache, store=True))
    took = time.perf_counter() - started
    refs.fill(jobs, states)
    mismatches = 0
    for job, finished in zip(jobs, done, strict=True):
        if not ended(job, finished, tally, where):
            continue
        code, expected = refs.get(job, states[job.target.name])
        tally.compared += 1
        if job.code != code or observed(job) != expected:
            mismatches += 1
            tally.mismatches += 1
            tally.problem(
                f"{where}: {job.label} differs from the run without the store "
                f"(exit {job.code} vs {code}; {first_difference(observed(job), expected)})"
            )
            saved += 1
            save_mismatch(job, expected, f"{where} {saved}")
    if kept is not None and not saved:
        shutil.rmtree(kept, ignore_errors=True)
    slowest = max(job.seconds for job in jobs)
    print(f"{where}: {len(jobs)} processes at once in {took:.1f}s (slowest {slowest:.1f}s), {mismatches} mismatches")
    leftovers(repos, tally, where)
    integrity(cache, tally, where)


SAVE_TO: list[Path] = []  # --save: where the outputs of a mismatch are kept


def save_mismatch(job: Job, expected: bytes, name: str) -> None:
    """With ``--save``, the output with the store and the one without it, side by side, to see
    every line that differs (standard error too)."""
    if not SAVE_TO:
        return
    folder = SAVE_TO[0] / re.sub(r"[^A-Za-z0-9.-]+", "_", f"{name} {job.label}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "with-store.out").write_bytes(observed(job))
    (folder / "without-store.out").write_bytes(expected)
    (folder / "with-store.err").write_bytes(job.err)
    (folder / "args").write_text(" ".join(job.args) + "\n", encoding="utf-8")


def keep_state(repos: list[Target], cache: Path, where: str) -> Path | None:
    """With ``--save``, a copy of the repositories and the store as a quiet round finds them (to run
    a mismatching command again on that state, copied back to the same paths); None without."""
    if not SAVE_TO:
        return None
    folder = SAVE_TO[0] / re.sub(r"[^A-Za-z0-9.-]+", "_", f"state {where}")
    shutil.rmtree(folder, ignore_errors=True)
    for target in repos:
        shutil.copytree(target.root, folder / target.root.name, symlinks=True)
    if cache.exists():
        shutil.copytree(cache, folder / cache.name, symlinks=True)
    return folder


def first_difference(got: bytes, want: bytes) -> str:
    got_lines, want_lines = got.decode(errors="replace").splitlines(), want.decode(errors="replace").splitlines()
    for at, (a, b) in enumerate(zip(got_lines, want_lines, strict=False)):
        if a != b:
            return f"line {at + 1}: {a.strip()[:120]!r} vs {b.strip()[:120]!r}"
    return f"{len(got_lines)} lines vs {len(want_lines)}"


class Churn(threading.Thread):
    """Edits, replaces, adds and removes files of the repositories until stopped."""

    def __init__(self, repos: list[Target], seed: int) -> None:
        super().__init__(daemon=True)
        self.repos = repos
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.changes = 0

    def run(self) -> None:
        while not self.stop.is_set():
            target = self.rng.choice(self.repos)
            self.change(target)
            self.changes += 1
            self.stop.wait(self.rng.uniform(0.01, 0.2))

    def change(self, target: Target) -> None:
        rng = self.rng
        objectives = sorted((target.root / "okrs").rglob("*.yaml"))
        # The check-ins the round writes are left alone: each must stay what its --dry-run printed.
        checkins = sorted(p for p in (target.root / "checkins").rglob("*.yaml") if p.stem not in target.days)
        what = rng.choice(("edit", "replace", "add", "remove", "touch"))
        if what == "edit" and objectives:
            path = rng.choice(objectives)
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"(title: [^\n]*)", lambda m: m[1] + " x", text, count=1), encoding="utf-8")
        elif what == "replace" and checkins:
            path = rng.choice(checkins)
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"confidence: \d+", f"confidence: {rng.randint(2, 9)}", text, count=1)
            fd, tmp = tempfile.mkstemp(dir=self.repos[0].root.parent)  # outside every repository
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
        elif what == "add" and checkins:
            source = rng.choice(checkins)
            extra = source.with_name(f"extra-{rng.randint(0, 999):03d}.yaml")
            extra.write_text(source.read_text(encoding="utf-8").replace("issues:", "issues: [Extra]\nplan_x:", 1))
        elif what == "remove":
            extras = sorted((target.root / "checkins").rglob("extra-*.yaml"))
            if extras:
                rng.choice(extras).unlink()
        elif what == "touch" and checkins:
            os.utime(rng.choice(checkins))


def busy_round(repos: list[Target], cache: Path, scratch: Path, tally: Tally, where: str, round_no: int) -> None:
    jobs = [job for target in repos for job in read_only_jobs(target, scratch, 1)]
    writers = [job for target in repos for job in writer_jobs(target, round_no, commit_one=True)]
    for job in writers:  # the dry run first: what the check-in must write
        if job.writes is not None and job.writes.exists():
            job.writes.unlink()
    dry = [Job(job.label + " (dry)", job.target, [*(job.dry or []), "--dry-run"]) for job in writers]
    run_all(dry, environment(cache, store=False))
    # The same check-in twice at once (same team and date): exactly one may be written.
    twins = [
        (job, Job(job.label + " (twin)", job.target, list(job.args), False, None, job.writes, job.dry))
        for job in writers[:: len(writers) // len(repos)]
    ]
    everything = jobs + writers + [twin for _job, twin in twins]
    random.shuffle(everything)
    churn = Churn(repos, round_no)
    churn.start()
    started = time.perf_counter()
    done = run_all(everything, environment(cache, store=True))
    churn.stop.set()
    churn.join()
    took = time.perf_counter() - started
    for job, finished in zip(everything, done, strict=True):
        if not ended(job, finished, tally, where):
            continue
        if job.code not in (0, 1):
            tally.bad_exit += 1
            tally.problem(f"{where}: {job.label} exit {job.code}: {job.err.decode(errors='replace').strip()[-300:]}")
    for job, twin in twins:
        tally.compared += 1
        if sorted((job.code, twin.code)) != [0, 1]:
            tally.mismatches += 1
            tally.problem(f"{where}: the same check-in twice at once gave exits {job.code} and {twin.code}")
    for target in repos:  # each commit holds its check-in and nothing else
        wanted = {str(j.writes.relative_to(target.root)) for j in writers if j.target is target and j.writes}
        for commit in git(target.root, "rev-list", f"{target.base}..HEAD").split():
            files = git(target.root, "show", "--name-only", "--format=", commit).split()
            tally.compared += 1
            if len(files) != 1 or files[0] not in wanted:
                tally.mismatches += 1
                tally.problem(f"{where}: a check-in's commit in {target.name} holds {files}")
    for job, dry_job in zip(writers, dry, strict=True):
        if job.code == 0 and job.writes is not None:
            written = job.writes.read_bytes() if job.writes.exists() else b"<none>"
            tally.compared += 1
            if written != dry_job.out:
                tally.mismatches += 1
                tally.problem(f"{where}: {job.label} wrote other bytes than its --dry-run printed")
    print(f"{where}: {len(everything)} processes at once in {took:.1f}s with {churn.changes} file changes meanwhile")
    leftovers(repos, tally, where)
    integrity(cache, tally, where)


def checkin_round(repos: list[Target], cache: Path, scratch: Path, refs: References, tally: Tally, where: str) -> None:
    """Every read-only command while one check-in per repository is written (``--no-commit``):
    each reader answers as a run without the store does on the files before the check-in, or after
    it (a check-in appears whole, in one step)."""
    readers = [job for target in repos for job in read_only_jobs(target, scratch, 1) if job.site is None]
    writers = [writer_jobs(target, 0)[1] for target in repos]
    for job in writers:
        if job.writes is not None and job.writes.exists():
            job.writes.unlink()
    before = {target.name: state_of(target.root) for target in repos}
    refs.fill(readers, before)
    everything = readers + writers
    random.shuffle(everything)
    done = run_all(everything, environment(cache, store=True))
    after = {target.name: state_of(target.root) for target in repos}
    refs.fill(readers, after)
    mismatches = 0
    for job, finished in zip(everything, done, strict=True):
        if not ended(job, finished, tally, where):
            continue
        if any(job is writer for writer in writers):
            if job.code != 0:
                tally.bad_exit += 1
                tally.problem(f"{where}: {job.label} exit {job.code}: {job.err.decode(errors='replace')[-300:]}")
            continue
        tally.compared += 1
        answers = [refs.get(job, states[job.target.name]) for states in (before, after)]
        if (job.code, observed(job)) not in answers:
            mismatches += 1
            tally.mismatches += 1
            tally.problem(f"{where}: {job.label} is neither the answer before the check-in nor the one after")
    print(f"{where}: {len(everything)} processes at once, {mismatches} answers of neither state")
    leftovers(repos, tally, where)
    integrity(cache, tally, where)


def restore(repos: list[Target]) -> None:
    for target in repos:
        if target.base:
            git(target.root, "reset", "-q", "--hard", target.base)
        git(target.root, "checkout", "-q", "--", ".")
        git(target.root, "clean", "-q", "-f", "-d")


def kill_round(
    repos: list[Target], cache: Path, scratch: Path, refs: References, tally: Tally, rng: random.Random
) -> None:
    target = repos[-1] if rng.random() < 0.6 else rng.choice(repos)  # the large one writes the most
    job = rng.choice(read_only_jobs(target, scratch, 1) + writer_jobs(target, 0)[:1])
    if job.writes is not None and job.writes.exists():
        job.writes.unlink()
    state = rng.choice(("fresh", "warm", "restored", "aged"))
    prepare_store(cache, state)
    before = state_of(target.root)
    start(job, environment(cache, store=True))
    time.sleep(rng.uniform(0.02, 1.2))
    sig = rng.choice((signal.SIGKILL, signal.SIGTERM))
    group = rng.random() < 0.3  # a cancelled CI job signals the whole group, workers included
    assert job.proc is not None
    if job.proc.poll() is None:
        tally.kills += 1
        if group:
            os.killpg(job.proc.pid, sig)
        else:
            job.proc.send_signal(sig)
    if not finish(job, 60):
        tally.hangs += 1
        tally.problem(f"kill: {job.label} did not end after {sig.name}")
    # -15: the signal came before okrctl took it over (Python still starting), nothing was done yet
    if sig == signal.SIGTERM and job.code not in (0, 1, 143, -15):
        tally.bad_exit += 1
        tally.problem(f"kill: {job.label} after SIGTERM exit {job.code}: {job.err.decode(errors='replace')[-300:]}")
    if sig == signal.SIGTERM and job.code == 143:
        text = job.err.decode(errors="replace").strip()
        if text != "okrctl: terminated":
            tally.bad_stderr += 1
            tally.problem(f"kill: {job.label} after SIGTERM said {text[-400:]!r}")
    leftovers(repos, tally, f"kill {job.label} ({sig.name}{' to the group' if group else ''}, {state} store)")
    integrity(cache, tally, f"kill {job.label}")
    if job.writes is not None and job.writes.exists():
        job.writes.unlink()  # written before the signal: back to the state the references know
    if state_of(target.root) != before:
        tally.problem(f"kill: {job.label} changed the repository")
    # The next run of the same command, and of align, must answer like a run without the store.
    again = [Job(job.label, target, list(job.args), site=job.site)] if job.writes is None else []
    again += [j for j in read_only_jobs(target, scratch, 1) if j.label.endswith((" align", " status --team"))]
    states = {target.name: state_of(target.root)}
    for follow in again:
        if follow.site is not None:
            shutil.rmtree(follow.site, ignore_errors=True)
        run_all([follow], environment(cache, store=True))
        tally.runs += 1
        check_stderr(follow, tally)
    refs.fill(again, states)
    for follow in again:
        code, expected = refs.get(follow, states[target.name])
        tally.compared += 1
        if follow.code != code or observed(follow) != expected:
            tally.mismatches += 1
            tally.problem(
                f"kill ({sig.name} of {job.label}, {state} store): then {follow.label} differs "
                f"(exit {follow.code} vs {code}; {first_difference(observed(follow), expected)})"
            )


def flip_target(folder: Path) -> Target:
    """A copy of the saas example with one objective whose finding has a line (OKR104)."""
    root = folder / "saas-flip"
    if not root.exists():
        shutil.copytree(EXAMPLES / "saas", root)
        (root / "okrs" / "2026-Q4" / "extra.yaml").write_text(FLIPPING_OBJECTIVE, encoding="utf-8")
        make_repo(root)
    return Target("saas-flip", root, "2026-11-20", [], [], "marketing")


def flip_round(target: Target, cache: Path, refs: References, tally: Tally, iterations: int) -> None:
    """``align`` runs while one file flips between two versions (the same objective, moved down
    three lines), then the same runs on each version: their findings must be where a run without
    the store puts them, whatever an earlier run saw meanwhile (a result memoised for one version
    must not hold places read from the other)."""
    path = target.root / "okrs" / "2026-Q4" / "extra.yaml"
    versions = [FLIPPING_OBJECTIVE.encode(), b"# moved\n# down\n# three\n" + FLIPPING_OBJECTIVE.encode()]
    base = ["--repo", str(target.root), "--today", target.today, "--no-history"]
    shapes = [
        ["align", *base, "--format", fmt, "--ignore", code]
        for fmt in ("concise", "json", "sarif", "junit", "gitlab")
        for code in ("OKR305", "OKR201")
    ]
    found = 0
    for iteration in range(iterations):
        env = environment(cache, store=True) | {"COLUMNS": str(101 + iteration)}  # results not seen before
        racing = [Job(f"flip align {' '.join(args[6:])}", target, args) for args in shapes]
        stop = threading.Event()

        def flipper(stop: threading.Event = stop) -> None:
            at = 0
            while not stop.is_set():
                at = 1 - at
                fd, tmp = tempfile.mkstemp(dir=target.root.parent)
                os.write(fd, versions[at])
                os.close(fd)
                os.replace(tmp, path)
                stop.wait(random.uniform(0.002, 0.03))

        thread = threading.Thread(target=flipper)
        thread.start()
        done = run_all(racing, env)
        stop.set()
        thread.join()
        for job, finished in zip(racing, done, strict=True):
            ended(job, finished, tally, "flip")
        for version in versions:
            path.write_bytes(version)
            states = {target.name: state_of(target.root)}
            again = [Job(job.label, target, list(job.args)) for job in racing]
            run_all(again, env)
            refs.fill(again, states)
            for job in again:
                tally.runs += 1
                tally.compared += 1
                check_stderr(job, tally)
                code, expected = refs.get(job, states[target.name])
                if job.code != code or job.out != expected:
                    found += 1
                    tally.mismatches += 1
                    tally.problem(
                        f"flip {iteration}: {job.label} differs from the run without the store "
                        f"(exit {job.code} vs {code}; {first_difference(job.out, expected)})"
                    )
    git(target.root, "checkout", "-q", "--", ".")
    print(f"flip: {iterations} rounds of {len(shapes)} align runs while a file flips, {found} mismatches after")


def prepare_store(cache: Path, state: str) -> None:
    """``fresh``: no store; ``warm``: as it is; ``restored``: saved the day before on another runner;
    ``aged``: restored, last used and pruned more than a month ago (a run prunes it)."""
    if state == "fresh":
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(mode=0o700)
        return
    if not (cache / store_name()).exists():
        return
    if state in ("restored", "aged"):
        forget_stats(cache)
    if state == "aged":
        with sqlite3.connect(cache / store_name()) as db:
            db.execute("UPDATE entries SET used = used - 40")
            db.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) - 40 AS TEXT) WHERE key = 'pruned'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, help="where the organisations are built (default: a temporary folder)")
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1, help="cycles of fresh, warm, restored and aged stores")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--flips", type=int, default=10, help="rounds of align runs while a file flips")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--states", default="fresh,warm,restored,aged", help="the store states of each round, comma-separated, in order"
    )
    parser.add_argument("--save", type=Path, help="keep both outputs of every mismatch of a quiet round in this folder")
    options = parser.parse_args()
    states = [state.strip() for state in options.states.split(",") if state.strip()]
    unknown = set(states) - {"fresh", "warm", "restored", "aged"}
    if unknown:
        parser.error(f"--states: unknown state {sorted(unknown)[0]!r} (fresh, warm, restored or aged)")
    if options.save is not None:
        SAVE_TO.append(options.save)
    random.seed(options.seed)
    compile_okrctl()
    folder = options.dir or Path(tempfile.mkdtemp(prefix="okrctl-concurrent-"))
    folder.mkdir(parents=True, exist_ok=True)
    repos = targets(folder, options.teams)
    cache = folder / "cache"
    scratch = Path(tempfile.mkdtemp(prefix="scratch-", dir=folder))
    refs = References(cache, scratch)
    tally = Tally()
    for round_no in range(1, options.rounds + 1):
        for state in states:
            restore(repos)
            prepare_store(cache, state)
            quiet_round(repos, cache, scratch, refs, tally, f"round {round_no}, {state} store, quiet")
            prepare_store(cache, state)
            busy_round(repos, cache, scratch, tally, f"round {round_no}, {state} store, busy", round_no)
            quiet_round(repos, cache, scratch, refs, tally, f"round {round_no}, {state} store, after the busy round")
            restore(repos)
            checkin_round(repos, cache, scratch, refs, tally, f"round {round_no}, {state} store, check-ins")
    restore(repos)
    flip_round(flip_target(folder), cache, refs, tally, options.flips)
    rng = random.Random(options.seed)
    for _ in range(options.kills):
        kill_round(repos, cache, scratch, refs, tally, rng)
    restore(repos)
    shutil.rmtree(scratch, ignore_errors=True)
    print()
    print(f"runs: {tally.runs}; compared: {tally.compared}; mismatches: {tally.mismatches}; kills: {tally.kills}")
    print(
        f"bad exit codes: {tally.bad_exit}; bad standard error: {tally.bad_stderr}; hangs: {tally.hangs}; "
        f"left behind: {tally.leftovers}; store integrity failures: {tally.corrupt}"
    )
    print(f"problems: {len(tally.problems)}")


if __name__ == "__main__":
    main()
