"""``okrctl rules [CODE]``: the catalogue of rules, or one rule with a bad and a good example."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, TodayOption, UnusedRepoOption, format_option


@app.command()
def rules(
    code: Annotated[
        Optional[str],
        typer.Argument(
            metavar="CODE",
            help="A rule code (OKR201, or 201), or a prefix (OKR2) to list a family.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[str, format_option("text", "json")] = "text",
    # Every command takes these (SPEC §4); the rule catalogue and the schemas do not depend on them.
    repo: UnusedRepoOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """List the rules that 'okrctl align' checks, or explain one with a bad and a good example."""
    from okrctl.catalog import RULES, matching, normal_code
    from okrctl.cli.common import check_choice, emit, resolve_today, terminal_width
    from okrctl.errors import UsageError
    from okrctl.load.documents import did_you_mean
    from okrctl.render.rules import catalogue_text, rule_text, rules_json

    resolve_today(today)  # unused here, but a bad date is the usual usage error, as everywhere
    check_choice("--format", format, ("text", "json"))
    chosen = list(RULES.values()) if code is None else matching(code)
    if not chosen:
        hint = did_you_mean(normal_code(code or ""), list(RULES))
        raise UsageError(f"unknown rule '{code}'" + (f"; {hint}" if hint else "") + " (see 'okrctl rules')")
    if format == "json":
        emit(rules_json(chosen), None, data=True)
    elif code is not None and len(chosen) == 1:
        emit(rule_text(chosen[0], width=terminal_width()), None)
    else:
        emit(catalogue_text(chosen, width=terminal_width()), None)
