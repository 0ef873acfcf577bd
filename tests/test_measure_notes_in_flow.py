"""``okrctl measure`` writes a note (and a source) inside ``{value, note}``: a text that a plain
scalar would not read back the same there (``export at 10:30``, ``ratio 3:1``, ``a ?b``) is
quoted, so the reading is written, not refused as an internal error."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrctl.errors import ContentError
from okrctl.load.documents import parse_bytes
from tests.conftest import git
from tests.helpers_git import banco_by_the_kpi_bot

DAY = "2026-11-26"
READING = f"readings/discover/{DAY}.yaml"
NOTES = [
    "export at 10:30",
    "see https://tracker.example/DISC-12",
    "ratio 3:1",
    "a :b",
    "x :-)",
    "a ?b",
    "a, b",
    "from Zendesk: weekly",
    "[draft] {v2}",
    "- weekly",
    "#12 of the list",
]


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_by_the_kpi_bot(copy_example, git_repo)


def measure(cli, root: Path, values: Path, *args: str):
    return cli(
        "measure", "--repo", str(root), "--today", DAY, "--team", "discover", "--values-from", str(values), *args
    )


def values_file(folder: Path, kind: str, note: str, name: str = "kpis") -> Path:
    """A values file of ``kind`` giving setup-tickets 300 with ``note``, written as that kind writes text."""
    if kind == "csv":
        text = 'setup-tickets,300,"' + note.replace('"', '""') + '"\n'
    elif kind == "json":
        text = json.dumps({"setup-tickets": {"value": 300, "note": note}})
    else:
        text = "setup-tickets: {value: 300, note: " + json.dumps(note) + "}\n"
    path = folder / f"{name}.{kind}"
    path.write_text(text, encoding="utf-8")
    return path


def written_values(root: Path) -> dict:
    """The reading's values as okrctl's own parser reads the file."""
    (document,) = parse_bytes(READING, (root / READING).read_bytes())
    return document.data["values"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["csv", "json", "yaml"])
@pytest.mark.parametrize("note", NOTES)
def test_a_note_with_a_colon_or_indicator_is_written_and_reads_back(cli, banco, tmp_path, kind, note) -> None:
    result = measure(cli, banco, values_file(tmp_path, kind, note), "--commit")
    assert result.exit_code == 0, result.output
    assert f"setup-tickets  332 → 300  ({note})" in result.stdout
    assert written_values(banco)["setup-tickets"] == {"value": 300, "note": note}
    assert git(banco, "status", "--porcelain") == ""
    assert cli("align", "--repo", str(banco), "--today", DAY, "--strict").exit_code == 0


def test_a_dry_run_prints_the_note_quoted(cli, banco, tmp_path) -> None:
    result = measure(cli, banco, values_file(tmp_path, "csv", "export at 10:30"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "  setup-tickets: {value: 300, note: 'export at 10:30'}\n" in result.stdout + result.stderr
    assert not (banco / "readings").exists()


@pytest.mark.parametrize("name", ["kpis:v2.csv", "kpis?v2.csv", "k,1: x.csv"])
def test_a_source_named_with_a_colon_or_indicator_is_quoted(cli, banco, tmp_path, name) -> None:
    """Values from two files: each value names its source (the file's name) inside ``{…}``."""
    first = tmp_path / "first.csv"
    first.write_text("onboarding-completion,80,plain words\n", encoding="utf-8")
    assert measure(cli, banco, first).exit_code == 0
    second = tmp_path / name
    second.write_text("setup-tickets,300,weekly\n", encoding="utf-8")
    result = measure(cli, banco, second)
    assert result.exit_code == 0, result.output
    assert written_values(banco) == {
        "onboarding-completion": {"value": 80, "note": "plain words", "source": "first.csv"},
        "setup-tickets": {"value": 300, "note": "weekly", "source": name},
    }
    assert cli("align", "--repo", str(banco), "--today", DAY, "--strict").exit_code == 0


def test_a_source_that_replaces_a_quoted_one_is_written_plain(cli, banco, tmp_path) -> None:
    """A third file replaces the value that came from ``k,1: x.csv``: its name took the quotes of
    the name it replaced (``source: 'act.csv'``, in ``{…}`` and in the reading's ``source``)."""
    first = tmp_path / "a.csv"
    first.write_text("onboarding-completion,81\n", encoding="utf-8")
    assert measure(cli, banco, first).exit_code == 0
    quoted = tmp_path / "k,1: x.csv"
    quoted.write_text("setup-tickets,300\n", encoding="utf-8")
    assert measure(cli, banco, quoted).exit_code == 0
    assert "  setup-tickets: {value: 300, source: 'k,1: x.csv'}\n" in (banco / READING).read_text(encoding="utf-8")
    third = tmp_path / "act.csv"
    third.write_text("setup-tickets,301\n", encoding="utf-8")
    result = measure(cli, banco, third)
    assert result.exit_code == 0, result.output
    text = (banco / READING).read_text(encoding="utf-8")
    assert "\nsource: a.csv, act.csv\n" in text
    assert "  setup-tickets: {value: 301, source: act.csv}\n" in text
    assert cli("align", "--repo", str(banco), "--today", DAY, "--strict").exit_code == 0


def test_a_note_changed_in_an_earlier_reading_is_quoted(cli, banco, tmp_path) -> None:
    """The day's reading edited where it stands: the value's new note takes the old one's place."""
    assert measure(cli, banco, values_file(tmp_path, "csv", "plain words")).exit_code == 0
    result = measure(cli, banco, values_file(tmp_path, "json", "see https://tracker.example/DISC-12"))
    assert result.exit_code == 0, result.output
    assert written_values(banco) == {"setup-tickets": {"value": 300, "note": "see https://tracker.example/DISC-12"}}
    assert "source: kpis.json\n" in (banco / READING).read_text(encoding="utf-8")
    assert cli("align", "--repo", str(banco), "--today", DAY, "--strict").exit_code == 0


def test_a_note_of_a_value_written_in_block_style_stays_plain(cli, banco, tmp_path) -> None:
    """A reading whose value a person wrote as a block mapping: the new note takes its place
    there, plain where block style reads it back (``export at 10:30``), its comment kept."""
    assert measure(cli, banco, values_file(tmp_path, "csv", "first")).exit_code == 0
    path = banco / READING
    text = path.read_text(encoding="utf-8")
    block = "  setup-tickets:\n    value: 300\n    note: first  # from the export\n"
    path.write_text(text.replace("  setup-tickets: {value: 300, note: first}\n", block), encoding="utf-8")
    result = measure(cli, banco, values_file(tmp_path, "csv", "export at 10:30", name="again"))
    assert result.exit_code == 0, result.output
    assert "    note: export at 10:30 # from the export\n" in path.read_text(encoding="utf-8")
    assert written_values(banco)["setup-tickets"] == {"value": 300, "note": "export at 10:30"}


# Text biased towards what means something to YAML in flow context, and any other character.
_YAML_MARKS = list(":?,[]{}#&*!|>'\"%@`- \t\\")
# (A lone surrogate is no text a file can hold: a values file that escapes one is refused.)
_ANY_CHARACTER = st.characters(blacklist_categories=("Cs",))
NOTE_TEXT = st.text(st.one_of(st.sampled_from(_YAML_MARKS), _ANY_CHARACTER), min_size=1, max_size=40)


class _Loaded:
    """The loaded example, shown in a failing example by its folder, not by every document."""

    def __init__(self, repo) -> None:
        self.repo = repo

    def __repr__(self) -> str:
        return f"<banco at {self.repo.root}>"


@pytest.fixture(scope="module")
def loaded_banco(tmp_path_factory):
    import shutil

    from okrctl.load.pipeline import load_repo
    from tests.conftest import EXAMPLES

    root = tmp_path_factory.mktemp("notes") / "banco"
    shutil.copytree(EXAMPLES / "banco", root, ignore=shutil.ignore_patterns(".okrctl-cache"))
    return _Loaded(load_repo(root, use_cache=False))


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=NOTE_TEXT)
def test_any_note_okrctl_accepts_reads_back_exactly_from_the_written_reading(loaded_banco, tmp_path, note) -> None:
    from okrctl import measure as core

    day = date.fromisoformat(DAY)
    path = tmp_path / "kpis.json"
    path.write_text(json.dumps({"setup-tickets": {"value": 300, "note": note}}), encoding="utf-8")
    measurement = core.prepare(loaded_banco.repo, "discover", day, day, path)
    accepted = measurement.values.rows[0].note  # the note as okrctl takes it (one line, tidied)
    text = core.compose(measurement, None)
    (document,) = parse_bytes(READING, text.encode("utf-8"))
    written = document.data["values"]["setup-tickets"]
    assert written == (300 if accepted is None else {"value": 300, "note": accepted})
    try:
        core.check(measurement, text, day)  # the reading passes align
    except ContentError as refused:
        # A note of nothing visible (a soft hyphen alone) is OKR101's, in one line: not the writer's.
        assert "note is blank: nothing visible is written" in refused.message
