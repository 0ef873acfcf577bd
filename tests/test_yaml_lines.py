"""OKR100 findings on the line the user must go to: a duplicate key given by an alias, and the
document past the limit when the documents are empty."""

from __future__ import annotations

from pathlib import Path

import pytest

TODAY = "2026-11-27"
CHECKIN_HEAD = (
    "apiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\ndate: 2026-11-27\n"
    "author: carla.mendes@example.com\nconfidence: 7\n"
)


def okr100(cli, root: Path) -> list[str]:
    result = cli("align", "--repo", str(root), "-f", "concise", "--today", TODAY)
    assert result.exit_code == 1, result.output
    return [line for line in result.stdout.splitlines() if "OKR100" in line]


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return git_repo(copy_example("banco"))


def test_a_duplicate_key_made_with_an_alias_is_reported_at_the_alias(cli, banco):
    (banco / "okrs/2026-Q4/q.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: q\n&o owner: cards\ncycle: 2026-Q4\ntitle: a\n*o : x\n",
        encoding="utf-8",
    )
    assert okr100(cli, banco) == ["okrs/2026-Q4/q.yaml:7:1: OKR100 error duplicate key 'owner' (first at line 4)"]


def test_a_duplicate_key_made_with_an_alias_in_a_checkins_results(cli, banco):
    (banco / "checkins/cards/2026-11-27.yaml").write_text(
        CHECKIN_HEAD + "results:\n  &k card-activation-7d: 48\n  virtual-card-day-one: 10\n  *k : 6\n",
        encoding="utf-8",
    )
    assert okr100(cli, banco) == [
        "checkins/cards/2026-11-27.yaml:10:3: OKR100 error duplicate key 'card-activation-7d' (first at line 8)"
    ]


def test_a_key_first_given_by_an_alias_is_first_at_the_alias(cli, banco):
    # The anchor is elsewhere (in issues): the key of results is first given by the alias on line 9,
    # nested values that use the alias again come between, the plain key on line 11 is the duplicate.
    (banco / "checkins/cards/2026-11-27.yaml").write_text(
        CHECKIN_HEAD + "issues: [&k card-activation-7d]\nresults:\n  *k : 48\n"
        "  virtual-card-day-one: {a: [1, *k]}\n  card-activation-7d: 6\n",
        encoding="utf-8",
    )
    assert okr100(cli, banco) == [
        "checkins/cards/2026-11-27.yaml:11:3: OKR100 error duplicate key 'card-activation-7d' (first at line 9)"
    ]


def test_a_duplicate_key_without_an_alias_keeps_its_place(cli, banco):
    (banco / "okrs/2026-Q4/dup.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: q\nowner: cards\ncycle: 2026-Q4\ntitle: a\ntitle: b\n",
        encoding="utf-8",
    )
    assert okr100(cli, banco) == ["okrs/2026-Q4/dup.yaml:7:1: OKR100 error duplicate key 'title' (first at line 6)"]


@pytest.mark.parametrize("line", ["---", "--- {}"])
def test_too_many_documents_is_reported_at_the_first_document_too_many(cli, banco, line):
    # Document 10,001 opens on line 10,001, empty or not (an empty one's node starts a line later).
    (banco / "okrs/2026-Q4/many.yaml").write_text(f"{line}\n" * 20_000, encoding="utf-8")
    assert okr100(cli, banco) == ["okrs/2026-Q4/many.yaml:10001:1: OKR100 error more than 10000 documents in one file"]


def test_too_many_empty_documents_after_a_checkin(cli, banco):
    # Seven lines of a check-in are document 1; the 10,000th "---" (line 10,007) opens document 10,001.
    (banco / "checkins/cards/2026-11-27.yaml").write_text(
        CHECKIN_HEAD + "results:\n" + "---\n" * 20_000, encoding="utf-8"
    )
    assert okr100(cli, banco) == [
        "checkins/cards/2026-11-27.yaml:10007:1: OKR100 error more than 10000 documents in one file"
    ]


def test_a_values_file_of_too_many_empty_documents(cli, banco, tmp_path):
    values = tmp_path / "many.yaml"
    values.write_text("card-activation-7d: 50\n" + "---\n" * 20_000, encoding="utf-8")
    result = cli(
        "measure", "--team", "cards", "--values-from", str(values), "--dry-run", "--repo", str(banco), "--today", TODAY
    )
    assert result.exit_code == 2
    assert f"{values}:10001: more than 10000 documents in one file" in result.stderr
