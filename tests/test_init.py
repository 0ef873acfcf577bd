"""``okrctl init``: a new repository that passes align, committed; examples; never over an existing one."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, git
from tests.helpers_git import hermetic_git

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ana Example",
    "GIT_AUTHOR_EMAIL": "ana@example.com",
    "GIT_COMMITTER_NAME": "Ana Example",
    "GIT_COMMITTER_EMAIL": "ana@example.com",
}


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)


def committed_files(folder: Path) -> list[str]:
    return sorted(git(folder, "ls-tree", "-r", "--name-only", "HEAD").split())


def test_fresh_repository_passes_align_and_is_committed(cli, tmp_path: Path) -> None:
    folder = tmp_path / "acme-analytics"
    result = cli("init", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "git: initialised a new repository" in result.stdout
    assert committed_files(folder) == [
        ".gitignore",
        ".okrctl/schema/okrctl.schema.json",
        "checkins/.gitkeep",
        "okrctl.yaml",
        "okrs/.gitkeep",
        "retros/.gitkeep",
        "strategy/.gitkeep",
        "units/acme-analytics.yaml",
    ]
    assert git(folder, "status", "--porcelain") == ""
    assert git(folder, "log", "--format=%s").strip() == "okrctl init: OKR repository for Acme Analytics"
    align = cli("align", "--repo", str(folder), "--format", "json")
    assert align.exit_code == 0, align.stdout
    summary = json.loads(align.stdout)["summary"]
    assert summary["error"] == 0 and summary["files"] == 2
    assert ".okrctl-cache/" in (folder / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_an_organisation_name_with_a_newline_or_escape_makes_a_one_line_commit_message(cli, tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    result = cli("init", str(folder), "--organization", "Acme\nEvil \x1b[31mRed")
    assert result.exit_code == 0, result.stderr
    assert git(folder, "log", "-1", "--format=%B").strip() == "okrctl init: OKR repository for Acme Evil Red"
    from okrctl.load.pipeline import load_repo

    repo = load_repo(folder, use_cache=False)
    assert repo.config.organization == "Acme\nEvil \x1b[31mRed"  # kept as typed
    assert list(repo.units) == ["acme-evil-red"]  # nothing of the escape sequence in the id


@pytest.mark.parametrize(
    ("name", "unit"),
    [("Acme Ünï", "acme-uni"), ("Łódź Straße", "lodz-strasse"), ("Ærø Café", "aero-cafe"), ("日本語", "company")],
)
def test_accented_letters_of_the_organisation_keep_their_base_letter_in_the_root_unit_id(
    cli, tmp_path: Path, name: str, unit: str
) -> None:
    folder = tmp_path / "org"
    result = cli("init", str(folder), "--organization", name, "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert (folder / "units" / f"{unit}.yaml").is_file()


def test_created_files_point_editors_at_the_exported_schema(cli, tmp_path: Path) -> None:
    folder = tmp_path / "org"
    cli("init", str(folder), "--organization", 'Org: the "best" one')
    for rel in ("okrctl.yaml", "units/org-the-best-one.yaml"):
        first = (folder / rel).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        schema = (folder / rel).parent / first.split("$schema=", 1)[1]
        assert json.loads(schema.read_text(encoding="utf-8"))["title"] == "okrctl document"
    from okrctl.load.pipeline import load_repo

    repo = load_repo(folder, use_cache=False)
    assert repo.config.organization == 'Org: the "best" one'
    assert repo.root_unit() == "org-the-best-one"


def test_init_refuses_a_folder_that_already_has_a_config(cli, tmp_path: Path) -> None:
    folder = tmp_path / "org"
    assert cli("init", str(folder)).exit_code == 0
    before = (folder / "okrctl.yaml").read_text(encoding="utf-8")
    result = cli("init", str(folder), "--organization", "Other")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert (folder / "okrctl.yaml").read_text(encoding="utf-8") == before


def test_init_writes_nothing_when_one_of_its_files_exists(cli, tmp_path: Path) -> None:
    folder = tmp_path / "org"
    (folder / "units").mkdir(parents=True)
    (folder / "units" / "org.yaml").write_text("mine\n", encoding="utf-8")
    result = cli("init", str(folder))
    assert result.exit_code == 1
    assert "units/org.yaml already exists" in result.stderr
    assert not (folder / "okrctl.yaml").exists()


def test_init_inside_an_existing_repository_commits_only_its_files(cli, tmp_path: Path, git_repo) -> None:
    top = tmp_path / "project"
    top.mkdir()
    (top / "app.py").write_text("print('hi')\n", encoding="utf-8")
    git_repo(top)
    (top / "staged.txt").write_text("work in progress\n", encoding="utf-8")
    git(top, "add", "staged.txt")
    (top / ".gitignore").write_text("*.pyc", encoding="utf-8")
    result = cli("init", str(top / "okr"))
    assert result.exit_code == 0, result.stderr
    assert "initialised" not in result.stdout
    changed = git(top, "show", "--name-only", "--format=", "HEAD").split()
    assert all(path.startswith("okr/") for path in changed)
    assert "A  staged.txt" in git(top, "status", "--porcelain").splitlines()
    assert cli("align", "--repo", str(top / "okr")).exit_code == 0


def test_init_on_a_detached_head_commits_there_and_warns_as_checkin_does(cli, tmp_path: Path, git_repo) -> None:
    """docs/checkin.md "On a detached HEAD": the commit of every file of the new repository is made
    there as asked, and one line on stderr names it, before a checkout leaves it behind."""
    top = tmp_path / "project"
    top.mkdir()
    (top / "app.py").write_text("print('hi')\n", encoding="utf-8")
    git_repo(top)
    git(top, "checkout", "-q", "--detach")
    result = cli("init", str(top / "okr"), "--organization", "Acme")
    assert result.exit_code == 0, result.stderr
    short = git(top, "rev-parse", "--short=7", "HEAD").strip()
    assert f"git: committed 8 files ({short})" in result.stdout
    assert result.stderr == (
        f"okrctl: warning: committed on a detached HEAD at {short}, not on any branch: the next checkout "
        f"leaves it behind; keep it with 'git branch NAME {short}' (or 'git switch -c NAME')\n"
    )
    # On a branch nothing is said.
    git(top, "switch", "-q", "-c", "okrs")
    again = cli("init", str(top / "other"), "--organization", "Other")
    assert again.exit_code == 0 and again.stderr == ""


def test_with_git_dir_naming_a_repository_kept_apart_init_writes_nothing_and_nests_no_repository(
    cli, tmp_path: Path, git_repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A git directory kept apart from its work tree (a "bare dotfiles repository"), reached through
    GIT_DIR and GIT_WORK_TREE: okrctl ignores them (docs/security.md), so with no .git around the
    folder ``git init`` would make a repository inside the user's work tree. Refused, naming them."""
    top = tmp_path / "project"
    top.mkdir()
    (top / "app.py").write_text("print('hi')\n", encoding="utf-8")
    git_repo(top)
    apart = tmp_path / "project.git"
    (top / ".git").rename(apart)
    monkeypatch.setenv("GIT_DIR", str(apart))
    monkeypatch.setenv("GIT_WORK_TREE", str(top))
    result = cli("init", str(top / "okr"), "--organization", "Acme")
    assert result.exit_code == 2
    assert result.stderr == (
        "okrctl: GIT_DIR and GIT_WORK_TREE are set, but okrctl ignores them: it commits only into a repository it "
        "finds through a .git folder, and there is none around the files (docs/security.md); nothing was written "
        "(--no-commit writes the files and leaves the commit to your git)\n"
    )
    assert not (top / "okr").exists()
    assert git(top, "status", "--porcelain") == ""
    # --no-commit writes them, for the user's own git to commit where the variables point.
    written = cli("init", str(top / "okr"), "--organization", "Acme", "--no-commit")
    assert written.exit_code == 0, written.stderr
    assert not (top / "okr" / ".git").exists()
    assert git(top, "status", "--porcelain") == "?? okr/\n"


def test_with_a_stale_git_dir_naming_no_repository_init_makes_and_commits_the_repository(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_DIR naming no repository at all (git itself: "not a git repository") is not the git
    directory kept apart that init refuses for: init runs as without it, exit 0, a new repository."""
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "no-such-gitdir"))
    result = cli("init", str(tmp_path / "neworg"), "--organization", "Acme")
    assert result.exit_code == 0, result.stderr
    assert "GIT_DIR" not in result.stderr
    assert "git: initialised a new repository" in result.stdout
    monkeypatch.delenv("GIT_DIR")
    assert "units/acme.yaml" in committed_files(tmp_path / "neworg")


def test_init_appends_the_cache_to_an_existing_gitignore_without_committing_it(cli, tmp_path: Path) -> None:
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / ".gitignore").write_text("*.pyc", encoding="utf-8")
    result = cli("init", str(folder))
    assert result.exit_code == 0
    assert (folder / ".gitignore").read_text(encoding="utf-8") == "*.pyc\n.okrctl-cache/\n"
    assert ".gitignore" not in committed_files(folder)
    assert "added .okrctl-cache/" in result.stdout


@pytest.mark.parametrize("blocking", ["retros", "checkins", "okrs", "strategy", ".okrctl", "units"])
def test_a_file_where_a_folder_of_init_must_be_is_named_before_anything_is_written(
    cli, tmp_path: Path, blocking: str
) -> None:
    """It wrote up to five files (units/…, .gitkeep files) before meeting the file, then said
    "nothing was written"."""
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / blocking).write_text("mine\n", encoding="utf-8")
    result = cli("init", str(folder))
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith(f"okrctl: {folder / blocking}: is a file, not a folder, so init cannot write ")
    assert result.stderr.endswith("; nothing was written (move that file away)\n")
    assert result.stderr.count("\n") == 1
    assert [p.name for p in folder.iterdir()] == [blocking]
    assert (folder / blocking).read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    ("link", "points_to", "said"),
    [
        # Appended through: a line was added to the file outside the folder.
        (".gitignore", "outside/mine", "org/.gitignore: is a symbolic link"),
        # A link to nothing: init stopped after writing six files, saying nothing of them.
        (".gitignore", "outside/none", "org/.gitignore: is a symbolic link"),
        # Found last of the folders: the files before it were left behind, unsaid.
        (".okrctl", "outside", "org/.okrctl/schema/okrctl.schema.json: org/.okrctl is a symbolic link"),
    ],
)
def test_a_link_on_the_way_to_any_file_of_init_is_refused_before_anything_is_written(
    cli, tmp_path: Path, monkeypatch, link: str, points_to: str, said: str
) -> None:
    """Refused naming the link as the user reaches it (``org/.gitignore`` for ``init org``), as
    init's other refusals do, not as a path of the folder it was about to fill."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mine").write_text("*.pyc\n", encoding="utf-8")
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / link).symlink_to(tmp_path / points_to)
    monkeypatch.chdir(tmp_path)
    result = cli("init", "org")
    assert result.exit_code == 1, result.stdout
    assert result.stderr == f"okrctl: {said}; okrctl never writes through one; nothing was written\n"
    assert sorted(p.name for p in folder.iterdir()) == [link]
    assert sorted(p.name for p in outside.iterdir()) == ["mine"]
    assert (outside / "mine").read_text(encoding="utf-8") == "*.pyc\n"


def _checkout_with_a_planted_link(tmp_path: Path) -> tuple[Path, Path]:
    """A checkout whose commit holds ``team``, a link to a folder outside it: (checkout, that folder)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    git(checkout, "init", "-q")
    (checkout / "team").symlink_to("../elsewhere")
    git(checkout, "add", "team")
    git(checkout, "commit", "-q", "-m", "a link")
    return checkout, elsewhere


@pytest.mark.parametrize("given", ["team", "team/inner"])
def test_init_through_a_link_a_commit_planted_writes_nothing_where_it_points(
    cli, tmp_path: Path, monkeypatch, given: str
) -> None:
    """``team`` committed as a link to a folder outside the checkout: ``init team`` wrote, and
    committed, a whole repository there (``site team/x`` refuses the same path)."""
    checkout, elsewhere = _checkout_with_a_planted_link(tmp_path)
    monkeypatch.chdir(checkout)
    result = cli("init", given, "--organization", "X")
    assert result.exit_code == 1, result.stdout
    where = "team:" if given == "team" else "team/inner: team"
    assert result.stderr == (
        f"okrctl: {where} is a symbolic link a commit put in the checkout; okrctl never writes through one "
        "(give the folder it points to); nothing was written\n"
    )
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("given", [None, "x"])
def test_init_in_a_folder_entered_through_a_planted_link_writes_nothing_where_it_points(
    cli, tmp_path: Path, monkeypatch, given: str | None
) -> None:
    """``cd team`` (a link a commit put in the checkout), then ``okrctl init``: the working folder's
    real path hid the link, and a repository was written and committed outside the checkout."""
    checkout, elsewhere = _checkout_with_a_planted_link(tmp_path)
    monkeypatch.chdir(checkout / "team")
    monkeypatch.setenv("PWD", str(checkout / "team"))  # as the shell's cd sets it
    result = cli("init", *([given] if given else []), "--organization", "X")
    assert result.exit_code == 1, result.stdout
    where = f"{checkout / 'team'}:" if given is None else f"x: {checkout / 'team'}"
    assert result.stderr == (
        f"okrctl: {where} is a symbolic link a commit put in the checkout; okrctl never writes through one "
        "(give the folder it points to); nothing was written\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_gitignore_that_is_a_folder_is_named_before_anything_is_written(cli, tmp_path: Path) -> None:
    """It said "…/.okrctl/schema/okrctl.schema.json: cannot be written: Is a directory" after writing
    six files: the wrong file, and a second run met it again."""
    folder = tmp_path / "org"
    (folder / ".gitignore").mkdir(parents=True)
    result = cli("init", str(folder))
    assert result.exit_code == 1, result.stdout
    assert result.stderr == (
        f"okrctl: {folder / '.gitignore'} is not a file, so init cannot add .okrctl-cache/ to it; nothing was written\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore"]


def test_no_commit_writes_the_files_only(cli, tmp_path: Path) -> None:
    folder = tmp_path / "org"
    result = cli("init", str(folder), "--no-commit")
    assert result.exit_code == 0
    assert (folder / "okrctl.yaml").is_file()
    assert not (folder / ".git").exists()


def git_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> None:
    """Every git command from now on reads ``text`` as the user's git config."""
    config = tmp_path / "gitconfig"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))


def follow_the_advice(result, folder: Path | None = None) -> None:
    """Run the command init's last line gives ("… commit them: COMMAND"): it succeeds, and (with
    ``folder``) commits init's files there, nothing left over."""
    advice = result.stderr.split("commit them: ", 1)[1].strip()
    done = subprocess.run(["sh", "-c", advice], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    if folder is not None:
        assert "okrctl.yaml" in committed_files(folder)
        assert git(folder, "status", "--porcelain") == ""


def _repository_with_a_pre_commit_hook(folder: Path, script: str) -> tuple[Path, Path]:
    """A new git repository at ``folder`` whose pre-commit hook is ``script``; the folder and the hook."""
    folder.mkdir()
    git(folder, "init", "-q")
    hook = folder / ".git" / "hooks" / "pre-commit"
    hook.write_text(script, encoding="utf-8")
    hook.chmod(0o755)
    return folder, hook


def test_a_refused_commit_keeps_the_files_and_exits_1(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, hook = _repository_with_a_pre_commit_hook(
        tmp_path / "org", "#!/bin/sh\necho 'no commits today' >&2\nexit 1\n"
    )
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    git(folder, "add", "notes.txt")
    result = cli("init", str(folder))
    assert result.exit_code == 1
    assert "git refused the commit" in result.stderr
    assert (folder / "okrctl.yaml").is_file()
    # None of init's files is left staged beside the user's own work, and no "Next:" follows.
    assert "none of them is staged" in result.stderr
    assert git(folder, "diff", "--cached", "--name-only").split() == ["notes.txt"]
    assert "Next:" not in result.stdout
    # The advice, run once the hook is gone, commits init's files and nothing of the user's.
    hook.unlink()
    follow_the_advice(result)
    committed = git(folder, "show", "--name-only", "--format=", "HEAD").split()
    assert "okrctl.yaml" in committed and "notes.txt" not in committed
    assert git(folder, "diff", "--cached", "--name-only").split() == ["notes.txt"]


def test_a_commit_a_signal_kills_names_the_lock_it_left_and_says_the_files_are_staged(cli, tmp_path: Path) -> None:
    """The killed commit leaves .git/index.lock, on which taking init's files out of the index again
    failed unseen: the line said "none of them is staged" (all were) without a word of the lock, and
    the advised ``git add`` failed on it. The git line names the lock, the last line says the files
    are staged, and the advice commits them once the lock is removed."""
    folder, hook = _repository_with_a_pre_commit_hook(tmp_path / "org", "#!/bin/sh\nkill -KILL $PPID\n")
    result = cli("init", str(folder))
    assert result.exit_code == 1
    lock = folder / ".git" / "index.lock"
    assert (
        f"\ngit: git commit was killed by signal SIGKILL (killed) and left {lock} behind (remove it if no git "
        "command is running)\n"
    ) in result.stdout
    assert "the files are written but git refused the commit (see the git line above) and they are left staged" in (
        result.stderr
    )
    assert "none of them is staged" not in result.stderr
    assert "okrctl.yaml" in git(folder, "ls-files").split()
    lock.unlink()
    hook.unlink()
    follow_the_advice(result, folder)


def test_a_git_init_that_fails_says_so_and_the_advice_makes_the_repository_first(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git init refused (a bad config here; a full disk as it copies its templates): the line said
    "git refused the commit" and gave only ``git -C … add``, which fails with "not a git
    repository". It says git init failed, and its advice, run once the config is fixed, makes the
    repository and commits init's files."""
    git_config(monkeypatch, tmp_path, "[core]\n\tsharedRepository = bogus\n")
    folder = tmp_path / "org"
    result = cli("init", str(folder))
    assert result.exit_code == 1
    assert "\ngit: fatal: bad boolean config value 'bogus' for 'core.sharedrepository'\n" in result.stdout
    said = (
        "okrctl: the files are written but git init failed (see the git line above): the folder is not a git "
        f"repository yet; once that is fixed, make it one and commit them: git init -q {folder} && git -C {folder} add -- "
    )
    assert result.stderr.startswith(said), result.stderr
    assert "refused the commit" not in result.stderr
    assert "Next:" not in result.stdout
    assert (folder / "okrctl.yaml").is_file()
    git_config(monkeypatch, tmp_path, "")  # mended
    follow_the_advice(result, folder)


def test_init_in_a_repository_git_cannot_read_never_advises_a_git_init_that_would_nest_one(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder inside a work tree, with a git config every git command refuses: git could not say
    it was inside one, so init ran (and advised) ``git init`` of the folder, a repository nested in
    the work tree. It commits in the work tree around it, and its advice does too."""
    mono = tmp_path / "mono"
    git(tmp_path, "init", "-q", str(mono))
    git_config(monkeypatch, tmp_path, "[core\n")
    folder = mono / "okrs"
    result = cli("init", str(folder))
    assert result.exit_code == 1
    assert "git init" not in result.stderr and "not a git repository yet" not in result.stderr
    assert not (folder / ".git").exists()
    git_config(monkeypatch, tmp_path, "")  # mended
    follow_the_advice(result, folder)
    assert not (folder / ".git").exists()
    assert "okrs/okrctl.yaml" in git(mono, "ls-files")


@pytest.mark.parametrize("above", ["an empty .git folder", "a repository beyond GIT_CEILING_DIRECTORIES"])
def test_init_under_a_git_folder_git_does_not_use_makes_its_own_repository(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, above: str
) -> None:
    """Outside git is outside git: a ``.git`` above the folder that git does not take for a
    repository (an empty folder, or one past a ceiling) does not stop ``git init``, as a ``.git``
    git cannot read does."""
    home = tmp_path / "home"
    if above == "an empty .git folder":
        (home / ".git").mkdir(parents=True)
    else:
        git(tmp_path, "init", "-q", str(home))
        monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(home))
    (home / "proj").mkdir()
    folder = home / "proj" / "okrs"
    result = cli("init", str(folder))
    assert result.exit_code == 0, result.stderr
    assert (folder / ".git").is_dir()
    assert "okrctl.yaml" in committed_files(folder)


@pytest.mark.parametrize("across", ["", "1"])
def test_a_repository_across_a_file_systems_boundary_is_none_unless_git_is_told_to_look_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, across: str
) -> None:
    """git stops looking for a repository at a file system's boundary (a second disk mounted in a
    home folder that is a repository): so does the check init makes, unless
    GIT_DISCOVERY_ACROSS_FILESYSTEM says git looks across. The mount is stood for by the device
    number the system reports for the folders below the repository."""
    import os as real_os

    from okrctl.gitio import repo as gitrepo

    home = tmp_path / "home"
    git(tmp_path, "init", "-q", str(home))
    (home / "data" / "okrs").mkdir(parents=True)
    below = str(home / "data")
    stat = real_os.stat

    def mounted(path, *args, **kwargs):
        found = stat(path, *args, **kwargs)
        if real_os.fspath(path).startswith(below):
            return real_os.stat_result((*found[:2], found.st_dev + 1, *found[3:]))
        return found

    monkeypatch.setattr(gitrepo.os, "stat", mounted)
    monkeypatch.setenv("GIT_DISCOVERY_ACROSS_FILESYSTEM", across)
    assert gitrepo.git_folder_above(home / "data" / "okrs") is bool(across)
    assert gitrepo.git_folder_above(home) is True


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
@pytest.mark.slow
def test_init_stopped_while_git_commits_says_the_files_are_written_and_how_to_commit_them(
    tmp_path: Path, signal_name: str
) -> None:
    """A cancelled job or Ctrl-C while a slow pre-commit hook runs: every file is written (okrctl.yaml
    too, so a second init refuses); the last line says so and gives the command that commits them,
    not a bare "terminated"."""
    import os
    import signal
    import sys
    import time

    from tests.conftest import ROOT

    started = tmp_path / "hook-started"
    folder, hook = _repository_with_a_pre_commit_hook(tmp_path / "org", f"#!/bin/sh\ntouch '{started}'\nsleep 30\n")
    run = subprocess.Popen(
        [sys.executable, "-m", "okrctl", "init", str(folder), "--today", DEMO_DAY],
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a user's shell leaves it
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    assert started.exists(), run.communicate()
    run.send_signal(getattr(signal, signal_name))
    _out, err = run.communicate(timeout=60)
    word, code = ("terminated", 143) if signal_name == "SIGTERM" else ("interrupted", 130)
    assert run.returncode == code
    last = err.decode().splitlines()[-1]
    files = len(list(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.relative_to(folder).parts))
    assert last.startswith(
        f"okrctl: {word}; the repository is created: its {files} files are written, left uncommitted; commit "
        f"them: git -C {folder} add -- "
    ), last
    assert git(folder, "diff", "--cached", "--name-only") == ""  # nothing of init's left staged
    hook.unlink()
    done = subprocess.run(["sh", "-c", last.split("commit them: ", 1)[1]], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "okrctl.yaml" in committed_files(folder)
    assert git(folder, "status", "--porcelain") == ""


def _stopped_at_write(monkeypatch: pytest.MonkeyPatch, number: int, *, named: bool = False) -> list[str]:
    """Ctrl-C at init's ``number``-th file, raised where Python's handler would raise it: before the
    file is written, or (``named``) once it has its name, while its folder is synced. Returns the
    files written, as ``atomic_write`` was asked for them."""
    from okrctl import fsutil

    real = fsutil.atomic_write
    asked: list[str] = []

    def atomic_write(path, text, **kwargs):
        asked.append(str(path))
        if len(asked) == number and not named:
            raise KeyboardInterrupt
        real(path, text, **kwargs)
        if len(asked) == number:
            raise KeyboardInterrupt

    monkeypatch.setattr(fsutil, "atomic_write", atomic_write)
    return asked


def _everything(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize(("where", "twice"), [("n", False), ("new/org/n", False), ("n", True)])
def test_init_stopped_while_it_writes_takes_away_the_folder_it_made(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, twice: bool
) -> None:
    """Ctrl-C (or ``timeout``) while ``init n --example banco`` wrote its files: the bare
    "interrupted", and a folder ``n`` with eight check-ins and no okrctl.yaml, which every command
    then called no repository. The folder is init's own: it is taken away, with the folders made
    for it, and the line stays the bare one; the same init then makes the repository. ``twice``:
    a second signal (``timeout`` sends one to the process group too) as the file's own write
    takes its new folder away again, which left ``n/checkins/discover/``."""
    from okrctl import fsutil, repofiles

    real = fsutil.atomic_write
    before = _everything(tmp_path)
    asked = _stopped_at_write(monkeypatch, 9)
    if twice:
        real_unmake = repofiles.unmake
        cut: list[bool] = []

        def unmake(made: list[Path]) -> None:
            if not cut:
                cut.append(True)
                raise KeyboardInterrupt
            real_unmake(made)

        monkeypatch.setattr(repofiles, "unmake", unmake)
    result = cli("init", str(tmp_path / where), "--example", "banco")
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "okrctl: interrupted\n")
    assert len(asked) == 9
    assert _everything(tmp_path) == before
    monkeypatch.setattr(fsutil, "atomic_write", real)
    again = cli("init", str(tmp_path / where), "--example", "banco")
    assert again.exit_code == 0, again.stderr
    assert git(tmp_path / where, "status", "--porcelain") == ""


# The installed program, sent SIGNAL by itself as it asks for its ninth file (eight written).
_SIGNALLED_AT_THE_NINTH_FILE = """
import os, sys
import okrctl.fsutil as fsutil
signum, *argv = sys.argv[1:]
real, asked = fsutil.atomic_write, []

def atomic_write(*args, **kwargs):
    asked.append(args[0])
    if len(asked) == 9:
        os.kill(os.getpid(), int(signum))
    real(*args, **kwargs)

fsutil.atomic_write = atomic_write
sys.argv = ["okrctl", *argv]
from okrctl.cli.entry import program
program()
"""


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_the_program_stopped_while_init_writes_leaves_nothing(tmp_path: Path, signal_name: str) -> None:
    """As the report had it (``timeout -s INT 0.44 okrctl init n --example banco``), with the signal's
    own handler: one bare line, its exit code, and no folder ``n``."""
    import os
    import signal
    import sys

    from tests.conftest import ROOT

    number = getattr(signal, signal_name)
    run = subprocess.run(
        [sys.executable, "-c", _SIGNALLED_AT_THE_NINTH_FILE, str(number), "init", "n", "--example", "banco"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PWD": str(tmp_path)},
        capture_output=True,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a user's shell leaves it
        check=False,
    )
    word = "interrupted" if signal_name == "SIGINT" else "terminated"
    assert (run.returncode, run.stdout, run.stderr) == (128 + number, "", f"okrctl: {word}\n")
    assert not (tmp_path / "n").exists()


def test_init_stopped_while_it_writes_into_a_folder_of_yours_says_how_many_files_it_wrote(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder was there before: nothing in it is taken away, and the line says what a second
    init does with what was written, as when the file system refuses a file midway."""
    from okrctl import fsutil

    real = fsutil.atomic_write
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    _stopped_at_write(monkeypatch, 9)
    result = cli("init", str(folder), "--example", "banco")
    assert result.exit_code == 130
    assert result.stderr == (
        "okrctl: interrupted; init stopped after writing 8 files (run it again: it keeps them and finishes the "
        "repository)\n"
    )
    assert len([p for p in folder.rglob("*") if p.is_file()]) == 8 + 1
    assert not (folder / "okrctl.yaml").exists()
    monkeypatch.setattr(fsutil, "atomic_write", real)
    again = cli("init", str(folder), "--example", "banco")
    assert again.exit_code == 0, again.stderr
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert git(folder, "status", "--porcelain") == "?? notes.txt\n"


@pytest.mark.parametrize("commit", [True, False], ids=["commit", "no-commit"])
def test_init_stopped_as_okrctl_yaml_gets_its_name_says_the_repository_is_created(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, git_repo, commit: bool
) -> None:
    """okrctl.yaml is written last: stopped once it has its name, the repository is there (a second
    init refuses it), so the line says so and how to commit it, as when git's commit is stopped."""
    top = tmp_path / "project"
    top.mkdir()
    (top / "README").write_text("project\n", encoding="utf-8")
    git_repo(top)
    asked = _stopped_at_write(monkeypatch, 8, named=True)
    result = cli("init", str(top / "okr"), *([] if commit else ["--no-commit"]))
    assert result.exit_code == 130
    assert asked[-1] == str(top / "okr" / "okrctl.yaml")
    if not commit:
        assert result.stderr == (
            "okrctl: interrupted; the repository is created: its 8 files are written, not committed (--no-commit)\n"
        )
        return
    said = "okrctl: interrupted; the repository is created: its 8 files are written, left uncommitted; commit them: "
    assert result.stderr.startswith(said), result.stderr
    advice = result.stderr.removeprefix(said).strip()
    done = subprocess.run(["sh", "-c", advice], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "okr/okrctl.yaml" in git(top, "show", "--name-only", "--format=", "HEAD").split()
    assert git(top, "status", "--porcelain") == ""


@pytest.mark.parametrize("where", ["git init", "okrctl.yaml"])
def test_init_stopped_before_git_init_says_how_to_make_the_repository_and_commit_it(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Outside git, stopped as ``git init`` was to run (a slow disk), or once okrctl.yaml had its
    name: the folder holds every file and no .git, and the line said "git could not tell whether
    they are committed (see 'git status')", which says "not a git repository"; a second init
    refuses the folder. The line says so and gives the commands that make and commit it."""
    from okrctl.gitio import repo

    if where == "git init":

        def init(folder: Path) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(repo, "init", init)
    else:
        _stopped_at_write(monkeypatch, 8, named=True)
    folder = tmp_path / "org"
    result = cli("init", str(folder))
    assert result.exit_code == 130
    assert not (folder / ".git").exists()
    said = (
        "okrctl: interrupted; the repository is created: its 8 files are written, not in a git repository yet; "
        f"make it one and commit them: git init -q {folder} && git -C {folder} add -- "
    )
    assert result.stderr.startswith(said), result.stderr
    follow_the_advice(result, folder)


def test_init_stopped_while_it_says_what_it_did_says_the_repository_is_created(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Created and committed, then stopped as it printed so: the line said only "interrupted"."""
    import typer

    def echo(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(typer, "echo", echo)
    folder = tmp_path / "org"
    result = cli("init", str(folder))
    assert result.exit_code == 130
    commit = git(folder, "rev-parse", "--short=7", "HEAD").strip()
    assert result.stderr == (
        f"okrctl: interrupted; the repository is created all the same (created 8 files in {folder}; "
        f"committed {commit})\n"
    )


def test_a_commit_git_refuses_for_an_ignored_path_leaves_nothing_of_init_staged(cli, tmp_path: Path, git_repo) -> None:
    """git add refused init's dot-files (ignored by the project's '.*'): the other files stayed
    staged, for the user's next commit to carry along with their own work."""
    top = tmp_path / "project"
    top.mkdir()
    (top / ".gitignore").write_text(".*\n!.gitignore\n", encoding="utf-8")
    git_repo(top)
    (top / "notes.txt").write_text("work\n", encoding="utf-8")
    git(top, "add", "notes.txt")
    result = cli("init", str(top / "okr"))
    assert result.exit_code == 1
    assert "The following paths are ignored" in result.stdout
    assert "none of them is staged; once that is fixed, commit them: git -C " in result.stderr
    assert git(top, "diff", "--cached", "--name-only").split() == ["notes.txt"]
    assert (top / "okr" / "okrctl.yaml").is_file()


@pytest.mark.parametrize("name", ["banco", "saas"])
def test_example_copies_pass_align(cli, tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    result = cli("init", str(folder), "--example", name)
    assert result.exit_code == 0, result.stderr
    assert cli("align", "--repo", str(folder), "--today", DEMO_DAY).exit_code == 0
    objective = next((folder / "okrs").rglob("*.yaml")).read_text(encoding="utf-8")
    assert objective.startswith("# yaml-language-server: $schema=../../.okrctl/schema/okrctl.schema.json\n")
    assert git(folder, "status", "--porcelain") == ""


def test_unknown_example_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli("init", str(tmp_path / "x"), "--example", "bank")
    assert result.exit_code == 2
    assert "banco" in result.stderr and "saas" in result.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("--example", "--example: '' is not a bundled example (banco, saas)"),
        ("--organization", "--organization: organization: empty text (in the okrctl.yaml init would write)"),
    ],
)
def test_an_empty_example_or_organization_is_refused_not_taken_for_the_option_left_out(
    cli, tmp_path: Path, option: str, said: str
) -> None:
    """``--example "$EXAMPLE"`` with the variable unset created and committed an empty repository
    instead of the example; ``--organization ""`` named it after the folder."""
    result = cli("init", str(tmp_path / "x"), option, "")
    assert result.exit_code == 2, result.stdout
    assert said in result.stderr
    assert not (tmp_path / "x").exists()


def test_plan_and_retro_drafts_point_at_the_schema_only_where_it_is(cli, tmp_path: Path, copy_example) -> None:
    """A repository made by ``init`` holds the schema: drafts start with the line that points
    editors at it. A copy of an example holds none: the line would point at nothing, and is left out."""
    made = tmp_path / "made"
    assert cli("init", str(made), "--example", "banco").exit_code == 0
    plain = copy_example("banco")
    schema_line = "# yaml-language-server: $schema=../../.okrctl/schema/okrctl.schema.json\n"
    for folder, starts in ((made, True), (plain, False)):
        plan = ("plan", "--repo", str(folder), "--team", "cards", "--cycle", "2027-Q1", "--today", "2026-12-20")
        assert cli(*plan, "--write").exit_code == 0
        retro = ("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", "2027-01-08")
        assert cli(*retro, "--write").exit_code == 0
        for written in (folder / "okrs/2027-Q1/cards.yaml", folder / "retros/2026-Q4/cards-end.yaml"):
            assert written.read_text(encoding="utf-8").startswith(schema_line) is starts, written


def test_init_refuses_a_folder_that_holds_an_okr_repository_and_an_empty_name(cli, tmp_path: Path) -> None:
    """A new repository around an existing one failed its first align (two Configs, two root
    units); an empty DIR (an unset variable) set up the current folder."""
    assert cli("init", str(tmp_path / "outer" / "inner"), "--no-commit").exit_code == 0
    result = cli("init", str(tmp_path / "outer"), "--no-commit")
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: {tmp_path / 'outer'} holds the OKR repository at {tmp_path / 'outer' / 'inner'}; "
        "create the new one elsewhere\n"
    )
    assert not (tmp_path / "outer" / "okrctl.yaml").exists()
    # Another git repository's work tree is not read, so it does not stand in the way.
    (tmp_path / "vendor" / "lib").mkdir(parents=True)
    (tmp_path / "vendor" / "lib" / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")
    (tmp_path / "vendor" / "lib" / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n", encoding="utf-8")
    assert cli("init", str(tmp_path / "vendor"), "--no-commit").exit_code == 0
    for args in ([""], ["--repo", ""]):
        empty = cli("init", *args, "--no-commit")
        assert empty.exit_code == 2
        assert "is empty; name a folder, or leave it out for the current one" in empty.stderr


def test_init_refuses_a_folder_named_git_or_one_in_a_git_directory_and_writes_nothing(
    cli, tmp_path: Path, monkeypatch, git_repo
) -> None:
    """``init .git`` (or ``--repo .git``, or ``init`` run in a folder named ``.git``) wrote and
    ``git init``ed a whole OKR repository there: the folder around it then held a ``.git`` that
    is no git directory ('fatal: not a git repository'). It is refused as ``--output .git`` is,
    exit 2, and so is a folder reached through a link into a git directory."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("PWD", str(work))
    named = "is named .git, which git takes for a repository's own; create the new one elsewhere"
    for args, shown in (
        (["init", ".git", "--example", "banco"], ".git"),
        (["init", "--repo", ".git"], ".git"),
        (["init", "x/.git", "--organization", "X"], "x/.git"),
    ):
        result = cli(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"okrctl: {shown} {named}\n"), args
        assert list(work.iterdir()) == [], args

    dotgit = tmp_path / "plain" / ".git"
    dotgit.mkdir(parents=True)
    monkeypatch.chdir(dotgit)
    monkeypatch.setenv("PWD", str(dotgit))
    here = cli("init", "--organization", "X")
    assert (here.exit_code, here.stderr) == (2, f"okrctl: {dotgit} {named}\n")
    assert list(dotgit.iterdir()) == []

    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "notes.txt").write_text("notes\n", encoding="utf-8")
    repo = git_repo(tmp_path / "repo")
    before = sorted(p.relative_to(repo) for p in (repo / ".git").rglob("*"))
    (work / "refs").symlink_to(repo / ".git" / "refs")
    monkeypatch.chdir(work)
    monkeypatch.setenv("PWD", str(work))
    for given, said in (
        (str(repo / ".git" / "sub"), f"is inside {repo / '.git'}, the git directory of the working tree {repo}"),
        ("refs/new", f"leads to {repo / '.git' / 'refs' / 'new'}, in the git directory {repo / '.git'}, which"),
    ):
        inside = cli("init", given, "--organization", "X")
        assert inside.exit_code == 2 and said in inside.stderr and len(inside.stderr.splitlines()) == 1, given
        assert sorted(p.relative_to(repo) for p in (repo / ".git").rglob("*")) == before, given


def test_init_refuses_a_folder_named_git_on_the_way_and_names_the_work_tree_a_link_leads_to(
    cli, tmp_path: Path, monkeypatch
) -> None:
    """``init proj/.git/okr`` made ``proj/.git`` a plain folder holding the repository, exit 0, and
    git then found no repository in ``proj`` ('fatal: not a git repository'); inside another
    repository the files went where git never sees them. A folder named ``.git`` anywhere on the way
    is refused, exit 2, nothing written. ``init L/x`` through ``L -> real/.git`` called the work
    tree's git directory a bare repository to clone; it names the work tree, as ``real/.git/x`` does."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("PWD", str(work))
    named = "lies in a folder named .git, which git takes for a repository's own; create the new one elsewhere"
    for given in ("proj/.git/okr", "proj/.git/a/b", ".git/okr"):
        result = cli("init", given, "--organization", "X")
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"okrctl: {given} {named}\n"), given
        assert list(work.iterdir()) == [], given

    real = tmp_path / "real"
    real.mkdir()
    git(real, "init", "-q")
    before = sorted(p.relative_to(real) for p in (real / ".git").rglob("*"))
    (work / "L").symlink_to(real / ".git")
    tree = f"the git directory of the working tree {real}; use {real}"
    for given, said in (("L/x", f"L/x is inside {real / '.git'}, {tree}"), ("L", f"{real / '.git'} is {tree}")):
        result = cli("init", given, "--organization", "X")
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"okrctl: {said}\n"), given
    assert sorted(p.relative_to(real) for p in (real / ".git").rglob("*")) == before
