"""The digest in every format: one list of sections, each item a run of segments.

A segment is plain text, an id (code in Markdown and Slack) or a member to mention; each format
module turns the segments into its own language, escaping text from the repository.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from okrctl.analysis.history import what_changed
from okrctl.model.unit import distinct_people
from okrctl.render import numbers
from okrctl.views.digest import Digest

TEXT, CODE, MENTION = "text", "code", "mention"
Segment = tuple[str, str]


@dataclass
class Section:
    key: str
    title: str
    items: list[list[Segment]]


def _moved_value(value: object) -> str:
    """A moved target's old or new value: a number as written, a title between quotes."""
    return f"“{_words(value)}”" if isinstance(value, str) else numbers.as_written(value)


def spaced(text: str, escape: Callable[[str], str]) -> str:
    """``escape`` applied to the words of ``text``, its leading and trailing spaces kept."""
    core = text.strip()
    if not core:
        return " " if text else ""
    start = text.index(core[0])
    return text[:start] + escape(core) + text[start + len(core) :]


def _words(text: str) -> str:
    """Repository text with its white space folded, before it goes into a segment: a name's own
    leading or trailing blanks or line break ("Cards\n", a YAML block scalar) would otherwise stand
    at the segment's edge, which ``spaced`` keeps as it is (a text entry on two lines, a Markdown
    item indented into a code block). Only okrctl's own separators belong there."""
    return " ".join(text.split())


def _n(value: float | None) -> str:
    return numbers.number(value)


def _mentions(members: list[str]) -> list[Segment]:
    out: list[Segment] = []
    for member in members:
        out += [(TEXT, " "), (MENTION, member)]
    return out


def title(digest: Digest) -> str:
    where = digest.unit_name
    if digest.organization and digest.organization != digest.unit_name:
        where = f"{digest.organization} · {digest.unit_name}"
    return f"OKR digest · {where} · week to {digest.today.isoformat()}"


def summary(digest: Digest) -> str:
    teams = len({*digest.checked_in, *(d.unit for d in digest.due), *digest.not_due_yet})
    if not teams:
        held = f" held by {digest.held_by}" if digest.held_by else ""
        if digest.cycles:  # the cycles asked for (--cycle), or today's: say which were looked at
            ids = ", ".join(c.id for c in digest.cycles)
            return f"No objective of {ids}{held} is active on {digest.today.isoformat()}."
        return f"No objective{held} is active on {digest.today.isoformat()}."
    said = f"{len(digest.checked_in)} of {teams} units checked in this week (since {digest.since.isoformat()})"
    if digest.not_due_yet:
        waiting = len(digest.not_due_yet)
        said += f"; {waiting} {'is' if waiting == 1 else 'are'} not due yet (every {digest.cadence_days} days)"
    return said + "."


def not_read(digest: Digest) -> str:
    """What every format says when the moved targets were not read (``--no-history``, no git):
    "none" would be false."""
    return f"Moved targets were not read ({digest.history_unread})."


def sections(digest: Digest) -> list[Section]:
    high = _n(digest.scale[1])
    out: list[Section] = []
    due = []
    for team in digest.due:
        if team.last_checkin is None:
            when = f"no check-in yet this cycle ({numbers.counted(team.days, 'day')} in)"
        else:
            when = f"last check-in {team.last_checkin.isoformat()}, {numbers.counted(team.days, 'day')} ago"
        label = "stale" if team.stale else "due"
        due.append(
            [
                (TEXT, f"{_words(team.name)} "),
                (CODE, team.unit),
                (TEXT, f" — {label}: {when}"),
                *_mentions(team.members),
            ]
        )
    out.append(Section("due", "Check-in due", due))
    out.append(
        Section(
            "drops",
            "Confidence drops",
            [
                [
                    (TEXT, f"{_words(d.name)} · "),
                    (CODE, d.objective),
                    (TEXT, f": {_n(d.before)} → {_n(d.confidence)}/{high} on {d.on.isoformat() if d.on else ''}"),
                    *_mentions(d.members),
                ]
                for d in digest.drops
            ],
        )
    )
    out.append(
        Section(
            "off_track",
            "New off-track objectives",
            [
                [
                    (TEXT, f"{_words(o.name)} · "),
                    (CODE, o.objective),
                    (TEXT, f": off-track (a week ago {o.was}), confidence {_n(o.confidence)}/{high}"),
                    *_mentions(o.members),
                ]
                for o in digest.off_track
            ],
        )
    )
    moved = []
    for change in digest.moved_targets:
        moved.append(
            [
                (CODE, change.objective_id),
                (TEXT, f": {what_changed(change)} {_moved_value(change.old)} → {_moved_value(change.new)}"),
                (TEXT, f" on {change.day.isoformat()} by {_words(change.author_name or change.author_email)}"),
            ]
        )
    if digest.history_read:
        out.append(Section("moved_targets", "Moved targets", moved))
    out.append(
        Section(
            "dependencies",
            "Dependencies at risk",
            [
                [
                    (TEXT, f"{_words(d.name)} · "),
                    (CODE, d.objective),
                    (TEXT, f" needs {_words(d.need)} from {_words(d.provider_name)}: "),
                    (CODE, d.provider_objective),
                    (TEXT, f" is {d.risk_after_is}"),
                    # One person in both teams is one mention (``distinct_people``).
                    *_mentions(distinct_people([*d.members, *d.provider_members])),
                ]
                for d in digest.dependencies
            ],
        )
    )
    out.append(
        Section(
            "recurring",
            "Recurring issues",
            [
                [
                    (
                        TEXT,
                        f"{_words(t.name)}: “{_words(t.issue.text)}” — in {t.issue.checkins} check-ins"
                        f" over {numbers.counted(t.issue.weeks, 'week')}",
                    ),
                ]
                for t in digest.recurring
            ],
        )
    )
    return out
