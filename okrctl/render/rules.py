"""``okrctl rules``: the catalogue of SPEC §5 as a list, one rule explained, or JSON."""

from __future__ import annotations

import textwrap

from okrctl.catalog import RuleInfo
from okrctl.render.envelope import dumps


def catalogue_text(rules: list[RuleInfo], *, width: int = 100) -> str:
    lines = []
    for rule in rules:
        head = f"{rule.code}  {rule.severity:<7}  {rule.family:<10}  "
        indent = " " * len(head)
        wrapped = textwrap.wrap(rule.summary, width=max(width - len(head), 30)) or [""]
        lines.append(head + wrapped[0])
        lines.extend(indent + more for more in wrapped[1:])
    lines.append("")
    lines.append("Explain one with 'okrctl rules CODE'; silence one with 'rules.ignore' in okrctl.yaml,")
    lines.append("--ignore CODE, or a '# okrctl: ignore[CODE]' comment in a document.")
    return "\n".join(lines) + "\n"


def _paragraph(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=max(width, 40)))


def _block(yaml_text: str) -> str:
    return textwrap.indent(yaml_text.rstrip("\n"), "    ")


def rule_text(rule: RuleInfo, *, width: int = 100) -> str:
    from okrctl.rules.docs import DOCS

    out = [f"{rule.code} ({rule.severity}, {rule.family}): {rule.summary}", ""]
    doc = DOCS.get(rule.code)
    if doc is not None:
        out += ["What it means", _paragraph(doc.what, width), ""]
        out += ["Why it matters", _paragraph(doc.why, width), ""]
        out += ["Bad", _block(doc.bad), ""]
        out += ["Good", _block(doc.good), ""]
    other = "warning" if rule.severity == "error" else "error"
    out += [
        "Silence or re-grade it",
        f"    okrctl.yaml:    rules: {{ignore: [{rule.code}]}}  or  rules: {{severity: {{{rule.code}: {other}}}}}",
        f"    command line:   okrctl align --ignore {rule.code}",
        f"    in a document:  # okrctl: ignore[{rule.code}]",
    ]
    return "\n".join(out) + "\n"


def rules_json(rules: list[RuleInfo]) -> str:
    from okrctl.rules.docs import DOCS

    payload = []
    for rule in rules:
        entry: dict[str, str] = {
            "code": rule.code,
            "severity": rule.severity,
            "family": rule.family,
            "summary": rule.summary,
        }
        doc = DOCS.get(rule.code)
        if doc is not None:
            entry.update(what=doc.what, why=doc.why, bad=doc.bad, good=doc.good)
        payload.append(entry)
    return dumps(payload) + "\n"
