"""Several okrctl processes on one store at once: an editor's ``align`` on save beside a ``status``
in the terminal, a CI matrix on one restored cache folder, two repositories sharing one folder, a
check-in written while another command reads. Each answers as it would alone, and the store stays
usable for the next run."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from okrctl.load import store as store_module
from tests.conftest import EXAMPLES


@pytest.fixture
def saas(tmp_path: Path) -> Path:
    target = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", target)
    return target


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The store on, in a folder of its own (empty)."""
    folder = tmp_path / "cache"
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(folder))
    return folder


ENTRY = '{"docs": [], "findings": []}'


def test_a_store_another_okrctl_is_making_is_never_taken_for_a_damaged_one(saas, cache, monkeypatch) -> None:
    """Two processes open a store that does not exist yet at the same moment. The second must not find
    the first one's store half made (tables without the format row), take it for a damaged store
    and remove it: the first would then fill a database nobody ever reads again."""
    real = store_module.code_digest
    arrived: list[store_module.Store | None] = []

    def code_digest_while_another_opens_it() -> str:
        if not arrived:
            arrived.append(None)
            arrived[0] = store_module.Store.open(saas)  # another okrctl starting meanwhile
        return real()

    monkeypatch.setattr(store_module, "code_digest", code_digest_while_another_opens_it)
    first = store_module.Store.open(saas)
    other = arrived[0]
    assert first is not None and other is not None
    first.put_entries([("1" * 40, ENTRY, "")])
    other.put_entries([("2" * 40, ENTRY, "")])
    later = store_module.Store.open(saas)
    assert later is not None
    assert {"1" * 40, "2" * 40} <= later.known()


def test_a_store_another_okrctl_keeps_locked_is_left_alone(saas, cache, monkeypatch) -> None:
    """A store locked longer than okrctl waits (another process making it on a slow disk) is not
    damaged: the run goes on without it, and the store is still there for the next run."""
    monkeypatch.setattr(store_module, "BUSY_MS", 100)
    cache.mkdir(mode=0o700)
    path = cache / store_module.STORE_NAME
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    inode = path.stat().st_ino
    try:
        assert store_module.Store.open(saas) is None
        assert path.stat().st_ino == inode  # not removed, not replaced
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store = store_module.Store.open(saas)
    assert store is not None and path.stat().st_ino == inode
