"""The check-in while the repository moves under it: an objective broken while the team answers,
and a second check-in of the same team and day started while the first is still committing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, git
from tests.helpers_git import committed_by_a_member
from tests.pty_driver import TIMEOUT, Terminal

FRIDAY = "2026-11-27"
CHECKIN = f"checkins/discover/{FRIDAY}.yaml"
DISCOVER = "okrs/2026-Q4/discover.yaml"
ENV = {"PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


# ----- an objective broken while the team answers ---------------------------------------------------
def _answer_while(root: Path, change: Callable[[], object], code: int) -> str:
    """Confidence 7 and every default at the terminal, ``change`` made to the repository after the
    first question; what the terminal showed, on one line, once okrctl exits ``code``."""
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "-i", "None", "-p", "More"]
    with Terminal(command, cwd=root, env={**os.environ, **ENV}, columns=400) as term:
        term.expect("Confidence [8]: ")
        term.send("7")
        term.expect("[1] onboarding-completion (%) [79]: ")
        change()
        for step in range(3):
            term.send("")
            term.expect("]: " if step < 2 else "note> ")
        term.send("")
        term.expect("? [Y/n] ")
        term.send("")
        return " ".join(term.expect_exit(code).split("\n"))


def _edit(path: Path, old: str, new: str) -> Callable[[], None]:
    def edit() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


@pytest.mark.slow
def test_a_target_made_invalid_while_the_team_answers_refuses_the_checkin(banco) -> None:
    """The objective's file got an error at the prompts: the check-in was committed all the same,
    its summary from the objective as it was ("off-track, progress 0%"). It is refused as a fresh
    run refuses it, naming the file and the line of its error."""
    before = head(banco)
    out = _answer_while(banco, _edit(banco / DISCOVER, "target: 280", "target: abc"), 1)
    assert (
        f"okrctl: {DISCOVER}:43: the objective of 'discover' here has errors, so 'discover' has no valid objective "
        f"whose cycle contains {FRIDAY}; it changed while you answered, and nothing was written; fix it first "
        f"('okrctl align {DISCOVER}' shows every problem)"
    ) in out
    assert not (banco / CHECKIN).exists()
    assert head(banco) == before


@pytest.mark.slow
def test_a_yaml_error_in_the_objective_while_the_team_answers_refuses_the_checkin(banco) -> None:
    before = head(banco)
    out = _answer_while(banco, _edit(banco / DISCOVER, "    target: 280", "    target: [280"), 1)
    assert (
        f"okrctl: {DISCOVER}:43: the objective of 'discover' here has errors, so 'discover' has no valid objective "
        f"whose cycle contains {FRIDAY}; it changed while you answered, and nothing was written; fix it first "
        f"('okrctl align {DISCOVER}' shows every problem)"
    ) in out
    assert not (banco / CHECKIN).exists()
    assert head(banco) == before


@pytest.mark.slow
def test_one_of_two_objectives_broken_while_the_team_answers_refuses_the_checkin(banco) -> None:
    """The team keeps a valid objective, but the answers about the broken one cannot be checked."""
    second = banco / "okrs/2026-Q4/discover-trust.yaml"
    second.write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: discover-trust\nowner: discover\ncycle: 2026-Q4\n"
        "title: New users trust us with their money\naligns:\n  - {to: digital-first-week, type: directional}\n"
        "key_results:\n  - id: trust-score\n    title: Trust score from 3 to 4\n    baseline: 3\n    target: 4\n",
        encoding="utf-8",
    )
    git(banco, "add", "-A")
    git(banco, "commit", "-qm", "a second objective")
    before = head(banco)
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "-c", "7", "-i", "None", "-p", "More"]
    with Terminal(command, cwd=banco, env={**os.environ, **ENV}, columns=400) as term:
        term.expect("[1] onboarding-completion (%) [79]: ")
        _edit(second, "target: 4", "target: four")()
        term.send("")
        while not _enter_at_each_prompt(term):  # each value kept, each note empty, up to the confirmation
            pass
        out = " ".join(term.expect_exit(1).split("\n"))
    assert (
        "okrctl: okrs/2026-Q4/discover-trust.yaml:13: the file of the objective 'discover-trust' of 'discover' has "
        "errors, so the answers about it cannot be checked; it changed while you answered, and nothing was written"
    ) in out
    assert not (banco / CHECKIN).exists()
    assert head(banco) == before


def _enter_at_each_prompt(term: Terminal, confirmation: str = "? [Y/n] ") -> bool:
    """Enter at the next prompt; True once it was the confirmation (the first prompt ending in
    ``confirmation``)."""
    deadline = time.monotonic() + TIMEOUT  # guards against a hang only
    while True:
        shown = term.output[term.position :]
        if shown.endswith(("]: ", "> ", ": ", "[Y/n] ")) and term.settled():
            term.position = len(term.output)
            term.send("")
            return shown.endswith(confirmation)
        assert not term.closed and time.monotonic() < deadline, f"no prompt; the terminal shows:\n{shown}"
        term._read(0.1)


# ----- a second check-in while the first commits --------------------------------------------------------
def _wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + TIMEOUT  # guards against a hang only
    while not path.exists():
        assert process.poll() is None, f"ended before {path.name} appeared: {process.communicate()}"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def _second_while_the_first_commits(
    root: Path, first_args: list[str], second_args: list[str]
) -> tuple[subprocess.Popen[str], str, subprocess.CompletedProcess[str]]:
    """``okrctl checkin first_args`` held in a pre-commit hook until ``okrctl checkin second_args``
    has run (a slow hook, with no clock to race); the first process, its standard error, the second."""
    git_dir = root / ".git"
    hook = git_dir / "hooks" / "pre-commit"
    hook.write_text(
        "#!/bin/sh\ntouch .git/hook-started\nwhile [ ! -f .git/hook-release ]; do sleep 0.05; done\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)
    env = {**os.environ, **ENV}
    okrctl = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY]
    first = subprocess.Popen(
        [*okrctl, *first_args], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(git_dir / "hook-started", first)
        second = subprocess.run(
            [*okrctl, *second_args], cwd=root, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )
    finally:
        (git_dir / "hook-release").touch()
        _, err = first.communicate(timeout=TIMEOUT)
    return first, err, second


@pytest.mark.slow
def test_a_second_checkin_while_the_first_commits_is_told_of_the_race(banco) -> None:
    """The first run's commit waits in a slow pre-commit hook; a second run of the same team and
    day is told another check-in was written meanwhile, not that one is "written but not
    committed" (which the first commits a moment later)."""
    first, err, second = _second_while_the_first_commits(
        banco, ["-c", "7", "-i", "None", "-p", "More"], ["-c", "6", "-i", "Other", "-p", "Less"]
    )
    assert second.returncode == 1, second.stderr
    assert second.stderr.strip() == (
        f"okrctl: {CHECKIN}: another check-in of 'discover' for {FRIDAY} was written meanwhile; yours was not "
        "written (run again with --amend to edit that one)"
    )
    assert first.returncode == 0, err
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [CHECKIN]
    assert "confidence: 7" in (banco / CHECKIN).read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_checkin_whose_commit_a_hook_refused_is_still_said_to_be_uncommitted(banco) -> None:
    """No run holds the file: it is the check-in a refused commit left behind, and said so."""
    hook = banco / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    env = {**os.environ, **ENV}
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "-c", "7", "-i", "None", "-p", "More"]
    refused = subprocess.run(command, cwd=banco, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert refused.returncode == 1, refused.stderr
    again = subprocess.run(command, cwd=banco, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert again.returncode == 1
    assert f"'discover' already has a check-in for {FRIDAY}, written but not committed" in again.stderr


# ----- an --amend that changes nothing, at the terminal ---------------------------------------------------
def _written_not_committed(root: Path) -> None:
    """Discover's check-in of Friday written with --no-commit: on disk, untracked."""
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "-c", "7", "-i", "None", "-p", "More"]
    written = subprocess.run(
        [*command, "--no-commit"], cwd=root, env={**os.environ, **ENV}, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert written.returncode == 0, written.stderr
    assert git(root, "status", "--porcelain", "--", CHECKIN).startswith("??")


def _amend_with_enter_while(root: Path, change: Callable[[], object], code: int) -> str:
    """``checkin --amend`` of Friday at the terminal, ``change`` made at the first question, then
    Enter at every prompt (nothing changed); what the terminal showed, its words on one line, at
    exit ``code``."""
    command = [sys.executable, "-m", "okrctl", "checkin", "--amend", "--today", FRIDAY]
    with Terminal(command, cwd=root, env={**os.environ, **ENV}, columns=400) as term:
        term.expect("Confidence [7")
        change()
        while not _enter_at_each_prompt(term, "and commit it? [Y/n] "):  # "Still open: …? [Y/n]" too
            pass
        return " ".join(term.expect_exit(code).split())  # lines wrapped at the terminal's width, joined


@pytest.mark.slow  # a process each, waiting on a hook (about 2 s): in CI's longer run
def test_an_amend_that_changes_nothing_is_checked_again_before_it_commits_the_file_left_uncommitted(banco) -> None:
    """The scale changed to 0–5 while the team pressed Enter at every prompt: the check-in left
    uncommitted (confidence 7) was committed as it was ("nothing changed … committed"), exit 0, and
    align then failed on it. It is checked against the repository as it is now, and refused."""
    _written_not_committed(banco)
    before = head(banco)
    scale = _edit(banco / "okrctl.yaml", "confidence: {min: 0, max: 10}", "confidence: {min: 0, max: 5}")
    out = _amend_with_enter_while(banco, scale, 1)
    assert (
        "okrctl: okrctl.yaml changed while you answered, and the check-in no longer passes align; nothing was "
        f"written: {CHECKIN}:"
    ) in out
    assert "OKR504" in out
    assert "committed" not in out
    assert head(banco) == before
    assert git(banco, "status", "--porcelain", "--", CHECKIN).startswith("??")


@pytest.mark.slow  # a process each, waiting on a hook (about 2 s): in CI's longer run
def test_an_amend_that_changes_nothing_commits_nothing_an_editor_changed_meanwhile(banco) -> None:
    """The check-in itself edited at the prompts (confidence 42, out of the scale): the amend that
    changed nothing committed the file's new, unchecked text under a message of the old one
    ("confidence 6/10"), exit 0. Only the bytes read and checked are committed."""
    _written_not_committed(banco)
    before = head(banco)
    out = _amend_with_enter_while(banco, _edit(banco / CHECKIN, "confidence: 7", "confidence: 42"), 1)
    assert f"{CHECKIN}: changed by someone else while you amended it; nothing was written or committed" in out
    assert head(banco) == before
    assert git(banco, "status", "--porcelain", "--", CHECKIN).startswith("??")


def _remove(path: Path) -> Callable[[], None]:
    return path.unlink


def _linked_to_a_copy(root: Path, rel: str) -> Callable[[], None]:
    def swap() -> None:
        (root / "notes").mkdir()
        (root / rel).rename(root / "notes" / "copy.txt")
        (root / rel).symlink_to(os.path.relpath(root / "notes" / "copy.txt", (root / rel).parent))

    return swap


@pytest.mark.slow  # a process each, waiting on a hook (about 2 s): in CI's longer run
@pytest.mark.parametrize("how", ["removed", "linked"])
def test_an_amend_that_changes_nothing_refuses_a_file_removed_or_made_a_link_meanwhile(banco, how: str) -> None:
    """Removed at the prompts, the check-in was said to "already say all that" (exit 0); made a
    link to a copy, the copy was committed under the check-in's message (exit 0)."""
    _written_not_committed(banco)
    before = head(banco)
    change = _remove(banco / CHECKIN) if how == "removed" else _linked_to_a_copy(banco, CHECKIN)
    out = _amend_with_enter_while(banco, change, 1)
    said = "removed" if how == "removed" else "changed"
    assert f"{CHECKIN}: {said} by someone else while you amended it; nothing was written or committed" in out
    assert head(banco) == before


@pytest.mark.slow
def test_a_key_result_id_repeated_while_the_team_answers_refuses_the_checkin(banco) -> None:
    """An objective that repeats a key result id is refused before the questions; made so at the
    prompts, it still got the check-in and its commit (exit 0)."""
    before = head(banco)
    out = _answer_while(banco, _edit(banco / DISCOVER, "  - id: setup-tickets", "  - id: tutorial-engagement"), 1)
    assert (
        f"okrctl: {DISCOVER}:39: the objective 'discover-first-week' of 'discover' repeats the key result id "
        "'tutorial-engagement'"
    ) in out, out
    assert "it changed while you answered, and nothing was written" in out
    assert not (banco / CHECKIN).exists()
    assert head(banco) == before


@pytest.mark.slow  # a process each, waiting on a hook (about 2 s): in CI's longer run
def test_an_amend_that_changes_nothing_is_still_committed_when_the_repository_stays_valid(banco) -> None:
    """A change that leaves the check-in valid (a comment added) lets it be committed as it is."""
    _written_not_committed(banco)
    comment = _edit(banco / "okrctl.yaml", "organization: Banco Exemplo", "organization: Banco Exemplo  # renamed?")
    out = _amend_with_enter_while(banco, comment, 0)
    assert f"nothing changed: {CHECKIN} already says all that, but it was not committed; committed " in out
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [CHECKIN]


# ----- another git repository made where the check-in goes, while the team answers --------------------------
@pytest.mark.slow
def test_a_nested_repository_made_while_the_team_answers_gets_no_checkin(banco) -> None:
    """``git init`` in the team's folder at the prompts: the check-in was written into that
    repository and committed there (exit 0). Refused as before the questions, nothing written."""
    before = head(banco)
    folder = banco / "checkins/discover"
    out = " ".join(_answer_while(banco, lambda: git(folder, "init", "-q"), 1).split())
    assert (
        f"okrctl: {CHECKIN}: checkins/discover/ is the work tree of another git repository (a submodule or a "
        "nested clone), which okrctl does not read; nothing was written"
    ) in out
    assert not (banco / CHECKIN).exists()
    assert head(banco) == before
    assert subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=folder, capture_output=True).returncode


@pytest.mark.slow  # a process each, waiting on a hook (about 2 s): in CI's longer run
def test_a_nested_repository_made_while_an_amend_changes_nothing_gets_no_commit(banco) -> None:
    """The check-in left uncommitted, then its folder made another repository at the prompts:
    "nothing changed" committed it into that repository. Refused; the file stays as it was."""
    _written_not_committed(banco)
    before = head(banco)
    folder = banco / "checkins/discover"
    out = _amend_with_enter_while(banco, lambda: git(folder, "init", "-q"), 1)
    assert (
        f"okrctl: {CHECKIN}: checkins/discover/ is the work tree of another git repository (a submodule or a "
        "nested clone), which okrctl does not read; nothing was written"
    ) in out
    assert head(banco) == before
    assert subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=folder, capture_output=True).returncode
    assert (banco / CHECKIN).is_file()


def test_a_checkin_whose_folder_became_another_repository_after_it_was_written_is_not_committed_there(banco) -> None:
    """The last step: written, then its folder made another repository before the commit (no
    terminal can time that). The commit is refused; neither repository gets one."""
    from datetime import date

    from okrctl import checkin as core
    from okrctl.checkin import Answers
    from okrctl.gitio.commit import CommitRejected
    from okrctl.load.pipeline import load_repo

    before = head(banco)
    session = core.prepare(
        load_repo(banco, use_cache=False), "discover", date(2026, 11, 27), date(2026, 11, 27), amend=False
    )
    answers = Answers(confidence=7.0, issues=["None"], plan=["More"])
    core.keep_existing(session, answers)
    for line in session.krs:
        answers.results[line.key] = core.kept_value(line) or 0.0
    text = core.compose(session, answers, None)
    checked = core.validate(session, text, answers)
    assert not checked.errors
    core.write(session, text)
    folder = banco / "checkins/discover"
    git(folder, "init", "-q")
    with pytest.raises(CommitRejected) as refused:
        core.commit(session, checked, text.encode("utf-8"))
    assert refused.value.message == (
        "checkins/discover/ is now the work tree of another git repository (a submodule or a nested clone), which "
        f"okrctl does not read, so {CHECKIN} is not committed into it"
    )
    assert head(banco) == before
    assert subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=folder, capture_output=True).returncode


# ----- a check-in of a date another run is amending -------------------------------------------------------
@pytest.mark.slow
def test_a_checkin_of_a_date_another_run_is_amending_is_told_it_exists(banco) -> None:
    """The check-in of 2026-11-20 was committed long ago; an --amend of it waits in a slow hook.
    A plain run for that date was told "another check-in … was written meanwhile": it says what
    it says without the race, that the team already has a check-in of that date."""
    day = ["--date", "2026-11-20"]
    first, err, second = _second_while_the_first_commits(
        banco, [*day, "--amend", "-c", "6"], [*day, "-c", "8", "-i", "Other", "-p", "Less"]
    )
    assert second.returncode == 1, second.stderr
    assert second.stderr.strip() == (
        "okrctl: checkins/discover/2026-11-20.yaml: 'discover' already has a check-in for 2026-11-20; nothing was "
        "written (use --amend to edit it)"
    )
    assert first.returncode == 0, err
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == ["checkins/discover/2026-11-20.yaml"]


# ----- a folder where the check-in goes ---------------------------------------------------------------
FOLDER_IN_THE_WAY = (
    f"okrctl: {CHECKIN}: a folder is where the check-in of 'discover' for {FRIDAY} must be; nothing was written "
    "(run 'okrctl align' and fix or move it)"
)


def test_a_folder_where_the_checkin_goes_is_named_not_taken_for_a_checkin_written_meanwhile(cli, banco) -> None:
    """The walk records no folder, so a folder at the check-in's path looked like a check-in another
    run wrote after the load: "another check-in … was written meanwhile … run again with --amend",
    and only that --amend named the folder. Both runs name it now, in the same words (exit 1)."""
    before = head(banco)
    (banco / CHECKIN).mkdir()
    args = ["checkin", "--repo", str(banco), "--team", "discover", "--today", FRIDAY, "-c", "7"]
    new = cli(*args)
    assert new.exit_code == 1
    assert new.stderr.strip() == FOLDER_IN_THE_WAY
    amend = cli(*args, "--amend")
    assert amend.exit_code == 1
    assert amend.stderr == new.stderr
    assert (banco / CHECKIN).is_dir() and not any((banco / CHECKIN).iterdir())
    assert head(banco) == before


@pytest.mark.slow
def test_a_folder_made_where_the_checkin_goes_while_the_team_answers_is_named(banco) -> None:
    """Made at the prompts, the folder stopped the write with "another check-in … was written
    meanwhile"; the write names the folder, as a run started after it does."""
    before = head(banco)
    out = _answer_while(banco, (banco / CHECKIN).mkdir, 1)
    assert FOLDER_IN_THE_WAY in out, out
    assert "meanwhile" not in out
    assert (banco / CHECKIN).is_dir() and not any((banco / CHECKIN).iterdir())
    assert head(banco) == before


# ----- another branch checked out right after the commit -------------------------------------------
@pytest.mark.parametrize("rewritten", [False, True])
def test_the_commit_named_is_the_checkins_own_when_another_branch_is_checked_out_meanwhile(
    cli, banco, rewritten: bool
) -> None:
    """A checkout in another terminal just after git committed (here a post-commit hook makes the
    moment certain): the line named the other branch's tip, where the file's newest commit is none
    of this check-in's, and `git branch NAME <sha>` would have kept the wrong commit."""
    git(banco, "branch", "other")
    hook = banco / ".git" / "hooks" / "post-commit"
    hook.write_text("#!/bin/sh\ngit checkout -q other\n", encoding="utf-8")
    hook.chmod(0o755)
    if rewritten:  # a commit-msg hook that puts a ticket before the subject git prints
        message_hook = banco / ".git" / "hooks" / "commit-msg"
        message_hook.write_text('#!/bin/sh\nsed -i "1s/^/[OKR-7] /" "$1"\n', encoding="utf-8")
        message_hook.chmod(0o755)
    branch = git(banco, "symbolic-ref", "--short", "HEAD").strip()
    result = cli("checkin", "--repo", str(banco), "--team", "discover", "--today", FRIDAY, "-c", "6")
    assert result.exit_code == 0, result.output
    made = git(banco, "rev-parse", branch).strip()
    assert git(banco, "show", "--name-only", "--format=", made).split() == [CHECKIN]
    assert f"committed {made[:7]} " in result.stdout
