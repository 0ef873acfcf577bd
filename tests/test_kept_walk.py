"""The kept walk (``okrctl.load.keptwalk``): while git says no tracked file changed, a warm run takes
the last walk of a large tree from the store instead of walking it again.

Whatever happened to the work tree since, a scan with the kept walk must find exactly what a walk
finds (every file, its stat, its digest, every file it cannot read) and every command must answer
as it does without the store. Each test lowers the size from which a walk is kept so that the banco
example is large enough, and checks that the kept walk did answer (no walk ran) where it should.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, git
from tests.helpers_git import commit_at, hermetic_git


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Every tree ``discover`` walked in this test (a kept walk walks nothing, or only what git
    names); the store on, files recorded however new, a walk kept from one file on."""
    import okrctl.load.cache as cache_module
    import okrctl.load.discover as discover_module
    import okrctl.load.pipeline as pipeline

    hermetic_git(monkeypatch, tmp_path)
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("OKRCTL_JOBS", "2")
    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now are recorded too
    monkeypatch.setattr(discover_module, "SHARED_WALK_MIN_FOLDERS", 0)
    monkeypatch.setattr(pipeline, "KEPT_WALK_MIN_FILES", 1)
    seen: list[Path] = []
    real = pipeline.discover

    def discover(root, *args, **kwargs):
        seen.append(root)
        return real(root, *args, **kwargs)

    monkeypatch.setattr(pipeline, "discover", discover)
    return seen


@pytest.fixture
def banco(tmp_path: Path) -> Path:
    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root)
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2026-09-20", "OKRs for 2026-Q4")
    return root


def _scanned(root: Path, *, use_cache: bool = True) -> tuple[list[tuple[object, ...]], list[str], dict[str, str]]:
    """What a scan found: each file (path, link problem, stat, bad name) with its digest, the other
    files, and the message of each file it cannot read."""
    from okrctl.forked import Background
    from okrctl.load.pipeline import scan
    from okrctl.load.store import close_stores

    snapshot = scan(root, use_cache=use_cache)
    if snapshot.cache is not None:
        snapshot.save_stats()
    Background.join_all()  # (what okrctl does before it ends: the kept walk is written)
    files = [(*source, snapshot.digests.get(source.rel)) for source in snapshot.discovery.files]
    problems = {rel: finding.message for rel, finding in snapshot.problems.items()}
    close_stores()
    return files, snapshot.discovery.other_files, problems


def _filled(root: Path) -> None:
    """What a first ``align`` leaves in the store."""
    from tests.conftest import Cli

    assert Cli()("align", "--repo", str(root), "--today", "2026-11-20").exit_code in (0, 1)


def _kept(root: Path, walks: list[Path]) -> None:
    """Keep a walk of ``root`` (the first run fills the store, the second walks and keeps which
    index git reads, the third walks, marked before it begins, and keeps the walk; a fourth one
    walks nothing)."""
    _filled(root)
    _scanned(root)
    _scanned(root)
    walks.clear()
    assert _scanned(root) == _scanned(root, use_cache=False)
    assert walks == [root]  # (the run without the store walks)
    walks.clear()


def test_a_tree_as_committed_is_not_walked_again(banco: Path, walks: list[Path]) -> None:
    _filled(banco)
    _scanned(banco)
    _scanned(banco)
    assert walks == [banco, banco, banco]
    walks.clear()
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco]  # only the run without the store


def _edit_a_checkin(root: Path) -> None:
    path = next(root.glob("checkins/**/*.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("confidence: ", "confidence:  ", 1), encoding="utf-8")


def _remove_an_objective_file(root: Path) -> None:
    next(root.glob("okrs/**/*.yaml")).unlink()


def _add_untracked_files(root: Path) -> None:
    """A file beside tracked ones, a new folder, a hidden one and a file that is no YAML."""
    first = next(root.glob("checkins/**/*.yaml"))
    shutil.copy(first, first.with_name("2026-12-31.yaml"))
    (root / "drafts" / "deeper").mkdir(parents=True)
    shutil.copy(first, root / "drafts" / "deeper" / "copy.yaml")
    (root / "drafts" / "notes.txt").write_text("notes\n", encoding="utf-8")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    (root / "okrs" / "readme.md").write_text("# OKRs\n", encoding="utf-8")


def _a_file_becomes_a_folder(root: Path) -> None:
    path = next(root.glob("checkins/**/*.yaml"))
    raw = path.read_bytes()
    path.unlink()
    path.mkdir()
    (path / "inside.yaml").write_bytes(raw)


def _touch(root: Path) -> None:
    path = next(root.glob("okrs/**/*.yaml"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))


def _a_link_and_a_pipe(root: Path) -> None:
    (root / "okrs" / "outside.yaml").symlink_to("/etc/hostname")
    os.mkfifo(root / "okrs" / "pipe.yaml")


def _a_repository_inside(root: Path) -> None:
    """A clone in a folder that holds tracked files: a walk no longer reads them."""
    folder = next(root.glob("checkins/*/"))
    git(folder, "init", "-q")


def _edit_an_untracked_file(root: Path) -> None:
    path = root / "drafts" / "copy.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# later\n", encoding="utf-8")


@pytest.fixture
def with_untracked(banco: Path) -> Path:
    (banco / "drafts").mkdir()
    shutil.copy(next(banco.glob("checkins/**/*.yaml")), banco / "drafts" / "copy.yaml")
    return banco


@pytest.mark.parametrize("change", [_edit_a_checkin, _touch, _edit_an_untracked_file])
def test_a_file_changed_in_place_is_stated_again(with_untracked: Path, walks: list[Path], change) -> None:
    _kept(with_untracked, walks)
    change(with_untracked)
    assert _scanned(with_untracked) == _scanned(with_untracked, use_cache=False)
    assert walks == [with_untracked]  # the kept walk answered; the run without the store walked


def _add_a_checkin_beside_tracked_ones(root: Path) -> None:
    first = next(root.glob("checkins/**/*.yaml"))
    shutil.copy(first, first.with_name("2026-12-24.yaml"))
    (first.parent / "notes.txt").write_text("notes\n", encoding="utf-8")


def _rename_a_checkin(root: Path) -> None:
    first = next(root.glob("checkins/**/*.yaml"))
    first.rename(first.with_name("renamed.yaml"))


def _save_as_an_editor_does(root: Path) -> None:
    """A new file written beside the old one, then renamed over it (a new inode, the folder changed)."""
    path = next(root.glob("okrs/**/*.yaml"))
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(path.read_text(encoding="utf-8") + "# saved\n", encoding="utf-8")
    temporary.replace(path)


def _move_a_checkin_to_another_folder(root: Path) -> None:
    teams = sorted(folder for folder in (root / "checkins").iterdir() if folder.is_dir())
    source = next(teams[0].glob("*.yaml"))
    source.rename(teams[1] / "moved.yaml")


@pytest.mark.parametrize(
    "change",
    [
        _remove_an_objective_file,
        _add_a_checkin_beside_tracked_ones,
        _rename_a_checkin,
        _save_as_an_editor_does,
        _move_a_checkin_to_another_folder,
    ],
)
def test_a_file_that_came_or_went_in_a_known_folder_means_that_folder_listed_again(
    banco: Path, walks: list[Path], change
) -> None:
    _kept(banco, walks)
    change(banco)
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco]  # the kept walk answered, with the changed folders listed again
    walks.clear()
    # Once more: a file edited in place, and another one added, in a folder listed again.
    _edit_a_checkin(banco)
    first = next(banco.glob("checkins/**/*.yaml"))
    shutil.copy(first, first.with_name("2026-12-30.yaml"))
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco]
    walks.clear()
    added = first.with_name("2026-12-30.yaml")
    added.write_text(added.read_text(encoding="utf-8") + "# later\n", encoding="utf-8")
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco]


def test_a_folder_listed_again_has_the_walk_kept_anew_once_not_on_every_run(
    banco: Path, walks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keeping a walk costs a worker's time on every run that does it (57,103 rows encoded and
    written at 1,000 teams): a run after a file came keeps it once, with the new file's row, and
    later runs that list the folder again find every row as kept."""
    import okrctl.load.keptwalk as keptwalk

    _kept(banco, walks)
    kept_anew: list[int] = []
    real = keptwalk.KeptFiles.keep

    def keep(self, store, stat_rows) -> None:
        kept_anew.append(len(self.rels))
        real(self, store, stat_rows)

    monkeypatch.setattr(keptwalk.KeptFiles, "keep", keep)
    _add_a_checkin_beside_tracked_ones(banco)
    _scanned(banco)
    assert len(kept_anew) == 1  # the new file's row, recorded by this run
    for _ in range(3):
        assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert len(kept_anew) == 1
    assert walks == [banco] * 3  # (the runs without the store)


def test_more_changed_folders_than_are_listed_again_mean_a_walk(
    banco: Path, walks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import okrctl.load.keptwalk as keptwalk

    monkeypatch.setattr(keptwalk, "MOST_LISTED_AGAIN", 1)
    _kept(banco, walks)
    _move_a_checkin_to_another_folder(banco)  # two folders changed
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco, banco]


def test_a_changed_folder_of_more_files_than_are_stated_again_means_a_walk_without_listing_it(
    banco: Path, walks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its files would all be stat'ed again on every run: a walk (kept anew) is cheaper, and the
    folder is not listed first."""
    import okrctl.load.keptwalk as keptwalk

    _kept(banco, walks)
    listed: list[list[str]] = []
    real = keptwalk._list_again

    def list_again(root_text, patterns, moved, folders):
        listed.append(moved)
        return real(root_text, patterns, moved, folders)

    monkeypatch.setattr(keptwalk, "_list_again", list_again)
    monkeypatch.setattr(keptwalk, "MOST_UNTRACKED", 3)
    folder = max((f for f in (banco / "checkins").iterdir() if f.is_dir()), key=lambda f: len(list(f.iterdir())))
    assert len(list(folder.glob("*.yaml"))) > 3
    _rename_a_checkin_in(folder)
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco, banco] and listed == []


def _rename_a_checkin_in(folder: Path) -> None:
    first = sorted(folder.glob("*.yaml"))[0]
    first.rename(first.with_name("renamed.yaml"))


def _remove_a_folder(root: Path) -> None:
    shutil.rmtree(next(folder for folder in (root / "checkins").iterdir() if folder.is_dir()))


@pytest.mark.parametrize(
    "change",
    [
        _add_untracked_files,
        _a_file_becomes_a_folder,
        _a_link_and_a_pipe,
        _a_repository_inside,
        _remove_a_folder,
    ],
)
def test_a_folder_that_came_or_went_or_a_link_means_a_walk(banco: Path, walks: list[Path], change) -> None:
    _kept(banco, walks)
    change(banco)
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco, banco]  # a folder changed: a walk, kept anew
    walks.clear()
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco] if change is not _a_link_and_a_pipe else walks == [banco, banco]


def _index_read_by_diff_files(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The index each ``git diff-files`` of a kept walk read: the copy kept beside the walk, or
    None for the repository's own."""
    import okrctl.gitio.run as run

    read: list[str | None] = []
    real = run.start_git

    def start_git(cwd, *args, index_file=None):
        if "diff-files" in args:
            read.append(index_file)
        return real(cwd, *args, index_file=index_file)

    monkeypatch.setattr(run, "start_git", start_git)
    return read


def _stage_an_edit(root: Path) -> None:
    _edit_a_checkin(root)
    git(root, "add", "-A")


def _commit(root: Path) -> None:
    _edit_a_checkin(root)
    commit_at(root, "2026-11-21", "later")


def _pull_a_teammates_commit(root: Path) -> None:
    """What ``git pull`` does to a work tree: a teammate's commit (a new check-in, an edited one and
    an objective file removed) checked out, with the index written anew."""
    mate = root.parent / "mate"
    if not mate.exists():
        git(root.parent, "clone", "-q", str(root), str(mate))
    git(mate, "pull", "-q", "--no-rebase", str(root), "main")
    first = sorted(mate.glob("checkins/*/*.yaml"))[0]
    shutil.copy(first, first.with_name(f"pulled-{len(list(mate.rglob('*.yaml')))}.yaml"))
    sorted(mate.glob("okrs/**/*.yaml"))[-1].unlink()
    _commit(mate)
    git(root, "pull", "-q", "--no-rebase", str(mate), "main")


@pytest.mark.parametrize("change", [_stage_an_edit, _commit, _pull_a_teammates_commit])
def test_a_new_index_is_answered_by_the_copy_kept_beside_the_walk(
    banco: Path, walks: list[Path], monkeypatch: pytest.MonkeyPatch, change
) -> None:
    """A commit, a pull, ``git add`` or ``git status`` writes a new index: git compares the files
    with the index kept beside the walk instead, on this run and the next ones."""
    _kept(banco, walks)
    read = _index_read_by_diff_files(monkeypatch)
    for _ in range(2):
        change(banco)
        for _ in range(2):
            assert _scanned(banco) == _scanned(banco, use_cache=False)
            assert walks == [banco]  # the kept walk answered; the run without the store walked
            assert len(read) == 1 and read[0] is not None and read[0].endswith(".index")
            read.clear()
            walks.clear()


def test_once_many_files_differ_from_the_copy_the_walk_is_kept_anew_with_the_new_index(
    banco: Path, walks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkout of another branch: every file it changed would be stat'ed again on every run."""
    import okrctl.load.keptwalk as keptwalk

    _kept(banco, walks)
    read = _index_read_by_diff_files(monkeypatch)
    monkeypatch.setattr(keptwalk, "MOST_UNTRACKED", 0)
    _commit(banco)
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco] and len(read) == 1 and read[0] is not None
    read.clear()
    walks.clear()
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco] and read == [None]  # kept anew: the repository's own index again


def _index_copy(root: Path) -> Path:
    from okrctl.load.keptwalk import index_copy_path
    from okrctl.load.store import Store, close_stores

    store = Store.open(root)
    assert store is not None
    try:
        return Path(index_copy_path(store))
    finally:
        close_stores()


def test_a_copy_of_the_index_gone_or_replaced_means_a_walk(banco: Path, walks: list[Path]) -> None:
    _kept(banco, walks)
    copy = _index_copy(banco)
    assert copy.is_file()
    copy.unlink()
    _stage_an_edit(banco)
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco, banco]
    walks.clear()
    assert _scanned(banco) == _scanned(banco, use_cache=False)  # (kept anew, with a copy)
    assert walks == [banco]
    walks.clear()
    copy.unlink()
    shutil.copy2(banco / ".git" / "index", copy)  # the same bytes and times, another file
    _stage_an_edit(banco)
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco, banco]


def test_the_index_is_copied_with_its_time_and_a_write_to_the_copy_never_reaches_git(
    banco: Path, walks: list[Path]
) -> None:
    """A copy (never a second name for git's own file: a backup of the cache folder copied back
    would write git's index, and lose what is staged), whose modification time is the index's (git
    compares a file's with it to tell a racily clean entry). Written to, it no longer answers."""
    _kept(banco, walks)
    index = banco / ".git" / "index"
    copy = _index_copy(banco)
    assert (copy.stat().st_nlink, index.stat().st_nlink) == (1, 1)
    assert (copy.stat().st_size, copy.stat().st_mtime_ns) == (index.stat().st_size, index.stat().st_mtime_ns)
    assert copy.stat().st_mode & 0o777 == 0o600 and copy.read_bytes() == index.read_bytes()
    _stage_an_edit(banco)
    staged = index.read_bytes()
    copy.write_bytes(b"DIRC" + bytes(200))  # (what restoring an old backup of the cache folder does)
    assert index.read_bytes() == staged
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco, banco]  # the copy is not the one kept: a walk


def test_walks_kept_again_and_again_leave_one_copy_of_the_index(banco: Path, walks: list[Path]) -> None:
    _kept(banco, walks)
    for number in range(3):
        (banco / f"drafts-{number}").mkdir()  # (a folder came: a walk, kept anew)
        _scanned(banco)
    names = sorted(path.name for path in _index_copy(banco).parent.iterdir() if path.name.startswith("walk-"))
    assert names == [_index_copy(banco).name]


def test_a_large_tree_walked_in_one_process_is_kept_too(
    banco: Path, walks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One core (``OKRCTL_JOBS=1``), or a tree of few deep folders: the walk is not shared, and
    was never kept."""
    import okrctl.load.discover as discover_module

    monkeypatch.setenv("OKRCTL_JOBS", "1")
    monkeypatch.setattr(discover_module, "SHARED_WALK_MIN_FOLDERS", 10_000)
    _kept(banco, walks)
    _stage_an_edit(banco)
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco]


def _scanned_while_a_unit_is_saved_and_staged(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan during which a unit file is edited in place and staged (the user's save and git add)
    at the moment git is asked what it tracks."""
    import okrctl.load.keptwalk as keptwalk

    unit = next(root.glob("units/*.yaml"))
    real = keptwalk.Keeping.start.__func__  # type: ignore[attr-defined]

    def start(cls, where, *args, **kwargs):
        _edit_in_place(unit)
        git(root, "add", str(unit.relative_to(root)))
        return real(cls, where, *args, **kwargs)

    monkeypatch.setattr(keptwalk.Keeping, "start", classmethod(start))
    _scanned(root)
    monkeypatch.setattr(keptwalk.Keeping, "start", classmethod(real))


def test_a_file_saved_and_staged_while_git_compares_with_the_copy_is_seen(
    banco: Path, walks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk is kept anew with git's index as it was before git was asked: a file saved and
    staged meanwhile leaves that walk unkept, so the next run sees it."""
    import okrctl.load.keptwalk as keptwalk

    _kept(banco, walks)
    monkeypatch.setattr(keptwalk, "MOST_UNTRACKED", 0)  # (kept anew with the new index)
    _stage_an_edit(banco)
    _scanned_while_a_unit_is_saved_and_staged(banco, monkeypatch)
    assert _scanned(banco) == _scanned(banco, use_cache=False)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_tracked_folder_means_a_walk(banco: Path, walks: list[Path]) -> None:
    _kept(banco, walks)
    folder = next(banco.glob("checkins/*/"))
    folder.chmod(0)
    try:
        assert _scanned(banco) == _scanned(banco, use_cache=False)
    finally:
        folder.chmod(0o755)


def test_a_damaged_kept_walk_is_ignored(banco: Path, walks: list[Path], tmp_path: Path) -> None:
    import sqlite3

    _kept(banco, walks)
    [database] = (tmp_path / "store").glob("store-*.sqlite3")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE walks SET data = substr(data, 1, length(data) - 9)")
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco, banco]


@pytest.mark.slow  # about 7 s: nine changes, four commands each, with the store and without it
def test_commands_answer_as_without_the_store(banco: Path, walks: list[Path], cli) -> None:
    """Views and align after every kind of change, with the kept walk and without the store."""
    commands = [
        ["align", "--format", "json", "--today", "2026-11-20"],
        ["status", "--format", "json", "--today", "2026-11-20"],
        ["status", "--team", "cards", "--today", "2026-11-20"],
        ["checkin", "--team", "cards", "-c", "6", "--dry-run", "--date", "2026-11-27", "--today", "2026-11-27"],
    ]
    _kept(banco, walks)
    for change in (
        _edit_a_checkin,
        _touch,
        _remove_an_objective_file,  # (folders listed again, from here to the last change but two)
        _rename_a_checkin,
        _save_as_an_editor_does,
        _move_a_checkin_to_another_folder,
        _add_a_checkin_beside_tracked_ones,
        _commit,  # (git's index changed: its copy kept with the walk)
        _add_untracked_files,  # (a folder came: a walk)
        _a_file_becomes_a_folder,
    ):
        change(banco)
        for command in commands:
            walks.clear()
            kept = cli(*command, "--repo", str(banco))
            if change is not _add_untracked_files and change is not _a_file_becomes_a_folder:
                assert walks == [], (change.__name__, command)  # the kept walk answered
            alone = cli(*command, "--repo", str(banco), env={"OKRCTL_NO_CACHE": "1"})
            assert (kept.exit_code, kept.stdout) == (alone.exit_code, alone.stdout), (change.__name__, command)


def _random_rounds(cli, root: Path, walks: list[Path], seed: int, count: int) -> tuple[list[str], int]:
    """Random changes (an edit in place, a file added, removed or touched, a commit), each followed
    by a command run with the store and without it: what differed, and how many runs with the store
    took the kept walk."""
    import random

    from tests.test_store_oracle import STAMP, VIEWS, _edit

    rng = random.Random(seed)
    differed: list[str] = []
    kept_runs = 0
    for number in range(count):
        files = sorted(root.rglob("*.yaml"))
        step = rng.random()
        if step < 0.4:
            _edit(rng, [path for path in files if ".git" not in path.parts])
        elif step < 0.5:
            source = rng.choice(files)
            shutil.copy(source, source.with_name(f"added-{number}.yaml"))
        elif step < 0.6:
            rng.choice([path for path in files if path.name != "okrctl.yaml"]).unlink()
        elif step < 0.7:
            _touch(root)
        elif step < 0.8:
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "--no-verify", "-m", f"round {number}", env=STAMP)
        command = rng.choice([["align", "--format", "json"], *VIEWS])
        walks.clear()
        with_store = cli(*command, "--today", "2026-11-20", "--repo", str(root))
        kept_runs += not walks
        alone = cli(*command, "--today", "2026-11-20", "--repo", str(root), env={"OKRCTL_NO_CACHE": "1"})
        if (with_store.exit_code, with_store.stdout) != (alone.exit_code, alone.stdout):
            differed.append(f"round {number}: {' '.join(command)}")
    return differed, kept_runs


@pytest.mark.slow
def test_random_changes_never_change_an_answer(banco: Path, walks: list[Path], cli) -> None:
    differed, kept_runs = _random_rounds(cli, banco, walks, 7, 16)
    assert differed == []
    assert kept_runs >= 4  # (the kept walk did answer)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_changes_never_change_an_answer_over_longer_runs(banco: Path, walks: list[Path], cli, seed: int) -> None:
    differed, kept_runs = _random_rounds(cli, banco, walks, seed, 80)
    assert differed == []
    assert kept_runs >= 10


def test_a_walk_that_met_a_link_is_not_kept(banco: Path, walks: list[Path], tmp_path: Path) -> None:
    """A link's target may come or go outside every folder the walk listed: a link that leads to
    nothing yet, then outside the repository, is reported as a walk reports it."""
    (banco / "units" / "shared").symlink_to(tmp_path / "shared")
    _filled(banco)
    _scanned(banco)
    _scanned(banco)
    walks.clear()
    (tmp_path / "shared").mkdir()
    assert _scanned(banco) == _scanned(banco, use_cache=False)
    assert walks == [banco, banco]
    assert "units/shared" in _scanned(banco)[2]  # OKR100: it leads outside the repository


def test_a_repository_made_between_the_root_and_its_own_is_seen(tmp_path: Path, walks: list[Path]) -> None:
    """The root is a folder of a bigger repository; a repository made in a folder between them has
    an index of its own (git's answers are then about it): the kept walk no longer answers."""
    big = tmp_path / "big"
    root = big / "dept" / "okrs"
    shutil.copytree(EXAMPLES / "banco", root)
    git(big, "init", "-q", "-b", "main")
    commit_at(big, "2026-09-20", "OKRs for 2026-Q4")
    _kept(root, walks)
    git(big / "dept", "init", "-q")
    _edit_a_checkin(root)
    assert _scanned(root) == _scanned(root, use_cache=False)
    assert walks == [root, root]


def _edit_in_place(path: Path) -> None:
    """Write new bytes into the same file (same inode, its folder untouched)."""
    text = path.read_text(encoding="utf-8")
    with open(path, "r+", encoding="utf-8") as handle:
        handle.write(text.replace("confidence: ", "confidence:  ", 1))


def test_a_root_no_commit_holds_has_every_file_stated_again(tmp_path: Path, walks: list[Path]) -> None:
    """The root in a repository that has not committed it (untracked, or ignored): git lists no
    file of it, so every file is stat'ed again, and an edit in place is seen."""
    parent = tmp_path / "parent"
    parent.mkdir()
    (parent / "README").write_text("hi\n", encoding="utf-8")
    git(parent, "init", "-q", "-b", "main")
    commit_at(parent, "2026-09-20", "a parent")
    root = parent / "okr"
    shutil.copytree(EXAMPLES / "banco", root)
    _kept(root, walks)
    _edit_in_place(next(root.glob("checkins/**/*.yaml")))
    assert _scanned(root) == _scanned(root, use_cache=False)


def test_files_in_a_submodule_folder_without_its_repository_are_stated_again(banco: Path, walks: list[Path]) -> None:
    """A folder git holds as a submodule (a commit id), whose repository was removed: a walk reads
    its files, git names none of them."""
    partner = banco / "partner"
    partner.mkdir()
    shutil.copy(next(banco.glob("checkins/**/*.yaml")), partner / "copy.yaml")
    git(partner, "init", "-q", "-b", "main")
    commit_at(partner, "2026-09-20", "partner")
    commit_at(banco, "2026-09-21", "with a submodule")  # (git add records partner as a gitlink)
    shutil.rmtree(partner / ".git")
    _kept(banco, walks)
    _edit_in_place(partner / "copy.yaml")
    assert _scanned(banco) == _scanned(banco, use_cache=False)


def test_a_file_told_from_a_tracked_one_by_case_alone_is_stated_again(banco: Path, walks: list[Path]) -> None:
    """Where git ignores case, an untracked NOTE.yaml beside a tracked note.yaml is listed by no
    git command."""
    git(banco, "config", "core.ignorecase", "true")
    tracked = next(banco.glob("checkins/**/*.yaml"))
    shutil.copy(tracked, tracked.with_name("note.yaml"))
    commit_at(banco, "2026-09-21", "a note")
    shutil.copy(tracked, tracked.with_name("NOTE.yaml"))
    _kept(banco, walks)
    _edit_in_place(tracked.with_name("NOTE.yaml"))
    assert _scanned(banco) == _scanned(banco, use_cache=False)


def test_a_copy_of_a_submodule_checkout_is_not_taken_for_its_original(tmp_path: Path, walks: list[Path]) -> None:
    """A copy of a submodule's checkout reaches the superproject's repository of it, whose work
    tree is the original folder: git's answers are about the original's files, not the copy's."""
    source = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", source)
    git(source, "init", "-q", "-b", "main")
    commit_at(source, "2026-09-20", "OKRs for 2026-Q4")
    top = tmp_path / "top"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    git(top, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(source), "banco")
    commit_at(top, "2026-09-21", "with the OKRs")
    copy = top / "copy"
    shutil.copytree(top / "banco", copy, symlinks=True)  # its .git file leads to .git/modules/banco
    _filled(copy)
    for _ in range(3):
        _scanned(copy)
    _edit_in_place(next(copy.glob("checkins/**/*.yaml")))
    assert _scanned(copy) == _scanned(copy, use_cache=False)


def test_a_file_saved_and_staged_as_the_walk_begins_is_seen(banco: Path, walks: list[Path], monkeypatch) -> None:
    """A unit file edited in place and staged while the walk is on its way: the walk may have
    stat'ed it before git's index changed, so that walk is not kept."""
    _kept(banco, walks)
    (banco / "okrs" / "drafts").mkdir()  # a folder came: the next run walks
    _scanned_while_a_unit_is_saved_and_staged(banco, monkeypatch)
    assert _scanned(banco) == _scanned(banco, use_cache=False)


def test_a_walk_kept_by_another_run_between_its_head_and_its_data_is_not_mixed(banco: Path, walks: list[Path]) -> None:
    """The head read, then another okrctl keeps another walk before the data is read: this run
    walks rather than pair one walk's head with another's data."""
    from okrctl.load.store import Store

    _kept(banco, walks)
    store = Store.open(banco)
    assert store is not None
    head = store.kept_walk("head")
    assert isinstance(head, str) and isinstance(store.kept_walk("data", head), bytes)
    with store.db:
        store.db.execute("UPDATE walks SET head = head || ' '")
    assert store.kept_walk("data", head) is None
    assert _scanned(banco) == _scanned(banco, use_cache=False)


@pytest.mark.slow
def test_a_file_added_after_its_folder_was_listed_is_found_by_the_next_run(
    banco: Path, walks: list[Path], monkeypatch
) -> None:
    """A slow walk (a slow disk, a stalled process): a file added to a folder already listed, long
    before git is asked. That walk is not kept, so the next run finds the file."""
    import time as clock

    import okrctl.load.keptwalk as keptwalk

    _kept(banco, walks)
    (banco / "okrs" / "drafts").mkdir()  # a folder came: the next run walks
    real = keptwalk.Keeping.start.__func__  # type: ignore[attr-defined]

    def start(cls, root, *args, **kwargs):
        clock.sleep(1.2)  # (past RACY_SECONDS, which the tests set to -1 s)
        (banco / "zz-new.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: [broken\n", encoding="utf-8")
        return real(cls, root, *args, **kwargs)

    monkeypatch.setattr(keptwalk.Keeping, "start", classmethod(start))
    _scanned(banco)
    monkeypatch.setattr(keptwalk.Keeping, "start", classmethod(real))
    assert "zz-new.yaml" in [found[0] for found in _scanned(banco)[0]]
    assert _scanned(banco) == _scanned(banco, use_cache=False)
