"""The Streams subresource of a live call: ``POST /Calls/{Sid}/Streams.json`` starts a
unidirectional media stream (as ``<Start><Stream>`` does), ``POST
/Calls/{Sid}/Streams/{Sid or name}.json`` with ``Status=stopped`` stops one, whether the
REST API or ``<Start><Stream>`` started it (Twilio's Streams page). Both answer 200 with
the Stream resource (the spec's only response); Twilio has no list or fetch. A stream to an
ASGI app routed in process opens the app's WebSocket, and stopping it sends ``stop`` and
closes it (``engine/fork_socket.py``).

Codes are fidelity choices where Twilio documents none: a call that is not ``in-progress``
cannot stream (21220, as for recordings); a missing ``Url`` is 20001 ("Missing required
parameter"); a ``Url`` that is not ``wss://`` with a host (relative ones resolve against
nothing here) and an invalid ``Track``, ``StatusCallbackMethod`` or ``Status`` are 20422; an
invalid ``StatusCallback`` is 21609, as on Calls. Stopping a stream already stopped answers
it again, stopped. A ``StatusCallback`` gets ``stream-started`` and ``stream-stopped``
(``engine/streams.py``); a ``<Connect><Stream>`` (bidirectional) cannot be stopped here: it
is not found (20404).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

from twimlsim.engine.streams import find_stream, start_stream, stop_stream
from twimlsim.errors import TwilioApiError
from twimlsim.model.stream import MediaStream
from twimlsim.twiml.stream_urls import wss_host

from .params import INVALID_PARAMETER, Param, apply_params
from .render import in_progress, json_response, missing_parameter
from .serialize import call_fork_json
from .stoppable import stop_by_sid_or_name

if TYPE_CHECKING:
    from twimlsim.engine.session import SimCall

    from .app import Context

__all__ = ["create", "custom_parameters", "stream_json", "update"]

_TRACKS = ("inbound_track", "outbound_track", "both_tracks")
_CREATE_PARAMS: tuple[Param, ...] = (
    Param("Name", "name", "text"),
    Param("Track", "track", "enum", choices=_TRACKS),
    Param("StatusCallback", "status_callback", "callback", 21609),
    Param("StatusCallbackMethod", "status_callback_method", "method"),
)
#: ``Parameter1.Name`` ... ``Parameter99.Name``: the stream's custom parameters.
_PARAMETER_NAME = re.compile(r"Parameter([1-9][0-9]?)\.Name")


def stream_json(stream: MediaStream) -> dict[str, object]:
    """The Stream resource as Twilio's JSON has it."""
    return call_fork_json(
        "Streams",
        stream.sid,
        stream.account_sid,
        stream.call_sid,
        stream.name,
        stream.status,
        stream.updated_at,
    )


def create(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Streams.json``: stream the live call from now."""
    call = _live_call(ctx, args)
    url = ctx.form.get("Url", "").strip()
    if not url:
        raise missing_parameter("Url")
    if not _is_wss_url(url):
        raise TwilioApiError(
            400,
            INVALID_PARAMETER,
            f"Url is not valid: {url}. Give the wss:// URL of the WebSocket server",
        )
    fields = apply_params(ctx.form, _CREATE_PARAMS)
    name = fields.get("name")
    callback = fields.get("status_callback")
    stream = start_stream(
        ctx.engine,
        call,
        url=url,
        name=str(name) if name is not None else None,
        track=str(fields.get("track", "inbound_track")),
        parameters=custom_parameters(ctx),
        status_callback=str(callback) if callback is not None else None,
        status_callback_method=str(fields.get("status_callback_method", "POST")),
    )
    return json_response(stream_json(stream), 200)


def update(ctx: Context, args: dict[str, str]) -> Response:
    """``POST /Calls/{CallSid}/Streams/{Sid}.json``: stop the stream with this SID or name."""
    return stop_by_sid_or_name(
        ctx, args["call_sid"], args["stream"], find_stream, stop_stream, stream_json
    )


def _live_call(ctx: Context, args: dict[str, str]) -> SimCall:
    record = in_progress(
        ctx.account.calls, args["call_sid"], ctx.request.path, "streamed", "the stream"
    )
    return ctx.engine.calls[record.sid]


def custom_parameters(ctx: Context) -> tuple[tuple[str, str], ...]:
    """``ParameterN.Name``/``ParameterN.Value`` pairs, in the order of N."""
    numbered = []
    for key in ctx.form:
        match = _PARAMETER_NAME.fullmatch(key)
        if match is not None and ctx.form[key]:
            number = int(match.group(1))
            numbered.append((number, ctx.form[key], ctx.form.get(f"Parameter{number}.Value", "")))
    return tuple((name, value) for _, name, value in sorted(numbered))


def _is_wss_url(url: str) -> bool:
    """``url`` is ``wss://`` with a host and no spaces or control characters (a WebSocket
    server can be named)."""
    if not url.lower().startswith("wss://") or not url.isprintable() or " " in url:
        return False
    return wss_host(url) is not None
