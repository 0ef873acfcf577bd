"""Issues raised in check-ins: when two spellings are one issue (for the report's counts, the retro's
recurring issues and the issues new at a confidence drop)."""

from __future__ import annotations

import re

# Punctuation and the underscore: "KYC_slow!" and "kyc slow" are one issue.
_NOT_WORD = re.compile(r"[^\w\s]|_")


def normalise_issue(text: str) -> str:
    """The key two spellings of one issue share: case, spacing and punctuation do not count."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())
