"""History of an OKR folder moved inside a larger repository (``gitio.moves``): the changes made
under its former folders are read as if it had always been where it is."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, git
from tests.helpers_git import commit_at, edit, hermetic_git

DISCOVER = "okrs/2026-Q4/discover.yaml"


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


@pytest.fixture
def mono(tmp_path: Path, git_repo) -> Path:
    """A repository whose folder ``okrs/`` holds the banco example, committed before 2026-Q4,
    its onboarding target lowered on 2026-10-20 (after the cycle started)."""
    top = tmp_path / "mono"
    shutil.copytree(EXAMPLES / "banco", top / "okrs", ignore=shutil.ignore_patterns(".okrctl-cache"))
    git_repo(top, commit=False)
    commit_at(top, "2026-09-20", "OKRs for 2026-Q4")
    edit(top / "okrs" / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(top, "2026-10-20", "lower the onboarding target", name="Rui Almeida", email="rui@example.com")
    return top


def _trimmed(config: Path) -> None:
    """``config`` with every comment and blank line dropped: under 10 % of its bytes stay, too few
    for git to pair it with its former self."""
    lines = [line.split(" #")[0].rstrip() for line in config.read_text(encoding="utf-8").splitlines()]
    config.write_text("\n".join(line for line in lines if line and not line.lstrip().startswith("#")) + "\n", "utf-8")


def _judged_against_the_base_where_it_was(cli, folder: Path) -> None:
    """The gate against the branch ``base`` passes (the base's finding is no new one), and diff
    compares a target lowered since with the base's."""
    gate = cli("align", "--repo", str(folder), "--baseline", "base", "--today", DEMO_DAY, "--format", "json")
    assert gate.exit_code == 0, gate.output
    assert "no okrctl.yaml" not in gate.stderr
    assert json.loads(gate.stdout)["findings"] == []
    edit(folder / DISCOVER, r"^    target: 85$", "    target: 80")
    result = cli("diff", "base", "--repo", str(folder), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert [(c["subject"], c["old"], c["new"]) for c in changes if c["kind"] == "target"] == [
        ("discover-first-week/onboarding-completion", 85, 80)
    ]
    assert json.loads(result.stdout)["findings"]["introduced"] == []


def moves(cli, folder: Path, *extra: str) -> list[tuple]:
    result = cli("history", "--repo", str(folder), "--today", DEMO_DAY, "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return [
        (c["date"], c["path"], c["key_result"], c["field"], c["old"], c["new"])
        for c in json.loads(result.stdout)["changes"]
    ]


def findings_601(cli, folder: Path, *extra: str) -> list[tuple]:
    result = cli("align", "--repo", str(folder), "--today", DEMO_DAY, "--format", "json", "--select", "OKR601", *extra)
    assert result.exit_code in (0, 1), result.stderr
    return [(f["path"], f.get("new")) for f in json.loads(result.stdout)["findings"]]


LOWERED = ("2026-10-20", DISCOVER, "onboarding-completion", "target", 90, 85)


@pytest.mark.slow
def test_a_folder_moved_inside_its_repository_keeps_its_moved_targets(cli, mono: Path) -> None:
    """``git mv okrs company-okrs``: history, OKR601 and the report's moved targets went silent."""
    git(mono, "mv", "okrs", "company-okrs")
    commit_at(mono, "2026-10-25", "move the OKR folder")
    folder = mono / "company-okrs"
    assert moves(cli, folder) == [LOWERED]  # the move itself is no change
    assert moves(cli, folder, "--since", "2026-10-15") == [LOWERED]
    assert moves(cli, folder, "--since", "2026-10-21") == []
    assert findings_601(cli, folder) == [(DISCOVER, None)]
    # --baseline judges the same history: the move is in the base's, so it is not new.
    assert findings_601(cli, folder, "--baseline", "HEAD", "--show-existing") == [(DISCOVER, False)]
    from okrctl.analysis.history import moved_targets
    from okrctl.load.pipeline import load_repo

    october = moved_targets(load_repo(folder, use_cache=False), date(2026, 10, 1), date(2026, 10, 31))
    assert [(c.day.isoformat(), c.path, c.kr_id, c.field, c.old, c.new) for c in october] == [LOWERED]


def test_a_folder_moved_twice_and_edited_as_it_moved(cli, mono: Path) -> None:
    git(mono, "mv", "okrs", "company-okrs")
    commit_at(mono, "2026-10-25", "move the OKR folder")
    (mono / "org").mkdir()
    git(mono, "mv", "company-okrs", "org/okrs")
    edit(mono / "org/okrs" / DISCOVER, r"^    target: 85$", "    target: 80")  # in the move's commit
    commit_at(mono, "2026-10-28", "move it again, lower it again")
    assert moves(cli, mono / "org/okrs") == [
        LOWERED,
        ("2026-10-28", DISCOVER, "onboarding-completion", "target", 85, 80),
    ]


def test_a_folder_moved_with_its_config_trimmed_in_the_same_commit_keeps_its_moved_targets(cli, mono: Path) -> None:
    """okrctl.yaml, its comments dropped as the folder moved, fell below git's 50 % similarity: the
    history before the move (the target lowered, OKR601) was lost."""
    git(mono, "mv", "okrs", "company-okrs")
    config = mono / "company-okrs" / "okrctl.yaml"
    # Every comment and blank line dropped: under 10 % of the old file's bytes stay (git paired it
    # with a unit's file at that similarity).
    _trimmed(config)
    commit_at(mono, "2026-10-25", "move the OKR folder, trim its config")
    folder = mono / "company-okrs"
    assert moves(cli, folder) == [LOWERED]
    assert findings_601(cli, folder) == [(DISCOVER, None)]
    # And once more, with a pull request's gate and diff against a base from before both moves.
    git(mono, "mv", "company-okrs", "okr")
    commit_at(mono, "2026-10-26", "move it again")
    assert moves(cli, mono / "okr") == [LOWERED]


def test_a_folder_moved_with_its_config_trimmed_as_another_okr_folder_is_retired_keeps_its_history(
    cli, mono: Path
) -> None:
    """The same commit deleted another OKR folder's okrctl.yaml: with two deleted configs the
    former place was not told, and the history before the move was lost."""
    shutil.copytree(EXAMPLES / "saas", mono / "other")
    commit_at(mono, "2026-10-21", "another OKR folder")
    git(mono, "mv", "okrs", "company-okrs")
    config = mono / "company-okrs" / "okrctl.yaml"
    _trimmed(config)
    git(mono, "rm", "-rq", "other")
    commit_at(mono, "2026-10-25", "move the OKR folder, trim its config, retire the other")
    assert moves(cli, mono / "company-okrs") == [LOWERED]
    # A plain move later: the commit that retired the other folder renamed the files into the
    # folder of that day, not of today (it was lost again).
    (mono / "teams").mkdir()
    git(mono, "mv", "company-okrs", "teams/okrs")
    commit_at(mono, "2026-10-28", "a plain move")
    assert moves(cli, mono / "teams" / "okrs") == [LOWERED]


@pytest.mark.slow
def test_a_folder_moved_as_a_folder_with_the_same_config_is_retired_keeps_its_history(cli, mono: Path) -> None:
    """Another folder held a copy of okrctl.yaml, retired in the commit that moved the OKR folder:
    git paired the moved config with that copy (``{legacy => okr}/okrctl.yaml``), so history, OKR601
    and the gate read the copy's past, and ``diff`` across the move said every objective was added."""
    (mono / "legacy").mkdir()
    shutil.copy(mono / "okrs" / "okrctl.yaml", mono / "legacy" / "okrctl.yaml")
    commit_at(mono, "2026-10-21", "a legacy OKR folder")
    git(mono, "branch", "base")
    git(mono, "mv", "okrs", "okr")
    git(mono, "rm", "-rq", "legacy")
    commit_at(mono, "2026-10-25", "move the OKR folder, retire the legacy one")
    paired = git(mono, "show", "-M", "--name-status", "--format=", "HEAD")
    assert "legacy/okrctl.yaml\tokr/okrctl.yaml" in paired  # git's own pairing, the case at hand
    folder = mono / "okr"
    assert moves(cli, folder) == [LOWERED]
    assert findings_601(cli, folder) == [(DISCOVER, None)]
    across = cli("diff", "HEAD~1", "HEAD", "--repo", str(folder), "--today", DEMO_DAY, "--format", "json")
    assert across.exit_code == 0, across.output
    assert json.loads(across.stdout)["changes"] == []
    _judged_against_the_base_where_it_was(cli, folder)


def test_an_okr_repository_imported_into_a_subfolder_reads_only_its_own_files(cli, mono: Path) -> None:
    """Formerly at git's top, its former paths have no prefix: the repository's other files at the
    top (another project's ``okrs/``, its YAML) are not taken for the OKR folder's."""
    top = mono / "okrs"
    shutil.rmtree(mono / ".git")
    extra = top / "strategy" / "extra.yaml"  # an objective outside okrs/, dropped before the import
    extra.write_text(
        (top / DISCOVER).read_text(encoding="utf-8").replace("id: discover-first-week", "id: extra-week"),
        encoding="utf-8",
    )
    run = git
    run(top, "init", "-q", "-b", "main")
    commit_at(top, "2026-09-20", "OKRs for 2026-Q4")
    edit(top / DISCOVER, r"^    target: 85$", "    target: 80")
    commit_at(top, "2026-10-20", "lower the onboarding target")
    edit(extra, r"^    target: 85$", "    target: 70")
    commit_at(top, "2026-10-21", "lower the extra one")
    extra.unlink()
    dropped = commit_at(top, "2026-10-22", "drop it")
    # The import: everything moves into company-okrs/, other projects arrive at the top.
    (top / "company-okrs").mkdir()
    for name in run(top, "ls-tree", "--name-only", "HEAD").split():
        run(top, "mv", name, f"company-okrs/{name}")
    (top / "okrs").mkdir()
    # Another project's files at the top, with the ids of the OKR folder's (the same path as its
    # objectives' folder, the same path as the objective that left).
    (top / "okrs" / "other.yaml").write_text((top / "company-okrs" / DISCOVER).read_text(encoding="utf-8"))
    extra.parent.mkdir()
    extra.write_text((top / "okrs" / "other.yaml").read_text(encoding="utf-8").replace("discover-first-", "extra-"))
    commit_at(top, "2026-10-25", "import the OKRs")
    edit(top / "okrs" / "other.yaml", r"^    target: 80$", "    target: 10")
    edit(extra, r"^    target: 80$", "    target: 10")
    commit_at(top, "2026-10-26", "another project's file at the top")
    folder = top / "company-okrs"
    assert moves(cli, folder) == [("2026-10-20", DISCOVER, "onboarding-completion", "target", 85, 80)]
    gone = cli("history", "extra-week", "--repo", str(folder), "--format", "json")
    assert gone.exit_code == 0, gone.stderr
    payload = json.loads(gone.stdout)
    assert [(c["path"], c["old"], c["new"]) for c in payload["changes"]] == [("strategy/extra.yaml", 85, 70)]
    assert (payload["removed"]["commit"], payload["removed"]["path"]) == (dropped, "strategy/extra.yaml")


def test_a_folder_that_never_moved_costs_no_extra_git_command(
    cli, mono: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Below the top, where the folder lay before is asked of git alongside the log (one command
    more, nothing waited for); at the top, nothing is asked."""
    import okrctl.gitio.log as log
    import okrctl.gitio.moves as moves_module

    asked: list[tuple[str, ...]] = []

    def counted(real):
        def call(cwd, *args, **kwargs):
            asked.append(args)
            return real(cwd, *args, **kwargs)

        return call

    monkeypatch.setattr(log, "run_git", counted(log.run_git))
    monkeypatch.setattr(moves_module, "start_git", counted(moves_module.start_git))
    assert moves(cli, mono / "okrs") == [LOWERED]
    assert sum(1 for args in asked if args[0] == "log") == 2  # the history, and okrctl.yaml's
    assert [args for args in asked if "--follow" in args]
    asked.clear()
    at_top = tmp_path / "at-top"
    shutil.copytree(mono / "okrs", at_top)
    git(at_top, "init", "-q", "-b", "main")
    commit_at(at_top, "2026-09-20", "OKRs")
    assert moves(cli, at_top) == []
    assert [args[0] for args in asked if args[0] == "log"] == ["log"]


def test_a_pull_request_that_moves_the_folder_is_judged_against_the_base_where_it_was(cli, mono: Path) -> None:
    """A branch that moves the OKR folder (``git mv okrs company-okrs``): the gate said the base "has
    no okrctl.yaml yet: every finding is new" and failed on findings the base already had, and
    ``diff`` stopped (exit 2); the base's files are read where the base had them."""
    cards = mono / "okrs" / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, r"^    unit: days$", "    unit: days\n    colour: red")  # a finding already on the base
    commit_at(mono, "2026-10-22", "a finding")
    git(mono, "branch", "base")
    git(mono, "mv", "okrs", "company-okrs")
    commit_at(mono, "2026-10-25", "move the OKR folder")
    folder = mono / "company-okrs"
    _judged_against_the_base_where_it_was(cli, folder)
    shown = cli("align", "--repo", str(folder), "--baseline", "base", "--show-existing", "--today", DEMO_DAY)
    assert "okrs/2026-Q4/cards.yaml" in shown.stdout and "OKR101" in shown.stdout, shown.output


def test_a_pull_request_that_moves_the_folder_up_to_the_top_is_judged_against_the_base_where_it_was(
    cli, mono: Path
) -> None:
    """``git mv okrs/* .``: the gate said the base had no okrctl.yaml and failed on a finding the
    base had; diff stopped (exit 2) saying to compare with a ref made after 'okrctl init'."""
    cards = mono / "okrs" / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, r"^    unit: days$", "    unit: days\n    colour: red")  # a finding already on the base
    commit_at(mono, "2026-10-22", "a finding")
    git(mono, "branch", "base")
    git(mono, "mv", "okrs", "moving")  # (the folder holds an okrs/ of its own)
    for name in sorted(p.name for p in (mono / "moving").iterdir()):
        git(mono, "mv", f"moving/{name}", name)
    commit_at(mono, "2026-10-25", "move the OKR folder up to the top")
    _judged_against_the_base_where_it_was(cli, mono)
