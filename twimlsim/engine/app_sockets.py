"""The engine's narrow view of a WebSocket to the app (``<Connect><ConversationRelay>``,
``<Connect><Stream>``): opened by a transport that knows how (``transports/asgi_websocket.py``
for ASGI apps routed in process), driven a turn at a time, never on the wall clock.

A turn sends Twilio's text frames, then runs the app until it is done with them: until a
frame it sends satisfies ``until`` (a ConversationRelay answer's last token), or, without
``until``, until it waits for the next frame with nothing left to do. The transport bounds
each turn by the webhook read timeout in wall time and says so in ``failure``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from twimlsim.signature import compute_signature

if TYPE_CHECKING:
    from .services import Host, Services
    from .session import SimCall

__all__ = [
    "AppSocket",
    "AppSockets",
    "SocketTurn",
    "compact_json",
    "handler_running",
    "handshake",
    "json_object",
    "open_app_socket",
]


@dataclass(frozen=True, slots=True)
class SocketTurn:
    """What one turn of the app's WebSocket handler did.

    ``frames`` the frames it sent (text as ``str``, binary as ``bytes``); ``accepted``
    whether it has accepted the connection; ``closed`` its close code once it closed the
    socket (its handler returning closes it with 1000, raising with 1011, as uvicorn
    does); ``failure`` what went wrong (it raised, refused the handshake, or had not done
    its part within the time limit: ``timed_out``), worded for the error the call records.
    """

    frames: tuple[str | bytes, ...] = ()
    accepted: bool = False
    closed: int | None = None
    failure: str | None = None
    timed_out: bool = False


class AppSocket(Protocol):
    """One WebSocket connection from Twilio to the app."""

    url: str

    def connect(self) -> SocketTurn:
        """Run the handshake: the app accepts (``accepted``) or refuses it."""
        ...

    def send(
        self,
        texts: Sequence[str],
        until: Callable[[str | bytes], bool] | None = None,
        *,
        last: bool = False,
    ) -> SocketTurn:
        """Send ``texts`` as text frames and run the app's turn (see the module). With
        ``last`` (Media Streams' ``stop``, which Twilio follows with the close at once) the
        turn is over once the handler has taken them and sends nothing more, whether or not
        it reads again."""
        ...

    def close(self, code: int = 1000) -> SocketTurn:
        """Twilio closes the socket with ``code`` (the call ended, the session is over):
        the app hears the disconnect and its handler is let finish (or cancelled at the
        time limit)."""
        ...

    def inside_app(self) -> bool:
        """Whether the calling thread runs the app's own code (its event loop's thread,
        where it called the REST API): a turn cannot be waited for from there."""
        ...


class AppSockets(Protocol):
    """Opens WebSockets to the app, where the app can be reached in process."""

    def open(
        self, url: str, headers: Mapping[str, str], abandoned: Callable[[], bool]
    ) -> AppSocket | None:
        """A connection to ``url`` (``wss://``...) sending ``headers`` with the handshake,
        or None when no in-process app with WebSocket support serves ``url`` (the call is
        then held as before: nothing is opened). A turn ends early once ``abandoned()``
        is true (the handler moved the call on through the REST API: a redirect or a
        hang-up is pending)."""
        ...

    def close_all(self) -> None:
        """Close every socket still open (the simulator stops: its calls are over)."""
        ...


def open_app_socket(engine: Services, call: SimCall, url: str) -> AppSocket | None:
    """A socket from Twilio to the app at ``url`` about ``call``, when the app is reached in
    process with WebSocket support; None otherwise (nothing is opened).

    The handshake carries ``X-Twilio-Signature``, the HMAC-SHA1 of the ``wss://`` URL as
    written (no parameters), as a webhook's over its URL and parameters (Twilio: "the same
    verification mechanism used for standard Twilio webhooks"); the ``User-Agent`` is a
    choice (README, "Fidelity notes"). A turn of the app's handler ends early once the call
    has ended or the handler moved it on through the REST API (a redirect or a hang-up is
    pending)."""
    sockets = engine.app_sockets
    if sockets is None:
        return None
    signature = compute_signature(engine.account_of(call).auth_token, url)
    headers = {"User-Agent": "Twilio.TmeWs/1.0", "X-Twilio-Signature": signature}

    def moved_on() -> bool:
        process = call.process
        return call.ended or (process is not None and process.interrupt_pending)

    return sockets.open(url, headers, moved_on)


@contextmanager
def handler_running(engine: Host, url: str) -> Iterator[None]:
    """While the app's WebSocket handler runs, as while it answers a webhook: it may call
    the REST API, and the webhooks that causes wait until it is done
    (``Delivery.answering``)."""
    answering = engine.answering
    if not answering:
        engine.answering_thread = threading.get_ident()
    answering.append(url)
    try:
        yield
    finally:
        answering.pop()


def handshake(engine: Host, socket: AppSocket) -> SocketTurn | str:
    """Connect ``socket``, its handler running as while it answers a webhook
    (``handler_running``): the turn once the app accepted (its ``frames`` what it sent
    before Twilio's first message, which count with its answer to that message), else
    why not, worded for the error the call records."""
    with handler_running(engine, socket.url):
        turn = socket.connect()
    if turn.accepted:
        return turn
    return turn.failure or "it closed the connection"


def compact_json(message: dict[str, Any]) -> str:
    """``message`` as Twilio writes its JSON on a socket: no spaces between the items (as
    Media Streams and ConversationRelay sessions recorded from Twilio show)."""
    return json.dumps(message, separators=(",", ":"))


def json_object(frame: str | bytes) -> dict[str, Any] | str:
    """The app's ``frame`` as the JSON object Twilio's socket services read, or what is
    wrong with it (ConversationRelay and Media Streams both take JSON text frames only)."""
    if not isinstance(frame, str):
        return "a binary frame; messages are JSON text frames"
    try:
        message = json.loads(frame)
        # ASCII with no escape, as nearly every frame is: told at C speed, no regex
        if ("\\u" in frame or not frame.isascii()) and (
            _SURROGATE.search(frame) or _ESCAPED_SURROGATE.search(frame)
        ):
            message = _whole_characters(message)
    except RecursionError:  # an app's '[[[[...' escaped the call's run
        return "not JSON a parser takes: nested too deep"
    except ValueError:
        return "not JSON"
    if not isinstance(message, dict):
        return "not a JSON object"
    return message


#: Half of a UTF-16 pair, raw or escaped (``"\ud83d"``: JavaScript's ``JSON.stringify`` of
#: an emoji cut in two). No UTF-8 text holds one: the app's text it was in escaped the
#: call's run as a UnicodeEncodeError when it reached a webhook (a ConversationRelay's
#: ``handoffData`` in the action's request).
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _whole_characters(value: Any) -> Any:
    """``value`` (parsed JSON) with each lone half of a UTF-16 pair replaced by U+FFFD, as
    a UTF-8 decoder replaces what it cannot read (UNCONFIRMED: what Twilio does with one is
    not documented)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_whole_characters(item) for item in value]
    if isinstance(value, dict):
        return {_whole_characters(key): _whole_characters(item) for key, item in value.items()}
    return value
