"""``okrctl rules [CODE]``: the catalogue of rules, or one rule with a bad and a good example."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, TodayOption, format_option


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
    repo: Annotated[
        Optional[Path],
        typer.Option(
            "--repo",
            envvar="OKRCTL_REPO",
            metavar="PATH",
            help="Repository whose okrctl.yaml grades the rules (default: walk up to okrctl.yaml; "
            "outside a repository, the default severities).",
            show_default=False,
        ),
    ] = None,
    # Every command takes these (SPEC §4); the rule catalogue does not depend on them.
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """List the rules that 'okrctl align' checks, or explain one with a bad and a good example."""
    from okrctl.catalog import RULES, as_configured, matching, normal_code
    from okrctl.cli.common import check_choice, emit, find_repo_root, resolve_today, terminal_width
    from okrctl.errors import UsageError
    from okrctl.load.documents import did_you_mean
    from okrctl.render.rules import catalogue_text, rule_text, rules_json
    from okrctl.safetext import shown_value

    resolve_today(today)  # unused here, but a bad date is the usual usage error, as everywhere
    check_choice("--format", format, ("text", "json"))
    chosen = list(RULES.values()) if code is None else matching(code)
    if not chosen:
        hint = did_you_mean(normal_code(code or ""), list(RULES))
        raise UsageError(
            f"unknown rule '{shown_value(code)}'" + (f"; {hint}" if hint else "") + " (see 'okrctl rules')"
        )
    # The severities align reports in this repository: its okrctl.yaml's rules section, read alone.
    from okrctl.load.discover import enclosing_root

    root: Path | None
    if repo is not None:
        root = find_repo_root(repo)
    else:
        # Walking up stops at an okrctl.yaml that is no file (a folder, a pipe) as every command
        # does: that folder is a repository whose config cannot be read, not "outside" one.
        try:
            root = enclosing_root()
        except OSError:
            root = None  # the folder okrctl runs in was removed: no repository to read, the defaults
    graded = as_configured(chosen)
    if root is not None:
        from okrctl.load.configfile import read_config_alone

        found = read_config_alone(root)
        graded = as_configured(chosen, dict(found.config.rules.severity), list(found.config.rules.ignore))
        if found.broken:
            from okrctl.safetext import shown_path

            sys.stderr.write(
                f"okrctl: note: {shown_path(str(root / 'okrctl.yaml'))} has errors; the severities shown are "
                "those of its valid settings ('okrctl align' shows the errors)\n"
            )
    if format == "json":
        emit(rules_json(graded), None, data=True)
    elif code is not None and len(graded) == 1:
        emit(rule_text(graded[0], width=terminal_width()), None)
    else:
        emit(catalogue_text(graded, width=terminal_width()), None)
