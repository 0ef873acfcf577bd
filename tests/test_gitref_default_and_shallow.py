"""Refs a reviewer found misnamed: a default branch whose name is also a tag, and a ref a shallow
clone lacks (a branch not fetched, or a typo). Each on real git repositories built here; okrctl
stops with one line that names the fix, and the fix it names works."""

from __future__ import annotations

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


# ----- the default branch of `okrctl diff` ----------------------------------------------------------
def test_a_default_branch_that_is_also_a_tag_is_refused_not_passed_over_for_another(cli, banco: Path) -> None:
    """A tag 'main' made the branch 'main' count as absent: diff said there was no default branch,
    and with an old 'master' beside it compared with that one and missed the change."""
    git(banco, "tag", "main")
    git(banco, "checkout", "-q", "-b", "raise")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 95")
    commit_at(banco, "2026-11-18", "raise the onboarding target")
    said = "'main' names both refs/tags/main and refs/heads/main; okrctl does not guess which"
    for extra in ([], ["master"]):
        if extra:
            git(banco, "branch", "master", "raise")  # an old branch that holds the change already
        result = cli("diff", "--repo", str(banco), "--today", TODAY)
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1, result.stderr
        assert said in result.stderr and "give refs/tags/main or refs/heads/main" in result.stderr, result.stderr
        assert "No OKR changes" not in result.stdout and "master" not in result.output
    # The name it gives works; without the tag, main is the default branch again.
    assert cli("diff", "refs/heads/main", "--repo", str(banco), "--today", TODAY).exit_code == 0
    git(banco, "tag", "-d", "main")
    result = cli("diff", "--repo", str(banco), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "merge base of HEAD and main" in result.stdout and "95" in result.stdout


# ----- a ref a shallow clone lacks ----------------------------------------------------------------
@pytest.fixture
def pull_request(banco: Path, tmp_path: Path) -> Path:
    """What actions/checkout makes of a pull request: one commit fetched into a ref of its own,
    detached, no local branch and no remote branch at all."""
    git(banco, "checkout", "-q", "-b", "feat")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower the onboarding target")
    clone = tmp_path / "pr"
    clone.mkdir()
    git(clone, "init", "-q")
    git(clone, "remote", "add", "origin", banco.as_uri())
    git(clone, "fetch", "-q", "--depth", "1", "origin", "+refs/heads/feat:refs/remotes/pull/1/merge")
    git(clone, "checkout", "-q", "--detach", "refs/remotes/pull/1/merge")
    return clone


def test_a_branch_a_shallow_pull_request_checkout_lacks_is_named_with_the_fetch_that_brings_it(
    cli, pull_request: Path
) -> None:
    """It said "fetch the history first (git fetch --unshallow …)", after which 'main' was still
    unknown: unshallowing brings no local branch. Whether the remote has the branch is not known
    without asking it, so both possibilities are said, on one line."""
    fetch = "git fetch --unshallow origin main:refs/remotes/origin/main"
    for command in (["align", "--baseline", "main"], ["diff", "main"]):
        result = cli(*command, "--repo", str(pull_request), "--today", TODAY)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
        assert "'main' is not in this shallow clone: if origin has a branch 'main'" in result.stderr
        assert f"('{fetch}', or fetch-depth: 0 in actions/checkout) and give origin/main" in result.stderr
        assert "else it is an unknown git ref" in result.stderr
    # The fetch it names works, and so does the ref it says to give then.
    git(pull_request, *fetch.split()[1:])
    result = cli("align", "--baseline", "origin/main", "--repo", str(pull_request), "--today", TODAY)
    assert result.exit_code in (0, 1), result.output
    assert "baseline origin/main" in result.stderr
    result = cli("diff", "origin/main", "--repo", str(pull_request), "--today", TODAY)
    assert result.exit_code == 0 and "85" in result.stdout, result.output


def test_a_typo_in_a_shallow_clone_is_an_unknown_ref_with_the_name_meant(cli, pull_request: Path) -> None:
    """A typo was blamed on shallowness alone; after the fetch it named, 'mian' was as unknown as
    before. A name close to one the clone holds is offered, in a shallow clone as in a full one."""
    typo = cli("diff", "mian", "--repo", str(pull_request), "--today", TODAY)
    assert typo.exit_code == 2 and typo.stderr.count("\n") == 1, typo.output
    assert "else it is an unknown git ref (a typo?)" in typo.stderr
    git(pull_request, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    typo = cli("diff", "mian", "--repo", str(pull_request), "--today", TODAY)
    assert typo.exit_code == 2 and typo.stderr.count("\n") == 1, typo.output
    assert "else it is an unknown git ref (did you mean 'origin/main'?)" in typo.stderr
    git(pull_request, "fetch", "-q", "--unshallow", "origin", "main:refs/remotes/origin/main")
    full = cli("diff", "mian", "--repo", str(pull_request), "--today", TODAY)
    assert full.exit_code == 2 and full.stderr.count("\n") == 1, full.output
    assert "unknown git ref 'mian' (did you mean 'origin/main'?); give a branch, tag or commit" in full.stderr
    assert "shallow" not in full.stderr


def test_history_a_shallow_clone_lacks_is_still_the_history_to_fetch(cli, pull_request: Path) -> None:
    """A revision before the clone's first commit is in the history: no branch to fetch. (An abbreviated
    hash may be a branch's name too: both are said, below.)"""
    for ref in ("HEAD~1", "HEAD^^"):
        result = cli("diff", ref, "--repo", str(pull_request), "--today", TODAY)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
        assert f"'{ref}' is not in this shallow clone; fetch the history first (git fetch --unshallow" in result.stderr


def test_the_base_commits_full_hash_a_shallow_clone_lacks_is_history_to_fetch_not_damage(
    cli, banco: Path, pull_request: Path
) -> None:
    """``okrctl diff ${{ github.event.pull_request.base.sha }}`` in a depth-1 checkout: git takes a
    full hash as itself, fetched or not, and the commit was called a missing object of a damaged
    repository ("git fsck"). It is history the clone has not fetched."""
    base = git(banco, "rev-parse", "main").strip()
    for command in (["align", "--baseline", base], ["diff", base]):
        result = cli(*command, "--repo", str(pull_request), "--today", TODAY)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
        assert f"'{base}' is not in this shallow clone; fetch the history first (git fetch --unshallow" in result.stderr
        assert "damaged" not in result.stderr and "fsck" not in result.stderr


def test_the_base_commits_full_hash_a_single_branch_clone_never_fetched_is_a_fetch_not_damage(
    cli, banco: Path, tmp_path: Path
) -> None:
    """A full clone of the pull request's branch alone (``--single-branch``, as Bitbucket and Jenkins
    clone) given the base's hash: it was called a missing object of a damaged repository, with
    'git fetch --refetch origin' and 'git fsck' as the fix, neither of which brings the commit. The
    line names the fetch that does, and after it the hash is the base."""
    git(banco, "checkout", "-q", "-b", "feature")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower the onboarding target")
    git(banco, "checkout", "-q", "main")
    edit(banco / "okrctl.yaml", r"\Z", "# main moves on\n")
    base = commit_at(banco, "2026-11-19", "main moves on")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--single-branch", "-b", "feature", banco.as_uri(), str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "false"
    fetch = f"git fetch origin {base}"
    for command in (["align", "--baseline", base], ["diff", base]):
        result = cli(*command, "--repo", str(clone), "--today", TODAY)
        assert result.exit_code == 2 and result.stdout == "", (command, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
        assert f"'{base}' is not in this clone (it has fetched no branch that holds it)" in result.stderr
        assert f"('{fetch}') or its branch, or every branch (fetch-depth: 0 in actions/checkout)" in result.stderr
        assert "damaged" not in result.stderr and "fsck" not in result.stderr and "refetch" not in result.stderr
    # The fetch it names works.
    git(clone, *fetch.split()[1:])
    result = cli("align", "--baseline", base, "--repo", str(clone), "--today", TODAY)
    assert result.exit_code in (0, 1) and f"baseline {base}" in result.stderr, result.output
    result = cli("diff", base, "--repo", str(clone), "--today", TODAY)
    assert result.exit_code == 0 and "85" in result.stdout, result.output


@pytest.mark.parametrize("route", ["branch", "commit"])
def test_a_hexadecimal_name_a_shallow_clone_lacks_is_said_as_a_branch_and_as_a_commit(
    cli, banco: Path, pull_request: Path, route: str
) -> None:
    """A branch named '2026' (or 'cafe') was taken for a commit's hash: "fetch the history first (git
    fetch --unshallow …)", after which '2026' was an unknown git ref. Only the remote could tell a
    branch from an abbreviated hash, so both fetches are said, on one line, and each one works."""
    git(banco, "branch", "2026", "main")
    first = git(banco, "rev-parse", "main").strip()[:8]
    for ref in ("2026", "cafe", first):
        result = cli("diff", ref, "--repo", str(pull_request), "--today", TODAY)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
        assert (
            f"'{ref}' is not in this shallow clone: if origin has a branch '{ref}', fetch it with the history "
            f"('git fetch --unshallow origin {ref}:refs/remotes/origin/{ref}', or fetch-depth: 0 in actions/checkout) "
            f"and give origin/{ref}; if it is a commit's hash, fetch the history first (git fetch --unshallow)"
        ) in result.stderr, result.stderr
    if route == "branch":
        git(pull_request, "fetch", "-q", "--unshallow", "origin", "2026:refs/remotes/origin/2026")
        result = cli("diff", "origin/2026", "--repo", str(pull_request), "--today", TODAY)
    else:
        git(pull_request, "fetch", "-q", "--unshallow")
        result = cli("diff", first, "--repo", str(pull_request), "--today", TODAY)
    assert result.exit_code == 0 and "85" in result.stdout, result.output


# ----- a revision a name does not have, in a full clone ----------------------------------------------
def test_a_revision_past_an_existing_name_is_said_so_not_offered_another_name(cli, banco: Path) -> None:
    """'main~5' of a two-commit main said "unknown git ref 'main~5' (did you mean 'main'?)": the name
    was right, the revision was what is missing. A close name is offered only for a name not here."""
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower the onboarding target")
    git(banco, "branch", "other")
    said = {
        "main~5": "'main' has no commit so far back (its history is 2 commits: 'git log --oneline main' lists them)",
        "other^^^^": "'other' has no commit so far back (its history is 2 commits: 'git log --oneline other' lists",
        "main@{5}": "'main' has no such reflog entry ('git reflog main' lists them)",
        "main^2": "'main' has no such parent (^2 and on name a merge's other parents",
    }
    for ref, words in said.items():
        result = cli("diff", ref, "--repo", str(banco), "--today", TODAY)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (ref, result.output)
        assert f"unknown git ref '{ref}': {words}" in result.stderr, result.stderr
        assert "did you mean" not in result.stderr, result.stderr
    # A name that is not here is still offered the close one, with the revision asked of it.
    typo = cli("diff", "mian~1", "--repo", str(banco), "--today", TODAY)
    assert typo.exit_code == 2 and typo.stderr.count("\n") == 1, typo.output
    assert "unknown git ref 'mian~1' (did you mean 'main~1'?); give a branch, tag or commit" in typo.stderr
    result = cli("diff", "main~1", "--repo", str(banco), "--today", TODAY)
    assert result.exit_code == 0 and "85" in result.stdout, result.output


# ----- a remote's branch with a revision, in a clone of one branch ----------------------------------
@pytest.mark.parametrize("clone_options", [["--depth", "1"], ["--single-branch"]], ids=["shallow", "single-branch"])
def test_a_remote_branch_with_a_revision_gets_the_fetch_of_that_branch(
    cli, banco: Path, tmp_path: Path, clone_options: list[str]
) -> None:
    """'origin/main~1' in a clone of the branch 'feature' alone was told to fetch the remote's branch
    'origin/main' into origin/origin/main and give origin/origin/main~1: git has no remote ref
    origin/main, so the fetch failed. The fetch is the one 'origin/main' gets (the remote's name is
    no part of the branch), and then the ref as typed works."""
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower the onboarding target")
    git(banco, "branch", "feature")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", *clone_options, "-b", "feature", banco.as_uri(), str(clone))
    shallow = "--depth" in clone_options
    fetch = f"git fetch {'--unshallow ' if shallow else ''}origin main:refs/remotes/origin/main"
    said = (
        "is not in this shallow clone; fetch 'origin/main' with the history"
        if shallow
        else "is not fetched; fetch 'origin/main'"
    )
    for command in (["align", "--baseline", "origin/main~1"], ["diff", "origin/main~1"]):
        result = cli(*command, "--repo", str(clone), "--today", TODAY)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (command, result.output)
        assert f"'origin/main~1' {said} ('{fetch}', or fetch-depth: 0 in actions/checkout)" in result.stderr, (
            result.stderr
        )
        assert "origin/origin" not in result.stderr
    # The fetch it names works, and the ref as typed is then the base.
    git(clone, *fetch.split()[1:])
    result = cli("diff", "origin/main~1", "--repo", str(clone), "--today", TODAY)
    assert result.exit_code == 0 and "85" in result.stdout, result.output


# ----- a range where one ref is taken ---------------------------------------------------------------
def test_a_range_given_to_baseline_is_said_to_be_one_ref_too_many(cli, banco: Path) -> None:
    """'align --baseline main..other' said "unknown git ref 'main..other' (did you mean 'other'?)",
    both branches existing. --baseline takes the base alone: HEAD is always the other side, judged from
    where it forked from the base (a merge base already, as '...' asks)."""
    git(banco, "checkout", "-q", "-b", "other")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower the onboarding target")
    git(banco, "checkout", "-q", "main")
    for ref in ("main..other", "main...other"):
        result = cli("align", "--baseline", ref, "--repo", str(banco), "--today", TODAY)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (ref, result.output)
        assert (
            f"--baseline: '{ref}' is a range, not one ref: give main (the base); HEAD is the other side, judged "
            "from where it forked from main (to judge other, check it out first: git checkout other)"
        ) in result.stderr, result.stderr
        assert "unknown git ref" not in result.stderr and "did you mean" not in result.stderr
    # With the other side checked out already, giving the base is all.
    git(banco, "checkout", "-q", "other")
    result = cli("align", "--baseline", "main..other", "--repo", str(banco), "--today", TODAY)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert "give main (the base); HEAD is the other side, judged from where it forked from main\n" in result.stderr
    # What it says to give works.
    result = cli("align", "--baseline", "main", "--repo", str(banco), "--today", TODAY)
    assert result.exit_code in (0, 1), result.output
    assert "baseline main" in result.stderr


def test_diff_takes_one_range_or_two_refs(cli, banco: Path) -> None:
    """diff takes a range (docs/diff.md): a second range, as HEAD or inside the first, is said so,
    not taken for an unknown ref."""
    git(banco, "branch", "other")
    said = {
        ("main", "other..main"): "give either two refs or the range 'other..main', not both",
        ("main..other..main",): "'main..other..main' holds more than one range; give one (A..B or A...B) or two refs",
        ("main..other...main",): "'main..other...main' holds more than one range",
    }
    for refs, words in said.items():
        result = cli("diff", *refs, "--repo", str(banco), "--today", TODAY)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (refs, result.output)
        assert words in result.stderr and "unknown git ref" not in result.stderr, result.stderr
    for ref in ("main..other", "main...other"):
        assert cli("diff", ref, "--repo", str(banco), "--today", TODAY).exit_code == 0


# ----- a full ref name in a clone of one branch -------------------------------------------------------
def test_a_full_ref_name_a_shallow_clone_lacks_gets_the_fetch_of_its_branch(cli, banco: Path, tmp_path: Path) -> None:
    """'refs/remotes/origin/other~1' in a depth-1 clone of main was told to fetch the remote's branch
    'refs/remotes/origin/other' into refs/remotes/origin/refs/remotes/origin/other and give
    origin/refs/remotes/origin/other~1 (the fetch fails: the remote has no such branch); so were
    'remotes/origin/other' and 'refs/heads/other'. The prefix is no part of the branch fetched."""
    git(banco, "checkout", "-q", "-b", "other")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower the onboarding target")
    git(banco, "checkout", "-q", "main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", banco.as_uri(), str(clone))
    fetch = "git fetch --unshallow origin other:refs/remotes/origin/other"
    tracking = f"fetch 'origin/other' with the history ('{fetch}', or fetch-depth: 0 in actions/checkout)"
    said = {
        "refs/remotes/origin/other~1": tracking,
        "refs/remotes/origin/other": tracking,
        "remotes/origin/other": tracking,
        "refs/heads/other": (
            f"if origin has a branch 'other', fetch it with the history ('{fetch}', or fetch-depth: 0 in "
            "actions/checkout) and give origin/other;"
        ),
    }
    for ref, words in said.items():
        for command in (["align", "--baseline", ref], ["diff", ref]):
            result = cli(*command, "--repo", str(clone), "--today", TODAY)
            assert result.exit_code == 2 and result.stderr.count("\n") == 1, (command, result.output)
            assert f"'{ref}' is not in this shallow clone" in result.stderr and words in result.stderr, result.stderr
            assert "origin/refs/" not in result.stderr, result.stderr
    # The fetch it names works, and then the refs as typed (or origin/other for refs/heads/other) do.
    git(clone, *fetch.split()[1:])
    result = cli("diff", "refs/remotes/origin/other~1", "remotes/origin/other", "--repo", str(clone), "--today", TODAY)
    assert result.exit_code == 0 and "85" in result.stdout, result.output
    result = cli("align", "--baseline", "refs/remotes/origin/other~1", "--repo", str(clone), "--today", TODAY)
    assert result.exit_code in (0, 1), result.output
    assert "baseline refs/remotes/origin/other~1" in result.stderr
    result = cli("diff", "origin/other", "--repo", str(clone), "--today", TODAY)
    assert result.exit_code == 0 and "85" in result.stdout, result.output


# ----- two dots that are no range ---------------------------------------------------------------------
def test_two_dots_in_a_commit_message_search_are_no_range(cli, banco: Path) -> None:
    """'HEAD^{/see a..b}' (the commit whose message matches 'see a..b') said "unknown git ref 'b}'":
    diff split it at its '..' as a range, and ':/see a..b' likewise. git reads each as one ref; a '..'
    outside the braces is still a range ('HEAD@{1}..HEAD' too, a reflog entry on one side)."""
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-11-18", "lower the onboarding target, see a..b")
    edit(banco / DISCOVER, r"^    target: 85$", "    target: 80")
    commit_at(banco, "2026-11-19", "lower it again")
    for refs in (["HEAD^{/see a..b}"], [":/see a..b"], ["HEAD^{/see a..b}..HEAD"], ["HEAD@{1}..HEAD"]):
        result = cli("diff", *refs, "--repo", str(banco), "--today", TODAY)
        assert result.exit_code == 0, (refs, result.output)
        assert "85" in result.stdout and "80" in result.stdout, (refs, result.stdout)
    for ref in ("HEAD^{/see a..b}", ":/see a..b"):
        result = cli("align", "--baseline", ref, "--repo", str(banco), "--today", TODAY)
        assert result.exit_code in (0, 1), (ref, result.output)
        assert f"baseline {ref}" in result.stderr, result.stderr
    # A second range after the first is still said so, braces or not.
    result = cli("diff", "HEAD@{1}..HEAD..main", "--repo", str(banco), "--today", TODAY)
    assert result.exit_code == 2 and "holds more than one range" in result.stderr, result.output
