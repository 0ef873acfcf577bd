"""The CODEOWNERS text: a header, one commented group per unit, one pattern and its owners a line."""

from __future__ import annotations

from okrctl.safetext import one_line, shown_path
from okrctl.views.codeowners import CodeOwners, escape_path

FIRST_LINE = "# Written by `okrctl codeowners` from the unit tree (units/) and each unit's members."
# Which OKR folder the lines are for: one git repository may hold several, each writing its own
# lines, and ``--output`` must not replace one folder's file with another's (``folder_line``).
FOLDER_LINE = "# OKR folder (from the top of the git repository): "
HEADER = """\
{first}
{folder}
# Regenerate it after changing units or members: okrctl codeowners --output {up}.github/CODEOWNERS
# A unit's objective files, check-ins and retros are owned by its members; a unit's own file by
# the unit above it. In CODEOWNERS the last matching line wins.
"""


def folder_line(prefix: str) -> str:
    """The header line naming the OKR folder the file is written for, as its patterns start
    (``/okr/``; ``/`` at the top of the git repository)."""
    return FOLDER_LINE + "/" + escape_path(prefix)


def render(owners: CodeOwners) -> str:
    # GitHub reads .github/CODEOWNERS at the top of the git repository: from an OKR folder inside
    # a larger one (``prefix``), that is as many folders up as the prefix is deep.
    up = "../" * owners.prefix.count("/")
    lines = [HEADER.format(first=FIRST_LINE, folder=folder_line(owners.prefix), up=up).rstrip("\n")]
    if owners.without_members:
        lines.append(f"# Units without members (nobody to ask): {', '.join(owners.without_members)}")
    if owners.left_out:
        # Escaped, so that the comment stays one line.
        names = ", ".join(shown_path(path) for path in owners.left_out)
        lines.append(
            f"# No line of their own (a control character in the name, which CODEOWNERS cannot write): {names}"
        )
    for group in owners.groups:
        lines += ["", f"# {one_line(group.title)}"]
        for entry in group.entries:
            # An entry with no owner tells the host that nobody's review is required for it.
            lines.append(" ".join([entry.pattern, *map(shown_path, entry.owners)]))
    return "\n".join(lines) + "\n"
