"""OKR101's hint for an unknown field suggests only a key the mapping it sits in takes. It used to
pick from every field of every kind: a Unit's ``titel:`` was offered ``title`` (which a Unit
refuses too), a check-in's ``note:`` was offered ``ignore`` and its ``ignore:`` ``note``, a circle
of hints that each gave another error."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, ROOT
from tests.test_many_key_results import characters_difflib_reads

MINIMAL = ROOT / "tests" / "fixtures" / "good" / "minimal"
HEAD = "apiVersion: okrctl/v1\n"
REMOVE = "remove it: unknown fields are errors so that typos never pass"
UNIT = HEAD + "kind: Unit\nid: mobile\nparent: minco\n"
CHECKIN = HEAD + "kind: CheckIn\nowner: web\ndate: 2026-11-19\nconfidence: 7\n"
OBJECTIVE = (
    HEAD + "kind: Objective\nid: faster-signup\nowner: web\ncycle: 2026-Q4\ntitle: Make signing up effortless\n"
    "aligns: [{to: more-customers}]\n"
)
KR = "{id: signup-rate, title: Visitors who sign up rise from 2% to 4%, baseline: 2, target: 4}"


def _only_finding(cli, git_repo: Callable[..., Path], tmp_path: Path, path: str, text: str) -> dict:
    """The one OKR101 of ``path`` holding ``text``, in a copy of the minimal organisation (git)."""
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo)
    target = repo / path
    if path == "okrctl.yaml":
        target.write_text(target.read_text(encoding="utf-8") + text, encoding="utf-8")
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    git_repo(repo)
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", "--select", "OKR101")
    assert result.exit_code == 1, result.output
    found = [f for f in json.loads(result.stdout)["findings"] if f["path"] == path]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("path", "text", "message", "hint"),
    [
        # The reviewer's cases: no field of another kind is offered; there is nothing close.
        ("units/mobile.yaml", UNIT + "titel: Mobile\n", "unknown field 'titel'", REMOVE),
        ("units/mobile.yaml", UNIT + "title: Mobile\n", "unknown field 'title'", REMOVE),
        ("checkins/web/2026-11-19.yaml", CHECKIN + "note: hi\n", "unknown field 'note'", REMOVE),
        ("checkins/web/2026-11-19.yaml", CHECKIN + "ignore: hi\n", "unknown field 'ignore'", REMOVE),
        # A slip for a key the mapping does take is still named, at every level.
        ("units/mobile.yaml", UNIT + "nam: Mobile\n", "unknown field 'nam'", "did you mean 'name'?"),
        (
            "checkins/web/2026-11-19.yaml",
            CHECKIN + "results: {faster-signup/signup-rate: {value: 3, nte: hi}}\n",
            "unknown field 'nte' in results.faster-signup/signup-rate",
            "did you mean 'note'?",
        ),
        (
            "okrs/2026-Q4/faster.yaml",
            OBJECTIVE + "key_results:\n  - {id: signup-rate, titel: Sign-ups double, baseline: 2, target: 4}\n",
            "unknown field 'titel' in key_results[0] (the required field 'title' is missing)",
            "did you mean 'title'?",
        ),
        (
            "okrs/2026-Q4/faster.yaml",
            OBJECTIVE + "key_results:\n  - {id: signup-rate, title: Sign-ups double, target: 4, weigth: 2}\n",
            "unknown field 'weigth' in key_results[0]",
            "did you mean 'weight'?",
        ),
        (
            "okrs/2026-Q4/faster.yaml",
            OBJECTIVE.replace("{to: more-customers}", "{to: more-customers, too: x}") + f"key_results: [{KR}]\n",
            "unknown field 'too' in aligns[0]",
            "did you mean 'to'?",
        ),
        (
            # A milestone has no baseline: 'baselne' is offered nothing rather than another error.
            "okrs/2026-Q4/faster.yaml",
            OBJECTIVE + "key_results:\n  - {id: launch, title: The new form is live, type: milestone, baselne: 2}\n",
            "unknown field 'baselne' in key_results[0]",
            REMOVE,
        ),
        (
            "okrs/2026-Q4/faster.yaml",
            OBJECTIVE + "key_results:\n  - {id: signup-rate, title: Sign-ups double, baselne: 2, target: 4}\n",
            "unknown field 'baselne' in key_results[0]",
            "did you mean 'baseline'?",
        ),
        ("okrctl.yaml", "checkin: {cadense_days: 7}\n", "unknown field 'cadense_days' in checkin", "cadence_days"),
    ],
    ids=[
        "unit-titel",
        "unit-title",
        "checkin-note",
        "checkin-ignore",
        "unit-nam",
        "result-nte",
        "kr-titel",
        "kr-weigth",
        "alignment-too",
        "milestone-baselne",
        "metric-baselne",
        "config-section",
    ],
)
def test_an_unknown_field_is_offered_only_a_key_its_mapping_takes(
    cli, git_repo, tmp_path: Path, path: str, text: str, message: str, hint: str
) -> None:
    finding = _only_finding(cli, git_repo, tmp_path, path, text)
    assert finding["message"] == message
    assert hint in finding["hint"], finding["hint"]


@pytest.mark.parametrize(
    ("path", "text", "message", "quoted"),
    [
        (
            "okrs/2026-Q4/faster.yaml",
            OBJECTIVE
            + "key_results:\n  - {id: signup-rate, title: Sign-ups double, every week, baseline: 2, target: 4}\n",
            "unknown field 'every week' in key_results[0]",
            'title: "Sign-ups double, every week"',
        ),
        (
            "checkins/web/2026-11-19.yaml",
            CHECKIN + "results: {faster-signup/signup-rate: {value: 3, note: Slow week, sorry}}\n",
            "unknown field 'sorry' in results.faster-signup/signup-rate",
            'note: "Slow week, sorry"',
        ),
    ],
    ids=["kr-title", "result-note"],
)
def test_a_text_cut_at_a_comma_in_braces_is_told_to_be_quoted_not_removed(
    cli, git_repo, tmp_path: Path, path: str, text: str, message: str, quoted: str
) -> None:
    """Inside { } a comma ends a value: the rest of the text became an unknown field, whose hint
    "remove it" would throw half the text away. The hint quotes the whole text, which then passes."""
    finding = _only_finding(cli, git_repo, tmp_path, path, text)
    assert finding["message"] == message
    assert finding["hint"] == f"put the text in quotes: {quoted} (inside {{ }}, a comma ends a value)"
    field, _, value = quoted.partition(": ")
    target = tmp_path / "repo" / path
    target.write_text(text.replace(f"{field}: {value[1:-1]}", quoted), encoding="utf-8")
    result = cli(
        "align", "--repo", str(tmp_path / "repo"), "--today", DEMO_DAY, "--format", "json", "--select", "OKR101"
    )
    assert [f for f in json.loads(result.stdout)["findings"] if f["path"] == path] == []


@pytest.mark.slow
def test_a_file_of_thousands_of_misspelt_keys_reads_a_bounded_number_of_characters_once_a_run(
    cli, git_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/security.md: slips cost what their file costs. 5,000 misspelt keys in one key result
    are 5,000 OKR101s, each on its line and in its words; the first get their "did you mean", those
    past the file's budget the plain hint, and a slip of case alone is named whatever the budget.
    Working out the hints reads at most the budget once a run, in `align` as in a `checkin` of
    another team. Before, each slip was compared with the keys its mapping takes, and the file's
    findings were worked out twice a run (once thrown away): 831,120 characters here, and 14 s of
    each check-in for a 675 KB file of 49,000 such keys."""

    from okrctl.load.documents import FILE_SUGGESTION_CHARACTERS

    count = 5000
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo)
    slips = "".join(f"    baselin{i}: 1\n" for i in range(count))
    (repo / "okrs" / "2026-Q4" / "slips.yaml").write_text(
        HEAD + "kind: Objective\nid: slips\nowner: minco\ncycle: 2026-Q4\ntitle: Slips\n"
        "key_results:\n  - id: grow\n    title: Grow\n    target: 4\n" + slips + "    TARGET: 5\n",
        encoding="utf-8",
    )
    git_repo(repo)
    read = characters_difflib_reads(monkeypatch)  # as the budget counts them
    # At most the budget, and the slip that ran past it (a dozen keys of a dozen characters).
    most = FILE_SUGGESTION_CHARACTERS + 1000

    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", "--select", "OKR101")
    assert result.exit_code == 1, result.output
    assert sum(read) <= most
    found = [f for f in json.loads(result.stdout)["findings"] if f["path"] == "okrs/2026-Q4/slips.yaml"]
    assert [(f["line"], f["message"]) for f in found] == [
        (11 + i, f"unknown field 'baselin{i}' in key_results[0]") for i in range(count)
    ] + [(11 + count, "unknown field 'TARGET' in key_results[0]")]
    hints = [f["hint"] for f in found]
    named = hints.index(REMOVE)
    assert named > 1000
    assert hints[:named] == ["did you mean 'baseline'?"] * named
    assert hints[named:-1] == [REMOVE] * (count - named)
    assert hints[-1] == "did you mean 'target'?"

    read.clear()
    today = ["--repo", str(repo), "--today", DEMO_DAY]
    checkin = cli("checkin", "--team", "web", "--date", "2026-11-19", "--confidence", "7", "--dry-run", *today)
    assert checkin.exit_code == 0, checkin.output
    assert "okrs/2026-Q4/slips.yaml" in checkin.stderr
    assert sum(read) <= most
