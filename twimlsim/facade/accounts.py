"""The simulated account and what it owns, as a test sets them up: credentials, phone
numbers, TwiML applications, SIP Domains, verified caller IDs, subaccounts, API keys and call
queues.

``AccountSetup`` is a part of ``Simulator`` (``twimlsim.simulator``); its methods are the
simulator's (``sim.number(...)``, ``sim.application(...)``...).
"""

from __future__ import annotations

import enum
import math
import sys
import weakref
from functools import cache
from typing import TYPE_CHECKING, Any

from twimlsim.arguments import (
    check_flag,
    check_method,
    check_text,
    describe,
    literal,
    shown,
    to_float,
)
from twimlsim.errors import ConfigurationError
from twimlsim.model.application import Application
from twimlsim.model.credentials import ApiKey, OutgoingCallerId
from twimlsim.model.sip_domain import SipDomain, domain_name_problem
from twimlsim.model.store import Account, PhoneNumber
from twimlsim.rest.addresses import check_own_number, check_url
from twimlsim.rest.serialize import format_number

if TYPE_CHECKING:
    from twimlsim.clock import VirtualClock
    from twimlsim.engine.engine import Engine
    from twimlsim.model.queue import Queue
    from twimlsim.model.sids import SidFactory
    from twimlsim.model.store import AccountStore

__all__ = ["AccountSetup", "check_cps"]


class _Keep(enum.Enum):
    """The default of ``sim.number``'s settings: not passed, so kept as they are (Twilio's
    default for a new number)."""

    KEEP = "kept"

    def __repr__(self) -> str:
        return "<kept>"


_KEEP = _Keep.KEEP


class AccountSetup:
    """The account's side of ``Simulator``: what the account owns, made as the REST API
    would make it."""

    # the simulator's world (``Simulator._build``)
    _account: Account
    _sids: SidFactory
    store: AccountStore
    clock: VirtualClock
    engine: Engine
    _started: bool

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
        """A ``twilio.rest.Client`` for the simulated account (needs the twilio package).

        Once the simulator was stopped nothing intercepts the client's requests: they
        would go to the real ``api.twilio.com``, so a ``ConfigurationError`` says so."""
        if self.engine.stopped:
            raise ConfigurationError(
                "sim.client(): this Simulator was stopped (its with block or test ended), so "
                "the client's requests would go to the real api.twilio.com with the simulated "
                "credentials; make the client and its requests while the simulator runs"
            )
        # read from the loaded package (as the import statement would, a patched Client
        # included) without the import statement's Python-level work on each call
        client_class: Any = getattr(sys.modules.get("twilio.rest"), "Client", None)
        if client_class is None:
            try:
                from twilio.rest import Client

                client_class = Client
            except ImportError:  # pragma: no cover - exercised only without the extra
                raise ConfigurationError(
                    "Simulator.client() needs the twilio package: pip install twilio"
                ) from None
        if "http_client" not in kwargs:
            kwargs["http_client"] = _refusing_unless_running(self)
        return client_class(self.account_sid, self.auth_token, **kwargs)

    def number(
        self,
        number: str,
        *,
        voice_url: str | None | _Keep = _KEEP,
        voice_method: str | _Keep = _KEEP,
        voice_fallback_url: str | None | _Keep = _KEEP,
        voice_fallback_method: str | _Keep = _KEEP,
        status_callback: str | None | _Keep = _KEEP,
        status_callback_method: str | _Keep = _KEEP,
        account: Account | None = None,
        voice_application_sid: str | None | _Keep = _KEEP,
        voice_caller_id_lookup: bool | _Keep = _KEEP,
    ) -> PhoneNumber:
        """Give the account (or ``account``, a subaccount) a phone number (an
        IncomingPhoneNumber) configured for voice (methods default to ``POST``, URLs to
        none).

        With ``voice_application_sid`` (an application of ``sim.application``) the
        application's voice URLs answer the number's calls instead of its own.

        ``voice_caller_id_lookup=True`` turns the number's caller ID lookup on
        (``VoiceCallerIdLookup``): a call to it carries the caller's ``CallerName`` (what
        ``sim.phone(caller).caller_name(...)`` set) on its requests.

        Called again for a number the account already owns, it updates that number as
        ``POST /IncomingPhoneNumbers/PN...`` would: the same SID and object, only the
        settings passed changed (``voice_url=None`` clears the URL), the others kept.
        """
        where = f"sim.number({literal(number)})"
        number = check_own_number(where, number, error=ConfigurationError)
        owner = self._owner(where, account)
        owned = owner.numbers.get(number)
        if owned is None:
            holder = next((a for a in self.store.accounts.values() if number in a.numbers), None)
            if holder is not None:
                raise ConfigurationError(_second_owner(where, number, holder))
            owned = PhoneNumber(sid="", number=number, created_at=self.clock.now)
        urls = (
            owned.voice_url if isinstance(voice_url, _Keep) else voice_url,
            owned.voice_fallback_url
            if isinstance(voice_fallback_url, _Keep)
            else voice_fallback_url,
            owned.status_callback if isinstance(status_callback, _Keep) else status_callback,
        )
        methods = (
            owned.voice_method if isinstance(voice_method, _Keep) else voice_method,
            owned.voice_fallback_method
            if isinstance(voice_fallback_method, _Keep)
            else voice_fallback_method,
            owned.status_callback_method
            if isinstance(status_callback_method, _Keep)
            else status_callback_method,
        )
        checked_methods = _voice_settings(where, urls, methods)
        application_sid = (
            owned.voice_application_sid
            if isinstance(voice_application_sid, _Keep)
            else voice_application_sid
        )
        if application_sid is not None and application_sid not in owner.applications:
            raise ConfigurationError(
                f"sim.number({number!r}): voice_application_sid {application_sid!r} is "
                "not an application of the account; create it with sim.application(...) first"
            )
        if not isinstance(voice_caller_id_lookup, _Keep):
            check_flag(where, "voice_caller_id_lookup", voice_caller_id_lookup)
        # checked in full before anything changes: a refused update leaves the number as it was
        owned.voice_url, owned.voice_fallback_url, owned.status_callback = urls
        owned.voice_method, owned.voice_fallback_method, owned.status_callback_method = (
            checked_methods
        )
        owned.voice_application_sid = application_sid
        if not isinstance(voice_caller_id_lookup, _Keep):
            owned.settings["voice_caller_id_lookup"] = voice_caller_id_lookup
        if not owned.sid:
            owned.sid = self._sids.new("PN")
            owner.numbers[number] = owned
        else:
            owned.updated_at = self.clock.now
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
        _check_friendly_name(where, friendly_name)
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

    def sip_domain(
        self,
        domain_name: str,
        *,
        voice_url: str | None = None,
        voice_method: str = "POST",
        voice_fallback_url: str | None = None,
        voice_fallback_method: str = "POST",
        voice_status_callback_url: str | None = None,
        voice_status_callback_method: str = "POST",
        friendly_name: str | None = None,
        account: Account | None = None,
    ) -> SipDomain:
        """Give the account (or ``account``) a SIP Domain, ``office.sip.twilio.com``: a call
        a PBX or softphone sends to a SIP URI at it (``sim.incoming_call(from_="sip:...",
        to="sip:+15551234567@office.sip.twilio.com")``) requests ``voice_url`` (and
        ``voice_fallback_url``), and its ``completed`` event goes to
        ``voice_status_callback_url``. The domain's authentication (IP access control and
        credential lists) is not simulated: every call to it is let in."""
        where = f"sim.sip_domain({literal(domain_name)})"
        check_text(where, "domain_name", domain_name, "'office.sip.twilio.com'")
        problem = domain_name_problem(domain_name)
        if problem is not None:
            raise ConfigurationError(f"{where}: {problem}")
        _check_friendly_name(where, friendly_name)
        voice_method, voice_fallback_method, voice_status_callback_method = _voice_settings(
            where,
            (voice_url, voice_fallback_url, voice_status_callback_url),
            (voice_method, voice_fallback_method, voice_status_callback_method),
            status_callback="voice_status_callback_url",
        )
        owner = self._owner(where, account)
        name = domain_name.lower()
        if any(name in other.sip_domains for other in self.store.accounts.values()):
            raise ConfigurationError(
                f"{where}: a SIP Domain named {name!r} exists already (domain names are unique "
                "across Twilio); give each domain its own name"
            )
        domain = SipDomain(
            sid=self._sids.new("SD"),
            account_sid=owner.sid,
            domain_name=name,
            voice_url=voice_url,
            voice_method=voice_method,
            voice_fallback_url=voice_fallback_url,
            voice_fallback_method=voice_fallback_method,
            voice_status_callback_url=voice_status_callback_url,
            voice_status_callback_method=voice_status_callback_method,
            friendly_name=friendly_name,
            created_at=self.clock.now,
        )
        owner.sip_domains[name] = domain
        return domain

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
        """Verify ``number`` as an outgoing caller ID: calls may then come ``From`` it.

        Without ``friendly_name`` its name is the number formatted (``(555) 123-0000``), as
        Twilio's OutgoingCallerId page says of the default."""
        where = f"sim.verified_caller_id({literal(number)})"
        number = check_own_number(where, number, error=ConfigurationError)
        _check_friendly_name(where, friendly_name)
        owner = self._owner(where, account)
        name = friendly_name if friendly_name is not None else format_number(number)
        return self.store.create_caller_id(owner, number, name, at=self.clock.now)

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
        check_cps("sim.subaccount(cps=...)", cps)
        _check_friendly_name("sim.subaccount()", friendly_name)
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
        _check_friendly_name("sim.api_key()", friendly_name)
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

    def queue(self, name: str, *, max_size: int | None = None) -> Queue:
        """Create the account's queue ``name`` now, as the app would have before (a
        ``<Dial><Queue>`` on a queue that does not exist fails at once, as on Twilio)."""
        where = f"sim.queue({literal(name)})"
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


#: The slowest rate of calls accepted: one call in about 32 years.
MIN_CPS = 1e-9


def check_cps(where: str, cps: object) -> None:
    """A calls-per-second rate: a finite number, at least ``MIN_CPS``."""
    if isinstance(cps, bool) or not isinstance(cps, int | float):
        raise TypeError(
            f"{where}: cps must be a number of calls per second such as 1 or 0.5; "
            f"got {describe(cps)}"
        )
    if not math.isfinite(to_float(cps)) or cps <= 0:
        raise ConfigurationError(
            f"{where}: cps must be a positive number of calls per second such as 1 or 0.5; "
            f"got {shown(cps)}"
        )
    if cps < MIN_CPS:  # the spacing 1/cps of calls overflows for the tiniest floats
        raise ConfigurationError(
            f"{where}: cps must be at least {MIN_CPS:g} calls per second (one call in about "
            f"32 years); got {shown(cps)}"
        )


def _voice_settings(
    where: str,
    urls: tuple[str | None, str | None, str | None],
    methods: tuple[str, str, str],
    *,
    status_callback: str = "status_callback",
) -> tuple[str, str, str]:
    """Check a number's, an application's or a SIP Domain's voice URL, fallback URL and
    status callback (named ``status_callback``, as the keyword is) and their three methods;
    the methods upper-cased."""
    url_names = ("voice_url", "voice_fallback_url", status_callback)
    for name, url in zip(url_names, urls, strict=True):
        check_url(where, name, url, error=ConfigurationError)
    status_method = status_callback.removesuffix("_url") + "_method"
    names = ("voice_method", "voice_fallback_method", status_method)
    voice, fallback, status = (
        check_method(where, name, method, error=ConfigurationError)
        for name, method in zip(names, methods, strict=True)
    )
    return voice, fallback, status


def _check_friendly_name(where: str, friendly_name: object) -> None:
    """A ``TypeError`` unless ``friendly_name`` is a string (or None: Twilio's default)."""
    if friendly_name is not None:
        check_text(where, "friendly_name", friendly_name, "'Support line'")


def _refusing_unless_running(setup: AccountSetup) -> Any:
    """twilio's own HTTP client, refusing a request while the simulator is not started:
    nothing would intercept it, and it would reach the real ``api.twilio.com``."""
    client = _http_client_class()()
    client.simulator_setup = weakref.ref(setup)  # the client does not keep the world alive
    return client


@cache
def _http_client_class() -> Any:
    from twilio.http.http_client import TwilioHttpClient

    class SimulatorHttpClient(TwilioHttpClient):  # type: ignore[misc]
        simulator_setup: weakref.ref[AccountSetup]

        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            setup = self.simulator_setup()
            if setup is None or not setup._started:
                raise ConfigurationError(
                    f"sim.client(): {method} {url} was not sent: this Simulator is not "
                    "running (never started, or stopped), so the request would go to the "
                    "real api.twilio.com with the simulated credentials; start it first: "
                    "`with Simulator() as sim:`, sim.start(), or the twimlsim fixture"
                )
            return super().request(method, url, *args, **kwargs)

    return SimulatorHttpClient


def _second_owner(where: str, number: str, holder: Account) -> str:
    """Why ``number``, which ``holder`` owns, cannot be given to another account, and how
    to configure it where it is."""
    one_owner = "a number has one owner (Twilio sells an owned number to no one else)"
    if holder.any_caller_id:  # opened for an app's own credentials: no account= handle
        return (
            f"{where}: {number} is already a number of account {holder.sid}, which the app's "
            f"own credentials opened when its client bought it, and {one_owner}; configure "
            "it with that client, as the app would (incoming_phone_numbers("
            f"'{holder.numbers[number].sid}').update(voice_url=...)), or give the test "
            "another number"
        )
    return (
        f"{where}: {number} is already a number of account {holder.sid}, and {one_owner}; "
        "configure it in that account (account= that account, or no account= for the main "
        "one), move it with the REST API (an update of the number with AccountSid=...), or "
        "give this account another number"
    )
