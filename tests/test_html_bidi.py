"""Right-to-left text from the repository does not reorder the HTML pages' own text around it.

The Unicode bidi algorithm joins an Arabic or Hebrew name with the numbers and punctuation beside
it: ``— <name>, 55% done`` is drawn ``— 55 ,<name>% done``. Every piece of repository text in an
element's content is isolated (``<bdi>``), so the page reads as written whatever the names are.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import DEMO_DAY, git
from tests.helpers_git import commit_at, hermetic_git

ARABIC = "الخدمات"
HEBREW = "שירות"
# The repository's free text: names, titles, notes, issues, plans, needs, retros, the strategy.
TEXT_KEYS = {"name", "title", "why", "vision", "note", "need", "organization", "author"}
TEXT_LISTS = {"issues", "plan", "not_doing", "work", "attractors", "detractors", "achieved", "learned", "surprised"}
# Elements whose text is laid out apart from the page's: the document's title, the style sheet,
# and SVG's own text and tooltips (each holds one text, placed on its own).
APART = {"title", "style", "text"}


def _rtl(value: str, word: str) -> str:
    return f"{word} {value}"


def _written_right_to_left(node: object, word: str) -> None:
    """Every free text of a YAML document begins with a right-to-left word; a key result's unit too."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and (key in TEXT_KEYS or (key == "unit" and "need" not in node)):
                node[key] = _rtl(value, word)
            elif key in TEXT_LISTS and isinstance(value, list):
                node[key] = [_rtl(v, word) if isinstance(v, str) else v for v in value]
            else:
                _written_right_to_left(value, word)
    elif isinstance(node, list):
        for item in node:
            _written_right_to_left(item, word)


def _organisation_written_right_to_left(root: Path) -> None:
    yaml = YAML()
    yaml.width = 4096
    for number, path in enumerate(sorted(root.rglob("*.yaml"))):
        documents = list(yaml.load_all(path.read_text(encoding="utf-8")))
        for data in documents:
            _written_right_to_left(data, ARABIC if number % 2 else HEBREW)
        with path.open("w", encoding="utf-8") as out:
            yaml.dump_all(documents, out)


class Unisolated(HTMLParser):
    """The text nodes holding a right-to-left letter that no ``<bdi>`` (or ``dir`` attribute) isolates."""

    VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "col", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append((tag, tag == "bdi" or dict(attrs).get("dir") is not None))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        right_to_left = any(unicodedata.bidirectional(c) in ("R", "AL") for c in data)
        if right_to_left and not any(isolated or tag in APART for tag, isolated in self.open):
            where = " > ".join(tag for tag, _ in self.open[-4:])
            self.found.append(f"{where}: {data.strip()[:80]}")


def unisolated(html: str) -> list[str]:
    parser = Unisolated()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.fixture
def rtl_banco(copy_example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Banco with every name, title and note written right to left, in a git repository whose last
    commit (by an author with an Arabic name) moved a target and a key result's title this month."""
    hermetic_git(monkeypatch, tmp_path)
    root = copy_example("banco")
    _organisation_written_right_to_left(root)
    git(root, "init", "-q")
    commit_at(root, "2026-11-02", "okrs")
    okrs = root / "okrs" / "2026-Q4" / "discover.yaml"
    yaml = YAML()
    yaml.width = 4096
    objective = yaml.load(okrs.read_text(encoding="utf-8"))
    kr = objective["key_results"][0]
    kr["title"] = f"{kr['title']} {ARABIC}"
    kr["target"] += 1
    with okrs.open("w", encoding="utf-8") as out:
        yaml.dump(objective, out)
    commit_at(root, "2026-11-12", "move a target", name=f"{ARABIC} {HEBREW}")
    return root


@pytest.mark.slow
def test_every_right_to_left_text_of_the_site_and_the_report_is_isolated(cli, rtl_banco: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = cli("site", str(out), "--repo", str(rtl_banco), "--today", DEMO_DAY)
    assert result.exit_code == 0, result.output
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    reports = {}
    for unit in ("banco", "digital-services"):
        target = tmp_path / f"{unit}.html"
        args = ("report", "--repo", str(rtl_banco), "--today", DEMO_DAY, "--unit", unit, "-f", "html")
        result = cli(*args, "--output", str(target))
        assert result.exit_code == 0, result.output
        reports[f"report {unit}"] = target.read_text(encoding="utf-8")
    everything = {**pages, **reports}
    # The organisation is really written right to left, and the report shows what the history moved.
    assert all(HEBREW in html or ARABIC in html for html in everything.values())
    assert "after the cycle started" in reports["report digital-services"]
    assert {name: unisolated(html) for name, html in everything.items()} == {name: [] for name in everything}


def test_a_right_to_left_unit_name_leaves_the_progress_after_it(cli, copy_example, tmp_path: Path) -> None:
    """The reviewer's page: a priority's objective, its unit's name, then "55% done" in that order."""
    root = copy_example("banco")
    unit = root / "units" / "digital-services.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("name: Digital Services", f"name: {ARABIC}"), "utf-8")
    out = tmp_path / "site"
    result = cli("site", str(out), "--repo", str(root), "--today", DEMO_DAY, "--no-history")
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'— <a href="units/digital-services.html"><bdi>{ARABIC}</bdi></a>, 55% done (expected 55%)' in index
    assert unisolated(index) == []
    # The policy still forbids every script and remote load.
    assert (
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        in index
    )


def test_a_piece_inside_okrctls_phrase_is_isolated_and_escaped_whole() -> None:
    from okrctl.render.escape import bdi, bdi_in

    assert bdi("") == ""
    assert bdi(f"R&D <{ARABIC}>") == f"<bdi>R&amp;D &lt;{ARABIC}&gt;</bdi>"
    # "amp" or "lt" as a piece cannot cut an entity in two: the text is split before it is escaped.
    assert bdi_in("32 → 24 amp<lt", "amp", "lt") == "32 → 24 <bdi>amp</bdi>&lt;<bdi>lt</bdi>"
    assert bdi_in(f"{ARABIC} owns no objective in 2026-Q4.", ARABIC, "") == (
        f"<bdi>{ARABIC}</bdi> owns no objective in 2026-Q4."
    )
