"""``okrctl rules``: the catalogue of SPEC §5 as a list, one rule explained, or JSON."""

from __future__ import annotations

import textwrap

from okrctl.catalog import RuleHere, configured_severity
from okrctl.render.envelope import dumps

CONFIG = "okrctl.yaml"


def _label(here: RuleHere) -> str:
    """The severity column: what align reports the rule as, marked when okrctl.yaml decides it."""
    shown = "ignored" if here.ignored else here.severity
    return shown + ("*" if here.ignored or here.configured else "")


def _set_here(here: RuleHere) -> str:
    shown = "ignored" if here.ignored else here.severity
    return f"{here.rule.code} {shown} (default {here.rule.severity})"


NARROWEST = 20  # text is wrapped to the terminal's width, never narrower than this
SUMMARY_AT_LEAST = 30  # a summary beside the code, severity and family gets this much, else it goes below


def catalogue_text(rules: list[RuleHere], *, width: int = 100) -> str:
    """One rule a line (its summary wrapped beside the code, severity and family); on a terminal
    too narrow for that, each summary below its code, indented."""
    width = max(width, NARROWEST)
    lines = []
    column = max([7, *(len(_label(here)) for here in rules)])
    beside = width - len(f"OKR000  {'':<{column}}  {'':<10}  ") >= SUMMARY_AT_LEAST
    for here in rules:
        rule = here.rule
        if beside:
            head = f"{rule.code}  {_label(here):<{column}}  {rule.family:<10}  "
            wrapped = textwrap.wrap(rule.summary, width=width - len(head), break_on_hyphens=False) or [""]
            lines.append(head + wrapped[0])
            lines.extend(" " * len(head) + more for more in wrapped[1:])
        else:
            lines.append(f"{rule.code}  {_label(here)}  {rule.family}")
            lines.extend(
                textwrap.wrap(
                    rule.summary, width=width, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False
                )
            )
    lines.append("")
    changed = [here for here in rules if here.ignored or here.configured]
    if changed:
        said = f"* set by the 'rules' section of this repository's {CONFIG}: " + ", ".join(map(_set_here, changed))
        lines.extend(textwrap.wrap(said, width=width, subsequent_indent="  "))
        lines.append("")
    lines.append(
        _paragraph(
            "Explain one with 'okrctl rules CODE'; silence one with 'rules.ignore' in okrctl.yaml, "
            "--ignore CODE, or a '# okrctl: ignore[CODE]' comment in a document.",
            min(width, 90),
        )
    )
    return "\n".join(lines) + "\n"


def _paragraph(text: str, width: int, indent: str = "") -> str:
    return "\n".join(textwrap.wrap(text, width=max(width, NARROWEST), subsequent_indent=indent, break_on_hyphens=False))


def _block(yaml_text: str) -> str:
    return textwrap.indent(yaml_text.rstrip("\n"), "    ")


def _article(severity: str) -> str:
    return {"error": "an error", "warning": "a warning"}.get(severity, severity)


def _in_this_repository(here: RuleHere) -> str:
    from okrctl.rules.docs import DOCS

    default = _article(here.rule.severity)
    if here.ignored:
        return (
            f"In this repository, {CONFIG} ignores it (rules.ignore): 'okrctl align' does not report it. "
            f"By default it is {default}."
        )
    said = f"In this repository, {CONFIG} makes it {_article(here.severity)} (rules.severity)."
    doc = DOCS.get(here.rule.code)
    if doc is not None and doc.lighter is not None:
        grade = configured_severity(here.rule.code, doc.lighter[0], here.severity)
        if grade != here.severity:
            said += f" {doc.lighter[1][0].upper()}{doc.lighter[1][1:]} stays {_article(grade)}."
    return f"{said} By default it is {default}."


# Codes of files that hold no document okrctl could read, so no comment of theirs silences them.
NO_DOCUMENT_CODES = frozenset({"OKR100"})


def rule_text(here: RuleHere, *, width: int = 100) -> str:
    from okrctl.rules.docs import DOCS

    rule = here.rule
    shown = "ignored" if here.ignored else here.severity
    out = [_paragraph(f"{rule.code} ({shown}, {rule.family}): {rule.summary}", width, "  "), ""]
    if here.ignored or here.configured:
        out += [_paragraph(_in_this_repository(here), width), ""]
    doc = DOCS.get(rule.code)
    if doc is not None:
        out += ["What it means", _paragraph(doc.what, width), ""]
        out += ["Why it matters", _paragraph(doc.why, width), ""]
        out += ["Bad", _block(doc.bad), ""]
        out += ["Good", _block(doc.good), ""]
    other = "warning" if here.severity == "error" else "error"
    ways = [
        ("okrctl.yaml:", f"rules: {{ignore: [{rule.code}]}}  or  rules: {{severity: {{{rule.code}: {other}}}}}"),
        ("command line:", f"okrctl align --ignore {rule.code}"),
        ("in a document:", f"# okrctl: ignore[{rule.code}]"),
    ]
    if rule.code in NO_DOCUMENT_CODES:
        # A file okrctl cannot read as YAML has no document for a comment to belong to.
        ways[-1] = ("in a document:", "not possible: the file has no document to hold the comment")
    out.append("Silence or re-grade it")
    if max(4 + 16 + len(text) for _label, text in ways) <= width:
        out += [f"    {label:<16}{text}" for label, text in ways]
    else:
        # Too narrow for a label and its text on one line: each text below its label, and the two
        # settings of okrctl.yaml on lines of their own (text to copy is never wrapped).
        for label, text in ways:
            out += [f"  {label}", *(f"    {part}" for part in text.split("  or  "))]
    return "\n".join(out) + "\n"


def rules_json(rules: list[RuleHere]) -> str:
    from okrctl.rules.docs import DOCS

    payload = []
    for here in rules:
        rule = here.rule
        entry: dict[str, str | bool] = {
            "code": rule.code,
            "severity": here.severity,
            "default_severity": rule.severity,
            "configured": here.configured,
            "ignored": here.ignored,
            "family": rule.family,
            "summary": rule.summary,
        }
        doc = DOCS.get(rule.code)
        if doc is not None:
            entry.update(what=doc.what, why=doc.why, bad=doc.bad, good=doc.good)
        payload.append(entry)
    return dumps(payload) + "\n"
