"""A chart label below 0.0001 is written in scientific form: ``2.49e-5``, not ``0.0000249``.

The labels beside an HTML chart's plot have room for about six characters (docs/report.md). Three
significant digits of a value below 0.0001 written out take nine, and Chromium cut the forecast's
last digit at the chart's right edge ("0.000024|9"). The text alternative and the table of values
under the chart keep the full value.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from okrctl.render.map.svg import drawn_width
from okrctl.render.numbers import compact

CHART_WIDTH = 320.0  # the viewBox of svg.krchart


def test_a_label_below_a_ten_thousandth_keeps_its_digits_in_scientific_form() -> None:
    assert [compact(v, decimals=7) for v in (0.0000249, 0.0000365, 0.00005, -0.00001, 0.00001234)] == [
        "2.49e-5",
        "3.65e-5",
        "5e-5",
        "-1e-5",
        "1.23e-5",
    ]
    # From 0.0001 up, and what the precision rounds to 0.0001 or to zero, reads as before.
    assert [compact(v, decimals=7) for v in (0.000125, 0.0001, 0.0000999996, 0.00000002)] == [
        "0.000125",
        "0.0001",
        "0.0001",
        "0",
    ]


CARDS = """\
apiVersion: okrctl/v1
kind: Objective
id: settle
owner: cards
cycle: 2026-Q4
title: Settlements almost never fail
key_results:
  - id: p-fail
    title: Probability of a failed settlement
    baseline: 0.00005
    target: 0.00001
"""

WEEKS = {
    "2026-10-02": "0.000049",
    "2026-10-09": "0.000047",
    "2026-10-16": "0.000044",
    "2026-10-23": "0.000043",
    "2026-10-30": "0.000041",
    "2026-11-06": "0.000039",
    "2026-11-13": "0.000038",
    "2026-11-20": "0.0000365",
}


def test_the_html_reports_labels_of_a_tiny_probability_fit_inside_its_chart(cli, tmp_path: Path, git_repo) -> None:
    """A key result from 0.00005 to 0.00001: its forecast (about 0.0000249) was drawn at x=270 of
    the 320-wide chart as nine characters, one more than fits."""
    root = tmp_path / "org"
    (root / "okrs").mkdir(parents=True)
    (root / "checkins" / "cards").mkdir(parents=True)
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n", encoding="utf-8")
    (root / "units.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: cards\nname: Cards\n", encoding="utf-8")
    (root / "okrs" / "cards.yaml").write_text(CARDS, encoding="utf-8")
    for day, value in WEEKS.items():
        (root / "checkins" / "cards" / f"{day}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\ndate: {day}\nconfidence: 7\nresults:\n  p-fail: {value}\n",
            encoding="utf-8",
        )
    git_repo(root)
    result = cli("report", "--repo", str(root), "--unit", "cards", "--today", "2026-11-20", "--format", "html")
    assert result.exit_code == 0, result.stderr
    chart = re.search(r'<svg class="krchart".*?</svg>', result.stdout, flags=re.S)
    assert chart is not None
    labels = re.findall(r"<text ([^>]*)>([^<]*)</text>", chart.group())
    said = [html.unescape(text) for _, text in labels]
    assert {"5e-5", "1e-5", "2.49e-5", "3.65e-5"} <= set(said), said  # baseline, target, forecast, last value
    assert not [text for text in said if text.startswith("0.0000")], said
    for attributes, text in labels:
        x = float(re.search(r'\bx="([\d.]+)"', attributes).group(1))  # type: ignore[union-attr]
        size = float(re.search(r'font-size="([\d.]+)"', attributes).group(1))  # type: ignore[union-attr]
        width = drawn_width(html.unescape(text), size, bold='font-weight="700"' in attributes)
        left, right = (x - width, x) if 'text-anchor="end"' in attributes else (x, x + width)
        assert left >= 0 and right <= CHART_WIDTH, (text, left, right)
    # The text alternative and the folded table keep the full value.
    alternative = re.search(r'aria-label="([^"]*)"', chart.group())
    assert alternative is not None and "forecast at cycle end 0.0000249" in html.unescape(alternative.group(1))
    assert '<td class="num">0.0000365</td>' in result.stdout


def test_a_label_longer_than_the_room_keeps_the_digits_that_fit() -> None:
    """A minus sign made -0.000125 one character too many (Chromium drew it past the chart's left
    edge), and a target of 0.0000249 gave a forecast of 0.000489 seven decimals (``0.0004889``). A
    label longer than eight characters keeps the most of its digits that fit, written out when they
    do, else in scientific form; the labels that fitted read as before."""
    assert [compact(v, decimals=6) for v in (-0.000125, -0.000127, -0.000987, -0.00025)] == [
        "-1.25e-4",
        "-1.27e-4",
        "-9.87e-4",
        "-0.00025",
    ]
    assert [compact(v, decimals=7) for v in (0.00048888, -0.00048888, 0.000987, -0.0000249, 0.3333333)] == [
        "4.889e-4",
        "-4.89e-4",
        "0.000987",
        "-2.49e-5",
        "0.333333",
    ]
    # Below 0.0001 many decimals keep their digits in scientific form as far as they fit.
    assert compact(0.00003651234, decimals=11) == "3.651e-5"
    for value in (-0.000125, 0.00048888, -0.00048888, 0.00003651234, -0.123456789, -1.23e-10):
        assert len(compact(value, decimals=12)) <= 8, value


def test_the_html_reports_negative_and_mixed_labels_fit(cli, tmp_path: Path, git_repo) -> None:
    """A key result from -0.000987 to -0.0000249 at -0.000731: its baseline read ``-0.000987`` and
    its forecast ``-0.0004889``, both drawn past the chart's edge; the table keeps the full value."""
    root = tmp_path / "org"
    (root / "okrs").mkdir(parents=True)
    (root / "checkins" / "cards").mkdir(parents=True)
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n", encoding="utf-8")
    (root / "units.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: cards\nname: Cards\n", encoding="utf-8")
    objective = CARDS.replace("baseline: 0.00005", "baseline: -0.000987").replace(
        "target: 0.00001", "target: -0.0000249"
    )
    (root / "okrs" / "cards.yaml").write_text(objective, encoding="utf-8")
    for day in ("2026-10-09", "2026-10-23", "2026-11-06", "2026-11-13"):
        (root / "checkins" / "cards" / f"{day}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\ndate: {day}\nconfidence: 7\nresults:\n  p-fail: -0.000731\n",
            encoding="utf-8",
        )
    git_repo(root)
    result = cli("report", "--repo", str(root), "--unit", "cards", "--today", "2026-11-20", "--format", "html")
    assert result.exit_code == 0, result.stderr
    chart = re.search(r'<svg class="krchart".*?</svg>', result.stdout, flags=re.S)
    assert chart is not None
    said = [html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", chart.group())]
    assert {"-9.87e-4", "-2.49e-5", "-4.89e-4"} <= set(said), said  # baseline, target, forecast
    assert all(len(text) <= 8 for text in said), said
    alternative = re.search(r'aria-label="([^"]*)"', chart.group())
    assert alternative is not None and "forecast at cycle end -0.0004889" in html.unescape(alternative.group(1))
    assert '<td class="num">-0.000731</td>' in result.stdout
