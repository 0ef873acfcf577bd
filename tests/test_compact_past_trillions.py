"""A chart label past the largest scale keeps three significant digits: ``1.74e15``, not ``1,742T``.

docs/report.md promises "three significant digits and a scale" for an HTML chart's labels; above
999T there is no scale left, and the labels grew a fourth digit (``1,000T``, ``1,742T``).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from okrctl.render.numbers import compact


def test_past_999t_a_label_is_written_in_scientific_form() -> None:
    values = (999.4e12, 999.5e12, 1e15, 1.742e15, -1.742e15, 9.994e15, 9.995e15, 1.5e20, 2**70)
    assert [compact(v, decimals=0) for v in values] == [
        "999T",
        "1e15",  # 999.5T rounds to 1,000T: no fourth digit
        "1e15",
        "1.74e15",
        "-1.74e15",
        "9.99e15",
        "1e16",  # the exponent is the rounded value's
        "1.5e20",
        "1.18e21",
    ]


def test_more_digits_where_a_charts_values_would_share_a_label() -> None:
    """As ``1.2M`` → ``1.204M``: the labels that keep a chart's values apart have the digits asked."""
    assert [compact(v, decimals=0, digits=4) for v in (1.2e15, 1.204e15)] == ["1.2e15", "1.204e15"]


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=1e14, max_value=1e300), st.booleans())
def test_a_label_from_999t_up_has_three_significant_digits(size: float, negative: bool) -> None:
    value = -size if negative else size
    text = compact(value, decimals=0)
    mantissa = text.lstrip("-").rstrip("T").split("e")[0]
    assert sum(c.isdigit() for c in mantissa) <= 3, text
    read = float(text[:-1]) * 1e12 if text.endswith("T") else float(text)
    assert abs(read - value) <= abs(value) * 0.005, text  # half a unit of the third digit


def test_the_html_report_labels_a_forecast_past_999t_with_three_digits(cli, tmp_path: Path, git_repo) -> None:
    """Baseline 0 and target 1e15 (the largest value a file takes), 5e14 on day 8 and 1e15 on day
    50: the forecast runs on past the target, to about 1.74e15 at the cycle's end."""
    root = tmp_path / "org"
    (root / "okrs").mkdir(parents=True)
    (root / "checkins" / "ops").mkdir(parents=True)
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n", encoding="utf-8")
    (root / "units.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: ops\nname: Ops\n", encoding="utf-8")
    (root / "okrs" / "ops.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: big\nowner: ops\ncycle: 2026-Q4\ntitle: Serve more\n"
        "key_results:\n  - {id: bytes, title: Bytes served, baseline: 0, target: 1e15}\n",
        encoding="utf-8",
    )
    for day, value in (("2026-10-09", "5e14"), ("2026-11-20", "1e15")):
        (root / "checkins" / "ops" / f"{day}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: ops\ndate: {day}\nconfidence: 6\nresults:\n  bytes: {value}\n",
            encoding="utf-8",
        )
    git_repo(root)
    result = cli("report", "--repo", str(root), "--unit", "ops", "--today", "2026-11-20", "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert ">1e15</text>" in result.stdout  # the target
    assert ">1.74e15</text>" in result.stdout  # the forecast
    assert "1,000T" not in result.stdout and "1,742T" not in result.stdout
