"""Text from the repository in every output, read by the real consumer where there is one:
Markdown math, invisible reordering characters, Graphviz entities, odd paths in CI annotations;
and ``init``: names the schema refuses, a run stopped midway."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import DEMO_DAY

DISCOVER = Path("okrs/2026-Q4/discover.yaml")
TITLE = "title: Make the first week seamless and confidence-boosting for new users"


def retitle(root: Path, title: str) -> None:
    path = root / DISCOVER
    text = path.read_text(encoding="utf-8")
    assert TITLE in text
    path.write_text(text.replace(TITLE, "title: " + json.dumps(title)), encoding="utf-8")


# ----- Markdown: GitHub renders $...$ as math ----------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    [
        ["retro", "--team", "discover", "--format", "markdown"],
        ["plan", "--team", "discover", "--format", "markdown"],
        ["report", "--format", "markdown"],
    ],
)
def test_markdown_escapes_every_dollar_so_github_shows_no_math(cli, copy_example, command):
    root = copy_example("banco")
    retitle(root, "Cut cost from $5 to $3 per $x^2$ user")
    if command[0] == "plan":
        (root / "okrs/2026-Q4/discover.yaml").rename(root / "okrs/2026-Q4/discover-draft.yaml")
    result = cli(*command, "--repo", str(root), "--today", DEMO_DAY)
    assert result.exit_code == 0, result.stderr
    if "Cut cost" in result.stdout:
        assert "\\$5 to \\$3 per \\$x^2\\$ user" in result.stdout
    for line in result.stdout.splitlines():
        assert "$" not in line.replace("\\$", ""), line


# ----- bidi overrides and zero-width characters -------------------------------------------------------
INVISIBLE = [
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u200e",
    "\u200f",
    "\u061c",  # the Arabic letter mark, a bidi mark as U+200E and U+200F are
]


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--team", "discover"],
        ["status"],
        ["report", "--format", "markdown"],
        ["report", "--format", "html"],
        ["report"],
        ["map"],
        ["map", "--format", "mermaid"],
        ["map", "--format", "dot"],
        ["retro", "--team", "discover"],
        ["trends"],
    ],
    ids=lambda c: " ".join(c),
)
def test_no_bidi_override_or_zero_width_character_reaches_an_output(cli, copy_example, command):
    """Nothing that reorders or hides text reaches any output. The zero-width joiner and
    non-joiner, which spell words and join emoji and reorder nothing, stay in documents another
    program renders (HTML, Markdown, Mermaid, DOT); a terminal's cells are counted without them."""
    root = copy_example("banco")
    retitle(root, "Safe" + "".join(INVISIBLE) + " title \u202eevil\u202c end")
    result = cli(*command, "--repo", str(root), "--today", DEMO_DAY)
    assert result.exit_code == 0, result.stderr
    rendered_elsewhere = "--format" in command
    for character in [*INVISIBLE, "\u202c"]:
        if rendered_elsewhere and character in JOINERS:
            continue
        assert character not in result.stdout, f"U+{ord(character):04X}"


JOINERS = ("\u200c", "\u200d")
SPELT_WITH_JOINERS = "Onboarding 👩\u200d💻 می\u200cخواهیم"


@pytest.mark.parametrize(
    "command",
    [["report", "--format", "markdown"], ["report", "--format", "html"], ["map", "--format", "mermaid"]]
    + [["map", "--format", "dot"], ["report", "--format", "json"]],
    ids=lambda c: " ".join(c),
)
def test_joiners_that_spell_a_title_stay_in_documents_other_programs_render(cli, copy_example, command):
    """👩‍💻 stays one emoji and می‌خواهیم keeps its non-joiner in HTML, Markdown, Mermaid, DOT and
    JSON, as the title was written (Slack's escaping keeps them too: test_digest)."""
    root = copy_example("banco")
    path = root / DISCOVER
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(TITLE, f'title: "{SPELT_WITH_JOINERS}"'), encoding="utf-8")
    result = cli(*command, "--repo", str(root), "--today", DEMO_DAY)
    assert result.exit_code == 0, result.stderr
    shown = (
        json.dumps(json.loads(result.stdout), ensure_ascii=False)
        if "json" in command or "slack" in command
        else result.stdout
    )
    assert "👩\u200d💻" in shown and "می\u200cخواهیم" in shown


# ----- Graphviz decodes entity references in labels -----------------------------------------------------
@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
@pytest.mark.parametrize("title", ["R&amp;D & more", "&lt;b&gt;bold&lt;/b&gt;", "&#65; &#x42; &copy;"])
def test_graphviz_draws_an_entity_in_a_title_literally(cli, copy_example, title):
    root = copy_example("banco")
    retitle(root, title)
    dot_text = cli("map", "--format", "dot", "--repo", str(root), "--today", DEMO_DAY).stdout
    svg = subprocess.run(["dot", "-Tsvg"], input=dot_text.encode(), capture_output=True, check=True).stdout
    drawn = " ".join((node.text or "") for node in ET.fromstring(svg).iter() if node.tag.endswith("text"))
    words = title.split()
    assert all(word in drawn for word in words), drawn


# ----- CI annotations point at the file that has the problem --------------------------------------------
ODD_NAMES = ["a\rb.yaml", "esc\x1bc.yaml", "tab\there.yaml", "new\nline.yaml", "pct%20.yaml", "colon:comma,.yaml"]


def repo_with(tmp_path: Path, copy_example, name: str) -> Path:
    root = copy_example("banco")
    (root / "units" / name).write_text("apiVersion: okrctl/v1\nkind: Unit\nid: odd\nbogus: 1\n", encoding="utf-8")
    return root


def align(cli, root: Path, fmt: str):
    return cli("align", "--repo", str(root), "--today", DEMO_DAY, "--format", fmt)


@pytest.mark.parametrize("name", ODD_NAMES, ids=repr)
def test_sarif_and_gitlab_name_the_real_file(cli, tmp_path, copy_example, name):
    root = repo_with(tmp_path, copy_example, name)
    sarif = json.loads(align(cli, root, "sarif").stdout)
    uris = {
        unquote(location["physicalLocation"]["artifactLocation"]["uri"])
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
    }
    assert f"units/{name}" in uris
    assert all((root / uri).exists() for uri in uris)
    gitlab = json.loads(align(cli, root, "gitlab").stdout)
    paths = {issue["location"]["path"] for issue in gitlab}
    assert f"units/{name}" in paths and all((root / path).exists() for path in paths)


def _unescape_property(value: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, plain)
    return value


@pytest.mark.parametrize("name", ODD_NAMES, ids=repr)
def test_github_annotations_name_the_real_file_or_no_file(cli, tmp_path, copy_example, name):
    root = repo_with(tmp_path, copy_example, name)
    out = align(cli, root, "github").stdout
    files = set()
    for line in out.splitlines():
        assert "\x1b" not in line
        if line.startswith("::") and "file=" in line.split("::")[1]:
            properties = line.split("::")[1].split(" ", 1)[1]
            for item in properties.split(","):
                key, _, value = item.partition("=")
                if key == "file":
                    files.add(_unescape_property(value))
    assert all((root / path).exists() for path in files), files
    if "\x1b" in name or "\t" in name:
        assert "odd" in out or "units/" in out  # the finding is still there, naming the file on the run
        assert f"units/{name}" not in files
    else:
        assert f"units/{name}" in files


# ----- init -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["x" * 2001])
def test_init_refuses_an_organization_the_schema_refuses_and_writes_nothing(cli, tmp_path, name):
    result = cli("init", str(tmp_path / "new"), "--organization", name, "--no-commit")
    assert result.exit_code == 2
    assert result.stderr.startswith("okrctl: --organization: ") and result.stderr.count("\n") == 1
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    "name",
    [
        "Ünïcode Bank",
        "R&D: yes, no",
        "-leading dash",
        "null",
        "True",
        "2026",
        "1e3",
        "0x1F",
        "A\x1b[2J\u202eB",
        "#hash",
    ],
)
def test_any_organization_init_accepts_passes_align(cli, tmp_path, name):
    result = cli("init", str(tmp_path / "new"), "--organization", name, "--no-commit")
    assert result.exit_code == 0, result.stderr
    checked = cli("align", "--repo", str(tmp_path / "new"), "--format", "json")
    assert checked.exit_code == 0, checked.stdout
    for character in ("\x1b", "\u202e"):
        assert character not in result.stdout


def test_an_init_stopped_after_any_file_is_finished_by_running_init_again(cli, tmp_path, monkeypatch):
    import okrctl.scaffold.repo as repo

    real = repo.write_new
    total = 0
    for stop_after in range(0, 12):
        folder = tmp_path / f"stopped-{stop_after}"
        written: list[str] = []

        def stopping(root, rel, text, written=written, stop_after=stop_after, **options):
            if len(written) == stop_after:
                raise KeyboardInterrupt
            written.append(rel)
            return real(root, rel, text, **options)

        monkeypatch.setattr(repo, "write_new", stopping)
        first = cli("init", str(folder), "--organization", "Acme", "--no-commit")
        monkeypatch.setattr(repo, "write_new", real)
        if first.exit_code == 0:
            total = stop_after
            break
        assert first.exit_code == 130
        assert not (folder / "okrctl.yaml").exists()  # the marker comes last: never a half repository
        again = cli("init", str(folder), "--organization", "Acme", "--no-commit")
        assert again.exit_code == 0, again.stderr
        assert cli("align", "--repo", str(folder), "--format", "json").exit_code == 0
    assert total >= 4  # the run above stopped after every file init writes
