"""``okrctl trends``: weekly confidence and progress of every team under a unit, attention first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

if TYPE_CHECKING:
    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope

from okrctl.cli.app import app
from okrctl.cli.common import CycleOption, NoColorOption, RepoOption, TodayOption, UnitOption, format_option

TRENDS_FORMATS = ("text", "json", "csv")


@app.command()
def trends(
    unit: UnitOption = None,
    cycle: CycleOption = None,
    format: Annotated[str, format_option(*TRENDS_FORMATS)] = "text",
    repo: RepoOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Confidence and progress trends of every team under a unit: weekly series, slope, last change, drops."""
    import json

    from okrctl.cli.common import check_choice, color_enabled, emit, resolve_today, run_read_only, terminal_width
    from okrctl.errors import ContentError
    from okrctl.views.scope import checkins_of_cycles, cycles_for, known_unit
    from okrctl.views.trends import trends_view

    check_choice("--format", format, TRENDS_FORMATS)
    day = resolve_today(today)
    color, width = color_enabled(no_color), terminal_width()

    def compute(repository: Repo) -> tuple[str, int]:
        cycles = cycles_for(repository, day, cycle)
        chosen = unit
        if chosen is None:
            chosen = repository.root_unit()
            if chosen is None:
                raise ContentError("the repository has no units (kind: Unit); nothing to show")
        else:
            known_unit(repository, chosen, "--unit")
        view = trends_view(repository, day, chosen, cycles)
        if format == "json":
            return json.dumps(view.to_dict(), indent=2, ensure_ascii=False), 0
        if format == "csv":
            return view.to_csv(), 0
        from okrctl.render.trends import render

        return render(view, color=color, width=width), 0

    def needs(repository: Repo) -> Scope:
        return checkins_of_cycles(cycles_for(repository, day, cycle))

    text, _ = run_read_only(repo, ["trends", day, unit, cycle, format, color, width], compute, scope=needs)
    emit(text, None)
