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
