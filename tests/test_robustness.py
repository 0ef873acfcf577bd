"""No input makes okrctl crash: every command on a repository full of broken files ends cleanly."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, ROOT, without_privileges

BAD = sorted((ROOT / "tests" / "fixtures" / "bad").glob("*.yaml"))

COMMANDS = [
    ["align", "--format", "json"],
    ["align", "--format", "sarif", "--cycle", "all"],
    ["status"],
    ["status", "--team", "discover", "--format", "json"],
    ["trends", "--format", "csv"],
    ["report", "--unit", "digital-services"],
    ["report", "--format", "html"],
    ["map", "--format", "mermaid"],
    ["retro", "--team", "discover"],
    ["retro", "--unit", "banco", "--format", "json"],
    ["plan", "--team", "cards"],
    ["history"],
    ["checkin", "--team", "discover", "-c", "7", "--dry-run"],
]


@pytest.fixture(scope="module")
def broken_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bank example with every bad fixture dropped in, plus unreadable bytes."""
    repo = tmp_path_factory.mktemp("broken") / "banco"
    shutil.copytree(EXAMPLES / "banco", repo)
    extra = repo / "zz-broken"
    extra.mkdir()
    for path in BAD:
        shutil.copy(path, extra / path.name)
    (extra / "binary.yaml").write_bytes(bytes(range(256)))
    (extra / "latin1.yaml").write_bytes(b"apiVersion: okrctl/v1\nkind: Unit\nid: x\nname: Jos\xe9\n")
    (extra / "empty.yaml").write_bytes(b"")
    (extra / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    (extra / "scalar.yaml").write_text("just text\n", encoding="utf-8")
    return repo


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_every_command_ends_cleanly_on_a_broken_repository(broken_bank, command):
    result = subprocess.run(
        [sys.executable, "-m", "okrctl", *command, "--repo", str(broken_bank), "--today", DEMO_DAY],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "OKRCTL_NO_CACHE": "1", "HOME": str(broken_bank.parent)},
        timeout=120,
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode in (0, 1, 2), result.stderr
    if result.returncode:
        assert result.stderr.count("\n") <= 1 or command[0] == "align", result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--format", "json"],
        ["retro", "--team", "discover"],
        ["retro", "--unit", "banco", "--format", "json"],
        ["plan", "--team", "cards", "--format", "markdown"],
    ],
    ids=["status", "retro-team", "retro-unit", "plan"],
)
def test_views_say_when_documents_were_left_out(cli, broken_bank, command):
    result = cli(*command, "--repo", str(broken_bank), "--today", DEMO_DAY)
    assert result.exit_code == 0
    assert result.stderr.startswith("okrctl: note: ")
    assert "are left out of what is shown" in result.stderr and "'okrctl align' shows why" in result.stderr


@pytest.mark.parametrize(
    "comment", ["# okrctl: ignroe[OKR201]", "# okrctl: ignore[okr201, OKR52]"], ids=["OKR107", "OKR104"]
)
def test_a_file_whose_only_error_is_its_okrctl_comment_is_not_said_to_be_left_out(
    cli, copy_example, git_repo, tmp_path, comment
):
    """A misspelt ``# okrctl:`` comment is a finding on the comment; its objective is read and
    shown. Every view said the file's documents were left out, and the site's index counted "1
    file problem left documents out", while they showed and used the objective."""
    root = git_repo(copy_example("banco"))
    path = root / "okrs" / "2026-Q4" / "discover.yaml"
    path.write_text(comment + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    found = cli("align", "--repo", str(root), "--today", DEMO_DAY, "--format", "json")
    assert found.exit_code == 1
    assert {f["code"] for f in json.loads(found.stdout)["findings"]} <= {"OKR104", "OKR107"}
    status = cli("status", "--repo", str(root), "--today", DEMO_DAY, "--format", "json")
    assert status.exit_code == 0 and status.stderr == ""
    assert "discover-first-week" in status.stdout
    checkin = cli("checkin", "--repo", str(root), "--team", "discover", "-c", "6", "--today", "2026-11-27", "--dry-run")
    assert checkin.exit_code == 0 and "left out" not in checkin.stderr
    site = cli("site", str(tmp_path / "public"), "--repo", str(root), "--today", DEMO_DAY, "--no-history")
    assert site.exit_code == 0 and "left out" not in site.stderr
    index = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert "left documents out" not in index
    assert (tmp_path / "public" / "objectives" / "discover-first-week.html").is_file()


def test_a_broken_config_stops_the_views_with_its_line(cli, copy_example):
    repo = copy_example("saas")
    with open(repo / "okrctl.yaml", "a", encoding="utf-8") as handle:
        handle.write("colour: blue\n")
    lines = (repo / "okrctl.yaml").read_text().count("\n")
    for command in (["status"], ["trends"], ["report"], ["map"]):
        result = cli(*command, "--repo", str(repo), "--today", DEMO_DAY)
        assert result.exit_code == 1
        assert result.stderr == (
            f"okrctl: okrctl.yaml:{lines}: unknown field 'colour'; fix the config first "
            "('okrctl align' shows every problem)\n"
        )


def test_init_refuses_a_repository_inside_another(cli, tmp_path):
    assert cli("init", str(tmp_path / "outer"), "--no-commit").exit_code == 0
    result = cli("init", str(tmp_path / "outer" / "teams" / "inner"), "--no-commit")
    assert result.exit_code == 1
    assert "is inside the OKR repository at" in result.stderr
    assert not (tmp_path / "outer" / "teams").exists()


def test_retro_takes_a_team_or_a_unit_not_both(cli):
    result = cli(
        "retro", "--repo", str(EXAMPLES / "banco"), "--team", "discover", "--unit", "banco", "--today", DEMO_DAY
    )
    assert result.exit_code == 2
    assert result.stderr == "okrctl: --team and --unit: give one (a team's retro, or a unit's overview)\n"


def test_an_unwritable_path_is_one_line_and_exit_1(cli):
    """A folder the system will not make (SPEC §4: a file that cannot be written is exit 1, not 2)."""
    result = cli("schema", "--output", "/proc/no-such-folder/schema")
    assert result.exit_code == 1
    assert result.stderr == (
        "okrctl: /proc/no-such-folder/schema/config.schema.json: cannot be written: No such file or directory; "
        "nothing was written\n"
    )


def test_a_confidence_outside_the_scale_is_reported_once_and_kept_out_of_trends(cli, copy_example):
    import json

    repo = copy_example("banco")
    week = repo / "checkins" / "discover" / "2026-11-13.yaml"
    week.write_text(week.read_text().replace("confidence: 7", "confidence: 12"))
    assert "confidence: 12" in week.read_text()
    report = json.loads(cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json").stdout)
    assert [f["code"] for f in report["findings"]] == ["OKR504"]
    status = json.loads(
        cli("status", "--repo", str(repo), "--team", "discover", "--today", DEMO_DAY, "--format", "json").stdout
    )
    trend = [point["confidence"] for point in status["objectives"][0]["confidence_trend"]]
    assert 12 not in trend and len(trend) == 7


@pytest.mark.slow
def test_a_folder_that_cannot_be_read_is_a_finding_not_silence(copy_example, tmp_path):
    """An unreadable folder of check-ins used to vanish: the team looked as if it never checked in."""
    import json
    import os

    root = copy_example("banco")
    folder = root / "checkins" / "discover"
    folder.chmod(0)
    try:
        env = {**os.environ, "OKRCTL_CACHE_DIR": str(tmp_path / "store"), "PYTHONPATH": str(ROOT)}
        env.pop("OKRCTL_NO_CACHE", None)
        for _ in range(2):  # the store remembers files, never a folder it could not list
            result = subprocess.run(
                [*without_privileges(), sys.executable, "-m", "okrctl", "align", "--format", "json"]
                + ["--repo", str(root), "--today", DEMO_DAY],
                capture_output=True,
                text=True,
                env=env,
            )
            assert result.returncode == 1, result.stderr
            found = [f for f in json.loads(result.stdout)["findings"] if f["path"].startswith("checkins/discover")]
            assert [(f["code"], f["path"], f["message"]) for f in found] == [
                ("OKR100", "checkins/discover/", "cannot read folder: Permission denied; no file in it is read")
            ]
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize(
    ("blocked", "said"),
    [
        ("okrs/2026-Q4/cards.yaml", "cannot read file: Permission denied"),
        # The only objective aligned to Digital Services' 'resilient-digital-channels' is in it:
        # that objective "had nothing aligned to it" (OKR202).
        ("okrs/2026-Q4/core-platform.yaml", "cannot read file: Permission denied"),
        ("checkins/discover", "cannot read folder: Permission denied; no file in it is read"),
        ("checkins", "cannot read folder: Permission denied; no file in it is read"),
        # Paths that name no unit may hold anything: an OKR210 and three OKR104 (targets in the
        # strategy), 56 OKR502 (every check-in, the quarter's objectives unknown), 16 OKR104 (a unit
        # whose file cannot be read is named in no path that is a unit's) followed them.
        ("strategy/2026.yaml", "cannot read file: Permission denied"),
        ("okrs/2026-Q4", "cannot read folder: Permission denied; no file in it is read"),
        ("units/digital-services.yaml", "cannot read file: Permission denied"),
    ],
)
@pytest.mark.slow
def test_an_unreadable_file_or_folder_is_one_finding_with_no_echo(copy_example, tmp_path, blocked, said):
    """An objective file okrctl could not open left the team without objectives: eight OKR502, one
    per check-in of Cards ("outside every cycle"), and an OKR202 on the objective above it that it
    alone served; a check-in folder gave an OKR501 ("has not checked in at all"). The OKR100 is the
    one finding."""

    root = copy_example("banco")
    (root / blocked).chmod(0)
    try:
        findings = _unprivileged_align(root, tmp_path / "store")
    finally:
        (root / blocked).chmod(0o755)
    found = [(f["code"], f["path"], f["message"]) for f in findings]
    assert found == [("OKR100", blocked + ("/" if (root / blocked).is_dir() else ""), said)]


def _unprivileged_align(root, store) -> list[dict]:
    """The findings of ``align --format json`` run as a user whom file modes bind (exit 1)."""
    import json
    import os

    env = {**os.environ, "OKRCTL_CACHE_DIR": str(store), "PYTHONPATH": str(ROOT)}
    env.pop("OKRCTL_NO_CACHE", None)
    result = subprocess.run(
        [*without_privileges(), sys.executable, "-m", "okrctl", "align", "--format", "json", "--no-history"]
        + ["--repo", str(root), "--today", DEMO_DAY],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)["findings"]


@pytest.mark.slow
def test_an_unreadable_file_leaves_every_unrelated_finding_reported(copy_example, tmp_path):
    """What an unreadable file may hold is unknown, but only what its path names is unsettled: a
    unit's misspelt parent and a dependency no one acknowledges elsewhere are still reported."""

    root = copy_example("banco")
    units = root / "units" / "cards.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("parent: digital-services", "parent: digital-servics"))
    platform = root / "okrs" / "2026-Q4" / "identity-platform.yaml"
    text = platform.read_text(encoding="utf-8")
    assert "supports: [discover-first-week, sme-open-in-app]" in text
    platform.write_text(text.replace("supports: [discover-first-week, sme-open-in-app]", "supports: [sme-open-in-app]"))

    def codes() -> list[tuple[str, str]]:
        return sorted((f["code"], f["path"]) for f in _unprivileged_align(root, tmp_path / "store"))

    before = codes()
    assert ("OKR104", "units/cards.yaml") in before and any(code == "OKR401" for code, _ in before)
    blocked = root / "checkins" / "discover" / "2026-10-02.yaml"
    blocked.chmod(0)
    try:
        assert codes() == sorted([*before, ("OKR100", "checkins/discover/2026-10-02.yaml")])
    finally:
        blocked.chmod(0o644)


@pytest.mark.slow
def test_a_repository_folder_that_can_be_entered_but_not_listed_is_named_and_its_config_read(copy_example, tmp_path):
    """Run from inside a root whose listing is refused (mode 311): the finding names it ``./`` (not
    an empty path), and okrctl.yaml, found by its name, is still read (no "no Config document")."""
    import json
    import os

    root = copy_example("banco")
    env = {**os.environ, "OKRCTL_CACHE_DIR": str(tmp_path / "store"), "PYTHONPATH": str(ROOT)}
    env.pop("OKRCTL_NO_CACHE", None)
    root.chmod(0o311)
    try:
        result = subprocess.run(
            [*without_privileges(), sys.executable, "-m", "okrctl", "align", "--format", "json", "--today", DEMO_DAY],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
        )
        status = subprocess.run(
            [*without_privileges(), sys.executable, "-m", "okrctl", "status", "--today", DEMO_DAY],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
        )
    finally:
        root.chmod(0o755)
    assert result.returncode == 1, result.stderr
    found = [(f["code"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("OKR100", "./", "cannot read folder: Permission denied; no file in it is read")]
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("Banco Exemplo · 2026-11-20")  # the config's organisation
    assert "(first: ./)" in status.stderr


def _strict_json(text: str) -> object:
    """JSON as RFC 8259 has it: ``NaN`` and ``Infinity`` (which Python writes and reads) are not."""
    import json

    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_numbers_at_the_edge_of_reach_give_valid_json_everywhere(cli, copy_example):
    """Values of ±10^15 (the most okrctl takes) in a key result, a check-in and a weight: every
    number okrctl works out from them is finite, so each JSON output is valid JSON. Past that reach
    a value is refused with its place (OKR101); at -1.7e308 the forecast was NaN in status -f json."""
    root = copy_example("banco")
    objective = root / "okrs" / "2026-Q4" / "discover.yaml"
    text = objective.read_text(encoding="utf-8")
    assert "baseline: 65" in text and "target: 90" in text
    objective.write_text(
        text.replace("baseline: 65", "baseline: -1e15", 1).replace("target: 90", "target: 1e15", 1), encoding="utf-8"
    )
    checkin = root / "checkins" / "discover" / "2026-11-20.yaml"
    text = checkin.read_text(encoding="utf-8")
    assert "onboarding-completion: 79" in text
    checkin.write_text(text.replace("onboarding-completion: 79", "onboarding-completion: 1e15", 1), encoding="utf-8")
    where = ("--repo", str(root), "--today", DEMO_DAY)
    for args in (
        ["status", "--format", "json"],
        ["status", "--team", "discover", "--format", "json"],
        ["report", "--format", "json", "--no-history"],
        ["trends", "--format", "json"],
        ["retro", "--team", "discover", "--format", "json"],
        ["map", "--format", "json"],
        ["digest", "--format", "json"],
        ["align", "--format", "json", "--no-history"],
    ):
        result = cli(*args, *where)
        assert result.exit_code in (0, 1), (args, result.output)
        _strict_json(result.stdout)
    beyond = checkin.read_text(encoding="utf-8").replace("onboarding-completion: 1e15", "onboarding-completion: 2e15")
    checkin.write_text(beyond, encoding="utf-8")
    refused = cli("align", *where, "--format", "concise", "--no-history")
    place = "checkins/discover/2026-11-20.yaml:10:26"
    assert f"{place}: OKR101 error results.onboarding-completion: 2e15 is above" in refused.stdout


@pytest.mark.parametrize("kind", ["fifo", "folder", "device-link", "dangling-link"])
def test_an_okrctl_yaml_that_is_no_file_is_named_not_taken_for_missing(cli, copy_example, kind) -> None:
    """okrctl.yaml replaced by a pipe (never opened: no hang), a folder, a link to a device or a
    link to nothing: one line naming it, not "no okrctl.yaml … run 'okrctl init'"."""
    root = copy_example("banco")
    config = root / "okrctl.yaml"
    config.unlink()
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "folder":
        config.mkdir()
    elif kind == "device-link":
        config.symlink_to("/dev/zero")
    else:
        config.symlink_to(root / "gone.yaml")
    result = cli("status", "--repo", str(root), "--today", "2026-11-20")
    assert result.exit_code == 2
    what = {
        "fifo": "not a regular file (a pipe, device or socket)",
        "folder": "a folder",
        "device-link": "not a regular file (a pipe, device or socket)",
        "dangling-link": "a symbolic link to nothing",
    }[kind]
    assert result.stderr == f"okrctl: {config}: {what}; okrctl reads its config from a file\n"


def test_a_repo_path_with_a_newline_or_escape_stays_one_escaped_line(cli) -> None:
    result = cli("align", "--repo", "x\x1b]0;P\x07\ny")
    assert result.exit_code == 2
    assert result.stderr == "okrctl: --repo: no such folder: x\\x1b]0;P\\x07\\x0ay\n"


NESTED_TOO_DEEP = {
    "block entries": "- " * 30_000 + "x\n",
    "flow sequences": "a: " + "[" * 30_000 + "]" * 30_000 + "\n",
    "flow mappings": "{a: " * 60_000 + "\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("text", list(NESTED_TOO_DEEP.values()), ids=list(NESTED_TOO_DEEP))
def test_a_file_nested_tens_of_thousands_deep_is_a_finding_not_a_crash(copy_example, text: str) -> None:
    """The C composer nests by recursion: 30,000 levels overflowed the stack (a segmentation fault,
    exit 139, nothing said) in every command. The nesting limit is a finding, as for 100 levels.
    Run in a child process: a crash here would take the test run with it."""
    root = copy_example("banco")
    (root / "okrs/2026-Q4/deep.yaml").write_text(text, encoding="utf-8")
    for command in (["align", "--format", "concise"], ["status"]):
        result = subprocess.run(
            [sys.executable, "-m", "okrctl", *command, "--repo", str(root), "--today", DEMO_DAY],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1"},
            timeout=120,
        )
        assert result.returncode in (0, 1), (command, result.returncode, result.stderr[-500:])
        said = result.stdout if command[0] == "align" else result.stderr
        assert "nesting deeper than 64 levels" in said or "okrs/2026-Q4/deep.yaml" in said, said


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_a_file_of_as_many_documents_as_allowed_is_read_once_each(copy_example) -> None:
    """Each invalid document of a file was placed by a search through every document of the file:
    40,000 documents took 34 s, a file of 1 MiB minutes. Each is found by its index now; every one is
    placed at its own line. A file holds at most 10,000 documents since (one more is OKR100, a
    fixture of tests/fixtures/bad). (The timeout guards against a hang, it measures nothing.)"""
    from okrctl.load.yamlparse import MAX_DOCUMENTS

    root = copy_example("banco")
    (root / "okrs/2026-Q4/many.yaml").write_text("---\nx: 1\n" * MAX_DOCUMENTS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "okrctl", "align", "--format", "concise", "--repo", str(root), "--today", DEMO_DAY],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1"},
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("okrs/2026-Q4/many.yaml:")]
    assert len(lines) == MAX_DOCUMENTS
    assert lines[-1].startswith(f"okrs/2026-Q4/many.yaml:{2 * MAX_DOCUMENTS}:1: OKR103")


def test_a_checkin_says_when_its_teams_last_confidence_is_off_the_scale(cli, copy_example, git_repo):
    """The check-in's screen drops a confidence outside the scale (OKR504) from the team's trend, as
    the views do; the views say so on standard error, the check-in said nothing. Another team's such
    confidence is not this check-in's to mention."""
    root = git_repo(copy_example("banco"))
    last = root / "checkins/cards/2026-11-20.yaml"
    last.write_text(re.sub(r"(?m)^confidence: .*$", "confidence: 42", last.read_text(encoding="utf-8")))
    args = ["--repo", str(root), "-c", "6", "--date", "2026-11-27", "--today", "2026-11-27", "--dry-run"]
    cards = cli("checkin", "--team", "cards", *args)
    assert cards.exit_code == 0, cards.output
    assert "okrctl: note: a confidence outside the scale 0–10 in 1 check-in" in cards.stderr
    assert "checkins/cards/2026-11-20.yaml" in cards.stderr
    discover = cli("checkin", "--team", "discover", *args)
    assert discover.exit_code == 0 and "outside the scale" not in discover.stderr
