"""What a finished call keeps, by the line of code that allocated it (tracemalloc).

python bench/memory.py          # 1,000 calls of the `scale` benchmark's kind
python bench/memory.py 10000    # more calls (a few minutes): bounded caches weigh less

Runs the calls of `bench/scale.py` (a voice webhook and a completed status callback each,
request log kept) and prints the bytes still held per call once they have all ended,
largest first, each with the innermost twimlsim line that allocated them and the line of
twimlsim that called it; then the objects left per call, by type. A finished call's
objects are its record, its log and what the run shares between calls; what is shared
(bounded caches of quoted values, layouts of parameter names) weighs less per call the
more calls there are.
"""

from __future__ import annotations

import collections
import gc
import linecache
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import place_calls  # noqa: E402
from bench.scale import app  # noqa: E402
from twimlsim import Simulator  # noqa: E402

#: Sites holding less than this many bytes per call are summed as "the rest".
SHOWN_FROM = 16.0


def _types() -> collections.Counter[str]:
    return collections.Counter(type(thing).__qualname__ for thing in gc.get_objects())


def _site(frames: tracemalloc.Traceback) -> str:
    ours = [frame for frame in reversed(frames) if "twimlsim" in frame.filename]
    if not ours:
        innermost = frames[-1]
        return f"{Path(innermost.filename).name}:{innermost.lineno}"
    first = ours[0]
    code = linecache.getline(first.filename, first.lineno).strip()
    caller = f" <- {Path(ours[1].filename).name}:{ours[1].lineno}" if len(ours) > 1 else ""
    return f"{Path(first.filename).name}:{first.lineno}{caller}  {code[:60]}"


def measure(count: int) -> None:
    """Print what ``count`` finished calls keep, per call."""
    gc.collect()
    with Simulator(cps=1) as sim:
        sim.route("https://app.test", app)
        sim.number("+15005550006")
        client = sim.client()
        types_before = _types()
        tracemalloc.start(8)
        before = tracemalloc.take_snapshot()
        place_calls(client, count)
        sim.run()
        gc.collect()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        kept = _types() - types_before
    ignored = [tracemalloc.Filter(False, tracemalloc.__file__)]
    sites: collections.Counter[str] = collections.Counter()
    for stat in after.filter_traces(ignored).compare_to(before.filter_traces(ignored), "traceback"):
        sites[_site(stat.traceback)] += stat.size_diff
    total = sum(sites.values()) / count
    print(f"{count:,} finished calls: {total:,.0f} bytes kept per call")
    rest = 0.0
    for site, size in sites.most_common():
        per_call = size / count
        if abs(per_call) < SHOWN_FROM:
            rest += per_call
        else:
            print(f"  {per_call:7.1f} B  {site}")
    print(f"  {rest:7.1f} B  the rest")
    print("objects left per call, by type:")
    for name, number in kept.most_common(20):
        if number >= count / 2:
            print(f"  {number / count:5.2f}  {name}")


if __name__ == "__main__":
    run_with = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    measure(50)  # imports and caches warmed up
    measure(run_with)
