"""Files okrctl writes (``--output``, check-ins) get ordinary permissions, not mkstemp's private 0600."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from okrctl.fsutil import atomic_write

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "report.html", "<p>hi</p>\n")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "report.html") == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    atomic_write(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert _mode(target) == 0o640
