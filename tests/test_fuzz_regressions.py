"""Every input the fuzzing session (``tests/fuzz/run.py``) found failing, replayed on every run.

Loader inputs are files of any bytes: okrctl reads them into documents or findings with a place.
Check-in inputs decode into answers: the composed YAML parses and reads back as those answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.targets import TARGETS

KEPT = Path(__file__).parent / "fixtures" / "fuzz"
CASES = sorted((target, path) for target in TARGETS for path in (KEPT / target).glob("*.bin"))


@pytest.mark.parametrize(("target", "path"), CASES, ids=[f"{t}-{p.stem}" for t, p in CASES])
def test_a_kept_fuzzing_input_passes(target: str, path: Path) -> None:
    TARGETS[target](path.read_bytes())


def test_the_kept_inputs_are_there() -> None:
    assert CASES, "tests/fixtures/fuzz/ holds the inputs the fuzzing session found failing"
