"""``--output`` to the names of a stream, to a file the system refuses, and ``schema --output`` to a
link to nothing: the stream is written where it stands, the refusal gives the system's reason for
the file named, the link is a usage error."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from okrctl import fsutil
from tests.conftest import DEMO_DAY, EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX streams and files")

BANCO = ["--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY]
ALIGN_JSON = ["align", *BANCO, "--format", "json"]


def okrctl_between(redirection: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``{ echo HEADER; okrctl ARGS; echo FOOTER; } REDIRECTION`` through ``sh``, as a script that
    sends a block of commands to one file."""
    script = '{ echo HEADER; "$0" -m okrctl "$@"; echo FOOTER; } ' + redirection
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(["sh", "-c", script, sys.executable, *args], capture_output=True, text=True, env=env)


def json_on_standard_output() -> str:
    """What ``align --format json`` prints on standard output."""
    plain = subprocess.run(
        [sys.executable, "-m", "okrctl", *ALIGN_JSON],
        capture_output=True,
        text=True,
        env={**os.environ, "OKRCTL_NO_CACHE": "1", "PYTHONPATH": str(ROOT)},
    )
    assert plain.returncode == 0, plain.stderr
    return plain.stdout


@pytest.mark.slow
@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "a link to /dev/stdout"])
def test_output_to_the_name_of_standard_output_writes_where_the_shell_sent_it(tmp_path, name):
    """``-o /dev/stdout`` with standard output sent to a file replaced that file: the shell's
    HEADER was lost and its FOOTER went to a deleted file. It is written to the stream as ``-o -``
    is, between the two."""
    if name.startswith("a link"):
        os.symlink("/dev/stdout", tmp_path / "out")
        name = str(tmp_path / "out")
    elif not os.path.exists(name):
        pytest.skip(f"no {name} on this system")
    target = tmp_path / "a.txt"
    result = okrctl_between(f'> "{target}"', *ALIGN_JSON, "-o", name)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert target.read_text() == "HEADER\n" + json_on_standard_output() + "FOOTER\n"


@pytest.mark.slow
def test_output_to_standard_error_and_to_an_appended_file_keeps_what_is_there(tmp_path):
    """``/dev/stderr`` sent to a file opened to append (``2>>``) is written at its end: the lines
    already in the file stay, the shell's own stay on standard output."""
    target = tmp_path / "log.txt"
    target.write_text("yesterday\n")
    result = okrctl_between(f'2>> "{target}"', *ALIGN_JSON, "-o", "/dev/stderr")
    assert result.returncode == 0
    assert result.stdout == "HEADER\nFOOTER\n"
    assert target.read_text() == "yesterday\n" + json_on_standard_output()


def test_output_to_a_descriptor_okrctl_opened_itself_is_refused_and_the_file_kept(tmp_path):
    """A ``/dev/fd/N`` the caller did not give (N a file okrctl itself has open, as its store was
    fd 3) replaced that file with the output; it is refused before anything is written."""
    if not os.path.isdir("/dev/fd"):
        pytest.skip("no /dev/fd on this system")
    own = tmp_path / "store.db"
    own.write_text("okrctl's own data\n")
    fd = os.open(own, os.O_RDWR)  # close-on-exec, as every file Python opens
    try:
        name = Path(f"/dev/fd/{fd}")
        refused = fsutil.output_refused(name)
        assert isinstance(refused, fsutil.OutputRefused)
        assert refused.strerror == f"descriptor {fd} is not one the caller gave okrctl"
        with pytest.raises(fsutil.OutputRefused):
            fsutil.write_output(name, "the output\n")
    finally:
        os.close(fd)
    assert own.read_text() == "okrctl's own data\n"


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """``folder`` as a small tmpfs holding ``old.txt``, then made read-only; skipped where mounting
    is not permitted (not root, a container without the capability)."""
    folder.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True, capture_output=True
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("cannot mount a tmpfs here")
    try:
        (folder / "old.txt").write_text("keep\n")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_output_over_a_file_of_a_read_only_file_system_gives_that_reason(cli, tmp_path):
    """An existing file on a read-only file system was "Permission denied" (a failed
    ``os.access`` taken for EACCES); it is the system's own reason, as for a new file there."""
    with read_only_folder(tmp_path / "ro") as folder:
        for name in ("old.txt", "new.txt"):
            result = cli(*ALIGN_JSON, "-o", str(folder / name))
            assert result.exit_code == 1
            assert result.stderr == (
                f"okrctl: {folder / name}: cannot be written: Read-only file system; nothing was written\n"
            )
        assert (folder / "old.txt").read_text() == "keep\n"
        assert not (folder / "new.txt").exists()


@pytest.mark.skipif(not os.path.isfile("/proc/version"), reason="no /proc/version on this system")
def test_output_over_a_file_whose_folder_takes_no_new_file_does_not_say_it_is_missing(cli):
    """``-o /proc/version`` said "No such file or directory" of a file that exists: the error of
    making its replacement beside it, in /proc. It says the folder refuses the new file (root may
    write the file; another user may not: "Permission denied")."""
    before = Path("/proc/version").read_text()
    result = cli(*ALIGN_JSON, "-o", "/proc/version")
    assert result.exit_code == 1
    if os.access("/proc/version", os.W_OK):
        reason = "okrctl replaces a file whole, and its folder refuses the new file (No such file or directory)"
    else:
        reason = "Permission denied"
    assert result.stderr == f"okrctl: /proc/version: cannot be written: {reason}; nothing was written\n"
    assert Path("/proc/version").read_text() == before


@pytest.mark.parametrize("under", ["", "sub"], ids=["the link", "a folder under it"])
def test_schema_output_to_a_link_to_nothing_is_a_usage_error_and_makes_nothing(cli, tmp_path, under):
    """``schema -o LINK`` with LINK a link to nothing said "cannot be written: File exists" (exit 1);
    it is refused as ``--output`` refuses such a link, and no folder is made where it points."""
    link = tmp_path / "sch"
    os.symlink(tmp_path / "nothing", link)
    folder = link / under if under else link
    result = cli("schema", "-o", str(folder))
    assert result.exit_code == 2
    named = "it" if not under else str(link)
    assert result.stderr == (
        f"okrctl: --output: cannot write to {folder}: {named} is a symbolic link to a folder that does not exist\n"
    )
    assert not (tmp_path / "nothing").exists()
    assert sorted(os.listdir(tmp_path)) == ["sch"]


def okrctl_redirected(redirection: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``okrctl ARGS REDIRECTION`` through ``sh``, so that ``>&-`` or ``2>&-`` can close a stream."""
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    script = '"$0" -m okrctl "$@" ' + redirection
    return subprocess.run(["sh", "-c", script, sys.executable, *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("name", ["//dev/stdout", "/dev/fd/1", "a link to /dev/stdout"])
def test_output_to_a_closed_standard_output_by_any_of_its_names_is_refused(tmp_path, name):
    """``-o //dev/stdout >&-`` or ``-o LINK >&-`` (LINK to /dev/stdout) wrote the output to the null
    device that holds the closed stream's place and ended with exit 0: the output lost, unsaid.
    Every name that leads to standard output is refused as ``/dev/stdout`` is."""
    if name.startswith("a link"):
        os.symlink("/dev/stdout", tmp_path / "out")
        name = str(tmp_path / "out")
    elif not os.path.exists(name):
        pytest.skip(f"no {name} on this system")
    result = okrctl_redirected(">&-", *ALIGN_JSON, "-o", name)
    assert result.returncode == 2
    assert result.stderr == f"okrctl: --output: cannot write {name}: standard output is closed\n"


@pytest.mark.parametrize("name", ["/dev/stderr", "/proc/self/fd/2", "a link to /dev/stderr"])
def test_output_to_a_closed_standard_error_is_exit_2_not_a_silent_success(tmp_path, name):
    """``-o /dev/stderr 2>&-`` ended with exit 0 and the output nowhere. Its line has nowhere to
    go either (standard error is closed); the exit code says it failed."""
    if name.startswith("a link"):
        os.symlink("/dev/stderr", tmp_path / "err")
        name = str(tmp_path / "err")
    elif not os.path.exists(name):
        pytest.skip(f"no {name} on this system")
    result = okrctl_redirected("2>&-", *ALIGN_JSON, "-o", name)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", "")


def test_a_draft_with_output_to_a_closed_standard_output_is_refused_before_it_is_written(copy_example):
    """``plan --write -o /dev/stdout >&-`` wrote the draft, then said only that standard output is
    closed: the next run was refused because the draft exists. It is refused before the draft."""
    root = copy_example("banco")
    args = ["plan", "--team", "cards", "--write", "--repo", str(root), "--today", "2026-11-27"]
    result = okrctl_redirected(">&-", *args, "-o", "/dev/stdout")
    assert result.returncode == 2
    assert (
        result.stderr == "okrctl: --output: cannot write /dev/stdout: standard output is closed; nothing was written\n"
    )
    assert not (root / "okrs" / "2027-Q1").exists()


@pytest.mark.parametrize("name", ["/dev/stdout", "a link to /dev/stdout"])
@pytest.mark.slow
def test_codeowners_to_the_name_of_standard_output_is_written_as_to_standard_output(tmp_path, name):
    """``{ echo HEADER; okrctl codeowners -o /dev/stdout; } > a.txt`` was refused: the file behind
    the stream, whose first line is the script's HEADER, was taken for someone else's CODEOWNERS.
    It is written where the stream stands, as ``-o -`` is."""
    if name.startswith("a link"):
        os.symlink("/dev/stdout", tmp_path / "out")
        name = str(tmp_path / "out")
    args = ["codeowners", "--repo", str(EXAMPLES / "banco")]
    expected = okrctl_between(f'> "{tmp_path / "b.txt"}"', *args, "-o", "-")
    assert expected.returncode == 0, expected.stderr
    result = okrctl_between(f'> "{tmp_path / "a.txt"}"', *args, "-o", name)
    assert (result.returncode, result.stderr) == (0, expected.stderr)
    written = (tmp_path / "a.txt").read_text()
    assert written == (tmp_path / "b.txt").read_text()
    assert written.startswith("HEADER\n# Written by `okrctl codeowners`") and written.endswith("FOOTER\n")


@pytest.mark.parametrize("folder", ["acme", "acme/team/okrs"], ids=["the link", "a folder under it"])
@pytest.mark.parametrize("example", [[], ["--example", "banco"]], ids=["new", "example"])
def test_init_on_a_link_to_nothing_is_a_usage_error_naming_the_link_and_makes_nothing(
    cli, tmp_path, monkeypatch, folder, example
):
    """``ln -s nowhere acme; okrctl init acme`` said "acme: cannot be written: File exists" (exit 1),
    which does not say why. It names the link, as ``schema -o`` does, and makes nothing."""
    monkeypatch.chdir(tmp_path)
    os.symlink("nowhere", "acme")
    result = cli("init", folder, *example)
    named = "it" if folder == "acme" else "acme"
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"okrctl: cannot create the repository in {folder}: {named} is a symbolic link to a folder that does "
        "not exist; nothing was written\n"
    )
    assert os.listdir(tmp_path) == ["acme"]


def through_a_link_to(tmp_path: Path, folder: str) -> str:
    """The name of descriptor 1 through a link ``LINK`` to ``folder``: ``LINK/1`` for the
    descriptors' folder, ``LINK/fd/1`` for ``/proc/self``; skipped where ``folder`` is not there."""
    if not os.path.isdir(folder):
        pytest.skip(f"no {folder} on this system")
    os.symlink(folder, tmp_path / "link")
    return str(tmp_path / "link" / ("fd/1" if folder == "/proc/self" else "1"))


FOLDERS = ["/proc/self/fd", "/proc/self", "/dev/fd"]


@pytest.mark.slow
@pytest.mark.parametrize("folder", FOLDERS)
def test_output_through_a_link_to_the_descriptors_folder_writes_where_the_shell_sent_it(tmp_path, folder):
    """``ln -s /proc/self/fd fds; { echo HEADER; okrctl ... -o fds/1; } > a.txt`` replaced a.txt:
    the link in the folder part was not followed to the descriptors' folder, and the name was taken
    for the file behind standard output. It is standard output, written between the two lines."""
    name = through_a_link_to(tmp_path, folder)
    target = tmp_path / "a.txt"
    result = okrctl_between(f'> "{target}"', *ALIGN_JSON, "-o", name)
    assert (result.returncode, result.stderr) == (0, "")
    assert target.read_text() == "HEADER\n" + json_on_standard_output() + "FOOTER\n"


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.slow
def test_output_through_a_link_to_the_descriptors_folder_of_a_closed_standard_output_is_refused(tmp_path, folder):
    """``-o fds/1 >&-`` (``fds`` a link to ``/proc/self/fd``) wrote to the null device that holds the
    closed stream's place, exit 0, the output lost. It is refused as ``-o /dev/stdout >&-`` is."""
    name = through_a_link_to(tmp_path, folder)
    result = okrctl_redirected(">&-", *ALIGN_JSON, "-o", name)
    assert result.returncode == 2
    assert result.stderr == f"okrctl: --output: cannot write {name}: standard output is closed\n"


def test_a_relative_link_in_a_folder_reached_through_a_link_starts_from_the_real_folder(tmp_path):
    """``x/y/a/out`` with ``x/y/a`` a link to ``real/deep`` and ``out`` a link to
    ``../../stdout``: the system reads ``..`` from ``real/deep``, reaching ``stdout`` (a link to
    ``/dev/stdout``); read from ``x/y/a`` as written, it led nowhere and the closed stream's output
    was lost (exit 0). It is standard output, refused when closed."""
    (tmp_path / "real" / "deep").mkdir(parents=True)
    (tmp_path / "x" / "y").mkdir(parents=True)
    os.symlink("/dev/stdout", tmp_path / "stdout")
    os.symlink("../../stdout", tmp_path / "real" / "deep" / "out")
    os.symlink(tmp_path / "real" / "deep", tmp_path / "x" / "y" / "a")
    name = str(tmp_path / "x" / "y" / "a" / "out")
    result = okrctl_redirected(">&-", *ALIGN_JSON, "-o", name)
    assert result.returncode == 2
    assert result.stderr == f"okrctl: --output: cannot write {name}: standard output is closed\n"
