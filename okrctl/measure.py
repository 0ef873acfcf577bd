"""Key result values from data: reading a values file, and ``okrctl measure`` writing a ``Reading``.

A values file is CSV (``kr,value[,note]``, an optional header row, ``#`` comments), JSON or YAML
(a mapping ``kr: value`` or ``kr: {value, note}``, or a list of ``{kr, value, note}``). Every row
is checked against the team's key results on the date before anything is written: an unknown key
result, a value that is not a number (or is ambiguous, such as ``1,5``) and a key result given
twice are all reported, each with the file and line, and the file is refused as a whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from okrctl.errors import ContentError, UsageError
from okrctl.findings import Finding
from okrctl.load.documents import Doc, Suggestions, did_you_mean, fits, parse_bytes
from okrctl.load.documents import validate as validate_document
from okrctl.load.index import Repo
from okrctl.load.yamlparse import LINE_BREAK, MAX_FILE_BYTES, YamlProblem, place_of_byte, text_lines
from okrctl.model import Reading
from okrctl.model.objective import KeyResult
from okrctl.safetext import shown_path
from okrctl.values import FarOff, NumberError, far_off, from_data, parse_value

READING_FOLDER = "readings"
FORMATS = {".csv": "csv", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
MAX_TEXT = 2000


@dataclass(frozen=True)
class KRChoice:
    """A key result a values file may name: by its id, or objective-id/kr-id where that is ambiguous."""

    objective_id: str
    key: str
    kr: KeyResult


@dataclass
class Row:
    line: int
    choice: KRChoice
    value: float | bool
    note: str | None = None


@dataclass
class ValuesFile:
    name: str  # as shown to the user (the path given)
    rows: list[Row] = field(default_factory=list)

    @property
    def source(self) -> str:
        return os.path.basename(self.name)


class ValuesFileError(UsageError):
    """The values file was refused; every problem has its line."""

    def __init__(self, name: str, problems: list[tuple[int, str]]) -> None:
        lines = [f"{name}:{line}: {message}" for line, message in problems[:20]]
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        head = lines[0] if len(lines) == 1 else f"{name}: {len(problems)} problems; nothing was written"
        body = "" if len(lines) == 1 else "\n" + "\n".join(f"  {line}" for line in lines)
        super().__init__(head + (" (nothing was written)" if len(lines) == 1 else "") + body + more)
        self.problems = problems


def choices(repo: Repo, team: str, day: date) -> list[KRChoice]:
    """The team's key results on ``day``, keyed the way a check-in writes them."""
    objectives = [d.model for d in repo.objectives_on(team, day)]
    ids = [kr.id for o in objectives for kr in o.key_results]
    return [
        KRChoice(o.id, kr.id if ids.count(kr.id) == 1 else f"{o.id}/{kr.id}", kr)
        for o in objectives
        for kr in o.key_results
    ]


def _find(options: list[KRChoice], key: str) -> KRChoice | str:
    """The key result ``key`` names, or why it names none (the key shown escaped: a line break
    in it must not split the one-line message)."""
    from okrctl.safetext import shown_value

    if "/" in key:
        objective_id, kr_id = key.split("/", 1)
        found = [c for c in options if c.objective_id == objective_id and c.kr.id == kr_id]
    else:
        found = [c for c in options if c.kr.id == key]
    if len(found) == 1:
        return found[0]
    if found:
        # Each name once: an objective that repeats a key result id would list its name twice.
        return f"'{shown_value(key)}' is a key result of several objectives; write one of " + ", ".join(
            dict.fromkeys(f"{c.objective_id}/{c.kr.id}" for c in found)
        )
    keys = [c.key for c in options]
    hint = did_you_mean(key, keys)
    return f"'{shown_value(key)}' is not a key result of the team on this date{'; ' + hint if hint else ''} (key results: {', '.join(keys)})"


def _read_bytes(path: Path, name: str) -> str:
    try:
        # Opened without waiting (a named pipe put there since ``values_kind`` looked would wait
        # for a writer) and read only when it is a regular file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb", closefd=True) as handle:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError
            if not stat.S_ISREG(mode):
                raise UsageError(
                    f"{name}: not a regular file (a pipe, device or socket); save the values to a file first"
                )
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{name}: is a folder, not a file") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise UsageError(f"{name}: over the {MAX_FILE_BYTES // 1024} KiB limit of a values file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The codec counts from after a byte-order mark (Excel's "CSV UTF-8" writes one): the place
        # is of the bytes as the file holds them.
        skipped = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
        raise ValuesFileError(name, [(place_of_byte(raw, exc.start + skipped)[0], "not UTF-8 text")]) from None


CSV_ROWS = "okrctl reads comma-separated rows, kr,value[,note]"


def _other_separator(cells: list[str]) -> str | None:
    """How the first row separates its columns, when it is ';' or tabs (spreadsheet exports): a row
    read as one cell, or one whose first cell is a key result, ';' (or a tab) and a number, whatever
    follows: commas cut such a row where its value has a decimal comma (``kr;45,5`` read as
    ``kr;45`` and ``5``, as a spreadsheet set to write decimals with a comma exports it) or where
    its note has one (``kr;1320;from Zendesk, weekly``)."""
    if len(cells) > 1:
        found = _KEY_THEN_NUMBER.match(cells[0])
        if found is None:
            return None
        return "tabs" if found[1] == "\t" else "';'"
    if "\t" in cells[0]:
        return "tabs"
    if ";" in cells[0]:
        return "';'"
    return None


# The first cell of a row separated by ';' or tabs and read with commas: a key result, the first
# separator, and the start of a number (in quotes, when the export quotes its cells:
# ``"kr";"45,5"`` is read as ``kr;"45``). A comma-separated row's first cell is a key result alone.
_KEY_THEN_NUMBER = re.compile(r'[^;\t]*([;\t])\s*"?[+\-\u2212]?\.?[0-9]')


_LINE_ENDS = ("\n", "\r", "\r\n")


def _open_quote_line(text: str) -> int | None:
    """The line of a quote still open at the end of ``text``, read as ``csv.reader`` reads a values
    file (``skipinitialspace``, not strict): a quote opens a cell only at its start, ``""`` in a
    quoted cell is a quote, and a quote closes it. None when every quote is closed."""
    line, opened, state = 1, 0, "start"  # start of a cell, plain cell, quoted cell, a quote in a quoted cell
    for token in re.finditer(r'"|,|\r\n?|\n| +|[^",\r\n ]+', text):
        part = token.group()
        if state == "quoted":
            state = "quote" if part == '"' else "quoted"
        elif state == "quote" and part == '"':
            state = "quoted"  # "" in quotes
        elif state == "start" and part == '"':
            state, opened = "quoted", line
        elif part == "," or part in _LINE_ENDS:
            state = "start"
        elif state != "start" or not part.isspace():
            state = "plain"
        if part in _LINE_ENDS:
            line += 1
    return opened if state == "quoted" else None


def _row_in_quotes(lines: list[str], keys: set[str]) -> str | None:
    """A line that a quoted cell runs on to (``lines``, as the file writes them) and that reads as a
    row of the file on its own (a key result of the team, quoted or not, and a comma): the sign of a
    quote left open that a later quote closed. Read on its own, since read in the cell a row's
    quoted id (``"uptime",99``) is cut at its opening quote, the rest in the cells after."""
    for inner in lines:
        try:
            cells = next(csv.reader([inner.rstrip("\r\n")], skipinitialspace=True), [])
        except csv.Error:  # a quote of its own left open: not read as a row here
            continue
        if len(cells) > 1 and cells[0].strip() in keys:
            return inner.strip()
    return None


def _comments_out(text: str) -> str:
    """``text`` with each ``#`` comment line emptied, its line break kept so that every line keeps
    its number. A comment is a comment whole: a quote in it opens no cell (``# for Friday, "weekly``
    would take the rows after it into one cell, read as a comment). A line that a quoted cell runs
    on to is part of that cell, whatever it starts with."""
    out: list[str] = []
    quoted = False  # whether the line starts inside a quoted cell
    for line in io.StringIO(text, newline="").readlines():
        body = line.rstrip("\r\n")
        if not quoted and body.lstrip().startswith("#"):
            out.append(line[len(body) :])
            continue
        out.append(line)
        # A line that starts inside quotes is read as one that opens them at its start.
        quoted = _open_quote_line('"' + body if quoted else body) is not None
    return "".join(out)


# A value cell that, with the next cell, may be one number cut at its comma: a whole number
# (``1`` of ``1,325``), or one grouped in thousands by dots or spaces (``1.234`` of ``1.234,5``).
# Signs and group separators are those ``values.parse_number`` reads (a minus sign U+2212, a thin
# space U+2009 among them).
_COMMA_CUT = re.compile(r"[+\-\u2212]?[0-9]+|[+\-\u2212]?[0-9]{1,3}(?:[. \u00a0\u202f\u2009][0-9]{3})+")


def _csv_entries(text: str, keys: set[str]) -> list[tuple[int, Any, Any, Any]]:
    """(line, kr, value, note) of each CSV row; a first row ``kr,value…`` is a header.

    A quoted cell may hold line breaks (a spreadsheet exports a note written on several lines so).
    A quote left open is not taken for one: a quote that runs to the end of the file, or a quoted
    cell with a line that reads as a row (one of ``keys``, the names of the team's key results,
    quoted or not, and a comma), is a problem on the line it opens on, and the rows after it are not
    read (they were read into the quote: what they say cannot be trusted). A ``#`` comment line is
    read as no line at all: a quote in it is the comment's."""
    text = _comments_out(text)
    lines = io.StringIO(text, newline="").readlines()  # as csv.reader counts them
    unclosed = _open_quote_line(text)
    records: list[tuple[int, int, list[str]]] = []  # (first line, last line, cells)
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    line = 1
    try:
        for cells in reader:
            records.append((line, reader.line_num, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        if unclosed is None:
            raise UsageError(f"not readable as CSV at line {reader.line_num}: {exc}") from None
        # The open quote made a cell over csv's size limit: the record that holds it was not read.
    else:
        if unclosed is not None and records:
            records.pop()  # the record that holds the open quote runs to the end of the file
    entries: list[tuple[int, Any, Any, Any]] = []
    first = True
    for start, end, cells in records:
        if end > start and (row := _row_in_quotes(lines[start:end], keys)) is not None:
            entries.append(
                (
                    start,
                    None,
                    None,
                    f"unclosed quote: the quoted text runs on to line {end} and takes in rows such as '{row}'",
                )
            )
            return entries
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first and (separator := _other_separator(cells)):
            # A spreadsheet export with another separator: one message, not one per row.
            return [(start, None, None, f"the columns are separated by {separator}; {CSV_ROWS}")]
        if first and cells[0].lower() in ("kr", "key_result", "key result"):
            first = False
            continue
        first = False
        if len(cells) < 2 or len(cells) > 3:
            columns = "1 column" if len(cells) == 1 else f"{len(cells)} columns"
            entries.append((start, None, None, f"{columns}; a row is kr,value or kr,value,note"))
            continue
        if len(cells) == 3 and re.fullmatch(r"\d+([.,]\d+)?%?", cells[2]) and _COMMA_CUT.fullmatch(cells[1]):
            # kr,1,325 is 1325, or 1 with the note "325": a reader cannot tell; nor whether
            # kr,1.234,5 (or 1 234,5) is 1234.5 written with a decimal comma, or 1.234 noted "5".
            entries.append(
                (start, None, None, f"'{cells[1]},{cells[2]}' is ambiguous: quote a value with a comma (\"1,325\")")
            )
            continue
        entries.append((start, cells[0], cells[1], cells[2] if len(cells) == 3 and cells[2] else None))
    if unclosed is not None:
        entries.append((unclosed, None, None, "unclosed quote: the rest of the file would be read as one value"))
    return entries


# A character past U+FFFF written as JSON writes it: two escapes of a surrogate pair (``"\ud83d\udc69"``,
# what most JSON exporters emit for 👩). The YAML reader that reads JSON files takes a \u escape as
# one character and refuses a surrogate, so the pair is written as YAML's one escape of eight digits.
# A backslash escaped before it (``"\\ud83d"``) is text, not an escape: the pairs of backslashes
# before a match are kept as they are.
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _json_surrogates(text: str) -> str:
    """``text`` with each JSON surrogate-pair escape written as the one ``\\U`` escape of its character."""

    def joined(match: re.Match[str]) -> str:
        high, low = int(match[2], 16), int(match[3], 16)
        return f"{match[1]}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"

    return _SURROGATE_PAIR.sub(joined, text) if "\\u" in text else text


# A JSON string (skipped whole: a colon in it is text), or a run of white space and the colon
# after it if any (a run taken whole: each space is looked at once, however long the run).
_JSON_STRING_OR_SPACE = re.compile(r'("(?:[^"\\]|\\.)*")|(\s+)(:?)')


def _json_colons(text: str) -> str:
    """``text``, JSON, with the white space before each colon of a key moved after it
    (``"uptime"⏎: 99.9`` as ``"uptime":⏎ 99.9``). JSON allows a line break before the colon; the
    YAML reader that reads JSON files (for the line of every row) does not, and would refuse valid
    JSON. A key and a value stay on their lines."""
    if not re.search(r"\s:", text):
        return text
    return _JSON_STRING_OR_SPACE.sub(lambda m: m[1] or m[3] + m[2], text)


class _JsonConstant(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's json module reads them, JSON has no such word."""


# A JSON string (skipped whole: a word in it is text), or one of the words of ``_JsonConstant``.
_JSON_STRING_OR_CONSTANT = re.compile(r'("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)')


def _json_problem(text: str) -> tuple[int, str] | None:
    """The line of the first thing that makes ``text`` no JSON, and what it is, as a strict JSON
    reader refuses it: a trailing comma, a key without quotes, a ``#`` comment, ``81%``, a second
    value (one JSON document a line), ``NaN``. The YAML reader that then reads the file for the line
    of every row takes all of these, or names them in YAML's words. None when the text is JSON, and
    for text nested too deeply for Python's reader to tell, or blank, which the YAML reader refuses
    as a file of the wrong shape, or holding an integer too long for Python's reader."""
    import json

    def no_constant(word: str) -> Any:
        raise _JsonConstant(word)

    if not text.strip(" \t\n\r"):
        return None
    try:
        json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as problem:
        at, why = problem.pos, problem.msg[:1].lower() + problem.msg[1:].removesuffix(" at")
    except _JsonConstant as problem:
        found = (m for m in _JSON_STRING_OR_CONSTANT.finditer(text) if m[2])
        at = next((m.start() for m in found), 0)
        why = f"{problem} is no number in JSON"
    except (RecursionError, ValueError):
        # Too deep for Python's reader, or an integer longer than it converts (4,300 digits): the
        # YAML reader that reads the file next refuses such a number on its line.
        return None
    else:
        return None
    # Lines as every other message counts them (LF, CRLF, CR), columns from 1.
    column = at - max(text.rfind("\n", 0, at), text.rfind("\r", 0, at))
    return len(LINE_BREAK.findall(text, 0, at)) + 1, f"not JSON: {why} at column {column}"


def _data_entries(name: str, text: str) -> list[tuple[int, Any, Any, Any]]:
    """(line, kr, value, note) of a JSON or YAML values file (JSON, once a JSON reader takes it,
    is read as the YAML it is, for the line of every row)."""
    try:
        parsed = parse_bytes(name, text.encode("utf-8"))
    except YamlProblem as problem:
        raise ValuesFileError(name, [(problem.line or 1, problem.message)]) from None
    if len(parsed) != 1:
        raise ValuesFileError(name, [(1, "expected one mapping of key result → value, or one list of rows")])
    document = parsed[0]
    data = document.data

    def line_of(*loc: Any) -> int:
        return document.positions.get(tuple(loc), (document.line, document.column))[0]

    lines = text_lines(text)

    def written(value: Any, *loc: Any) -> Any:
        """The value, or the text the file writes it with when YAML read a number in a base other
        than ten (``0x3C`` is 60 to YAML): refused then as ``--result 0x3C`` is, not taken as 60."""
        spelled = document.spellings.get(tuple(loc))
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if spelled is not None and number and not _DECIMAL.fullmatch(spelled):
            return spelled
        if spelled is not None and isinstance(value, float) and math.isinf(value):
            return spelled  # digits past any float (``1e400``): named as written, not as infinity
        return value

    def note_of(value: Any, row: int, *loc: Any) -> Any:
        """The note of a row: text, None for none, or :class:`_NotText` (where, and as written)."""
        if value is None or isinstance(value, str):
            return value
        line, column = document.positions.get(tuple(loc), (row, 0))
        if line < row:  # an alias: the value stands where its anchor is; the row is named
            return _NotText(value, row)
        # A number or true/false is one plain word: up to a space, a comma or a closing bracket
        # (an alias, an anchor or a tag is not the value: it is then named as align names it).
        found = _PLAIN_WORD.match(lines[line - 1][column - 1 :]) if 0 < line <= len(lines) and column > 0 else None
        plain = found is not None and found.group()[0] not in "*&!" and not isinstance(value, (list, dict))
        shown = found.group() if found is not None and plain else None
        return _NotText(value, line, shown)

    entries: list[tuple[int, Any, Any, Any]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            line = document.key_positions.get((key,), (line_of(key), 0))[0]
            if key is None:  # ``null: 81`` (None is what marks a refused row below)
                entries.append((line, None, None, _NO_ID))
                continue
            if isinstance(value, dict):
                unknown = sorted(set(value) - {"value", "note"})
                if unknown or "value" not in value:
                    # No key: the row is refused for its shape (``read_values`` would take None as its value).
                    entries.append((line, None, None, f"{key}: write 'kr: value' or 'kr: {{value: …, note: …}}'"))
                    continue
                entries.append(
                    (line, key, written(value["value"], key, "value"), note_of(value.get("note"), line, key, "note"))
                )
            else:
                entries.append((line, key, written(value, key), None))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            line = line_of(index)
            if (
                not isinstance(item, dict)
                or "kr" not in item
                or "value" not in item
                or set(item) - {"kr", "value", "note"}
            ):
                entries.append((line, None, None, "a row is {kr: …, value: …} with an optional note"))
                continue
            if item["kr"] is None:
                entries.append((line, None, None, _NO_ID))
                continue
            entries.append(
                (
                    line,
                    item["kr"],
                    written(item["value"], index, "value"),
                    note_of(item.get("note"), line, index, "note"),
                )
            )
    else:
        raise ValuesFileError(name, [(document.line, "expected a mapping of key result → value, or a list of rows")])
    return entries


_NO_ID = "null is not a key result id"
_PLAIN_WORD = re.compile(r"[^\s,\]}#]+")
# A number as a person writes it in YAML or JSON: digits in base ten, a point, an exponent.
_DECIMAL = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@dataclass(frozen=True)
class _NotText:
    """A note written as something other than text (``note: 5``, ``note: [a]``): its line, and the
    word the file writes it with when it is a number or true/false."""

    value: Any
    line: int
    word: str | None = None

    def problem(self, key: str) -> str:
        """Why the row is refused, naming the note as the file writes it: as a check-in's note, such
        a value is no text (``align`` reports ``note: 5`` in a check-in as OKR101), and writing it as
        the text ``'5'`` or ``"['a']"`` would put words in the team's mouth."""
        from okrctl.model.base import SHOWN, written
        from okrctl.safetext import one_line

        if isinstance(self.value, (list, dict)):
            kind = "a list" if isinstance(self.value, list) else "a mapping"
            return f"{key}: the note {_flow(self.value)} is {kind}, not text; a note is one text"
        shown = one_line(self.word)[:SHOWN] if self.word else written(self.value)
        return f'{key}: the note {shown} is not text; put it in quotes ("{shown}") if it is meant as text'


def _flow(value: Any) -> str:
    """A list or mapping as one line of YAML flow style (``[a]``, ``{a: 1}``), as short as a message allows."""
    from ruamel.yaml import YAML

    from okrctl.model.base import SHOWN
    from okrctl.safetext import one_line
    from okrctl.spelling import SpelledInt

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = True
    yaml.width = 4096
    # A number the file spells another way (``0x1A``, ``+3``) is shown as the file writes it.
    yaml.representer.add_representer(
        SpelledInt, lambda representer, number: representer.represent_scalar("tag:yaml.org,2002:int", number.written)
    )
    buffer = io.StringIO()
    yaml.dump(value, buffer)
    text = one_line(buffer.getvalue())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def values_kind(path: Path, name: str | None = None) -> str:
    """The format of the values file at ``path`` (``csv``, ``json`` or ``yaml``); a usage error when
    ``path`` is no file or its ending is none of theirs. Needs no repository: the CLI asks first."""
    name = shown_path(name or str(path))
    if str(path) == "-" and not path.exists():
        # What a value is cannot be told without a file's ending; nothing waits on standard input.
        raise UsageError(
            f"--values-from {name}: standard input is not read; save the values to a .csv, .json, .yaml or .yml file"
        )
    # What the path is comes first: a folder or a missing file has no "file type" to blame.
    if path.is_dir():
        raise UsageError(f"{name}: is a folder, not a file")
    if not path.exists():
        raise UsageError(f"{name}: no such file")
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise UsageError(f"{name}: cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        # Reading a named pipe waits for a writer that may never come, a device may never end.
        raise UsageError(f"{name}: not a regular file (a pipe, device or socket); save the values to a file first")
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise UsageError(f"{name}: unknown file type '{path.suffix}'; a values file ends in .csv, .json, .yaml or .yml")
    return kind


def _names(options: list[KRChoice]) -> set[str]:
    """Every way a row may name the key results of ``options``."""
    return {name for c in options for name in (c.key, c.kr.id, f"{c.objective_id}/{c.kr.id}")}


def read_values(path: Path, options: list[KRChoice], *, name: str | None = None) -> ValuesFile:
    """Every row of the values file at ``path``, checked against ``options``; refuses the file on any problem."""
    # A note as ``--note`` takes it: one line, escapes and control characters out; a character
    # that hides or reorders text stays, for the writer to escape (the zero-width joiner of 👩‍💻 too).
    from okrctl.checkin.session import tidy

    # Shown in messages, the reading's `source` and the commit message: always one line.
    name = shown_path(name or str(path))
    kind = values_kind(path, name)
    text = _read_bytes(path, name)
    if kind == "json":
        problem = _json_problem(text)
        if problem is not None:
            raise ValuesFileError(name, [problem])
        text = _json_surrogates(_json_colons(text))
    try:
        entries = _csv_entries(text, _names(options)) if kind == "csv" else _data_entries(name, text)
    except UsageError as problem:
        if isinstance(problem, ValuesFileError):
            raise
        raise UsageError(f"{name}: {problem.message}") from None
    problems: list[tuple[int, str]] = []
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for line, key, raw, note in entries:
        if key is None:
            problems.append((line, note))
            continue
        if not isinstance(key, str):
            problems.append((line, f"{key!r} is not a key result id"))
            continue
        found = _find(options, key.strip())
        if isinstance(found, str):
            problems.append((line, found))
            continue
        if found.key in seen:
            problems.append((line, f"{found.key} is given twice (first on line {seen[found.key]})"))
            continue
        seen[found.key] = line
        try:
            value = parse_value(found.kr, raw) if kind == "csv" else from_data(found.kr, raw)
        except NumberError as problem:
            problems.append((line, f"{found.key}: {problem.message}"))
            continue
        if isinstance(note, _NotText):
            problems.append((note.line, note.problem(found.key)))
            continue
        text_note = tidy(note) if isinstance(note, str) else None
        if text_note and len(text_note) > MAX_TEXT:
            problems.append((line, f"{found.key}: the note has {len(text_note)} characters, over {MAX_TEXT}"))
            continue
        rows.append(Row(line, found, value, text_note or None))
    if problems:
        raise ValuesFileError(name, problems)
    if not rows:
        raise ValuesFileError(name, [(1, "no values in the file")])
    return ValuesFile(name, rows)


def far_off_rows(values: ValuesFile) -> list[tuple[Row, FarOff]]:
    out = []
    for row in values.rows:
        found = far_off(row.choice.kr, row.value)
        if found is not None:
            out.append((row, found))
    return out


# ----- the Reading document ----------------------------------------------------------------------------
@dataclass
class Measurement:
    repo: Repo
    team: str
    day: date
    values: ValuesFile
    path: Path
    rel: str
    existing: Doc | None
    original: bytes | None
    previous: dict[str, float | None]  # each row's KR value before this reading
    # Each key result the team's check-in of the same date gives a value of: that value, which
    # stays the day's (a check-in wins over a reading of its date).
    kept: dict[str, float | bool] = field(default_factory=dict)
    written: bytes | None = None  # what ``write`` left in the file (for ``--commit``'s check)


def prepare(
    repo: Repo,
    team: str,
    day: date,
    today: date,
    values_path: Path,
    *,
    name: str | None = None,
    date_given: bool = True,
) -> Measurement:
    from okrctl.analysis.state import objective_state
    from okrctl.views.scope import known_unit

    known_unit(repo, team, "--team", teams=True)
    if day > today:
        raise UsageError(f"--date: {day} is after today ({today}); a reading is dated on the day it is measured")
    if not repo.objectives_on(team, day):
        from okrctl.checkin.session import outside_every_cycle, refuse_broken_objective

        refuse_broken_objective(repo, team, day, "; nothing was written")
        raise outside_every_cycle(repo, team, day, date_given=date_given, after="; nothing was written")
    from okrctl.checkin.session import refuse_repeated_key_result

    # Before the values file is read: its rows could name neither of the two key results.
    refuse_repeated_key_result(repo, team, day, "; nothing was written")
    options = choices(repo, team, day)
    values = read_values(values_path, options, name=name)
    rel = f"{READING_FOLDER}/{team}/{day.isoformat()}.yaml"
    existing = next((d for d in repo.readings_of(team) if d.model.date == day), None)
    if existing is not None:
        rel = existing.path
    path = repo.root / rel
    real_root = os.path.realpath(repo.root)
    if not (os.path.realpath(path) + os.sep).startswith(real_root + os.sep):
        raise ContentError(f"{shown_path(rel)}: resolves outside the repository; nothing was written")
    from okrctl.repofiles import planted_in, planted_refusal

    linked = planted_in(repo.root, rel)
    if linked is not None:
        # Followed, the reading would land (and be committed) wherever the link points.
        raise ContentError(planted_refusal(rel, linked, shown_path))
    from okrctl.load.pipeline import refuse_excluded

    refuse_excluded(repo.root, rel, "the reading")
    from okrctl.repofiles import other_repository, other_repository_refusal

    nested = other_repository(repo.root, rel)
    if nested is not None:
        # okrctl never reads that folder: the reading would count for nothing, and ``--commit``
        # would commit it in that repository's history.
        raise ContentError(other_repository_refusal(rel, nested, shown_path))
    if existing is None:
        from okrctl.checkin.session import refuse_a_day_with_errors

        # The team's reading of the day with errors, in any file (its own place among them), is no
        # missing reading: a new one beside it would be a second of the day once it is fixed (OKR102).
        refuse_a_day_with_errors(repo, team, day, "Reading", READING_FOLDER)
    known = repo.digests.get(rel)
    try:
        there = path.exists() or path.is_symlink()
    except OSError as exc:  # a folder that cannot be searched: whether a reading is there cannot be told
        from okrctl.repofiles import Unwritable

        raise Unwritable(rel, exc) from None
    if existing is None and there and (known is not None or not repo.digests):
        # (A file this run's scan did not see was written meanwhile, by another ``measure`` most
        # often: ``write`` adds to it under its lock.)
        from okrctl.views.scope import first_error_line

        raise ContentError(
            f"the file exists but holds no valid reading of '{team}' for {day}; nothing was written "
            "(run 'okrctl align' and fix or move it)",
            path=rel,
            line=first_error_line(repo, rel),
        )
    if existing is None:
        from okrctl.repofiles import not_a_folder

        # A file, or a link to nothing, where ``readings`` or the team's folder must be: the write
        # would refuse it (``repofiles.folder_for``), after the values are listed, and a dry run
        # not at all. Refused here, for both, with the write's words.
        blocked = not_a_folder(repo.root, path, rel)
        if blocked is not None:
            raise ContentError(blocked)
    previous: dict[str, float | None] = {}
    for doc in repo.objectives_on(team, day):
        state = objective_state(repo, doc.model, day)
        if state is None:
            continue
        for kr_state in state.key_results:
            for choice in options:
                if choice.objective_id == doc.model.id and choice.kr.id == kr_state.id:
                    previous[choice.key] = kr_state.value
    original = None
    if existing is not None:
        from okrctl.load.store import digest

        original = path.read_bytes()
        if known and digest(original) != known:
            # Saved since the scan read it (another ``measure``): what this run adds to, and what
            # ``write`` compares the file with, must be the same bytes.
            existing = _reading_in(repo, rel, team, day, original)
            if existing is None:
                raise _gone_meanwhile(rel, team, day)
    return Measurement(
        repo,
        team,
        day,
        values,
        path,
        rel,
        existing,
        original,
        previous,
        kept=_kept_by_checkin(repo, team, day, options),
    )


def _kept_by_checkin(repo: Repo, team: str, day: date, options: list[KRChoice]) -> dict[str, float | bool]:
    """The values the team's check-in of ``day`` gives, by the key this reading writes them under."""
    checkin = next((d.model for d in repo.checkins_of(team) if d.model.date == day), None)
    if checkin is None:
        return {}
    keys = {(choice.objective_id, choice.kr.id): choice.key for choice in options}
    kept: dict[str, float | bool] = {}
    for written in checkin.results:
        value = checkin.result_value(written)
        matches = repo.resolve_result_key(checkin, written)
        if value is not None and len(matches) == 1:
            key = keys.get((matches[0][0].id, matches[0][1].id))
            if key is not None:
                kept[key] = value
    return kept


def _yaml_number(value: float | bool) -> Any:
    if isinstance(value, bool):
        return value
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _entries(measurement: Measurement) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(what the day's earlier reading holds, what it holds with these values added or replaced),
    each key → {value, note?, source}. A value of an earlier reading without its own source came
    from that reading's ``source``."""
    before: dict[str, dict[str, Any]] = {}
    existing: Reading | None = measurement.existing.model if measurement.existing is not None else None
    if existing is not None:
        for key in existing.values:
            entry: dict[str, Any] = {"value": _yaml_number(existing.result_value(key))}  # type: ignore[arg-type]
            if (note := existing.result_note(key)) is not None:
                entry["note"] = note
            entry["source"] = existing.result_source(key)
            before[key] = entry
    entries = {key: dict(entry) for key, entry in before.items()}
    source = measurement.values.source
    options = choices(measurement.repo, measurement.team, measurement.day)
    for row in measurement.values.rows:
        # The same key result under another spelling (``objective/kr`` or the bare id): the value
        # goes under the reading's own key, so that the same values change nothing.
        same = [
            k
            for k in entries
            if k != row.choice.key and k.rsplit("/", 1)[-1] == row.choice.kr.id and _find(options, k) == row.choice
        ]
        key = same[0] if same else row.choice.key
        for other in same[1:]:
            del entries[other]
        entries[key] = {"value": _yaml_number(row.value), "source": source}
        if row.note:
            entries[key]["note"] = row.note
        elif key in before and "note" in before[key] and before[key]["value"] == entries[key]["value"]:
            entries[key]["note"] = before[key]["note"]  # the same value keeps its note
    return before, entries


def _value_node(entry: dict[str, Any], one_source: bool) -> Any:
    """A value as the reading writes it: the bare number, or ``{value, note?, source?}`` in flow."""
    from ruamel.yaml.comments import CommentedMap

    shown = [
        (name, _flow_text(entry[name]) if name != "value" else entry[name])
        for name in ("value", "note", "source")
        if name in entry
    ]
    if one_source:
        shown = [item for item in shown if item[0] != "source"]
    if len(shown) == 1:
        return entry["value"]
    flow = CommentedMap(shown)
    flow.fa.set_flow_style()
    return flow


def _flow_text(text: str) -> Any:
    """``text`` (a note, a source) as it is written inside ``{…}``: as the library writes it, unless
    that does not read back as ``text`` there; then quoted. The library writes ``export at 10:30``,
    ``ratio 3:1`` or ``a ?b`` plain in flow context, where the YAML reader refuses them (``:``
    before a non-space, ``?``): the reading could not be written. Checked by reading the written
    text back, so whatever the library gets right (``'a, b'``, a plain ``from Zendesk``) stays as
    it was. Single quotes asked for become double quotes where single ones cannot hold the text."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    from okrctl.checkin.compose import _yaml

    probe = CommentedMap([("note", text)])
    probe.fa.set_flow_style()
    buffer = io.StringIO()
    _yaml().dump(probe, buffer)
    try:
        (document,) = parse_bytes("note.yaml", buffer.getvalue().encode("utf-8"))
        if document.data == {"note": text}:
            return text
    except (YamlProblem, ValueError):
        pass
    return SingleQuotedScalarString(text)


def compose(measurement: Measurement, author: str | None) -> str:
    """The reading's YAML: the day's earlier reading with these values added (or replaced).

    Each value keeps the source it came from. A reading whose values all came from one source
    names it once, in ``source``; one whose values came from several gives every value its own
    ``source`` too, and ``source`` lists them all.

    An earlier reading is edited where it stands: the file's other documents, its comments (an
    ``okrctl: ignore`` among them) and its layout are kept, and when it holds these values already
    its text is returned unchanged (nothing to write, whoever runs it)."""
    from ruamel.yaml.comments import CommentedMap

    from okrctl.checkin.compose import _yaml

    before, entries = _entries(measurement)
    sources = list(dict.fromkeys(entry["source"] for entry in entries.values()))
    if measurement.existing is not None and measurement.original is not None:
        if entries == before:
            return measurement.original.decode("utf-8-sig").replace("\r\n", "\n")
        return _edited(measurement, before, entries, sources, author)
    yaml = _yaml()  # the check-in's writer: no text holding U+202E and the like is written with it raw
    values = CommentedMap()
    for key, entry in entries.items():
        values[key] = _value_node(entry, len(sources) == 1)
    document = CommentedMap()
    document["apiVersion"] = "okrctl/v1"
    document["kind"] = "Reading"
    document["owner"] = measurement.team
    document["date"] = measurement.day
    document["source"] = ", ".join(sources)
    if author:
        document["author"] = author
    document["values"] = values
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    header = f"# Values of {measurement.team} measured on {measurement.day}, written with `okrctl measure`.\n"
    return header + buffer.getvalue()


def _edited(
    measurement: Measurement,
    before: dict[str, dict[str, Any]],
    entries: dict[str, dict[str, Any]],
    sources: list[str],
    author: str | None,
) -> str:
    """The file of the earlier reading with its document changed to hold ``entries``: a value that
    did not change keeps its node (and the comment after it), a changed one gets a new node in its
    place, one the new values replace is removed; every other byte of the file is kept. A value
    written again as it was (given its ``source``) keeps a tab before its comment too."""
    from ruamel.yaml.comments import CommentedMap

    from okrctl.checkin.compose import (
        _tail_kept,
        _unshare,
        _yaml,
        loaded_for_edit,
        opened_for_edit,
        tabs_spaced,
        written_again,
    )

    assert measurement.existing is not None and measurement.original is not None
    bom, original, newline = opened_for_edit(measurement.original)
    yaml = _yaml()
    readable = tabs_spaced(original, measurement.rel, "reading")
    documents = loaded_for_edit(yaml, readable, measurement.rel, "reading")
    document = documents[measurement.existing.index]
    _unshare(document)
    values = document.get("values")
    same_values = [
        values.lc.key(key)[0]
        for key, entry in entries.items()
        if isinstance(values, CommentedMap)
        and key in values
        and key in before
        and before[key]["value"] == entry["value"]
    ]
    with _tail_kept(document):
        _values_written(document, entries, sources, author)
    return written_again(
        readable,
        documents,
        measurement.existing.index,
        yaml,
        False,
        measurement.rel,
        "reading",
        bom=bom,
        newline=newline,
        tabbed=original,
        same_values=same_values,
    )


def _values_written(document: Any, entries: dict[str, dict[str, Any]], sources: list[str], author: str | None) -> None:
    """``entries``, ``sources`` and ``author`` written into the reading's ``document``; the
    comment lines after the last value stay after the last value (``_tail_kept``)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import PlainScalarString

    from okrctl.checkin.compose import _insert_after, _tail_kept

    values = document.get("values")
    if not isinstance(values, CommentedMap):
        values = CommentedMap()
        document["values"] = values
    one_source = len(sources) == 1
    with _tail_kept(values):
        for key in [k for k in values if str(k) not in entries]:
            del values[key]
        for key, entry in entries.items():
            wanted = _value_node(entry, one_source)
            present = values.get(key)
            if present is not None and _plain(present) == _plain(wanted):
                continue
            if isinstance(present, CommentedMap):
                # ``{value, note, source}`` written as a mapping: its fields change where they stand,
                # so its style and the comments of its lines stay (a bare value as ``value:`` alone).
                if not isinstance(wanted, dict):
                    wanted = {"value": wanted}
                with _tail_kept(present):
                    for name in [n for n in present if n not in wanted]:
                        del present[name]
                    for name, value in wanted.items():
                        if present.get(name) != value:
                            # Quoted for flow context only where it stands in it: a mapping in
                            # block style takes ``export at 10:30`` plain, as it did. Plain marked
                            # so: ruamel gives a ``str`` the quotes of the text it replaces
                            # (``source: 'k,1: x.csv'`` made ``source: 'act.csv'``).
                            if isinstance(value, str) and (type(value) is str or not present.fa.flow_style()):
                                value = PlainScalarString(value)
                            present[name] = value
            else:
                values[key] = wanted
    source = ", ".join(sources)
    if document.get("source") != source:
        document["source"] = PlainScalarString(source)
    if author and document.get("author") != author:
        if "author" in document:
            document["author"] = PlainScalarString(author)
        else:
            _insert_after(document, "author", author, ("source", "date"))


def _plain(node: Any) -> Any:
    """A value node as plain data, to tell whether a value changed (80 and 80.0 are one value)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    return node


def validate(measurement: Measurement, text: str | bytes, today: date) -> tuple[list[Finding], list[Finding]]:
    """The reading checked like ``align`` would: (errors, far-off warnings) in this file."""
    from okrctl.load.comments import parsed_findings
    from okrctl.rules import Selection, run

    repo = measurement.repo
    parsed = parse_bytes(measurement.rel, text if isinstance(text, bytes) else text.encode("utf-8"))
    docs = [Doc(measurement.rel, p.index, p.line, p.column, p.data, ignore=p.ignore, parsed=p) for p in parsed]
    suggestions = Suggestions.for_file()  # as align works out this file's findings
    problems = [f for doc in docs for f in validate_document(doc, suggestions)]
    others = [d for d in repo.docs if d.path != measurement.rel]
    # The file's own findings are those of the new text, not of the file it replaces.
    file_findings = [f for f in repo.file_findings if f.path != measurement.rel]
    file_findings += parsed_findings(measurement.rel, parsed)
    after = Repo(repo.root, repo.config, repo.config_doc, others + docs, file_findings, repo.files, repo.other_files)
    cycles = {str(d.model.cycle) for d in repo.objectives_on(measurement.team, measurement.day)}
    found = problems + run(after, today, cycles=cycles, selection=Selection(select=["OKR1", "OKR5"]), history=False)
    mine = [f for f in found if f.path == measurement.rel]
    return [f for f in mine if f.severity == "error"], [f for f in mine if f.code == "OKR509"]


def unchanged(measurement: Measurement, text: str) -> bool:
    if measurement.original is None:
        return False
    return measurement.original.decode("utf-8-sig", "replace").replace("\r\n", "\n") == text


def check(measurement: Measurement, text: str, today: date) -> list[Finding]:
    """Refuse a reading that does not pass ``align`` (ContentError: nothing is written); else the
    far-off values ``align`` will report in it (OKR509; none that a comment silences)."""
    errors, far = validate(measurement, text, today)
    if errors and measurement.original is not None:
        from okrctl.checkin.validate import as_on_disk

        # An error the reading on disk has already is named where align names it there.
        errors = as_on_disk(errors, validate(measurement, measurement.original, today)[0])
    if errors:
        shown = "; ".join(f"{shown_path(f.path)}:{f.line}:{f.column}: {f.code} {f.message}" for f in errors[:5])
        raise ContentError(f"the reading does not pass align; nothing was written: {shown}")
    return far


def write(measurement: Measurement, text: str, today: date, author: str | None) -> bool:
    """Atomically: a new reading never replaces a file, a replacement only the file it was made
    from (checked and replaced under a lock, as a check-in's amendment is). What killed writes left
    in the reading's folder is tidied first (``repofiles.tidy``).

    Another ``measure`` may write the day's reading meanwhile (two scheduled jobs, one team): these
    values are then added to the reading as it is now, under its lock, as a run after it would
    have (``_added_to``), never refused and never written over it. False when that reading holds
    these values already: nothing was written. A write the file system refuses (read-only, full)
    is one line naming the reading (``Unwritable``, exit 1), as a check-in's is.
    """
    from okrctl.repofiles import Unwritable, folder_for, unmake

    made: list[Path] = []
    try:
        if measurement.existing is None:
            made = folder_for(measurement.repo.root, measurement.path, measurement.rel)
        return _write(measurement, text, today, author)
    except OSError as exc:
        unmake(made)
        raise Unwritable(measurement.rel, exc) from None
    except KeyboardInterrupt:
        unmake(made)  # (only folders left empty: none holding the reading once it has its name)
        raise


def _write(measurement: Measurement, text: str, today: date, author: str | None) -> bool:
    from okrctl.repofiles import exclusive, tidy

    if measurement.existing is None:
        try:
            tidy(measurement.path.parent)
            _put(measurement, text, exclusive=True)
            return True
        except FileExistsError:
            pass  # written meanwhile: added to below
    try:
        with exclusive(measurement.path, measurement.rel):
            now = measurement.path.read_bytes()
            if now != measurement.original:
                text = _added_to(measurement, now, today, author)
                if unchanged(measurement, text):
                    return False
            tidy(measurement.path.parent)
            _put(measurement, text, exclusive=False)
    except FileNotFoundError:
        raise ContentError(
            f"{shown_path(measurement.rel)}: removed by someone else meanwhile; nothing was written"
        ) from None
    return True


def _put(measurement: Measurement, text: str, *, exclusive: bool) -> None:
    """Write the reading and note it in ``measurement.written``, also when Ctrl-C or a signal comes
    once the file has its name (its folder being synced): the file holds ``text`` then, and the
    line saying what stopped the command tells that it is written."""
    from okrctl.fsutil import atomic_write, holds

    data = text.encode("utf-8")
    try:
        atomic_write(measurement.path, text, exclusive=exclusive)
    except KeyboardInterrupt:
        if holds(measurement.path, text):
            measurement.written = data
        raise
    measurement.written = data


def _added_to(measurement: Measurement, raw: bytes, today: date, author: str | None) -> str:
    """The text of the reading ``raw`` (the file as another writer left it) with this run's values
    added; ``measurement`` takes that reading as the one it adds to. Measured values do not depend on
    what another job measured, so nothing of this run is stale: only the file it adds to is newer.
    A file that no longer holds a valid reading of the team and day is refused (ContentError)."""
    found = _reading_in(measurement.repo, measurement.rel, measurement.team, measurement.day, raw)
    if found is None:
        raise _gone_meanwhile(measurement.rel, measurement.team, measurement.day)
    measurement.existing, measurement.original = found, raw
    text = compose(measurement, author)
    check(measurement, text, today)
    return text


def still_holds(measurement: Measurement, raw: bytes) -> bool:
    """Whether ``raw`` (the reading's bytes as they are now) is a valid reading of the team and day
    that holds each of this run's values, under any spelling of its key: what another ``measure``
    leaves when it adds its own values; not a hand edit that broke the file or changed them."""
    found = _reading_in(measurement.repo, measurement.rel, measurement.team, measurement.day, raw)
    if found is None:
        return False
    reading = found.model
    options = choices(measurement.repo, measurement.team, measurement.day)
    for row in measurement.values.rows:
        keys = [
            key
            for key in reading.values
            if key == row.choice.key
            or (key.rsplit("/", 1)[-1] == row.choice.kr.id and _find(options, key) == row.choice)
        ]
        if not any(reading.result_value(key) == row.value for key in keys):
            return False
    return True


def _reading_in(repo: Repo, rel: str, team: str, day: date, raw: bytes) -> Doc | None:
    """The valid reading of ``team`` for ``day`` in ``raw`` (the bytes of ``rel`` as they are now),
    or None; never one of a file that resolves outside the repository."""
    real_root = os.path.realpath(repo.root)
    if not (os.path.realpath(repo.root / rel) + os.sep).startswith(real_root + os.sep):
        return None
    try:
        parsed = parse_bytes(rel, raw)
    except YamlProblem:
        return None
    for document in parsed:
        doc = Doc(rel, document.index, document.line, document.column, document.data, parsed=document)
        reading = doc.model if fits(doc) else None
        if isinstance(reading, Reading) and reading.owner == team and reading.date == day:
            return doc
    return None


def _gone_meanwhile(rel: str, team: str, day: date) -> ContentError:
    return ContentError(
        f"{shown_path(rel)}: changed by someone else meanwhile, and holds no valid reading of '{team}' for {day} "
        "any more; nothing was written"
    )


def commit_message(
    measurement: Measurement, committed: bytes, before: bytes | None, moved_from: str | None = None
) -> str:
    """The message of the commit of the reading as ``committed`` (its bytes), HEAD holding
    ``before`` (None: no such file), under ``moved_from`` when the commit takes the user's staged
    move of it: it counts, and names the sources of, every value the commit adds or changes. That
    is this run's values, and also those an earlier run wrote without committing them, which the
    commit holds too. A commit that adds none (the moved reading committed again as HEAD held it
    under its old name, or a reading edited by hand committed as it is) says so: counting this
    run's values there named values HEAD held already."""
    now = _reading_in(measurement.repo, measurement.rel, measurement.team, measurement.day, committed)
    then = (
        _reading_in(measurement.repo, measurement.rel, measurement.team, measurement.day, before)
        if before is not None
        else None
    )
    # The committed bytes hold no reading that can be read (they always should: the run wrote them
    # or found its values in them): this run's values, which they were written with, are what is known.
    count, sources = len(measurement.values.rows), [measurement.values.source]
    reading = now.model if now is not None else None
    if isinstance(reading, Reading):
        old = then.model if then is not None and isinstance(then.model, Reading) else None

        def entry(of: Reading, key: str) -> tuple[object, object, str]:
            return of.result_value(key), of.result_note(key), of.result_source(key)

        added = [k for k in reading.values if old is None or k not in old.values or entry(old, k) != entry(reading, k)]
        if not added:
            done = f"moved to {shown_path(measurement.rel)}" if moved_from is not None else "no new value"
            return f"measure({measurement.team}): {measurement.day} {done}"
        count, sources = len(added), list(dict.fromkeys(reading.result_source(key) for key in added))
    return (
        f"measure({measurement.team}): {measurement.day} {count} value{'s' if count != 1 else ''} "
        f"from {shown_path(', '.join(sources))}"
    )
