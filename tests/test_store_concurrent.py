"""Several okrctl processes on one store at once: an editor's ``align`` on save beside a ``status``
in the terminal, a CI matrix on one restored cache folder, two repositories sharing one folder, a
check-in written while another command reads. Each answers as it would alone, and the store stays
usable for the next run."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from okrctl.load import store as store_module
from tests.bench.synth import FLIPPING_OBJECTIVE
from tests.conftest import DEMO_DAY, EXAMPLES


@pytest.fixture
def saas(tmp_path: Path) -> Path:
    target = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", target)
    return target


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The store on, in a folder of its own (empty)."""
    folder = tmp_path / "cache"
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(folder))
    return folder


ENTRY = '{"docs": [], "findings": []}'


def test_a_store_another_okrctl_is_making_is_never_taken_for_a_damaged_one(saas, cache, monkeypatch) -> None:
    """Two processes open a store that does not exist yet at the same moment. The second must not find
    the first one's store half made (tables without the format row), take it for a damaged store
    and remove it: the first would then fill a database nobody ever reads again."""
    real = store_module.code_digest
    arrived: list[store_module.Store | None] = []

    def code_digest_while_another_opens_it() -> str:
        if not arrived:
            arrived.append(None)
            arrived[0] = store_module.Store.open(saas)  # another okrctl starting meanwhile
        return real()

    monkeypatch.setattr(store_module, "code_digest", code_digest_while_another_opens_it)
    first = store_module.Store.open(saas)
    other = arrived[0]
    assert first is not None and other is not None
    first.put_entries([("1" * 40, ENTRY, "")])
    other.put_entries([("2" * 40, ENTRY, "")])
    later = store_module.Store.open(saas)
    assert later is not None
    assert {"1" * 40, "2" * 40} <= later.known()


def test_a_store_another_okrctl_keeps_locked_is_left_alone(saas, cache, monkeypatch) -> None:
    """A store locked longer than okrctl waits (another process making it on a slow disk) is not
    damaged: the run goes on without it, and the store is still there for the next run."""
    monkeypatch.setattr(store_module, "BUSY_MS", 100)
    cache.mkdir(mode=0o700)
    path = cache / store_module.store_name()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    inode = path.stat().st_ino
    try:
        assert store_module.Store.open(saas) is None
        assert path.stat().st_ino == inode  # not removed, not replaced
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store = store_module.Store.open(saas)
    assert store is not None and path.stat().st_ino == inode


def test_a_store_another_process_keeps_locked_costs_a_run_one_wait_and_the_same_answer(
    cli, saas, parsed, monkeypatch, tmp_path
) -> None:
    """A store another process keeps locked (a long write of another okrctl, a backup tool): the run
    waits for it once, then goes on without it: neither its other store of the command (the memo)
    nor a worker forked after waits again, each ``BUSY_MS`` more. The answer is a cold run's."""
    monkeypatch.setattr(store_module, "BUSY_MS", 200)
    command = ("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "concise", "--no-history")
    cli(*command)  # the store exists and knows every file
    checkin = next((saas / "checkins").rglob("*.yaml"))
    checkin.write_text(checkin.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    waits = tmp_path / "waits"  # one line per lock given up on, from this process or a worker
    real = store_module._busy

    def busy(exc: sqlite3.Error) -> bool:
        found = real(exc)
        if found:
            with open(waits, "a", encoding="utf-8") as out:
                out.write(f"{os.getpid()}\n")
        return found

    monkeypatch.setattr(store_module, "_busy", busy)
    holder = sqlite3.connect(store_module.cache_root() / store_module.store_name(), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        locked = cli(*command)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(waits.read_text(encoding="utf-8").splitlines()) == 1
    alone = cli(*command, env={"OKRCTL_NO_CACHE": "1"})
    assert (locked.exit_code, locked.stdout) == (alone.exit_code, alone.stdout)
    again = cli(*command)  # the lock gone, the next run uses the store
    assert (again.exit_code, again.stdout) == (alone.exit_code, alone.stdout)
    assert checkin.relative_to(saas).as_posix() in parsed


@pytest.mark.parametrize("where", ["here", "in a worker", "beside a baseline"])
def test_a_file_saved_while_align_runs_never_leaves_a_memoised_answer_with_its_places(
    cli, saas, parsed, monkeypatch, git_repo, where
) -> None:
    """``align`` on save: the file is saved again while the run places its findings (it reads the
    file again for their lines). That run's answer is shown, but not memoised: once the file holds
    the first bytes again (an undo, a branch switched back), its findings are where a run without
    the store puts them, not where they were in the other version. Also when the rule that found
    it ran in a forked worker (a large repository, alone or beside a baseline)."""
    import okrctl.load.pipeline as pipeline
    import okrctl.rules as rules
    from okrctl.forked import spare_core
    from okrctl.load.index import Repo

    if where != "here" and not spare_core():
        pytest.skip("one core: the rules never run in a worker")
    if where == "in a worker":
        monkeypatch.setattr(rules, "PARALLEL_MIN_DOCS", 1)
    baseline = ()
    if where == "beside a baseline":
        git_repo(saas)
        monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 1)
        baseline = ("--baseline", "HEAD")

    planted = saas / "okrs" / "2026-Q4" / "extra.yaml"
    planted.write_text(FLIPPING_OBJECTIVE, encoding="utf-8")
    command = ("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "concise", "--no-history", *baseline)
    cli(*command)  # the store knows the file's entry
    with sqlite3.connect(store_module.cache_root() / store_module.store_name()) as db:
        db.execute("DELETE FROM places")  # and not yet the places of its findings: the file is read again
        db.execute("DELETE FROM findings")  # (nor the findings themselves: the rules run again)
    real = Repo._reparse

    def saved_meanwhile(self: Repo, doc) -> None:
        planted.write_text("# moved\n# down\n# three\n" + FLIPPING_OBJECTIVE, encoding="utf-8")
        real(self, doc)

    monkeypatch.setattr(Repo, "_reparse", saved_meanwhile)
    racing = cli(*command, "--ignore", "OKR305")
    assert "extra.yaml:11:" in racing.stdout  # the places of the file as it is now
    monkeypatch.setattr(Repo, "_reparse", real)
    planted.write_text(FLIPPING_OBJECTIVE, encoding="utf-8")
    again = cli(*command, "--ignore", "OKR305")
    alone = cli(*command, "--ignore", "OKR305", env={"OKRCTL_NO_CACHE": "1"})
    assert "extra.yaml:8:" in alone.stdout
    assert (again.exit_code, again.stdout) == (alone.exit_code, alone.stdout)


def test_a_file_saved_before_a_skimming_load_reads_it_again_is_stored_as_the_bytes_it_read(
    cli, saas, parsed, git_repo, monkeypatch
) -> None:
    """``checkin`` for one team (a skimming load) reads a file again when its entry is gone since the
    scan knew it by its stat: another okrctl pruned the aged store meanwhile. The file was saved in
    between: what it now holds must be stored under the digest of those bytes, never under the
    scan's, which is the committed blob's. Else that entry answers for the commit from then on, and
    ``diff HEAD`` sees the edit on both sides and reports no change."""
    import okrctl.load.pipeline as pipeline
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now are recorded too
    git_repo(saas)
    where = ("--repo", str(saas), "--today", DEMO_DAY)
    assert cli("align", *where).exit_code in (0, 1)  # every entry stored, every file's stat recorded
    edited = saas / "okrs" / "2026-Q4" / "marketing.yaml"
    snapshot = pipeline.scan(saas)
    assert "okrs/2026-Q4/marketing.yaml" not in snapshot.contents  # known by its stat, unread
    folder = store_module.cache_root()
    assert folder is not None
    store = folder / store_module.store_name()
    with sqlite3.connect(store) as db:
        db.execute("UPDATE entries SET used = used - 40")  # last used more than a month ago
    store_module.tidy_store(store, store_module.today_number(), [], True)  # another okrctl prunes it
    edited.write_text(edited.read_text().replace("title: Get NPS", "title: Lift NPS", 1), encoding="utf-8")
    pipeline.load_repo(saas, snapshot=snapshot, scope=pipeline.Scope(owners=frozenset({"marketing"})), skim=True)

    command = ("diff", "HEAD", *where, "--format", "json")
    warm, cold = cli(*command), cli(*command, env={"OKRCTL_NO_CACHE": "1"})
    assert '"kind": "retitled"' in cold.stdout
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)


@pytest.mark.parametrize("command", ["diff", "baseline"])
def test_a_file_saved_after_git_said_it_was_as_committed_is_not_lent_as_the_commit(
    cli, saas, cache, git_repo, monkeypatch, command
) -> None:
    """On a large tree the scan asks git first which files are as committed, then reads the others.
    A file saved in between is read as its new bytes: lent to the HEAD side (``diff HEAD``) or to
    the baseline (``align --baseline HEAD``) as git's blob, it made that side hold the edit too, so
    the change was not seen (the retitle, the new error). It is lent only when the bytes read are
    that blob."""
    git_repo(saas)
    edited = saas / "okrs" / "2026-Q4" / "marketing.yaml"
    saved = _saved_after_git_answered(monkeypatch, edited, *CHANGES[command])
    _the_edit_is_seen(cli, saas, command)
    assert saved == [True]


def _saved_after_git_answered(
    monkeypatch: pytest.MonkeyPatch, edited: Path, before: str, after: str, also=None
) -> list[bool]:
    """Git is asked which files are as committed (even on a small tree); right after it answers,
    ``edited`` is saved with ``before`` replaced by ``after`` (and ``also`` is called with its bytes
    as git named them). The list returned says whether that happened."""
    import okrctl.load.pipeline as pipeline

    monkeypatch.setattr(pipeline, "GIT_BLOBS_MIN_FILES", 0)
    real = pipeline._clean_blobs
    saved: list[bool] = []

    def git_then_a_save(root, started=None):
        answer = real(root, started)
        raw = edited.read_bytes()
        if not saved and "okrs/2026-Q4/marketing.yaml" in answer and before.encode() in raw:
            edited.write_bytes(raw.replace(before.encode(), after.encode(), 1))
            if also is not None:
                also(raw)
            saved.append(True)
        return answer

    monkeypatch.setattr(pipeline, "_clean_blobs", git_then_a_save)
    return saved


CHANGES = {"diff": ("title: Get NPS", "title: Lift NPS"), "baseline": ("owner: marketing", "owner: mrkt")}


def _the_edit_is_seen(cli, saas: Path, command: str) -> None:
    """``diff HEAD`` reports the retitle, ``align --baseline HEAD`` the new error: the HEAD side was
    read from git, not lent the working tree's new bytes."""
    where = ("--repo", str(saas), "--today", DEMO_DAY)
    if command == "diff":
        result = cli("diff", "HEAD", *where, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert '"kind": "retitled"' in result.stdout
    else:
        result = cli("align", *where, "--baseline", "HEAD", "--format", "concise", "--no-history")
        assert result.exit_code == 1, result.output
        assert "okrs/2026-Q4/marketing.yaml:9:8: OKR104 error" in result.stdout


@pytest.mark.parametrize("command", ["diff", "baseline"])
def test_a_file_a_worker_reads_as_other_bytes_than_git_named_is_not_lent_as_the_commit(
    cli, saas, cache, git_repo, monkeypatch, command
) -> None:
    """A new store and many files: the scan leaves every file to the worker processes, which read
    each one and compare it with the blob git named (``_read_deferred``). A file saved after git
    answered is read there as its new bytes: it must be recorded as such (``Snapshot.moved``), or it
    is lent to the HEAD side or the baseline as git's blob, and the edit is on both sides."""
    import okrctl.load.pipeline as pipeline

    git_repo(saas)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(pipeline, "_jobs", lambda: 2)  # workers, even on one core
    edited = saas / "okrs" / "2026-Q4" / "marketing.yaml"
    saved = _saved_after_git_answered(monkeypatch, edited, *CHANGES[command])
    real = pipeline._read_deferred
    by_workers: list[str] = []

    def read_deferred(snapshot, deferred, *args, **kwargs):
        by_workers.extend(source.rel for source in deferred)
        return real(snapshot, deferred, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_read_deferred", read_deferred)
    _the_edit_is_seen(cli, saas, command)
    assert saved and "okrs/2026-Q4/marketing.yaml" in by_workers  # the path this test is about was taken


@pytest.mark.parametrize("command", ["diff", "baseline"])
def test_a_file_read_again_as_other_bytes_than_git_named_is_not_lent_as_the_commit(
    cli, saas, cache, git_repo, monkeypatch, command
) -> None:
    """The scan knows a file by its stat, unread, and git says it is as committed; then the file is
    saved, and the store loses its entry (another okrctl prunes it). The load reads the file again
    (``Snapshot.bytes_of``) as its new bytes: it must be recorded as such (``Snapshot.moved``), or
    it is lent to the HEAD side or the baseline as git's blob, and the edit is on both sides."""
    import okrctl.load.pipeline as pipeline
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now are recorded too
    git_repo(saas)
    where = ("--repo", str(saas), "--today", DEMO_DAY)
    assert cli("align", *where).exit_code in (0, 1)  # every entry stored, every file's stat recorded
    edited = saas / "okrs" / "2026-Q4" / "marketing.yaml"

    def pruned(raw: bytes) -> None:
        store = store_module.Store.open(saas)
        assert store is not None and store_module.digest(raw) in store.known()
        store.forget([store_module.digest(raw)])

    saved = _saved_after_git_answered(monkeypatch, edited, *CHANGES[command], also=pruned)
    real = pipeline.Snapshot.bytes_of
    read_again: list[str] = []

    def bytes_of(self, sources):
        read_again.extend(s.rel for s in sources if s.rel not in self.contents)
        return real(self, sources)

    monkeypatch.setattr(pipeline.Snapshot, "bytes_of", bytes_of)
    _the_edit_is_seen(cli, saas, command)
    assert saved and "okrs/2026-Q4/marketing.yaml" in read_again  # the path this test is about was taken


POOL_KILLED = """
import os, sys, time
from okrctl.load import pipeline

def work(batch):
    open(os.path.join(FOLDER, str(os.getpid())), "w").close()
    while len(os.listdir(FOLDER)) < 2:
        time.sleep(0.01)
    if batch == [0]:
        os.kill(PARENT, 9)  # okrctl killed while its workers parse
    time.sleep(30)
    return batch

list(pipeline._in_workers(work, [0, 1], 2))
"""

MEANWHILE_KILLED = """
import os, sys, time
from okrctl.forked import meanwhile

def other():
    open(os.path.join(FOLDER, str(os.getpid())), "w").close()
    time.sleep(30)
    return "x" * 1_000_000  # more than a pipe holds: sent to nobody, it would wait forever

def here():
    while not os.listdir(FOLDER):
        time.sleep(0.01)
    os.kill(PARENT, 9)

meanwhile(other, here)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are tied to okrctl's end on Linux")
@pytest.mark.parametrize("script", [POOL_KILLED, MEANWHILE_KILLED], ids=["parsing-pool", "meanwhile"])
def test_the_workers_of_a_killed_okrctl_end_with_it(tmp_path, script) -> None:
    """okrctl killed (``kill -9``, the out-of-memory killer) while its workers parse files or compute
    beside it: they end with it. Left running, they would wait forever holding okrctl's output
    pipes, and a caller reading them to the end (``$(okrctl status)``, a CI step) with them."""
    folder = tmp_path / "workers"
    folder.mkdir()
    prelude = f"import os\nFOLDER = {str(folder)!r}\nPARENT = os.getpid()\n"
    source = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": source}
    done = subprocess.run([sys.executable, "-c", prelude + script], env=env, timeout=60, check=False)
    assert done.returncode == -9
    workers = [int(name) for name in os.listdir(folder)]
    assert workers
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_running(pid) for pid in workers):
            time.sleep(0.05)
        assert not [pid for pid in workers if _running(pid)]
    finally:
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


@pytest.mark.slow
def test_commands_started_at_once_on_one_new_store_answer_as_each_would_alone(tmp_path, git_repo) -> None:
    """A CI matrix on one empty cache folder, two repositories sharing it: every command started at
    once answers exactly as it does without the store, with nothing on standard error, and the
    store is intact afterwards and answers the same."""
    from tests.conftest import user_environment

    banco = git_repo(shutil.copytree(EXAMPLES / "banco", tmp_path / "banco"))
    saas = git_repo(shutil.copytree(EXAMPLES / "saas", tmp_path / "saas"))
    commands = []
    for root, team in ((banco, "discover"), (saas, "marketing")):
        where = ["--repo", str(root), "--today", DEMO_DAY]
        commands += [
            ["align", *where, "--format", "json"],
            ["status", *where, "--format", "json"],
            ["status", "--team", team, *where, "--format", "json"],
            ["report", *where, "--format", "json"],
            ["checkin", "--team", team, "-c", "6", "--dry-run", *where],
        ]
    env = user_environment(tmp_path / "home") | {"PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    store = env | {"OKRCTL_CACHE_DIR": str(tmp_path / "cache")}

    def run_all(environment: dict[str, str]) -> list[tuple[int, bytes, bytes]]:
        started = [
            subprocess.Popen(
                [sys.executable, "-m", "okrctl", *args],
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
            )
            for args in commands
        ]
        answers = []
        for process in started:
            out, err = process.communicate(timeout=120)
            answers.append((process.returncode, out, err))
        return answers

    alone = run_all(env | {"OKRCTL_NO_CACHE": "1"})
    at_once = run_all(store)
    assert at_once == alone
    with sqlite3.connect(tmp_path / "cache" / store_module.store_name()) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert run_all(store) == alone  # the store it left answers too
