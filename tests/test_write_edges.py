"""Writes on odd file systems and odd paths: no hard links, --output into nothing, a folder
that is a file, an ignored check-in path. Each ends with the file written whole or one clear line."""

from __future__ import annotations

import errno
import os
import subprocess
import threading
from pathlib import Path

import pytest

from okrctl import fsutil
from tests.conftest import DEMO_DAY, EXAMPLES, ROOT, git, without_privileges

BANCO = str(EXAMPLES / "banco")


# ----- no hard links (FAT/exFAT, network mounts) -------------------------------------------------------
# Such file systems have no unnamed files (O_TMPFILE) either: every write there takes the named
# temporary file's way, which these tests take by setting ``fsutil._O_TMPFILE`` to None.
@pytest.mark.parametrize("code", [errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EOPNOTSUPP, errno.ENOSYS])
@pytest.mark.parametrize("renameat2", [True, False], ids=["noreplace-rename", "exclusive-claim"])
def test_an_exclusive_write_works_without_hard_links(tmp_path, monkeypatch, code, renameat2):
    def no_link(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(fsutil, "_O_TMPFILE", None)
    monkeypatch.setattr(os, "link", no_link)
    if not renameat2:
        monkeypatch.setattr(fsutil, "_rename_noreplace", lambda source, target: False)
    target = tmp_path / "checkins" / "team" / "2026-11-20.yaml"
    fsutil.atomic_write(target, "first\n", exclusive=True)
    assert target.read_text() == "first\n"
    with pytest.raises(FileExistsError):
        fsutil.atomic_write(target, "second\n", exclusive=True)
    assert target.read_text() == "first\n"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left


@pytest.mark.parametrize("renameat2", [True, False], ids=["noreplace-rename", "exclusive-claim"])
def test_two_racing_exclusive_writers_without_hard_links_one_wins(tmp_path, monkeypatch, renameat2):
    monkeypatch.setattr(fsutil, "_O_TMPFILE", None)
    monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EPERM, "no links")))
    if not renameat2:
        monkeypatch.setattr(fsutil, "_rename_noreplace", lambda source, target: False)
    for round_ in range(20):
        target = tmp_path / f"round-{round_}.yaml"
        outcomes: list[str] = []
        start = threading.Barrier(2)

        def write(
            text: str, target: Path = target, start: threading.Barrier = start, outcomes: list[str] = outcomes
        ) -> None:
            start.wait()
            try:
                fsutil.atomic_write(target, text, exclusive=True)
                outcomes.append(text)
            except FileExistsError:
                outcomes.append("refused")

        threads = [threading.Thread(target=write, args=(f"writer {n}\n",)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [o for o in outcomes if o != "refused"]
        assert len(winners) == 1 and target.read_text() == winners[0]


def test_a_file_system_without_unix_modes_still_gets_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "chmod", lambda *a, **k: (_ for _ in ()).throw(PermissionError(errno.EPERM, "no modes")))
    monkeypatch.setattr(os, "fchmod", lambda *a, **k: (_ for _ in ()).throw(PermissionError(errno.EPERM, "no modes")))
    target = tmp_path / "out.yaml"
    fsutil.atomic_write(target, "text\n")
    assert target.read_text() == "text\n"


def test_a_checkin_without_hard_links_is_written_and_still_refuses_a_second_one(cli, copy_example, monkeypatch):
    root = copy_example("banco")
    monkeypatch.setattr(fsutil, "_O_TMPFILE", None)
    monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EPERM, "no links")))
    args = ["checkin", "--repo", str(root), "--today", "2026-11-21", "--team", "discover", "-c", "6", "--no-commit"]
    assert cli(*args).exit_code == 0
    assert (root / "checkins/discover/2026-11-21.yaml").read_text(encoding="utf-8").startswith("# GRIP check-in")
    again = cli(*args)
    assert again.exit_code == 1 and "already has a check-in" in again.stderr


# ----- --output --------------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["missing/report.md", "missing/deeper/report.md"])
def test_output_creates_no_missing_folder(cli, tmp_path, where):
    result = cli("report", "--repo", BANCO, "--today", DEMO_DAY, "--output", str(tmp_path / where))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "missing").exists()


def test_output_onto_a_file_its_user_may_not_write_is_refused_as_the_shell_refuses_it(cli, tmp_path, monkeypatch):
    """``--output report.md`` on a read-only file replaced it (the folder allowed the replacement),
    where ``> report.md`` says "Permission denied" and leaves it. Root may write any file, as the
    shell lets it: there the system's answer for a user who may not is stood in for."""
    import os

    target = tmp_path / "report.md"
    target.write_text("kept\n")
    target.chmod(0o444)
    if os.access(target, os.W_OK):  # root
        real = os.access
        monkeypatch.setattr(
            os, "access", lambda path, mode, **kw: False if str(path) == str(target) else real(path, mode, **kw)
        )
    result = cli("report", "--repo", BANCO, "--today", DEMO_DAY, "--output", str(target))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "Permission denied" in result.stderr and str(target) in result.stderr
    assert target.read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_output_under_a_file_is_refused(cli, tmp_path):
    (tmp_path / "file").write_text("x")
    result = cli("report", "--repo", BANCO, "--today", DEMO_DAY, "--output", str(tmp_path / "file" / "out.txt"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert (tmp_path / "file").read_text() == "x"


@pytest.mark.parametrize("command", [("align", "--format", "sarif"), ("report",), ("digest", "--format", "slack")])
def test_an_output_path_ending_in_a_slash_names_a_folder_and_writes_no_file(cli, tmp_path, command):
    """``--output out/`` for a folder that is not there, or ``--output notes.txt/`` on a file: the
    shell's ``>`` refuses both; okrctl once wrote a file ``out``, or replaced ``notes.txt``."""
    (tmp_path / "notes.txt").write_text("kept\n")
    for given, said in (
        (f"{tmp_path}/out/", "and there is none"),
        (f"{tmp_path}/notes.txt/", f"and {tmp_path}/notes.txt is no folder"),
    ):
        result = cli(*command, "--repo", BANCO, "--today", DEMO_DAY, "--output", given)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == (
            f"okrctl: --output: cannot write {given}: a path that ends in '/' names a folder, {said};"
            " nothing was written\n"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "kept\n"


@pytest.mark.parametrize("command", [("align", "--format", "sarif"), ("report",), ("digest", "--format", "slack")])
def test_an_output_path_ending_in_slash_dot_names_a_folder_too(cli, tmp_path, command):
    """``--output out/.`` or ``--output notes.txt/.`` names a folder as a trailing ``/`` does (the
    shell's ``>`` refuses both), but ``Path`` drops the ``.``: okrctl once wrote a file ``out``, or
    replaced ``notes.txt``. A folder so named is refused as a folder."""
    (tmp_path / "notes.txt").write_text("kept\n")
    (tmp_path / "folder").mkdir()
    for given, said in (
        (f"{tmp_path}/out/.", "a path that ends in '/.' names a folder, and there is none; nothing was written"),
        (f"{tmp_path}/notes.txt/.", f"a path that ends in '/.' names a folder, and {tmp_path}/notes.txt is no folder;"),
        (f"{tmp_path}/folder/.", "is a folder"),
    ):
        result = cli(*command, "--repo", BANCO, "--today", DEMO_DAY, "--output", given)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith("okrctl: --output: cannot write ") and said in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "kept\n" and not any((tmp_path / "folder").iterdir())


@pytest.mark.parametrize("pointing", ["missing.md", "../elsewhere/missing.md", "/nonexistent/x.md"])
def test_output_to_a_link_to_nothing_is_refused_and_the_link_kept(cli, tmp_path, pointing):
    link = tmp_path / "report.md"
    link.symlink_to(pointing)
    result = cli("report", "--repo", BANCO, "--today", DEMO_DAY, "--output", str(link))
    assert result.exit_code == 2
    assert "symbolic link to a file that does not exist" in result.stderr
    assert link.is_symlink() and os.readlink(link) == pointing


def test_output_through_a_link_to_a_file_still_writes_that_file(cli, tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old\n")
    (tmp_path / "link.md").symlink_to(real)
    result = cli(
        "report", "--repo", BANCO, "--today", DEMO_DAY, "--format", "markdown", "--output", str(tmp_path / "link.md")
    )
    assert result.exit_code == 0
    assert real.read_text(encoding="utf-8").startswith("# ") and (tmp_path / "link.md").is_symlink()


# ----- misleading messages --------------------------------------------------------------------------
@pytest.mark.parametrize("blocked", ["checkins/cards", "checkins"])
def test_a_file_where_the_checkin_folder_should_be_is_named(cli, copy_example, blocked):
    import shutil

    root = copy_example("banco")
    shutil.rmtree(root / blocked)
    (root / blocked).write_text("not a folder\n")
    result = cli("checkin", "--repo", str(root), "--today", "2026-11-21", "--team", "cards", "-c", "6", "--no-commit")
    assert result.exit_code == 1
    assert "is a file, not a folder" in result.stderr
    assert "--amend" not in result.stderr and "meanwhile" not in result.stderr


def test_an_ignored_checkin_path_says_it_is_ignored(cli, copy_example, git_repo):
    root = git_repo(copy_example("banco"))
    (root / ".gitignore").write_text("checkins/discover/2026-11-2*\n")
    git(root, "add", ".gitignore")
    git(root, "commit", "-q", "-m", "ignore")
    result = cli("checkin", "--repo", str(root), "--today", "2026-11-21", "--team", "discover", "-c", "6")
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "is ignored by git" in last and "check-ignore" in last
    assert "hint:" not in result.stderr
    assert (root / "checkins/discover/2026-11-21.yaml").exists()
    assert git(root, "status", "--porcelain") == ""  # nothing staged behind the user's back


# ----- a file system that refuses the write ------------------------------------------------------------
CHECKIN = "checkins/discover/2026-11-21.yaml"
CHECKIN_ARGS = ["checkin", "--today", "2026-11-21", "--team", "discover", "-c", "6", "--no-commit"]


def test_a_checkin_into_a_folder_that_cannot_be_searched_is_refused_like_a_write(copy_example, tmp_path):
    """Whether a file holds the check-in's place cannot be known: refused with the check-in's path,
    exit 1, as a write the file system refuses (it was an exit 2 naming the absolute path)."""
    import sys

    root = copy_example("banco")
    folder = root / "checkins/discover"
    folder.chmod(0)
    try:
        env = {**os.environ, "OKRCTL_NO_CACHE": "1", "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [*without_privileges(), sys.executable, "-m", "okrctl", *CHECKIN_ARGS, "--repo", str(root)],
            capture_output=True,
            text=True,
            env=env,
        )
        assert result.returncode == 1
        assert result.stderr == f"okrctl: {CHECKIN}: cannot be written: Permission denied; nothing was written\n"
    finally:
        folder.chmod(0o755)
    assert sorted(p.name for p in folder.iterdir())[-1] == "2026-11-20.yaml"


def test_a_reading_into_a_folder_that_cannot_be_searched_is_refused_like_a_write(copy_example, tmp_path):
    """``measure`` as ``checkin``: the reading's path, exit 1 (it was an exit 2 naming the absolute
    path)."""
    import sys

    root = copy_example("banco")
    folder = root / "readings" / "discover"
    folder.mkdir(parents=True)
    values = tmp_path / "kpis.csv"
    values.write_text("onboarding-completion,81\n", encoding="utf-8")
    folder.chmod(0)
    try:
        env = {**os.environ, "OKRCTL_NO_CACHE": "1", "PYTHONPATH": str(ROOT)}
        args = ["measure", "--today", "2026-11-20", "--team", "discover", "--values-from", str(values)]
        result = subprocess.run(
            [*without_privileges(), sys.executable, "-m", "okrctl", *args, "--repo", str(root)],
            capture_output=True,
            text=True,
            env=env,
        )
        assert result.returncode == 1, result.stderr
        assert result.stderr == (
            "okrctl: readings/discover/2026-11-20.yaml: cannot be written: Permission denied; nothing was written\n"
        )
    finally:
        folder.chmod(0o755)
    assert list(folder.iterdir()) == []


def test_a_checkin_into_a_read_only_folder_names_the_checkin(cli, copy_example):
    root = copy_example("banco")
    folder = root / "checkins/discover"
    folder.chmod(0o555)
    try:
        try:
            (folder / "probe").touch()
        except PermissionError:
            pass
        else:  # root writes anywhere: no read-only folder to meet (the next test needs no privileges)
            (folder / "probe").unlink()
            pytest.skip("a read-only folder does not stop this user (root)")
        result = cli(*CHECKIN_ARGS, "--repo", str(root))
        assert result.exit_code == 1
        assert result.stderr == f"okrctl: {CHECKIN}: cannot be written: Permission denied; nothing was written\n"
        assert not (root / CHECKIN).exists()
        assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    finally:
        folder.chmod(0o755)


# The largest file this process may write (RLIMIT_FSIZE): what a full disk does to a write, for any
# user, root too. The check-in is longer, so its write fails ("File too large").
_SMALL = 64


def _limited(args: list[str], size: int = _SMALL, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    import resource
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "okrctl", *args],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        check=False,
        cwd=cwd,
    )


def test_a_checkin_the_disk_cannot_hold_names_the_checkin(copy_example):
    root = copy_example("banco")
    result = _limited([*CHECKIN_ARGS, "--repo", str(root)])
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"okrctl: {CHECKIN}: cannot be written: File too large; nothing was written\n"
    assert not (root / CHECKIN).exists()
    assert sorted(p.name for p in (root / "checkins/discover").iterdir() if p.name.startswith(".")) == []


def test_a_git_add_the_file_size_limit_kills_is_said_so_with_the_lock_it_left(copy_example, git_repo, cli):
    """Under ``ulimit -f`` the check-in (600 bytes) is written, but the ``git add`` that writes the
    index (8 KB) dies of SIGXFSZ without a word and leaves .git/index.lock: the line said "git add
    refused …: no message from git", and the --amend it advised waited 10 seconds on that lock
    before naming it. The line names the signal and the lock; once the lock is gone, --amend
    commits the check-in."""
    root = git_repo(copy_example("banco"))
    before = git(root, "rev-parse", "HEAD")
    args = ["checkin", "--today", "2026-11-21", "--team", "discover", "-c", "6"]
    result = _limited(args, 4096, cwd=root)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"okrctl: git add refused {CHECKIN}: git was killed by signal SIGXFSZ (file size limit exceeded) and left "
        f".git/index.lock behind (remove it if no git command is running); {CHECKIN} is written and left "
        "uncommitted (once the cause is fixed, okrctl checkin --amend (same team and date) commits it)\n"
    )
    assert (root / CHECKIN).is_file()
    (root / ".git/index.lock").unlink()
    amend = cli(*args, "--amend", "--repo", str(root))
    assert amend.exit_code == 0, amend.stderr
    assert git(root, "rev-parse", "HEAD~") == before
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == [CHECKIN]


@pytest.mark.parametrize("command", ["checkin", "measure"])
def test_a_commit_a_signal_kills_is_said_so_with_the_lock_it_left_at_once(
    cli, copy_example, git_repo, tmp_path, monkeypatch, command
):
    """A git commit killed by a signal (the OOM killer's SIGKILL; here its pre-commit hook sends
    it) says nothing and leaves .git/index.lock: the line said "no message from git", after 10
    seconds spent waiting for that lock to take the file out of the index again. It names the
    signal and the lock, and tries the index once."""
    root = git_repo(copy_example("banco"))
    hook = root / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\nkill -KILL $PPID\n", encoding="utf-8")
    hook.chmod(0o755)
    monkeypatch.chdir(root)  # (the lock is named from where okrctl runs)
    if command == "checkin":
        rel, again = CHECKIN, "okrctl checkin --amend (same team and date) commits it"
        result = cli("checkin", "--today", "2026-11-21", "--team", "discover", "-c", "6")
    else:
        values = tmp_path / "kpis.csv"
        values.write_text("kr,value\nonboarding-completion,81\n", encoding="utf-8")
        rel, again = "readings/discover/2026-11-26.yaml", "the same measure again commits it"
        flags = ["--team", "discover", "--values-from", str(values), "--today", "2026-11-26", "--commit"]
        result = cli("measure", *flags)
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: git commit of {rel} failed: git was killed by signal SIGKILL (killed) and left .git/index.lock "
        f"behind (remove it if no git command is running) (and git could not take it out of the index again: "
        f"git rm --cached -- {rel}); {rel} is written and left uncommitted (once the cause is fixed, {again})\n"
    )
    assert (root / ".git/index.lock").exists()


def test_a_file_the_disk_cannot_hold_is_named_not_its_temporary_file(tmp_path):
    folder = tmp_path / "schema"
    folder.mkdir()
    result = _limited(["schema", "--kind", "Unit", "--output", str(folder)])
    assert result.returncode == 1
    assert result.stderr == (
        f"okrctl: {folder / 'unit.schema.json'}: cannot be written: File too large; nothing was written\n"
    )
    assert list(folder.iterdir()) == []


# ----- every write the file system refuses: exit 1, one line, nothing written ---------------------------
# SPEC §4 keeps exit 2 for usage errors and a repository that cannot be found: a file that cannot be
# written is exit 1, named with the system's reason, as a check-in's is ("cannot be written: …;
# nothing was written"). plan --write, measure, schema --output, init and site once ended with exit 2
# and the bare system error (`okrctl: /…/okrs/2027-Q1: Read-only file system`).
AFTER_Q4 = "2027-01-08"
WRITERS = ["plan", "retro", "measure", "schema", "init", "site"]


def _writer(command: str, tmp_path: Path) -> tuple[list[str], str, Path]:
    """A writing command on a copy of banco: its arguments, the path its message names, and the
    file or folder it would create."""
    import shutil

    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root, ignore=shutil.ignore_patterns(".okrctl-cache"))
    values = tmp_path / "kpis.csv"
    values.write_text("kr,value\nonboarding-completion,81\n", encoding="utf-8")
    repo = ["--repo", str(root)]
    reading = "readings/discover/2026-11-26.yaml"
    measure = ["measure", *repo, "--team", "discover", "--values-from", str(values), "--today", "2026-11-26"]
    retro = ["retro", *repo, "--team", "cards", "--stage", "end", "--today", AFTER_Q4, "--write"]
    schemas, new, site = tmp_path / "schemas", tmp_path / "new", tmp_path / "site"
    return {
        "plan": (["plan", *repo, "--team", "cards", "--today", DEMO_DAY, "--write"], "okrs/2027-Q1/cards.yaml", root),
        "retro": (retro, "retros/2026-Q4/cards-end.yaml", root),
        "measure": (measure, reading, root),
        "schema": (["schema", "--output", str(schemas)], str(schemas / "config.schema.json"), schemas),
        "init": (["init", str(new), "--no-commit"], str(new), new),
        "site": (["site", str(site), *repo, "--today", DEMO_DAY, "--no-history"], str(site), site),
    }[command]


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize("command", WRITERS)
def test_a_write_on_a_read_only_file_system_is_exit_1_naming_the_path(cli, tmp_path, monkeypatch, command):
    """A read-only file system under ``tmp_path``: making a folder or writing a file there fails
    with EROFS (chmod does not stop root, who runs these tests)."""
    args, named, where = _writer(command, tmp_path)
    before = _files(where)

    def refused(path: object) -> OSError:
        return OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    real_mkdir = os.mkdir

    def mkdir(path, *rest, **kwargs):
        if str(path).startswith(str(tmp_path)):
            raise refused(path)
        return real_mkdir(path, *rest, **kwargs)

    def atomic_write(path, text, **kwargs):
        raise refused(path)

    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(fsutil, "atomic_write", atomic_write)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"okrctl: {named}: cannot be written: Read-only file system; nothing was written\n"
    assert _files(where) == before


@pytest.mark.parametrize("command", ["measure", "schema", "init", "site"])
def test_a_file_where_a_folder_must_be_is_exit_1_and_nothing_is_written(cli, tmp_path, command):
    """A regular file stands where the command must make a folder (any user, root too): exit 1,
    one line naming the path, nothing written. (plan --write and checkin: tests/test_plan.py, above.)"""
    args, named, where = _writer(command, tmp_path)
    blocking = where / "readings" if command == "measure" else where.parent / "file"
    blocking.write_text("not a folder\n", encoding="utf-8")
    if command != "measure":  # the output goes under the file
        args = [str(blocking / where.name) if a == str(where) else a for a in args]
        named = named.replace(str(where), str(blocking / where.name))
    before = _files(tmp_path / "banco")
    result = cli(*args)
    assert result.exit_code == 1, result.output
    expected = {
        "measure": f"readings: is a file, not a folder, so {named} cannot be written there; nothing was written "
        "(move that file away)",
        "schema": f"{named}: cannot be written: Not a directory; nothing was written",
        "init": f"{named}: cannot be written: Not a directory; nothing was written",
        "site": f"{blocking}: is a file, not a folder, so the site cannot be written there; nothing was written "
        "(move that file away)",
    }[command]
    assert result.stderr == f"okrctl: {expected}\n"
    assert blocking.read_text(encoding="utf-8") == "not a folder\n"
    assert _files(tmp_path / "banco") == before


@pytest.mark.parametrize("command", ["codeowners", "report", "align"])
def test_an_output_the_disk_cannot_hold_is_exit_1_naming_it(cli, command):
    """--output a file system refuses (here /dev/full: no space left) is exit 1 like any write; a
    path that cannot be an output (a folder, a missing folder) stays a usage error (exit 2). (banco
    has no finding: ``align``'s text is empty, which even a full disk takes, so JSON is written.)"""
    extra = ["--format", "json"] if command == "align" else []
    result = cli(command, "--repo", BANCO, "--today", DEMO_DAY, *extra, "--output", "/dev/full")
    assert result.exit_code == 1
    assert result.stderr == "okrctl: /dev/full: cannot be written: No space left on device; nothing was written\n"


def test_an_output_device_that_takes_part_of_the_report_says_how_much(cli, monkeypatch):
    """--output to a device or pipe is written in place: when the system takes the first bytes and
    refuses the rest, the message says how many went out instead of "nothing was written"."""
    real_write = os.write
    taken = []

    def takes_100_bytes(fd, data):
        if sum(taken) >= 100:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        taken.append(real_write(fd, bytes(data[: 100 - sum(taken)])))
        return taken[-1]

    # --no-history: git is not asked (its input, a commit's hash, goes through os.write too).
    args = ["align", "--repo", BANCO, "--today", DEMO_DAY, "--no-history", "--format", "json"]
    total = len(cli(*args).stdout.encode())
    monkeypatch.setattr(os, "write", takes_100_bytes)
    result = cli(*args, "--output", "/dev/null")
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: /dev/null: cannot be written: No space left on device; only 100 of {total} bytes were written\n"
    )


def test_init_stopped_midway_says_how_many_files_it_wrote(cli, tmp_path, monkeypatch):
    """A write refused after others: not "nothing was written", but how many, and that a second
    init finishes the repository."""
    real = fsutil.atomic_write
    calls: list[str] = []

    def atomic_write(path, text, **kwargs):
        calls.append(str(path))
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, text, **kwargs)

    monkeypatch.setattr(fsutil, "atomic_write", atomic_write)
    new = tmp_path / "new"
    result = cli("init", str(new), "--no-commit")
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: {calls[2]}: cannot be written: No space left on device; init stopped after writing 2 files "
        "(run it again once that is fixed: it keeps them and finishes the repository)\n"
    )
    assert not (new / "okrctl.yaml").exists()
    monkeypatch.setattr(fsutil, "atomic_write", real)
    again = cli("init", str(new), "--no-commit")
    assert again.exit_code == 0, again.output
    assert (new / "okrctl.yaml").is_file()


@pytest.mark.parametrize("command", [w for w in WRITERS if w != "site"])  # a site is built aside and swapped in
def test_a_write_on_a_full_disk_leaves_no_empty_folder_behind(cli, tmp_path, monkeypatch, command):
    """A full disk: folders can still be made, files cannot be written. "Nothing was written" is
    true: the folders made for the file are taken away again (readings/discover/, okrs/2027-Q1/,
    the schema folder)."""
    args, _named, where = _writer(command, tmp_path)
    before = _files(where)
    existed = where.exists()

    def atomic_write(path, text, **kwargs):
        Path(path).parent.mkdir(parents=True, exist_ok=True)  # as the real one does before writing
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(fsutil, "atomic_write", atomic_write)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith("cannot be written: No space left on device; nothing was written\n")
    assert _files(where) == before
    assert where.exists() == existed


@pytest.mark.parametrize("command", [w for w in WRITERS if w != "site"])  # (test_site.py: a signal mid-build)
def test_a_signal_before_the_file_is_written_leaves_no_folder_behind(cli, tmp_path, monkeypatch, command):
    """Ctrl-C or a cancelled job as the file is written, before it has its name: the bare line,
    and nothing left, not even the folders made for it (measure left readings/discover/, init the
    folder of the new repository)."""
    args, _named, where = _writer(command, tmp_path)
    before = _files(where)
    existed = where.exists()

    def atomic_write(path, text, **kwargs):
        Path(path).parent.mkdir(parents=True, exist_ok=True)  # as the real one does before writing
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil, "atomic_write", atomic_write)
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (130, "okrctl: interrupted\n")
    assert _files(where) == before
    assert where.exists() == existed


def test_schema_output_stopped_midway_says_how_many_files_it_wrote(cli, tmp_path, monkeypatch):
    """Stopped after two of its files: the bare "interrupted" said nothing of them."""
    assert cli("schema", "--output", str(tmp_path / "all")).exit_code == 0
    total = len(list((tmp_path / "all").iterdir()))
    real = fsutil.atomic_write
    calls: list[str] = []

    def atomic_write(path, text, **kwargs):
        calls.append(str(path))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(path, text, **kwargs)

    monkeypatch.setattr(fsutil, "atomic_write", atomic_write)
    result = cli("schema", "--output", str(tmp_path / "schemas"))
    assert result.exit_code == 130
    assert result.stderr == (
        f"okrctl: interrupted; 2 of {total} schema files are written (run it again to write them all)\n"
    )
    assert len(list((tmp_path / "schemas").iterdir())) == 2


@pytest.mark.parametrize("stopped_at", [1, 3, 8])
def test_schema_output_stopped_once_a_file_has_its_name_counts_it(cli, tmp_path, monkeypatch, stopped_at):
    """Ctrl-C while a file's folder is synced, the file written: it was not counted ("2 of 8" with
    3 files there), and stopped so at the first file, the line was the bare one and the folder and
    that file stayed. The line counts the files on disk; all of them, it says they are written."""
    assert cli("schema", "--output", str(tmp_path / "all")).exit_code == 0
    total = len(list((tmp_path / "all").iterdir()))
    assert total == 8
    out = tmp_path / "schemas"
    real = fsutil.sync_folder
    synced: list[Path] = []

    def sync_folder(folder: Path) -> None:
        real(folder)
        if Path(folder) == out:
            synced.append(Path(folder))
            if len(synced) == stopped_at:
                raise KeyboardInterrupt

    monkeypatch.setattr(fsutil, "sync_folder", sync_folder)
    result = cli("schema", "--output", str(out))
    assert result.exit_code == 130
    assert len(list(out.iterdir())) == stopped_at
    if stopped_at < total:
        said = f"{stopped_at} of {total} schema files are written (run it again to write them all)"
    else:
        said = f"the schema files are written all the same (wrote {total} schema files to {out})"
    assert result.stderr == f"okrctl: interrupted; {said}\n"


@pytest.mark.parametrize("replaced", [False, True], ids=["new", "added-to"])
def test_a_signal_once_the_reading_has_its_name_says_it_is_written(cli, tmp_path, monkeypatch, replaced):
    """Ctrl-C while the reading's folder is synced, the file written: the line was the bare
    "interrupted", as though nothing was; it says what ``plan --write`` says of its draft."""
    args, reading, root = _writer("measure", tmp_path)
    if replaced:
        assert cli(*args).exit_code == 0
        (tmp_path / "kpis.csv").write_text("kr,value\ntutorial-engagement,30\n", encoding="utf-8")
    real = fsutil.sync_folder

    def sync_folder(folder: Path) -> None:
        real(folder)
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil, "sync_folder", sync_folder)
    result = cli(*args)
    assert result.exit_code == 130
    done = "updated" if replaced else "wrote"
    assert result.stderr == f"okrctl: interrupted; the reading is written all the same ({done} {reading})\n"
    text = (root / reading).read_text(encoding="utf-8")
    assert "onboarding-completion" in text and ("tutorial-engagement" in text) == replaced


@pytest.mark.parametrize(
    ("pattern", "args", "what"),
    [
        ("checkins/discover/2026-11-2*", ["checkin", "--team", "discover", "-c", "3", "--no-commit"], "the check-in"),
        ("readings/**", ["measure", "--team", "discover", "--values-from", "VALUES"], "the reading"),
        ("okrs/2027-Q1/*", ["plan", "--team", "cards", "--cycle", "2027-Q1", "--write"], "the draft objective"),
    ],
    ids=["checkin", "measure", "plan"],
)
def test_a_file_the_config_excludes_is_not_written_for_nothing(
    cli, copy_example, tmp_path, pattern, args, what
) -> None:
    """The check-in was written, and its status printed, though no view would ever count it; a
    reading no view used; a draft align never checked."""
    root = copy_example("banco")
    with (root / "okrctl.yaml").open("a", encoding="utf-8") as config:
        config.write(f'exclude: ["{pattern}"]\n')
    values = tmp_path / "kpis.csv"
    values.write_text("onboarding-completion,88\n", encoding="utf-8")
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    result = cli(*[str(values) if a == "VALUES" else a for a in args], "--repo", str(root), "--today", "2026-11-27")
    assert result.exit_code == 1, result.stdout
    assert (
        f"matches the exclude pattern '{pattern}', so okrctl would never read {what}; nothing was written"
        in result.stderr
    )
    assert result.stderr.startswith("okrctl: okrctl.yaml:") and len(result.stderr.splitlines()) == 1
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == before


def test_a_check_in_written_through_a_link_into_an_excluded_folder_is_refused(cli, copy_example) -> None:
    """`checkins/discover` linked to `store/discover`, and `store/**` excluded: the check-in landed
    where okrctl never reads, and status said "last check-in never"."""
    root = copy_example("banco")
    (root / "store").mkdir()
    (root / "checkins" / "discover").rename(root / "store" / "discover")
    (root / "checkins" / "discover").symlink_to(Path("..") / "store" / "discover")
    with (root / "okrctl.yaml").open("a", encoding="utf-8") as config:
        config.write('exclude: ["store/**"]\n')
    result = cli(
        "checkin", "--team", "discover", "-c", "7", "--no-commit", "--repo", str(root), "--today", "2026-11-27"
    )
    assert result.exit_code == 1, result.stdout
    assert (
        "checkins/discover/2026-11-27.yaml, written through a link to store/discover/2026-11-27.yaml, matches"
        in result.stderr
    )
    assert not (root / "store" / "discover" / "2026-11-27.yaml").exists()


def test_amending_an_excluded_check_in_says_it_is_excluded(cli, copy_example) -> None:
    """An excluded check-in is never loaded: --amend said "holds no valid check-in … run 'okrctl
    align'", and align shows nothing of it."""
    root = copy_example("banco")
    with (root / "okrctl.yaml").open("a", encoding="utf-8") as config:
        config.write('exclude: ["checkins/discover"]\n')
    args = ("--team", "discover", "--date", "2026-11-20", "--amend", "-c", "6", "--no-commit")
    result = cli("checkin", *args, "--repo", str(root), "--today", "2026-11-27")
    assert result.exit_code == 1
    assert "matches the exclude pattern 'checkins/discover', so okrctl would never read the check-in" in result.stderr


# ----- links a checkout holds ---------------------------------------------------------------------
def _checkout_with_links(copy_example, git_repo, tmp_path: Path) -> tuple[Path, Path, Path]:
    """banco as a git checkout whose last commit planted a link to a file outside it and a link to
    a folder outside it (what a merge request can commit)."""
    outside = tmp_path / "home"
    outside.mkdir()
    (outside / ".profile").write_text("export PATH=/usr/bin\n")
    (outside / "report.md").write_text("precious\n")
    repo = copy_example("banco")
    (repo / "gl-code-quality-report.json").symlink_to("../home/.profile")
    (repo / "okrctl-out").symlink_to("../home")
    git_repo(repo)
    return repo, outside / ".profile", outside / "report.md"


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["align", "--format", "gitlab", "--output", "gl-code-quality-report.json"], "profile"),
        (["report", "--format", "markdown", "--output", "okrctl-out/report.md"], "report"),
        (["codeowners", "--output", "okrctl-out/report.md"], "report"),
        (["diff", "HEAD", "--format", "markdown", "--output", "gl-code-quality-report.json"], "profile"),
    ],
)
def test_output_never_writes_through_a_link_the_checkout_holds(cli, copy_example, git_repo, tmp_path, args, target):
    repo, profile, report = _checkout_with_links(copy_example, git_repo, tmp_path)
    before = {profile: profile.read_text(), report: report.read_text()}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        result = cli(*args, "--today", DEMO_DAY)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("okrctl: --output: cannot write ") and result.stderr.count("\n") == 1
    assert "is a symbolic link a commit put in the checkout; okrctl never writes through one" in result.stderr
    assert {path: path.read_text() for path in before} == before  # nothing outside was touched
    assert (repo / "gl-code-quality-report.json").is_symlink() and (repo / "okrctl-out").is_symlink()


def test_schema_files_are_never_written_through_a_folder_link_of_a_checkout(cli, tmp_path, git_repo):
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (repo / "schemas").symlink_to("../elsewhere")
    git_repo(repo)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        result = cli("schema", "--output", "schemas")
    assert result.exit_code == 2
    assert "schemas is a symbolic link a commit put in the checkout" in result.stderr
    assert not any((tmp_path / "elsewhere").iterdir())
    # Named by the folder it points to, the schema is written.
    assert cli("schema", "--output", str(tmp_path / "elsewhere")).exit_code == 0
    assert (tmp_path / "elsewhere" / "okrctl.schema.json").is_file()


def test_output_follows_a_link_of_the_users_own_that_git_does_not_track(cli, copy_example, git_repo, tmp_path):
    """A link in a checkout that no commit put there (a build tool's, a home folder kept in git)
    is the user's: written through, as ``>`` would."""
    repo = git_repo(copy_example("banco"))
    (tmp_path / "shared").mkdir()
    (repo / "reports").symlink_to(tmp_path / "shared")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        result = cli("report", "--today", DEMO_DAY, "--format", "markdown", "--output", "reports/okr.md")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "shared" / "okr.md").read_text(encoding="utf-8").startswith("# ")


def test_output_through_a_committed_link_and_back_up_is_refused(cli, copy_example, git_repo, tmp_path):
    """``okrctl-out/../.profile`` goes through the committed link ``okrctl-out`` (the system follows
    it before ``..``): refused like ``okrctl-out/report.md``; so is a site built below it."""
    repo, profile, _report = _checkout_with_links(copy_example, git_repo, tmp_path)
    before = profile.read_text()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        result = cli("align", "--today", DEMO_DAY, "-f", "json", "--output", "okrctl-out/../home/.profile")
        site = cli("site", "okrctl-out/site", "--today", DEMO_DAY, "--no-history")
    assert result.exit_code == 2 and "okrctl-out is a symbolic link a commit put in the checkout" in result.stderr
    assert profile.read_text() == before
    assert site.exit_code == 2 and "okrctl-out is a symbolic link a commit put in the checkout" in site.stderr
    assert not (tmp_path / "home" / "site").exists()


@pytest.mark.parametrize(
    ("command", "what", "written"),
    [
        (["plan", "--team", "cards"], "the draft objective", "okrs/2027-Q1/cards.yaml"),
        (["retro", "--team", "cards", "--stage", "mid"], "the retro", "retros/2026-Q4/cards-mid.yaml"),
    ],
)
def test_an_output_the_disk_refuses_after_a_written_file_says_the_file_is_written(
    cli, copy_example, command, what, written
):
    """``plan --write`` and ``retro --write`` write their file, then the view to ``--output``: when the
    file system refuses that output (here /dev/full), the line says the file is written all the same,
    so that nobody runs the command again to be refused because it exists."""
    repo = copy_example("banco")
    result = cli(*command, "--repo", str(repo), "--today", DEMO_DAY, "--write", "--output", "/dev/full")
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: /dev/full: cannot be written: No space left on device; {what} is written all the same "
        f"(wrote {written})\n"
    )
    assert (repo / written).is_file()
