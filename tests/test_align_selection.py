"""Which rules `okrctl align` runs and how severe they are: --select/--ignore/--strict/--cycle, the
config's rules section and `# okrctl: ignore[...]` comments."""

from __future__ import annotations

import json

import pytest

from okrctl.load.store import store_name
from tests.helpers_align import BAD_ORG, GOOD_ORG, align, align_json, codes, copy_org, org_with_case, write


def test_select_keeps_only_the_given_prefix() -> None:
    found = codes(align_json(BAD_ORG, "--select", "OKR2"))
    assert found and all(c.startswith("OKR2") for c in found)


def test_select_takes_several_codes_case_insensitively_or_as_numbers() -> None:
    assert sorted(set(codes(align_json(BAD_ORG, "--select", "okr201, OKR305")))) == ["OKR201", "OKR305"]
    assert sorted(set(codes(align_json(BAD_ORG, "--select", "201,40")))) == [
        "OKR201",
        "OKR401",
        "OKR402",
        "OKR403",
        "OKR404",
    ]


def test_ignore_drops_a_family() -> None:
    found = codes(align_json(BAD_ORG, "--select", "OKR2,OKR3,OKR4", "--ignore", "OKR3"))
    assert "OKR201" in found and not [c for c in found if c.startswith("OKR3")]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_a_code_that_matches_no_rule_is_a_usage_error(option) -> None:
    result = align(BAD_ORG, option, "OKR999")
    assert result.exit_code == 2
    assert "OKR999" in result.stderr and "okrctl rules" in result.stderr


def test_warnings_alone_pass_unless_strict(tmp_path) -> None:
    root = org_with_case(tmp_path, "bad", "OKR201")  # one warning
    assert align(root, "--format", "concise").exit_code == 0
    assert align(root, "--format", "concise", "--strict").exit_code == 1


def test_info_findings_never_fail_even_strict(tmp_path) -> None:
    root = org_with_case(tmp_path, "bad", "OKR305")  # one info
    result = align(root, "--format", "concise", "--strict", "--ignore", "OKR5")  # no check-ins in the fixture
    assert result.exit_code == 0
    assert "OKR305 info" in result.stdout


def test_errors_fail_without_strict(tmp_path) -> None:
    assert align(org_with_case(tmp_path, "bad", "OKR203"), "--format", "concise").exit_code == 1


def test_by_default_cycles_that_ended_before_today_are_not_checked(tmp_path) -> None:
    root = org_with_case(tmp_path, "good", "OKR207")  # holds growth-q3, a 2026-Q3 objective nobody aligns to
    assert align_json(root) == []
    assert codes(align_json(root, "--cycle", "all")) == ["OKR202"]
    assert codes(align_json(root, "--cycle", "2026-Q3")) == ["OKR202"]
    assert align_json(root, "--cycle", "2026-Q4") == []


def test_history_does_not_fail_ci_once_the_cycle_is_over() -> None:
    result = align(BAD_ORG, "--select", "OKR2,OKR3,OKR4", "--today", "2027-02-01", "--strict")
    assert result.exit_code == 0, result.output


def test_planned_cycles_are_checked_before_they_start() -> None:
    result = align(BAD_ORG, "--select", "OKR2,OKR3,OKR4", "--today", "2026-06-01", "--format", "json")
    assert "OKR201" in codes(json.loads(result.stdout)["findings"])


def test_an_unknown_cycle_is_a_usage_error() -> None:
    result = align(BAD_ORG, "--cycle", "fy99")
    assert result.exit_code == 2
    assert "fy99" in result.stderr


def _config(root, extra: str) -> None:
    path = root / "okrctl.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_the_config_can_ignore_a_rule(tmp_path) -> None:
    root = org_with_case(tmp_path, "bad", "OKR201")
    _config(root, "rules: {ignore: [OKR201]}\n")
    assert align_json(root) == []


def test_the_config_can_change_a_severity(tmp_path) -> None:
    root = org_with_case(tmp_path, "bad", "OKR201")
    _config(root, "rules:\n  severity: {OKR201: error}\n")
    result = align(root, "--format", "json", "--ignore", "OKR5")  # no check-ins in the fixture
    assert result.exit_code == 1
    assert [f["severity"] for f in json.loads(result.stdout)["findings"]] == ["error"]


def test_the_config_can_change_the_limits(tmp_path) -> None:
    root = org_with_case(tmp_path, "good", "OKR301")  # three objectives of gamma, two KRs each
    _config(root, "limits: {objectives_per_team: 2, krs_per_objective: [3, 4]}\n")
    found = codes(align_json(root))
    assert found.count("OKR301") == 1
    assert found.count("OKR302") >= 3


ORPHANS = """\
apiVersion: okrctl/v1
kind: Unit
id: gamma
parent: growth
---
# okrctl: ignore[OKR201, OKR302]
apiVersion: okrctl/v1
kind: Objective
id: first-orphan
owner: gamma
cycle: 2026-Q4
title: First
key_results:
  - {id: a, title: A grows from 1 to 2, baseline: 1, target: 2}
---
apiVersion: okrctl/v1
kind: Objective
id: second-orphan
owner: gamma
cycle: 2026-Q4
title: Second
key_results:
  - {id: a, title: A grows from 1 to 2, baseline: 1, target: 2}
  - {id: b, title: B grows from 1 to 2, baseline: 1, target: 2}
"""


def test_a_comment_ignores_codes_in_its_own_document_only(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    write(root, "okrs/gamma.yaml", ORPHANS)
    found = align_json(root)
    assert [(f["code"], f["line"]) for f in found] == [("OKR201", 18)]


def test_comments_and_positions_survive_the_parse_cache(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    write(root, "okrs/gamma.yaml", ORPHANS)
    env = {"OKRCTL_NO_CACHE": "", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = ("--select", "OKR2,OKR3", "--format", "json")
    first = align(root, *args, env=env)
    assert (tmp_path / "cache" / "okrctl" / store_name()).is_file()
    second = align(root, *args, env=env)
    assert first.stdout == second.stdout
    assert [f["code"] for f in json.loads(second.stdout)["findings"]] == ["OKR201"]


def test_a_comment_on_the_separator_line_belongs_to_the_document_it_opens(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    text = ORPHANS.replace("# okrctl: ignore[OKR201, OKR302]\n", "").replace(
        "---\napiVersion: okrctl/v1\nkind: Objective\nid: second-orphan",
        "--- # okrctl: ignore[OKR201]\napiVersion: okrctl/v1\nkind: Objective\nid: second-orphan",
    )
    write(root, "okrs/gamma.yaml", text)
    found = align_json(root)
    assert [(f["code"], f["line"]) for f in found] == [("OKR201", 8), ("OKR302", 12)]


def test_checking_a_file_that_adds_an_id_another_file_holds_reports_the_duplicate(cli, copy_example) -> None:
    """The pre-commit hook passes the committed files: a new file that sorts before the one holding
    an id took the id, and the duplicate finding landed on the untouched file, so the hook let the
    new file through. A finding whose first place is a checked file is reported too."""
    root = copy_example("banco")
    text = (root / "okrs/2026-Q4/discover.yaml").read_text(encoding="utf-8")
    (root / "okrs/2026-Q4/a-new.yaml").write_text(text.replace("owner: discover", "owner: cards"), encoding="utf-8")

    def checked(rel: str):
        return cli("align", str(root / rel), "--repo", str(root), "--today", "2026-11-20", "--format", "concise")

    result = checked("okrs/2026-Q4/a-new.yaml")
    assert result.exit_code == 1, result.stdout
    assert "OKR102 error duplicate id 'discover-first-week' (first at okrs/2026-Q4/a-new.yaml:" in result.stdout
    assert "OKR102" not in checked("okrs/2026-Q4/cards.yaml").stdout


def test_the_root_given_as_a_path_checks_every_file(cli, copy_example, monkeypatch) -> None:
    """``okrctl align .`` at the root (or the root's own path) reported no finding at all and
    exited 0: the root folder became a path no file matched. It is the whole repository, as
    ``align`` alone; a folder below it still checks its own files only."""
    root = copy_example("banco")
    objective = root / "okrs/2026-Q4/cards.yaml"
    objective.write_text(objective.read_text(encoding="utf-8").replace("title: ", "typo: 1\ntitle: ", 1))
    monkeypatch.chdir(root)

    def checked(*paths: str):
        return cli("align", *paths, "--today", "2026-11-20", "--format", "text")

    whole = checked()
    assert whole.exit_code == 1 and "unknown field 'typo'" in whole.stdout
    for paths in (["."], ["./"], [str(root)], [".", "checkins"]):
        result = checked(*paths)
        assert (result.exit_code, result.stdout) == (1, whole.stdout), paths
    below = checked("checkins")
    assert below.exit_code == 0 and "typo" not in below.stdout
    assert "in 56 checked files of 73" in below.stdout  # a folder counts its files


def test_paths_through_a_link_to_the_repository_are_its_files(cli, copy_example, tmp_path) -> None:
    """``okrctl align "$PWD"`` where the shell reached the repository through a link (as /tmp is on
    macOS) said the path was not in the repository and exited 0 over an error. The folders on the
    way are taken as the system resolves them; a link of its own inside the repository stays a file
    of its own name."""
    root = copy_example("banco")
    objective = root / "okrs/2026-Q4/cards.yaml"
    objective.write_text(objective.read_text(encoding="utf-8").replace("title: ", "typo: 1\ntitle: ", 1))
    link = tmp_path / "by-link"
    link.symlink_to(root)

    def checked(*paths: str):
        return cli("align", *paths, "--repo", str(root), "--today", "2026-11-20", "--format", "concise")

    for paths in ([str(link)], [str(link / "okrs")], [str(link / "okrs/2026-Q4/cards.yaml")]):
        result = checked(*paths)
        assert result.exit_code == 1 and "unknown field 'typo'" in result.stdout, (paths, result.stderr)
    elsewhere = checked(str(tmp_path))
    assert elsewhere.exit_code == 0 and "not in the repository" in elsewhere.stderr


def test_a_link_to_a_folder_inside_the_repository_is_said_not_passed_over(cli, copy_example) -> None:
    """``okrctl align ck`` with ``ck`` a link to ``checkins`` checked nothing (okrctl never walks a
    link to a folder) and exited 0 without a word, over an error in that folder. Standard error
    now says so and names what to do; the other paths given are checked as before."""
    root = copy_example("banco")
    checkin = root / "checkins/cards/2026-11-20.yaml"
    checkin.write_text(checkin.read_text(encoding="utf-8").replace("date: ", "typo: 1\ndate: ", 1))
    (root / "ck").symlink_to("checkins")

    def checked(*paths: str):
        return cli("align", *paths, "--repo", str(root), "--today", "2026-11-20", "--format", "concise")

    alone = checked(str(root / "ck"))
    assert alone.exit_code == 0 and alone.stdout == ""
    assert alone.stderr == (
        "okrctl: no finding to report: "
        f"{root / 'ck'}: a link to a folder, which okrctl never follows; name the folder itself\n"
    )
    beside = checked(str(root / "ck"), str(root / "checkins"))
    assert beside.exit_code == 1 and "unknown field 'typo'" in beside.stdout
    assert "no finding to report for " in beside.stderr and "never follows" in beside.stderr
