"""What git would store of files of the working tree: blob ids by path, with nothing written."""

from __future__ import annotations

import os
from pathlib import Path

from okrctl.gitio.run import run_git


def stored_ids(top: Path, paths: list[str]) -> dict[str, str]:
    """The blob id git would store for each file of ``paths`` (relative to ``top``, with "/") were it
    added now, path -> id: ``git hash-object --stdin-paths``, which turns the file's bytes into what
    ``git add`` would store, by its path (line endings of ``core.autocrlf`` or the ``text``/``eol``
    attributes, clean filters, ``ident``). Nothing is written to the object store or the index.
    Empty when git cannot tell (a file it cannot read fails them all)."""
    if not paths:
        return {}
    # One path a line; each quoted as git quotes a path (``--stdin-paths`` unquotes a line that starts
    # with '"'), so a name that holds a newline, or ends with the carriage return git's line reader
    # drops, is read whole.
    lines = b"".join(_quoted(os.fsencode(path)) + b"\n" for path in paths)
    result = run_git(top, "hash-object", "--stdin-paths", input=lines, check=False)
    ids = result.stdout.decode("ascii", "replace").split()
    if result.returncode != 0 or len(ids) != len(paths):
        return {}
    return dict(zip(paths, ids, strict=True))


def _quoted(path: bytes) -> bytes:
    """``path`` in git's C-style quotes: a backslash before '"' and '\\', octal for control bytes and
    those beyond ASCII."""
    out = bytearray(b'"')
    for byte in path:
        if byte in b'"\\':
            out += b"\\" + bytes([byte])
        elif byte < 0x20 or byte >= 0x7F:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b'"')
