"""The coverage-guided fuzzing session of the loader and the check-in writer (not run by pytest).

    pip install atheris
    nice python -m tests.fuzz.run loader  --seconds 300
    nice python -m tests.fuzz.run checkin --seconds 300

libFuzzer (through atheris) mutates inputs and keeps those that reach new code of okrctl and
ruamel.yaml. Every input that makes a target fail is written to ``tests/fixtures/fuzz/<target>/``
under a name from its content (the run goes on), and ``tests/test_fuzz_regressions.py`` replays
every file there in the default test run. The seed inputs are the example organisations' YAML
files (loader) and a few fixed byte strings (check-in writer). Each kept failure is printed as a
``FAILURE`` line; libFuzzer ends the process itself and prints the session's figures
(``stat::number_of_executed_units``, ``stat::new_units_added``) with ``-print_final_stats=1``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "fuzz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", choices=["loader", "checkin"])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--max-len", type=int, default=4096)
    options = parser.parse_args()

    import atheris

    with atheris.instrument_imports(include=["okrctl", "ruamel"]):
        # Imported here, so that their code is instrumented for coverage (the targets import lazily).
        import ruamel.yaml  # noqa: F401

        import okrctl.checkin
        import okrctl.checkin.validate
        import okrctl.load.documents
        import okrctl.load.pipeline
        import okrctl.load.yamlparse
        import okrctl.model  # noqa: F401
        from tests.fuzz import targets

    check = targets.TARGETS[options.target]
    kept = FIXTURES / options.target
    kept.mkdir(parents=True, exist_ok=True)
    counts = {"executions": 0, "failing": 0}
    distinct: set[str] = set()

    def one_input(data: bytes) -> None:
        counts["executions"] += 1
        try:
            check(data)
        except Exception as exc:  # every failure is kept; the session goes on
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            counts["failing"] += 1
            if where not in distinct:
                distinct.add(where)
                name = hashlib.sha1(data).hexdigest()[:16]
                (kept / f"{name}.bin").write_bytes(data)
                print(f"\nFAILURE {where}: {str(exc)[:300]} -> {kept / name}.bin", flush=True)

    corpus = Path(tempfile.mkdtemp(prefix=f"okrctl-fuzz-{options.target}-"))
    if options.target == "loader":
        for index, path in enumerate(sorted((ROOT / "examples").rglob("*.yaml"))):
            (corpus / f"seed-{index}").write_bytes(path.read_bytes()[: options.max_len])
        for index, path in enumerate(sorted((ROOT / "tests" / "fixtures" / "bad").rglob("*.yaml"))):
            (corpus / f"bad-{index}").write_bytes(path.read_bytes()[: options.max_len])
    else:
        for index, seed in enumerate([b"\0" * 64, b"\1" * 64, bytes(range(256)), b"\x01\x02? : - # {x}, [y]" * 8]):
            (corpus / f"seed-{index}").write_bytes(seed)
    for path in sorted(kept.glob("*.bin")):
        (corpus / f"kept-{path.stem}").write_bytes(path.read_bytes())

    atheris.Setup(
        [
            sys.argv[0],
            str(corpus),
            f"-max_total_time={options.seconds}",
            f"-max_len={options.max_len}",
            "-print_final_stats=1",
        ],
        one_input,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
