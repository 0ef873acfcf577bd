"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message`` (escaped).

GitHub shows these as annotations on the pull request. Data is escaped as the runner expects
(``%``, CR, LF), property values also ``:`` and ``,``, so that no text from a file can end a command or
start another one.
"""

from __future__ import annotations

from okrctl.catalog import RULES
from okrctl.findings import FindingsReport
from okrctl.render.findings.ci import checkout_path
from okrctl.safetext import clean, one_line

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    lines = []
    for f in report.findings:
        properties = [f"file={escape_property(clean(checkout_path(report, f)))}"]
        if f.line > 0:
            properties += [f"line={f.line}", f"col={f.column}"]
        rule = RULES.get(f.code)
        title = f"{f.code} {rule.summary}" if rule else f.code
        properties.append(f"title={escape_property(one_line(title))}")
        message = one_line(f.message) + (f"\nhint: {one_line(f.hint)}" if f.hint else "")
        lines.append(f"::{LEVELS.get(f.severity, 'warning')} {','.join(properties)}::{escape_data(message)}")
    lines.append(f"okrctl align: {report.summary_line()}")
    return "\n".join(lines) + "\n"
