"""The files that publish okrctl to CI users: the pre-commit hook and the examples in docs/ci.md."""

from __future__ import annotations

import re

import pytest

from okrctl.load.yamlparse import parse_text
from okrctl.render.formats import FORMATS as ALL_FORMATS
from tests.helpers_align import PROJECT

FORMATS = ALL_FORMATS["align"]

CI_DOC = PROJECT / "docs" / "ci.md"


def test_the_pre_commit_hooks_judge_the_committed_files_or_the_whole_repository() -> None:
    hooks = {h["id"]: h for h in parse_text((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0].data}
    assert set(hooks) == {"okrctl-align", "okrctl-align-all"}
    for hook in hooks.values():
        # --no-baseline: in a pull request's GitHub job (GITHUB_BASE_REF) a hook judges the files as anywhere.
        assert hook["entry"] == "okrctl align --no-baseline"
        assert hook["language"] == "python"
    files = hooks["okrctl-align"]["files"]
    assert re.search(files, "okrs/2026-Q1/discover.yaml") and re.search(files, "units.yml")
    assert not re.search(files, "README.md")
    # The default hook passes the file names (align PATH...): a commit is judged on its own files.
    assert hooks["okrctl-align"]["pass_filenames"] is True
    # The whole-repository hook runs on every commit: one that only deletes a unit breaks references.
    assert hooks["okrctl-align-all"]["pass_filenames"] is False
    assert hooks["okrctl-align-all"]["always_run"] is True


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), flags=re.S)


def test_every_yaml_example_in_the_ci_guide_is_valid_yaml() -> None:
    blocks = _yaml_blocks()
    assert len(blocks) >= 4
    for block in blocks:
        parse_text(block)


def test_the_github_workflow_example_runs_align() -> None:
    workflow = next(parse_text(b)[0].data for b in _yaml_blocks() if b.startswith("name: OKRs"))
    steps = workflow["jobs"]["align"]["steps"]
    # okrctl align itself, or the okrctl action (which runs it)
    assert any(step.get("run", "").startswith("okrctl align") or "/okrctl@" in step.get("uses", "") for step in steps)
    assert workflow["on"]["pull_request"] is None  # the key is there: runs on every pull request


@pytest.mark.parametrize("fmt", re.findall(r"okrctl align\b[^\n`]*?--format (\w+)", CI_DOC.read_text(encoding="utf-8")))
def test_the_ci_guide_uses_only_existing_formats(fmt) -> None:
    assert fmt in FORMATS


@pytest.mark.parametrize("fmt", re.findall(r"okrctl diff\b[^\n`]*?--format (\w+)", CI_DOC.read_text(encoding="utf-8")))
def test_the_ci_guide_uses_only_existing_diff_formats(fmt: str) -> None:
    DIFF_FORMATS = ALL_FORMATS["diff"]

    assert fmt in DIFF_FORMATS


def test_the_pull_request_recipe_runs_diff_on_the_base_branch() -> None:
    workflow = next(parse_text(b)[0].data for b in _yaml_blocks() if b.startswith("name: OKR changes"))
    job = workflow["jobs"]["diff"]
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    runs = [step.get("run", "") for step in job["steps"]]
    assert 'okrctl diff "origin/$GITHUB_BASE_REF...HEAD" --format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    assert not any("${{" in run for run in runs)  # nothing from the event is pasted into a script
