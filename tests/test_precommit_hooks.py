"""The published pre-commit hooks, run by the real pre-commit framework (``pre-commit try-repo``).

``okrctl-align`` passes the committed file names: a valid check-in goes through although another
team's file is broken; a bad check-in is blocked. ``okrctl-align-all`` judges the whole repository.
pre-commit builds the hook's environment from this checkout once per test session (network for the
dependencies; slow).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_align import EXAMPLES, PROJECT

pytestmark = pytest.mark.slow

CHECKIN = """\
apiVersion: okrctl/v1
kind: CheckIn
owner: cards
date: 2026-11-27
confidence: {confidence}
results:
  card-activation-7d: 58
"""


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pre_commit")
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's files (as they are on disk) committed in a repository of their own, so that
    pre-commit builds the hook environment once for every test of the module."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    target = tmp_path_factory.mktemp("okrctl-hooks")
    for raw in listed:
        rel = os.fsdecode(raw)
        source = PROJECT / rel
        if rel and source.is_file() and not source.is_symlink():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / rel)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    ident = ["-c", "user.name=Ana Example", "-c", "user.email=ana@example.com", "-c", "commit.gpgsign=false"]
    git(target, *ident, "commit", "-q", "--no-verify", "-m", "okrctl")
    return target, git(target, "rev-parse", "HEAD").strip()


@pytest.fixture
def okr_repo(tmp_path: Path, git_repo: object) -> Path:
    """banco in git, with another team's unit broken (committed without the hook)."""
    root = tmp_path / "okrs"
    shutil.copytree(EXAMPLES / "banco", root)
    git_repo(root)  # type: ignore[operator]
    unit = root / "units" / "small-business-app.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("kind: Unit", "kind: Unti"), encoding="utf-8")
    git(root, "commit", "-q", "--no-verify", "-am", "a broken unit")
    return root


def _try_repo(
    root: Path, home: Path, hooks: tuple[Path, str], hook: str, pull_request: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "OKRCTL_TODAY": "2026-11-27",
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
    }
    env.pop("GITHUB_ACTIONS", None)
    env.pop("GITHUB_BASE_REF", None)
    if pull_request:  # a GitHub job of a pull request (pre-commit/action), whose base is main
        env.update({"GITHUB_ACTIONS": "true", "GITHUB_BASE_REF": "main"})
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks[0]), *([hook] if hook else []), "--ref", hooks[1]]
        + ["--color", "never"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _stage_checkin(root: Path, confidence: int) -> None:
    path = root / "checkins" / "cards" / "2026-11-27.yaml"
    path.write_text(CHECKIN.format(confidence=confidence), encoding="utf-8")
    git(root, "add", str(path))


def _status(output: str, name: str) -> str:
    """ "Passed" or "Failed" of the hook named ``name`` in pre-commit's report."""
    for line in output.splitlines():
        if line.startswith(name + "."):
            return line.rsplit(".", 1)[-1].strip()
    raise AssertionError(f"hook {name!r} not in the output:\n{output}")


@pytest.mark.slow
def test_a_valid_checkin_passes_while_another_file_has_an_error(
    okr_repo: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    _stage_checkin(okr_repo, 7)
    # Both hooks at once: the per-file hook lets the check-in through, the whole-repository one does not.
    result = _try_repo(okr_repo, pre_commit_home, hook_repo, "")
    assert _status(result.stdout, "okrctl align") == "Passed", result.stdout
    assert _status(result.stdout, "okrctl align (whole repository)") == "Failed"
    assert "units/small-business-app.yaml:3:7: OKR103 error unknown kind 'Unti'" in result.stdout
    assert result.stdout.count("OKR") == 1  # the broken unit, reported by the whole-repository hook only


@pytest.mark.slow
def test_the_hooks_judge_the_files_in_a_pull_request_job_as_anywhere(
    okr_repo: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    """A pull request's GitHub job sets GITHUB_BASE_REF: the hooks took it for the pull request's
    base and stopped with exit 2 ('origin/main' is not fetched) in a checkout without it, or let the
    findings already on the base through where it was."""
    _stage_checkin(okr_repo, 7)
    result = _try_repo(okr_repo, pre_commit_home, hook_repo, "", pull_request=True)
    assert "GITHUB_BASE_REF" not in result.stdout, result.stdout
    assert _status(result.stdout, "okrctl align") == "Passed", result.stdout
    assert _status(result.stdout, "okrctl align (whole repository)") == "Failed"
    # (as a GitHub annotation: the format of a GitHub job)
    assert "file=units/small-business-app.yaml,line=3,col=7" in result.stdout, result.stdout
    assert "OKR103" in result.stdout and "unknown kind 'Unti'" in result.stdout


@pytest.mark.slow
def test_a_bad_checkin_is_blocked_with_its_own_finding(
    okr_repo: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    _stage_checkin(okr_repo, 17)
    result = _try_repo(okr_repo, pre_commit_home, hook_repo, "okrctl-align")
    assert result.returncode == 1
    assert _status(result.stdout, "okrctl align") == "Failed"
    assert "checkins/cards/2026-11-27.yaml:5:13: OKR504 error confidence 17 is outside the scale" in result.stdout
    assert "units/small-business-app.yaml" not in result.stdout


@pytest.mark.slow
def test_a_commit_that_only_deletes_a_file_is_judged_by_the_whole_repository_hook(
    tmp_path: Path, git_repo: object, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    """pre-commit passes no deleted file to a hook, so a hook that waits for a YAML file never ran on
    a commit that only removes one; the removal of a unit still breaks every reference to it."""
    root = tmp_path / "okrs"
    shutil.copytree(EXAMPLES / "banco", root)
    git_repo(root)  # type: ignore[operator]
    git(root, "rm", "-q", "units/discover.yaml")
    result = _try_repo(root, pre_commit_home, hook_repo, "okrctl-align-all")
    assert result.returncode == 1, result.stdout
    assert _status(result.stdout, "okrctl align (whole repository)") == "Failed"
    assert "OKR104 error owner 'discover' is not a unit" in result.stdout


@pytest.mark.slow
def test_a_file_whose_name_starts_with_a_dash_is_a_file_to_the_hook(
    okr_repo: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    """pre-commit adds the names after the hook's arguments: ``-legal.yaml`` was read as options
    (``No such option: -l``, exit 2)."""
    unit = okr_repo / "-legal.yaml"
    unit.write_text("apiVersion: okrctl/v1\nkind: Unit\nid: legal\nname: Legal\nparent: banco\n", encoding="utf-8")
    git(okr_repo, "add", "--", str(unit))
    result = _try_repo(okr_repo, pre_commit_home, hook_repo, "okrctl-align")
    assert _status(result.stdout, "okrctl align") == "Passed", result.stdout
    assert "No such option" not in result.stdout
    unit.write_text("apiVersion: okrctl/v1\nkind: Unit\nid: legal\nname: Legal\nparent: nobody\n", encoding="utf-8")
    git(okr_repo, "add", "--", str(unit))
    result = _try_repo(okr_repo, pre_commit_home, hook_repo, "okrctl-align")
    assert _status(result.stdout, "okrctl align") == "Failed"
    assert "-legal.yaml:5:9: OKR104" in result.stdout, result.stdout


@pytest.mark.slow
def test_a_committed_link_to_a_yaml_file_is_judged_by_the_hook(
    okr_repo: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    """pre-commit gives a hook regular files only unless it asks for links: a link to a second copy
    of an objective, or out of the repository, was committed unchecked ("no files to check")."""
    (okr_repo / "okrs" / "2026-Q4" / "cards-copy.yaml").symlink_to("cards.yaml")
    git(okr_repo, "add", "--", "okrs/2026-Q4/cards-copy.yaml")
    result = _try_repo(okr_repo, pre_commit_home, hook_repo, "okrctl-align")
    assert result.returncode == 1, result.stdout
    assert _status(result.stdout, "okrctl align") == "Failed"
    assert "okrs/2026-Q4/cards-copy.yaml" in result.stdout and "OKR102" in result.stdout, result.stdout


@pytest.mark.slow
def test_a_commit_of_the_config_alone_is_judged_on_the_whole_repository(
    tmp_path: Path, git_repo: object, pre_commit_home: Path, hook_repo: tuple[Path, str]
) -> None:
    """The hook passed ``okrctl.yaml`` alone and reported only findings in it: a commit that lowers
    ``objectives_per_team`` went through while every team it put over the limit failed ``align``."""
    root = tmp_path / "okrs"
    shutil.copytree(EXAMPLES / "banco", root)
    git_repo(root)  # type: ignore[operator]
    config = root / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "limits: {objectives_per_team: 1}\nrules: {severity: {OKR301: error}}\n",
        encoding="utf-8",
    )
    git(root, "add", "okrctl.yaml")
    result = _try_repo(root, pre_commit_home, hook_repo, "okrctl-align")
    assert result.returncode == 1, result.stdout
    assert _status(result.stdout, "okrctl align") == "Failed"
    assert "okrs/2026-Q4/digital-services.yaml:46:5: OKR301 error 'digital-services' has 3 objectives" in result.stdout
    assert "okrctl: okrctl.yaml is among the paths: its settings reach every file" in result.stdout, result.stdout
