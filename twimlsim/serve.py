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
than ``--keep-seconds`` (default 3600 under the realtime clock, no limit under the manual
one, whose ``/run`` may jump hours) virtual seconds ago, so that a long-running server's
memory stays flat; a forgotten call answers 404, as a deleted one. The failures
of forgotten calls still count toward the summary printed at exit and the exit status.

A slow webhook: events run one at a time on one engine. While a webhook waits for the
app (at most Twilio's 15 s read timeout, then 11200), virtual time stands still for every
call; the REST API and the admin endpoints keep answering meanwhile, and the real-time
clock catches up afterwards, running the events that fell due in order. (Moving other
calls on meanwhile would need the engine to run two events at once.) An event that raises
(a twimlsim bug) is logged and kept in ``Served.driver_errors``; the clock goes on.

On start it prints one JSON line: ``{"url", "account_sid", "auth_token", "clock", ...}``.
Point the app's Twilio client at ``url`` (the API paths are Twilio's:
``{url}/2010-04-01/Accounts/{AccountSid}/Calls.json``). Tests drive the simulation through
the control API under ``{url}/twimlsim/`` (``rest/control.py``; its OpenAPI description at
``{url}/twimlsim/openapi.json``).

It logs one line per webhook to standard error (``--log-level``), one per failure as it
is found and one per REST request the API refused, stops cleanly on SIGINT or SIGTERM,
prints every failure and refusal of the whole run and every scripted far-end step no call
reached, and exits 1 when there was any.

The exit status counts refused REST requests as well as the calls' problems: the app runs
in its own process and only sees Twilio's error there, which it may log and swallow, so a
script or CI job that runs ``serve`` around an app's tests would otherwise pass over an app
whose every ``calls.create`` was refused. It is the command-line form of a strict test,
where the refused request raises in the test. An app that meets a code on purpose (a test
of its handling of an invalid number, 21211) names it with ``--allow-code 21211``, as
``Simulator(allow_codes=...)`` does: those problems and refusals are still logged and
listed, and do not set the exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import logging
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

from .clock import to_micros
from .engine.retention import Retention
from .errors import TwilioApiError, TwimlsimError
from .serve_options import add_arguments, keep_seconds, webhook_timeout_option
from .serve_summary import KEPT_REFUSALS, for_the_server, summary
from .shutdown_signals import ShutdownSignals, wait_for_shutdown

if TYPE_CHECKING:
    from .errors import CallFailure
    from .simulator import Simulator
    from .transports.logged import LoggingTransport

__all__ = [
    "EngineGuard",
    "Served",
    "ShutdownSignals",
    "add_arguments",
    "configure_logging",
    "run",
    "start",
    "summary",
    "wait_for_shutdown",
    "webhook_timeout_option",
]

#: One line per webhook (INFO), per reset, and the shutdown.
LOGGER = logging.getLogger("twimlsim.serve")

#: What a server usually lacks when the API refuses an app's request with this code.
_SERVE_HINTS = {
    20003: "use the banner's account_sid and auth_token, or an API key made through "
    "Keys.json since the last reset (POST /twimlsim/reset forgets the account's keys and "
    "TwiML Apps: make them again and give them to the app)",
    21210: "give the account the From number: --number {From}, or POST /twimlsim/numbers; "
    "a client on the banner's test_auth_token calls only from Twilio's magic +15005550006",
    21606: "give the account the From number: --number {From}, or POST /twimlsim/numbers; "
    "a client on the banner's test_auth_token texts only from Twilio's magic +15005550006",
    21219: "a trial account calls only verified numbers: --verified-caller-id {To}",
    21608: "a trial account texts only verified numbers: --verified-caller-id {To}",
}
#: With ``--clock manual``: a call the app updates as soon as it has answered a webhook (an
#: async AMD callback's ``calls(sid).update``) had been run to its end by ``/run`` while
#: the update was on its way; on Twilio the call would still be live.
_MANUAL_CLOCK_HINTS = {
    **_SERVE_HINTS,
    21220: "with --clock manual, /twimlsim/run runs every call to its end at once, so an "
    "update the app sends after answering a webhook (an AMD or status callback) finds the "
    "call over, where on Twilio it would still be live: use --clock realtime (--speed "
    "paces it), or POST /twimlsim/advance in steps, each once the app's requests arrived",
}

#: How often the real-time driver looks for due events when nothing is due sooner.
_TICK_SECONDS = 0.02
#: How long stopping waits for the clock driver to finish the events under way (never
#: for the app's answer to a webhook: that is listed instead).
_STOP_SECONDS = 5.0
#: The fastest real-time clock: a million virtual seconds (11.6 days) per second.
MAX_SPEED = 1_000_000.0
#: How many failures the exit summary keeps (the latest; all of them are counted).
_KEPT_FAILURES = 1000


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


class Served:
    """A running ``serve``: the simulator, its HTTP server and (real-time) clock driver.

    ``reset()`` (``POST /twimlsim/reset``) replaces the simulator by a fresh one built from
    the same options (same seed, so the same credentials). The failures of a replaced
    simulator, and those of calls ``Retention`` forgot, still count for the summary printed
    at exit and for the exit status.
    """

    def __init__(self, args: argparse.Namespace, guard: EngineGuard) -> None:
        self.args = args
        self.guard = guard
        self.url = ""
        #: How many failures the whole run had, and the latest of them.
        self.failure_total = 0
        self.failures_kept: deque[CallFailure] = deque(maxlen=_KEPT_FAILURES)
        #: How many REST requests the API refused (4xx, 5xx), and the latest as logged.
        self.refusal_total = 0
        self.refusals_kept: deque[str] = deque(maxlen=KEPT_REFUSALS)
        #: Far-end steps scripted on a replaced simulator that no call reached (those of the
        #: current one are read at exit).
        self.unreached_before_reset: list[str] = []
        #: Failures and refusals whose code ``--allow-code`` does not name: the exit status.
        self.blocking_total = 0
        self.allowed_codes: frozenset[int] = frozenset(getattr(args, "allow_code", ()))
        #: Calls of simulators replaced by ``reset()``.
        self.past_calls = 0
        #: Exceptions of events the real-time clock ran (the latest 100): bugs of twimlsim.
        self.driver_errors: deque[BaseException] = deque(maxlen=100)
        self._sim: Simulator | None = None
        self._retention: Retention | None = None
        self._harvested = 0  # failures of the current simulator already counted
        self._api_seen = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._logged: LoggingTransport
        #: The webhooks still waiting for the app's answer when ``stop()`` ran.
        self.unanswered: list[str] = []

    @property
    def sim(self) -> Simulator:
        """The simulator served now."""
        assert self._sim is not None, "Served.listen() builds the simulator"
        return self._sim

    @property
    def failures(self) -> list[CallFailure]:
        """The latest failures since the server started (``failure_total`` counts them all),
        across resets and forgotten calls."""
        self._harvest()
        return list(self.failures_kept)

    def unreached_now(self) -> list[str]:
        """The far-end steps scripted on the current simulator that no call reached."""
        return [f"sim.phone({number!r}).{step}" for number, step in self.sim.engine.unused_steps()]

    def exit_status(self) -> int:
        """1 when a problem or a refusal has a code ``--allow-code`` does not name, or a
        scripted far-end step was never reached (as a strict test fails on it); else 0."""
        unreached = self.unreached_before_reset or self.unreached_now()
        return 1 if self.blocking_total or unreached else 0

    @property
    def call_count(self) -> int:
        """How many calls were placed since the server started, across resets."""
        forgotten = self._retention.forgotten if self._retention is not None else 0
        return self.past_calls + forgotten + len(self.sim.calls)

    @property
    def live_count(self) -> int:
        """How many calls of the current simulator have not ended (calls of replaced
        simulators ended with them)."""
        return sum(1 for call in self.sim.calls.values() if not call.ended)

    def listen(self, host: str, port: int) -> None:
        """Bind the server (port 0 picks a free one) and build the first simulator."""
        from .rest.guard import RequestGuard
        from .rest.server import ServedApi, start_server

        self._use(self._build())  # refuses bad options before anything is bound
        app = ServedApi(self, self.guard.held, self._refuse_while_webhook_out)
        try:
            self.server: _Server = start_server(RequestGuard(app), host, port)
        except OSError as error:
            raise SystemExit(
                f"twimlsim serve: cannot listen on {host} port {port}: "
                f"{error.strerror or error}; give another --port, or --port 0 for a free one"
            ) from None
        self.url = f"http://{_url_host(self.server.host)}:{self.server.port}"
        self.sim.engine.api_base = self.public_url  # RecordingUrls point at this server
        self.guard.after_use = self._after_use

    def _refuse_while_webhook_out(self) -> None:
        """Called with the engine held before a control request runs the simulation: a
        409 at once while a webhook waits for the app's answer.

        Waiting instead would stall a webhook handler that calls the control API of the
        server that sent it (its webhook waits for the request, the request for the
        webhook) until the webhook timeout, or for ever with ``--webhook-timeout none``.
        """
        if not self.guard.in_flight:
            return
        out = "; ".join(self._logged.waiting()) or "one"
        raise TwilioApiError(
            409,
            20409,
            "the simulation cannot run while a webhook waits for the app's answer (out now: "
            f"{out}); a webhook handler cannot drive the simulator that sent it: call "
            "/twimlsim/run, /advance or /reset after answering the webhook, or retry once "
            "the app has answered",
        )

    def _build(self) -> Simulator:
        from .engine.lock import Unlocked
        from .simulator import Simulator
        from .transports.http import HTTPTransport
        from .transports.logged import LoggingTransport

        args = self.args
        digits = args.seed.isascii() and args.seed.isdigit() and len(args.seed) <= 18
        seed: int | str = int(args.seed) if digits else args.seed
        try:
            sim = Simulator(
                cps=args.cps, seed=seed, strict=False, freeze_time=False, start=args.start
            )
        except (TwimlsimError, ValueError) as error:
            option = "--seed" if "seed=" in str(error) else "--cps"
            raise SystemExit(f"twimlsim serve: {option}: {error}") from None
        http = HTTPTransport(
            read_timeout=args.webhook_timeout,
            unlocked=self.guard.webhook_in_flight,
            tunnels=args.tunnel,
        )
        # the simulator's own lock is let go of too while a webhook is out: a control
        # request (a press) that holds it would otherwise wait on one that holds the guard
        self._logged = LoggingTransport(http, LOGGER)
        sim.engine.transport = Unlocked(self._logged, sim.engine.lock)
        # never started (nothing to intercept: this server answers the app's requests to
        # Twilio itself), its calls run all the same
        sim.engine.never_started = False
        try:
            for number in args.number:
                sim.number(number)
        except (TwimlsimError, ValueError) as error:
            raise SystemExit(f"twimlsim serve: --number: {error}") from None
        try:
            for number in args.verified_caller_id:
                sim.verified_caller_id(number)
        except (TwimlsimError, ValueError) as error:
            raise SystemExit(f"twimlsim serve: --verified-caller-id: {error}") from None
        if self.url:
            sim.engine.api_base = self.public_url  # RecordingUrls point at this server
        return sim

    @property
    def public_url(self) -> str:
        """The URL clients reach this server by: ``--public-url``, else the one bound."""
        public: str | None = self.args.public_url
        return public or self.url

    def _use(self, sim: Simulator) -> None:
        args = self.args
        try:
            retention = Retention(
                sim.engine,
                keep_calls=args.keep_calls,
                keep_seconds=keep_seconds(args),
                api_log=sim.api_requests,
            )
        except ValueError as error:
            raise SystemExit(f"twimlsim serve: --keep-calls/--keep-seconds: {error}") from None
        self._sim, self._retention, self._harvested = sim, retention, 0
        self._api_seen = 0  # REST requests of the current simulator already looked at

    def _harvest(self) -> None:
        """Count (and log) the failures recorded since the last look, before ``Retention``
        may drop them with their calls."""
        new = self.sim.engine.failures[self._harvested :]
        for failure in new:
            LOGGER.warning("%s", for_the_server(str(failure)))
        self.failure_total += len(new)
        self.blocking_total += sum(failure.code not in self.allowed_codes for failure in new)
        self.failures_kept.extend(new)
        self._harvested += len(new)

    def _after_use(self) -> None:
        # with the engine held and no webhook out: failures only ever get appended meanwhile
        self._harvest()
        self._log_refused()
        if self._retention is not None:
            self._retention.prune()
        self._harvested = len(self.sim.engine.failures)
        self._api_seen = len(self.sim.api_requests)

    def _log_refused(self) -> None:
        """Log each REST request the API refused since the last look, with Twilio's code
        and message and what the server lacks (the app only sees the error Twilio sends)."""
        from .report import format_api_request

        requests = self.sim.api_requests
        for request in requests[self._api_seen :]:
            if request.status >= 400:
                hints = _MANUAL_CLOCK_HINTS if self.args.clock == "manual" else _SERVE_HINTS
                head, refusal = format_api_request(request, params=False, hints=hints)
                line = f"REST {' '.join(head.split())}, {refusal.strip()}"
                LOGGER.warning("%s", line)
                self.refusal_total += 1
                self.refusals_kept.append(line)
                code = _refusal_code(request.body)
                self.blocking_total += code is None or code not in self.allowed_codes
        self._api_seen = len(requests)

    def reset(self) -> None:
        """Replace the simulator by a fresh one (called with the engine held, no webhook out)."""
        old = self.sim
        self._harvest()
        self._log_refused()
        self.unreached_before_reset += self.unreached_now()
        self.past_calls += len(old.calls) + (self._retention.forgotten if self._retention else 0)
        _close_transport(old)
        self._use(self._build())
        LOGGER.info("reset: a fresh simulation, the clock back at %s", self.sim.now)

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
        guard = self.guard
        sim = self.sim
        origin_wall = time.monotonic()
        origin_virtual = sim.clock.micros
        while not self._stop.is_set():
            with guard.held():
                if self.sim is not sim:  # reset: the new clock starts from now
                    sim = self.sim
                    origin_wall = time.monotonic()
                    origin_virtual = sim.clock.micros
                target = origin_virtual + to_micros((time.monotonic() - origin_wall) * speed)
                target = min(target, sim.clock.limit)  # the clock's end: time stands still
                if guard.in_flight == 0 and target > sim.clock.micros:
                    try:
                        sim.scheduler.run_until(target)
                    except Exception as exc:  # one failing event must not stop the clock
                        self.driver_errors.append(exc)
                        LOGGER.exception("an event failed; the clock goes on")
            self._stop.wait(_TICK_SECONDS)

    def stop(self) -> None:
        """Stop serving and driving, promptly: a webhook the app has not answered yet is not
        waited for but listed (``unanswered``), and the engine is held from here on, so its
        late answer changes nothing the summary reads. Close connections."""
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            deadline = time.monotonic() + _STOP_SECONDS
            # the clock driver ends at its next tick, unless it waits on the app's answer
            while thread.is_alive() and not self.guard.in_flight and time.monotonic() < deadline:
                thread.join(timeout=_TICK_SECONDS)
        self.unanswered = self._logged.waiting()
        self.guard.condition.acquire(timeout=_STOP_SECONDS)  # never released: stopped
        for line in self.unanswered:
            LOGGER.warning("webhook %s -> no answer yet: serve stopped without waiting", line)
        _close_transport(self.sim)


def _close_transport(sim: Simulator) -> None:
    close = getattr(sim.engine.transport, "close", None)
    if close is not None:
        close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def start(args: argparse.Namespace) -> Served:
    """Build the simulator and start serving it as ``args`` say."""
    given_speed = args.speed is not None
    if not given_speed:
        args.speed = 1.0
    if args.speed <= 0:
        raise SystemExit(
            f"twimlsim serve: --speed must be more than 0, got {args.speed}; give the virtual "
            "seconds per real second, such as 1 (real time) or 60"
        )
    if not args.speed <= MAX_SPEED:
        raise SystemExit(
            f"twimlsim serve: --speed must be at most {MAX_SPEED:,.0f} virtual seconds per "
            f"second, got {args.speed}"
        )
    if given_speed and args.clock == "manual":
        raise SystemExit(
            f"twimlsim serve: --speed {args.speed:g} paces the realtime clock, but with --clock "
            "manual time moves only when you POST /twimlsim/advance; drop --speed, or use "
            "--clock realtime"
        )
    _check_host(args.host)
    served = Served(args, EngineGuard())
    served.listen(args.host, args.port)
    if not _is_loopback(args.host):
        LOGGER.warning(
            "serving on %s: the control API under /twimlsim/ needs no credentials, so "
            "anyone who can reach this address can drive the simulation%s",
            served.url,
            _WILDCARD_ADVICE.format(port=served.server.port)
            if args.host in _WILDCARDS and not args.public_url
            else "",
        )
    served.start(realtime=args.clock == "realtime", speed=args.speed)
    return served


#: Addresses that bind every interface, which the banner's ``url`` names as it bound them.
_WILDCARDS = frozenset({"0.0.0.0", "::"})
_WILDCARD_ADVICE = (
    "; the banner's url names every interface, an address no client can reach from "
    "elsewhere: another machine or container reaches this server by its host name "
    "(a Docker Compose service's name, http://twimlsim:{port}) with the same port: give "
    "that URL as --public-url, for RecordingUrls to name it"
)


def _check_host(host: str) -> None:
    """Refuse a ``--host`` that names no address, in one line naming the option (the
    server would bind every interface for an empty one and print an unusable URL)."""
    advice = "give an address of this machine: 127.0.0.1 (only it) or 0.0.0.0 (every interface)"
    if not host.strip():
        raise SystemExit(f"twimlsim serve: --host {host!r} is empty; {advice}")
    try:
        socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise SystemExit(f"twimlsim serve: --host {host!r}: {reason}; {advice}") from None


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def configure_logging(level: str) -> None:
    """Log to standard error at ``level``: one line per webhook at ``info``, and the
    server's own line per HTTP request too at ``debug``; the engine's warnings always."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("twimlsim %(levelname)s %(message)s"))
    LOGGER.handlers[:] = [handler]
    LOGGER.setLevel(level.upper())
    LOGGER.propagate = False
    # the engine's warnings (an AMD callback answering TwiML Twilio will not run) in the
    # same form, not on logging's bare last-resort handler
    engine_logger = logging.getLogger("twimlsim.engine")
    engine_logger.handlers[:] = [handler]
    engine_logger.propagate = False
    werkzeug_logger = logging.getLogger("werkzeug")
    werkzeug_logger.handlers[:] = [handler]
    werkzeug_logger.setLevel(logging.DEBUG if level == "debug" else logging.WARNING)
    werkzeug_logger.propagate = False


def _refusal_code(body: str | bytes) -> int | None:
    """Twilio's error code in a refused request's JSON body, or None."""
    try:
        code = json.loads(body)["code"]
    except (ValueError, KeyError, TypeError):
        return None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def run(args: argparse.Namespace) -> int:
    """``twimlsim serve``: serve until SIGINT or SIGTERM; print how to connect first, and
    what went wrong at the end. Exit status 1 when any call had a problem or the API refused
    a request, unless ``--allow-code`` names every one's code; else 0."""
    configure_logging(args.log_level)
    served = start(args)
    sim = served.sim
    banner = {
        "url": served.url,
        "account_sid": sim.account_sid,
        "auth_token": sim.auth_token,
        "test_auth_token": sim.test_auth_token,
        "clock": args.clock,
        "numbers": list(sim.account.numbers),  # as read: E.164, each once
        "control_url": f"{served.url}/twimlsim",
        "openapi_url": f"{served.url}/twimlsim/openapi.json",
    }
    if args.public_url:
        banner["public_url"] = args.public_url
    signals = ShutdownSignals()
    try:
        print(json.dumps(banner), flush=True)
        try:
            name = wait_for_shutdown(signals)
        finally:
            served.stop()
    finally:
        signals.close()
    LOGGER.info("%s received: stopped serving", name)
    lines = summary(served)
    print("\n".join(lines), file=sys.stderr, flush=True)
    return served.exit_status()


def main() -> int:
    """``python -m twimlsim.serve``."""
    parser = argparse.ArgumentParser(prog="twimlsim serve", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
