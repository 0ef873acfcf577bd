"""``atomic_write`` leaves a file whole or untouched, and no file of its own: through an unnamed file
on Linux (``O_TMPFILE``), else a named temporary one; a check-in killed with SIGKILL leaves nothing
in the repository; temporary files that killed writes left are tidied away by the next check-in."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from okrctl import fsutil
from tests.conftest import ROOT, git

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files")

FRIDAY = "2026-11-27"
NEW = f"checkins/discover/{FRIDAY}.yaml"
AMENDED = "checkins/discover/2026-11-20.yaml"
NEW_ARGS = ["checkin", "--today", FRIDAY, "--team", "discover", "-c", "6", "--no-commit"]
AMEND_ARGS = ["checkin", "--today", FRIDAY, "--team", "discover", "--date", "2026-11-20", "--amend", "-c", "3"]
AMEND_ARGS += ["--no-commit"]
HOUR = 3600


def _unnamed_available(folder: Path) -> bool:
    """Whether this system and file system make unnamed files (asked of ``os``, not of okrctl)."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return False
    try:
        os.close(os.open(folder, flag | os.O_WRONLY, 0o600))
    except OSError:
        return False
    return True


@pytest.fixture(params=["unnamed", "named"])
def route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Each test runs both ways: the unnamed file (Linux), and the named temporary file that other
    systems and file systems get (forced by taking ``O_TMPFILE`` away)."""
    if request.param == "unnamed":
        if not _unnamed_available(tmp_path):
            pytest.skip("no O_TMPFILE on this system or file system")
    else:
        monkeypatch.setattr(fsutil, "_O_TMPFILE", None)
    return str(request.param)


@pytest.fixture
def named_calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The writes that took the named temporary file's way."""
    calls: list[Path] = []
    real = fsutil._write_named

    def spy(path: Path, data: bytes, *, exclusive: bool) -> None:
        calls.append(path)
        real(path, data, exclusive=exclusive)

    monkeypatch.setattr(fsutil, "_write_named", spy)
    return calls


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ----- the happy paths, both ways ----------------------------------------------------------------------
def test_a_new_file_an_exclusive_one_and_a_replacement(tmp_path, route, named_calls):
    target = tmp_path / "checkins" / "team" / "2026-11-20.yaml"
    old = os.umask(0o022)
    try:
        fsutil.atomic_write(target, "first\n", exclusive=True)
    finally:
        os.umask(old)
    assert target.read_text() == "first\n" and _mode(target) == 0o644
    with pytest.raises(FileExistsError) as refused:
        fsutil.atomic_write(target, "second\n", exclusive=True)
    assert refused.value.filename == str(target)
    assert target.read_text() == "first\n"
    target.chmod(0o640)
    fsutil.atomic_write(target, "amended\n")
    assert target.read_text() == "amended\n" and _mode(target) == 0o640
    assert hidden(target.parent) == []
    assert named_calls == ([] if route == "unnamed" else [target] * 3)


def test_the_folder_is_synced_once_the_file_has_its_name(tmp_path, route, monkeypatch):
    """The bytes are synced before the file gets its name, the folder after: a power cut then
    leaves the old file or the new one, never a name without its bytes."""
    target = tmp_path / "2026-11-20.yaml"
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        st = os.fstat(fd)
        synced.append("folder" if stat.S_ISDIR(st.st_mode) else "file")
        if stat.S_ISDIR(st.st_mode):
            assert target.exists()  # the name is there when its folder is synced
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    fsutil.atomic_write(target, "first\n", exclusive=True)
    fsutil.atomic_write(target, "amended\n")
    assert synced == ["file", "folder", "file", "folder"]


@pytest.mark.parametrize("way", ["proc", "at-empty-path"])
def test_each_way_of_naming_an_unnamed_file(tmp_path, monkeypatch, named_calls, way):
    """Through ``/proc/self/fd`` (where it leads back to the file), else ``linkat(AT_EMPTY_PATH)``
    (Linux 6.10 lets any user name a file it opened so; earlier ones only root)."""
    if not _unnamed_available(tmp_path):
        pytest.skip("no O_TMPFILE here")
    if way == "proc":
        monkeypatch.setattr(fsutil, "_linkat_empty_path", lambda fd, target: errno.ENOENT)
    else:
        monkeypatch.setattr(fsutil, "_PROC_FD", str(tmp_path / "no-proc" / "{fd}"))
    target = tmp_path / "out.yaml"
    fsutil.atomic_write(target, "new\n", exclusive=True)
    fsutil.atomic_write(target, "replaced\n")
    if way == "proc" and named_calls:
        pytest.skip("/proc/self/fd does not lead back to the file here (a sandbox): the fallback was used")
    assert named_calls == []
    assert target.read_text() == "replaced\n" and hidden(tmp_path) == []


# ----- the fallback: no unnamed files, or no way to name them ---------------------------------------
@pytest.mark.parametrize("code", [errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT])
def test_a_file_system_without_unnamed_files_gets_a_named_temporary_file(tmp_path, monkeypatch, named_calls, code):
    if fsutil._O_TMPFILE is None:
        pytest.skip("no O_TMPFILE in this Python")
    real_open = os.open

    def no_tmpfile(path, flags, *args, **kwargs):
        if flags & fsutil._O_TMPFILE == fsutil._O_TMPFILE:
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_tmpfile)
    target = tmp_path / "out.yaml"
    fsutil.atomic_write(target, "text\n", exclusive=True)
    fsutil.atomic_write(target, "again\n")
    assert target.read_text() == "again\n" and named_calls == [target, target]
    assert hidden(tmp_path) == []


@pytest.mark.parametrize("code", [errno.EXDEV, errno.ENOENT, errno.EPERM])
def test_an_unnamed_file_that_cannot_be_named_is_dropped_and_the_named_way_taken(
    tmp_path, monkeypatch, named_calls, code
):
    """No /proc (a container), a /proc that does not lead back to the file (EXDEV), a kernel that
    refuses ``AT_EMPTY_PATH``: the unnamed file is freed and the text written the other way."""
    if not _unnamed_available(tmp_path):
        pytest.skip("no O_TMPFILE here")
    monkeypatch.setattr(fsutil, "_PROC_FD", str(tmp_path / "no-proc" / "{fd}"))
    monkeypatch.setattr(fsutil, "_linkat_empty_path", lambda fd, target: code)
    target = tmp_path / "out.yaml"
    fsutil.atomic_write(target, "text\n", exclusive=True)
    with pytest.raises(FileExistsError):
        fsutil.atomic_write(target, "other\n", exclusive=True)
    fsutil.atomic_write(target, "again\n")
    assert target.read_text() == "again\n" and named_calls == [target] * 3
    assert hidden(tmp_path) == []


def test_a_file_system_where_unnamed_files_cannot_be_named_is_written_the_named_way_at_once(
    tmp_path, monkeypatch, named_calls
):
    """The process remembers: one text written twice (unnamed, then named), the next ones once."""
    if not _unnamed_available(tmp_path):
        pytest.skip("no O_TMPFILE here")
    monkeypatch.setattr(fsutil, "_PROC_FD", str(tmp_path / "no-proc" / "{fd}"))
    monkeypatch.setattr(fsutil, "_linkat_empty_path", lambda fd, target: errno.EPERM)
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    first, second = tmp_path / "a" / "1.yaml", tmp_path / "b" / "2.yaml"
    fsutil.atomic_write(first, "one\n", exclusive=True)
    data_syncs = len(synced)  # the unnamed file's, the named one's, their folder's
    fsutil.atomic_write(second, "two\n")
    fsutil.atomic_write(first, "three\n")
    assert named_calls == [first, second, first]
    assert data_syncs == 3 and len(synced) == 3 + 2 + 2  # then only the named file and its folder
    assert first.read_text() == "three\n" and second.read_text() == "two\n"
    assert hidden(tmp_path / "a") == hidden(tmp_path / "b") == []


# ----- a failure at each step leaves nothing of the write ------------------------------------------
def _fail(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


STEPS = {
    "write": ("write", errno.ENOSPC),
    "fsync": ("fsync", errno.EIO),
    "link": ("link", errno.EIO),
    "rename": ("replace", errno.EIO),
}


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("exclusive", [True, False], ids=["new", "replacement"])
def test_a_failure_at_each_step_leaves_the_target_as_it_was_and_no_hidden_file(
    tmp_path, monkeypatch, route, step, exclusive
):
    function, code = STEPS[step]
    folder = tmp_path / "checkins" / "team"
    folder.mkdir(parents=True)
    target = folder / "2026-11-20.yaml"
    if not exclusive:
        target.write_text("before\n")
    if step == "link" and route == "unnamed":
        # Both ways of naming the unnamed file fail for good (not "unavailable here").
        monkeypatch.setattr(fsutil, "_linkat_empty_path", lambda fd, path: code)
    with monkeypatch.context() as patched:
        patched.setattr(os, function, _fail(code))
        try:
            fsutil.atomic_write(target, "after\n" * 100, exclusive=exclusive)
        except OSError as exc:
            failed: OSError | None = exc
        else:
            failed = None
    if failed is None:
        # This step is not on this way (a replacement is never linked on the named way, a new file
        # never renamed on the unnamed one): the write went through whole.
        assert (step, exclusive) in {("link", False), ("rename", True)}
        assert target.read_text() == "after\n" * 100
    else:
        assert failed.errno == code and failed.filename == str(target)
        if exclusive:
            assert not target.exists()
        else:
            assert target.read_text() == "before\n"
    assert hidden(folder) == []


def test_an_interrupt_between_naming_and_renaming_removes_the_temporary_name(tmp_path, monkeypatch):
    """A signal that raises (SIGTERM, Ctrl-C) in the only window the unnamed way has left."""
    if not _unnamed_available(tmp_path):
        pytest.skip("no O_TMPFILE here")
    target = tmp_path / "out.yaml"
    target.write_text("before\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsutil.atomic_write(target, "after\n")
    assert target.read_text() == "before\n" and hidden(tmp_path) == []


# ----- killed with SIGKILL -----------------------------------------------------------------------------
_KILLED_AT_FSYNC = """
import os, signal, sys
from okrctl.cli.entry import main

os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
sys.argv = ["okrctl", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("amend", [False, True], ids=["new", "amend"])
def test_a_checkin_killed_before_its_file_is_named_leaves_nothing_in_the_repository(copy_example, amend):
    """SIGKILL after the text is written, before it has a name: nothing to undo, and no hidden
    ``.DATE.yaml.XXXXXXXX.tmp`` left untracked in the repository (there was, with a named one)."""
    root = copy_example("banco")
    folder = root / "checkins/discover"
    if not _unnamed_available(folder):
        pytest.skip("no O_TMPFILE here: the named temporary file is what a kill leaves, for the next check-in to tidy")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OKRCTL_NO_CACHE": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    args = [*(AMEND_ARGS if amend else NEW_ARGS), "--repo", str(root)]
    result = subprocess.run(
        [sys.executable, "-c", _KILLED_AT_FSYNC, *args], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert hidden(folder) == []
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


# ----- the check-in against a check-in made meanwhile -------------------------------------------------
def test_a_checkin_made_between_the_check_and_the_naming_is_kept_and_reported(cli, copy_example, monkeypatch, route):
    """Another process writes the check-in after this one looked (none there) and before its file
    gets the name: the hook makes that happen right before the naming, every time."""
    root = copy_example("banco")
    target = root / NEW
    theirs = "# theirs\n"

    def plant() -> None:
        target.write_text(theirs, encoding="utf-8")

    if route == "unnamed":
        real_name = fsutil._name_open_file
        monkeypatch.setattr(fsutil, "_name_open_file", lambda fd, path: (plant(), real_name(fd, path))[1])
    else:
        real_move = fsutil._move_exclusive
        monkeypatch.setattr(fsutil, "_move_exclusive", lambda tmp, path: (plant(), real_move(tmp, path))[1])
    result = cli(*NEW_ARGS, "--repo", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: {NEW}: another check-in of 'discover' for {FRIDAY} was written meanwhile; yours was not written "
        "(run again with --amend to edit that one)\n"
    )
    assert target.read_text(encoding="utf-8") == theirs
    assert hidden(target.parent) == []


def test_a_checkin_that_the_disk_cannot_hold_leaves_nothing(cli, copy_example, monkeypatch, route):
    root = copy_example("banco")
    monkeypatch.setattr(os, "write", _fail(errno.ENOSPC))
    result = cli(*NEW_ARGS, "--repo", str(root))
    assert result.exit_code == 1
    assert result.stderr == f"okrctl: {NEW}: cannot be written: No space left on device; nothing was written\n"
    assert not (root / NEW).exists() and hidden(root / "checkins/discover") == []


# ----- leftovers of killed writes -------------------------------------------------------------------------
def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


def test_only_old_temporary_files_of_okrctls_own_pattern_are_removed(tmp_path):
    folder = tmp_path
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("elsewhere\n")
    names = {
        "old": ".2026-11-20.yaml.a1b2_c3d.tmp",
        "fresh": ".2026-11-27.yaml.zz99yy88.tmp",
        "short": ".2026-11-20.yaml.a1b2c3d.tmp",
        "no-dot": "2026-11-20.yaml.a1b2c3d4.tmp",
        "other-suffix": ".2026-11-20.yaml.a1b2c3d4.temp",
        "upper": ".2026-11-20.yaml.A1B2C3D4.tmp",
        "link": ".2026-11-13.yaml.l1nk2oth.tmp",
        "folder": ".2026-11-06.yaml.f0lder00.tmp",
        "two-names": ".2026-10-30.yaml.tw0names.tmp",
    }
    for key, name in names.items():
        path = folder / name
        if key == "link":
            path.symlink_to(outside)
        elif key == "folder":
            path.mkdir()
        else:
            path.write_text(f"{key}\n")
        if key == "two-names":
            os.link(path, folder / "kept-by-someone.txt")
        if key != "fresh":
            _age(path, 2 * HOUR)
    removed = fsutil.remove_stale_temporaries(folder)
    assert removed == [names["old"]]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [n for k, n in names.items() if k != "old"] + ["kept-by-someone.txt"]
    )
    assert outside.read_text() == "elsewhere\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
def test_a_temporary_file_of_another_user_is_left_alone(tmp_path):
    path = tmp_path / ".2026-11-20.yaml.a1b2c3d4.tmp"
    path.write_text("theirs\n")
    os.chown(path, 65534, 65534)
    _age(path, 2 * HOUR)
    assert fsutil.remove_stale_temporaries(tmp_path) == []
    assert path.exists()


@pytest.mark.parametrize("amend", [False, True], ids=["new", "amend"])
def test_a_checkin_tidies_what_killed_writes_left_in_its_folder_an_hour_ago(cli, copy_example, git_repo, amend):
    """What a check-in killed on a system without unnamed files leaves (the named temporary file),
    or one killed between naming and renaming: the next check-in into that folder removes it once
    it is an hour old, and commits a clean tree."""
    root = git_repo(copy_example("banco"))
    folder = root / "checkins/discover"
    old = folder / ".2026-11-20.yaml.k1ll3d00.tmp"
    fresh = folder / ".2026-11-20.yaml.und3rway.tmp"
    old.write_text("half a check-in")
    fresh.write_text("a write under way")
    _age(old, HOUR + 60)
    args = [a for a in (AMEND_ARGS if amend else NEW_ARGS) if a != "--no-commit"]
    result = cli(*args, "--repo", str(root))
    assert result.exit_code == 0, result.stderr
    assert hidden(folder) == [fresh.name]
    fresh.unlink()
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize("again", [False, True], ids=["new", "replacement"])
def test_measure_tidies_what_killed_writes_left_in_the_readings_folder(cli, copy_example, git_repo, tmp_path, again):
    """``measure`` writes the same way as a check-in, and tidies its folder the same way."""
    root = git_repo(copy_example("banco"))
    folder = root / "readings/discover"
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / ".2026-11-26.yaml.k1ll3d00.tmp"
    old.write_text("half a reading")
    _age(old, HOUR + 60)
    values = tmp_path / "kpis.csv"
    args = ["measure", "--repo", str(root), "--today", "2026-11-26", "--team", "discover", "--values-from"]
    if again:
        values.write_text("onboarding-completion,80\n")
        assert cli(*args, str(values)).exit_code == 0
        old.touch()  # the first write tidied it: plant it again
        _age(old, HOUR + 60)
    values.write_text("onboarding-completion,81\n")
    result = cli(*args, str(values))
    assert result.exit_code == 0, result.output
    assert hidden(folder) == []
    assert "onboarding-completion: 81" in (folder / "2026-11-26.yaml").read_text()


def test_a_file_the_repository_tracks_is_never_taken_for_a_leftover(cli, copy_example, git_repo):
    """A repository may commit a file named like okrctl's temporary files: it is the repository's."""
    root = git_repo(copy_example("banco"))
    folder = root / "checkins/discover"
    planted = folder / ".2026-11-20.yaml.pl4nt3d0.tmp"
    planted.write_text("committed by someone")
    git(root, "add", "-f", str(planted))
    git(root, "commit", "-qm", "a file named like a leftover")
    leftover = folder / ".2026-11-20.yaml.k1ll3d00.tmp"
    leftover.write_text("half a check-in")
    _age(planted, HOUR + 60)
    _age(leftover, HOUR + 60)
    result = cli(*NEW_ARGS, "--repo", str(root))
    assert result.exit_code == 0, result.stderr
    assert hidden(folder) == [planted.name]
    assert planted.read_text() == "committed by someone"
