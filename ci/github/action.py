"""What the okrctl GitHub Action does once okrctl is installed (action.yml calls this file).

1. ``okrctl align --format github``: annotations on the pull request, all findings in the job
   summary. In a pull request align itself compares with the merge base of the target branch, so
   only new findings block; ``baseline: none`` judges everything; ``baseline: REF`` compares with
   the merge base of REF and HEAD (what GitHub shows as a pull request's changes), the commit the
   ``diff`` step starts from too. A REF the checkout does not know is read as ``origin/REF``:
   actions/checkout makes no local branches, only ``refs/remotes/origin/*``. When git will not
   look at the checkout at all (another user owns it, as in a container job), REF goes to okrctl
   as given: its own check names the cause and the fix.
2. The step outputs ``errors`` and ``warnings``: the findings GitHub shows as errors and warnings,
   that is the new ones when there is a baseline (existing ones become notices), and ``exit-code``;
   an input the action cannot use writes them too (0, 0 and 2).
3. Optionally ``okrctl diff --format markdown`` (what the pull request changes, and whose review it
   needs) and ``okrctl report --format markdown`` are appended to the job summary. A base that
   holds no OKR repository for this folder (the pull request that adds it) has nothing to compare:
   ``diff`` says so (exit 2) and the summary says it in one line instead of "diff failed". Whether
   it does is okrctl's judgement, not this script's: a base that had the folder elsewhere (the pull
   request moves it into a subfolder, or up to git's top) is compared where it was.

The exit code is align's. Inputs come from the environment (``OKRCTL_ACTION_*``), never pasted into
a shell script, so no input can run a command. Runs on any Python that okrctl supports, with the
standard library only; ``tests/test_github_action.py`` runs it against temporary git repositories.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

TRUE = {"true", "yes", "1", "on"}
FALSE = {"false", "no", "0", "off", ""}
SHALLOW_HINT = "check out the full history: actions/checkout with fetch-depth: 0"
CONFIG_NAME = "okrctl.yaml"
# GitHub drops a step's job summary over 1 MiB whole: what would take it past this stays in the log.
SUMMARY_LIMIT = 1_000_000


class InputError(Exception):
    """An input the action cannot use: one line, exit 2."""


class GitCannotLook(Exception):
    """git stopped before it looked for a ref: the checkout is one it refuses (another user owns
    it), or no repository at all. Whether the ref exists is not known then, and why git stops is
    okrctl's to say: its check of the same ref names the cause and the fix."""


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise InputError(f"input '{name}' must be true or false, not '{value}'")


@dataclass(frozen=True)
class Inputs:
    repo: str
    strict: bool
    baseline: str  # "auto", "none" or a git ref
    args: list[str]
    diff: bool
    report: bool
    report_args: list[str]

    @classmethod
    def from_env(cls, env: dict[str, str]) -> Inputs:
        def get(name: str, default: str = "") -> str:
            return env.get(f"OKRCTL_ACTION_{name.upper().replace('-', '_')}", default)

        try:
            args = shlex.split(get("args"))
            report_args = shlex.split(get("report-args"))
        except ValueError as exc:
            raise InputError(f"input 'args' or 'report-args' cannot be split like a shell would: {exc}") from None
        repo = get("repo", ".").strip() or "."
        if not Path(repo).is_dir():
            raise InputError(f"input 'repo': '{repo}' is no folder of this checkout (relative to its top)")
        return cls(
            repo=repo,
            strict=_flag("strict", get("strict", "false")),
            baseline=get("baseline", "auto").strip() or "auto",
            args=args,
            diff=_flag("diff", get("diff", "false")),
            report=_flag("report", get("report", "false")),
            report_args=report_args,
        )


def okrctl_command() -> list[str]:
    """The okrctl that action.yml installed (``OKRCTL_ACTION_OKRCTL``), else this Python's."""
    explicit = os.environ.get("OKRCTL_ACTION_OKRCTL", "").strip()
    return [explicit] if explicit else [sys.executable, "-m", "okrctl"]


def run(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace")


def options_of(okrctl: list[str], command: str) -> str | None:
    """The ``--help`` text of an okrctl command, or None when this okrctl does not have it."""
    result = run([*okrctl, command, "--help"])
    return result.stdout if result.returncode == 0 else None


def align_command(okrctl: list[str], inputs: Inputs) -> tuple[list[str], MergeBase | None]:
    """The align command, and the merge base a ``baseline: REF`` stands for (None for auto and none)."""
    command = [*okrctl, "align", "--format", "github", "--repo", inputs.repo]
    if inputs.strict:
        command.append("--strict")
    help_text = options_of(okrctl, "align") or ""
    base = None
    if inputs.baseline == "none":
        # An okrctl without baselines judges the whole repository anyway.
        if "--no-baseline" in help_text:
            command.append("--no-baseline")
    elif inputs.baseline != "auto":
        if "--baseline" not in help_text:
            raise InputError("input 'baseline': this okrctl has no align --baseline; use 'auto' or 'none'")
        # The merge base, as in "auto" and as the diff step: what the branch changed since it left
        # REF, not what REF gained meanwhile (a mistake fixed on REF later is not this change's).
        try:
            base, why_not = merge_base(inputs, inputs.baseline)
        except GitCannotLook:
            # okrctl judges the ref as given and stops (exit 2) with the fix for this checkout.
            return [*command, "--baseline", inputs.baseline, *inputs.args], None
        if base is None:
            raise InputError(f"input 'baseline': {why_not}")
        command += ["--baseline", base.commit]
    return command + inputs.args, base


def count_annotations(output: str) -> dict[str, int]:
    """Errors and warnings as GitHub shows them: one workflow command per line (okrctl escapes newlines)."""
    counts = {"errors": 0, "warnings": 0}
    for line in output.splitlines():
        if line.startswith(("::error ", "::error::")):
            counts["errors"] += 1
        elif line.startswith(("::warning ", "::warning::")):
            counts["warnings"] += 1
    return counts


@dataclass
class RunnerFile:
    """A file the runner reads once the step is over (the job summary, the step outputs), named by
    the environment variable ``variable``; no path: nothing is written.

    One that cannot be written (a folder gone, a full disk, read-only) costs what it would have
    shown, never the step's exit code, which stays align's: one warning on standard error, then the
    file is left alone, so a step that appends several times warns once."""

    variable: str
    path: str | None
    what: str  # "the job summary"

    def append(self, text: str) -> None:
        if not self.path:
            return
        try:
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(text if text.endswith("\n") else text + "\n")
        except OSError as problem:
            annotate(
                "warning",
                f"okrctl action: cannot write {self.what} to ${self.variable}: {problem.strerror or problem}",
                stream=sys.stderr,
            )
            self.path = None

    def size(self) -> int:
        """What the file holds already, in bytes (0 when it does not exist yet)."""
        return os.path.getsize(self.path) if self.path and os.path.isfile(self.path) else 0


# An annotation okrctl writes: the runner reads it as one (this form first), the file name and text
# in it as data; any other line it searches for the older form, ``##[name]``, anywhere in the line.
ANNOTATION = re.compile(r"::(error|warning|notice)( [^:\n]*)?::")


def inert(text: str) -> str:
    """``text`` with every ``##[`` written ``#\\x23[`` but in okrctl's annotations, as okrctl writes
    it (``okrctl.safetext.inert``; this file imports nothing of okrctl): the runner obeys
    ``##[stop-commands]`` wherever it stands in a line of the log, and every annotation after it
    would be plain text. An annotation keeps its file name as it is, so that it marks that file."""
    return "".join(
        line if ANNOTATION.match(line) else line.replace("##[", "#\\x23[") for line in text.splitlines(keepends=True)
    )


def annotate(level: str, message: str, stream: TextIO | None = None) -> None:
    text = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    # The runner reads workflow commands on standard error too.
    print(f"::{level}::{text}", file=stream or sys.stdout, flush=True)


@dataclass(frozen=True)
class MergeBase:
    commit: str  # the merge base of ``ref`` and HEAD
    ref: str  # the name git found: the one given, or ``origin/<it>`` when the checkout has only that


def commit_of(where: Path, ref: str) -> bool:
    """Whether ``ref`` names a commit in the checkout of ``where``; ``GitCannotLook`` when git stops
    before it looks (with ``--quiet`` a ref git does not know is exit 1 alone, git's own stop is 128)."""
    known = run(["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd=where)
    if known.returncode not in (0, 1):
        raise GitCannotLook(first_line(known.stderr))
    return known.returncode == 0


def merge_base(inputs: Inputs, other: str) -> tuple[MergeBase | None, str]:
    """The merge base of ``other`` and HEAD in the OKR repository's checkout, or why there is none.

    actions/checkout, even with fetch-depth: 0, makes no local branch but a detached HEAD and
    ``refs/remotes/origin/*``: a name the checkout does not know is looked up as ``origin/<name>``,
    as the target branch of a pull request (``GITHUB_BASE_REF``) is. ``GitCannotLook`` when git will
    not look at the checkout."""
    where = Path(inputs.repo)
    ref = other
    if not commit_of(where, ref):
        remote = f"origin/{other}"
        if other.startswith("origin/") or not commit_of(where, remote):
            # Not a name of this checkout at all, nor of a branch fetched from origin: more history
            # would not help, the name is wrong (or the branch was not fetched).
            also = "" if other.startswith("origin/") else f", nor does '{remote}'"
            return None, (
                f"'{other}' names no commit in this checkout{also}; check the name, or fetch it "
                "(actions/checkout with fetch-depth: 0 fetches every branch)"
            )
        ref = remote
    result = run(["git", "merge-base", "--end-of-options", ref, "HEAD"], cwd=where)
    if result.returncode != 0:
        # More history helps only a shallow clone; in a full one the two histories never meet (git
        # says nothing), and asking for fetch-depth: 0 the workflow already has would mislead.
        said = (result.stderr.strip().splitlines() or [""])[-1]
        if is_shallow(where):
            fix = f"this clone is shallow: {SHALLOW_HINT}"
        else:
            fix = f"git: {said}" if said else "they share no history"
        return None, f"no merge base of HEAD and {ref}; {fix}"
    return MergeBase(result.stdout.strip(), ref), ""


def is_shallow(where: Path) -> bool:
    """Whether the checkout of ``where`` is shallow (actions/checkout's default fetch-depth: 1)."""
    result = run(["git", "rev-parse", "--is-shallow-repository"], cwd=where)
    return result.stdout.strip() == "true"


def diff_base(inputs: Inputs, env: dict[str, str], baseline: MergeBase | None) -> tuple[str | None, str]:
    """The commit ``okrctl diff`` starts from (the merge base, like align's baseline), or why there is none.

    ``baseline`` is the merge base ``align_command`` chose for ``baseline: REF``."""
    if inputs.baseline == "none":
        return None, "baseline: none"
    if baseline is not None:
        return baseline.commit, ""
    if inputs.baseline != "auto":
        ref = inputs.baseline  # git would not look at the checkout for align either
    elif not env.get("GITHUB_BASE_REF", "").strip():
        return None, "not a pull request (GITHUB_BASE_REF is not set)"
    else:
        ref = f"origin/{env['GITHUB_BASE_REF'].strip()}"
    try:
        base, why_not = merge_base(inputs, ref)
    except GitCannotLook:
        # Not "no such ref": okrctl diff, from the same merge base, names why git will not look.
        return f"{ref}...HEAD", ""
    return (base.commit if base is not None else None), why_not


def no_repository_at(base: str, result: subprocess.CompletedProcess[str]) -> str | None:
    """Why ``okrctl diff`` from ``base`` has nothing to compare, when it stopped because ``base``
    holds no OKR repository for this folder (the change adds it); None for any other outcome.

    okrctl decides, not a look at ``BASE:./okrctl.yaml`` here: it finds the base's files where the
    base had them when the change moves the OKR folder, as ``align --baseline`` does. Its stop is
    exit 2 with the line ``okrctl: 'BASE' has no okrctl.yaml in FOLDER; …`` (``BASE`` as given)."""
    said = f"okrctl: '{base}' has no {CONFIG_NAME}"
    if result.returncode != 2 or not any(line.startswith(said) for line in result.stderr.splitlines()):
        return None
    return (
        f"the base {base[:12]} has no {CONFIG_NAME} yet, so there is nothing to compare "
        "(this change adds the OKR repository)"
    )


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "").strip()


def skipped(name: str, why: str, summary: RunnerFile) -> None:
    print(f"okrctl {name} skipped: {why}", flush=True)
    summary.append(f"\n_okrctl {name} skipped: {why}._\n")


def markdown_section(
    okrctl: list[str],
    name: str,
    command: list[str],
    summary: RunnerFile,
    nothing_to_show: Callable[[subprocess.CompletedProcess[str]], str | None] | None = None,
) -> None:
    """Run an okrctl command that prints Markdown and append it to the job summary; a failure is a
    warning, except an outcome ``nothing_to_show`` explains (its reason), which is a skip."""
    if options_of(okrctl, name) is None:
        annotate("warning", f"okrctl {name} is not available in this version of okrctl; skipped")
        summary.append(f"\n_okrctl {name}: not available in this version of okrctl._\n")
        return
    result = run(command)
    why = nothing_to_show(result) if nothing_to_show is not None else None
    if why is not None:
        skipped(name, why, summary)
        return
    if result.returncode not in (0, 1) or not result.stdout.strip():
        detail = first_line(result.stderr) or f"exit {result.returncode}"
        annotate("warning", f"okrctl {name} failed: {detail}")
        summary.append(f"\n_okrctl {name} failed: {detail}_\n")
        return
    text = "\n" + result.stdout
    if summary.path and len(text.encode("utf-8")) + summary.size() > SUMMARY_LIMIT:
        kib = len(result.stdout.encode("utf-8")) // 1024
        annotate("warning", f"okrctl {name}: {kib} KiB of Markdown would take the job summary past 1 MiB; see the log")
        summary.append(
            f"\n_okrctl {name}: {kib} KiB of Markdown, more than the job summary can take (GitHub drops a "
            "summary over 1 MiB); it is in this step's log._\n",
        )
        sys.stdout.write(inert(result.stdout))
        return
    summary.append(text)


def step_outputs(counts: dict[str, int], exit_code: int) -> str:
    return f"errors={counts['errors']}\nwarnings={counts['warnings']}\nexit-code={exit_code}\n"


def main(env: dict[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    outputs = RunnerFile("GITHUB_OUTPUT", env.get("GITHUB_OUTPUT") or None, "the step outputs")
    try:
        inputs = Inputs.from_env(env)
        okrctl = okrctl_command()
        align, baseline = align_command(okrctl, inputs)
    except InputError as problem:
        annotate("error", f"okrctl action: {problem}")
        # Empty outputs would read as errors found (``outputs.errors != '0'`` in a later step).
        outputs.append(step_outputs({"errors": 0, "warnings": 0}, 2))
        return 2
    if baseline is not None:
        found = (
            ""
            if baseline.ref == inputs.baseline
            else f" (read as {baseline.ref}: this checkout has no {inputs.baseline})"
        )
        print(
            f"okrctl action: baseline {inputs.baseline}{found}: its merge base with HEAD is {baseline.commit[:12]}",
            flush=True,
        )
    print(f"$ {shlex.join(['okrctl', *align[len(okrctl) :]])}", flush=True)
    result = run(align)
    sys.stdout.write(inert(result.stdout))
    sys.stderr.write(inert(result.stderr))
    sys.stdout.flush()
    counts = count_annotations(result.stdout)
    if result.returncode >= 2:
        annotate("error", f"okrctl align stopped (exit {result.returncode}): {first_line(result.stderr)}")
    outputs.append(step_outputs(counts, result.returncode))

    summary = RunnerFile("GITHUB_STEP_SUMMARY", env.get("GITHUB_STEP_SUMMARY") or None, "the job summary")
    if inputs.diff:
        base, why_not = diff_base(inputs, env, baseline)
        if base is None:
            skipped("diff", why_not, summary)
        else:
            command = [*okrctl, "diff", "--repo", inputs.repo, "--format", "markdown", base]
            # The pull request that adds the OKR repository: align judged every finding new, and
            # diff has no side to compare with (it stops, exit 2), which is no failure.
            markdown_section(okrctl, "diff", command, summary, lambda result: no_repository_at(base, result))
    if inputs.report:
        command = [*okrctl, "report", "--repo", inputs.repo, "--format", "markdown", *inputs.report_args]
        markdown_section(okrctl, "report", command, summary)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
