"""Domain exceptions. The CLI turns each into one line on stderr and an exit code."""

from __future__ import annotations


class OkrctlError(Exception):
    """A failure the user can act on. ``exit_code`` follows SPEC §4."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class UsageError(OkrctlError):
    """Bad option value, unknown team, missing input off a terminal (exit 2)."""

    exit_code = 2


class RepoNotFoundError(UsageError):
    """No ``okrctl.yaml`` above the working directory and no ``--repo`` (exit 2)."""


class ContentError(OkrctlError):
    """Refused because of what the repository holds (exit 1)."""

    exit_code = 1
