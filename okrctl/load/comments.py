"""okrctl comments that okrctl cannot follow, as findings.

``# okrctl: ignore[OKR201, OKR305]`` silences codes in its document (``yamlparse.IGNORE`` reads it,
exactly as it always has). A comment meant for okrctl that is not that, or that names a code of no
rule, silences nothing while its author believes it does: each is reported at the comment.

* **OKR104** — a code between the brackets that names no rule (``OKR52``, ``201``, the prefix
  ``OKR2``), with the closest code.
* **OKR107** — a malformed okrctl comment: its text starts with ``okrctl:`` (any case, spaces
  allowed before the colon) or ``okrctl ignore[``, and it is not ``okrctl: ignore[CODE, …]`` with at
  least one code and the codes separated by commas; the hint gives the comment as okrctl reads it
  when the codes can be made out.
"""

from __future__ import annotations

import difflib
import re

from okrctl.catalog import RULES, matching, normal_code
from okrctl.findings import Finding
from okrctl.load.documents import did_you_mean, key_text
from okrctl.load.yamlparse import IGNORE, MENTION, ParsedDocument

SHOWN = 60  # characters of a comment quoted in a message

# What the author of a malformed comment wrote, read leniently: the name, the colon, the instruction
# word, the brackets (of any kind) and what stands between them.
_LENIENT = re.compile(
    r"#\s*(?P<name>okrctl)(?P<space>\s*)(?P<colon>:?)\s*(?P<word>[^\s\[\](){}:,]*)(?P<gap>\s*)"
    r"(?P<open>[\[({]?)(?P<inside>[^\])}]*)(?P<close>[\])}]?)",
    re.IGNORECASE,
)
_CODE_LIKE = re.compile(r"^(?:okr)?\d+$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,;]+")
_WELL_FORMED = "# okrctl: ignore[CODE, …]"


def disarmed(text: str) -> str:
    """One line of repository text (a unit's name, a check-in's issue) that okrctl writes inside a
    comment of a file it makes, such that the comment never reads as an okrctl comment: a name such
    as ``Cards # okrctl: ignore[OKR201]`` would silence findings of the file in the user's name, or
    be an OKR107 of a file okrctl wrote. Text that names okrctl so is written in double quotes
    without its ``#``; any other text as it is."""
    if MENTION.search(text) is None:
        return text
    return '"' + " ".join(text.replace("#", " ").split()) + '"'


def comment_findings(
    rel: str, comments: tuple[tuple[int, int, str], ...], document: ParsedDocument | None = None
) -> list[Finding]:
    """OKR104 and OKR107 findings for the okrctl comments of one document (``ParsedDocument.comments``).

    Each is about its document (by its id, else its owner and date, else its place in the file)
    and its text: the same comment pasted into another objective of the file is another finding,
    never one that takes the fingerprint of the one already there."""
    where = _document_identity(document) if document is not None else ""
    return [
        Finding(code, "error", rel, line, column + offset, message, hint, about=f"{where}\0{message}" if where else "")
        for line, column, text in comments
        for code, offset, message, hint in _problems(text)
    ]


def _document_identity(document: ParsedDocument) -> str:
    data = document.data if isinstance(document.data, dict) else {}
    ident = data.get("id")
    if isinstance(ident, str) and ident:
        return f"id={ident}"
    owner, day = data.get("owner"), data.get("date")
    if isinstance(owner, str) and owner and day is not None:
        return f"owner={owner} date={day}"
    return f"document={document.index}"


def parsed_findings(rel: str, parsed: list[ParsedDocument]) -> list[Finding]:
    """``comment_findings`` of every document of a file parsed whole: what the store's entry of the
    file would hold, for a text about to be written (``checkin``, ``measure``)."""
    return [f for document in parsed for f in comment_findings(rel, document.comments, document)]


def _problems(text: str) -> list[tuple[str, int, str, str]]:
    """(code, offset from the "#", message, hint) of each problem of one okrctl comment."""
    match = IGNORE.match(text)
    if match is None:
        return [("OKR107", 0, *_malformed(text))]
    inside = match.group(1)
    items = _items(inside)
    if not items:
        return [
            (
                "OKR107",
                0,
                f"'{_shown(text)}' silences nothing: there is no code between the brackets",
                "name the codes to silence, e.g. '# okrctl: ignore[OKR201]', or delete the comment",
            )
        ]
    if any(_has_space(item) for _offset, item in items):
        written = [normal_code(code) for _offset, item in items for code in item.split()]
        return [
            (
                "OKR107",
                0,
                f"'{_shown(text)}' silences nothing: the codes between the brackets are not separated by commas",
                f"write it '# okrctl: ignore[{', '.join(written)}]'",
            )
        ]
    return [
        ("OKR104", match.start(1) + offset, *_unknown(item.upper(), inside))
        for offset, item in items
        if item.upper() not in RULES
    ]


def _items(inside: str) -> list[tuple[int, str]]:
    """The comma-separated items of a bracket's text, stripped, with their offsets; empty ones left out."""
    out: list[tuple[int, str]] = []
    offset = 0
    for part in inside.split(","):
        item = part.strip()
        if item:
            out.append((offset + len(part) - len(part.lstrip()), item))
        offset += len(part) + 1
    return out


def _has_space(item: str) -> bool:
    return any(character.isspace() for character in item)


def _unknown(code: str, inside: str) -> tuple[str, str]:
    """(message, hint) for a code in a well-formed ignore comment that names no rule."""
    written = " ".join(inside.split())
    shown = f"ignore[{key_text(written)}]"
    normal = normal_code(code)
    if normal in RULES:  # a number alone: 201
        return f"{shown}: '{code}' names no rule, so it silences nothing", f"did you mean '{normal}'?"
    prefixed = matching(normal)
    if prefixed:
        names = ", ".join(rule.code for rule in prefixed[:4]) + (", …" if len(prefixed) > 4 else "")
        return (
            f"{shown}: '{code}' is a prefix, and a comment silences whole rule codes only",
            f"name each code ({names}); a prefix works on the command line: --ignore {normal}",
        )
    return (
        f"{shown}: '{key_text(code)}' names no rule, so it silences nothing",
        did_you_mean(normal, list(RULES)) or "'okrctl rules' lists the codes",
    )


def _malformed(text: str) -> tuple[str, str]:
    """(message, hint) for an okrctl comment that is not ``okrctl: ignore[…]``."""
    shown = _shown(text)
    found = _LENIENT.match(text)
    if found is None:  # cannot happen for a comment MARKER found; said plainly all the same
        return f"'{shown}' silences nothing: it is not '{_WELL_FORMED}'", _generic_hint()
    word = found["word"]
    codes = _codes(found["inside"])
    fixed = f"'# okrctl: ignore[{', '.join(codes)}]'" if codes else ""
    if found["name"] != "okrctl":
        problem = f"okrctl reads '{found['name']}' only in lower case"
    elif found["space"] and found["colon"]:
        problem = "a space stands between 'okrctl' and its colon"
    elif not found["colon"]:
        problem = "the colon after 'okrctl' is missing"
    elif not word:
        problem = "no instruction follows 'okrctl:'"
    elif word != "ignore":
        if word.lower() == "ignore":
            problem = f"okrctl reads '{key_text(word)}' only in lower case"
        elif difflib.get_close_matches(word.lower(), ["ignore"], n=1, cutoff=0.6):
            problem = f"'{key_text(word)}' is not 'ignore'"
        else:
            problem = f"okrctl knows no instruction '{key_text(word)}' (only ignore[…])"
    elif not found["open"]:
        problem = "the codes are not in brackets"
    elif found["gap"]:
        problem = "a space stands between 'ignore' and '['"
    elif found["open"] != "[":
        problem = f"the codes are in '{found['open']}…', not in '[…]'"
    elif not found["close"]:
        problem = "the bracket is not closed"
    else:
        problem = "codes are letters and digits separated by commas"
    hint = f"write it {fixed}" if fixed else _generic_hint()
    return f"'{shown}' silences nothing: {problem}", hint


def _codes(inside: str) -> list[str]:
    """The codes at the start of what a malformed comment holds after its instruction word."""
    codes: list[str] = []
    for token in _SEPARATORS.split(inside.strip()):
        if not _CODE_LIKE.match(token):
            break
        codes.append(normal_code(token))
    return codes


def _generic_hint() -> str:
    return f"write '{_WELL_FORMED}' with codes 'okrctl rules' lists; a comment for people must not start with 'okrctl:'"


def _shown(text: str) -> str:
    """The comment as a message quotes it: one line, at most SHOWN characters."""
    text = " ".join(text.split())
    shown = key_text(text)
    return shown if len(shown) <= SHOWN else shown[: SHOWN - 1] + "…"
