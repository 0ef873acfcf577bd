"""Git is read and written one way: literal pathspecs, NUL-separated parsing, the repository okrctl names.

Hostile names (pathspec magic), hostile commits (separators in a name, impossible time zones,
unreadable dates) and a hostile environment (variables set by a git hook) on real repositories.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, ROOT, git
from tests.helpers_git import commit_at, edit, hermetic_git

DISCOVER = "okrs/2026-Q4/discover.yaml"

# File names that are pathspec magic, globs or look like options when passed to git unprotected.
PATHSPEC_NAMES = [
    ":!*.yaml",
    ":(exclude)*.yaml",
    ":^okrs.yaml",
    ":(top,exclude)*.yaml",
    ":(icase)X.yaml",
    ":/x.yaml",
    "*.yaml",
    "[ok]rs.yaml",
    "-n.yaml",
    "--all.yaml",
]


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    folder = git_repo(copy_example("banco"), commit=False)
    commit_at(folder, "2026-09-20", "OKRs for 2026-Q4")
    return folder


def spare_objective(folder: Path, name: str) -> None:
    """A valid objective in a file named ``name`` at the root (history follows it by name)."""
    text = (folder / DISCOVER).read_text(encoding="utf-8")
    text = text.replace("id: discover-first-week", "id: planted-objective", 1)
    assert "planted-objective" in text
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def moved_target_findings(cli, folder: Path) -> list[dict]:
    result = cli("align", "--repo", str(folder), "--today", DEMO_DAY, "--format", "json", "--select", "OKR601")
    return json.loads(result.stdout)["findings"]


@pytest.mark.parametrize("name", PATHSPEC_NAMES)
def test_a_file_named_like_pathspec_magic_does_not_blind_the_history(cli, banco: Path, name: str) -> None:
    spare_objective(banco, name)
    commit_at(banco, "2026-09-21", "a file with an odd name")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    sha = commit_at(banco, "2026-10-20", "lower the target")
    assert [f["message"] for f in moved_target_findings(cli, banco)] == [_expected_601(sha)]
    history = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert [(c["commit"], c["field"], c["new"]) for c in history["changes"]] == [(sha, "target", 85)]


def _expected_601(sha: str) -> str:
    return (
        "target of 'onboarding-completion' changed 90 → 85 on 2026-10-20 after 2026-Q4 started "
        f"(commit {sha[:7]} by Ana Example <ana@example.com>)"
    )


@pytest.mark.parametrize("name", PATHSPEC_NAMES[:6])  # the magic ones; globs are covered above
def test_a_change_to_the_oddly_named_file_itself_is_found(cli, banco: Path, name: str) -> None:
    spare_objective(banco, name)
    commit_at(banco, "2026-09-21", "a file with an odd name")
    edit(banco / name, r"^    target: 90$", "    target: 70")
    sha = commit_at(banco, "2026-10-20", "lower the planted target")
    history = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert [(c["commit"], c["objective"], c["path"]) for c in history["changes"]] == [(sha, "planted-objective", name)]


# ----- commits the reader must split correctly ---------------------------------------------------------
@pytest.mark.parametrize(
    "author",
    ["Ana\x1fExample", "Ana\x1eExample", "Ana %x00 Example", "Ana: !*.yaml", "Zoë \u202eelpmaxE"],
)
def test_an_author_name_with_separators_keeps_the_commit(cli, banco: Path, author: str) -> None:
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    sha = commit_at(banco, "2026-10-20", "lower the target", name=author)
    history = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert [(c["commit"], c["author"]["name"]) for c in history["changes"]] == [(sha, author)]
    assert len(moved_target_findings(cli, banco)) == 1


def _crafted_commit(folder: Path, committer_line: str, *, message: str = "crafted") -> str:
    """A commit object written byte for byte (git commit would refuse these dates), made HEAD."""
    tree = git(folder, "write-tree").strip()
    parent = git(folder, "rev-parse", "HEAD").strip()
    body = (
        f"tree {tree}\nparent {parent}\nauthor Odd Clock <odd@example.com> 1792500000 +0000\n"
        f"committer {committer_line}\n\n{message}\n"
    )
    object_file = folder.parent / "commit-object.txt"
    object_file.write_text(body, encoding="utf-8")
    sha = git(folder, "hash-object", "-t", "commit", "--literally", "-w", str(object_file)).strip()
    git(folder, "update-ref", "HEAD", sha)
    return sha


@pytest.mark.parametrize("offset", ["+9999", "-2400", "+0099", "+1"])
def test_a_commit_with_a_time_zone_python_cannot_hold_is_dated_in_utc(cli, banco: Path, offset: str) -> None:
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    git(banco, "add", "-A")
    # 1792500000 = 2026-10-20 12:40 UTC
    sha = _crafted_commit(banco, f"Odd Clock <odd@example.com> 1792500000 {offset}")
    history = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert [(c["commit"], c["date"]) for c in history["changes"]] == [(sha, "2026-10-20")]
    assert history["note"] is None


@pytest.mark.parametrize("stamp", ["99999999999999999999 +0000", "not-a-time +0000", "1792500000 zone", ""])
def test_a_commit_without_a_readable_date_is_named_not_dropped_silently(cli, banco: Path, stamp: str) -> None:
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    git(banco, "add", "-A")
    sha = _crafted_commit(banco, f"Odd Clock <odd@example.com> {stamp}".strip())
    history = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert history["changes"] == []
    said = f"1 commit left out: its date cannot be read (none, or past the year 9999) ({sha[:7]})"
    assert history["note"] == said
    text = cli("history", "--repo", str(banco))
    assert text.exit_code == 0
    assert said in text.stdout
    # OKR601 misses what that commit changed: align says so on standard error, as history does
    # (a target moved in a commit dated in the year 10000 passed the gate in silence).
    gate = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--select", "OKR601")
    assert f"okrctl: note: OKR601 (moved targets) may miss changes: {said}" in gate.stderr


def test_a_commit_dated_past_the_year_9999_is_named_by_align_too(cli, banco: Path) -> None:
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 80")
    git(banco, "add", "-A")
    when = "@253402300800 +0000"  # 10000-01-01: git reads it, Python's dates end at 9999
    git(banco, "commit", "-qm", "lower", env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})
    gate = cli("align", "--repo", str(banco), "--today", DEMO_DAY)
    assert "OKR601 (moved targets) may miss changes: 1 commit left out" in gate.stderr


def test_a_commit_of_the_first_hours_of_1970_west_of_utc_leaves_the_history_read(cli, banco: Path) -> None:
    """git cannot write such a date in ISO form and stopped the whole log on it: OKR601 went
    unchecked for every commit (a pull request's moved target passed the gate) and ``history``
    failed. The history is read whole."""
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    sha = commit_at(banco, "2026-10-20", "lower the target")
    with (banco / "okrs/2026-Q4/cards.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# tidy\n")
    when = "@1 -1200"  # 1970-01-01 00:00:01 UTC, the evening before where it was written
    git(banco, "commit", "-qam", "tidy", env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})
    history = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert [c["commit"] for c in history["changes"]] == [sha] and history["note"] is None
    assert len(moved_target_findings(cli, banco)) == 1


def test_the_day_of_a_commit_of_the_first_hours_of_1970_west_of_utc_is_told(banco: Path) -> None:
    """``diff`` dates its head commit with the day it was committed, where it was committed (the
    window of a ``rescoped`` entry); git refuses to write such a date in ISO form."""
    from okrctl.gitio.tree import commit_day

    with (banco / "okrs/2026-Q4/cards.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# tidy\n")
    when = "@1 -1200"
    git(banco, "commit", "-qam", "tidy", env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})
    assert commit_day(banco, git(banco, "rev-parse", "HEAD").strip()) == date(1969, 12, 31)


def test_parse_log_takes_fields_by_position() -> None:
    from okrctl.gitio.log import parse_log

    sha = "a" * 40
    raw = (
        b"\x1e" + sha.encode() + b"\0Ana\x1e\x1fX\0a@b\0" + b"1792500000\0" + b"2026-10-20T14:40:00+02:00\0\0"
        b"\n:100644 100644 " + b"1" * 40 + b" " + b"2" * 40 + b" M\0okrs/\x1enew\nline.yaml\0"
    )
    skipped: list[str] = []
    [commit] = parse_log(raw, skipped)
    assert (commit.sha, commit.author_name, commit.author_email) == (sha, "Ana\x1e\x1fX", "a@b")
    assert commit.committed.isoformat() == "2026-10-20T14:40:00+02:00"
    assert [(c.path, c.old_oid, c.new_oid) for c in commit.changes] == [("okrs/\x1enew\nline.yaml", "1" * 40, "2" * 40)]
    assert skipped == []


def test_parse_log_reads_a_merges_combined_line_against_its_first_parent() -> None:
    """``git log -c --raw``: an octopus merge of three parents writes three colons, four modes and
    four blob ids; the version before is the first parent's, the one after the merge's."""
    from okrctl.gitio.log import parse_log

    sha = "c" * 40
    header = b"\x1e" + sha.encode() + b"\0Di\0d@x\0" + b"1792500000\0" + b"2026-10-20T14:40:00+00:00\0\0"
    modes = b"100644 100644 000000 100644 "
    blobs = b" ".join(digit * 40 for digit in (b"1", b"2", b"0", b"4"))
    raw = header + b"\n:::" + modes + blobs + b" MMA\0okrs/a.yaml\0"
    [commit] = parse_log(raw)
    assert [(c.path, c.old_oid, c.new_oid) for c in commit.changes] == [("okrs/a.yaml", "1" * 40, "4" * 40)]


# ----- the environment of a git hook --------------------------------------------------------------------
@pytest.mark.parametrize(
    "variable",
    [
        "GIT_INDEX_FILE",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_COMMON_DIR",
        "GIT_GLOB_PATHSPECS",
        "GIT_ICASE_PATHSPECS",
        "GIT_NOGLOB_PATHSPECS",
    ],
)
def test_a_checkin_from_inside_a_hook_commits_to_the_repository_it_names(
    cli, banco: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    git(elsewhere, "init", "-q")
    value = {
        "GIT_INDEX_FILE": str(elsewhere / ".git" / "index"),
        "GIT_DIR": str(elsewhere / ".git"),
        "GIT_WORK_TREE": str(elsewhere),
        "GIT_OBJECT_DIRECTORY": str(elsewhere / ".git" / "objects"),
        "GIT_COMMON_DIR": str(elsewhere / ".git"),
    }.get(variable, "1")
    before = git(banco, "rev-parse", "HEAD").strip()
    monkeypatch.setenv(variable, value)
    result = cli("checkin", "--repo", str(banco), "--team", "discover", "--date", DEMO_DAY, "-c", "7", "--amend")
    monkeypatch.delenv(variable)
    assert result.exit_code == 0, result.stderr
    assert git(banco, "rev-parse", "HEAD~1").strip() == before
    assert git(banco, "log", "-1", "--format=%s").startswith("checkin(discover): 2026-11-20")
    # The real index holds the check-in as committed: nothing left staged, nothing deleted.
    assert git(banco, "status", "--porcelain") == ""
    assert git(elsewhere, "status", "--porcelain") == ""


def test_history_reads_the_repository_it_names_not_one_from_the_environment(
    cli, banco: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    sha = commit_at(banco, "2026-10-20", "lower the target")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    git(elsewhere, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(elsewhere / ".git"))
    history = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert [c["commit"] for c in history["changes"]] == [sha]


def test_with_git_dir_naming_a_repository_kept_apart_nothing_is_committed_and_the_variables_are_named(
    cli, banco: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A git directory kept apart from its work tree (a "bare dotfiles repository"), reached through
    GIT_DIR and GIT_WORK_TREE: okrctl ignores them (docs/security.md), and finds no .git. The check-in
    and the reading are written and left uncommitted with exit 1 and a line naming the variables,
    not "not inside a git repository" with exit 0: by git's account the folder is in a repository."""
    apart = tmp_path / "banco.git"
    (banco / ".git").rename(apart)
    monkeypatch.setenv("GIT_DIR", str(apart))
    monkeypatch.setenv("GIT_WORK_TREE", str(banco))
    before = git(banco, "rev-parse", "HEAD")
    said = (
        "okrctl: GIT_DIR and GIT_WORK_TREE are set, but okrctl ignores them: it commits only into a repository it "
        "finds through a .git folder, and there is none around the files (docs/security.md); "
    )
    team = ["--repo", str(banco), "--team", "discover", "--today", "2026-11-27"]
    checkin = cli("checkin", *team, "-c", "7")
    assert checkin.exit_code == 1
    assert checkin.stderr == said + "checkins/discover/2026-11-27.yaml is written and left uncommitted\n"
    assert "not inside a git repository" not in checkin.stdout
    values = tmp_path / "kpis.csv"
    values.write_text("kr,value\nonboarding-completion,82\n", encoding="utf-8")
    measure = cli("measure", *team, "--values-from", str(values), "--commit")
    assert measure.exit_code == 1
    assert measure.stderr == said + "readings/discover/2026-11-27.yaml is written and left uncommitted\n"
    assert git(banco, "rev-parse", "HEAD") == before
    assert git(banco, "status", "--porcelain", "-uall").splitlines() == [
        "?? checkins/discover/2026-11-27.yaml",
        "?? readings/discover/2026-11-27.yaml",
    ]
    assert not (banco / ".git").exists()


def test_with_a_stale_git_dir_naming_no_repository_a_checkin_outside_git_is_not_committed_with_exit_0(
    cli, banco: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_DIR left over from elsewhere, naming no repository (git itself: "not a git repository"),
    is no reason to refuse: outside git the check-in and the reading are written, "not committed:
    the repository is not inside a git repository", exit 0, as without the variable."""
    shutil.rmtree(banco / ".git")
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "no-such-gitdir"))
    team = ["--repo", str(banco), "--team", "discover", "--today", "2026-11-27"]
    checkin = cli("checkin", *team, "-c", "7")
    assert checkin.exit_code == 0, checkin.stderr
    assert "not committed: the repository is not inside a git repository" in checkin.stdout
    assert "GIT_DIR" not in checkin.stderr
    values = tmp_path / "kpis.csv"
    values.write_text("kr,value\nonboarding-completion,82\n", encoding="utf-8")
    measure = cli("measure", *team, "--values-from", str(values), "--commit")
    assert measure.exit_code == 0, measure.stderr
    assert "not committed: the repository is not inside a git repository" in measure.stdout
    assert (banco / "checkins/discover/2026-11-27.yaml").is_file()
    assert (banco / "readings/discover/2026-11-27.yaml").is_file()
    assert not (banco / ".git").exists()


def test_a_replace_ref_does_not_rewrite_the_history_read(cli, banco: Path) -> None:
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    sha = commit_at(banco, "2026-10-20", "lower the target")
    # A planted replacement makes the moving commit look like its parent (no change at all).
    git(banco, "replace", sha, "HEAD~1")
    history = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert [c["commit"] for c in history["changes"]] == [sha]


def test_a_bare_repository_planted_in_the_okrctl_folder_runs_nothing(
    cli, tmp_path: Path, copy_example, git_repo
) -> None:
    """A commit can hold ``HEAD``, ``config``, ``objects/`` and ``refs/`` in the folder okrctl runs in;
    git would take that folder for a bare repository and obey its config (a file system monitor, a
    hooks folder). okrctl lets git use only a repository it finds through a ``.git``."""
    import shutil

    marker = tmp_path / "ran"
    outer = tmp_path / "mono"
    outer.mkdir()
    folder = outer / "okr"
    shutil.move(copy_example("banco"), folder)
    hooks = folder / "hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "post-commit"):
        (hooks / hook).write_text(f"#!/bin/sh\necho {hook} >> '{marker}'\n", encoding="utf-8")
        (hooks / hook).chmod(0o755)
    (folder / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    for name in ("objects", "refs"):
        (folder / name).mkdir()
        (folder / name / "keep").write_text("", encoding="utf-8")
    (folder / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = ..\n"
        f"\tfsmonitor = \"echo fsmonitor >> '{marker}'; false\"\n\thooksPath = {hooks}\n",
        encoding="utf-8",
    )
    git_repo(outer)
    repo = ["--repo", str(folder)]
    assert cli("align", *repo, "--today", DEMO_DAY).exit_code in (0, 1)
    assert cli("status", *repo, "--today", DEMO_DAY).exit_code == 0
    assert not marker.exists()
    for command in (["history"], ["diff", "HEAD"], ["align", "--baseline", "HEAD"]):
        result = cli(*command, *repo, "--today", DEMO_DAY)
        assert result.exit_code == 1, result.stderr
        assert "bare git repository" in result.stderr and str(folder) in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    checkin = cli("checkin", *repo, "--team", "discover", "--date", "2026-11-27", "-c", "7")
    assert checkin.exit_code == 1
    assert "bare git repository" in checkin.stderr and str(folder) in checkin.stderr
    assert not marker.exists()
    # Nothing was committed, to either repository.
    assert git(outer, "log", "--format=%s") == "initial\n"
    assert git(outer, "status", "--porcelain") == "?? okr/checkins/discover/2026-11-27.yaml\n"


# ----- one way to run git -------------------------------------------------------------------------------
@pytest.mark.slow
def test_only_gitio_run_starts_processes_and_nothing_imports_gitpython() -> None:
    starters: list[str] = []
    gitpython: list[str] = []
    for path in sorted((ROOT / "okrctl").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            rel = path.relative_to(ROOT).as_posix()
            if any(n == "subprocess" or n.startswith("subprocess.") for n in names):
                starters.append(rel)
            if any(n == "git" or n.startswith("git.") for n in names):
                gitpython.append(rel)
            spawns = isinstance(node, ast.Attribute) and node.attr in {"system", "popen", "spawnv", "execv", "execvp"}
            if spawns and isinstance(node.value, ast.Name) and node.value.id == "os":
                starters.append(rel)
    assert starters == ["okrctl/gitio/run.py"]
    assert gitpython == []


# ----- which files are exactly as committed --------------------------------------------------------
def test_clean_blobs_names_the_plain_unchanged_entries_and_nothing_a_path_pretends(tmp_path: Path, git_repo) -> None:
    """``git ls-files`` records are read one by one from their start: a path that holds the text of
    a record is that path; links, conflicts, assume-unchanged, skip-worktree and edited files are
    left out; names that are not UTF-8 or hold a line break are kept as the system has them."""
    import os
    import subprocess

    from okrctl.gitio.tree import CleanBlobs, clean_blobs

    root = tmp_path / "r"
    root.mkdir()
    fake = "0" * 40
    names = {
        "a.yaml": b"a: 1\n",
        "run.yaml": b"b: 2\n",
        f"odd\tH 100644 {fake} 0\tfake.yaml": b"c: 3\n",
        "line\nbreak.yaml": b"d: 4\n",
        "edited.yaml": b"e: 5\n",
        "assumed.yaml": b"f: 6\n",
        "skipped.yaml": b"g: 7\n",
        f"hidden\tH 100644 {fake} 0\tpretended.yaml": b"j: 10\n",
        "both.yaml": b"h: 8\n",
    }
    for name, data in names.items():
        (root / name).write_bytes(data)
    with open(os.fsencode(root) + b"/caf\xe9.yaml", "wb") as handle:
        handle.write(b"i: 9\n")
    (root / "run.yaml").chmod(0o755)
    (root / "link.yaml").symlink_to("a.yaml")
    git_repo(root)
    git(root, "checkout", "-q", "-b", "other")
    (root / "both.yaml").write_bytes(b"h: other\n")
    git(root, "commit", "-qam", "other")
    git(root, "checkout", "-q", "main")
    (root / "both.yaml").write_bytes(b"h: main\n")
    git(root, "commit", "-qam", "main")
    with pytest.raises(subprocess.CalledProcessError):  # a conflict: git exits 1
        git(root, "merge", "-q", "other")
    (root / "edited.yaml").write_bytes(b"e: 50\n")
    git(root, "update-index", "--assume-unchanged", "assumed.yaml")
    git(root, "update-index", "--skip-worktree", "skipped.yaml", f"hidden\tH 100644 {fake} 0\tpretended.yaml")
    found = clean_blobs(root)
    plain = ["a.yaml", "run.yaml", f"odd\tH 100644 {fake} 0\tfake.yaml", "line\nbreak.yaml", "caf\udce9.yaml"]
    assert found == {name: git(root, "hash-object", "--", name).strip() for name in plain}
    started = CleanBlobs(root)  # the same answer, asked early and read later
    assert started.result() == found
    stopped = CleanBlobs(root)
    stopped.stop()
    assert stopped.listed.process.returncode is not None and stopped.changed.process.returncode is not None
    assert clean_blobs(tmp_path) is None  # not a git work tree


def test_a_git_command_stopped_takes_what_it_started_with_it(tmp_path: Path, monkeypatch) -> None:
    """A git started in the background and not wanted is ended with its whole process group: a
    wrapper or a hook it ran does not outlive okrctl."""
    import os
    import time

    from okrctl.gitio.run import start_git

    pid_file = tmp_path / "background.pid"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(
        f'#!/bin/sh\nsleep 300 &\necho $! > "{pid_file}.part" && mv "{pid_file}.part" "{pid_file}"\nsleep 300\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    started = start_git(tmp_path, "ls-files")
    for _ in range(600):  # until the wrapper has started its own child
        if pid_file.exists():
            break
        time.sleep(0.05)
    background = int(pid_file.read_text())
    assert _running(background)
    started.stop()  # returns: the wrapper, which would sleep for minutes, was ended
    assert started.process.returncode is not None
    for _ in range(200):  # SIGKILL takes effect at once; the system may still be reaping it
        if not _running(background):
            break
        time.sleep(0.05)
    assert not _running(background), "the wrapper's own child outlived the stopped git"


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie waiting to be reaped."""
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return True  # no /proc: alive as far as kill says


def test_where_git_cannot_be_sent_the_signal_it_is_waited_for_and_then_ended(monkeypatch) -> None:
    """Windows sends no SIGINT to a child (``send_signal`` raises ValueError): the clean-up after a
    Ctrl-C once failed there with that error, and left git running; it waits, then ends it."""
    import signal
    import subprocess
    import sys

    from okrctl.gitio import run

    sent = subprocess.Popen.send_signal

    def windows_send_signal(self: subprocess.Popen[bytes], number: int) -> None:
        if number == signal.SIGINT:
            raise ValueError(f"Unsupported signal: {number}")
        sent(self, number)  # (kill and terminate, which Windows has)

    monkeypatch.setattr(subprocess.Popen, "send_signal", windows_send_signal)
    monkeypatch.setattr(run, "_CLEAN_UP_SECONDS", 0.5)
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    run._let_git_clean_up(process, KeyboardInterrupt())
    assert process.returncode is not None  # ended, not left behind


@pytest.mark.parametrize(
    "conversion",
    [
        "info-attributes",
        "tracked-attributes",
        "autocrlf",
        "user-attributes",
        "untracked-attributes",
        "attributes-above",
        "attributes-above-left-out",
    ],
)
def test_clean_blobs_says_nothing_where_a_checkout_may_convert_the_bytes(
    tmp_path: Path, git_repo, monkeypatch, conversion: str
) -> None:
    """A filter, line-ending conversion or ident, assigned by an attributes file or core.autocrlf,
    makes git call a file unchanged whose bytes are not its blob's: no blob answers for any file."""
    from okrctl.gitio.tree import clean_blobs

    top = tmp_path / "r"
    root = top / "okr" / "in here"  # the repository's folder, two levels below the work tree's top
    root.mkdir(parents=True)
    (root / "a.yaml").write_bytes(b"a: 1\n")
    git_repo(top)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert clean_blobs(root) == {"a.yaml": git(root, "hash-object", "a.yaml").strip()}
    if conversion == "untracked-attributes":  # git reads it all the same, tracked or not
        (root / ".gitattributes").write_text("*.yaml ident\n")
    elif conversion.startswith("attributes-above"):  # at the top of a larger repository (once missed)
        (top / ".gitattributes").write_text("*.yaml ident\n")
        git(top, "add", ".gitattributes")
        git(top, "commit", "-qm", "attributes")
        if conversion.endswith("left-out"):  # as a sparse checkout leaves it: git reads the index's
            git(top, "update-index", "--skip-worktree", ".gitattributes")
            (top / ".gitattributes").unlink()
    elif conversion == "info-attributes":
        (top / ".git" / "info").mkdir(exist_ok=True)
        (top / ".git" / "info" / "attributes").write_text("*.yaml filter=bump\n")
    elif conversion == "tracked-attributes":
        (root / "sub").mkdir()
        (root / "sub" / ".gitattributes").write_text("*.yaml text eol=crlf\n")
        git(root, "add", "sub/.gitattributes")
        git(root, "commit", "-qm", "attributes")
    elif conversion == "autocrlf":
        git(root, "config", "core.autocrlf", "true")
    else:
        (tmp_path / "config" / "git").mkdir(parents=True)
        (tmp_path / "config" / "git" / "attributes").write_text("*.yaml ident\n")
    assert clean_blobs(root) is None


@pytest.mark.parametrize("nosystem", ["", "1"])
def test_clean_blobs_says_nothing_where_the_systems_attributes_file_may_convert_the_bytes(
    tmp_path: Path, git_repo, monkeypatch, nosystem: str
) -> None:
    """git also reads the system's attributes file, ``$(prefix)/etc/gitattributes``: a filter set
    there made a fresh clone's files other bytes than their blobs while git called them unchanged,
    and the store answered for the blob (a status of the committed confidence, not the file's).
    Unless ``GIT_ATTR_NOSYSTEM`` turns that file off, its presence means no blob answers."""
    from okrctl.gitio import tree

    root = tmp_path / "r"
    root.mkdir()
    (root / "a.yaml").write_bytes(b"a: 1\n")
    git_repo(root)
    # A git installed under a prefix of its own (as Homebrew's): its system file is prefix/etc.
    prefix = tmp_path / "prefix"
    (prefix / "bin").mkdir(parents=True)
    real_git = shutil.which("git")
    assert real_git is not None
    (prefix / "bin" / "git").write_text(f'#!/bin/sh\nexec {real_git} "$@"\n', encoding="utf-8")
    (prefix / "bin" / "git").chmod(0o755)
    (prefix / "etc").mkdir()
    (prefix / "etc" / "gitattributes").write_text("*.yaml filter=demo\n", encoding="utf-8")
    monkeypatch.setenv("PATH", f"{prefix / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    if nosystem:
        monkeypatch.setenv("GIT_ATTR_NOSYSTEM", nosystem)
    tree._system_attribute_files.cache_clear()
    try:
        found = tree.clean_blobs(root)
    finally:
        tree._system_attribute_files.cache_clear()
    if nosystem:
        assert found == {"a.yaml": git(root, "hash-object", "a.yaml").strip()}
    else:
        assert found is None


@pytest.mark.parametrize("name", ["okrs", "with space", "new\nline", "two\n\nlines\n", "tab\there"])
def test_the_place_of_a_folder_in_git_is_right_whatever_its_name(tmp_path: Path, name: str) -> None:
    from okrctl.gitio.tree import place

    top = tmp_path / "top"
    folder = top / name / "inner"
    folder.mkdir(parents=True)
    git(top, "init", "-q")
    at_top, inside = place(top), place(folder)
    assert (at_top.top, at_top.prefix) == (top.resolve(), "")
    assert (inside.top, inside.prefix) == (top.resolve(), f"{name}/inner/")
    # The same through a link to the folder: git works in the real path.
    (tmp_path / "link").symlink_to(folder)
    assert place(tmp_path / "link").prefix == f"{name}/inner/"


def test_a_repository_another_user_owns_is_named_as_refused_not_as_no_repository(
    cli, banco: Path, monkeypatch, tmp_path: Path
) -> None:
    """A CI checkout owned by another user: git refuses it (``safe.directory``). A check-in asked
    to be committed is not committed "because there is no repository" with exit 0: exit 1, and the
    line says why and how to trust the folder; history and OKR601 say the same."""
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own switch for this check
    trust = f"git config --global --add safe.directory {banco.resolve()}"
    refused = f"git refuses the repository at {banco.resolve()}: it belongs to another user (if you trust it: {trust})"
    checkin = cli("checkin", "--repo", str(banco), "--team", "discover", "-c", "6", "--today", "2026-11-27")
    assert checkin.exit_code == 1
    assert refused in checkin.stderr and "left uncommitted" in checkin.stderr
    # What needs git's history cannot run on this machine as it is: exit 2, as outside git (it was
    # exit 1, which reads as findings in a CI job).
    history = cli("history", "discover-first-week", "--repo", str(banco), "--today", DEMO_DAY)
    assert history.exit_code == 2
    assert history.stderr == f"okrctl: git could not read the history: {refused}\n"
    for command in (["diff", "HEAD"], ["align", "--baseline", "HEAD"]):
        result = cli(*command, "--repo", str(banco), "--today", DEMO_DAY)
        assert result.exit_code == 2, (command, result.output)
        assert refused in result.stderr and result.stderr.count("\n") == 1, result.stderr
    align = cli("align", "--repo", str(banco), "--today", DEMO_DAY)
    assert f"okrctl: note: OKR601 (moved targets) was not checked: git could not read the history: {refused}" in (
        align.stderr
    )


def test_a_refused_folder_whose_path_holds_a_newline_is_named_whole_with_a_command_that_works() -> None:
    """git quotes the folder for a shell; okrctl read the first line of it, so the folder was cut
    at a newline, its quote left open, and the command given did not work."""
    from okrctl.gitio.run import unsafe_words

    said = (
        b"fatal: detected dubious ownership in repository at '/tmp/r6\nx'\nTo add an exception for this "
        b"directory, call:\n\n\tgit config --global --add safe.directory '/tmp/r6\nx'\n"
    )
    assert unsafe_words(said) == (
        "git refuses the repository at $'/tmp/r6\\x0ax': it belongs to another user "
        "(if you trust it: git config --global --add safe.directory $'/tmp/r6\\x0ax')"
    )
    quoted = b"\tgit config --global --add safe.directory '/tmp/it'\\''s here'\n"
    assert unsafe_words(quoted).endswith("safe.directory '/tmp/it'\"'\"'s here')")
    older = b"\tgit config --global --add safe.directory /srv/okrs\n"  # git before 2.36: unquoted
    assert unsafe_words(older).endswith("(if you trust it: git config --global --add safe.directory /srv/okrs)")


@pytest.mark.parametrize("odd", ["\x85", "\x01", "\u202e", "'"], ids=["next-line", "control", "bidi", "quote"])
def test_the_trust_command_given_for_a_refused_repository_trusts_that_very_folder(
    cli, copy_example, git_repo, monkeypatch, tmp_path: Path, odd: str
) -> None:
    """git writes a control character of the folder's name as "?", U+0085 escaped as one byte was
    not its two UTF-8 bytes, and a bidi control was shown as the text \\u202e inside quotes: the
    command given, run as told, trusted another folder and git still refused the repository."""
    import subprocess

    root = copy_example("banco").rename(tmp_path / f"okr{odd}s")
    git_repo(root)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    refused = cli("history", "--repo", str(root), "--today", DEMO_DAY)
    assert refused.exit_code == 2, refused.output
    command = refused.stderr.split("(if you trust it: ", 1)[1].rsplit(")", 1)[0]
    assert command.isascii() and command.isprintable(), command
    subprocess.run(["bash", "-c", command], check=True)
    assert cli("history", "--repo", str(root), "--today", DEMO_DAY).exit_code == 0


def test_a_repository_without_git_on_the_path_is_not_outside_git(cli, banco: Path, monkeypatch, tmp_path: Path) -> None:
    """git missing where a repository is: a check-in asked to be committed says git is missing
    (exit 1, the file kept) rather than "not inside a git repository" (exit 0)."""
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    checkin = cli("checkin", "--repo", str(banco), "--team", "discover", "-c", "6", "--today", "2026-11-27")
    assert checkin.exit_code == 1
    assert checkin.stderr == (
        "okrctl: git could not commit checkins/discover/2026-11-27.yaml: git is not installed (or not on PATH); "
        "checkins/discover/2026-11-27.yaml is written and left uncommitted\n"
    )
    assert (banco / "checkins/discover/2026-11-27.yaml").is_file()


def test_history_without_git_on_the_path_is_exit_2_as_diff_and_the_gate_are(
    cli, banco: Path, monkeypatch, tmp_path: Path
) -> None:
    """docs/checkin.md: on a machine without git, history, diff and align --baseline end with exit 2;
    history ended with exit 1, as if the repository's history were the problem."""
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    for args in (["history"], ["diff", "HEAD"], ["align", "--baseline", "HEAD"]):
        result = cli(*args, "--repo", str(banco), "--today", DEMO_DAY)
        assert result.exit_code == 2, (args, result.output)
        assert "git is not installed (or not on PATH)" in result.stderr


def test_without_team_git_missing_or_another_users_repository_is_said_not_an_unset_address(
    cli, banco: Path, monkeypatch, tmp_path: Path
) -> None:
    """Without --team the team is found by git's user.email: with git missing okrctl said it is
    "not set", and in a repository another user owns (git then reads none of its settings) that the
    global address "is not a member of any unit". The cause is said instead."""
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    missing = cli("checkin", "--repo", str(banco), "-c", "7", "--dry-run", "--today", "2026-11-27")
    assert missing.exit_code == 2 and "git is not installed (or not on PATH)" in missing.stderr
    assert "is not set" not in missing.stderr
    monkeypatch.undo()
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    owned = cli("retro", "--repo", str(banco), "--today", "2026-11-27")
    assert owned.exit_code == 2 and "it belongs to another user" in owned.stderr
    assert "is not a member" not in owned.stderr


def test_a_worktree_whose_main_repository_is_gone_is_not_outside_git(cli, banco: Path, tmp_path: Path) -> None:
    """A linked worktree whose main repository was removed: the check-in said "not committed: the
    repository is not inside a git repository" (exit 0), and diff, history and the gate advised
    'git init', which fails there. git will not work in it: said as such, with what mends it."""
    import shutil
    import subprocess

    worktree = tmp_path / "wt"
    subprocess.run(["git", "-C", str(banco), "worktree", "add", "-q", str(worktree), "-b", "side"], check=True)
    shutil.rmtree(banco / ".git" / "worktrees")
    checkin = cli("checkin", "--repo", str(worktree), "--team", "discover", "-c", "6", "--today", "2026-11-27")
    assert checkin.exit_code == 1, checkin.output
    assert "leads to no repository" in checkin.stderr and "git worktree repair" in checkin.stderr
    assert "is written and left uncommitted" in checkin.stderr
    for args in (["history"], ["diff", "HEAD"], ["align", "--baseline", "HEAD"]):
        result = cli(*args, "--repo", str(worktree), "--today", DEMO_DAY)
        assert result.exit_code == 2, (args, result.output)
        assert "git worktree repair" in result.stderr and "git init" not in result.stderr
    noted = cli("align", "--repo", str(worktree), "--today", DEMO_DAY)
    assert "OKR601 (moved targets) was not checked" in noted.stderr
    # Without --team the team is found by git's user.email, which git cannot read there either:
    # not "user.email is not set" (it is), but why.
    for command in ("checkin", "retro", "plan"):
        guessed = cli(command, "--repo", str(worktree), "--today", "2026-11-27")
        assert guessed.exit_code == 2, (command, guessed.output)
        assert "git cannot tell user.email" in guessed.stderr and "git worktree repair" in guessed.stderr
        assert "is not set" not in guessed.stderr


def test_a_full_disk_while_git_writes_its_index_is_not_called_a_held_lock(
    tmp_path: Path, git_repo, monkeypatch
) -> None:
    """git names its lock file when a write of the index fails on a full disk too ("index.lock
    write error. Out of diskspace"), and removes it as it stops: the reason given is git's, not
    "another git process holds .git/index.lock", whose advice (remove the lock) would be wrong."""
    import subprocess

    from okrctl.gitio.commit import _why

    (tmp_path / "repo").mkdir()
    top = git_repo(tmp_path / "repo", commit=False)
    monkeypatch.chdir(top)  # (the lock is named from where okrctl runs)
    full = subprocess.CompletedProcess(
        ["git", "add"], 128, b"", f"fatal: sha1 file '{top}/.git/index.lock' write error. Out of diskspace\n".encode()
    )
    said = _why(top, full, full.stderr.decode())
    assert said == f"fatal: sha1 file '{top}/.git/index.lock' write error. Out of diskspace"
    (top / ".git" / "index.lock").write_text("")  # another git holds it
    held = subprocess.CompletedProcess(
        ["git", "add"], 128, b"", f"fatal: Unable to create '{top}/.git/index.lock': File exists.\n".encode()
    )
    assert _why(top, held, held.stderr.decode()).startswith("another git process holds .git/index.lock")


@pytest.mark.slow
def test_clean_blobs_compares_every_stat_field_whatever_the_configuration(tmp_path: Path, git_repo) -> None:
    """With core.checkStat=minimal and core.trustctime=false, git took a same-size edit whose mtime
    was put back for unchanged, and okrctl read the old blob's entry for it."""
    import os
    import time

    from okrctl.gitio.tree import clean_blobs

    root = tmp_path / "r"
    root.mkdir()
    (root / "a.yaml").write_bytes(b"confidence: 7\n")
    git_repo(root)
    git(root, "config", "core.checkStat", "minimal")
    git(root, "config", "core.trustctime", "false")
    time.sleep(1.1)  # past the racy-clean second of the index
    git(root, "status", "--short")  # the index records the stat now
    before = os.stat(root / "a.yaml")
    (root / "a.yaml").write_bytes(b"confidence: 2\n")  # the same size
    os.utime(root / "a.yaml", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert git(root, "status", "--short").strip() == ""  # git itself is fooled, as configured
    assert clean_blobs(root) == {}
