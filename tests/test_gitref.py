"""Loading the repository as it is at a git ref: the same Repo as a working-tree load, from git objects."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from okrctl.load.gitref import RefError, RefRepo, load_ref
from okrctl.load.pipeline import load_repo
from okrctl.load.yamlparse import MAX_FILE_BYTES
from okrctl.rules import run
from tests.conftest import git

DAY = date(2026, 11, 20)


def _same(left: object, right: object) -> None:
    assert isinstance(left, RefRepo)
    assert [(d.path, d.index, d.data, d.valid) for d in left.docs] == [  # type: ignore[attr-defined]
        (d.path, d.index, d.data, d.valid)
        for d in right.docs  # type: ignore[attr-defined]
    ]
    assert left.file_findings == right.file_findings  # type: ignore[attr-defined]
    assert left.other_files == right.other_files  # type: ignore[attr-defined]
    assert left.files == right.files  # type: ignore[attr-defined]


@pytest.fixture
def banco(copy_example: Callable[[str], Path], git_repo: Callable[..., Path]) -> Path:
    return git_repo(copy_example("banco"))


def test_a_ref_loads_like_the_working_tree(banco: Path) -> None:
    at_head = load_ref(banco, "HEAD")
    on_disk = load_repo(banco, use_cache=False)
    _same(at_head, on_disk)
    assert at_head.commit == git(banco, "rev-parse", "HEAD").strip()
    # Rules run on it, and their positions come from the committed bytes.
    assert run(at_head, DAY) == run(on_disk, DAY)


def test_the_ref_is_read_from_git_not_from_the_disk(banco: Path) -> None:
    objective = banco / "okrs/2026-Q4/discover.yaml"
    before = objective.read_text(encoding="utf-8")
    objective.write_text(before.replace("target: 90", "target: 95", 1), encoding="utf-8")
    (banco / "okrs/2026-Q4/new.yaml").write_text("not: [valid", encoding="utf-8")
    at_head = load_ref(banco, "HEAD")
    assert "okrs/2026-Q4/new.yaml" not in {d.path for d in at_head.docs}
    assert not [f for f in at_head.file_findings if f.path == "okrs/2026-Q4/new.yaml"]
    doc = next(d for d in at_head.docs if d.path == "okrs/2026-Q4/discover.yaml")
    assert "target: 95" not in before
    assert all(kr.target != 95 for kr in doc.model.key_results)


def test_broken_file_at_a_ref_is_a_finding_with_its_line(banco: Path) -> None:
    (banco / "okrs/broken.yaml").write_text("apiVersion: okrctl/v1\nkind: Objective\nid: [unclosed\n", encoding="utf-8")
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "broken")
    (banco / "okrs/broken.yaml").unlink()
    found = [f for f in load_ref(banco, "HEAD").file_findings if f.path == "okrs/broken.yaml"]
    assert found and found[0].code == "OKR100" and found[0].line > 1


def test_discovery_rules_hold_at_a_ref(banco: Path) -> None:
    (banco / ".hidden").mkdir()
    (banco / ".hidden/x.yaml").write_text("junk: [", encoding="utf-8")
    (banco / "drafts").mkdir()
    (banco / "drafts/d.yaml").write_text("junk: [", encoding="utf-8")
    (banco / "notes.txt").write_text("hello", encoding="utf-8")
    (banco / "empty.yaml").write_text("", encoding="utf-8")
    (banco / "big.yaml").write_bytes(b"# " + b"x" * MAX_FILE_BYTES)
    config = banco / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + 'exclude: ["drafts/**"]\n', encoding="utf-8")
    os.symlink("okrs/2026-Q4/discover.yaml", banco / "inside-link.yaml")
    os.symlink("../../etc/passwd", banco / "outside-link.yaml")
    os.symlink("missing.yaml", banco / "dangling.yaml")
    os.symlink("okrs", banco / "folder-link.yaml")
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "odd files")
    at_head = load_ref(banco, "HEAD")
    _same(at_head, load_repo(banco, use_cache=False))
    messages = {f.path: f.message for f in at_head.file_findings}
    assert messages["outside-link.yaml"] == "symlink points outside the repository"
    assert "byte limit" in messages["big.yaml"]
    assert "no document" in messages["empty.yaml"]
    assert "drafts/d.yaml" not in messages and ".hidden/x.yaml" not in messages
    assert "notes.txt" in at_head.other_files
    assert "inside-link.yaml" in {d.path for d in at_head.docs}


def test_no_blob_is_read_before_its_size_is_known(banco: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A committed file or link blob over the size limit is never read from git: a repository may
    hold a blob of any size. The file is a finding of the limit, as in the working tree."""
    import okrctl.gitio.log as log

    (banco / "big.yaml").write_bytes(b"# " + b"x" * (2 * MAX_FILE_BYTES))
    huge_target = banco / "huge-target"
    huge_target.write_bytes(b"a/" * MAX_FILE_BYTES)
    link_oid = git(banco, "hash-object", "-w", str(huge_target)).strip()
    huge_target.unlink()
    git(banco, "add", "big.yaml")
    git(banco, "update-index", "--add", "--cacheinfo", f"120000,{link_oid},odd-link.yaml")
    git(banco, "commit", "-q", "-m", "large blobs")
    big_oid = git(banco, "rev-parse", "HEAD:big.yaml").strip()
    asked: list[str] = []  # the blobs git is asked for whole (``cat-file --batch``)
    real = log.run_git

    def recorded(top: Path, *args: str, **options: Any) -> Any:
        if args[-1] == "--batch":
            asked.extend(options["input"].decode().split())
        return real(top, *args, **options)

    monkeypatch.setattr(log, "run_git", recorded)
    at_head = load_ref(banco, "HEAD")
    assert asked and big_oid not in asked and link_oid not in asked
    messages = {f.path: f.message for f in at_head.file_findings}
    assert "byte limit" in messages["big.yaml"]
    assert messages["odd-link.yaml"] == "symlink points outside the repository"
    assert "okrs/2026-Q4/discover.yaml" in {d.path for d in at_head.docs}


def test_an_okrctl_root_below_the_top_of_the_git_repository(tmp_path: Path, git_repo: Callable[..., Path]) -> None:
    top = tmp_path / "company"
    shutil.copytree(Path(__file__).resolve().parents[1] / "examples/banco", top / "okr")
    (top / "README.md").write_text("company\n", encoding="utf-8")
    git_repo(top)
    _same(load_ref(top / "okr", "HEAD"), load_repo(top / "okr", use_cache=False))


def test_unknown_ref(banco: Path) -> None:
    with pytest.raises(RefError, match="unknown git ref 'no-such-branch'") as caught:
        load_ref(banco, "no-such-branch")
    assert caught.value.exit_code == 2
    with pytest.raises(RefError, match="unknown git ref '--output=x'"):
        load_ref(banco, "--output=x")


def test_ref_without_config(tmp_path: Path, git_repo: Callable[..., Path], copy_example: Callable[[str], Path]) -> None:
    folder = copy_example("banco")
    git_repo(folder, commit=False)
    (folder / "README.md").write_text("before okrctl\n", encoding="utf-8")
    git(folder, "add", "README.md")
    git(folder, "commit", "-q", "-m", "before")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "okrctl")
    with pytest.raises(RefError, match=r"'HEAD~1' has no okrctl.yaml"):
        load_ref(folder, "HEAD~1")


def test_outside_git(copy_example: Callable[[str], Path]) -> None:
    with pytest.raises(RefError, match="not in a git repository"):
        load_ref(copy_example("banco"), "HEAD")


def test_shallow_clone_names_the_fix(banco: Path, tmp_path: Path) -> None:
    objective = banco / "okrs/2026-Q4/discover.yaml"
    objective.write_text(objective.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(banco, "commit", "-q", "-am", "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{banco}", str(clone))
    assert load_ref(clone, "HEAD").files
    with pytest.raises(RefError, match=r"shallow clone.*fetch-depth: 0"):
        load_ref(clone, "HEAD~1")


def test_a_warm_cache_is_shared_by_content(banco: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    load_repo(banco)  # warms the parse cache from the working tree
    parsed: list[str] = []
    import okrctl.load.pipeline as pipeline

    real = pipeline.analyse_for_store

    def counting(rel: str, raw: bytes) -> tuple[dict, str | None, list]:
        parsed.append(rel)
        return real(rel, raw)

    monkeypatch.setattr(pipeline, "analyse_for_store", counting)
    objective = banco / "okrs/2026-Q4/discover.yaml"
    objective.write_text(objective.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    git(banco, "commit", "-q", "-am", "one file")
    at_head = load_ref(banco, "HEAD")
    assert parsed == ["okrs/2026-Q4/discover.yaml"]
    monkeypatch.setattr(pipeline, "analyse_for_store", real)
    _same(at_head, load_repo(banco, use_cache=False))


def test_files_lent_by_the_other_side_keep_their_findings_and_lines(banco: Path) -> None:
    from okrctl.load.gitref import Shared
    from okrctl.load.pipeline import scan

    # A finding with a line in a file both sides share, and a change elsewhere.
    cards = banco / "okrs/2026-Q4/cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("owner: cards", "owner: cards\nnonsense: 1"))
    git(banco, "commit", "-q", "-am", "a schema error in cards")
    discover = banco / "okrs/2026-Q4/discover.yaml"
    discover.write_text(discover.read_text(encoding="utf-8").replace("target: 90", "target: 85"))
    snapshot = scan(banco, use_cache=False)
    on_disk = load_repo(banco, snapshot=snapshot)
    at_head = load_ref(banco, "HEAD", use_cache=False, shared=Shared(on_disk, snapshot.digests))
    assert at_head.lender is on_disk
    lent = {d.path for d in at_head.docs if any(d is e for e in on_disk.docs)}
    assert "okrs/2026-Q4/cards.yaml" in lent and "okrs/2026-Q4/discover.yaml" not in lent
    _same(at_head, load_ref(banco, "HEAD", use_cache=False))
    unchanged = [f for f in run(at_head, DAY) if f.path != "okrs/2026-Q4/discover.yaml"]
    assert unchanged == [f for f in run(on_disk, DAY) if f.path != "okrs/2026-Q4/discover.yaml"]
    schema = [f for f in at_head.file_findings if f.path == "okrs/2026-Q4/cards.yaml"]
    lines = cards.read_text(encoding="utf-8").splitlines()
    assert schema and schema[0].line == lines.index("nonsense: 1") + 1


def test_a_comparison_with_the_working_tree_reads_only_the_blobs_of_changed_files(banco: Path, monkeypatch) -> None:
    """``diff`` and ``align --baseline`` compare a ref with the working tree: a file git finds
    unchanged in the working tree, with the same blob at the ref, is taken from the working tree's
    load. Only the edited file's blob is read from git, and the ref still loads exactly."""
    import okrctl.load.gitref as gitref
    from okrctl.load.gitref import Shared
    from okrctl.load.pipeline import scan

    edited = banco / "okrs" / "2026-Q4" / "cards.yaml"
    edited.write_text(edited.read_text().replace("title:", "title: Now", 1))
    read: list[str] = []
    real = gitref.blobs

    def blobs(top, oids, *rest):
        read.extend(oids)
        return real(top, oids, *rest)

    monkeypatch.setattr(gitref, "blobs", blobs)
    snapshot = scan(banco, use_cache=False)
    head = load_repo(banco, snapshot=snapshot)
    shared = Shared.of_work_tree(head, snapshot.digests, banco)
    at_head = load_ref(banco, "HEAD", use_cache=False, shared=shared)
    # okrctl.yaml (read first: it says what else is read) and the edited file's blob at HEAD.
    assert sorted(read) == sorted(git(banco, "rev-parse", "HEAD:okrctl.yaml", "HEAD:okrs/2026-Q4/cards.yaml").split())
    read.clear()
    alone = load_ref(banco, "HEAD", use_cache=False)
    assert len(read) > 50  # without the working tree's blob ids, every blob is read
    _same(at_head, alone)
