"""The one path of a read-only command: options in, a view built, rendered in the asked format, out.

A command in ``cli/`` declares its options and calls :func:`show` with a ``build(repo, day)`` that
returns the view. ``show`` checks the format against ``okrctl.render.formats``, loads the repository
(or reuses the last identical result: the memo is keyed on every parameter the command received,
read from click's context, so a new option can never serve an old answer), renders and writes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope


def command_name(ctx: typer.Context) -> str:
    """The command as the user typed it (``map``, not the function ``map_``)."""
    return ctx.info_name or (ctx.command.name or "")


def memo_inputs(ctx: typer.Context, *extra: object) -> list[object]:
    """What the result depends on besides the repository: the command, every parameter it was
    given (by name, defaults and environment variables included) and ``extra`` (the day, colour, width,
    what tables fit)."""
    params = sorted((name, repr(value)) for name, value in ctx.params.items())
    # Colours are written for the terminal rich finds (none for TERM=dumb, 256 or true colours):
    # an output coloured for one terminal is no answer for another.
    terminal = [os.environ.get("TERM", ""), os.environ.get("COLORTERM", "")]
    return [command_name(ctx), *extra, params, terminal]


def present(ctx: typer.Context, view: Any, fmt: str, output: Path | None, repository: Repo | None = None) -> None:
    """Render a view already built (commands that also write files: plan, retro) and write it out;
    with the ``repository`` it was built from, say on stderr what was left out (files with errors,
    confidences outside the scale), as every view does (``common.view_notes``)."""
    from okrctl.cli.common import color_enabled, emit, tables_fit, terminal_width, view_notes
    from okrctl.render.formats import renderer

    color = color_enabled(bool(ctx.params.get("no_color")), output)
    render = renderer(command_name(ctx), fmt, fit=tables_fit())
    emit(render(view, color=color, width=terminal_width()), output, data=fmt != "text")
    note = view_notes(repository) if repository is not None else ""
    if note:
        sys.stderr.write(note + "\n")


def show(
    ctx: typer.Context,
    build: Callable[[Repo, date], Any],
    fmt: str,
    output: Path | None,
    *,
    exit_code: Callable[[Any], int] | None = None,
    use_cache: bool = True,
    memoize: bool = True,
    reads_history: bool = False,
    lenient: bool | None = None,
    scope: Callable[[Repo, date], Scope] | None = None,
    note: Callable[[str], str] | None = None,
    preamble: str = "",
) -> int:
    """Build the view, render it in ``fmt``, write it to ``output`` or standard output; the exit code.

    ``exit_code(view)`` decides the exit code (0 when not given); it is remembered with the text.
    ``note(text)`` gives a line for standard error about the text written ("" for none), also when
    the text comes from the memo.
    ``scope(repo, day)`` names the check-ins the view reads (default: every one).
    ``preamble`` is a line for standard error said before the text, once the view is built: never
    when building it failed (a baseline announced as in use, then refused).
    """
    from okrctl.cli.common import (
        check_choice,
        color_enabled,
        emit,
        refuse_repository_file,
        resolve_today,
        run_read_only,
        tables_fit,
        terminal_width,
    )
    from okrctl.render.formats import formats, renderer

    command = command_name(ctx)
    check_choice("--format", fmt, formats(command))
    refuse_repository_file(output, ctx.params.get("repo"))
    day = resolve_today(ctx.params.get("today"))
    color, width, fit = color_enabled(bool(ctx.params.get("no_color")), output), terminal_width(), tables_fit()

    def compute(repository: Repo) -> tuple[str, int]:
        view = build(repository, day)
        code = exit_code(view) if exit_code is not None else 0
        return renderer(command, fmt, fit=fit)(view, color=color, width=width), code

    text, code = run_read_only(
        ctx.params.get("repo"),
        memo_inputs(ctx, day, fmt, color, width, fit),
        compute,
        use_cache=use_cache,
        memoize=memoize,
        reads_history=reads_history,
        lenient=lenient,
        scope=(lambda repository: scope(repository, day)) if scope is not None else None,
    )
    if preamble:
        sys.stderr.write(preamble + "\n")
        sys.stderr.flush()
    emit(text, output, data=fmt != "text")
    said = note(text) if note is not None else ""
    if said:
        sys.stderr.write(said + "\n")
    return code
