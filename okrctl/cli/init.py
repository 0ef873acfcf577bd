"""``okrctl init``: a new OKR repository (config, folders, root unit, schema, git)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, TodayOption, completed
from okrctl.safetext import shown_path


def _complete_example(incomplete: str) -> list[str]:
    """The shell's completion of ``--example``: the bundled examples (the folder is read then only)."""
    from okrctl.scaffold.repo import example_names

    return completed(incomplete, example_names())


@app.command()
def init(
    directory: Annotated[
        Optional[str],
        typer.Argument(metavar="DIR", help="Folder of the new repository (default: here).", show_default=False),
    ] = None,
    example: Annotated[
        Optional[str],
        typer.Option(
            "--example",
            metavar="NAME",
            help="Copy a bundled example organisation: banco or saas.",
            show_default=False,
            autocompletion=_complete_example,
        ),
    ] = None,
    organization: Annotated[
        Optional[str],
        typer.Option(
            "--organization",
            metavar="NAME",
            help="Organisation name (default: from the folder name).",
            show_default=False,
        ),
    ] = None,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="Write the files but do not commit them.")] = False,
    # SPEC §4: every command takes --repo, --today and --no-color. For init, --repo names the new
    # repository (as DIR does); OKRCTL_REPO is not read, so that a variable set for the repository
    # in use never moves a new one elsewhere. It writes no date and prints no colour.
    repo: Annotated[
        Optional[str],
        typer.Option(
            "--repo",
            metavar="DIR",
            help="Folder of the new repository, as DIR (not OKRCTL_REPO).",
            show_default=False,
        ),
    ] = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Create an OKR repository: config with comments, folders, root unit, schema, git commit."""
    from okrctl.cli.common import resolve_today
    from okrctl.errors import ContentError, UsageError
    from okrctl.scaffold.repo import create_repository, repository_below

    resolve_today(today)  # a bad --today (or OKRCTL_TODAY) is the usual usage error
    if example is not None and organization is not None:
        raise UsageError("--organization: an example brings its own organisation; use one or the other")
    for given, named in ((directory, "DIR"), (repo, "--repo")):
        if given is not None and not given.strip():
            # An unset variable ("$DIR") would otherwise set up the current folder.
            raise UsageError(f"{named} is empty; name a folder, or leave it out for the current one")
    # ``~`` as other commands' --repo reads it: the place checked below is the place written.
    chosen = [Path(p).expanduser() for p in (directory, repo) if p is not None]
    if len(chosen) == 2 and Path(os.path.abspath(chosen[0])) != Path(os.path.abspath(chosen[1])):
        raise UsageError(
            f"--repo: {shown_path(str(repo))} and DIR {shown_path(str(directory))} name two folders; give one of them"
        )
    # No folder named: the working folder as the shell reached it, links included (``cd team``).
    from okrctl.repofiles import logical_cwd

    folder = chosen[0] if chosen else Path(logical_cwd())
    from okrctl.gitio.repo import git_directory_words, git_owned_words
    from okrctl.load.discover import config_left_out
    from okrctl.repofiles import planted_link

    link = planted_link(folder)
    if link is not None:
        # A link a commit put in the checkout (``team -> ../elsewhere``) would have init write, and
        # commit, a whole repository wherever it points.
        here = logical_cwd()
        linked = os.path.relpath(link, here)
        if linked == os.curdir or linked.startswith(os.pardir):
            linked = link  # the working folder, or one above it, entered through the link
        given = shown_path(str(folder))
        where = (
            f"{given}:" if os.path.normpath(os.path.join(here, folder)) == link else f"{given}: {shown_path(linked)}"
        )
        raise ContentError(
            f"{where} is a symbolic link a commit put in the checkout; okrctl never writes through one (give the "
            "folder it points to); nothing was written"
        )
    in_git = git_directory_words(folder) or (config_left_out(folder) if folder.is_dir() else None)
    if in_git is not None:
        # Files written there would be taken for git's own (or lost among them), and no commit holds them.
        raise UsageError(in_git)
    owned = git_owned_words(folder)
    if owned is not None:
        # A folder named .git (``init .git``) is taken by git for a repository's own: the folder
        # around it would hold no git directory, and a later ``git init`` there would write into it.
        # Also one reached through a symbolic link into a git directory, as ``--output`` is refused.
        raise UsageError(f"{shown_path(str(folder))} {owned}; create the new one elsewhere")
    for above in Path(os.path.abspath(folder)).parents:
        if (above / "okrctl.yaml").is_file():
            # A repository inside another would be read by the outer one as a second Config.
            raise ContentError(
                f"{shown_path(str(folder))} is inside the OKR repository at {shown_path(str(above))}; create the new one elsewhere"
            )
    below = repository_below(folder)
    if below is not None:
        # The other way round: the new one would read that one's files as its own (a second Config).
        raise ContentError(
            f"{shown_path(str(folder))} holds the OKR repository at {shown_path(str(below))}; create the new one elsewhere"
        )
    if organization is None and example is None:
        named = Path(os.path.abspath(folder)).name
        from okrctl.safetext import shown_value, undecoded_bytes

        if undecoded_bytes(named):
            # The organisation's name comes from the folder's: bytes that are not text cannot be it.
            raise UsageError(
                f"the folder name '{shown_value(named)}' is not UTF-8 text, so it cannot name the organisation;"
                " give the name with --organization"
            )
    result = create_repository(folder, organization=organization, example=example, commit=not no_commit)
    from okrctl.safetext import one_line
    from okrctl.scaffold.common import tell_what_was_written

    # What is on disk, said before anything is printed: neither a full disk under the output nor a
    # Ctrl-C (or a cancelled job) while it is printed may hide it.
    written = [f"created {len(result.created)} files in {shown_path(result.root)}"]
    if result.commit:
        written.append(f"committed {result.commit[:7]}")
    elif result.git_note:
        written.append(f"git: {one_line(result.git_note)}")
    try:
        what = f"the {example} example" if example else "an OKR repository"
        lines = [f"Created {what} for {one_line(result.organization)} in {shown_path(result.root)}"]
        shown = [rel for rel in result.created if not rel.endswith(".gitkeep")]
        if len(shown) > 12:
            # An example holds dozens of check-ins: a line per folder says more than a long list.
            folders: dict[str, int] = {}
            for rel in shown:
                head = rel.split("/", 1)[0] + ("/" if "/" in rel else "")
                folders[head] = folders.get(head, 0) + 1
            for head, count in folders.items():
                lines.append(
                    f"  {head:<12} {count} file{'s' if count != 1 else ''}" if head.endswith("/") else f"  {head}"
                )
        else:
            lines += [f"  {rel}" for rel in shown]
        if result.gitignore_appended:
            lines.append("  .gitignore: added .okrctl-cache/ (your file, left uncommitted)")
        if result.git_initialised:
            lines.append("git: initialised a new repository")
        if result.commit:
            lines.append(f"git: committed {len(result.created)} files ({result.commit[:7]})")
        elif result.git_note:
            lines.append(f"git: {result.git_note}")
        if not example and not result.commit_failed:
            lines += [
                "Next:",
                "  add your teams under units/ (see the comment in the root unit's file)",
                "  okrctl plan --team TEAM --write     # the planning pre-read and a draft objective",
                "  okrctl align                        # check everything, like a linter",
            ]
        from okrctl.cli.common import saying_what_was_done

        with saying_what_was_done("the repository is created") as done:
            done.extend(written)
            typer.echo("\n".join(lines))
        if result.commit is not None and result.detached:
            from okrctl.cli.common import warn_if_detached
            from okrctl.gitio.commit import Committed
            from okrctl.load.discover import CONFIG_NAME

            warn_if_detached(Committed(result.commit, CONFIG_NAME, detached=True))
    except KeyboardInterrupt as stopped:
        tell_what_was_written(stopped, "the repository is created", written)
        raise
    if result.init_failed:
        from okrctl.scaffold.repo import commit_command

        # git never got as far as a commit: the command it is told makes the repository first.
        raise ContentError(
            "the files are written but git init failed (see the git line above): the folder is not a git "
            "repository yet; once that is fixed, make it one and commit them: "
            f"{commit_command(result.root, result.created, init=True)}"
        )
    if result.commit_failed:
        from okrctl.scaffold.repo import commit_command

        # A killed git's index lock (named on the git line) kept git from taking them out again.
        staged = (
            "they are left staged (git could not take them out of the index again)"
            if result.left_staged
            else "none of them is staged"
        )
        raise ContentError(
            f"the files are written but git refused the commit (see the git line above) and {staged}; "
            f"once that is fixed, commit them: {commit_command(result.root, result.created)}"
        )
