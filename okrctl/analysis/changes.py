"""A change of a key result (or objective) found in git history: shared by history, OKR601 and report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class TargetChange:
    day: date  # commit date
    commit: str  # full hash
    author_name: str
    author_email: str
    path: str  # file, relative to the repository root
    objective_id: str
    kr_id: str | None  # None for a change of the objective's own title
    field: str  # "target" | "baseline" | "title"
    old: Any
    new: Any
    cycle_started: bool  # the change came after the objective's cycle had started

    @property
    def ref(self) -> str:
        """``objective/kr``, or the objective's id for a change of its own title."""
        return self.objective_id + (f"/{self.kr_id}" if self.kr_id else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            **commit_fields(self.day, self.commit, self.author_name, self.author_email, self.path),
            "objective": self.objective_id,
            "key_result": self.kr_id,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "cycle_started": self.cycle_started,
        }


def commit_fields(day: date, commit: str, author_name: str, author_email: str, path: str) -> dict[str, Any]:
    """The JSON of a commit that changed a file: date, commit, author, path (history's changes
    and removals alike)."""
    return {
        "date": day.isoformat(),
        "commit": commit,
        "author": {"name": author_name, "email": author_email},
        "path": path,
    }
