"""Run every benchmark and print each figure with its baseline and ratio.

python bench/run.py            # all of them, a few minutes on a 2-core machine
python bench/run.py scale      # only the named ones (overhead, scale, virtual_time,
                               # twiml, startup, other_tests, suite_cost,
                               # strategies, conference, instructions)
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Row, now  # noqa: E402

BENCHMARKS = (
    "overhead",
    "per_test",
    "paths",
    "scale",
    "virtual_time",
    "twiml",
    "startup",
    "other_tests",
    "suite_cost",
    "strategies",
    "conference",
    "instructions",
)


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHMARKS)
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
        return 2
    started = now()
    for name in chosen:
        module = importlib.import_module(f"bench.{name}")
        print(f"{name}:", flush=True)
        rows: list[Row] = module.main()
        for row in rows:
            print(row.render(), flush=True)
    print(f"total {now() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
