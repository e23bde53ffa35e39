"""``Simulator``: the one object a test uses. It wires the clock, the store, the engine, the
fake REST API and the transports, and owns their lifetime."""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import watch
from .arguments import check_base_url, check_method, check_seconds, check_text, describe
from .clock import DEFAULT_START, Scheduler, VirtualClock, to_micros
from .engine import sdk_calls
from .engine.caller import Phone
from .engine.conferences import SimConference
from .engine.engine import Engine
from .engine.limits import MAX_CALLS_PER_RUN, run_bounded
from .engine.session import SimCall
from .engine.unused_steps import describe_unused
from .engine.urls import wire_url
from .engine.webhooks import WebhookRequest
from .errors import (
    CallFailure,
    ConfigurationError,
    NetworkEscapeError,
    RunawayCalls,
    SimulationError,
)
from .model.access_token import read_voice_token
from .model.api_log import ApiRequest
from .model.application import Application
from .model.credentials import ApiKey, OutgoingCallerId
from .model.queue import Queue
from .model.sids import SidFactory
from .model.store import Account, AccountStore, PhoneNumber
from .outer_clock import controlled_by_test, time_set_by_test
from .rest import RestApi
from .rest.addresses import check_far_end, check_url
from .rest.guard import RequestGuard
from .transports.guard import NetworkGuard
from .transports.responses import TwilioInterceptor
from .transports.timing import DEFAULT_WEBHOOK_TIMEOUT, WallTimeLimit
from .transports.twilio_async import AsyncClientInterceptor
from .transports.wsgi import WSGITransport
from .twiml import parse_twiml

if TYPE_CHECKING:
    from .freeze import FreezeBridge
    from .transports.asgi import ASGIApp

__all__ = ["Simulator"]


class Simulator:
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
    :param start: the virtual time at which the simulation starts (aware); by default
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
        start: datetime | None = None,
        accept_any_credentials: bool = False,
        allow_codes: Iterable[int] = (),
        delete_silent_recordings: bool = False,
        trial: bool = False,
        webhook_timeout: float | None = DEFAULT_WEBHOOK_TIMEOUT,
        max_calls_per_run: int = MAX_CALLS_PER_RUN,
    ) -> None:
        _check_cps("Simulator(cps=...)", cps)
        for name, flag in (
            ("strict", strict),
            ("freeze_time", freeze_time),
            ("accept_any_credentials", accept_any_credentials),
            ("delete_silent_recordings", delete_silent_recordings),
            ("trial", trial),
        ):
            if not isinstance(flag, bool):  # "false" would be true
                raise TypeError(
                    f"Simulator({name}=...): {name} must be True or False; got {describe(flag)}"
                )
        if start is not None and not isinstance(start, datetime):
            raise TypeError(
                "Simulator(start=...): start must be a timezone-aware datetime such as "
                f"datetime(2026, 1, 1, 9, tzinfo=timezone.utc); got {describe(start)}"
            )
        if max_calls_per_run < 1:
            raise ConfigurationError(
                f"max_calls_per_run must be 1 or more, got {max_calls_per_run!r}"
            )
        self.max_calls_per_run = max_calls_per_run
        if webhook_timeout is not None and not isinstance(webhook_timeout, int | float):
            raise TypeError(
                "Simulator(webhook_timeout=...): webhook_timeout must be a number of seconds "
                f"such as 15 (or None for no limit); got {describe(webhook_timeout)}"
            )
        if webhook_timeout is not None and not webhook_timeout > 0:
            raise ConfigurationError(
                f"webhook_timeout must be a positive number of seconds (or None for no "
                f"limit), got {webhook_timeout!r}"
            )
        self.strict = strict
        self.allow_codes = _codes(allow_codes)
        set_by_test = time_set_by_test()
        #: The test had set the clock itself when the simulator was made: the simulation
        #: starts there, and the bridge's freeze nests inside the test's.
        self._inside_test_time = set_by_test is not None
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
        self._timed_webhooks = WallTimeLimit(self._webhooks, webhook_timeout)
        #: Requests to Twilio's hosts that took another route and were blocked.
        self._escapes: list[NetworkEscapeError] = []
        self._guard = NetworkGuard(self._escapes.append)
        self._escapes_reported = 0
        self._build()
        self._freeze: FreezeBridge | None = None
        if freeze_time:
            from .freeze import FreezeBridge

            self._freeze = FreezeBridge()
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
            transport=self._timed_webhooks,
            parse=parse_twiml,
            strict=self.strict,
        )
        self.engine.delete_silent_recordings = world.delete_silent_recordings
        self.rest = RestApi(self.store, self.engine, accept_any_credentials=world.accept)
        # every way into the fake API (requests, the async client) goes through the guard
        self._rest_app = RequestGuard(self.rest)
        self._interceptor = TwilioInterceptor(self._rest_app.answer)
        self._async_interceptor = AsyncClientInterceptor(self._rest_app.answer)
        self.engine.after_running = _weakly(self._raise_new_failures)
        self._reported = 0

    def _follow_clock(self) -> None:
        """Let the app's frozen clock follow this world's virtual clock."""
        assert self._freeze is not None
        self.clock.subscribe(self._freeze.move)
        self.engine.before_running = _weakly(self._freeze_app_clock)

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
        started = self._started
        if started:
            self._interceptor.stop()
            self._async_interceptor.stop()
        self.engine.retire()  # the old world's calls and phones refuse to be driven
        self._build()
        if self._freeze is not None:
            self._follow_clock()
            self._freeze.move(self.clock.now)
        if started:
            self._interceptor.start()
            self._async_interceptor.start()

    # -- lifetime --------------------------------------------------------------------------

    def start(self) -> Simulator:
        """Begin intercepting Twilio's API (and freezing time at the virtual clock)."""
        if self._started:
            raise ConfigurationError("this Simulator is already started")
        self._interceptor.start()
        self._async_interceptor.start()
        self._guard.start()
        self._started = True
        watch.started(self)
        return self

    def _freeze_app_clock(self) -> None:
        # Time is frozen when calls first run, the only time the app is called: a test
        # that starts a simulator and makes no call pays nothing, and a clock the test set
        # itself since the simulator was made is still seen here.
        if self._started and self._freeze is not None and not self._freeze.active:
            if not self._inside_test_time and controlled_by_test():
                return  # the test set its own clock after this simulator was made: it wins
            self._freeze.start(self.clock.now)

    def stop(self) -> None:
        """Stop intercepting, unfreeze time, and run the ASGI apps' lifespan shutdown."""
        if self._started:
            self._started = False
            self._guard.stop()
            self._async_interceptor.stop()
            self._interceptor.stop()
            if self._freeze is not None and self._freeze.active:
                self._freeze.stop()
        apps, self._asgi_apps = self._asgi_apps, []
        failed: list[ConfigurationError] = []
        for app in apps:
            try:
                app.shutdown()
            except ConfigurationError as error:
                failed.append(error)
        if failed:
            raise failed[0]

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        if exc_type is None:
            self.check()

    # -- the account -----------------------------------------------------------------------

    @property
    def account_sid(self) -> str:
        """The simulated account's SID (``AC...``): the username the fake API accepts."""
        return self._account.sid

    @property
    def auth_token(self) -> str:
        """The account's auth token: the password the fake API accepts, and the key of
        every ``X-Twilio-Signature``."""
        return self._account.auth_token

    def client(self, **kwargs: Any) -> Any:
        """A ``twilio.rest.Client`` for the simulated account (needs the twilio package)."""
        try:
            from twilio.rest import Client
        except ImportError:  # pragma: no cover - exercised only without the extra installed
            raise ConfigurationError(
                "Simulator.client() needs the twilio package: pip install twilio"
            ) from None
        return Client(self.account_sid, self.auth_token, **kwargs)

    def number(
        self,
        number: str,
        *,
        voice_url: str | None = None,
        voice_method: str = "POST",
        voice_fallback_url: str | None = None,
        voice_fallback_method: str = "POST",
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        account: Account | None = None,
        voice_application_sid: str | None = None,
    ) -> PhoneNumber:
        """Give the account (or ``account``, a subaccount) a phone number (an
        IncomingPhoneNumber) configured for voice.

        With ``voice_application_sid`` (an application of ``sim.application``) the
        application's voice URLs answer the number's calls instead of its own.
        """
        where = f"sim.number({number!r})"
        number = check_far_end(where, number, endpoints=False, error=ConfigurationError)
        voice_method, voice_fallback_method, status_callback_method = _voice_settings(
            where,
            (voice_url, voice_fallback_url, status_callback),
            (voice_method, voice_fallback_method, status_callback_method),
        )
        owner = self._owner(where, account)
        if voice_application_sid is not None and voice_application_sid not in owner.applications:
            raise ConfigurationError(
                f"sim.number({number!r}): voice_application_sid {voice_application_sid!r} is "
                "not an application of the account; create it with sim.application(...) first"
            )
        owned = PhoneNumber(
            sid=self._sids.new("PN"),
            number=number,
            voice_url=voice_url,
            voice_method=voice_method,
            voice_fallback_url=voice_fallback_url,
            voice_fallback_method=voice_fallback_method,
            status_callback=status_callback,
            status_callback_method=status_callback_method,
            created_at=self.clock.now,
            voice_application_sid=voice_application_sid,
        )
        owner.numbers[number] = owned
        return owned

    def application(
        self,
        *,
        voice_url: str | None = None,
        voice_method: str = "POST",
        voice_fallback_url: str | None = None,
        voice_fallback_method: str = "POST",
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        friendly_name: str | None = None,
        account: Account | None = None,
    ) -> Application:
        """Create a TwiML Application (``AP...``) of the account (or ``account``), as
        ``POST /Applications.json`` would: calls placed with its ``sid`` as
        ``ApplicationSid``, numbers with ``voice_application_sid=`` and
        ``<Dial><Application>`` run its voice URLs."""
        where = "sim.application()"
        voice_method, voice_fallback_method, status_callback_method = _voice_settings(
            where,
            (voice_url, voice_fallback_url, status_callback),
            (voice_method, voice_fallback_method, status_callback_method),
        )
        return self.store.create_application(
            self._owner(where, account),
            at=self.clock.now,
            friendly_name=friendly_name,
            voice_url=voice_url,
            voice_method=voice_method,
            voice_fallback_url=voice_fallback_url,
            voice_fallback_method=voice_fallback_method,
            status_callback=status_callback,
            status_callback_method=status_callback_method,
        )

    @property
    def account(self) -> Account:
        """The simulated (main) account: SID, auth token, CPS, numbers, calls..."""
        return self._account

    @property
    def test_auth_token(self) -> str:
        """The account's test credential: with it the fake API places no call and answers
        Twilio's magic test numbers (``+15005550006`` ...), as Twilio's test credentials do."""
        return self._account.test_auth_token

    def verified_caller_id(
        self, number: str, *, friendly_name: str | None = None, account: Account | None = None
    ) -> OutgoingCallerId:
        """Verify ``number`` as an outgoing caller ID: calls may then come ``From`` it."""
        where = f"sim.verified_caller_id({number!r})"
        number = check_far_end(where, number, endpoints=False, error=ConfigurationError)
        owner = self._owner(where, account)
        return self.store.create_caller_id(owner, number, friendly_name, at=self.clock.now)

    def subaccount(
        self, friendly_name: str | None = None, *, cps: float = 1.0, trial: bool | None = None
    ) -> Account:
        """Open a subaccount with its own SID, auth token and pacing.

        ``trial`` makes it a trial account (default: a trial account's subaccounts are
        trials too).

        Give it numbers with ``sim.number(number, account=sub)`` or
        ``sim.verified_caller_id(number, account=sub)``; talk to it with
        ``Client(sub.sid, sub.auth_token)``.
        """
        _check_cps("sim.subaccount(cps=...)", cps)
        return self.store.create_account(
            cps,
            friendly_name=friendly_name,
            owner=self._account,
            created_at=self.clock.now,
            trial=self._account.trial if trial is None else trial,
        )

    def api_key(
        self, friendly_name: str | None = None, *, account: Account | None = None
    ) -> ApiKey:
        """A Standard API key: ``Client(key.sid, key.secret, sim.account_sid)`` authenticates."""
        owner = self._owner("sim.api_key()", account)
        return self.store.create_api_key(owner, friendly_name, at=self.clock.now)

    def _owner(self, where: str, account: Account | None) -> Account:
        """``account`` (a subaccount given as ``account=``), else the main account; an
        account of a world ``reset()`` forgot is a ``ConfigurationError``."""
        if account is None:
            return self._account
        if not isinstance(account, Account):
            raise TypeError(
                f"{where}: account must be an account of sim.subaccount() (or None for the "
                f"main account); got {describe(account)}"
            )
        if self.store.accounts.get(account.sid) is not account:
            raise ConfigurationError(
                f"{where}: account {account.sid} belongs to a simulation that sim.reset() "
                "ended; after a reset, open the subaccount again with sim.subaccount(...) and "
                "pass that one"
            )
        return account

    # -- the app and the far end ------------------------------------------------------------

    def route(self, base_url: str, app: Any) -> None:
        """Deliver webhooks for URLs under ``base_url`` to ``app``, in process.

        ``app`` is a WSGI app (Flask, Django's ``get_wsgi_application()``, ...) or an ASGI
        app (FastAPI, Starlette, ...; needs ``pip install 'twimlsim[asgi]'``). An ASGI app's
        lifespan startup runs here, its shutdown when the simulator stops. Credentials in
        ``base_url`` are ignored: URLs with and without them reach the same app. A path
        in ``base_url`` is where the app is mounted: it gets the path as ``SCRIPT_NAME`` and
        the rest as ``PATH_INFO``, as under werkzeug's ``DispatcherMiddleware``.
        """
        from .transports.asgi import ASGIApp, is_asgi

        where = f"sim.route({base_url!r}, ...)"
        base_url = check_base_url(where, base_url)
        if not callable(app):
            raise TypeError(
                f"{where}: app must be a WSGI or ASGI application (a Flask, Django or FastAPI "
                f"app object, a callable), got {describe(app)}; pass the app itself, not its "
                "name or module"
            )
        # webhooks go out as ``wire_url`` writes them (no credentials, the scheme and host
        # lower-cased, IDNA): the base is matched in the same form, so that
        # "https://MyApp.test" routes the app's "https://myapp.test/voice"
        base_url = wire_url(base_url).url
        if not is_asgi(app):
            self._webhooks.mount(base_url, app)
            return
        served = ASGIApp(app)
        try:
            served.startup()  # the app's lifespan, once, as its own test client runs it
        except BaseException:
            served.shutdown()
            raise
        self._asgi_apps.append(served)
        self._webhooks.mount(base_url, served)

    def phone(self, number: str) -> Phone:
        """The scripted far end at ``number``: chain ``answers()``, ``busy()``..."""
        return self.engine.phone(check_far_end(f"sim.phone({number!r})", number))

    def media(self, url: str, *, seconds: float) -> None:
        """Say how long the media at ``url`` plays (``<Play>``); unknown URLs play for
        ``twimlsim.engine.flow.DEFAULT_MEDIA_SECONDS``. Media URLs are never fetched."""
        where = f"sim.media({url!r}, seconds=...)"
        check_text(where, "url", url, "'https://app.test/hold.mp3'")
        length = check_seconds(where, "seconds", seconds, positive=True, error=ConfigurationError)
        self.engine.media[url] = length

    def incoming_call(self, *, from_: str, to: str) -> SimCall:
        """A caller at ``from_`` dials the account's number ``to`` (configured with
        ``number(to, voice_url=...)``); the call rings at once. ``sim.phone(from_)``
        scripts the caller. A trial account receives calls only from its verified caller
        IDs, as on Twilio."""
        where = f"sim.incoming_call(from_={from_!r}, to={to!r})"
        from_ = check_far_end(where, from_, error=ConfigurationError)
        to = check_far_end(where, to, endpoints=False, error=ConfigurationError)
        if self._account.trial and not self._account.is_verified(from_):
            raise ConfigurationError(
                f"incoming call from {from_}: a trial account receives calls only from its "
                f"verified caller IDs; add it with sim.verified_caller_id({from_!r}) first"
            )
        return self.engine.incoming_call(self._account, from_, to)

    def sdk_call(
        self,
        identity: str | None = None,
        *,
        application_sid: str | None = None,
        params: Mapping[str, str] | None = None,
        token: str | None = None,
    ) -> SimCall:
        """A Voice SDK device signed in as ``identity`` connects to the TwiML App
        ``application_sid`` (``device.connect({"params": params})``): the application's
        voice URL is requested from ``client:<identity>`` with ``params`` (``To`` among
        them, if given). ``sim.phone("client:<identity>")`` scripts the device's user.

        With ``token`` (the Access Token the app's token endpoint gave the device) the
        identity, application and grant params come from the token, checked as Twilio
        checks it (signed by an API key of ``sim.api_key()``, a voice grant with an
        outgoing application); a token Twilio would refuse is a ``ConfigurationError``
        with Twilio's code."""
        account = self._account
        if token is not None:
            check_text("sim.sdk_call(token=...)", "token", token, "the JWT string of the app")
            grant = read_voice_token(token, self.store.api_keys)
            identity, application_sid = grant.connect_as(identity, application_sid)
            params = {**grant.params, **(params or {})}
            account = self.store.accounts[grant.account_sid]  # a subaccount's key signs its own
        if identity is None or application_sid is None:
            raise ConfigurationError(
                "sim.sdk_call() needs the device's identity and application_sid, or the "
                "token=... the app gave the device"
            )
        application = account.applications.get(application_sid)
        if application is None or application.voice_url is None:
            raise ConfigurationError(
                f"sim.sdk_call({identity!r}): {application_sid!r} is not an application of "
                "the account with a voice URL; create it with sim.application(voice_url=...)"
            )
        return sdk_calls.sdk_call(self.engine, account, identity, application, params or {})

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
        self.engine.before_running()
        stopped = run_bounded(self.engine, self.max_calls_per_run)
        if stopped is not None:
            new = self.engine.failures[self._reported :]
            self._reported = len(self.engine.failures)
            raise RunawayCalls(new if self.strict else [stopped])
        self._raise_new_failures()

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of virtual time pass, running whatever falls due.

        Raises ``ValueError`` (and changes nothing) for a time that is not finite or that
        the clock cannot reach (``twimlsim.clock.MAX_MICROS``: 1,000 years).
        """
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise TypeError(
                "sim.advance(seconds): seconds must be a number such as 30 or 0.5; got "
                f"{describe(seconds)}"
            )
        if seconds < 0:
            raise ConfigurationError(
                f"time only moves forward: sim.advance() takes 0 or more seconds, got "
                f"advance({seconds!r})"
            )
        target = self.clock.micros + to_micros(seconds)
        self.clock.check_reachable(target)
        self.engine.before_running()
        self.scheduler.run_until(target)
        self._raise_new_failures()

    # -- what happened ----------------------------------------------------------------------

    @property
    def calls(self) -> Mapping[str, SimCall]:
        """Every call by SID, in the order they were created."""
        return self.engine.calls

    @property
    def queues(self) -> Mapping[str, Queue]:
        """The account's call queues by name (``.sid``, ``.members``: call SIDs, oldest first)."""
        return self._account.queues

    @property
    def conferences(self) -> Mapping[str, SimConference]:
        """Every conference room by SID; ``sim.conferences["Support"]`` is the newest room
        of that name (``.sid``, ``.status``, ``.participants``, ``.requests``...)."""
        return self.engine.conferences

    def queue(self, name: str, *, max_size: int | None = None) -> Queue:
        """Create the account's queue ``name`` now, as the app would have before (a
        ``<Dial><Queue>`` on a queue that does not exist fails at once, as on Twilio)."""
        where = f"sim.queue({name!r})"
        if not check_text(where, "name", name, "'support'"):
            raise ConfigurationError(f"{where}: a queue needs a name, such as 'support'")
        if max_size is not None and (
            isinstance(max_size, bool) or not isinstance(max_size, int) or not 1 <= max_size <= 5000
        ):
            raise ConfigurationError(
                f"{where}: max_size must be a whole number from 1 to 5000 (Twilio's MaxSize), "
                f"or None for 1,000; got {describe(max_size)}"
            )
        return self.engine.queues.create(self._account.sid, name, max_size)

    @property
    def requests(self) -> list[WebhookRequest]:
        """Every webhook request of every call, in the order the app received them."""
        return self.engine.requests

    @property
    def api_requests(self) -> list[ApiRequest]:
        """Every request the app made to the fake REST API (creates, fetches, updates...),
        in order, with the API's answer."""
        return self.rest.requests

    @property
    def failures(self) -> list[CallFailure]:
        """Every problem Twilio's debugger would have logged, strict or not."""
        return self.engine.failures

    def check(self) -> None:
        """Strict mode: fail on requests to Twilio that were blocked (in case the code under
        test swallowed the error), unreported call problems and script steps never reached."""
        if not self.strict:
            return
        escapes = self._escapes[self._escapes_reported :]
        if escapes:
            self._escapes_reported = len(self._escapes)
            count = f" ({len(escapes)} attempts)" if len(escapes) > 1 else ""
            raise NetworkEscapeError(f"{escapes[0]}{count}") from escapes[0]
        self._raise_new_failures()
        unused = describe_unused(self.engine.unused_steps())
        if unused is not None:
            raise ConfigurationError(
                unused
                + (
                    "; no call has run yet: call sim.run() (or call.run()) before asserting"
                    if self._no_call_has_run()
                    else ". Remove them, or pass strict=False to allow unused steps."
                )
            )

    def _no_call_has_run(self) -> bool:
        """Calls were made but none ever ran: all still queued or ringing, and virtual time
        never moved (a test that forgot ``sim.run()``)."""
        calls = self.engine.calls.values()
        return (
            self.clock.micros == 0
            and bool(calls)
            and all(call.status in {"queued", "ringing"} for call in calls)
        )

    def _raise_new_failures(self) -> None:
        if not self.strict:
            return
        new = [
            failure
            for failure in self.engine.failures[self._reported :]
            if failure.code is None or failure.code not in self.allow_codes
        ]
        self._reported = len(self.engine.failures)
        if not new:
            return
        cause = next((failure.cause for failure in new if failure.cause is not None), None)
        raise SimulationError(new) from cause


def _weakly(method: Callable[[], None]) -> Callable[[], None]:
    """``method`` of a simulator, for the engine to call without holding the simulator: a
    simulator its test let go of is freed at once by reference counting, not left in a
    reference cycle for the garbage collector."""
    ref = weakref.WeakMethod(method)

    def call() -> None:
        bound = ref()
        if bound is not None:
            bound()

    return call


def _codes(codes: Iterable[int]) -> frozenset[int]:
    """``allow_codes`` as a set of ints, or a ``ConfigurationError`` naming the bad value."""
    if isinstance(codes, str | int):
        codes = [codes]
    allowed: set[int] = set()
    for code in codes:
        try:
            allowed.add(int(code))
        except (TypeError, ValueError):
            raise ConfigurationError(
                f"allow_codes takes Twilio error codes such as 12200; got {code!r}"
            ) from None
    return frozenset(allowed)


@dataclass(frozen=True, slots=True)
class _World:
    """The options a simulated world is made from (kept for ``Simulator.reset()``)."""

    cps: float
    seed: int | str
    start: datetime
    accept: bool
    delete_silent_recordings: bool
    trial: bool


def _check_cps(where: str, cps: object) -> None:
    """A calls-per-second rate: a positive, finite number."""
    if isinstance(cps, bool) or not isinstance(cps, int | float):
        raise TypeError(
            f"{where}: cps must be a number of calls per second such as 1 or 0.5; "
            f"got {describe(cps)}"
        )
    if not math.isfinite(cps) or cps <= 0:
        raise ConfigurationError(
            f"{where}: cps must be a positive number of calls per second such as 1 or 0.5; "
            f"got {cps!r}"
        )


def _voice_settings(
    where: str, urls: tuple[str | None, str | None, str | None], methods: tuple[str, str, str]
) -> tuple[str, str, str]:
    """Check a number's or an application's voice URL, fallback URL and status callback
    and their three methods; the methods upper-cased."""
    for name, url in zip(("voice_url", "voice_fallback_url", "status_callback"), urls, strict=True):
        check_url(where, name, url, error=ConfigurationError)
    names = ("voice_method", "voice_fallback_method", "status_callback_method")
    voice, fallback, status = (
        check_method(where, name, method, error=ConfigurationError)
        for name, method in zip(names, methods, strict=True)
    )
    return voice, fallback, status
