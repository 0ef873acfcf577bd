"""Text from the repository is shown literally: control and escape sequences never reach a terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def clean(text: object) -> str:
    """Remove terminal escape sequences and control characters (tabs and newlines stay)."""
    value = str(text)
    if "\x1b" in value:
        value = _ANSI.sub("", value)
    return _CONTROL.sub("", value)


def one_line(text: object) -> str:
    """``clean`` and fold every run of white space into one space."""
    return " ".join(clean(text).split())
