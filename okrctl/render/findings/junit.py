"""JUnit XML: one test suite per file with findings, one test case per finding.

Errors and warnings are failures (type = severity); info findings pass with the text in
``system-out``. A run without findings is one passing test case, so CI shows "1 passed", not "no tests".
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from xml.etree import ElementTree as ET

from okrctl.findings import Finding, FindingsReport
from okrctl.render.escape import xml_chars
from okrctl.render.findings.ci import checkout_message, checkout_path, marks
from okrctl.safetext import escaped_path, one_written_line


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    counts = report.counts()
    failures = counts["error"] + counts["warning"]
    shown = report.shown()
    total = max(len(shown), 1)
    root = ET.Element("testsuites", name="okrctl align", tests=str(total), failures=str(failures), errors="0")
    if not shown:
        suite = ET.SubElement(root, "testsuite", name="okrctl align", tests="1", failures="0", errors="0", skipped="0")
        case = ET.SubElement(suite, "testcase", classname="okrctl", name="align")
        ET.SubElement(case, "system-out").text = report.summary_line()
    for path, group in groupby(shown, key=lambda f: checkout_path(report, f)):
        findings = list(group)
        failed = sum(1 for f in findings if _fails(f))
        suite = ET.SubElement(
            root,
            "testsuite",
            name=escaped_path(path),
            tests=str(len(findings)),
            failures=str(failed),
            errors="0",
            skipped="0",
        )
        # Findings about one thing are all told apart by their fingerprints (a new one that sorts
        # first must not take an older one's name).
        shared = Counter(_case_name(f) for f in findings)
        for f in findings:
            where = f"{escaped_path(path)}:{f.line}:{f.column}"
            name = _case_name(f)
            classname = escaped_path(path)
            if f.one_wherever_shown:
                # About several files, shown on one of them (the first named, the first by path): the
                # same test case whichever file shows it, named by its fingerprint, which leaves out
                # the path and the document (what ``about`` names is the showing one's).
                classname, name = "okrctl", f"{f.code} {f.fingerprint[:16]}"
            elif shared[name] > 1:
                name = f"{name} {f.fingerprint[:16]}"
            case = ET.SubElement(
                suite,
                "testcase",
                classname=classname,
                name=name,
                file=escaped_path(path),
                line=str(f.line),
            )
            # XML 1.0 cannot carry most control characters, even as references: they are removed, as
            # on a terminal. The zero-width joiners stay (👩‍💻 is not 👩💻): XML holds them as they are.
            message = one_written_line(checkout_message(report, f))
            body = f"{where}: {f.code} {f.severity} {message}{marks(report, f)}" + (
                f"\nhint: {one_written_line(f.hint)}" if f.hint else ""
            )
            if _fails(f):
                ET.SubElement(case, "failure", type=f.severity, message=f"{f.code} {message}").text = body
            else:
                ET.SubElement(case, "system-out").text = body
    ET.indent(root)
    # Paths are escaped and messages are one line already; what XML cannot hold at all (U+FFFE,
    # U+FFFF, a lone surrogate) is replaced last, over the whole document.
    return xml_chars('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")


def _case_name(finding: Finding) -> str:
    """A test case's name, which CI test reports follow from run to run ("fixed", "new failure"):
    the code and what the finding is about, or its fingerprint, never its line, so a line added
    above it keeps the test the same one."""
    what = one_written_line(finding.about) if finding.about else finding.fingerprint[:16]
    return f"{finding.code} {what}" if what else finding.code


def _fails(finding: Finding) -> bool:
    """Errors and warnings fail, unless the baseline already had them."""
    return finding.severity in ("error", "warning") and finding.new is not False
