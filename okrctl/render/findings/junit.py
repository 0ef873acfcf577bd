"""JUnit XML: one test suite per file with findings, one test case per finding.

Errors and warnings are failures (type = severity); info findings pass with the text in
``system-out``. A run without findings is one passing test case, so CI shows "1 passed", not "no tests".
"""

from __future__ import annotations

from itertools import groupby
from xml.etree import ElementTree as ET

from okrctl.findings import FindingsReport
from okrctl.render.escape import xml_chars
from okrctl.render.findings.ci import checkout_path
from okrctl.safetext import one_line, shown_path


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    counts = report.counts()
    failures = counts["error"] + counts["warning"]
    total = max(len(report.findings), 1)
    root = ET.Element("testsuites", name="okrctl align", tests=str(total), failures=str(failures), errors="0")
    if not report.findings:
        suite = ET.SubElement(root, "testsuite", name="okrctl align", tests="1", failures="0", errors="0", skipped="0")
        case = ET.SubElement(suite, "testcase", classname="okrctl", name="align")
        ET.SubElement(case, "system-out").text = report.summary_line()
    for path, group in groupby(report.findings, key=lambda f: checkout_path(report, f)):
        findings = list(group)
        failed = sum(1 for f in findings if f.severity in ("error", "warning"))
        suite = ET.SubElement(
            root,
            "testsuite",
            name=shown_path(path),
            tests=str(len(findings)),
            failures=str(failed),
            errors="0",
            skipped="0",
        )
        for f in findings:
            where = f"{shown_path(path)}:{f.line}:{f.column}"
            case = ET.SubElement(
                suite,
                "testcase",
                classname=shown_path(path),
                name=f"{f.code} {where}",
                file=shown_path(path),
                line=str(f.line),
            )
            body = f"{where}: {f.code} {f.severity} {one_line(f.message)}" + (
                f"\nhint: {one_line(f.hint)}" if f.hint else ""
            )
            if f.severity in ("error", "warning"):
                ET.SubElement(case, "failure", type=f.severity, message=f"{f.code} {one_line(f.message)}").text = body
            else:
                ET.SubElement(case, "system-out").text = body
    ET.indent(root)
    # Paths are escaped and messages are one line already; what XML cannot hold at all (U+FFFE,
    # U+FFFF, a lone surrogate) is replaced last, over the whole document.
    return xml_chars('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")
