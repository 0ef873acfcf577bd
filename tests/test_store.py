"""okrctl's store (outside the repository): answers exactly like a cold run, and never trusts or
writes what a repository plants."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import okrctl.load.pipeline as pipeline
from okrctl.load import store as store_module
from tests.conftest import DEMO_DAY, EXAMPLES, ROOT, git

COMMANDS = [
    ("align", "--format", "json", "--no-history"),
    ("align", "--format", "json", "--no-history", "--cycle", "all"),
    ("status", "--format", "json"),
    ("status", "--team", "marketing", "--format", "json"),
    ("report", "--format", "json"),
    ("trends", "--format", "json"),
    ("map", "--format", "json"),
    ("retro", "--team", "marketing", "--format", "json"),
]


@pytest.fixture
def saas(tmp_path: Path) -> Path:
    target = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", target)
    return target


def outputs(cli, repo: Path, *, cold: bool = False) -> list[tuple[int, str, str]]:
    env = {"OKRCTL_NO_CACHE": "1"} if cold else None
    found = []
    for command in COMMANDS:
        result = cli(*command, "--repo", str(repo), "--today", DEMO_DAY, env=env)
        found.append((result.exit_code, result.stdout, result.stderr))
    return found


def store_file() -> Path:
    folder = store_module.cache_root()
    assert folder is not None
    return folder / store_module.store_name()


def age(path: Path) -> None:
    """Make a file look written long ago (files written in the last seconds are never trusted
    by the stat table)."""
    os.utime(path, (1_700_000_000, 1_700_000_000))


@pytest.mark.slow
def test_the_store_answers_exactly_like_a_cold_run_after_every_kind_of_change(cli, saas, parsed):
    for path in saas.rglob("*.yaml"):
        age(path)
    cold = outputs(cli, saas, cold=True)
    assert outputs(cli, saas) == cold
    parsed.clear()
    assert outputs(cli, saas) == cold
    assert parsed == []  # everything came from the store

    changed = saas / "okrs" / "2026-Q4" / "marketing.yaml"
    text = changed.read_text().replace("kind: Objective", "kind: Objective\ntypo: 1", 1)
    changed.write_text(text)
    added = saas / "checkins" / "marketing" / "2026-11-27.yaml"
    added.write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: marketing\ndate: 2026-11-19\nauthor: a@example.com\n"
        "confidence: 2\nresults: {}\n"
    )
    removed = saas / "checkins" / "sales" / "2026-11-20.yaml"
    removed.unlink()
    cold = outputs(cli, saas, cold=True)
    parsed.clear()
    warm = outputs(cli, saas)
    assert warm == cold
    assert warm[0][0] == 1 and "unknown field 'typo'" in warm[0][1]
    assert set(parsed) <= {"okrs/2026-Q4/marketing.yaml", "checkins/marketing/2026-11-27.yaml"}


@pytest.mark.parametrize(
    "odd",
    [
        "2026: a year as a key\n",  # a document's own key
        "notes: {1: one, null: none, 1.5: half, false: no}\n",  # keys nested in a value
        "notes: [{? 7\n  : seven}]\n",  # a key inside a list
        "notes: &n {2: two}\nmore: *n\n",  # an anchor: the thorough builder
    ],
)
def test_a_file_with_keys_that_are_not_text_is_never_stored(cli, saas, parsed, odd):
    # JSON would turn 2026 into "2026": the store keeps only entries it gives back as they were.
    odd_file = saas / "okrs" / "2026-Q4" / "odd.yaml"
    odd_file.write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: odd\nowner: marketing\ncycle: 2026-Q4\n"
        "title: Odd keys\nkey_results: [{id: a, title: A, baseline: 0, target: 1}]\n" + odd
    )
    for path in saas.rglob("*.yaml"):
        age(path)
    args = ("align", "--format", "json", "--no-history", "--repo", str(saas), "--today", DEMO_DAY)
    cold = cli(*args, env={"OKRCTL_NO_CACHE": "1"}).stdout
    assert "odd.yaml" in cold
    assert cli(*args).stdout == cold
    parsed.clear()
    assert cli(*args, "--cycle", "all").exit_code == 1
    assert parsed.count("okrs/2026-Q4/odd.yaml") == 1  # analysed again: it was not stored
    with sqlite3.connect(store_file()) as db:
        assert not db.execute(
            "SELECT 1 FROM entries WHERE digest=?", (store_module.digest(odd_file.read_bytes()),)
        ).fetchall()


def test_another_okrctl_version_starts_afresh(cli, saas, parsed, monkeypatch):
    for path in saas.rglob("*.yaml"):
        age(path)
    cold = outputs(cli, saas, cold=True)
    outputs(cli, saas)
    # What an older okrctl left: the same digests, answering with other documents.
    with sqlite3.connect(store_file()) as db:
        db.execute("UPDATE meta SET value='okrctl-store/1/0.0.1' WHERE key='format'")
        db.execute("UPDATE entries SET payload='{\"docs\": []}'")
    parsed.clear()
    assert outputs(cli, saas) == cold
    assert "okrctl.yaml" in parsed  # read again, not taken from the old store
    with sqlite3.connect(store_file()) as db:
        assert db.execute("SELECT value FROM meta WHERE key='format'").fetchone()[0] == store_module.STORE_FORMAT


@pytest.mark.slow
def test_other_code_of_the_same_version_starts_afresh_and_a_new_install_of_the_same_code_does_not(
    cli, saas, parsed, monkeypatch
):
    """Entries hold what okrctl's code made of a file. A development edit or a build from a branch
    keeps the version number: the store follows the code's digest, and only when the code's files
    have other sizes or times (another install, an edit) is that digest worked out again."""
    from okrctl.load import cache as cache_module

    for path in saas.rglob("*.yaml"):
        age(path)
    cold = outputs(cli, saas, cold=True)
    outputs(cli, saas)

    def meta(key: str) -> str:
        with sqlite3.connect(store_file()) as db:
            return str(db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()[0])

    assert meta("code") == store_module.code_digest()
    # The same code installed afresh (a CI runner): new file times, same bytes. Kept, stamp learnt.
    monkeypatch.setattr(store_module, "code_stamp", lambda: "0.1.0:179:1")
    monkeypatch.setattr(cache_module, "code_stamp", lambda: "0.1.0:179:1")
    parsed.clear()
    assert outputs(cli, saas) == cold
    assert "okrctl.yaml" not in parsed  # answered from the store
    assert meta("code_stamp") == "0.1.0:179:1"
    # Other code, same version: entries it made could say other things. A store of its own.
    mine = store_file()
    other_digest = "0123456789abcdef" + "0" * 16
    with monkeypatch.context() as other:
        other.setattr(store_module, "code_stamp", lambda: "0.1.0:179:2")
        other.setattr(cache_module, "code_stamp", lambda: "0.1.0:179:2")
        other.setattr(store_module, "code_digest", lambda: other_digest)
        parsed.clear()
        assert outputs(cli, saas) == cold
        assert "okrctl.yaml" in parsed  # read again, not taken from the other code's store
        assert store_file() != mine and meta("code") == other_digest
    # Back to the first code (a pre-commit hook pinned to one release beside a newer okrctl on the
    # PATH): its store is still there and answers, the other code's too.
    parsed.clear()
    assert outputs(cli, saas) == cold
    assert "okrctl.yaml" not in parsed
    assert mine.is_file() and (mine.parent / f"store-{other_digest[:16]}.sqlite3").is_file()


def test_stores_of_other_code_are_removed_when_unused_for_a_month_or_beyond_the_two_used_last(
    cli, saas, tmp_path, monkeypatch
):
    """An upgrade leaves the old release's store behind, and each edit of okrctl itself makes one:
    when a code makes its store, the others go once unused for KEEP_DAYS, and beyond the two used
    last. Files that are not stores stay. Copies of git's index kept with a walk go once unwritten
    for KEEP_DAYS."""
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(folder))
    now = time.time()
    ages = {"store-v1.sqlite3": 1, "store-aaaaaaaaaaaaaaaa.sqlite3": 2, "store-bbbbbbbbbbbbbbbb.sqlite3": 3}
    ages |= {"store-cccccccccccccccc.sqlite3": 40, "notes.sqlite3": 90}
    old_copies = {f"walk-{'d' * 32}.index", f"walk-{'e' * 32}.index.123.tmp"}
    ages |= dict.fromkeys(old_copies, 40) | {f"walk-{'f' * 32}.index": 3, "walk-notes.index": 90}
    for name, days in ages.items():
        (folder / name).write_bytes(b"")
        os.utime(folder / name, (now - days * 86400, now - days * 86400))
    (folder / "store-aaaaaaaaaaaaaaaa.sqlite3-wal").write_bytes(b"")
    os.utime(folder / "store-aaaaaaaaaaaaaaaa.sqlite3-wal", (now - 5 * 86400, now - 5 * 86400))
    result = cli("align", "--repo", str(saas), "--today", DEMO_DAY)
    assert result.exit_code in (0, 1), result.output
    names = {p.name for p in folder.iterdir()}
    kept = {store_module.store_name(), "store-v1.sqlite3", "store-aaaaaaaaaaaaaaaa.sqlite3", "notes.sqlite3"}
    kept |= {f"walk-{'f' * 32}.index", "walk-notes.index"}
    assert kept | {"store-aaaaaaaaaaaaaaaa.sqlite3-wal"} <= names
    assert not names & {"store-bbbbbbbbbbbbbbbb.sqlite3", "store-cccccccccccccccc.sqlite3", *old_copies}


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a database at all\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["empty", "garbage", "truncated-header"],
)
@pytest.mark.slow
def test_a_corrupt_store_is_ignored_and_rebuilt(cli, saas, parsed, damage):
    cold = outputs(cli, saas, cold=True)
    outputs(cli, saas)
    # Those runs have ended, as processes do: a store another okrctl still holds is left alone.
    store_module.close_stores()
    path = store_file()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(damage)
    assert outputs(cli, saas) == cold
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 0


class _Killed(BaseException):
    """What a kill does to a removal in the middle: nothing after it runs."""


def _store_with_a_log(folder: Path, mark: str) -> Path:
    """A store as a killed run leaves it: its database as of the last checkpoint, and a write-ahead
    log (with its index) holding a later write, ``meta.mark``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / store_module.store_name()
    live = folder / "live.sqlite3"
    connection = store_module._connect(live)
    assert connection is not None
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    with connection:
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('mark', ?)", (mark,))
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{live}{suffix}", f"{path}{suffix}")
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    return path


@pytest.mark.parametrize("removals", [0, 1, 2])
def test_a_store_removal_killed_midway_never_leaves_a_log_without_its_database(tmp_path, monkeypatch, removals):
    """``_remove_database`` stopped after ``removals`` files: what is left is the store (with or
    without its log) or nothing, never an old log without its database. Such a log is replayed by
    SQLite into the next database under that name: a store restored there (a CI cache step) would
    read the old store's pages (with the database removed first, it did)."""
    path = _store_with_a_log(tmp_path / "cache", "old")
    done: list[str] = []
    real_unlink = store_module._unlink

    def unlink(target: str) -> None:
        if len(done) == removals:
            raise _Killed
        real_unlink(target)
        done.append(target)

    monkeypatch.setattr(store_module, "_unlink", unlink)
    with pytest.raises(_Killed):
        store_module._remove_database(path)
    monkeypatch.undo()
    left = {p.name.removeprefix(path.name) for p in path.parent.iterdir()}
    if "" in left:
        connection = store_module._connect(path, create=False)
        assert connection is not None  # a valid store (as of its log, or of its last checkpoint)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        connection.close()
        return
    # No database: a store restored under that name (checkpointed, without the mark) reads as itself.
    _store_with_a_log(tmp_path / "restored", "restored")
    shutil.copyfile(tmp_path / "restored" / path.name, path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key='mark'").fetchone() is None, "the old log was replayed"
    assert "-wal" not in left


def test_a_store_removed_to_the_end_leaves_nothing(tmp_path):
    path = _store_with_a_log(tmp_path / "cache", "old")
    assert store_module._remove_database(path)
    assert list(path.parent.iterdir()) == []


def test_a_store_that_is_not_a_regular_file_is_never_opened(cli, saas, parsed, tmp_path):
    """A link where the database should be (to /dev/zero, or anywhere) is left alone."""
    path = store_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to("/dev/zero")
    assert outputs(cli, saas) == outputs(cli, saas, cold=True)
    assert path.is_symlink()


def test_a_cache_folder_inside_the_repository_is_refused(cli, saas, parsed, monkeypatch):
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(saas / ".okrctl-cache"))
    result = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0
    assert "is inside the repository; caches there are never trusted; running without a cache" in result.stderr
    assert not (saas / ".okrctl-cache").exists()


def test_a_cache_folder_reached_through_a_link_the_repository_holds_is_refused(
    cli, saas, parsed, tmp_path, monkeypatch
):
    """docs/ci.md's GitLab set-up names a folder inside the project; a merge request that commits a
    link there (to a folder outside) decided where the store was written, and which old stores
    were removed there."""
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o700)
    (saas / ".okrctl-store").symlink_to(outside)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(saas / ".okrctl-store"))
    result = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0
    assert f"is reached through {saas / '.okrctl-store'}, a link inside the repository" in result.stderr
    assert list(outside.iterdir()) == []
    (saas / ".okrctl-store").unlink()
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(saas / ".okrctl-store" / "deeper"))
    (saas / ".okrctl-store").symlink_to(outside)
    result = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert "a link inside the repository" in result.stderr and list(outside.iterdir()) == []


@pytest.mark.parametrize("tail", ["a" * 300 + "/store", "/".join(["b"] * 2100)], ids=["long name", "deep"])
def test_a_cache_folder_that_cannot_be_made_is_a_note_and_the_command_runs(
    cli, saas, parsed, tmp_path, monkeypatch, tail
):
    """A name longer than the system takes, or thousands of folders deep: one note, no store, the
    command's own result (the look for a link on the way stopped the command with exit 2)."""
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / tail))
    result = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0, result.stderr[-300:]
    assert result.stderr.startswith("okrctl: note: cannot use the cache folder ")
    assert result.stderr.rstrip().endswith("; running without a cache") and result.stderr.count("\n") == 1


def test_a_refused_cache_folder_is_one_line_said_once_with_its_name_escaped(cli, saas, parsed, tmp_path, monkeypatch):
    """A name holding an escape and a newline reached the terminal raw, the newline making a second
    line that passes for okrctl's own; diff, which opens the store for each side, said it twice."""
    from tests.conftest import git

    (tmp_path / "afile").write_text("x", encoding="utf-8")
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "afile" / "\x1b[31mRED\nokrctl: fake"))
    git(saas, "init", "-q")
    git(saas, "add", "-A")
    git(saas, "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-qm", "one")
    for args in (["align", "--format", "json"], ["diff", "HEAD"]):
        result = cli(*args, "--repo", str(saas), "--today", DEMO_DAY)
        assert result.exit_code == 0, result.stderr[-300:]
        assert result.stderr == (
            f"okrctl: note: cannot use the cache folder {tmp_path}/afile/\\x1b[31mRED\\x0aokrctl: fake: "
            "Not a directory; running without a cache\n"
        ), args


def test_a_cache_folder_inside_the_git_work_tree_above_the_repository_is_refused(cli, tmp_path, parsed, monkeypatch):
    work_tree = tmp_path / "monorepo"
    shutil.copytree(EXAMPLES / "saas", work_tree / "okrs-here")
    (work_tree / ".git").mkdir()
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(work_tree / "tools" / "cache"))
    result = cli("align", "--repo", str(work_tree / "okrs-here"), "--today", DEMO_DAY, "--format", "json")
    assert "inside the repository" in result.stderr
    assert not (work_tree / "tools").exists()


def test_okrctl_cache_dir_chooses_the_place(cli, saas, parsed, tmp_path, monkeypatch):
    place = tmp_path / "ci-cache"
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(place))
    cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert (place / store_module.store_name()).is_file()
    assert (place.stat().st_mode & 0o777) == 0o700


def test_a_folder_others_may_write_is_not_trusted(cli, saas, parsed, tmp_path, monkeypatch):
    place = tmp_path / "shared"
    place.mkdir()
    place.chmod(0o777)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(place))
    result = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0 and "may be written by other users" in result.stderr
    assert list(place.iterdir()) == []


def test_where_mode_bits_say_nothing_of_access_a_folder_is_not_refused_for_them(
    cli, saas, parsed, tmp_path, monkeypatch
):
    """Windows reads every folder as 0o777: the check of others' write access, which would refuse
    every cache folder there (with a 'chmod go-w' no one can run), is not made."""
    place = tmp_path / "shared"
    place.mkdir()
    place.chmod(0o777)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(place))
    monkeypatch.setattr(store_module, "MODE_BITS_MEAN_ACCESS", False)
    result = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0 and "other users" not in result.stderr
    assert (place / store_module.store_name()).is_file()


def test_a_restored_cache_on_a_fresh_checkout_is_used(cli, tmp_path, parsed, monkeypatch):
    """A CI cache step restores the store; the checkout is new (new inodes, new times), so every
    file is read and hashed, and only the changed one is parsed."""
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "restored"))
    checkout = tmp_path / "work" / "saas"
    shutil.copytree(EXAMPLES / "saas", checkout)
    first = outputs(cli, checkout)
    shutil.rmtree(checkout)  # the next job: a fresh clone at the same place
    shutil.copytree(EXAMPLES / "saas", checkout)
    changed = checkout / "checkins" / "sales" / "2026-11-20.yaml"
    changed.write_text(changed.read_text().replace("confidence: ", "confidence: 1", 1))
    cold = outputs(cli, checkout, cold=True)
    parsed.clear()
    again = outputs(cli, checkout)
    assert again == cold
    assert again != first
    assert set(parsed) == {"checkins/sales/2026-11-20.yaml"}


# ----- issue 16 items that live in the cache ---------------------------------------------------
def test_a_planted_cache_linked_to_dev_zero_is_never_read(cli, saas, parsed):
    """16.4: a committed .okrctl-cache/*.json linked to /dev/zero once made every command read
    without bound."""
    folder = saas / ".okrctl-cache"
    folder.mkdir()
    for name in ("parse-v1.json", "stats-v1.json", "results-v1.json", "store-v1.sqlite3"):
        (folder / name).symlink_to("/dev/zero")
    result = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0


def test_a_cache_folder_linked_out_of_the_repository_is_never_written(cli, tmp_path, parsed):
    """16.10: a committed .okrctl-cache linked to ../other-project made okrctl write its cache
    and a .gitignore holding '*' there."""
    other = tmp_path / "other-project"
    other.mkdir()
    repo = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", repo)
    (repo / ".okrctl-cache").symlink_to(other)
    for command in COMMANDS:
        cli(*command, "--repo", str(repo), "--today", DEMO_DAY)
    assert list(other.iterdir()) == []


def test_an_empty_old_signing_key_changes_nothing(cli, saas, parsed):
    """16.21: an empty cache-key was used forever; there is no key any more (the store is
    trusted for where it is), and a planted file signed with an empty key is not read."""
    import hashlib
    import hmac

    key = Path(os.environ["XDG_CACHE_HOME"]) / "okrctl" / "cache-key"
    key.parent.mkdir(parents=True)
    key.write_bytes(b"")
    objective = saas / "okrs" / "2026-Q4" / "marketing.yaml"
    objective.write_text(objective.read_text().replace("kind: Objective", "kind: Objective\ntypo: 1", 1))
    body = b'{"format":"okrctl-parse-cache/3/0.1.0","entries":{}}'
    (saas / ".okrctl-cache").mkdir()
    (saas / ".okrctl-cache" / "parse-v1.json").write_bytes(
        hmac.new(b"", body, hashlib.sha256).hexdigest().encode() + b"\n" + body
    )
    result = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 1 and "unknown field 'typo'" in result.stdout
    assert key.read_bytes() == b""


def test_an_in_place_edit_that_restores_the_mtime_is_seen(cli, saas, parsed, monkeypatch):
    """16.22: same size, mtime put back (cp -p, rsync --inplace -t, tar): the ctime moved."""
    import okrctl.load.cache as cache_module

    # Record every file in the stat table, however recent (the test runs within a second).
    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1e12)
    path = saas / "okrs" / "2026-Q4" / "marketing.yaml"
    before = os.stat(path)
    first = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert first.exit_code == 0
    parsed.clear()
    cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json", "--strict")
    assert parsed == []  # known from the stat table
    text = path.read_text()
    edited = text.replace("kind: Objective", "kind: Objectivf", 1)
    assert len(edited) == len(text)
    with open(path, "r+", encoding="utf-8") as handle:  # in place: same inode, same size
        handle.write(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    second = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert second.exit_code == 1 and "unknown kind 'Objectivf'" in second.stdout


def test_large_outputs_are_not_memoised_and_only_the_asked_result_is_read(tmp_path, saas, monkeypatch):
    """16.23: one huge output once left a 108 MB cache read whole by every later command."""
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    store = store_module.Store.open(saas)
    assert store is not None
    store.memo_put("huge", "x" * (store_module.MEMO_MAX_BYTES + 1), 0, "")
    assert store.memo_get("huge") is None
    for number in range(store_module.MEMO_KEPT + 10):
        store.memo_put(f"key-{number}", f"output {number}", 0, "")
    assert store.memo_get(f"key-{store_module.MEMO_KEPT + 9}") == (f"output {store_module.MEMO_KEPT + 9}", 0, "")
    count = store.db.execute("SELECT count(*) FROM memo WHERE repo=?", (store.repo,)).fetchone()[0]
    assert count == store_module.MEMO_KEPT
    store.close()


def test_a_relative_xdg_cache_home_is_ignored(cli, saas, parsed, monkeypatch, tmp_path):
    """16.35: a relative XDG_CACHE_HOME put the signing key inside the repository."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.chdir(saas)
    result = cli("align", "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0
    assert not (saas / "relative").exists()
    assert (home / ".cache" / "okrctl" / store_module.store_name()).is_file()


# ----- a command reads only the check-ins it needs, and answers the same ----------------------------
SCOPED = [
    ("status", "--format", "json", "--today", "2026-06-15"),
    ("status", "--format", "json", "--today", "2026-12-31"),
    ("status", "--team", "team-0001", "--format", "json", "--today", "2026-06-15"),
    ("status", "--cycle", "2026-Q1", "--format", "json", "--today", "2026-06-15"),
    ("trends", "--format", "json", "--today", "2026-06-15"),
    ("trends", "--cycle", "2026-Q1", "--unit", "bu-000", "--format", "csv", "--today", "2026-11-15"),
    ("report", "--format", "json", "--today", "2026-06-15", "--no-history"),
    ("report", "--month", "2026-05", "--format", "json", "--today", "2026-06-15", "--no-history"),
    ("report", "--cycle", "2026-Q1", "--format", "markdown", "--today", "2026-11-15", "--no-history"),
    ("report", "--unit", "bu-001", "--format", "json", "--today", "2026-03-31", "--no-history"),
    ("map", "--cycle", "2026-Q3", "--format", "text", "--today", "2026-06-15"),
    ("retro", "--team", "team-0001", "--cycle", "2026-Q2", "--format", "json", "--today", "2026-11-15"),
    ("retro", "--unit", "bu-000", "--format", "json", "--today", "2026-06-15"),
    ("retro", "--team", "team-0002", "--stage", "end", "--today", "2026-07-02"),
    ("status", "--cycle", "2027-Q9", "--today", "2026-06-15"),
    ("checkin", "--team", "team-0001", "--date", "2026-06-12", "-c", "2", "--dry-run", "--today", "2026-06-15"),
    ("checkin", "--team", "team-0001", "--date", "2026-06-19", "-c", "9", "--dry-run", "--today", "2026-06-19"),
    (
        "checkin",
        "--team",
        "team-0002",
        "--date",
        "2026-05-29",
        "--amend",
        "-c",
        "1",
        "--dry-run",
        "--today",
        "2026-06-19",
    ),
]


@pytest.fixture(scope="module")
def year_of_checkins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.bench.synth import build

    root = tmp_path_factory.mktemp("synth") / "org"
    build(root, teams=4, units_per_bu=2, weeks=52)
    return root


BANCO_SCOPED = [
    ("status", "--team", "discover", "--today", DEMO_DAY),
    ("status", "--team", "identity-platform", "--format", "json", "--today", DEMO_DAY),
    ("checkin", "--team", "discover", "-c", "3", "--dry-run", "--today", "2026-11-27"),
    ("retro", "--team", "discover", "--today", DEMO_DAY),
    ("retro", "--team", "identity-platform", "--format", "json", "--today", DEMO_DAY),
    ("retro", "--team", "cards", "--stage", "end", "--format", "markdown", "--today", "2027-01-05"),
    ("retro", "--unit", "digital-services", "--format", "json", "--today", DEMO_DAY),
]


def test_scoped_commands_on_dependencies_answer_like_a_full_load(cli, parsed, monkeypatch):
    """A team's status shows the units it depends on and those depending on it: their check-ins
    are read too."""
    real = pipeline.load_repo

    def everything(*args, **kwargs):
        kwargs.pop("scope", None)
        return real(*args, **kwargs)

    scoped = [cli(*command, "--repo", str(EXAMPLES / "banco")) for command in BANCO_SCOPED]
    monkeypatch.setattr(pipeline, "load_repo", everything)
    for command, first in zip(BANCO_SCOPED, scoped, strict=True):
        result = cli(*command, "--repo", str(EXAMPLES / "banco"))
        assert (result.exit_code, result.stdout, result.stderr) == (first.exit_code, first.stdout, first.stderr)
        assert result.exit_code == 0, result.stderr


@pytest.mark.slow
def test_scoped_commands_answer_like_a_full_load(cli, year_of_checkins, parsed, monkeypatch):
    """Views of some cycles and one-team commands leave other check-ins in the store: what they
    print is what a load of every document gives."""
    real = pipeline.load_repo
    loaded: list[int] = []

    def counting(*args, **kwargs):
        repo = real(*args, **kwargs)
        loaded.append(len(repo.checkins))
        return repo

    def everything(*args, **kwargs):
        kwargs.pop("scope", None)
        return real(*args, **kwargs)

    scoped_outputs = []
    monkeypatch.setattr(pipeline, "load_repo", counting)
    for command in SCOPED:
        result = cli(*command, "--repo", str(year_of_checkins))
        scoped_outputs.append((result.exit_code, result.stdout, result.stderr))
    monkeypatch.setattr(pipeline, "load_repo", everything)
    for command, scoped in zip(SCOPED, scoped_outputs, strict=True):
        result = cli(*command, "--repo", str(year_of_checkins))
        assert (result.exit_code, result.stdout, result.stderr) == scoped, command
    assert all(code in (0, 1, 2) for code, _, _ in scoped_outputs)
    # Every check-in only where the scope cannot be told (an unknown --cycle, then refused).
    assert [n for n in loaded if n == 4 * 52] == [4 * 52]
    assert min(loaded) <= 52  # one team's


def test_a_ci_restored_folder_inside_the_work_tree_is_used_unless_git_tracks_it(
    cli, saas, parsed, git_repo, monkeypatch
):
    """GitLab's cache holds folders inside the project only: such a folder, named by
    OKRCTL_CACHE_DIR, is used while git tracks nothing in it; committed, it is refused."""
    from tests.conftest import git

    git_repo(saas)
    place = saas / ".okrctl-store"
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(place))
    first = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    assert first.exit_code == 0 and first.stderr == ""
    assert (place / store_module.store_name()).is_file()
    git(saas, "add", "-f", ".okrctl-store")
    git(saas, "commit", "-q", "-m", "a planted store")
    second = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json", "--strict")
    assert "is inside the repository" in second.stderr
    assert second.stdout.replace("\n", "") != ""


def test_yaml_named_like_the_stores_files_in_a_cache_folder_inside_the_repository_is_read(
    cli, saas, parsed, git_repo, monkeypatch
):
    """The walk skips the store's own files in a cache folder inside the repository, and nothing
    else: a committed objective named ``store-1.sqlite3-x.yaml``, or in a folder ``walk-1.index``,
    was skipped too (its errors unreported, exit 0; ``diff HEAD`` showed it removed)."""
    text = (saas / "okrs" / "2026-Q4" / "sales.yaml").read_text(encoding="utf-8")
    assert "\nowner: sales\n" in text
    place = saas / "okrctl-store"
    (place / "walk-1.index").mkdir(parents=True)
    (place / "store-1.sqlite3-x.yaml").write_text(text.replace("\nowner: sales\n", "\nowner: nobody\n"), "utf-8")
    (place / "walk-1.index" / "o.yaml").write_text(text.replace("\nowner: sales\n", "\nowner: nobody\n"), "utf-8")
    git_repo(saas)
    args = ("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json", "--select", "OKR104")
    elsewhere = cli(*args)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(place))
    inside = cli(*args)
    assert "is inside the repository" in inside.stderr
    assert inside.exit_code == elsewhere.exit_code == 1
    paths = [f["path"] for f in json.loads(inside.stdout)["findings"]]
    assert "okrctl-store/store-1.sqlite3-x.yaml" in paths and "okrctl-store/walk-1.index/o.yaml" in paths
    assert json.loads(inside.stdout)["findings"] == json.loads(elsewhere.stdout)["findings"]
    diff = cli("diff", "HEAD", "--repo", str(saas), "--today", DEMO_DAY)
    assert diff.exit_code == 0 and "No OKR changes" in diff.stdout


def test_a_store_the_superproject_of_a_submodule_commits_is_refused(cli, saas, parsed, git_repo, tmp_path, monkeypatch):
    """The OKR repository as a submodule: the search for the work tree stopped at the submodule's
    own ``.git`` (a file), so a store the superproject commits beside it was read and written."""
    from tests.conftest import git

    git_repo(saas)
    outer = tmp_path / "company"
    outer.mkdir()
    git(outer, "init", "-q")
    git(outer, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(saas), "okr")
    place = outer / ".okrctl-store"
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(place))
    args = ("align", "--repo", str(outer / "okr"), "--today", DEMO_DAY, "--format", "json")
    first = cli(*args)  # untracked: what a CI cache step restores, used
    assert first.exit_code == 0 and first.stderr == ""
    assert (place / store_module.store_name()).is_file()
    git(outer, "add", "-f", ".okrctl-store")
    git(outer, "commit", "-q", "-m", "a planted store")
    second = cli(*args)
    assert "is inside the repository" in second.stderr


def test_a_store_another_repository_around_the_okr_repository_commits_is_refused(
    cli, saas, parsed, git_repo, tmp_path, monkeypatch
):
    """A CI job of a project that checks the OKR repository out inside itself (its own clone, not a
    submodule) and keeps the store in the project: the check stopped at the OKR repository's own
    ``.git``, so a store the project's pull request committed was read (its entries edited, the
    numbers shown were the planted ones). Untracked, it is what a CI cache step restores: used."""
    from tests.conftest import git

    outer = tmp_path / "project"
    outer.mkdir()
    git(outer, "init", "-q")
    okr = outer / "okr"
    shutil.copytree(saas, okr)
    git_repo(okr)
    place = outer / ".okrctl-store"
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(place))
    args = ("status", "--repo", str(okr), "--today", DEMO_DAY, "--format", "json")
    first = cli(*args)
    assert first.exit_code == 0 and first.stderr == ""
    assert (place / store_module.store_name()).is_file()
    git(outer, "add", "-f", ".okrctl-store")
    git(outer, "commit", "-q", "-m", "a planted store")
    second = cli(*args)
    assert f"the cache folder {place} is committed in the git repository {outer}" in second.stderr
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)
    # A link the project commits decides where the store goes: refused too, wherever it points.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (outer / "cache-link").symlink_to(elsewhere)
    git(outer, "add", "cache-link")
    git(outer, "commit", "-q", "-m", "a planted link")
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(outer / "cache-link" / "store"))
    third = cli(*args)
    assert "a link committed in the git repository" in third.stderr
    assert not (elsewhere / "store").exists()
    assert (third.exit_code, third.stdout) == (first.exit_code, first.stdout)


def test_a_cache_folder_linked_to_a_link_a_repository_commits_is_refused(
    cli, saas, parsed, git_repo, tmp_path, monkeypatch
):
    """``~/.cache/okrctl`` linked to a link the OKR repository commits (or another work tree around a
    folder commits): only the links written on the path were looked at, so the store went where the
    repository's link pointed. Every link followed on the way counts."""
    from tests.conftest import git

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (saas / ".okrctl-store").symlink_to(elsewhere)
    git_repo(saas)
    project = tmp_path / "project"  # another repository, committing a link to the same place
    project.mkdir()
    git(project, "init", "-q")
    (project / "x").symlink_to(elsewhere)
    git(project, "add", "x")
    git(project, "commit", "-q", "-m", "a planted link")
    home = tmp_path / "home"
    (home / ".cache").mkdir(parents=True)
    (home / ".cache" / "okrctl").symlink_to(saas / ".okrctl-store")
    monkeypatch.delenv("OKRCTL_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    args = ("status", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    result = cli(*args)
    assert f"(a link {home / '.cache' / 'okrctl'} leads to), a link inside the repository" in result.stderr
    assert list(elsewhere.iterdir()) == []
    # The same through the link the other repository commits, reached through the user's own link.
    (tmp_path / "mylink").symlink_to(project / "x")
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "mylink" / "store"))
    again = cli(*args)
    assert f"a link committed in the git repository {project}" in again.stderr
    assert list(elsewhere.iterdir()) == []
    assert (again.exit_code, again.stdout) == (result.exit_code, result.stdout)


def test_a_ci_cache_folder_inside_the_repository_is_no_file_of_it(cli, saas, parsed, git_repo, monkeypatch):
    """The CI cache folder inside the work tree (GitLab's cache) holds the store's files: the walk
    listed them among the files not read, so the answer changed with the store (its summary, the
    content fingerprint). They are never listed, the store on or off."""
    git_repo(saas)
    monkeypatch.chdir(saas)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", "ci-cache")  # relative, as a CI job writes it
    args = ("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "text")
    with_store = cli(*args)
    assert (saas / "ci-cache" / store_module.store_name()).is_file()
    # (the copies of git's index a kept walk leaves there: ``keptwalk.index_copy_path``)
    for name in (f"walk-{'a' * 32}.index", f"walk-{'a' * 32}.index.7.tmp"):
        (saas / "ci-cache" / name).write_bytes(b"DIRC")
    again = cli(*args)
    monkeypatch.setenv("OKRCTL_NO_CACHE", "1")
    without = cli(*args)
    assert "ci-cache" not in with_store.stdout
    assert (with_store.exit_code, with_store.stdout) == (without.exit_code, without.stdout)
    assert (again.exit_code, again.stdout) == (without.exit_code, without.stdout)


def test_a_refused_cache_folder_inside_the_repository_hides_none_of_its_files(
    cli, saas, parsed, git_repo, tmp_path, monkeypatch
):
    """A cache folder git tracks files in is refused as a store, and the walk skipped it all the
    same: every check-in (status 'no-data, never'), every unit (OKR104 on every file), or the YAML a
    pull request committed into GitLab's cache folder (align passed in CI, exit 0, and failed
    everywhere else). The folder's files are read as without it, the store named, refused or off."""
    (saas / "okrctl-store").mkdir()
    (saas / "okrctl-store" / "x.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: sneaky\nowner: nobody-team\ncycle: 2026-Q4\n"
        "title: x\nkey_results: []\n",
        encoding="utf-8",
    )
    git_repo(saas)
    (tmp_path / "store-link").symlink_to(saas / "checkins")
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "outside"))
    runs = [
        ("align", "--format", "concise"),
        ("status", "--format", "json"),
    ]
    expected = [cli(*args, "--repo", str(saas), "--today", DEMO_DAY) for args in runs]
    assert expected[0].exit_code == 1 and "okrctl-store/x.yaml:4:8: OKR104" in expected[0].stdout
    for chosen in (saas / "okrctl-store", tmp_path / "store-link", saas / "units", saas / "checkins" / "sales"):
        for no_cache in ("", "1"):
            monkeypatch.setenv("OKRCTL_CACHE_DIR", str(chosen))
            monkeypatch.setenv("OKRCTL_NO_CACHE", no_cache)
            for args, before in zip(runs, expected, strict=True):
                result = cli(*args, "--repo", str(saas), "--today", DEMO_DAY)
                assert (result.exit_code, result.stdout) == (before.exit_code, before.stdout), (chosen, args)
                assert "running without a cache" in result.stderr or no_cache
    assert sorted(path.name for path in (saas / "okrctl-store").iterdir()) == ["x.yaml"]


def _mappings() -> int:
    with open("/proc/self/maps", encoding="ascii", errors="replace") as handle:
        return sum(1 for _ in handle)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="counts Linux memory mappings")
def test_reading_many_files_does_not_take_a_memory_mapping_each(tmp_path):
    """16.5: a 1 MiB read buffer per file, shrunk, stayed a mapping of its own; Linux allows 65,530,
    so about 65,000 files crashed align. Counted on 1,500 files, kept like a scan keeps them."""
    for number in range(1500):
        (tmp_path / f"f{number}.yaml").write_bytes(b"apiVersion: okrctl/v1\nkind: Unit\nid: u%d\n" % number)
    before = _mappings()
    kept = [pipeline.read_file(tmp_path / f"f{number}.yaml") for number in range(1500)]
    assert len(kept) == 1500 and kept[7].endswith(b"id: u7\n")
    assert _mappings() - before < 150


def test_reading_stops_past_the_size_limit(tmp_path):
    from okrctl.load.yamlparse import MAX_FILE_BYTES

    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES * 3))
    assert len(pipeline.read_file(big)) == MAX_FILE_BYTES + 1
    assert pipeline.read_file(os.devnull) == b""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_file_replaced_by_a_pipe_after_the_scan_never_blocks_a_read(tmp_path) -> None:
    """The scan never opens a pipe; a file that becomes one afterwards is read without waiting for
    a writer that never comes."""
    import threading

    pipe = tmp_path / "checkin.yaml"
    os.mkfifo(pipe)
    outcome: list[object] = []

    def read() -> None:
        try:
            outcome.append(pipeline.read_file(pipe))
        except OSError as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert outcome, "the read waited for a writer"
    assert outcome[0] == b"" or isinstance(outcome[0], OSError)


def test_entries_stored_by_worker_processes_answer_the_next_run(cli, saas, parsed, monkeypatch):
    """A large repository is analysed by worker processes, which add what they analysed to the
    store themselves: the next run finds every file there and answers like a cold run."""
    from okrctl.load.store import digest

    for path in saas.rglob("*.yaml"):
        age(path)
    cold = outputs(cli, saas, cold=True)
    real = pipeline.analyse_files
    monkeypatch.setattr(pipeline, "analyse_files", lambda items, **kw: real(items, jobs=2, min_files=1, **kw))
    through_main: list[str] = []
    real_put = store_module.Store.put_entries

    def put_entries(self, rows):
        through_main.extend(key for key, _payload, _docs in rows)
        return real_put(self, rows)

    monkeypatch.setattr(store_module.Store, "put_entries", put_entries)
    parsed.clear()
    first = outputs(cli, saas)
    assert first == cold
    assert parsed == []  # the workers analysed every file, not this process
    assert through_main == []  # ... and stored what they analysed themselves
    with sqlite3.connect(store_file()) as db:
        stored = {row[0] for row in db.execute("SELECT digest FROM entries")}
    assert {digest(p.read_bytes()) for p in saas.rglob("*.yaml")} <= stored
    assert outputs(cli, saas) == cold


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose bytes the scan reads (the others are known by their stat or their git blob)."""
    seen: list[str] = []
    real = pipeline.read_file

    def read_file(path):
        seen.append(str(path))
        return real(path)

    monkeypatch.setattr(pipeline, "read_file", read_file)
    return seen


@pytest.fixture
def index_lookups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many digests each lookup in the store's document index (``Store.index_of``) asked for."""
    asked: list[int] = []
    real = store_module.Store.index_of

    def index_of(self, digests):
        wanted = set(digests)
        asked.append(len(wanted))
        return real(self, wanted)

    monkeypatch.setattr(store_module.Store, "index_of", index_of)
    return asked


@pytest.fixture
def git_asked(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders for which git was asked which files are as committed (``gitio.tree.CleanBlobs``)."""
    from okrctl.gitio import tree

    started: list[Path] = []
    real = tree.CleanBlobs

    class Watched(real):  # type: ignore[misc, valid-type]
        def __init__(self, folder: Path) -> None:
            started.append(folder)
            super().__init__(folder)

    monkeypatch.setattr(tree, "CleanBlobs", Watched)
    return started


def _forget_stats() -> None:
    """What a store restored on a new runner is: no file of the new checkout is known by its stat."""
    with sqlite3.connect(store_file()) as db:
        db.execute("DELETE FROM stats")
        db.execute("DELETE FROM memo")


@pytest.mark.slow
def test_a_restored_store_on_a_fresh_clone_reads_only_the_files_git_finds_changed(
    cli, tmp_path, parsed, reads, git_repo, monkeypatch, index_lookups
):
    """On a fresh clone nothing is known by its stat; git knows which files are as committed, and
    the store which of those blobs it has seen: only the edited file is read (and parsed)."""
    from tests.conftest import git

    monkeypatch.setattr(pipeline, "GIT_BLOBS_MIN_FILES", 1)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "restored"))
    origin = git_repo(shutil.copytree(EXAMPLES / "saas", tmp_path / "origin"))
    first = outputs(cli, origin)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    changed = clone / "checkins" / "sales" / "2026-11-20.yaml"
    changed.write_text(changed.read_text().replace("confidence: ", "confidence: 1", 1))
    hidden = clone / "checkins" / "sales" / "2026-11-13.yaml"  # git is told not to look at it
    git(clone, "update-index", "--assume-unchanged", "checkins/sales/2026-11-13.yaml")
    hidden.write_text(hidden.read_text().replace("confidence: ", "confidence: 1", 1))
    cold = outputs(cli, clone, cold=True)
    _forget_stats()
    parsed.clear()
    reads.clear()
    index_lookups.clear()
    again = outputs(cli, clone)  # (the files were just written: their stat rows are not recorded)
    assert again == cold
    assert again != first
    read = {os.path.relpath(p, clone) for p in reads}
    assert read == {"checkins/sales/2026-11-20.yaml", "checkins/sales/2026-11-13.yaml"}
    assert set(parsed) == read
    # What the files known by their blob hold came with their blob: each run looks up only the two
    # files it read.
    assert index_lookups and max(index_lookups) <= 2


def test_a_blob_is_remembered_only_for_the_bytes_it_holds(tmp_path, git_repo) -> None:
    """The store pairs a git blob id with a content digest only after checking that the bytes read
    are that blob: whatever a repository's index claims, a pair is a fact."""
    data = b"apiVersion: okrctl/v1\nkind: Unit\nid: a\nname: A\ntype: team\n"
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.yaml").write_bytes(data)
    root = git_repo(tmp_path / "r")
    from tests.conftest import git

    oid = git(root, "hash-object", "a.yaml").strip()
    assert pipeline.blob_id(data, len(oid)) == oid
    assert pipeline.blob_id(data + b"#", len(oid)) != oid
    assert len(pipeline.blob_id(data, 64)) == 64


def test_every_blob_the_store_has_seen_is_told_only_when_there_are_few(tmp_path, monkeypatch) -> None:
    """``every_blob_digest`` gives what ``blob_digests`` gives for every blob id, the entries'
    summaries included, and nothing (None) past the number it is asked for."""
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    (tmp_path / "r").mkdir()
    store = store_module.Store.open(tmp_path / "r")
    assert store is not None
    store.put_entries([("d1", '{"docs": [], "findings": []}', "summary one")])
    store.put_blobs([("a" * 40, "d1"), ("b" * 40, "d2")])  # d2: an entry the store no longer has
    every = store.every_blob_digest(2)
    assert (
        every == store.blob_digests({"a" * 40, "b" * 40}) == {"a" * 40: ("d1", "summary one"), "b" * 40: ("d2", None)}
    )
    assert store.every_blob_digest(1) is None


def test_what_a_file_holds_is_kept_with_its_stat_and_stays_true_after_an_edit(
    cli, saas, parsed, monkeypatch, index_lookups
):
    """A one-team command learns which files hold only check-ins from the stat table itself, after
    one run has written that down; an edited file is looked up again and answers like a cold run."""
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now are recorded too
    command = ("status", "--team", "marketing", "--format", "json", "--repo", str(saas), "--today", DEMO_DAY)
    lookups = index_lookups

    def run(width: int, **env: str):
        return cli(*command, env={"COLUMNS": str(width), **env})  # a new width: no memoised answer

    first = run(100)  # a new store: every file analysed and stored, what it holds written down
    lookups.clear()
    assert run(101).stdout == first.stdout
    assert lookups == []  # every file known by its stat, with what it holds
    with sqlite3.connect(store_file()) as db:
        db.execute("UPDATE stats SET summary = NULL")  # as a store of an earlier run might have it
    assert run(104).stdout == first.stdout
    assert lookups == [57]  # the store's document index, once, written down with each stat
    lookups.clear()
    assert run(105).stdout == first.stdout
    assert lookups == []
    with sqlite3.connect(store_file()) as db:
        summaries = dict(db.execute("SELECT path, summary FROM stats"))
    # Owner, date, and the result keys (what ``align`` needs to leave the file out).
    keys = "\x1d".join(["response-time", "five-star-reviews", "promoter-referrals"])
    assert summaries["checkins/marketing/2026-11-20.yaml"] == f"marketing\x1f2026-11-20\x1f{keys}"
    assert summaries["units/acme.yaml"] == ""  # the units: no check-in in it
    # A check-in file becomes another team's: looked up again, and the answer follows it.
    moved = saas / "checkins" / "marketing" / "2026-11-20.yaml"
    moved.write_text(moved.read_text().replace("owner: marketing", "owner: sales"))
    cold = run(102, OKRCTL_NO_CACHE="1")
    lookups.clear()
    warm = run(103)
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)
    assert warm.stdout != first.stdout
    assert lookups == [1]


def test_a_run_that_reads_every_file_prepares_the_next_scoped_command(cli, saas, parsed, monkeypatch, index_lookups):
    """``align`` reads every file: it writes down what each holds, and the first ``status --team``
    after it needs no lookup in the store's document index."""
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)
    assert cli("align", "--repo", str(saas), "--today", DEMO_DAY).exit_code in (0, 1)
    command = ("status", "--team", "marketing", "--format", "json", "--repo", str(saas), "--today", DEMO_DAY)
    warm = cli(*command)
    assert index_lookups == []
    assert warm.stdout == cli(*command, env={"OKRCTL_NO_CACHE": "1", "COLUMNS": "99"}).stdout


@pytest.mark.slow
def test_with_a_new_store_the_workers_read_the_files_and_answer_like_one_process(cli, saas, parsed, reads, monkeypatch):
    """A store that knows nothing (or no store) cannot spare any read: the worker processes read
    the files as they parse them. What they say, what is stored and what the next run knows are
    what one process reading everything gives."""
    from okrctl.load import cache as cache_module
    from okrctl.load.store import digest

    (saas / "okrs" / "broken.yaml").write_text("apiVersion: okrctl/v1\nkind: Objective\nid: [\n")
    (saas / "units" / "latin1.yaml").write_bytes(b"apiVersion: okrctl/v1\nkind: Unit\nid: caf\xe9\n")
    one_process = outputs(cli, saas, cold=True)
    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(pipeline, "_jobs", lambda: 2)
    reads.clear()
    parsed.clear()
    assert outputs(cli, saas, cold=True) == one_process  # no store at all
    assert outputs(cli, saas) == one_process  # a new store
    assert reads == [] and parsed == []  # this process read and parsed nothing: the workers did
    files = sorted(saas.rglob("*.yaml"))
    with sqlite3.connect(store_file()) as db:
        stored = {row[0] for row in db.execute("SELECT digest FROM entries")}
        stats = {row[0]: row[1] for row in db.execute("SELECT path, digest FROM stats")}
    assert {digest(p.read_bytes()) for p in files} <= stored
    assert stats == {p.relative_to(saas).as_posix(): digest(p.read_bytes()) for p in files}


def test_a_file_gone_before_a_worker_reads_it_is_a_finding(tmp_path) -> None:
    gone = tmp_path / "gone.yaml"
    [(key, problem, is_blob, entry, payload, held)] = pipeline._read_and_analyse([("gone.yaml", str(gone), None)], None)
    assert (key, is_blob, entry, payload, held) == ("", False, None, None, None)
    assert problem and "No such file" in problem


def test_a_memoised_answer_still_writes_the_stat_table(cli, saas, parsed, monkeypatch):
    """The stat rows are written when the load is done; a run that the memo answers loads
    nothing, and writes them itself, so the next run does not read every file again."""
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)
    command = ("align", "--format", "json", "--repo", str(saas), "--today", DEMO_DAY)
    first = cli(*command)
    with sqlite3.connect(store_file()) as db:
        db.execute("DELETE FROM stats")  # the memo stays: it answers the next run
    parsed.clear()
    memo_hits: list[int] = []
    real_get = store_module.Store.memo_get

    def memo_get(self, key):
        found = real_get(self, key)
        if found is not None:
            memo_hits.append(1)
        return found

    monkeypatch.setattr(store_module.Store, "memo_get", memo_get)
    again = cli(*command)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    with sqlite3.connect(store_file()) as db:
        recorded = dict(db.execute("SELECT path, digest FROM stats"))
    assert sorted(recorded) == sorted(p.relative_to(saas).as_posix() for p in saas.rglob("*.yaml"))
    assert parsed == [] and memo_hits == [1]  # the memo answered


# ----- one-check-in entries, rebuilt from their stored JSON ------------------------------------------
_NUMBERS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20), st.floats(allow_nan=False, allow_infinity=False)
)
_NEAR_MISSES = st.one_of(
    st.sampled_from(["yes", "true", "1", "0", "off", "", "3.5", "2026-11-27", "x" * 2001]), st.none()
)
# Mostly what a valid check-in holds, sometimes a near miss: about half of the examples validate.
_SCALARS = st.one_of(_NUMBERS, _NUMBERS, st.booleans(), _NEAR_MISSES)
_KEYS = st.sampled_from(["signups", "nps", "web/signups", "x-1", "signups", "nps", "Bad Key", "a/b/c"])


def _mostly(valid: list, misses: list) -> st.SearchStrategy:
    # Hypothesis draws the ends of a list more often than its middle: the misses go in the middle.
    return st.sampled_from(valid * 3 + misses + valid * 3)


@st.composite
def checkin_values(draw: st.DrawFn) -> dict:
    """Check-in values as a YAML file could hold them: mostly valid, with every kind of near miss."""
    data: dict = {"apiVersion": "okrctl/v1", "kind": "CheckIn"}
    data["owner"] = draw(_mostly(["marketing", "web-team", "a" * 64], ["Marketing", 7, "a" * 65]))
    data["date"] = draw(_mostly(["2026-11-27", "2024-02-29"], ["2026-02-30", "2026-11-27T10:00", 20261127]))
    if draw(st.booleans()):
        data["author"] = draw(_mostly(["ana@example.com", "n" * 2000, None], ["", "n" * 2001, 5]))
    if draw(st.booleans()):
        slug = _mostly(["web-q4", "web-q1"], ["Bad Id"])
        data["confidence"] = draw(st.one_of(_SCALARS, st.dictionaries(slug, _SCALARS, max_size=3)))
    if draw(st.booleans()):
        note = _mostly(["why", None], ["", 3])
        entry = st.fixed_dictionaries({"value": _SCALARS}, optional={"note": note})
        odd = st.fixed_dictionaries({"value": _SCALARS, "extra": _SCALARS})
        data["results"] = draw(st.dictionaries(_KEYS, st.one_of(_SCALARS, _SCALARS, entry, odd), max_size=4))
    for name in ("issues", "plan"):
        if draw(st.booleans()):
            data[name] = draw(st.lists(_mostly(["Hiring", "ok"], ["", 3]), max_size=3))
    if draw(st.integers(0, 19)) == 7:
        data["mood"] = "great"
    return data


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(checkin_values())
def test_a_stored_check_in_rebuilds_from_its_json_as_its_values_validated(values: dict) -> None:
    """A valid check-in is stored as JSON and rebuilt with ``model_validate_json``: for every value a
    file can hold, that gives the model validating the values gave, with the same fields set."""
    from pydantic import ValidationError

    from okrctl.load.entry import to_json
    from okrctl.load.store import _ONE_CHECKIN_HEAD, _ONE_CHECKIN_TAIL, CheckInEntry
    from okrctl.model import CheckIn

    try:
        validated = CheckIn.model_validate(values)
    except ValidationError:
        return  # never stored as valid
    payload = to_json({"docs": [[0, 3, 1, values, [], "CheckIn", True]], "findings": []})
    assert payload is not None and payload.endswith(_ONE_CHECKIN_TAIL)
    head = _ONE_CHECKIN_HEAD.match(payload)
    assert head is not None
    entry = CheckInEntry(int(head[1]), int(head[2]), payload[head.end() : len(payload) - len(_ONE_CHECKIN_TAIL)])
    rebuilt = CheckIn.model_validate_json(entry.data)
    assert (entry.line, entry.column) == (3, 1)
    assert repr(rebuilt) == repr(validated) and rebuilt == validated
    assert rebuilt.model_fields_set == validated.model_fields_set


def test_one_check_in_entries_come_undecoded_and_load_as_a_cold_run(cli, saas, parsed):
    from okrctl.load.pipeline import load_repo
    from okrctl.load.store import CheckInEntry, Store, digest

    assert cli("align", "--repo", str(saas), "--today", DEMO_DAY).exit_code in (0, 1)
    files = sorted((saas / "checkins").rglob("*.yaml"))
    store = Store.open(saas)
    assert store is not None
    lazy = store.payloads([digest(p.read_bytes()) for p in files], lazy_checkins=True)
    assert sum(type(e) is CheckInEntry for e in lazy.values()) >= len(files) - 2  # nearly every one
    store.close()
    warm = load_repo(saas)
    cold = load_repo(saas, use_cache=False)
    assert [(d.path, d.index, d.line, d.column, d.ignore, repr(d.model)) for d in warm.docs] == [
        (d.path, d.index, d.line, d.column, d.ignore, repr(d.model)) for d in cold.docs
    ]


def test_a_tampered_one_check_in_entry_is_not_trusted(cli, saas, parsed):
    """A stored one-check-in entry whose values no longer validate makes the load start again
    without the store: the answer is a cold run's."""
    from okrctl.load.store import digest

    command = ("status", "--team", "marketing", "--format", "json", "--repo", str(saas), "--today", DEMO_DAY)
    cold = cli(*command, env={"OKRCTL_NO_CACHE": "1"})
    cli(*command, env={"COLUMNS": "91"})  # fills the store
    target = digest((saas / "checkins" / "marketing" / "2026-11-20.yaml").read_bytes())
    with sqlite3.connect(store_file()) as db:
        [(payload,)] = db.execute("SELECT payload FROM entries WHERE digest=?", (target,))
        assert '"owner":"marketing"' in payload
        db.execute(
            "UPDATE entries SET payload=? WHERE digest=?",
            (payload.replace('"owner":"marketing"', '"owner":"Not A Slug"'), target),
        )
        db.execute("DELETE FROM memo")
    warm = cli(*command, env={"COLUMNS": "92"})
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)
    parsed.clear()
    again = cli(*command, env={"COLUMNS": "95"})  # the entry was forgotten: only its file is read again
    assert (again.exit_code, again.stdout) == (cold.exit_code, cold.stdout)
    assert parsed == ["checkins/marketing/2026-11-20.yaml"]


def test_an_entry_of_several_documents_is_decoded_as_usual_and_the_store_keeps_answering(cli, saas, parsed):
    """Only an entry of exactly one check-in comes undecoded: one of two check-ins (or an objective
    then a check-in) is read like any other entry, and the next run parses nothing again."""
    from okrctl.load.store import one_checkin

    two = "apiVersion: okrctl/v1\nkind: CheckIn\nowner: marketing\ndate: 2026-11-21\nconfidence: 6\n"
    (saas / "checkins" / "marketing" / "two.yaml").write_text(two + "---\n" + two.replace("11-21", "11-22"))
    command = ("align", "--format", "json", "--no-history", "--repo", str(saas), "--today", DEMO_DAY)
    first = cli(*command)
    with sqlite3.connect(store_file()) as db:
        payloads = [p for (p,) in db.execute("SELECT payload FROM entries") if p.count('"CheckIn",true') == 2]
    assert len(payloads) == 1 and one_checkin(payloads[0]) is None
    parsed.clear()
    again = cli(*command, env={"COLUMNS": "93"})
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert parsed == []  # no stale entry, no load without the store


def test_a_payload_stored_as_bytes_is_not_taken_for_a_check_in(cli, saas, parsed):
    command = ("align", "--format", "json", "--no-history", "--repo", str(saas), "--today", DEMO_DAY)
    first = cli(*command)
    with sqlite3.connect(store_file()) as db:
        db.execute("UPDATE entries SET payload=CAST(payload AS BLOB)")
        db.execute("DELETE FROM memo")
    again = cli(*command, env={"COLUMNS": "94"})
    assert "internal error" not in again.stderr
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)


def test_git_is_asked_early_only_when_most_files_will_be_unknown(cli, tmp_path, git_repo, monkeypatch) -> None:
    """A large tree with a new store or freshly checked out starts git's list of unchanged files
    during the walk; a small tree or a warm run starts no git at all; one started for nothing (too
    few files unknown) is ended."""
    from okrctl.gitio import tree
    from okrctl.load import cache as cache_module
    from tests.conftest import git

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now are recorded too
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "store"))
    started: list[tree.CleanBlobs] = []
    stopped: list[tree.CleanBlobs] = []

    class Watched(tree.CleanBlobs):
        def __init__(self, folder: Path) -> None:
            super().__init__(folder)
            started.append(self)

        def stop(self) -> None:
            stopped.append(self)
            super().stop()

    monkeypatch.setattr(tree, "CleanBlobs", Watched)
    origin = git_repo(shutil.copytree(EXAMPLES / "saas", tmp_path / "origin"))
    command = ("align", "--repo", str(origin), "--today", DEMO_DAY, "--format", "json", "--no-history")
    cli(*command, env={"OKRCTL_CACHE_DIR": str(tmp_path / "small")})
    assert started == []  # a small tree is not worth it, even with a new store
    from okrctl.load import discover

    monkeypatch.setattr(discover, "SHARED_WALK_MIN_FOLDERS", 1)  # the example counts as a large tree
    monkeypatch.setattr(pipeline, "GIT_BLOBS_MIN_FILES", 10**6)  # more files than it has
    cli(*command, env={"OKRCTL_CACHE_DIR": str(tmp_path / "few")})
    assert (len(started), len(stopped)) == (1, 1)  # a new store, but too few files to ask git about
    assert all(w.listed.process.returncode is not None for w in stopped)
    monkeypatch.setattr(pipeline, "GIT_BLOBS_MIN_FILES", 5)  # as many unknown files
    first = cli(*command)
    assert (len(started), len(stopped)) == (2, 1)  # a new store
    os.utime(origin / "okrctl.yaml", (1_700_000_000, 1_700_000_000))
    again = cli(*command, "--strict")  # other options: not answered by the memo
    assert (len(started), len(stopped)) == (3, 1)  # the config's stat is off: git's index answers
    cli(*command, "--format", "concise")
    assert len(started) == 3  # warm: no git
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    restored = cli(*[str(clone) if part == str(origin) else part for part in command])
    assert (len(started), len(stopped)) == (4, 1)  # a fresh checkout
    assert first.exit_code == again.exit_code == restored.exit_code
    assert json.loads(first.stdout)["findings"] == json.loads(restored.stdout)["findings"]


def _stat_rows() -> dict[str, tuple[object, ...]]:
    with sqlite3.connect(store_file()) as db:
        return {row[0]: row[1:] for row in db.execute("SELECT path, size, mtime, ctime, ino, dev, digest FROM stats")}


@pytest.mark.slow
def test_a_fresh_checkout_of_a_large_tree_is_known_from_git_without_a_stat_per_file(
    cli, tmp_path, parsed, reads, git_repo, monkeypatch, git_asked
) -> None:
    """A restored store on a fresh clone of a large tree: the walk does not stat the files below
    its first levels, git's index says which are unchanged, and the store which blobs it knows.
    The outputs are a cold run's; only the files git does not list as unchanged are read (an
    edit, a new file, a pipe is never opened). The stat rows of the files known by their blob are
    written by a worker meanwhile, no row is removed, and the next run reads nothing and asks git
    nothing."""
    from okrctl.load import cache as cache_module
    from okrctl.load import discover
    from tests.conftest import git

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now are recorded too
    monkeypatch.setattr(discover, "SHARED_WALK_MIN_FOLDERS", 1)  # the example counts as a large tree
    monkeypatch.setattr(pipeline, "GIT_BLOBS_MIN_FILES", 5)
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "restored"))
    started = git_asked
    origin = git_repo(shutil.copytree(EXAMPLES / "saas", tmp_path / "origin"))
    outputs(cli, origin)  # the store learns every blob of the origin
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    sales = clone / "checkins" / "sales"
    edited = sales / "2026-11-20.yaml"
    edited.write_text(edited.read_text().replace("confidence: ", "confidence: 1", 1))
    added = sales / "2026-11-27.yaml"
    added.write_text(edited.read_text().replace("2026-11-20", "2026-11-27"))
    os.mkfifo(sales / "pipe.yaml")
    cold = outputs(cli, clone, cold=True)
    assert any("not a regular file" in out for _code, out, _err in cold)
    _forget_stats()
    key = store_module.repository_key(clone)
    gone = ("checkins/sales/gone.yaml", 1, 2, 3, 4, 5, "0" * 40, None)  # another runner's row
    moved = ("checkins/sales/2026-11-06.yaml", 1, 2, 3, 4, 5, "0" * 40, None)
    with sqlite3.connect(store_file()) as db:
        db.executemany("INSERT INTO stats VALUES (?,?,?,?,?,?,?,?,?)", [(key, *gone), (key, *moved)])
    unknown = "checkins/marketing/2026-11-13.yaml"  # a blob the store has not seen: read
    oid = git(clone, "rev-parse", f"HEAD:{unknown}").strip()
    with sqlite3.connect(store_file()) as db:
        assert db.execute("DELETE FROM blobs WHERE oid=?", (oid,)).rowcount == 1
    started.clear()
    reads.clear()
    parsed.clear()
    first = cli(*COMMANDS[0], "--repo", str(clone), "--today", DEMO_DAY)
    assert (first.exit_code, first.stdout, first.stderr) == cold[0]
    assert started  # git was asked
    read = {os.path.relpath(p, clone) for p in reads}
    assert read == {"checkins/sales/2026-11-20.yaml", "checkins/sales/2026-11-27.yaml", unknown}
    assert set(parsed) == read - {unknown}  # its bytes' entry is known
    rows = _stat_rows()
    for rel in ("checkins/sales/2026-11-13.yaml", moved[0], "okrctl.yaml", unknown):
        on_disk = os.lstat(clone / rel)
        assert rows[rel][:5] == (
            on_disk.st_size,
            on_disk.st_mtime_ns,
            on_disk.st_ctime_ns,
            on_disk.st_ino,
            on_disk.st_dev,
        ), rel
    assert rows["checkins/sales/2026-11-13.yaml"][5] == store_module.digest((sales / "2026-11-13.yaml").read_bytes())
    assert rows[gone[0]] == gone[1:7]  # the stat table was not read: no row is removed
    assert "checkins/sales/pipe.yaml" not in rows
    reads.clear()
    started.clear()
    assert outputs(cli, clone) == cold  # every file is known by its stat now
    assert reads == [] and started == []  # nothing read, git not asked
    assert gone[0] not in _stat_rows()  # a run that read the stat table removes what is gone


@pytest.mark.slow
@pytest.mark.parametrize("worker", [True, False])
def test_files_known_by_their_blob_get_no_stat_row_when_too_new_or_without_a_worker(
    cli, tmp_path, reads, git_repo, monkeypatch, worker
) -> None:
    """Just checked out, every file is too new to be known by its stat next time (a change within
    the clock's granularity could be missed): the worker records none of them. Where no worker can
    be started, nothing is recorded either. The answers are the origin's, and nothing is read."""
    from okrctl import forked
    from okrctl.load import cache as cache_module
    from okrctl.load import discover
    from tests.conftest import git

    monkeypatch.setattr(discover, "SHARED_WALK_MIN_FOLDERS", 1)
    monkeypatch.setattr(pipeline, "GIT_BLOBS_MIN_FILES", 5)
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "restored"))
    origin = git_repo(shutil.copytree(EXAMPLES / "saas", tmp_path / "origin"))
    first = outputs(cli, origin)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    if not worker:
        monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # new files would be recorded, but
        monkeypatch.setattr(forked.Background, "start", classmethod(lambda cls, work: None))  # no worker
    _forget_stats()
    reads.clear()
    expected = [(code, out.replace(str(origin), str(clone)), err) for code, out, err in first]
    once = cli(*COMMANDS[0], "--repo", str(clone), "--today", DEMO_DAY)
    assert (once.exit_code, once.stdout, once.stderr) == expected[0]
    assert not any(rel.startswith("checkins/") for rel in _stat_rows())
    assert outputs(cli, clone) == expected
    assert reads == []


@pytest.mark.slow
def test_where_git_cannot_answer_a_touched_config_still_leaves_the_other_files_unread(
    cli, tmp_path, reads, git_repo, monkeypatch
) -> None:
    """A large tree whose config's stat changed (an edit) looks freshly checked out; in a repository
    that tracks a ``.gitattributes``, git's index cannot say which files are unchanged: the stat
    table does, and only the config is read. Its rows all stay."""
    from okrctl.load import cache as cache_module
    from okrctl.load import discover

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)
    monkeypatch.setattr(discover, "SHARED_WALK_MIN_FOLDERS", 1)
    monkeypatch.setattr(pipeline, "GIT_BLOBS_MIN_FILES", 5)
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "store"))
    repo = shutil.copytree(EXAMPLES / "saas", tmp_path / "saas")
    (repo / ".gitattributes").write_text("*.md text\n")
    git_repo(repo)
    first = outputs(cli, repo)
    before = _stat_rows()
    config = repo / "okrctl.yaml"
    config.write_text(config.read_text() + "# touched\n")
    with sqlite3.connect(store_file()) as db:
        db.execute("DELETE FROM memo")
    reads.clear()
    assert outputs(cli, repo) == first
    assert {os.path.relpath(p, repo) for p in reads} == {"okrctl.yaml"}
    after = _stat_rows()
    assert after.keys() == before.keys() and after["okrctl.yaml"] != before["okrctl.yaml"]


def test_a_linked_config_does_not_make_every_run_a_fresh_checkout(
    cli, tmp_path, git_repo, monkeypatch, git_asked
) -> None:
    from okrctl.load import cache as cache_module
    from okrctl.load import discover

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)
    monkeypatch.setattr(discover, "SHARED_WALK_MIN_FOLDERS", 1)
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "store"))
    repo = shutil.copytree(EXAMPLES / "saas", tmp_path / "saas")
    (repo / "okrctl.yaml").rename(repo / "config-real.yaml")
    (repo / "okrctl.yaml").symlink_to("config-real.yaml")
    git_repo(repo)
    started = git_asked
    command = ("status", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json")
    first = cli(*command)
    assert len(started) == 1  # a new store
    assert cli(*command, env={"COLUMNS": "99"}).stdout == first.stdout
    assert len(started) == 1  # warm: the link's row is its target's stat, and it still matches


@pytest.mark.slow
@pytest.mark.parametrize("large", [False, True])
def test_a_restored_store_does_not_answer_for_bytes_a_smudge_filter_changed(
    cli, tmp_path, git_repo, monkeypatch, large
):
    """A clone whose checkout runs a filter: git calls the files unchanged, but their bytes are not
    the blobs' the store knows. The restored store's answer must be the one of a cold run (also
    in a large tree, whose walk left the files' stats to git's answer)."""
    from okrctl.load import discover
    from tests.conftest import git

    if large:
        monkeypatch.setattr(discover, "SHARED_WALK_MIN_FOLDERS", 1)
    monkeypatch.setattr(pipeline, "GIT_BLOBS_MIN_FILES", 1)
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "restored"))
    origin = git_repo(shutil.copytree(EXAMPLES / "saas", tmp_path / "origin"))
    outputs(cli, origin)  # the store learns every blob of the origin
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--no-checkout", str(origin), str(clone))
    git(clone, "config", "filter.bump.smudge", "sed s/confidence:\\ [0-9]*/confidence:\\ 1/")
    git(clone, "config", "filter.bump.clean", "cat")
    (clone / ".git" / "info" / "attributes").write_text("*.yaml filter=bump\n")
    git(clone, "checkout", "-q", "main")
    assert "confidence: 1\n" in (clone / "checkins" / "sales" / "2026-11-20.yaml").read_text()
    _forget_stats()
    assert outputs(cli, clone) == outputs(cli, clone, cold=True)


def test_a_background_worker_that_fails_prints_nothing_and_is_waited_for(tmp_path, capfd) -> None:
    """``forked.Background``: the work runs in another process and leaves its result on disk; one
    that raises (or is interrupted) prints no traceback; ``join_all`` leaves none running."""
    from okrctl.forked import Background

    done = tmp_path / "done"

    def work() -> None:
        time.sleep(0.2)
        done.write_text("written by the worker")

    def failing() -> None:
        raise KeyboardInterrupt

    first, second = Background.start(work), Background.start(failing)
    assert first is not None and second is not None
    Background.join_all()
    assert Background.running == []
    assert done.read_text() == "written by the worker"
    assert not first.worker.is_alive() and not second.worker.is_alive()
    assert "Traceback" not in capfd.readouterr().err


def background_starts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The work handed to ``forked.Background`` workers from now on (they still run)."""
    from okrctl import forked

    workers: list[object] = []
    real_start = forked.Background.start.__func__  # type: ignore[attr-defined]

    def start(cls, work):
        workers.append(work)
        return real_start(cls, work)

    monkeypatch.setattr(forked.Background, "start", classmethod(start))
    return workers


def test_many_stat_rows_are_written_by_a_worker_exactly_as_they_would_be_here(cli, saas, tmp_path, monkeypatch) -> None:
    """A first run writes a row per file; past ``STATS_WRITTEN_MEANWHILE`` rows a forked worker
    writes them while the command goes on. The table is the same, it is complete when the command
    returns, and the next run reads no file."""
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    workers = background_starts(monkeypatch)
    command = ("status", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    tables = []
    for many, folder in ((10**9, "here"), (1, "worker")):
        monkeypatch.setattr(store_module, "STATS_WRITTEN_MEANWHILE", many)
        monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / folder))
        cli(*command)
        tables.append(_stat_rows())
    assert len(workers) == 1  # only the second store's rows were written by a worker
    assert tables[0] == tables[1] and len(tables[0]) > 50


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the worker is tied to okrctl's end on Linux")
def test_a_background_worker_does_not_outlive_a_killed_okrctl(tmp_path) -> None:
    """okrctl killed (by a supervisor that signals only its process): its worker ends with it and
    writes nothing afterwards."""
    import subprocess

    done, started = tmp_path / "written", tmp_path / "started"
    script = "\n".join(
        [
            "import os, sys, time",
            f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})",
            "from okrctl.forked import Background",
            "def work():",
            "    time.sleep(1.0)",
            f"    open({str(done)!r}, 'w').write('late')",
            "assert Background.start(work) is not None",
            f"open({str(started)!r}, 'w').write('started')",
            "time.sleep(0.3)",
            "os.kill(os.getpid(), 9)",
        ]
    )
    result = subprocess.run([sys.executable, "-c", script], check=False, timeout=30)
    assert result.returncode == -9 and started.exists()
    time.sleep(1.5)
    assert not done.exists()


@pytest.mark.parametrize(
    "revision_too",
    [("diff", "HEAD", "--format", "json"), ("align", "--format", "json", "--no-history", "--baseline", "HEAD")],
    ids=["diff", "align-baseline"],
)
def test_a_command_that_loads_a_revision_leaves_the_work_tree_s_stat_rows_alone(
    cli, tmp_path, reads, git_repo, monkeypatch, revision_too
) -> None:
    """A git revision's files have no stat: loading one (``diff``, ``align --baseline``) neither
    reads nor rewrites the work tree's stat table, so the command after it still knows every
    file by its stat."""
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "store"))
    repo = git_repo(shutil.copytree(EXAMPLES / "saas", tmp_path / "saas"))
    edited = repo / "checkins" / "sales" / "2026-11-20.yaml"
    edited.write_text(edited.read_text().replace("confidence: ", "confidence: 1", 1))
    cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", "--no-history")
    before = _stat_rows()
    assert len(before) > 50
    result = cli(*revision_too, "--repo", str(repo), "--today", DEMO_DAY)
    assert result.exit_code in (0, 1), result.stderr
    assert _stat_rows() == before
    reads.clear()
    cli("status", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json")
    assert reads == []


def test_entries_and_results_nobody_used_for_a_month_are_forgotten_once_a_day(cli, saas, parsed, monkeypatch) -> None:
    """The store forgets what no run used for about a month: the entry of a file that is gone (and
    the git blob naming it), and old memoised results. What the command read stays: its day of use
    is written first. A worker does both, and is done when the command returns."""
    command = ("status", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    gone = saas / "okrs" / "2026-Q4" / "marketing.yaml"
    gone_digest = store_module.digest(gone.read_bytes())
    kept_digest = store_module.digest((saas / "okrctl.yaml").read_bytes())
    first = cli(*command)
    path = store_file()
    with sqlite3.connect(path) as db:
        (pruned,) = db.execute("SELECT value FROM meta WHERE key='pruned'").fetchone()
    assert pruned == str(store_module.today_number())  # a new store has nothing to forget today
    gone.unlink()
    # an entry's day of use may lag its last use by USED_REFRESH_DAYS: it is kept that much longer
    long_ago = store_module.today_number() - store_module.KEEP_DAYS - store_module.USED_REFRESH_DAYS - 1
    with sqlite3.connect(path) as db:
        db.execute("UPDATE entries SET used=?", (long_ago,))
        db.execute("INSERT OR REPLACE INTO blobs VALUES ('b' || ?, ?)", (gone_digest[:8], gone_digest))
        for key in (gone_digest, kept_digest):  # places of findings in both files
            db.execute("INSERT OR REPLACE INTO places VALUES (?, 0, '[0]', 3, 1, 'Objective:x|')", (key,))
        db.execute("UPDATE memo SET at=?", (time.time() - (store_module.KEEP_DAYS + 1) * 86400,))
        db.execute("UPDATE meta SET value=? WHERE key='pruned'", (str(long_ago),))
        assert db.execute("SELECT count(*) FROM memo").fetchone()[0] >= 1
    workers = background_starts(monkeypatch)
    second = cli(*command)
    assert second.exit_code == first.exit_code
    assert workers  # the pruning ran in a worker, and the command waited for it
    with sqlite3.connect(path) as db:
        digests = {row[0] for row in db.execute("SELECT digest FROM entries")}
        blobs = {row[0] for row in db.execute("SELECT digest FROM blobs")}
        places = {row[0] for row in db.execute("SELECT digest FROM places")}
        memo = db.execute("SELECT count(*) FROM memo WHERE at < ?", (time.time() - 86400,)).fetchone()[0]
        (pruned,) = db.execute("SELECT value FROM meta WHERE key='pruned'").fetchone()
    assert gone_digest not in digests and gone_digest not in blobs and gone_digest not in places
    assert kept_digest in places
    assert kept_digest in digests  # read by this run: used today
    assert memo == 0
    assert pruned == str(store_module.today_number())
    workers.clear()
    cli(*command)
    assert workers == []  # once a day


def test_the_day_an_entry_was_used_is_written_again_only_when_it_is_a_week_old(cli, saas, parsed) -> None:
    """A run reads the entries of a store restored from an earlier day without rewriting each one:
    only those whose day of use is ``USED_REFRESH_DAYS`` old get today's."""
    command = ("status", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json")
    cli(*command)
    today = store_module.today_number()
    path = store_file()
    recent, old = today - 2, today - store_module.USED_REFRESH_DAYS - 1
    with sqlite3.connect(path) as db:
        keys = sorted(row[0] for row in db.execute("SELECT digest FROM entries"))
        half = set(keys[: len(keys) // 2])
        db.executemany("UPDATE entries SET used=? WHERE digest=?", [(old if k in half else recent, k) for k in keys])
    parsed.clear()
    cli(*command, "--no-color")  # new options: nothing memoised answers, the entries are read
    assert parsed == []
    with sqlite3.connect(path) as db:
        used = dict(db.execute("SELECT digest, used FROM entries"))
    assert {used[k] for k in keys if k not in half} == {recent}
    assert {used[k] for k in half} == {today}


def test_a_pull_request_gate_on_a_fresh_clone_asks_git_once_which_files_are_as_committed(
    cli, tmp_path, parsed, git_repo, git_asked, monkeypatch
) -> None:
    """``align --baseline`` on a fresh clone with a restored store: the scan asks git which files are
    as committed, and the base borrows the working tree's documents by that same answer. The
    findings are those of a run without the store."""
    from tests.conftest import git

    monkeypatch.setattr(pipeline, "GIT_BLOBS_MIN_FILES", 1)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "restored"))
    origin = git_repo(shutil.copytree(EXAMPLES / "saas", tmp_path / "origin"))
    outputs(cli, origin)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    changed = clone / "okrs" / "2026-Q4" / "marketing.yaml"
    changed.write_text(changed.read_text().replace("kind: Objective", "kind: Objective\ntypo: 1", 1))
    _forget_stats()
    git_asked.clear()
    args = (
        "align",
        "--baseline",
        "HEAD",
        "--repo",
        str(clone),
        "--today",
        DEMO_DAY,
        "--format",
        "json",
        "--no-history",
    )
    gated = cli(*args)
    assert [Path(folder).resolve() for folder in git_asked] == [clone.resolve()]
    cold = cli(*args, env={"OKRCTL_NO_CACHE": "1"})
    assert (gated.exit_code, gated.stdout) == (cold.exit_code, cold.stdout) == (1, cold.stdout)
    assert [f["new"] for f in json.loads(gated.stdout)["findings"] if f["path"] == "okrs/2026-Q4/marketing.yaml"] == [
        True
    ]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="lists open files on Linux")
def test_a_caller_of_main_in_the_same_process_is_left_no_open_store(saas, monkeypatch) -> None:
    from okrctl.cli import entry

    monkeypatch.delenv("OKRCTL_NO_CACHE")
    monkeypatch.setattr(sys, "argv", ["okrctl", "status", "--repo", str(saas), "--today", DEMO_DAY])
    with pytest.raises(SystemExit) as done:
        entry.main()
    assert done.value.code in (0, None)
    store = str(store_file())
    still_open = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            still_open.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue  # the listing's own
    assert store_file().exists()
    assert not [name for name in still_open if name.startswith(store)]


@pytest.fixture
def parsed_again(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files a run parses again for the places of its findings (``Repo._reparse``)."""
    from okrctl.load.index import Repo

    seen: list[str] = []
    real = Repo._reparse

    def _reparse(self, doc):
        seen.append(doc.path)
        return real(self, doc)

    monkeypatch.setattr(Repo, "_reparse", _reparse)
    return seen


def test_the_places_of_findings_are_learnt_once_and_answer_like_a_fresh_parse(cli, saas, parsed, parsed_again):
    # Dated before most check-ins: dozens of OKR502 findings on check-ins loaded from the store.
    day = "2026-10-05"
    asked = [("--format", "json"), ("--format", "sarif"), ("--format", "concise"), ("--format", "github")]
    cold = [cli("align", *a, "--repo", str(saas), "--today", day, env={"OKRCTL_NO_CACHE": "1"}).stdout for a in asked]
    assert cold[0].count('"OKR502"') > 20
    cli("align", "--repo", str(saas), "--today", DEMO_DAY)  # fills the store; no finding on a check-in
    parsed_again.clear()
    first = cli("align", *asked[0], "--repo", str(saas), "--today", day)
    assert first.stdout == cold[0]
    assert len(set(parsed_again)) > 20  # loaded from the store without marks: parsed again once
    with sqlite3.connect(store_file()) as db:
        learnt = db.execute("SELECT count(*) FROM places").fetchone()[0]
    assert learnt >= cold[0].count('"OKR502"')
    parsed_again.clear()
    with sqlite3.connect(store_file()) as db:
        db.execute("DELETE FROM findings")  # the rules run again, and place their findings
    # Other options (no memoised result answers): every place, and what each finding is about
    # (the fingerprints), now comes from the store.
    for options, expected in zip(asked[1:], cold[1:], strict=True):
        assert cli("align", *options, "--repo", str(saas), "--today", day).stdout == expected
    assert parsed_again == []


def test_a_tampered_place_in_the_store_is_not_believed(cli, saas, parsed, parsed_again):
    day = "2026-10-05"
    cold = cli("align", "--format", "json", "--repo", str(saas), "--today", day, env={"OKRCTL_NO_CACHE": "1"}).stdout
    cli("align", "--repo", str(saas), "--today", DEMO_DAY)  # fills the store
    assert cli("align", "--format", "json", "--repo", str(saas), "--today", day).stdout == cold  # learns the places
    with sqlite3.connect(store_file()) as db:
        rows = db.execute("SELECT digest, doc, loc FROM places").fetchall()
        assert rows
        # A line that no file has, an "about" or a column that is not what it must be: such rows
        # are read as unknown (the store is trusted for where it is, but may be damaged).
        db.execute("UPDATE places SET line=0 WHERE digest=? AND doc=? AND loc=?", rows[0])
        db.execute("UPDATE places SET about=X'00' WHERE digest=? AND doc=? AND loc=?", rows[1])
        db.execute("UPDATE places SET col='x' WHERE digest=? AND doc=? AND loc=?", rows[2])
        db.execute("DELETE FROM findings")  # the rules run again, and place their findings
    parsed_again.clear()
    again = cli("align", "--format", "sarif", "--repo", str(saas), "--today", day)
    assert len(parsed_again) == 3  # the three rows not believed: their files parsed again
    expected = cli("align", "--format", "sarif", "--repo", str(saas), "--today", day, env={"OKRCTL_NO_CACHE": "1"})
    assert again.stdout == expected.stdout
    assert cold.count('"OKR502"') > 20


def test_the_memo_never_answers_a_baseline_named_otherwise(cli, saas, parsed, git_repo):
    """The memo was keyed on the baseline's commit alone: `--baseline HEAD~1` answered with the
    output of `--baseline main` (its ref, "merge base" or not) when both named one commit."""
    git_repo(saas)
    git(saas, "checkout", "-q", "-b", "feature")
    (saas / "okrs" / "note.yaml").write_text("# a comment only\n", encoding="utf-8")
    git(saas, "add", "-A")
    git(saas, "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-qm", "feature")
    refs = []
    for ref in ("main", "HEAD~1", "main"):
        result = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "json", "--baseline", ref)
        refs.append(json.loads(result.stdout)["baseline"]["ref"])
    assert refs == ["main", "HEAD~1", "main"]


@pytest.mark.slow
def test_the_memo_never_answers_a_dumb_terminal_with_colours(saas, parsed, tmp_path):
    """Colours are written for the terminal rich finds: TERM=dumb gets none, and a coloured output
    of an earlier run at another terminal was served to it."""
    from tests.pty_driver import Terminal

    env = {**os.environ, "PYTHONPATH": str(ROOT), "OKRCTL_CACHE_DIR": str(tmp_path / "store"), "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    env.pop("OKRCTL_NO_CACHE", None)
    shown = {}
    for term in ("xterm-256color", "dumb"):
        command = [sys.executable, "-m", "okrctl", "status", "--repo", str(saas), "--today", DEMO_DAY]
        with Terminal(command, cwd=tmp_path, env={**env, "TERM": term}) as terminal:
            shown[term] = terminal.expect_exit(0)
    assert "\x1b[" in shown["xterm-256color"] and "\x1b[" not in shown["dumb"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE stats SET summary=7",
        "UPDATE stats SET summary='marketing'||char(31)||'2026-11-20'||char(30)||'x' WHERE summary!=''",
        "UPDATE stats SET summary=x'00ff' WHERE summary!=''",
        # an owner without a date: for another team's check-in as for the team's own
        "UPDATE stats SET summary=substr(summary, 1, instr(summary, char(31)) - 1) WHERE instr(summary, char(31)) > 1",
        "UPDATE entries SET used='abc'",
        "UPDATE entries SET summary=7",
    ],
)
def test_a_store_with_rows_okrctl_did_not_write_is_set_aside_not_a_crash(cli, saas, parsed, tamper):
    """A number where a summary goes, a summary of another shape, a day of use that is text: the
    command answers as a cold run does (it once stopped with an internal error), says so at most
    once on standard error (where it had to read such a row), and the next run answers alike."""
    for path in saas.rglob("*.yaml"):
        age(path)
    commands = [
        ("align", "--repo", str(saas), "--today", DEMO_DAY),
        ("status", "--team", "marketing", "--repo", str(saas), "--today", DEMO_DAY),
        ("checkin", "--team", "marketing", "-c", "7", "--dry-run", "--repo", str(saas), "--today", "2026-11-27"),
    ]
    cold = [cli(*command, env={"OKRCTL_NO_CACHE": "1"}) for command in commands]
    for command, expected in zip(commands, cold, strict=True):
        cli(*command)  # fills the store
        with sqlite3.connect(store_file()) as db:
            db.execute(tamper)
            db.execute("DELETE FROM memo")
        warm = cli(*command)
        assert (warm.exit_code, warm.stdout) == (expected.exit_code, expected.stdout), command
        assert "internal error" not in warm.stderr
        assert warm.stderr.count("the store held rows okrctl did not write") <= 1, warm.stderr
        again = cli(*command)
        assert (again.exit_code, again.stdout, again.stderr) == (expected.exit_code, expected.stdout, expected.stderr)


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE stats SET digest=CAST(digest AS BLOB) WHERE path='okrctl.yaml'",
        "UPDATE stats SET digest=CAST(digest AS BLOB)",
        "UPDATE stats SET summary=CAST(summary AS BLOB) WHERE summary!=''",
    ],
)
@pytest.mark.slow
def test_a_stat_row_whose_digest_is_not_text_sets_the_store_aside(cli, saas, parsed, git_repo, monkeypatch, tamper):
    """A stat row whose digest was bytes stopped every view (align, status, report, trends) with
    "internal error", exit 3, on every run until the store was deleted. The command now answers as
    a cold run does, says once that the store is set aside, and the next run answers alike."""
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now have stat rows
    git_repo(saas)
    note = "okrctl: note: the store held rows okrctl did not write; it is removed and rebuilt\n"
    for command in (
        ("align",),
        ("align", "--format", "json"),
        ("status", "--format", "json"),
        ("status", "--team", "marketing"),
        ("report",),
        ("trends",),
    ):
        command = (*command, "--repo", str(saas), "--today", DEMO_DAY)
        cold = cli(*command, env={"OKRCTL_NO_CACHE": "1"})
        cli(*command)  # fills the store
        with sqlite3.connect(store_file()) as db:
            assert db.execute(tamper).rowcount > 0
            db.execute("DELETE FROM memo")
        warm = cli(*command)
        assert (warm.exit_code, warm.stdout, warm.stderr) == (cold.exit_code, cold.stdout, cold.stderr + note), command
        again = cli(*command)
        assert (again.exit_code, again.stdout, again.stderr) == (cold.exit_code, cold.stdout, cold.stderr), command


@pytest.mark.parametrize(
    "tamper",
    ["UPDATE memo SET exit=9999", "UPDATE memo SET exit=-1", "UPDATE memo SET note=X'FF00'"],
)
def test_a_memoised_result_okrctl_cannot_have_written_is_not_replayed(cli, saas, parsed, git_repo, tamper):
    """A memo row of an exit code okrctl never uses (0 to 3) or a note that is not text was
    replayed: exit 15 for 9999, 255 for -1, and the note's Python repr (b'\\xff\\x00') on standard
    error, on every run. The command now answers as a cold run does, says once that the store is
    set aside, and the next run answers alike."""
    git_repo(saas)
    command = ("align", "--repo", str(saas), "--today", DEMO_DAY)
    cold = cli(*command, env={"OKRCTL_NO_CACHE": "1"})
    cli(*command)  # fills the store and the memo
    with sqlite3.connect(store_file()) as db:
        assert db.execute(tamper).rowcount > 0
    warm = cli(*command)
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)
    assert (
        warm.stderr
        == cold.stderr + "okrctl: note: the store held rows okrctl did not write; it is removed and rebuilt\n"
    )
    again = cli(*command)
    assert (again.exit_code, again.stdout, again.stderr) == (cold.exit_code, cold.stdout, cold.stderr)


def test_the_store_belongs_to_the_versions_of_the_libraries_as_well_as_to_okrctls_code(monkeypatch):
    """An upgrade of pydantic (its messages), ruamel.yaml (its parse) or rich (the rendered
    outputs the store remembers) is other code: the store's name and stamp follow the installed
    versions, read from their dist-info folders as the packaging metadata gives them."""
    from importlib import metadata

    named = dict(part.split("=", 1) for part in store_module.library_versions().split())
    assert named.pop("python").startswith(f"cpython-{sys.version_info[0]}.{sys.version_info[1]}.")
    assert named == {
        name: metadata.version(store_module._DISTRIBUTIONS.get(name, name)) for name in store_module.LIBRARIES
    }
    assert "_ruamel_yaml" in named  # the C parser ruamel.yaml reads with, a distribution of its own
    # The folder's name as any installer writes it: normalised, or with the project's own dots.
    for spelled in ("ruamel_yaml-0.18.6.dist-info", "ruamel.yaml-0.18.6.dist-info", "Ruamel.YAML-0.18.6.dist-info"):
        listing = ["ruamel", "ruamel_yaml_clib-0.2.12.dist-info", spelled, "rich-13.7.1.dist-info"]
        assert store_module.dist_version(listing, "ruamel.yaml") == "0.18.6", spelled
        assert store_module.dist_version(listing, "ruamel.yaml.clib") == "0.2.12", spelled
    assert store_module.dist_version(["rich"], "rich") is None
    before = (store_module.code_digest(), store_module.code_stamp(), store_module.store_name())
    upgraded = store_module.library_versions().replace(f"rich={named['rich']}", "rich=99.0.0")
    for cached in (store_module.code_digest, store_module.code_stamp):
        cached.cache_clear()
    with monkeypatch.context() as other:
        other.setattr(store_module, "library_versions", lambda: upgraded)
        after = (store_module.code_digest(), store_module.code_stamp(), store_module.store_name())
    for cached in (store_module.code_digest, store_module.code_stamp):
        cached.cache_clear()
    assert all(old != new for old, new in zip(before, after, strict=True))
    assert (store_module.code_digest(), store_module.code_stamp(), store_module.store_name()) == before


def test_an_error_of_okrctls_own_does_not_remove_the_store(cli, saas, parsed, monkeypatch):
    """An error raised while loading with the store that a load without it raises too is okrctl's
    own, not the store's: it goes on (an internal error, exit 3), and the store is kept."""
    import okrctl.load.pipeline as pipeline_module

    command = ("status", "--team", "marketing", "--repo", str(saas), "--today", DEMO_DAY)
    assert cli(*command).exit_code == 0  # fills the store
    before = store_file().stat().st_size
    real = pipeline_module._load

    def broken(snapshot, cache, *args, **kwargs):
        real(snapshot, cache, *args, **kwargs)
        raise TypeError("a bug of okrctl's own")

    monkeypatch.setattr(pipeline_module, "_load", broken)
    with monkeypatch.context() as each:
        each.setenv("COLUMNS", "93")  # another option: no remembered answer
        result = cli(*command)
    assert result.exit_code == 3 and "a bug of okrctl's own" in result.stderr
    assert "the store held rows" not in result.stderr
    assert store_file().is_file() and store_file().stat().st_size >= before
