"""Text from YAML files is shown literally in every format of `report` and `map`: rich markup is not
interpreted, terminal escapes are removed, HTML / Markdown / Mermaid / DOT escape it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from okrctl.load.pipeline import load_repo
from okrctl.render.formats import formats, renderer
from okrctl.views.map import build_map
from okrctl.views.report import build_report

MAP_FORMATS = formats("map")
REPORT_FORMATS = formats("report")

# As written in the YAML file: a double-quoted scalar where \e is the ESC character.
PLANTED_YAML = r'"<script>alert(1)</script> [bold red]boom[/] \e[31mred\e[0m | *x* _y_ `z` & \"q\" #35; \\n [a](b)"'
PLANTED = '<script>alert(1)</script> [bold red]boom[/] \x1b[31mred\x1b[0m | *x* _y_ `z` & "q" #35; \\n [a](b)'
SHOWN = '<script>alert(1)</script> [bold red]boom[/] red | *x* _y_ `z` & "q" #35; \\n [a](b)'  # escapes gone


@pytest.fixture
def planted(copy_example: Callable[[str], Path]) -> Path:
    """The banco example with the hostile text in a team objective's title, a KR title, a unit
    name and a check-in issue."""
    root = copy_example("banco")

    def plant(path: str, old: str, new: str) -> None:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    plant(
        "okrs/2026-Q4/discover.yaml",
        "title: Make the first week seamless and confidence-boosting for new users",
        f"title: {PLANTED_YAML}",
    )
    plant("okrs/2026-Q4/digital-services.yaml", "title: First-week NPS rises from 20 to 35", f"title: {PLANTED_YAML}")
    plant("units/cards.yaml", "name: Cards", f"name: {PLANTED_YAML}")
    plant(
        "checkins/discover/2026-11-20.yaml",
        "  - Two engineers lent to the card-migration project until end of November",
        f"  - {PLANTED_YAML}",
    )
    return root


def _report_outputs(root: Path) -> dict[str, str]:
    repo = load_repo(root, use_cache=False)
    assert not [f for f in repo.file_findings if f.severity == "error"], repo.file_findings
    view = build_report(repo, today=date(2026, 11, 20), unit="digital-services", with_map=True)
    # wide enough that rich does not wrap the planted text across lines
    return {fmt: renderer("report", fmt)(view, color=False, width=400) for fmt in REPORT_FORMATS}


def _map_outputs(root: Path) -> dict[str, str]:
    view = build_map(load_repo(root, use_cache=False), today=date(2026, 11, 20))
    return {fmt: renderer("map", fmt)(view, color=False, width=400) for fmt in MAP_FORMATS}


def test_the_yaml_really_holds_the_hostile_text(planted: Path) -> None:
    repo = load_repo(planted, use_cache=False)
    assert repo.objective("discover-first-week").title == PLANTED
    assert repo.unit("cards").name == PLANTED


def test_no_format_lets_an_escape_sequence_through(planted: Path) -> None:
    for name, text in {**_report_outputs(planted), **_map_outputs(planted)}.items():
        assert "\x1b" not in text, name


def test_terminal_text_shows_markup_literally(planted: Path) -> None:
    for text in (_report_outputs(planted)["text"], _map_outputs(planted)["text"]):
        assert SHOWN in text
        assert "\x1b" not in text


def test_terminal_text_with_colours_still_shows_markup_literally(planted: Path, monkeypatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")  # rich draws a dumb terminal 80 columns wide
    repo = load_repo(planted, use_cache=False)
    view = build_report(repo, today=date(2026, 11, 20), unit="digital-services")
    coloured = renderer("report", "text")(view, color=True, width=400)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured)  # drop okrctl's own colour codes
    assert "\x1b[31mred" not in coloured
    assert SHOWN in plain


def test_markdown_escapes_the_text(planted: Path) -> None:
    text = _report_outputs(planted)["markdown"]
    escaped = (
        r'\<script\>alert(1)\</script\> \[bold red\]boom\[/\] red \| \*x\* \_y\_ \`z\` &amp; "q" \#35; \\n \[a\](b)'
    )
    assert escaped in text  # in table cells: the pipe escaped there
    assert "<script>" not in text
    html = _github(text)  # as GitHub shows it: the text, literally, in its cell
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [bold red]boom[/] red | *x* _y_ `z` &amp; &quot;q&quot; #35;" in html
    for line in text.splitlines():  # every table row keeps its column count
        if line.startswith("| ") and "alert" in line:
            assert line.count(" | ") == line.replace("\\|", "").count(" | ")


def test_html_escapes_the_text_everywhere(planted: Path) -> None:
    text = _report_outputs(planted)["html"]
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [bold red]boom[/] red | *x* _y_ `z` &amp; &quot;q&quot; #35;" in text
    assert '"q"' not in text  # quotes escaped, so no attribute can be closed early
    # attributes and SVG tooltips carry the escaped text too
    assert re.search(r'aria-label="[^"]*&lt;script', text) or re.search(r"<title>[^<]*&lt;script", text)


def test_json_keeps_the_text_as_data(planted: Path) -> None:
    report = json.loads(_report_outputs(planted)["json"])
    titles = [c["title"] for o in report["objectives"] for c in o["contributors"]]
    assert PLANTED in titles  # faithful data for other tools; JSON escapes ESC as \u001b
    amap = json.loads(_map_outputs(planted)["json"])
    assert PLANTED in [n["title"] for n in amap["nodes"]]


def test_mermaid_labels_cannot_be_broken_out_of(planted: Path) -> None:
    text = _map_outputs(planted)["mermaid"]
    assert "#lt;script#gt;alert(1)#lt;/script#gt;" in text
    assert "#quot;q#quot;" in text and "#35;35;" in text
    for line in text.splitlines():
        if '["' in line:  # a node: exactly one quoted label, closed at the end of the line
            assert line.count('"') == 2 and line.endswith('"]'), line
        assert "<script" not in line


def test_dot_strings_are_escaped(planted: Path) -> None:
    text = _map_outputs(planted)["dot"]
    assert r"\"q\"" in text and r"#35; \\n [a](b)" in text
    for line in text.splitlines():
        # every double quote is either escaped or a string delimiter: unescaped ones come in pairs
        assert len(re.findall(r'(?<!\\)"', line.replace("\\\\", ""))) % 2 == 0, line


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_graphviz_reads_the_dot_and_draws_the_text_literally(planted: Path) -> None:
    text = _map_outputs(planted)["dot"]
    svg = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=True).stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def _github(markdown: str) -> str:
    """The HTML GitHub makes of ``markdown`` (cmark-gfm, the library GitHub renders with)."""
    import cmarkgfm  # in the test extra: never skipped

    return cmarkgfm.github_flavored_markdown_to_html(markdown)


def test_a_pipe_in_a_line_of_markdown_stays_a_pipe_in_a_link_github_makes() -> None:
    """GitHub makes a link of a bare URL; a pipe escaped as ``\\|`` or ``&#124;`` would stay in it."""
    from okrctl.render.escape import md, md_code

    html = _github(f"- {md('see http://evil.example/a|b here')} {md_code('team|x')}\n")
    assert '<a href="http://evil.example/a%7Cb">http://evil.example/a|b</a> here' in html
    assert "<code>team|x</code>" in html


@pytest.mark.parametrize(
    ("text", "address", "href"),
    [
        ("“see https://e.example/TAX_RULES-1?a=1&b=2#c~3”", "https://e.example/TAX_RULES-1?a=1&b=2#c~3", None),
        ("(https://evil.example/?a=1&b=2), then *more*.", "https://evil.example/?a=1&b=2", None),
        ("see https://e.example/wiki/A_(b)_c!", "https://e.example/wiki/A_(b)_c", None),
        ("kept: https://e.example/$x+y*z&copy;d.", "https://e.example/$x+y*z&copy;d", None),
        ("- www.example.com/a_b#d, then", "www.example.com/a_b#d", "http://www.example.com/a_b#d"),
        ("see https://www.npmjs.com/package/@babel/core.", "https://www.npmjs.com/package/@babel/core", None),
        ("on www.youtube.com/@bank", "www.youtube.com/@bank", "http://www.youtube.com/@bank"),
    ],
)
def test_a_web_address_in_markdown_is_a_link_github_keeps_whole(text: str, address: str, href: str | None) -> None:
    """GitHub links a bare address from the Markdown source, where the escapes of "_", "&", "#" and
    the like would stay in the link and in its text ("TAX\\_RULES", "&amp;amp;"), and a "”" or a
    ")" after it would join it. In the report, the retro and the plan alike, the link goes to the
    address as written, and the text reads as written."""
    import html as html_module

    from okrctl.render.escape import md as report_md
    from okrctl.render.outline import md as outline_md

    assert outline_md(text) == report_md(text)
    for line in (f"- {report_md(text)}\n", f"{report_md(text)}\n"):
        rendered = _github(line)
        link = f'<a href="{html_module.escape(href or address)}">{html_module.escape(address)}</a>'
        assert rendered.count("<a ") == 1 and link in rendered, (line, rendered)
        assert html_module.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == text, (line, rendered)


def test_an_address_with_an_at_in_it_links_to_itself_in_report_and_plan_markdown(cli, copy_example, git_repo) -> None:
    """The word joiner that keeps an "@all" from mentioning anyone was written after the "@" of
    "/@" inside a link too: an issue "Blocked by https://www.npmjs.com/package/@babel/core" in
    ``report --format markdown`` linked to "…/@%E2%81%A0babel/core", a page that does not exist, and
    an objective titled "… (https://medium.com/@cards/x)" did so in ``plan``. The links now go to
    the addresses as written, and the "@all" beside them still mentions nobody."""
    import html as html_module

    root = copy_example("banco")
    issue = "Blocked by https://www.npmjs.com/package/@babel/core and www.youtube.com/@bank, cc @all"
    checkin = root / "checkins/discover/2026-11-20.yaml"
    checkin.write_text(
        checkin.read_text("utf-8").replace(
            "Two engineers lent to the card-migration project until end of November", issue
        ),
        encoding="utf-8",
    )
    cards = root / "okrs/2026-Q4/cards.yaml"
    title = "title: Make the first card moment a reason new customers recommend us in week one"
    cards.write_text(
        cards.read_text("utf-8").replace(title, f"{title} (https://medium.com/@cards/x)"), encoding="utf-8"
    )
    git_repo(root)
    day = ("--today", "2026-11-20", "--format", "markdown")
    report = cli("report", "--repo", str(root), "--unit", "discover", *day)
    plan = cli("plan", "--repo", str(root), "--team", "discover", "--cycle", "2026-Q4", *day)
    assert report.exit_code == 0 and plan.exit_code == 0, report.output + plan.output
    assert "cc @\u2060all" in report.stdout
    expected = [
        (
            report.stdout,
            [
                ("https://www.npmjs.com/package/@babel/core", "https://www.npmjs.com/package/@babel/core"),
                ("http://www.youtube.com/@bank", "www.youtube.com/@bank"),
            ],
        ),
        (plan.stdout, [("https://medium.com/@cards/x", "https://medium.com/@cards/x")]),
    ]
    for markdown, links in expected:
        shown = _github(markdown)
        for href, text in links:
            assert f'<a href="{html_module.escape(href)}">{html_module.escape(text)}</a>' in shown, markdown
        assert "%E2%81%A0" not in shown and not re.search("<a [^>]*>[^<]*\u2060", shown), markdown


def test_a_pipe_in_a_markdown_table_cell_stays_in_its_cell() -> None:
    """In a cell the pipe is escaped, in text, a link GitHub makes and a code span alike."""
    from okrctl.render.escape import md, md_code, md_row

    table = "\n".join(
        [
            md_row("a", "b", "c"),
            md_row("---", "---", "---"),
            md_row(md("x | y"), md("http://e.example/a|b"), md_code("k|r") + " " + md("back\\|slash")),
        ]
    )
    html = _github(table + "\n")
    assert html.count("<td>") == 3
    assert "<td>x | y</td>" in html
    assert '<td><a href="http://e.example/a%7Cb">http://e.example/a|b</a></td>' in html
    assert "<td><code>k|r</code> back\\|slash</td>" in html


@pytest.mark.parametrize("text", ["---|---", "|---|---|", ":-- | --:", "---", "==="])
def test_a_line_of_dashes_and_pipes_makes_no_table_or_heading_of_the_line_above(text: str) -> None:
    from okrctl.render.escape import md
    from okrctl.render.outline import md as outline_md

    for escape in (md, outline_md):
        html = _github(f"{escape('a | b')}\n{escape(text)}\n")
        assert "<table>" not in html and "<h" not in html and "<hr" not in html
        assert f"<p>a | b\n{text}</p>" in html


def test_retro_and_plan_markdown_write_pipes_and_joiners_as_the_report_does() -> None:
    from okrctl.render.escape import md as report_md
    from okrctl.render.outline import md as outline_md

    title = "Make 👩\u200d💻 week | seamless"
    assert outline_md(title) == "Make 👩\u200d💻 week | seamless" == report_md(title)


@pytest.mark.parametrize(
    "text", ["{curly} |pipe| #35; +x !y", "# heading", "+ item", "![img](http://e.example/x.png)", "{: .class}"]
)
def test_retro_and_plan_markdown_escape_what_the_reports_markdown_escapes(text: str) -> None:
    """The outline (plan, retro) and the report write the same escapes, and GitHub shows the text
    as written, in a list item and on a line of its own."""
    import html as html_module

    from okrctl.render.escape import md as report_md
    from okrctl.render.outline import md as outline_md

    assert outline_md(text) == report_md(text)
    for escape in (outline_md, report_md):
        for line in (f"- {escape(text)}\n", f"{escape(text)}\n"):
            rendered = _github(line)
            assert html_module.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == text, (line, rendered)


HIDDEN = "\x9b2J\x9d0;x\x07 \u202eevil\u202c \u200bMake the first card moment"


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["report", "--no-history"],
        ["map"],
        ["trends"],
        ["retro", "--team", "cards"],
        ["plan", "--team", "cards"],
        ["align"],
        ["rules"],
    ],
    ids=lambda a: a[0],
)
def test_json_carries_hidden_and_controlling_characters_escaped_never_raw(cli, copy_example, args) -> None:
    """C1 controls (CSI, OSC), bidi overrides and zero-width characters of a title reached standard
    output raw in every --format json, where a terminal obeys or hides them. They are \\uXXXX
    escapes: a program reads the exact title, a terminal shows none of them."""
    root = copy_example("banco")
    cards = root / "okrs/2026-Q4/cards.yaml"
    text = cards.read_text(encoding="utf-8")
    title = "title: " + json.dumps(HIDDEN)
    cards.write_text(re.sub(r"^title: .*$", lambda _m: title, text, count=1, flags=re.M), "utf-8")
    result = cli(*args, "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    assert not re.search("[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", result.stdout)
    payload = json.loads(result.stdout)
    if args[0] in ("status", "report", "retro"):  # the title as written, its controls included
        assert "\x9b2J\x9d0;x\\u0007 \u202eevil\u202c" in json.dumps(payload, ensure_ascii=False)


def test_the_pages_policy_forbids_every_load_but_their_own_style(tmp_path: Path) -> None:
    """docs/report.md: "no script, no font, no image, no link; a Content-Security-Policy that
    forbids all of them". The policy let ``data:`` images in (``img-src data:``), though no page
    holds one: every source but the inline style falls to ``default-src 'none'``."""
    from typer.testing import CliRunner

    from okrctl.cli.app import app
    from tests.conftest import DEMO_DAY, EXAMPLES

    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["report", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY, "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    [policy] = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert sorted(part.strip() for part in policy.split(";")) == ["default-src 'none'", "style-src 'unsafe-inline'"]
    assert "<img" not in html and "data:" not in html
