"""Repositories git holds in unusual ways: files kept in Git LFS, sparse checkouts, bare
repositories, names that are both a branch and a tag, single-branch clones. Each on a real git
repository built here; okrctl stops with one line and the fix, or says what it chose."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import banco_before_q4, commit_at, edit, hermetic_git

DISCOVER = "okrs/2026-Q4/discover.yaml"
TODAY = "2026-11-21"


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_before_q4(copy_example, git_repo)


def lfs_pointer(content: bytes) -> str:
    """The pointer git-lfs's clean filter stores in git in place of ``content``."""
    return (
        "version https://git-lfs.github.com/spec/v1\n"
        f"oid sha256:{hashlib.sha256(content).hexdigest()}\nsize {len(content)}\n"
    )


# ----- files kept in Git LFS -------------------------------------------------------------------------
@pytest.fixture
def in_lfs(banco: Path) -> Path:
    """``main`` holds discover.yaml as a Git LFS pointer (what git stores once the file is kept in
    LFS; git-lfs's smudge filter puts the YAML in the checkout). The branch ``change`` lowers a
    target in the YAML, as the checkout shows it."""
    objective = banco / DISCOVER
    text = objective.read_bytes()
    objective.write_text(lfs_pointer(text), encoding="utf-8")
    commit_at(banco, "2026-09-25", "keep the objective files in Git LFS")
    git(banco, "checkout", "-q", "-b", "change")
    objective.write_bytes(text)
    edit(objective, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower the onboarding target")
    return banco


def test_a_baseline_holding_an_lfs_pointer_stops_the_gate_with_the_fix(cli, in_lfs: Path) -> None:
    """A pointer was parsed as a broken file and skipped: the gate passed a moved target."""
    result = cli("align", "--repo", str(in_lfs), "--today", TODAY, "--baseline", "main", "--strict")
    assert result.exit_code == 2, result.output
    # (after the line that names the baseline, said before it is read)
    said = result.stderr.splitlines()[-1]
    assert f"'main' holds {DISCOVER} as a Git LFS pointer" in said
    assert "keep them out of Git LFS" in said and ".gitattributes" in said
    assert "Traceback" not in result.output


def test_diff_against_a_ref_holding_an_lfs_pointer_stops(cli, in_lfs: Path) -> None:
    """diff said the objective "can be read again"."""
    result = cli("diff", "main", "--repo", str(in_lfs), "--today", TODAY)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and f"'main' holds {DISCOVER} as a Git LFS pointer" in result.stderr
    assert "can be read again" not in result.stdout


def test_history_notes_the_versions_kept_in_lfs(cli, in_lfs: Path) -> None:
    """A version git holds as a pointer is unread, said in the note, never a broken version."""
    result = cli("history", "--repo", str(in_lfs), "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    note = json.loads(result.stdout)["note"]
    assert note is not None and "kept in Git LFS" in note and DISCOVER in note
    assert "keep them out of Git LFS" in note
    text = cli("history", "--repo", str(in_lfs), "--today", TODAY)
    assert "kept in Git LFS" in text.stdout
    assert "in the versions of the objective files that could be read" in text.stdout


def test_a_yaml_file_that_only_mentions_lfs_is_read(cli, banco: Path) -> None:
    """Only a pointer stops: a comment naming the LFS spec is YAML like any other."""
    objective = banco / DISCOVER
    objective.write_text(
        "# version https://git-lfs.github.com/spec/v1\n" + objective.read_text(encoding="utf-8"), encoding="utf-8"
    )
    commit_at(banco, "2026-09-25", "a comment")
    result = cli("diff", "HEAD~1", "--repo", str(banco), "--today", TODAY)
    assert result.exit_code == 0, result.output


def test_a_pointer_in_the_checkout_is_one_finding_that_names_it(cli, banco: Path) -> None:
    """A checkout made without git-lfs holds pointers: one was "not a mapping", and every check-in of
    its team "outside every cycle of its objectives" (the team seemed to own none)."""
    objective = banco / DISCOVER
    objective.write_text(lfs_pointer(objective.read_bytes()), encoding="utf-8")
    result = cli("align", "--repo", str(banco), "--today", TODAY, "--format", "json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    mine = [f for f in findings if f["path"] == DISCOVER]
    assert [(f["code"], f["line"], f["message"]) for f in mine] == [
        ("OKR100", 1, "is a Git LFS pointer, not the YAML it stands for")
    ]
    assert "git lfs pull" in mine[0]["hint"] and ".gitattributes" in mine[0]["hint"]
    assert not [f for f in findings if f["path"].startswith("checkins/discover/")], findings
    shown = cli("status", "--repo", str(banco), "--today", TODAY)
    assert shown.exit_code == 0 and f"(first: {DISCOVER})" in shown.stderr
    # The objective above one it alone served is not "with nothing aligned to it" (OKR202).
    platform = banco / "okrs/2026-Q4/core-platform.yaml"
    platform.write_text(lfs_pointer(platform.read_bytes()), encoding="utf-8")
    result = cli("align", "--repo", str(banco), "--today", TODAY, "--format", "json")
    assert {(f["code"], f["path"]) for f in json.loads(result.stdout)["findings"]} == {
        ("OKR100", DISCOVER),
        ("OKR100", "okrs/2026-Q4/core-platform.yaml"),
    }


# ----- sparse checkouts ------------------------------------------------------------------------------
SPARSE_FIX = "run 'git sparse-checkout disable', or include them ('git sparse-checkout add "


def sparse_clone(source: Path, target: Path, *folders: str) -> Path:
    """A clone of ``source`` whose working tree holds only ``folders`` (and the top's own files)."""
    git(source.parent, "clone", "-q", "--no-checkout", source.as_uri(), str(target))
    git(target, "sparse-checkout", "set", *folders)
    git(target, "checkout", "-q", "main")
    return target


def test_a_sparse_checkout_that_leaves_out_okr_files_stops_every_reading_command(
    cli, banco: Path, tmp_path: Path
) -> None:
    """The files git holds and the checkout leaves out counted as deleted: the gate failed a clean
    tree, diff said every unit was removed, report said the unit was unknown."""
    sparse = sparse_clone(banco, tmp_path / "sparse", "okrs")
    assert not (sparse / "units").exists()
    for command in (
        ["align", "--baseline", "main"],
        ["diff", "main"],
        ["report", "--unit", "cards"],
        ["status"],
        ["checkin", "--team", "discover", "-c", "6"],
    ):
        result = cli(*command, "--repo", str(sparse), "--today", TODAY)
        assert result.exit_code == 2, (command, result.output)
        said = result.stderr.splitlines()[-1]
        assert f"{sparse} is a sparse checkout that leaves out" in said, (command, said)
        assert SPARSE_FIX in said and "units" in said, said
    assert not (sparse / "checkins" / "discover").exists()  # the check-in was not written


def test_diff_of_two_refs_reads_no_working_tree_and_runs_in_a_sparse_checkout(cli, banco: Path, tmp_path: Path) -> None:
    sparse = sparse_clone(banco, tmp_path / "sparse", "okrs")
    result = cli("diff", "main", "main", "--repo", str(sparse), "--today", TODAY)
    assert result.exit_code == 0, result.output


def test_a_sparse_checkout_holding_the_whole_okr_folder_is_read(cli, banco: Path, tmp_path: Path) -> None:
    """A monorepo checked out sparsely with the OKR folder whole is not refused: what is left out
    lies outside okrctl's root, or is no file okrctl reads."""
    top = tmp_path / "mono"
    (top / "service").mkdir(parents=True)
    (top / "service" / "deploy.yaml").write_text("replicas: 3\n", encoding="utf-8")
    banco.rename(top / "org")
    (top / "org" / ".git").rename(tmp_path / "unused-git")  # the monorepo's git, not banco's
    (top / "org" / "notes").mkdir()
    (top / "org" / "notes" / "readme.txt").write_text("not YAML\n", encoding="utf-8")
    git(top, "init", "-q", "-b", "main")
    commit_at(top, "2026-09-20", "monorepo")
    sparse = sparse_clone(top, tmp_path / "sparse", "org/okrs", "org/units", "org/checkins", "org/strategy")
    git(sparse, "sparse-checkout", "add", "org/retros")
    assert not (sparse / "service").exists() and not (sparse / "org" / "notes").exists()
    result = cli("align", "--repo", str(sparse / "org"), "--today", TODAY, "--baseline", "main")
    assert result.exit_code == 0, result.output


def test_a_sparse_checkout_that_leaves_out_okrctl_yaml_says_so_and_init_writes_no_other(
    cli, banco: Path, tmp_path: Path
) -> None:
    """In a non-cone sparse checkout without okrctl.yaml, okrctl said "no okrctl.yaml …; run
    'okrctl init'", and init wrote a new okrctl.yaml over the one git tracks."""
    target = tmp_path / "sparse"
    git(tmp_path, "clone", "-q", "--no-checkout", banco.as_uri(), str(target))
    git(target, "sparse-checkout", "set", "--no-cone", "/units/", "/okrs/", "/checkins/")
    git(target, "checkout", "-q", "main")
    assert not (target / "okrctl.yaml").exists()
    said = f"{target / 'okrctl.yaml'} is left out of this sparse checkout (git tracks it)"
    for command in (["align"], ["status", "--repo", str(target / "units")]):
        result = cli(*command, *([] if "--repo" in command else ["--repo", str(target)]), "--today", TODAY)
        assert result.exit_code == 2, (command, result.output)
        assert said in result.stderr and result.stderr.count("\n") == 1, result.stderr
    made = cli("init", str(target), "--no-commit")
    assert made.exit_code == 2 and said in made.stderr, made.output
    assert not (target / "okrctl.yaml").exists()
    assert git(target, "status", "--porcelain") == ""


def sparse_fix_words(stderr: str) -> list[str]:
    """The words a shell reads in the ``git sparse-checkout add`` a refusal suggests."""
    found = re.search(r"\('(git sparse-checkout add .*)'\)$", stderr.strip())
    assert found is not None, stderr
    return shlex.split(found.group(1))


def test_the_sparse_checkout_add_a_refusal_suggests_quotes_a_folder_with_a_space(
    cli, banco: Path, tmp_path: Path
) -> None:
    """The OKR folder of a monorepo named ``our okrs``: pasted, the suggested ``git sparse-checkout
    add our okrs/units ...`` added a folder ``our`` and one ``okrs/units``, and okrctl refused again.
    Each folder is one shell word; the command as suggested makes the checkout readable."""
    top = tmp_path / "mono"
    top.mkdir()
    banco.rename(top / "our okrs")
    (top / "our okrs" / ".git").rename(tmp_path / "unused-git")  # the monorepo's git, not banco's
    git(top, "init", "-q", "-b", "main")
    commit_at(top, "2026-09-20", "monorepo")
    sparse = sparse_clone(top, tmp_path / "sparse", "our okrs/okrs")
    result = cli("status", "--repo", str(sparse / "our okrs"), "--today", TODAY)
    assert result.exit_code == 2, result.output
    assert "'our okrs/units'" in result.stderr, result.stderr
    words = sparse_fix_words(result.stderr)
    assert words[:3] == ["git", "sparse-checkout", "add"] and "our okrs/units" in words[3:], words
    git(sparse, *words[1:])
    assert cli("status", "--repo", str(sparse / "our okrs"), "--today", TODAY).exit_code == 0
    # okrctl.yaml left out (a checkout that is not in cone mode): its one word, with the leading /.
    git(sparse, "sparse-checkout", "set", "--no-cone", "/our okrs/units/", "/our okrs/okrs/", "/our okrs/checkins/")
    result = cli("status", "--repo", str(sparse / "our okrs"), "--today", TODAY)
    assert result.exit_code == 2, result.output
    assert sparse_fix_words(result.stderr) == ["git", "sparse-checkout", "add", "/our okrs/okrctl.yaml"]


# ----- bare repositories -----------------------------------------------------------------------------
@pytest.fixture
def bare(banco: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "banco.git"
    git(tmp_path, "clone", "-q", "--bare", banco.as_uri(), str(folder))
    return folder


def test_repo_naming_a_bare_repository_says_so_and_how_to_get_a_checkout(cli, bare: Path) -> None:
    """It said "no okrctl.yaml …; run 'okrctl init'", and init then wrote into git's own folder."""
    result = cli("status", "--repo", str(bare), "--today", TODAY)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
    assert f"{bare} is a bare git repository (no working tree)" in result.stderr
    assert "git clone" in result.stderr and "worktree add" in result.stderr
    assert "okrctl init" not in result.stderr


def test_init_refuses_a_bare_repository_and_a_git_directory(cli, bare: Path, banco: Path) -> None:
    before = sorted(p.name for p in bare.iterdir())
    for folder in (bare, bare / "refs" / "new", banco / ".git"):
        result = cli("init", str(folder), "--no-commit")
        assert result.exit_code == 2, (folder, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
    assert sorted(p.name for p in bare.iterdir()) == before
    assert not (bare / "okrctl.yaml").exists() and not (bare / "refs" / "new").exists()
    said = cli("init", str(banco / ".git"), "--no-commit").stderr
    assert f"is the git directory of the working tree {banco}; use {banco}" in said


def test_a_submodules_git_directory_names_its_working_tree_not_a_bare_repository(
    cli, banco: Path, tmp_path: Path
) -> None:
    """``.git/modules/okr`` (and a --separate-git-dir) has a working tree its config names: it was
    called a bare repository, with the advice to clone it."""
    super_ = tmp_path / "super"
    super_.mkdir()
    git(super_, "init", "-q")
    git(super_, "-c", "protocol.file.allow=always", "submodule", "add", "-q", banco.as_uri(), "okr")
    modules = super_ / ".git" / "modules" / "okr"
    work_tree = super_ / "okr"
    for given in (modules, modules / "refs"):
        result = cli("status", "--repo", str(given), "--today", TODAY)
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and "bare" not in result.stderr, result.stderr
        assert result.stderr.endswith(f"the git directory of the working tree {work_tree}; use {work_tree}\n")
    separate = tmp_path / "separate.git"
    tree = tmp_path / "tree"
    git(tmp_path, "clone", "-q", "--separate-git-dir", str(separate), banco.as_uri(), str(tree))
    git(tmp_path, "--git-dir", str(separate), "config", "core.worktree", str(tree))
    said = cli("status", "--repo", str(separate), "--today", TODAY).stderr
    assert said.endswith(f"{separate} is the git directory of the working tree {tree}; use {tree}\n"), said


def test_a_new_orphan_branch_is_said_to_have_no_commit_not_the_whole_repository(cli, banco: Path) -> None:
    """On ``git checkout --orphan x`` in a repository whose main has commits, diff and the gate said
    "this repository has no commit yet"."""
    git(banco, "checkout", "-q", "--orphan", "new-plan")
    said = (
        "the branch 'new-plan' has no commit yet (a new branch of its own, as git checkout --orphan makes): "
        "nothing to compare with; commit first, or name the ref to compare with\n"
    )
    result = cli("diff", "--repo", str(banco), "--today", TODAY)
    assert (result.exit_code, result.stderr) == (2, f"okrctl: {said}")
    gate = cli("align", "--repo", str(banco), "--today", TODAY, "--baseline", "HEAD")
    assert (gate.exit_code, gate.stderr) == (2, f"okrctl: --baseline: {said}")
    assert cli("diff", "main", "--repo", str(banco), "--today", TODAY).exit_code == 0


def test_a_worktree_kept_inside_a_bare_repository_and_a_head_file_are_checkouts(
    cli, bare: Path, tmp_path: Path
) -> None:
    """A linked worktree made inside the bare repository (as its own advice makes one) and a
    repository holding a file named HEAD beside folders named objects and refs were refused as
    bare repositories."""
    git(bare, "worktree", "add", "-q", "wt", "main")
    result = cli("status", "--repo", str(bare / "wt"), "--today", TODAY)
    assert result.exit_code == 0, result.output
    odd = tmp_path / "odd"
    for name in ("objects", "refs", "units"):
        (odd / name).mkdir(parents=True)
    (odd / "HEAD").write_text("x\n", encoding="utf-8")
    git(odd, "init", "-q")
    made = cli("init", str(odd), "--no-commit")
    assert made.exit_code == 0, made.output
    assert (odd / "okrctl.yaml").exists()


# ----- a name that is a branch and a tag -------------------------------------------------------------
def test_a_name_that_is_both_a_branch_and_a_tag_is_refused_with_both_full_names(cli, banco: Path) -> None:
    """git takes the tag and warns; okrctl hid the warning and compared with the tag, silently."""
    git(banco, "tag", "v1")
    git(banco, "checkout", "-q", "-b", "v1")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "the branch v1 moves on")
    for command in (["diff", "v1"], ["align", "--baseline", "v1"]):
        result = cli(*command, "--repo", str(banco), "--today", TODAY)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
        assert "'v1' names both refs/tags/v1 and refs/heads/v1" in result.stderr
        assert "give refs/tags/v1 or refs/heads/v1" in result.stderr
    assert cli("diff", "refs/heads/v1", "--repo", str(banco), "--today", TODAY).exit_code == 0
    assert cli("diff", "refs/tags/v1", "--repo", str(banco), "--today", TODAY).exit_code == 0


# ----- a single-branch clone -------------------------------------------------------------------------
def test_a_remote_branch_a_single_branch_clone_has_not_fetched_is_named_with_the_fetch(
    cli, banco: Path, tmp_path: Path
) -> None:
    """--baseline origin/main said "unknown git ref", where GITHUB_BASE_REF gives the fetch."""
    git(banco, "checkout", "-q", "-b", "pr")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower")
    clone = tmp_path / "single"
    git(tmp_path, "clone", "-q", "--single-branch", "-b", "pr", banco.as_uri(), str(clone))
    for command in (["align", "--baseline", "origin/main"], ["diff", "origin/main"]):
        result = cli(*command, "--repo", str(clone), "--today", TODAY)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
        assert (
            "'origin/main' is not fetched; fetch it ('git fetch origin main:refs/remotes/origin/main'" in result.stderr
        )
    unknown = cli("diff", "nowhere/main", "--repo", str(clone), "--today", TODAY)
    assert unknown.exit_code == 2 and "unknown git ref 'nowhere/main'" in unknown.stderr
    # A commit before the fetched branch's first is no branch to fetch: git could not (invalid refspec).
    before = cli("diff", "origin/pr~50", "--repo", str(clone), "--today", TODAY)
    assert before.exit_code == 2 and "unknown git ref 'origin/pr~50'" in before.stderr, before.stderr
    # A remote whose name holds a slash: only its first part was tried as a remote.
    git(clone, "remote", "add", "team/upstream", banco.as_uri())
    git(clone, "fetch", "-q", "team/upstream", "pr")
    result = cli("align", "--baseline", "team/upstream/main", "--repo", str(clone), "--today", TODAY)
    assert result.exit_code == 2, result.output
    said = (
        "'team/upstream/main' is not fetched; fetch it ('git fetch team/upstream main:refs/remotes/team/upstream/main'"
    )
    assert said in result.stderr
    # The advice works: a plain 'git fetch team/upstream main' of a single-branch clone made no ref.
    git(clone, "fetch", "-q", "team/upstream", "main:refs/remotes/team/upstream/main")
    result = cli("align", "--baseline", "team/upstream/main", "--repo", str(clone), "--today", TODAY)
    assert result.exit_code in (0, 1), result.output


def test_a_shallow_single_branch_clone_is_told_the_fetch_that_makes_the_base(
    cli, banco: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """actions/checkout's default for a pull request: one commit of the branch alone. The advice was
    'git fetch --unshallow', after which origin/main was still unknown (only the fetched branch comes)."""
    git(banco, "checkout", "-q", "-b", "pr")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", "-b", "pr", banco.as_uri(), str(clone))
    said = "fetch it with the history ('git fetch --unshallow origin main:refs/remotes/origin/main'"
    for command in (["align", "--baseline", "origin/main"], ["diff", "origin/main"]):
        result = cli(*command, "--repo", str(clone), "--today", TODAY)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
        assert said in result.stderr, result.stderr
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    result = cli("align", "--repo", str(clone), "--today", TODAY)
    assert result.exit_code == 2 and said in result.stderr, result.stderr
    monkeypatch.delenv("GITHUB_BASE_REF")
    # The advice works, where 'git fetch --unshallow' alone left origin/main unknown.
    git(clone, "fetch", "-q", "--unshallow", "origin", "main:refs/remotes/origin/main")
    result = cli("diff", "origin/main", "--repo", str(clone), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "85" in result.stdout


def test_the_fetch_given_for_a_branch_named_with_shell_characters_works_in_a_shell(
    cli, banco: Path, tmp_path: Path
) -> None:
    """git allows "rel(2026)" as a branch name; the fetch was given unquoted, and a shell stopped
    at the parenthesis ("syntax error near unexpected token")."""
    import subprocess

    git(banco, "branch", "rel(2026)")
    git(banco, "checkout", "-q", "-b", "pr")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower")
    clone = tmp_path / "single"
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", "-b", "pr", banco.as_uri(), str(clone))
    result = cli("diff", "origin/rel(2026)", "--repo", str(clone), "--today", TODAY)
    assert result.exit_code == 2, result.output
    fetch = "git fetch --unshallow origin 'rel(2026):refs/remotes/origin/rel(2026)'"
    assert f"('{fetch}', or fetch-depth: 0" in result.stderr, result.stderr
    subprocess.run(["sh", "-c", fetch], cwd=clone, check=True, capture_output=True)
    assert cli("diff", "origin/rel(2026)", "--repo", str(clone), "--today", TODAY).exit_code == 0


def test_a_name_both_a_branch_and_a_tag_is_refused_whatever_the_configuration_says_of_warnings(
    cli, banco: Path
) -> None:
    """With core.warnAmbiguousRefs=false git says nothing, and okrctl compared with the tag."""
    git(banco, "tag", "v1")
    git(banco, "checkout", "-q", "-b", "v1")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "the branch v1 moves on")
    git(banco, "config", "core.warnAmbiguousRefs", "false")
    result = cli("diff", "v1", "--repo", str(banco), "--today", TODAY)
    assert result.exit_code == 2, result.output
    assert "'v1' names both refs/tags/v1 and refs/heads/v1" in result.stderr
