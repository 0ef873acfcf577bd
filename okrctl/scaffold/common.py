"""Helpers every scaffold shares: the schema line, slugs, YAML scalars, exclusive writes."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from okrctl.errors import ContentError

# Inside a hidden folder: discovery skips it, so the JSON file is never reported as "not YAML".
SCHEMA_PATH = ".okrctl/schema/okrctl.schema.json"

_PLAIN_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9 _.,()'/&+-]*$")
_SPECIAL_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
# An id, a cycle id or a reference (``a/b``), which is text when written plain unless it is spelt as
# something else: a number (``42``, ``0x1f``, ``0o17``, ``0b101``, ``1e5``, ``1e-5``) or a date
# (``2026-11-20``), as YAML 1.2 (okrctl) or YAML 1.1 (editors, schema checkers) reads it.
_PLAIN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/-]*$")
_NOT_TEXT_PLAIN = re.compile(
    r"[0-9]+|0x[0-9a-f]+|0o[0-7]+|0b[01]+|[0-9]+e-?[0-9]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", re.IGNORECASE
)


def schema_header(rel_path: str) -> str:
    """The first line of a file okrctl creates: editors complete and check its fields."""
    depth = rel_path.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_PATH}\n"


def schema_line_kept(root: Path, text: str) -> str:
    """``text`` as it is when the repository holds the schema its first line points at (``init``
    writes it); else without that line, which would point editors at a file that is not there."""
    import stat

    if text.startswith("# yaml-language-server:"):
        try:
            holds = stat.S_ISREG((root / SCHEMA_PATH).lstat().st_mode)
        except OSError:
            holds = False
        if not holds:
            return text.split("\n", 1)[1] if "\n" in text else ""
    return text


def schema_text() -> str:
    from okrctl.schema import all_schemas

    return json.dumps(all_schemas(), indent=2, ensure_ascii=False) + "\n"


# Latin letters that do not decompose into a base letter and a mark.
_OWN_LETTERS = str.maketrans(
    {"ß": "ss", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)


def slugify(text: str, fallback: str = "company", max_length: int = 63) -> str:
    """An id from a name: lowercase letters, digits and '-' (SPEC §2). Accented Latin letters keep
    their base letter ("Ünï" → "uni", "Łódź" → "lodz", "ß" → "ss"); what a terminal escape sequence holds
    (``\x1b[31m``) is no part of the name, and leaves nothing in the id."""
    import unicodedata

    from okrctl.safetext import one_line

    plain = one_line(text).lower().translate(_OWN_LETTERS)
    # Decomposed, an accented letter is its base letter and combining marks, which are dropped.
    plain = "".join(c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:max_length].strip("-")
    return slug or fallback


def yaml_string(text: str) -> str:
    """A scalar that reads back as exactly ``text`` (a JSON string is a YAML double-quoted one).
    A character that hides or reorders text (U+202E, U+200B, ...) is written as its escape, never
    raw in the file (``safetext.hidden_escaped``)."""
    from okrctl.safetext import hidden_escaped

    if _PLAIN_SAFE.match(text) and text.lower() not in _SPECIAL_WORDS and not text.endswith(":"):
        return text
    return hidden_escaped(json.dumps(text, ensure_ascii=False))


def yaml_id(text: str) -> str:
    """An id a scaffold writes (a unit, a cycle, an objective, a reference) as a scalar that reads
    back as exactly ``text``: plain as it stands (``cards``, ``2026-Q4``, ``strategy-2026/growth``),
    double-quoted when plain it would read as a number, true, false, null or a date (``"42"``,
    ``"null"``, ``"2026"``, ``"2026-11-20"``)."""
    if _PLAIN_ID.match(text) and text.lower() not in _SPECIAL_WORDS and not _NOT_TEXT_PLAIN.fullmatch(text):
        return text
    return yaml_string(text)


def comment_text(text: str) -> str:
    """Repository text inside a comment: one line, no control characters, never an okrctl
    comment (``load.comments.disarmed``)."""
    from okrctl.load.comments import disarmed
    from okrctl.safetext import one_line

    return disarmed(one_line(text))


def inside(root: Path, rel: str, named: Callable[[str], str] | None = None) -> Path:
    """``root / rel``, refusing anything that would land outside ``root``. ``named``: how a message
    names a path of ``root`` (``init`` names them as the user reaches them: ``acme/.gitignore``);
    by default as the repository's own path."""
    normal = posixpath.normpath(rel)
    if normal.startswith("../") or normal == ".." or posixpath.isabs(normal):
        raise ContentError(f"refusing to write outside the repository: {rel}")
    # A folder of the repository may be a link (planted, or left over): writing through it could land
    # anywhere, so no write follows one, whether or not it points inside today.
    current = root
    for part in normal.split("/"):
        current = current / part
        if current.is_symlink():
            linked = current.relative_to(root).as_posix()
            shown = named or (lambda path: path)
            # The file itself named once.
            where = f"{shown(rel)}:" if linked == normal else f"{shown(rel)}: {shown(linked)}"
            raise ContentError(f"{where} is a symbolic link; okrctl never writes through one")
    return root / normal


def write_new(root: Path, rel: str, text: str, *, done: list[str] | None = None) -> Path:
    """Write a new file atomically; an existing one is never replaced (ContentError, exit 1), and
    a write the file system refuses (read-only, full) is one line naming ``rel`` (``Unwritable``,
    exit 1), as a check-in's is.

    ``done``: the steps the command says it has done (``cli.common.saying_what_was_done``);
    ``wrote REL`` is added once the file has its name, also when Ctrl-C or a signal comes right
    then, so that the line saying what stopped the command tells that it is written
    (``tell_what_was_written``). A signal before that leaves nothing, not even the folders made."""
    from okrctl.fsutil import atomic_write
    from okrctl.repofiles import Unwritable, folder_for, unmake

    path = inside(root, rel)
    if path.exists():
        raise ContentError(f"{rel} already exists; okrctl never overwrites it", path=None)
    made: list[Path] = []
    step = f"wrote {rel}"
    try:
        made = folder_for(root, path, rel)
        atomic_write(path, text, exclusive=True)
        if done is not None:
            done.append(step)
    except FileExistsError:
        raise ContentError(f"{rel} already exists; okrctl never overwrites it") from None
    except OSError as exc:
        unmake(made)
        raise Unwritable(rel, exc) from None
    except KeyboardInterrupt:
        # Once the file has its name (its folder being synced, or just after), it is written and
        # stays so: the file did not exist a moment ago, so one holding this text is this write's.
        if _holds(path, text):
            if done is not None and step not in done:
                done.append(step)
        else:
            unmake(made)
        raise
    return path


def _holds(path: Path, text: str) -> bool:
    """Whether ``path`` is a file that holds exactly ``text`` (what ``write_new`` was writing)."""
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def tell_what_was_written(stopped: KeyboardInterrupt, what: str, done: list[str]) -> None:
    """Make the line of a command stopped by Ctrl-C or a signal (``cli.entry.stopped_by``) say what
    it had done by then, as a failed standard output does (``cli.common.saying_what_was_done``):
    ``terminated; the retro is written all the same (wrote retros/…)``, so that nobody runs it again
    to be told the file exists. ``done``: the steps said so far; ``what``: ``the retro is written``.
    Nothing done: the line stays ``interrupted`` or ``terminated``."""
    if done:
        stopped.after = f"{what} all the same ({'; '.join(done)})"  # type: ignore[attr-defined]
