"""An integer as the file spells it, when that is not its plain decimal digits."""

from __future__ import annotations

from typing import Any


class SpelledInt(int):
    """An integer that YAML 1.2 reads from another spelling than its decimal digits: ``0x7EA``,
    ``0o3752``, ``+2026``, ``02026`` are all 2026.

    It is a number like any other. Only where okrctl takes the digits of an unquoted integer as
    text (``cycle: 2026`` is the cycle "2026") would the number become a text the file does not
    hold; there ``written`` tells that the file says something else.
    """

    written: str

    def __new__(cls, value: int, written: str) -> SpelledInt:
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __reduce__(self) -> tuple[Any, ...]:  # pickled to and from worker processes, deep-copied
        return (SpelledInt, (int(self), self.written))
