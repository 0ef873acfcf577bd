"""Thousands of key results: every step is linear in their number.

No clock is read. The sizes are chosen so that the linear code answers at once while the old
quadratic code (a list scan per result key, ``list.index`` as a sort key, ``list.count`` per KR)
would need 10^8 to 10^9 comparisons: minutes, so a regression shows as a test that does not end.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from okrctl.load.documents import Doc
from okrctl.load.index import Repo
from okrctl.model import CheckIn, Config, Objective, Unit

MANY = 40_000  # resolving every key: 1.6 * 10^9 comparisons for the old list scan
SESSION = 12_000  # a check-in session: 1.4 * 10^8 for list.count, as many again for list.index
DAY = date(2026, 11, 20)


def _doc(path: str, model: object) -> Doc:
    kind = type(model).__name__
    return Doc(path, 0, 1, 1, {}, kind=kind, model=model)


def many_krs_repo(root: Path, count: int = MANY, *, objectives: int = 2) -> Repo:
    """One team with ``objectives`` objectives sharing ``count`` KRs, and a check-in of every one."""
    config = Config.model_validate({"apiVersion": "okrctl/v1", "kind": "Config"})
    docs = [
        _doc(
            "units.yaml",
            Unit.model_validate({"apiVersion": "okrctl/v1", "kind": "Unit", "id": "org", "type": "company"}),
        ),
        _doc(
            "team.yaml",
            Unit.model_validate({"apiVersion": "okrctl/v1", "kind": "Unit", "id": "team", "parent": "org"}),
        ),
    ]
    per = count // objectives
    results: dict[str, float] = {}
    for o in range(objectives):
        krs = [{"id": f"k{o}-{i}", "title": f"Move {i}", "baseline": 0.0, "target": float(i + 1)} for i in range(per)]
        objective = Objective.model_validate(
            {
                "apiVersion": "okrctl/v1",
                "kind": "Objective",
                "id": f"obj-{o}",
                "owner": "team",
                "cycle": "2026-Q4",
                "title": "Many key results",
                "key_results": krs,
            }
        )
        docs.append(_doc(f"okrs/obj-{o}.yaml", objective))
        results.update({f"k{o}-{i}": i / 2 for i in range(per)})
    checkin = CheckIn.model_validate(
        {
            "apiVersion": "okrctl/v1",
            "kind": "CheckIn",
            "owner": "team",
            "date": "2026-11-13",
            "confidence": {f"obj-{o}": 6.0 for o in range(objectives)},
            "results": results,
        }
    )
    docs.append(_doc("checkins/team/2026-11-13.yaml", checkin))
    return Repo(root, config, None, docs, [], len(docs), [])


def test_every_result_key_resolves_in_constant_time(tmp_path: Path) -> None:
    repo = many_krs_repo(tmp_path)
    checkin = repo.checkins_of("team")[0].model
    resolved = [repo.resolve_result_key(checkin, key) for key in checkin.results]
    assert all(len(pairs) == 1 for pairs in resolved)
    assert resolved[-1][0][1].id == f"k1-{MANY // 2 - 1}"
    # objective-id/kr-id keys and unknown keys too
    assert repo.resolve_result_key(checkin, "obj-0/k0-5")[0][1].id == "k0-5"
    assert repo.resolve_result_key(checkin, "obj-1/k0-5") == []


def test_an_objective_finds_each_of_its_key_results_by_id(tmp_path: Path) -> None:
    objective = many_krs_repo(tmp_path, SESSION, objectives=1).objectives["obj-0"].model
    assert [objective.key_result(kr.id) for kr in objective.key_results] == objective.key_results
    assert objective.key_result("absent") is None


def test_a_repeated_kr_id_finds_the_first_one_like_before(tmp_path: Path) -> None:
    objective = Objective.model_validate(
        {
            "apiVersion": "okrctl/v1",
            "kind": "Objective",
            "id": "o",
            "owner": "team",
            "cycle": "2026-Q4",
            "title": "Twice",
            "key_results": [
                {"id": "a", "title": "First", "baseline": 0.0, "target": 1.0},
                {"id": "a", "title": "Second", "baseline": 0.0, "target": 2.0},
            ],
        }
    )
    found = objective.key_result("a")
    assert found is not None and found.title == "First"


@pytest.mark.slow
def test_a_checkin_session_and_its_yaml_for_thousands_of_krs(tmp_path: Path) -> None:
    from okrctl.checkin import Answers, new_text, prepare

    repo = many_krs_repo(tmp_path, SESSION)
    session = prepare(repo, "team", DAY, DAY, amend=False)
    assert len(session.krs) == SESSION
    assert session.krs[0].key == "k0-0"  # ids are unique across the team's objectives: bare keys
    answers = Answers(confidence={"obj-0": 5.0, "obj-1": 6.0}, results={line.key: 1.0 for line in session.krs})
    text = new_text(session, answers, "ana@example.com")
    assert text.count("\n") > SESSION
    assert text.index("  k0-0: 1\n") < text.index(f"  k1-{SESSION // 2 - 1}: 1\n")


@pytest.mark.slow
def test_commands_on_an_objective_with_thousands_of_krs(cli, copy_example) -> None:
    """End to end on real files: 5,000 KRs in one objective and a check-in of every one."""
    root = copy_example("banco")
    count = 5000
    lines = [
        "apiVersion: okrctl/v1",
        "kind: Objective",
        "id: huge",
        "owner: discover",
        "cycle: 2026-Q4",
        "title: Huge",
        "aligns: [{to: digital-first-week}]",
        "key_results:",
    ]
    lines += [f"  - {{id: k{i}, title: Move {i}, baseline: 0, target: {i + 1}}}" for i in range(count)]
    (root / "okrs" / "2026-Q4" / "huge.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    checkin = [
        "apiVersion: okrctl/v1",
        "kind: CheckIn",
        "owner: discover",
        "date: 2026-11-19",
        "confidence: {discover-first-week: 6, huge: 5}",
        "results:",
    ]
    checkin += [f"  k{i}: {i / 2}" for i in range(count)]
    (root / "checkins" / "discover" / "2026-11-19.yaml").write_text("\n".join(checkin) + "\n", encoding="utf-8")
    today = ["--repo", str(root), "--today", "2026-11-20"]
    result = cli("align", "--format", "json", *today)
    assert "OKR104" not in result.stdout and "OKR503" not in result.stdout
    assert cli("status", "--team", "discover", *today).exit_code == 0
    flags = [arg for i in range(0, count, 10) for arg in ("--result", f"k{i}=3", "--note", f"k{i}=step {i}")]
    amended = cli("checkin", "--team", "discover", "--date", "2026-11-19", "--amend", "--no-commit", *flags, *today)
    assert amended.exit_code == 0, amended.stderr
    written = (root / "checkins" / "discover" / "2026-11-19.yaml").read_text(encoding="utf-8")
    assert "  k10: {value: 3, note: step 10}\n" in written
    assert "  k11: 5.5\n" in written


@pytest.mark.slow
def test_a_check_in_of_many_misspelt_keys_is_judged_with_a_bounded_number_of_comparisons(
    cli, copy_example, git_repo, monkeypatch
) -> None:
    """Every misspelt result key is an OKR104, and the one a person makes gets its "did you mean";
    hundreds of them against hundreds of key results alike are compared a bounded number of times,
    not each slip with every id (301 slips, 606 ids: 182,406 comparisons; 40 s for 1,000 of each)."""
    import difflib

    count = 300
    root = copy_example("banco")
    objective = root / "okrs" / "2026-Q4" / "cards.yaml"
    krs = [f"  - {{id: kr-{i:05d}-alpha, title: Grow thing {i}, baseline: 0, target: {i + 1}}}\n" for i in range(count)]
    objective.write_text(objective.read_text(encoding="utf-8") + "".join(krs), encoding="utf-8")
    checkin = root / "checkins" / "cards" / "2026-11-20.yaml"
    slips = "  card-activaton-7d: 3\n" + "".join(f"  kr-{i:05d}-alpah: 1\n" for i in range(count))
    checkin.write_text(
        checkin.read_text(encoding="utf-8").replace("results:\n", "results:\n" + slips), encoding="utf-8"
    )
    git_repo(root)
    compared: list[int] = []
    close_matches = difflib.get_close_matches

    def counted(word, possibilities, *args, **kwargs):
        compared.append(len(possibilities))
        return close_matches(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "json", "--select", "OKR104")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [f["line"] for f in findings] == list(range(8, 9 + count))  # every slip, in one run
    assert findings[0]["hint"] == "did you mean 'card-activation-7d'?"
    assert findings[1]["hint"] == "did you mean 'kr-00000-alpha'?"
    # At least 28 characters a pair: at most 71,429 pairs and one slip's 606 (the product: 182,406).
    assert sum(compared) < 80_000
    # the slips past them are told which key results the team has
    assert findings[-1]["hint"].startswith("key results of cards on 2026-11-20: card-activation-7d, ")
