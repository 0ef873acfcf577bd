"""Time windows the rules and views share (SPEC §5; the config has no setting for them)."""

from __future__ import annotations

# An end retro is held in the weeks after a cycle ends: OKR507 asks for one this long after the end,
# and ``okrctl retro --stage end`` picks a cycle that ended this recently by default.
END_RETRO_WINDOW_DAYS = 45
