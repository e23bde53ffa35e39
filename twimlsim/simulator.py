"""``Simulator``: the one object a test uses. It wires the clock, the store, the engine, the
fake REST API and the transports, owns their lifetime, and moves virtual time.

Its other parts live in ``twimlsim.facade``, one job each, and ``Simulator`` inherits them:
the account's set-up (``sim.number``, ``sim.application``...: ``facade/accounts.py``), the
app and the far ends (``sim.route``, ``sim.phone``, ``sim.incoming_call``...:
``facade/far_end.py``) and what happened (``sim.calls``, ``sim.failures``, ``sim.check``...:
``facade/inspection.py``)."""

from __future__ import annotations

import inspect
import math
import sys
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, NoReturn, Protocol, SupportsIndex

from . import running_threads, watch
from .arguments import allowed_codes, describe, shown, to_float
from .clock import DEFAULT_START, MAX_MICROS, Scheduler, VirtualClock, advance_micros
from .engine.engine import Engine
from .engine.limits import MAX_CALLS_PER_RUN, run_bounded
from .engine.lock import EngineLock, Unlocked
from .engine.session import NOT_STARTED, NOT_STARTED_BESIDE_ANOTHER, STOPPED, inside_webhook
from .errors import ConfigurationError, NetworkEscapeError, RunawayCalls, live_view_refused
from .facade.accounts import AccountSetup
from .facade.far_end import FarEndSetup
from .facade.inspection import Inspection
from .model.sids import SidFactory
from .model.store import AccountStore
from .outer_clock import controlled_by_test, time_set_by_test
from .rest import RestApi
from .rest.guard import RequestGuard
from .simulator_arguments import checked_arguments
from .start_time import (
    check_time_set_by_test,
    following_test_freeze,
    start_where_test_froze,
)
from .transports.aiohttp_answers import AiohttpInterceptor
from .transports.bodies import AnswerBody
from .transports.guard import NetworkGuard
from .transports.httpx_answers import HTTPX2_MODULE, HttpxInterceptor
from .transports.responses import TwilioInterceptor
from .transports.stdlib_answers import StdlibInterceptor
from .transports.timing import DEFAULT_WEBHOOK_TIMEOUT, WallTimeLimit
from .transports.twilio_async import AsyncClientInterceptor
from .transports.wsgi import WSGITransport
from .twiml import parse_twiml

if TYPE_CHECKING:
    from .freeze import FreezeBridge
    from .transports.asgi import ASGIApp

__all__ = ["Simulator"]


class Simulator(AccountSetup, FarEndSetup, Inspection):
    """An offline Twilio for one test: REST API, call queue, TwiML engine, far ends.

    Use it as a context manager (or call ``start()``/``stop()``). While started, requests
    to ``*.twilio.com`` made with ``requests`` (the twilio client's transport) or twilio's
    ``AsyncTwilioHttpClient`` are answered by the fake API, and any other route to a Twilio
    host is blocked (``NetworkEscapeError``). Unless ``freeze_time=False``, from the first
    time calls run (``run()``, ``advance()``, ``call.run()``) until the simulator stops, the
    app's clock (``datetime.now()``, ``time.time()``...) is frozen at the virtual time and
    follows it.

    A test's own clock (freezegun, time-machine) is respected: made while the test has
    set the time, the simulator starts at that time (unless ``start`` is given) and the
    app's clock follows virtual time from there; if the test sets the time after the
    simulator was made and before calls first run, the app keeps the test's time and this
    simulator does not freeze it.

    :param cps: calls per second the account's queue releases (Twilio's default is 1).
    :param seed: seed of SIDs, tokens and every other generated value.
    :param strict: raise ``SimulationError`` from ``run()`` when a call goes wrong
        (the call still does what Twilio would do first).
    :param freeze_time: make the app's ``datetime.now()`` follow the virtual clock.
    :param start: the virtual time at which the simulation starts (an aware datetime, or
        ISO 8601 text read as ``twimlsim call --start`` reads it); by default
        the time the test has frozen, else 2026-01-01 09:00:00 UTC (``DEFAULT_START``).
    :param accept_any_credentials: let the fake API open an account for any AccountSid
        and token on first use (an existing suite's own credentials, placeholders such as
        ``ACxxxx...`` included).
    :param allow_codes: Twilio error and warning codes that do not fail a strict test
        (``allow_codes={12200}`` lets unknown attributes pass); they are still recorded
        in ``failures``.
    :param delete_silent_recordings: behave as an account Twilio Support set to delete
        silent recordings: a ``<Record>`` that heard only silence is ``absent`` (16102),
        requests no action and goes on with the next verb. By default, as on Twilio,
        silent recordings are kept.
    :param trial: make the account a trial account: calls may go only to its verified
        caller IDs (``verified_caller_id``); others are refused with Twilio's 21219.
    :param webhook_timeout: Twilio's read timeout, in seconds of wall time: a webhook the
        app takes longer to answer fails with 11200, as on Twilio (the app is not
        interrupted; its late answer is not used). ``None``: no limit.
    :param max_calls_per_run: ``run()`` stops with ``RunawayCalls`` once this many calls
        were created while it ran (an app whose calls place calls never lets it end).
    """

    def __init__(
        self,
        *,
        cps: float = 1.0,
        seed: int | str = 0,
        strict: bool = True,
        freeze_time: bool = True,
        start: datetime | str | None = None,
        accept_any_credentials: bool = False,
        allow_codes: Iterable[int] = (),
        delete_silent_recordings: bool = False,
        trial: bool = False,
        webhook_timeout: float | None = DEFAULT_WEBHOOK_TIMEOUT,
        max_calls_per_run: int = MAX_CALLS_PER_RUN,
    ) -> None:
        start = checked_arguments(
            cps=cps,
            seed=seed,
            flags={
                "strict": strict,
                "freeze_time": freeze_time,
                "accept_any_credentials": accept_any_credentials,
                "delete_silent_recordings": delete_silent_recordings,
                "trial": trial,
            },
            start=start,
            webhook_timeout=webhook_timeout,
            max_calls_per_run=max_calls_per_run,
        )
        self.max_calls_per_run = max_calls_per_run
        self.strict = strict
        self.allow_codes = allowed_codes(allow_codes)
        set_by_test = time_set_by_test()
        if start is None and set_by_test is not None:
            check_time_set_by_test(set_by_test)
        #: The test had set the clock itself when the simulator was made: the simulation
        #: starts there, and the bridge's freeze nests inside the test's.
        self._inside_test_time = set_by_test is not None
        #: Until calls first run, the simulation starts where the test's own freeze stands,
        #: if the test moves it (``start_where_test_froze``).
        self._follows_test_freeze = self._inside_test_time and start is None and freeze_time
        #: The test chose when the simulation starts (``start=``, the marker, the ini option).
        self._start_given = start is not None
        #: Calls ran at least once (``sim.run()``...): the app's clock follows virtual time
        #: from then on (a failing test's report tells a test whose app never saw it).
        self._calls_ran = False
        #: The time a clock the test set after this simulator was made stood at when calls
        #: ran: the app read it, not virtual time (a failing test's report tells it).
        self._test_clock_won_at: datetime | None = None
        #: What ``reset()`` makes the simulated world anew from.
        self._world = _World(
            cps,
            seed,
            start or set_by_test or DEFAULT_START,
            accept_any_credentials,
            delete_silent_recordings,
            trial,
        )
        self._webhooks = WSGITransport()
        # an int beyond the floats waits as long as an infinite float: for ever
        timeout = None if webhook_timeout is None else to_float(webhook_timeout)
        self._timed_webhooks = WallTimeLimit(self._webhooks, timeout)
        #: Held by each REST request and each run of calls, let go of while the app
        #: answers a webhook: the app and the test may use the simulator from any thread.
        self._lock = EngineLock()
        #: The fake API of the current world (``reset()`` replaces it): a request that waited
        #: for the lock while the world was reset is answered by the new one.
        self._current_api: list[_Answer] = []
        self._unlocked_webhooks = Unlocked(self._timed_webhooks, self._lock)
        #: Requests to Twilio's hosts that took another route and were blocked.
        self._escapes: list[NetworkEscapeError] = []
        webhooks = self._webhooks  # not self: the guard would keep the world from being freed
        self._guard = NetworkGuard(self._escapes.append, lambda: webhooks.bases)
        self._escapes_reported = 0
        self._build()
        self._freeze: FreezeBridge | None = None
        if freeze_time:
            self._freeze = _freeze_bridge()
            self._follow_clock()
        self._started = False
        self._asgi_apps: list[ASGIApp] = []

    def _build(self) -> None:
        """Make the simulated world: clock, SIDs, accounts, engine and fake API."""
        world = self._world
        self.clock = VirtualClock(world.start)
        self.scheduler = Scheduler(self.clock)
        self._sids = SidFactory(world.seed)
        self.store = AccountStore(self._sids, default_cps=world.cps)
        self._account = self.store.create_account(created_at=self.clock.now, trial=world.trial)
        self.engine = Engine(
            clock=self.clock,
            scheduler=self.scheduler,
            store=self.store,
            sids=self._sids,
            transport=self._unlocked_webhooks,
            parse=parse_twiml,
            strict=self.strict,
        )
        self.engine.delete_silent_recordings = world.delete_silent_recordings
        if getattr(self, "_asgi_apps", None):  # reset(): the routed apps stay
            self._open_app_sockets()
        self.rest = RestApi(self.store, self.engine, accept_any_credentials=world.accept)
        # every way into the fake API (requests, the async client) goes through the guard
        self._rest_app = RequestGuard(self.rest)
        self._current_api[:] = [self._rest_app.answer]
        if self._follows_test_freeze:
            ref = weakref.ref(self)  # not self: the interceptors would keep the world
            self._current_api[0] = following_test_freeze(
                self._rest_app.answer,
                lambda: None if (sim := ref()) is None else (sim.clock, sim.engine.calls),
            )
        answer = _one_at_a_time(self._lock, self._current_api)
        self._interceptor = TwilioInterceptor(answer)
        #: the other clients' interceptors, started and stopped together (and, unlike
        #: requests' above, made afresh by reset())
        self._client_interceptors: tuple[_Interceptor, ...] = (
            AsyncClientInterceptor(answer),
            StdlibInterceptor(answer),
            HttpxInterceptor(answer),
            HttpxInterceptor(answer, HTTPX2_MODULE),
            AiohttpInterceptor(answer),
        )
        self.engine.lock = self._lock
        self.engine.after_running = _weakly(self._raise_new_failures)
        self._reported = 0
        #: How many of the fake API's requests strict mode has looked at for 501s.
        self._unsimulated_reported = 0

    def _follow_clock(self) -> None:
        """Let the app's frozen clock follow this world's virtual clock."""
        assert self._freeze is not None
        self.clock.subscribe(self._freeze.move)
        self.engine.before_running = _weakly(self._freeze_app_clock)

    def _open_app_sockets(self) -> None:
        """Let the engine open WebSockets to the ASGI apps routed in process
        (``<Connect><ConversationRelay>``): set once such an app is routed, so that a run
        with none imports nothing of it."""
        from .transports.asgi_websocket import ASGISockets

        self.engine.app_sockets = ASGISockets(self._webhooks, self._lock, self._timed_webhooks)

    def reset(self) -> None:
        """Start the simulated world afresh, as a new ``Simulator`` with the same options.

        Every call, request, failure, recording, queue, conference, far-end script, number,
        application and account is forgotten; the clock goes back to its start and SIDs
        start again from the seed (a reset simulator gives the SIDs a new one gives). What
        stays: the options, the routes to the apps (an ASGI app's lifespan is not run
        again), and whether the simulator is started. Made for property-based tests that
        use the ``twimlsim`` fixture: reset at the start of each example.

        Handles of the old world can still be read, not driven: its calls (``run()``,
        ``press()``...), its ``phone()`` scripts and its subaccounts (as ``account=``)
        raise a ``ConfigurationError`` saying the simulation was reset.
        """
        with self._lock:
            self._reset()

    def _reset(self) -> None:
        self._refuse_inside_webhook("sim.reset()")
        started = self._started
        interceptor = self._interceptor
        if started:
            for client in self._client_interceptors:
                client.stop()
        stopped = self.engine.stopped
        never_started = self.engine.never_started
        if self.engine.app_sockets is not None:  # the old world's calls end with it
            self.engine.app_sockets.close_all()
        self.engine.retire()  # the old world's calls and phones refuse to be driven
        self._build()
        self.engine.stopped = stopped
        self.engine.never_started = never_started
        if self._freeze is not None:
            self._follow_clock()
            self._freeze.move(self.clock.now)
        if started:
            # requests stays patched, answered by the new world: stopping and restarting
            # the patch would drop a test's own mock started since out of the chain
            interceptor.answer = self._interceptor.answer  # the new world's, one at a time
            self._interceptor = interceptor
            for client in self._client_interceptors:
                client.start()

    # -- lifetime --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True from ``start()`` (or entering a ``with`` block) until ``stop()``."""
        return self._started

    def start(self) -> Simulator:
        """Begin intercepting Twilio's API (and freezing time at the virtual clock)."""
        if self._started:
            raise ConfigurationError(
                "this Simulator is already started (by start(), a with block, or the twimlsim "
                "fixture, which yields it started): use it as it is, without starting it "
                "again, or make another Simulator()"
            )
        running_threads.started(self)
        try:
            self._interceptor.start()
            for client in self._client_interceptors:
                client.start()
            self._guard.start()
        except BaseException:
            running_threads.stopped(self)
            raise
        self._started = True
        self.engine.stopped = False
        self.engine.never_started = False
        watch.started(self)
        return self

    def _follow_test_freeze(self) -> None:
        """Before the first call, start where the test moved its own freeze since."""
        if self._follows_test_freeze:
            start_where_test_froze(self.clock, self.engine.calls, raising=True)

    def _freeze_app_clock(self) -> None:
        # Time is frozen when calls first run, the only time the app is called: a test
        # that starts a simulator and makes no call pays nothing, and a clock the test set
        # itself since the simulator was made is still seen here.
        if self._follows_test_freeze:
            self._follow_test_freeze()
            self._follows_test_freeze = False
            self._current_api[:] = [self._rest_app.answer]
        self._calls_ran = True
        if self._started and self._freeze is not None and not self._freeze.active:
            if not self._inside_test_time and controlled_by_test():
                # the test set its own clock after this simulator was made: it wins
                if self._test_clock_won_at is None:
                    self._test_clock_won_at = time_set_by_test()
                return
            self._freeze.start(self.clock.now)
        elif self._freeze is not None and self._freeze.active:
            self._freeze.check_outer_unmoved(self.clock.now)

    def stop(self) -> None:
        """Run the ASGI apps' lifespan shutdown, then stop intercepting and unfreeze time.

        The shutdown runs first, while the simulator still answers Twilio's API: an app
        that calls it as it shuts down reaches the simulator, never the real Twilio.
        From then on (until ``start()``) nothing runs calls: ``run()``, ``advance()`` and
        driving a call raise a ``ConfigurationError`` (the app's requests to Twilio would
        no longer reach the simulator), as ``run()`` and ``advance()`` do before the first
        ``start()``.
        The app's own code cannot stop it while answering one of its webhooks; called from
        another thread while a run goes on, it waits for the run to end (or is refused
        while that run waits for a webhook), so no call runs on with nothing intercepting.
        """
        with self._lock:  # a run of another thread ends first
            self._refuse_inside_webhook("sim.stop()")
        apps, self._asgi_apps = self._asgi_apps, []
        sockets = self.engine.app_sockets
        if sockets is not None:  # the calls still connected to the app's handlers end there
            with self._lock:
                sockets.close_all()
        failed: list[ConfigurationError] = []
        for app in apps:
            try:
                app.shutdown()
            except ConfigurationError as error:
                failed.append(error)
        with self._lock:  # and one started meanwhile (the apps stopped unlocked: see above)
            self._stop_intercepting()
        if failed:
            raise failed[0]

    def _end(self) -> None:
        """``stop()`` at the simulation's end (a with block's, the fixture's): refused while
        another thread's run waits for a webhook, it still stops intercepting and freezing."""
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        try:
            self.stop()
        except ConfigurationError as error:
            if self._started:
                with self._lock:
                    self._stop_intercepting()
                error.add_note(_ENDED_WHILE_RUNNING)
            raise

    def _stop_intercepting(self) -> None:
        if self._started:
            self._started = False
            self.engine.stopped = True  # its calls refuse to run: nothing intercepts now
            running_threads.stopped(self)
            self._guard.stop()
            for client in self._client_interceptors:
                client.stop()
            self._interceptor.stop()
            if self._freeze is not None:  # also one a test's stopped freeze took off
                self._freeze.stop()

    def __enter__(self) -> Simulator:
        return self.start()

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        # copy.copy too: a second Simulator on the same engine would stop the first's calls
        raise live_view_refused(
            "a Simulator",
            "sim.now, sim.failures, each call's facts (call.status, list(call.said), "
            "list(call.requests)); for a second simulation start another Simulator",
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        self._end()
        if exc_type is None:
            self.check()

    # -- time ------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The virtual time (aware UTC)."""
        return self.clock.now

    def run(self) -> None:
        """Advance virtual time until every call has ended (nothing sleeps).

        Raises ``RunawayCalls`` (a ``SimulationError``), strict or not, when more than
        ``max_calls_per_run`` calls are created while it runs (the calls left stay queued
        or live).
        """
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        with self._lock:
            self._refuse_when_stopped("sim.run()")
            self._refuse_inside_webhook("sim.run()")
            self.engine.before_running()
            stopped = run_bounded(self.engine, self.max_calls_per_run)
        if stopped is not None:
            raise RunawayCalls(self._take_new_failures() if self.strict else [stopped])
        self._raise_new_failures()

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of virtual time pass, running whatever falls due.

        Raises ``ValueError`` (and changes nothing) for a time that is not finite or that
        the clock cannot reach (``twimlsim.clock.MAX_MICROS``: 1,000 years).
        """
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            passed: object = seconds  # checked as whatever a test passed
            given = passed.total_seconds() if isinstance(passed, timedelta) else None
            raise TypeError(
                "sim.advance(seconds): seconds must be a number such as 30 or 0.5; got "
                f"{describe(seconds)}"
                + (f": give its seconds, sim.advance({given:g})" if given is not None else "")
            )
        if seconds < 0:
            raise ConfigurationError(
                f"time only moves forward: sim.advance() takes 0 or more seconds, got "
                f"advance({shown(seconds)})"
            )
        if isinstance(seconds, int) and math.isinf(to_float(seconds)):
            raise ValueError(  # beyond the floats: to_micros cannot even convert it
                f"sim.advance(seconds): seconds is {shown(seconds)}, more than virtual time "
                f"can reach (the clock runs at most {MAX_MICROS // 86_400_000_000:,} days "
                "from its start); advance by a smaller number of seconds"
            )
        if not math.isfinite(seconds):
            raise ValueError(
                f"sim.advance(seconds): seconds must be a finite number such as 30 or 0.5; "
                f"got {seconds!r}"
            )
        with self._lock:
            step = advance_micros(seconds, f"sim.advance({seconds!r})", "sim.advance(0)")
            target = self.clock.micros + step
            self.clock.check_reachable(target)
            self._refuse_when_stopped(f"sim.advance({seconds!r})")
            self._refuse_inside_webhook(f"sim.advance({seconds!r})")
            self.engine.before_running()
            self.scheduler.run_until(target)
        self._raise_new_failures()

    def _refuse_when_stopped(self, where: str) -> None:
        """A ``ConfigurationError`` before the simulator was started or once it was
        stopped: calls run then would send the app's requests to Twilio past it
        (``__exit__`` stops it before the strict check)."""
        if self.engine.stopped:
            raise ConfigurationError(f"{where} cannot run calls: {STOPPED}")
        if self.engine.never_started:
            why = NOT_STARTED_BESIDE_ANOTHER if running_threads.any_running() else NOT_STARTED
            raise ConfigurationError(f"{where} cannot run calls: {why}")

    def _refuse_inside_webhook(self, where: str) -> None:
        """A ``ConfigurationError`` while the app answers a webhook (its code calls
        ``sim.run()``): the call that sent it is half-way through a step, at one instant."""
        answering = list(self.engine.answering)  # a copy: another thread's run may end it
        if answering:
            raise inside_webhook(where, answering, self.engine.answering_thread)


_ENDED_WHILE_RUNNING = (
    "The simulation ended all the same (its with block or test ended): twimlsim no longer "
    "answers Twilio's API nor freezes the app's clock, and the run goes on without them; "
    "join the thread that runs calls before the simulation ends"
)


class _Interceptor(Protocol):
    """An interceptor of one HTTP client's requests to Twilio's hosts."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


_Answer = Callable[
    [str, str, Mapping[str, str], bytes | None],
    tuple[int, list[tuple[str, str]], AnswerBody],
]


def _named_as_the_simulators(*mixins: type) -> None:
    """Name the public methods ``Simulator`` takes from its mixins as its own: a wrong
    keyword then reads ``Simulator.number() got an unexpected keyword argument``, not a
    class the user never met (``AccountSetup.number()``)."""
    for mixin in mixins:
        for name, member in vars(mixin).items():
            if not name.startswith("_") and inspect.isfunction(member):
                member.__qualname__ = f"Simulator.{name}"


_named_as_the_simulators(AccountSetup, FarEndSetup, Inspection)


def _one_at_a_time(lock: EngineLock, current: list[_Answer]) -> _Answer:
    """The answer of the fake API ``current`` holds (to a request given by its parts),
    holding ``lock``: the app's threads change the simulation one at a time. A function,
    not a method, so the interceptors that keep it do not keep the simulator."""

    def locked(
        method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[int, list[tuple[str, str]], AnswerBody]:
        # a stream in the answer (recording media) is read after the lock is let go: it
        # reads only immutable audio, never the simulation
        with lock:
            return current[0](method, url, headers, body)

    return locked


def _freeze_bridge() -> FreezeBridge:
    """A new freeze bridge. freezegun is imported with the first (never, when no simulator
    freezes time); later ones read the loaded module instead of running the import
    statement, whose relative lookup costs about as much as making the bridge. The module
    is looked up each time, not kept: a suite that takes modules out of ``sys.modules``
    between runs (pytest's pytester does) imports freezegun afresh, and the bridge must
    work with the freezegun its tests use."""
    module = sys.modules.get(f"{__package__}.freeze")
    if module is None:
        # the import statement, not ``from . import freeze``: that one would return the
        # package's attribute, the module taken out, bound to the freezegun of before
        from .freeze import FreezeBridge

        return FreezeBridge()
    bridge: FreezeBridge = module.FreezeBridge()
    return bridge


def _weakly(method: Callable[[], None]) -> Callable[[], None]:
    """``method`` of a simulator, for the engine to call without holding the simulator: a
    simulator its test let go of is freed at once by reference counting, not left in a
    reference cycle for the garbage collector."""
    ref = weakref.WeakMethod(method)

    def call() -> None:
        __tracebackhide__ = True  # pytest shows the test's frames, not twimlsim's
        bound = ref()
        if bound is not None:
            bound()

    return call


@dataclass(frozen=True, slots=True)
class _World:
    """The options a simulated world is made from (kept for ``Simulator.reset()``)."""

    cps: float
    seed: int | str
    start: datetime
    accept: bool
    delete_silent_recordings: bool
    trial: bool
