"""Fixtures shared by every test module: a CLI runner, example copies, real git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DEMO_DAY = "2026-11-20"  # the bundled examples' last check-in (a Friday)

CLEAN_ENV = {
    "COLUMNS": "100",
    "NO_COLOR": "1",
    "OKRCTL_REPO": "",
    "OKRCTL_TODAY": "",
    "OKRCTL_TEAM": "",
    "GITHUB_ACTIONS": "",
    "GITHUB_STEP_SUMMARY": "",
    # In a GitHub pull request align compares with the merge base: tests ask for that themselves.
    "GITHUB_BASE_REF": "",
    "TERM": "dumb",
    # Tests read fixtures and examples in place: no cache folder may appear in the source tree.
    "OKRCTL_NO_CACHE": "1",
}


_IN_MEMORY: list[Path] = []  # the folder of this run's temporary repositories, when made here


def pytest_configure(config: pytest.Config) -> None:
    """The tests' temporary repositories go to a file system in memory (``/dev/shm``) when the
    system has one and no ``--basetemp`` is given: thousands of git repositories and written files
    there do not wait on the disk (a slow virtual disk made the run half as long again). Workers of
    ``-n`` get their folders inside it from the controller; the controller removes it at the end."""
    if config.option.basetemp or hasattr(config, "workerinput"):
        return
    memory = Path("/dev/shm")
    if not (memory.is_dir() and os.access(memory, os.W_OK)) or shutil.disk_usage(memory).free < 4 << 30:
        return
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="okrctl-tests-", dir=memory))
    _IN_MEMORY.append(folder)
    config.option.basetemp = str(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _IN_MEMORY:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test sees the developer's okrctl variables, colours, or cache key."""
    for name, value in CLEAN_ENV.items():
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    # What a test that takes away the ways of naming an unnamed file teaches ``atomic_write`` is not
    # carried into the next test.
    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "_UNNAMEABLE", set())


@pytest.fixture(autouse=True)
def _stores_closed() -> Iterator[None]:
    """The stores a test's commands and loads opened are closed after it, as ``cli.entry.main``
    closes them (``CliRunner`` calls the app itself): no test leaves connections for the next."""
    yield
    from okrctl.load.store import close_stores

    close_stores()


class Cli:
    """``okrctl`` in-process, the way a user calls it (exit code, stdout, stderr)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None):
        from okrctl.cli.app import app_for

        # The command line ``okrctl`` itself runs for these words (``cli.app.run``).
        return self.runner.invoke(app_for(list(args)), list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files this process parses from their bytes (the store answers for the others, worker
    processes for theirs); the store is on."""
    import okrctl.load.pipeline as pipeline

    monkeypatch.delenv("OKRCTL_NO_CACHE")
    seen: list[str] = []
    real = pipeline.analyse_for_store

    def analyse_for_store(rel, raw):
        seen.append(rel)
        return real(rel, raw)

    monkeypatch.setattr(pipeline, "analyse_for_store", analyse_for_store)
    return seen


@pytest.fixture
def copy_example(tmp_path: Path) -> Callable[[str], Path]:
    """A writable copy of ``examples/<name>`` (optionally made into a git repository by the test)."""

    def make(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns(".okrctl-cache"))
        return target

    return make


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Each of ``files`` (a path relative to ``root``: its text) written, its folders made; ``root``."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run real git (tests use real repositories, never mocks)."""
    full_env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", **(env or {})}
    result = subprocess.run(["git", *args], cwd=cwd, env=full_env, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def git_repo() -> Callable[[Path], Path]:
    """Turn a folder into a git repository with one commit of everything in it."""

    def make(folder: Path, *, commit: bool = True) -> Path:
        git(folder, "init", "-q", "-b", "main")
        git(folder, "config", "user.name", "Ana Example")
        git(folder, "config", "user.email", "ana@example.com")
        git(folder, "config", "commit.gpgsign", "false")
        if commit:
            git(folder, "add", "-A")
            git(folder, "commit", "-q", "-m", "initial")
        return folder

    return make


def user_environment(home: Path) -> dict[str, str]:
    """The environment of a user's shell for a whole okrctl process: no PYTHONPATH pointing at the
    source tree, no okrctl or git variables of the developer, a home of its own, a git identity for
    the commits of ``init`` and ``checkin``, 100 columns and no colour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "OKRCTL_", "GIT_", "VIRTUAL_ENV"))}
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Ana",
        GIT_AUTHOR_EMAIL="ana@example.com",
        GIT_COMMITTER_NAME="Ana",
        GIT_COMMITTER_EMAIL="ana@example.com",
        COLUMNS="100",
        NO_COLOR="1",
    )
    return env


def without_privileges() -> list[str]:
    """How to run a command that file modes bind: as it is for a user, under ``setpriv`` without
    the capabilities that let root read anything."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root reads every folder, and setpriv is not here to drop that")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def an_objective_without_key_results(root: Path) -> None:
    """Give cards a 2026-Q4 objective ``empty-one`` with no key results (OKR302 warns of it)."""
    (root / "okrs" / "2026-Q4" / "cards-empty.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: empty-one\nowner: cards\ncycle: 2026-Q4\n"
        "title: Make card disputes painless for every customer\n"
        "aligns:\n  - {to: digital-first-week, type: directional}\n",
        encoding="utf-8",
    )


def two_objectives_sharing_a_key_result_id(root: Path) -> None:
    """Give cards two more objectives of 2026-Q4, ``o1`` and ``o2``, each with a key result ``x``:
    a bare ``x`` in a check-in or a retro cannot tell which is meant (OKR503)."""
    objective = (
        "apiVersion: okrctl/v1\nkind: Objective\nid: {id}\nowner: cards\ncycle: 2026-Q4\ntitle: Objective {id}\n"
        "aligns: [{{to: digital-first-week, type: directional}}]\n"
        "key_results:\n  - {{id: x, title: X of {id}, baseline: 0, target: 100}}\n"
    )
    for name in ("o1", "o2"):
        (root / "okrs" / "2026-Q4" / f"cards-{name}.yaml").write_text(objective.format(id=name), encoding="utf-8")
