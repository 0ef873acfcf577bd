"""Files okrctl writes (``--output``, check-ins) get ordinary permissions, not mkstemp's private 0600."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from okrctl.fsutil import atomic_write

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "report.html", "<p>hi</p>\n")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "report.html") == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    atomic_write(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert _mode(target) == 0o640


def _kept_owner() -> tuple[int, int] | None:
    """An owner and group of a file this user replaces that the new file can keep: another user's
    and another group as root, else this user's own and another of its groups; None without one."""
    if os.geteuid() == 0:
        return 1000, 33
    group = next((group for group in os.getgroups() if group != os.getegid()), None)
    return None if group is None else (os.geteuid(), group)


@pytest.mark.skipif(_kept_owner() is None, reason="this user may give a file no other group")
@pytest.mark.parametrize("way", ["unnamed", "named"])
@pytest.mark.parametrize("command", ["report", "codeowners", "schema"])
def test_output_over_a_file_keeps_its_owner_and_group_as_the_shells_redirection_does(
    cli, copy_example, git_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, way: str
) -> None:
    """``report -o pub/report.md`` over a report of 1000:33 (shared with a web server's group) at
    0640 kept the mode but made the file the process's own (0:0 as root): its owner and the group
    lost it, which ``> pub/report.md`` keeps. The new file keeps both, by either way of writing."""
    from okrctl import fsutil

    if way == "named":
        monkeypatch.setattr(fsutil, "_O_TMPFILE", None)
    owner = _kept_owner()
    assert owner is not None
    root = git_repo(copy_example("banco"))
    pub = tmp_path / "pub"
    pub.mkdir()
    target = pub / ("okrctl.schema.json" if command == "schema" else "out.txt")
    args = [command, *([] if command == "schema" else ["--repo", str(root)])]
    args += ["--output", str(pub if command == "schema" else target)]
    assert cli(*args).exit_code == 0
    written = target.read_text(encoding="utf-8")
    os.chown(target, *owner)
    target.chmod(0o640)
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    info = target.stat()
    assert (target.read_text(encoding="utf-8"), (info.st_uid, info.st_gid), _mode(target)) == (written, owner, 0o640)
    assert [p.name for p in pub.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_replaced_file_whose_owner_cannot_be_given_keeps_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user's file (only root may give it), a group the user is not in, a file system without
    owners: the new file has those the system gives, and still the mode of the one it replaces."""
    import errno

    def refused(*args: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    target = tmp_path / "report.html"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    monkeypatch.setattr(os, "chown", refused)
    atomic_write(target, "new\n")
    assert (target.read_text(encoding="utf-8"), _mode(target)) == ("new\n", 0o640)
