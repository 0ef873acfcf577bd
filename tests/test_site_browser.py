"""The site in a real browser: headless Chromium draws every page from file://, with no console message
and no request leaving the folder (read from Chromium's own network log)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

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
