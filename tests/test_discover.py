"""Finding the files: a large tree is walked by two processes, and the answer is the same."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from okrctl.load import discover as discovery
from okrctl.load.discover import SHARED_WALK_MIN_FOLDERS, discover


def _tree(root: Path, outside: Path) -> Path:
    """Enough folders below the first two levels to share the walk, with every odd kind of entry."""
    root.mkdir()
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n")
    for number in range(SHARED_WALK_MIN_FOLDERS + 7):
        team = root / "checkins" / f"team-{number:03d}"
        team.mkdir(parents=True)
        for week in range(3):
            (team / f"2026-10-0{week + 1}.yaml").write_text(f"owner: team-{number:03d}\n")
        (team / "notes.md").write_text("not YAML\n")
        (team / "deeper" / "still").mkdir(parents=True)
        (team / "deeper" / "still" / "x.yml").write_text("a: 1\n")
    odd = root / "checkins" / "team-005"
    (odd / ".hidden").mkdir()
    (odd / ".hidden" / "skipped.yaml").write_text("a: 1\n")
    (odd / "inside.yaml").symlink_to(odd / "2026-10-01.yaml")
    (odd / "away.yaml").symlink_to(outside / "secret.yaml")
    (odd / "away-folder").symlink_to(outside, target_is_directory=True)
    (odd / "skip-me").mkdir()
    (odd / "skip-me" / "a.yaml").write_text("a: 1\n")
    os.mkfifo(odd / "pipe.yaml")
    weird = os.fsencode(odd) + b"/caf\xe9.yaml"  # not UTF-8
    with open(weird, "wb") as handle:
        handle.write(b"a: 1\n")
    (root / "checkins" / "team-066" / "ünïcode.yaml").write_text("a: 1\n")
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("a: 1\n")
    return _tree(tmp_path / "repo", outside)


def test_two_processes_find_exactly_what_one_finds(tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    walkers = tmp_path / "walkers"  # the processes that walked a share of the folders
    plain = discovery._Walk.plain

    def noted(self: discovery._Walk) -> object:
        with walkers.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return plain(self)

    monkeypatch.setattr(discovery._Walk, "plain", noted)
    exclude = ["checkins/team-005/skip-me"]
    alone = discover(tree, exclude, jobs=1)
    assert not walkers.exists()
    shared = discover(tree, exclude, jobs=2)
    assert walkers.read_text().split() not in ([], [str(os.getpid())])  # another process did walk
    assert shared == alone
    rels = [f.rel for f in alone.files]
    assert "checkins/team-005/caf\\xe9.yaml" in rels and "checkins/team-066/ünïcode.yaml" in rels
    assert not any("skip-me" in rel or ".hidden" in rel for rel in rels)
    by_rel = {f.rel: f for f in alone.files}
    assert by_rel["checkins/team-005/away.yaml"].link_problem
    assert by_rel["checkins/team-005/away-folder"].link_problem
    assert by_rel["checkins/team-005/caf\\xe9.yaml"].bad_name
    # four per team, okrctl.yaml, two links to files, a link to a folder, the pipe, two odd names
    assert len(alone.files) == (SHARED_WALK_MIN_FOLDERS + 7) * 4 + 7
    assert "checkins/team-000/notes.md" in alone.other_files


def test_a_walk_by_path_finds_what_a_walk_by_descriptor_finds(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows lists a folder by its path only (``os.open`` refuses a folder, ``os.scandir`` takes
    no descriptor): there every command once read an empty repository. Here the walk by path is
    forced, and ``os.open`` of a folder refused as Windows refuses it, in one process and in two."""
    exclude = ["checkins/team-005/skip-me"]
    by_handle = discover(tree, exclude, jobs=1)
    opened = os.open

    def windows_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if isinstance(path, (str, os.PathLike)) and os.path.isdir(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return opened(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(discovery, "BY_HANDLE", False)
    monkeypatch.setattr(os, "open", windows_open)
    assert discover(tree, exclude, jobs=1) == by_handle
    assert discover(tree, exclude, jobs=2) == by_handle
    assert len(by_handle.files) == (SHARED_WALK_MIN_FOLDERS + 7) * 4 + 7


def test_a_walk_told_that_git_answers_stats_only_what_is_not_a_regular_file(
    tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``large`` answering True: the same files, in the same order, with the same links, names and
    pipe; the regular files below the first two levels come without their stat, every other entry
    with it; this process walks alone."""
    alone = discover(tree, [], jobs=1)
    asked: list[int] = []
    walkers = tmp_path / "walkers"
    plain = discovery._Walk.plain

    def noted(self: discovery._Walk) -> object:
        walkers.write_text("a worker walked")
        return plain(self)

    monkeypatch.setattr(discovery._Walk, "plain", noted)
    bare = discover(tree, [], jobs=2, large=lambda: asked.append(1) is None)
    assert asked == [1]
    assert not walkers.exists()
    assert [f[:3] + f[4:] for f in bare.files] == [f[:3] + f[4:] for f in alone.files]
    assert bare.other_files == alone.other_files
    for found, full in zip(bare.files, alone.files, strict=True):
        deep = found.rel.count("/") >= 2
        if deep and full.stat is not None and full.stat.st_mode & 0o170000 == 0o100000:
            assert found.stat is None, found.rel
        else:
            assert found.stat == full.stat, found.rel
    assert any(f.stat is None for f in bare.files)
    assert {f.rel: f for f in bare.files}["checkins/team-005/pipe.yaml"].stat is not None
    told_no = discover(tree, [], jobs=2, large=lambda: False)
    assert told_no == alone
    assert walkers.exists()  # shared, as without ``large``


def test_a_worker_that_fails_leaves_the_walk_to_this_process(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = discover(tree, [], jobs=1)

    here = os.getpid()
    plain = discovery._Walk.plain

    def broken(self: discovery._Walk) -> object:
        if os.getpid() != here:
            raise RuntimeError("the worker fails")
        return plain(self)

    monkeypatch.setattr(discovery._Walk, "plain", broken)
    assert discover(tree, [], jobs=2) == alone


def test_without_fork_the_walk_is_done_here(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = discover(tree, [], jobs=1)

    def no_fork() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    assert discover(tree, [], jobs=2) == alone


def test_a_small_tree_is_walked_by_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(5):
        (tmp_path / "okrs" / f"q{number}" / "deep").mkdir(parents=True)
        (tmp_path / "okrs" / f"q{number}" / "deep" / "a.yaml").write_text("a: 1\n")

    import okrctl.forked

    def no_worker(*_args: object) -> None:
        raise AssertionError("no worker for a small tree")

    monkeypatch.setattr(okrctl.forked, "meanwhile", no_worker)
    assert len(discover(tmp_path, [], jobs=2).files) == 5


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_callers_own_work_runs_once_during_the_walk(tree: Path, jobs: int) -> None:
    calls: list[int] = []
    found = discover(tree, [], jobs=jobs, meanwhile=lambda: calls.append(1))
    assert calls == [1]
    assert found == discover(tree, [], jobs=1)


def test_a_worker_whose_answer_is_not_wanted_is_stopped(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing
    import time

    here = os.getpid()
    plain = discovery._Walk.plain

    def slow(self: discovery._Walk) -> object:
        if os.getpid() != here:
            time.sleep(60)  # the worker would keep the caller waiting if it were waited for
        return plain(self)

    def failing() -> None:
        raise RuntimeError("the caller's own work fails")

    monkeypatch.setattr(discovery._Walk, "plain", slow)
    with pytest.raises(RuntimeError, match="own work fails"):
        discover(tree, [], jobs=2, meanwhile=failing)
    assert multiprocessing.active_children() == []  # killed and reaped, not left sleeping


def test_a_store_kept_inside_the_repository_is_never_among_its_files(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI cache folder inside the repository: its store files were listed from the first run on
    (so that runs agreed with each other), but not by a run without the store; they are never listed."""
    import subprocess

    from okrctl.load.pipeline import scan

    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)  # a CI cache folder is trusted in git only
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tree / "ci-cache"))
    monkeypatch.setenv("OKRCTL_JOBS", "2")
    first = scan(tree)
    assert first.cache is not None, "the store should be usable there"
    again = scan(tree)
    assert (tree / "ci-cache").is_dir()
    assert not [f for f in first.discovery.other_files if f.startswith("ci-cache/")]
    assert first.discovery.other_files == again.discovery.other_files
    monkeypatch.setenv("OKRCTL_NO_CACHE", "1")
    assert scan(tree, use_cache=False).discovery.other_files == again.discovery.other_files


@pytest.mark.parametrize("jobs", [1, 2])
def test_two_names_shown_alike_come_in_the_order_of_their_real_names(tmp_path: Path, jobs: int) -> None:
    """A name that is not UTF-8 is shown with \\x escapes, as a real name may be spelt: both files
    are found, one after the other, in the order of their names as the system has them."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n")
    for name in (b"z\\xff.yaml", b"z\xff.yaml", b"a.yaml", b"zz.yaml"):
        with open(os.fsencode(root) + b"/" + name, "wb") as handle:
            handle.write(b"a: 1\n")
    found = discover(root, [], jobs=jobs).files
    assert [f.rel for f in found] == ["a.yaml", "okrctl.yaml", "z\\xff.yaml", "z\\xff.yaml", "zz.yaml"]
    both = [f for f in found if f.rel == "z\\xff.yaml"]
    assert [f.path for f in both] == sorted(f.path for f in both)
    assert [f.bad_name for f in both] == [f.path.endswith("z\\xff.yaml") is False for f in both]
