"""The app and the far end, as a test sets them up: where webhooks go (``route``), the
scripted far ends (``phone``), media lengths, and calls that come in (``incoming_call``,
``sdk_call``).

``FarEndSetup`` is a part of ``Simulator`` (``twimlsim.simulator``); its methods are the
simulator's (``sim.route(...)``, ``sim.phone(...)``...).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from twimlsim.arguments import (
    check_base_url,
    check_seconds,
    check_text,
    check_text_mapping,
    check_unicode_items,
    describe,
    literal,
    shown,
)
from twimlsim.engine import sdk_calls
from twimlsim.engine.inbound import number_owner, refuse_unverified_caller, sip_domain_call
from twimlsim.engine.urls import wire_url
from twimlsim.errors import ConfigurationError
from twimlsim.model.access_token import read_voice_token
from twimlsim.rest.addresses import check_far_end
from twimlsim.rest.params import valid_url

from .app_checks import (
    check_app,
    check_asgi_function,
    check_real_threads,
    check_wsgi_call,
    subject,
)

if TYPE_CHECKING:
    from twimlsim.engine.caller import Phone
    from twimlsim.engine.engine import Engine
    from twimlsim.engine.session import SimCall
    from twimlsim.model.store import Account, AccountStore
    from twimlsim.transports.asgi import ASGIApp
    from twimlsim.transports.wsgi import WSGITransport

__all__ = ["FarEndSetup"]


class FarEndSetup:
    """The app's and the far ends' side of ``Simulator``."""

    # the simulator's world (``Simulator._build``) and its routes (``Simulator.__init__``)
    _account: Account
    _webhooks: WSGITransport
    _asgi_apps: list[ASGIApp]
    store: AccountStore
    engine: Engine

    def _refuse_when_stopped(self, where: str) -> None: ...  # Simulator's

    def _open_app_sockets(self) -> None: ...  # Simulator's

    def _follow_test_freeze(self) -> None: ...  # Simulator's

    def route(self, base_url: str, app: Any, *, behind_proxy: bool = False) -> None:
        """Deliver webhooks for URLs under ``base_url`` to ``app``, in process.

        ``app`` is a WSGI app (Flask, Django's ``get_wsgi_application()``, ...) or an ASGI
        app (FastAPI, Starlette, ...; needs a2wsgi, the wheel's ``asgi`` extra). An ASGI app's
        lifespan startup runs here, its shutdown when the simulator stops. Credentials in
        ``base_url`` are ignored: URLs with and without them reach the same app. A path
        in ``base_url`` is where the app is mounted: it gets the path as ``SCRIPT_NAME`` and
        the rest as ``PATH_INFO``, as under werkzeug's ``DispatcherMiddleware``. A ``ws://``
        or ``wss://`` base routes an ASGI app's WebSocket routes alone (the sockets Twilio
        opens), beside the app its ``https://`` base serves webhooks by. Routing a base URL
        again replaces the app it served (a test overriding the ``twimlsim_app`` fixture's
        app); routes under other bases stay. A base on a host twimlsim answers itself
        (``api.twilio.com``, ``lookups.twilio.com`` and their edge forms, ``demo.twilio.com``,
        ``twimlets.com``) is refused: no request would reach the app routed there.

        ``behind_proxy=True`` serves the app as deployed behind a TLS-terminating reverse
        proxy (Heroku's router, a load balancer, ngrok): it gets each webhook over plain
        HTTP on port 80 with Twilio's ``Host`` and ``X-Forwarded-Proto: https``, so an app
        that rebuilds the signed URL from that header (``ProxyFix``,
        ``SECURE_PROXY_SSL_HEADER``) is tested as it runs there.
        """
        from twimlsim.transports.asgi import ASGIApp, is_asgi

        where = f"sim.route({literal(base_url)}, ...)"
        base_url = check_base_url(where, base_url, sockets=True)
        if not isinstance(behind_proxy, bool):
            raise TypeError(
                f"{where}: behind_proxy must be True or False, got {describe(behind_proxy)}"
            )
        check_app(where, app)
        # webhooks go out as ``wire_url`` writes them (no credentials, the scheme and host
        # lower-cased, IDNA): the base is matched in the same form, so that
        # "https://MyApp.test" routes the app's "https://myapp.test/voice"
        base_url = wire_url(base_url).url
        if base_url.startswith(("ws://", "wss://")) and not is_asgi(app):
            raise TypeError(
                f"{where}: a ws:// or wss:// base URL routes an ASGI app's WebSocket routes "
                f"(a Media Streams or ConversationRelay server), and {subject(app)} is no "
                "ASGI app; route a WSGI app at the https:// base URL of its webhooks"
            )
        if type(app).__module__ == "aiohttp.web_app":  # an aiohttp.web Application
            from twimlsim.transports.aiohttp_web import as_asgi

            app = as_asgi(app, where, [known.app for known in self._asgi_apps])
        if not is_asgi(app):
            check_wsgi_call(where, app)
            self._webhooks.mount(base_url, app, behind_proxy=behind_proxy)
            if hasattr(app, "url_map"):  # a Flask app: a Flask-Sock route does not run
                from twimlsim.transports.wsgi_socket_routes import warn_of_websocket_routes

                warn_of_websocket_routes(base_url, app)
            return
        if inspect.iscoroutinefunction(app):
            check_asgi_function(where, app)
        check_real_threads(where, app)
        # the same app object routed again (at its wss:// base beside its https:// one) is
        # the one process uvicorn runs: one loop, one lifespan, whose state both share
        served = next((known for known in self._asgi_apps if known.app is app), None)
        if served is None:
            served = ASGIApp(app)
            try:
                served.startup()  # the app's lifespan, once, as its own test client runs it
            except BaseException:
                served.shutdown()
                raise
            self._asgi_apps.append(served)
        self._webhooks.mount(base_url, served, behind_proxy=behind_proxy)
        self._open_app_sockets()

    def phone(self, number: str) -> Phone:
        """The scripted far end at ``number``: chain ``answers()``, ``busy()``..."""
        where = f"sim.phone({literal(number)})"
        phone = self.engine.phone(check_far_end(where, number, withheld=True))
        if not phone.steps:
            phone.scripted_late = self.engine.only_ended_calls_with(phone.number)
        return phone

    def media(self, url: str, *, seconds: float) -> None:
        """Say how long the media at ``url`` plays (``<Play>``); unknown URLs play for
        ``twimlsim.engine.flow.DEFAULT_MEDIA_SECONDS``. Media URLs are never fetched."""
        where = f"sim.media({literal(url)}, seconds=...)"
        check_text(where, "url", url, "'https://app.test/hold.mp3'")
        if not url.strip():
            raise ConfigurationError(
                f"{where}: url is empty; give the media URL a <Play> plays, such as "
                "'https://app.test/hold.mp3'"
            )
        if not valid_url(url):  # it would never match: a <Play> URL is looked up resolved
            raise ConfigurationError(
                f"{where}: url {url!r} is not an absolute http(s) URL; give the URL the "
                "<Play> plays, resolved against its document's URL as Twilio resolves it, "
                "such as 'https://app.test/hold.mp3' for <Play>/hold.mp3</Play>"
            )
        length = check_seconds(where, "seconds", seconds, positive=True, error=ConfigurationError)
        self.engine.media[url] = length

    def incoming_call(
        self, *, from_: str, to: str, params: Mapping[str, str] | None = None
    ) -> SimCall:
        """A caller at ``from_`` dials the account's number ``to`` (configured with
        ``number(to, voice_url=...)``); the call rings at once. ``sim.phone(from_)``
        scripts the caller. A number of another account of the simulation (a subaccount,
        one an app's own credentials opened under ``pytest --twimlsim``) rings in that
        account, as Twilio routes a call to its number's owner. A trial account receives
        calls only from its verified caller IDs, as on Twilio.

        ``params`` are what Twilio adds to the call's first voice request beyond the
        standard parameters, for the number's configuration: its Add-ons' results
        (``AddOns``, a JSON text), ``StirVerstat``, ``CallerName``... They are sent as
        given; a standard parameter's name (``From``, ``CallSid``, ...) is refused.

        A ``to`` that is a SIP URI at a SIP Domain of ``sim.sip_domain``
        (``sip:+15551234567@office.sip.twilio.com``) is a call a PBX or softphone at
        ``from_`` (``sip:alice@office.sip.twilio.com``) sends to that domain: its voice URL
        answers it, with Twilio's ``SipDomain``, ``SipDomainSid``, ``SipCallId`` and
        ``SipSourceIp``, and ``params`` such as ``SipHeader_X-Customer`` or ``SipUsername``
        (``twimlsim.engine.inbound.sip_domain_call``)."""
        where = f"sim.incoming_call(from_={literal(from_)}, to={literal(to)})"
        from_ = check_far_end(where, from_, withheld=True, error=ConfigurationError)
        if isinstance(to, str) and to[:4].lower() == "sip:":
            to = check_far_end(where, to, error=ConfigurationError)
            _check_extra_params(where, params, _SIP_DOMAIN_PARAMS)
            self._refuse_when_stopped(where)
            self._follow_test_freeze()
            with self.engine.lock:
                return sip_domain_call(self.engine, from_, to, params)
        to = check_far_end(where, to, endpoints=False, error=ConfigurationError)
        _check_extra_params(where, params)
        self._refuse_when_stopped(where)
        self._follow_test_freeze()
        with self.engine.lock:  # the accounts' numbers as the app's REST requests leave them
            owner = number_owner(self.store, self._account, to)
            refuse_unverified_caller(owner, self._account, from_)
            return self.engine.incoming_call(owner, from_, to, params)

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
        where = "sim.sdk_call(...)"
        if identity is not None:
            check_text(where, "identity", identity, "'alice'")
        if application_sid is not None:
            check_text(where, "application_sid", application_sid, "the .sid of sim.application()")
        if params is not None:
            check_text_mapping(where, "params", params, "parameter names", "{'To': '+15558675310'}")
            check_unicode_items(where, "params", params.items(), error=ConfigurationError)
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
        self._refuse_when_stopped(where)  # after the arguments, as incoming_call() checks
        self._follow_test_freeze()
        with self.engine.lock:
            return sdk_calls.sdk_call(self.engine, account, identity, application, params or {})


#: Parameters every request about a call carries: ``incoming_call(params=)`` cannot set them.
_STANDARD_PARAMS = frozenset(
    {"AccountSid", "ApiVersion", "CallSid", "CallStatus", "Direction", "ApplicationSid"}
    | {
        f"{side}{part}"
        for side in ("From", "To", "Called", "Caller")
        for part in ("", "City", "State", "Zip", "Country")
    }
)


#: What a call to a SIP Domain carries from the domain itself: ``params`` cannot set it.
_SIP_DOMAIN_PARAMS = frozenset({"SipDomain", "SipDomainSid"})


def _check_extra_params(where: str, params: object, reserved: frozenset[str] = frozenset()) -> None:
    """``params`` of ``incoming_call``: names to text, none of them a standard parameter
    (nor one of ``reserved``, what the call's destination sets)."""
    if params is None:
        return
    params = check_text_mapping(
        where, "params", params, "parameter names", "{'StirVerstat': 'TN-Validation-Passed-A'}"
    )
    check_unicode_items(where, "params", params.items(), error=ConfigurationError)
    if "" in params:
        raise ConfigurationError(
            f"{where}: params has a parameter with an empty name (value {shown(params[''])}); "
            "every parameter Twilio sends has a name: give it one, such as 'CallerName'"
        )
    standard = sorted(name for name in params if name in _STANDARD_PARAMS)
    if standard:
        raise ConfigurationError(
            f"{where}: params {', '.join(standard)} "
            f"{'is a parameter' if len(standard) == 1 else 'are parameters'} Twilio sets on "
            "every request of the call; give only the extra ones (AddOns, StirVerstat, ...)"
        )
    taken = sorted(name for name in params if name in reserved)
    if taken:
        raise ConfigurationError(
            f"{where}: params {', '.join(taken)} {'comes' if len(taken) == 1 else 'come'} "
            "from the SIP Domain the call is sent to "
            "(sim.sip_domain); give only what the INVITE brings (SipHeader_X-..., SipUsername)"
        )
