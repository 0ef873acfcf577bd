"""Every CI file the documentation shows is checked by a real checker: GitHub workflows against
GitHub's workflow schema, GitLab files against GitLab's CI schema (both shipped by check-jsonschema,
used offline). A user who copies an example gets a file the CI service accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from okrctl.load.yamlparse import parse_text
from tests.conftest import ROOT
from tests.test_github_action import check_jsonschema

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CI_GUIDE = ROOT / "docs" / "ci.md"


def yaml_blocks(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every ```yaml block."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in re.finditer(r"```ya?ml\n(.*?)```", text, re.S)]


def kind(data: object) -> str | None:
    if not isinstance(data, dict):
        return None
    if "jobs" in data and ("on" in data or True in data):
        return "github-workflow"
    if "repos" in data:
        return "pre-commit"
    if "include" in data or any(isinstance(v, dict) and ("script" in v or "extends" in v) for v in data.values()):
        return "gitlab-ci"
    return None


SCHEMAS = {"github-workflow": "vendor.github-workflows", "gitlab-ci": "vendor.gitlab-ci"}


def ci_examples() -> list[tuple[str, str, str]]:
    out = []
    for path in DOCS:
        for line, block in yaml_blocks(path):
            found = kind(parse_text(block)[0].data)
            if found is not None:
                out.append((f"{path.relative_to(ROOT).as_posix()}:{line}", found, block))
    return out


EXAMPLES = ci_examples()


def test_every_yaml_block_of_the_ci_guide_is_a_ci_file_of_a_known_kind() -> None:
    blocks = yaml_blocks(CI_GUIDE)
    kinds = [kind(parse_text(block)[0].data) for _, block in blocks]
    assert None not in kinds, [line for (line, _), k in zip(blocks, kinds, strict=True) if k is None]
    assert {"github-workflow", "gitlab-ci", "pre-commit"} <= set(kinds)


CHECKED = [example for example in EXAMPLES if example[1] in SCHEMAS]  # pre-commit: tested with pre-commit itself


@pytest.mark.parametrize(("where", "what", "block"), CHECKED, ids=[f"{w} {k}" for w, k, _ in CHECKED])
def test_the_ci_service_accepts_the_example(where: str, what: str, block: str, tmp_path: Path) -> None:
    path = tmp_path / ("workflow.yml" if what == "github-workflow" else ".gitlab-ci.yml")
    path.write_text(block, encoding="utf-8")
    result = check_jsonschema(SCHEMAS[what], path)
    assert result.returncode == 0, f"{where}: {result.stdout}{result.stderr}"


def test_the_examples_use_the_action_and_template_as_published() -> None:
    inputs = set(parse_text((ROOT / "action.yml").read_text(encoding="utf-8"))[0].data["inputs"])
    steps = [
        step
        for _, what, block in EXAMPLES
        if what == "github-workflow"
        for job in parse_text(block)[0].data["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("YOUR-ORG/okrctl@")
    ]
    assert len(steps) >= 3
    for step in steps:
        assert set(step.get("with", {})) <= inputs, f"unknown action inputs: {set(step['with']) - inputs}"
    gitlab = "\n".join(block for _, what, block in EXAMPLES if what == "gitlab-ci")
    assert "ci/gitlab/okrctl.yml" in gitlab and "extends: .okrctl-pages" in gitlab


def test_no_example_installs_okrctl_from_an_index_it_is_not_on() -> None:
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"pip install okrctl\b(?!==)", text), path
        assert "OWNER/okrctl" not in text, path


@pytest.mark.parametrize(
    ("what", "mistake"),
    [
        ("github-workflow", lambda b: b.replace("    runs-on: ubuntu-latest\n", "", 1)),  # a job needs a runner
        ("github-workflow", lambda b: b.replace("on:", "onn:", 1)),
        ("gitlab-ci", lambda b: b.replace("  script:", "  scripts:", 1)),
    ],
)
def test_the_checker_catches_a_broken_example(what, mistake, tmp_path: Path) -> None:
    block = next(block for _, kind_, block in CHECKED if kind_ == what and mistake(block) != block)
    broken = mistake(block)
    path = tmp_path / "example.yml"
    path.write_text(broken, encoding="utf-8")
    assert check_jsonschema(SCHEMAS[what], path).returncode == 1


def workflow_jobs() -> list[tuple[str, dict]]:
    """(where, job) of every job of the docs' GitHub workflows."""
    return [
        (where, job)
        for where, what, block in EXAMPLES
        if what == "github-workflow"
        for job in parse_text(block)[0].data["jobs"].values()
    ]


def test_a_sarif_upload_has_the_permissions_a_private_repository_needs() -> None:
    """An OKR repository is most often private: there GitHub's upload-sarif reads the workflow run
    (``actions: read``), and without it the upload failed with "Resource not accessible by
    integration"; code scanning there needs Advanced Security, which the guide says."""
    uploads = [
        (where, job)
        for where, job in workflow_jobs()
        if any(step.get("uses", "").startswith("github/codeql-action/upload-sarif@") for step in job["steps"])
    ]
    assert uploads
    for where, job in uploads:
        assert job.get("permissions") == {"contents": "read", "security-events": "write", "actions": "read"}, where
    guide = " ".join(CI_GUIDE.read_text(encoding="utf-8").split())
    assert "In a private or internal repository, code scanning also needs GitHub Advanced Security" in guide


def test_a_step_that_reads_the_actions_errors_runs_only_when_align_ran() -> None:
    """When the action cannot install Python or okrctl, align never runs and its outputs are empty:
    ``errors != '0'`` alone is true then, and the guide's step announced "okrctl found  new errors"."""
    reads = [
        (where, step)
        for where, job in workflow_jobs()
        for step in job["steps"]
        if "outputs.errors" in str(step.get("if", ""))
    ]
    assert reads
    for where, step in reads:
        assert "steps.okrctl.outputs.exit-code != ''" in step["if"], where


def test_every_install_command_of_the_docs_runs_in_a_virtual_environment() -> None:
    """A system Python (Debian 12, Ubuntu 24.04) refuses ``pip install`` outside a virtual
    environment ("externally-managed-environment"): install.md's ``python3 -m pip install build``,
    ``python3 -m build --wheel`` and ``pip install ./okrctl-0.2.0-py3-none-any.whl`` failed as
    written. pip and build run from a virtual environment's ``bin``, or through pipx."""
    commands = [
        (path.name, line)
        for path in DOCS
        for block in re.findall(r"```(?:sh|bash|console)\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
        for line in block.splitlines()
    ]
    runner = re.compile(r"(\S*(?:pip|python)\S*)(?:\s+-m\s+pip)?\s+install\b|(\S*python\S*)\s+-m\s+build\b")
    runs = [(where, m[1] or m[2]) for where, line in commands for m in runner.finditer(line)]
    assert len(runs) >= 5
    assert [(where, program) for where, program in runs if not re.search(r"/bin/(pip|python)3?$|^pipx$", program)] == []
