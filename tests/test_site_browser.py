"""The site in a real browser: headless Chromium draws every page from file://, with no console message
and no request leaving the folder (read from Chromium's own network log)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.test_report_browser import CHROMIUM, chromium
from tests.test_site import build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no headless Chromium at /usr/bin/chromium (Debian: apt-get install chromium)"
    ),
]

QUIET = ("--disable-default-apps", "--disable-extensions", "--disable-domain-reliability", "--no-pings")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("browser-site") / "public"
    result = build(outdir)
    assert result.exit_code == 0, result.output
    return outdir


def page_requests(netlog: Path) -> list[str]:
    """URLs the page asked for: Chromium's own background requests carry no file:// isolation key."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    names = {value: key for key, value in log["constants"]["logEventTypes"].items()}
    out = []
    for event in log["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) == "URL_REQUEST_START_JOB" and str(
            params.get("network_isolation_key", "")
        ).startswith("file://"):
            out.append(params["url"])
    return out


def render(page: Path, tmp_path: Path) -> tuple[str, list[str], list[str]]:
    """The page's DOM after Chromium drew it, its console messages and the requests it made."""
    netlog = tmp_path / "net.json"
    result = chromium(
        tmp_path / "profile", *QUIET, "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}", "--dump-dom",
        page.as_uri(),
    )  # fmt: skip
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return result.stdout, console, page_requests(netlog)


def _check(site: Path, name: str, tmp_path: Path) -> None:
    dom, console, requests = render(site / name, tmp_path)
    assert "<h1>" in dom and "</main>" in dom, f"{name} was not drawn"
    assert console == [], f"{name}: {console}"
    outside = [url for url in requests if not url.startswith(site.as_uri() + "/")]
    assert outside == [], f"{name} asked for {outside}"
    assert "<script" not in dom.lower()


@pytest.mark.slow
def test_chromium_draws_every_page(site: Path, tmp_path: Path) -> None:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) == 20
    for number, name in enumerate(pages):
        _check(site, name, tmp_path / str(number))


@pytest.mark.slow
def test_the_network_log_would_see_a_request_outside(tmp_path: Path) -> None:
    """The check above can fail: a page that loads an image from elsewhere is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<html><body><h1>x</h1><img src="http://example.invalid/x.png"></body></html>', encoding="utf-8")
    _, _, requests = render(page, tmp_path)
    assert any(re.match(r"https?://example\.invalid/", url) for url in requests), requests


# A script, added to a copy of a page (the site itself has none), that marks every box wider than the
# space it was given; Chromium's --dump-dom then shows the marks.
MEASURE = """<script>
addEventListener("load", () => {
  const wide = [...document.querySelectorAll(".card, .trend-card, .kpi, main, body")]
    .filter((box) => box.scrollWidth > box.clientWidth + 1)
    .map((box) => box.className || box.tagName);
  document.body.setAttribute("data-overflow", JSON.stringify(wide));
});
</script>"""


def overflowing(page: Path, tmp_path: Path, width: int) -> list[str]:
    copy = tmp_path / f"measured-{width}.html"
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    copy.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")  # (the page forbids scripts)
    result = chromium(tmp_path / f"profile-{width}", *QUIET, f"--window-size={width},900", "--dump-dom", copy.as_uri())
    found = re.search(r'data-overflow="([^"]*)"', result.stdout)
    assert found, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"'))


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_a_long_unbroken_word_stays_inside_its_card(tmp_path: Path) -> None:
    """A title or note with a long URL or identifier wraps inside its card, on a wide and a narrow screen."""
    repo = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", repo)
    long_word = "https://wiki.example.com/" + "VeryLongUnbrokenPathSegment" * 8
    objective = repo / "okrs" / "2026-Q4" / "banco.yaml"
    text = objective.read_text(encoding="utf-8")
    text = text.replace("title: Become the bank small businesses choose first", f"title: Become {long_word}")
    text = text.replace("why: Small businesses", f"why: See {long_word}. Small businesses")
    objective.write_text(text, encoding="utf-8")
    outdir = tmp_path / "public"
    result = build(outdir, repo=str(repo))
    assert result.exit_code == 0, result.output
    for name in ("objectives/sme-bank-of-choice.html", "index.html", "trends.html"):
        page = outdir / name
        assert long_word in page.read_text(encoding="utf-8"), name
        for width in (1280, 400):
            measured = tmp_path / f"{page.stem}-{width}"
            measured.mkdir()
            assert overflowing(page, measured, width) == [], (name, width)


MAP_MEASURE = """<script>
window.addEventListener("load", () => {
  const wrap = document.querySelector(".mapwrap");
  const box = document.querySelector("svg.map g.node rect").getBoundingClientRect();
  document.body.setAttribute("data-map", JSON.stringify(
    {box: box.width, scrolls: wrap.scrollWidth > wrap.clientWidth + 1}));
});
</script>"""


def drawn_map(page: Path, tmp_path: Path, width: int) -> dict[str, object]:
    """The drawn width of the map's first box, and whether the map scrolls, at a window ``width`` wide."""
    copy = tmp_path / f"map-{width}.html"
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    copy.write_text(text.replace("</body>", MAP_MEASURE + "</body>"), encoding="utf-8")
    result = chromium(tmp_path / f"profile-{width}", *QUIET, f"--window-size={width},900", "--dump-dom", copy.as_uri())
    found = re.search(r'data-map="([^"]*)"', result.stdout)
    assert found, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"'))


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_a_map_of_sixty_teams_scrolls_rather_than_shrink_its_boxes(tmp_path: Path) -> None:
    """60 teams in one row made a map 14,286 px wide that CSS shrank to the page: boxes 15 px wide.
    The map is never drawn below MIN_SCALE of its size and scrolls in its frame; the bank's map,
    which fitted a 1280 px window, still fits it."""
    from okrctl.render.map.svg import MIN_SCALE, NODE_W

    repo = tmp_path / "acme"
    repo.mkdir()
    (repo / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\norganization: Acme\n", "utf-8")
    kr = "key_results:\n  - {id: a, title: A, baseline: 0, target: 10}\n"
    documents = [
        "apiVersion: okrctl/v1\nkind: Unit\nid: acme\nname: Acme\ntype: company\n",
        f"apiVersion: okrctl/v1\nkind: Objective\nid: acme-grow\nowner: acme\ncycle: 2026-Q4\ntitle: Grow\n{kr}",
    ]
    for n in range(1, 61):
        documents.append(f"apiVersion: okrctl/v1\nkind: Unit\nid: team-{n}\nname: Team {n}\nparent: acme\n")
        documents.append(
            f"apiVersion: okrctl/v1\nkind: Objective\nid: team-{n}-obj\nowner: team-{n}\ncycle: 2026-Q4\n"
            f"title: Objective of team {n}\naligns: [{{to: acme-grow}}]\n{kr}"
        )
    (repo / "okrs.yaml").write_text("---\n".join(documents), "utf-8")
    wide = tmp_path / "wide"
    assert build(wide, repo=str(repo)).exit_code == 0
    drawn = drawn_map(wide / "map.html", tmp_path, 1280)
    assert drawn["box"] >= NODE_W * MIN_SCALE - 1 and drawn["scrolls"], drawn
    bank = tmp_path / "bank"
    assert build(bank).exit_code == 0
    drawn = drawn_map(bank / "map.html", tmp_path, 1280)
    assert not drawn["scrolls"], drawn


@pytest.mark.slow  # several seconds: run by CI with the slow tests
@pytest.mark.parametrize("width", [320, 800, 880])
def test_pages_with_key_results_fit_a_narrow_or_zoomed_window(site: Path, tmp_path: Path, width: int) -> None:
    """WCAG 1.4.10 (reflow): at 320 px, and between the phone layout and the wide one (800 px is
    a 1,600 px window at 200% zoom), nothing runs past its card; the key-result table once spilled
    its "expected" and forecast lines off the page there."""
    for name in ("teams/discover.html", "objectives/discover-first-week.html", "index.html"):
        measured = tmp_path / f"{Path(name).stem}-{width}"
        measured.mkdir()
        assert overflowing(site / name, measured, width) == [], (name, width)


# The lines each date of the business units' table is drawn on, once the page is laid out.
DATE_LINES = """<script>
addEventListener("load", () => {
  const lines = [...document.querySelectorAll("#business-units td.date")].map((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size;
  });
  document.body.setAttribute("data-lines", JSON.stringify(lines));
});
</script>"""


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_a_long_unit_name_leaves_the_health_table_dates_whole(tmp_path: Path) -> None:
    """A unit named with one long unbroken word took nearly the whole "Health per business unit" table:
    its last check-in date was crushed into a column 50 px wide and broken over three lines."""
    repo = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", repo)
    unit = repo / "units" / "digital-services.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("name: Digital Services", "name: " + "Digitalservices" * 12),
        encoding="utf-8",
    )
    outdir = tmp_path / "public"
    result = build(outdir, repo=str(repo))
    assert result.exit_code == 0, result.output
    page = outdir / "index.html"
    for width in (1280, 1000):
        copy = tmp_path / f"lines-{width}.html"
        text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
        copy.write_text(text.replace("</body>", DATE_LINES + "</body>"), encoding="utf-8")
        shown = chromium(
            tmp_path / f"profile-{width}", *QUIET, f"--window-size={width},900", "--dump-dom", copy.as_uri()
        )
        found = re.search(r'data-lines="([^"]*)"', shown.stdout)
        assert found, shown.stdout[-2000:] + shown.stderr[-2000:]
        assert json.loads(found.group(1)) == [1], width


CHECKIN_LOG = """<script>
addEventListener("load", () => {
  const log = [...document.querySelectorAll("h2")].find((h) => h.textContent.startsWith("Check-ins")).nextElementSibling;
  const lines = [...log.querySelectorAll("tbody td.date b")].map((day) => {
    const range = document.createRange();
    range.selectNodeContents(day);
    return new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size;
  });
  document.body.setAttribute("data-lines", JSON.stringify([...new Set(lines)]));
});
</script>"""


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_the_check_in_log_of_a_team_keeps_each_date_on_one_line(tmp_path: Path, site: Path) -> None:
    """At 1280 px every date of the log was broken over two lines ("2026-11-" / "20"): the cell took
    the page's break-anywhere wrapping, and the table squeezed it to 89 px."""
    copy = tmp_path / "log.html"
    text = re.sub(
        r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", (site / "teams" / "discover.html").read_text("utf-8")
    )
    copy.write_text(text.replace("</body>", CHECKIN_LOG + "</body>"), encoding="utf-8")
    shown = chromium(tmp_path / "profile", *QUIET, "--window-size=1280,900", "--dump-dom", copy.as_uri())
    found = re.search(r'data-lines="([^"]*)"', shown.stdout)
    assert found, shown.stdout[-2000:] + shown.stderr[-2000:]
    assert json.loads(found.group(1).replace("&quot;", '"')) == [1]


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_an_opened_table_of_weekly_values_fits_a_phone(tmp_path: Path) -> None:
    """saas at 320 px: the header "Value (subscriptions/month)" did not wrap, so an opened table of
    weekly values stuck out of its card and the page scrolled sideways."""
    outdir = tmp_path / "public"
    result = build(outdir, repo=str(EXAMPLES / "saas"))
    assert result.exit_code == 0, result.output
    text = (outdir / "index.html").read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    text = text.replace('<details class="values">', '<details class="values" open>')
    text = text.replace(
        "</body>",
        "<script>addEventListener('load', () => { parent.document.body.setAttribute('data-w', "
        "document.documentElement.scrollWidth - document.documentElement.clientWidth); });</script></body>",
    )
    (outdir / "measured.html").write_text(text, encoding="utf-8")
    frame = outdir / "frame.html"  # (headless Chromium makes no window narrower than about 500 px)
    frame.write_text(
        '<body style="margin:0"><iframe src="measured.html" style="border:0;width:320px;height:1500px">'
        "</iframe></body>",
        encoding="utf-8",
    )
    shown = chromium(
        tmp_path / "profile",
        *QUIET,
        "--allow-file-access-from-files",
        "--window-size=1280,900",
        "--virtual-time-budget=3000",
        "--dump-dom",
        frame.as_uri(),
    )
    found = re.search(r'data-w="(-?\d+)"', shown.stdout)
    assert found, shown.stdout[-2000:] + shown.stderr[-2000:]
    assert int(found.group(1)) <= 0  # nothing wider than the phone's page
