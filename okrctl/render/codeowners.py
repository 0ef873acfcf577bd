"""The CODEOWNERS text: a header, one commented group per unit, one pattern and its owners a line."""

from __future__ import annotations

from okrctl.safetext import one_line
from okrctl.views.codeowners import CodeOwners

HEADER = """\
# Written by `okrctl codeowners` from the unit tree (units/) and each unit's members.
# Regenerate it after changing units or members: okrctl codeowners --output .github/CODEOWNERS
# A unit's objective files, check-ins and retros are owned by its members; a unit's own file by
# the unit above it. In CODEOWNERS the last matching line wins.
"""


def render(owners: CodeOwners) -> str:
    lines = [HEADER.rstrip("\n")]
    if owners.without_members:
        lines.append(f"# Units without members (nobody to ask): {', '.join(owners.without_members)}")
    for group in owners.groups:
        lines += ["", f"# {one_line(group.title)}"]
        for entry in group.entries:
            # An entry with no owner tells the host that nobody's review is required for it.
            lines.append(" ".join([entry.pattern, *entry.owners]))
    return "\n".join(lines) + "\n"
