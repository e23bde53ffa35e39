"""Where the time of one IVR call goes: a cProfile of the ``overhead`` call, by component.

python bench/breakdown.py [CALLS]

Each function's own time (cProfile's ``tottime``) is added to the component its file
belongs to. The profiler slows pure-Python code more than C code, so the figures are
shares of a profiled run, not wall times; compare them between versions (``PYTHONPATH=``
another revision's package, as ``bench/compare.py`` does).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))

from bench.overhead import simulated  # noqa: E402

#: (component, what a file path contains), first match wins
COMPONENTS = (
    ("twimlsim: REST API", "twimlsim/rest/"),
    ("twimlsim: transports", "twimlsim/transports/"),
    ("twimlsim: TwiML parsing", "twimlsim/twiml/"),
    ("twimlsim: freezegun bridge", "twimlsim/freeze"),
    ("twimlsim: engine, clock, model", "twimlsim/"),
    ("freezegun", "freezegun/"),
    ("werkzeug", "werkzeug/"),
    ("the app (Flask)", "flask/"),
    ("the app (Flask)", "bench/ivr_app"),
    ("responses", "responses/"),
    ("twilio client", "twilio/"),
    ("requests, urllib3", "requests/"),
    ("requests, urllib3", "urllib3/"),
    ("lxml", "lxml"),
)


def component(filename: str) -> str:
    for name, marker in COMPONENTS:
        if marker in filename:
            return name
    return "standard library, builtins"


def main(calls: int) -> None:
    with ExitStack() as stack:
        run, _ = simulated(stack)
        for _ in range(20):
            run()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(calls):
            run()
        profile.disable()
    stats = pstats.Stats(profile)
    totals: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        name = component(filename)
        totals[name] = totals.get(name, 0.0) + own
    whole = sum(totals.values())
    print(f"profiled time per call: {whole / calls * 1e6:.0f} us ({calls} calls)")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {name:<32} {seconds / calls * 1e6:8.0f} us  {seconds / whole:6.1%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
