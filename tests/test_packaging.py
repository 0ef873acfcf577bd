"""What a user installs: the wheel (examples and licence inside), ``--version``, shell completion.

The wheel test builds okrctl the way a release does (``python -m build``: source archive, then the
wheel from it), installs the wheel into a new virtual environment and runs the README tour from an
empty folder with that environment's ``okrctl``. It needs no network: the build uses the setuptools
of the test environment (``--no-isolation``) and the new environment borrows the already installed
dependencies (never okrctl itself) through a ``.pth`` line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from okrctl import __version__
from tests.conftest import ROOT, user_environment

EXAMPLES = ROOT / "examples"


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def _borrow_dependencies(venv_python: Path, into: Path) -> None:
    """Make the test environment's installed packages (all but okrctl) importable in the new venv."""
    here = Path(sysconfig.get_paths()["purelib"])
    into.mkdir()
    for entry in here.iterdir():
        name = entry.name.lower()
        if name.startswith(("okrctl", "__editable__", "_okrctl")) or name.endswith(".pth") or name == "__pycache__":
            continue
        (into / entry.name).symlink_to(entry)
    site = _run([str(venv_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], into).stdout
    (Path(site.strip()) / "borrowed-dependencies.pth").write_text(f"{into}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # A copy of what git would commit: the build never sees (or leaves) anything in the working tree.
    source = tmp_path_factory.mktemp("source") / "okrctl"
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    if listed.returncode == 0:
        for rel in filter(None, listed.stdout.split("\0")):
            if (ROOT / rel).is_file():
                (source / rel).parent.mkdir(parents=True, exist_ok=True)
                (source / rel).write_bytes((ROOT / rel).read_bytes())
    else:  # not a git checkout (an unpacked source archive)
        junk = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__")
        shutil.copytree(ROOT, source, ignore=junk)
    build = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)], source)
    output = build.stdout + build.stderr
    assert build.returncode == 0, output[-3000:]
    # A clean build: no setuptools deprecation notice or "package would be ignored" box.
    assert "deprecat" not in output.lower() and "!!" not in output, output[-3000:]
    (found,) = dist.glob("okrctl-*.whl")
    return found


@pytest.mark.slow
def test_the_source_archive_holds_no_test_it_cannot_run(wheel: Path) -> None:
    """The tests need their fixtures, golden files and conftest, which a source archive left out:
    it shipped 78 test modules that could not run. It holds none; the tests run from a clone."""
    import tarfile

    (archive,) = wheel.parent.glob("okrctl-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert not [n for n in names if "/tests/" in n]
    assert any(n.endswith("/okrctl/cli/app.py") for n in names) and any("/examples/banco/" in n for n in names)


@pytest.mark.slow
def test_the_wheel_is_about_the_size_the_install_guide_says(wheel: Path) -> None:
    """docs/install.md said "about 720 kB" of a wheel of 813,816 bytes."""
    import re

    guide = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    said = re.search(rf"okrctl-{re.escape(__version__)}-py3-none-any\.whl \(about (\d+) kB\)", guide)
    assert said is not None
    assert abs(wheel.stat().st_size / 1000 - int(said[1])) <= int(said[1]) / 10, wheel.stat().st_size


@pytest.mark.slow
def test_the_wheel_holds_every_module_the_examples_and_the_licence(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"okrctl-{__version__}.dist-info/METADATA").decode()
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "okrctl").rglob("*.py") if "__pycache__" not in p.parts}
    assert modules - names == set(), "modules missing from the wheel"
    examples = {
        "okrctl/_examples/" + p.relative_to(EXAMPLES).as_posix()
        for p in EXAMPLES.rglob("*.y*ml")
        if not any(part.startswith(".") for part in p.relative_to(EXAMPLES).parts)
    }
    assert len(examples) > 100 and examples - names == set(), "example files missing from the wheel"
    assert not [n for n in names if n.startswith("okrctl/_examples/") and n not in examples], "stray files"
    assert "okrctl/py.typed" in names
    assert f"okrctl-{__version__}.dist-info/licenses/LICENSE" in names
    assert "License-Expression: MIT" in metadata.splitlines()
    assert not [n for n in names if n.startswith(("tests/", "examples/"))]


@pytest.mark.slow
def test_the_readme_tour_runs_from_an_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    _borrow_dependencies(python, tmp_path / "borrowed")
    install = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", "--no-cache-dir", str(wheel)],
        tmp_path,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    okrctl = python.parent / "okrctl"
    empty = tmp_path / "empty"
    empty.mkdir()
    env = user_environment(tmp_path / "home")

    version = _run([str(okrctl), "--version"], empty, env)
    assert version.returncode == 0, version.stderr
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], empty, env)
    installed = Path(site.stdout.strip()) / "okrctl"
    assert version.stdout.startswith(f"okrctl {__version__} from {installed} (Python "), version.stdout

    init = _run([str(okrctl), "init", "demo", "--example", "banco"], empty, env)
    assert init.returncode == 0, init.stdout + init.stderr
    assert (empty / "demo" / "okrctl.yaml").is_file()
    align = _run([str(okrctl), "align", "--repo", "demo", "--today", "2026-11-20"], empty, env)
    assert (align.returncode, align.stdout, align.stderr) == (0, "", "")  # concise off a terminal: silence is success
    text = _run([str(okrctl), "align", "--repo", "demo", "--today", "2026-11-20", "--format", "text"], empty, env)
    assert text.returncode == 0 and "0 errors, 0 warnings" in text.stdout, text.stdout + text.stderr
    print(f"\n{wheel.name}: {wheel.stat().st_size:,} bytes\n$ okrctl --version\n{version.stdout}", end="")
    print(f"$ okrctl init demo --example banco\n{init.stdout}$ okrctl align --repo demo --today 2026-11-20")
    print(f"exit {align.returncode}, no output\n$ okrctl align --repo demo --today 2026-11-20 --format text")
    print(text.stdout, end="")


# ----- --version and shell completion ----------------------------------------------------------------
def test_version_names_the_python_and_where_okrctl_is_installed(cli) -> None:
    import platform

    import okrctl

    result = cli("--version")
    where = Path(okrctl.__file__).resolve().parent
    assert (result.exit_code, result.stdout) == (
        0,
        f"okrctl {__version__} from {where} (Python {platform.python_version()})\n",
    )


def _okrctl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "okrctl", *args], ROOT, env)


def test_completion_is_offered_and_completes_commands_and_options(tmp_path: Path) -> None:
    env = user_environment(tmp_path / "home")
    env["PYTHONPATH"] = str(ROOT)
    assert "--install-completion" in _okrctl("--help", env=env).stdout
    # What bash calls on <TAB>: the words so far, and which one is being completed.
    command = _okrctl(env={**env, "_OKRCTL_COMPLETE": "complete_bash", "COMP_WORDS": "okrctl al", "COMP_CWORD": "1"})
    assert command.stdout.split() == ["align"]
    option = _okrctl(
        env={**env, "_OKRCTL_COMPLETE": "complete_bash", "COMP_WORDS": "okrctl align --stri", "COMP_CWORD": "2"}
    )
    assert option.stdout.split() == ["--strict"]


def test_install_completion_writes_the_script_and_sources_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**user_environment(home), "PYTHONPATH": str(ROOT)}
    result = _okrctl("--install-completion", "bash", env=env)
    assert result.returncode == 0, result.stderr
    script = home / ".bash_completions" / "okrctl.sh"
    assert "_OKRCTL_COMPLETE=complete_bash" in script.read_text(encoding="utf-8")
    assert f"source '{script}'" in (home / ".bashrc").read_text(encoding="utf-8")
    sourced = _run(["bash", "-c", f"source '{script}' && complete -p okrctl"], tmp_path, env)
    assert "_okrctl_completion" in sourced.stdout


@pytest.mark.parametrize(
    ("shell", "rc", "blocked"), [("bash", ".bashrc", ".bash_completions"), ("zsh", ".zshrc", ".zfunc/_okrctl")]
)
@pytest.mark.parametrize("rc_before", ["# mine\n", None])
def test_install_completion_that_cannot_write_the_script_leaves_the_shells_start_up_file_as_it_was(
    tmp_path: Path, shell: str, rc: str, blocked: str, rc_before: str | None
) -> None:
    """The line that sources the script was added before the script was written: a script that
    could not be written (a file where its folder must be) left every new shell printing an error."""
    home = tmp_path / "home"
    env = {**user_environment(home), "PYTHONPATH": str(ROOT)}
    home.mkdir(exist_ok=True)
    if blocked.endswith("_okrctl"):
        (home / blocked).mkdir(parents=True)  # a folder where the script goes
    else:
        (home / blocked).write_text("", encoding="utf-8")  # a file where the script's folder goes
    if rc_before is not None:
        (home / rc).write_text(rc_before, encoding="utf-8")
    result = _okrctl("--install-completion", shell, env=env)
    assert result.returncode == 2
    assert result.stderr.startswith(f"okrctl: {home / blocked}") and result.stderr.count("\n") == 1
    if rc_before is None:
        assert not (home / rc).exists()
    else:
        assert (home / rc).read_text(encoding="utf-8") == rc_before


def test_install_completion_for_a_named_shell_whatever_shell_runs_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**user_environment(home), "PYTHONPATH": str(ROOT)}
    okrctl = f"'{sys.executable}' -m okrctl"
    # Named from bash: zsh's files, not bash's.
    result = _run(["bash", "-c", f"{okrctl} --install-completion zsh"], tmp_path, env)
    assert (result.returncode, result.stderr) == (0, "")
    assert "_OKRCTL_COMPLETE=complete_zsh" in (home / ".zfunc" / "_okrctl").read_text(encoding="utf-8")
    assert not (home / ".bash_completions").exists()
    shown = _okrctl("--show-completion", "fish", env=env)
    assert shown.returncode == 0 and "complete --command okrctl" in shown.stdout


def test_a_shell_okrctl_cannot_complete_is_one_line_and_exit_2(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**user_environment(home), "PYTHONPATH": str(ROOT)}
    okrctl = f"'{sys.executable}' -m okrctl"
    cases = {
        "tcsh": "okrctl: --install-completion: unknown shell 'tcsh'; name one of: bash, zsh, fish, powershell, pwsh\n",
        "bash zsh": "okrctl: --install-completion: takes at most the name of a shell, not 'zsh'\n",
    }
    for words, message in cases.items():
        result = _okrctl("--install-completion", *words.split(), env=env)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", message)
    # Run from sh, which okrctl cannot complete, and no shell named.
    result = _run(["sh", "-c", f"{okrctl} --install-completion; exit $?"], tmp_path, env)
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "okrctl: --install-completion: okrctl does not complete sh, the shell it runs in;"
        " name one of: bash, zsh, fish, powershell, pwsh\n",
    )
    assert list(home.iterdir()) == []


def _imported(*args: str) -> set[str]:
    result = _run([sys.executable, "-X", "importtime", *args], ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}


def test_completion_costs_help_no_import() -> None:
    # typer loads its completion code (and shellingham) on ``import typer`` whatever the app asks for;
    # ``--help`` may add okrctl's thin command modules and the standard library, nothing else.
    extra = _imported("-m", "okrctl", "--help") - _imported("-c", "import typer")
    foreign = {m for m in extra if m.split(".")[0] not in {"okrctl", "typer", *sys.stdlib_module_names}}
    assert foreign == set()


# ----- the lowest versions pyproject.toml allows -------------------------------------------------------
def _lower_bounds() -> dict[str, str]:
    """Each run-time dependency and the version its ``>=`` names (the floor okrctl promises to run on)."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds: dict[str, str] = {}
    for requirement in project["dependencies"]:
        found = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)", requirement)
        assert found, f"{requirement!r} names no lowest version"
        if "platform_python_implementation == 'CPython'" in requirement and sys.implementation.name != "cpython":
            continue
        bounds[found[1]] = found[2]
    return bounds


@pytest.mark.slow
def test_the_tour_runs_on_the_lowest_versions_of_every_dependency(tmp_path: Path) -> None:
    """A user whose environment already holds older libraries keeps them if pyproject allows them."""
    bounds = _lower_bounds()
    lowest = tmp_path / "lowest"
    install = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--only-binary=:all:",
            "--target",
            str(lowest),
            *(f"{name}=={version}" for name, version in bounds.items()),
        ],
        tmp_path,
    )
    # only an index that cannot be reached; a version without a wheel for this Python is a failure
    if install.returncode != 0 and any(sign in install.stderr for sign in NETWORK_SIGNS):
        pytest.skip(f"the package index cannot be reached: {install.stderr.strip().splitlines()[-1]}")
    assert install.returncode == 0, install.stdout + install.stderr
    env = {**user_environment(tmp_path / "home"), "PYTHONPATH": os.pathsep.join([str(lowest), str(ROOT)])}
    names = sorted(bounds)
    versions = _run(
        [
            sys.executable,
            "-c",
            "import sys, importlib.metadata as m; print(' '.join(m.version(n) for n in sys.argv[1:]))",
            *names,
        ],
        tmp_path,
        env,
    )

    def release(version: str) -> tuple[int, ...]:  # 2.8 and 2.8.0 are the same release
        parts = [int(part) for part in version.split(".")]
        while parts and parts[-1] == 0:
            parts.pop()
        return tuple(parts)

    found = [release(version) for version in versions.stdout.split()]
    assert found == [release(bounds[name]) for name in names], versions.stderr  # not the venv's copies

    _tour([sys.executable, "-m", "okrctl"], tmp_path, env)


NETWORK_SIGNS = ("NewConnectionError", "Could not fetch URL", "Max retries exceeded", "Temporary failure in name")


def _interpreter(minor: int) -> Path | None:
    """A working ``python3.<minor>``: on PATH, else one pyenv keeps (its shims answer only for the
    selected version)."""
    found = [shutil.which(f"python3.{minor}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found += sorted(pyenv_root.glob(f"versions/3.{minor}.*/bin/python3.{minor}"), reverse=True)
    for candidate in found:
        if candidate is None:
            continue
        probe = subprocess.run(
            [str(candidate), "-c", "import sys, venv; print(sys.version_info[:2])"], capture_output=True, text=True
        )
        if probe.returncode == 0 and probe.stdout.strip() == f"(3, {minor})":
            return Path(candidate)
    return None


@pytest.mark.slow
@pytest.mark.parametrize("minor", [12, 13])
def test_the_tour_runs_on_newer_pythons(tmp_path: Path, minor: int) -> None:
    """pyproject says Python 3.11 or newer: okrctl installed by pip into a new virtual environment of
    a newer Python runs the tour (the default test run covers the Python of the test environment)."""
    python = _interpreter(minor)
    if python is None:
        pytest.skip(f"no Python 3.{minor} on this machine (PATH, pyenv)")
    venv = tmp_path / "venv"
    assert _run([str(python), "-m", "venv", str(venv)], tmp_path).returncode == 0
    env = user_environment(tmp_path / "home")
    install = _run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        tmp_path,
        env,
    )
    if install.returncode != 0 and any(sign in install.stderr for sign in NETWORK_SIGNS):
        pytest.skip(f"the package index cannot be reached: {install.stderr.strip().splitlines()[-1]}")
    assert install.returncode == 0, install.stdout + install.stderr
    version = _run([str(venv / "bin" / "python"), "-c", "import sys; print(sys.version_info[:2])"], tmp_path, env)
    assert version.stdout.strip() == f"(3, {minor})"
    _tour([str(venv / "bin" / "okrctl")], tmp_path, env)


def _tour(okrctl_command: list[str], tmp_path: Path, env: dict[str, str]) -> None:
    """The README tour on a new example repository in ``tmp_path``, run with ``okrctl_command``:
    every step exits 0 without a traceback."""

    def okrctl(*args: str) -> subprocess.CompletedProcess[str]:
        result = _run([*okrctl_command, *args], tmp_path, env)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
        return result

    assert okrctl("--version").returncode == 0
    assert "align" in okrctl("--help").stdout
    assert "--baseline" in okrctl("align", "--help").stdout
    # The usage lines read the same on every typer okrctl runs on (tests/test_cli.py: every command's).
    assert okrctl("diff", "--help").stdout.startswith("Usage: okrctl diff [OPTIONS] [BASE] [HEAD]\n")
    assert okrctl("site", "--help").stdout.startswith("Usage: okrctl site [OPTIONS] OUTDIR\n")
    assert okrctl("init", "demo", "--example", "banco").returncode == 0
    today = ("--repo", "demo", "--today", "2026-11-20")
    align = okrctl("align", *today, "--format", "text")
    assert align.returncode == 0 and "0 errors, 0 warnings" in align.stdout, align.stdout + align.stderr
    for command in (
        ["status"],
        ["status", "--format", "json"],
        ["trends"],
        ["map"],
        ["report"],
        ["report", "--format", "html", "--output", "report.html"],
        ["diff", "HEAD"],
    ):
        result = okrctl(*command, *today)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "complete -o default -F _okrctl_completion okrctl" in okrctl("--show-completion", "bash").stdout
