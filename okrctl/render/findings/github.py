"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message`` (escaped).

GitHub shows these as annotations on the pull request. Data is escaped as the runner expects
(``%``, CR, LF), property values also ``:`` and ``,``, so that no text from a file can end a command or
start another one.
"""

from __future__ import annotations

import re

from okrctl.catalog import RULES
from okrctl.findings import FindingsReport
from okrctl.render.findings.ci import checkout_path, exact_path
from okrctl.safetext import one_line, shown_path

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


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
    for f in report.findings:
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
        title = f"{f.code} {rule.summary}" if rule else f.code
        properties.append(f"title={escape_property(one_line(title))}")
        message = prefix + one_line(f.message) + (f"\nhint: {one_line(f.hint)}" if f.hint else "")
        lines.append(f"::{LEVELS.get(f.severity, 'warning')} {','.join(properties)}::{escape_data(message)}")
    lines.append(f"okrctl align: {report.summary_line()}")
    return "\n".join(lines) + "\n"
