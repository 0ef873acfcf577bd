"""The YAML of a check-in: a new file, or the existing one edited in place (comments and layout kept)."""

from __future__ import annotations

import copy
import functools
import io
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from okrctl.checkin.session import Answers, Confidence, Session, Value
from okrctl.load.yamlparse import CONFIRMED_REASON
from okrctl.safetext import shown_path


def _yaml_number(value: Value) -> Any:
    if isinstance(value, bool):
        return value
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _yaml() -> Any:
    """The round-trip YAML every file okrctl writes again or anew is dumped with (check-ins, readings)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Emitter = _hidden_escaping_emitter()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@functools.cache
def _hidden_escaping_emitter() -> type:
    """ruamel's round-trip emitter, but a scalar holding a character that hides or reorders text
    (``safetext.hides_text``: U+202E, U+2066, U+200B, ...) is always written double-quoted, with
    that character as an escape (``"Pay \\u202eredro"``): raw, a file okrctl commits would read
    otherwise in an editor or a review than it does to YAML ("Trojan Source"). ruamel deems such a
    character printable and writes it raw in every style, and only a double-quoted scalar can
    spell it another way."""
    from ruamel.yaml.emitter import RoundTripEmitter

    from okrctl.safetext import hidden_escaped, holds_hidden

    class _Escaping:
        """The emitter's stream while it writes a double-quoted scalar. Everything written then lies
        between the quotes, where a character and its escape read the same: each raw chunk has its
        hidden characters replaced (the quotes, escapes and indents it also writes hold none). The
        written text as a whole could not be changed so: in a comment or a plain scalar an escape
        is just a backslash and letters."""

        def __init__(self, emitter: Any, stream: Any) -> None:
            self.emitter, self.stream = emitter, stream

        def write(self, data: Any) -> Any:
            raw = isinstance(data, bytes)
            text = data.decode(self.emitter.encoding) if raw else data
            escaped = hidden_escaped(text)
            self.emitter.column += len(escaped) - len(text)  # the columns the escapes take
            return self.stream.write(escaped.encode(self.emitter.encoding) if raw else escaped)

    class HiddenEscapingEmitter(RoundTripEmitter):  # type: ignore[misc]
        def choose_scalar_style(self) -> Any:
            # Plain, single-quoted and block scalars have no escapes: such text is double-quoted,
            # whatever style the file or the representer asked for.
            if isinstance(self.event.value, str) and holds_hidden(self.event.value):
                return '"'
            return super().choose_scalar_style()

        def write_double_quoted(self, text: Any, split: Any = True) -> None:
            if not holds_hidden(text):
                super().write_double_quoted(text, split)
                return
            stream = self.stream
            self.stream = _Escaping(self, stream)
            try:
                # Never folded: ruamel's folding after an escape can drop or add a space (a line
                # broken where no space was), and escapes make a line long enough to fold.
                super().write_double_quoted(text, False)
            finally:
                self.stream = stream

    return HiddenEscapingEmitter


# Text is written plain only when it is plainly safe: it starts with a letter or digit and holds
# only letters, digits, spaces and punctuation that mean nothing to YAML there (in a flow mapping,
# a note's ``{value: 3, note: ...}``, not even a comma or a ``?``, which before ``}`` reads as a
# key indicator). Anything else (an indicator such as
# ``? ``, ``: `` or ``- `` at the start, ``: `` or `` #`` inside, brackets, quotes, symbols, unusual
# characters) is double-quoted, which YAML reads back as exactly the text whatever it holds.
_PLAIN_FLOW = re.compile(r"^\w[\w .;()/%+=@$'’&*~^!<>–—…-]*$")
_PLAIN_BLOCK = re.compile(r"^\w[\w .,;()/%+=@$'’&*~^!?<>–—…-]*$")


def _yaml_text(text: str, *, flow: bool = False) -> Any:
    """Text as a YAML scalar that reads back as exactly ``text``."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if (_PLAIN_FLOW if flow else _PLAIN_BLOCK).match(text) and not text.endswith(" "):
        return text
    return DoubleQuotedScalarString(text)


def _text_list(items: list[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(_yaml_text(item) for item in items)


def _result_entry(value: Value, note: str | None) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if not note:
        return _yaml_number(value)
    entry = CommentedMap([("value", _yaml_number(value)), ("note", _yaml_text(note, flow=True))])
    entry.fa.set_flow_style()
    return entry


def _confidence_node(confidence: Confidence) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if isinstance(confidence, dict):
        return CommentedMap((k, _yaml_number(v)) for k, v in confidence.items())
    return _yaml_number(confidence)


def new_text(session: Session, answers: Answers, author: str | None) -> str:
    """The YAML of a new check-in, starting with a comment line."""
    from ruamel.yaml.comments import CommentedMap

    document = CommentedMap()
    document["apiVersion"] = "okrctl/v1"
    document["kind"] = "CheckIn"
    document["owner"] = session.team
    document["date"] = session.day
    if author:
        document["author"] = author
    if answers.confidence is not None:
        document["confidence"] = _confidence_node(answers.confidence)
    order = {line.key: index for index, line in enumerate(session.krs)}
    if answers.results:
        results = CommentedMap()
        for key in sorted(answers.results, key=order.__getitem__):
            results[key] = _result_entry(answers.results[key], answers.notes.get(key))
        document["results"] = results
    if answers.issues:
        document["issues"] = _text_list(answers.issues)
    if answers.plan:
        document["plan"] = _text_list(answers.plan)
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    # The unit's name is repository text: no bidi controls or invisible characters in the file.
    from okrctl.load.comments import disarmed
    from okrctl.safetext import one_written_line

    header = f"# GRIP check-in of {disarmed(one_written_line(session.team_name))} for {session.day}, written with `okrctl checkin`.\n"
    return header + buffer.getvalue()


def amended_text(session: Session, answers: Answers) -> str:
    """The existing file with the answers applied in place: comments, order and layout kept.

    Only the check-in's own document is written again; every other byte of the file (comments
    above ``---``, ``%YAML`` directives, ``...`` markers, other documents) is kept as it was, and
    so are its line ends (CRLF, CR) and a byte-order mark.
    """

    assert session.existing is not None and session.original is not None
    bom, original, newline = opened_for_edit(session.original)
    flush_lists = bool(re.search(r"^- ", original, flags=re.MULTILINE))
    yaml = _yaml()
    if flush_lists:
        yaml.indent(mapping=2, sequence=2, offset=0)  # this file writes lists flush with their key
    readable = tabs_spaced(original, session.rel, "check-in")
    documents = loaded_for_edit(yaml, readable, session.rel, "check-in")
    document = documents[session.existing.index]
    _unshare(document)
    with _tail_kept(document):
        _answers_applied(session, answers, document)
    return written_again(
        readable,
        documents,
        session.existing.index,
        yaml,
        flush_lists,
        session.rel,
        "check-in",
        bom=bom,
        newline=newline,
        tabbed=original,
    )


def _answers_applied(session: Session, answers: Answers, document: Any) -> None:
    """The answers written into the check-in's ``document``; each list or mapping they add to or
    cut keeps the comment lines after its last entry after its last entry (``_tail_kept``)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if answers.confidence is not None:
        current = document.get("confidence")
        if isinstance(answers.confidence, dict) and isinstance(current, CommentedMap):
            with _tail_kept(current):
                for key in [k for k in current if k not in answers.confidence]:
                    del current[key]
                for key, value in answers.confidence.items():
                    current[key] = _yaml_number(value)
        elif current != answers.confidence:
            document["confidence"] = _confidence_node(answers.confidence)
    if answers.results:
        results = document.get("results")
        if not isinstance(results, CommentedMap):
            results = CommentedMap()
            _insert_after(document, "results", results, ("confidence", "author", "date"))
        lines = {line.key: line for line in session.krs}
        written = _written_keys(session, results)
        with _tail_kept(results):
            for key, value in answers.results.items():
                line = lines[key]
                present = written.get((line.objective_id, line.kr.id), key)
                note = answers.notes.get(key)
                entry = results.get(present)
                if isinstance(entry, CommentedMap):
                    with _tail_kept(entry):
                        entry["value"] = _yaml_number(value)
                        if note:
                            entry["note"] = _yaml_text(note, flow=_flow(entry))
                else:
                    results[present] = _result_entry(value, note)
    for name in ("issues", "plan"):
        wanted: list[str] = getattr(answers, name)
        current = document.get(name)
        if isinstance(current, CommentedSeq):
            with _tail_kept(current):
                for index in reversed(range(len(current))):
                    if current[index] not in wanted:
                        del current[index]
                current.extend(_yaml_text(item) for item in wanted if item not in current)
        elif wanted:
            _insert_after(document, name, _text_list(wanted), ("issues", "results", "confidence", "date"))


def opened_for_edit(raw: bytes) -> tuple[str, str, str]:
    """A file's bytes as the text an edit works on: (its byte-order mark or "", the text with LF
    line ends, the line end it used throughout): ``written_again`` puts both back."""
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    text = raw.decode("utf-8-sig")
    newline = line_end(text)
    return bom, text.replace(newline, "\n") if newline != "\n" else text, newline


def line_end(text: str) -> str:
    """The line end ``text`` uses throughout: CRLF, a lone CR (classic Mac OS), else LF (a file
    that mixes them is edited as it is). YAML reads each as a line break, but the YAML library
    writes LF: a document written again gets the file's own line end back."""
    if "\r\n" in text and text.count("\n") == text.count("\r\n"):
        return "\r\n"
    if "\r" in text and "\n" not in text:
        return "\r"
    return "\n"


def tabs_spaced(text: str, rel: str, what: str) -> str:
    """``text`` with each tab that only separates tokens (before a comment, after a ``:``) made one
    space: okrctl's parser (libyaml) reads ``confidence: 6<TAB># gut feeling``, the round-trip
    library's scanner refuses it. One character for one, so every offset and column stays; the
    tabs of the lines an edit leaves as they were are put back by ``written_again``. Tabs inside
    a value (quoted text, a block of text) or a comment stay. A text whose reading the change
    would alter is refused (ContentError naming the line of its first such tab)."""
    if "\t" not in text:
        return text
    spaced = _separating_tabs_spaced(text)
    if spaced is None or spaced == text:
        return text
    from okrctl.load.yamlparse import YamlProblem, parse_text, text_lines

    try:
        same = _same_reading(parse_text(text, want_positions=False), parse_text(spaced, want_positions=False))
    except YamlProblem:
        same = False
    if not same:
        from okrctl.errors import ContentError

        line = next(i for i, (a, b) in enumerate(zip(text_lines(text), text_lines(spaced), strict=True)) if a != b)
        raise ContentError(
            f"{shown_path(rel)}:{line + 1}: a tab between the values of this line cannot be kept by writing the {what} "
            "again; nothing was written (replace the tab with a space)"
        )
    return spaced


def _separating_tabs_spaced(text: str) -> str | None:
    """``text`` with every tab outside the tokens the C scanner finds and outside comments made a
    space; None when that scanner is missing or does not read ``text``."""
    from bisect import bisect_right

    try:
        from ruamel.yaml.cyaml import CParser
        from ruamel.yaml.error import YAMLError
        from ruamel.yaml.tokens import StreamEndToken
    except ImportError:  # pragma: no cover - CPython installs ruamel.yaml.clib
        return None
    starts: list[int] = []
    ends: list[int] = []
    scanner = CParser(text)
    try:
        while True:
            token = scanner.get_token()
            if isinstance(token, StreamEndToken):
                break
            start, end = token.start_mark.index, token.end_mark.index
            if text[start : start + 1] in ("|", ">") and getattr(token, "style", None) in ("|", ">"):
                # A block of text: its header line (``|-``, then a comment) separates as any line.
                start = min(i for i in (text.find("\n", start), text.find("\r", start), end) if i >= 0)
            if end > start:
                starts.append(start)
                ends.append(end)
    except YAMLError:
        return None
    finally:
        scanner.dispose()

    def inside_a_token(at: int) -> bool:
        index = bisect_right(starts, at) - 1
        return index >= 0 and at < ends[index]

    out = list(text)
    in_comment = False
    for found in re.finditer(r"[#\t\n\r]", text):
        at, char = found.start(), found.group()
        if char in "\n\r":
            in_comment = False
        elif in_comment or inside_a_token(at):
            continue
        elif char == "#":  # outside a token, a # starts a comment that runs to the line's end
            in_comment = True
        else:
            out[at] = " "
    return "".join(out)


def _same_reading(left: list[Any], right: list[Any]) -> bool:
    return [d.data for d in left] == [d.data for d in right] or repr([d.data for d in left]) == repr(
        [d.data for d in right]
    )


def loaded_for_edit(yaml: Any, text: str, rel: str, what: str) -> list[Any]:
    """The documents of ``text`` as the round-trip YAML library reads them. A text it cannot read
    (okrctl's own parser is more lenient in places) is a ContentError naming the line, never an
    internal error: nothing is written then."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return list(yaml.load_all(text))
    except YAMLError as exc:
        from okrctl.errors import ContentError

        mark = (exc.problem_mark or exc.context_mark) if isinstance(exc, MarkedYAMLError) else None
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = " ".join(((exc.problem if isinstance(exc, MarkedYAMLError) else None) or str(exc)).split())
        fix = "replace the tab with a space" if "'\\t'" in problem else "edit the file by hand"
        raise ContentError(
            f"{shown_path(rel)}{line}: the {what} cannot be written again in place: the YAML library okrctl edits it "
            f"with reads this line otherwise ({problem}); nothing was written ({fix})"
        ) from None


def _tabs_put_back(tabbed: str, spaced: str, text: str, same_values: Collection[int] = ()) -> str:
    """``text`` (written from ``spaced``) with the tabs of ``tabbed`` back in every line it kept,
    and before the comment of each line of ``same_values`` it wrote again (``written_again``)."""
    if tabbed == spaced:
        return text
    from difflib import SequenceMatcher

    before = spaced.splitlines(keepends=True)
    originals = tabbed.splitlines(keepends=True)
    after = text.splitlines(keepends=True)
    rewritten: list[int] = []
    for tag, i1, _, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            after[j1:j2] = originals[i1 : i1 + j2 - j1]
        else:
            rewritten += range(j1, j2)
    for line in same_values:
        if line >= len(before) or originals[line] == before[line]:
            continue
        # The tabs before the line's comment: a run of them that ``tabs_spaced`` made spaces.
        runs = re.finditer(r"[ \t]*\t[ \t]*(?=#)", originals[line])
        found = next((run for run in runs if not before[line][run.start() : run.end()].strip(" ")), None)
        if found is None:
            continue
        comment, key = before[line][found.end() :], before[line].split(":", 1)[0]
        for at in rewritten:
            written = after[at]
            if written.startswith(key + ":") and written.endswith(" " + comment):
                after[at] = written[: -len(comment)].rstrip(" ") + found.group() + comment
                break
    return "".join(after)


def written_again(
    original: str,
    documents: list[Any],
    index: int,
    yaml: Any,
    flush_lists: bool,
    rel: str,
    what: str,
    *,
    bom: str,
    newline: str,
    tabbed: str | None = None,
    same_values: Collection[int] = (),
) -> str:
    """The file ``original`` with document ``index`` of ``documents`` (edited) written anew: spliced
    into the other bytes where it can be (``_spliced``), else the whole file by the YAML library;
    refused (ContentError) when a comment would be lost; the byte-order mark and the file's line
    end (``newline``, from ``opened_for_edit``) put back.
    ``tabbed``: the file as it is when ``original`` is its ``tabs_spaced`` text; the lines the
    edit kept get their tabs back, and so does the comment of each line of ``same_values`` (0-based,
    of ``original``: a value the edit wrote again as it was, as a reading's value given a source)."""
    document = documents[index]
    text = _spliced(original, index, document, flush_lists, rel, what=what)
    if text is None:  # a block mapping that does not start its line: ruamel writes the file
        buffer = io.StringIO()
        if len(documents) == 1:
            yaml.dump(document, buffer)
        else:
            yaml.explicit_start = original.lstrip().startswith("---")
            yaml.dump_all(documents, buffer)
        text = buffer.getvalue()
    refuse_a_lost_comment(original, text, rel, what)
    if tabbed is not None:
        text = _tabs_put_back(tabbed, original, text, same_values)
    return bom + (text.replace("\n", newline) if newline != "\n" else text)


def _spliced(
    original: str, index: int, document: Any, flush_lists: bool, rel: str, *, what: str = "check-in"
) -> str | None:
    """``original`` with the text of document ``index`` replaced by ``document`` written anew.

    The document's place is where its root mapping starts and ends in the file (the composer's
    marks); what lies before it (directives, ``---``, the comments above its first key) and after
    it (``...``, the next documents) is kept byte for byte. A flow mapping (``{apiVersion: …}``)
    is written again as one; a comment inside it, which the YAML library would drop, makes the
    amendment a ContentError rather than a silent loss (an ``okrctl: ignore`` comment, say). None
    when the root is a block mapping that does not start its line.
    """
    from ruamel.yaml import YAML

    nodes = list(YAML(typ="rt").compose_all(original))
    node = nodes[index] if index < len(nodes) else None
    if node is None or node.id != "mapping":
        return None
    if node.flow_style:
        inside = _comment_inside(original, node.start_mark.index, node.end_mark.index)
        if inside is not None:
            from okrctl.errors import ContentError

            raise ContentError(
                f"{shown_path(rel)}:{inside}: a comment inside the {what}'s {{…}} mapping cannot be kept"
                + (" by --amend" if what == "check-in" else "")
                + f"; nothing was written (write the {what} in block style, one key a line, or edit it by hand)"
            )
        buffer = io.StringIO()
        _yaml().dump(document, buffer)
        # The mapping alone: a comment after its closing brace is written with it, and kept in
        # the text after the span already.
        written = _untouched_kept(original, node, buffer.getvalue())
        mapping = YAML(typ="rt").compose(written)
        written = written[mapping.start_mark.index : mapping.end_mark.index]
        return original[: node.start_mark.index] + written + original[node.end_mark.index :]
    if node.start_mark.column != 0:
        return None
    writer = _yaml()
    if flush_lists:
        writer.indent(mapping=2, sequence=2, offset=0)
    # The comment lines above the first key are part of the kept text before the document.
    comment: Any = getattr(document.ca, "comment", None)
    above = comment[1] if comment and len(comment) > 1 else None
    if above:
        comment[1] = []
    buffer = io.StringIO()
    try:
        writer.dump(document, buffer)
    finally:
        if above:
            comment[1] = above
    written = buffer.getvalue()
    if written.endswith("\n...\n"):
        # The library ends a document whose last text keeps its blank lines (``|+``) with ``...``;
        # the document's own end, ``...`` or not, lies in the kept text after its span.
        written = written[: -len("...\n")]
    written = _untouched_kept(original, node, written)
    return original[: node.start_mark.index] + written + original[node.end_mark.index :]


def _untouched_kept(original: str, node: Any, written: str) -> str:
    """``written`` (document ``node`` of ``original`` written anew by the YAML library) with each
    value that reads as it did given back the text ``original`` has for it, and the spaces before
    the comment after it. The library writes a quoted or plain text that runs over several lines on
    one line, and a ``{…}`` or ``[…]`` its own way: an amendment that changed one value moved
    others. A block of text (``|``, ``>``) gets back its header and lines: the library writes
    ``|+`` as ``|`` when the text ends with one line break, an indentation indicator its own way
    (``|2-`` for ``|-``), the lines at its own indentation. Not given back: a text holding a
    character that hides text (written escaped: ``_hidden_escaping_emitter``). ``written`` as it is
    when the texts given back would read otherwise there."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from okrctl.safetext import holds_hidden

    try:
        anew = YAML(typ="rt").compose(written)
    except YAMLError:  # pragma: no cover - the library reads what it wrote
        return written
    if anew is None:
        return written
    readings: dict[int, Any] = {}
    pairs: list[tuple[Any, Any]] = []
    _same_values(node, anew, readings, pairs)
    out: list[str] = []
    at = 0
    for before, after in sorted(pairs, key=lambda pair: pair[1].start_mark.index):
        start, end = after.start_mark.index, after.end_mark.index
        kept = original[before.start_mark.index : before.end_mark.index]
        block = getattr(before, "style", None) in ("|", ">")
        if block:
            end = _block_lines_end(written, start, end)
            kept = original[
                before.start_mark.index : _block_lines_end(
                    original, before.start_mark.index, len(kept) + before.start_mark.index
                )
            ]
        if start < at or kept == written[start:end] or holds_hidden(kept):
            continue
        shifted = _shifted(kept, _indent(written, start) - _indent(original, before.start_mark.index))
        if shifted is None:
            continue
        # The comment after it keeps its place too: the library placed it after the value's one line.
        # (A block of text ends with its line break: a comment on its header line lies in its text.)
        rest = _line_rest(original, before.end_mark.index)
        if not block and rest.lstrip().startswith("#") and rest.strip() == _line_rest(written, end).strip():
            shifted += rest
            end += len(_line_rest(written, end))
        out += [written[at:start], shifted]
        at = end
    if not out:
        return written
    text = "".join(out) + written[at:]
    try:
        same = _reading(YAML(typ="rt").compose(text), {}) == _reading(anew, {})
    except YAMLError:
        same = False
    return text if same else written


def _block_lines_end(text: str, start: int, end: int) -> int:
    """Where the lines of the block of text spanning ``text[start:end]`` end: after the line break
    of its last line that holds more than spaces (its header at least). The blank lines after it
    are the library's to write: they are the blank lines before what follows, or, kept (``|+``),
    text it writes as they were."""
    span = text[start:end]
    cut = span.find("\n", len(span.rstrip(" \n")))
    return start + (cut + 1 if cut >= 0 else len(span))


def _line_rest(text: str, at: int) -> str:
    """The text from offset ``at`` of ``text`` to the end of its line (without the line break)."""
    end = text.find("\n", at)
    return text[at : end if end >= 0 else len(text)]


def _indent(text: str, at: int) -> int:
    """How many spaces start the line of ``text`` that offset ``at`` lies in."""
    before = text[text.rfind("\n", 0, at) + 1 : at]
    return len(before) - len(before.lstrip(" "))


def _shifted(text: str, columns: int) -> str | None:
    """``text`` (a value's text) with the lines after its first moved ``columns`` to the right (to
    the left when negative), as the line it starts in moved (the library indents a block list or
    mapping its own way); None when a line has too few spaces. An empty line stays empty (the one
    after the line break that ends a block of text is the next line's start); a line of spaces
    loses what it can of them (in a block of text, spaces past its indentation are text)."""
    if "\n" not in text or columns == 0:
        return text
    if columns > 0:
        return re.sub(r"\n(?=[^\n])", "\n" + " " * columns, text)
    first, *lines = text.split("\n")
    if any(line.strip() and not line.startswith(" " * -columns) for line in lines):
        return None
    return "\n".join(
        [first, *(line[-columns:] if line.startswith(" " * -columns) else line.lstrip(" ") for line in lines)]
    )


def _same_values(before: Any, after: Any, readings: dict[int, Any], pairs: list[tuple[Any, Any]]) -> None:
    """Collect in ``pairs`` each (node of the original, node written anew) that reads the same at
    the same place: a mapping's entries by key, a list's items in the order they keep."""
    from difflib import SequenceMatcher

    if before.id != after.id:
        return
    kept_whole = not (before.anchor or after.anchor) and _reading(before, readings) == _reading(after, readings)
    if before.id == "scalar":
        # A block of text for a block of text, another style for another: a block's text ends
        # with its line break, another's within its line.
        if kept_whole and (before.style in ("|", ">")) == (after.style in ("|", ">")):
            pairs.append((before, after))
        return
    if before.flow_style and after.flow_style and kept_whole:
        pairs.append((before, after))
        return
    if before.id == "mapping":
        keys: dict[Any, tuple[Any, Any]] = {}
        for key, value in before.value:
            keys.setdefault(_reading(key, readings), (key, value))
        for key, value in after.value:
            found = keys.get(_reading(key, readings))
            if found is not None:
                _same_values(found[0], key, readings, pairs)
                _same_values(found[1], value, readings, pairs)
        return
    olds = [_reading(item, readings) for item in before.value]
    news = [_reading(item, readings) for item in after.value]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, olds, news, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for old, new in zip(before.value[i1:i2], after.value[j1:j2], strict=True):
                _same_values(old, new, readings, pairs)


def _reading(node: Any, readings: dict[int, Any]) -> Any:
    """What ``node`` means, as a value to compare: its tag and text, and its parts' (memoised by
    node in ``readings``; a node that holds itself reads as an alias)."""
    if node is None:
        return None
    known = readings.get(id(node))
    if known is not None:
        return known
    readings[id(node)] = ("alias",)
    if node.id == "scalar":
        reading: Any = ("scalar", str(node.tag), node.value)
    elif node.id == "mapping":
        reading = (
            "mapping",
            str(node.tag),
            tuple((_reading(k, readings), _reading(v, readings)) for k, v in node.value),
        )
    else:
        reading = (node.id, str(node.tag), tuple(_reading(item, readings) for item in node.value))
    readings[id(node)] = reading
    return reading


def refuse_a_lost_comment(original: str, text: str, rel: str, what: str) -> None:
    """ContentError naming the line of a comment of ``original`` that ``text`` no longer holds: the
    YAML library drops a comment inside a ``{…}`` or ``[…]`` it writes again, and a file it writes
    whole loses more (an ``okrctl: ignore`` among them). Nothing is written then."""
    from collections import Counter

    from okrctl.errors import ContentError

    left = Counter(c for _, c in comment_lines(text))
    for line, comment in comment_lines(original):
        if left[comment] > 0:
            left[comment] -= 1
            continue
        raise ContentError(
            f"{shown_path(rel)}:{line}: this comment would be lost by writing the {what} again (it lies inside a "
            f"{{…}} or […], or the file's layout is one okrctl cannot keep); nothing was written (write it in block "
            "style, one key a line, or edit it by hand)"
        )


def comment_lines(text: str) -> list[tuple[int, str]]:
    """Each YAML comment of ``text`` with its 1-based line, as the YAML scanner finds them: text
    that only looks like one (a ``#`` inside quotes or in a block of text) is not one."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from okrctl.load.yamlparse import text_lines

    found: list[str] = []
    try:
        for token in YAML(typ="rt").scan(text):
            for part in getattr(token, "comment", None) or ():
                for comment in part if isinstance(part, list) else [part]:
                    value = getattr(comment, "value", None)
                    if isinstance(value, str):
                        found += [line.strip() for line in value.splitlines() if line.strip().startswith("#")]
    except YAMLError:  # never for a file okrctl parsed; then no comment is known to be kept or lost
        return []
    # The scanner's marks are not always the comment's own line: each is placed by its text.
    lines = text_lines(text)
    out: list[tuple[int, str]] = []
    start = 0
    for comment in found:
        at = next((i for i in range(start, len(lines)) if comment in lines[i]), None)
        if at is None:
            at = next((i for i in range(len(lines)) if comment in lines[i]), 0)
        else:
            start = at + 1
        out.append((at + 1, comment))
    return out


def _comment_inside(text: str, start: int, end: int) -> int | None:
    """The 1-based line of the first comment between offsets ``start`` and ``end`` of ``text`` (a
    flow node's span), or None. The scanner attaches comments to the tokens after them."""
    from ruamel.yaml import YAML

    for token in YAML(typ="rt").scan(text):
        if token.start_mark.index > end:
            break
        for part in getattr(token, "comment", None) or ():
            for found in part if isinstance(part, list) else [part]:
                mark = getattr(found, "start_mark", None)
                if mark is not None and start < mark.index < end:  # not one after the closing brace
                    return int(mark.line) + 1
    return None


def _written_keys(session: Session, results: Any) -> dict[tuple[str, str], Any]:
    """The key already written for each (objective, KR) the existing results name unambiguously."""
    checkin = session.existing_checkin
    out: dict[tuple[str, str], Any] = {}
    if checkin is None:
        return out
    for key in results:
        meant = session.repo.resolve_result_key(checkin, str(key))
        if len(meant) == 1:
            out.setdefault((meant[0][0].id, meant[0][1].id), key)
    return out


def _unshare(document: Any) -> None:
    """Give every part the amendment edits a node of its own.

    An alias (``plan: *shared`` pointing at ``issues: &shared``) makes two places one node:
    editing one would silently edit, or undo, the other. The edited places get a copy; the
    file keeps meaning what it meant, written out in full.
    """
    from ruamel.yaml.comments import CommentedMap

    seen: dict[int, int] = {}
    _count_nodes(document, seen)
    for name in ("confidence", "results", "issues", "plan"):
        node = document.get(name)
        if isinstance(node, (list, dict)) and seen.get(id(node), 0) > 1:
            document[name] = node = _plain_copy(node)
        if name == "results" and isinstance(node, CommentedMap):
            for key in list(node):
                entry = node[key]
                if isinstance(entry, (list, dict)) and seen.get(id(entry), 0) > 1:
                    node[key] = _plain_copy(entry)


def _count_nodes(node: Any, seen: dict[int, int]) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, (list, dict)):
            continue
        seen[id(current)] = seen.get(id(current), 0) + 1
        if seen[id(current)] > 1:
            continue  # an alias: its children were counted with the anchor
        stack.extend(current.values() if isinstance(current, dict) else current)


def _plain_copy(node: Any) -> Any:
    """A copy of ``node`` without its anchor (the original keeps it for its other users)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, dict):
        copied = CommentedMap((key, _plain_copy(value)) for key, value in node.items())
        if _flow(node):
            copied.fa.set_flow_style()
        return copied
    if isinstance(node, list):
        copied_seq = CommentedSeq(_plain_copy(item) for item in node)
        if _flow(node):
            copied_seq.fa.set_flow_style()
        return copied_seq
    return node


def _last_slot(node: Any) -> tuple[Any, Any, int, Any] | None:
    """Where the round-trip library keeps the comment lines that follow the last entry of the
    block collection ``node``: (the comment items, the key or index, the place in its list, the
    entry's value). A block list or mapping that ends ``node`` holds them in its own last entry;
    None when ``node`` is empty or written in flow style (then the lines after it belong to what
    follows)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(node, (CommentedMap, CommentedSeq)) or not node or _flow(node):
        return None
    last: Any = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
    value = node[last]
    if isinstance(value, (CommentedMap, CommentedSeq)) and value and not _flow(value):
        return _last_slot(value)
    return node.ca.items, last, 2 if isinstance(node, CommentedMap) else 0, value


def _ends_its_line(value: Any) -> bool:
    """Whether ``value`` is a block of text (``|`` or ``>``): written, it ends with its own line
    break, so the comment the library keeps after it starts a line (no end-of-line comment, no
    line break of the entry's own), where after any other value it starts with that line break."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, (LiteralScalarString, FoldedScalarString))


def _whole_lines(comment: Any, after_a_block: bool) -> tuple[str, str]:
    """The library's ``comment`` after an entry as (the entry's own part: its end-of-line comment and
    line end, the comment lines below it, each with its indentation). After a block of text there
    is no own part, and the library keeps the first line's indentation as the comment's column, not
    in its text (it writes that many spaces before it), unless a blank line comes first."""
    value: str = comment.value
    if not after_a_block:
        rest = value.partition("\n")[2]
        return value[: len(value) - len(rest)], rest
    if not value or value.startswith("\n"):
        return "", value
    return "", " " * _column(comment) + value


def _column(comment: Any) -> int:
    """The column the library writes ``comment`` at (0 when it has none)."""
    mark = getattr(comment, "start_mark", None)
    column = getattr(mark, "column", 0)
    return column if isinstance(column, int) and column > 0 else 0


@contextmanager
def _tail_kept(node: Any) -> Iterator[None]:
    """Keep the comment lines after the last entry of ``node`` after its last entry, whatever the
    block edits: the library keeps them with that entry (with its end-of-line comment), so an entry
    added after it would come below them: below the comment that ends the document, or above the
    ``---`` it stood on. They are taken from the entry (its end-of-line comment stays) and given to
    the last entry once the edit is made, blank lines, indentation and all. The library keeps them
    one way after a block of text (``|``) and another after any other value: they are taken as
    whole lines (``_whole_lines``) and given back in the way of the entry that is last now."""
    from ruamel.yaml.error import CommentMark

    slot = _last_slot(node)
    entry = slot[0].get(slot[1]) if slot is not None else None
    comment: Any = entry[slot[2]] if entry is not None and slot is not None and len(entry) > slot[2] else None
    if slot is None or entry is None or not isinstance(getattr(comment, "value", None), str):
        yield
        return
    own, rest = _whole_lines(comment, _ends_its_line(slot[3]))
    if not rest:
        yield
        return
    kept: Any = None
    if own.strip():  # the entry's end-of-line comment stays with it
        kept = copy.copy(comment)
        kept.value = own
    entry[slot[2]] = kept
    yield
    now = _last_slot(node)
    if now is None:  # emptied: the lines go back where they were (the lost-comment check names them)
        entry[slot[2]] = comment
        return
    items, key, place, last_value = now
    last = items.setdefault(key, [None, None, None, None])
    last.extend([None] * (place + 1 - len(last)))
    present = last[place]
    if present is not None and isinstance(present.value, str):
        present.value += rest if present.value.endswith("\n") or _ends_its_line(last_value) else "\n" + rest
        return
    moved = copy.copy(comment)
    if _ends_its_line(last_value):
        # After a block of text the library writes the comment's column in spaces, then its text:
        # the first line's indentation is the column again, on a mark of its own (the copy shares
        # the original's).
        moved.value = rest if rest.startswith("\n") else rest.lstrip(" ")
        moved.start_mark = CommentMark(len(rest) - len(moved.value))
    else:
        moved.value = "\n" + rest  # led by a line break, the library writes no spaces before it
    last[place] = moved


def _insert_after(document: Any, key: str, value: Any, after: tuple[str, ...]) -> None:
    keys = list(document)
    anchor = next((keys.index(k) for k in after if k in keys), len(keys) - 1)
    document.insert(anchor + 1, key, value)


def compose(session: Session, answers: Answers, author: str | None) -> str:
    text = amended_text(session, answers) if session.existing is not None else new_text(session, answers, author)
    if not answers.confirmed_far_off:
        return text
    # Said at the prompt: this far-off value is real. The comment keeps align (OKR509) quiet on the
    # values of the key results it names, every one confirmed so far (an amend adds to the line
    # okrctl wrote before), and on no other: a later slip of another value is still reported. It
    # is the check-in's own: looked for, and written, among the check-in document's lines (a
    # comment above another document of the file is that document's), after a byte-order mark,
    # with the file's line ends.
    index = session.existing.index if session.existing is not None else None
    return with_confirmed(text, index, list(answers.confirmed_far_off))


def with_confirmed(text: str, index: int | None, confirmed: list[str]) -> str:
    """``text`` whose document ``index`` (None: the first) says, in okrctl's comment, that the
    far-off values of the key results ``confirmed`` are real (``compose``)."""
    if line_end(text) == "\r":  # lone CR line ends: the line is placed as in the LF text, then they come back
        return with_confirmed(text.replace("\r", "\n"), index, confirmed).replace("\n", "\r")
    start, end, silenced = _document_span(text, index)
    own = text[start:end]
    newline = "\r\n" if "\r\n" in text else "\n"
    written = _CONFIRMED_LINE.search(own)
    if written is not None:
        keys = list(dict.fromkeys([*written.group(1).split(", "), *confirmed]))
        line = _confirmed_line(keys, newline)
        return text[: start + written.start()] + line + text[start + written.end() :]
    if "OKR509" in silenced:
        return text  # the team's own comment says it of every value of the document
    return text[:start] + _confirmed_line(confirmed, newline) + text[start:]


def _document_span(text: str, index: int | None) -> tuple[int, int, frozenset[str]]:
    """Where in ``text`` the lines of its document ``index`` (None: its first) begin and end: from
    the line after the previous document's last (after its ``---``, past a byte-order mark) to the
    next one's first line; and what its comments silence (``ParsedDocument.ignore``). The whole
    text, silencing nothing, when the documents cannot be told."""
    from okrctl.load.yamlparse import YamlProblem, parse_text

    try:
        documents = parse_text(text.removeprefix("\ufeff"), want_positions=False)
    except YamlProblem:
        documents = []
    bom = 1 if text.startswith("\ufeff") else 0
    starts = [0, *(m.end() for m in re.finditer(r"\n", text))]  # offset of each line, 0-based
    ordered = sorted(documents, key=lambda d: d.first_line)
    chosen = next((d for d in ordered if d.index == index), None) if index is not None else None
    chosen = chosen or (ordered[0] if ordered else None)
    if chosen is None:
        return bom, len(text), frozenset()
    later = [d.first_line for d in ordered if d.first_line > chosen.first_line]
    first = chosen.first_line
    # The region opens with the "---" that starts the document (and blank lines before it): the
    # comment goes after it, where it is plainly this document's.
    for number in range(chosen.first_line, chosen.line):
        line_start = starts[number - 1] if number - 1 < len(starts) else len(text)
        if text.startswith("---", line_start):
            first = number + 1
    start = starts[first - 1] if first - 1 < len(starts) else len(text)
    end = starts[later[0] - 1] if later and later[0] - 1 < len(starts) else len(text)
    return max(start, bom), end, chosen.ignore


_CONFIRMED_LINE = re.compile(
    r"^# okrctl: ignore\[OKR509\] ([^:\r\n]+): " + re.escape(CONFIRMED_REASON) + r"\r?\n", re.MULTILINE
)


def _confirmed_line(keys: list[str], newline: str = "\n") -> str:
    return f"# okrctl: ignore[OKR509] {', '.join(keys)}: {CONFIRMED_REASON}" + newline


def _flow(node: Any) -> bool:
    attribute = getattr(node, "fa", None)
    return bool(attribute is not None and attribute.flow_style())
