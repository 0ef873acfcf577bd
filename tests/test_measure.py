"""``okrctl measure``: measured values written as the team's Reading, refused whole when a row is wrong."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import banco_by_the_kpi_bot, drop_from_the_index

DAY = "2026-11-26"
READING = f"readings/discover/{DAY}.yaml"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_by_the_kpi_bot(copy_example, git_repo)


def measure(cli, root: Path, values: Path, *args: str, today: str = DAY):
    return cli(
        "measure", "--repo", str(root), "--today", today, "--team", "discover", "--values-from", str(values), *args
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_values_become_a_reading_that_status_uses(cli, banco, tmp_path) -> None:
    values = write(tmp_path / "kpis.csv", "kr,value,note\nonboarding-completion,81%\nsetup-tickets,320,from Zendesk\n")
    result = measure(cli, banco, values)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "discover · values measured on 2026-11-26 from kpis.csv",
        "  onboarding-completion  79 → 81",
        "  setup-tickets          332 → 320  (from Zendesk)",
        f"wrote {READING}",
    ]
    assert (banco / READING).read_text(encoding="utf-8") == (
        "# Values of discover measured on 2026-11-26, written with `okrctl measure`.\n"
        "apiVersion: okrctl/v1\n"
        "kind: Reading\n"
        "owner: discover\n"
        "date: 2026-11-26\n"
        "source: kpis.csv\n"
        "author: kpi-bot@example.com\n"
        "values:\n"
        "  onboarding-completion: 81\n"
        "  setup-tickets: {value: 320, note: from Zendesk}\n"
    )
    status = json.loads(cli("status", "--repo", str(banco), "--today", DAY, "--team", "discover", "-f", "json").stdout)
    krs = {kr["id"]: kr["value"] for kr in status["objectives"][0]["key_results"]}
    assert krs["onboarding-completion"] == 81 and krs["setup-tickets"] == 320
    assert krs["tutorial-engagement"] == 35.5  # not measured: the check-in's value stands
    assert status["objectives"][0]["confidence"] == 8  # confidence stays the team's
    assert cli("align", "--repo", str(banco), "--today", DAY, "--strict").exit_code == 0


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("kpis.csv", "kr,value,note\nonboarding-completion,81,\nsetup-tickets,320,   \n"),
        ("kpis.yaml", 'onboarding-completion: {value: 81, note: ""}\nsetup-tickets: {value: 320, note: "  "}\n'),
    ],
)
def test_an_empty_note_in_a_values_file_is_no_note(cli, banco, tmp_path, name, text) -> None:
    """A spreadsheet exports a row without a note as an empty cell: no note, not a refused row."""
    result = measure(cli, banco, write(tmp_path / name, text))
    assert result.exit_code == 0, result.output
    written = (banco / READING).read_text(encoding="utf-8")
    assert "  onboarding-completion: 81\n  setup-tickets: 320\n" in written and "note" not in written


def test_a_dry_run_prints_the_reading_alone_on_standard_output(cli, banco, tmp_path) -> None:
    """``--dry-run`` prints the YAML: the summary of the values and the "not written" note go to
    standard error, so standard output is a reading a script can keep."""
    import yaml

    values = write(tmp_path / "kpis.csv", "kr,value,note\nonboarding-completion,81%\nsetup-tickets,320,from Zendesk\n")
    result = cli(
        "measure", "--repo", str(banco), "--today", DAY, "--team", "discover", "--values-from", str(values), "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    reading = yaml.safe_load(result.stdout)
    assert reading["kind"] == "Reading" and reading["owner"] == "discover"
    assert "values measured on" in result.stderr
    assert f"dry run: readings/discover/{DAY}.yaml not written" in result.stderr
    assert not (banco / "readings" / "discover" / f"{DAY}.yaml").exists()


def test_commit_commits_the_reading_alone_as_the_job_user(cli, banco, tmp_path) -> None:
    (banco / "notes.md").write_text("staged but not measured\n")
    git(banco, "add", "notes.md")
    values = write(
        tmp_path / "kpis.json", '{"onboarding-completion": 81, "tutorial-engagement": {"value": "38%", "note": "A/B"}}'
    )
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 0, result.output
    assert "committed " in result.stdout
    log = git(banco, "log", "-1", "--format=%an <%ae>|%s", "--name-only").strip().splitlines()
    assert log[0] == "KPI bot <kpi-bot@example.com>|measure(discover): 2026-11-26 2 values from kpis.json"
    assert log[-1] == READING
    assert git(banco, "status", "--porcelain").strip() == "A  notes.md"


def test_a_commit_names_every_value_it_holds_an_earlier_run_left_uncommitted_included(cli, banco, tmp_path) -> None:
    """The message counted this run's values alone, while the commit also held those an earlier run
    had written without --commit: it names what the commit adds to HEAD, with each value's source."""
    earlier = write(tmp_path / "a.csv", "kr,value\nonboarding-completion,80\n")
    assert measure(cli, banco, earlier).exit_code == 0  # written, not committed
    now = write(tmp_path / "b.csv", "kr,value\nsetup-tickets,300\n")
    result = measure(cli, banco, now, "--commit")
    assert result.exit_code == 0, result.output
    message = "measure(discover): 2026-11-26 2 values from a.csv, b.csv"
    assert f"{message}\n" in result.stdout
    assert git(banco, "log", "-1", "--format=%s").strip() == message
    # Once committed, the next run's commit names its own value alone, even where it replaces one.
    again = write(tmp_path / "c.csv", "kr,value\nsetup-tickets,290\n")
    assert measure(cli, banco, again, "--commit").exit_code == 0
    assert git(banco, "log", "-1", "--format=%s").strip() == "measure(discover): 2026-11-26 1 value from c.csv"
    assert git(banco, "status", "--porcelain").strip() == ""


def test_a_reading_committed_on_a_detached_head_is_warned_about(cli, banco, tmp_path) -> None:
    git(banco, "checkout", "-q", "--detach", "HEAD")
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "onboarding-completion,81\n"), "--commit")
    assert result.exit_code == 0, result.output
    sha = git(banco, "rev-parse", "--short=7", "HEAD").strip()
    assert f"committed {sha} measure(discover)" in result.stdout
    assert result.stderr.startswith(f"okrctl: warning: committed on a detached HEAD at {sha}, not on any branch")


def test_a_hook_that_changes_the_reading_in_its_commit_is_said_and_exits_1(cli, banco, tmp_path, monkeypatch) -> None:
    """A pre-commit hook that rewrote the reading and staged its version (81 → 18, lint-staged's
    way) left a commit holding 18, yet measure said 'committed … 1 value from kpis.csv' and ended
    with exit 0, the scheduled job none the wiser, with 81 left staged against that commit. The
    commit stays and the index is as git left it; the committed line says it is not as written,
    and one line (exit 1) names the commit, what git left staged and how to unstage it."""
    hook = banco / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        "#!/bin/sh\nfor f in $(git diff --cached --name-only); do\n"
        '  sed \'s/: 81$/: 18/\' "$f" > .git/fixed && cat .git/fixed > "$f" && git add -- "$f"\ndone\n'
    )
    hook.chmod(0o755)
    monkeypatch.chdir(banco)  # the path to unstage is named as the user types it from where they are
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "onboarding-completion,81\n"), "--commit")
    assert result.exit_code == 1, result.output
    short = git(banco, "rev-parse", "--short=7", "HEAD").strip()
    assert result.stdout.splitlines()[-2:] == [
        f"wrote {READING}",
        f"committed {short}, but not as written: a git hook changed the file in it",
    ]
    assert result.stderr.splitlines() == [
        f"okrctl: a git hook changed {READING} in commit {short}, which holds the hook's version, not what this "
        f"run wrote; git left this run's version staged ('git restore --staged -- {READING}' unstages it)"
    ]
    assert "onboarding-completion: 18\n" in git(banco, "show", f"HEAD:{READING}")
    assert git(banco, "status", "--porcelain") == f"MM {READING}\n"


def test_a_refusing_hooks_whole_reason_is_shown_and_the_reading_said_uncommitted(cli, banco, tmp_path) -> None:
    """A hook that says why on its first line and where to look on its last: both reach the user
    (git's one-line reason is its last line), then okrctl's line, which says the reading is kept."""
    hook = banco / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'readings need a ticket number' >&2\necho 'see CONTRIBUTING.md' >&2\nexit 1\n")
    hook.chmod(0o755)
    refused = measure(cli, banco, write(tmp_path / "kpis.csv", "onboarding-completion,81\n"), "--commit")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("readings need a ticket number\nsee CONTRIBUTING.md\nokrctl: git commit of ")
    assert refused.stderr.rstrip("\n").endswith(
        f"{READING} is written and left uncommitted (once the cause is fixed, the same measure again commits it)"
    )
    assert (banco / READING).exists()


def test_a_reading_a_hook_refused_is_committed_by_the_measure_the_line_names(cli, banco, tmp_path) -> None:
    """A hook's refusal ended with '… is written and left uncommitted' and named nothing that
    commits the reading, where the lines of a lock held too long name the same measure again."""
    hook = banco / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'readings need a ticket number' >&2\nexit 1\n")
    hook.chmod(0o755)
    values = write(tmp_path / "kpis.csv", "onboarding-completion,81\n")
    refused = measure(cli, banco, values, "--commit")
    assert refused.exit_code == 1, refused.output
    assert refused.stderr.splitlines()[-1] == (
        f"okrctl: git commit of {READING} failed: readings need a ticket number; {READING} is written and left "
        "uncommitted (once the cause is fixed, the same measure again commits it)"
    )
    hook.unlink()
    again = measure(cli, banco, values, "--commit")
    assert again.exit_code == 0, again.output
    assert git(banco, "log", "-1", "--format=%s").strip() == "measure(discover): 2026-11-26 1 value from kpis.csv"
    assert git(banco, "status", "--porcelain", "--", READING) == ""


@pytest.mark.parametrize("cause", ["ignore rule", "corrupt index"])
def test_a_reading_git_will_not_add_is_committed_by_the_measure_the_line_names(cli, banco, tmp_path, cause) -> None:
    """An ignore rule that matches the reading, or an index git cannot read, ended the line with
    '… is written and left uncommitted' and named nothing that commits the reading, where a hook's
    refusal names the same measure again; once the cause is fixed, that measure commits it."""
    index = banco / ".git" / "index"
    kept = index.read_bytes()
    if cause == "ignore rule":
        (banco / ".git" / "info").mkdir(exist_ok=True)
        (banco / ".git" / "info" / "exclude").write_text("/readings/\n", encoding="utf-8")
        refused = f"okrctl: {READING} is ignored by git ("
    else:
        index.write_bytes(b"not an index")
        refused = f"okrctl: git could not commit {READING}: "
    before = git(banco, "rev-parse", "HEAD")
    values = write(tmp_path / "kpis.csv", "onboarding-completion,81\n")
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 1, result.output
    last = result.stderr.splitlines()[-1]
    assert last.startswith(refused), last
    assert last.endswith(
        f"; {READING} is written and left uncommitted (once the cause is fixed, the same measure again commits it)"
    )
    assert git(banco, "rev-parse", "HEAD") == before
    if cause == "ignore rule":
        (banco / ".git" / "info" / "exclude").write_text("", encoding="utf-8")
    else:
        index.write_bytes(kept)
    again = measure(cli, banco, values, "--commit")
    assert again.exit_code == 0, again.output
    assert git(banco, "log", "-1", "--format=%s").strip() == "measure(discover): 2026-11-26 1 value from kpis.csv"
    assert git(banco, "status", "--porcelain", "--", READING) == ""


def test_a_ref_lock_a_crashed_git_left_is_named_and_the_reading_kept(cli, banco, tmp_path) -> None:
    """git's last words for a ref lock that stays, "remove the file manually to continue", named no file."""
    (banco / ".git" / "refs" / "heads" / "main.lock").touch()
    refused = measure(cli, banco, write(tmp_path / "kpis.csv", "onboarding-completion,81\n"), "--commit")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == (
        f"okrctl: git commit of {READING} failed: another git process holds "
        f"{banco / '.git' / 'refs' / 'heads' / 'main.lock'} (remove it if no git command is running); "
        f"{READING} is written and left uncommitted (once the cause is fixed, the same measure again commits it)"
    )
    assert git(banco, "status", "--porcelain", "--", READING).startswith("??")


def test_a_reading_whose_entry_another_git_wrote_the_index_without_is_committed(cli, banco, tmp_path) -> None:
    """``measure --commit`` beside check-ins of several teams: another git wrote the index back
    without the reading's intent-to-add entry, and its commit failed ("pathspec ... did not match"):
    exit 1, the reading left uncommitted. The entry is added again and the reading committed."""
    drop_from_the_index(banco, READING, times=1)
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "onboarding-completion,81\n"), "--commit")
    assert result.exit_code == 0, result.output
    assert (banco / ".git" / "drops").read_text().strip() == "1"
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [READING]
    assert git(banco, "status", "--porcelain").strip() == ""


@pytest.mark.slow
def test_a_reading_dropped_from_the_index_past_the_wait_names_the_run_that_commits_it(
    cli, banco, tmp_path, monkeypatch
) -> None:
    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 2.0)  # (10 s: as long as a file's lock)
    drop_from_the_index(banco, READING, times=10_000)
    values = write(tmp_path / "kpis.csv", "onboarding-completion,81\n")
    refused = measure(cli, banco, values, "--commit")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == (
        f"okrctl: git commit of {READING} failed: other git processes kept writing the index without it for 2 "
        f"seconds; {READING} is written and left uncommitted (the same measure again commits it)"
    )
    (banco / ".git" / "hooks" / "post-index-change").unlink()
    again = measure(cli, banco, values, "--commit")
    assert again.exit_code == 0, again.output
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [READING]
    assert git(banco, "status", "--porcelain").strip() == ""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks")
def test_a_reading_another_process_keeps_locked_is_waited_for_then_named(cli, banco, tmp_path, monkeypatch) -> None:
    """``measure`` adds to a reading, and commits it, under the file's lock: another process that
    kept it (a stuck ``flock``, a run that hangs) made okrctl wait for ever, saying nothing. The wait
    is said after a moment and ends after a bound (10 s, made short here), with exit 1 and the file
    named: as it was, or, held when the commit comes, written and left for the same measure."""
    import fcntl

    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 0.3)
    monkeypatch.setattr(fsutil, "_SAY_WAITING_AFTER", 0.05)
    values = write(tmp_path / "kpis.csv", "onboarding-completion,81\n")
    assert measure(cli, banco, values).exit_code == 0
    path = banco / READING
    written = path.read_bytes()
    waiting = f"okrctl: note: waiting for another process that holds the lock of {READING} (up to 0.3 seconds)"
    held = "another process held its lock for 0.3 seconds (another okrctl run, or a program that locked it"
    with path.open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        refused = measure(cli, banco, write(tmp_path / "more.csv", "setup-tickets,300\n"))
        uncommitted = measure(cli, banco, values, "--commit")  # nothing new: commits the reading
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        waiting,
        f"okrctl: {READING}: cannot be written: {held}: run again once it is done); nothing was written",
    ]
    assert uncommitted.exit_code == 1
    assert uncommitted.stderr.splitlines() == [
        waiting,
        f"okrctl: {READING}: {held}); {READING} is written and left uncommitted (the same measure again commits it)",
    ]
    assert path.read_bytes() == written
    assert git(banco, "status", "--porcelain", "--", READING).startswith("??")
    assert measure(cli, banco, values, "--commit").exit_code == 0  # the lock let go
    assert git(banco, "status", "--porcelain").strip() == ""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks")
def test_the_lock_wait_names_the_reading_as_the_other_lines_do_from_a_subfolder(
    cli, banco, tmp_path, monkeypatch
) -> None:
    """Run from a folder of the repository (okrs/), the note named the reading by its whole path
    (or from the working folder), while every other line names it from the OKR folder."""
    import fcntl

    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 0.3)
    monkeypatch.setattr(fsutil, "_SAY_WAITING_AFTER", 0.05)
    assert measure(cli, banco, write(tmp_path / "kpis.csv", "onboarding-completion,81\n")).exit_code == 0
    monkeypatch.chdir(banco / "okrs")
    more = write(tmp_path / "more.csv", "setup-tickets,300\n")
    with (banco / READING).open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        refused = cli("measure", "--today", DAY, "--team", "discover", "--values-from", str(more))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"okrctl: note: waiting for another process that holds the lock of {READING} (up to 0.3 seconds)",
        f"okrctl: {READING}: cannot be written: another process held its lock for 0.3 seconds (another okrctl run, "
        "or a program that locked it: run again once it is done); nothing was written",
    ]


def test_a_reading_committed_with_crlf_under_a_later_text_auto_is_said_committed(cli, banco, tmp_path) -> None:
    """git leaves the CRLF line ends a committed reading holds under a ``* text=auto`` added since;
    okrctl compared git's LF form of the file with HEAD and said "but it was not committed", then
    failed on git's "nothing to commit" (exit 1)."""
    values = write(tmp_path / "kpis.csv", "onboarding-completion,81\n")
    assert measure(cli, banco, values).exit_code == 0
    path = banco / READING
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    git(banco, "add", READING)
    git(banco, "commit", "-qm", "reading saved on Windows")
    (banco / ".gitattributes").write_text("* text=auto\n")
    git(banco, "add", ".gitattributes")
    git(banco, "commit", "-qm", "normalise line ends")
    before = git(banco, "rev-parse", "HEAD").strip()
    again = measure(cli, banco, values, "--commit")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == f"nothing changed: {READING} already holds these values"
    assert git(banco, "rev-parse", "HEAD").strip() == before
    assert git(banco, "status", "--porcelain").strip() == ""


def test_a_reading_a_hook_kept_from_its_commit_is_committed_by_the_same_run_again(cli, banco, tmp_path) -> None:
    hook = banco / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'not today' >&2\nexit 1\n")
    hook.chmod(0o755)
    values = write(tmp_path / "kpis.csv", "onboarding-completion,81\n")
    refused = measure(cli, banco, values, "--commit")
    assert refused.exit_code == 1
    assert (banco / READING).exists() and git(banco, "status", "--porcelain", "--", READING).startswith("??")
    hook.unlink()
    (banco / "notes.md").write_text("staged, not measured\n")
    git(banco, "add", "notes.md")
    again = measure(cli, banco, values, "--commit")
    assert again.exit_code == 0, again.output
    assert f"nothing changed: {READING} already holds these values, but it was not committed" in again.stdout
    assert git(banco, "log", "-1", "--format=%s", "--name-only").strip().splitlines()[-1] == READING
    assert git(banco, "status", "--porcelain").strip() == "A  notes.md"
    third = measure(cli, banco, values, "--commit")
    assert third.stdout.endswith(f"nothing changed: {READING} already holds these values\n")


def test_yaml_rows_and_a_second_file_the_same_day_add_to_the_reading(cli, banco, tmp_path) -> None:
    first = write(tmp_path / "a.csv", "onboarding-completion,80\n")
    assert measure(cli, banco, first).exit_code == 0
    second = write(
        tmp_path / "b.yaml", "- {kr: setup-tickets, value: 1 300}\n- {kr: onboarding-completion, value: 81}\n"
    )
    result = measure(cli, banco, second)
    assert result.exit_code == 0, result.output
    assert "OKR509" in result.stdout  # 1300 tickets: far off, written as measured and reported
    assert f"updated {READING}" in result.stdout
    text = (banco / READING).read_text(encoding="utf-8")
    # b.yaml replaced a.csv's only value: every value of the reading now comes from b.yaml.
    assert "source: b.yaml\n" in text
    assert "  onboarding-completion: 81\n  setup-tickets: 1300\n" in text
    again = measure(cli, banco, second)
    assert again.exit_code == 0 and f"nothing changed: {READING} already holds these values" in again.stdout


def test_a_reading_of_several_files_names_the_source_of_each_value(cli, banco, tmp_path) -> None:
    """The reading kept one source for the whole file ("a.csv, b.csv"), so a value measured only in
    a.csv was said to come from both. Each value names its own once there are several."""
    first = write(tmp_path / "a.csv", 'kr,value\nonboarding-completion,81%\nsetup-tickets,"1,320"\n')
    second = write(tmp_path / "b.csv", "kr,value,note\ntutorial-engagement,40,A/B test\nsetup-tickets,300\n")
    assert measure(cli, banco, first).exit_code == 0
    assert "source: a.csv\n" in (banco / READING).read_text(encoding="utf-8")  # one source: named once
    result = measure(cli, banco, second)
    assert result.exit_code == 0, result.output
    assert (banco / READING).read_text(encoding="utf-8").split("author:")[0].endswith("source: a.csv, b.csv\n")
    assert (banco / READING).read_text(encoding="utf-8").split("values:\n")[1] == (
        "  onboarding-completion: {value: 81, source: a.csv}\n"
        "  setup-tickets: {value: 300, source: b.csv}\n"
        "  tutorial-engagement: {value: 40, note: A/B test, source: b.csv}\n"
    )
    assert measure(cli, banco, second).stdout.endswith(f"nothing changed: {READING} already holds these values\n")
    assert cli("align", "--repo", str(banco), "--today", DAY).exit_code == 0


def test_a_reading_written_before_values_had_a_source_is_read_and_added_to(cli, banco, tmp_path) -> None:
    # An earlier okrctl wrote one source for the reading; its values keep what it said of them.
    (banco / "readings/discover").mkdir(parents=True)
    (banco / READING).write_text(
        "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\nsource: a.csv, b.csv\n"
        "values:\n  onboarding-completion: 81\n  setup-tickets: {value: 300, note: from Zendesk}\n",
        encoding="utf-8",
    )
    result = measure(cli, banco, write(tmp_path / "c.csv", "tutorial-engagement,40\n"))
    assert result.exit_code == 0, result.output
    text = (banco / READING).read_text(encoding="utf-8")
    assert "source: a.csv, b.csv, c.csv\n" in text
    assert text.split("values:\n")[1] == (
        "  onboarding-completion: {value: 81, source: 'a.csv, b.csv'}\n"
        "  setup-tickets: {value: 300, note: from Zendesk, source: 'a.csv, b.csv'}\n"
        "  tutorial-engagement: {value: 40, source: c.csv}\n"
    )


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("kpis.csv", "onbording-completion,80\n", "kpis.csv:1: 'onbording-completion' is not a key result"),
        (
            "kpis.csv",
            "kr,value\nsetup-tickets,300\nsetup-tickets,301\n",
            "kpis.csv:3: setup-tickets is given twice (first on line 2)",
        ),
        ("kpis.csv", "onboarding-completion,1,5\n", "kpis.csv:1: '1,5' is ambiguous"),
        # 1234.5 with a decimal comma, or 1.234 with the note "5": it was read as the second.
        ("kpis.csv", "setup-tickets,1.234,5\n", "kpis.csv:1: '1.234,5' is ambiguous"),
        ("kpis.csv", "setup-tickets,1 234,5\n", "kpis.csv:1: '1 234,5' is ambiguous"),
        ("kpis.csv", "setup-tickets,1\u2009234,5\n", "kpis.csv:1: '1\u2009234,5' is ambiguous"),  # a thin space
        ("kpis.csv", "setup-tickets,\u22121,325\n", "kpis.csv:1: '\u22121,325' is ambiguous"),  # a minus sign
        # A key with a line break, named on one line.
        ("kpis.json", '{"setup\\ntickets": 5}', "kpis.json:1: 'setup\\x0atickets' is not a key result of the team"),
        ("kpis.csv", 'onboarding-completion,"1,5"\n', "kpis.csv:1: onboarding-completion: '1,5' is ambiguous"),
        ("kpis.csv", "setup-tickets,38%\n", "kpis.csv:1: setup-tickets: '38%': a % sign"),
        ("kpis.csv", "# comment\n\nsetup-tickets,lots\n", "kpis.csv:3: setup-tickets: 'lots' is not a number"),
        ("kpis.json", '{\n "setup-tickets": 300,\n "setup-tickets": 301\n}', "kpis.json:3: duplicate key"),
        ("kpis.json", '{\n "setup-tickets": true\n}', "kpis.json:2: setup-tickets: true is not a number"),
        ("kpis.json", '{"setup-tickets": 300', "kpis.json:1: not JSON: expecting ',' delimiter at column 22"),  # not :2
        ("kpis.yaml", "setup-tickets: 300\nnope: 3\n", "kpis.yaml:2: 'nope' is not a key result"),
        ("kpis.yaml", "- {kr: setup-tickets}\n", "kpis.yaml:1: a row is {kr: …, value: …}"),
        # A mapping row refused for its shape says so (not "NoneType is not a number"), and so does null.
        ("kpis.yaml", "setup-tickets: {value: 300, notes: x}\n", "kpis.yaml:1: setup-tickets: write 'kr: value'"),
        ("kpis.json", '{"setup-tickets": {"note": "x"}}', "kpis.json:1: setup-tickets: write 'kr: value'"),
        ("kpis.json", '{"setup-tickets": null}', "kpis.json:1: setup-tickets: null is not a number"),
        # A null key result id said "kpis.yaml:2: None": the row's key is named for what it is.
        ("kpis.yaml", "setup-tickets: 300\nnull: 3\n", "kpis.yaml:2: null is not a key result id"),
        ("kpis.json", '[{"kr": null, "value": 3}]', "kpis.json:1: null is not a key result id"),
        # Past any float: an internal error (OverflowError) before; named by its size, not printed.
        (
            "kpis.json",
            '{"setup-tickets": 1' + "0" * 400 + "}",
            "kpis.json:1: setup-tickets: a number of about 401 digits is beyond what okrctl keeps",
        ),
        (
            "kpis.yaml",
            "setup-tickets: 1" + "0" * 20 + "\n",
            "kpis.yaml:1: setup-tickets: a number of about 21 digits is beyond what okrctl keeps",
        ),
        # A float past any float is read as infinity: it said "inf is not a finite number", then
        # "infinity is beyond …", a value the file never wrote. Named as written, as in a CSV file.
        ("kpis.json", '{"setup-tickets": 1e400}', "kpis.json:1: setup-tickets: '1e400' is beyond what okrctl keeps"),
        ("kpis.yaml", "setup-tickets: -1e400\n", "kpis.yaml:1: setup-tickets: '-1e400' is beyond what okrctl keeps"),
        (
            "kpis.json",
            '{"setup-tickets": {"value": 2.5E+999, "note": "x"}}',
            "kpis.json:1: setup-tickets: '2.5E+999' is beyond what okrctl keeps",
        ),
        ("kpis.csv", "setup-tickets,1e400\n", "kpis.csv:1: setup-tickets: '1e400' is beyond what okrctl keeps"),
        ("kpis.txt", "setup-tickets,300\n", "unknown file type '.txt'"),
        ("kpis.csv", "", "no values in the file"),
    ],
)
def test_a_bad_file_is_refused_with_file_and_line_and_nothing_is_written(
    cli, banco, tmp_path, name, content, problem
) -> None:
    values = write(tmp_path / name, content)
    before = git(banco, "rev-parse", "HEAD")
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 2, result.output
    assert problem in result.stderr
    assert "Traceback" not in result.stderr
    assert not (banco / "readings").exists()
    assert git(banco, "rev-parse", "HEAD") == before


@pytest.mark.parametrize(("where", "problem"), [("folder", "is a folder, not a file"), ("missing.txt", "no such file")])
def test_a_folder_or_a_missing_file_is_named_as_such(cli, banco, tmp_path, where, problem) -> None:
    (tmp_path / "folder").mkdir()
    for command in (["measure"], ["checkin", "-c", "7"]):  # checkin --values-from reads it the same way
        result = cli(
            *command, "--repo", str(banco), "--today", DAY, "--team", "discover", "--values-from", str(tmp_path / where)
        )
        assert result.exit_code == 2, result.output
        assert result.stderr == f"okrctl: {tmp_path / where}: {problem}\n"


def test_a_dash_for_standard_input_is_refused_by_name_not_called_a_missing_file(cli, banco) -> None:
    """``--values-from -`` read as the file "-" said "-: no such file"; a values file's format is told
    by its ending, so standard input is not read, and the message says so (nothing waits on it)."""
    for command in (["measure"], ["checkin", "-c", "7", "--dry-run"]):
        result = cli(*command, "--repo", str(banco), "--today", DAY, "--team", "discover", "--values-from", "-")
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            "okrctl: --values-from -: standard input is not read; save the values to a .csv, .json, .yaml or .yml"
            " file\n"
        )


def test_an_empty_values_file_name_is_refused_by_name_not_called_the_current_folder(cli, banco) -> None:
    """``--values-from "$KPIS"`` with the variable unset said ".: is a folder, not a file": the empty
    name is refused for what it is, as ``--output ''`` is."""
    for command in (["measure"], ["checkin", "-c", "7", "--dry-run"]):
        result = cli(*command, "--repo", str(banco), "--today", DAY, "--team", "discover", "--values-from", "")
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            "okrctl: --values-from: '' is no file name (a .csv, .json, .yaml or .yml file of values)\n"
        )
    assert not (banco / "readings").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", [["measure"], ["checkin", "-c", "7", "--dry-run"]])
def test_a_named_pipe_is_refused_at_once_not_waited_on(banco, tmp_path, command) -> None:
    """A FIFO named like a values file has no writer: reading it would wait for ever. It is no
    regular file, and is refused as such (exit 2), as /dev/null is."""
    import os
    import subprocess
    import sys

    fifo = tmp_path / "kpis.csv"
    os.mkfifo(fifo)
    for values in (fifo, Path("/dev/null")):
        args = [*command, "--repo", str(banco), "--today", DAY, "--team", "discover", "--values-from", str(values)]
        done = subprocess.run(
            [sys.executable, "-m", "okrctl", *args],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr == (
            f"okrctl: {values}: not a regular file (a pipe, device or socket); save the values to a file first\n"
        )


# A quote left open swallowed the rows after it into one note, and the file was taken (exit 0)
# with those key results missing. It is refused whole, on the line the quote opens on.
UNCLOSED_QUOTES = [
    (
        'kr,value,note\nsetup-tickets,300,"from Zendesk\nonboarding-completion,81\ntutorial-engagement,40\n',
        "{values}:2: unclosed quote: the rest of the file would be read as one value (nothing was written)",
    ),
    (  # closed by the next quote of the file, after swallowing a row
        'setup-tickets,300,"from Zendesk\nonboarding-completion,81\ntutorial-engagement,40,"from Mixpanel"\n',
        "{values}:1: unclosed quote: the quoted text runs on to line 3 and takes in rows such as "
        "'onboarding-completion,81' (nothing was written)",
    ),
    (  # the rows before it are still checked; an open quote in a value, a thousands value in quotes
        'kr,value\nsetup-tickets,lots\ntutorial-engagement,"1,320\nonboarding-completion,81\n',
        "{values}: 2 problems; nothing was written\n"
        "  {values}:2: setup-tickets: 'lots' is not a number; accepted: 1325, 1325.5, 1,325 or 1 325 (thousands), +12, -3\n"
        "  {values}:3: unclosed quote: the rest of the file would be read as one value",
    ),
]


@pytest.mark.parametrize(("content", "said"), UNCLOSED_QUOTES, ids=["to-the-end", "closed-later", "after-a-bad-row"])
def test_an_unclosed_quote_refuses_the_file_rather_than_swallowing_rows(cli, banco, tmp_path, content, said) -> None:
    values = write(tmp_path / "v.csv", content)
    before = git(banco, "rev-parse", "HEAD")
    for command in (["measure"], ["checkin", "-c", "7"]):  # checkin --values-from reads it the same way
        result = cli(*command, "--repo", str(banco), "--today", DAY, "--team", "discover", "--values-from", str(values))
        assert result.exit_code == 2, result.output
        assert result.stderr == "okrctl: " + said.format(values=values) + "\n"
    assert not (banco / "readings").exists() and not (banco / "checkins/discover" / f"{DAY}.yaml").exists()
    assert git(banco, "rev-parse", "HEAD") == before


def test_an_unclosed_quote_in_a_file_too_big_for_one_csv_cell_is_named_too(cli, banco, tmp_path) -> None:
    rows = "".join(f"tutorial-engagement,40,row {n}\n" for n in range(20_000))  # over csv's 128 KiB cell
    values = write(tmp_path / "v.csv", f'setup-tickets,300\nonboarding-completion,81,"from Mixpanel\n{rows}')
    result = measure(cli, banco, values)
    assert result.exit_code == 2, result.output
    assert (
        result.stderr
        == f"okrctl: {values}:2: unclosed quote: the rest of the file would be read as one value (nothing was written)\n"
    )


def test_a_quoted_note_may_span_lines_and_is_kept_as_one(cli, banco, tmp_path) -> None:
    # A spreadsheet exports a note written on two lines so; its lines start like no row of the file.
    values = write(
        tmp_path / "kpis.csv",
        'kr,value,note\nsetup-tickets,300,"from Zendesk\nafter the ""migration"", 2 tickets"\nonboarding-completion,81\n',
    )
    result = measure(cli, banco, values, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "  setup-tickets: {value: 300, note: 'from Zendesk after the \"migration\", 2 tickets'}\n" in result.stdout
    assert "  onboarding-completion: 81\n" in result.stdout


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "kpis.csv",
            "kr,value,note\nonboarding-completion,81,Pay \u202eredro\nsetup-tickets,320,dev \U0001f469\u200d\U0001f4bb\n",
        ),
        (
            "kpis.json",
            '{"onboarding-completion": {"value": 81, "note": "Pay \\u202eredro"},'
            ' "setup-tickets": {"value": 320, "note": "dev \U0001f469\u200d\U0001f4bb"}}',
        ),
    ],
)
def test_a_note_from_a_file_is_kept_as_a_note_flag_keeps_it(cli, banco, tmp_path, name, text) -> None:
    """A note's character that reorders text is written escaped, and the joiner of an emoji kept, as
    for ``--note``: the values file's notes lost both (``Pay redro``, ``dev 👩💻``)."""
    import yaml

    result = measure(cli, banco, write(tmp_path / name, text), "--dry-run")
    assert result.exit_code == 0, result.output
    assert '  onboarding-completion: {value: 81, note: "Pay \\u202eredro"}\n' in result.stdout
    values = yaml.safe_load(result.stdout)["values"]
    assert values["onboarding-completion"]["note"] == "Pay \u202eredro"
    assert values["setup-tickets"]["note"] == "dev \U0001f469\u200d\U0001f4bb"


def test_a_note_is_shown_on_the_terminal_without_what_hides_or_reorders_text(cli, banco, tmp_path) -> None:
    """The reading keeps the note escaped; the listing on the terminal removes such characters, as
    every text from the repository shown there is (docs/security.md)."""
    values = write(tmp_path / "kpis.csv", "kr,value,note\nsetup-tickets,320,abc\u202edef x\u200by\n")
    result = measure(cli, banco, values, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "(abcdef xy)" in result.stderr and "\u202e" not in result.stderr and "\u200b" not in result.stderr
    assert 'note: "abc\\u202edef x\\u200by"' in result.stdout


def test_the_commit_named_is_the_readings_own_when_the_file_name_looks_like_a_commit(cli, banco, tmp_path) -> None:
    """git's summary line ends with the subject, which names the values file: a name holding
    ``<hash>] `` was read as the commit made, and on a detached HEAD the advice kept that one."""
    git(banco, "checkout", "-q", "--detach")
    before = git(banco, "rev-parse", "--short", "HEAD").strip()
    values = write(tmp_path / f"k {before}] v.csv", "kr,value\nonboarding-completion,81%\n")
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 0, result.output
    made = git(banco, "rev-parse", "--short", "HEAD").strip()
    assert made != before
    assert f"committed {made} measure(discover)" in result.stdout
    assert f"keep it with 'git branch NAME {made}'" in result.stderr


def test_every_problem_of_a_file_is_listed(cli, banco, tmp_path) -> None:
    values = write(
        tmp_path / "kpis.csv", "onbording-completion,80\nsetup-tickets,x\nsetup-tickets,300\nsetup-tickets,301\n"
    )
    result = measure(cli, banco, values)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].endswith("kpis.csv: 4 problems; nothing was written")
    assert [line.split(": ")[0].strip() for line in lines[1:]] == [
        f"{values}:1",
        f"{values}:2",
        f"{values}:3",
        f"{values}:4",
    ]


def test_unknown_team_and_future_date_are_usage_errors(cli, banco, tmp_path) -> None:
    values = write(tmp_path / "kpis.csv", "setup-tickets,300\n")
    result = cli("measure", "--repo", str(banco), "--today", DAY, "--team", "nobody", "--values-from", str(values))
    assert result.exit_code == 2 and "unknown unit 'nobody'" in result.stderr
    result = measure(cli, banco, values, "--date", "2026-12-01")
    assert result.exit_code == 2 and "after today" in result.stderr
    assert measure(cli, banco, tmp_path / "missing.csv").exit_code == 2


def test_without_team_the_team_is_okrctl_team_or_the_git_users_unit_as_in_checkin(cli, banco, tmp_path) -> None:
    """SPEC §4 and docs/friday.md: --team, else OKRCTL_TEAM, else the unit whose members hold git
    user.email, else the error listing the teams. measure ignored the variable ("Missing option
    '--team' / '-t'", exit 2) where checkin, plan and retro took it."""
    values = write(tmp_path / "kpis.csv", "setup-tickets,320\n")
    args = ("measure", "--repo", str(banco), "--today", DAY, "--values-from", str(values))
    nobody = cli(*args)  # the KPI bot is a member of no unit
    assert nobody.exit_code == 2, nobody.output
    assert nobody.stderr == (
        "okrctl: no --team given and git user.email kpi-bot@example.com is not a member of any unit; "
        "teams: cards, core-platform, discover, identity-platform, small-business-app; "
        "other units: banco, digital-services\n"
    )
    mistyped = cli(*args, env={"OKRCTL_TEAM": "discver"})
    assert mistyped.exit_code == 2 and mistyped.stderr.startswith("okrctl: OKRCTL_TEAM: unknown unit 'discver'")
    assert not (banco / READING).exists()
    by_variable = cli(*args, env={"OKRCTL_TEAM": "discover"})
    assert by_variable.exit_code == 0, by_variable.stderr
    assert by_variable.stdout.splitlines() == [
        "discover · values measured on 2026-11-26 from kpis.csv",
        "  setup-tickets  332 → 320",
        f"wrote {READING}",
    ]
    git(banco, "config", "user.email", "ana.costa@example.com")  # a member of discover
    by_email = cli(*args[:-1], str(write(tmp_path / "kpis.csv", "setup-tickets,310\n")))
    assert by_email.exit_code == 0, by_email.stderr
    assert by_email.stdout.startswith("discover · values measured on 2026-11-26 from kpis.csv\n")
    assert "  setup-tickets: 310\n" in (banco / READING).read_text(encoding="utf-8")


def test_a_date_outside_every_cycle_is_a_usage_error_as_in_checkin(cli, banco, tmp_path) -> None:
    """docs/friday.md: a --date no cycle of the team's objectives contains is exit 2, naming the option
    and the cycles, as checkin's is; today outside every cycle is the repository's state (exit 1)."""
    values = write(tmp_path / "m2.csv", "onboarding-completion,81\n")
    cycles = "its objectives are in 2026-Q4 (2026-10-01 to 2026-12-31)"
    result = measure(cli, banco, values, "--date", "2026-09-28", today="2026-11-27")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"okrctl: --date: 'discover' has no objective whose cycle contains 2026-09-28: {cycles}; nothing was written\n"
    )
    checkin = cli(
        "checkin",
        "--repo",
        str(banco),
        "--today",
        "2026-11-27",
        "--team",
        "discover",
        "--date",
        "2026-09-25",
        "-c",
        "6",
    )
    assert checkin.exit_code == 2
    assert checkin.stderr == f"okrctl: --date: 'discover' has no objective whose cycle contains 2026-09-25: {cycles}\n"
    today = measure(cli, banco, values, today="2027-03-27")
    assert today.exit_code == 1
    assert today.stderr == (
        f"okrctl: 'discover' has no objective whose cycle contains 2027-03-27: {cycles}; nothing was written\n"
    )
    assert not (banco / "readings").exists()


def test_a_milestone_is_listed_as_done_or_a_share_done_on_both_sides_of_the_arrow(cli, banco, tmp_path) -> None:
    """The value before is shown the way the value after is: never a bare ``0.25`` next to ``done``."""
    values = write(tmp_path / "kpis.csv", "kr,value\nmulti-director-opening,done\n")
    result = cli(
        "measure", "--repo", str(banco), "--today", DAY, "--team", "small-business-app",
        "--values-from", str(values), "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "  multi-director-opening  25% done → done\n" in result.stderr
    values = write(tmp_path / "kpis.csv", "kr,value\nmulti-director-opening,0.5\n")
    result = cli(
        "measure", "--repo", str(banco), "--today", DAY, "--team", "small-business-app",
        "--values-from", str(values), "--dry-run",
    )  # fmt: skip
    assert "  multi-director-opening  25% done → 50% done\n" in result.stderr


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_csv_export_separated_by_semicolons_or_tabs_is_refused_saying_so(cli, banco, tmp_path, separator) -> None:
    """A spreadsheet's export with ';' (or tabs) between the columns: one message that names the
    separator, not '1 columns' on every row and a key result called 'setup-tickets;"1'."""
    rows = ["kr", "value", "note"], ["onboarding-completion", "81"], ["setup-tickets", '"1,5"', "from Zendesk"]
    values = write(tmp_path / "kpis.csv", "".join(separator.join(row) + "\n" for row in rows))
    result = measure(cli, banco, values)
    assert result.exit_code == 2
    shown = "';'" if separator == ";" else "tabs"
    assert result.stderr.strip() == (
        f"okrctl: {values}:1: the columns are separated by {shown}; okrctl reads comma-separated rows, "
        "kr,value[,note] (nothing was written)"
    )
    assert not (banco / "readings").exists()


def test_a_row_with_one_cell_says_column_not_columns(cli, banco, tmp_path) -> None:
    values = write(tmp_path / "kpis.csv", "onboarding-completion,81\nsetup-tickets\n")
    result = measure(cli, banco, values)
    assert result.exit_code == 2
    assert f"{values}:2: 1 column; a row is kr,value or kr,value,note" in result.stderr


def test_a_reading_is_checked_as_written_and_its_comments_are_kept(cli, banco, tmp_path) -> None:
    """measure wrote the day's reading afresh, so a hand-written comment was dropped (a silencing
    one too). It edits the reading where it stands: a misspelt comment, kept, is an error measure
    names; once it is put right, the values are written and the comment stays."""
    values = write(tmp_path / "a.csv", "onboarding-completion,80\n")
    assert measure(cli, banco, values).exit_code == 0
    path = banco / READING
    path.write_text("# okrctl: ignroe[OKR509]\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    align = cli("align", "--repo", str(banco), "--today", DAY, "--format", "concise", "--select", "OKR107")
    assert f"{READING}:1:1: OKR107" in align.stdout
    before = path.read_bytes()
    refused = measure(cli, banco, write(tmp_path / "b.csv", "onboarding-completion,81\n"))
    assert refused.exit_code == 1
    assert f"{READING}:1:1: OKR107" in refused.stderr and "nothing was written" in refused.stderr
    assert path.read_bytes() == before
    path.write_text(path.read_text(encoding="utf-8").replace("ignroe", "ignore"), encoding="utf-8")
    result = measure(cli, banco, tmp_path / "b.csv")
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").startswith("# okrctl: ignore[OKR509]\n")
    assert "onboarding-completion: 81" in path.read_text(encoding="utf-8")


def test_measure_keeps_the_other_documents_comments_and_author_of_the_file_it_adds_to(cli, banco, tmp_path) -> None:
    """The day's reading was written afresh from itself alone: another document of its file (the
    day before's reading) was deleted and --commit committed the deletion; comments were dropped; and
    the same values measured again by another job were written again under its name."""
    folder = banco / "readings/discover"
    folder.mkdir(parents=True)
    path = folder / "november.yaml"
    path.write_text(
        "# Checked by hand: the export double-counts merged tickets.\n"
        "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-23\nsource: dashboard\n"
        "values:\n  onboarding-completion: 80\n"
        "---\n"
        "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-24\nsource: kpis.csv\n"
        "author: first-bot@example.com\n"
        "values:\n  setup-tickets: 1320   # okrctl: ignore[OKR509]\n  onboarding-completion: 80.5\n",
        encoding="utf-8",
    )
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "readings")
    kpis = write(tmp_path / "kpis.csv", "onboarding-completion,80.5\n")
    again = measure(cli, banco, kpis, "--date", "2026-11-24", "--commit")
    assert again.exit_code == 0, again.output
    assert "nothing changed: readings/discover/november.yaml already holds these values" in again.stdout
    assert git(banco, "log", "--format=%s", "-1").strip() == "readings"  # no commit of the same values
    result = measure(
        cli, banco, write(tmp_path / "kpis.csv", "tutorial-engagement,41\n"), "--date", "2026-11-24", "--commit"
    )
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Checked by hand: the export double-counts merged tickets.\n")
    assert "date: 2026-11-23\nsource: dashboard\nvalues:\n  onboarding-completion: 80\n---\n" in text
    assert (
        "  setup-tickets: 1320   # okrctl: ignore[OKR509]\n  onboarding-completion: 80.5\n  tutorial-engagement: 41\n"
        in text
    )
    assert "author: kpi-bot@example.com\n" in text  # who wrote the reading last
    assert "OKR509" not in cli("align", "--repo", str(banco), "--today", DAY, "--format", "concise").stdout
    # The commit holds the added value alone: nothing of the other reading was removed.
    assert git(banco, "show", "--numstat", "--format=", "HEAD").strip() == "2\t1\treadings/discover/november.yaml"


def test_the_same_file_measured_again_changes_nothing_even_with_a_comma_in_its_name(cli, banco, tmp_path) -> None:
    values = write(tmp_path / "kpis, march.csv", "kr,value\nonboarding-completion,81\n")
    assert measure(cli, banco, values, "--commit").exit_code == 0
    head = git(banco, "rev-parse", "HEAD")
    again = measure(cli, banco, values, "--commit")
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.stdout
    assert "source: kpis, march.csv\n" in (banco / READING).read_text(encoding="utf-8")
    assert git(banco, "rev-parse", "HEAD") == head  # no second commit of the same values


def test_a_values_file_name_with_a_newline_or_escape_stays_one_line(cli, banco, tmp_path) -> None:
    values = write(tmp_path / "kpis\n\x1b[31mred.csv", "kr,value\nonboarding-completion,81\n")
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert result.stdout.splitlines()[0] == "discover · values measured on 2026-11-26 from kpis\\x0a\\x1b[31mred.csv"
    subject, _, body = git(banco, "log", "-1", "--format=%B").partition("\n")
    assert subject == "measure(discover): 2026-11-26 1 value from kpis\\x0a\\x1b[31mred.csv" and not body.strip()
    bad = write(tmp_path / "bad\n\x1b[31m.csv", "kr,value\nnope,1\n")
    refused = measure(cli, banco, bad)
    assert refused.exit_code == 2
    assert "\x1b" not in refused.output and len(refused.stderr.splitlines()) == 1


# Two ``okrctl measure`` processes that meet where the first of them touches the day's reading: at
# its lock (``repofiles.exclusive``) when the reading exists, where the new file is named when it does
# not. Each says it has arrived there; the one that gets the lock then waits inside it until the
# other has arrived at the lock too (up to 20 s), so both read the reading before either replaces it
# unless the lock keeps the second out. At the naming of a new file, both wait for each other first.
_MEET_AT_THE_READING = """
import fcntl, os, sys, time
from pathlib import Path
from okrctl.cli.entry import main

meeting, reading = Path(sys.argv[1]), os.path.realpath(sys.argv[2])
real_flock, real_link, real_replace = fcntl.flock, os.link, os.replace

def arrive():
    mine = meeting / str(os.getpid())
    if mine.exists():
        return False
    mine.touch()
    return True

def both_arrived():
    deadline = time.monotonic() + 20
    while len(list(meeting.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)

def flock(fd, operation):
    first = operation & fcntl.LOCK_EX and os.path.realpath(f"/proc/self/fd/{fd}") == reading and arrive()
    done = real_flock(fd, operation)
    if first:
        both_arrived()
    return done

def link(source, target, *args, **kwargs):
    if os.path.realpath(target) == reading and arrive():
        both_arrived()
    return real_link(source, target, *args, **kwargs)

def replace(source, target, *args, **kwargs):
    if os.path.realpath(target) == reading and arrive():
        both_arrived()
    return real_replace(source, target, *args, **kwargs)

fcntl.flock, os.link, os.replace = flock, link, replace
sys.argv = ["okrctl", *sys.argv[3:]]
main()
"""


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the meeting point names files through /proc")
@pytest.mark.parametrize("earlier", [False, True], ids=["new-reading", "existing-reading"])
def test_two_measure_processes_writing_one_reading_at_once_both_land(banco, tmp_path, earlier) -> None:
    """Two scheduled jobs measure the same team on the same day at the same moment (one from the
    product analytics, one from the support desk). Both exit 0, the day's reading holds the values
    of both (and those measured before), whole, and nothing else is left in its folder."""
    from tests.conftest import ROOT

    reading = banco / READING
    if earlier:
        # A reading of the day exists: both replace it, under its lock.
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        before = write(tmp_path / "early.csv", "tutorial-engagement,38\n")
        args = ["--repo", str(banco), "--today", DAY, "--team", "discover", "--values-from", str(before)]
        first = subprocess.run([sys.executable, "-m", "okrctl", "measure", *args], env=env, capture_output=True)
        assert first.returncode == 0, first.stderr
    jobs = {
        "analytics.csv": "onboarding-completion,81\n",
        "support.csv": "setup-tickets,320\n",
    }
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _MEET_AT_THE_READING,
                str(meeting),
                str(reading),
                "measure",
                "--repo",
                str(banco),
                "--today",
                DAY,
                "--team",
                "discover",
                "--values-from",
                str(write(tmp_path / name, content)),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        for name, content in jobs.items()
    ]
    outcomes = [(run.wait(timeout=120), *(part.decode() for part in run.communicate())) for run in runs]
    assert len(list(meeting.iterdir())) == 2  # both reached the reading at once
    assert [code for code, _, _ in outcomes] == [0, 0], outcomes
    assert all(err == "" for _, _, err in outcomes), outcomes
    last_lines = sorted(out.splitlines()[-1] for _, out, _ in outcomes)
    assert last_lines == ([f"updated {READING}"] * 2 if earlier else [f"updated {READING}", f"wrote {READING}"])
    text = reading.read_text(encoding="utf-8")
    assert "  onboarding-completion: {value: 81, source: analytics.csv}\n" in text
    assert "  setup-tickets: {value: 320, source: support.csv}\n" in text
    assert ("  tutorial-engagement: {value: 38, source: early.csv}\n" in text) == earlier
    sources = next(line for line in text.splitlines() if line.startswith("source: "))
    assert sorted(sources.removeprefix("source: ").split(", ")) == sorted([*jobs, *(["early.csv"] if earlier else [])])
    assert [p.name for p in reading.parent.iterdir()] == [reading.name]  # no temporary file left
    # Whole, and a reading align accepts: status takes both values from it.
    status = subprocess.run(
        [
            sys.executable,
            "-m",
            "okrctl",
            "status",
            "--repo",
            str(banco),
            "--today",
            DAY,
            "--team",
            "discover",
            "-f",
            "json",
        ],
        env=env,
        capture_output=True,
        check=True,
    )
    krs = {kr["id"]: kr["value"] for kr in json.loads(status.stdout)["objectives"][0]["key_results"]}
    assert krs["onboarding-completion"] == 81 and krs["setup-tickets"] == 320
    assert (
        subprocess.run(
            [sys.executable, "-m", "okrctl", "align", "--repo", str(banco), "--today", DAY, "--strict"], env=env
        ).returncode
        == 0
    )


def test_a_reading_that_another_writer_turned_into_something_else_meanwhile_is_left_alone(
    cli, banco, tmp_path, monkeypatch
) -> None:
    """The run adds to the reading as it is at the moment of writing; a file that no longer holds
    a valid reading of the team and day then is refused, and kept as the other writer left it."""
    from okrctl import measure as core

    assert measure(cli, banco, write(tmp_path / "early.csv", "tutorial-engagement,38\n")).exit_code == 0
    reading = banco / READING
    real = core.prepare
    other = "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-25\nsource: x\nvalues: {}\n"

    def prepared_then_replaced(*args, **kwargs):
        measurement = real(*args, **kwargs)
        reading.write_text(other, encoding="utf-8")  # another writer, between reading and writing
        return measurement

    monkeypatch.setattr(core, "prepare", prepared_then_replaced)
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "onboarding-completion,81\n"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: {READING}: changed by someone else meanwhile, and holds no valid reading of 'discover' "
        "for 2026-11-26 any more; nothing was written\n"
    )
    assert reading.read_text(encoding="utf-8") == other


@pytest.mark.parametrize("earlier", [False, True], ids=["new-reading", "existing-reading"])
def test_a_reading_another_run_saves_after_this_run_read_the_repository_loses_nothing(
    cli, banco, tmp_path, monkeypatch, earlier
) -> None:
    """Another ``measure`` saves the day's reading after this run read the repository but before it
    looks at the reading (three jobs at once make this window): this run adds to the reading as it
    is now, and neither refuses it as "holds no valid reading" nor writes over the other's values."""
    from okrctl import measure as core
    from tests.conftest import ROOT

    if earlier:
        assert measure(cli, banco, write(tmp_path / "early.csv", "tutorial-engagement,38\n")).exit_code == 0
    other = write(tmp_path / "support.csv", "setup-tickets,320\n")
    real = core.prepare

    def another_run_first(*args, **kwargs):
        done = subprocess.run(
            [sys.executable, "-m", "okrctl", "measure", "--repo", str(banco), "--today", DAY, "--team", "discover"]
            + ["--values-from", str(other)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
        )
        assert done.returncode == 0, done.stderr
        return real(*args, **kwargs)

    monkeypatch.setattr(core, "prepare", another_run_first)
    result = measure(cli, banco, write(tmp_path / "analytics.csv", "onboarding-completion,81\n"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"updated {READING}"
    text = (banco / READING).read_text(encoding="utf-8")
    assert "  onboarding-completion: {value: 81, source: analytics.csv}\n" in text
    assert "  setup-tickets: {value: 320, source: support.csv}\n" in text
    assert ("  tutorial-engagement: {value: 38, source: early.csv}\n" in text) == earlier


def test_a_reading_another_run_committed_meanwhile_is_reported_and_the_index_left_clean(
    cli, banco, tmp_path, monkeypatch
) -> None:
    """Another ``measure --commit`` commits the reading, with this run's values in it, between this
    run's write and its commit: git has nothing left to commit. That is not a failure (exit 0, the
    commit named), and the user's index is left as it was: no staged deletion of the reading."""
    from okrctl import measure as core

    real = core.write

    def written_then_committed_by_another(measurement, *args, **kwargs):
        done = real(measurement, *args, **kwargs)
        git(banco, "add", "--", READING)
        git(banco, "commit", "-q", "-m", "measure(discover): by the other job", "--", READING)
        return done

    monkeypatch.setattr(core, "write", written_then_committed_by_another)
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "onboarding-completion,81\n"), "--commit")
    assert result.exit_code == 0, result.output
    sha = git(banco, "rev-parse", "--short=7", "HEAD").strip()
    assert (
        result.stdout.splitlines()[-1] == f"committed meanwhile by another run as {sha} (what this run wrote is in it)"
    )
    assert git(banco, "status", "--porcelain") == ""
    assert "onboarding-completion: 81" in git(banco, "show", f"HEAD:{READING}")


def _measured_while_another_run_adds(cli, banco, tmp_path, monkeypatch, *other_run: str):
    """``measure --commit`` of analytics.csv, during which (between its write and its commit)
    another ``measure`` adds support.csv's value to the reading, with ``other_run``'s options."""
    from okrctl import measure as core
    from tests.conftest import ROOT

    other = write(tmp_path / "support.csv", "setup-tickets,320\n")
    real = core.write

    def another_run_adds_to_it(measurement, *args, **kwargs):
        done = real(measurement, *args, **kwargs)
        second = subprocess.run(
            [sys.executable, "-m", "okrctl", "measure", "--repo", str(banco), "--today", DAY, "--team", "discover"]
            + ["--values-from", str(other), *other_run],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
        )
        assert second.returncode == 0, second.stderr
        return done

    monkeypatch.setattr(core, "write", another_run_adds_to_it)
    return measure(cli, banco, write(tmp_path / "analytics.csv", "onboarding-completion,81\n"), "--commit")


@pytest.mark.slow
def test_a_reading_another_run_added_to_before_this_run_commits_is_left_to_that_run(
    cli, banco, tmp_path, monkeypatch
) -> None:
    """Two ``measure --commit`` jobs: the second adds its value to the reading after the first
    wrote it and before the first commits. The first does not commit the second's value under its
    own message (each commit holds what its message names): it says the reading was added to, and
    the second's commit holds both values."""
    result = _measured_while_another_run_adds(cli, banco, tmp_path, monkeypatch, "--commit")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "another run added to the reading since and committed it, with these values in it"
    )
    # The second's commit holds both values, and its message names both.
    assert git(banco, "log", "-1", "--format=%s").strip() == (
        "measure(discover): 2026-11-26 2 values from analytics.csv, support.csv"
    )
    committed = git(banco, "show", f"HEAD:{READING}")
    assert "onboarding-completion: {value: 81" in committed and "setup-tickets: {value: 320" in committed
    assert git(banco, "status", "--porcelain") == ""


@pytest.mark.slow
def test_a_reading_another_run_added_to_without_committing_it_is_committed_by_this_run(
    cli, banco, tmp_path, monkeypatch
) -> None:
    """A ``measure --commit`` whose reading a run without --commit added to before this run
    committed left the commit to that run, which never makes one: exit 0, nothing committed, and
    the scheduled job's values never reached the repository. Both values are committed now, the
    message naming both sources (an earlier run's uncommitted values are committed so too)."""
    result = _measured_while_another_run_adds(cli, banco, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "another run added to the reading since, without committing it: committed with its values" in result.stdout
    assert git(banco, "log", "-1", "--format=%s").strip() == (
        "measure(discover): 2026-11-26 2 values from analytics.csv, support.csv"
    )
    committed = git(banco, "show", f"HEAD:{READING}")
    assert "onboarding-completion: {value: 81" in committed and "setup-tickets: {value: 320" in committed
    assert git(banco, "status", "--porcelain") == ""


def test_a_reading_edited_by_hand_between_the_write_and_the_commit_is_not_committed(
    cli, banco, tmp_path, monkeypatch
) -> None:
    """A hand edit (a broken line typed into the reading) between this run's write and its commit
    was committed, as "another run added to the reading since", with exit 0: align then failed."""
    from okrctl import measure as core

    real = core.write

    def edited_by_hand(measurement, *args, **kwargs):
        done = real(measurement, *args, **kwargs)
        with (banco / READING).open("a", encoding="utf-8") as file:
            file.write("  onboarding-completion: [typed by hand\n")
        return done

    monkeypatch.setattr(core, "write", edited_by_hand)
    before = git(banco, "rev-parse", "HEAD")
    result = measure(cli, banco, write(tmp_path / "analytics.csv", "onboarding-completion,81\n"), "--commit")
    assert result.exit_code == 1, result.output
    assert f"{READING}: changed since this run wrote it, and no longer a reading that holds its values" in result.stderr
    assert git(banco, "rev-parse", "HEAD") == before
    assert "typed by hand" in (banco / READING).read_text(encoding="utf-8")


def test_a_reading_is_never_written_through_a_link_a_commit_put_in_the_checkout(cli, banco, tmp_path) -> None:
    """A commit that makes ``readings`` a link to ``checkins`` put the reading, and its commit, in
    ``checkins/discover/`` (where the team's check-in of the day then could not be written), while
    the output said ``wrote readings/…``. A link a commit put there is never written through."""
    (banco / "readings").symlink_to("checkins")
    git(banco, "add", "readings")
    git(banco, "commit", "-q", "-m", "link")
    before = git(banco, "rev-parse", "HEAD")
    values = write(tmp_path / "kpis.csv", "onboarding-completion,81\n")
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"okrctl: {READING}: readings is a symbolic link a commit put in the checkout; okrctl never writes through "
        "one; nothing was written\n"
    )
    assert not (banco / "checkins" / "discover" / f"{DAY}.yaml").exists()
    assert git(banco, "rev-parse", "HEAD") == before


def test_a_broken_objective_is_named_with_its_line_and_nothing_is_written(cli, banco, tmp_path) -> None:
    objective = banco / "okrs/2026-Q4/discover.yaml"
    text = objective.read_text(encoding="utf-8")
    objective.write_text(text + "titel: x\n", encoding="utf-8")
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,300\n"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: okrs/2026-Q4/discover.yaml:{len(text.splitlines()) + 1}: the objective of 'discover' here has "
        f"errors, so 'discover' has no valid objective whose cycle contains {DAY}; nothing was written; fix it "
        "first ('okrctl align okrs/2026-Q4/discover.yaml' shows every problem)\n"
    )
    assert not (banco / READING).exists()


def test_a_yaml_error_in_the_objective_is_named_with_its_line_whatever_the_date(cli, banco, tmp_path) -> None:
    """A duplicate key in the team's objective: measure --date blamed the date ('--date: 'discover'
    has no objective whose cycle contains 2026-11-26: it owns no objective', exit 2) although the
    date lies in the objective's cycle. The file and the line of its error are named, exit 1."""
    objective = banco / "okrs/2026-Q4/discover.yaml"
    text = objective.read_text(encoding="utf-8")
    objective.write_text(text.replace("    target: 90\n", "    target: 90\n    target: 95\n", 1), encoding="utf-8")
    line = text.splitlines().index("    target: 90") + 2
    values = write(tmp_path / "kpis.csv", "onboarding-completion,80\n")
    for today in (DAY, "2026-11-27"):
        result = measure(cli, banco, values, "--date", DAY, today=today)
        assert (result.exit_code, result.stderr) == (
            1,
            f"okrctl: okrs/2026-Q4/discover.yaml:{line}: the objective of 'discover' here has errors, so "
            f"'discover' has no valid objective whose cycle contains {DAY}; nothing was written; fix it first "
            "('okrctl align okrs/2026-Q4/discover.yaml' shows every problem)\n",
        )
    assert not (banco / READING).exists()


def test_a_value_the_check_in_of_the_same_date_gives_is_said_to_stay(cli, banco, tmp_path) -> None:
    """Discover checked in on 2026-11-20 with onboarding-completion 79: a reading of that date
    records 85, but the day's value stays the check-in's, and the listing says so instead of
    "79 → 85" (status agrees)."""
    values = write(tmp_path / "kpis.csv", "kr,value\nonboarding-completion,85\nsetup-tickets,332\n")
    result = measure(cli, banco, values, "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:3] == [
        "  onboarding-completion  85 recorded; the check-in of 2026-11-20 gives 79, which stays that day's value",
        "  setup-tickets          332 recorded; the check-in of 2026-11-20 gives the same",
    ]
    status = cli("status", "--repo", str(banco), "--today", "2026-11-20", "--team", "discover", "-f", "json")
    krs = {kr["id"]: kr["value"] for kr in json.loads(status.stdout)["objectives"][0]["key_results"]}
    assert krs["onboarding-completion"] == 79


def test_a_yaml_number_in_another_base_is_refused_as_on_the_command_line(cli, banco, tmp_path) -> None:
    """YAML reads ``0x51`` as 81; a person reading the file sees no 81. It is refused with the
    words ``--result 0x51`` gets, and a decimal with an exponent is still a number."""
    values = write(tmp_path / "kpis.yaml", "onboarding-completion: 0x51\nsetup-tickets: 3.2e2\n")
    result = measure(cli, banco, values)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"okrctl: {values}:1: onboarding-completion: '0x51' is not a number; accepted: 1325, 1325.5"
    )
    assert not (banco / READING).exists()
    values = write(tmp_path / "kpis.yaml", "onboarding-completion: 81\nsetup-tickets: 3.2e2\n")
    assert measure(cli, banco, values, "--dry-run").exit_code == 0


@pytest.mark.parametrize(("key", "code"), [("\x04", 130), ("\x03", 130), ("n\r", 0)])
@pytest.mark.slow
def test_at_a_terminal_the_far_off_question_stops_cleanly(banco, tmp_path, key: str, code: int) -> None:
    """Ctrl-D at "write them anyway?" was an internal error (exit 3); Ctrl-C printed its line after
    the prompt. Both stop with exit 130 on a line of their own, and nothing is written."""
    from tests.pty_driver import Terminal

    values = write(tmp_path / "far.csv", "setup-tickets,2800\n")
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "NO_COLOR": "1",
        "OKRCTL_NO_CACHE": "1",
    }
    command = [sys.executable, "-m", "okrctl", "measure", "--repo", str(banco), "--team", "discover"]
    command += ["--values-from", str(values), "--today", "2026-11-26"]
    with Terminal(command, cwd=tmp_path, env=env) as term:
        term.expect("Far-off values: write them anyway? [y/N] ")
        if code:
            term.send_until(key, "okrctl: interrupted")
        else:
            term.send_raw(key)
        out = term.expect_exit(code)
    assert "internal error" not in term.output and "Traceback" not in term.output
    if code:
        assert re.search(r"(^|\n)okrctl: interrupted", term.output), term.output
    else:
        assert "Nothing written." in out
    assert not (banco / "readings").exists() or not list((banco / "readings").rglob("2026-11-26.yaml"))


def test_a_value_under_the_other_spelling_of_its_key_is_the_same_value(cli, banco, tmp_path) -> None:
    """A reading keyed ``objective/kr`` measured again by a file giving the bare id was rewritten:
    the key respelled and moved, its silencing comment dropped, the author replaced, committed."""
    folder = banco / "readings/discover"
    folder.mkdir(parents=True)
    text = (
        "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-24\nsource: kpis.csv\n"
        "author: someone@example.com\nvalues:\n"
        "  discover-first-week/setup-tickets: 1320  # okrctl: ignore[OKR509]\n  onboarding-completion: 80\n"
    )
    (folder / "2026-11-24.yaml").write_text(text, encoding="utf-8")
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "reading")
    kpis = write(tmp_path / "kpis.csv", "setup-tickets,1320\nonboarding-completion,80\n")
    same = measure(cli, banco, kpis, "--date", "2026-11-24", "--commit")
    assert same.exit_code == 0, same.output
    assert "nothing changed" in same.stdout
    assert (folder / "2026-11-24.yaml").read_text(encoding="utf-8") == text
    moved = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,1330\n"), "--date", "2026-11-24")
    assert moved.exit_code == 0, moved.output
    assert "  discover-first-week/setup-tickets: 1330  # okrctl: ignore[OKR509]\n" in (
        folder / "2026-11-24.yaml"
    ).read_text(encoding="utf-8")
    # The comment silences OKR509: measure does not say align will report it.
    assert "align does not report it here (OKR509 is silenced for this reading)" in moved.stdout
    assert "'okrctl align' reports" not in moved.stdout


HEAD_OF_READING = "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-24\nsource: kpis.csv\n"


@pytest.mark.parametrize(
    "text",
    [
        HEAD_OF_READING
        + "values: {\n  setup-tickets: 1320,  # okrctl: ignore[OKR509]\n  onboarding-completion: 80\n}\n",
        # A root mapping that does not start its line: the library writes the whole file again.
        "".join("  " + line + "\n" for line in HEAD_OF_READING.splitlines())
        + "  values:\n    onboarding-completion: 80\n---\n{apiVersion: okrctl/v1, kind: Reading, owner: discover, "
        "date: 2026-11-23, source: v0.csv, values: {setup-tickets: 1320,  # okrctl: ignore[OKR509]\n"
        " onboarding-completion: 79}}\n",
    ],
    ids=["comment in a flow mapping", "comment in another document of a file written whole"],
)
def test_a_comment_the_yaml_library_would_drop_refuses_the_write(cli, banco, tmp_path, text) -> None:
    """measure wrote the reading again without such a comment (an okrctl: ignore among them), and
    committed it: it refuses instead, naming the comment's line, and writes nothing."""
    folder = banco / "readings/discover"
    folder.mkdir(parents=True)
    path = folder / "2026-11-24.yaml"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    result = measure(cli, banco, write(tmp_path / "t.csv", "tutorial-engagement,41\n"), "--date", "2026-11-24")
    assert result.exit_code == 1, result.output
    assert "okrctl: readings/discover/2026-11-24.yaml:" in result.stderr
    assert "this comment would be lost by writing the reading again" in result.stderr
    assert path.read_bytes() == before


def test_a_line_separator_or_next_line_before_a_problem_moves_no_line(cli, banco, tmp_path) -> None:
    """U+2028, U+2029 and U+0085 are text (YAML 1.2), not line ends: a values file with one in a
    comment had the note on its next line named by the value YAML read (31), not as written; a
    reading with one in its source had the comment it cannot keep named a line late."""
    values = write(tmp_path / "kpis.yaml", "# from the job\x85twice\nsetup-tickets: {value: 3, note: 0x1F}\n")
    result = measure(cli, banco, values)
    assert result.exit_code == 2, result.output
    assert "kpis.yaml:2: setup-tickets: the note 0x1F is not text" in result.stderr
    folder = banco / "readings/discover"
    folder.mkdir(parents=True)
    path = folder / "2026-11-24.yaml"
    path.write_text(
        HEAD_OF_READING.replace("kpis.csv", '"kpis\u2028\u2029.csv"')
        + "values: {\n  setup-tickets: 1320,  # okrctl: ignore[OKR509]\n  onboarding-completion: 80\n}\n",
        encoding="utf-8",
    )
    before = path.read_bytes()
    result = measure(cli, banco, write(tmp_path / "t.csv", "tutorial-engagement,41\n"), "--date", "2026-11-24")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("okrctl: readings/discover/2026-11-24.yaml:7: this comment would be lost")
    assert path.read_bytes() == before


def test_text_that_only_looks_like_a_comment_is_no_reason_to_refuse(cli, banco, tmp_path) -> None:
    """A ``#`` in a single-quoted note with an escaped quote, or at the start of a line of a block
    note, is text: measure refused such readings as if a comment would be lost."""
    folder = banco / "readings/discover"
    folder.mkdir(parents=True)
    path = folder / "2026-11-24.yaml"
    path.write_text(
        HEAD_OF_READING + "values:\n  onboarding-completion:\n    value: 78\n    note: 'the team''s #1 priority'\n"
        "  setup-tickets:\n    value: 340  # counted by hand\n    note: |\n      Zendesk view\n"
        "      # of tickets tagged setup\n",
        encoding="utf-8",
    )
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,330\n"), "--date", "2026-11-24")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "    value: 330  # counted by hand\n" in text
    assert "note: 'the team''s #1 priority'" in text
    assert cli("align", "--repo", str(banco), "--today", DAY).exit_code == 0


def test_a_reading_written_back_as_head_holds_it_is_no_commit_of_another_run(cli, banco, tmp_path) -> None:
    """The user staged the deletion of a committed reading and measured the same values again:
    git had nothing to commit, and okrctl said another run had committed it meanwhile (none had),
    leaving an intent-to-add entry over the user's staged deletion."""
    values = write(tmp_path / "kpis.csv", "kr,value\nonboarding-completion,81\n")
    assert measure(cli, banco, values, "--commit").exit_code == 0
    git(banco, "rm", "-q", READING)
    before = git(banco, "rev-parse", "HEAD").strip()
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 0, result.output
    assert f"not committed: HEAD ({before[:7]}) holds {READING} as written already" in result.stdout
    assert "meanwhile" not in result.stdout
    assert git(banco, "rev-parse", "HEAD").strip() == before
    assert git(banco, "status", "--porcelain").splitlines() == [f"D  {READING}", "?? readings/"]


BROKEN_READING = {
    # (the reading's text, the line of its first error as align reports it)
    "a value that is text": (
        f"{HEAD_OF_READING.replace('2026-11-24', DAY)}values:\n  onboarding-completion: high\n",
        7,
    ),
    "a key written twice": (
        f"{HEAD_OF_READING.replace('2026-11-24', DAY)}source: dashboard\nvalues:\n  onboarding-completion: 80\n",
        6,
    ),
    "a tab that indents": (f"{HEAD_OF_READING.replace('2026-11-24', DAY)}values:\n\tonboarding-completion: 80\n", 7),
}


@pytest.mark.parametrize("args", [(), ("--dry-run",), ("--commit",)], ids=["write", "dry run", "commit"])
@pytest.mark.parametrize("broken", list(BROKEN_READING))
def test_a_reading_of_the_day_with_errors_in_another_file_is_named_and_no_second_is_written(
    cli, banco, tmp_path, broken, args
) -> None:
    """The team's reading of the day with an error, in a file of another name: measure wrote (and
    with --commit committed) a second reading of the day beside it, an OKR102 error once the first
    is fixed. It is refused as checkin refuses such a check-in: its file and the line of its first
    error, nothing written (exit 1)."""
    text, line = BROKEN_READING[broken]
    other = "readings/discover/thursday.yaml"
    (banco / "readings/discover").mkdir(parents=True)
    write(banco / other, text)
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "reading by hand")
    head = git(banco, "rev-parse", "HEAD")
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,300\n"), *args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"okrctl: {other}:{line}: the reading of 'discover' for {DAY} here has errors; nothing was written "
        f"(run 'okrctl align {other}' and fix it)\n",
    )
    assert sorted(p.name for p in (banco / "readings/discover").iterdir()) == ["thursday.yaml"]
    assert git(banco, "rev-parse", "HEAD") == head
    assert git(banco, "status", "--porcelain") == ""


@pytest.mark.parametrize("broken", list(BROKEN_READING))
def test_a_reading_of_the_day_with_errors_at_its_own_place_is_named_with_its_line(cli, banco, tmp_path, broken) -> None:
    """A broken reading at readings/discover/<day>.yaml was refused naming the file alone ('the file
    exists but holds no valid reading'); align names its line, and so does measure now."""
    text, line = BROKEN_READING[broken]
    (banco / "readings/discover").mkdir(parents=True)
    before = write(banco / READING, text).read_bytes()
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,300\n"))
    assert (result.exit_code, result.stderr) == (
        1,
        f"okrctl: {READING}:{line}: the reading of 'discover' for {DAY} here has errors; nothing was written "
        f"(run 'okrctl align {READING}' and fix it)\n",
    )
    assert f"{READING}:{line}:" in cli("align", "--repo", str(banco), "--today", DAY).stdout
    assert (banco / READING).read_bytes() == before


def test_a_file_at_the_readings_place_that_holds_no_reading_of_the_day_is_named_with_its_line(
    cli, banco, tmp_path
) -> None:
    """Its date cannot be read, so it is no reading of the day; still the line of its error is named."""
    (banco / "readings/discover").mkdir(parents=True)
    write(banco / READING, HEAD_OF_READING.replace("2026-11-24", "26-11-2026") + "values:\n  setup-tickets: 320\n")
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,300\n"))
    assert (result.exit_code, result.stderr) == (
        1,
        f"okrctl: {READING}:4: the file exists but holds no valid reading of 'discover' for {DAY}; nothing was "
        "written (run 'okrctl align' and fix or move it)\n",
    )


UNPLACED_READING = {
    # (where it lies, its text, what the refusal calls it, the line of its first error as align reports it)
    "no owner, in the team's folder": (
        "readings/discover/thursday.yaml",
        HEAD_OF_READING.replace("owner: discover\n", "").replace("2026-11-24", DAY) + "values:\n  setup-tickets: 300\n",
        f"a reading for {DAY} here with no readable owner, among those of 'discover',",
        1,
    ),
    "no owner, in a file of the team's readings": (
        "readings/week.yaml",
        HEAD_OF_READING
        + "values:\n  setup-tickets: 320\n---\n"
        + HEAD_OF_READING.replace("owner: discover\n", "").replace("2026-11-24", DAY)
        + "values:\n  setup-tickets: 300\n",
        f"a reading for {DAY} here with no readable owner, among those of 'discover',",
        9,
    ),
    "a date with a time": (
        "readings/discover/thursday.yaml",
        HEAD_OF_READING.replace("2026-11-24", f"{DAY}T10:00:00") + "values:\n  setup-tickets: 300\n",
        f"the reading of 'discover' for {DAY} here",
        4,
    ),
}


@pytest.mark.parametrize("args", [("--dry-run",), ("--commit",)], ids=["dry run", "commit"])
@pytest.mark.parametrize("broken", list(UNPLACED_READING))
def test_a_broken_reading_of_the_day_whose_owner_or_date_cannot_be_read_stops_a_second_one(
    cli, banco, tmp_path, broken, args
) -> None:
    """A broken reading of the day without an owner (in the team's folder, or in a file of the team's
    readings), or whose date holds a time: measure wrote and committed a second reading of the day
    beside it (with --dry-run: 'dry run: ... not written', exit 0), an OKR102 error once the first
    is fixed. It is refused as one that names the team is (exit 1, nothing written)."""
    rel, text, whose, line = UNPLACED_READING[broken]
    (banco / rel).parent.mkdir(parents=True, exist_ok=True)
    write(banco / rel, text)
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "reading by hand")
    head = git(banco, "rev-parse", "HEAD")
    assert f"{rel}:{line}:" in cli("align", "--repo", str(banco), "--today", DAY).stdout
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,310\n"), *args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"okrctl: {rel}:{line}: {whose} has errors; nothing was written (run 'okrctl align {rel}' and fix it)\n",
    )
    assert not (banco / READING).exists()
    assert git(banco, "rev-parse", "HEAD") == head
    assert git(banco, "status", "--porcelain") == ""


def test_a_broken_reading_without_an_owner_in_another_teams_folder_is_not_the_teams(cli, banco, tmp_path) -> None:
    (banco / "readings/cards").mkdir(parents=True)
    write(
        banco / "readings/cards/thursday.yaml",
        HEAD_OF_READING.replace("owner: discover\n", "").replace("2026-11-24", DAY) + "values:\n  x: 1\n",
    )
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,310\n"))
    assert result.exit_code == 0, result.output
    assert (banco / READING).exists()


def test_a_broken_reading_without_an_owner_in_another_teams_folder_beside_the_teams_is_not_the_teams(
    cli, banco, tmp_path
) -> None:
    """An ownerless broken reading of the day in cards' folder, in a file whose other reading is
    discover's: measure refused discover's reading ('among those of 'discover''), though the folder
    makes it cards'. It is cards' alone: discover's reading is written."""
    (banco / "readings/cards").mkdir(parents=True)
    write(
        banco / "readings/cards/shared.yaml",
        HEAD_OF_READING
        + "values:\n  setup-tickets: 320\n---\n"
        + HEAD_OF_READING.replace("owner: discover\n", "").replace("2026-11-24", DAY)
        + "values:\n  x: 1\n",
    )
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "readings by hand")
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,310\n"))
    assert result.exit_code == 0, result.output
    assert "setup-tickets: 310" in (banco / READING).read_text(encoding="utf-8")


def test_the_line_named_is_the_first_error_of_the_days_reading_not_of_its_file(cli, banco, tmp_path) -> None:
    """In a file of two readings, both with an error, the refusal named the first error of the file
    (line 7, the reading of the day before); it names the first error of the day's reading, where
    align reports it."""
    rel = "readings/discover/week.yaml"
    (banco / "readings/discover").mkdir(parents=True)
    write(
        banco / rel,
        HEAD_OF_READING.replace("2026-11-24", "2026-11-25")
        + "values:\n  setup-tickets: many\n---\n"
        + HEAD_OF_READING.replace("2026-11-24", DAY)
        + "values:\n  setup-tickets: 290\n  tutorial-engagement: lots\n",
    )
    align = cli("align", "--repo", str(banco), "--today", DAY).stdout
    assert f"{rel}:7:" in align and f"{rel}:16:" in align
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,310\n"), "--dry-run")
    assert (result.exit_code, result.stderr) == (
        1,
        f"okrctl: {rel}:16: the reading of 'discover' for {DAY} here has errors; nothing was written "
        f"(run 'okrctl align {rel}' and fix it)\n",
    )


def test_a_broken_objective_is_named_with_the_line_of_its_own_first_error(cli, banco, tmp_path) -> None:
    """A file whose first document, another team's objective, has an error before the team's: the
    refusal named that other objective's line; it names the first error of the team's objective."""
    objective = banco / "okrs/2026-Q4/discover.yaml"
    text = objective.read_text(encoding="utf-8")
    other = "apiVersion: okrctl/v1\nkind: Objective\nid: cards-draft\nowner: cards\ncycle: 2026-Q4\n---\n"
    objective.write_text(other + text + "titel: x\n", encoding="utf-8")
    line = len(other.splitlines()) + len(text.splitlines()) + 1
    result = measure(cli, banco, write(tmp_path / "kpis.csv", "setup-tickets,300\n"))
    assert (result.exit_code, result.stderr) == (
        1,
        f"okrctl: okrs/2026-Q4/discover.yaml:{line}: the objective of 'discover' here has errors, so 'discover' "
        f"has no valid objective whose cycle contains {DAY}; nothing was written; fix it first "
        "('okrctl align okrs/2026-Q4/discover.yaml' shows every problem)\n",
    )
