"""``twimlsim serve``: the fake Twilio REST API on a local port, for apps in any process or
language. Webhooks go to the apps over real HTTP.

Clocks (the one place twimlsim reads the wall clock and waits, on purpose):

- ``--clock realtime`` (default): virtual time follows wall time (times ``--speed``); a
  driver thread runs each event when its moment comes. A queued call leaves the queue a
  second after the previous one, as on Twilio.
- ``--clock manual``: virtual time stands still until ``POST /twimlsim/advance`` with
  ``seconds=N`` (or ``POST /twimlsim/run``) moves it, so tests stay fast and exact.

Memory: ``serve`` forgets ended calls (with their webhook requests, failures and
recordings) beyond the newest ``--keep-calls`` (default 1000) and those that ended more
than ``--keep-seconds`` (default 3600) virtual seconds ago, so that a long-running
server's memory stays flat; a forgotten call answers 404, as a deleted one.

A slow webhook: events run one at a time on one engine. While a webhook waits for the
app (at most Twilio's 15 s read timeout, then 11200), virtual time stands still for every
call; the REST API and the admin endpoints keep answering meanwhile, and the real-time
clock catches up afterwards, running the events that fell due in order. (Moving other
calls on meanwhile would need the engine to run two events at once.) An event that raises
(a twimlsim bug) is logged and kept in ``Served.driver_errors``; the clock goes on.

On start it prints one JSON line: ``{"url", "account_sid", "auth_token", "clock", ...}``.
Point the app's Twilio client at ``url`` (the API paths are Twilio's:
``{url}/2010-04-01/Accounts/{AccountSid}/Calls.json``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

from .clock import to_micros
from .engine.retention import DEFAULT_KEEP_CALLS, DEFAULT_KEEP_SECONDS, Retention

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["EngineGuard", "Served", "add_arguments", "run", "start"]

_log = logging.getLogger("twimlsim.serve")

#: How often the real-time driver looks for due events when nothing is due sooner.
_TICK_SECONDS = 0.02
#: The fastest real-time clock: a million virtual seconds (11.6 days) per second.
MAX_SPEED = 1_000_000.0


def _nothing() -> None:
    pass


class _Server(Protocol):
    """The threaded WSGI server ``rest.server.start_server`` makes."""

    host: str
    port: int

    def serve_forever(self, poll_interval: float = 0.5) -> None: ...
    def shutdown(self) -> None: ...
    def server_close(self) -> None: ...


class EngineGuard:
    """One lock for the engine, shared by the server threads and the clock driver.

    While a webhook waits for the app's answer the lock is released (the app may call the
    REST API back meanwhile, as it may in process); the clock does not move then, because
    the engine is in the middle of an event.
    """

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.in_flight = 0
        #: Run with the engine held after each use of it when no webhook is out (``serve``
        #: forgets ended calls there).
        self.after_use: Callable[[], object] = _nothing

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold the engine."""
        with self.condition:
            yield
            if self.in_flight == 0:
                self.after_use()

    @contextlib.contextmanager
    def webhook_in_flight(self) -> Iterator[None]:
        """Called with the engine held: release it while the HTTP request is out."""
        self.in_flight += 1
        self.condition.release()
        try:
            yield
        finally:
            self.condition.acquire()
            self.in_flight -= 1
            self.condition.notify_all()

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Called with the engine held: wait until no webhook is out."""
        self.condition.wait_for(lambda: self.in_flight == 0, timeout=timeout)


class Served:
    """A running ``serve``: the simulator, its HTTP server and (real-time) clock driver."""

    def __init__(self, sim: Simulator, server: _Server, guard: EngineGuard) -> None:
        self.sim = sim
        self.server = server
        self.guard = guard
        self.url = f"http://{server.host}:{server.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        #: Exceptions of events the real-time clock ran (the latest 100): bugs of twimlsim.
        self.driver_errors: deque[BaseException] = deque(maxlen=100)

    def start(self, *, realtime: bool, speed: float) -> None:
        """Serve in a background thread; drive the clock by wall time when ``realtime``."""
        # a short poll interval: stop() (shutdown) returns within it rather than in 0.5 s
        serving = threading.Thread(
            target=self.server.serve_forever, args=(_TICK_SECONDS,), name="twimlsim-serve"
        )
        serving.daemon = True
        serving.start()
        self._threads.append(serving)
        if realtime:
            driver = threading.Thread(target=self._drive, args=(speed,), name="twimlsim-clock")
            driver.daemon = True
            driver.start()
            self._threads.append(driver)

    def _drive(self, speed: float) -> None:
        sim, guard = self.sim, self.guard
        origin_wall = time.monotonic()
        origin_virtual = sim.clock.micros
        while not self._stop.is_set():
            target = origin_virtual + to_micros((time.monotonic() - origin_wall) * speed)
            target = min(target, sim.clock.limit)  # the clock's end: time stands still there
            with guard.held():
                if guard.in_flight == 0 and target > sim.clock.micros:
                    try:
                        sim.scheduler.run_until(target)
                    except Exception as exc:  # one failing event must not stop the clock
                        self.driver_errors.append(exc)
                        _log.exception("twimlsim serve: an event failed; the clock goes on")
            self._stop.wait(_TICK_SECONDS)

    def stop(self) -> None:
        """Stop serving and driving; close connections."""
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        close = getattr(self.sim.engine.transport, "close", None)
        if close is not None:
            close()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``twimlsim serve``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: a free port)")
    parser.add_argument(
        "--clock",
        choices=["realtime", "manual"],
        default="realtime",
        help="realtime: virtual time follows the wall clock; manual: POST /twimlsim/advance",
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="realtime clock: virtual seconds per second"
    )
    parser.add_argument("--cps", type=float, default=1.0, help="calls per second (default 1)")
    parser.add_argument(
        "--keep-calls",
        type=int,
        default=DEFAULT_KEEP_CALLS,
        metavar="N",
        help=f"ended calls kept (with their requests) before the oldest are forgotten "
        f"(default {DEFAULT_KEEP_CALLS})",
    )
    parser.add_argument(
        "--keep-seconds",
        type=float,
        default=DEFAULT_KEEP_SECONDS,
        metavar="S",
        help=f"virtual seconds an ended call is kept (default {DEFAULT_KEEP_SECONDS:g})",
    )
    parser.add_argument("--seed", default="0", help="seed of SIDs and credentials")
    parser.add_argument(
        "--number", action="append", default=[], metavar="E164", help="an owned number"
    )
    parser.add_argument(
        "--verified-caller-id",
        action="append",
        default=[],
        metavar="E164",
        help="a verified caller ID",
    )


def start(args: argparse.Namespace) -> Served:
    """Build the simulator and start serving it as ``args`` say."""
    # imported here so that the command line parser stays light
    from .rest.guard import RequestGuard
    from .rest.server import ServedApi, start_server
    from .simulator import Simulator
    from .transports.http import HTTPTransport

    if args.speed <= 0:
        raise SystemExit(f"twimlsim serve: --speed must be more than 0, got {args.speed}")
    if not args.speed <= MAX_SPEED:
        raise SystemExit(
            f"twimlsim serve: --speed must be at most {MAX_SPEED:,.0f} virtual seconds per "
            f"second, got {args.speed}"
        )
    seed: int | str = int(args.seed) if args.seed.isdigit() else args.seed
    sim = Simulator(cps=args.cps, seed=seed, strict=False, freeze_time=False)
    guard = EngineGuard()
    try:
        retention = Retention(
            sim.engine, keep_calls=args.keep_calls, keep_seconds=args.keep_seconds
        )
    except ValueError as error:
        raise SystemExit(f"twimlsim serve: --keep-calls/--keep-seconds: {error}") from None
    guard.after_use = retention.prune
    sim.engine.transport = HTTPTransport(unlocked=guard.webhook_in_flight)
    for number in args.number:
        sim.number(number)
    for number in args.verified_caller_id:
        sim.verified_caller_id(number)
    app = ServedApi(sim.rest, guard.held, guard.wait_idle)
    served = Served(sim, start_server(RequestGuard(app), args.host, args.port), guard)
    sim.engine.api_base = served.url  # RecordingUrls point at this server, not api.twilio.com
    served.start(realtime=args.clock == "realtime", speed=args.speed)
    return served


def run(args: argparse.Namespace) -> int:
    """``twimlsim serve``: serve until interrupted; print how to connect first."""
    served = start(args)
    sim = served.sim
    banner = {
        "url": served.url,
        "account_sid": sim.account_sid,
        "auth_token": sim.auth_token,
        "test_auth_token": sim.test_auth_token,
        "clock": args.clock,
        "numbers": list(args.number),
    }
    print(json.dumps(banner), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        served.stop()
        for failure in sim.failures:
            print(f"twimlsim: {failure}", file=sys.stderr)
    return 0


def main() -> int:
    """``python -m twimlsim.serve``."""
    parser = argparse.ArgumentParser(prog="twimlsim serve", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
