"""An objective that repeats a key result id (OKR102) is refused by ``checkin`` and ``measure``.

Such an objective loads, but no result key can tell its two key results apart: ``-r ID`` named
both, and the ``objective-id/kr-id`` it advised named both again, while a key result the id does not
touch was checked in as if nothing were wrong. Now the file and the line of the repeated id (the
second, where align reports it) are named, before anything is asked or written (exit 1).
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, git
from tests.helpers_git import edit
from tests.pty_driver import Terminal

FRIDAY = "2026-11-27"
OBJECTIVE = "okrs/2026-Q4/cards.yaml"
REFUSAL = (
    f"okrctl: {OBJECTIVE}:22: the objective 'first-card-moment' of 'cards' repeats the key result id "
    "'card-activation-7d' here (OKR102), so no check-in or reading can tell the two apart{then}; fix it first "
    f"('okrctl align {OBJECTIVE}' shows every problem)\n"
)


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    """The banco example in git, with Cards' objective giving its second key result the first's id."""
    root = git_repo(copy_example("banco"))
    edit(root / OBJECTIVE, r"^  - id: virtual-card-day-one$", "  - id: card-activation-7d")
    git(root, "commit", "-q", "-am", "a key result id twice")
    return root


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def checkin(cli, root: Path, *args: str):
    return cli("checkin", "--repo", str(root), "--team", "cards", "--date", FRIDAY, "--today", FRIDAY, *args)


def test_align_reports_the_repeated_id_on_the_line_the_refusal_names(cli, banco: Path) -> None:
    result = cli("align", "--repo", str(banco))
    assert result.exit_code == 1
    assert f"{OBJECTIVE}:22:9: OKR102 error duplicate key result id 'card-activation-7d'" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("-c", "6", "-r", "card-activation-7d=57"),
        ("-c", "6", "-r", "first-card-moment/card-activation-7d=57"),
        ("-c", "6", "-r", "card-delivery-days=5"),  # a key result the repeated id does not touch
        ("-c", "6", "-r", "card-delivery-days=5", "--dry-run"),
        ("-c", "6", "-r", "card-delivery-days=5", "--no-commit"),
    ],
)
def test_a_checkin_is_refused_naming_the_repeated_id_and_nothing_is_written(cli, banco: Path, args) -> None:
    before = head(banco)
    result = checkin(cli, banco, *args)
    assert result.exit_code == 1
    assert result.stdout == ""  # no YAML printed by --dry-run, no "wrote"
    assert result.stderr == REFUSAL.format(then="")
    assert not (banco / "checkins/cards" / f"{FRIDAY}.yaml").exists()
    assert head(banco) == before
    assert git(banco, "status", "--porcelain") == ""


def test_amending_is_refused_alike_and_the_checkin_is_untouched(cli, banco: Path) -> None:
    amended = banco / "checkins/cards/2026-11-20.yaml"
    text = amended.read_bytes()
    before = head(banco)
    result = cli(
        "checkin", "--repo", str(banco), "--team", "cards", "--date", "2026-11-20", "--today", FRIDAY,
        "--amend", "-r", "card-delivery-days=5",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == REFUSAL.format(then="")
    assert amended.read_bytes() == text
    assert head(banco) == before
    assert git(banco, "status", "--porcelain") == ""


def test_at_a_terminal_it_is_refused_before_anything_is_asked(banco: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "TERM": "dumb",
        "OKRCTL_CACHE_DIR": str(tmp_path / "cache"),
    }
    args = [sys.executable, "-m", "okrctl", "checkin", "--team", "cards", "--today", FRIDAY]
    before = head(banco)
    with Terminal(args, cwd=banco, env=env, columns=200) as term:
        shown = term.expect_exit(1)
    assert shown == REFUSAL.format(then="")
    assert "Confidence" not in shown
    assert head(banco) == before
    assert git(banco, "status", "--porcelain") == ""


def test_measure_is_refused_alike_and_no_reading_is_written(cli, banco: Path, tmp_path: Path) -> None:
    values = tmp_path / "kpis.csv"
    values.write_text("card-delivery-days,5\n", encoding="utf-8")
    before = head(banco)
    for extra in ((), ("--commit",), ("--dry-run",)):
        result = cli(
            "measure", "--repo", str(banco), "--team", "cards", "--today", FRIDAY, "--values-from", str(values),
            *extra,
        )  # fmt: skip
        assert result.exit_code == 1, extra
        assert result.stdout == ""
        assert result.stderr == REFUSAL.format(then="; nothing was written")
    assert not (banco / "readings/cards").exists()
    assert head(banco) == before
    assert git(banco, "status", "--porcelain") == ""


def test_once_fixed_the_same_checkin_is_committed(cli, banco: Path) -> None:
    edit(
        banco / OBJECTIVE,
        r"^  - id: card-activation-7d\n    title: New customers paying",
        "  - id: virtual-card-day-one\n    title: New customers paying",
    )
    git(banco, "commit", "-q", "-am", "fixed")
    result = checkin(cli, banco, "-c", "6", "-r", "card-activation-7d=57")
    assert result.exit_code == 0, result.stderr
    assert "  card-activation-7d: 57\n" in (banco / "checkins/cards" / f"{FRIDAY}.yaml").read_text()


# ----- the "several objectives" advice names each choice once ------------------------------------------
def test_the_checkin_advice_never_names_the_same_key_result_twice(copy_example, git_repo) -> None:
    """Were a session to hold one key result name twice, the advice listed it twice ("write one of
    a/x, a/x"); each name is now listed once."""
    from okrctl.checkin.session import session_for
    from okrctl.cli.checkin_flags import find_kr
    from okrctl.errors import UsageError
    from okrctl.load.pipeline import load_repo

    root = git_repo(copy_example("banco"))
    session = session_for(load_repo(root), "cards", date(2026, 11, 27), date(2026, 11, 27), amend=False)
    krs = session.objectives[0].krs
    krs.append(replace(krs[0]))
    with pytest.raises(UsageError) as refused:
        find_kr(session, "card-activation-7d", "--result")
    assert refused.value.message == (
        "--result: 'card-activation-7d' is a key result of several objectives; write one of "
        "first-card-moment/card-activation-7d"
    )


def test_the_measure_advice_never_names_the_same_key_result_twice(copy_example, git_repo) -> None:
    from okrctl.load.pipeline import load_repo
    from okrctl.measure import KRChoice, _find, choices

    root = git_repo(copy_example("banco"))
    options = choices(load_repo(root), "cards", date(2026, 11, 27))
    twice: list[KRChoice] = [*options, options[0]]
    assert _find(twice, "card-activation-7d") == (
        "'card-activation-7d' is a key result of several objectives; write one of first-card-moment/card-activation-7d"
    )
