"""``okrctl schema``: JSON Schema (draft 2020-12) of every kind, for editors and other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, RepoOption, TodayOption
from okrctl.kinds import KINDS


@app.command()
def schema(
    kind: Annotated[
        Optional[str],
        typer.Option("--kind", help=f"One kind ({', '.join(KINDS)}).", show_default=False),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write one <kind>.schema.json per kind into DIR.", show_default=False),
    ] = None,
    # Every command takes these (SPEC §4); the rule catalogue and the schemas do not depend on them.
    repo: RepoOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Print the JSON Schema of the document kinds, or write one file per kind."""
    import json

    from okrctl.errors import UsageError
    from okrctl.schema import KIND_FILE, all_schemas, kind_schema

    if kind is not None and kind not in KINDS:
        match = next((k for k in KINDS if k.lower() == kind.lower()), None)
        if match is None:
            raise UsageError(f"--kind: '{kind}' is not one of {', '.join(KINDS)}")
        kind = match
    kinds = [kind] if kind else list(KINDS)
    if output is None:
        payload = kind_schema(kind) if kind else all_schemas()
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    from okrctl.fsutil import atomic_write

    if output.exists() and not output.is_dir():
        raise UsageError(f"--output: {output} exists and is not a folder")
    for name in kinds:
        atomic_write(
            output / KIND_FILE.format(kind=name.lower()),
            json.dumps(kind_schema(name), indent=2, ensure_ascii=False) + "\n",
        )
    if not kind:
        atomic_write(output / "okrctl.schema.json", json.dumps(all_schemas(), indent=2, ensure_ascii=False) + "\n")
    typer.echo(f"wrote {len(kinds) + (0 if kind else 1)} schema files to {output}")
