"""Code footprint: what each distinct function a call runs costs in second-level cache misses.

A simulated call executes fewer instructions than the floor of the same exchanges
(``bench/instructions.py``) but misses a 1 MB L2 about four times as often. This
experiment asks whether the number of distinct functions a call runs explains it: the
floor is counted again with ``N`` synthetic functions added to each iteration (each a
distinct code object of about 350 bytes of byte code, called once, as a call's engine
functions are), for ``N`` = 0, 100, 200 and 400, beside twimlsim's side. Each function
runs once an iteration, so its instructions are few; what grows with ``N`` is the code and
data an iteration touches. Collections of the oldest generation are off on every side.

Counted by valgrind's cachegrind, as ``bench/instructions.py`` counts (same driver, same
simulated cache, a fixed small environment), over the second twenty of forty iterations.
Needs ``valgrind``; takes about five minutes.

    python -m bench.footprint

With ``--working-set`` it counts the lines each side touches a call: each iteration first
writes over a buffer of three times a 16 MB simulated L2, so that nothing of the last
iteration is left in it, and the misses of the iteration less those of the flush alone are
the distinct 64-byte lines it reads or writes (a few minutes).

    python -m bench.footprint --working-set

With ``--cache-sizes`` it counts instead each side's misses with the simulated L2 at
sizes from 0.75 to 2 MB (16 to 32 ways of 64-byte lines; about ten minutes): where a
side's misses fall steeply, the cache has grown past what one call touches, so the curve
shows each side's working set a call, and how the ratio depends on the machine's L2.

    python -m bench.footprint --cache-sizes

With ``--bytecode`` it counts instead, without valgrind, how much of each side's touched
memory is byte code: the code objects a call runs and the distinct 64-byte lines of byte
code it executes (every instruction's offset, traced with ``sys.settrace``'s opcode events,
placed at its address inside its code object), twimlsim's own and the libraries' (a few
seconds). What a side touches beyond these lines is data: the functions' objects,
constants and names, classes, module dictionaries, and the objects the call reads.

    python -m bench.footprint --bytecode
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from types import CodeType, FrameType
from typing import Any

import twimlsim
from bench.instructions import counts, warm

ADDED = (0, 100, 200, 400)
#: Simulated L2 sizes of ``--cache-sizes``, in 64 kB steps of 16 ways: 0.75 MB to 2 MB.
SIZES_KB = (768, 1024, 1280, 1536, 1792, 2048)
#: Iterations counted, after as many uncounted (the difference of two runs): the first
#: iterations of a process compile, specialize and fill caches.
ITERATIONS = 20
#: Operations in each synthetic function's body: about 350 bytes of byte code, the size
#: of a typical function on twimlsim's per-call path.
BODY = 12


def distinct_functions(count: int) -> list[Callable[[int, int], int]]:
    """``count`` functions with distinct code objects (compiled from generated source:
    one code object each, as distinct functions of a program have)."""
    sources = []
    for number in range(count):
        lines = [f"def f{number}(a, b):", "    x = a"]
        lines += [f"    x = (x + b * {step} + {number}) % 9973" for step in range(BODY)]
        lines.append("    return x")
        sources.append("\n".join(lines))
    namespace: dict[str, object] = {}
    exec(compile("\n\n".join(sources), f"<{count} functions>", "exec"), namespace)  # noqa: S102
    return [namespace[f"f{number}"] for number in range(count)]  # type: ignore[misc]


def widened(run: Callable[[], None], count: int) -> Callable[[], None]:
    """``run``, each iteration also calling ``count`` distinct functions once.

    The oldest generation's collections are turned off from here on: one falling inside
    the counted iterations of one side and not another would swamp the difference."""
    functions = distinct_functions(count)
    gc.collect()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 10**9)

    def iteration() -> None:
        for function in functions:
            function(3, 5)
        run()

    return iteration


#: The simulated L2 of ``--working-set``, and the buffer written over before each
#: iteration: three times its size, so that no line of the last iteration is left.
WORKING_SET_CACHE = "--LL=16777216,16,64"
FLUSH_BYTES = 48 << 20


def flushed(run: Callable[[], None]) -> Callable[[], None]:
    """``run``, each iteration first writing one byte of every 64-byte line of a buffer of
    ``FLUSH_BYTES``: whatever the last iteration left in the cache is evicted."""
    buffer = bytearray(FLUSH_BYTES)
    zeros = bytes(len(range(0, FLUSH_BYTES, 64)))

    def iteration() -> None:
        buffer[::64] = zeros
        run()

    return iteration


def working_set() -> None:
    """The 64-byte lines each side touches a call (see the module's docstring)."""
    sides = ("call +0 functions flushed", "call floor +0 functions flushed", "call flush alone")
    for side in sides:
        warm(side)
    runs = [(side, count) for side in sides for count in (ITERATIONS, 2 * ITERATIONS)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores
        counted = dict(
            zip(
                runs,
                pool.map(lambda run: counts(run[0], run[1], WORKING_SET_CACHE), runs),
                strict=True,
            )
        )
    misses = {
        side: (counted[(side, 2 * ITERATIONS)][1] - counted[(side, ITERATIONS)][1]) / ITERATIONS
        for side in sides
    }
    flush = misses["call flush alone"]
    for side, name in zip(sides[:2], ("twimlsim's side", "floor"), strict=False):
        lines = misses[side] - flush
        print(f"  {name:16s} {lines / 1e3:6.2f} k lines a call ({lines * 64 / 2**20:.2f} MB)")


def _cache(size_kb: int) -> str:
    """valgrind's ``--LL`` for an L2 of ``size_kb`` with 1,024 sets of 64-byte lines
    (cachegrind needs a power of two of sets; the ways make up the size)."""
    return f"--LL={size_kb * 1024},{size_kb // 64},64"


def cache_sizes() -> None:
    """Each side's misses a call at each simulated L2 size of ``SIZES_KB`` (through
    ``widened`` with no functions added: the oldest generation's collections off)."""
    sides = ("call +0 functions", "call floor +0 functions")
    for side in sides:
        warm(side)
    runs = [
        (side, count, size)
        for side in sides
        for size in SIZES_KB
        for count in (ITERATIONS, 2 * ITERATIONS)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores
        counted = dict(
            zip(
                runs,
                pool.map(lambda run: counts(run[0], run[1], _cache(run[2])), runs),
                strict=True,
            )
        )
    print(f"  {'L2':>8s}  {'twimlsim (k misses)':>20s}  {'floor (k misses)':>17s}")
    for size in SIZES_KB:
        per_call = [
            (counted[(side, 2 * ITERATIONS, size)][1] - counted[(side, ITERATIONS, size)][1])
            / ITERATIONS
            for side in sides
        ]
        print(f"  {size / 1024:6.2f} MB  {per_call[0] / 1e3:20.2f}  {per_call[1] / 1e3:17.2f}")


#: Where a code object's byte code starts, from the object's address: in 3.11 and later
#: the byte code lives inside the object, after its fixed part.
CODE_HEADER_BYTES = CodeType.__basicsize__


def _executed(run: Callable[[], None]) -> tuple[dict[int, CodeType], dict[int, set[int]]]:
    """The code objects one ``run()`` executes, and the offsets of the instructions it
    executes in each (by the code object's ``id``, its address)."""
    codes: dict[int, CodeType] = {}
    offsets: defaultdict[int, set[int]] = defaultdict(set)

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        frame.f_trace_lines = False
        code = frame.f_code
        codes[id(code)] = code
        if event == "opcode":
            offsets[id(code)].add(frame.f_lasti)
        return trace

    sys.settrace(trace)
    try:
        run()
    finally:
        sys.settrace(None)
    return codes, offsets


#: The directory of twimlsim's own modules: a checkout is most often a directory named
#: twimlsim too (``git clone``), holding the virtual environment and these benchmarks.
_OWN_MODULES = os.path.dirname(os.path.abspath(twimlsim.__file__)) + os.sep


def _owner(code: CodeType) -> str:
    """Whose code: twimlsim's own, made at run time (``dataclasses``' methods), or a
    library's (the app, werkzeug, requests, the twilio client...)."""
    if code.co_filename.startswith(_OWN_MODULES):
        return "twimlsim"
    return "generated" if code.co_filename.startswith("<") else "libraries"


def bytecode() -> None:
    """Code objects and lines of byte code a call executes, on each side (in process)."""
    from bench import overhead

    owners = ("twimlsim", "generated", "libraries")
    print(f"  {'':16s} {'code objects':>30s}   {'lines of byte code':>30s}")
    print(f"  {'':16s} " + " ".join(f"{owner:>9s}" for owner in owners * 2))
    for name in ("twimlsim's side", "floor"):
        with ExitStack() as stack:
            run, seen = overhead.simulated(stack)
            if name == "floor":
                with ExitStack() as simulation:
                    _, seen = overhead.simulated(simulation)
                run = overhead.same_exchanges_floor(stack, seen)
            for _ in range(ITERATIONS):  # compiled, specialized, caches filled
                run()
            codes, offsets = _executed(run)
        objects: defaultdict[str, int] = defaultdict(int)
        lines: defaultdict[str, int] = defaultdict(int)
        for address, code in codes.items():
            start = address + CODE_HEADER_BYTES
            # an instruction is two bytes, and may straddle two lines
            touched = {
                (start + offset + half) // 64 for offset in offsets[address] for half in (0, 1)
            }
            objects[_owner(code)] += 1
            lines[_owner(code)] += len(touched)
        counted = [objects[owner] for owner in owners] + [lines[owner] for owner in owners]
        print(f"  {name:16s} " + " ".join(f"{count:9d}" for count in counted))


def main() -> None:
    if "--bytecode" in sys.argv[1:]:
        bytecode()
        return
    if shutil.which("valgrind") is None:
        print("  footprint: skipped, valgrind is not installed (apt install valgrind)")
        return
    if "--cache-sizes" in sys.argv[1:]:
        cache_sizes()
        return
    if "--working-set" in sys.argv[1:]:
        working_set()
        return
    sides = ["call +0 functions", *(f"call floor +{added} functions" for added in ADDED)]
    for side in sides:
        warm(side)
    runs = [(side, count) for side in sides for count in (ITERATIONS, 2 * ITERATIONS)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores
        counted = dict(zip(runs, pool.map(lambda run: counts(*run), runs), strict=True))
    base_misses = None
    for side in sides:
        none, every = counted[(side, ITERATIONS)], counted[(side, 2 * ITERATIONS)]
        instructions = (every[0] - none[0]) / ITERATIONS
        misses = (every[1] - none[1]) / ITERATIONS
        line = (
            f"  {side:32s} {instructions / 1e6:6.2f} M instructions"
            f"  {misses / 1e3:6.2f} k L2 misses"
        )
        if side == "call floor +0 functions":
            base_misses = misses
        elif base_misses is not None:
            added = int(side.split("+")[1].split()[0])
            line += f"  ({(misses - base_misses) / added:.0f} more a function)"
        print(line)


if __name__ == "__main__":
    main()
