"""The check-in against a hostile repository and a racing colleague.

* a broken okrctl.yaml stops every command that would compute or write with it (item 9);
* text from the repository never reaches the terminal as escape sequences, prompts included (11);
* ``--amend`` rewrites the check-in's document only: every other byte of the file is kept (13);
* ``--amend`` is compare-and-swap: of two racing amendments one is refused, none is lost (14).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, git
from tests.helpers_git import committed_by_a_member
from tests.pty_driver import Terminal, without_readline

FRIDAY = "2026-11-27"
LAST = "checkins/discover/2026-11-20.yaml"
DISCOVER = "okrs/2026-Q4/discover.yaml"

# Sequences a planted text would use on a terminal: clipboard write (OSC 52), window title,
# clear screen, cursor home, a one-character CSI, a bell.
HOSTILE = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b]0;owned\x07\x1b[2J\x1b[H\x9b31m\x07"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


# ----- item 9: a broken config stops the check-in (and every command that opens the repository) ---------
BROKEN_CONFIGS = [
    ("colour: blue\n", "unknown field 'colour'"),
    ("checkin: {confidence: {min: 0, max: five}}\n", "checkin.confidence.max"),
    ("cycles: [{id: fy27, start: 2027-02-30, end: 2027-04-30}]\n", "cycles[0].start"),
]


@pytest.mark.parametrize(("extra", "said"), BROKEN_CONFIGS, ids=["unknown field", "scale", "cycle date"])
def test_a_checkin_against_a_broken_config_is_refused_with_its_line(cli, banco, extra, said):
    config = banco / "okrctl.yaml"
    text = config.read_text(encoding="utf-8")
    if extra.startswith("checkin:"):
        text = text.split("checkin:")[0]  # the example's own checkin section gives way to the broken one
    config.write_text(text + extra, encoding="utf-8")
    git(banco, "commit", "-qam", "a config with a mistake")
    before = head(banco)
    result = cli("checkin", "--repo", str(banco), "--today", FRIDAY, "--team", "discover", "-c", "7")
    assert result.exit_code == 1
    assert result.stderr.startswith("okrctl: okrctl.yaml:")
    assert said in result.stderr and "fix the config first" in result.stderr
    assert not (banco / "checkins" / "discover" / f"{FRIDAY}.yaml").exists()
    assert head(banco) == before


@pytest.mark.parametrize(
    "command",
    [
        ["checkin", "--team", "discover", "-c", "7", "--amend", "--date", "2026-11-20"],
        ["plan", "--team", "cards", "--write"],
        ["retro", "--team", "discover", "--write"],
        ["measure", "--team", "discover", "--values-from", "VALUES", "--dry-run"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_every_command_that_writes_refuses_a_broken_config(cli, banco, tmp_path, command):
    (banco / "okrctl.yaml").write_text((banco / "okrctl.yaml").read_text() + "colour: blue\n")
    values = tmp_path / "values.csv"
    values.write_text("kr,value\nonboarding-completion,80\n")
    args = [str(values) if a == "VALUES" else a for a in command]
    before = git(banco, "status", "--porcelain")
    result = cli(*args, "--repo", str(banco), "--today", FRIDAY)
    assert result.exit_code == 1, result.stderr
    assert "unknown field 'colour'; fix the config first" in result.stderr
    assert git(banco, "status", "--porcelain") == before  # nothing written


# ----- item 11: no escape sequence reaches the terminal, prompts included ------------------------------
def plant(banco: Path) -> None:
    objective = banco / DISCOVER
    text = objective.read_text(encoding="utf-8")
    text = text.replace('unit: "%"', f'unit: "{HOSTILE.encode("unicode_escape").decode()}"', 1)
    assert HOSTILE.encode("unicode_escape").decode() in text
    objective.write_text(text, encoding="utf-8")
    last = banco / LAST
    text = last.read_text(encoding="utf-8").replace(
        "  - Two engineers lent to the card-migration project until end of November",
        f'  - "Engineers lent {HOSTILE.encode("unicode_escape").decode()} away"',
    )
    last.write_text(text, encoding="utf-8")
    unit = banco / "units" / "discover.yaml"
    unit.write_text(
        unit.read_text().replace("name: Discover", f'name: "Discover {HOSTILE.encode("unicode_escape").decode()}"')
    )
    git(banco, "commit", "-qam", "planted escape sequences")


@pytest.mark.slow
def test_the_interactive_checkin_shows_planted_sequences_as_nothing(banco):
    plant(banco)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "TERM": "dumb",
    }
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "--no-commit"]
    with Terminal(command, cwd=banco, env=env) as term:
        term.expect("Confidence [8]: ")
        term.send("7")
        term.expect("[1] onboarding-completion")  # the prompt that carries the planted unit
        prompt = term.expect(": ")
        term.send("")
        for _ in range(2):
            term.expect(": ")
            term.send("")
        term.expect("note> ")
        term.send("")
        term.expect("Still open:")
        term.expect("[Y/n] ")
        term.send("y")
        term.expect("New issue (Enter to finish): ")
        term.send("")
        term.expect("Plan item (Enter to finish): ")
        term.send("")
        term.expect("? [Y/n] ")
        term.send("")
        term.expect_exit(0)
        shown = term.output
    assert "]52;" in HOSTILE and "]52;" not in shown
    for sequence in ("\x1b", "\x07", "\x9b", "\ufffd31m"):
        assert sequence not in shown, repr(sequence)
    assert "[2J" not in shown and "]0;owned" not in shown
    assert prompt == " (31m) [79]: "  # the planted unit, its sequences gone


# ----- item 13: --amend keeps every byte outside the check-in's document -----------------------------------
AMENDABLE = {
    "comments above the marker": (
        "# Written by hand.\n# okrctl: ignore[OKR505]\n---\n# the check-in\n{body}# last words\n",
        "\n",
    ),
    "a YAML directive and an end marker": ("%YAML 1.2\n---\n{body}...\n", "\n"),
    "CRLF line ends": ("# Windows editor\r\n{body}", "\r\n"),
    "CR line ends": ("# classic Mac OS editor\n{body}", "\r"),
    "a byte-order mark": ("\ufeff# with a BOM\n{body}", "\n"),
    "another document after it": (
        "{body}---\n# a note for later\napiVersion: okrctl/v1\nkind: Unit\nid: later\nname: Later\nparent: discover\n",
        "\n",
    ),
    "flush lists": ("{body}", "\n"),
}


def checkin_body(confidence: int, flush: bool) -> str:
    indent = "" if flush else "  "
    return (
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-20\n"
        "author: rui.almeida@example.com\n"
        f"confidence: {confidence}   # how sure we are\n"
        "results:\n  onboarding-completion: 79\n"
        f"issues:\n{indent}- Two engineers lent to the card-migration project until end of November\n"
    )


@pytest.mark.parametrize("case", list(AMENDABLE), ids=list(AMENDABLE))
def test_amend_changes_only_what_it_was_asked(cli, banco, case):
    shape, newline = AMENDABLE[case]
    flush = case == "flush lists"
    before = shape.format(body=checkin_body(8, flush)).replace("\n", newline)
    after = shape.format(body=checkin_body(4, flush)).replace("\n", newline)
    path = banco / LAST
    path.write_bytes(before.encode("utf-8"))
    git(banco, "commit", "-qam", "the check-in, written by hand")
    result = cli(
        "checkin", "--repo", str(banco), "--today", FRIDAY, "--team", "discover",
        "--date", "2026-11-20", "--amend", "-c", "4", "--no-commit",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert path.read_bytes() == after.encode("utf-8")


def test_an_ignore_comment_above_the_marker_still_applies_after_amend(cli, banco):
    """The 8 → 4 drop is an OKR505 warning; the file's own comment keeps it suppressed."""
    path = banco / LAST
    path.write_text("# okrctl: ignore[OKR505]\n---\n" + checkin_body(8, False), encoding="utf-8")
    git(banco, "commit", "-qam", "ignore the drop")
    result = cli(
        "checkin", "--repo", str(banco), "--today", FRIDAY, "--team", "discover",
        "--date", "2026-11-20", "--amend", "-c", "4", "--no-commit",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8").startswith("# okrctl: ignore[OKR505]\n---\n")
    align = cli("align", "--repo", str(banco), "--today", FRIDAY, "--format", "concise", "--select", "OKR505")
    assert align.stdout == ""


FLOW = "{apiVersion: okrctl/v1, kind: CheckIn, owner: discover, date: 2026-11-20, confidence: 8}"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("# okrctl: ignore[OKR505]\n---\n", "\n"),
        ("%YAML 1.2\n# okrctl: ignore[OKR505]\n--- ", "\n...\n"),
    ],
    ids=["comment-and-marker", "directive-and-end-marker"],
)
@pytest.mark.parametrize("trailing", ["", "  # a comment after the closing brace"], ids=["", "trailing-comment"])
def test_amend_of_a_flow_check_in_keeps_everything_around_it(cli, banco, before, after, trailing):
    """A check-in written as one flow mapping (``{…}``): amending it writes the mapping again, as a
    mapping, and keeps every byte around it — the ignore comment above ``---``, a ``%YAML`` line,
    a ``...`` — so the drop it excuses stays excused."""
    path = banco / LAST
    path.write_text(before + FLOW + trailing + after, encoding="utf-8")
    git(banco, "commit", "-qam", "a flow check-in")
    result = cli(
        "checkin", "--repo", str(banco), "--today", FRIDAY, "--team", "discover",
        "--date", "2026-11-20", "--amend", "-c", "4", "--issue", "KYC slow", "--no-commit",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    amended = FLOW.replace("confidence: 8}", "confidence: 4, issues: [KYC slow]}")
    assert path.read_text(encoding="utf-8") == before + amended + trailing + after
    align = cli("align", "--repo", str(banco), "--today", FRIDAY, "--format", "concise", "--select", "OKR505")
    assert align.stdout == ""


def test_amend_refuses_to_drop_a_comment_inside_a_flow_check_in(cli, banco):
    """A comment inside the ``{…}`` mapping cannot survive writing the mapping again: the amendment
    is refused with the comment's line, and the file is left as it was."""
    path = banco / LAST
    text = "{apiVersion: okrctl/v1, kind: CheckIn, owner: discover,\n date: 2026-11-20,  # moved\n confidence: 8}\n"
    path.write_text(text, encoding="utf-8")
    git(banco, "commit", "-qam", "a flow check-in")
    result = cli(
        "checkin", "--repo", str(banco), "--today", FRIDAY, "--team", "discover",
        "--date", "2026-11-20", "--amend", "-c", "4", "--no-commit",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: {LAST}:2: a comment inside the check-in's {{…}} mapping cannot be kept by --amend; nothing was "
        "written (write the check-in in block style, one key a line, or edit it by hand)\n"
    )
    assert path.read_text(encoding="utf-8") == text


# ----- item 14: amend is compare-and-swap -----------------------------------------------------------------
@pytest.mark.slow
def test_an_amend_that_waits_for_another_finds_the_file_changed_and_writes_nothing(banco):
    from okrctl import checkin as core
    from okrctl.checkin import Answers
    from okrctl.errors import ContentError
    from okrctl.fsutil import atomic_write
    from okrctl.load.pipeline import load_repo

    repo = load_repo(banco, use_cache=False)
    session = core.prepare(repo, "discover", date(2026, 11, 20), date(2026, 11, 27), amend=True)
    text = core.compose(session, core.keep_existing(session, Answers(confidence=5)), None)
    path = banco / LAST
    outcome: list[str] = []

    def amend() -> None:
        try:
            core.write(session, text)
            outcome.append("written")
        except ContentError as problem:
            outcome.append(problem.message)

    # Another amendment holds the file: ours must wait, then see the change and refuse.
    with open(path, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        racer = threading.Thread(target=amend)
        racer.start()
        racer.join(timeout=1.0)
        assert racer.is_alive(), "the amendment did not wait for the one in progress"
        theirs = path.read_text(encoding="utf-8").replace("confidence: 8", "confidence: 9")
        atomic_write(path, theirs)
    racer.join(timeout=30)
    assert outcome == [f"{LAST}: changed by someone else while you amended it; nothing was written"]
    assert path.read_text(encoding="utf-8") == theirs


@pytest.mark.slow
def test_racing_amendments_never_lose_one(banco):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "OKRCTL_NO_CACHE": "1"}
    base = [sys.executable, "-m", "okrctl", "checkin", "--repo", str(banco), "--today", FRIDAY]
    base += ["--team", "discover", "--date", "2026-11-20", "--amend", "--no-commit"]
    for round_ in range(4):
        issues = [f"round {round_} issue {who}" for who in ("A", "B")]
        procs = [
            subprocess.Popen([*base, "-i", issue], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for issue in issues
        ]
        codes = [p.wait(timeout=120) for p in procs]
        for p in procs:
            p.stdout.close()  # type: ignore[union-attr]
            p.stderr.close()  # type: ignore[union-attr]
        final = (banco / LAST).read_text(encoding="utf-8")
        assert 0 in codes and set(codes) <= {0, 1}, codes
        for code, issue in zip(codes, issues, strict=True):
            assert (issue in final) == (code == 0), (round_, codes, final)


def test_a_file_changed_between_loading_and_amending_is_refused(banco):
    """The answers are applied to the version the repository was loaded with, or to none."""
    from okrctl import checkin as core
    from okrctl.errors import ContentError
    from okrctl.load.pipeline import load_repo

    repo = load_repo(banco, use_cache=False)
    path = banco / LAST
    path.write_text(path.read_text(encoding="utf-8").replace("confidence: 8", "confidence: 9"), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        core.prepare(repo, "discover", date(2026, 11, 20), date(2026, 11, 27), amend=True)
    assert (
        refused.value.message
        == f"{LAST}: changed by someone else while okrctl read it; nothing was written (run again)"
    )


def test_amend_checks_the_okrctl_comments_of_the_file_as_align_will(cli, banco):
    """A malformed okrctl comment kept by the amend would fail align (OKR107): the amend says so and
    writes nothing; the same comment silenced in its document is no obstacle."""
    path = banco / LAST
    before = "# okrctl: ignroe[OKR505]\n---\n" + checkin_body(8, False)
    path.write_text(before, encoding="utf-8")
    git(banco, "commit", "-qam", "a comment okrctl cannot follow")
    args = ("checkin", "--repo", str(banco), "--today", FRIDAY, "--team", "discover", "--date", "2026-11-20")
    result = cli(*args, "--amend", "-c", "7", "--no-commit")
    assert result.exit_code == 1, result.output
    assert f"{LAST}:1:1: OKR107 '# okrctl: ignroe[OKR505]' silences nothing" in result.stderr
    assert path.read_text(encoding="utf-8") == before
    path.write_text(before.replace("ignroe[OKR505]", "ignroe[OKR505]  # okrctl: ignore[OKR107]"), encoding="utf-8")
    result = cli(*args, "--amend", "-c", "7", "--no-commit")
    assert result.exit_code == 0, result.stderr


def test_an_issue_that_quotes_an_okrctl_comment_is_written_as_text(cli, banco):
    """The issue's text is a value: what looks like a comment inside it is neither reported nor obeyed."""
    issue = "Lint fails: see # okrctl: docs, and # okrctl: ignore[OKR505]"
    args = ("checkin", "--repo", str(banco), "--today", FRIDAY, "--team", "discover", "-c", "7", "--no-commit")
    result = cli(*args, "--issue", issue)
    assert result.exit_code == 0, result.stderr
    align = cli("align", "--repo", str(banco), "--today", FRIDAY, "--format", "json", "--select", "OKR1")
    assert json.loads(align.stdout)["findings"] == []
    status = cli("status", "--repo", str(banco), "--today", FRIDAY, "--team", "discover", "--format", "json")
    assert issue in status.stdout


def test_the_file_header_carries_no_bidi_control_or_invisible_character_of_the_unit_name(cli, banco):
    """The header comment names the unit: a right-to-left override in its name reached the file
    (and the terminal with --dry-run), where every view removes it."""
    unit = banco / "units" / "cards.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("name: Cards", 'name: "Cards \\u202eSDRAC\\u202c \\u200b"'),
        encoding="utf-8",
    )
    result = cli("checkin", "--repo", str(banco), "--team", "cards", "-c", "5", "--today", "2026-11-27", "--no-commit")
    assert result.exit_code == 0, result.stderr
    header = (banco / "checkins/cards/2026-11-27.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert header == "# GRIP check-in of Cards SDRAC for 2026-11-27, written with `okrctl checkin`."


def test_an_answer_typed_in_another_encoding_is_asked_again(banco):
    """A Latin-1 'é' (0xe9) typed at a UTF-8 terminal: the question is asked again, saying why,
    and the check-in is written with the answer typed then (it once ended with exit 1, "does not
    pass align", an OKR100 at a line of the file it never wrote)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
    # The terminal's own line editing: GNU readline leaves such a byte out of the line as it is typed
    # (tests/test_checkin_line_editing.py).
    env = without_readline(env, banco.parent / "no-readline")
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "--no-commit", "--team", "discover"]
    with Terminal(command, cwd=banco, env=env) as term:
        term.expect("Confidence [8]: ")
        term.send("7")
        for _ in range(3):
            term.expect(": ")
            term.send("")
        term.expect("note> ")
        term.send("")
        term.expect("[Y/n] ")
        term.send("y")
        term.expect("New issue (Enter to finish): ")
        os.write(term.master, b"caf\xe9 machine down\r")
        term.expect("not UTF-8 text (the byte 0xe9); type it again")
        term.expect("New issue (Enter to finish): ")
        term.send("café machine down")
        term.expect("New issue (Enter to finish): ")
        term.send("")
        term.expect("Plan item (Enter to finish): ")
        term.send("")
        term.expect("? [Y/n] ")
        term.send("")
        term.expect_exit(0)
    written = (banco / "checkins" / "discover" / f"{FRIDAY}.yaml").read_text(encoding="utf-8")
    assert "- café machine down\n" in written


# ----- the repository changes while the team answers -------------------------------------------------
def _checkin_at_a_terminal(root: Path) -> Terminal:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "TERM": "dumb"}
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "-i", "None", "-p", "More"]
    return Terminal(command, cwd=root, env=env)


def _answer_while(banco: Path, change: Callable[[], object], code: int) -> str:
    """Confidence 7 and every default at the terminal, with ``change`` made to the repository
    after the first question; what the terminal showed, on one line, once okrctl exits ``code``."""
    with _checkin_at_a_terminal(banco) as term:
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


def test_a_scale_changed_while_the_team_answers_refuses_the_checkin(banco) -> None:
    """A `git pull` at the prompts brought a 0-5 scale: the confidence 7 typed against 0-10 would be
    committed with OKR504 in it. The check-in is checked again and refused, nothing written."""
    before = git(banco, "rev-parse", "HEAD")
    config = banco / "okrctl.yaml"
    out = _answer_while(banco, lambda: config.write_text(config.read_text().replace("max: 10}", "max: 5}")), 1)
    assert (
        "okrctl: okrctl.yaml changed while you answered, and the check-in no longer passes align; nothing was "
        "written: checkins/discover/2026-11-27.yaml:7:13: OKR504 confidence 7 is outside the scale 0–5"
    ) in out
    assert not (banco / f"checkins/discover/{FRIDAY}.yaml").exists()
    assert git(banco, "rev-parse", "HEAD") == before


def test_a_key_result_removed_while_the_team_answers_refuses_the_checkin(banco) -> None:
    objective = banco / DISCOVER
    text = objective.read_text()
    out = _answer_while(banco, lambda: objective.write_text(text[: text.index("  - id: setup-tickets")]), 1)
    assert "okrs/2026-Q4/discover.yaml changed while you answered" in out
    assert "OKR104 result for 'setup-tickets', which is not a key result" in out
    assert not (banco / f"checkins/discover/{FRIDAY}.yaml").exists()


@pytest.mark.slow
def test_a_change_that_leaves_the_checkin_valid_lets_it_be_written(banco) -> None:
    config = banco / "okrctl.yaml"
    out = _answer_while(banco, lambda: config.write_text(config.read_text().replace("max: 10}", "max: 20}")), 0)
    # The commit names the scale as it is now, and commits the check-in alone.
    assert "checkin(discover): 2026-11-27 confidence 7/20" in out
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [f"checkins/discover/{FRIDAY}.yaml"]


def test_a_broken_checkin_of_the_team_is_named_not_passed_over_in_silence(cli, banco) -> None:
    """The team's check-in of last week with an error (`confidence: high`) was skipped without a
    word: the check-in started from the week before (its confidence, its issues). It is named."""
    last = banco / LAST
    last.write_text(last.read_text().replace("confidence: 8", "confidence: high"))
    result = cli("checkin", "--repo", str(banco), "--today", FRIDAY, "-c", "7", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "okrctl: note: the documents with errors in 1 file are left out of what is shown "
        f"(first: {LAST}); 'okrctl align' shows why"
    ) in result.stderr
    assert "okrctl:" not in result.stdout  # the YAML alone
