"""Reading a values file (``measure`` and ``checkin --values-from``): every row is read or the file
is refused, never a row silently lost; a ';' export with decimal commas is named as such; JSON
that YAML would not read is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import banco_by_the_kpi_bot

DAY = "2026-11-26"
READING = f"readings/discover/{DAY}.yaml"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_by_the_kpi_bot(copy_example, git_repo)


def run(cli, root: Path, values: Path, command: str = "measure", *args: str):
    extra = ("-c", "7") if command == "checkin" else ()
    return cli(
        command, "--repo", str(root), "--today", DAY, "--team", "discover", *extra, "--values-from", str(values), *args
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["measure", "checkin"])
def test_a_quote_in_a_comment_line_opens_nothing(cli, banco, tmp_path, command) -> None:
    """The comment's quote took the row after it into one cell, read as part of the comment: exit 0
    with setup-tickets missing from what was written."""
    values = write(
        tmp_path / "kpis.csv",
        '# KPIs for the Friday check-in, "weekly\n"setup-tickets","320"\n  # and a "second one\n'
        '"onboarding-completion","81"\n',
    )
    result = run(cli, banco, values, command, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "  setup-tickets: 320\n" in result.stdout
    assert "  onboarding-completion: 81\n" in result.stdout


def test_a_line_starting_with_hash_inside_a_quoted_note_is_the_note_not_a_comment(cli, banco, tmp_path) -> None:
    values = write(tmp_path / "kpis.csv", 'setup-tickets,320,"from Zendesk\n# 12 of them reopened"\n# a comment\n')
    result = run(cli, banco, values)
    assert result.exit_code == 0, result.output
    assert "  setup-tickets: {value: 320, note: 'from Zendesk # 12 of them reopened'}\n" in (banco / READING).read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("content", "row"),
    [
        ('kr,value,"note\n"setup-tickets",320\nonboarding-completion,81\n', '"setup-tickets",320'),
        ('setup-tickets,320,"from Zendesk\n"onboarding-completion","81"\n"tutorial-engagement",40\n', None),
    ],
    ids=["in-the-header", "in-a-row"],
)
@pytest.mark.parametrize("command", ["measure", "checkin"])
def test_a_quote_left_open_before_a_row_with_a_quoted_id_is_refused(cli, banco, tmp_path, command, content, row):
    """The row with a quoted id after the open quote was swallowed, and the file taken (exit 0)."""
    values = write(tmp_path / "kpis.csv", content)
    before = git(banco, "rev-parse", "HEAD")
    result = run(cli, banco, values, command)
    assert result.exit_code == 2, result.output
    row = row or '"onboarding-completion","81"'
    assert result.stderr == (
        f"okrctl: {values}:1: unclosed quote: the quoted text runs on to line 2 and takes in rows such as "
        f"'{row}' (nothing was written)\n"
    )
    assert not (banco / "readings").exists() and not (banco / "checkins/discover" / f"{DAY}.yaml").exists()
    assert git(banco, "rev-parse", "HEAD") == before


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        ("setup-tickets;320,5\nonboarding-completion;81,5\n", "';'"),
        ('"setup-tickets";"320,5"\n"onboarding-completion";"81"\n', "';'"),
        ("kr;value\nsetup-tickets;320,5\n", "';'"),
        ("setup-tickets\t320,5\nonboarding-completion\t81,5\n", "tabs"),
    ],
    ids=["semicolons", "quoted-cells", "header", "tabs"],
)
def test_a_semicolon_export_with_decimal_commas_is_refused_naming_the_separator(cli, banco, tmp_path, content, shown):
    """Read with commas, ``setup-tickets;320,5`` was 'setup-tickets;320' and '5': one message per
    row said 'setup-tickets;320' is not a key result."""
    values = write(tmp_path / "kpis.csv", content)
    result = run(cli, banco, values)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"okrctl: {values}:1: the columns are separated by {shown}; okrctl reads comma-separated rows, "
        "kr,value[,note] (nothing was written)\n"
    )


def test_json_with_a_line_break_before_a_colon_is_read(cli, banco, tmp_path) -> None:
    """Valid JSON (``python -m json.tool`` takes it) was refused: 'did not find expected ',' or '}''."""
    values = write(
        tmp_path / "kpis.json",
        '{"setup-tickets"\n: {"value" : 320, "note"\n\t: "ratio : 2 \\"a\\" :"},\n"onboarding-completion"\n  :\n 81}\n',
    )
    result = run(cli, banco, values)
    assert result.exit_code == 0, result.output
    reading = (banco / READING).read_text(encoding="utf-8")
    assert "  setup-tickets: {value: 320, note: 'ratio : 2 \"a\" :'}\n" in reading
    assert "  onboarding-completion: 81\n" in reading


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{\n"setup-tickets"\n: 320,\n"setup-tickets"\n: 321}', ":4: duplicate key"),
        ('{\n"onboarding-completion": 81,\n"setup-tickets"\n: true}', ":3: setup-tickets: true is not a number"),
        ('{"setup-tickets"\n: 320', ":2: not JSON: expecting ',' delimiter at column 6"),  # no JSON: said as JSON
    ],
    ids=["duplicate", "not-a-number", "unclosed"],
)
def test_json_with_a_line_break_before_a_colon_is_refused_on_the_line_of_the_row(cli, banco, tmp_path, content, said):
    values = write(tmp_path / "kpis.json", content)
    result = run(cli, banco, values)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"okrctl: {values}{said}")
    assert not (banco / "readings").exists()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        # (Python 3.13 words a trailing comma otherwise; the line and the refusal are what count.)
        ('{"setup-tickets": 318,\n "onboarding-completion": 81, }\n', ":2: not JSON: "),
        ("{setup-tickets: 318}\n", ":1: not JSON: expecting property name enclosed in double quotes at column 2"),
        ("{'setup-tickets': 318}\n", ":1: not JSON: expecting property name enclosed in double quotes at column 2"),
        (
            '{"setup-tickets": 318,\n "onboarding-completion": 81%}\n',
            ":2: not JSON: expecting ',' delimiter at column 29",
        ),
        ('{"setup-tickets": 318}  # exported\n', ":1: not JSON: extra data at column 25"),
        ('{"setup-tickets": 320}\n{"onboarding-completion": 81}\n', ":2: not JSON: extra data at column 1"),
        (
            '{"setup-tickets": 318,\r\n "onboarding-completion": NaN}\r\n',
            ":2: not JSON: NaN is no number in JSON at column 27",
        ),
        (
            '{"setup-tickets": {"value": 318, "note": "from\tZendesk"}}',
            ":1: not JSON: invalid control character at column 47",
        ),
    ],
    ids=[
        "trailing-comma",
        "unquoted-key",
        "single-quotes",
        "unquoted-percent",
        "comment",
        "json-lines",
        "nan",
        "raw-tab",
    ],
)
@pytest.mark.parametrize("command", ["measure", "checkin"])
def test_a_json_file_no_json_reader_takes_is_refused_on_its_line_in_json_words(
    cli, banco, tmp_path, command, content, said
) -> None:
    """docs/friday.md: a .json file is read as any JSON reader reads it. It was read as YAML: a
    trailing comma, a key without quotes, 81% without quotes and a # comment were taken (exit 0, the
    values written), and one JSON document a line was refused in YAML's words ('did not find expected
    <document start>'). Each is refused on its line as the JSON problem it is, nothing written."""
    values = write(tmp_path / "kpis.json", content)
    before = git(banco, "rev-parse", "HEAD")
    result = run(cli, banco, values, command)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"okrctl: {values}{said}"), result.stderr
    assert result.stderr.endswith(" (nothing was written)\n") and result.stderr.count("\n") == 1, result.stderr
    assert not (banco / "readings").exists() and not (banco / "checkins/discover" / f"{DAY}.yaml").exists()
    assert git(banco, "rev-parse", "HEAD") == before


@pytest.mark.parametrize("command", ["measure", "checkin"])
def test_a_json_integer_longer_than_python_converts_is_refused_on_its_line(cli, banco, tmp_path, command) -> None:
    """An integer of more than 4,300 digits is past what Python's JSON reader converts: it raised a
    plain ValueError, and the command ended as an internal error (exit 3). It is refused on its line
    as the same number in a YAML file is, nothing written."""
    values = write(tmp_path / "kpis.json", '{"onboarding-completion": 81,\n "setup-tickets": ' + "9" * 5000 + "}\n")
    before = git(banco, "rev-parse", "HEAD")
    result = run(cli, banco, values, command)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"okrctl: {values}:2: integer of 5000 characters is too large (okrctl reads at most 1000) (nothing was written)\n"
    )
    assert not (banco / "readings").exists() and not (banco / "checkins/discover" / f"{DAY}.yaml").exists()
    assert git(banco, "rev-parse", "HEAD") == before


@pytest.mark.parametrize(
    "content",
    [
        b"# KPIs\rsetup-tickets,320\ronboarding-completion,81,caf\xe9\r",
        # Excel's "CSV UTF-8" starts with a byte-order mark: the byte first on its line was one line up.
        b"\xef\xbb\xbfkr,value\r\nsetup-tickets,320\r\n\xe9onboarding-completion,81\r\n",
    ],
    ids=["cr", "byte-order-mark"],
)
@pytest.mark.parametrize("command", ["measure", "checkin"])
def test_a_byte_that_is_not_utf_8_is_refused_on_its_line_whatever_ends_the_lines(
    cli, banco, tmp_path, command, content
) -> None:
    """The rows are counted at LF, CRLF or CR; the byte that is no UTF-8 was counted at LF only, so
    a file saved with CR line ends named line 1 for its third, and from after a byte-order mark."""
    values = tmp_path / "kpis.csv"
    values.write_bytes(content)
    result = run(cli, banco, values, command)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"okrctl: {values}:3: not UTF-8 text (nothing was written)\n"
