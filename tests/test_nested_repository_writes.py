"""``checkin`` and ``measure`` never write into another git repository's folder inside the OKR
repository (a submodule, a plain ``git init`` in a subfolder): okrctl never reads such a folder, so
the file counted for nothing, and its commit went into that repository's history with exit 0.

Each refusal is one line naming the folder (exit 1), before anything is written or committed, in
either repository; a dry run is refused the same way, since the real run would be.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, git

TODAY = "2026-11-27"  # the Friday after Cards' last check-in (2026-11-20)
CHECKIN = f"checkins/cards/{TODAY}.yaml"
READING = "readings/cards/2026-11-21.yaml"
ANOTHER = "is the work tree of another git repository (a submodule or a nested clone), which okrctl does not read"


def _repository(folder: Path, git_repo) -> Path:
    """``folder`` made a git repository with one commit of what it holds."""
    return git_repo(folder)


@pytest.fixture
def cards_submodule(tmp_path: Path, git_repo) -> tuple[Path, Path]:
    """Banco, whose ``checkins/cards`` is a submodule holding Cards' check-ins: (root, submodule)."""
    upstream = tmp_path / "cards"
    shutil.copytree(EXAMPLES / "banco" / "checkins" / "cards", upstream)
    _repository(upstream, git_repo)
    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root, ignore=shutil.ignore_patterns(".okrctl-cache"))
    shutil.rmtree(root / "checkins" / "cards")
    _repository(root, git_repo)
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(upstream), "checkins/cards")
    git(root, "commit", "-q", "-m", "cards' check-ins in their own repository")
    return root, root / "checkins" / "cards"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return _repository(copy_example("banco"), git_repo)


def _snapshot(*folders: Path) -> list[tuple[str, str, list[str]]]:
    """What a write or a commit would change in each repository at ``folders``: its commits, what
    git sees changed (submodules too, untracked files one by one) and the files on disk."""
    return [
        (
            git(folder, "log", "--all", "--format=%H"),
            git(folder, "status", "--porcelain", "--ignore-submodules=none", "--untracked-files=all"),
            sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if ".git" not in p.parts),
        )
        for folder in folders
    ]


def _checkin(cli, root: Path, *args: str):
    return cli("checkin", "--repo", str(root), "--team", "cards", "--confidence", "5", "--today", TODAY, *args)


def _measure(cli, root: Path, values: Path, *args: str):
    return cli(
        "measure",
        "--repo",
        str(root),
        "--team",
        "cards",
        "--values-from",
        str(values),
        "--date",
        "2026-11-21",
        "--today",
        "2026-11-21",
        *args,
    )


@pytest.mark.parametrize(
    ("args", "rel"),
    [
        ((), CHECKIN),
        (("--no-commit",), CHECKIN),
        (("--dry-run",), CHECKIN),
        (("--amend", "--date", "2026-11-20"), "checkins/cards/2026-11-20.yaml"),
    ],
    ids=["new", "no-commit", "dry-run", "amend"],
)
def test_a_checkin_into_a_submodule_is_refused_and_nothing_is_written(cli, cards_submodule, args, rel) -> None:
    root, submodule = cards_submodule
    before = _snapshot(root, submodule)
    result = _checkin(cli, root, *args)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"okrctl: {rel}: checkins/cards/ {ANOTHER}; nothing was written\n"
    assert result.stdout == ""
    assert _snapshot(root, submodule) == before
    assert not (root / CHECKIN).exists()


def test_a_checkin_into_a_folder_made_a_repository_by_git_init_is_refused(cli, banco) -> None:
    """A plain ``git init`` in the team's folder (a ``.git`` folder, where a submodule has a file)."""
    nested = banco / "checkins" / "cards"
    git(nested, "init", "-q", "-b", "main")
    before = _snapshot(banco, nested)
    result = _checkin(cli, banco)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"okrctl: {CHECKIN}: checkins/cards/ {ANOTHER}; nothing was written\n"
    assert _snapshot(banco, nested) == before
    assert not (banco / CHECKIN).exists()
    assert git(nested, "log", "--all", "--format=%H") == ""  # nothing committed there


def test_a_checkin_below_a_folder_of_another_repository_names_that_folder(cli, banco) -> None:
    """The whole ``checkins`` folder another repository's: the folder named is the first one on the way."""
    git(banco / "checkins", "init", "-q", "-b", "main")
    before = _snapshot(banco)
    result = _checkin(cli, banco)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"okrctl: {CHECKIN}: checkins/ {ANOTHER}; nothing was written\n"
    assert _snapshot(banco) == before


@pytest.mark.parametrize("args", [(), ("--commit",), ("--dry-run",)], ids=["write", "commit", "dry-run"])
def test_a_reading_into_a_nested_repository_is_refused_and_nothing_is_written(
    cli, cards_submodule, tmp_path, args
) -> None:
    root, submodule = cards_submodule
    nested = root / "readings" / "cards"
    nested.mkdir(parents=True)
    git(nested, "init", "-q", "-b", "main")
    values = tmp_path / "kpis.csv"
    values.write_text("card-activation-7d,70\n", encoding="utf-8")
    before = _snapshot(root, submodule)
    result = _measure(cli, root, values, *args)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"okrctl: {READING}: readings/cards/ {ANOTHER}; nothing was written\n"
    assert result.stdout == ""
    assert _snapshot(root, submodule) == before
    assert sorted(p.name for p in nested.iterdir()) == [".git"]
    assert git(nested, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_reading_into_a_submodule_is_refused(cli, banco, tmp_path, git_repo) -> None:
    """``readings`` itself a submodule (its ``.git`` a file), the team's folder not made yet."""
    upstream = tmp_path / "readings-upstream"
    upstream.mkdir()
    (upstream / "README.md").write_text("readings\n", encoding="utf-8")
    _repository(upstream, git_repo)
    git(banco, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(upstream), "readings")
    git(banco, "commit", "-q", "-m", "readings in their own repository")
    submodule = banco / "readings"
    values = tmp_path / "kpis.csv"
    values.write_text("card-activation-7d,70\n", encoding="utf-8")
    before = _snapshot(banco, submodule)
    result = _measure(cli, banco, values, "--commit")
    assert result.exit_code == 1, result.output
    assert result.stderr == f"okrctl: {READING}: readings/ {ANOTHER}; nothing was written\n"
    assert _snapshot(banco, submodule) == before
    assert not (submodule / "cards").exists()


def test_a_folder_that_is_this_repository_s_own_is_still_written(cli, banco) -> None:
    """A control: the same check-in, with no other repository on the way, is written and committed."""
    result = _checkin(cli, banco)
    assert result.exit_code == 0, result.output
    assert (banco / CHECKIN).exists()
    assert git(banco, "status", "--porcelain") == ""
