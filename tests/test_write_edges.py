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


def test_output_under_a_file_is_refused(cli, tmp_path):
    (tmp_path / "file").write_text("x")
    result = cli("report", "--repo", BANCO, "--today", DEMO_DAY, "--output", str(tmp_path / "file" / "out.txt"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert (tmp_path / "file").read_text() == "x"


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


def _limited(args: list[str]) -> subprocess.CompletedProcess[str]:
    import resource
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (_SMALL, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "okrctl", *args], env=env, capture_output=True, text=True, preexec_fn=limit, check=False
    )


def test_a_checkin_the_disk_cannot_hold_names_the_checkin(copy_example):
    root = copy_example("banco")
    result = _limited([*CHECKIN_ARGS, "--repo", str(root)])
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"okrctl: {CHECKIN}: cannot be written: File too large; nothing was written\n"
    assert not (root / CHECKIN).exists()
    assert sorted(p.name for p in (root / "checkins/discover").iterdir() if p.name.startswith(".")) == []


def test_a_file_the_disk_cannot_hold_is_named_not_its_temporary_file(tmp_path):
    folder = tmp_path / "schema"
    folder.mkdir()
    result = _limited(["schema", "--kind", "Unit", "--output", str(folder)])
    assert result.returncode == 2
    assert result.stderr == f"okrctl: {folder / 'unit.schema.json'}: File too large\n"
    assert list(folder.iterdir()) == []
