"""Block every other route to a Twilio host while a simulator runs.

The twilio client's own transports are answered offline (``responses`` for its sync
client, the async client's seam), and so are the app's own requests made with
``urllib.request``, ``urllib3``, httpx, httpx2 or aiohttp (``stdlib_answers``, ``httpx_answers``,
``aiohttp_answers``, before they resolve a name). Anything else that reaches for a Twilio
host (a custom ``HttpClient`` on ``http.client``, a raw socket by name) would reach the real
Twilio with whatever credentials the machine holds. Host names are resolved before any
connection, so name resolution is where it is stopped: ``socket.getaddrinfo`` (which
``socket.create_connection``, http.client, httpx and asyncio all use), ``gethostbyname``
and ``gethostbyname_ex`` raise ``NetworkEscapeError`` for any ``*.twilio.com`` name, with
a message saying how to route the request. No socket is opened. Every other name
resolves as before, and so does a Twilio host mocket or httpretty has registrations for,
while it is enabled (its own fake lookup, wrapped here when it was enabled first:
``socket_mocks``).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from twimlsim.errors import NetworkEscapeError

from .socket_mocks import socket_mock_stubs_host

__all__ = ["NAME_LOOKUPS", "TWILIO_HOST", "NetworkGuard", "lookup_name", "routing_message"]

#: A Twilio host name (``api.twilio.com``, ``api.dublin.ie1.twilio.com``, ``twilio.com.``).
TWILIO_HOST = re.compile(r"^([a-z0-9-]+\.)*twilio\.com\.?$", re.IGNORECASE)

#: The name lookups of ``socket`` that are wrapped to refuse Twilio's hosts.
NAME_LOOKUPS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex")


def lookup_name(host: object) -> str | None:
    """The name a lookup was given, as text, or None for what is neither text nor bytes.

    Bytes are read as Latin-1, which never fails: a Twilio name is ASCII, and decoding them
    as IDNA raised ``UnicodeError`` out of the lookup for a name that is not valid IDNA
    (``b"\\xff"``), where the lookup itself fails with ``socket.gaierror``."""
    if isinstance(host, bytes | bytearray):
        return bytes(host).decode("latin-1")
    return host if isinstance(host, str) else None


def routing_message(host: str, port: object = None) -> str:
    """What failed, and how to route the request so that the simulator answers it."""
    where = f"{host}:{port}" if port not in (None, "") else host
    return (
        f"twimlsim blocked a connection to {where}: this request to Twilio did not go "
        "through a transport the simulator answers, so it would have reached the real "
        "Twilio. twimlsim answers the twilio client's own transports (TwilioHttpClient, "
        "the default, over requests; AsyncTwilioHttpClient over aiohttp) and any request "
        "made with requests, urllib.request, urllib3, httpx, httpx2 or aiohttp. Route it: "
        "build the client as Client(account_sid, auth_token) or with "
        "http_client=AsyncTwilioHttpClient(), or make your custom HttpClient (or download) "
        "send with requests (a requests.Session), urllib.request, urllib3, httpx, httpx2 or "
        "aiohttp (a ClientSession on a TCPConnector, the default), or point it at "
        "`twimlsim serve`."
    )


class NetworkGuard:
    """Patches name resolution in ``socket`` so that Twilio's hosts cannot be reached.

    ``on_block`` is told of every blocked attempt (the simulator reports them when it is
    checked, in case the code under test swallowed the exception).
    """

    def __init__(
        self,
        on_block: Callable[[NetworkEscapeError], None],
        routed: Callable[[], Iterable[str]] = tuple,
    ) -> None:
        self._on_block = on_block
        #: The base URLs ``sim.route`` serves, to explain a failed lookup of their hosts.
        self._routed = routed
        self._originals: dict[str, Any] = {}
        self._wrappers: dict[str, Any] = {}
        self.active = False

    def start(self) -> None:
        """Begin blocking (nested simulators each wrap what they found)."""
        for name in NAME_LOOKUPS:
            original = getattr(socket, name)
            wrapper = self._wrap(original)
            self._originals[name] = original
            self._wrappers[name] = wrapper
            setattr(socket, name, wrapper)
        self.active = True

    def stop(self) -> None:
        """Stop blocking; restore what was there unless someone patched it since."""
        self.active = False
        for name, wrapper in self._wrappers.items():
            if getattr(socket, name) is wrapper:
                setattr(socket, name, self._originals[name])
        self._originals.clear()
        self._wrappers.clear()

    def _wrap(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
            if self.active:
                name = lookup_name(host)
                port = args[0] if args else kwargs.get("port")
                if (
                    name is not None
                    and TWILIO_HOST.match(name)
                    and not socket_mock_stubs_host(name, port)
                ):
                    error = NetworkEscapeError(routing_message(name, port))
                    self._on_block(error)
                    raise error
            try:
                return original(host, *args, **kwargs)
            except socket.gaierror as error:
                advice = self._routed_host_advice(host) if self.active else None
                if advice is None:
                    raise
                said = error.strerror or str(error)  # a gaierror made with a message alone
                raise socket.gaierror(error.errno, f"{said}; {advice}") from None

        return guarded

    def _routed_host_advice(self, host: Any) -> str | None:
        """Why a name ``sim.route`` serves did not resolve, and what to do, or None for a
        name it does not serve (asked only once the lookup has failed: no cost otherwise)."""
        name = lookup_name(host)
        if name is None:
            return None
        name = name.rstrip(".").lower()
        base = next((b for b in self._routed() if urlsplit(b).hostname == name), None)
        if base is None:
            return None
        return (
            f"{name} is served by sim.route({base!r}, app) for Twilio's webhooks only: "
            "twimlsim answers no other request to it, the test's own or one the app sends "
            "itself. Reach the app with its test client (Flask's app.test_client(), Django's "
            "Client, Starlette's or FastAPI's TestClient(app)) or call its code directly"
        )
