"""Odd standard streams and Ctrl-C at start-up: one line and an exit code, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from okrctl.load.store import store_name
from tests.conftest import DEMO_DAY, EXAMPLES, ROOT, git


def okrctl_sh(
    shell_tail: str, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, shell: str = "sh"
):
    """``python -m okrctl ARGS`` through ``sh`` so that a redirection such as ``>&-`` can close a stream."""
    command = '"$0" -m okrctl "$@" ' + shell_tail
    full_env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [shell, "-c", command, sys.executable, *args], capture_output=True, text=True, env=full_env, cwd=cwd
    )


BANCO = ["--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY]


@pytest.mark.parametrize("command", [["status"], ["align", "--format", "json"], ["rules"], ["--version"]])
def test_a_closed_standard_output_is_one_line_and_exit_2(command):
    result = okrctl_sh(">&-", *command, *(BANCO if command[0] in ("status", "align") else []))
    assert result.returncode == 2
    assert result.stderr == "okrctl: standard output is closed\n"


@pytest.mark.slow
def test_a_closed_standard_output_is_refused_when_there_is_nothing_to_write(tmp_path):
    """``align`` with no finding writes nothing: with standard output closed it exited 0, the one
    command that did. It is one line and exit 2 as for every other; ``-o FILE`` is written as ever."""
    args = ["align", "--format", "concise", *BANCO]
    assert okrctl_sh("", *args).stdout == ""  # no finding
    result = okrctl_sh(">&-", *args)
    assert (result.returncode, result.stderr) == (2, "okrctl: standard output is closed\n")
    to_a_file = okrctl_sh(">&-", *args, "-o", str(tmp_path / "findings.txt"))
    assert (to_a_file.returncode, to_a_file.stderr) == (0, "")
    assert (tmp_path / "findings.txt").read_text() == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "command", [["status"], ["align", "--format", "json"], ["rules"], ["schema"], ["--version"], ["--help"]]
)
@pytest.mark.slow
def test_standard_output_on_a_full_disk_is_one_line_naming_it_and_exit_2(command):
    result = okrctl_sh(">/dev/full", *command, *(BANCO if command[0] in ("status", "align") else []))
    assert result.returncode == 2
    assert result.stderr == "okrctl: cannot write to standard output: No space left on device\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_checkin_written_to_a_full_standard_output_says_it_is_saved(copy_example, git_repo):
    """The check-in is written and committed before its summary is printed: the one line says so,
    or the user would run it again and be refused because it exists."""
    root = git_repo(copy_example("banco"))
    day = "2026-11-27"  # a Friday after the example's last check-ins
    args = ["checkin", "--team", "discover", "-c", "7", "--repo", str(root), "--today", day, "--date", day]
    result = okrctl_sh(">/dev/full", *args)
    assert result.returncode == 2
    sha = git(root, "rev-parse", "--short=7", "HEAD").strip()
    assert git(root, "log", "-1", "--format=%s").startswith("checkin(discover):")
    assert result.stderr == (
        "okrctl: cannot write to standard output: No space left on device; the check-in is saved all the same "
        f"(wrote checkins/discover/{day}.yaml; committed {sha} " + git(root, "log", "-1", "--format=%s").strip() + ")\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    ("args", "code"),
    [(["status", *BANCO], 2), (["status", "--bogus"], 2), (["align", "--repo", "/nonexistent/okrs"], 2)],
    ids=["output", "usage", "input"],
)
def test_both_streams_on_a_full_disk_still_give_the_exit_code(args, code):
    """With standard error full as well, the one line could not be written, and the exception that
    said so ended the process with Python's exit code 1 ("lost sys.stderr"): read as "refused because
    of the repository" by a script. The line is dropped; the exit code stays what it says."""
    result = okrctl_sh(">/dev/full 2>/dev/full", *args)
    assert result.returncode == code


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_checkin_saved_with_both_streams_full_exits_2(copy_example, git_repo):
    root = git_repo(copy_example("banco"))
    day = "2026-11-27"
    args = ["checkin", "--team", "cards", "-c", "6", "--repo", str(root), "--today", day, "--date", day]
    result = okrctl_sh(">/dev/full 2>/dev/full", *args)
    assert result.returncode == 2  # saved all the same: "do not run it again", not "refused"
    assert git(root, "log", "-1", "--format=%s").startswith("checkin(cards):")


FULL = "okrctl: cannot write to standard output: No space left on device"
# Python's standard output is block-buffered when it is a file (it fails at the flush, at the end)
# and unbuffered with PYTHONUNBUFFERED (it fails at the first line, maybe before anything is written).
BUFFERING = {"buffered": {"PYTHONUNBUFFERED": ""}, "unbuffered": {"PYTHONUNBUFFERED": "1"}}


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("buffering", BUFFERING)
@pytest.mark.parametrize(
    ("args", "what", "written"),
    [
        (["plan", "--team", "cards", "--write"], "the draft objective is written", "okrs/2027-Q1/cards.yaml"),
        (["retro", "--team", "cards", "--write"], "the retro is written", "retros/2026-Q4/cards-mid.yaml"),
    ],
    ids=["plan", "retro"],
)
@pytest.mark.slow
def test_a_scaffold_written_before_standard_output_failed_is_named(copy_example, args, what, written, buffering):
    """The file was written, then the output failed: the one line said only that the output failed,
    and running the command again is refused because the file exists."""
    root = copy_example("banco")
    result = okrctl_sh(">/dev/full", *args, "--repo", str(root), "--today", "2026-11-27", env=BUFFERING[buffering])
    assert result.returncode == 2
    assert result.stderr == f"{FULL}; {what} all the same (wrote {written})\n"
    assert (root / written).is_file()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("buffering", BUFFERING)
def test_a_repository_created_before_standard_output_failed_is_named(tmp_path, buffering):
    target = tmp_path / "okrs"
    result = okrctl_sh(
        ">/dev/full", "init", str(target), cwd=tmp_path, env={"GIT_CONFIG_NOSYSTEM": "1", **BUFFERING[buffering]}
    )
    assert result.returncode == 2
    sha = git(target, "rev-parse", "--short=7", "HEAD").strip()
    files = len(git(target, "show", "--name-only", "--format=", "HEAD").split())
    assert result.stderr == (
        f"{FULL}; the repository is created all the same (created {files} files in {target}; committed {sha})\n"
    )


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("buffering", BUFFERING)
def test_a_site_built_or_schema_files_written_before_standard_output_failed_are_named(tmp_path, buffering):
    site = okrctl_sh(">/dev/full", "site", str(tmp_path / "site"), *BANCO, env=BUFFERING[buffering])
    assert site.returncode == 2
    pages = len([p for p in (tmp_path / "site").rglob("*.html")])
    assert site.stderr.startswith(f"{FULL}; the site is built all the same (wrote {pages} pages (")
    assert site.stderr.endswith(f" KiB) to {tmp_path / 'site'})\n")
    schema = okrctl_sh(">/dev/full", "schema", "--output", str(tmp_path / "schema"), env=BUFFERING[buffering])
    assert schema.returncode == 2
    files = len(list((tmp_path / "schema").iterdir()))
    assert schema.stderr == (
        f"{FULL}; the schema files are written all the same (wrote {files} schema files to {tmp_path / 'schema'})\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("buffering", BUFFERING)
def test_a_measure_says_what_it_wrote_and_committed_or_that_nothing_was_written(
    copy_example, git_repo, tmp_path, buffering
):
    """Buffered, the values are listed, the reading written and committed, and the output fails at
    the end: all of that is said. Unbuffered, the first line fails before the reading is written:
    it says nothing was written, which is so. Either way a run again does what is left to do."""
    root = git_repo(copy_example("banco"))
    before = git(root, "rev-parse", "HEAD").strip()
    values = tmp_path / "m2.csv"
    values.write_text("kr,value\nonboarding-completion,81\n", encoding="utf-8")
    args = ["measure", "--team", "discover", "--values-from", str(values), "--commit", "--repo", str(root)]
    result = okrctl_sh(">/dev/full", *args, "--today", "2026-11-27", env=BUFFERING[buffering])
    assert result.returncode == 2
    reading = root / "readings/discover/2026-11-27.yaml"
    if buffering == "unbuffered":
        assert result.stderr == f"{FULL}; nothing was written\n"
        assert not reading.exists() and git(root, "rev-parse", "HEAD").strip() == before
        return
    sha = git(root, "rev-parse", "--short=7", "HEAD").strip()
    subject = git(root, "log", "-1", "--format=%s").strip()
    assert subject == "measure(discover): 2026-11-27 1 value from m2.csv"
    assert result.stderr == (
        f"{FULL}; the reading is written all the same "
        f"(wrote readings/discover/2026-11-27.yaml; committed {sha} {subject})\n"
    )
    assert reading.is_file()


def test_output_to_a_file_works_with_standard_output_closed(tmp_path):
    target = tmp_path / "report.md"
    result = okrctl_sh(">&-", "report", "--format", "markdown", "--output", str(target), *BANCO)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# ")


def test_a_closed_standard_error_does_not_stop_the_command():
    result = okrctl_sh("2>&-", "status", *BANCO)
    assert result.returncode == 0
    assert "Banco Exemplo" in result.stdout


def _with_a_note(copy_example) -> list[str]:
    """banco with a file of errors: every view says so in a note on standard error."""
    root = copy_example("banco")
    (root / "okrs/2026-Q4/bad.yaml").write_text("apiVersion: okrctl/v1\nkind: Objectiv\n", encoding="utf-8")
    return ["--repo", str(root), "--today", DEMO_DAY]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_full_disk_behind_standard_error_only_drops_the_notes(copy_example):
    """The note cannot be written; the output can, and the exit code is the command's own (not the
    "cannot write to standard output" of a full standard output)."""
    repo = _with_a_note(copy_example)
    result = okrctl_sh("2>/dev/full", "status", *repo)
    assert result.returncode == 0
    assert "Banco Exemplo" in result.stdout and "Discover" in result.stdout


@pytest.mark.parametrize("what", ["stdout", "file"])
def test_a_reader_gone_from_standard_error_does_not_stop_the_output(copy_example, tmp_path, what):
    """``okrctl ... 2>&1 >out | head -n 0``: the reader of standard error left before the first note.
    The output still goes to standard output, or to the file ``--output`` names, with exit 0."""
    repo = _with_a_note(copy_example)
    target = tmp_path / "report.json"
    args = ["status", *repo] if what == "stdout" else ["report", "--format", "json", "--output", str(target), *repo]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone: a write to the pipe fails (EPIPE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "okrctl", *args],
            stdout=subprocess.PIPE,
            stderr=write_end,
            text=True,
            env={**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0
    if what == "stdout":
        assert "Banco Exemplo" in result.stdout and "Discover" in result.stdout
    else:
        assert json.loads(target.read_text(encoding="utf-8"))["organization"]


def test_a_closed_standard_input_is_no_input(copy_example):
    root = copy_example("banco")
    result = okrctl_sh(
        "<&-", "checkin", "--team", "discover", "--dry-run", "--repo", str(root), "--today", "2026-11-21"
    )
    assert result.returncode == 2  # off a terminal, a missing confidence is a usage error
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("okrctl: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("module", ["signal", "typer", "rich", "okrctl.cli.align"])
def test_ctrl_c_while_the_command_line_is_imported_is_one_line_and_exit_130(tmp_path, module):
    """A KeyboardInterrupt raised by an import at start-up, as Ctrl-C pressed at that moment would."""
    package = tmp_path / "planted"
    parts = module.split(".")
    if parts[0] == "okrctl":
        # Shadow one okrctl command module: a copy of the package whose module raises on import.
        import shutil

        shutil.copytree(ROOT / "okrctl", package / "okrctl", ignore=shutil.ignore_patterns("__pycache__"))
        (package / Path(*parts)).with_suffix(".py").write_text("raise KeyboardInterrupt\n", encoding="utf-8")
    else:
        (package / parts[0]).mkdir(parents=True)
        (package / parts[0] / "__init__.py").write_text("raise KeyboardInterrupt\n", encoding="utf-8")
    env = {"PYTHONPATH": f"{package}{os.pathsep}{ROOT}"}
    result = okrctl_sh("", "status", *BANCO, env=env, cwd=tmp_path)
    assert result.returncode == 130
    assert result.stderr == "okrctl: interrupted\n"


def test_the_installed_command_starts_through_the_guarded_entry_point():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'okrctl = "okrctl.cli.entry:program"' in text


@pytest.mark.slow
def test_the_command_leaves_with_its_exit_code_once_all_of_its_output_is_out(copy_example, cli):
    """``okrctl`` ends its process without tearing down what it loaded (``cli.entry.leave``): the
    output must still be whole (more than a pipe holds) and the exit code the command's."""
    root = copy_example("banco")
    (root / "okrs" / "broken.yaml").write_text("apiVersion: okrctl/v1\nkind: Objective\nid: x\n", encoding="utf-8")
    where = ["--repo", str(root), "--today", DEMO_DAY]
    report = okrctl_sh("", "report", "--format", "html", *where)
    assert report.returncode == 0, report.stderr
    assert len(report.stdout) > 65536
    assert report.stdout == cli("report", "--format", "html", *where).stdout
    assert report.stderr.startswith("okrctl: ") and "broken.yaml" in report.stderr  # the note on what was left out
    findings = okrctl_sh("", "align", "--format", "sarif", "--cycle", "all", *where)
    assert findings.returncode == 1
    assert json.loads(findings.stdout)["runs"][0]["results"]
    assert findings.stderr == ""
    usage = okrctl_sh("", "status", "--bogus")
    assert usage.returncode == 2
    assert "No such option: --bogus" in usage.stderr


def _python(code: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, *args, "-c", code] if code else [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
    )


def test_a_caller_of_main_in_the_same_process_goes_on():
    """``main`` ends with SystemExit, as before; only the installed program ends the process itself."""
    host = (
        "import sys\nfrom okrctl.cli.entry import main\nsys.argv = ['okrctl', 'rules', 'OKR101']\n"
        "try:\n    main()\nexcept SystemExit as done:\n    print('caught', done.code)\nprint('still here')\n"
    )
    result = _python(host)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("caught 0\nstill here\n")
    assert "OKR101" in result.stdout


@pytest.mark.slow
def test_profilers_and_the_interactive_prompt_still_get_their_turn(tmp_path):
    """Under cProfile the profile is written at shutdown; with ``python -i`` the prompt comes."""
    profile = tmp_path / "okrctl.prof"
    result = _python("", "-m", "cProfile", "-o", str(profile), "-m", "okrctl", "rules", "OKR101")
    assert result.returncode == 0, result.stderr
    assert profile.stat().st_size > 0
    prompt = _python("", "-i", "-m", "okrctl", "rules", "OKR101", stdin="print('prompt', 6 * 7)\n")
    assert "prompt 42" in prompt.stdout


def test_worker_processes_start_with_standard_input_closed(copy_example):
    """A tree of many folders is walked by two processes; a forked worker closes its standard
    input first, which okrctl's stand-in for a closed one must allow (no traceback)."""
    root = copy_example("banco")
    for number in range(80):
        folder = root / "notes" / f"n{number}" / "more"
        folder.mkdir(parents=True)
        (folder / "readme.txt").write_text("nothing for okrctl\n", encoding="utf-8")
    result = okrctl_sh("<&-", "status", "--repo", str(root), "--today", DEMO_DAY)
    assert result.returncode == 0
    assert result.stderr == ""
    assert "Banco Exemplo" in result.stdout


@pytest.mark.slow
def test_output_to_dev_stdout_with_standard_output_closed_is_refused_and_harms_no_file(tmp_path):
    """With standard output closed, its descriptor number would go to the next file okrctl opens
    (the store): ``-o /dev/stdout`` wrote the output into the store's files. It is held by the null
    device instead, and the command says that standard output is closed."""
    import sqlite3

    store = tmp_path / "store"
    env = {"OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(store)}
    result = okrctl_sh(">&-", "align", *BANCO, "--format", "json", "-o", "/dev/stdout", env=env)
    assert result.returncode == 2
    assert result.stderr == "okrctl: --output: cannot write /dev/stdout: standard output is closed\n"
    with sqlite3.connect(store / store_name()) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 0
    to_null = okrctl_sh(">&-", "align", *BANCO, "--format", "json", "-o", "/dev/null", env=env)
    assert to_null.returncode == 0, to_null.stderr


# The command run as the installed program, with one system call made to send the process SIGTERM
# (as ``kill``, a cancelled CI job or a closed terminal would) at the moment it is made.
_TERMINATED_AT = """
import os, signal, sys
name, *argv = sys.argv[1:]
real = getattr(os, name)
def at_the_moment(*args, **kwargs):
    if name == "fsync":
        real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGTERM)
    if name != "fsync":
        return real(*args, **kwargs)
setattr(os, name, at_the_moment)
sys.argv = ["okrctl", *argv]
from okrctl.cli.entry import program
program()
"""


@pytest.mark.parametrize(
    ("call", "command", "written"),
    [
        ("fsync", ["checkin", "--team", "discover", "--date", "2026-11-27", "-c", "7"], "checkins/discover"),
        ("fsync", ["report", "--format", "markdown", "--output", "{root}/okrs/report.md"], "okrs"),
        ("fsync", ["schema", "--output", "{root}/okrs"], "okrs"),
        ("mkdir", ["site", "{root}/okrs/site"], "okrs"),  # while the pages are written
    ],
)
@pytest.mark.slow
def test_sigterm_while_writing_leaves_no_file_and_is_one_line(copy_example, git_repo, call, command, written):
    root = git_repo(copy_example("banco"))
    (root / "okrs" / "report.md").write_text("the previous report\n", encoding="utf-8")
    before = sorted(p.name for p in (root / written).iterdir())
    args = [part.replace("{root}", str(root)) for part in command]
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    where = ["--repo", str(root), "--today", "2026-11-27"]
    result = subprocess.run(
        [sys.executable, "-c", _TERMINATED_AT, call, *args, *where], capture_output=True, text=True, env=env
    )
    assert result.returncode == 128 + 15, result.stderr
    assert result.stderr == "okrctl: terminated\n"
    assert sorted(p.name for p in (root / written).iterdir()) == before  # no temporary file or folder
    assert (root / "okrs" / "report.md").read_text(encoding="utf-8") == "the previous report\n"
    assert git(root, "status", "--porcelain") == "?? okrs/report.md\n"


@pytest.mark.slow
def test_sigterm_while_git_commits_a_checkin_leaves_no_lock_and_the_index_as_it_was(copy_example, git_repo, tmp_path):
    """``kill`` reaches okrctl alone, not the git it runs: git is told to stop too, so it removes
    its index lock, and the check-in's intent-to-add entry is taken back (the file stays, as
    after a refused commit). Killed at once, git left .git/index.lock and stopped every later
    git command."""
    import time

    root = git_repo(copy_example("banco"))
    started = tmp_path / "hook-started"
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\ntouch '{started}'\nsleep 30\n", encoding="utf-8")
    hook.chmod(0o755)
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    okrctl = subprocess.Popen(
        [sys.executable, "-m", "okrctl", "checkin", "--team", "discover", "-c", "7"]
        + ["--repo", str(root), "--today", "2026-11-27"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and okrctl.poll() is None:
        time.sleep(0.05)
    assert started.exists(), okrctl.communicate()
    okrctl.send_signal(15)
    _out, err = okrctl.communicate(timeout=60)
    assert okrctl.returncode == 128 + 15, err
    assert err == (
        "okrctl: terminated; checkins/discover/2026-11-27.yaml is written and left uncommitted "
        "(okrctl checkin --amend (same team and date) commits it)\n"
    )
    assert not (root / ".git" / "index.lock").exists()
    assert git(root, "status", "--porcelain") == "?? checkins/discover/2026-11-27.yaml\n"
    assert git(root, "log", "-1", "--format=%s").strip() != "checkin(discover): 2026-11-27 confidence 7/10"


# A ``git`` that sends SIGTERM to okrctl (its parent) the first time it runs SUBCOMMAND, then waits
# before running the real git: the signal lands exactly while okrctl waits on that git command.
_SIGNALLING_GIT = """#!/bin/sh
for word in "$@"; do
  if [ "$word" = "{subcommand}" ] && mkdir '{once}' 2>/dev/null; then kill -TERM $PPID; sleep 2; break; fi
done
exec '{git}' "$@"
"""


def _git_first_on_path(tmp_path: Path, script: str, **fields: object) -> dict[str, str]:
    """The environment of an okrctl run whose ``git`` is ``script`` (formatted with ``fields``,
    ``git``, the real one, and ``python``), without the store or colours."""
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    real = shutil.which("git")
    assert real is not None
    wrapper.write_text(script.format(git=real, python=sys.executable, **fields), encoding="utf-8")
    wrapper.chmod(0o755)
    return {
        **os.environ,
        "OKRCTL_NO_CACHE": "1",
        "NO_COLOR": "1",
        "PYTHONPATH": str(ROOT),
        "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}",
    }


_CHECKIN = ["checkin", "--team", "discover", "-c", "7"]
_MEASURE = ["measure", "--team", "discover", "--values-from", "{values}", "--commit"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "subcommand", "committed"),
    [
        (_CHECKIN, "add", False),  # while the new file is registered (intent-to-add)
        (_CHECKIN, "diff", False),  # after intent-to-add, before the commit (the staged-rename look-up)
        (_CHECKIN, "commit", False),  # git commit itself, before it wrote anything
        (_CHECKIN, "symbolic-ref", True),  # after the commit, while okrctl asks whether HEAD is detached
        (_MEASURE, "diff", False),
        (_MEASURE, "symbolic-ref", True),
    ],
    ids=[
        "checkin-add",
        "checkin-diff",
        "checkin-commit",
        "checkin-symbolic-ref",
        "measure-diff",
        "measure-symbolic-ref",
    ],
)
def test_sigterm_at_any_git_command_of_a_commit_says_what_was_committed(
    copy_example, git_repo, tmp_path, command, subcommand, committed
):
    """The last line says what HEAD holds, and without a commit the index is as it was: no
    intent-to-add entry is left for the user's next ``git commit -a`` to take. Stopped after the
    commit, okrctl said the check-in was left uncommitted (and to commit it with --amend); stopped
    between ``git add --intent-to-add`` and ``git commit``, the entry stayed (``git status``: `` A``)."""
    root = git_repo(copy_example("banco"))
    env = _git_first_on_path(tmp_path, _SIGNALLING_GIT, subcommand=subcommand, once=tmp_path / "signalled")
    values = tmp_path / "kpis.csv"
    values.write_text("onboarding-completion,81\n", encoding="utf-8")
    args = [part.replace("{values}", str(values)) for part in command]
    result = subprocess.run(
        [sys.executable, "-m", "okrctl", *args, "--repo", str(root), "--today", "2026-11-27"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (tmp_path / "signalled").exists()
    assert result.returncode == 128 + 15, result.stderr
    checkin = command is _CHECKIN
    rel = "checkins/discover/2026-11-27.yaml" if checkin else "readings/discover/2026-11-27.yaml"
    again = "okrctl checkin --amend (same team and date)" if checkin else "the same measure again"
    subject = git(root, "log", "-1", "--format=%s").strip()
    if committed:
        assert result.stderr == f"okrctl: terminated; {rel} is written and committed\n"
        assert subject != "initial"
        assert git(root, "status", "--porcelain") == ""
    else:
        assert result.stderr == f"okrctl: terminated; {rel} is written and left uncommitted ({again} commits it)\n"
        assert subject == "initial"
        assert git(root, "status", "--porcelain", "--untracked-files=all") == f"?? {rel}\n"
    assert not (root / ".git" / "index.lock").exists()


# The command run as the installed program, sent SIGTERM the first time a method of a class is called.
_TERMINATED_IN = """
import importlib, os, signal, sys
where, name, *argv = sys.argv[1:]
module, _, owner = where.rpartition(".")
target = getattr(importlib.import_module(module), owner)
real = getattr(target, name)
sent = []
def at_the_moment(*args, **kwargs):
    if not sent:
        sent.append(True)
        os.kill(os.getpid(), signal.SIGTERM)
    return real(*args, **kwargs)
setattr(target, name, at_the_moment)
sys.argv = ["okrctl", *argv]
from okrctl.cli.entry import program
program()
"""


@pytest.mark.parametrize(
    ("where", "name"),
    [("typer.core.TyperGroup", "make_context"), ("okrctl.forked.Background", "join_all")],
    ids=["reading-the-options", "waiting-for-the-store-worker"],
)
def test_sigterm_before_or_after_the_command_itself_is_one_line_and_exit_143(tmp_path, where, name):
    """SIGTERM while okrctl reads its options (typer imports pydantic then) or waits for the worker
    that writes its store: one line and 143, as at any other moment. typer turned it into a silent
    exit 130, as if it were a Ctrl-C."""
    env = {**os.environ, "OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(tmp_path / "store"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", _TERMINATED_IN, where, name, "status", *BANCO],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (128 + 15, "okrctl: terminated\n")


# The command run as the installed program; the signal comes while a library runs and calls back
# into Python, and the library raises its own error for the exception the handler raised, as
# pydantic-core does while it builds a model's schema ("SchemaError: Error building `literal`
# serializer: Terminated: 15", met once in the stress script's kill rounds).
_SIGNAL_WRAPPED = """
import os, signal, sys
# Ctrl-C as a terminal delivers it: a job started in the background of a shell without job control
# (a CI runner's script) inherits SIGINT ignored, and Python then installs no handler for it.
signal.signal(signal.SIGINT, signal.default_int_handler)
import okrctl.load.pipeline as pipeline
signum, *argv = sys.argv[1:]
real = pipeline.load_repo
def load_repo(*args, **kwargs):
    try:
        os.kill(os.getpid(), int(signum))
        return real(*args, **kwargs)
    except KeyboardInterrupt as exc:
        raise ValueError(f"Error building `literal` serializer: {exc!r}") from None
pipeline.load_repo = load_repo
sys.argv = ["okrctl", *argv]
from okrctl.cli.entry import program
program()
"""


@pytest.mark.parametrize(("signum", "code", "said"), [(15, 143, "terminated"), (2, 130, "interrupted")])
def test_a_signal_a_library_turns_into_its_own_error_still_ends_the_command_as_a_signal(signum, code, said):
    """SIGTERM or Ctrl-C while pydantic builds a model: pydantic-core catches the exception and raises
    a SchemaError naming it. okrctl still says it was stopped, with the signal's exit code; it
    reported an internal error (exit 3)."""
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", _SIGNAL_WRAPPED, str(signum), "status", *BANCO],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (code, f"okrctl: {said}\n")


@pytest.mark.slow
def test_a_draft_written_with_standard_output_closed_is_named(copy_example):
    root = copy_example("banco")
    result = okrctl_sh(">&-", "plan", "--team", "cards", "--write", "--repo", str(root), "--today", "2026-11-27")
    assert result.returncode == 2
    assert result.stderr == (
        "okrctl: standard output is closed; the draft objective is written all the same (wrote okrs/2027-Q1/cards.yaml)\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("output", [[], ["--output", "/dev/stdout"]], ids=["standard output", "--output /dev/stdout"])
@pytest.mark.parametrize(("command", "code"), [(["report", "--format", "html"], 0), (["align", "--format", "json"], 1)])
def test_a_reader_that_leaves_early_ends_the_command_quietly_with_its_own_exit_code(tmp_path, output, command, code):
    """``okrctl report --format html | head -c 1``: the output is larger than a pipe holds, so the
    write meets a pipe whose reader left. No traceback, no message, and the command's own exit
    code (``align`` with errors: 1), on standard output and through ``--output /dev/stdout``."""
    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root)
    for number in range(300):  # errors enough for outputs larger than a pipe's buffer
        (root / "okrs" / "2026-Q4" / f"broken-{number}.yaml").write_text(
            "apiVersion: okrctl/v1\nkind: Objective\nid: broken\n: [\n", encoding="utf-8"
        )
    args = [*command, "--repo", str(root), "--today", DEMO_DAY, *output]
    alone = okrctl_sh("", *args)
    assert alone.returncode == code and len(alone.stdout) > 70_000, alone.stderr
    left = okrctl_sh("| head -c 1 >/dev/null; exit ${PIPESTATUS[0]}", *args, shell="bash")
    assert left.stderr == alone.stderr  # its notes, if any, and nothing more
    assert left.returncode == code


# The signalling git above, which also writes down, for every git command run after the signal
# (okrctl's clean-up), which signals that command has blocked and ignored. In Python: a POSIX shell
# may unblock every signal as it starts, and would hide the mask okrctl passes on.
_MASK_NOTING_GIT = """#!{python}
import os, signal, sys, time
if os.path.isdir({once!r}):
    with open("/proc/self/status") as status, open({log!r}, "a") as log:
        log.writelines(line for line in status if line.startswith(("SigBlk:", "SigIgn:")))
if "diff" in sys.argv[1:]:
    try:
        os.mkdir({once!r})
    except FileExistsError:
        pass
    else:
        os.kill(os.getppid(), signal.SIGTERM)
        time.sleep(2)
os.execv({git!r}, [{git!r}, *sys.argv[1:]])
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the signal masks from /proc")
def test_the_git_commands_of_a_stopped_checkins_clean_up_can_still_be_stopped(copy_example, git_repo, tmp_path):
    """While a stopped check-in asks HEAD and puts the index back, a second signal to okrctl is
    dropped, but the git commands (and their hooks) it starts meanwhile neither block nor ignore
    SIGINT, SIGTERM or SIGHUP: a hook that hangs there can still be stopped."""
    root = git_repo(copy_example("banco"))
    log = tmp_path / "masks"
    env = _git_first_on_path(tmp_path, _MASK_NOTING_GIT, once=str(tmp_path / "signalled"), log=str(log))
    result = subprocess.run(
        [sys.executable, "-m", "okrctl", *_CHECKIN, "--repo", str(root), "--today", "2026-11-27"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 128 + 15, result.stderr
    rel = "checkins/discover/2026-11-27.yaml"
    assert result.stderr == (
        f"okrctl: terminated; {rel} is written and left uncommitted (okrctl checkin --amend (same team and date)"
        " commits it)\n"
    )
    assert git(root, "status", "--porcelain", "--untracked-files=all") == f"?? {rel}\n"
    masks = log.read_text(encoding="utf-8").split()
    assert masks[0::2] and set(masks[0::2]) == {"SigBlk:", "SigIgn:"}
    stopping = (1 << (1 - 1)) | (1 << (2 - 1)) | (1 << (15 - 1))  # SIGHUP, SIGINT, SIGTERM
    assert [int(mask, 16) & stopping for mask in masks[1::2]] == [0] * len(masks[1::2])


def _stopped_while_the_index_lock_is_waited_for(root: Path, signum: int) -> tuple[int, str, float]:
    """A check-in of discover run as from a terminal (its own process group), sent ``signum`` by
    the terminal (to the group) once it says it waits for the index lock, and again half a second
    later if it still runs: its exit code, standard error, and how long it ran after the signal."""
    import time

    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    okrctl = subprocess.Popen(
        [sys.executable, "-m", "okrctl", *_CHECKIN, "--repo", str(root), "--today", "2026-11-27"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert okrctl.stderr is not None
    first = okrctl.stderr.readline()
    lock = root / ".git" / "index.lock"
    assert first == f"okrctl: note: waiting for another git process that holds {lock} (up to 10 seconds)\n"
    os.killpg(okrctl.pid, signum)
    sent = time.monotonic()
    try:
        okrctl.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        os.killpg(okrctl.pid, signum)  # and again
    err = okrctl.stderr.read()
    okrctl.wait(timeout=60)
    okrctl.stderr.close()
    return okrctl.returncode, first + err, time.monotonic() - sent


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "said"), [(2, "interrupted"), (15, "terminated")])
def test_a_signal_while_a_checkin_waits_for_the_index_lock_ends_it_at_once(copy_example, git_repo, signum, said):
    """Another git holds .git/index.lock (one that crashed left it) as the check-in's ``git add``
    waits for it, and Ctrl-C (or SIGTERM) stops the run. It ended 10 seconds later, a second
    Ctrl-C dropped: okrctl waited as long again to take out of the index an entry its add never
    made. It ends at once, with the same line, and the index is as it was."""
    root = git_repo(copy_example("banco"))
    lock = root / ".git" / "index.lock"
    lock.touch()
    code, err, took = _stopped_while_the_index_lock_is_waited_for(root, signum)
    rel = "checkins/discover/2026-11-27.yaml"
    assert (code, err.splitlines()[-1]) == (
        128 + signum,
        f"okrctl: {said}; {rel} is written and left uncommitted (okrctl checkin --amend (same team and date) commits it)",
    )
    assert took < 2.5, took
    lock.unlink()
    assert git(root, "status", "--porcelain", "--untracked-files=all") == f"?? {rel}\n"


@pytest.mark.slow
def test_a_signal_while_another_git_holds_the_index_says_the_intent_to_add_entry_it_leaves(copy_example, git_repo):
    """``git add --intent-to-add`` was done, then another git holds the index lock (another team's
    commit with a slow hook) and Ctrl-C stops the run: the ``git rm --cached`` that takes the entry
    out again cannot run. okrctl waited 10 seconds for it, then said the check-in was left
    uncommitted as if the index were as it was, the entry left behind (`` A``) for the user's next
    ``git commit -a``. It ends within a second or so and names the git command that takes it out."""
    root = git_repo(copy_example("banco"))
    lock = root / ".git" / "index.lock"
    hook = root / ".git" / "hooks" / "post-index-change"
    hook.write_text(f"#!/bin/sh\n[ -e '{lock}.taken' ] && exit 0\ntouch '{lock}.taken' '{lock}'\n", encoding="utf-8")
    hook.chmod(0o755)  # another git takes the index right after okrctl's add
    code, err, took = _stopped_while_the_index_lock_is_waited_for(root, 2)
    rel = "checkins/discover/2026-11-27.yaml"
    assert (code, err.splitlines()[-1]) == (
        130,
        f"okrctl: interrupted; {rel} is written and left uncommitted (okrctl checkin --amend (same team and date) "
        f"commits it), and git could not take it out of the index again: git rm --cached -- {root / rel}",
    )
    assert took < 3, took
    lock.unlink()
    assert git(root, "status", "--porcelain", "--untracked-files=all") == f" A {rel}\n"
    git(root, "rm", "--cached", "--quiet", "--", rel)  # the command named takes it out
    assert git(root, "status", "--porcelain", "--untracked-files=all") == f"?? {rel}\n"


@pytest.mark.slow
@pytest.mark.parametrize(("subcommand", "committed"), [("commit", False), ("symbolic-ref", True)])
def test_sigterm_while_amend_commits_a_checkin_as_it_is_says_what_was_committed(
    copy_example, git_repo, tmp_path, subcommand, committed
):
    """``checkin --amend`` with nothing to change commits the file left uncommitted as it is;
    stopped while git does, its last line says what HEAD holds, as a new check-in's does (it said
    "terminated" alone)."""
    root = git_repo(copy_example("banco"))
    args = [*_CHECKIN, "--repo", str(root), "--today", "2026-11-27"]
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    first = subprocess.run(
        [sys.executable, "-m", "okrctl", *args, "--no-commit"], capture_output=True, text=True, env=env, timeout=120
    )
    assert first.returncode == 0, first.stderr
    env = _git_first_on_path(tmp_path, _SIGNALLING_GIT, subcommand=subcommand, once=tmp_path / "signalled")
    result = subprocess.run(
        [sys.executable, "-m", "okrctl", *args, "--amend"], capture_output=True, text=True, env=env, timeout=120
    )
    assert (tmp_path / "signalled").exists()
    assert result.returncode == 128 + 15, result.stderr
    rel = "checkins/discover/2026-11-27.yaml"
    if committed:
        assert result.stderr == f"okrctl: terminated; {rel} is written and committed\n"
        assert git(root, "status", "--porcelain") == ""
    else:
        assert result.stderr == (
            f"okrctl: terminated; {rel} is written and left uncommitted"
            " (okrctl checkin --amend (same team and date) commits it)\n"
        )
        assert git(root, "status", "--porcelain", "--untracked-files=all") == f"?? {rel}\n"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--help"], 0),
        (["--version"], 0),
        (["status", "--help"], 0),
        (["status", *BANCO], 0),
        (["align", "--format", "json", *BANCO], 0),
        (["align", "--format", "json", "BROKEN"], 1),
    ],
)
@pytest.mark.slow
def test_a_reader_gone_before_the_first_write_leaves_the_exit_code_the_commands(tmp_path, args, code):
    """``okrctl align | head -n 0`` under ``set -o pipefail``: a small output met a pipe whose
    reader had already left, and every command, ``--help`` too, ended with exit 1, which a CI job
    reads as errors. The command's own exit code, no message (``align`` with an error: 1)."""
    if "BROKEN" in args:
        root = tmp_path / "banco"
        shutil.copytree(EXAMPLES / "banco", root)
        (root / "okrs" / "2026-Q4" / "broken.yaml").write_text("kind: [\n", encoding="utf-8")
        args = [a for a in args if a != "BROKEN"] + ["--repo", str(root), "--today", DEMO_DAY]
    reading, writing = os.pipe()
    os.close(reading)  # the reader left before okrctl writes a byte
    try:
        result = subprocess.run(
            [sys.executable, "-m", "okrctl", *args],
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=120,
        )
    finally:
        os.close(writing)
    assert (result.returncode, result.stderr) == (code, "")


_TERMINATED_AT_RENAME = """
import os, signal, sys
exchange, *argv = sys.argv[1:]
from okrctl import fsutil
if exchange == "no":
    fsutil.exchange = lambda first, second: False  # a system without RENAME_EXCHANGE: two renames
else:
    swap = fsutil.exchange
    def exchanged(first, second):
        os.kill(os.getpid(), signal.SIGTERM)  # as the two folders are exchanged
        return swap(first, second)
    fsutil.exchange = exchanged
real = os.rename
def at_the_moment(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGTERM)  # as the folder is put in place
    return real(*args, **kwargs)
os.rename = at_the_moment
sys.argv = ["okrctl", *argv]
from okrctl.cli.entry import program
program()
"""


@pytest.mark.slow
@pytest.mark.parametrize("exchange", ["yes", "no"])
@pytest.mark.parametrize("first", [True, False], ids=["first-build", "rebuild"])
def test_sigterm_as_the_site_is_put_in_place_ends_with_a_whole_site_and_says_so(copy_example, exchange, first):
    """The renames that put a site in place are not cut by a signal: between the two renames of a
    system without an exchange it left the previous site aside and none in place, and once the new
    site was in place it said only "terminated". The site is whole, the previous one gone, and the
    line says the site is built all the same."""
    root = copy_example("banco")
    site = root / "okrs" / "site"
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    where = ["--repo", str(root), "--today", "2026-11-27", "--no-history"]
    if not first:
        built = subprocess.run(
            [sys.executable, "-m", "okrctl", "site", str(site), *where[:2], "--today", "2026-11-20", "--no-history"],
            capture_output=True,
            text=True,
            env=env,
        )
        assert built.returncode == 0, built.stderr
    result = subprocess.run(
        [sys.executable, "-c", _TERMINATED_AT_RENAME, exchange, "site", str(site), *where],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 128 + 15, result.stderr
    assert result.stderr.startswith("okrctl: terminated; the site is built all the same (wrote ")
    assert "2026-11-27" in (site / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (root / "okrs").iterdir() if p.name.startswith(".")) == []  # nothing aside
