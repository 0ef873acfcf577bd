"""A file saved as UTF-16 without a byte-order mark is named UTF-16 (OKR100) whatever its first
characters are, and a binary file is never taken for one."""

from __future__ import annotations

import gzip
import json
import shutil
import struct
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, ROOT

GOOD = ROOT / "tests" / "fixtures" / "good" / "minimal"
UNIT = "apiVersion: okrctl/v1\nkind: Unit\nid: cards\nparent: minco\nname: Cards\n"
SAID = "file is UTF-16; okrctl reads UTF-8 only"
HINT = "save the file as UTF-8 (in the editor's encoding menu, or with iconv -f UTF-16 -t UTF-8)"


def findings_for(cli, tmp_path: Path, content: bytes) -> list[tuple[str, str, str, str]]:
    """align's findings for the good minimal repository with one more file, z-extra/unit.yaml."""
    repo = tmp_path / "repo"
    shutil.copytree(GOOD, repo)
    (repo / "z-extra").mkdir()
    (repo / "z-extra" / "unit.yaml").write_bytes(content)
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 1
    return [(f["code"], f["path"], f["message"], f["hint"]) for f in json.loads(result.stdout)["findings"]]


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "first",
    [
        "# Карты\n",  # (the file of the report: 'binary file')
        "# é\n",  # (every other byte NUL: named UTF-16 before too)
        "# 数字服务 — 目标\n",
        "# Отдел карточных продуктов: цели на квартал\n",
        "# 🃏 cards\n",  # (a character of two code units)
        # Two long lines of comment before the keys: more than 128 characters, few of them ASCII.
        "# Цели команды на четвёртый квартал: выпуск, активация и первое использование карты\n"
        "# Владелец файла: команда карт, обновляется еженедельно\n",
    ],
    ids=["cyrillic", "latin-1", "chinese", "a-line-of-cyrillic", "emoji", "two-lines-of-cyrillic"],
)
def test_utf16_without_a_byte_order_mark_is_named_utf16(cli, tmp_path, order, first) -> None:
    content = (first + UNIT).encode(order)
    assert findings_for(cli, tmp_path, content) == [("OKR100", "z-extra/unit.yaml", SAID, HINT)]


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_long_comment_in_another_script_after_its_keys_is_named_utf16(cli, tmp_path, order) -> None:
    """Forty lines of Chinese after the keys: fewer than a quarter of the first 2,048 characters
    are ASCII, and it was "binary file" (the first 128, read before, were the keys)."""
    comment = "".join(f"# 第{n}行：本季度卡片团队的目标、发布计划与首次使用卡片的体验改进说明\n" for n in range(40))
    content = (UNIT + comment).encode(order)
    assert findings_for(cli, tmp_path, content) == [("OKR100", "z-extra/unit.yaml", SAID, HINT)]


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "line",
    [
        "# Еженедельный чек-ин команды: уверенность, результаты, проблемы и план\n",
        "# 每周签到：信心、结果、问题和计划，以及更多的说明文字用于测试\n",
    ],
    ids=["cyrillic", "chinese"],
)
def test_utf16_with_a_long_comment_in_another_script_before_its_keys_is_named_utf16(cli, tmp_path, order, line) -> None:
    """Sixty lines of comment before the keys fill the first 2,048 characters with neither a key
    nor a quarter of ASCII: it was "binary file (contains NUL bytes)", without the hint."""
    content = (line * 60 + UNIT).encode(order)
    assert findings_for(cli, tmp_path, content) == [("OKR100", "z-extra/unit.yaml", SAID, HINT)]


def test_an_objective_in_utf16_with_cyrillic_first_is_one_finding(cli, copy_example, git_repo) -> None:
    """The file still says whose objective it was (read as UTF-16, in its byte order): its team's
    check-ins, targets and what it served are not findings of their own."""
    root = copy_example("banco")
    path = root / "okrs" / "2026-Q4" / "digital-services.yaml"
    text = "# Карты — Cards\n" + path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-16-be"))
    git_repo(root)
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    found = [(f["code"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("OKR100", "okrs/2026-Q4/digital-services.yaml", SAID)]


def _binary_decoding_as_utf16() -> bytes:
    """A record of little integers (as binary files hold): every two bytes are a character of
    UTF-16 (none a lone surrogate half), a quarter and more of them ASCII, but control characters."""
    content = b"".join(struct.pack("<HH", n, 0x4E00 + n) for n in range(1, 40))
    content.decode("utf-16-le")  # (it does decode)
    return content


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        gzip.compress(UNIT.encode("utf-8"), mtime=0),
        _binary_decoding_as_utf16(),
        # UTF-8 text with a NUL byte: read as UTF-16, Chinese characters with one line break
        UNIT.replace("\nkind", "\x00\nkind").encode("utf-8"),
    ],
    ids=["png", "gzip", "little-integers", "utf-8-with-a-nul"],
)
def test_a_binary_file_is_not_taken_for_utf16(cli, tmp_path, content) -> None:
    [(code, path, message, _)] = findings_for(cli, tmp_path, content)
    assert (code, path, message) == ("OKR100", "z-extra/unit.yaml", "binary file (contains NUL bytes), not YAML")
