"""``okrctl diff``: a scripted series of OKR changes on a copy of examples/banco, read from git."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, Cli, git
from tests.diff_scenario import TODAY, build_series
from tests.golden import assert_golden
from tests.helpers_git import edit
from tests.test_one_finding_per_cause import BROKEN_SETTINGS, SETTINGS_CONFIG, SETTINGS_DAY, settings_org

STEPS = (
    "lower a target after the cycle start, no rescoped entry",
    "lower a target after the cycle start, with a rescoped entry",
    "raise a strategic key result that another team adopts",
    "turn an explicit alignment directional",
    "drop a dependency",
    "remove the last contributor of a priority",
    "retitle an objective",
    "add two check-ins",
)


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("series") / "banco"
    shutil.copytree(EXAMPLES / "banco", folder, ignore=shutil.ignore_patterns(".okrctl-cache"))
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "commit.gpgsign", "false")
    return folder, build_series(folder)


def _diff(cli: Cli, folder: Path, *args: str) -> tuple[int, str, str]:
    result = cli("diff", *args, "--repo", str(folder), "--today", TODAY)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_the_whole_series(cli: Cli, series: tuple[Path, list[str]], format: str) -> None:
    folder, commits = series
    code, out, err = _diff(cli, folder, f"{commits[0]}..{commits[-1]}", "--format", format)
    assert code == 0, err
    extension = {"text": "txt", "markdown": "md", "json": "json"}[format]
    assert_golden(f"diff/series.{extension}", out)
    if format == "json":
        payload = json.loads(out)
        assert payload["base"]["commit"] == commits[0] and payload["head"]["commit"] == commits[-1]
        kinds = {(c["section"], c["kind"], c["subject"]) for c in payload["changes"]}
        assert ("priorities", "lost-last", "strategy-2026/small-business") in kinds
        assert ("alignment", "type", "first-card-moment") in kinds
        assert ("dependencies", "dropped", "discover-first-week") in kinds
        assert ("objectives", "retitled", "identity-fast-kyc") in kinds
        # The priority lost its last contributor (OKR202), and banco's objective no longer reaches the
        # strategy, with the two objectives aligned up through it (OKR209, issue 10).
        assert [f["code"] for f in payload["findings"]["introduced"]] == ["OKR209", "OKR202"]


@pytest.mark.slow
def test_each_step(cli: Cli, series: tuple[Path, list[str]]) -> None:
    folder, commits = series
    parts = []
    for step, (before, after) in zip(STEPS, itertools.pairwise(commits), strict=True):
        code, out, err = _diff(cli, folder, before, after)
        assert code == 0, err
        parts.append(f"## {step}\n{out}")
    text = "\n".join(parts)
    assert_golden("diff/steps.txt", text)
    lowered, rescoped, adopted = parts[0], parts[1], parts[2]
    assert "target 90% → 80%" in lowered and "no rescoped entry covers this change" in lowered
    assert "documented in rescoped (2026-11-30" in rescoped
    assert "Needs review from: digital-services, cards (they adopt digital-first-week/nps)" in adopted
    assert "discover: 2 check-ins, confidence 8 → 5" in parts[7]


def test_reviewers_prints_members_only(cli: Cli, series: tuple[Path, list[str]]) -> None:
    folder, commits = series
    code, out, _ = _diff(cli, folder, commits[2], commits[3], "--reviewers")
    assert code == 0
    assert out.splitlines() == [
        "carla.mendes@example.com",
        "ines.duarte@example.com",
        "joao.carvalho@example.com",
        "tomas.ferreira@example.com",
    ]


def test_empty_diff_says_so(cli: Cli, series: tuple[Path, list[str]]) -> None:
    folder, commits = series
    code, out, _ = _diff(cli, folder, commits[-1], commits[-1])
    assert code == 0
    assert "No OKR changes" in out
    code, out, _ = _diff(cli, folder, "HEAD", "--format", "json")
    assert code == 0 and json.loads(out)["empty"] is True


@pytest.fixture
def branch(copy_example: Callable[[str], Path], git_repo: Callable[..., Path]) -> Path:
    """A feature branch one commit ahead of main, with an uncommitted change on top."""
    folder = git_repo(copy_example("banco"))
    git(folder, "switch", "-q", "-c", "feature")
    edit(folder / "okrs/2026-Q4/cards.yaml", r"target: 75", "target: 70")
    git(folder, "commit", "-q", "-am", "cards: lower activation target")
    git(folder, "switch", "-q", "main")
    edit(folder / "okrs/2026-Q4/banco.yaml", r"^title: .*$", "title: The bank small businesses pick first")
    git(folder, "commit", "-q", "-am", "banco: retitle on main")
    git(folder, "switch", "-q", "feature")
    edit(folder / "okrs/2026-Q4/discover.yaml", r"target: 280", "target: 300")  # not committed
    return folder


def test_defaults_merge_base_with_main_against_the_working_tree(cli: Cli, branch: Path) -> None:
    code, out, err = _diff(cli, branch)
    assert code == 0, err
    assert "merge base of HEAD and main" in out and "→ working tree" in out
    assert "first-card-moment/card-activation-7d target 75% → 70%" in out
    assert "discover-first-week/setup-tickets target 280 tickets/week → 300 tickets/week" in out
    assert "sme-bank-of-choice" not in out  # changed on main after the branch left it


def test_range_forms(cli: Cli, branch: Path) -> None:
    _, two_dots, _ = _diff(cli, branch, "main..feature")
    assert "sme-bank-of-choice retitled" in two_dots and "card-activation-7d" in two_dots
    _, three_dots, _ = _diff(cli, branch, "main...feature")
    assert "sme-bank-of-choice" not in three_dots and "card-activation-7d" in three_dots
    assert "setup-tickets" not in three_dots  # the working tree is not a side here


def test_origin_head_is_the_default_branch(cli: Cli, branch: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(branch), str(clone))
    git(clone, "switch", "-q", "-c", "topic")
    edit(clone / "okrs/2026-Q4/cards.yaml", r"target: 40", "target: 45")
    code, out, err = _diff(cli, clone)
    assert code == 0, err
    assert "merge base of HEAD and origin/HEAD" in out and "virtual-card-day-one target 40% → 45%" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-ref"], "okrctl: unknown git ref 'no-such-ref'; give a branch, tag or commit"),
        (["main..nope"], "okrctl: unknown git ref 'nope'"),
        (["--", "-x"], "okrctl: unknown git ref '-x'"),
        # It names something, only not a commit: said so, not "unknown".
        (["HEAD^{tree}"], "okrctl: 'HEAD^{tree}' names a folder, not a commit; give a branch, tag or commit"),
        (["HEAD:okrctl.yaml"], "okrctl: 'HEAD:okrctl.yaml' names a file, not a commit"),
    ],
)
def test_bad_refs_are_one_line_exit_2(cli: Cli, branch: Path, args: list[str], message: str) -> None:
    result = cli("diff", "--repo", str(branch), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_ref_without_config(cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]) -> None:
    folder = git_repo(copy_example("banco"), commit=False)
    (folder / "README.md").write_text("before okrctl\n", encoding="utf-8")
    git(folder, "add", "README.md")
    git(folder, "commit", "-q", "-m", "before")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "okrctl")
    result = cli("diff", "--repo", str(folder), "HEAD~1")
    assert result.exit_code == 2
    assert result.stderr.startswith("okrctl: 'HEAD~1' has no okrctl.yaml")


def test_shallow_clone(cli: Cli, branch: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{branch}", str(clone))
    result = cli("diff", "--repo", str(clone), "HEAD~1", "HEAD")
    assert result.exit_code == 2
    assert "shallow clone" in result.stderr and "fetch-depth: 0" in result.stderr
    assert result.stderr.count("\n") == 1


def test_outside_git(cli: Cli, copy_example: Callable[[str], Path]) -> None:
    result = cli("diff", "--repo", str(copy_example("banco")))
    assert result.exit_code == 2 and "not in a git repository" in result.stderr


def test_a_broken_side_gives_findings_not_a_traceback(cli: Cli, branch: Path) -> None:
    (branch / "okrs/2026-Q4/cards.yaml").write_text("apiVersion: okrctl/v1\nkind: Objective\nid: [broken\n")
    code, out, err = _diff(cli, branch, "main", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert "okrs/2026-Q4/cards.yaml" in payload["files_with_errors"]["head"]
    introduced = payload["findings"]["introduced"]
    assert any(f["code"] == "OKR100" and f["path"] == "okrs/2026-Q4/cards.yaml" and f["line"] > 1 for f in introduced)
    unreadable = {c["subject"] for c in payload["changes"] if c["kind"] == "unreadable"}
    assert "first-card-moment" in unreadable


def test_an_okrctl_yaml_that_no_longer_reads_is_not_compared_with_the_defaults(cli: Cli, branch: Path) -> None:
    with (branch / "okrctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("organization: [\n")
    code, out, err = _diff(cli, branch, "HEAD", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    config = [(c["kind"], c["subject"]) for c in payload["changes"] if c["section"] == "config"]
    assert config == [("unreadable", "okrctl.yaml")]  # not "organization: Banco Exemplo → (none)"
    assert any(f["code"] == "OKR100" and f["path"] == "okrctl.yaml" for f in payload["findings"]["introduced"])
    code, out, err = _diff(cli, branch, "HEAD")
    assert "okrctl.yaml can no longer be read: its settings are not compared" in out
    git(branch, "commit", "-q", "-am", "broken config")
    git(branch, "checkout", "-q", "HEAD~1", "--", "okrctl.yaml")  # the fix: it reads again, nothing compared
    code, out, err = _diff(cli, branch, "HEAD", "--format", "json")
    payload = json.loads(out)
    assert [(c["kind"], c["subject"]) for c in payload["changes"] if c["section"] == "config"] == [
        ("readable", "okrctl.yaml")
    ]
    assert any(f["path"] == "okrctl.yaml" for f in payload["findings"]["resolved"])


def test_a_file_that_did_not_read_on_the_base_holds_nothing_added(cli: Cli, branch: Path) -> None:
    """A commit broke an objective file and a unit file, the working tree repairs both: what they
    hold was there all along. The diff says they can be read again, never "added"; and the other
    way round, a unit file that no longer reads is not "removed"."""
    files = ("okrs/2026-Q4/cards.yaml", "units/cards.yaml", "checkins/cards/2026-11-20.yaml", "strategy/2026.yaml")
    good = {rel: (branch / rel).read_text(encoding="utf-8") for rel in files}
    for rel in good:
        with (branch / rel).open("a", encoding="utf-8") as handle:
            handle.write("broken: [\n")
    git(branch, "commit", "-q", "-am", "broken cards files")
    for rel, text in good.items():
        (branch / rel).write_text(text, encoding="utf-8")
    code, out, err = _diff(cli, branch, "HEAD", "--format", "json")
    assert code == 0, err
    changes = json.loads(out)["changes"]
    kinds = {(c["section"], c["subject"]): c["kind"] for c in changes}
    assert kinds[("objectives", "first-card-moment")] == "readable"
    assert kinds[("units", "cards")] == "readable"
    assert [kind for (section, _), kind in kinds.items() if section == "strategy"] == ["readable"]
    assert "added" not in kinds.values()
    activity = next(c for c in changes if c["section"] == "activity" and c["subject"] == "cards")
    assert activity["checkins_readable"] == 1 and activity["checkins_added"] == 0
    _code, text, _err = _diff(cli, branch, "HEAD")
    assert (
        "first-card-moment can be read again (cards, 2026-Q4): okrs/2026-Q4/cards.yaml had errors on the base, "
        "so what changed in it is not compared"
    ) in " ".join(text.split())
    assert "unit cards can be read again: units/cards.yaml had errors on the base" in " ".join(text.split())
    assert "cards: 1 check-in that can be read again" in text
    git(branch, "commit", "-q", "-am", "repaired")
    for rel in ("units/cards.yaml", "checkins/cards/2026-11-20.yaml"):
        with (branch / rel).open("a", encoding="utf-8") as handle:
            handle.write("broken: [\n")
    changes = json.loads(_diff(cli, branch, "HEAD", "--format", "json")[1])["changes"]
    assert [(c["kind"], c["subject"]) for c in changes if c["section"] == "units"] == [("unreadable", "cards")]
    activity = next(c for c in changes if c["section"] == "activity" and c["subject"] == "cards")
    assert activity["checkins_unreadable"] == 1 and activity["checkins_removed"] == 0


def test_a_config_with_a_schema_error_still_shows_the_settings_it_changed(cli: Cli, branch: Path) -> None:
    """Only an okrctl.yaml that is not YAML at all goes uncompared; one with an unknown key still
    declares its valid settings, and their changes are listed."""
    edit(branch / "okrctl.yaml", r"^  cadence_days: 7 ", "  cadence_days: 14 ")
    with (branch / "okrctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("colour: red\n")
    code, out, err = _diff(cli, branch, "HEAD", "--format", "json")
    assert code == 0, err
    config = [
        (c["kind"], c["subject"], c["old"], c["new"]) for c in json.loads(out)["changes"] if c["section"] == "config"
    ]
    assert ("changed", "checkin.cadence_days", 7, 14) in config


def test_a_setting_okrctl_refuses_is_shown_as_written_and_reviewed(cli: Cli, committed: Path) -> None:
    """A value okrctl refuses (OKR101) gives way to its default, and diff showed that default as the
    new value ("status.at_risk_gap: 0.25 → 0.15" for a gap written 25), or, when the default was the
    base's value, no line and no reviewer at all. The value is shown as written, and the top unit
    reviews it, as it reviews every setting."""
    config = committed / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "status: {at_risk_gap: 0.25}\n", encoding="utf-8")
    git(committed, "commit", "-qam", "a gap of 25%")
    edit(config, r"at_risk_gap: 0\.25\}", "at_risk_gap: 25}")
    code, out, err = _diff(cli, committed, "HEAD")
    assert code == 0, err
    assert "status.at_risk_gap: 0.25 → 25\n" in out and "0.15" not in out
    git(committed, "checkout", "-q", "--", "okrctl.yaml")
    edit(config, r"^  stale_after_days: 10 ", "  stale_after_days: 10.5 ")
    _kinds, payload = _changes(cli, committed)
    changes = payload["changes"]  # type: ignore[index]
    assert [(c["kind"], c["subject"], c["path"], c["old"], c["new"]) for c in changes] == [  # type: ignore[union-attr]
        ("changed", "checkin.stale_after_days", "okrctl.yaml", 10, 10.5)
    ]
    assert [r["unit"] for r in payload["reviewers"]] == ["banco"]  # type: ignore[attr-defined]
    _code, members, _err = _diff(cli, committed, "HEAD", "--reviewers")
    assert members.splitlines() == ["marta.ribeiro@example.com"]
    git(committed, "commit", "-qam", "a stale limit okrctl refuses")
    git(committed, "checkout", "-q", "HEAD~1", "--", "okrctl.yaml")  # mended: the base's value as written
    _code, out, _err = _diff(cli, committed, "HEAD")
    assert "checkin.stale_after_days: 10.5 → 10\n" in out


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("status: {at_risk_gap: 0.5}\n", [("status.at_risk_gap", 0.15, 0.5)]),
        ("limits: {krs_per_objective: [5, 2]}\n", [("limits.krs_per_objective", [2, 5], [5, 2])]),
        ("checkin: 5\n", [("checkin", None, 5)]),
    ],
)
def test_a_refused_section_shows_only_the_settings_it_writes(
    cli: Cli, committed: Path, written: str, shown: list[tuple[str, object, object]]
) -> None:
    """A value that makes okrctl refuse its whole section (OKR101: an at-risk gap above the off-track
    gap, a pair [max, min], a number for a mapping) also showed each setting of the section it does
    not write as removed ("status.off_track_gap: 0.35 → (none)"), though its default still stands
    and nothing changed it. Only what the file writes is shown."""
    config = committed / "okrctl.yaml"
    edit(config, r"^checkin:\n(  .*\n)+", "")
    git(committed, "commit", "-qam", "checkin settings left to their defaults")
    config.write_text(config.read_text(encoding="utf-8") + written, encoding="utf-8")
    code, out, err = _diff(cli, committed, "HEAD")
    assert code == 0, err
    assert "→ (none)" not in out
    _kinds, payload = _changes(cli, committed)
    changes = payload["changes"]  # type: ignore[index]
    assert [(c["subject"], c["old"], c["new"]) for c in changes if c["section"] == "config"] == shown  # type: ignore[union-attr]


@pytest.mark.parametrize("case", list(BROKEN_SETTINGS))
def test_a_broken_config_introduces_its_one_finding_and_takes_no_contributor_from_a_priority(
    cli: Cli, git_repo: Callable[..., Path], tmp_path: Path, case: str
) -> None:
    """A config okrctl cannot read (a duplicate key, a merge conflict in cycles:) or a setting it
    refuses (a misspelt confidence max, an invalid krs_per_objective, …) introduced, beside its
    finding, every finding the default standing in for it gave (an OKR504 per check-in, an OKR104
    per objective of a declared cycle), and an unreadable one said 'strat/grow loses its last
    contributor' though align, counting an objective whose cycle it cannot know as serving it, has
    no OKR202. The config's finding is the one introduced, and mending it resolves it alone."""
    old, new, code, line = BROKEN_SETTINGS[case]
    root = git_repo(settings_org(tmp_path / "org"))
    config = root / "okrctl.yaml"

    def diff() -> tuple[list[str], list[tuple[str, str, int]], list[tuple[str, str, int]]]:
        result = cli("diff", "HEAD", "--repo", str(root), "--today", SETTINGS_DAY, "--format", "json")
        assert result.exit_code == 0, result.output
        payload = json.loads(result.stdout)
        found = payload["findings"]
        return (
            sorted({c["section"] for c in payload["changes"]}),
            [(f["code"], f["path"], f["line"]) for f in found["introduced"]],
            [(f["code"], f["path"], f["line"]) for f in found["resolved"]],
        )

    config.write_text(SETTINGS_CONFIG.replace(old, new), encoding="utf-8")
    assert diff() == (["config"], [(code, "okrctl.yaml", line)], [])
    git(root, "commit", "-qam", "a broken config")
    config.write_text(SETTINGS_CONFIG, encoding="utf-8")  # mended: no priority gets its "first" contributor
    assert diff() == (["config"], [], [(code, "okrctl.yaml", line)])


_SERVICES = "okrs/2026-Q4/digital-services.yaml"
_TEAMS = ("banco", "cards", "core-platform", "digital-services", "discover", "identity-platform", "small-business-app")
_STALE = [("OKR501", f"okrs/2026-Q4/{team}.yaml") for team in _TEAMS]
_FIXED = [("OKR302", "okrs/2026-Q4/banco.yaml")]  # the change adds the key result it lacked
_LIMITS = [*_FIXED, ("OKR301", _SERVICES), ("OKR302", _SERVICES), ("OKR302", _SERVICES)]
# What breaks on HEAD (file, pattern, replacement, its finding), the base's findings HEAD cannot
# judge while that file has errors, and those resolved.
_UNJUDGED = {
    "okrctl.yaml not YAML (a duplicate key)": (
        ("okrctl.yaml", r"\Z", "organization: Banco Exemplo again\n", "OKR100"),
        sorted(_STALE + _LIMITS),
        [],
    ),
    "stale_after_days as text": (
        ("okrctl.yaml", r"stale_after_days: 10 ", "stale_after_days: ten ", "OKR101"),
        _STALE,
        _FIXED,
    ),
    "objectives_per_team as text": (
        ("okrctl.yaml", r"objectives_per_team: 1", "objectives_per_team: one", "OKR101"),
        [("OKR301", _SERVICES)],
        _FIXED,
    ),
    "an objective file not YAML": (
        (_SERVICES, r"\Z", "oops: [\n", "OKR100"),
        sorted([("OKR501", _SERVICES), *_LIMITS[1:]]),
        _FIXED,
    ),
    # The file's two other objectives still read: their findings are judged (and kept).
    "one objective of the file with a schema error": (
        (_SERVICES, r"^id: sme-digital-banking\n", "id: sme-digital-banking\nwrok: x\n", "OKR101"),
        [("OKR302", _SERVICES)],
        _FIXED,
    ),
}


@pytest.mark.parametrize("case", list(_UNJUDGED))
def test_a_finding_of_the_base_that_head_cannot_judge_is_not_resolved(cli: Cli, committed: Path, case: str) -> None:
    """A rule skipped on HEAD because okrctl.yaml refuses a setting it judges by (or cannot be read
    at all), and a document in a file that no longer reads, judge nothing; diff listed every
    finding they gave on the base as one the change resolves ("Findings this change resolves: 11"
    for a duplicate key in okrctl.yaml), as if it had fixed them. They are listed apart, not judged
    while that file has errors; a finding the change did fix (a key result added where OKR302 found
    too few) is resolved whenever its rule still judges."""
    (rel, pattern, replacement, error), unjudged, resolved = _UNJUDGED[case]
    config = committed / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "limits: {objectives_per_team: 1, krs_per_objective: [3, 3]}\n",
        encoding="utf-8",
    )
    git(committed, "commit", "-qam", "tight limits: OKR301 and OKR302 findings, and OKR501 as of TODAY")
    with (committed / "okrs/2026-Q4/banco.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  - id: sme-loans\n    title: Small-business loans decided within a day\n")
        handle.write("    unit: '%'\n    baseline: 20\n    target: 60\n")
    edit(committed / rel, pattern, replacement)
    code, out, err = _diff(cli, committed, "HEAD", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    findings = payload["findings"]
    assert [(f["code"], f["path"]) for f in findings["introduced"]] == [(error, rel)]
    assert [(f["code"], f["path"]) for f in findings["resolved"]] == resolved
    assert sorted((f["code"], f["path"]) for f in payload["not_judged"]) == unjudged
    assert {f["while_broken"] for f in payload["not_judged"]} == {rel}
    code, out, err = _diff(cli, committed, "HEAD")
    assert code == 0, err
    count = f"{len(unjudged)} finding{'s' if len(unjudged) > 1 else ''}"
    assert f"\nNot judged while {rel} has errors: {count} of the base" in out
    assert ("Findings this change resolves: 1\n" in out) is bool(resolved)


def test_a_setting_of_hundreds_of_digits_is_shown_as_written(cli: Cli, branch: Path) -> None:
    """A whole number past a float's range (align takes it) stopped diff with an internal error."""
    huge = 10**400
    edit(branch / "okrctl.yaml", r"^  cadence_days: 7 ", f"  cadence_days: {huge} ")
    code, out, err = _diff(cli, branch, "HEAD")
    assert code == 0, err
    assert f"checkin.cadence_days: 7 → {huge:,}" in out


def test_bad_format(cli: Cli, branch: Path) -> None:
    result = cli("diff", "--repo", str(branch), "--format", "html")
    assert result.exit_code == 2 and "--format" in result.stderr


def test_a_repository_without_commits(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    folder = git_repo(copy_example("banco"), commit=False)
    result = cli("diff", "--repo", str(folder))
    assert result.exit_code == 2
    assert result.stderr == "okrctl: this repository has no commit yet: nothing to compare with; commit first\n"
    # align takes one ref: no "name two refs" (diff's words) in its message.
    gate = cli("align", "--repo", str(folder), "--baseline", "HEAD")
    assert gate.exit_code == 2
    assert gate.stderr == (
        "okrctl: --baseline: this repository has no commit yet: nothing to compare with; commit first\n"
    )


def test_an_objective_handed_to_another_team_asks_both(cli: Cli, branch: Path) -> None:
    edit(branch / "okrs/2026-Q4/cards.yaml", r"^owner: cards$", "owner: discover")
    code, out, err = _diff(cli, branch, "HEAD")
    assert code == 0, err
    assert "first-card-moment moved to another owner: cards → discover" in out
    assert "Needs review from: cards, discover" in out


def test_the_base_side_checked_in_a_worker_gives_the_same_report(
    cli: Cli, series: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import okrctl.views.diff as view

    folder, commits = series
    _, alone, _ = _diff(cli, folder, commits[4], commits[6], "--format", "json")
    monkeypatch.setattr(view, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setenv("OKRCTL_JOBS", "2")
    _, forked, _ = _diff(cli, folder, commits[4], commits[6], "--format", "json")
    assert forked == alone
    assert [f["code"] for f in json.loads(forked)["findings"]["introduced"]] == ["OKR209", "OKR202"]


def test_text_from_files_is_shown_never_obeyed(cli: Cli, branch: Path) -> None:
    edit(
        branch / "okrs/2026-Q4/banco.yaml",
        r"^title: .*$",
        'title: "**Bold** <img src=x onerror=alert(1)> | [link](http://x) \\\\e[31mred"',
    )
    _, text, _ = _diff(cli, branch, "HEAD")
    assert "\x1b" not in text and "**Bold** <img src=x onerror=alert(1)> | [link](http://x) red" in text
    _, markdown, _ = _diff(cli, branch, "HEAD", "--format", "markdown")
    assert "<img" not in markdown.replace("\\<img", "") and "\\*\\*Bold\\*\\*" in markdown
    assert "\\[link\\]" in markdown and "\\<img src=x onerror=alert(1)\\> | \\[link\\]" in markdown


def test_a_finding_whose_line_and_wording_moved_is_not_new() -> None:
    """diff compares findings by fingerprint, as ``align --baseline`` does: a comment inserted above a
    finding (its line moves) or a number in its message that changed is the same finding."""
    from okrctl.analysis.diff import new_findings
    from okrctl.findings import Finding, with_fingerprints

    about = "objective:cards-q4|key_results[activation].target"
    base = with_fingerprints(
        [Finding("OKR304", "warning", "okrs/c.yaml", 10, 5, "target 40 equals baseline", about=about)]
    )
    head = with_fingerprints(
        [Finding("OKR304", "warning", "okrs/c.yaml", 12, 5, "target 41 equals baseline", about=about)]
    )
    other = with_fingerprints(
        [Finding("OKR304", "warning", "okrs/d.yaml", 12, 5, "target 41 equals baseline", about=about)]
    )
    assert new_findings(base, head) == ([], [])
    introduced, resolved = new_findings(base, head + other)
    assert [f.path for f in introduced] == ["okrs/d.yaml"] and resolved == []


def test_a_file_that_only_moved_keeps_its_findings(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """A file moved with its bytes has the same findings in its new place: neither introduced nor
    resolved, committed or not; one moved and changed too, once git sees the rename (staged or
    committed)."""
    folder = copy_example("banco")
    cards = folder / "okrs/2026-Q4/cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8") + "# okrctl: ignroe[OKR201]\n", encoding="utf-8")
    git_repo(folder)
    moved = folder / "okrs/cards/2026-Q4.yaml"
    moved.parent.mkdir()
    git(folder, "mv", "okrs/2026-Q4/cards.yaml", "okrs/cards/2026-Q4.yaml")
    code, out, err = _diff(cli, folder, "HEAD", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["changes"] == [] and payload["findings"] == {"introduced": [], "resolved": []}
    moved.write_text("# moved\n" + moved.read_text(encoding="utf-8"), encoding="utf-8")  # changed, not staged
    code, out, err = _diff(cli, folder, "HEAD", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["findings"] == {"introduced": [], "resolved": []}  # the staged rename pairs them
    # Moved by hand (git lists neither the new path nor the removal) and changed: a new file.
    by_hand = folder / "okrs/cards/by-hand.yaml"
    by_hand.write_text("# by hand\n" + moved.read_text(encoding="utf-8"), encoding="utf-8")
    moved.unlink()
    git(folder, "reset", "-q")  # the index as committed: the new path is unknown to git
    code, out, err = _diff(cli, folder, "HEAD", "--format", "json")
    findings = json.loads(out)["findings"]
    assert ("OKR107", "okrs/cards/by-hand.yaml") in [(f["code"], f["path"]) for f in findings["introduced"]]
    assert ("OKR107", "okrs/2026-Q4/cards.yaml") in [(f["code"], f["path"]) for f in findings["resolved"]]
    by_hand.rename(moved)
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "one folder a team")  # committed: git sees the rename between commits
    code, out, err = _diff(cli, folder, "HEAD~1..HEAD", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["findings"] == {"introduced": [], "resolved": []}


def test_files_with_the_same_bytes_are_paired_only_when_the_pairing_is_the_only_one() -> None:
    from okrctl.findings import moved_files

    before = {"a.yaml": "1", "b.yaml": "2", "c.yaml": "2", "d.yaml": "3", "broken.yaml": ""}
    after = {"x/a.yaml": "1", "x/b.yaml": "2", "c.yaml": "2", "y/d.yaml": "3", "z/d.yaml": "3", "x/broken.yaml": ""}
    # b and c held the same bytes, but c stayed: b moved. Two new copies of d: neither is its move.
    assert moved_files(before, after) == {"a.yaml": "x/a.yaml", "b.yaml": "x/b.yaml"}


def test_strategy_and_unit_changes_in_model_terms(cli: Cli, branch: Path) -> None:
    """A unit renamed, a strategy's vision rewritten: each is one change, old → new, in the JSON."""
    edit(branch / "units/cards.yaml", r"^name: Cards$", "name: Cards and Payments")
    edit(branch / "strategy/2026.yaml", r"^vision: .*$", "vision: A bank in every pocket.")
    code, out, err = _diff(cli, branch, "--format", "json")
    assert code == 0, err
    changes = json.loads(out)["changes"]
    mine = [
        (c["section"], c["kind"], c["subject"], c["old"], c["new"])
        for c in changes
        if c["section"] in ("units", "strategy")
    ]
    assert ("units", "renamed", "cards", "Cards", "Cards and Payments") in mine
    assert [c[:3] for c in mine if c[0] == "strategy"] == [("strategy", "vision", "strategy-2026")]
    assert [c[4] for c in mine if c[0] == "strategy"] == ["A bank in every pocket."]


def test_check_ins_changed_removed_or_only_reworded_in_their_bytes(cli: Cli, branch: Path) -> None:
    """A check-in that says something else is changed, one deleted is removed, and one whose file
    only gained a comment says the same: not counted."""
    checkins = branch / "checkins"
    edit(checkins / "discover/2026-11-20.yaml", r"^confidence: 8$", "confidence: 6")
    (checkins / "discover/2026-11-13.yaml").unlink()
    cards = sorted((checkins / "cards").glob("*.yaml"))[-1]
    cards.write_text("# reworded\n" + cards.read_text())
    code, out, err = _diff(cli, branch, "HEAD", "--format", "json")
    assert code == 0, err
    activity = {c["owner"]: c for c in json.loads(out)["changes"] if c["section"] == "activity"}
    assert set(activity) == {"discover"}
    found = activity["discover"]
    assert (found["checkins_added"], found["checkins_changed"], found["checkins_removed"]) == (0, 1, 1)
    assert found["dates"] == ["2026-11-13", "2026-11-20"]
    assert found["confidence"] == {"": [8.0, 6.0]}


def test_an_unchanged_link_to_a_broken_file_is_no_change(cli: Cli, copy_example, git_repo) -> None:
    """Both sides read what a broken file declares through a link inside the repository (git
    objects follow it, and so does the working tree): an unchanged one changes no finding. (The
    file lies in a folder the config excludes, so that it is read once, through the link; a link
    into a hidden folder is not read at all.)"""
    folder = git_repo(copy_example("banco"), commit=False)
    config = folder / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + 'exclude: ["kept/**"]\n', encoding="utf-8")
    kept = folder / "kept" / "cards.yaml"
    kept.parent.mkdir()
    unit = folder / "units" / "cards.yaml"
    kept.write_text(unit.read_text(encoding="utf-8").replace("name: Cards", "name: [Cards"), encoding="utf-8")
    unit.unlink()
    unit.symlink_to(Path("..") / "kept" / "cards.yaml")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "a unit kept behind a link, broken")
    code, out, _err = _diff(cli, folder, "HEAD")
    assert code == 0 and "No OKR changes" in out, out


def test_a_reading_committed_by_measure_is_a_change_its_team_reviews(cli: Cli, branch: Path, tmp_path: Path) -> None:
    """``okrctl measure --commit`` writes a Reading: the diff of that commit lists it under its
    team (added, then changed by a second measure of the day) and asks the team to review."""
    values = tmp_path / "values.csv"
    values.write_text("kr,value\ncard-activation-7d,60\n", encoding="utf-8")
    git(branch, "stash", "-q")
    measure = ("measure", "--team", "cards", "--values-from", str(values), "--date", "2026-11-27", "--commit")
    result = cli(*measure, "--repo", str(branch), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    code, out, err = _diff(cli, branch, "HEAD~1", "HEAD", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    activity = [c for c in payload["changes"] if c["section"] == "activity"]
    assert [(c["subject"], c["readings_added"], c["checkins_added"], c["dates"]) for c in activity] == [
        ("cards", 1, 0, ["2026-11-27"])
    ]
    assert [(r["unit"], r["reasons"]) for r in payload["reviewers"]] == [
        ("cards", [{"verb": "wrote", "refs": ["readings"]}])
    ]
    code, out, err = _diff(cli, branch, "HEAD~1", "HEAD")
    assert "cards: 1 reading\n" in out and "wrote readings" in out, out
    values.write_text("kr,value\ncard-activation-7d,61\n", encoding="utf-8")
    result = cli(*measure, "--repo", str(branch), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    code, out, err = _diff(cli, branch, "HEAD~1", "HEAD")
    assert "cards: 1 reading changed\n" in out, out


@pytest.mark.parametrize("name", ["2026-11-20b.yaml", "2026-11-19z.yaml"])
def test_a_second_check_in_of_a_date_is_listed_as_added(cli: Cli, branch: Path, name: str) -> None:
    """A second check-in of a team and date (an OKR102 error) is a file the change adds, whether it
    sorts after the first or before it: never hidden behind the first, never "changed"."""
    first = branch / "checkins/cards/2026-11-20.yaml"
    (first.parent / name).write_text(first.read_text(encoding="utf-8").replace("confidence: 6", "confidence: 3"))
    code, out, err = _diff(cli, branch, "HEAD", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    cards = next(c for c in payload["changes"] if c["section"] == "activity" and c["subject"] == "cards")
    assert (cards["checkins_added"], cards["checkins_changed"], cards["checkins_removed"]) == (1, 0, 0)
    assert [f["code"] for f in payload["findings"]["introduced"]] == ["OKR102"]


@pytest.fixture
def committed(copy_example: Callable[[str], Path], git_repo: Callable[..., Path]) -> Path:
    """banco committed on main; each test changes the working tree."""
    return git_repo(copy_example("banco"))


def _changes(cli: Cli, folder: Path) -> tuple[set[tuple[str, str, str]], dict[str, object]]:
    code, out, err = _diff(cli, folder, "HEAD", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    return {(c["section"], c["kind"], c["subject"]) for c in payload["changes"]}, payload


def test_a_dependencys_need_a_second_need_and_a_key_results_unit_are_changes(cli: Cli, committed: Path) -> None:
    """diff said "No OKR changes" for all three: dependencies were paired by unit alone and compared
    for their acknowledgement only, and a key result's unit was never compared."""
    discover = committed / "okrs/2026-Q4/discover.yaml"
    edit(discover, r"need: KYC answer under 2 s", "need: KYC answer under 1 s")
    edit(
        discover,
        r"^depends_on:\n",
        "depends_on:\n  - {unit: identity-platform, need: Fraud scoring API, for: setup-tickets}\n",
    )
    edit(discover, r'^    unit: "%"', '    unit: "points"')
    kinds, payload = _changes(cli, committed)
    assert ("dependencies", "need", "discover-first-week") in kinds
    assert ("dependencies", "added", "discover-first-week") in kinds
    assert ("key_results", "unit", "discover-first-week/onboarding-completion") in kinds
    assert not payload["empty"]
    reviewers = {r["unit"] for r in payload["reviewers"]}
    assert reviewers == {"discover", "identity-platform"}
    _code, text, _err = _diff(cli, committed, "HEAD")
    assert (
        "discover-first-week needs something else of identity-platform: “KYC answer under 2 s” → “KYC answer under 1 s”"
        in text
    )
    assert "discover-first-week/onboarding-completion unit % → points" in text


def test_an_acknowledgement_is_the_providers_change_and_its_dependant_reviews_it(cli: Cli, committed: Path) -> None:
    edit(
        committed / "okrs/2026-Q4/identity-platform.yaml",
        r"supports: \[discover-first-week, sme-open-in-app\]",
        "supports: [sme-open-in-app]",
    )
    _kinds, payload = _changes(cli, committed)
    [change] = [c for c in payload["changes"] if c["section"] == "dependencies"]
    assert (change["kind"], change["owner"], change["path"]) == (
        "unacknowledged",
        "identity-platform",
        "okrs/2026-Q4/identity-platform.yaml",
    )
    assert not any(c["section"] == "objectives" for c in payload["changes"])  # the supports line is not told twice
    said = {r["unit"]: r["reasons"] for r in payload["reviewers"]}
    assert set(said) == {"identity-platform", "discover"}
    assert {"verb": "depend on", "refs": ["identity-fast-kyc"]} in said["discover"]
    assert not any(reason["verb"] == "own" for reason in said["discover"])


_PROVIDER = "okrs/2026-Q4/identity-platform.yaml"
_PROVIDER_BREAKS = {
    "yaml": ("title: Make identity checks so fast", "title: Make identity checks: so fast"),  # OKR100
    "schema": ("title: Make identity checks so fast", "titel: Make identity checks so fast"),  # OKR101
}


@pytest.mark.parametrize("mended", [False, True], ids=["breaks", "mended"])
@pytest.mark.parametrize("error", sorted(_PROVIDER_BREAKS))
def test_an_acknowledgement_in_a_file_that_does_not_read_on_one_side_still_counts(
    cli: Cli, committed: Path, error: str, mended: bool
) -> None:
    """The provider's file stopped reading (or read again): diff said identity-platform "no longer
    acknowledges" (or "now acknowledges") both dependencies and asked both dependants to review,
    while align still counts the broken objective's ``supports`` (no OKR401)."""
    good, bad = _PROVIDER_BREAKS[error]
    provider = committed / _PROVIDER
    if mended:
        edit(provider, f"^{good}", bad)
        git(committed, "commit", "-qam", "break the provider's file")
        edit(provider, f"^{bad}", good)
    else:
        edit(provider, f"^{good}", bad)
    kinds, payload = _changes(cli, committed)
    assert kinds == {("objectives", "readable" if mended else "unreadable", "identity-fast-kyc")}
    assert [r["unit"] for r in payload["reviewers"]] == ["identity-platform"]
    text = cli("diff", "HEAD", "--repo", str(committed), "--today", TODAY).stdout
    assert "acknowledges" not in text and "Dependencies" not in text


def _a_dependency_added_is_acknowledged(cli: Cli, committed: Path) -> None:
    """Discover's objective gets a new need of identity-platform: diff says it is acknowledged."""
    edit(
        committed / "okrs/2026-Q4/discover.yaml",
        r"^depends_on:\n",
        "depends_on:\n  - {unit: identity-platform, need: KYC retries, for: tutorial-engagement}\n",
    )
    _kinds, payload = _changes(cli, committed)
    [added] = [c for c in payload["changes"] if c["section"] == "dependencies"]
    assert (added["kind"], added["need"], added["acknowledged"]) == ("added", "KYC retries", True)
    text = cli("diff", "HEAD", "--repo", str(committed), "--today", TODAY).stdout
    assert "discover-first-week now depends on identity-platform (KYC retries), acknowledged\n" in text


def test_a_dependency_added_on_a_provider_whose_file_no_longer_reads_is_acknowledged(cli: Cli, committed: Path) -> None:
    """Its file broken by the same change, the provider's ``supports`` still counts for align (no
    OKR401): diff said the new dependency was "not acknowledged yet"."""
    edit(committed / _PROVIDER, "^title: Make identity checks so fast", "title: Make identity checks: so fast")
    _a_dependency_added_is_acknowledged(cli, committed)


# What keeps a provider's objective from reading as valid on the base already: a file that does not
# read (a title with a colon, ``titel:``), or an unknown cycle (2026-q4).
_PROVIDER_SLIPS_ON_THE_BASE = {**_PROVIDER_BREAKS, "unknown-cycle": ("cycle: 2026-Q4$", "cycle: 2026-q4")}


@pytest.mark.parametrize("error", sorted(_PROVIDER_SLIPS_ON_THE_BASE))
def test_a_dependency_added_on_a_provider_whose_objective_reads_on_neither_side_is_acknowledged(
    cli: Cli, committed: Path, error: str
) -> None:
    """The provider's objective did not read on the base either (a title with a colon, ``titel:``,
    an unknown cycle): align still counts its ``supports`` (no OKR401), but diff said the
    dependency added on it was "not acknowledged yet", and "acknowledged" when compared from a base
    where it still read."""
    good, bad = _PROVIDER_SLIPS_ON_THE_BASE[error]
    edit(committed / _PROVIDER, f"^{good}", bad)
    git(committed, "commit", "-qam", "break the provider's objective")
    _a_dependency_added_is_acknowledged(cli, committed)
    assert "OKR401" not in cli("align", "--repo", str(committed), "--today", TODAY).stdout


def test_a_providers_file_that_breaks_and_drops_the_acknowledgement_no_longer_acknowledges(
    cli: Cli, committed: Path
) -> None:
    """A schema error (``titel:``) leaves the file's ``supports`` readable, and align raises OKR401
    once it no longer lists discover-first-week: diff told nothing, taking the broken file's
    acknowledgement from the base's version."""
    edit(committed / _PROVIDER, "^title: Make identity checks so fast", "titel: Make identity checks so fast")
    edit(committed / _PROVIDER, r"^supports: \[discover-first-week, ", "supports: [")
    text = cli("diff", "HEAD", "--repo", str(committed), "--today", TODAY).stdout
    assert "discover-first-week: identity-platform no longer acknowledges the dependency" in text
    assert "OKR401" in cli("align", "--repo", str(committed), "--today", TODAY).stdout


_SLIPS_STILL_ACKNOWLEDGING = {
    "provider-cycle": (_PROVIDER, "^cycle: 2026-Q4$", "cycle: 2026-q4"),
    "provider-owner": (_PROVIDER, "^owner: identity-platform$", "owner: identity-platfrom"),
    "provider-supports": (_PROVIDER, r"^supports: \[discover-first-week,", "supports: [discover-first-wek,"),
    "dependant-cycle": ("okrs/2026-Q4/discover.yaml", "^cycle: 2026-Q4$", "cycle: 2026-q4"),
}


@pytest.mark.parametrize("slip", sorted(_SLIPS_STILL_ACKNOWLEDGING))
def test_a_slip_that_align_counts_as_still_acknowledged_withdraws_no_acknowledgement(
    cli: Cli, committed: Path, slip: str
) -> None:
    """A slip in the provider's objective (an unknown cycle, a misspelt owner or ``supports`` entry)
    or in the dependant's cycle: align gives its OKR104 alone, the acknowledgement still counting (no
    OKR401), while diff said "identity-platform no longer acknowledges the dependency" and asked the
    dependants to review a withdrawal that did not happen."""
    path, old, new = _SLIPS_STILL_ACKNOWLEDGING[slip]
    edit(committed / path, old, new)
    align = cli("align", "--repo", str(committed), "--today", TODAY).stdout
    assert "OKR104" in align and "OKR401" not in align
    kinds, payload = _changes(cli, committed)
    assert not [kind for section, kind, _subject in kinds if section == "dependencies"]
    reviewers = {r["unit"] for r in payload["reviewers"]}
    assert not reviewers & ({"identity-platform"} if slip == "dependant-cycle" else {"discover", "small-business-app"})
    text = cli("diff", "HEAD", "--repo", str(committed), "--today", TODAY).stdout
    assert "acknowledges" not in text and "Dependencies" not in text


def test_a_removed_objective_asks_its_providers_and_its_parents_owner(cli: Cli, committed: Path) -> None:
    git(committed, "rm", "-q", "okrs/2026-Q4/small-business-app.yaml")
    kinds, payload = _changes(cli, committed)
    assert ("dependencies", "dropped", "sme-open-in-app") in kinds
    assert {r["unit"] for r in payload["reviewers"]} == {"small-business-app", "identity-platform", "digital-services"}
    _code, members, _err = _diff(cli, committed, "HEAD", "--reviewers", "--format", "json")
    assert isinstance(json.loads(members), list) and "pedro.santos@example.com" in json.loads(members)


def test_a_strategy_given_to_another_unit_is_reviewed_by_the_unit_giving_it_away(cli: Cli, committed: Path) -> None:
    """A change handing the company strategy to Digital Services (and rewriting its vision) asked
    Digital Services alone: Banco, whose strategy it was on the base, was never asked, and a strategy
    given to a unit that does not exist was approved by nobody. Both units are asked, as for an
    objective."""
    strategy = committed / "strategy/2026.yaml"
    edit(strategy, r"^owner: banco$", "owner: digital-services")
    edit(strategy, r"^vision: Banking", "vision: Mobile banking")
    kinds, payload = _changes(cli, committed)
    assert ("strategy", "owner", "strategy-2026") in kinds
    reviewers = {r["unit"]: r["reasons"] for r in payload["reviewers"]}  # type: ignore[attr-defined]
    assert reviewers == {
        "banco": [{"verb": "own", "refs": ["strategy-2026"]}],
        "digital-services": [{"verb": "own", "refs": ["strategy-2026"]}],
    }
    _code, out, _err = _diff(cli, committed, "HEAD")
    assert "Needs review from: banco, digital-services" in out
    edit(strategy, r"^owner: digital-services$", "owner: ghost")
    code, members, err = _diff(cli, committed, "HEAD", "--reviewers")
    assert code == 0, err
    assert members.splitlines() == ["marta.ribeiro@example.com"]


def test_a_file_that_no_longer_reads_takes_no_contributor_from_a_priority(cli: Cli, committed: Path) -> None:
    """align counts an objective whose file does not read as still serving what it aligns to."""
    path = committed / "okrs/2026-Q4/digital-services.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "key: [\n", encoding="utf-8")
    kinds, _payload = _changes(cli, committed)
    assert not any(section == "priorities" for section, _kind, _subject in kinds)


_NEXT_QUARTER = """apiVersion: okrctl/v1
kind: Objective
id: observable-core
owner: core-platform
cycle: 2027-Q1
title: See every failure of the core before a customer does
aligns: [{to: strategy-2026/resilience}]
key_results:
  - {id: alert-coverage, title: Tested alerts grow from 4 to 20, unit: services, baseline: 4, target: 20}
  - {id: logging-live, type: milestone, title: Central logging live for payments}
"""


def test_an_objective_of_a_cycle_outside_the_strategys_is_no_contributor_of_its_priority(
    cli: Cli, committed: Path
) -> None:
    """align (OKR202) counts only objectives whose cycle overlaps the strategy's. With next year's
    objective drafted against 2026's priority, taking the priority's last 2026 objective said nothing
    under "Strategy priorities" and did not ask banco, while the findings said OKR202; giving it back
    did not say "gains its first contributor" either."""
    (committed / "okrs/2027-Q1").mkdir()
    (committed / "okrs/2027-Q1/core-platform.yaml").write_text(_NEXT_QUARTER, encoding="utf-8")
    git(committed, "add", "-A")
    git(committed, "commit", "-q", "-m", "next quarter")
    channels = committed / "okrs/2026-Q4/digital-services.yaml"
    edit(channels, r"\{to: strategy-2026/resilience\}", "{to: strategy-2026/simplify-onboarding}")
    kinds, payload = _changes(cli, committed)
    assert ("priorities", "lost-last", "strategy-2026/resilience") in kinds
    [change] = [c for c in payload["changes"] if c["section"] == "priorities"]
    assert change["former"] == ["resilient-core-services", "resilient-digital-channels"]  # not observable-core
    assert "banco" in {r["unit"] for r in payload["reviewers"]}
    code, out, err = _diff(cli, committed, "HEAD")
    assert code == 0, err
    assert (
        "strategy-2026/resilience loses its last contributor (was: resilient-core-services, "
        "resilient-digital-channels)\n" in out
    )
    assert "banco (Banco Exemplo): owns strategy-2026/resilience" in out
    # and back: the change that aligns it to the priority again gives the year its first contributor
    git(committed, "commit", "-q", "-am", "realign")
    edit(channels, r"\{to: strategy-2026/simplify-onboarding\}", "{to: strategy-2026/resilience}")
    kinds, payload = _changes(cli, committed)
    assert ("priorities", "first", "strategy-2026/resilience") in kinds
    assert "banco" in {r["unit"] for r in payload["reviewers"]}
    assert "OKR202" in {f["code"] for f in payload["findings"]["resolved"]}


def test_an_objective_aligned_to_the_whole_strategy_keeps_each_priority_served(cli: Cli, committed: Path) -> None:
    """align (OKR202) counts an alignment to the whole strategy for each of its priorities; diff
    said the priority lost its last contributor, asking banco about a priority align still finds served."""
    edit(committed / "okrs/2026-Q4/banco.yaml", r"\{to: strategy-2026/small-business,", "{to: strategy-2026,")
    git(committed, "commit", "-q", "-am", "serve the whole strategy")
    edit(
        committed / "okrs/2026-Q4/digital-services.yaml",
        r"\{to: strategy-2026/resilience\}",
        "{to: strategy-2026/simplify-onboarding}",
    )
    kinds, payload = _changes(cli, committed)
    assert not any(section == "priorities" for section, _kind, _subject in kinds)
    assert "banco" not in {r["unit"] for r in payload["reviewers"]}
    assert "OKR202" not in {f["code"] for f in payload["findings"]["introduced"]}


def test_a_rescoped_entry_dated_outside_the_window_covers_no_goalpost(cli: Cli, committed: Path) -> None:
    """OKR601 accepts an entry within 7 days of the change; an entry added with an older date does
    not document it, for diff either."""
    discover = committed / "okrs/2026-Q4/discover.yaml"
    edit(discover, r"target: 280", "target: 300")
    edit(discover, r"^key_results:", "rescoped:\n  - {date: 2026-10-02, note: vendor change}\nkey_results:")
    result = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "no rescoped entry covers this change" in result.stdout
    assert "+ 2026-10-02: vendor change" in result.stdout  # listed as an objective change instead


@pytest.mark.parametrize("name", ["a-new.yaml", "zz-new.yaml"])
def test_an_objective_added_with_a_taken_id_is_a_duplicate_not_a_change_of_the_other(
    cli: Cli, committed: Path, name: str
) -> None:
    """A new file that sorts first takes the id (OKR102 lands on the old file): comparing the two
    documents told reviewers that Discover's objective moved to Cards with a new target. One that
    sorts after was not told at all. Either way it is a duplicate, told once."""
    text = (committed / "okrs/2026-Q4/discover.yaml").read_text(encoding="utf-8")
    new = text.replace("owner: discover", "owner: cards").replace("target: 90", "target: 99")
    (committed / f"okrs/2026-Q4/{name}").write_text(new, encoding="utf-8")
    kinds, payload = _changes(cli, committed)
    assert kinds == {("objectives", "duplicated", "discover-first-week")}
    [change] = payload["changes"]
    assert (change["owner"], change["path"], change["also_at"]) == (
        "cards",
        f"okrs/2026-Q4/{name}",
        "okrs/2026-Q4/discover.yaml",
    )
    assert [r["unit"] for r in payload["reviewers"]] == ["cards"]
    assert "OKR102" in {f["code"] for f in payload["findings"]["introduced"]}


@pytest.mark.parametrize("name", ["a-cards.yaml", "z-cards.yaml"])
def test_a_unit_added_with_a_taken_id_is_a_duplicate_not_a_move_of_the_other(
    cli: Cli, committed: Path, name: str
) -> None:
    """A new unit file repeating 'cards' under another parent (sorting first, it takes the id) was
    told as Cards moved under the top unit and renamed, and the top unit asked to review the move.
    It is a duplicate, reviewed by the parent the base gives Cards."""
    text = (committed / "units/cards.yaml").read_text(encoding="utf-8")
    new = text.replace("parent: digital-services", "parent: banco").replace("name: Cards", "name: Cards Two")
    (committed / f"units/{name}").write_text(new, encoding="utf-8")
    kinds, payload = _changes(cli, committed)
    assert {k for k in kinds if k[0] == "units"} == {("units", "duplicated", "cards")}
    [change] = [c for c in payload["changes"] if c["section"] == "units"]
    assert (change["owner"], change["path"], change["also_at"]) == (
        "digital-services",
        f"units/{name}",
        "units/cards.yaml",
    )
    assert [r["unit"] for r in payload["reviewers"]] == ["digital-services"]
    text_out = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20").stdout
    assert f"unit cards added a second time (team, under banco) in units/{name}: units/cards.yaml holds" in text_out
    assert "moved" not in text_out and "renamed" not in text_out


@pytest.mark.parametrize("name", ["1999.yaml", "3000.yaml"])
def test_a_strategy_added_with_a_taken_id_is_a_duplicate_not_a_change_of_its_priorities(
    cli: Cli, committed: Path, name: str
) -> None:
    text = (committed / "strategy/2026.yaml").read_text(encoding="utf-8")
    new = text.replace(
        "{id: resilience, title: Improve resilience of critical systems}", "{id: resilience2, title: Other}"
    )
    assert new != text
    (committed / f"strategy/{name}").write_text(new, encoding="utf-8")
    kinds, payload = _changes(cli, committed)
    assert kinds == {("strategy", "duplicated", "strategy-2026")}
    [change] = payload["changes"]
    assert (change["owner"], change["also_at"]) == ("banco", "strategy/2026.yaml")
    assert [r["unit"] for r in payload["reviewers"]] == ["banco"]


@pytest.mark.parametrize("name", ["aaa", "zzz"])
def test_a_duplicate_id_hides_no_change_made_to_the_original_nor_its_reviewers(
    cli: Cli, committed: Path, name: str
) -> None:
    """A new file repeating an id and sorting first hid the target the same change moved in the
    original, and the original's owner was not asked: the change chose its reviewers. The original
    is compared with itself, whatever file sorts first."""
    edit(committed / "okrs/2026-Q4/cards.yaml", r"target: 75", "target: 60")
    (committed / f"okrs/2026-Q4/{name}.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: first-card-moment\nowner: discover\ncycle: 2026-Q4\n"
        "title: Other\nkey_results:\n  - {id: x, title: X from 1 to 2, baseline: 1, target: 2}\n",
        encoding="utf-8",
    )
    cards = (committed / "units/cards.yaml").read_text(encoding="utf-8")
    (committed / "units/cards.yaml").write_text(
        cards.replace("tomas.ferreira@example.com", "new.person@example.com"), encoding="utf-8"
    )
    (committed / f"units/{name}-cards.yaml").write_text(
        cards.replace("name: Cards", "name: Cards Two"), encoding="utf-8"
    )
    kinds, payload = _changes(cli, committed)
    assert ("objectives", "duplicated", "first-card-moment") in kinds
    assert ("goalposts", "target", "first-card-moment/card-activation-7d") in kinds
    assert ("units", "duplicated", "cards") in kinds and ("units", "members", "cards") in kinds
    assert not any(k in ("renamed", "owner", "parent") for _section, k, _subject in kinds)
    assert {r["unit"] for r in payload["reviewers"]} >= {"cards", "discover", "digital-services"}


def _copied_as_cards(committed: Path, rel: str, owner: str, name: str) -> None:
    """Another team copies a file as a template: the same objective id, its own ``owner``."""
    text = (committed / rel).read_text(encoding="utf-8")
    (committed / f"okrs/2026-Q4/{name}.yaml").write_text(
        text.replace(f"owner: {owner}\n", "owner: cards\n"), encoding="utf-8"
    )


@pytest.mark.parametrize("name", ["cards-draft", "zz-cards"])
def test_a_copy_sorting_first_leaves_the_effect_of_the_originals_moved_target(
    cli: Cli, committed: Path, name: str
) -> None:
    """A copy of Discover's file sorting first (``cards-draft.yaml``) made the effect of the target
    the change moved in the original count none of Discover's check-ins: "progress 0% (unchanged),
    still no-data", the objective "off-track". The effect is the one without the copy, whatever
    the copy's name."""
    edit(committed / "okrs/2026-Q4/discover.yaml", r"^    target: 50$", "    target: 55")

    def effect() -> tuple[object, str]:
        _kinds, payload = _changes(cli, committed)
        [moved] = [c for c in payload["changes"] if c["section"] == "goalposts"]
        return moved["effect"], cli("diff", "HEAD", "--repo", str(committed), "--today", TODAY).stdout

    alone, _text = effect()
    _copied_as_cards(committed, "okrs/2026-Q4/discover.yaml", "discover", name)
    with_copy, text = effect()
    assert with_copy == alone
    assert "discover-first-week added a second time, by cards" in text
    assert "no-data" not in text and "off-track" not in text and "progress 0%" not in text


def test_a_copy_sorting_first_leaves_the_original_renamed_by_the_change_its_own(cli: Cli, committed: Path) -> None:
    """Discover's file renamed (``git mv`` to ``zz-discover.yaml``) and a target moved in it, beside
    Cards' copy ``cards-draft.yaml``: diff said the objective moved to Cards, called Discover's file
    the duplicate, and counted none of Discover's check-ins ("progress 0% (unchanged), still
    no-data"). The original is the file git pairs as renamed: the effect is the one without the copy."""
    git(committed, "mv", "okrs/2026-Q4/discover.yaml", "okrs/2026-Q4/zz-discover.yaml")
    edit(committed / "okrs/2026-Q4/zz-discover.yaml", r"^    target: 90$", "    target: 85")

    def diffed() -> tuple[object, str, dict[str, list[str]]]:
        _kinds, payload = _changes(cli, committed)
        [moved] = [c for c in payload["changes"] if c["section"] == "goalposts"]
        owned = {r["unit"]: r["reasons"][0]["refs"] for r in payload["reviewers"]}  # type: ignore[union-attr]
        return moved["effect"], cli("diff", "HEAD", "--repo", str(committed), "--today", TODAY).stdout, owned

    alone, text, _owned = diffed()
    assert "key result: progress 56% → 70%, still on-track" in text
    _copied_as_cards(committed, "okrs/2026-Q4/zz-discover.yaml", "discover", "cards-draft")
    with_copy, text, owned = diffed()
    assert with_copy == alone
    assert (
        "discover-first-week added a second time, by cards in okrs/2026-Q4/cards-draft.yaml:"
        " okrs/2026-Q4/zz-discover.yaml holds this id already" in text
    )
    assert "another owner" not in text and "progress 0%" not in text
    assert owned == {"cards": ["discover-first-week"], "discover": ["discover-first-week/onboarding-completion"]}


def test_a_copy_of_the_providers_file_sorting_first_withdraws_no_acknowledgement(cli: Cli, committed: Path) -> None:
    """Cards copied Identity Platform's file as ``cards-draft.yaml``: diff said identity-platform "no
    longer acknowledges" both dependencies on it and asked both dependants, while the original,
    unchanged, still lists them under ``supports`` (align: no OKR401)."""
    _copied_as_cards(committed, "okrs/2026-Q4/identity-platform.yaml", "identity-platform", "cards-draft")
    kinds, payload = _changes(cli, committed)
    assert kinds == {("objectives", "duplicated", "identity-fast-kyc")}
    assert [r["unit"] for r in payload["reviewers"]] == ["cards"]


@pytest.mark.parametrize("names", [("aaa", "aab"), ("zz1", "zz2"), ("aaa", "zz2")])
def test_every_new_file_repeating_an_id_is_told_and_its_owner_asked(
    cli: Cli, committed: Path, names: tuple[str, str]
) -> None:
    """Two new files repeating one id, the first sorting before the original: the second was told
    nowhere but in its finding, and its owner was not asked to review it."""
    for name, owner in zip(names, ("discover", "identity-platform"), strict=True):
        (committed / f"okrs/2026-Q4/{name}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: Objective\nid: first-card-moment\nowner: {owner}\ncycle: 2026-Q4\n"
            "title: Again\nkey_results:\n  - {id: x, title: X from 1 to 2, baseline: 1, target: 2}\n",
            encoding="utf-8",
        )
    kinds, payload = _changes(cli, committed)
    told = sorted((c["path"], c["owner"], c["also_at"]) for c in payload["changes"] if c["kind"] == "duplicated")
    assert told == [
        (f"okrs/2026-Q4/{names[0]}.yaml", "discover", "okrs/2026-Q4/cards.yaml"),
        (f"okrs/2026-Q4/{names[1]}.yaml", "identity-platform", "okrs/2026-Q4/cards.yaml"),
    ]
    assert kinds == {("objectives", "duplicated", "first-card-moment")}
    assert [r["unit"] for r in payload["reviewers"]] == ["discover", "identity-platform"]


def test_a_third_file_repeating_an_id_the_base_held_twice_is_told_and_its_owner_asked(
    cli: Cli, committed: Path
) -> None:
    """The base held 'first-card-moment' twice already; a change adding it a third time was told
    nowhere and asked nobody (diff --reviewers printed nothing)."""
    cards = (committed / "okrs/2026-Q4/cards.yaml").read_text(encoding="utf-8")
    (committed / "okrs/2026-Q4/mmm.yaml").write_text(cards.replace("owner: cards", "owner: discover"), encoding="utf-8")
    git(committed, "add", "-A")
    git(committed, "commit", "-q", "-m", "a duplicate already")
    (committed / "okrs/2026-Q4/zzz.yaml").write_text(
        cards.replace("owner: cards", "owner: core-platform"), encoding="utf-8"
    )
    kinds, payload = _changes(cli, committed)
    assert kinds == {("objectives", "duplicated", "first-card-moment")}
    [change] = payload["changes"]
    assert (change["path"], change["owner"]) == ("okrs/2026-Q4/zzz.yaml", "core-platform")
    assert [r["unit"] for r in payload["reviewers"]] == ["core-platform"]


@pytest.mark.parametrize(
    ("rel", "source", "old", "new", "told"),
    [
        # An objective sorting first takes the strategy's id: the strategy was said to be removed.
        ("okrs/2026-Q4/zz.yaml", "okrs/2026-Q4/cards.yaml", "id: first-card-moment", "id: strategy-2026",
         ("objectives", "duplicated", "strategy-2026")),
        # A strategy sorting after takes an objective's id: told nowhere, nobody asked.
        ("strategy/2025.yaml", "strategy/2026.yaml", "id: strategy-2026", "id: first-card-moment",
         ("strategy", "duplicated", "first-card-moment")),
    ],
)  # fmt: skip
def test_an_objective_and_a_strategy_sharing_an_id_are_a_duplicate_not_an_addition_and_a_removal(
    cli: Cli, committed: Path, rel: str, source: str, old: str, new: str, told: tuple[str, str, str]
) -> None:
    text = (committed / source).read_text(encoding="utf-8")
    assert old in text
    (committed / rel).write_text(text.replace(old, new), encoding="utf-8")
    kinds, payload = _changes(cli, committed)
    assert kinds == {told}
    assert payload["reviewers"], payload


@pytest.mark.parametrize(("rel", "moved_to", "old", "new"), [
    ("okrs/2026-Q4/cards.yaml", "okrs/2026-Q4/cards-team.yaml", "target: 40", "target: forty"),
    ("units/discover.yaml", "units/teams/discover.yaml", "type: team", "type: squad"),
])  # fmt: skip
def test_a_file_renamed_with_an_edit_that_breaks_it_can_no_longer_be_read_not_removed(
    cli: Cli, committed: Path, rel: str, moved_to: str, old: str, new: str
) -> None:
    """The same edit without the rename says "can no longer be read"; renamed, the objective (or
    unit) was said to be removed, and the objectives it served asked to review a removal."""
    (committed / moved_to).parent.mkdir(parents=True, exist_ok=True)
    git(committed, "mv", rel, moved_to)
    text = (committed / moved_to).read_text(encoding="utf-8")
    assert old in text
    (committed / moved_to).write_text(text.replace(old, new), encoding="utf-8")
    git(committed, "commit", "-q", "-am", "rename and edit")
    code, out, err = _diff(cli, committed, "HEAD~1", "HEAD", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    changes = [(c["kind"], c["path"]) for c in payload["changes"] if c["section"] in ("objectives", "units")]
    assert changes == [("unreadable", moved_to)], changes


@pytest.mark.parametrize("renamed", [False, True])
def test_an_objective_file_that_breaks_as_it_is_renamed_is_told_as_one_that_breaks_in_place(
    cli: Cli, committed: Path, renamed: bool
) -> None:
    """Renamed and broken, the file's objectives lost their priorities' contributions and their
    dependencies (new reviewers asked of a removal), where the same break in place tells neither;
    mended as it moved, they gained them back, and "had errors on the base" named the new path."""
    rel = "okrs/2026-Q4/discover.yaml"
    where = "okrs/2026-Q4/discover-team.yaml" if renamed else rel
    if renamed:
        git(committed, "mv", rel, where)
    with (committed / where).open("a", encoding="utf-8") as handle:
        handle.write("bad: [unclosed\n")
    git(committed, "commit", "-q", "-am", "break")
    code, out, err = _diff(cli, committed, "HEAD~1", "HEAD", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    kinds = {(c["section"], c["kind"], c["subject"]) for c in payload["changes"]}
    assert kinds == {("objectives", "unreadable", "discover-first-week")}
    assert [r["unit"] for r in payload["reviewers"]] == ["discover"]
    # and back: the base broken, the change mending it as it moves back
    if renamed:
        git(committed, "mv", where, rel)
    text = (committed / rel).read_text(encoding="utf-8")
    (committed / rel).write_text(text.replace("bad: [unclosed\n", ""), encoding="utf-8")
    kinds, payload = _changes(cli, committed)
    assert kinds == {("objectives", "readable", "discover-first-week")}
    # The base could not read the file, but its lines still say whose it was, as align reads them.
    assert [r["unit"] for r in payload["reviewers"]] == ["discover"]
    shown = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20").stdout
    assert f"can be read again (discover, 2026-Q4): {where} had errors on the base" in shown


def test_a_new_file_at_the_path_a_broken_file_moved_from_is_added_not_readable_again(cli: Cli, committed: Path) -> None:
    """The broken file moved whole and a new objective took its path: it was "can be read again",
    its dependency untold and the unit it needs not asked."""
    rel, moved_to = "okrs/2026-Q4/discover.yaml", "okrs/2026-Q4/discover-team.yaml"
    with (committed / rel).open("a", encoding="utf-8") as handle:
        handle.write("bad: [unclosed\n")
    git(committed, "commit", "-q", "-am", "break")
    git(committed, "mv", rel, moved_to)
    (committed / rel).write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: discover-new-thing\nowner: discover\ncycle: 2026-Q4\n"
        "title: A brand new objective\naligns:\n  - {to: digital-first-week, type: directional}\n"
        "depends_on:\n  - {unit: core-platform, need: brand new API, for: kr-a}\nkey_results:\n"
        "  - {id: kr-a, title: Something from 1 to 2, baseline: 1, target: 2}\n"
        "  - {id: kr-b, title: Other from 1 to 2, baseline: 1, target: 2}\n",
        encoding="utf-8",
    )
    kinds, payload = _changes(cli, committed)
    assert ("objectives", "added", "discover-new-thing") in kinds
    assert any(section == "dependencies" for section, _kind, _subject in kinds)
    assert [r["unit"] for r in payload["reviewers"]] == ["discover", "core-platform"]


def test_an_objective_file_mended_by_the_change_is_not_approved_by_the_owner_it_writes_alone(
    cli: Cli, committed: Path
) -> None:
    """The base could not read Discover's file; the change mends it and gives the objective to
    Cards: Cards alone was asked. Whom the base declares (here, its file not YAML at all: its
    ``owner:`` line, as align reads it) is asked too."""
    rel = "okrs/2026-Q4/discover.yaml"
    with (committed / rel).open("a", encoding="utf-8") as handle:
        handle.write("bad: [unclosed\n")
    git(committed, "commit", "-q", "-am", "break")
    text = (committed / rel).read_text(encoding="utf-8").replace("bad: [unclosed\n", "")
    (committed / rel).write_text(text.replace("owner: discover", "owner: cards"), encoding="utf-8")
    kinds, payload = _changes(cli, committed)
    assert kinds == {("objectives", "readable", "discover-first-week")}
    assert {r["unit"] for r in payload["reviewers"]} == {"cards", "discover"}


def test_a_pace_change_shows_the_expected_progress_it_moves(cli: Cli, committed: Path) -> None:
    """A pace leaves progress alone and moves the expected progress, and with it the status: the
    line said "progress 59% (unchanged), on-track → at-risk" without the number that moved."""
    discover = committed / "okrs/2026-Q4/discover.yaml"
    edit(discover, r"^(    target: 90\n)", r"\1    pace: {2026-10-15: 85}\n")
    result = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    [line] = [row for row in result.stdout.splitlines() if row.strip().startswith("key result:")]
    assert "(unchanged)" in line and "expected " in line and " → " in line.split("expected ")[1]


def test_a_weight_change_shows_the_objectives_progress_it_moves(cli: Cli, committed: Path) -> None:
    """A key result's weight moves its objective's progress: the line said the weight alone, with
    no word of what it does to the objective, as a moved goalpost says."""
    banco = committed / "okrs/2026-Q4/banco.yaml"
    before = cli("status", "--repo", str(committed), "--today", "2026-11-20", "--format", "json")
    [objective] = [o for o in _objectives(json.loads(before.stdout)) if o["id"] == "sme-bank-of-choice"]
    edit(banco, r"(    target: 1400\n)", r"\1    weight: 3\n")
    after = cli("status", "--repo", str(committed), "--today", "2026-11-20", "--format", "json")
    [reweighted] = [o for o in _objectives(json.loads(after.stdout)) if o["id"] == "sme-bank-of-choice"]
    assert reweighted["progress"] != objective["progress"]
    _found, payload = _changes(cli, committed)
    [change] = [c for c in payload["changes"] if c["kind"] == "weight"]  # type: ignore[attr-defined]
    assert (change["old"], change["new"]) == (1, 3)
    assert change["effect"]["objective"]["progress"] == [
        round(objective["progress"], 4),
        round(reweighted["progress"], 4),
    ]
    result = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20")
    lines = result.stdout.splitlines()
    at = next(i for i, row in enumerate(lines) if "new-sme-customers weight 1 → 3" in row)
    assert lines[at + 1].strip() == (
        f"objective: progress {round(objective['progress'] * 100)}% → {round(reweighted['progress'] * 100)}%, "
        f"still {objective['status']}"
    )


def test_a_goalpost_moved_with_a_weight_shows_the_goalposts_alone(cli: Cli, committed: Path) -> None:
    """A target moved and another key result reweighted in one change: the target's objective line
    started from the old weights, so it counted the weight's effect again, and its "before" and the
    weight line's disagreed. Each line now starts where the other change alone leaves the objective
    and ends where it stands."""
    cards = committed / "okrs/2026-Q4/cards.yaml"
    original = cards.read_text(encoding="utf-8")

    def progress() -> float:
        now = cli("status", "--repo", str(committed), "--today", "2026-11-20", "--format", "json")
        [objective] = [o for o in _objectives(json.loads(now.stdout)) if o["id"] == "first-card-moment"]
        return round(objective["progress"], 4)

    edit(cards, r"(    baseline: 48\n    target: 75\n)", r"\1    weight: 4\n")
    weight_alone = progress()
    cards.write_text(original, encoding="utf-8")
    edit(cards, r"(    baseline: 6\n    target: )3\n", r"\g<1>2\n")
    target_alone = progress()
    edit(cards, r"(    baseline: 48\n    target: 75\n)", r"\1    weight: 4\n")
    both = progress()
    assert len({weight_alone, target_alone, both}) == 3
    _found, payload = _changes(cli, committed)
    changes = payload["changes"]  # type: ignore[index]
    [weight] = [c for c in changes if c["kind"] == "weight"]  # type: ignore[union-attr]
    [target] = [c for c in changes if c["kind"] == "target"]  # type: ignore[union-attr]
    assert weight["effect"]["objective"]["progress"] == [target_alone, both]
    assert target["effect"]["objective"]["progress"] == [weight_alone, both]


def _objectives(status: dict) -> list[dict]:
    """Every objective of a ``status --format json`` payload, however deep in the tree."""
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "progress" in node and "key_results" in node and "id" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(status)
    return found


@pytest.mark.parametrize("broken", ["bogus: 1\n", "x: [\n"], ids=["schema", "yaml"])
def test_a_unit_file_mended_and_moved_in_the_tree_is_reviewed_where_the_base_put_it(
    cli: Cli, committed: Path, broken: str
) -> None:
    """Cards' file did not read on the base; the change mends it and writes ``parent: discover``:
    Discover was asked to approve it, the parent the change chose. The base's declared parent
    (Digital Services) reviews it, read line by line from a file that is not YAML at all."""
    cards = committed / "units/cards.yaml"
    good = cards.read_text(encoding="utf-8")
    cards.write_text(good + broken, encoding="utf-8")
    git(committed, "commit", "-qam", "break cards")
    cards.write_text(good.replace("parent: digital-services", "parent: discover"), encoding="utf-8")
    result = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20", "--format", "json")
    assert result.exit_code == 0, result.output
    [reviewer] = json.loads(result.stdout)["reviewers"]
    assert reviewer["unit"] == "digital-services"


def test_a_change_in_a_file_with_errors_on_both_sides_is_reviewed_by_its_owner(cli: Cli, committed: Path) -> None:
    """What changed in such a file is not shown ("not compared"), and nobody was asked to review
    it: a target lowered in a file with a misspelt field went through with no reviewer."""
    cards = committed / "okrs/2026-Q4/cards.yaml"
    edit(cards, r"^work: ", "bogus: 1\nwork: ")
    git(committed, "commit", "-qam", "misspell a field")
    edit(cards, r"^    target: 75$", "    target: 60")
    _found, payload = _changes(cli, committed)
    assert payload["not_compared"] == ["okrs/2026-Q4/cards.yaml"]
    assert [(r["unit"], r["reasons"]) for r in payload["reviewers"]] == [  # type: ignore[union-attr]
        ("cards", [{"verb": "own", "refs": ["okrs/2026-Q4/cards.yaml"]}])
    ]
    listed = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20", "--reviewers")
    assert listed.stdout.split() == ["carla.mendes@example.com", "tomas.ferreira@example.com"]


@pytest.mark.parametrize(
    ("rel", "break_it", "change", "unit"),
    [
        (
            "checkins/discover/2026-11-20.yaml",
            (r"\Z", "  - Vendor update: KYC slow: 3x since Monday\n"),
            (r"^confidence: 8$", "confidence: 7"),
            "discover",
        ),
        (
            "okrs/2026-Q4/identity-platform.yaml",
            (r"^title: Make identity checks so fast", "title: Make identity checks: so fast"),
            (r"^    target: 2\.0$", "    target: 2.5"),
            "identity-platform",
        ),
    ],
    ids=["check-in", "objective"],
)
def test_a_change_in_a_file_that_is_not_yaml_on_both_sides_is_reviewed_by_the_owner_it_declares(
    cli: Cli, committed: Path, rel: str, break_it: tuple[str, str], change: tuple[str, str], unit: str
) -> None:
    """A colon in an item or a title (OKR100): align still reads the file's ``owner:`` line, but diff
    asked the top unit (banco) to review the team's edit of it, and none of the team's members."""
    edit(committed / rel, *break_it)
    git(committed, "commit", "-qam", "a YAML error")
    edit(committed / rel, *change)
    _found, payload = _changes(cli, committed)
    assert payload["not_compared"] == [rel]
    assert [(r["unit"], r["reasons"]) for r in payload["reviewers"]] == [  # type: ignore[union-attr]
        (unit, [{"verb": "own", "refs": [rel]}])
    ]
    members = (committed / f"units/{unit}.yaml").read_text(encoding="utf-8")
    listed = cli("diff", "HEAD", "--repo", str(committed), "--today", TODAY, "--reviewers")
    assert listed.exit_code == 0 and listed.stdout.split() == sorted(re.findall(r"[\w.]+@example\.com", members))


@pytest.mark.parametrize("moved_to", [None, "checkins/cards/2026-11-21.yaml"], ids=["in-place", "renamed"])
def test_a_check_in_mended_and_given_to_another_team_is_reviewed_by_the_team_its_base_file_declares(
    cli: Cli, committed: Path, moved_to: str | None
) -> None:
    """Discover's check-in had a colon too many on the base (OKR100; align still counts it as
    Discover's); the change mends it and writes ``owner: cards``: only Cards was asked."""
    rel = "checkins/discover/2026-11-20.yaml"
    edit(committed / rel, r"\Z", "  - Vendor update: KYC slow: 3x since Monday\n")
    git(committed, "commit", "-qam", "a check-in with a colon too many")
    if moved_to is not None:
        (committed / moved_to).parent.mkdir(exist_ok=True)
        git(committed, "mv", rel, moved_to)
    now = committed / (moved_to or rel)
    edit(now, "Vendor update: KYC slow: 3x", "Vendor update, KYC slow, 3x")
    edit(now, "^owner: discover$", "owner: cards")
    _kinds, payload = _changes(cli, committed)
    assert [(r["unit"], r["reasons"]) for r in payload["reviewers"]] == [  # type: ignore[union-attr]
        ("cards", [{"verb": "wrote", "refs": ["check-ins"]}]),
        ("discover", [{"verb": "own", "refs": [rel]}]),
    ]
    listed = cli("diff", "HEAD", "--repo", str(committed), "--today", TODAY, "--reviewers").stdout.split()
    assert {"ana.costa@example.com", "carla.mendes@example.com"} <= set(listed)


def test_a_retyped_key_result_says_its_new_title_and_weight_too(cli: Cli, committed: Path) -> None:
    """A key result retyped, retitled and reweighted in one change said only "retyped": its weight
    (which the goalposts' effect counts at HEAD's value) and its title went unsaid."""
    cards = committed / "okrs/2026-Q4/cards.yaml"
    edit(
        cards,
        r"    title: Physical cards arrive in 3 working days instead of 6\n    unit: days\n    baseline: 6\n    target: 3\n",
        "    title: Physical cards keep arriving within 5 working days\n    type: maintain\n    unit: days\n"
        "    max: 5\n    weight: 5\n",
    )
    found, payload = _changes(cli, committed)
    ref = "first-card-moment/card-delivery-days"
    assert {("key_results", kind, ref) for kind in ("retyped", "retitled", "weight")} <= found
    [weight] = [c for c in payload["changes"] if c["kind"] == "weight"]  # type: ignore[union-attr]
    assert (weight["old"], weight["new"]) == (1, 5) and "objective" in weight["effect"]


def test_a_goalpost_whose_unit_changed_gives_each_side_its_own_unit(cli: Cli, committed: Path) -> None:
    """``baseline 6 hours → 144 hours``: the base said 6 days."""
    cards = committed / "okrs/2026-Q4/cards.yaml"
    edit(
        cards,
        r"    unit: days\n    baseline: 6\n    target: 3\n",
        "    unit: hours\n    baseline: 144\n    target: 72\n",
    )
    result = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20")
    assert "first-card-moment/card-delivery-days baseline 6 days → 144 hours" in result.stdout
    assert "first-card-moment/card-delivery-days target 3 days → 72 hours" in result.stdout


def test_a_broken_unit_file_mended_elsewhere_is_reviewed_where_the_base_put_it(cli: Cli, committed: Path) -> None:
    """Moved to another file as it was mended (``git mv``, then ``parent: core-platform``): the unit
    was "added", and the parent the change wrote approved it."""
    cards = committed / "units/cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    git(committed, "commit", "-qam", "break cards")
    git(committed, "mv", "units/cards.yaml", "units/cards-team.yaml")
    moved = committed / "units/cards-team.yaml"
    text = moved.read_text(encoding="utf-8").replace("bogus: 1\n", "")
    moved.write_text(text.replace("parent: digital-services", "parent: core-platform"), encoding="utf-8")
    _found, payload = _changes(cli, committed)
    assert [r["unit"] for r in payload["reviewers"]] == ["digital-services"]  # type: ignore[union-attr]


def test_a_file_with_errors_moved_and_edited_or_removed_is_not_compared_and_reviewed(cli: Cli, committed: Path) -> None:
    """A file with errors on both sides moved as it was edited read "No OKR changes" with nobody to
    review it; one with errors on the base, deleted, had no line and no reviewer either."""
    cards = committed / "units/cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    objectives = committed / "okrs/2026-Q4/cards.yaml"
    edit(objectives, r"^work: ", "bogus: 1\nwork: ")
    git(committed, "commit", "-qam", "break two files")
    git(committed, "mv", "units/cards.yaml", "units/cards-team.yaml")
    edit(committed / "units/cards-team.yaml", "carla.mendes", "mallory")
    git(committed, "rm", "-q", "okrs/2026-Q4/cards.yaml")
    _found, payload = _changes(cli, committed)
    assert payload["not_compared"] == ["okrs/2026-Q4/cards.yaml", "units/cards-team.yaml"]
    reviewers = {r["unit"]: r["reasons"] for r in payload["reviewers"]}  # type: ignore[union-attr]
    assert reviewers["digital-services"] == [{"verb": "own", "refs": ["units/cards.yaml"]}]
    assert {"verb": "own", "refs": ["okrs/2026-Q4/cards.yaml"]} in reviewers["cards"]
    text = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20").stdout
    assert "No OKR changes" not in text and "Not compared: 2 files with errors changed, moved or removed" in text


@pytest.mark.parametrize("change", ["edited", "removed"])
def test_the_top_units_own_file_with_errors_is_reviewed_by_the_top_unit(cli: Cli, committed: Path, change: str) -> None:
    """The organisation's root unit file had an error on the base; a change that edits its members
    or deletes it named no reviewer at all. The top unit reviews its own file, by the addresses the
    base's file lists (never the change's)."""
    top = committed / "units/banco.yaml"
    top.write_text(top.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    git(committed, "commit", "-qam", "an error in the top unit's file")
    base_members = re.findall(r"[\w.]+@example\.com", top.read_text(encoding="utf-8"))
    if change == "edited":
        edit(top, r"(?m)^members: .*$", "members: [someone.else@example.com]")
    else:
        git(committed, "rm", "-q", "units/banco.yaml")
    _found, payload = _changes(cli, committed)
    assert payload["not_compared"] == ["units/banco.yaml"]
    assert [(r["unit"], r["members"]) for r in payload["reviewers"]] == [("banco", base_members)]  # type: ignore[union-attr]


@pytest.mark.parametrize("parent", ["parent: Digital Services", "Parent: Digital Services", "parnet: Digital Services"])
@pytest.mark.parametrize("top_broken", [True, False], ids=["top-unit-broken-too", "top-unit-reads"])
def test_a_team_file_whose_parent_does_not_read_is_not_its_own_reviewer(
    cli: Cli, committed: Path, top_broken: bool, parent: str
) -> None:
    """``parent: Digital Services`` (no id) read as "no parent": the team was taken for the top unit
    and asked to approve its own new members (the top unit's file broken too), or named as the
    unit to review it. The top unit is."""
    cards = committed / "units/cards.yaml"
    edit(cards, r"(?m)^parent: .*$", parent)  # (a misspelt key is read as the field it is closest to)
    if top_broken:
        top = committed / "units/banco.yaml"
        top.write_text(top.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    git(committed, "commit", "-qam", "errors on the base")
    edit(cards, r"(?m)^members: \[(.*)\]$", r"members: [\1, evil@example.com]")
    _found, payload = _changes(cli, committed)
    assert [(r["unit"], r["members"]) for r in payload["reviewers"]] == [  # type: ignore[union-attr]
        ("banco", ["marta.ribeiro@example.com"])
    ]


def test_a_team_file_without_a_parent_beside_a_broken_top_unit_names_no_one(cli: Cli, committed: Path) -> None:
    """Two broken unit files without a parent (the base names no single top unit): the team whose
    file the change edits was taken for the top and approved its own new members."""
    cards = committed / "units/cards.yaml"
    edit(cards, r"(?m)^parent: .*$", "parent: null")
    for rel in ("units/cards.yaml", "units/banco.yaml"):
        path = committed / rel
        path.write_text(path.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    git(committed, "commit", "-qam", "errors on the base")
    edit(cards, r"(?m)^members: \[(.*)\]$", r"members: [\1, evil@example.com]")
    _found, payload = _changes(cli, committed)
    assert payload["members"] == []
    assert all(r["unit"] != "cards" for r in payload["reviewers"])  # type: ignore[union-attr]


def test_the_top_units_broken_file_asks_each_person_once(cli: Cli, committed: Path) -> None:
    top = committed / "units/banco.yaml"
    edit(top, r"(?m)^members: .*$", "members: [Marta.Ribeiro@Example.com, marta.ribeiro@example.com]")
    top.write_text(top.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    git(committed, "commit", "-qam", "an error in the top unit's file")
    edit(top, r"(?m)^members: .*$", "members: [evil@example.com]")
    _found, payload = _changes(cli, committed)
    assert [r["members"] for r in payload["reviewers"]] == [["Marta.Ribeiro@Example.com"]]  # type: ignore[union-attr]


def test_a_goalpost_whose_unit_was_taken_away_shows_none_on_the_new_side(cli: Cli, committed: Path) -> None:
    cards = committed / "okrs/2026-Q4/cards.yaml"
    edit(cards, r"    unit: days\n    baseline: 6\n", "    baseline: 144\n")
    result = cli("diff", "HEAD", "--repo", str(committed), "--today", "2026-11-20")
    assert "first-card-moment/card-delivery-days baseline 6 days → 144\n" in result.stdout


def test_reordering_needs_or_work_items_is_no_change(cli: Cli, committed: Path) -> None:
    """Two needs of one unit for one key result, and the work links, swapped: nothing changed, and
    nobody is asked to review (they were told as two need changes and a work change)."""
    discover = committed / "okrs/2026-Q4/discover.yaml"
    two = (
        "  - {unit: identity-platform, need: KYC answer under 2 s, for: onboarding-completion}\n"
        "  - {unit: identity-platform, need: selfie check API, for: onboarding-completion}\n"
    )
    edit(discover, r"^  - \{unit: identity-platform, need: KYC answer under 2 s, for: onboarding-completion\}\n", two)
    git(committed, "commit", "-qam", "two needs")
    swapped = "".join(reversed(two.splitlines(keepends=True)))
    discover.write_text(discover.read_text(encoding="utf-8").replace(two, swapped), encoding="utf-8")
    lines = discover.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("work:\n") + 1
    end = start
    while end < len(lines) and lines[end].startswith("  - "):
        end += 1
    assert end - start >= 2  # two work links to swap
    lines[start:end] = reversed(lines[start:end])
    discover.write_text("".join(lines), encoding="utf-8")
    kinds, payload = _changes(cli, committed)
    assert kinds == set() and payload["empty"] and payload["reviewers"] == []


def test_a_rescoped_entry_is_judged_from_the_day_of_the_commit_not_today(cli: Cli, committed: Path) -> None:
    """A documented move read 11 days after its commit was "not covered" (the window was measured
    from --today); OKR601 measures it from the commit's day."""
    from tests.helpers_git import commit_at

    cards = committed / "okrs/2026-Q4/cards.yaml"
    edit(cards, r"^    target: 75$", "    target: 65")
    edit(cards, r"^key_results:", "rescoped:\n  - {date: 2026-11-20, note: card supplier cut volumes}\nkey_results:")
    commit_at(committed, "2026-11-20", "move")
    later = cli("diff", "HEAD~1", "HEAD", "--repo", str(committed), "--today", "2026-12-01")
    assert later.exit_code == 0, later.stderr
    assert "documented in rescoped (2026-11-20: card supplier cut volumes)" in later.stdout


def test_a_work_link_of_an_objective_is_reviewed_by_its_owner_alone(cli: Cli, committed: Path) -> None:
    """The teams that align to an objective were asked to review a new link under its `work`,
    which changes nothing they align to."""
    path = committed / "okrs/2026-Q4/digital-services.yaml"
    edit(path, r"^id: digital-first-week\n", "id: digital-first-week\nwork:\n  - https://tracker.example/DS-1\n")
    kinds, payload = _changes(cli, committed)
    assert kinds == {("objectives", "work", "digital-first-week")}
    assert [r["unit"] for r in payload["reviewers"]] == ["digital-services"]


@pytest.mark.parametrize("new_name", ["zzz.yaml", "00.yaml"])
def test_renaming_a_file_that_already_held_a_duplicate_adds_no_duplicate(
    cli: Cli, committed: Path, new_name: str
) -> None:
    """The base held the id twice already: moving the second file (to a name sorting after or
    before the first) was told as "added a second time", or as the objective changing owner."""
    text = (committed / "okrs/2026-Q4/discover.yaml").read_text(encoding="utf-8")
    (committed / "okrs/2026-Q4/zz.yaml").write_text(text.replace("owner: discover", "owner: cards"), encoding="utf-8")
    git(committed, "add", "-A")
    git(committed, "commit", "-qm", "a duplicate")
    git(committed, "mv", "okrs/2026-Q4/zz.yaml", f"okrs/2026-Q4/{new_name}")
    kinds, _payload = _changes(cli, committed)
    assert not any(section in ("objectives", "key_results", "goalposts") for section, _k, _s in kinds), kinds


def test_an_address_written_again_in_another_case_is_no_member_joining_or_leaving(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """``carla.mendes@…`` rewritten ``Carla.Mendes@…`` beside a real change: the diff says nobody
    joined or left Cards, and the reviewers name her once, as the base writes her (who reviews is
    who the base names)."""
    folder = git_repo(copy_example("banco"))
    edit(
        folder / "units/cards.yaml",
        r"members: \[carla.mendes@example.com,",
        "members: [Carla.Mendes@example.com, carla.mendes@example.com,",
    )
    edit(folder / "okrs/2026-Q4/cards.yaml", r"target: 75", "target: 70")
    code, out, err = _diff(cli, folder, "HEAD", "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert not [c for c in data["changes"] if c["section"] == "units"], data["changes"]
    cards = [r for r in data["reviewers"] if r["unit"] == "cards"]
    assert [r["members"] for r in cards] == [["carla.mendes@example.com", "tomas.ferreira@example.com"]]


def test_a_commit_named_by_its_message_is_a_commit(cli: Cli, branch: Path) -> None:
    """git's ``:/text`` names the youngest commit whose message matches: diff and the baseline take
    it (they once said "':/initial' names a commit, not a commit")."""
    code, out, err = _diff(cli, branch, ":/initial", "HEAD")
    assert code == 0, err
    assert "first-card-moment/card-activation-7d target 75% → 70%" in out
    gate = cli("align", "--repo", str(branch), "--today", DEMO_DAY, "--baseline", ":/initial")
    assert gate.exit_code == 0, gate.stderr
    assert "okrctl: baseline :/initial (" in gate.stderr


CARDS_SECOND = """\
apiVersion: okrctl/v1
kind: Objective
id: cards-wallet
owner: cards
cycle: 2026-Q4
title: Pay with the phone from the first day
aligns: [{to: digital-first-week, type: directional}]
key_results:
  - {id: wallet, title: Wallet payments grow from 1% to 5%, baseline: 1, target: 5}
  - {id: tap, title: Tap-to-pay users grow from 2% to 6%, baseline: 2, target: 6}
"""


def test_a_cycle_without_strategy_is_the_same_finding_whichever_file_shows_it(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """OKR210 is about a cycle and shown at its first objective by path: renaming that file, or
    adding an objective file before it, said the change introduced OKR210 and resolved it, and
    ``align --baseline --strict`` failed a change that left the cycle as uncovered as before."""
    folder = copy_example("banco")
    shutil.rmtree(folder / "strategy")
    git_repo(folder)
    git(folder, "mv", "okrs/2026-Q4/banco.yaml", "okrs/2026-Q4/zz-banco.yaml")
    code, out, err = _diff(cli, folder, "HEAD", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["findings"] == {"introduced": [], "resolved": []}
    (folder / "okrs/2026-Q4/a-cards.yaml").write_text(CARDS_SECOND, encoding="utf-8")
    git(folder, "add", "-A")
    code, out, err = _diff(cli, folder, "HEAD", "--format", "json")
    assert code == 0, err
    findings = json.loads(out)["findings"]
    assert "OKR210" not in [f["code"] for f in findings["introduced"] + findings["resolved"]]
    gate = cli(
        "align",
        "--repo",
        str(folder),
        "--today",
        TODAY,
        "--baseline",
        "HEAD",
        "--strict",
        "--show-existing",
        "-f",
        "json",
    )
    assert gate.exit_code == 0, gate.stdout
    assert [f["new"] for f in json.loads(gate.stdout)["findings"] if f["code"] == "OKR210"] == [False]


def test_a_change_in_a_file_with_errors_on_both_sides_is_said_not_compared(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """A target lowered in an objective whose file fails its schema on both sides (a misspelt
    field) is not in what ``diff`` compares, which said "No OKR changes: both sides hold the same
    objectives": it now names the file as changed and not compared, and is no empty diff."""
    folder = copy_example("banco")
    discover = folder / "okrs/2026-Q4/discover.yaml"
    edit(discover, r"^title: ", "typo: 1\ntitle: ")
    git_repo(folder)
    edit(discover, r"^    target: 90$", "    target: 85")
    code, out, err = _diff(cli, folder, "HEAD")
    assert code == 0, err
    assert "No OKR changes" not in out
    assert (
        "Not compared: 1 file with errors changed, moved or removed, and what changed in the documents with errors "
        "is not shown: okrs/2026-Q4/discover.yaml ('okrctl align' shows why)"
    ) in out.splitlines()
    payload = json.loads(_diff(cli, folder, "HEAD", "--format", "json")[1])
    assert (payload["empty"], payload["not_compared"]) == (False, ["okrs/2026-Q4/discover.yaml"])
    markdown = _diff(cli, folder, "HEAD", "--format", "markdown")[1]
    assert "`okrs/2026-Q4/discover.yaml`" in markdown and "Not compared" in markdown
    discover.write_text(discover.read_text(encoding="utf-8").replace("    target: 85\n", "    target: 90\n"))
    assert "No OKR changes" in _diff(cli, folder, "HEAD")[1]  # the same bytes again: nothing to say


@pytest.mark.parametrize("direction", ["to one per objective", "back to one number"])
def test_a_confidence_given_otherwise_than_before_moves_per_objective(cli: Cli, branch: Path, direction: str) -> None:
    """One number before and one per objective after (or back): the one number is every
    objective's, and the move a map of numbers by objective, never a number beside a mapping."""
    two = branch / "okrs" / "2026-Q4" / "two.yaml"
    two.write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: disc-two\nowner: discover\ncycle: 2026-Q4\ntitle: Two\n"
        "aligns: [{to: digital-first-week}]\nkey_results:\n"
        "  - {id: s-a, title: A rises from 1 to 2, baseline: 1, target: 2}\n",
        encoding="utf-8",
    )
    checkin = branch / "checkins" / "discover" / "2026-11-27.yaml"
    head = "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-27\n"
    per_objective = "confidence: {discover-first-week: 3, disc-two: 9}\n"
    if direction == "back to one number":
        checkin.write_text(head + per_objective, encoding="utf-8")
    git(branch, "add", "-A")
    git(branch, "commit", "-q", "-m", "a second objective" + (" and a check-in" if checkin.exists() else ""))
    checkin.write_text(head + ("confidence: 5\n" if checkin.exists() else per_objective), encoding="utf-8")
    code, out, err = _diff(cli, branch, "HEAD", "--format", "json", "--today", "2026-11-27")
    assert code == 0, err
    found = next(c for c in json.loads(out)["changes"] if c["section"] == "activity" and c["owner"] == "discover")
    if direction == "to one per objective":
        assert found["confidence"] == {"discover-first-week": [8.0, 3.0], "disc-two": [8.0, 9.0]}
    else:
        assert found["confidence"] == {"discover-first-week": [3.0, 5.0], "disc-two": [9.0, 5.0]}
    text = _diff(cli, branch, "HEAD", "--today", "2026-11-27")[1]
    assert "{" not in text.split("discover:", 1)[1].splitlines()[0]


def test_an_activity_change_gives_every_objectives_confidence_before_and_after(cli: Cli, committed: Path) -> None:
    """The JSON gave a team of one confidence number its unchanged number (``"": [8, 8]``) but left
    out each objective of a team giving one per objective whose confidence stayed the same (only
    resilient-digital-channels, 8 → 6, of Digital Services' three). Every objective's pair is given;
    the text line still names only what moved."""
    folder = committed / "checkins"
    for team, was, now in (
        ("digital-services", "resilient-digital-channels: 8", "resilient-digital-channels: 6"),
        ("discover", "confidence: 8", "confidence: 8"),
    ):
        text = (folder / team / "2026-11-20.yaml").read_text(encoding="utf-8").replace("2026-11-20", "2026-11-27")
        assert was in text
        (folder / team / "2026-11-27.yaml").write_text(text.replace(was, now), encoding="utf-8")
    code, out, err = _diff(cli, committed, "HEAD", "--format", "json", "--today", "2026-11-27")
    assert code == 0, err
    activity = {c["subject"]: c for c in json.loads(out)["changes"] if c["section"] == "activity"}
    assert activity["digital-services"]["confidence"] == {
        "digital-first-week": [7.0, 7.0],
        "resilient-digital-channels": [8.0, 6.0],
        "sme-digital-banking": [5.0, 5.0],
    }
    assert activity["discover"]["confidence"] == {"": [8.0, 8.0]}
    assert activity["digital-services"]["text"] == (
        "digital-services: 1 check-in, confidence (resilient-digital-channels) 8 → 6"
    )
    assert activity["discover"]["text"] == "discover: 1 check-in"


@pytest.mark.parametrize("format", ["text", "markdown"])
def test_a_file_name_with_a_control_character_is_shown_escaped_as_align_shows_it(
    cli: Cli, branch: Path, format: str
) -> None:
    """Dropped, a carriage return named ``units/badname.yaml``, a file that does not exist."""
    (branch / "units" / "bad\rname.yaml").write_text("a: [\n", encoding="utf-8")
    code, out, err = _diff(cli, branch, "HEAD", "--format", format)
    assert code == 0, err
    assert "units/bad\\x0dname.yaml:1" in out and "badname" not in out and "\r" not in out
    aligned = cli("align", "--repo", str(branch), "--today", TODAY, "--format", "concise")
    assert "units/bad\\x0dname.yaml:1:5" in aligned.stdout


def test_a_unit_change_is_reviewed_by_the_unit_above_it_never_by_the_members_it_adds(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """As CODEOWNERS has it, a unit's file is the unit above's to review: a member who adds
    themself is not among the reviewers, and a unit moved in the tree is reviewed by the unit it
    leaves and the unit it joins."""
    folder = git_repo(copy_example("banco"))
    edit(folder / "units/cards.yaml", r"^members: \[", "members: [mallory@evil.example, ")
    edit(folder / "units/core-platform.yaml", r"^parent: digital-services$", "parent: banco")
    code, out, err = _diff(cli, folder, "HEAD", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert sorted(r["unit"] for r in report["reviewers"]) == ["banco", "digital-services"]
    assert "mallory@evil.example" not in report["members"]
    codeowners = cli("codeowners", "--repo", str(folder)).stdout
    owners_of_cards = next(line for line in codeowners.splitlines() if line.startswith("/units/cards.yaml"))
    digital = (folder / "units/digital-services.yaml").read_text(encoding="utf-8")
    assert all(address in digital for address in owners_of_cards.split()[1:])


def test_the_reviewers_are_the_members_the_base_names_never_those_the_change_writes(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """A change that replaced Discover's members and lowered its target was sent to the member it
    wrote alone; one that added a member to the top unit listed that member as its reviewer."""
    folder = git_repo(copy_example("banco"))
    edit(folder / "units/discover.yaml", r"^members: \[.*\]$", "members: [mallory@evil.example]")
    edit(folder / "okrs/2026-Q4/discover.yaml", r"^    target: 90$", "    target: 70")
    report = _json_diff(cli, folder, "HEAD")
    assert "mallory@evil.example" not in report["members"]
    discover = next(r for r in report["reviewers"] if r["unit"] == "discover")
    assert discover["members"] == ["ana.costa@example.com", "rui.almeida@example.com", "sofia.nunes@example.com"]
    git(folder, "checkout", "-q", "--", ".")
    edit(
        folder / "units/banco.yaml",
        r"^members: \[marta.ribeiro@example.com\]$",
        "members: [marta.ribeiro@example.com, x@evil.example]",
    )
    report = _json_diff(cli, folder, "HEAD")
    assert "x@evil.example" not in report["members"] and "marta.ribeiro@example.com" in report["members"]


def test_a_unit_whose_file_the_base_could_not_read_is_reviewed_by_the_unit_above_it(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """Cards' file broken on the base, a change that mends it with its own member list and lowers
    Cards' target was sent to the member it wrote: the base's unit above Cards is asked instead."""
    folder = git_repo(copy_example("banco"))
    unit = folder / "units/cards.yaml"
    whole = unit.read_text(encoding="utf-8")
    unit.write_text(whole + "colour: red\n", encoding="utf-8")  # broken, its parent still declared
    git(folder, "commit", "-qam", "a broken unit file")
    unit.write_text(re.sub(r"(?m)^members: \[.*\]$", "members: [mallory@evil.example]", whole), encoding="utf-8")
    edit(folder / "okrs/2026-Q4/cards.yaml", r"^    target: 75$", "    target: 60")
    report = _json_diff(cli, folder, "HEAD")
    assert "mallory@evil.example" not in report["members"], report["reviewers"]
    cards = next(r for r in report["reviewers"] if r["unit"] == "cards")
    above = (folder / "units/digital-services.yaml").read_text(encoding="utf-8")
    assert cards["members"] and all(member in above for member in cards["members"])


def test_a_change_that_mends_a_broken_unit_cannot_choose_its_reviewer_by_its_parent(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """The base's Discover has a parent no one can read; the change mends it under Cards, whose
    members were then asked for Discover's own change, Discover's real parent never. The parent
    the base declares is followed, else the base's top unit is asked."""
    folder = git_repo(copy_example("banco"))
    unit = folder / "units/discover.yaml"
    whole = unit.read_text(encoding="utf-8")
    unit.write_text(whole.replace("parent: digital-services", "parent: [digital-services]"), encoding="utf-8")
    git(folder, "commit", "-qam", "a parent no one can read")
    mended = whole.replace("parent: digital-services", "parent: cards")
    unit.write_text(re.sub(r"(?m)^members: \[.*\]$", "members: [mallory@evil.example]", mended), encoding="utf-8")
    edit(folder / "okrs/2026-Q4/discover.yaml", r"^    target: 90$", "    target: 70")
    report = _json_diff(cli, folder, "HEAD")
    discover = next(r for r in report["reviewers"] if r["unit"] == "discover")
    assert discover["members"] == ["marta.ribeiro@example.com"], report["reviewers"]  # the base's top unit
    assert "mallory@evil.example" not in report["members"]


@pytest.mark.parametrize("how", ["the top unit broken", "renamed as it is mended"])
def test_a_change_that_mends_a_broken_unit_never_names_its_approvers(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path], how: str
) -> None:
    """The top unit broken on the base (no unit above it to ask), or a broken unit file renamed
    while it is mended (its path new to the base): the members the change wrote were asked."""
    folder = git_repo(copy_example("banco"))
    name = "banco" if how == "the top unit broken" else "cards"
    unit = folder / f"units/{name}.yaml"
    whole = unit.read_text(encoding="utf-8")
    unit.write_text(whole + "colour: red\n", encoding="utf-8")
    git(folder, "commit", "-qam", "a broken unit file")
    unit.write_text(re.sub(r"(?m)^members: \[.*\]$", "members: [mallory@evil.example]", whole), encoding="utf-8")
    if how == "renamed as it is mended":
        git(folder, "mv", f"units/{name}.yaml", "units/cards-team.yaml")
        edit(folder / "okrs/2026-Q4/cards.yaml", r"^    target: 75$", "    target: 60")
    else:
        edit(folder / "okrs/2026-Q4/banco.yaml", r"^    target: 1400$", "    target: 1000")
    report = _json_diff(cli, folder, "HEAD")
    assert "mallory@evil.example" not in report["members"], report["reviewers"]


def test_a_key_result_retyped_names_its_new_goalposts_and_their_effect(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """metric → maintain was one line, "retyped", with no goalposts and no effect, while the
    objective fell from on-track to at-risk."""
    folder = git_repo(copy_example("banco"))
    path = folder / "okrs/2026-Q4/digital-services.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    unit: minutes\n    baseline: 9.0\n    target: 7.65"
    assert old in text
    path.write_text(
        text.replace(old, "    type: maintain\n    unit: minutes\n    min: 0\n    max: 8", 1), encoding="utf-8"
    )
    report = _json_diff(cli, folder, "HEAD")
    moved = [(c["kind"], c["old"], c["new"]) for c in report["changes"] if c["section"] == "goalposts"]
    assert moved == [("baseline", 9.0, None), ("target", 7.65, None), ("min", None, 0), ("max", None, 8)]
    effect = next(c for c in report["changes"] if c["section"] == "goalposts")["effect"]["objective"]
    assert effect["status"] == ["at-risk", "off-track"], effect  # (on TODAY, a week after the examples' last)
    status = json.loads(
        cli("status", "--repo", str(folder), "--team", "digital-services", "--today", TODAY, "-f", "json").stdout
    )
    assert effect["progress"][1] == round(status["objectives"][0]["progress"], 4), (effect, status["objectives"][0])


def _json_diff(cli: Cli, folder: Path, *args: str) -> dict:
    code, out, err = _diff(cli, folder, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_diff_judges_findings_new_as_the_gate_does(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """The job summary (from diff) contradicted the gate: a finding only the calendar raises
    (OKR501 once a team's check-ins are taken out) was "introduced", and a broken okrctl.yaml the
    base already had was not, though align --baseline blocks on it (no view runs)."""
    folder = git_repo(copy_example("banco"))
    git(folder, "switch", "-q", "-c", "pr")
    git(folder, "rm", "-q", "checkins/cards/2026-11-13.yaml", "checkins/cards/2026-11-20.yaml")
    git(folder, "commit", "-q", "-m", "take out two check-ins")
    report = _json_diff(cli, folder, "main")
    assert [f["code"] for f in report["findings"]["introduced"]] == []
    gate = cli(
        "align", "--repo", str(folder), "--today", TODAY, "--baseline", "main", "--format", "json", "--show-existing"
    )
    assert gate.exit_code == 0 and not any(f["new"] for f in json.loads(gate.stdout)["findings"])
    assert "OKR501" in {f["code"] for f in json.loads(gate.stdout)["findings"]}
    # The other way: main's okrctl.yaml is broken, and the change only adds a check-in.
    git(folder, "switch", "-q", "main")
    edit(folder / "okrctl.yaml", r"^  stale_after_days: 10 ", "  stale_after_days: 0 ")
    git(folder, "commit", "-q", "-am", "a setting okrctl refuses")
    git(folder, "switch", "-q", "-c", "more")
    shutil.copy(folder / "checkins/cards/2026-11-20.yaml", folder / "checkins/cards/2026-11-21.yaml")
    edit(folder / "checkins/cards/2026-11-21.yaml", r"^date: .*$", "date: 2026-11-21")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "a check-in")
    report = _json_diff(cli, folder, "main")
    assert [f["code"] for f in report["findings"]["introduced"]] == ["OKR101"]
    assert [f["path"] for f in report["findings"]["introduced"]] == ["okrctl.yaml"]


def test_a_finding_resolved_by_a_split_is_named_where_the_base_had_it(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """A file of two objectives split in two (git pairs it with the first part as a rename): the
    second objective's finding was "resolved" at the renamed file's path and the old line, a
    place that never held it."""
    folder = copy_example("banco")
    rewards = (
        "apiVersion: okrctl/v1\nkind: Objective\nid: cards-rewards\nowner: cards\ncycle: 2026-Q4\n"
        "title: Rewards that bring customers back\naligns: [{to: digital-first-week}]\nkey_results:\n"
        '  - {id: rewards-enrolled, title: Customers enrolled in rewards grow from 5% to 20%, unit: "%", baseline: 5, target: 20}\n'
        "  - {id: rewards-redeemed, title: Rewards redeemed per month grow from 100 to 400, unit: n, baseline: 100, target: 400}\n"
    )
    fees = (
        "apiVersion: okrctl/v1\nkind: Objective\nid: cards-fees\nowner: cards\ncycle: 2026-Q4\n"
        "title: Fees customers understand\naligns: [{to: digital-first-week}]\nkey_results:\n"
        "  - {id: fee-complaints, title: Fee complaints fall from 300 a month, unit: n, baseline: 300}\n"
        "  - {id: fee-page-visits, title: Fee page visits grow from 1000 to 3000, unit: n, baseline: 1000, target: 3000}\n"
    )
    (folder / "okrs/2026-Q4/cards-extra.yaml").write_text(rewards + "---\n" + fees, encoding="utf-8")
    git_repo(folder)
    git(folder, "switch", "-q", "-c", "split")
    git(folder, "mv", "okrs/2026-Q4/cards-extra.yaml", "okrs/2026-Q4/cards-rewards.yaml")
    (folder / "okrs/2026-Q4/cards-rewards.yaml").write_text(rewards, encoding="utf-8")
    (folder / "okrs/2026-Q4/cards-fees.yaml").write_text(fees, encoding="utf-8")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "one objective a file")
    findings = _json_diff(cli, folder, "main")["findings"]
    assert [(f["path"], f["line"]) for f in findings["resolved"] if f["code"] == "OKR303"] == [
        ("okrs/2026-Q4/cards-extra.yaml", 20)
    ]
    assert [(f["path"], f["line"]) for f in findings["introduced"] if f["code"] == "OKR303"] == [
        ("okrs/2026-Q4/cards-fees.yaml", 9)
    ]
