"""``okrctl schema``: JSON Schema (draft 2020-12) of every kind, for editors and other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, TodayOption, UnusedRepoOption, complete_choice
from okrctl.kinds import KINDS


@app.command()
def schema(
    kind: Annotated[
        Optional[str],
        typer.Option(
            "--kind",
            metavar="KIND",
            help=f"One kind ({', '.join(KINDS)}).",
            show_default=False,
            # Taken in any case (``--kind unit``, as the files are named), so completed in any case.
            autocompletion=complete_choice(*KINDS, any_case=True),
        ),
    ] = None,
    output: Annotated[
        Optional[str],  # text, so that an empty DIR (an unset variable) is not read as '.'
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Write the schemas into DIR: one <kind>.schema.json per kind, named in lower case "
            "(unit.schema.json), and okrctl.schema.json of every kind.",
            show_default=False,
        ),
    ] = None,
    # Every command takes these (SPEC §4); the rule catalogue and the schemas do not depend on them.
    repo: UnusedRepoOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Print the JSON Schema of the document kinds, or write one file per kind."""
    import json

    from okrctl.cli.common import resolve_today
    from okrctl.errors import UsageError

    resolve_today(today)  # unused here, but a bad date is the usual usage error, as everywhere
    from okrctl.schema import KIND_FILE, all_schemas, kind_schema

    if kind is not None and kind not in KINDS:
        match = next((k for k in KINDS if k.lower() == kind.lower()), None)
        if match is None:
            from okrctl.safetext import shown_value

            raise UsageError(f"--kind: '{shown_value(kind)}' is not one of {', '.join(KINDS)}")
        kind = match
    kinds = [kind] if kind else list(KINDS)
    if output is None:
        payload = kind_schema(kind) if kind else all_schemas()
        from okrctl.cli.common import emit

        # As UTF-8 whatever the locale: its patterns hold characters past U+FFFF that a Latin-1
        # stream would write as substitutes, changing what they match.
        emit(json.dumps(payload, indent=2, ensure_ascii=False), None, data=True)
        return
    from okrctl.errors import ContentError
    from okrctl.fsutil import atomic_write
    from okrctl.repofiles import Unwritable, missing_folders, unmake
    from okrctl.safetext import shown_path

    if not output.strip():
        raise UsageError("--output: DIR is empty; name a folder ('.' for the current one)")
    if output == "-":
        # Standard output holds one schema, printed without --output; the files need a folder.
        raise UsageError("--output: '-' is standard output; leave --output out to print the schema there")
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--output: {shown_path(str(folder))} exists and is not a folder")
    from okrctl.fsutil import link_to_nothing

    dangling = link_to_nothing(folder)
    if dangling is not None:
        # The folders would be made where the link points, or the making fails ("File exists"):
        # neither is what a user who named a link meant; `--output` of a file refuses it alike.
        named = "it" if dangling == folder else shown_path(str(dangling))
        raise UsageError(
            f"--output: cannot write to {shown_path(str(folder))}: {named} is a symbolic link to a folder "
            "that does not exist"
        )
    from okrctl.gitio.repo import git_owned_words

    owned = git_owned_words(folder)
    if owned is not None:
        raise UsageError(f"--output: {shown_path(str(folder))} {owned}; write the schemas elsewhere")
    files = [(KIND_FILE.format(kind=name.lower()), kind_schema(name)) for name in kinds]
    if not kind:
        files.append(("okrctl.schema.json", all_schemas()))
    from okrctl.repofiles import link_refusal

    linked = link_refusal(folder / files[0][0])
    if linked is not None:
        raise UsageError(f"--output: cannot write to {shown_path(str(folder))}: {linked}")
    from okrctl.fsutil import holds
    from okrctl.scaffold.common import tell_what_was_written

    made = missing_folders(folder / files[0][0])  # taken away again when no file could be written
    texts = [(folder / name, json.dumps(payload, indent=2, ensure_ascii=False) + "\n") for name, payload in files]
    wrote = f"wrote {len(files)} schema file{'' if len(files) == 1 else 's'} to {shown_path(str(folder))}"
    done = 0
    try:
        for path, text in texts:
            try:
                atomic_write(path, text)
            except OSError as exc:
                # A read-only or full file system, a file where a folder must be: exit 1, like a check-in.
                refused = Unwritable(str(path), exc)
                if done:
                    raise ContentError(
                        f"{refused.where}: cannot be written: {refused.reason}; {done} of {len(files)} schema files "
                        "were written before it"
                    ) from None
                unmake(made)
                raise refused from None
            done += 1
    except KeyboardInterrupt as stopped:
        # Ctrl-C or a signal: the line says what is written, or nothing is left (no folder either).
        # A file stopped once it had its name (its folder being synced), or as its write returned,
        # is written.
        if done < len(texts) and holds(*texts[done]):
            done += 1
        if done == len(texts):
            tell_what_was_written(stopped, "the schema files are written", [wrote])
        elif done:
            stopped.after = f"{done} of {len(files)} schema files are written (run it again to write them all)"  # type: ignore[attr-defined]
        else:
            unmake(made)
        raise
    from okrctl.cli.common import saying_what_was_done

    steps: list[str] = []
    try:
        with saying_what_was_done("the schema files are written") as steps:
            steps.append(wrote)
            typer.echo(steps[-1])
    except KeyboardInterrupt as stopped:
        tell_what_was_written(stopped, "the schema files are written", steps)
        raise
