"""Editing an answer at the check-in's prompts, at a real terminal: with GNU readline (arrow keys,
Backspace, a pasted line of any length, Ctrl-D), without it (the terminal's own line editing), and
the terminal closing at a prompt."""

from __future__ import annotations

import os
import shlex
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, git
from tests.helpers_git import committed_by_a_member
from tests.pty_driver import Terminal, without_readline

FRIDAY = "2026-11-27"
NEW = f"checkins/discover/{FRIDAY}.yaml"
LEFT = "\x1b[D"  # the Left arrow key, as an xterm sends it
CTRL_D = "\x04"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    """A git repository holding the banco example; git user.email is a Discover member."""
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def environment(root: Path, *, readline: bool = True, inputrc: str = "") -> dict[str, str]:
    """okrctl's environment at a terminal; ``readline=False``: a Python without the readline module
    (a build without it), so the terminal's own line editing is all there is."""
    rc = root.parent / "inputrc"
    rc.write_text(inputrc)
    home = root.parent / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "TERM": "xterm",
        "LANG": "C.UTF-8",
        "INPUTRC": str(rc),  # the user's own ~/.inputrc never plays a part
        "HOME": str(home),  # where a history file would be: ~/.python_history
        "GIT_AUTHOR_NAME": "Ana Costa",
        "GIT_COMMITTER_NAME": "Ana Costa",
    }
    return env if readline else without_readline(env, root.parent / "no-readline")


def terminal(root: Path, *args: str, readline: bool = True, inputrc: str = "") -> Terminal:
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, *args]
    return Terminal(command, cwd=root, env=environment(root, readline=readline, inputrc=inputrc))


def up_to_the_issues(term: Terminal) -> None:
    """Confidence and values as they were, no note; the issue of last week dropped."""
    term.expect("Confidence [8]: ")
    term.send("6")
    for prompt in ("[79]: ", "[35.5]: ", "[332]: ", "note> "):
        term.expect(prompt)
        term.send("")
    term.expect("? [Y/n] ")  # Still open: "…"?
    term.send("n")
    term.expect("New issue (Enter to finish): ")


def to_the_end(term: Terminal) -> None:
    """No more issues, no plan, written and committed."""
    term.expect("New issue (Enter to finish): ")
    term.send("")
    term.expect("Plan item (Enter to finish): ")
    term.send("")
    term.expect(f"Write {NEW} and commit it? [Y/n] ")
    term.send("")
    term.expect_exit(0)


def paste(term: Terminal, text: str) -> None:
    """``text`` as a terminal pastes it, in pieces, the screen read meanwhile (a program that
    echoes what it reads would otherwise wait for the screen to be read, and the test for it)."""
    data = text.encode()
    for start in range(0, len(data), 256):
        os.write(term.master, data[start : start + 256])
        term._read(0.02)


def issues_written(root: Path) -> list[str]:
    import yaml

    return yaml.safe_load((root / NEW).read_text(encoding="utf-8"))["issues"]  # type: ignore[no-any-return]


# ----- with GNU readline ------------------------------------------------------------------------------
@pytest.mark.slow
def test_ctrl_d_on_a_typed_answer_never_sends_it_cut(banco: Path) -> None:
    # `4.75` then Ctrl-D gave the answer without its last character: 81.5 was written as 81.
    with terminal(banco) as term:
        term.expect("Confidence [8]: ")
        term.send("6")
        term.expect("[1] onboarding-completion (%) [79]: ")
        term.send_raw("81.5" + CTRL_D * 3)
        time.sleep(0.3)
        term.send("")  # Enter sends it, whole
        term.expect("[2] tutorial-engagement (%) [35.5]: ")
        term.send("")
        for prompt in ("[332]: ", "note> "):
            term.expect(prompt)
            term.send("")
        term.expect("? [Y/n] ")
        term.send("")
        to_the_end(term)
    assert "  onboarding-completion: 81.5\n" in (banco / NEW).read_text()


@pytest.mark.slow
def test_arrow_keys_edit_the_answer_and_the_file_says_what_the_screen_showed(banco: Path) -> None:
    # Left x2 and `i` showed `...strke^[[D^[[Di` and wrote `Courier strkei`.
    with terminal(banco) as term:
        up_to_the_issues(term)
        term.send("Courier strke" + LEFT * 2 + "i")
        to_the_end(term)
    assert issues_written(banco) == ["Courier strike"]


@pytest.mark.slow
def test_a_pasted_line_of_1500_cjk_characters_arrives_whole(banco: Path) -> None:
    # 4,500 bytes: the terminal's own line editing kept 4,095 of them, and that was written.
    text = "物流" * 750
    with terminal(banco) as term:
        up_to_the_issues(term)
        paste(term, text)
        term.send("")
        to_the_end(term)
    assert issues_written(banco) == [text]


@pytest.mark.slow
def test_tab_inserts_no_file_name_whatever_the_inputrc_binds(banco: Path) -> None:
    # Readline's own completion is file names: with `TAB: complete`, "chec" became "checkins/".
    with terminal(banco, inputrc="TAB: complete\n") as term:
        up_to_the_issues(term)
        term.send_raw("chec\t")
        time.sleep(0.3)
        term.send(" stock")
        to_the_end(term)
    assert issues_written(banco) == ["chec stock"]
    assert list((banco.parent / "home").iterdir()) == []  # no history file


@pytest.mark.slow
def test_a_byte_not_in_the_locales_encoding_is_left_out_of_the_line_as_typed(banco: Path) -> None:
    # A Latin-1 'é' at a UTF-8 terminal: readline neither shows nor takes it, so the file says what
    # the screen shows (without readline it is asked again, saying why: test_checkin_hostile).
    with terminal(banco) as term:
        up_to_the_issues(term)
        os.write(term.master, b"caf\xe9 machine down\r")
        term.expect("caf machine down\n")  # on the screen as in the file
        to_the_end(term)
    assert issues_written(banco) == ["caf machine down"]


@pytest.mark.slow
def test_utf8_typed_under_an_ascii_input_encoding_is_read_as_utf8(banco: Path) -> None:
    env = {**environment(banco), "PYTHONIOENCODING": "ascii", "LC_ALL": "C.UTF-8"}
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY]
    with Terminal(command, cwd=banco, env=env) as term:
        up_to_the_issues(term)
        term.send("café au lait")
        to_the_end(term)
    assert issues_written(banco) == ["café au lait"]


@pytest.mark.slow
def test_tab_inserts_nothing_and_the_file_says_what_the_screen_showed(banco: Path) -> None:
    # Tab put a TAB in the line: the screen showed `half     done`, the note was written
    # `half done`, and a confidence of `8<TAB>7` was "ambiguous".
    import yaml

    with terminal(banco) as term:
        term.expect("Confidence [8]: ")
        term.send("8\t7")
        term.expect("Confidence [8]: ")  # 87 is refused, and asked again
        term.send("6")
        for prompt in ("[79]: ", "[35.5]: ", "[332]: "):
            term.expect(prompt)
            term.send("")
        term.expect("note> ")
        term.send("1: half\tdone")
        shown = term.expect("note> ")
        term.send("")
        term.expect("? [Y/n] ")
        term.send("")
        to_the_end(term)
    assert "Confidence [8]: 87\n" in term.output and "1: halfdone\n" in shown  # the screen ...
    written = yaml.safe_load((banco / NEW).read_text(encoding="utf-8"))
    assert written["results"]["onboarding-completion"] == {"value": 79, "note": "halfdone"}  # ... and the file


# ----- Ctrl-Z at a prompt, then fg ------------------------------------------------------------------
@pytest.mark.parametrize("readline", [True, False], ids=["readline", "no-readline"])
@pytest.mark.slow
def test_ctrl_z_and_fg_at_a_prompt_show_it_again_and_the_file_says_what_the_line_showed(
    banco: Path, readline: bool
) -> None:
    # After fg neither the prompt nor the "8" typed before Ctrl-Z was shown (readline went on under
    # the shell's terminal settings, every key shown twice), and "1" typed then wrote 81.
    env = {**environment(banco, readline=readline), "PS1": "$ ", "HISTFILE": str(banco.parent / "history")}
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "--no-commit"]
    with Terminal(["bash", "--norc", "--noprofile", "-i"], cwd=banco, env=env) as term:
        term.expect("$ ")
        term.send(shlex.join(command))
        term.expect("Confidence [8]: ")
        term.send("6")
        term.expect("[1] onboarding-completion (%) [79]: ")
        term.send_raw("8")
        term.expect("8")
        term.settled(0.3)  # at its prompt again, reading the terminal
        term.send_raw("\x1a")  # Ctrl-Z
        term.expect("Stopped")
        term.expect("$ ")
        term.send("fg")
        if readline:  # the line as it was, the prompt and the 8
            term.expect("[1] onboarding-completion (%) [79]: 8")
            term.send("2")
        else:  # the terminal dropped the 8 at Ctrl-Z: asked again, empty
            term.expect("[1] onboarding-completion (%) [79]: ")
            assert term.settled(0.3)
            term.send("82")
        for prompt in ("[35.5]: ", "[332]: ", "note> "):
            term.expect(prompt)
            term.send("")
        term.expect("? [Y/n] ")
        term.send("")
        term.expect("New issue (Enter to finish): ")
        term.send("")
        term.expect("Plan item (Enter to finish): ")
        term.send("")
        term.expect(f"Write {NEW}? [Y/n] ")
        term.send("")
        term.expect("$ ")
        term.send("echo EXIT=$?; exit")
        rest = term.expect_exit(0)
    assert "EXIT=0" in rest
    assert "[1] onboarding-completion (%) [79]: 82\n" in term.output
    assert "  onboarding-completion: 82\n" in (banco / NEW).read_text(encoding="utf-8")


# ----- a locale whose encoding is not UTF-8: the terminal edits the line ---------------------------
def at_a_c_locale_terminal(root: Path) -> Terminal:
    """okrctl under LC_ALL=C at a terminal that sends UTF-8 and erases a character whole (``stty
    iutf8``, as a UTF-8 terminal sets it): GNU readline would edit bytes, not characters."""
    env = {**environment(root), "LC_ALL": "C"}
    shell = 'stty iutf8 && exec "$@"'
    command = ["sh", "-c", shell, "sh", sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY]
    return Terminal(command, cwd=root, env=env)


@pytest.mark.slow
def test_under_the_c_locale_backspace_erases_a_wide_character_whole(banco: Path) -> None:
    # Readline erased the last byte of 京: "not UTF-8 text (the bytes 0xba, 0xe4); type it again".
    with at_a_c_locale_terminal(banco) as term:
        up_to_the_issues(term)
        term.send("x東京\x7fz")  # 0x7f: Backspace
        term.expect("z\n")  # the terminal's echo: the line was sent
        to_the_end(term)
    assert "type it again" not in term.output
    assert issues_written(banco) == ["x東z"]


@pytest.mark.slow
def test_under_the_c_locale_a_non_ascii_answer_is_refused_not_cut(banco: Path) -> None:
    # Readline dropped the 'é' of `é1` without a word, and confidence 1 was taken.
    with at_a_c_locale_terminal(banco) as term:
        term.expect("Confidence [8]: ")
        term.send("é1")
        term.expect("'é1' is not a number")
        term.expect("Confidence [8]: ")
        term.send("6")
        for prompt in ("[79]: ", "[35.5]: ", "[332]: ", "note> "):
            term.expect(prompt)
            term.send("")
        term.expect("? [Y/n] ")
        term.send("")
        to_the_end(term)
    assert "confidence: 6\n" in (banco / NEW).read_text(encoding="utf-8")


# ----- without GNU readline: the terminal edits the line ---------------------------------------------
@pytest.mark.slow
def test_without_readline_ctrl_d_after_typing_stops_and_writes_nothing(banco: Path) -> None:
    before = git(banco, "rev-parse", "HEAD")
    with terminal(banco, readline=False) as term:
        term.expect("Confidence [8]: ")
        term.send("6")
        term.expect("[1] onboarding-completion (%) [79]: ")
        # Ctrl-D hands "81.5" over without a line's end: it stops there. It waited, and the Enter
        # pressed then sent 81.5 (a second Ctrl-D, on an empty line, stopped it).
        term.send_raw("81.5" + CTRL_D)
        time.sleep(0.3)
        term.send("")
        rest = term.expect_exit(130)
    assert "okrctl: interrupted" in rest and "tutorial-engagement" not in rest  # "81.5" not taken, no next question
    assert not (banco / NEW).exists()
    assert git(banco, "rev-parse", "HEAD") == before


@pytest.mark.slow
def test_without_readline_an_arrow_key_in_the_answer_is_asked_again(banco: Path) -> None:
    with terminal(banco, readline=False) as term:
        up_to_the_issues(term)
        term.send("Courier strke" + LEFT * 2 + "i")
        term.expect("the line holds the code of a key that cannot edit it here (an arrow key?); type it again")
        term.expect("New issue (Enter to finish): ")
        term.send("Courier strike")
        to_the_end(term)
    assert issues_written(banco) == ["Courier strike"]


def test_without_readline_a_tab_in_the_answer_is_asked_again(banco: Path) -> None:
    """The terminal shows a Tab as spaces up to the next tab stop; the check-in would have held one
    space ("half   done" on the screen, "half done" in the file)."""
    with terminal(banco, readline=False) as term:
        up_to_the_issues(term)
        term.send("half\tdone")
        term.expect("the line holds a Tab, which the check-in would not keep as shown; type it again")
        term.expect("New issue (Enter to finish): ")
        term.send("half done")
        to_the_end(term)
    assert issues_written(banco) == ["half done"]


@pytest.mark.slow
def test_without_readline_a_line_the_terminal_cut_is_asked_again(banco: Path) -> None:
    with terminal(banco, readline=False) as term:
        up_to_the_issues(term)
        paste(term, "物流" * 750)
        term.send("")
        term.expect("the terminal cuts a line at 4095 bytes, and this one reached it; write it shorter")
        term.expect("New issue (Enter to finish): ")
        term.send("物流" * 10)
        to_the_end(term)
    assert issues_written(banco) == ["物流" * 10]


# ----- the terminal closes at a prompt ---------------------------------------------------------------
@pytest.mark.parametrize("hangup", ["delivered", "ignored"])
@pytest.mark.parametrize("readline", [True, False], ids=["readline", "no-readline"])
@pytest.mark.slow
def test_the_terminal_closing_at_a_prompt_ends_as_sighup_does(banco: Path, hangup: str, readline: bool) -> None:
    # Exit 2, "cannot write to standard output: Input/output error": the newline after the
    # stopped prompt was written to the closed terminal. With SIGHUP ignored (nohup) the
    # terminal is found closed all the same.
    errors = banco.parent / "stderr.txt"
    ignore = "trap '' HUP; " if hangup == "ignored" else ""
    shell = f'{ignore}exec "$@" 2>"{errors}"'
    command = ["sh", "-c", shell, "sh", sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY]
    before = git(banco, "rev-parse", "HEAD")
    term = Terminal(command, cwd=banco, env=environment(banco, readline=readline))
    with term:
        term.expect("Confidence [8]: ")
        term.send("6")
        term.expect("[1] onboarding-completion (%) [79]: ")
        os.close(term.master)  # the terminal window is closed
        term.master = os.open(os.devnull, os.O_RDONLY)  # what the context closes at the end
        code = term.process.wait(timeout=30)
    assert (code, errors.read_text()) == (128 + signal.SIGHUP, "okrctl: terminated\n")
    assert not (banco / NEW).exists()
    assert git(banco, "rev-parse", "HEAD") == before
