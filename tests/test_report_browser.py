"""The HTML report in a real browser: headless Chromium draws it and reads its DOM."""

from __future__ import annotations

import html as html_text
import json
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="no headless Chromium at /usr/bin/chromium (Debian: apt-get install chromium)"
    ),
]


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from okrctl.cli.app import app

    target = tmp_path_factory.mktemp("report") / "report.html"
    args = ["report", "--repo", str(EXAMPLES / "banco"), "--unit", "digital-services", "--today", DEMO_DAY]
    result = CliRunner().invoke(app, [*args, "--format", "html", "--output", str(target)])
    assert result.exit_code == 0, result.output
    return target


# ----- a tiny PNG reader: enough to tell a drawn page from a blank one --------------------------------
def png_rows(data: bytes) -> tuple[int, int, Iterator[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB or RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
    width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color_type in (2, 6) and interlace == 0, "unexpected PNG layout"
    bpp = 3 if color_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp

    def rows() -> Iterator[bytes]:
        previous = bytearray(stride)
        for y in range(height):
            kind = raw[y * (stride + 1)]
            line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                up = previous[x]
                if kind == 1:
                    line[x] = (line[x] + left) & 255
                elif kind == 2:
                    line[x] = (line[x] + up) & 255
                elif kind == 3:
                    line[x] = (line[x] + ((left + up) >> 1)) & 255
                elif kind == 4:
                    corner = previous[x - bpp] if x >= bpp else 0
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
            yield bytes(line)
            previous = line

    return width, height, rows()


def _hex(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


@pytest.mark.slow
def test_chromium_draws_the_report(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    result = chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    data = shot.read_bytes()
    assert len(data) > 50_000, "a screenshot this small is an empty page"
    width, height, rows = png_rows(data)
    assert (width, height) == (1200, 2000)
    # The top of the page holds the headline with its status strip: look for the status colours.
    from okrctl.render.report_widgets import STATUS_COLOR

    wanted = {
        name: _hex(STATUS_COLOR[status][0])
        for name, status in (("on", "on-track"), ("risk", "at-risk"), ("off", "off-track"))
    }
    colours: set[bytes] = set()
    found: set[str] = set()
    for y, row in enumerate(rows):
        step = len(row) // width
        pixels = {row[i : i + 3] for i in range(0, len(row), step)}
        colours |= pixels
        for name, rgb in wanted.items():
            if any(all(abs(p[c] - rgb[c]) <= 6 for c in range(3)) for p in pixels):
                found.add(name)
        if y > 420 and len(found) == len(wanted):
            break
    assert len(colours) > 100, f"only {len(colours)} colours: the page looks blank"
    assert found == set(wanted), f"status colours missing from the headline: {set(wanted) - found}"


def _colours_in(data: bytes, last_row: int) -> tuple[bytes, set[bytes]]:
    """The page's first pixel and every colour in its first ``last_row`` rows."""
    width, _, rows = png_rows(data)
    first, colours = b"", set()
    for y, row in enumerate(rows):
        step = len(row) // width
        first = first or row[:3]
        colours |= {row[i : i + 3] for i in range(0, len(row), step)}
        if y >= last_row:
            break
    return first, colours


@pytest.mark.slow
def test_a_browser_that_prefers_dark_draws_the_report_dark(page: Path, tmp_path: Path) -> None:
    """With a dark preference the page, its cards and the status colours of the headline turn to
    the dark palette; the same page without it stays light."""
    from okrctl.render.palette import DARK, LIGHT

    def near(pixel: bytes, colour: str) -> bool:
        return all(abs(pixel[c] - _hex(colour)[c]) <= 6 for c in range(3))

    for scheme, flags in (("dark", ("--force-dark-mode",)), ("light", ())):
        shot = tmp_path / f"{scheme}.png"
        result = chromium(
            tmp_path / f"profile-{scheme}", *flags, f"--screenshot={shot}", "--window-size=900,700", page.as_uri()
        )
        assert shot.exists(), result.stderr[-2000:]
        first, colours = _colours_in(shot.read_bytes(), 420)
        palette = DARK if scheme == "dark" else LIGHT
        assert near(first, palette["bg"]), (scheme, first.hex())
        for key in ("card", "on", "risk", "off"):
            assert any(near(p, palette[key]) for p in colours), (scheme, key)


@pytest.mark.slow
def test_the_dom_holds_the_report(page: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path / "profile", "--dump-dom", page.as_uri())
    dom = result.stdout
    assert "<h1><bdi>Digital Services</bdi> — November 2026</h1>" in dom, result.stderr[-2000:]
    for heading in (
        "8 objectives in 2026-Q4: 5 on track, 2 at risk, 1 off track, 0 with no check-in",
        "<h2>Alignment map</h2>",
        "<h2><bdi>Delight new customers by transforming the first-week experience</bdi></h2>",
        "<h2><bdi>Keep digital banking available whenever customers need it</bdi></h2>",
        "<h2><bdi>Make us the easiest bank for a small business to join and run from the phone</bdi></h2>",
        "<h3>Confidence trend per contributing team</h3>",
        "<h3>Issues raised most in November 2026</h3>",
    ):
        assert heading in dom, heading
    assert "<script" not in dom.lower()


@pytest.mark.slow
def test_chromium_prints_the_report(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    result = chromium(tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.exists(), result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = max(int(n) for n in re.findall(rb"/Count (\d+)", data))
    assert 2 <= pages <= 15, pages


MEASURE = """<script>
const out = [];
for (const node of document.querySelectorAll("svg.map g.node")) {
  const box = node.querySelector("rect").getBBox();
  for (const text of node.querySelectorAll("text")) {
    const drawn = text.getBBox();
    if (drawn.x + drawn.width > box.x + box.width - 2) out.push(text.textContent);
  }
}
document.body.setAttribute("data-overflow", JSON.stringify(out));
</script>"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("priority", "objective"),
    [
        ("Make every number trustworthy", "Make the first week seamless and confidence-boosting for new users"),
        ("WIN THE SMB MARKET IN EMEA WITH MOBILE FIRST", "MAKE THE FIRST WEEK SEAMLESS FOR EVERY NEW USER"),
        ("Wow WhatsApp-Mums with MMS", "Ship 100% of the new 2FA flows — 新規顧客のオンボーディング"),
        (
            "Win the SMB market in EMEA — UK & DE — €10M ARR — 2× pipeline",
            "Cards—Loans—Savings—Insurance—Wealth—Payments: one app—one login—one bill",
        ),
        ("&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&", "™ ½ ± × ÷ ⇒ ≤ ≥ → € ™ ½ ± × ÷ ⇒ ≤ ≥ → € a—b—c—d—e—f—g—h—i—j"),
        # Cyrillic Ж Щ Ш Ю are wider than W: this ran 20 px past its box.
        ("ЖЩШЮ ЩИТ ЖЮРИ ШУМ ЩЁЛК ЖУК ШЕФ ЩУКА", "ЖЩШЮ ЩИТ ЖЮРИ ШУМ ЩЁЛК ЖУК ШЕФ ЩУКА ЖЩШЮ ЩИТ ЖЮРИ ШУМ"),
        ("ΩΨΦ ΜΩΨ ΦΨΩ ΩΦΨ ΨΦΩ ΜΦΨ ΩΨΦ ΜΩΨ", "щука шмель жюри щит фыф щёлк жук шеф щука шмель жюри щит фыф щёлк мышь"),
        # Georgian ლ (1.07 em), Arabic س (1.22, its final form 1.28) and Armenian խ (0.98) were
        # counted as 0.74 em: these ran 63, 15 and 9 px past their boxes.
        ("ლლლლ ლლლ ლლლლ ლლლ ლლლლ ლლლ ლლლლ", "ლლლლ ლლლ ლლლლ ლლლ ლლლლ ლლლ ლლლლ ლლლლ ლლლ ლლლლ ლლლ"),
        ("سسسس سسس سسسس سسس سسسس سسس سسسس", "سسسس سسس سسسس سسس سسسس سسس سسسس سسسس سسس سسسس سسس"),
        ("խմխմ խմխ խմխմ խմխ խմխմ խմխ խմխմ", "խմխմ խմխ խմխմ խմխ խմխմ խմխ խմխմ խմխմ խմխ խմխմ խմխ"),
    ],
)
def test_every_title_of_the_alignment_map_stays_inside_its_box(tmp_path: Path, priority: str, objective: str) -> None:
    """Titles were wrapped by their number of characters: a priority's 29-character line in
    semi-bold ran past its box, and so did 26 capitals. They are wrapped by their estimated drawn
    width; Chromium measures every line of every box of the map."""
    from typer.testing import CliRunner

    from okrctl.cli.app import app

    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root)
    strategy = next((root / "strategy").glob("*.yaml"))
    text = strategy.read_text(encoding="utf-8")
    strategy.write_text(
        text.replace("title: Simplify onboarding for new customers", f"title: {json.dumps(priority)}"), "utf-8"
    )
    assert json.dumps(priority) in strategy.read_text(encoding="utf-8")
    discover = root / "okrs/2026-Q4/discover.yaml"
    text = discover.read_text(encoding="utf-8")
    old_title = "title: Make the first week seamless and confidence-boosting for new users"
    assert old_title in text
    discover.write_text(text.replace(old_title, f"title: {json.dumps(objective)}"), "utf-8")
    report = tmp_path / "report.html"
    args = ["report", "--repo", str(root), "--today", DEMO_DAY, "--format", "html", "--output", str(report)]
    assert CliRunner().invoke(app, args).exit_code == 0
    html = report.read_text(encoding="utf-8")
    svg = re.search(r'<svg class="map".*?</svg>', html, flags=re.S)
    drawn = html_text.unescape(svg.group()) if svg is not None else ""
    assert priority[:4] in drawn and objective[:4] in drawn  # both titles are in the map
    assert svg is not None
    assert overflowing(tmp_path, html, svg.group(), MEASURE) == "[]"


def overflowing(tmp_path: Path, html: str, body: str, script: str, *chromium_args: str) -> str:
    """What ``script`` (MEASURE, CHART_TEXT, ONE_LINE_CODES) finds drawn past its box when Chromium
    lays out ``body`` with the report's own style: the JSON list it leaves in ``data-overflow``."""
    style = re.search(r"<style>.*?</style>", html, flags=re.S)
    page = tmp_path / "measure.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{style.group() if style else ''}</head>"
        f"<body>{body}{script}</body></html>",
        encoding="utf-8",
    )
    done = chromium(tmp_path / "profile", *chromium_args, "--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    found = re.search(r'data-overflow="([^"]*)"', done.stdout)
    assert found is not None, done.stderr[-2000:]
    return found.group(1).replace("&quot;", '"')


CHART_TEXT = """<script>
const out = [];
for (const svg of document.querySelectorAll("svg.krchart, svg.trend")) {
  const view = svg.viewBox.baseVal;
  for (const text of svg.querySelectorAll("text")) {
    const drawn = text.getBBox();
    if (drawn.x < view.x - 0.5 || drawn.x + drawn.width > view.x + view.width + 0.5 ||
        drawn.y < view.y - 0.5 || drawn.y + drawn.height > view.y + view.height + 0.5) {
      out.push(text.textContent);
    }
  }
}
document.body.setAttribute("data-overflow", JSON.stringify(out));
</script>"""

WIDE_NUMBERS = """\
apiVersion: okrctl/v1
kind: Objective
id: co-obj
owner: co
cycle: 2026-Q4
title: Company objective
key_results:
  - {id: revenue, title: Revenue, unit: EUR, baseline: 1200000, target: 1500000}
  - {id: errors, title: Error rate, unit: "%", baseline: 0.005, target: 0.001}
  - {id: volume, title: Volume, unit: EUR, baseline: 1000000000, target: 2500000000}
  - {id: basket, title: Basket, unit: EUR, baseline: 1234.56, target: 9876.54}
  - {id: debt, title: Debt, unit: EUR, baseline: -1500000, target: 0}
  - {id: uptime, type: maintain, title: Uptime, unit: "%", min: 99.95, max: 100}
  - {id: drops, title: Dropped calls, unit: "%", baseline: 0.000250, target: 0.000125}
  - {id: close, title: Users, baseline: 1200000, target: 1204000}
  - {id: band, title: Balance, type: maintain, min: 1000000, max: 1004000}
  - {id: tiny, title: Failed settlements, baseline: 0.00005, target: 0.00001}
  - {id: neg, title: Drift, baseline: -0.000250, target: -0.000125}
  - {id: mixed, title: Fraud share, unit: "%", baseline: 0.000987, target: 0.0000249}
  - {id: negmixed, title: Skew, baseline: -0.000987, target: -0.0000249}
"""


@pytest.mark.slow
def test_every_label_of_a_key_result_chart_stays_inside_its_chart(tmp_path: Path) -> None:
    """The axis labels end at the chart's left margin and the forecast starts near its right
    edge: 1,500,000 was drawn as "500,000", 1,414,019 as "1,414,01" and 0.0000365 as "0.000036";
    so were -0.000125 and -0.000127 (a minus sign more than 0.000125), and 0.0004889 (a target of
    0.0000249 gives its key result seven decimals). Chromium measures every label of every chart
    against the chart's viewBox, for large, small, tiny, negative and maintained KRs."""
    from typer.testing import CliRunner

    from okrctl.cli.app import app

    root = tmp_path / "nums"
    (root / "checkins" / "co").mkdir(parents=True)
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\norganization: Nums\n", "utf-8")
    (root / "units.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: co\nname: Co\ntype: company\n", "utf-8")
    (root / "obj.yaml").write_text(WIDE_NUMBERS, "utf-8")
    results = "{revenue: 1310000, errors: 0.0031, volume: 1234567890, basket: 4321.09, debt: -1250000, uptime: 99.97, drops: 0.000187, close: 1202000, band: 1003900, tiny: 0.0000365, neg: -0.000187, mixed: 0.000731, negmixed: -0.000731}"
    for day in ("2026-10-09", "2026-10-23", "2026-11-06", "2026-11-13"):
        (root / "checkins" / "co" / f"{day}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: co\ndate: {day}\nconfidence: 7\nresults: {results}\n",
            "utf-8",
        )
    report = tmp_path / "report.html"
    args = ["report", "--repo", str(root), "--today", "2026-11-20", "--format", "html", "--output", str(report)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    charts = re.findall(r'<svg class="(?:krchart|trend)".*?</svg>', html, flags=re.S)
    assert sum('class="krchart"' in chart for chart in charts) == 13
    # Values a key result keeps apart, its labels keep apart: 1.2M → 1.204M, not 1.2M twice.
    labels = [re.findall(r"<text[^>]*>([^<]*)</text>", chart) for chart in charts if "Users" in chart]
    assert labels and {"1.2M", "1.204M", "1.202M"} <= set(labels[0])
    assert overflowing(tmp_path, html, f"<main>{''.join(charts)}</main>", CHART_TEXT) == "[]"


ONE_LINE_CODES = """<script>
const out = [];
for (const code of document.querySelectorAll("td[data-label='Code'] code")) {
  if (code.getClientRects().length > 1) out.push(code.textContent);
}
document.body.setAttribute("data-overflow", JSON.stringify(out));
</script>"""


@pytest.mark.slow
def test_a_rule_code_on_the_findings_page_stays_on_one_line(tmp_path: Path) -> None:
    """At 1280 px the findings page drew ``OKR30`` and ``4`` on two lines: the stylesheet lets
    words break anywhere (so that a phone never scrolls sideways), and the narrow Code column gave
    way to the message beside it."""
    import shutil

    from typer.testing import CliRunner

    from okrctl.cli.app import app
    from tests.conftest import EXAMPLES

    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root)
    cards = root / "okrs" / "2026-Q4" / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("target: 40", "target: 10"), "utf-8")
    site = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", str(site), "--repo", str(root), "--today", "2026-11-20", "--no-history"])
    assert result.exit_code == 0, result.output
    html = (site / "align.html").read_text(encoding="utf-8")
    main = re.search(r"<main>.*</main>", html, flags=re.S)
    assert main is not None and "OKR304" in main.group()
    assert overflowing(tmp_path, html, main.group(), ONE_LINE_CODES, "--window-size=1280,700") == "[]"
