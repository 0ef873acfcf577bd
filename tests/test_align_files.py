"""OKR1xx: every bad fixture gives exactly its finding at its line; the good fixtures give none."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, ROOT, git

FIXTURES = ROOT / "tests" / "fixtures"
GOOD = FIXTURES / "good" / "minimal"
BAD_FILES = sorted((FIXTURES / "bad").glob("*.yaml"))


def parse_expectation(path: Path) -> tuple[str, int, int, str, str]:
    """``# expect: CODE LINE:COL message part[; hint part]`` on the first line of a bad fixture."""
    head = path.read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("# expect: "), f"{path.name} has no expectation line"
    code, position, *rest = head[len("# expect: ") :].split(" ", 2)
    line, column = (int(x) for x in position.split(":"))
    message, _, hint = (rest[0] if rest else "").partition("; ")
    return code, line, column, message, hint


def repo_with(tmp_path: Path, *extra: Path) -> Path:
    """The good minimal repository plus the given files (in a folder sorted after everything)."""
    repo = tmp_path / "repo"
    shutil.copytree(GOOD, repo)
    (repo / "z-extra").mkdir()
    for path in extra:
        shutil.copy(path, repo / "z-extra" / path.name)
    return repo


def align_json(cli, repo: Path, *args: str) -> tuple[int, dict]:
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_good_fixture_has_no_findings(cli):
    code, report = align_json(cli, GOOD)
    assert code == 0
    assert report["findings"] == []
    assert report["summary"] == {"files": 9, "documents": 10, "error": 0, "warning": 0, "info": 0}


@pytest.mark.parametrize("example", ["banco", "saas"])
def test_bundled_examples_have_no_errors_or_warnings(cli, example):
    code, report = align_json(cli, EXAMPLES / example, "--strict")
    assert code == 0
    assert [f for f in report["findings"] if f["severity"] != "info"] == []


@pytest.mark.parametrize("bad", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_fixture_reports_its_finding_at_its_place(cli, tmp_path, bad):
    code, line, column, message, hint = parse_expectation(bad)
    repo = repo_with(tmp_path, bad)
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    mine = [f for f in report["findings"] if f["code"] == code]
    assert mine, f"no {code} in {report['findings']}"
    where = [(f["path"], f["line"], f["column"]) for f in mine]
    found = [f for f in mine if f["line"] == line and f["column"] == column]
    assert found, f"{code} expected at {line}:{column}, found at {where}"
    assert message in found[0]["message"]
    assert hint in found[0]["hint"]
    assert found[0]["path"].endswith(bad.name) or code == "OKR102"
    # nothing else broke: every finding is the fixture's own code
    assert {f["code"] for f in report["findings"]} == {code}


def test_five_different_problems_are_all_reported_in_one_run(cli, tmp_path):
    picks = ["OKR100-syntax", "OKR101-unknown-field", "OKR102-kr", "OKR103-unknown-kind", "OKR104-align"]
    repo = repo_with(tmp_path, *(FIXTURES / "bad" / f"{name}.yaml" for name in picks))
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    got = {(f["code"], f["path"], f["line"]) for f in report["findings"]}
    assert got == {
        ("OKR100", "z-extra/OKR100-syntax.yaml", 5),
        ("OKR101", "z-extra/OKR101-unknown-field.yaml", 8),
        ("OKR102", "z-extra/OKR102-kr.yaml", 11),
        ("OKR103", "z-extra/OKR103-unknown-kind.yaml", 3),
        ("OKR104", "z-extra/OKR104-align.yaml", 8),
    }
    assert report["summary"]["error"] == 5


@pytest.mark.parametrize(
    ("name", "content", "message", "line"),
    [
        ("latin1.yaml", b"apiVersion: okrctl/v1\nkind: Unit\nid: x\nname: Jos\xe9\n", "not UTF-8", 4),
        ("utf16.yaml", "apiVersion: okrctl/v1\n".encode("utf-16"), "UTF-16", 1),
        ("utf16le.yaml", "apiVersion: okrctl/v1\nkind: Unit\n".encode("utf-16-le"), "file is UTF-16", 1),
        ("utf16be.yaml", "apiVersion: okrctl/v1\nkind: Unit\n".encode("utf-16-be"), "file is UTF-16", 1),
        # (its byte-order mark begins with UTF-16's: it was called UTF-16)
        ("utf32.yaml", "apiVersion: okrctl/v1\nkind: Unit\n".encode("utf-32"), "file is UTF-32", 1),
        ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file", 3),
        ("huge.yaml", b"# " + b"x" * (1024 * 1024 + 10) + b"\n", "over the 1048576 byte limit", 1),
        ("deep.yaml", b"a: " + b"[" * 100 + b"]" * 100 + b"\n", "nesting deeper than 64", 1),
        # The limits as docs/format.md gives them: alias uses at the anchor, values per document.
        ("aliases.yaml", b"a: &x [1]\nb: [" + b"*x, " * 101 + b"*x]\n", "more than 100 alias uses", 1),
        ("values.yaml", b"a: [" + b"1, " * 100_001 + b"1]\n", "more than 100000 values in one document", 1),
        # Nested aliases (a "billion laughs"): few uses, each copying what the one before copied.
        (
            "laughs.yaml",
            b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + b"".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode() for i in range(8)
            ),
            "more than 100000 values in one document, counting each value an alias copies (YAML bomb?)",
            1,
        ),
        (
            "control.yaml",
            b"apiVersion: okrctl/v1\nkind: Unit\nid: x\nname: a\x07b\n",
            "control character U+0007 is not allowed",
            4,
        ),
    ],
)
def test_unreadable_files_become_okr100_with_a_line(cli, tmp_path, name, content, message, line):
    repo = repo_with(tmp_path)
    (repo / "z-extra" / name).write_bytes(content)
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    [finding] = report["findings"]
    assert finding["code"] == "OKR100"
    assert finding["path"] == f"z-extra/{name}"
    assert message in finding["message"]
    assert finding["line"] == line
    if "UTF-16" in message or "UTF-32" in message:
        wide = "UTF-32" if "UTF-32" in message else "UTF-16"
        assert (
            finding["hint"]
            == f"save the file as UTF-8 (in the editor's encoding menu, or with iconv -f {wide} -t UTF-8)"
        )


def test_a_document_over_its_values_after_aliases_copied_many_says_so(cli, tmp_path) -> None:
    """The count crossed the limit at a plain item after aliases had copied most of the values: the
    message did not mention them."""
    repo = repo_with(tmp_path)
    ten = ", ".join(["x"] * 10)
    copies = "a: &a [" + ten + "]\nb: &b [" + ", ".join(["*a"] * 10) + "]\n"
    copies += "c: &c [" + ", ".join(["*b"] * 10) + "]\nd: &d [" + ", ".join(["*c"] * 10) + "]\n"
    copies += "e: [" + ", ".join(["*d"] * 7) + "]\n"  # about 90,000 values, most of them copies
    plain = "f: [" + ", ".join(["1"] * 20000) + "]\n"  # the limit crossed here
    (repo / "z-extra" / "copies.yaml").write_text(copies + plain, encoding="utf-8")
    _code, report = align_json(cli, repo)
    [finding] = [f for f in report["findings"] if f["path"] == "z-extra/copies.yaml"]
    assert finding["line"] == 6
    assert finding["message"].endswith("values in one document, counting each value an alias copies (YAML bomb?)")


def test_an_alias_of_a_long_list_is_one_use(cli, tmp_path) -> None:
    """Each value inside an aliased list counted as a use: four aliases of a 30-item list were "more
    than 100 alias uses (YAML bomb?)", placed at an item of the list, not at the anchor."""
    repo = repo_with(tmp_path)
    items = ", ".join(f'"item {i}"' for i in range(30))
    (repo / "z-extra" / "lists.yaml").write_text(f"a: &a [{items}]\nb: *a\nc: *a\nd: *a\ne: *a\n", encoding="utf-8")
    _code, report = align_json(cli, repo)
    assert [f for f in report["findings"] if f["path"] == "z-extra/lists.yaml" and f["code"] == "OKR100"] == []


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("apiVersion: okrctl/v1\nkind: Unit\nid: x\nparent: minco\nmembers:\n\t- ana@example.com\n", 6),
        ("apiVersion: okrctl/v1\nkind: Unit\nid: x\nparent: minco\n\tname: X\n", 5),
        ("apiVersion: okrctl/v1\nkind: Unit\nid: x\nparent: minco\nmembers:\n  \t- ana@example.com\n", 6),
    ],
)
def test_a_tab_that_indents_is_named_with_the_fix(cli, tmp_path, content, line):
    repo = repo_with(tmp_path)
    (repo / "z-extra" / "tabs.yaml").write_text(content, encoding="utf-8")
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    [finding] = report["findings"]
    assert (finding["code"], finding["line"], finding["column"]) == (
        "OKR100",
        line,
        content.split("\n")[line - 1].index("\t") + 1,
    )
    assert finding["message"] == "a tab indents this line; YAML indents with spaces only"
    assert finding["hint"] == "replace the tab with spaces (set your editor to insert spaces for Tab in YAML files)"


WEB = "okrs/2026-Q4/web.yaml"
WEB_TITLE = "title: Make signing up effortless"
WEB_KR = "title: Median time to sign up falls from 6 to 3 minutes,"
WEB_ALIGNS = "aligns: [{to: more-customers}]"
WEB_KR_ITEM = (
    "  - {id: signup-time, title: Median time to sign up falls from 6 to 3 minutes, unit: min, baseline: 6, target: 3}"
)


@pytest.mark.parametrize(
    ("good", "slip", "line", "column", "message", "hint", "fix"),
    [
        (
            WEB_TITLE,
            "title: Signing up: effortless",
            6,
            18,
            "mapping values are not allowed in this context",
            'put the text in quotes: title: "Signing up: effortless" (a colon and a space in a text without quotes '
            "start a key)",
            'title: "Signing up: effortless"',
        ),
        (
            WEB_TITLE,
            "title: 'Make a visitor's sign-up effortless'",
            6,
            24,
            "did not find expected key (while parsing a block mapping from line 1)",
            "an apostrophe ends a text in single quotes: write it twice, 'Make a visitor''s sign-up effortless', "
            'or put the text in double quotes: "Make a visitor\'s sign-up effortless"',
            "title: 'Make a visitor''s sign-up effortless'",
        ),
        (
            WEB_TITLE,
            'title: "Make "sign up" effortless"',
            6,
            15,
            "did not find expected key (while parsing a block mapping from line 1)",
            "a double quote ends a text in double quotes: put the text in single quotes: 'Make \"sign up\" effortless'",
            "title: 'Make \"sign up\" effortless'",
        ),
        (
            WEB_KR,
            "title: Median time to sign up: from 6 to 3 minutes,",
            10,
            52,
            "did not find expected ',' or '}' (while parsing a flow mapping from line 10)",
            'put the text in quotes: title: "Median time to sign up: from 6 to 3 minutes" (inside { } and [ ], a '
            "colon in a text without quotes ends a key)",
            'title: "Median time to sign up: from 6 to 3 minutes",',
        ),
        (
            WEB_KR,
            "title: Median time to sign up falls from 6:00 to 3:00,",
            10,
            65,
            "found unexpected ':' (while scanning a plain scalar from line 10)",
            'put the text in quotes: title: "Median time to sign up falls from 6:00 to 3:00" (inside { } and [ ], a '
            "colon in a text without quotes ends a key)",
            'title: "Median time to sign up falls from 6:00 to 3:00",',
        ),
        (
            WEB_ALIGNS,
            WEB_ALIGNS + "\nwork:\n  - Form review: fields asked: 9 to 4",
            9,
            30,
            "mapping values are not allowed in this context",
            'put the text in quotes: - "Form review: fields asked: 9 to 4" (a colon and a space in a text without '
            "quotes start a key)",
            WEB_ALIGNS + '\nwork:\n  - "Form review: fields asked: 9 to 4"',
        ),
        (
            WEB_ALIGNS,
            WEB_ALIGNS + "\nwork: [Form review, Support rota from 8:00]",
            8,
            40,
            "found unexpected ':' (while scanning a plain scalar from line 8)",
            'put the text in quotes: "Support rota from 8:00" (inside { } and [ ], a colon in a text without quotes '
            "ends a key)",
            WEB_ALIGNS + '\nwork: [Form review, "Support rota from 8:00"]',
        ),
        (
            WEB_KR_ITEM,
            "  - title: Median time to sign up: from 6 to 3 minutes\n    id: signup-time\n    unit: min\n"
            "    baseline: 6\n    target: 3",
            10,
            34,
            "mapping values are not allowed in this context",
            'put the text in quotes: title: "Median time to sign up: from 6 to 3 minutes" (a colon and a space in a '
            "text without quotes start a key)",
            '  - title: "Median time to sign up: from 6 to 3 minutes"\n    id: signup-time\n    unit: min\n'
            "    baseline: 6\n    target: 3",
        ),
    ],
    ids=[
        "colon-in-a-title",
        "apostrophe-in-single-quotes",
        "quote-in-double-quotes",
        "colon-in-braces",
        "time-in-braces",
        "colons-in-a-list-item",
        "time-in-a-list-in-brackets",
        "colon-in-a-key-result-item",
    ],
)
def test_a_quote_or_a_colon_that_ends_a_value_too_early_is_named_with_its_fix(
    cli, tmp_path, git_repo, good, slip, line, column, message, hint, fix
):
    """The commonest YAML slips were told in the parser's words alone ("did not find expected key")
    with the hint "fix the file so it is valid UTF-8 YAML"; the finding stays where it was, and its
    hint now says what to write, which then passes."""
    repo = repo_with(tmp_path)
    web = repo / WEB
    text = web.read_text(encoding="utf-8")
    assert good in text
    web.write_text(text.replace(good, slip), encoding="utf-8")
    git_repo(repo)
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    [finding] = report["findings"]
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == ("OKR100", WEB, line, column)
    assert finding["message"] == message
    assert finding["hint"] == hint
    web.write_text(text.replace(good, fix), encoding="utf-8")
    exit_code, report = align_json(cli, repo)
    assert (exit_code, report["findings"]) == (0, [])


@pytest.mark.parametrize(
    ("slip", "line", "column", "message", "hint", "fix"),
    [
        (
            "\nwork:\n  - Form review: 9 fields to 4\n  - Support rota",
            9,
            5,
            "work[0]: a mapping is not text",
            'put the text in quotes: - "Form review: 9 fields to 4" (a colon and a space in a text without quotes '
            "start a key)",
            '\nwork:\n  - "Form review: 9 fields to 4"\n  - Support rota',
        ),
        (
            "\nwork: [Support rota, Form review: 9 fields to 4]",
            8,
            22,
            "work[1]: a mapping is not text",
            'put the text in quotes: "Form review: 9 fields to 4" (inside { } and [ ], a colon in a text without '
            "quotes ends a key)",
            '\nwork: [Support rota, "Form review: 9 fields to 4"]',
        ),
    ],
    ids=["one-colon-in-a-list-item", "one-colon-in-a-list-in-brackets"],
)
def test_an_item_of_a_list_of_texts_that_one_colon_made_a_mapping_is_named_with_its_fix(
    cli, tmp_path, git_repo, slip, line, column, message, hint, fix
):
    """An item with one colon and a space reads as a mapping, not a YAML error: its OKR101 "a mapping
    is not text" said to write the item as one line of text, which it was. The hint now quotes the
    whole item, as the hint of an item with two colons does, which then passes."""
    repo = repo_with(tmp_path)
    web = repo / WEB
    text = web.read_text(encoding="utf-8")
    assert WEB_ALIGNS in text
    web.write_text(text.replace(WEB_ALIGNS, WEB_ALIGNS + slip), encoding="utf-8")
    git_repo(repo)
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    [finding] = report["findings"]
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == ("OKR101", WEB, line, column)
    assert finding["message"] == message
    assert finding["hint"] == hint
    web.write_text(text.replace(WEB_ALIGNS, WEB_ALIGNS + fix), encoding="utf-8")
    exit_code, report = align_json(cli, repo)
    assert (exit_code, report["findings"]) == (0, [])


def test_symlink_out_of_the_repository_is_reported_not_followed(cli, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("apiVersion: okrctl/v1\nkind: Unit\nid: secret\nparent: minco\n", encoding="utf-8")
    repo = repo_with(tmp_path)
    os.symlink(outside, repo / "z-extra" / "link.yaml")
    os.symlink(tmp_path, repo / "z-extra" / "folder-link")
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    assert [(f["code"], f["path"]) for f in report["findings"]] == [
        ("OKR100", "z-extra/folder-link"),
        ("OKR100", "z-extra/link.yaml"),
    ]
    assert all("outside the repository" in f["message"] for f in report["findings"])


def test_root_file_without_a_config_is_okr105(cli, tmp_path):
    repo = repo_with(tmp_path)
    (repo / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: stray\nparent: minco\n")
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    assert ("OKR105", "okrctl.yaml", 1) in [(f["code"], f["path"], f["line"]) for f in report["findings"]]


def test_a_config_that_does_not_parse_is_one_finding_at_its_line(cli, tmp_path):
    repo = repo_with(tmp_path)
    (repo / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\norganization: [unclosed\n")
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    on_config = [(f["code"], f["line"]) for f in report["findings"] if f["path"] == "okrctl.yaml"]
    assert on_config == [("OKR100", 3)]  # the end of the last line, where the input ends unclosed


def test_a_folder_without_okrctl_yaml_is_not_a_repository(cli, tmp_path):
    repo = repo_with(tmp_path)
    for folder in (repo / "units", tmp_path):
        result = cli("align", "--repo", str(folder), "--today", DEMO_DAY)
        assert result.exit_code == 2
        assert (
            result.stderr
            == f"okrctl: no okrctl.yaml in {folder}; pass the folder that holds it, or run 'okrctl init'\n"
        )
        assert not (folder / ".okrctl-cache").exists()


def test_a_pipe_named_yaml_is_reported_not_read(cli, tmp_path):
    repo = repo_with(tmp_path)
    os.mkfifo(repo / "z-extra" / "pipe.yaml")
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    assert [(f["code"], f["path"]) for f in report["findings"]] == [("OKR100", "z-extra/pipe.yaml")]
    assert "not a regular file" in report["findings"][0]["message"]


def test_output_follows_symlinks_and_writes_into_devices_without_replacing_them(cli, tmp_path):
    repo = repo_with(tmp_path)
    target = tmp_path / "target.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert (
        cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", "--output", str(link)).exit_code == 0
    )
    assert link.is_symlink() and json.loads(target.read_text())["summary"]["error"] == 0
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    import threading

    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    assert (
        cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", "--output", str(fifo)).exit_code == 0
    )
    reader.join(10)
    assert fifo.exists() and not fifo.is_file() and json.loads(received[0])["summary"]["files"] == 9
    # (JSON: the text of a clean repository is empty, which even a full disk takes, as with ``>``.)
    full = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", "--output", "/dev/full")
    assert full.exit_code == 1 and full.stderr.startswith("okrctl: /dev/full: cannot be written: No space left")
    assert Path("/dev/full").is_char_device()


def test_hidden_folders_and_exclude_globs_are_not_read(cli, tmp_path):
    repo = repo_with(tmp_path)
    broken = b"a: [\n"
    (repo / ".github").mkdir()
    (repo / ".github" / "workflow.yml").write_bytes(broken)
    (repo / "drafts" / "q1").mkdir(parents=True)
    (repo / "drafts" / "q1" / "idea.yaml").write_bytes(broken)
    (repo / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\nexclude: ['drafts/**']\n", encoding="utf-8")
    exit_code, report = align_json(cli, repo)
    assert (exit_code, report["findings"]) == (0, [])


def test_non_yaml_files_are_named_in_the_text_summary(cli, tmp_path):
    repo = repo_with(tmp_path)
    (repo / "README.md").write_text("# OKRs\n", encoding="utf-8")
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "text")
    assert result.exit_code == 0
    assert "not read: 1 file that is not YAML (README.md)" in result.stdout


def test_a_folder_of_another_git_repository_is_named_in_the_text_summary(cli, tmp_path):
    """SPEC §2: what is not read is reported, not skipped silently. A folder holding a .git (a
    submodule, a clone) is another repository's: it is not read, and the summary says so."""
    repo = repo_with(tmp_path)
    (repo / "vendor" / "other").mkdir(parents=True)
    (repo / "vendor" / "other" / "x.yaml").write_text("garbage: [\n", encoding="utf-8")
    (repo / "vendor" / "other" / ".git").write_text("gitdir: ../../.git/modules/other\n", encoding="utf-8")
    (repo / "README.md").write_text("# OKRs\n", encoding="utf-8")
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "text")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-2:] == [
        "  not read: 1 file that is not YAML (README.md)",
        "  not read: 1 folder of another git repository (run okrctl in it) (vendor/other/)",
    ]


def test_document_comment_config_and_options_suppress_findings(cli, tmp_path):
    bad = FIXTURES / "bad" / "OKR104-align.yaml"
    repo = repo_with(tmp_path, bad)
    target = repo / "z-extra" / bad.name
    assert align_json(cli, repo)[0] == 1
    # the command line
    assert align_json(cli, repo, "--ignore", "OKR104")[0] == 0
    assert align_json(cli, repo, "--select", "OKR1")[0] == 1
    assert align_json(cli, repo, "--select", "OKR2")[0] == 0
    # a comment in the document
    target.write_text(target.read_text().replace("kind: Objective", "kind: Objective  # okrctl: ignore[OKR104]"))
    assert align_json(cli, repo) == (0, align_json(cli, repo)[1])
    assert align_json(cli, repo)[1]["findings"] == []
    # the config: severity lowered to warning passes without --strict, fails with it
    target.write_text(bad.read_text())
    (repo / "okrctl.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Config\nrules: {severity: {OKR104: warning}}\n", encoding="utf-8"
    )
    code, report = align_json(cli, repo)
    assert code == 0 and report["findings"][0]["severity"] == "warning"
    assert align_json(cli, repo, "--strict")[0] == 1
    (repo / "okrctl.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Config\nrules: {ignore: [OKR104]}\n", encoding="utf-8"
    )
    assert align_json(cli, repo) == (0, align_json(cli, repo)[1])


def test_unknown_rule_code_in_config_is_a_schema_finding(cli, tmp_path):
    repo = repo_with(tmp_path)
    (repo / "okrctl.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Config\nrules: {ignore: [OKR999]}\n", encoding="utf-8"
    )
    code, report = align_json(cli, repo)
    assert code == 1
    [finding] = report["findings"]
    assert (finding["code"], finding["line"], finding["column"]) == ("OKR101", 3, 18)
    assert "unknown rule code 'OKR999'" in finding["message"]


def test_cached_run_gives_the_same_findings_and_places(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    repo = repo_with(tmp_path, *BAD_FILES[:12])
    first = align_json(cli, repo)
    assert not (repo / ".okrctl-cache").exists()
    second = align_json(cli, repo)
    uncached = align_json(cli, repo, "--no-cache")
    assert first == second == uncached
    assert first[1]["findings"]


def test_cache_planted_in_the_repository_is_not_trusted(cli, tmp_path, monkeypatch):
    """A committed cache in the old place, signed with an empty key (as a first run on a full
    disk left it), is neither read nor written."""
    import hashlib
    import hmac

    monkeypatch.delenv("OKRCTL_NO_CACHE")
    repo = repo_with(tmp_path, FIXTURES / "bad" / "OKR104-align.yaml")
    folder = repo / ".okrctl-cache"
    folder.mkdir()
    body = b'{"format":"okrctl-parse-cache/3/0.1.0","entries":{}}'
    planted = hmac.new(b"", body, hashlib.sha256).hexdigest().encode() + b"\n" + body
    (folder / "parse-v1.json").write_bytes(planted)
    key = Path(os.environ["XDG_CACHE_HOME"]) / "okrctl" / "cache-key"
    key.parent.mkdir(parents=True)
    key.write_bytes(b"")
    code, report = align_json(cli, repo)
    assert code == 1 and report["findings"][0]["code"] == "OKR104"
    assert (folder / "parse-v1.json").read_bytes() == planted
    assert sorted(p.name for p in folder.iterdir()) == ["parse-v1.json"]


def test_output_formats_concise_and_text(cli, tmp_path):
    repo = repo_with(tmp_path, FIXTURES / "bad" / "OKR104-align.yaml")
    concise = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "concise")
    assert concise.exit_code == 1
    assert concise.stdout == (
        "z-extra/OKR104-align.yaml:8:15: OKR104 error alignment target 'more-customer' does not exist\n"
    )
    text = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "text")
    assert text.stdout.splitlines()[:3] == [
        "z-extra/OKR104-align.yaml",
        "  z-extra/OKR104-align.yaml:8:15  OKR104 error  alignment target 'more-customer' does not exist",
        "      hint: did you mean 'more-customers'?",
    ]
    assert text.stdout.rstrip().endswith("✗ 1 error, 0 warnings, 0 info in 10 files (11 documents)")


def test_default_format_off_a_terminal_is_concise_and_output_writes_a_file(cli, tmp_path):
    repo = repo_with(tmp_path, FIXTURES / "bad" / "OKR104-align.yaml")
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY)
    assert result.stdout.startswith("z-extra/OKR104-align.yaml:8:15: OKR104 error")
    out = tmp_path / "findings.json"
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", "--output", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(out.read_text())["summary"]["error"] == 1


def test_json_shape_matches_the_spec(cli, tmp_path):
    repo = repo_with(tmp_path, FIXTURES / "bad" / "OKR104-align.yaml")
    _, report = align_json(cli, repo)
    assert list(report) == ["okrctl", "today", "summary", "findings"]
    assert report["today"] == DEMO_DAY
    # SPEC §5, plus the fingerprint and trigger of issue 10 ("new" only with --baseline).
    assert list(report["findings"][0]) == [
        "code",
        "severity",
        "path",
        "line",
        "column",
        "message",
        "hint",
        "fingerprint",
        "trigger",
    ]


def test_terminal_escapes_in_file_content_never_reach_the_output(cli, tmp_path):
    repo = repo_with(tmp_path)
    (repo / "z-extra" / "evil.yaml").write_text(
        'apiVersion: okrctl/v1\nkind: "Unit\\e[31m[bold]x"\nid: evil\n', encoding="utf-8"
    )
    for fmt in ("text", "concise"):
        result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", fmt)
        assert "\x1b" not in result.stdout
        assert "[bold]" in result.stdout  # shown literally, not interpreted as markup


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("", 1, "holds no document"),
        ("# only a comment\n", 1, "holds no document"),
        ("---\n", 1, "holds no document"),
        ("---\n# nothing\n---\n", 1, "holds no document"),
        ("--- null\n", 1, "not a mapping with apiVersion and kind"),
        ('--- ""\n', 1, "not a mapping with apiVersion and kind"),
    ],
)
def test_a_file_without_any_document_is_reported(cli, tmp_path, content, line, message):
    repo = repo_with(tmp_path)
    (repo / "z-extra" / "empty.yaml").write_text(content, encoding="utf-8")
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    assert [(f["code"], f["path"], f["line"]) for f in report["findings"]] == [("OKR103", "z-extra/empty.yaml", line)]
    assert message in report["findings"][0]["message"]


def test_an_empty_document_after_a_final_separator_is_ignored(cli, tmp_path):
    """format.md: an empty document (after a final ``---``) is ignored. It was OKR103, "not a
    mapping", placed on a line past the end of the file, and every view left the file out."""
    repo = repo_with(tmp_path)
    _exit_code, before = align_json(cli, repo)
    unit = next((repo / "units").glob("*.yaml"))
    unit.write_text(unit.read_text(encoding="utf-8") + "---\n", encoding="utf-8")
    middle = next((repo / "okrs").rglob("*.yaml"))
    middle.write_text("---\n" + middle.read_text(encoding="utf-8") + "---\n\n---\n# the end\n", encoding="utf-8")
    _exit_code, after = align_json(cli, repo)
    assert after["findings"] == before["findings"]
    status = cli("status", "--repo", str(repo), "--today", DEMO_DAY)
    assert status.exit_code == 0 and "left out" not in status.stderr


def _with_exclude(config: Path, patterns: str) -> None:
    config.write_text(config.read_text().split("\nexclude:")[0].rstrip("\n") + f"\nexclude: {patterns}\n")


def test_no_exclude_glob_hides_the_config_itself(cli, tmp_path, copy_example, git_repo):
    repo = git_repo(copy_example("saas"))
    config = repo / "okrctl.yaml"
    before = cli("status", "--repo", str(repo), "--today", DEMO_DAY)
    assert before.exit_code == 0 and "Acme Analytics" in before.stdout
    for pattern in ("okrctl.yaml", "okrctl.*", "[o]krctl.y*ml"):
        _with_exclude(config, f"['{pattern}']")
        status = cli("status", "--repo", str(repo), "--today", DEMO_DAY)
        assert status.exit_code == 0 and "Acme Analytics" in status.stdout, pattern  # the organisation's name
        found = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json")
        assert "OKR105" not in found.stdout, pattern  # "no Config document"
    # Judged against a commit (the base is read from git objects) whose patterns match every file:
    # the base keeps its config (and a base that excluded everything does not stop its fix).
    _with_exclude(config, "['*']")
    git(repo, "commit", "-qam", "exclude everything")
    _with_exclude(config, "['okrctl.yaml']")
    gate = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--baseline", "HEAD", "--format", "json")
    assert gate.exit_code == 0 and "OKR105" not in gate.stdout


EVERYTHING = "the exclude patterns leave no OKR file to check: every YAML file but okrctl.yaml matches them"


@pytest.mark.parametrize("patterns", ["['**']", "['*']", "['*.yaml']", "['**/*']", "['units/**']", "[units, okrs]"])
def test_an_exclude_that_leaves_no_okr_file_is_a_config_error_at_its_line(cli, tmp_path, patterns):
    """A CI gate that checks nothing must not pass: ``exclude: ["**"]`` used to give a clean
    ``align`` of okrctl.yaml alone ("1 file"). What ``okrctl init`` makes passes, as ever."""
    repo = tmp_path / "fresh"
    assert cli("init", str(repo)).exit_code == 0
    config = repo / "okrctl.yaml"
    assert cli("align", "--repo", str(repo)).exit_code == 0
    _with_exclude(config, patterns)
    line = config.read_text().count("\n")  # the exclude key is on the last line
    for command in (["align"], ["align", "--format", "json"], ["status"], ["align", str(config)]):
        result = cli(*command, "--repo", str(repo))
        assert (result.exit_code, result.stdout) == (2, ""), command
        assert result.stderr.startswith(f"okrctl: okrctl.yaml:{line}: {EVERYTHING}; "), result.stderr
        assert result.stderr.count("\n") == 1


def test_the_exclude_error_names_the_line_of_the_key_of_a_block_list(cli, tmp_path):
    repo = tmp_path / "fresh"
    assert cli("init", str(repo)).exit_code == 0
    config = repo / "okrctl.yaml"
    text = config.read_text()
    config.write_text(text.replace("kind: Config\n", "kind: Config\nexclude:\n  - drafts/**\n  - units/*\n"))
    line = text.splitlines().index("kind: Config") + 2
    result = cli("align", "--repo", str(repo))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"okrctl: okrctl.yaml:{line}: {EVERYTHING}; ")


def test_an_exclude_that_leaves_a_file_or_a_repository_with_no_other_file_passes(cli, tmp_path):
    repo = tmp_path / "fresh"
    assert cli("init", str(repo)).exit_code == 0
    config = repo / "okrctl.yaml"
    _with_exclude(config, "['drafts/**', 'units/other.yaml']")
    assert cli("align", "--repo", str(repo)).exit_code == 0
    # Nothing but the config, whatever the patterns: they did not empty it.
    for unit in (repo / "units").glob("*.yaml"):
        unit.unlink()
    _with_exclude(config, "['**']")
    result = cli("align", "--repo", str(repo))
    assert EVERYTHING not in result.stderr
    assert result.exit_code != 2


def test_output_never_replaces_a_file_of_the_repository(cli, tmp_path, copy_example, git_repo):
    repo = git_repo(copy_example("banco"))
    day = ("--repo", str(repo), "--today", DEMO_DAY)
    targets = ["okrctl.yaml", "strategy/2026.yaml", "units/banco.yaml", "okrs/new.yml"]
    commands = [
        ["align"],
        ["report"],
        ["map"],
        ["diff"],
        ["codeowners"],
        ["plan", "--team", "cards"],
        ["retro", "--team", "cards"],
    ]
    before = {rel: (repo / rel).read_bytes() for rel in targets if (repo / rel).exists()}
    (tmp_path / "link.yaml").symlink_to(repo / "units" / "banco.yaml")
    for command in commands:
        if command == ["codeowners"]:
            day = ("--repo", str(repo))  # no --today: nothing in it depends on the date
        for rel in targets:
            result = cli(*command, *day, "--output", str(repo / rel))
            assert (result.exit_code, result.stdout) == (2, ""), (command, rel)
            assert result.stderr == (
                f"okrctl: --output: {repo / rel} ({rel} in the repository) is a file okrctl reads as an OKR"
                " document; write the output elsewhere\n"
            )
        linked = cli(*command, *day, "--output", str(tmp_path / "link.yaml"))
        assert linked.exit_code == 2 and "(units/banco.yaml in the repository)" in linked.stderr
    assert {rel: (repo / rel).read_bytes() for rel in before} == before
    assert not (repo / "okrs" / "new.yml").exists()
    assert git(repo, "status", "--porcelain") == ""
    # A YAML file okrctl does not read (a hidden folder, an excluded path, outside the root) is written.
    (repo / ".reports").mkdir()
    config = repo / "okrctl.yaml"
    config.write_text(config.read_text() + "exclude: ['reports/**']\n", encoding="utf-8")
    (repo / "reports").mkdir()
    day = ("--repo", str(repo), "--today", DEMO_DAY)
    for where in (repo / ".reports" / "align.yaml", repo / "reports" / "align.yaml", tmp_path / "align.yaml"):
        assert cli("align", *day, "--format", "json", "--output", str(where)).exit_code == 0
        assert json.loads(where.read_text(encoding="utf-8"))["summary"]["error"] == 0


@pytest.mark.slow
def test_output_never_replaces_a_file_of_git(cli, tmp_path, copy_example, git_repo, monkeypatch):
    """``map -f dot -o .git/HEAD`` replaced git's HEAD with the map, exit 0, and git no longer found
    the repository. A path in the git directory (by way of a link too), a linked worktree's own and
    the common one, and a worktree's ``.git`` file are refused as an OKR document is: exit 2, one
    line, before any work; ``schema -o`` and ``site`` refuse them alike."""
    repo = git_repo(copy_example("banco"))
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link.txt").symlink_to(repo / ".git" / "config")
    kept = ["banco/.git/HEAD", "banco/.git/config", "banco/.git/worktrees/wt/HEAD", "wt/.git"]
    before = {rel: (tmp_path / rel).read_bytes() for rel in kept}
    refused = {
        "banco/.git/HEAD": "banco/.git/HEAD lies in the git directory banco/.git",
        "banco/.git/hooks/pre-commit": "banco/.git/hooks/pre-commit lies in the git directory banco/.git",
        "link.txt": "link.txt leads to banco/.git/config, in the git directory banco/.git",
        "banco/.git/worktrees/wt/HEAD": "banco/.git/worktrees/wt/HEAD lies in the git directory banco/.git",
    }
    commands = [
        ["align"],
        ["report"],
        ["map", "--format", "dot"],
        ["diff"],
        ["digest"],
        ["history"],
        ["codeowners"],
        ["plan", "--team", "cards"],
        ["retro", "--team", "cards"],
    ]
    for command in commands:
        for where in ("banco", "wt"):
            day = ("--repo", where) if command == ["codeowners"] else ("--repo", where, "--today", DEMO_DAY)
            for path, said in refused.items():
                result = cli(*command, *day, "--output", path)
                assert (result.exit_code, result.stdout, result.stderr) == (
                    2,
                    "",
                    f"okrctl: --output: {said}, which git alone writes; write the output elsewhere\n",
                ), (command, where, path)
            result = cli(*command, *day, "-o", "wt/.git")
            assert (result.exit_code, result.stderr) == (
                2,
                "okrctl: --output: wt/.git is named .git, which git takes for a repository's own; "
                "write the output elsewhere\n",
            ), command
    result = cli("schema", "-o", "banco/.git/refs/heads")
    assert (result.exit_code, result.stderr) == (
        2,
        "okrctl: --output: banco/.git/refs/heads lies in the git directory banco/.git, which git alone writes; "
        "write the schemas elsewhere\n",
    )
    result = cli("site", "--repo", "banco", "--today", DEMO_DAY, "banco/.git/site")
    assert (result.exit_code, result.stderr) == (
        2,
        "okrctl: banco/.git/site: lies in the git directory banco/.git, which git alone writes; "
        "write the site elsewhere\n",
    )
    assert {rel: (tmp_path / rel).read_bytes() for rel in kept} == before
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()
    assert not (repo / ".git" / "site").exists()
    assert sorted(p.name for p in (repo / ".git" / "refs" / "heads").iterdir()) == ["main", "wt"]
    assert git(repo, "status", "--porcelain") == git(tmp_path / "wt", "status", "--porcelain") == ""
    # Beside the git directory, a report is written as usual.
    assert cli("map", "--repo", "banco", "--today", DEMO_DAY, "-o", "banco/map.txt").exit_code == 0


def test_output_into_a_folder_named_git_yet_to_be_made_is_refused_and_makes_nothing(
    cli, tmp_path, copy_example, monkeypatch
):
    """``site ../web/.git/site``, ``schema -o ../sch/.git/schemas`` and ``--output ../st/.git/x.md``
    made ``web/.git`` (and the others) a plain folder, exit 0, and git then found no repository in
    ``web`` ('fatal: not a git repository'). A folder named ``.git`` anywhere on the way is refused
    as a git directory is: exit 2, one line, nothing made."""
    repo = copy_example("banco")
    day = ("--repo", str(repo), "--today", DEMO_DAY)
    monkeypatch.chdir(tmp_path)
    said = "lies in a folder named .git, which git takes for a repository's own"
    result = cli("site", *day, "web/.git/site")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"okrctl: web/.git/site: {said}; write the site elsewhere\n",
    )
    result = cli("schema", "-o", "sch/.git/schemas")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"okrctl: --output: sch/.git/schemas {said}; write the schemas elsewhere\n",
    )
    for command in (["report"], ["align"], ["map", "--format", "dot"]):
        result = cli(*command, *day, "--output", "st/.git/x.md")
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            f"okrctl: --output: st/.git/x.md {said}; write the output elsewhere\n",
        ), command
    assert not any((tmp_path / name).exists() for name in ("web", "sch", "st"))


def test_align_of_paths_none_of_them_in_the_repository_says_so(cli, tmp_path, copy_example):
    repo = copy_example("banco")
    elsewhere = tmp_path / "other" / "bad.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text("a: [\n", encoding="utf-8")
    args = ("align", "--repo", str(repo), "--today", DEMO_DAY)
    result = cli(*args, str(elsewhere))
    # Nothing to judge (a pre-commit hook may pass files beside the OKR repository): exit 0, but never
    # a silence that reads as "this file is clean".
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"okrctl: no finding to report: {elsewhere} not in the repository {repo}\n"
    many = cli(*args, *(str(elsewhere) for _ in range(5)))
    assert many.stderr.endswith(f"{elsewhere} and 2 more not in the repository {repo}\n")
    # With one path inside, the others are left out quietly, as before.
    mixed = cli(*args, str(elsewhere), str(repo / "units" / "banco.yaml"))
    assert (mixed.exit_code, mixed.stderr) == (0, "")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("config", "patterns"),
    [
        ('kind: Config\nlimits: {max_objectives: 3}\n# exclude: ["drafts/**"]\n', []),
        ('kind: Config\n  # exclude: ["drafts/**"]\ncheckin: {stale_after_days: 9}\n', []),
        ('kind: Config\nexclude: ["drafts/**"]  # kept\n', ["drafts/**"]),
        ('--- {apiVersion: okrctl/v1, kind: Config, exclude: ["drafts/**"]}\n', ["drafts/**"]),
        ('kind: Config\n"\\x65xclude": ["drafts/**"]\n', ["drafts/**"]),  # spelt with an escape
    ],
)
def test_the_exclude_patterns_are_read_without_a_yaml_parser_when_no_key_can_hold_them(
    tmp_path: Path, config: str, patterns: list[str]
) -> None:
    """Every run reads okrctl.yaml's ``exclude`` first; a config whose only mention of it is a
    comment (as ``okrctl init`` writes it) is not parsed for that, so a run the store answers never
    loads the YAML parser. Any other mention is parsed as always."""
    import subprocess
    import sys

    head = "" if config.startswith("---") else "apiVersion: okrctl/v1\n"
    (tmp_path / "okrctl.yaml").write_text(head + config, encoding="utf-8")
    probe = (
        "import sys; from pathlib import Path; from okrctl.load.pipeline import _exclude_patterns; "
        f"print(_exclude_patterns(Path({str(tmp_path)!r}))); print('ruamel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    found, parsed = out.splitlines()
    assert found == repr(patterns)
    assert parsed == str(bool(patterns))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # A NUL is where a control character would be (6:10): it was reported at 6:1.
        (b"name: abc\x00def\n", "binary file (contains NUL bytes), not YAML"),
        (b"name: abc\x01def\n", "control character U+0001 is not allowed in YAML"),
        # Columns count characters, not bytes ("\xc3\xa9t\xc3\xa9" is "\u00e9t\u00e9"): the 0xff was at 6:12.
        (b"name: \xc3\xa9t\xc3\xa9\xffdef\n", "not UTF-8: byte 0xff cannot be decoded"),
    ],
    ids=["nul", "control", "not-utf-8"],
)
@pytest.mark.parametrize("newline", ["\n", "\r"], ids=["lf", "cr"])
def test_a_byte_that_is_not_yaml_text_is_reported_where_an_editor_shows_it(cli, tmp_path, content, message, newline):
    """Lines end at LF, CRLF or CR and columns count characters, for a NUL and an undecodable byte
    as for a control character (docs/format.md); with CR line ends a NUL was at 1:1."""
    repo = repo_with(tmp_path)
    head = b"apiVersion: okrctl/v1\nkind: Unit\nid: x\nparent: acme\nowner: a@example.com\n"
    (repo / "z-extra" / "unit.yaml").write_bytes((head + content).replace(b"\n", newline.encode()))
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    assert [(f["code"], f["line"], f["column"], f["message"]) for f in report["findings"]] == [
        ("OKR100", 6, 10, message)
    ]


TWO_UNITS = (
    "apiVersion: okrctl/v1\nkind: Unit\nid: ops\nname: Ops\nparent: minco\n{between}"
    "apiVersion: okrctl/v2\nkind: Unit\nid: data\nname: Data\nparent: mincoo\n"
)


@pytest.mark.parametrize(
    ("between", "api_version"),
    [("---\n\ufeff", (7, 14)), ("\ufeff---\n", (7, 13)), ("--- # b.yaml\r\n\ufeff", (7, 14))],
    ids=["after-its-start", "before-its-start", "after-its-start-crlf"],
)
def test_a_byte_order_mark_where_a_document_starts_is_read_as_at_the_files_start(cli, tmp_path, between, api_version):
    """YAML 1.2 allows a byte-order mark at the start of any document (two files saved by Notepad,
    joined by cat): after a '---' it was OKR100 'did not find expected <document start>' a line
    below it, the keys that followed being read as indented by one. The document is read, and a
    place on the mark's line counts it as the column an editor shows (okrctl/v2 at 7:14)."""
    repo = repo_with(tmp_path)
    (repo / "z-extra" / "units.yaml").write_text(TWO_UNITS.format(between=between), encoding="utf-8")
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    found = [(f["code"], f["line"], f["column"], f["message"]) for f in report["findings"]]
    line = api_version[0]
    assert found == [
        ("OKR103", *api_version, "unknown apiVersion 'okrctl/v2'"),
        ("OKR104", line + 4, 9, "parent 'mincoo' is not a unit"),
    ]


def test_a_byte_order_mark_inside_a_document_is_named_on_its_line(cli, tmp_path):
    """Two files joined without a '---': the mark was not named, the syntax error at 6:2 after it."""
    repo = repo_with(tmp_path)
    (repo / "z-extra" / "units.yaml").write_text(TWO_UNITS.format(between="\ufeff"), encoding="utf-8")
    exit_code, report = align_json(cli, repo)
    assert exit_code == 1
    assert [(f["code"], f["line"], f["column"], f["message"], f["hint"]) for f in report["findings"]] == [
        (
            "OKR100",
            6,
            1,
            "byte-order mark (U+FEFF) inside a document; YAML allows one only where a document starts",
            "delete it; or, if a second document starts on this line (two files joined), put '---' on a line of "
            "its own above it",
        )
    ]


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("utf-32-le", "file is UTF-32; okrctl reads UTF-8 only"),
        ("utf-32-be", "file is UTF-32; okrctl reads UTF-8 only"),
        (None, "binary file (contains NUL bytes), not YAML"),
    ],
    ids=["utf-32-le", "utf-32-be", "binary"],
)
def test_an_objective_file_okrctl_cannot_read_as_text_is_one_finding(cli, copy_example, encoding, said) -> None:
    """UTF-32 without a byte-order mark was 'binary file', and its team's check-ins (eight OKR502),
    the targets it held (OKR104) and what it served (OKR202) followed: 17 findings for one file."""
    root = copy_example("banco")
    path = root / "okrs" / "2026-Q4" / "digital-services.yaml"
    text = path.read_text(encoding="utf-8")
    text = "# Карты — Cards\n" + text  # (characters beyond one byte among the first: still UTF-32)
    path.write_bytes(text.encode(encoding) if encoding else b"x\0\n")
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    found = [(f["code"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("OKR100", "okrs/2026-Q4/digital-services.yaml", said)]


def _saas_where_marketing_has_the_companys_kr_id(cli, copy_example, git_repo) -> Path:
    """examples/saas, committed, with Marketing adopting the company's 'site-visitors' and having a
    key result 'site-visitors' of its own."""
    root = copy_example("saas")
    marketing = root / "okrs" / "2026-Q4" / "marketing.yaml"
    text = marketing.read_text(encoding="utf-8").replace("/nps,", "/site-visitors,")
    own = "  - id: site-visitors\n    title: Visits from reviews rise from 900 to 2000\n    baseline: 900\n    target: 2000\n"
    marketing.write_text(text.replace("  - id: promoter-referrals\n", own + "  - id: promoter-referrals\n"))
    repo = git_repo(root)
    assert cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "concise").stdout == ""
    return repo


@pytest.mark.parametrize(
    ("path", "written", "meant"),
    [
        # Acme's bare priority id was taken for Sales' objective 'trials-to-subscriptions', below it.
        ("okrs/2026-Q4/acme.yaml", "grow-subscriptions", "strategy-2026/grow-subscriptions"),
        # Marketing has a key result 'site-visitors' of its own: its bare id means the company's.
        ("okrs/2026-Q4/marketing.yaml", "site-visitors", "subscriptions-5000/site-visitors"),
    ],
    ids=["priority", "key-result"],
)
def test_a_bare_alignment_id_suggests_the_target_of_that_id_above_it_and_is_one_finding(
    cli, copy_example, git_repo, path, written, meant
) -> None:
    """`to: grow-subscriptions` (without 'strategy-2026/') was 'did you mean' an objective of a unit
    below, or the objective's own key result: following the hint made an alignment loop (OKR206),
    and the priority or objective meant was also reported unserved (OKR202)."""
    repo = _saas_where_marketing_has_the_companys_kr_id(cli, copy_example, git_repo)
    target = repo / path
    text = target.read_text(encoding="utf-8")
    assert text.count(f"{{to: {meant},") == 1
    target.write_text(text.replace(f"{{to: {meant},", f"{{to: {written},"), encoding="utf-8")
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "text")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1].endswith(f"OKR104 error  alignment target '{written}' does not exist")
    assert lines[2] == f"      hint: did you mean '{meant}'?"
    assert lines[-1].startswith("✗ 1 error, 0 warnings, 0 info")


def test_a_broken_objectives_bare_alignment_id_suggests_the_target_above_it(cli, copy_example, git_repo) -> None:
    """The alignments of an objective that fails its schema are judged too: the same 'did you mean'."""
    repo = _saas_where_marketing_has_the_companys_kr_id(cli, copy_example, git_repo)
    marketing = repo / "okrs" / "2026-Q4" / "marketing.yaml"
    text = marketing.read_text(encoding="utf-8")
    marketing.write_text(
        text.replace("{to: subscriptions-5000/site-visitors,", "{to: site-visitors,") + "colour: red\n"
    )
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json")
    found = [(f["code"], f["hint"]) for f in json.loads(result.stdout)["findings"]]
    assert result.exit_code == 1
    assert found == [
        ("OKR104", "did you mean 'subscriptions-5000/site-visitors'?"),
        ("OKR101", "remove it: unknown fields are errors so that typos never pass"),
    ]
