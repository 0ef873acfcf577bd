"""The GitLab CI template: checked against GitLab's CI schema, and its jobs run the way a runner
runs them (before_script and script joined into one bash script, CI_* variables set) against a
temporary merge request made from ``examples/banco``; the merge-request note goes to a local stand-in
of the GitLab notes API."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from okrctl.load.yamlparse import parse_text
from tests.conftest import DEMO_DAY, ROOT, git
from tests.helpers_git import commit_at, hermetic_git
from tests.test_github_action import CARDS, DISCOVER, _break, check_jsonschema, has, moved_folder_pull_request

TEMPLATE = ROOT / "ci" / "gitlab" / "okrctl.yml"


def template() -> dict:
    return parse_text(TEMPLATE.read_text(encoding="utf-8"))[0].data


def test_the_template_passes_gitlabs_ci_schema() -> None:
    result = check_jsonschema("vendor.gitlab-ci", TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_rejects_a_broken_template(tmp_path: Path) -> None:
    broken = tmp_path / "okrctl.yml"
    broken.write_text(TEMPLATE.read_text(encoding="utf-8").replace("  script:", "  scripts:", 1), encoding="utf-8")
    assert check_jsonschema("vendor.gitlab-ci", broken).returncode == 1


def test_the_jobs_and_when_they_run() -> None:
    jobs = template()
    assert {name for name in jobs if not name.startswith(".") and name != "variables"} == {
        "okrctl-align",
        "okrctl-diff",
        "okrctl-report",
    }
    assert all(jobs[name]["extends"] == ".okrctl" for name in ("okrctl-align", "okrctl-diff", "okrctl-report"))
    assert jobs["okrctl-align"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert jobs["okrctl-diff"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert jobs["okrctl-report"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert jobs[".okrctl-pages"]["artifacts"]["paths"] == ["public"]
    # Only okrctl's own names: an include must not change a project's stages or variables.
    assert "stages" not in jobs and all(name.startswith("OKRCTL_") for name in jobs["variables"])


# ----- the jobs, run --------------------------------------------------------------------------------
def job_script(name: str) -> str:
    jobs = template()
    job = jobs[name]
    parent = jobs[job["extends"]] if "extends" in job else {}
    lines = [*parent.get("before_script", []), *job.get("before_script", []), *job["script"]]
    return "\n".join(lines)


def run_job(name: str, repo: Path, tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    jobs = template()
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",  # an image with okrctl
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
        "OKRCTL_NO_CACHE": "1",
        "OKRCTL_TODAY": DEMO_DAY,
        "CI": "true",
        "CI_PROJECT_DIR": str(repo),
        "CI_PROJECT_URL": "https://git.example/okrs",
        **{k: str(v) for k, v in jobs["variables"].items()},
        **variables,
    }
    # GitLab runs the job's lines as one bash script that stops at the first failing line.
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", job_script(name)], cwd=repo, env=env, capture_output=True, text=True
    )


@pytest.fixture
def merge_request(copy_example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The source branch of a merge request: the target has one mistake (discover), the branch adds one (cards)."""
    hermetic_git(monkeypatch, tmp_path)
    repo = copy_example("banco")
    git(repo, "init", "-q", "-b", "main")
    _break(repo, DISCOVER, "{to: digital-first-week, type: directional}", "{to: digital-first-weak, type: directional}")
    base = commit_at(repo, "2026-11-19", "main: an existing mistake")
    git(repo, "checkout", "-q", "-b", "feature")
    _break(repo, CARDS, "to: digital-first-week/nps,", "to: digital-first-week/npz,")
    commit_at(repo, "2026-11-19", "feature: a new mistake")
    return repo, {
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
        "CI_MERGE_REQUEST_IID": "7",
        "CI_PROJECT_ID": "42",
    }


@pytest.mark.slow
def test_the_align_job_writes_code_quality_and_junit_and_fails_on_the_new_mistake(merge_request, tmp_path) -> None:
    repo, variables = merge_request
    result = run_job("okrctl-align", repo, tmp_path, **variables)
    assert result.returncode == 1, result.stdout + result.stderr
    quality = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    blocking = [issue["location"]["path"] for issue in quality if issue["severity"] != "info"]
    assert blocking == ([CARDS] if has("align", "--baseline") else [CARDS, DISCOVER])
    assert all(issue["fingerprint"] for issue in quality)
    failures = ET.parse(repo / "okrctl-junit.xml").getroot().iter("failure")
    assert len(list(failures)) == len(blocking)


def _code_quality(repo: Path) -> dict[str, dict]:
    return {issue["fingerprint"]: issue for issue in json.loads((repo / "gl-code-quality-report.json").read_text())}


@pytest.mark.slow
def test_the_merge_request_code_quality_report_resolves_only_what_the_change_fixed(merge_request, tmp_path) -> None:
    """GitLab's widget shows as new the fingerprints of the merge request's report that the target
    branch's report lacks, and as resolved those of the target's that the merge request's lacks. The
    target's report holds every finding: the merge request's must hold the existing ones too (as
    info, never blocking), or each of them is shown as fixed by a change that did not touch it."""
    repo, variables = merge_request
    git(repo, "checkout", "-q", "main")  # the default branch's pipeline: every finding, no baseline
    target = run_job("okrctl-align", repo, tmp_path, CI_PIPELINE_SOURCE="push", CI_COMMIT_BRANCH="main")
    assert target.returncode == 1, target.stdout + target.stderr
    base = _code_quality(repo)
    assert [issue["location"]["path"] for issue in base.values()] == [DISCOVER]
    git(repo, "checkout", "-q", "feature")
    result = run_job("okrctl-align", repo, tmp_path, **variables)
    assert result.returncode == 1, result.stdout + result.stderr  # the new mistake blocks
    head = _code_quality(repo)
    assert set(base) - set(head) == set()  # resolved: nothing, discover's mistake is still there
    assert [head[f]["location"]["path"] for f in set(head) - set(base)] == [CARDS]  # new
    assert {(i["location"]["path"], i["severity"]) for i in head.values()} == {(CARDS, "critical"), (DISCOVER, "info")}
    assert len(list(ET.parse(repo / "okrctl-junit.xml").getroot().iter("failure"))) == 1  # only the new one fails
    # The merge request fixes discover's mistake too: that one, and only that one, is resolved.
    _break(repo, DISCOVER, "{to: digital-first-weak, type: directional}", "{to: digital-first-week, type: directional}")
    commit_at(repo, "2026-11-20", "feature: fix the existing mistake")
    result = run_job("okrctl-align", repo, tmp_path, **variables)
    assert result.returncode == 1, result.stdout + result.stderr
    head = _code_quality(repo)
    assert set(base) - set(head) == set(base)
    assert [issue["location"]["path"] for issue in head.values()] == [CARDS]


def _objective(repo: Path, name: str, owner: str) -> None:
    """An objective of ``owner`` with an id every call shares: fine alone, OKR102 with another."""
    (repo / "okrs" / "2026-Q4" / f"{name}.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: q4-pipeline\n"
        f"owner: {owner}\ncycle: 2026-Q4\ntitle: Build a healthy pipeline for 2027\n"
        "aligns:\n  - {to: digital-first-week, type: directional}\nkey_results:\n"
        f"  - {{id: {owner}-leads, title: Qualified leads grow from 100 to 200 a month, unit: leads,"
        " baseline: 100, target: 200}\n",
        encoding="utf-8",
    )


@pytest.fixture
def merged_results(copy_example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A merged-results pipeline (or a merge train) of a merge request that rewords a title: HEAD is
    its merge into the target branch's head, and main gained, after the merge request forked, two
    merged merge requests that were fine alone and together give one id twice (OKR102)."""
    hermetic_git(monkeypatch, tmp_path)
    repo = copy_example("banco")
    git(repo, "init", "-q", "-b", "main")
    fork = commit_at(repo, "2026-11-16", "main")
    git(repo, "checkout", "-q", "-b", "feature")
    _break(repo, CARDS, "title: Make the first card moment", "title: Make the very first card moment")
    commit_at(repo, "2026-11-17", "feature: reword the objective")
    for branch, owner in (("mr1", "cards"), ("mr2", "discover")):
        git(repo, "checkout", "-q", "-b", branch, "main")
        _objective(repo, f"{owner}-pipeline", owner)
        commit_at(repo, "2026-11-18", f"{branch}: a pipeline objective")
        git(repo, "checkout", "-q", "main")
        git(repo, "-c", "user.name=Ana", "-c", "user.email=ana@example.com", "merge", "-q", "--no-ff", branch)
    target = git(repo, "rev-parse", "main").strip()
    git(repo, "checkout", "-q", "--detach", "main")
    git(repo, "-c", "user.name=Ana", "-c", "user.email=ana@example.com", "merge", "-q", "--no-ff", "feature")
    return repo, {
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": fork,  # GitLab's: still where the merge request forked
        "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": target,  # set in merged-results pipelines and merge trains only
        "CI_MERGE_REQUEST_IID": "7",
        "CI_PROJECT_ID": "42",
    }


@pytest.mark.slow
def test_a_merged_results_pipeline_blocks_and_notes_only_the_merge_requests_change(merged_results, tmp_path) -> None:
    """Judged from the fork point, what main gained after it (an OKR102 of two other merge requests)
    blocked a merge request that only rewords a title, and its note listed main's objectives as its
    change: the target branch's head is the base there."""
    repo, variables = merged_results
    align = run_job("okrctl-align", repo, tmp_path, **variables)
    assert align.returncode == 0, align.stdout + align.stderr
    quality = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert {issue["check_name"] for issue in quality} >= {"OKR102"}
    assert {issue["severity"] for issue in quality} == {"info"}  # main's, existing
    assert list(ET.parse(repo / "okrctl-junit.xml").getroot().iter("failure")) == []
    diff = run_job("okrctl-diff", repo, tmp_path, **variables)
    assert diff.returncode == 0, diff.stdout + diff.stderr
    markdown = (repo / "okrctl-diff.md").read_text(encoding="utf-8")
    assert "`first-card-moment` retitled" in markdown
    assert "q4-pipeline" not in markdown and "`discover`" not in markdown


def test_the_align_job_without_okrctl_says_what_to_set(merge_request, tmp_path) -> None:
    repo, variables = merge_request
    job = run_job("okrctl-align", repo, tmp_path, **variables, PATH="/usr/bin:/bin")
    assert job.returncode == 2
    assert "okrctl: set OKRCTL_SOURCE to where okrctl is installed from" in job.stderr


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_the_scheduled_job_writes_the_report_findings_and_site(copy_example, tmp_path) -> None:
    repo = copy_example("banco")
    result = run_job("okrctl-report", repo, tmp_path, CI_PIPELINE_SOURCE="schedule")
    assert result.returncode == 0, result.stdout + result.stderr
    out = repo / "okrctl-out"
    assert "0 errors" in (out / "align.txt").read_text(encoding="utf-8")
    assert (out / "report.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert (out / "report.md").read_text(encoding="utf-8").startswith("#")
    assert (out / "site" / "index.html").is_file()


BOT = {"id": 99, "username": "project_42_bot_okrctl"}  # the user behind OKRCTL_GITLAB_TOKEN


class NotesApi(BaseHTTPRequestHandler):
    """The calls of the GitLab API the diff job makes: the token's user, and a merge request's notes
    (listed, added, edited; as GitLab, only a note's author may edit it)."""

    notes: list[dict] = []
    tokens: list[str] = []
    user: dict | None = BOT  # None: GET /user is refused (403), as for a token that may not read it
    refuse: dict[str, int] = {}  # an HTTP method -> the error status every call with it gets
    cut: set[str] = set()  # the HTTP methods whose answers end before the length they announce
    listing: object = ...  # what a GET of the notes answers instead of them (an answer of another shape)

    def _reply(self, payload: object, status: int = 200) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data) + (100 if self.command in self.cut else 0)))
        self.end_headers()
        self.wfile.write(data)
        if self.command in self.cut:
            self.close_connection = True

    def _refused(self) -> bool:
        self.tokens.append(self.headers["PRIVATE-TOKEN"])
        status = self.refuse.get(self.command)
        if status is not None:
            self._reply({"message": f"{status} refused"}, status)
        return status is not None

    def do_GET(self) -> None:
        if self._refused():
            return
        if self.path.endswith("/user"):
            self._reply(self.user or {"message": "403 Forbidden"}, 200 if self.user else 403)
        else:
            self._reply(self.notes if self.listing is ... else self.listing)

    def do_POST(self) -> None:
        if self._refused():
            return
        note = {"id": len(self.notes) + 1, "path": self.path, "author": self.user or BOT, **self._body()}
        self.notes.append(note)
        self._reply(note)

    def do_PUT(self) -> None:
        if self._refused():
            return
        note = next(n for n in self.notes if self.path.endswith(f"/notes/{n['id']}"))
        if note["author"]["id"] != (self.user or BOT)["id"]:
            self._reply({"message": "403 Forbidden"}, 403)
            return
        note.update(self._body())
        self._reply(note)

    def _body(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def notes_api() -> Iterator[str]:
    NotesApi.notes, NotesApi.tokens, NotesApi.user, NotesApi.refuse, NotesApi.cut = [], [], BOT, {}, set()
    NotesApi.listing = ...
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotesApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v4"
    server.shutdown()


def run_note_step(api: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The diff job's second script alone (the note), on an okrctl-diff.md the first one wrote."""
    folder = tmp_path / "job"
    folder.mkdir(exist_ok=True)
    (folder / "okrctl-diff.md").write_text("<!-- okrctl diff -->\n\nThe change: one target\n", encoding="utf-8")
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "CI_API_V4_URL": api,
        "CI_PROJECT_ID": "42",
        "CI_MERGE_REQUEST_IID": "7",
        "OKRCTL_GITLAB_TOKEN": "glpat-test",
    }
    script = template()["okrctl-diff"]["script"][1]
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script], cwd=folder, env=env, capture_output=True, text=True
    )


def planted(note_id: int) -> dict:
    """A note a commenter posted with okrctl's first line: GitLab refuses okrctl's token to edit it."""
    body = "<!-- okrctl diff -->\nnot okrctl's"
    return {"id": note_id, "path": "", "author": {"id": 5, "username": "mallory"}, "body": body}


def test_a_note_someone_else_wrote_with_the_marker_is_not_taken_for_okrctls(notes_api, tmp_path) -> None:
    NotesApi.notes = [planted(1)]
    first = run_note_step(notes_api, tmp_path)
    assert (first.returncode, first.stderr) == (0, ""), first.stdout + first.stderr
    assert first.stdout == "okrctl: added merge-request note 2\n"
    second = run_note_step(notes_api, tmp_path)  # the next push: okrctl's own note, replaced
    assert (second.returncode, second.stdout) == (0, "okrctl: updated merge-request note 2\n"), second.stderr
    assert NotesApi.notes[0] == planted(1) and len(NotesApi.notes) == 2


def test_when_the_tokens_user_cannot_be_read_a_new_note_is_added_not_another_edited(notes_api, tmp_path) -> None:
    NotesApi.notes, NotesApi.user = [planted(1)], None
    result = run_note_step(notes_api, tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert result.stdout == (
        "okrctl: added merge-request note 2 (a new one: GET /user failed, HTTP 403 Forbidden, so okrctl's own "
        "note could not be told)\n"
    )
    assert NotesApi.notes[0] == planted(1) and len(NotesApi.notes) == 2


@pytest.mark.parametrize(
    ("status", "reason"), [(401, "Unauthorized"), (403, "Forbidden"), (500, "Internal Server Error")]
)
def test_a_notes_api_error_is_one_line_and_a_failed_job(notes_api, tmp_path, status: int, reason: str) -> None:
    NotesApi.refuse = dict.fromkeys(("GET", "POST", "PUT"), status)  # a token GitLab no longer takes, say
    result = run_note_step(notes_api, tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"okrctl diff note: cannot add the merge-request note: HTTP {status} {reason}\n"


def test_an_edit_gitlab_refuses_is_one_line_and_a_failed_job(notes_api, tmp_path) -> None:
    NotesApi.notes = [{**planted(1), "author": BOT}]
    NotesApi.refuse = {"PUT": 403}  # okrctl's own note, which its token may no longer edit
    result = run_note_step(notes_api, tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "okrctl diff note: cannot update the merge-request note 1: HTTP 403 Forbidden\n"


@pytest.mark.parametrize("cut", [{"GET"}, {"POST"}, {"GET", "POST"}], ids=["GET", "POST", "both"])
def test_an_answer_cut_short_is_one_line_not_a_traceback(notes_api, tmp_path, cut: set[str]) -> None:
    """An answer that ends before the length it announced (a proxy that drops the connection): the
    step printed http.client's IncompleteRead as a traceback."""
    NotesApi.cut = cut
    result = run_note_step(notes_api, tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    if "POST" in cut:
        assert (result.returncode, result.stdout) == (1, "")
        assert (
            result.stderr == "okrctl diff note: cannot add the merge-request note: a broken answer (IncompleteRead)\n"
        )
    else:  # GET /user cut short: whose notes are okrctl's is unknown, so a new note is added
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        assert "GET /user failed, a broken answer (IncompleteRead)" in result.stdout


@pytest.mark.parametrize(
    "listing", [None, 5, [{"body": "<!-- okrctl diff -->", "author": BOT}]], ids=["null", "number", "no-id"]
)
def test_notes_listed_in_another_shape_are_not_okrctls_and_a_new_note_is_added(notes_api, tmp_path, listing) -> None:
    """A list of notes GitLab would not send (null, a number, a note without its id) ended in a
    traceback (TypeError, KeyError): none of it is taken for okrctl's note, and a new one is added."""
    NotesApi.listing = listing
    result = run_note_step(notes_api, tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout == "okrctl: added merge-request note 1\n"


def test_an_api_that_does_not_answer_is_one_line_and_a_failed_job(tmp_path) -> None:
    with socket.socket() as closed:  # a port nothing listens on once closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = run_note_step(f"http://127.0.0.1:{port}/api/v4", tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("okrctl diff note: cannot add the merge-request note: ")
    assert "refused" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_the_diff_job_keeps_one_note_on_the_merge_request(merge_request, tmp_path, notes_api) -> None:
    repo, variables = merge_request
    api = {**variables, "CI_API_V4_URL": notes_api, "OKRCTL_GITLAB_TOKEN": "glpat-test"}
    first = run_job("okrctl-diff", repo, tmp_path, **api)
    assert first.returncode == 0, first.stdout + first.stderr
    if not has("diff"):
        assert "okrctl diff is not available in this okrctl" in first.stdout
        return
    markdown = (repo / "okrctl-diff.md").read_text(encoding="utf-8")
    assert markdown.startswith("<!-- okrctl diff -->\n") and len(markdown.splitlines()) > 1
    assert [(n["id"], n["path"], n["body"]) for n in NotesApi.notes] == [
        (1, "/api/v4/projects/42/merge_requests/7/notes", markdown)
    ]
    second = run_job("okrctl-diff", repo, tmp_path, **api)  # the next push: the same note, replaced
    assert second.returncode == 0 and "updated merge-request note 1" in second.stdout
    assert len(NotesApi.notes) == 1 and set(NotesApi.tokens) == {"glpat-test"}


@pytest.mark.slow
def test_the_diff_job_without_a_token_keeps_the_markdown_as_an_artifact(merge_request, tmp_path) -> None:
    repo, variables = merge_request
    result = run_job("okrctl-diff", repo, tmp_path, **variables)
    assert result.returncode == 0, result.stdout + result.stderr
    if has("diff"):
        assert "No merge-request note: set a masked CI/CD variable OKRCTL_GITLAB_TOKEN" in result.stdout
        assert (repo / "okrctl-diff.md").is_file()


@pytest.mark.slow
def test_the_diff_job_on_the_merge_request_that_adds_okrctl_says_there_is_nothing_to_compare(
    copy_example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, notes_api
) -> None:
    hermetic_git(monkeypatch, tmp_path)
    repo = copy_example("banco")
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.txt").write_text("before okrctl\n", encoding="utf-8")
    git(repo, "add", "README.txt")
    git(repo, "-c", "user.name=Ana", "-c", "user.email=ana@example.com", "commit", "-q", "-m", "main: no OKRs yet")
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "feature")
    commit_at(repo, "2026-11-19", "feature: add the OKR repository")
    assert git(repo, "ls-tree", "--name-only", base).split() == ["README.txt"]
    variables = {
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
        "CI_MERGE_REQUEST_IID": "7",
        "CI_PROJECT_ID": "42",
        "CI_API_V4_URL": notes_api,
        "OKRCTL_GITLAB_TOKEN": "glpat-test",
    }
    result = run_job("okrctl-diff", repo, tmp_path, **variables)
    assert result.returncode == 0, result.stdout + result.stderr
    markdown = (repo / "okrctl-diff.md").read_text(encoding="utf-8")
    assert markdown.startswith("<!-- okrctl diff -->\n")
    assert f"the base {base[:12]} has no okrctl.yaml yet, so there is nothing to compare" in markdown
    assert [n["body"] for n in NotesApi.notes] == [markdown]


@pytest.mark.slow  # several seconds: run by CI with the slow tests
@pytest.mark.parametrize("move", ["into a subfolder", "up to the top"])
def test_the_diff_job_on_a_merge_request_that_moves_the_okr_folder_writes_its_diff(
    copy_example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, move: str
) -> None:
    """The base holds okrctl.yaml where the folder was, not at OKRCTL_REPO: the note is okrctl diff's
    comparison with the base's files where the base had them, not "nothing to compare"."""
    hermetic_git(monkeypatch, tmp_path)
    checkout, folder, base = moved_folder_pull_request(copy_example, move)
    variables = {
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
        "OKRCTL_REPO": folder.relative_to(checkout).as_posix(),
    }
    result = run_job("okrctl-diff", checkout, tmp_path, **variables)
    assert result.returncode == 0, result.stdout + result.stderr
    markdown = (checkout / "okrctl-diff.md").read_text(encoding="utf-8")
    assert markdown.startswith("<!-- okrctl diff -->\n")
    assert "nothing to compare" not in markdown
    assert "`first-card-moment/card-activation-7d` target 75% → 70%" in markdown, result.stderr


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_merge_request_arguments_apply_to_merge_requests_only(merge_request, tmp_path) -> None:
    """OKRCTL_MR_ALIGN_ARGS reach merge requests only: with --strict there, the default branch,
    judged without a baseline, is not failed by a warning (the calendar's stale teams, say)."""
    repo, variables = merge_request
    narrowed = run_job("okrctl-align", repo, tmp_path, **variables, OKRCTL_MR_ALIGN_ARGS="--select OKR5")
    assert narrowed.returncode == 0, narrowed.stdout + narrowed.stderr  # the branch's new OKR104 not selected
    git(repo, "checkout", "-q", "main")
    stale = {"OKRCTL_TODAY": "2026-12-31", "OKRCTL_MR_ALIGN_ARGS": "--strict", "OKRCTL_ALIGN_ARGS": "--select OKR5"}
    branch = run_job("okrctl-align", repo, tmp_path, CI_PIPELINE_SOURCE="push", CI_COMMIT_BRANCH="main", **stale)
    assert branch.returncode == 0, branch.stdout + branch.stderr
    assert "OKR501" in (repo / "okrctl-junit.xml").read_text(encoding="utf-8")  # reported, not failing
    everywhere = run_job(
        "okrctl-align",
        repo,
        tmp_path,
        CI_PIPELINE_SOURCE="push",
        **{**stale, "OKRCTL_ALIGN_ARGS": "--strict --select OKR5"},
    )
    assert everywhere.returncode == 1  # the same warnings fail a run made strict everywhere
