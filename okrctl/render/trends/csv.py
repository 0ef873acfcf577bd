"""``okrctl trends --format csv``: one row per team, objective and week."""

from __future__ import annotations

import csv
import io

from okrctl.render import numbers
from okrctl.views.trends import TrendsView


def render(view: TrendsView, *, color: bool = False, width: int = 100) -> str:
    """One row per team, objective and week: the shape spreadsheets and notebooks want."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["rank", "owner", "objective", "cycle", "week", "week_start", "week_end", "confidence", "drop"]
        + ["progress", "expected", "status"]
    )
    for team in view.teams:
        dropped = {b for _, b, _, _ in team.drops}
        for week in team.weeks:
            in_week = any(week.start <= d <= week.end for d in dropped)
            writer.writerow(
                [team.rank, team.owner, team.objective, team.cycle.id, week.number, week.start, week.end]
                + [numbers.plain(week.confidence, empty=""), "yes" if in_week else ""]
                + [numbers.fixed(week.progress, 4), numbers.fixed(week.expected, 4), week.status]
            )
    return out.getvalue()
