"""Before and after: run benchmarks against another revision's package and this one's.

python bench/compare.py REV [BENCHMARK ...] [--rounds N]

The ``twimlsim`` package of git revision ``REV`` is extracted to a temporary folder; each
round runs every chosen benchmark (today's benchmark code) once against that package and
once against the working tree's, alternately, each in a fresh interpreter, so that a noisy
machine's load falls on both. Printed: the median of each figure on both sides.

Both packages are byte-compiled first (``compileall``), as an installed package is: with
``PYTHONDONTWRITEBYTECODE`` set, the extracted package would otherwise be compiled from
source at every import (about 130 ms more for ``from twimlsim import Simulator``), and so
would any module of the working tree edited since its ``.pyc`` was written.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = """
import json, importlib, sys
rows = importlib.import_module("bench." + sys.argv[1]).main()
print(json.dumps([[row.name, row.value, row.baseline, row.unit] for row in rows]))
"""


def extract(revision: str, into: Path) -> None:
    """The ``twimlsim`` package as it is at ``revision``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "twimlsim"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    compileall.compile_dir(into / "twimlsim", quiet=1)


def run(benchmark: str, package_root: Path | None) -> list[list[Any]]:
    """The rows of one run of ``benchmark``, with ``twimlsim`` from ``package_root``."""
    paths = [str(ROOT)] if package_root is None else [str(package_root), str(ROOT)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, benchmark],
        cwd=tempfile.gettempdir(),  # not the checkout: its twimlsim would come first
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows: list[list[Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


def _ratio(figures: dict[str, list[float]], side: str) -> float:
    """The median of each round's ratio of ``side`` to its own baseline."""
    pairs = zip(figures[side], figures[f"{side} baseline"], strict=True)
    return statistics.median(value / baseline for value, baseline in pairs)


def main(argv: list[str]) -> int:
    rounds = 5
    if "--rounds" in argv:
        at = argv.index("--rounds")
        rounds = int(argv[at + 1])
        del argv[at : at + 2]
    if not argv:
        print(__doc__)
        return 2
    revision, benchmarks = argv[0], argv[1:] or ["overhead", "paths", "scale"]
    with tempfile.TemporaryDirectory() as folder:
        before_root = Path(folder)
        extract(revision, before_root)
        compileall.compile_dir(ROOT / "twimlsim", quiet=1)
        results: dict[tuple[str, str], dict[str, list[float]]] = {}
        for number in range(rounds):
            for benchmark in benchmarks:
                for side, root in (("before", before_root), ("after", None)):
                    for name, value, baseline, unit in run(benchmark, root):
                        figures = results.setdefault((str(name), str(unit)), {})
                        figures.setdefault(side, []).append(float(value))
                        if baseline is not None:
                            figures.setdefault(f"{side} baseline", []).append(float(baseline))
            print(f"round {number + 1} of {rounds} done", file=sys.stderr, flush=True)
    print(f"medians of {rounds} interleaved rounds; before = {revision}")
    for (name, unit), figures in results.items():
        cells = "  ".join(
            f"{side} {statistics.median(values):9.4g}" for side, values in figures.items()
        )
        ratios = "".join(
            f"  {side} ratio {_ratio(figures, side):.3f}"
            for side in ("before", "after")
            if f"{side} baseline" in figures
        )
        print(f"  {name:<46} {unit:>3}  {cells}{ratios}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
