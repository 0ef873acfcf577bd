"""``okrctl codeowners``: a CODEOWNERS file from the unit tree and its members."""

from __future__ import annotations

from okrctl.cli.app import app
from okrctl.cli.common import OutputOption, RepoOption


@app.command()
def codeowners(repo: RepoOption = None, output: OutputOption = None) -> None:
    """Write a CODEOWNERS file so the git host asks each team to review its own OKR files."""
    from okrctl.cli.common import emit, open_repo, refuse_broken_config, refuse_repository_file, unreadable_note
    from okrctl.gitio.repo import GitError
    from okrctl.gitio.tree import NotAGitRepository, place
    from okrctl.render.codeowners import render
    from okrctl.views.codeowners import codeowners as build

    refuse_repository_file(output, repo)
    repository = open_repo(repo)
    refuse_broken_config(repository)
    try:
        prefix = place(repository.root).prefix
    except (NotAGitRepository, GitError):
        prefix = ""  # outside git the root is the top
    note = unreadable_note(repository)
    if note:
        import sys

        sys.stderr.write(note + "\n")
    emit(render(build(repository, prefix)), output)
