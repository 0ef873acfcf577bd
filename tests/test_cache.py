"""The caches: an unchanged repeat run reuses results; any change of content or input recomputes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import okrctl.load.pipeline as repo_module
from okrctl.load.store import store_name
from tests.conftest import DEMO_DAY, EXAMPLES, git


@pytest.fixture
def counted_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every full load of a repository (a memo hit does none)."""
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    calls: list[Path] = []
    real = repo_module.load_repo

    def load(root, **kwargs):
        calls.append(root)
        return real(root, **kwargs)

    monkeypatch.setattr(repo_module, "load_repo", load)
    return calls


@pytest.fixture
def saas(tmp_path: Path) -> Path:
    target = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", target)
    return target


def align(cli, repo: Path, *extra: str):
    return cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", *extra)


def test_unchanged_repeat_run_reuses_the_result(cli, saas, counted_loads):
    first = align(cli, saas)
    second = align(cli, saas)
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)
    assert len(counted_loads) == 1


def test_an_edited_file_is_seen_at_once(cli, saas, counted_loads):
    align(cli, saas)
    objective = saas / "okrs" / "2026-Q4" / "marketing.yaml"
    objective.write_text(objective.read_text().replace("kind: Objective", "kind: Objective\ntypo: 1", 1))
    result = align(cli, saas)
    assert result.exit_code == 1 and "unknown field 'typo'" in result.stdout
    assert len(counted_loads) == 2


def test_a_touched_but_unchanged_file_still_reuses_the_result(cli, saas, counted_loads):
    align(cli, saas)
    path = saas / "units" / "acme.yaml"
    os.utime(path, (1_700_000_000, 1_700_000_000))
    align(cli, saas)
    # the touched file is read again, but its content (and so the result) is unchanged
    assert len(counted_loads) == 1


def test_other_inputs_are_part_of_the_key(cli, saas, counted_loads):
    align(cli, saas)
    assert cli("align", "--repo", str(saas), "--today", "2026-11-27", "--format", "json").exit_code in (0, 1)
    align(cli, saas, "--strict")
    cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "concise")
    assert len(counted_loads) == 4


def test_a_new_commit_recomputes_history_rules(cli, saas, counted_loads, git_repo):
    git_repo(saas)
    align(cli, saas)
    align(cli, saas)
    assert len(counted_loads) == 1
    git(saas, "commit", "-q", "--allow-empty", "-m", "nothing")
    align(cli, saas)
    assert len(counted_loads) == 2
    align(cli, saas, "--no-history")
    git(saas, "commit", "-q", "--allow-empty", "-m", "nothing again")
    align(cli, saas, "--no-history")
    assert len(counted_loads) == 3  # without history, HEAD is not part of the key


def test_deleting_the_cache_is_safe(cli, saas, counted_loads):
    from okrctl.load.store import cache_root

    first = align(cli, saas)
    folder = cache_root()
    assert folder is not None and (folder / store_name()).is_file()
    shutil.rmtree(folder)
    assert align(cli, saas).stdout == first.stdout
    assert (folder / store_name()).is_file()
    assert not (saas / ".okrctl-cache").exists()  # nothing is ever written into the repository


def test_results_of_other_okrctl_code_are_not_reused(cli, saas, counted_loads, monkeypatch):
    import okrctl.load.cache as cache_module

    align(cli, saas)
    monkeypatch.setattr(cache_module, "code_stamp", lambda: "another build of okrctl")
    align(cli, saas)
    align(cli, saas)
    assert len(counted_loads) == 2


def test_renaming_a_file_or_adding_a_file_of_any_kind_is_seen(cli, saas, counted_loads):
    """The memo's key tells apart every change of the set of files, not only of their bytes."""
    first = align(cli, saas)
    plan = saas / "okrs" / "2026-Q4" / "marketing.yaml"
    plan.rename(plan.with_name("marketing-renamed.yaml"))
    align(cli, saas)
    assert len(counted_loads) == 2
    (saas / "notes.txt").write_text("minutes of the planning\n")
    align(cli, saas)
    assert len(counted_loads) == 3  # a file that is not YAML is still part of the repository
    (saas / "notes.txt").rename(saas / "notes.yaml.txt")
    align(cli, saas)
    assert len(counted_loads) == 4
    (saas / "notes.yaml.txt").unlink()
    plan.with_name("marketing-renamed.yaml").rename(plan)
    assert align(cli, saas).stdout == first.stdout
    assert len(counted_loads) == 4  # the same files with the same bytes as the first run: its result


def test_the_content_fingerprint_tells_every_part_apart() -> None:
    from okrctl.load.pipeline import content_fingerprint

    cases = [
        ({"a.yaml": "1", "b.yaml": "2"}, []),
        ({"a.yaml": "2", "b.yaml": "1"}, []),
        ({"a.yaml": "1"}, ["b.yaml"]),
        ({"a.yaml": "1", "b.yaml": ""}, []),
        ({"a.yaml": "1", "b.yaml": "2"}, ["c.txt"]),
        ({"a.yaml": "1", "b.yaml": "2", "c.txt": ""}, []),
        ({"a.yaml\x01b.yaml": "1"}, []),
        ({}, ["a.yaml", "b.yaml"]),
    ]
    prints = [content_fingerprint(digests, others) for digests, others in cases]
    assert len(set(prints)) == len(cases)
    assert content_fingerprint({"b.yaml": "2", "a.yaml": "1"}, []) == prints[0]  # the order of finding


def test_a_file_that_cannot_be_read_for_another_reason_is_seen(cli, saas, counted_loads, tmp_path):
    """Files that cannot be read have no digest: what keeps each from being read is part of the key,
    so a pipe replaced by a link that leaves the repository is not answered by the pipe's result."""
    odd = saas / "okrs" / "zz.yaml"
    os.mkfifo(odd)
    first = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "concise")
    assert "not a regular file" in first.stdout
    odd.unlink()
    outside = tmp_path / "outside.yaml"
    outside.write_text("a: 1\n")
    odd.symlink_to(outside)
    second = cli("align", "--repo", str(saas), "--today", DEMO_DAY, "--format", "concise")
    assert "symlink points outside the repository" in second.stdout
    assert "not a regular file" not in second.stdout
    assert len(counted_loads) == 2


def test_deepening_a_shallow_clone_recomputes_history_rules(cli, counted_loads, copy_example, git_repo, tmp_path):
    """A shallow clone deepened (``git fetch --deepen``, as a CI job does to find a merge base) keeps
    its HEAD, but OKR601 now sees more of the history: a memoised align must not answer for it."""
    from tests.helpers_git import commit_at, edit

    banco = git_repo(copy_example("banco"), commit=False)
    commit_at(banco, "2026-09-20", "OKRs for 2026-Q4")
    for day, target in (("2026-10-20", "85"), ("2026-11-02", "82")):
        edit(banco / "okrs" / "2026-Q4" / "discover.yaml", r"^    target: (90|85)$", f"    target: {target}")
        commit_at(banco, day, "lower the onboarding target")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", banco.as_uri(), str(clone))
    args = ("align", "--repo", str(clone), "--today", DEMO_DAY, "--format", "concise", "--select", "OKR601")
    shallow = cli(*args)
    assert "OKR601" not in shallow.stdout and "from 2026-11-02 only" in shallow.stderr
    git(clone, "fetch", "-q", "--deepen", "1")
    deeper = cli(*args)
    assert "changed 85 → 82" in deeper.stdout and "from 2026-10-20 only" in deeper.stderr
    assert len(counted_loads) == 2


def test_a_broken_file_turned_into_a_link_to_the_same_bytes_is_judged_alike(cli, counted_loads, copy_example):
    """The memo's key holds a file's bytes, not whether it is a link: what a broken file declares
    (one finding per cause) must be read through a link inside the repository as from the file."""
    banco = copy_example("banco")
    unit = banco / "units" / "cards.yaml"
    unit.write_text(unit.read_text().replace("name: Cards", "name: [Cards"), encoding="utf-8")
    args = ("align", "--repo", str(banco), "--today", DEMO_DAY, "--format", "concise")
    as_file = cli(*args)
    assert "OKR100" in as_file.stdout and "is not a unit" not in as_file.stdout
    # (In a folder the config excludes, so that the file is read once, through the link.)
    config = banco / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + 'exclude: ["kept/**"]\n', encoding="utf-8")
    as_file = cli(*args)
    hidden = banco / "kept" / "cards.yaml"
    hidden.parent.mkdir()
    unit.rename(hidden)
    unit.symlink_to(Path("..") / "kept" / "cards.yaml")
    as_link = cli(*args)
    uncached = cli(*args, env={"OKRCTL_NO_CACHE": "1"})
    assert (as_link.exit_code, as_link.stdout) == (uncached.exit_code, uncached.stdout)
    assert as_link.stdout == as_file.stdout
    # A link that leaves the repository is never read: it declares nothing.
    outside = banco.parent / "outside-cards.yaml"
    hidden.rename(outside)
    unit.unlink()
    unit.symlink_to(outside)
    leaving = cli(*args, env={"OKRCTL_NO_CACHE": "1"})
    assert "symlink points outside the repository" in leaving.stdout and "'cards' is not a unit" in leaving.stdout


def test_ci_formats_name_files_from_the_git_work_tree_that_holds_them_now(cli, counted_loads, copy_example, tmp_path):
    """The CI formats name a file from the top of the git work tree (an okrs/ folder in a larger
    checkout): a memoised result must not keep the names of before ``git init`` in a parent."""
    outer = tmp_path / "outer"
    outer.mkdir()
    banco = copy_example("banco")
    banco.rename(outer / "okrs")
    (outer / "okrs" / "checkins" / "cards" / "stray.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: nobody\ndate: 2026-11-20\n", encoding="utf-8"
    )
    args = ("align", "--repo", str(outer / "okrs"), "--today", DEMO_DAY, "--format", "github", "--no-history")
    assert "file=checkins/cards/stray.yaml," in cli(*args).stdout
    git(outer, "init", "-q")
    assert "file=okrs/checkins/cards/stray.yaml," in cli(*args).stdout
    assert len(counted_loads) == 2


def test_a_checkin_says_the_same_of_another_teams_broken_checkin_with_the_store_as_without(
    cli, copy_example, git_repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/checkin.md: another team's broken check-in is not reported by a check-in. Without the
    store (or with an empty one) it was not; once a whole-organisation view had filled the store,
    the check-in noted it as a file whose documents are left out."""
    root = git_repo(copy_example("banco"))
    cards = root / "checkins/cards/2026-11-13.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("card-activation-7d: 54", "card-activation-7d: lots"))
    args = ["checkin", "--repo", str(root), "--team", "discover", "--today", "2026-11-27", "-c", "7", "--dry-run"]
    cold = cli(*args)
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    assert cli("status", "--repo", str(root), "--today", "2026-11-27").exit_code == 0  # fills the store
    warm = cli(*args)
    assert (warm.exit_code, warm.stdout, warm.stderr) == (cold.exit_code, cold.stdout, cold.stderr)
    assert "left out" not in warm.stderr
    # The team's own broken check-in is said by both.
    own = root / "checkins/discover/2026-11-20.yaml"
    own.write_text(own.read_text(encoding="utf-8").replace("setup-tickets: 332", "setup-tickets: lots"))
    assert cli("status", "--repo", str(root), "--today", "2026-11-27").exit_code == 0
    warm = cli(*args)
    monkeypatch.setenv("OKRCTL_NO_CACHE", "1")
    cold = cli(*args)
    assert warm.stderr == cold.stderr and "checkins/discover/2026-11-20.yaml" in warm.stderr
