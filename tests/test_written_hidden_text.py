"""Characters that hide or reorder text (bidi overrides and isolates, zero-width spaces, U+FEFF ...)
never stand raw in a YAML file okrctl writes: each is spelt as a YAML escape (``\\u202e``) inside a
double-quoted scalar, so the file holds the same value and every editor and review shows it
("Trojan Source"). The zero-width joiner and non-joiner spell words and emoji, and stay as written."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import git
from tests.helpers_git import committed_by_a_member

DAY = "2026-11-20"
FRIDAY = "2026-11-27"
EXISTING = f"checkins/discover/{DAY}.yaml"
PAY = "Pay \u202eredro\u2066 now"  # shows as "Pay won ordeR" ... in a bidi-aware editor
NOTE = "A\u200bB \u202eC \u2060D\ufeffE \U000e0041 \u00adF"
EMOJI = "pair 👩\u200d💻 \u0645\u06cc\u200c\u062e\u0648\u0627\u0645"  # ZWJ, ZWNJ: kept as written


def hidden(text: str) -> list[str]:
    """The raw characters of ``text`` that hide or reorder text (Unicode format characters but the
    two joiners)."""
    return [c for c in text if unicodedata.category(c) == "Cf" and c not in "\u200c\u200d"]


def reread(path: Path) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def checkin(cli, root: Path, *args: str, today: str = FRIDAY):
    return cli("checkin", "--repo", str(root), "--today", today, "--team", "discover", *args)


def test_a_new_check_in_writes_hidden_characters_as_escapes_and_reads_back_the_same(cli, banco) -> None:
    args = ("-c", "7", "-r", "onboarding-completion=80", "--note", f"onboarding-completion={NOTE}")
    args += ("-i", PAY, "-i", EMOJI, "--plan", PAY + " again")
    dry = checkin(cli, banco, *args, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert hidden(dry.stdout) == [] and '"Pay \\u202eredro\\u2066 now"' in dry.stdout
    result = checkin(cli, banco, *args, "--no-commit")
    assert result.exit_code == 0, result.stderr
    path = banco / f"checkins/discover/{FRIDAY}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text == dry.stdout
    assert hidden(text) == []
    assert "👩\u200d💻" in text  # a joined emoji is not spelt as escapes
    data = reread(path)
    assert data["issues"] == [PAY, EMOJI]
    assert data["plan"] == [PAY + " again"]
    assert data["results"]["onboarding-completion"] == {"value": 80, "note": " ".join(NOTE.split())}
    # okrctl reads the same values: the check-in passes, and status shows the text without them.
    assert cli("align", "--repo", str(banco), "--today", FRIDAY).exit_code == 0
    status = cli("status", "--repo", str(banco), "--today", FRIDAY, "--team", "discover")
    assert "Pay redro now" in status.stdout and "AB C DE" in status.stdout


# The existing check-in with texts of every style holding such characters: a double-quoted one
# spelt with escapes, a plain, a single-quoted and a literal one holding them raw.
AMENDED_LINES = {
    "  - Two engineers lent to the card-migration project until end of November\n": (
        '  - "Pay \\u202eredro\\u2066 now"\n'
        "  - plain \u202eraw\u2069 issue\n"
        "  - 'single \u2067quoted\u2069'\n"
        "  - 'kept as it is'\n"
        "  - |-\n    literal \u200bblock\n"
    ),
    "  tutorial-engagement: {value: 35.5, note: Interactive tutorial shown to 100% of new users since Tuesday}\n": (
        "  tutorial-engagement: {value: 35.5, note: flow \u202enote}\n"
    ),
}


def planted(root: Path) -> str:
    path = root / EXISTING
    text = path.read_text(encoding="utf-8")
    for old, new in AMENDED_LINES.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", "planted")
    return text


def test_an_amend_writes_hidden_characters_as_escapes_whatever_style_the_file_had(cli, banco) -> None:
    before = planted(banco)
    values = reread(banco / EXISTING)
    result = checkin(cli, banco, "--amend", "-c", "7", "--no-commit", today=DAY)
    assert result.exit_code == 0, result.stderr
    text = (banco / EXISTING).read_text(encoding="utf-8")
    assert hidden(text) == [], text
    after = reread(banco / EXISTING)
    assert after == {**values, "confidence": 7}
    assert after["issues"][:3] == [PAY, "plain \u202eraw\u2069 issue", "single \u2067quoted\u2069"]
    # The escapes the file had keep their spelling; the raw ones are now escapes of their own.
    assert '  - "Pay \\u202eredro\\u2066 now"\n' in text
    assert '  - "plain \\u202eraw\\u2069 issue"\n' in text
    assert '  - "single \\u2067quoted\\u2069"\n' in text
    assert '  - "literal \\u200bblock"\n' in text
    assert '{value: 35.5, note: "flow \\u202enote"}' in text
    # What holds none of them is written as it was: the comments, the quotes, every other line.
    kept = [line for line in before.splitlines() if not hidden(line) and "\\u" not in line and line != "  - |-"]
    assert [line for line in text.splitlines() if "\\u" not in line] == [
        "confidence: 7" if line == "confidence: 8" else line for line in kept
    ]
    assert "  - 'kept as it is'\n" in text
    assert cli("align", "--repo", str(banco), "--today", DAY).exit_code == 0


def test_an_amend_of_a_check_in_written_as_one_flow_mapping_writes_escapes_too(cli, banco) -> None:
    (banco / EXISTING).write_text(
        "# one line\n{apiVersion: okrctl/v1, kind: CheckIn, owner: discover, date: 2026-11-20, confidence: 8,\n"
        "  issues: [plain \u202eraw issue, 'single \u2066q']}\n",
        encoding="utf-8",
    )
    git(banco, "commit", "-q", "-am", "flow")
    result = checkin(cli, banco, "--amend", "-c", "7", "--no-commit", today=DAY)
    assert result.exit_code == 0, result.stderr
    text = (banco / EXISTING).read_text(encoding="utf-8")
    assert hidden(text) == [], text
    assert reread(banco / EXISTING)["issues"] == ["plain \u202eraw issue", "single \u2066q"]
    assert '"plain \\u202eraw issue"' in text


def test_the_writer_escapes_them_in_every_style_and_never_folds_such_a_line() -> None:
    """Keys, block text, tag characters (above U+FFFF), and a value whose escapes make it longer than
    the writer's width: every one reads back as it was, through okrctl's own parser too."""
    from okrctl.checkin.compose import _yaml
    from okrctl.load.yamlparse import parse_text

    long = " ".join(["w\u202e,x\ufeff"] * 900)  # 9,900 characters as escapes: wider than 4,096
    source = (
        f"k\u202eey: v\nblock: |\n  two\u200b\n  lines\n"
        f"tag: 'a\U000e0041b'\nsoft: \u00adx\njoined: {EMOJI}\nlong: {long}\n"
    )
    yaml = _yaml()
    buffer = io.StringIO()
    yaml.dump(yaml.load(source), buffer)
    text = buffer.getvalue()
    assert hidden(text) == [], text
    assert '"k\\u202eey": v\n' in text and 'tag: "a\\U000e0041b"\n' in text and f"joined: {EMOJI}\n" in text
    assert len(text.splitlines()) == 6  # nothing folded
    expected = YAML(typ="safe", pure=True).load(source)
    assert YAML(typ="safe", pure=True).load(text) == expected
    assert parse_text(text, want_positions=False)[0].data == expected


def test_a_reading_edited_by_measure_writes_the_notes_it_held_raw_as_escapes(cli, banco, tmp_path) -> None:
    """A values file's notes reach a reading without such characters (``measure`` tidies them); the
    day's earlier reading, written by hand, can hold them raw: adding a value writes them escaped."""
    day = "2026-11-26"
    path = banco / f"readings/discover/{day}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "# by hand\napiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\nsource: sheet\n"
        f"values:\n  onboarding-completion: {{value: 81, note: {PAY}}}\n",
        encoding="utf-8",
    )
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "reading")
    values = tmp_path / "more.csv"
    values.write_text("kr,value,note\nsetup-tickets,300,from Zendesk\n", encoding="utf-8")
    result = cli("measure", "--repo", str(banco), "--today", day, "--team", "discover", "--values-from", str(values))
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert hidden(text) == [], text
    assert text.startswith("# by hand\n") and 'note: "Pay \\u202eredro\\u2066 now"' in text
    read = reread(path)["values"]
    assert read["onboarding-completion"]["note"] == PAY and read["setup-tickets"]["value"] == 300
    assert cli("align", "--repo", str(banco), "--today", day).exit_code == 0


def test_init_writes_an_organisation_name_holding_them_as_escapes(cli, tmp_path) -> None:
    folder = tmp_path / "okrs"
    folder.mkdir()
    name = "Ac\u202eme \u2066Bank"
    result = cli("init", str(folder), "--organization", name, "--no-commit")
    assert result.exit_code == 0, result.stderr
    for rel in ("okrctl.yaml", "units/acme-bank.yaml"):
        text = (folder / rel).read_text(encoding="utf-8")
        assert hidden(text) == [] and '"Ac\\u202eme \\u2066Bank"' in text, rel
    assert reread(folder / "okrctl.yaml")["organization"] == name
    assert cli("align", "--repo", str(folder)).exit_code == 0


def test_plan_and_retro_scaffolds_write_none_raw(cli, banco) -> None:
    """The scaffolds put repository text only in comments, where an escape means nothing: the
    characters are removed there (``safetext``)."""
    for day in ("2026-11-06", "2026-11-13"):
        path = banco / f"checkins/discover/{day}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("issues:\n", f'issues:\n  - "{PAY}"\n', 1), encoding="utf-8")
    git(banco, "commit", "-q", "-am", "issues")
    plan = cli("plan", "--repo", str(banco), "--team", "discover", "--cycle", "2027-Q1", "--today", DAY, "--write")
    retro = cli("retro", "--repo", str(banco), "--team", "discover", "--today", DAY, "--stage", "end", "--write")
    assert plan.exit_code == 0, plan.stderr
    assert retro.exit_code == 0, retro.stderr
    for rel in ("okrs/2027-Q1/discover.yaml", "retros/2026-Q4/discover-end.yaml"):
        assert hidden((banco / rel).read_text(encoding="utf-8")) == [], rel
