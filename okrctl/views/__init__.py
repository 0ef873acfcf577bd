"""What each command shows, as plain dataclasses computed from a Repo (no rendering here)."""
