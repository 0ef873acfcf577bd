"""The rules of SPEC §5: code, default severity and one-line summary.

This table is imported by the config model (to reject unknown codes) and by every rule family,
so it stays free of heavy imports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RuleInfo:
    code: str
    severity: str  # "error" | "warning" | "info"
    family: str
    summary: str
    # "time" when the finding can appear without any file changing (only because today moved on):
    # such findings are never new against a baseline, so the calendar never fails a pull request.
    trigger: str = "file"
    # The settings of okrctl.yaml the rule judges by (``_SETTINGS``).
    settings: tuple[str, ...] = ()


def _rule(code: str, sev: str, family: str, summary: str, trigger: str = "file") -> RuleInfo:
    names = {"E": "error", "W": "warning", "I": "info"}
    return RuleInfo(code, names[sev], family, summary, trigger)


_ALL = [
    _rule(
        "OKR100", "E", "files", "file not readable as YAML (syntax, duplicate key, encoding, size, aliases, symlink)"
    ),
    _rule("OKR101", "E", "files", "document does not fit its kind's schema"),
    _rule("OKR102", "E", "files", "duplicate id"),
    _rule("OKR103", "E", "files", "missing or unknown apiVersion / kind"),
    _rule("OKR104", "E", "files", "reference to something that does not exist"),
    _rule("OKR105", "E", "files", "no Config at the root, or more than one"),
    _rule("OKR106", "E", "files", "the unit tree has a loop or more than one root"),
    _rule("OKR107", "E", "files", "malformed okrctl comment, which silences nothing"),
    _rule("OKR201", "W", "vertical", "a team's objective aligns to nothing"),
    _rule("OKR202", "W", "vertical", "strategy priority or strategic objective that nothing aligns to"),
    _rule("OKR203", "E", "vertical", "explicit alignment that does not point at a key result"),
    _rule("OKR204", "E", "vertical", "more than one explicit alignment on one objective"),
    _rule("OKR205", "W", "vertical", "aligns to an objective or KR of a unit that is not an ancestor"),
    _rule("OKR206", "E", "vertical", "alignment loop"),
    _rule("OKR207", "E", "vertical", "alignment target's cycle does not overlap the objective's cycle"),
    _rule("OKR208", "W", "vertical", "cascaded copy: the objective's KRs repeat its parent's KRs"),
    # Planning gate (issue 10)
    _rule("OKR209", "W", "vertical", "the objective's alignment chain never reaches a strategy priority"),
    _rule("OKR210", "W", "vertical", "no Strategy covers an active or planned cycle"),
    _rule("OKR301", "W", "focus", "too many objectives for a unit in a cycle"),
    _rule("OKR302", "W", "focus", "too few or too many key results on an objective"),
    _rule("OKR303", "E", "focus", "metric KR without baseline or target; maintain KR without min and max"),
    _rule("OKR304", "W", "focus", "metric KR whose target equals its baseline"),
    _rule("OKR305", "I", "focus", "key result reads like a task or output"),
    _rule("OKR306", "E", "focus", "pace point outside the cycle, or pace not moving toward the target"),
    # Planning gate (issue 10)
    _rule("OKR307", "E", "focus", "placeholder text left by 'plan --write' in an objective whose cycle has started"),
    _rule("OKR401", "W", "horizontal", "dependency not acknowledged by the providing unit"),
    _rule("OKR402", "I", "horizontal", "two units depend on each other in the same cycle"),
    _rule("OKR403", "W", "horizontal", "two objectives push the same metric in opposite directions"),
    _rule("OKR404", "W", "horizontal", "a dependency whose provider is off-track or lost confidence"),
    _rule("OKR501", "W", "cadence", "stale: no check-in within stale_after_days", "time"),
    _rule(
        "OKR502",
        "E",
        "cadence",
        "check-in, reading or retro dated after tomorrow, or outside every cycle of the owner or the cycle of an "
        "objective it names",
    ),
    _rule("OKR503", "E", "cadence", "check-in result key ambiguous between objectives"),
    _rule("OKR504", "E", "cadence", "confidence outside the scale, or missing for an objective"),
    _rule("OKR505", "W", "cadence", "confidence dropped by 3 or more points"),
    _rule("OKR506", "W", "cadence", "optimism gap: high confidence while off-track"),
    _rule("OKR507", "W", "cadence", "cycle ended recently without an end retro", "time"),
    _rule("OKR508", "I", "cadence", "the same KR value in the last 4 check-ins while on-track"),
    _rule("OKR509", "W", "cadence", "a key result value far outside its baseline → target range (a typo?)"),
    _rule("OKR601", "W", "history", "target or baseline changed after the cycle started"),
]

# The settings each rule judges by. While okrctl.yaml refuses one of them (OKR101), or cannot be read
# at all, the default standing in judges nothing: the rule is skipped (``Repo.rule_skipped``), and
# OKR504 its scale check alone (a missing confidence is one all the same).
_SETTINGS: dict[str, tuple[str, ...]] = {
    "OKR301": ("limits.objectives_per_team",),
    "OKR302": ("limits.krs_per_objective",),
    "OKR404": ("status", "checkin.confidence"),
    "OKR501": ("checkin.stale_after_days",),
    "OKR504": ("checkin.confidence",),
    "OKR505": ("checkin.confidence",),
    "OKR506": ("checkin.confidence", "status"),
    "OKR508": ("status",),
}

RULES: dict[str, RuleInfo] = {rule.code: replace(rule, settings=_SETTINGS.get(rule.code, ())) for rule in _ALL}
SEVERITIES = ("error", "warning", "info")


def configured_severity(code: str, found: str, configured: str) -> str:
    """The severity of a finding its rule graded ``found`` when okrctl.yaml's ``rules.severity``
    sets ``configured`` for ``code``. The setting grades the rule's own findings (those at its
    default); one the rule grades lighter for a reason of its own (OKR601 documented under
    'rescoped', OKR307 before its cycle starts) keeps that grade, unless ``configured`` is lighter
    still. So writing a rule's default changes nothing."""
    rule = RULES.get(code)
    if rule is None or SEVERITIES.index(found) <= SEVERITIES.index(rule.severity):
        return configured
    return max(found, configured, key=SEVERITIES.index)


def normal_code(text: str) -> str:
    """``okr201``, ``201`` and ``OKR201`` all name OKR201 (prefixes such as ``OKR2`` stay prefixes)."""
    code = text.strip().upper()
    return "OKR" + code if code.isdigit() else code


def matching(prefix: str) -> list[RuleInfo]:
    """The rules whose code starts with ``prefix`` (normalised), in catalogue order."""
    wanted = normal_code(prefix)
    return [rule for rule in _ALL if rule.code.startswith(wanted)] if wanted else []


@dataclass(frozen=True)
class RuleHere:
    """A rule as one repository's ``okrctl.yaml`` grades it (``rules.severity`` / ``rules.ignore``)."""

    rule: RuleInfo
    severity: str  # what align reports it as: the config's severity, else the default
    configured: bool  # okrctl.yaml sets its severity
    ignored: bool  # okrctl.yaml's rules.ignore names it: align never reports it


def as_configured(
    rules: list[RuleInfo], severity: dict[str, str] | None = None, ignore: list[str] | None = None
) -> list[RuleHere]:
    """``rules`` with the severities of a config's ``rules`` section (none: the defaults)."""
    severity = severity or {}
    ignored = set(ignore or ())
    return [
        RuleHere(rule, severity.get(rule.code, rule.severity), rule.code in severity, rule.code in ignored)
        for rule in rules
    ]
