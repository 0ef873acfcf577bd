"""The GitHub Action: action.yml checked against GitHub's schema, and its script run the way the
runner runs it (environment variables in, workflow commands, step outputs and job summary out)
against temporary git repositories made from ``examples/banco``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from okrctl.load.yamlparse import parse_text
from tests.conftest import DEMO_DAY, ROOT, git
from tests.helpers_git import commit_at, hermetic_git

ACTION = ROOT / "action.yml"
SCRIPT = ROOT / "ci" / "github" / "action.py"
CARDS = "okrs/2026-Q4/cards.yaml"
DISCOVER = "okrs/2026-Q4/discover.yaml"
OKR_FOLDER = ("checkins", "okrctl.yaml", "okrs", "retros", "strategy", "units")  # examples/banco


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    """The real checker, with the schema it ships (no network)."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True)


def test_action_yml_passes_githubs_action_schema() -> None:
    result = check_jsonschema("vendor.github-actions", ACTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_checker_rejects_a_broken_action(tmp_path: Path) -> None:
    # A composite `run` step without `shell` is what GitHub refuses at start: the checker must too.
    broken = tmp_path / "action.yml"
    broken.write_text(re.sub(r"\n      shell: bash", "", ACTION.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    assert check_jsonschema("vendor.github-actions", broken).returncode == 1


def _action() -> dict:
    return parse_text(ACTION.read_text(encoding="utf-8"))[0].data


def test_every_input_reaches_the_script_and_every_output_is_written() -> None:
    action = _action()
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "align")
    for name in action["inputs"]:
        if name == "python-version":
            continue
        variable = "OKRCTL_ACTION_" + name.upper().replace("-", "_")
        assert step["env"][variable] == "${{ inputs.%s }}" % name  # noqa: UP031 (braces of the expression)
        assert f'"{name}"' in SCRIPT.read_text(encoding="utf-8"), f"action.py does not read input {name}"
    for name, output in action["outputs"].items():
        assert output["value"] == "${{ steps.align.outputs.%s }}" % name  # noqa: UP031
        assert f"{name}=" in SCRIPT.read_text(encoding="utf-8")
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert '"$GITHUB_ACTION_PATH"' in install["run"]  # okrctl comes from the action's own checkout


# ----- the script, on real repositories ------------------------------------------------------------
def _break(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def pull_request(copy_example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A checkout of a pull request: main has one broken alignment (discover), the branch adds another (cards)."""
    hermetic_git(monkeypatch, tmp_path)
    repo = copy_example("banco")
    git(repo, "init", "-q", "-b", "main")
    _break(repo, DISCOVER, "{to: digital-first-week, type: directional}", "{to: digital-first-weak, type: directional}")
    commit_at(repo, "2026-11-19", "main: an existing mistake")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # what actions/checkout fetches
    git(repo, "checkout", "-q", "-b", "feature")
    _break(repo, CARDS, "to: digital-first-week/nps,", "to: digital-first-week/npz,")
    commit_at(repo, "2026-11-19", "feature: a new mistake")
    return repo


def _env(repo: Path, tmp_path: Path, base_ref: str | None, inputs: dict[str, str]) -> dict[str, str]:
    """What the runner gives the step: GITHUB_* files and, in a pull request, GITHUB_BASE_REF."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PYTHONPATH": str(ROOT),
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(tmp_path / "github-output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
        "OKRCTL_TODAY": DEMO_DAY,
        "OKRCTL_NO_CACHE": "1",
        "NO_COLOR": "1",
        "OKRCTL_ACTION_REPO": str(repo),
        **{"OKRCTL_ACTION_" + k.upper().replace("-", "_"): v for k, v in inputs.items()},
    }
    if base_ref is not None:
        env["GITHUB_BASE_REF"] = base_ref
    return env


def run_action(
    repo: Path, tmp_path: Path, base_ref: str | None = None, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    env = _env(repo, tmp_path, base_ref, inputs)
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, cwd=tmp_path)
    output, summary = Path(env["GITHUB_OUTPUT"]), Path(env["GITHUB_STEP_SUMMARY"])
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()) if output.exists() else {}
    return result, outputs, summary.read_text(encoding="utf-8") if summary.exists() else ""


def okrctl(repo: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """okrctl itself, in the same environment as the action (to compare what the action appended)."""
    env = _env(repo, tmp_path, None, {})
    del env["GITHUB_STEP_SUMMARY"]
    return subprocess.run([sys.executable, "-m", "okrctl", *args], capture_output=True, text=True, env=env, cwd=repo)


def has(command: str, option: str = "") -> bool:
    result = subprocess.run([sys.executable, "-m", "okrctl", command, "--help"], capture_output=True, text=True)
    return result.returncode == 0 and option in result.stdout


def errors_in(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("::error ")]


# The step outputs of an input the action cannot use: align did not run, so nothing was found, and
# the step's exit code (empty outputs read as errors found in the docs' `errors != '0'` step).
INPUT_ERROR_OUTPUTS = {"errors": "0", "warnings": "0", "exit-code": "2"}


@pytest.mark.slow
def test_outside_a_pull_request_every_finding_counts(pull_request: Path, tmp_path: Path) -> None:
    result, outputs, summary = run_action(pull_request, tmp_path, diff="true")
    assert result.returncode == 1, result.stdout + result.stderr
    errors = errors_in(result.stdout)
    assert [re.search(r"file=([^,]+),", e).group(1) for e in errors] == [CARDS, DISCOVER]  # type: ignore[union-attr]
    assert outputs == {"errors": "2", "warnings": "0", "exit-code": "1"}
    assert "### okrctl align" in summary  # align's own table of all findings
    assert "okrctl diff skipped: not a pull request (GITHUB_BASE_REF is not set)" in summary


@pytest.mark.slow
def test_in_a_pull_request_only_the_new_mistake_counts(pull_request: Path, tmp_path: Path) -> None:
    result, outputs, summary = run_action(pull_request, tmp_path, base_ref="main", strict="true", diff="true")
    assert result.returncode == 1, result.stdout + result.stderr
    errors = errors_in(result.stdout)
    if has("align", "--baseline"):
        # discover's mistake was already on main: shown at most as a notice, never counted.
        assert len(errors) == 1 and f"file={CARDS}," in errors[0]
    else:  # an okrctl without baselines judges everything
        assert len(errors) == 2
    assert outputs == {"errors": str(len(errors)), "warnings": "0", "exit-code": "1"}
    if has("diff"):
        base = git(pull_request, "merge-base", "origin/main", "HEAD").strip()
        expected = okrctl(pull_request, tmp_path, "diff", "--format", "markdown", base).stdout
        assert expected.strip() and expected in summary
    else:
        assert "_okrctl diff: not available in this version of okrctl._" in summary


@pytest.mark.slow  # several seconds: run by CI with the slow tests
@pytest.mark.parametrize("folder", [".", "okrs"])
def test_the_pull_request_that_adds_okrctl_has_nothing_to_diff(tmp_path: Path, monkeypatch, folder: str) -> None:
    """The base has no okrctl.yaml: align judges every finding new, and diff, which would stop with
    exit 2 ("okrctl diff failed" in the summary), is skipped with one line saying why."""
    import shutil

    from tests.conftest import EXAMPLES

    hermetic_git(monkeypatch, tmp_path)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    git(checkout, "init", "-q", "-b", "main")
    (checkout / "README.md").write_text("A repository before okrctl\n", encoding="utf-8")
    base = commit_at(checkout, "2026-11-18", "main: before okrctl")
    git(checkout, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(checkout, "checkout", "-q", "-b", "adopt-okrctl")
    repo = checkout / folder
    shutil.copytree(EXAMPLES / "banco", repo, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".okrctl-cache"))
    commit_at(checkout, "2026-11-19", "adopt okrctl")
    result, outputs, summary = run_action(repo, tmp_path, base_ref="main", diff="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert outputs == {"errors": "0", "warnings": "0", "exit-code": "0"}
    why = (
        f"the base {base[:12]} has no okrctl.yaml yet, so there is nothing to compare "
        "(this change adds the OKR repository)"
    )
    assert f"\n_okrctl diff skipped: {why}._\n" in summary
    assert f"okrctl diff skipped: {why}\n" in result.stdout
    assert "failed" not in summary and "::warning::" not in result.stdout
    # The next pull request has a base with okrctl.yaml in that folder: its diff is in the summary.
    git(checkout, "update-ref", "refs/remotes/origin/main", "HEAD")
    _break(repo, CARDS, "to: digital-first-week/nps,", "to: digital-first-week/npz,")
    commit_at(checkout, "2026-11-20", "cards: a new mistake")
    Path(tmp_path / "step-summary.md").unlink()
    result, outputs, summary = run_action(repo, tmp_path, base_ref="main", diff="true")
    assert (result.returncode, outputs["errors"]) == (1, "1"), result.stdout + result.stderr
    merge_base = git(checkout, "merge-base", "origin/main", "HEAD").strip()
    expected = okrctl(repo, tmp_path, "diff", "--format", "markdown", merge_base).stdout
    assert "skipped" not in summary and expected.strip() and expected in summary


@pytest.fixture
def main_moved_on(pull_request: Path) -> Path:
    """The pull request of ``pull_request`` after main fixed its mistake: main's tip is ahead of the
    merge base, which still has discover's mistake."""
    git(pull_request, "checkout", "-q", "main")
    _break(
        pull_request,
        DISCOVER,
        "{to: digital-first-weak, type: directional}",
        "{to: digital-first-week, type: directional}",
    )
    commit_at(pull_request, "2026-11-20", "main: fix the existing mistake")
    git(pull_request, "checkout", "-q", "feature")
    return pull_request


@pytest.mark.slow
def test_a_baseline_ref_means_its_merge_base_for_align_and_diff_alike(main_moved_on: Path, tmp_path: Path) -> None:
    """``baseline: main`` judges what the branch changed since it left main, as "auto" does and as
    the diff step shows: discover's mistake was on main when the branch began, so only the branch's
    own (cards) counts; against main's tip, discover's would have been new as well."""
    repo = main_moved_on
    merge_base = git(repo, "merge-base", "main", "HEAD").strip()
    assert merge_base != git(repo, "rev-parse", "main").strip()
    result, outputs, summary = run_action(repo, tmp_path, baseline="main", diff="true")
    assert result.returncode == 1, result.stdout + result.stderr
    errors = errors_in(result.stdout)
    assert len(errors) == 1 and f"file={CARDS}," in errors[0]
    assert outputs == {"errors": "1", "warnings": "0", "exit-code": "1"}
    assert f"okrctl action: baseline main: its merge base with HEAD is {merge_base[:12]}\n" in result.stdout
    notice = f"::notice title=okrctl baseline::okrctl: baseline {merge_base[:12]}: only findings new since then block"
    assert notice in result.stdout.splitlines()
    expected = okrctl(repo, tmp_path, "diff", "--format", "markdown", merge_base).stdout
    assert expected.strip() and expected in summary


@pytest.mark.slow
def test_a_baseline_ref_with_no_merge_base_is_one_error_line(pull_request: Path, tmp_path: Path) -> None:
    """A name of no commit is a wrong name (more history would not help); a commit with no merge
    base with HEAD in a full clone shares no history with it (fetch-depth: 0 would not help either)."""
    result, outputs, summary = run_action(pull_request, tmp_path, baseline="no-such-branch", diff="true")
    assert result.returncode == 2 and outputs == INPUT_ERROR_OUTPUTS and summary == ""
    assert result.stdout == (
        "::error::okrctl action: input 'baseline': 'no-such-branch' names no commit in this checkout, nor "
        "does 'origin/no-such-branch'; check the name, or fetch it (actions/checkout with fetch-depth: 0 "
        "fetches every branch)\n"
    )
    git(pull_request, "checkout", "-q", "--orphan", "elsewhere")
    commit_at(pull_request, "2026-11-19", "an unrelated history")
    git(pull_request, "checkout", "-q", "-")
    result, outputs, summary = run_action(pull_request, tmp_path, baseline="elsewhere", diff="true")
    assert result.returncode == 2 and outputs == INPUT_ERROR_OUTPUTS and summary == ""
    assert result.stdout == (
        "::error::okrctl action: input 'baseline': no merge base of HEAD and elsewhere; they share no history\n"
    )
    # As align says it itself, with --baseline and in a pull request (where the diff step skips).
    align = okrctl(pull_request, tmp_path, "align", "--baseline", "elsewhere")
    assert align.returncode == 2 and align.stderr.endswith(
        "no merge base of HEAD and elsewhere; they share no history\n"
    )
    git(pull_request, "update-ref", "refs/remotes/origin/elsewhere", "elsewhere")
    result, outputs, summary = run_action(pull_request, tmp_path, base_ref="elsewhere", diff="true")
    assert result.returncode == 2 and outputs["exit-code"] == "2"
    assert "\n_okrctl diff skipped: no merge base of HEAD and origin/elsewhere; they share no history._\n" in summary
    assert "fetch-depth" not in result.stdout + summary


def test_in_a_shallow_clone_no_merge_base_asks_for_the_full_history(pull_request: Path, tmp_path: Path) -> None:
    """actions/checkout's default fetch-depth: 1 cuts main's tip from the branch's parents: there
    the history is what is missing."""
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", pull_request.as_uri(), str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    result, outputs, summary = run_action(clone, tmp_path, baseline="main")
    assert result.returncode == 2 and outputs == INPUT_ERROR_OUTPUTS and summary == ""
    assert result.stdout == (
        "::error::okrctl action: input 'baseline': no merge base of HEAD and origin/main; this clone is shallow: "
        "check out the full history: actions/checkout with fetch-depth: 0\n"
    )


def actions_checkout(origin: Path, where: Path, branch: str) -> Path:
    """What actions/checkout with fetch-depth: 0 leaves: every branch of ``origin`` as
    ``refs/remotes/origin/*``, no local branch, and HEAD detached at ``branch``."""
    where.mkdir()
    git(where, "init", "-q")
    git(where, "remote", "add", "origin", origin.as_uri())
    git(where, "fetch", "-q", "--prune", "origin", "+refs/heads/*:refs/remotes/origin/*")
    git(where, "checkout", "-q", "--detach", f"origin/{branch}")
    return where


@pytest.mark.slow
def test_a_baseline_branch_the_checkout_has_only_as_origin_is_read_there(pull_request: Path, tmp_path: Path) -> None:
    """actions/checkout makes no local ``main``, only ``origin/main``: ``baseline: main`` was exit 2,
    its hint asking for the fetch-depth: 0 the workflow already had. It is ``origin/main``, and the
    log says so; a name that is neither is still one error line."""
    clone = actions_checkout(pull_request, tmp_path / "clone", "feature")
    assert git(clone, "branch", "--list").strip() == "* (HEAD detached at origin/feature)"
    result, outputs, summary = run_action(clone, tmp_path, baseline="main", diff="true")
    assert result.returncode == 1, result.stdout + result.stderr
    merge_base = git(clone, "merge-base", "origin/main", "HEAD").strip()
    assert (
        f"okrctl action: baseline main (read as origin/main: this checkout has no main): its merge base with "
        f"HEAD is {merge_base[:12]}\n"
    ) in result.stdout
    errors = errors_in(result.stdout)
    assert len(errors) == 1 and f"file={CARDS}," in errors[0]  # discover's mistake was on main already
    assert outputs == {"errors": "1", "warnings": "0", "exit-code": "1"}
    expected = okrctl(clone, tmp_path, "diff", "--format", "markdown", merge_base).stdout
    assert expected.strip() and expected in summary
    (tmp_path / "github-output").unlink()
    result, outputs, _ = run_action(clone, tmp_path, baseline="mian")
    assert result.returncode == 2 and outputs == INPUT_ERROR_OUTPUTS
    assert result.stdout == (
        "::error::okrctl action: input 'baseline': 'mian' names no commit in this checkout, nor does "
        "'origin/mian'; check the name, or fetch it (actions/checkout with fetch-depth: 0 fetches every "
        "branch)\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("inputs", "asked"),
    [({"baseline": "main"}, "--baseline"), ({"baseline": "origin/main"}, "--baseline"), ({}, "GITHUB_BASE_REF")],
    ids=["baseline main", "baseline origin/main", "auto"],
)
def test_a_checkout_git_refuses_gets_the_fix_not_a_fetch(
    pull_request: Path, tmp_path: Path, inputs: dict[str, str], asked: str
) -> None:
    """A container job's checkout belongs to another user and git refuses it: the action said
    'main' names no commit and asked for fetch-depth: 0, which the workflow had (the diff step's
    skip said the same of origin/main). okrctl judges the ref and names the fix, safe.directory."""
    clone = actions_checkout(pull_request, tmp_path / "clone", "feature")
    env = {
        **_env(clone, tmp_path, "main", {**inputs, "diff": "true"}),
        "GIT_TEST_ASSUME_DIFFERENT_OWNER": "1",  # git's own switch for its ownership check
    }
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, cwd=tmp_path)
    outputs = dict(line.split("=", 1) for line in (tmp_path / "github-output").read_text().splitlines())
    summary = (tmp_path / "step-summary.md").read_text(encoding="utf-8")
    trust = f"git config --global --add safe.directory {clone.resolve()}"
    refused = f"git refuses the repository at {clone.resolve()}: it belongs to another user (if you trust it: {trust})"
    assert result.returncode == 2 and outputs == {"errors": "0", "warnings": "0", "exit-code": "2"}
    assert f"::error::okrctl align stopped (exit 2): okrctl: {asked}: {refused}\n" in result.stdout
    assert f"\n_okrctl diff failed: okrctl: {refused}_\n" in summary
    assert "names no commit" not in result.stdout + summary and "fetch-depth" not in result.stdout + summary


@pytest.mark.slow
def test_baseline_none_judges_the_whole_repository(pull_request: Path, tmp_path: Path) -> None:
    result, outputs, _ = run_action(pull_request, tmp_path, base_ref="main", baseline="none")
    assert result.returncode == 1
    assert outputs["errors"] == "2" and len(errors_in(result.stdout)) == 2


def test_a_name_holding_githubs_older_workflow_command_stops_no_annotation(pull_request: Path, tmp_path: Path) -> None:
    """The runner obeys ``##[stop-commands]`` anywhere in a line of the log. A file of the pull
    request's history under such a name, over 1 MiB and removed again, was quoted by align's note
    as it is: every annotation after it, align's and the action's, was plain text. ``##[`` is
    written ``#\\x23[`` in every line but an annotation, which keeps the name of the file it marks."""
    planted = pull_request / "okrs" / "2026-Q4" / "##[stop-commands]zz.yaml"
    cards = (pull_request / CARDS).read_text(encoding="utf-8")
    planted.write_text(cards.replace("id: first-card-moment", "id: side-quest"), encoding="utf-8")
    commit_at(pull_request, "2026-11-19", "feature: add an objective")
    planted.write_text(planted.read_text(encoding="utf-8") + "# " + "0" * 1_100_000 + "\n", encoding="utf-8")
    commit_at(pull_request, "2026-11-19", "feature: one version over 1 MiB")
    planted.unlink()
    (pull_request / "okrs" / "##[error]planted.yaml").write_text("kind: Foo\n", encoding="utf-8")
    commit_at(pull_request, "2026-11-19", "feature: remove it, add a file of another kind")
    result, outputs, _ = run_action(pull_request, tmp_path, base_ref="main")
    assert result.returncode == 1, result.stdout + result.stderr
    for line in (result.stdout + result.stderr).splitlines():
        assert "##[" not in line or line.startswith("::error file=okrs/##[error]planted.yaml,"), line
    assert "(over the 1 MiB limit: okrs/2026-Q4/#\\x23[stop-commands]zz.yaml as committed in " in result.stderr
    # The two mistakes of the planted file and the new one in cards, each an annotation on its file.
    assert [re.search(r"file=([^,]+),", e).group(1) for e in errors_in(result.stdout)] == [  # type: ignore[union-attr]
        "okrs/##[error]planted.yaml",
        "okrs/##[error]planted.yaml",
        CARDS,
    ]
    assert outputs["errors"] == "3"


@pytest.mark.slow
def test_an_explicit_baseline_ref(pull_request: Path, tmp_path: Path) -> None:
    result, outputs, _ = run_action(pull_request, tmp_path, baseline="main")
    if has("align", "--baseline"):
        assert (result.returncode, outputs["errors"]) == (1, "1")
    else:
        assert result.returncode == 2 and outputs == INPUT_ERROR_OUTPUTS
        assert (
            result.stdout
            == "::error::okrctl action: input 'baseline': this okrctl has no align --baseline; use 'auto' or 'none'\n"
        )


@pytest.mark.slow
def test_the_report_is_appended_to_the_job_summary(pull_request: Path, tmp_path: Path) -> None:
    args = "--unit digital-services"
    result, _, summary = run_action(pull_request, tmp_path, report="true", **{"report-args": args})
    assert result.returncode == 1
    expected = okrctl(pull_request, tmp_path, "report", "--format", "markdown", *args.split()).stdout
    assert expected.strip() and summary.endswith("\n" + expected)


@pytest.mark.slow
def test_markdown_that_would_take_the_summary_past_githubs_limit_goes_to_the_log(
    pull_request: Path, tmp_path: Path
) -> None:
    """GitHub drops a step summary over 1 MiB whole, align's table with it: a report that would
    take it past the limit is printed in the log, and the summary says where it is."""
    summary = tmp_path / "step-summary.md"
    summary.write_text("x" * 999_000 + "\n", encoding="utf-8")  # what the step wrote so far
    result, _, text = run_action(pull_request, tmp_path, report="true")
    assert result.returncode == 1
    report = okrctl(pull_request, tmp_path, "report", "--format", "markdown").stdout
    assert report.strip() and report in result.stdout
    assert report not in text and len(text.encode("utf-8")) < 1_000_000 + 1024
    assert "more than the job summary can take (GitHub drops a summary over 1 MiB); it is in this step's log." in text
    assert "::warning::okrctl report: " in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "where",
    [
        pytest.param("gone/step-summary.md", id="a folder that is gone"),
        pytest.param(".", id="a folder, not a file"),
        pytest.param(
            "/dev/full",
            id="a full disk",
            marks=pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here"),
        ),
    ],
)
def test_a_job_summary_that_cannot_be_written_is_one_warning_not_a_failed_step(
    pull_request: Path, tmp_path: Path, where: str
) -> None:
    """The job summary is what the step shows besides its log: when it cannot be written the step
    says so once, on standard error, and its exit code and outputs stay align's."""
    env = {
        **_env(pull_request, tmp_path, "main", {"diff": "true", "report": "true"}),
        "GITHUB_STEP_SUMMARY": str(tmp_path / where),
    }
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("::warning::")]
    assert len(warnings) == 1
    assert warnings[0].startswith("::warning::okrctl action: cannot write the job summary to $GITHUB_STEP_SUMMARY: ")
    outputs = dict(line.split("=", 1) for line in (tmp_path / "github-output").read_text().splitlines())
    assert outputs["exit-code"] == "1"


@pytest.mark.slow
def test_a_report_that_fails_is_a_warning_not_a_failed_step(copy_example, tmp_path: Path) -> None:
    repo = copy_example("banco")
    result, outputs, summary = run_action(repo, tmp_path, report="true", **{"report-args": "--unit nobody"})
    assert result.returncode == 0 and outputs["errors"] == "0"
    assert "::warning::okrctl report failed: " in result.stdout
    assert "_okrctl report failed: " in summary


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"strict": "maybe"}, "input 'strict' must be true or false, not 'maybe'"),
        ({"args": "--select 'OKR2"}, "input 'args' or 'report-args' cannot be split like a shell would"),
    ],
)
def test_a_bad_input_is_one_error_line_and_exit_2(copy_example, tmp_path: Path, inputs, message) -> None:
    """The step outputs say so too: they were left empty, and the docs' example step
    (`if: always() && steps.okrctl.outputs.errors != '0'`) ran, printing "okrctl found  new errors"."""
    result, outputs, _ = run_action(copy_example("banco"), tmp_path, **inputs)
    assert result.returncode == 2 and outputs == INPUT_ERROR_OUTPUTS
    assert result.stdout.startswith(f"::error::okrctl action: {message}") and result.stdout.count("\n") == 1


def test_inputs_never_reach_a_shell(copy_example, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    result, _, _ = run_action(copy_example("banco"), tmp_path, args=f"--cycle all; touch {marker}")
    assert result.returncode == 2  # okrctl refuses the unknown arguments; nothing ran
    assert not marker.exists()


@pytest.mark.parametrize("inputs", [{"baseline": "main"}, {"diff": "true"}])
def test_a_repo_input_that_names_no_folder_is_one_error_line(
    pull_request: Path, tmp_path: Path, inputs: dict[str, str]
) -> None:
    """The merge base and the diff ran git in that folder: a traceback and exit 1 before."""
    env = _env(pull_request, tmp_path, "main", {**inputs, "repo": "nosuch"})
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, cwd=tmp_path)
    output, summary_file = Path(env["GITHUB_OUTPUT"]), Path(env["GITHUB_STEP_SUMMARY"])
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()) if output.exists() else {}
    summary = summary_file.read_text(encoding="utf-8") if summary_file.exists() else ""
    assert result.returncode == 2 and outputs == INPUT_ERROR_OUTPUTS and summary == ""
    assert (
        result.stdout
        == "::error::okrctl action: input 'repo': 'nosuch' is no folder of this checkout (relative to its top)\n"
    )
    assert result.stderr == ""


def moved_folder_pull_request(copy_example, move: str) -> tuple[Path, Path, str]:
    """A checkout of a pull request that moves the OKR folder (``move``: "into a subfolder" from git's
    top, or "up to the top" from one) and lowers a target on the way: the checkout's top, the folder
    where okrctl.yaml is now, and the base (the merge base with origin/main), which holds it where
    it was."""
    checkout = copy_example("banco")
    before, after = checkout, checkout / "okrs-repo"
    if move == "up to the top":
        before, after = after, before
        before.mkdir()
        for name in OKR_FOLDER:
            (checkout / name).rename(before / name)
        (checkout / "README.md").write_text("A monorepo with an OKR folder\n", encoding="utf-8")
    git(checkout, "init", "-q", "-b", "main")
    base = commit_at(checkout, "2026-11-18", "main: the OKR folder where it was")
    assert git(checkout, "cat-file", "-t", f"{base}:{before.relative_to(checkout).as_posix()}/okrctl.yaml") == "blob\n"
    git(checkout, "update-ref", "refs/remotes/origin/main", "HEAD")  # what actions/checkout fetches
    git(checkout, "checkout", "-q", "-b", "move-okrs")
    after.mkdir(exist_ok=True)
    for name in OKR_FOLDER:
        git(checkout, "mv", str(before / name), str(after / name))
    _break(after, CARDS, "    target: 75\n", "    target: 70\n")
    commit_at(checkout, "2026-11-19", f"move the OKR folder {move}, lower a target")
    return checkout, after, base


@pytest.mark.slow  # several seconds: run by CI with the slow tests
@pytest.mark.parametrize("move", ["into a subfolder", "up to the top"])
def test_a_pull_request_that_moves_the_okr_folder_gets_its_diff(
    copy_example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, move: str
) -> None:
    """The base holds okrctl.yaml where the folder was, not where it is now: okrctl diff compares the
    base's files where the base had them, and the summary holds that diff (the lowered target), not
    "this change adds the OKR repository"."""
    hermetic_git(monkeypatch, tmp_path)
    _, repo, base = moved_folder_pull_request(copy_example, move)
    result, outputs, summary = run_action(repo, tmp_path, base_ref="main", diff="true")
    assert result.returncode == 0, result.stdout + result.stderr
    # The move alone makes no finding new (the lowered target may be a warning: OKR601).
    assert (outputs["errors"], outputs["exit-code"]) == ("0", "0")
    assert "skipped" not in summary and "failed" not in summary and "::warning::" not in result.stdout
    expected = okrctl(repo, tmp_path, "diff", "--format", "markdown", base)
    assert expected.returncode == 0, expected.stderr
    assert "`first-card-moment/card-activation-7d` target 75% → 70%" in expected.stdout
    assert expected.stdout in summary
