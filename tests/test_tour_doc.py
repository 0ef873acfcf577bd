"""docs/tour.md shows what okrctl really prints: its story is replayed in a real git repository, and
every console transcript is compared with what each command prints.

The tour's commands are run as written (with bash, an ``okrctl`` on PATH that is this checkout),
in a folder that stands for ``/tmp/tour``. What the prose does by hand is done here at the same
point: the check-in of 2026-11-27 is taken back after it is shown, Payments is removed after its
draft, and the ``rescoped`` entry is added before the commit that records it. The story's commits carry the authors and dates the tour names. Commit ids are
compared as "some commit id" (they depend on the moment ``init`` ran), and a line ``…`` in a
transcript stands for lines left out.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, user_environment

TOUR = ROOT / "docs" / "tour.md"
PLACE = "/tmp/tour"
# A commit id where the tour shows one: "committed 1a2b3c4", "commit 1a2b3c4", "(1a2b3c4)".
COMMIT_ID = re.compile(r"(?<=committed )[0-9a-f]{7}\b|(?<=commit )[0-9a-f]{7}\b|(?<=\()[0-9a-f]{7}(?=\))")

# The authors and dates of the story's own commits (section 4 of the tour).
STORY_COMMITS = {
    "Onboarding target to 85%": ("Rui Almeida", "rui.almeida@example.com", "2026-10-20T10:00:00+00:00"),
    "Card activation baseline re-measured": ("Carla Mendes", "carla.mendes@example.com", "2026-11-04T10:00:00+00:00"),
    "Record why the onboarding target moved": ("Rui Almeida", "rui.almeida@example.com", "2026-10-21T10:00:00+00:00"),
}
RESCOPED = "rescoped:\n  - {date: 2026-10-21, note: KYC vendor update slowed identity checks for every new customer}\n"


def transcripts() -> list[tuple[str, list[str]]]:
    """Every ``$ command`` of the tour's console blocks with the lines printed under it, in order
    (a command continued with a backslash is one command)."""
    out: list[tuple[str, list[str]]] = []
    inside = False
    continued = False
    for line in TOUR.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line == "```console"
            continued = False
            continue
        if not inside:
            continue
        if continued:
            command, lines = out[-1]
            out[-1] = (command + " " + line.strip().removesuffix("\\").strip(), lines)
            continued = line.endswith("\\")
        elif line.startswith("$ "):
            out.append((line[2:].removesuffix("\\").strip(), []))
            continued = line.endswith("\\")
        elif out:
            out[-1][1].append(line)
    return out


def normal(lines: list[str], place: str) -> list[str]:
    return [COMMIT_ID.sub("#######", line.replace(place, PLACE)).rstrip() for line in lines]


def shown_in(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected`` with each ``…`` line standing for any lines."""
    chunks: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == "…":
            chunks.append([])
        else:
            chunks[-1].append(line)
    if len(chunks) == 1:
        return actual == expected
    first, *middle, last = chunks
    if actual[: len(first)] != first or len(actual) < len(first) + len(last):
        return False
    if last and actual[len(actual) - len(last) :] != last:
        return False
    at, end = len(first), len(actual) - len(last)
    for chunk in middle:
        found = next((i for i in range(at, end - len(chunk) + 1) if actual[i : i + len(chunk)] == chunk), None)
        if found is None:
            return False
        at = found + len(chunk)
    return True


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_every_transcript_of_the_tour_is_what_okrctl_prints(tmp_path: Path) -> None:
    place = tmp_path / "tour"
    place.mkdir()
    tools = tmp_path / "bin"
    tools.mkdir()
    wrapper = tools / "okrctl"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m okrctl "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    home = tmp_path / "home"
    env = user_environment(home)
    env.update(
        PATH=f"{tools}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(ROOT),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        TERM="dumb",
    )
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    here = place
    compared = 0
    for command, expected in transcripts():
        if command.startswith("okrctl init "):
            here = place  # every repository of the tour is made in the tour's folder
        if command.startswith("git clone") and "shallow" in command:
            banco = here
        run_env = dict(env)
        story = re.search(r'commit -qam "([^"]+)"', command)
        if story and story[1] in STORY_COMMITS:
            name, email, when = STORY_COMMITS[story[1]]
            run_env.update(
                GIT_AUTHOR_NAME=name,
                GIT_AUTHOR_EMAIL=email,
                GIT_COMMITTER_NAME=name,
                GIT_COMMITTER_EMAIL=email,
                GIT_AUTHOR_DATE=when,
                GIT_COMMITTER_DATE=when,
            )
        if story and story[1] == "Record why the onboarding target moved":
            objective = here / "okrs" / "2026-Q4" / "discover.yaml"
            text = objective.read_text(encoding="utf-8")
            assert "\nkey_results:\n" in text
            objective.write_text(text.replace("\nkey_results:\n", "\n" + RESCOPED + "key_results:\n", 1), "utf-8")
        done = subprocess.run(
            ["bash", "-c", command.replace(PLACE, str(place)) + '\necho "@@ $PWD"'],
            cwd=here,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        lines = done.stdout.splitlines()
        assert lines and lines[-1].startswith("@@ "), f"{command}: {done.stdout}{done.stderr}"
        here = Path(lines.pop()[3:])
        actual = normal(done.stdout.splitlines()[:-1] + done.stderr.splitlines(), str(place))
        wanted = normal(expected, str(place))
        while wanted and not wanted[-1]:
            wanted.pop()
        while actual and not actual[-1]:
            actual.pop()
        assert "Traceback" not in done.stderr, done.stderr
        assert shown_in(wanted, actual), f"docs/tour.md: $ {command}\n" + "\n".join(
            difflib.unified_diff(wanted, actual, "the tour shows", "okrctl prints", lineterm="")
        )
        compared += 1
        if command.startswith("okrctl plan --team payments") and "--write" in command:
            for name in ("units/payments.yaml", "okrs/2026-Q4/payments.yaml"):
                (here / name).unlink()  # "The rest of the tour goes on without Payments"
        if command.startswith("git clone") and "shallow" in command:
            here = banco  # the shallow clone was a look aside: the tour goes on in banco
        if command.startswith("okrctl checkin "):
            # "The rest of the tour stays on Friday 2026-11-20, before this check-in"
            subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=here, env=env, check=True)
    assert compared >= 20
