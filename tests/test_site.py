"""`okrctl site OUTDIR`: the static website of the whole organisation, tested like a website."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from okrctl.cli.app import app
from okrctl.fsutil import replace_folder
from tests.conftest import DEMO_DAY, EXAMPLES

BANCO = str(EXAMPLES / "banco")


def build(outdir: Path, *args: str, repo: str = BANCO) -> object:
    return CliRunner().invoke(app, ["site", str(outdir), "--repo", repo, "--today", DEMO_DAY, "--no-history", *args])


@pytest.fixture(scope="module")
def banco_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("site") / "public"
    result = build(outdir)
    assert result.exit_code == 0, result.output
    return outdir


# ----- a crawl: every page parsed, every internal link followed ------------------------------------------
class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.loads: list[str] = []  # anything a browser would fetch
        self.ids: set[str] = set()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("src", "srcset", "data", "poster"):
            if values.get(name):
                self.loads.append(values[name] or "")
        if tag == "link" and values.get("href"):
            self.loads.append(values["href"] or "")


def crawl(site: Path) -> tuple[dict[str, Page], list[str], int]:
    """Every page of the site parsed; the broken internal links; how many internal links there are."""
    pages = {p.relative_to(site).as_posix(): p for p in site.rglob("*.html")}
    parsed: dict[str, Page] = {}
    for name, path in pages.items():
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        parsed[name] = page
    broken, internal = [], 0
    for name, page in parsed.items():
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # an outside address (a backlog link, a --link-base source link)
            internal += 1
            target = name if not parts.path else (Path(name).parent / unquote(parts.path)).as_posix()
            target = os.path.normpath(target)
            if target not in parsed:
                broken.append(f"{name}: {href} (no page {target})")
            elif parts.fragment and parts.fragment not in parsed[target].ids:
                broken.append(f"{name}: {href} (no id {parts.fragment} in {target})")
    return parsed, broken, internal


def test_the_site_has_a_page_for_everything(banco_site: Path) -> None:
    names = sorted(p.relative_to(banco_site).as_posix() for p in banco_site.rglob("*.html"))
    teams = ["cards", "core-platform", "discover", "identity-platform", "small-business-app"]
    objectives = [
        "digital-first-week", "discover-first-week", "first-card-moment", "identity-fast-kyc",
        "resilient-core-services", "resilient-digital-channels", "sme-bank-of-choice", "sme-digital-banking",
        "sme-open-in-app",
    ]  # fmt: skip
    assert names == sorted(
        ["index.html", "map.html", "trends.html", "align.html", "directory.html", "units/digital-services.html"]
        + [f"teams/{t}.html" for t in teams]
        + [f"objectives/{o}.html" for o in objectives]
    )
    assert (banco_site / ".okrctl-site").read_text(encoding="utf-8").startswith("okrctl site\n")


def test_a_crawl_finds_no_broken_link_and_nothing_to_fetch(banco_site: Path) -> None:
    parsed, broken, internal = crawl(banco_site)
    assert broken == []
    assert internal > 200, internal
    for name, page in parsed.items():
        assert page.loads == [], f"{name} loads {page.loads}"
        assert "script" not in page.tags, name
    # Every page is reachable from the index.
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        name = todo.pop()
        for href in parsed[name].links:
            parts = urlsplit(href)
            if parts.scheme or not parts.path:
                continue
            target = os.path.normpath((Path(name).parent / parts.path).as_posix())
            if target in parsed and target not in seen:
                seen.add(target)
                todo.append(target)
    assert seen == set(parsed)


def test_the_index_is_the_organisations_report(banco_site: Path) -> None:
    index = (banco_site / "index.html").read_text(encoding="utf-8")
    assert "9 objectives in 2026-Q4: 5 on track, 3 at risk, 1 off track, 0 with no check-in" in index
    assert "Banking that fits in a pocket" in index and "Lending products for large corporates" in index
    assert index.count('<svg class="krchart"') == 7  # the key results of the three objectives serving priorities


def test_every_box_of_the_map_links_to_its_page(banco_site: Path) -> None:
    page = (banco_site / "map.html").read_text(encoding="utf-8")
    svg = page[page.index('<svg class="map"') : page.index("</svg>", page.index('<svg class="map"'))]
    boxes = re.findall(r'<a href="([^"]+)"><g class="node">', svg)
    assert len(boxes) == re.subn(r'<g class="node">', "", svg)[1] == 12  # 3 priorities + 9 objectives
    assert sum(b.startswith("objectives/") for b in boxes) == 9
    assert sum(b.startswith("index.html#priority-") for b in boxes) == 3
    # A box's name (its <title>, the link's name to a screen reader) says what the box shows.
    assert '<g class="node"><title>discover-first-week: ' in svg
    names = re.findall(r'<g class="node"><title>([^<]*)</title><rect[^>]*stroke-width="1.5"/><rect', svg)
    assert len(names) == 9 and all(re.search(r"\((.+); .+ · confidence .+\)$", n) for n in names), names
    assert any(n.endswith("(Discover; on track · confidence 8/10)") for n in names), names


def test_a_team_page_has_status_charts_checkins_and_retros(banco_site: Path) -> None:
    page = (banco_site / "teams/discover.html").read_text(encoding="utf-8")
    assert page.count('<svg class="krchart"') == 3
    assert page.count('<tr><td class="date" data-label="Date">') == 8  # the eight check-ins of the cycle
    assert "G: confidence" in page and "I: issues" in page and "P: plan" in page
    assert "Mid-cycle retro" in page


def test_the_company_and_a_business_unit_show_their_own_check_ins_and_retros(
    tmp_path: Path, copy_example, git_repo
) -> None:
    """The company's and Digital Services' own check-ins (their plans), and the company's end retro
    with the score it sets by hand and why, were on no page: the index and the unit's page show them
    as a team's page does. A unit that owns no objective and wrote neither gets no empty log."""
    root = copy_example("banco")
    (root / "retros" / "2026-Q4" / "banco-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: banco\ncycle: 2026-Q4\nstage: end\ndate: 2026-12-31\n"
        "attractors:\n  - Fee-free first year\ndetractors:\n  - Multi-director KYC came late\n"
        "scores:\n  new-sme-customers: {score: 0.95, reason: Counted late signups}\n",
        encoding="utf-8",
    )
    (root / "units" / "operations.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: operations\nname: Operations\ntype: business-unit\nparent: banco\n",
        encoding="utf-8",
    )
    git_repo(root)
    outdir = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["site", str(outdir), "--repo", str(root), "--today", "2026-12-31", "--no-history"]
    )
    assert result.exit_code == 0, result.output
    index = (outdir / "index.html").read_text(encoding="utf-8")
    assert "<h2>Check-ins (GRIP) of <bdi>Banco Exemplo</bdi></h2>" in index
    assert (
        "<li><bdi>Review the December target for new small-business customers at the next monthly review</bdi></li>"
        in index
    )
    assert "<h2>Retrospectives of <bdi>Banco Exemplo</bdi></h2>" in index and "End retro, 2026-12-31" in index
    assert (
        '<li><code>new-sme-customers</code> 0.95 <span class="meta">— <bdi>Counted late signups</bdi></span></li>'
        in index
    )
    assert "<li><bdi>Multi-director KYC came late</bdi></li>" in index
    unit = (outdir / "units" / "digital-services.html").read_text(encoding="utf-8")
    assert "<h2>Check-ins (GRIP) of <bdi>Digital Services</bdi></h2>" in unit
    assert "<li><bdi>Move one engineer from Cards to the Small Business App until year end</bdi></li>" in unit
    assert "No retrospective written in this cycle." in unit
    # Each log once, before the page's footer; the other units' logs are on their own pages.
    for page in (index, unit):
        assert page.count('id="checkins"') == page.count('id="retros"') == 1
        assert page.index('id="retros"') < page.index("<footer>")
    assert "Move one engineer from Cards" not in index
    assert 'id="checkins"' not in (outdir / "units" / "operations.html").read_text(encoding="utf-8")


def test_the_trends_page_gives_each_slope_as_okrctl_trends_and_status_do(banco_site: Path, cli) -> None:
    """Small Business App's confidence falls 0.23 a week (`okrctl trends`, `okrctl status`); the
    site's trends page said "−0.2 a week", and Discover's +0.06 read "+0.1"."""
    from okrctl.render.numbers import slope

    page = (banco_site / "trends.html").read_text(encoding="utf-8")
    trends = json.loads(cli("trends", "--repo", BANCO, "--today", DEMO_DAY, "--format", "json").stdout)
    for team in trends["teams"]:
        shown = slope(team["slope_per_week"])  # as the /week column of `okrctl trends`
        assert f"trend {shown} a week" in page, (team["owner"], shown)
    assert "trend −0.23 a week" in page and "trend +0.06 a week" in page


def test_the_findings_page_lists_each_finding_with_its_place(tmp_path: Path, copy_example) -> None:
    root = copy_example("banco")
    path = root / "okrs/2026-Q4/cards.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("  - {to: digital-first-week/nps, type: explicit}\n", "")
        .replace("aligns:\n", ""),
        encoding="utf-8",
    )
    result = build(tmp_path / "public", repo=str(root))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "public" / "align.html").read_text(encoding="utf-8")
    assert "<code>OKR201</code>" in page and "<bdi>okrs/2026-Q4/cards.yaml</bdi>:" in page
    assert "0 errors, 1 warning, 0 info" in page


def test_the_findings_page_shows_align(banco_site: Path) -> None:
    page = (banco_site / "align.html").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["align", "--repo", BANCO, "--today", DEMO_DAY, "--no-history", "-f", "json"])
    import json

    findings = json.loads(result.stdout)["findings"]
    assert page.count('<td data-label="Code">') == len(findings)
    for finding in findings:
        assert finding["code"] in page


def test_without_the_history_the_findings_page_says_okr601_was_not_checked(
    tmp_path: Path, copy_example, git_repo
) -> None:
    """A target cut after its cycle started is an OKR601 warning on the findings page. With
    ``--no-history`` (or outside git) the rule does not run: the page said "No finding: every file
    is valid and every rule passes"; it now says OKR601 was not checked, and why, as the reports
    say "Moved targets were not read"."""
    from tests.helpers_git import commit_at, edit

    root = git_repo(copy_example("banco"), commit=False)
    commit_at(root, "2026-10-01", "initial")
    edit(root / "okrs/2026-Q4/discover.yaml", r"    target: 90", "    target: 80")
    commit_at(root, "2026-11-02", "cut the onboarding target")
    full = tmp_path / "full"
    result = CliRunner().invoke(app, ["site", str(full), "--repo", str(root), "--today", DEMO_DAY])
    assert result.exit_code == 0, result.output
    page = (full / "align.html").read_text(encoding="utf-8")
    assert "<code>OKR601</code>" in page and "0 errors, 1 warning, 0 info" in page
    assert "not checked" not in page

    quick = tmp_path / "quick"
    result = CliRunner().invoke(app, ["site", str(quick), "--repo", str(root), "--today", DEMO_DAY, "--no-history"])
    assert result.exit_code == 0, result.output
    page = (quick / "align.html").read_text(encoding="utf-8")
    assert (
        '<p class="meta">OKR601 (moved targets) was not checked: the git history was not read '
        "(<code>--no-history</code>).</p>" in page
    )
    assert "every rule passes" not in page
    assert "No finding: every file is valid and every other rule passes." in page

    shutil.rmtree(root / ".git")  # the same folder, copied out of git
    outside = tmp_path / "outside"
    result = CliRunner().invoke(app, ["site", str(outside), "--repo", str(root), "--today", DEMO_DAY])
    assert result.exit_code == 0, result.output
    page = (outside / "align.html").read_text(encoding="utf-8")
    assert "OKR601 (moved targets) was not checked: the git history was not read (not a git repository)." in page
    assert "every rule passes" not in page


# ----- the output folder ---------------------------------------------------------------------------------
def test_a_folder_not_written_by_site_is_refused_untouched(tmp_path: Path) -> None:
    outdir = tmp_path / "docs"
    outdir.mkdir()
    (outdir / "notes.md").write_text("mine\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = build(outdir)
    assert result.exit_code == 2
    assert "was not written by 'okrctl site'" in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert (outdir / "notes.md").read_text(encoding="utf-8") == "mine\n"


def test_a_file_or_a_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert build(tmp_path / "file").exit_code == 2
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    result = build(tmp_path / "link")
    assert result.exit_code == 2 and "symbolic link" in result.output


def test_an_empty_folder_is_used_and_a_rebuild_replaces_the_whole_site(tmp_path: Path) -> None:
    outdir = tmp_path / "public"
    outdir.mkdir()
    assert build(outdir).exit_code == 0
    (outdir / "teams" / "gone.html").write_text("left over\n", encoding="utf-8")
    inode = outdir.stat().st_ino
    result = build(outdir)
    assert result.exit_code == 0, result.output
    assert not (outdir / "teams" / "gone.html").exists()
    assert (outdir / "index.html").exists()
    assert outdir.stat().st_ino != inode  # a new folder took the old one's place
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # no building or previous folder left


def _another_group() -> int | None:
    """A group this user may give a folder other than the one it gets (root gives any), or None."""
    mine = os.getegid()
    if os.geteuid() == 0:
        return 1 if mine != 1 else 2
    return next((group for group in os.getgroups() if group != mine), None)


@pytest.mark.parametrize("mode", [0o750, 0o700, 0o555])
def test_a_rebuild_keeps_the_mode_of_the_folder_it_replaces(tmp_path: Path, mode: int) -> None:
    """A site kept at 0750 came back 0755 from every rebuild: readable by everyone again. A
    replaced file (``--output``) keeps its mode; the folder of a site keeps its own alike, even
    one its owner may not write (0555), which the build fills before giving it that mode."""
    outdir = tmp_path / "public"
    assert build(outdir).exit_code == 0
    outdir.chmod(mode)
    result = build(outdir)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(outdir.stat().st_mode) == mode
    assert (outdir / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # the previous site is gone, even a read-only one


@pytest.mark.skipif(_another_group() is None, reason="this user may give no other group")
def test_a_rebuild_keeps_the_group_and_setgid_bit_a_web_server_reads_the_site_through(tmp_path: Path) -> None:
    """A shared folder (chmod 2770, chgrp www) came back 0755 and of the user's own group: the web
    server's group lost it. The new folder takes the group and setgid bit, and so what it holds."""
    group = _another_group()
    assert group is not None
    outdir = tmp_path / "public"
    assert build(outdir).exit_code == 0
    os.chown(outdir, -1, group)
    outdir.chmod(0o2770)
    result = build(outdir)
    assert result.exit_code == 0, result.output
    info = outdir.stat()
    assert (stat.S_IMODE(info.st_mode), info.st_gid) == (0o2770, group)
    assert {p.stat().st_gid for p in outdir.rglob("*")} == {group}


@pytest.mark.skipif(_another_group() is None, reason="this user may give no other group")
def test_a_first_build_in_a_setgid_folder_gets_its_group_and_setgid_bit_as_mkdir_does(tmp_path: Path) -> None:
    group = _another_group()
    assert group is not None
    shared = tmp_path / "www"
    shared.mkdir()
    os.chown(shared, -1, group)
    shared.chmod(0o2775)
    old = os.umask(0o022)
    try:
        result = build(shared / "public")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    info = (shared / "public").stat()
    assert (stat.S_IMODE(info.st_mode), info.st_gid) == (0o2755, group)


@pytest.mark.parametrize("spelling", [".", "ABSOLUTE", "sub/..", "new/..", "a/b/../.."])
def test_the_folder_okrctl_runs_in_is_refused_with_why(tmp_path: Path, monkeypatch, spelling: str) -> None:
    """``okrctl site .`` built its hidden folder inside '.' and refused the site for it ("holds
    ./..building-…"), or called an empty '.' "not written by okrctl site": replaced as a whole, the
    folder the shell is in would be gone from under it."""
    outdir = tmp_path / "public"
    assert build(outdir).exit_code == 0
    (outdir / "sub").mkdir()
    monkeypatch.chdir(outdir)
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    result = build(Path(str(outdir) if spelling == "ABSOLUTE" else spelling))
    assert result.exit_code == 2, result.output
    assert "is the folder okrctl runs in, or holds it" in result.stderr
    assert "building" not in result.stderr and "not written by" not in result.stderr
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == before


def test_a_site_is_built_from_a_working_folder_that_was_removed(tmp_path: Path, monkeypatch) -> None:
    """The check for the folder okrctl runs in asked for it first: "okrctl: No such file or
    directory", exit 2, where the site was built before."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = build(tmp_path / "public")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "public" / "index.html").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["site", "public", "--repo", BANCO],
        ["report", "--repo", BANCO, "--format", "html", "--output", "r.html"],
        ["schema", "--output", "x.json"],
        ["init", "newrepo"],
        ["align"],
    ],
    ids=lambda a: a[0],
)
def test_a_relative_path_from_a_removed_working_folder_is_said_in_one_line(
    tmp_path: Path, monkeypatch, args: list[str]
) -> None:
    """Each said "okrctl: No such file or directory", naming nothing."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = CliRunner().invoke(app, [*args, "--today", DEMO_DAY])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "okrctl: the folder okrctl runs in no longer exists (removed after the shell entered it): "
        "cd to a folder that exists, or give absolute paths\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_empty_outdir_is_no_folder_name(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["site", "", "--repo", BANCO, "--today", DEMO_DAY])
    assert result.exit_code == 2
    assert result.stderr == "okrctl: OUTDIR: '' is no folder name (the folder to write the site to)\n"
    assert list(tmp_path.iterdir()) == []


def test_a_dash_outdir_is_standard_output_refused_and_dot_slash_dash_is_a_folder(tmp_path: Path, monkeypatch) -> None:
    """``site -`` wrote a folder named '-', where '-' names standard output in every other command."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["site", "-", "--repo", BANCO, "--today", DEMO_DAY])
    assert result.exit_code == 2
    assert result.stderr.startswith("okrctl: OUTDIR: '-' is standard output") and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    result = CliRunner().invoke(app, ["site", "./-", "--repo", BANCO, "--today", DEMO_DAY])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "-" / "index.html").is_file()


def test_a_failed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    outdir = tmp_path / "public"
    outdir.mkdir()
    (outdir / "index.html").write_text("previous\n", encoding="utf-8")

    def fail(folder: Path) -> None:
        (folder / "index.html").write_text("half\n", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        replace_folder(outdir, fail)
    assert (outdir / "index.html").read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


# ----- two builds at once, killed builds -------------------------------------------------------------------
def _page(text: str):
    def fill(folder: Path) -> None:
        (folder / "index.html").write_text(text, encoding="utf-8")
        (folder / ".okrctl-site").write_text("okrctl site\n", encoding="utf-8")

    return fill


def _other_build_when(monkeypatch: pytest.MonkeyPatch, outdir: Path, moment: str, fill) -> None:
    """Run another whole build of ``outdir`` (``fill``) at one exact moment of this one's: right
    before it renames its folder to ``outdir`` ("in"), or right after it moved the previous folder
    aside ("aside"). Deterministic: a hook on ``os.rename``, no timing."""
    real_rename = os.rename
    done: list[bool] = []

    def rename(source, target) -> None:
        if not done and moment == "in" and Path(target) == outdir:
            done.append(True)
            replace_folder(outdir, fill)
        real_rename(source, target)
        if not done and moment == "aside" and Path(source) == outdir:
            done.append(True)
            replace_folder(outdir, fill)

    monkeypatch.setattr(os, "rename", rename)


@pytest.mark.parametrize(
    ("moment", "exchange"),
    [("in", True), ("in", False), ("aside", False)],
    ids=["new-folder-exchange", "new-folder-two-renames", "while-the-old-one-is-aside"],
)
def test_two_builds_into_one_folder_at_once_both_end_with_a_whole_folder(tmp_path, monkeypatch, moment, exchange):
    """Both builds succeed: the one that comes second replaces the first one's folder as a rebuild
    does (it was 'Directory not empty'). ``exchange`` False is a system without RENAME_EXCHANGE."""
    from okrctl import fsutil

    outdir = tmp_path / "public"
    if moment == "aside":
        replace_folder(outdir, _page("previous\n"))
    if not exchange:
        monkeypatch.setattr(fsutil, "exchange", lambda first, second: False)
    _other_build_when(monkeypatch, outdir, moment, _page("the other build\n"))
    replace_folder(outdir, _page("this build\n"))
    assert (outdir / "index.html").read_text(encoding="utf-8") == "this build\n"
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # no building or previous folder left


# Two okrctl processes that meet right before each renames its finished folder to OUTDIR: the
# build that comes second finds OUTDIR taken (a new folder) or changed (a rebuild) at that moment.
_MEET_BEFORE_PLACING = """
import os, sys, time
from pathlib import Path
from okrctl import fsutil
from okrctl.cli.entry import main

meeting, outdir = Path(sys.argv[1]), os.path.abspath(sys.argv[2])
real_rename, real_exchange = os.rename, fsutil.exchange

def meet(target):
    if os.path.abspath(target) == outdir and not (meeting / str(os.getpid())).exists():
        (meeting / str(os.getpid())).touch()
        deadline = time.monotonic() + 20
        while len(list(meeting.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)

def rename(source, target):
    meet(target)
    real_rename(source, target)

def exchange(first, second):
    meet(second)
    return real_exchange(first, second)

os.rename, fsutil.exchange = rename, exchange
sys.argv = ["okrctl", *sys.argv[3:]]
main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "rebuild"])
def test_two_okrctl_processes_building_one_site_at_once_both_succeed(tmp_path, existing):
    """What the hook above forces in one process, with two: both exit 0 and a whole site is left,
    with nothing else beside it (the second of two new-folder builds failed: 'Directory not empty')."""
    import sys

    from tests.conftest import ROOT

    outdir = tmp_path / "out" / "public"
    outdir.parent.mkdir()
    if existing:
        assert build(outdir).exit_code == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OKRCTL_CACHE_DIR": str(tmp_path / "store")}
    env.pop("OKRCTL_NO_CACHE", None)  # one store for both, as two builds on one machine have
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    site = ["site", str(outdir), "--repo", BANCO, "--today", DEMO_DAY, "--no-history"]
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _MEET_BEFORE_PLACING, str(meeting), str(outdir), *site],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outcomes = [(run.wait(timeout=120), *(part.decode() for part in run.communicate())) for run in runs]
    assert len(list(meeting.iterdir())) == 2  # both reached the rename, and waited for each other
    assert [code for code, _, _ in outcomes] == [0, 0], outcomes
    assert all("wrote 20 pages" in out and err == "" for _, out, err in outcomes), outcomes
    assert [p.name for p in outdir.parent.iterdir()] == ["public"]
    assert (outdir / ".okrctl-site").is_file() and len(list(outdir.rglob("*.html"))) == 20


def test_a_site_another_build_put_in_place_meanwhile_is_replaced_by_this_one(tmp_path, monkeypatch):
    outdir = tmp_path / "public"
    _other_build_when(monkeypatch, outdir, "in", _page("the other build\n"))
    result = build(outdir)
    assert result.exit_code == 0, result.output
    assert "the other build" not in (outdir / "index.html").read_text(encoding="utf-8")
    assert (outdir / "teams").is_dir() and (outdir / ".okrctl-site").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_a_foreign_folder_that_appeared_meanwhile_is_refused_untouched(tmp_path, monkeypatch):
    """Someone made OUTDIR (their own files) while the site was built: refused with one line, exit 2,
    their folder untouched, this build's folder removed."""
    outdir = tmp_path / "public"
    real_rename = os.rename

    def rename(source, target) -> None:
        if Path(target) == outdir and not outdir.exists():
            outdir.mkdir()
            (outdir / "notes.md").write_text("mine\n", encoding="utf-8")
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    result = build(outdir)
    assert result.exit_code == 2
    assert result.output == (
        f"okrctl: {outdir}: exists and was not written by 'okrctl site' (no .okrctl-site); refusing to replace it\n"
    )
    assert [p.name for p in outdir.iterdir()] == ["notes.md"]
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_a_build_that_other_builds_keep_displacing_stops_with_one_line(tmp_path, monkeypatch):
    import errno

    outdir = tmp_path / "public"
    real_rename = os.rename

    def rename(source, target) -> None:
        if Path(target) == outdir:
            raise OSError(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY), str(target))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    result = build(outdir)
    assert result.exit_code == 1
    assert result.output == (
        f"okrctl: {outdir}: cannot be written: other builds kept replacing it at the same time; "
        "this build was not put in place; nothing was written\n"
    )
    assert list(tmp_path.iterdir()) == []


_KILLED_WHILE_BUILDING = """
import os, signal, sys
import okrctl.render.site as pages

real = pages.site_pages


def site_pages(*args, **kwargs):
    for number, page in enumerate(real(*args, **kwargs)):
        if number == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        yield page


pages.site_pages = site_pages
from okrctl.cli.entry import main

sys.argv = ["okrctl", *sys.argv[1:]]
main()
"""


def _age(path: Path, hours: float = 2) -> None:
    import time

    then = time.time() - hours * 3600
    os.utime(path, (then, then), follow_symlinks=False)


@pytest.mark.slow
def test_what_killed_builds_left_is_removed_by_the_next_build(tmp_path):
    """A build killed with SIGKILL leaves its hidden folder (nothing can run at a SIGKILL); the next
    build into the same OUTDIR removes such folders once an hour old, and nothing else: not a
    fresh one, a locked one (a build under way), a link, or another OUTDIR's."""
    import fcntl
    import sys

    outdir = tmp_path / "public"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "OKRCTL_NO_CACHE": "1"}
    command = [sys.executable, "-c", _KILLED_WHILE_BUILDING, "site", str(outdir), "--repo", BANCO]
    killed = subprocess.run(
        [*command, "--today", DEMO_DAY, "--no-history"], env=env, capture_output=True, text=True, check=False
    )
    assert killed.returncode == -9, killed.stderr
    left = [p for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].name.startswith(".public.building-") and any(left[0].iterdir())
    _age(left[0])
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep\n", encoding="utf-8")
    kept = {
        ".public.building-fresh000": "fresh",
        ".public.building-l1nk0000": "link",
        ".public.building-l0cked00": "locked",
        ".public.building-toolong123": "other name",
        ".site.building-abcdefgh": "another OUTDIR",
        ".public.previous-n0tafold": "a file",
    }
    for name, what in kept.items():
        path = tmp_path / name
        if what == "link":
            path.symlink_to(elsewhere, target_is_directory=True)
        elif what == "a file":
            path.write_text("x\n", encoding="utf-8")
        else:
            path.mkdir()
        if what != "fresh":
            _age(path)
    old_aside = tmp_path / ".public.previous-abcdefgh"
    old_aside.mkdir()
    (old_aside / "index.html").write_text("an old site\n", encoding="utf-8")
    _age(old_aside)
    lock = os.open(tmp_path / ".public.building-l0cked00", os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = build(outdir)
    finally:
        os.close(lock)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "public"])
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "keep\n"


def test_a_folder_a_commit_named_like_a_leftover_is_left_alone(tmp_path, copy_example, git_repo):
    """``okrctl site public`` in a checkout removed two committed folders named like its killed
    builds' leftovers (an hour old, as a clone pulled earlier leaves them): the work tree then held
    their deletion, for the next ``git commit -a`` to make. A leftover git does not track still goes."""
    root = copy_example("banco")
    planted = {".public.building-abcd1234": "notes.txt", ".public.previous-wxyz9876": "README.md"}
    for name, file in planted.items():
        (root / name).mkdir()
        (root / name / file).write_text("kept in git\n", encoding="utf-8")
    git_repo(root)
    left = root / ".public.building-k1lled00"
    left.mkdir()
    (left / "index.html").write_text("a killed build\n", encoding="utf-8")
    for name in [*planted, left.name]:
        _age(root / name)
    result = CliRunner().invoke(
        app, ["site", str(root / "public"), "--repo", str(root), "--today", DEMO_DAY, "--no-history"]
    )
    assert result.exit_code == 0, result.output
    for name, file in planted.items():
        assert (root / name / file).read_text(encoding="utf-8") == "kept in git\n"
    assert not left.exists()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True)
    assert status.stdout.splitlines() == ["?? public/"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a folder to another user")
def test_a_leftover_of_another_user_is_left_alone(tmp_path):
    from okrctl.fsutil import remove_stale_builds

    theirs = tmp_path / ".public.building-th31rs00"
    theirs.mkdir()
    os.chown(theirs, 65534, 65534)
    _age(theirs)
    assert remove_stale_builds(tmp_path, "public") == []
    assert theirs.is_dir()


# ----- --link-base ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("https://git.example/okrs/blob/{commit}", "has no {path}"),
        ("https://git.example/{branch}/{path}", "unknown field(s) {branch}"),
        ("https://git.example/{path", "is not a template"),
        ("javascript:alert(1)//{path}", "is not an http(s) or relative address"),
        ("//elsewhere.example/{path}", "is not an http(s) or relative address"),
        ("https:///{path}", "is not an http(s) or relative address"),
        ("https://git.example/\n{path}", "a space or a control character"),
        ("https://git.example/a b/{path}", "a space or a control character"),
        # A browser reads "/\\HOST/..." as "//HOST/...": another host, as "//" is.
        ("/\\elsewhere.example/{path}", "holds a backslash"),
        ("./\\/elsewhere.example/{path}", "holds a backslash"),
        # No browser opens these: every link of the site would do nothing.
        ("https://x@/{path}#L{line}", "names no host a browser opens"),
        ("https://git.example:abc/{path}", "is not an address a browser opens"),
        ("https://git.example:99999/{path}", "is not an address a browser opens"),
        ("https://[::1/{path}", "is not an address a browser opens"),
        ("https://[v1.x]/{path}", "is no IPv6 address"),
        ("https://[fe80::1%25eth0]:8443/{path}", "is no IPv6 address"),
        # Text after the closing bracket is neither host nor port: no browser parses it.
        ("https://[::1]x/{path}#L{line}", "is no bracketed IPv6 address followed by a port or nothing"),
        ("https://[::1]99/{path}", "is no bracketed IPv6 address followed by a port or nothing"),
        # A format or conversion: a crash half-way (exit 3), or lines in hex, spaces or quotes in every link.
        ("https://git.example/{path:d}", "shapes a field ({path:d})"),
        ("https://git.example/{path}#L{line:x}", "shapes a field ({line:x})"),
        ("https://git.example/{path:>30}", "shapes a field ({path:>30})"),
        ("https://git.example/{path!r}", "shapes a field ({path!r})"),
        ("https://git.example/{path:{x}}", "shapes a field ({path:{x}})"),
        ("https://git.example/{commit!z}/{path}", "shapes a field ({commit!z})"),
    ],
)
def test_a_bad_link_base_is_a_usage_error(tmp_path: Path, template: str, message: str) -> None:
    result = build(tmp_path / "public", "--link-base", template)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "public").exists()


@pytest.mark.parametrize("host", ["[2001:db8::1]", "[2001:db8::1]:8443", "me@[::1]:"])
def test_a_bracketed_ipv6_host_with_or_without_a_port_links_every_number(tmp_path: Path, host: str) -> None:
    result = build(tmp_path / "public", "--link-base", f"https://{host}/blob/{{path}}#L{{line}}")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert f'href="https://{host}/blob/' in page


@pytest.mark.parametrize("scheme", ["HTTPS", "Https", "HTTP"])
def test_a_link_base_scheme_in_capitals_is_an_address_like_any_other(tmp_path: Path, scheme: str) -> None:
    """A URL's scheme is the same in any case: 'HTTPS://…' was "not an http(s) or relative address"."""
    result = build(tmp_path / "public", "--link-base", f"{scheme}://git.example/blob/{{path}}#L{{line}}")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert f'href="{scheme.lower()}://git.example/blob/' in page


def test_link_base_links_every_number_to_its_file_and_line_at_the_commit(tmp_path: Path, copy_example) -> None:
    top = tmp_path / "work"
    top.mkdir()
    root = copy_example("banco")
    nested = top / "okrs"
    root.rename(nested)
    env = {**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.com"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "okrs"]):
        subprocess.run(["git", *args], cwd=top, env=env, check=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=top, capture_output=True, text=True).stdout.strip()
    outdir = tmp_path / "public"
    template = "https://git.example/okrs/blob/{commit}/{path}#L{line}"
    result = build(outdir, "--link-base", template, repo=str(nested))
    assert result.exit_code == 0, result.output
    page = (outdir / "objectives/digital-first-week.html").read_text(encoding="utf-8")
    links = re.findall(r'href="https://git\.example/okrs/blob/([0-9a-f]+)/([^"#]+)#L(\d+)"', page)
    assert links and {c for c, _, _ in links} == {commit}
    lines_of = {}
    for _, path, line in links:
        assert path.startswith("okrs/"), path  # the path inside the git work tree
        text = (top / path).read_text(encoding="utf-8").splitlines()
        lines_of.setdefault(path, set()).add(text[int(line) - 1].strip())
    objective_lines = lines_of["okrs/okrs/2026-Q4/digital-services.yaml"]
    assert {"target: 24", "target: 35", "target: 7.65"} <= objective_lines
    checkin_lines = lines_of["okrs/checkins/digital-services/2026-11-20.yaml"]
    # Digital Services gives one confidence per objective: the link points at this objective's.
    assert {"digital-first-week: 7", "drop-off: 27.8", "nps: 28", "support-call-time: 8.2"} == checkin_lines


def test_a_relative_link_base_points_at_the_same_file_from_every_page(tmp_path: Path) -> None:
    """``--link-base '../src/{path}#L{line}'`` is relative to the site's top folder (where
    index.html is): a page in teams/ or objectives/ links one folder further up."""
    outdir = tmp_path / "public"
    result = build(outdir, "--link-base", "../src/{path}#L{line}")
    assert result.exit_code == 0, result.output
    parsed, _, _ = crawl(outdir)
    targets: dict[str, set[str]] = {}
    for name, page in parsed.items():
        for href in page.links:
            if "src/" not in href:
                continue
            where = os.path.normpath((Path(name).parent / urlsplit(href).path).as_posix())
            targets.setdefault(name.partition("/")[0] if "/" in name else "top", set()).add(where)
    assert {"top", "teams", "objectives"} <= set(targets), targets
    for folder, found in targets.items():
        for where in found:
            assert where.startswith("../src/"), (folder, where)  # beside the site, as from index.html
            # {path} is the file's path in the git work tree (examples/banco/... in this checkout)
            rest = where.removeprefix("../src/")
            assert (EXAMPLES.parent / rest).is_file() or (EXAMPLES / "banco" / rest).is_file(), where


@pytest.mark.slow
def test_the_reports_of_the_site_show_the_targets_that_moved_as_okrctl_report_does(
    tmp_path: Path, copy_example, git_repo
) -> None:
    """The index is the organisation's report and a unit's page its report: a target moved during
    the month is listed there too (the site said "No target, baseline or title changed")."""
    from tests.helpers_git import commit_at, edit

    root = git_repo(copy_example("banco"))
    edit(root / "okrs/2026-Q4/discover.yaml", r"target: 90", "target: 95")
    commit_at(root, "2026-11-15", "raise onboarding completion")
    outdir = tmp_path / "public"
    result = CliRunner().invoke(app, ["site", str(outdir), "--repo", str(root), "--today", DEMO_DAY])
    assert result.exit_code == 0, result.output
    report = CliRunner().invoke(app, ["report", "--repo", str(root), "--today", DEMO_DAY, "--format", "html"])
    assert "discover-first-week/onboarding-completion</code>" in report.stdout
    for name in ("index.html", "units/digital-services.html"):
        page = (outdir / name).read_text(encoding="utf-8")
        assert "No target, baseline or title changed this month." not in page, name
        assert "discover-first-week/onboarding-completion</code></td>" in page, name
    unread = CliRunner().invoke(app, ["site", str(outdir), "--repo", str(root), "--today", DEMO_DAY, "--no-history"])
    assert unread.exit_code == 0, unread.output
    for name in ("index.html", "units/digital-services.html"):
        # The target did move: without the history a page says it was not read, never "none changed".
        page = (outdir / name).read_text(encoding="utf-8")
        assert "onboarding-completion</code></td>" not in page, name
        assert "No target, baseline or title changed this month." not in page, name
        assert '<p class="meta">Moved targets were not read (<code>--no-history</code>).</p>' in page, name


# ----- the publishing recipes in docs/site.md --------------------------------------------------------------
def _recipes() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", (EXAMPLES.parent / "docs" / "site.md").read_text(encoding="utf-8"), re.S)


def test_the_github_pages_recipe_passes_githubs_workflow_schema(tmp_path: Path) -> None:
    from okrctl.load.yamlparse import parse_text
    from tests.test_github_action import check_jsonschema

    workflow = next(b for b in _recipes() if b.startswith("name: OKR site"))
    path = tmp_path / "okr-site.yml"
    path.write_text(workflow, encoding="utf-8")
    result = check_jsonschema("vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr
    data = parse_text(workflow)[0].data
    assert data["on"]["schedule"] and any(
        step.get("run", "").startswith("okrctl site _site") for step in data["jobs"]["build"]["steps"]
    )


def test_the_gitlab_pages_recipe_passes_gitlabs_schema(tmp_path: Path) -> None:
    from okrctl.load.yamlparse import parse_text
    from tests.test_github_action import check_jsonschema

    job = next(b for b in _recipes() if b.startswith("pages:"))
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text(job, encoding="utf-8")
    result = check_jsonschema("vendor.gitlab-ci", path)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = parse_text(job)[0].data["pages"]
    assert pages["artifacts"]["paths"] == ["public"] and pages["script"][0].startswith("okrctl site public")
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in pages["rules"]


def test_link_base_links_a_measured_value_to_its_reading_line(tmp_path: Path, copy_example, git_repo) -> None:
    """A value that comes from a reading (``okrctl measure``) links to the reading's line: the link
    opened the last check-in's line of the key result, which holds another number (81% linked to
    ``onboarding-completion: 79``). On one date a check-in's value stands over a reading's, and so
    does its line."""
    from tests.conftest import git

    root = git_repo(copy_example("banco"))
    for day, values in (
        ("2026-11-26", "onboarding-completion,81\nsetup-tickets,300\n"),
        (DEMO_DAY, "tutorial-engagement,40\n"),
    ):
        kpis = tmp_path / f"kpis-{day}.csv"
        kpis.write_text(f"kr,value\n{values}", encoding="utf-8")
        measured = CliRunner().invoke(
            app,
            ["measure", "--repo", str(root), "--today", "2026-11-26", "--team", "discover", "--values-from", str(kpis), "--date", day, "--commit"],
        )  # fmt: skip
        assert measured.exit_code == 0, measured.output
    commit = git(root, "rev-parse", "HEAD").strip()
    outdir = tmp_path / "public"
    template = "https://git.example/r/blob/{commit}/{path}#L{line}"
    result = CliRunner().invoke(
        app,
        ["site", str(outdir), "--repo", str(root), "--today", "2026-11-26", "--no-history", "--link-base", template],
    )
    assert result.exit_code == 0, result.output
    for name in ("teams/discover.html", "objectives/discover-first-week.html"):
        page = (outdir / name).read_text(encoding="utf-8")
        links = re.findall(rf'<a href="https://git\.example/r/blob/{commit}/([^"#]+)#L(\d+)"[^>]*>([^<]+)</a>', page)
        shown = {
            number: (path, (root / path).read_text(encoding="utf-8").splitlines()[int(line) - 1].strip())
            for path, line, number in links
        }
        assert shown["81%"] == ("readings/discover/2026-11-26.yaml", "onboarding-completion: 81"), name
        assert shown["300"] == ("readings/discover/2026-11-26.yaml", "setup-tickets: 300"), name
        assert shown["35.5%"][0] == "checkins/discover/2026-11-20.yaml", name
        assert shown["35.5%"][1].startswith("tutorial-engagement: {value: 35.5,"), name


def test_link_base_outside_git_builds_the_site_without_source_links(tmp_path: Path, copy_example) -> None:
    root = copy_example("banco")
    result = build(
        tmp_path / "public", "--link-base", "https://git.example/blob/{commit}/{path}#L{line}", repo=str(root)
    )
    assert result.exit_code == 0, result.output
    assert "needs a git commit" in result.output
    assert "git.example" not in (tmp_path / "public" / "objectives" / "digital-first-week.html").read_text(
        encoding="utf-8"
    )


def test_every_page_follows_the_index_month_and_data_age(tmp_path: Path) -> None:
    outdir = tmp_path / "public"
    result = CliRunner().invoke(app, ["site", str(outdir), "--repo", BANCO, "--today", "2026-12-01", "--no-history"])
    assert result.exit_code == 0, result.output
    note = "No check-in in December 2026 yet: this report covers November 2026."
    for name in ("index.html", "units/digital-services.html"):
        page = (outdir / name).read_text(encoding="utf-8")
        assert note in page and "November 2026</h1>" in page, name
        assert "2026-11-20, stale (11 days)" in page, name
    assert "⚠ stale" in (outdir / "teams" / "cards.html").read_text(encoding="utf-8")


def test_the_index_and_unit_pages_judge_the_quarter_they_cover_whatever_a_team_drafted_since(
    tmp_path: Path, git_repo
) -> None:
    """On 2027-01-05 the index covers December, 2026-Q4. Web, silent for 67 days, was not stale on
    the index or its business unit's page, because it had drafted 2027-Q1 (five days old)."""
    from tests.test_report_org import quarter_ended_with_a_draft

    root = git_repo(quarter_ended_with_a_draft(tmp_path / "org"))
    outdir = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["site", str(outdir), "--repo", str(root), "--today", "2027-01-05", "--no-history"]
    )
    assert result.exit_code == 0, result.output
    stale = '<span class="stale">⚠ stale (no check-in in 10 days): <bdi>App</bdi>, <bdi>Web</bdi></span>'
    for name in ("index.html", "units/bu.html"):
        page = (outdir / name).read_text(encoding="utf-8")
        assert "this report covers December 2026" in page and stale in page, name
        assert "no team stale" not in page, name
    unit = (outdir / "units" / "bu.html").read_text(encoding="utf-8")
    assert "2026-10-30, stale (67 days)" in unit and "2026-12-18, stale (18 days)" in unit


# ----- what the site reads ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "extra"),
    [(DEMO_DAY, []), ("2026-12-01", []), (DEMO_DAY, ["--link-base", "https://git.example/{path}#L{line}"])],
)
@pytest.mark.slow
def test_the_site_reads_only_what_its_pages_and_findings_need_and_shows_the_same(
    tmp_path: Path, copy_example, day: str, extra: list[str]
) -> None:
    """The site loads the check-ins of the cycles and months its pages may show, each team's latest
    one before them, and those the findings page's rules read: the pages are the same as from a
    repository read whole. Planted here: a team that stopped checking in before the cycle (its data
    age), and two check-ins of one day long before the cycle (OKR102, which align reads)."""
    from datetime import date

    from okrctl.cli.site import site_needs
    from okrctl.load.pipeline import load_repo
    from okrctl.render.site import LinkBase, render_site
    from okrctl.rules import run
    from okrctl.views.site import build_site

    root = copy_example("banco")
    discover = root / "checkins" / "discover"
    first = (discover / "2026-10-02.yaml").read_text(encoding="utf-8")
    for old in discover.glob("2026-1*.yaml"):
        old.unlink()
    (discover / "2026-09-25.yaml").write_text(first.replace("date: 2026-10-02", "date: 2026-09-25"), encoding="utf-8")
    # Cards had an objective in 2026-Q3 and checked in on it: those check-ins are nothing to the
    # site of 2026-Q4, but for its last one (data age) and two written for one day (OKR102).
    objective = (root / "okrs" / "2026-Q4" / "cards.yaml").read_text(encoding="utf-8")
    (root / "okrs" / "2026-Q3").mkdir()
    (root / "okrs" / "2026-Q3" / "cards.yaml").write_text(
        objective.replace("id: first-card-moment", "id: first-card-moment-q3").replace("2026-Q4", "2026-Q3"),
        encoding="utf-8",
    )
    cards = (root / "checkins" / "cards" / "2026-10-02.yaml").read_text(encoding="utf-8")
    for name, when in [("07-03", "07-03"), ("08-07", "08-07"), ("08-07-b", "08-07"), ("09-04", "09-04")]:
        (root / "checkins" / "cards" / f"2026-{name}.yaml").write_text(
            cards.replace("date: 2026-10-02", f"date: 2026-{when}"), encoding="utf-8"
        )
    today = date.fromisoformat(day)
    scoped = load_repo(root, use_cache=False, scope=site_needs(today, None))
    assert scoped.left_out > 0  # the scope left check-ins out: the comparison below means something
    whole = load_repo(root, use_cache=False)
    findings = run(whole, today, history=False)
    assert any(f.code == "OKR102" and "2026-08-07" in f.path for f in findings)
    view = build_site(whole, today=today, findings=findings, with_sources=bool(extra))
    expected = render_site(view, LinkBase(extra[1], "") if extra else None)
    # Without the store (every file parsed), then with an empty store and with the store it filled
    # (the check-ins left out are then not even read).
    store = {"OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(tmp_path / "store")}
    for env in ({"OKRCTL_NO_CACHE": "1"}, store, store):
        outdir = tmp_path / "public"
        args = ["site", str(outdir), "--repo", str(root), "--today", day, "--no-history", *extra]
        result = CliRunner().invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
        written = {p.relative_to(outdir).as_posix(): p.read_text(encoding="utf-8") for p in outdir.rglob("*.html")}
        assert written.keys() == expected.keys()
        for name, text in expected.items():
            assert written[name] == text, name


def test_a_site_built_past_broken_files_says_so_on_stderr_and_on_the_index(copy_example, tmp_path: Path) -> None:
    """A check-in that no longer parses is left out of every page: ``site`` says so as ``report``
    does (one note naming the first such file), and the index tells its readers."""
    root = copy_example("banco")
    checkin = root / "checkins/cards/2026-11-20.yaml"
    checkin.write_text(checkin.read_text(encoding="utf-8") + "confidence: [\n", encoding="utf-8")
    result = build(tmp_path / "site", repo=str(root))
    assert result.exit_code == 0, result.output
    assert (
        "okrctl: note: the documents with errors in 1 file are left out of what is shown "
        "(first: checkins/cards/2026-11-20.yaml); "
        "'okrctl align' shows why\n" in result.stderr
    )
    # A reader of the site has no terminal: "needs attention" points to the site's own findings
    # page (it said "run okrctl align"), from the index and from a unit's page alike.
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '1 file problem left documents out (<a href="align.html">the findings page</a> lists why)' in index
    unit = (tmp_path / "site" / "units/digital-services.html").read_text(encoding="utf-8")
    assert '1 file problem left documents out (<a href="../align.html">the findings page</a> lists why)' in unit
    for page in (index, unit):
        assert "run okrctl align" not in page
    assert "checkins/cards/2026-11-20.yaml" in (tmp_path / "site" / "align.html").read_text(encoding="utf-8")
    # The report a terminal writes has no findings page beside it: it still names the command.
    report = CliRunner().invoke(app, ["report", "--repo", str(root), "--today", DEMO_DAY, "--format", "html"])
    assert "1 file problem left documents out (run okrctl align)" in report.stdout


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.map_roles: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))
        if tag == "svg" and ("class", "map") in attrs:
            self.map_roles.append(dict(attrs).get("role"))


@pytest.mark.parametrize("example", ["banco", "saas"])
def test_every_page_goes_down_one_heading_level_at_a_time_and_the_map_keeps_its_links(
    tmp_path: Path, example: str
) -> None:
    """Screen-reader users move by headings: on every page they start at h1 and never skip a
    level (h1 → h4 on the trends page, h1 → h3 on an objective's). The map's links stay reachable:
    its svg is a group, not an image (an image's children are hidden from assistive technology)."""
    result = build(tmp_path / "site", repo=str(EXAMPLES / example))
    assert result.exit_code == 0, result.output
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        parsed = _Headings()
        parsed.feed(page.read_text(encoding="utf-8"))
        levels = parsed.levels
        assert levels and levels[0] == 1, (page.name, levels[:5])
        skips = [(a, b) for a, b in pairwise(levels) if b > a + 1]
        assert not skips, (page.relative_to(tmp_path), skips)
        assert all(role != "img" for role in parsed.map_roles), page.name


def test_a_quarters_first_day_shows_the_latest_cycle_and_says_so(tmp_path: Path) -> None:
    """A site reader cannot pass ``--cycle``. On 2027-01-01 no objective is in that quarter yet:
    the pages show 2026-Q4, the latest cycle with objectives, as ``--cycle 2026-Q4`` would, and
    the index and every unit's page say why; the team pages show that cycle's objectives and
    check-ins. With ``--cycle`` given, the site shows what was asked, without the note."""
    outdir = tmp_path / "public"
    result = CliRunner().invoke(app, ["site", str(outdir), "--repo", BANCO, "--today", "2027-01-01", "--no-history"])
    assert result.exit_code == 0, result.output
    note = "No objective in January 2027 yet: this site shows 2026-Q4, the latest cycle with objectives."
    index = (outdir / "index.html").read_text(encoding="utf-8")
    assert note in index
    assert "9 objectives in 2026-Q4:" in index and "owns no objective" not in index
    assert note in (outdir / "units/digital-services.html").read_text(encoding="utf-8")
    team = (outdir / "teams/discover.html").read_text(encoding="utf-8")
    assert team.count('<tr><td class="date" data-label="Date">') == 8  # the eight check-ins of 2026-Q4
    assert "Cycle 2026-Q4" in (outdir / "map.html").read_text(encoding="utf-8")
    asked = tmp_path / "asked"
    result = CliRunner().invoke(
        app, ["site", str(asked), "--repo", BANCO, "--today", "2027-01-01", "--no-history", "--cycle", "2026-Q4"]
    )
    assert result.exit_code == 0, result.output
    same = (asked / "index.html").read_text(encoding="utf-8")
    assert note not in same and "9 objectives in 2026-Q4:" in same


def test_a_team_page_names_its_parent_unit_before_any_cycle_has_begun(tmp_path: Path) -> None:
    """Before any cycle has begun (no objective owner to take names from), a team page names its
    parent unit as every other day does, never by its id."""
    for day in ("2026-09-30", DEMO_DAY):
        outdir = tmp_path / day
        result = CliRunner().invoke(app, ["site", str(outdir), "--repo", BANCO, "--today", day, "--no-history"])
        assert result.exit_code == 0, result.output
        page = (outdir / "teams/discover.html").read_text(encoding="utf-8")
        assert re.search(r"part of <a [^>]*><bdi>Digital Services</bdi></a>", page), day


@pytest.mark.parametrize("planted", ["okrs", "okrs/2026-Q4"])
def test_a_marker_planted_in_a_repository_folder_does_not_let_a_build_replace_it(tmp_path, planted):
    """A repository may hold a ``.okrctl-site`` (planted, or a site copied into it) beside its
    OKR files: a build into that folder would delete them. A folder is replaced only when it holds
    nothing but pages, so the files stay and the build says which one stopped it (exit 2)."""
    root = tmp_path / "banco"
    shutil.copytree(BANCO, root)
    folder = root / planted
    (folder / ".okrctl-site").write_text("okrctl site\nplanted\n", encoding="utf-8")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = build(folder, repo=str(root))
    assert result.exit_code == 2
    assert result.output.startswith(f"okrctl: {folder}: holds {folder}/")
    assert result.output.endswith(".yaml, which 'okrctl site' does not write; refusing to replace it\n")
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_a_previous_build_with_a_stranger_file_or_link_is_not_replaced(tmp_path):
    outdir = tmp_path / "public"
    assert build(outdir).exit_code == 0
    (outdir / "teams" / "notes.md").write_text("mine\n", encoding="utf-8")
    result = build(outdir)
    assert result.exit_code == 2 and "teams/notes.md, which 'okrctl site' does not write" in result.output
    (outdir / "teams" / "notes.md").unlink()
    (outdir / "units" / "elsewhere.html").symlink_to(tmp_path)
    result = build(outdir)
    assert result.exit_code == 2 and "units/elsewhere.html, which 'okrctl site' does not write" in result.output
    (outdir / "units" / "elsewhere.html").unlink()
    assert build(outdir).exit_code == 0  # pages and the marker only: a previous build, replaced


def test_a_team_page_says_stale_once_and_a_team_with_no_objective_is_never_stale(tmp_path):
    """On 2026-12-03 Small Business App last checked in 13 days before: its page says "stale" once,
    with the days. A team with no objective in the period has nothing to check in on."""
    root = tmp_path / "banco"
    shutil.copytree(BANCO, root)
    (root / "units/new-team.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: new-team\nname: New Team\ntype: team\nparent: digital-services\n",
        encoding="utf-8",
    )
    outdir = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["site", str(outdir), "--repo", str(root), "--today", "2026-12-03", "--no-history"]
    )
    assert result.exit_code == 0, result.output
    late = (outdir / "teams/small-business-app.html").read_text(encoding="utf-8")
    assert 'last check-in 2026-11-20 <span class="stale">⚠ stale (13 days)</span>' in late
    assert late.count("stale (13 days)") == 1
    new = (outdir / "teams/new-team.html").read_text(encoding="utf-8")
    assert "last check-in none yet" in new and "⚠ stale" not in new


def test_on_a_day_the_index_covers_the_month_before_the_pages_still_stand_as_of_today(tmp_path):
    """2026-12-31, no check-in in December: the index covers November (and says so), but a team's
    and an objective's page say where it stands today, as ``status`` does: expected 100%, not the
    68% of 30 November beside a data age measured on the 31st."""
    outdir = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", str(outdir), "--repo", BANCO, "--today", "2026-12-31", "--no-history"])
    assert result.exit_code == 0, result.output
    assert "this report covers November 2026" in (outdir / "index.html").read_text(encoding="utf-8")
    page = (outdir / "objectives/discover-first-week.html").read_text(encoding="utf-8")
    assert "Expected by now</small><b>100%" in page
    # The map page and the directory say how much of the cycle has gone by on that day too; the
    # index keeps its month's end.
    assert "2026-Q4 (2026-10-01 → 2026-12-31, 66% elapsed)" in (outdir / "index.html").read_text(encoding="utf-8")
    for name in ("map.html", "directory.html"):
        text = (outdir / name).read_text(encoding="utf-8")
        assert "2026-Q4 (2026-10-01 → 2026-12-31, 100% elapsed)" in text, name


def _q1_drafted_after_december_checkins(root: Path) -> str:
    """One team has written its 2027-Q1 objective and every unit checked in on 18 December: on
    5 January the pages show 2027-Q1 alone, while the index covers December (2026-Q4)."""
    (root / "okrs/2027-Q1").mkdir()
    (root / "okrs/2027-Q1/discover.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: discover-q1\nowner: discover\ncycle: 2027-Q1\n"
        "title: Discover Q1 objective\nkey_results:\n"
        "  - {id: a, title: A from 0 to 10, baseline: 0, target: 10}\n"
        "  - {id: b, title: B from 0 to 10, baseline: 0, target: 10}\n",
        encoding="utf-8",
    )
    for unit in sorted(p.name for p in (root / "checkins").iterdir()):
        november = (root / "checkins" / unit / "2026-11-20.yaml").read_text(encoding="utf-8")
        december = november.replace("date: 2026-11-20", "date: 2026-12-18")
        (root / "checkins" / unit / "2026-12-18.yaml").write_text(december, encoding="utf-8")
    return "2027-01-05"


def _yearly_company_objective(root: Path) -> str:
    """The company's objective runs the whole year; the teams' objectives are quarterly."""
    from tests.helpers_git import edit

    edit(root / "okrs/2026-Q4/banco.yaml", r"^cycle: 2026-Q4$", 'cycle: "2026"')
    return DEMO_DAY


@pytest.mark.parametrize(
    ("setup", "cycles"),
    [
        (_q1_drafted_after_december_checkins, "2027-Q1 (2027-01-01 → 2027-03-31, 4% elapsed)"),
        (
            _yearly_company_objective,
            "2026 (2026-01-01 → 2026-12-31, 89% elapsed), 2026-Q4 (2026-10-01 → 2026-12-31, 55% elapsed)",
        ),
    ],
    ids=["quarter-begun", "yearly-and-quarterly"],
)
def test_the_map_and_the_directory_name_the_cycles_they_show_as_status_does(
    tmp_path: Path, copy_example, git_repo, cli, setup, cycles: str
) -> None:
    """The map's and the directory's header took the index report's cycles (the root unit's, of the
    month it covers): on 5 January they said "Cycle 2026-Q4 (…, 100% elapsed)" above a map of one
    2027-Q1 objective, and beside a yearly company objective "Cycle 2026 (…, 89% elapsed)" over eight
    2026-Q4 boxes. They name the cycles the pages show, "% elapsed" as of today, as ``status`` does."""
    root = copy_example("banco")
    today = setup(root)
    git_repo(root)
    outdir = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", str(outdir), "--repo", str(root), "--today", today, "--no-history"])
    assert result.exit_code == 0, result.output
    status = json.loads(cli("status", "--repo", str(root), "--today", today, "--format", "json").stdout)
    assert ", ".join(c["id"] for c in status["cycles"]) == ", ".join(re.findall(r"(\S+) \(", cycles))
    for name in ("map.html", "directory.html"):
        meta = re.search(r'<header class="top">.*?<p class="meta">([^<]*)</p>', (outdir / name).read_text("utf-8"))
        assert meta is not None and meta.group(1).startswith(f"Cycle {cycles}"), (name, meta and meta.group(1))


def test_the_docs_say_the_map_is_on_its_own_page(banco_site: Path) -> None:
    """docs/site.md listed the alignment map on index.html and called a unit's page the same as
    `okrctl report --unit … --format html`; both are built without the map, which is map.html,
    linked from every page's navigation."""
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "site.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([^`]+)` \| (.*) \|$", doc, flags=re.M))
    for page, row, link in (
        ("index.html", "index.html", 'href="map.html"'),
        ("units/digital-services.html", "units/<id>.html", 'href="../map.html"'),
    ):
        html = (banco_site / page).read_text(encoding="utf-8")
        assert '<svg class="map"' not in html and link in html, page
        assert "`map.html`" in rows[row], row
        assert "the alignment map |" not in f"{rows[row]} |" and "the same as" not in rows[row], row


def test_every_cell_of_a_stacked_table_names_its_column(banco_site: Path) -> None:
    """On a small screen a stacked table hides its head: each cell then says what it is (WCAG
    1.3.1); the team pages' status table once showed bare "57% / 56%" and "8/10". A chart's table
    of values, folded in a cell, is not stacked: it keeps its head."""
    tables = 0
    for page in sorted(banco_site.rglob("*.html")):
        text = re.sub(r'<details class="values">.*?</details>', "", page.read_text(encoding="utf-8"), flags=re.S)
        for table in re.findall(r'<table class="stack[^"]*">(.*?)</table>', text, re.S):
            tables += 1
            cells = re.findall(r"<td([^>]*)>", table.split("</thead>")[-1])
            assert cells and all("data-label=" in cell for cell in cells), (page.name, table[:120])
    assert tables >= 10


def test_the_reports_map_can_be_scrolled_from_the_keyboard(cli) -> None:
    """The report's map scrolls sideways on a narrow screen and holds no link: its wrapper takes
    the focus (axe: scrollable-region-focusable, WCAG 2.1.1) and is named."""
    html = cli("report", "--repo", str(EXAMPLES / "banco"), "--today", "2026-11-20", "-f", "html").stdout
    assert re.search(r'<div class="mapwrap" tabindex="0" role="region" aria-label="Alignment map[^"]*">', html)


def test_a_units_own_strategy_is_named_without_a_link_the_index_cannot_answer(tmp_path: Path, copy_example) -> None:
    """Only the organisation's strategies are on the index: an objective serving the priority of a
    business unit's own strategy linked to an index anchor no page has."""
    repo = copy_example("banco")
    (repo / "strategy" / "digital-services.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Strategy\nid: ds-plan\nowner: digital-services\ncycle: 2026-Q4\n"
        "priorities: [{id: speed, title: Faster onboarding}]\n",
        encoding="utf-8",
    )
    objective = repo / "okrs" / "2026-Q4" / "discover.yaml"
    text = objective.read_text(encoding="utf-8")
    assert "aligns:\n" in text
    objective.write_text(text.replace("aligns:\n", "aligns:\n  - {to: ds-plan/speed}\n", 1), encoding="utf-8")
    site = tmp_path / "site"
    build(site, repo=str(repo))
    _parsed, broken, _internal = crawl(site)
    assert broken == []
    assert "Faster onboarding" in (site / "objectives" / "discover-first-week.html").read_text(encoding="utf-8")


def test_a_team_page_measures_its_data_age_on_today_as_status_does(tmp_path: Path) -> None:
    """No objective of January yet: the site covers the quarter that ended, and the team pages
    measured each team's last check-in on the quarter's last day (41 days), where ``status`` and
    site.md measure it on ``--today`` (45 days)."""
    site = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", str(site), "--repo", BANCO, "--today", "2027-01-04", "--no-history"])
    assert result.exit_code == 0, result.output
    page = (site / "teams" / "cards.html").read_text(encoding="utf-8")
    assert "stale (45 days)" in page and "41 days" not in page


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_signal_once_the_new_site_is_in_place_says_it_is_built(cli, tmp_path, monkeypatch, exchange) -> None:
    """A SIGTERM while the previous site was being removed said only "terminated", with the new
    site already in place (a CI job read exit 143 as "nothing replaced"). It says the site is built."""
    import shutil

    from okrctl import fsutil
    from okrctl.cli.entry import Terminated

    outdir = tmp_path / "public"
    replace_folder(outdir, _page("previous\n"))
    if not exchange:
        monkeypatch.setattr(fsutil, "exchange", lambda first, second: False)
    real_rmtree = shutil.rmtree
    stopped: list[bool] = []

    def rmtree(path, *args, **kwargs) -> None:
        if (
            not stopped
            and (Path(path) / "index.html").is_file()
            and "previous" in (Path(path) / "index.html").read_text()
        ):
            stopped.append(True)
            raise Terminated(15)
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    result = cli("site", str(outdir), "--repo", BANCO, "--today", DEMO_DAY)
    assert stopped and result.exit_code == 143
    assert result.stderr.startswith("okrctl: terminated; the site is built all the same (wrote ")
    assert result.stderr.rstrip().endswith(f"pages to {outdir})")
    assert (outdir / "index.html").read_text(encoding="utf-8") != "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # the previous site is removed all the same


def test_a_signal_while_the_pages_are_written_leaves_no_folder_made_for_the_site(cli, tmp_path, monkeypatch) -> None:
    """A SIGTERM while ``site web/public`` wrote its pages took the build away, but left ``web/``,
    made for it: nothing is left now, as before the build."""
    import okrctl.render.site as render_site
    from okrctl.cli.entry import Terminated

    real = render_site.site_pages

    def site_pages(*args, **kwargs):
        pages = real(*args, **kwargs)
        yield next(pages)
        raise Terminated(15)

    monkeypatch.setattr(render_site, "site_pages", site_pages)
    result = cli("site", str(tmp_path / "web" / "public"), "--repo", BANCO, "--today", DEMO_DAY, "--no-history")
    assert (result.exit_code, result.stderr) == (143, "okrctl: terminated\n")
    assert list(tmp_path.iterdir()) == []


def test_a_signal_as_the_build_returns_says_the_site_is_built(cli, tmp_path, monkeypatch) -> None:
    """A SIGTERM right after the new site was put in place, before the line saying so: the bare
    "terminated" (exit 143 read as "nothing built") with ``web/public`` whole, all 17 pages in it."""
    from okrctl import fsutil
    from okrctl.cli.entry import Terminated

    real = fsutil.replace_folder

    def replace_folder(*args, **kwargs) -> None:
        real(*args, **kwargs)
        raise Terminated(15)

    monkeypatch.setattr(fsutil, "replace_folder", replace_folder)
    outdir = tmp_path / "web" / "public"
    result = cli("site", str(outdir), "--repo", BANCO, "--today", DEMO_DAY, "--no-history")
    assert result.exit_code == 143
    assert result.stderr.startswith("okrctl: terminated; the site is built all the same (wrote ")
    assert result.stderr.rstrip().endswith(f"pages to {outdir})")
    assert (outdir / "index.html").is_file()
    assert [p.name for p in (tmp_path / "web").iterdir()] == ["public"]


# The installed program, sent SIGTERM by itself after the first page, and again (``timeout``'s
# second signal, to the process group) as the build is being removed.
_SIGNALLED_TWICE_MID_BUILD = """
import os, shutil, signal, sys
import okrctl.render.site as render_site
real_pages, real_rmtree, sent = render_site.site_pages, shutil.rmtree, []

def site_pages(*args, **kwargs):
    pages = real_pages(*args, **kwargs)
    yield next(pages)
    sent.append(True)
    os.kill(os.getpid(), signal.SIGTERM)
    yield from pages

def rmtree(path, *args, **kwargs):
    if sent:
        os.kill(os.getpid(), signal.SIGTERM)
    real_rmtree(path, *args, **kwargs)

render_site.site_pages, shutil.rmtree = site_pages, rmtree
sys.argv = ["okrctl", *sys.argv[1:]]
from okrctl.cli.entry import program
program()
"""


def test_a_second_signal_while_the_build_is_removed_leaves_nothing(tmp_path: Path) -> None:
    """``timeout`` signals okrctl, then its process group: the second SIGTERM cut short the removal
    of the half-built site, which left ``web/.public.building-XXXXXXXX`` with pages in it (and
    ``web/``). The removal is done first: the bare line, and nothing left."""
    import sys

    from tests.conftest import ROOT

    run = subprocess.run(
        [sys.executable, "-c", _SIGNALLED_TWICE_MID_BUILD, "site", "web/public"]
        + ["--repo", BANCO, "--today", DEMO_DAY, "--no-history"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PWD": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (143, "", "okrctl: terminated\n")
    assert list(tmp_path.iterdir()) == []
