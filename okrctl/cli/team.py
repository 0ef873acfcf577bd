"""Which team a command is about: --team, OKRCTL_TEAM, or the unit that lists git user.email."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from okrctl.cli.common import complete_unit

if TYPE_CHECKING:
    from okrctl.load.index import Repo

TeamOption = Annotated[
    Optional[str],
    typer.Option(
        "--team",
        "-t",
        envvar="OKRCTL_TEAM",
        metavar="TEAM",
        help="Team (unit) id (default: OKRCTL_TEAM, else the unit whose members hold git user.email).",
        show_default=False,
        autocompletion=complete_unit,
    ),
]


def resolve_team(repo: Repo, team: str | None) -> str:
    """A unit id known to the repository (checked before it is ever used in a path), or exit 2."""
    from okrctl.errors import UsageError
    from okrctl.views.scope import known_unit, unit_list

    if team is not None:  # ``--team ''`` (a variable left unset) is no unit, not "the option left out"
        from okrctl.cli.common import _named

        return known_unit(repo, team, _named("team", "--team", "OKRCTL_TEAM"), teams=True)
    from okrctl.gitio.repo import user_email, work_tree
    from okrctl.gitio.run import GitMissing, SetUpRefused

    try:
        # git will not work in the repository (another user's, a worktree whose main repository is
        # gone) or is missing: said as such. In another user's repository git reads no setting of
        # the repository's own, so its user.email would not be the one it holds.
        work_tree(repo.root)
        email = user_email(repo.root, strict=True)
    except (SetUpRefused, GitMissing) as refused:
        # Not "user.email is not set": git cannot read the repository's configuration at all.
        raise UsageError(
            f"no --team given, and git cannot tell user.email: {refused}; {unit_list(repo, teams=True)}"
        ) from None
    found = repo.unit_for_email(email) if email else []
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise UsageError(f"git user.email {email} is a member of several units ({', '.join(found)}); pass --team")
    if email:
        from okrctl.views.scope import member_left_out

        left_out = member_left_out(repo, email)
        if left_out is not None:
            raise left_out
    who = f"git user.email {email} is not a member of any unit" if email else "git user.email is not set"
    raise UsageError(f"no --team given and {who}; {unit_list(repo, teams=True)}")
