"""The read-only command path (``okrctl.cli.show``): one format table, and a memo keyed on every parameter."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated, Optional

import pytest
import typer
from typer.testing import CliRunner

from okrctl.cli.common import NoColorOption, RepoOption, TodayOption, format_option
from okrctl.errors import UsageError
from okrctl.render.formats import FORMATS, formats
from tests.conftest import DEMO_DAY, EXAMPLES


@pytest.fixture
def saas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("OKRCTL_NO_CACHE")  # the memo is what is tested
    target = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", target)
    return target


def _app(builds: list[str]) -> typer.Typer:
    """A command like ``status`` with one more option, which its memo key was never told about."""
    app = typer.Typer()

    @app.command(name="status")
    def status(
        ctx: typer.Context,
        heading: Annotated[str, typer.Option("--heading")] = "plain",
        team: Annotated[Optional[str], typer.Option("--team")] = None,
        format: Annotated[str, format_option(*formats("status"))] = "text",
        repo: RepoOption = None,
        today: TodayOption = None,
        no_color: NoColorOption = False,
    ) -> None:
        from okrctl.cli.show import show
        from okrctl.views.scope import cycles_for
        from okrctl.views.status import status_view

        def build(repository, day):
            builds.append(heading)
            view = status_view(repository, day, cycles_for(repository, day, None), None)
            view.team = heading  # the new option changes the answer
            return view

        show(ctx, build, format, None)

    @app.command(name="other")
    def other() -> None:  # a second command, so that typer keeps the command names
        pass

    return app


def _run(app: typer.Typer, repo: Path, *args: str) -> typer.testing.Result:
    return CliRunner().invoke(
        app, ["status", "--repo", str(repo), "--today", DEMO_DAY, "-f", "json", *args], catch_exceptions=False
    )


def test_a_new_option_never_serves_an_old_answer(saas: Path) -> None:
    builds: list[str] = []
    app = _app(builds)
    first = _run(app, saas, "--heading", "first")
    again = _run(app, saas, "--heading", "first")
    other = _run(app, saas, "--heading", "second")
    assert builds == ["first", "second"]  # the identical repeat came from the memo
    assert first.stdout == again.stdout
    assert json.loads(first.stdout)["team"] == "first"
    assert json.loads(other.stdout)["team"] == "second"


def test_the_format_is_checked_against_the_table(saas: Path) -> None:
    builds: list[str] = []
    result = CliRunner().invoke(_app(builds), ["status", "--repo", str(saas), "-f", "csv"])
    assert isinstance(result.exception, UsageError)  # exit 2 once okrctl's app reports it
    assert str(result.exception) == "--format: 'csv' is not one of text, json"
    assert builds == []


def test_every_format_of_the_table_has_its_renderer() -> None:
    import importlib

    for command, table in FORMATS.items():
        for fmt, module in table.items():
            assert module.startswith("okrctl.render."), (command, fmt)
            assert callable(importlib.import_module(module).render), (command, fmt)


def test_the_help_of_format_lists_the_table(cli) -> None:
    for command in ("status", "trends", "map", "report", "history", "plan", "retro"):
        shown = " ".join(cli(command, "--help").stdout.split())
        listed = formats(command)
        assert f"Output format: {', '.join(listed[:-1])} or {listed[-1]}." in shown, command


def test_json_envelopes_come_from_one_renderer() -> None:
    """Nothing but ``render/envelope.py`` writes the ``"okrctl"`` key of a JSON envelope."""
    package = Path(__file__).resolve().parent.parent / "okrctl"
    writers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if '"okrctl": ' in path.read_text(encoding="utf-8")
    )
    assert writers == ["render/envelope.py"]
