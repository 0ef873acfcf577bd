"""Rules asked about some files only (``focus``) and about some codes only (``--select``) give
exactly the findings a full run gives for those files and codes (issue 15: a one-team check-in
validates its own file without judging the whole organisation)."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from datetime import date

import pytest

from okrctl.load.pipeline import load_repo
from okrctl.rules import FAMILIES, FAMILY_CODES, Selection, run
from tests.helpers_align import BAD_ORG, EXAMPLES

TODAY = date(2026, 11, 20)


def _codes_in(module_name: str) -> set[str]:
    source = inspect.getsource(importlib.import_module(module_name))
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"OKR\d{3}", node.value):
            found.add(node.value)
    return found


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_yields_only_the_codes_it_declares(family: str) -> None:
    codes = _codes_in(family)
    assert codes, family
    stray = {c for c in codes if not c.startswith(FAMILY_CODES[family])}
    assert not stray, f"{family} writes {sorted(stray)} outside {FAMILY_CODES[family]}"


@pytest.mark.parametrize(
    ("root", "today"),
    [(BAD_ORG, TODAY), (EXAMPLES / "banco", date(2026, 12, 20)), (EXAMPLES / "banco", date(2027, 1, 20))],
    ids=["bad-fixture", "banco-stale", "banco-no-end-retros"],
)
@pytest.mark.slow
def test_focus_on_a_file_gives_the_full_run_findings_of_that_file(root, today) -> None:
    repo = load_repo(root, use_cache=False)
    everything = run(repo, today)
    assert everything, "the fixture must have findings for this test to mean anything"
    paths = sorted({d.path for d in repo.docs} | {f.path for f in everything})
    for path in paths:
        expected = [f for f in everything if f.path == path]
        focused = run(load_repo(root, use_cache=False), today, focus={path})
        assert focused == expected, path


@pytest.mark.parametrize("select", [["OKR1"], ["OKR5"], ["OKR1", "OKR5"], ["OKR20"], ["OKR209"], ["OKR3"]])
def test_select_runs_only_the_families_it_can_keep_and_loses_nothing(select: list[str]) -> None:
    repo = load_repo(BAD_ORG, use_cache=False)
    everything = run(repo, TODAY)
    expected = [f for f in everything if any(f.code.startswith(p) for p in select)]
    selected = run(load_repo(BAD_ORG, use_cache=False), TODAY, selection=Selection(select=select))
    assert selected == expected


@pytest.mark.parametrize(
    ("root", "today"),
    [(BAD_ORG, TODAY), (EXAMPLES / "banco", date(2026, 12, 20)), (EXAMPLES / "saas", date(2026, 11, 20))],
    ids=["bad-fixture", "banco-stale", "saas"],
)
def test_families_in_a_forked_worker_give_the_same_findings(root, today, monkeypatch) -> None:
    """A large repository runs some rule families in a forked worker: same findings, same order."""
    import okrctl.rules as rules

    alone = run(load_repo(root, use_cache=False), today)
    monkeypatch.setattr(rules, "PARALLEL_MIN_DOCS", 1)
    forked: list[str] = []
    real_check = rules._check

    def check(ctx, names):
        forked.append(",".join(names))
        return real_check(ctx, names)

    monkeypatch.setattr(rules, "_check", check)
    shared = run(load_repo(root, use_cache=False), today)
    assert shared == alone
    # This process worked out only its own families: the others' findings came from the worker.
    assert forked == ["okrctl.rules.cadence,okrctl.rules.history,okrctl.rules.planning"]
