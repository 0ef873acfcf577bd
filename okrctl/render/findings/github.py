"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message`` (escaped).

GitHub shows these as annotations on the pull request. Data is escaped as the runner expects
(``%``, CR, LF), property values also ``:`` and ``,``, so that no text from a file can end a command or
start another one.
"""

from __future__ import annotations

import re
from collections import Counter

from okrctl.catalog import RULES
from okrctl.findings import Finding, FindingsReport
from okrctl.render.findings.ci import checkout_message, checkout_path, exact_path, marks
from okrctl.render.findings.summary import MAX_ROWS
from okrctl.safetext import one_line, one_written_line, shown_path

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
# GitHub turns at most this many workflow commands of each level (error, warning, notice) of a step
# into annotations, the first ones in the log; it drops the rest without a word.
ANNOTATIONS_PER_LEVEL = 10


# What a workflow command property cannot hold even escaped (GitHub decodes only %25, %0D, %0A,
# %3A and %2C): other control characters, bidi controls, and escaped non-UTF-8 bytes.
_CANNOT_CARRY = re.compile(
    r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|\\x[0-9a-f]{2}"
)


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    lines = []
    if report.baseline is not None:
        lines.append(f"::notice title=okrctl baseline::{escape_data(report.baseline.announcement())}")
    if _beyond_the_limit(report, notices=len(lines)):
        beyond = _beyond_the_limit(report, notices=len(lines) + 1)
        # First in the log, so that it is one of the notices GitHub shows.
        note = (
            f"GitHub annotates the first {ANNOTATIONS_PER_LEVEL} findings of each level in a step; not annotated: "
            f"{beyond}. Every finding is in this log and in the job summary (up to {MAX_ROWS})"
        )
        lines.append(f"::notice title=okrctl annotations::{escape_data(note)}")
    for f in report.shown():
        path = exact_path(checkout_path(report, f))
        properties = []
        prefix = ""
        if _CANNOT_CARRY.search(path):
            # No escape GitHub decodes can write this name: an annotation on a stripped name
            # would point at a file that does not exist. It goes on the run, naming the file.
            prefix = f"{shown_path(path)}:{f.line}:{f.column}: " if f.line > 0 else f"{shown_path(path)}: "
        else:
            properties.append(f"file={escape_property(path)}")
            if f.line > 0:
                properties += [f"line={f.line}", f"col={f.column}"]
        rule = RULES.get(f.code)
        title = (f"{f.code} {rule.summary}" if rule else f.code) + marks(report, f)
        properties.append(f"title={escape_property(one_line(title))}")
        # GitHub shows the annotation in a page, not a terminal: the zero-width joiners stay, as
        # written (👩‍💻), a workflow command's data carrying them as they are.
        message = (
            prefix
            + one_written_line(checkout_message(report, f))
            + (f"\nhint: {one_written_line(f.hint)}" if f.hint else "")
        )
        level = _level(f)
        lines.append(f"::{level} {','.join(properties)}::{escape_data(message)}")
    lines.append(f"okrctl align: {report.summary_line()}")
    return "\n".join(lines) + "\n"


def _level(finding: Finding) -> str:
    # A finding already in the baseline is shown (with --show-existing) as a notice: it blocks nothing.
    return "notice" if finding.new is False else LEVELS.get(finding.severity, "warning")


def _beyond_the_limit(report: FindingsReport, *, notices: int) -> str:
    """ "``3 warnings and 1 notice``: what goes past the annotations GitHub makes of a step, or ``""``."""
    counts = Counter(_level(f) for f in report.shown())
    counts["notice"] += notices  # okrctl's own notices come first
    over = [
        f"{n} {level}" + ("" if n == 1 else "s")
        for level in ("error", "warning", "notice")
        if (n := counts[level] - ANNOTATIONS_PER_LEVEL) > 0
    ]
    return " and ".join(over)
