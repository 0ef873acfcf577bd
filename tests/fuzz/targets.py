"""What the fuzzing session checks, as plain functions: each takes the fuzzer's bytes and raises
``AssertionError`` (or anything else) when okrctl misbehaves on them.

The same functions run every kept input under ``tests/fixtures/fuzz/`` in the default test run
(``tests/test_fuzz_regressions.py``); ``tests/fuzz/run.py`` drives them with a coverage-guided
fuzzer. Nothing here needs the fuzzer installed.
"""

from __future__ import annotations

import functools
import math
import shutil
import struct
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BANCO = ROOT / "examples" / "banco"
DAY = date(2026, 11, 20)  # the examples' last check-in: Discover has one on that day
NEW_DAY = date(2026, 11, 21)


# ----- the loader: bytes -> documents and findings ---------------------------------------------------
def loader(raw: bytes) -> None:
    """Any bytes as a file: documents or findings with a place, never an exception."""
    from okrctl.load.documents import Doc, parse_bytes, read_problem, validate
    from okrctl.load.yamlparse import YamlProblem

    rel = "okrs/fuzzed.yaml"
    try:
        parsed = parse_bytes(rel, raw)
    except YamlProblem as problem:
        finding = read_problem(rel, problem)
        assert finding.line >= 1 and finding.column >= 1, finding
        assert finding.message, finding
        return
    for p in parsed:
        doc = Doc(rel, p.index, p.line, p.column, p.data, ignore=p.ignore, parsed=p)
        for finding in validate(doc):
            assert finding.path == rel and finding.line >= 1 and finding.column >= 1, finding
            assert finding.code.startswith("OKR1"), finding
            assert "\n" not in finding.message, finding


# ----- the check-in writer: answers -> YAML that reads back as the same answers ----------------------
class Bytes:
    """Reads typed values off the fuzzer's bytes (what atheris' FuzzedDataProvider does, portably)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def byte(self) -> int:
        if self.at >= len(self.data):
            return 0
        self.at += 1
        return self.data[self.at - 1]

    def number(self) -> float:
        kind = self.byte() % 4
        if kind == 0:
            return float(self.byte())
        if kind == 1:
            return (self.byte() * 256 + self.byte()) / 100.0
        if kind == 2:
            chunk = self.data[self.at : self.at + 8].ljust(8, b"\0")
            self.at += 8
            value = struct.unpack("<d", chunk)[0]
            return value if math.isfinite(value) else 0.0
        return -float(self.byte())

    def text(self) -> str:
        size = self.byte() % 40
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk.decode("utf-8", "replace")


@functools.lru_cache(maxsize=1)
def _bank() -> Path:
    """A private copy of the bank example (the fuzzer never writes; the copy guards the source)."""
    target = Path(tempfile.mkdtemp(prefix="okrctl-fuzz-")) / "banco"
    shutil.copytree(BANCO, target, ignore=shutil.ignore_patterns(".okrctl-cache"))
    return target


@functools.lru_cache(maxsize=1)
def _repo() -> Any:
    from okrctl.load.pipeline import load_repo

    return load_repo(_bank(), use_cache=False)


def checkin_writer(raw: bytes) -> None:
    """Answers decoded from the bytes, composed as a new or an amended check-in: the text parses,
    and whenever it fits the schema it reads back as exactly those answers."""
    from okrctl.checkin import Answers, compose, prepare
    from okrctl.checkin.session import MAX_TEXT, tidy
    from okrctl.checkin.validate import answers_differ
    from okrctl.load.documents import Doc, parse_bytes, validate

    source = Bytes(raw)
    amend = source.byte() % 2 == 1
    repo = _repo()
    session = prepare(repo, "discover", DAY if amend else NEW_DAY, NEW_DAY, amend=amend)
    answers = Answers()
    answers.confidence = source.number()
    for line in session.krs:
        if source.byte() % 2:
            value: float | bool = source.number()
            if line.kr.type == "milestone" and source.byte() % 2:
                value = bool(source.byte() % 2)
            answers.results[line.key] = value
            note = tidy(source.text())[:MAX_TEXT]
            if note:
                answers.notes[line.key] = note
    existing = session.existing_checkin
    answers.issues = list(existing.issues) if existing is not None else []
    answers.plan = list(existing.plan) if existing is not None else []
    for _ in range(source.byte() % 4):
        item = tidy(source.text())[:MAX_TEXT]
        if item and item not in answers.issues:
            answers.issues.append(item)
    for _ in range(source.byte() % 4):
        item = tidy(source.text())[:MAX_TEXT]
        if item and item not in answers.plan:
            answers.plan.append(item)
    text = compose(session, answers, "fuzz@example.com")
    parsed = parse_bytes(session.rel, text.encode("utf-8"))  # okrctl's own output must always parse
    index = session.existing.index if session.existing is not None else 0
    p = parsed[index]
    doc = Doc(session.rel, p.index, p.line, p.column, p.data, ignore=p.ignore, parsed=p)
    problems = validate(doc)
    if problems:
        # Only values out of range may be refused (a confidence outside the scale is caught later).
        assert all(f.code == "OKR101" for f in problems), problems
        return
    differences = answers_differ(session, answers, doc.model)
    assert not differences, differences


TARGETS = {"loader": loader, "checkin": checkin_writer}
